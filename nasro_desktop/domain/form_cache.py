"""A compiled copy of each question set, so the window and the CLI start without reading YAML.

Reading and checking the 2,500-line question set costs ~60 ms, and importing PyYAML ~30 ms
more, on every start. The built `Form` is kept as a pickle in the user's cache folder, keyed by
the YAML file's sha256, its path, the app version, the Python version and the source of the
modules that build a Form; any change to one of them builds the form from YAML again.

The cache is only ever a shortcut. A missing, stale, truncated or otherwise damaged file, a
file that another user owns, or a folder that can't be written to: the form is built from YAML
as before, and the reason is logged (never printed: the CLI's output stays one plain line).

Safety: pickle runs code named in the file, so a cache file is read only from the user's own
private cache folder (0700, files 0600) and only when the user owns it; whoever can write
there can already change the user's programs.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from functools import cache
from pathlib import Path

from nasro_desktop.domain.model import Form

CACHE_ENV = "NASRO_CACHE_DIR"
# Bump when the file layout below changes.
_MAGIC = b"nasro-form-cache 1\n"
_KEY_LENGTH = 64  # hex sha256

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())  # logged where the app logs; never on the terminal


def cache_dir() -> Path:
    """$NASRO_CACHE_DIR, else the user's cache folder (e.g. ~/.cache/nasro-desktop/forms)."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    from nasro_desktop.paths import APP_NAME

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "forms"


@cache
def _code_digest() -> bytes:
    """The source of the modules whose code decides what a built Form holds. In a bundle
    the sources are not files; the app version then stands for them."""
    from nasro_desktop.domain import answer_types, conditions, forms, model

    digest = hashlib.sha256()
    for module in (forms, model, conditions, answer_types):
        try:
            digest.update(Path(str(module.__file__)).read_bytes())
        except (OSError, TypeError):
            digest.update(module.__name__.encode())
    return digest.digest()


def cache_key(source: Path, data: bytes) -> str:
    from nasro_desktop import __version__

    digest = hashlib.sha256(_MAGIC)
    for part in (__version__, sys.version, str(source.resolve())):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(_code_digest())
    digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def cache_file(folder: Path, source: Path) -> Path:
    """One file per question set (forms/<form_id>/v<N>.yaml -> <form_id>-v<N>.pickle)."""
    return folder / f"{source.parent.name}-{source.stem}.pickle"


def read(folder: Path, source: Path, key: str) -> Form | None:
    """The cached form, or None (missing, stale or damaged: the reason is logged)."""
    path = cache_file(folder, source)
    try:
        with open(path, "rb") as handle:
            if hasattr(os, "getuid") and os.fstat(handle.fileno()).st_uid != os.getuid():
                log.warning("form cache %s is not owned by this user; ignored", path)
                return None
            blob = handle.read()
    except FileNotFoundError:
        log.info("form cache %s: not there yet; building %s", path, source.name)
        return None
    except OSError as error:
        log.warning("form cache %s cannot be read (%s); building from YAML", path, error)
        return None
    header = _MAGIC + key.encode("ascii") + b"\n"
    if not blob.startswith(header):
        log.info("form cache %s is for another file or version; building from YAML", path)
        return None
    try:
        form = pickle.loads(blob[len(header):])  # noqa: S301 - see the module's note on safety
    except Exception as error:  # a truncated or damaged file fails in many ways
        log.warning("form cache %s is damaged (%s: %s); building from YAML",
                    path, type(error).__name__, error)  # fmt: skip
        return None
    if not isinstance(form, Form):
        log.warning("form cache %s holds a %s, not a form; building from YAML",
                    path, type(form).__name__)  # fmt: skip
        return None
    return form


def write(folder: Path, source: Path, key: str, form: Form) -> None:
    """Save the built form for the next start; atomically (a reader sees the old file or the
    whole new one). A failure is logged and changes nothing else."""
    temp: str | None = None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        data = _MAGIC + key.encode("ascii") + b"\n" + pickle.dumps(form, protocol=5)
        handle, temp = tempfile.mkstemp(prefix=".form-", suffix=".tmp", dir=folder)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, cache_file(folder, source))
        temp = None
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as error:
        log.warning("form cache in %s cannot be written (%s); the form is built from YAML "
                    "each time", folder, error)  # fmt: skip
    finally:
        if temp is not None:
            try:
                os.unlink(temp)
            except OSError:
                pass
