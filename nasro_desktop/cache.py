"""Compiled copies of what every start would otherwise rebuild, kept in the user's cache folder:
the built question sets (domain/form_cache.py) and the report fonts' metrics
(report/font_cache.py).

A cache file is `MAGIC + key + "\\n" + pickle`. The key is a sha256 of everything the copy was
made from (the source file's bytes, the app, Python and library versions...): a file with
another key is never unpickled. The cache is only ever a shortcut: a missing, stale,
truncated or otherwise damaged file, a file another user owns, or a folder that can't be
written to means the caller builds the thing as before; the reason is logged (never printed,
so the CLI's output stays one plain line) and nothing fails.

Safety: pickle runs code named in the file, so a cache file is read only from the user's own
private cache folder (0700, files 0600) and only when the user owns it; whoever can write
there can already change the user's programs.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path

from nasro_desktop import portable

CACHE_ENV = "NASRO_CACHE_DIR"
MAGIC = b"nasro-cache 1\n"  # bump when the file layout changes

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())  # logged where the app logs; never on the terminal


def cache_dir(kind: str) -> Path:
    """$NASRO_CACHE_DIR/<kind>, else the user's cache folder (~/.cache/nasro-desktop/<kind>)."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser() / kind
    import platformdirs

    from nasro_desktop.paths import APP_NAME

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / kind


def key_of(*parts: str | bytes) -> str:
    digest = hashlib.sha256(MAGIC)
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _header(key: str) -> bytes:
    return MAGIC + key.encode("ascii") + b"\n"


def read(path: Path, key: str) -> object | None:
    """What `write` saved under this key, or None (missing, stale or damaged: logged)."""
    try:
        with open(path, "rb") as handle:
            if not portable.owned_by_me(os.fstat(handle.fileno())):
                log.warning("cache file %s is not owned by this user; ignored", path)
                return None
            blob = handle.read()
    except FileNotFoundError:
        log.info("cache file %s: not there yet", path)
        return None
    except OSError as error:
        log.warning("cache file %s cannot be read (%s); building it again", path, error)
        return None
    header = _header(key)
    if not blob.startswith(header):
        log.info("cache file %s is for another file or version; building it again", path)
        return None
    try:
        value: object = pickle.loads(blob[len(header):])  # noqa: S301 - see the note on safety
        return value
    except Exception as error:  # a truncated or damaged file fails in many ways
        log.warning("cache file %s is damaged (%s: %s); building it again",
                    path, type(error).__name__, error)  # fmt: skip
        return None


def write(path: Path, key: str, value: object) -> None:
    """Save `value` for the next start, atomically (a reader sees the old file or the whole new
    one). A failure is logged and changes nothing else."""
    temp: str | None = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        data = _header(key) + pickle.dumps(value, protocol=5)
        handle, temp = tempfile.mkstemp(prefix=".cache-", suffix=".tmp", dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)
        temp = None
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as error:
        log.warning("cache file %s cannot be written (%s); it is built again each time",
                    path, error)  # fmt: skip
    finally:
        if temp is not None:
            try:
                os.unlink(temp)
            except OSError:
                pass
