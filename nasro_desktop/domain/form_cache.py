"""A compiled copy of each question set, so the window and the CLI start without reading YAML.

Reading and checking the 2,500-line question set costs ~60 ms, and importing PyYAML ~30 ms
more, on every start. The built `Form` is kept in the user's cache folder (nasro_desktop/cache.py
says how, and what happens when the copy is missing or damaged: the form is built from YAML),
keyed by the YAML file's sha256, its path, the app version, the Python version and the source
of the modules that build a Form; any change to one of them builds the form from YAML again.
"""

from __future__ import annotations

import logging
import sys
from functools import cache
from pathlib import Path

from nasro_desktop import cache as compiled
from nasro_desktop.domain.model import Form

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())


def cache_dir() -> Path:
    """$NASRO_CACHE_DIR/forms, else the user's cache folder (~/.cache/nasro-desktop/forms)."""
    return compiled.cache_dir("forms")


@cache
def _code_digest() -> bytes:
    """The source of the modules whose code decides what a built Form holds. In a bundle
    the sources are not files; the app version then stands for them."""
    import hashlib

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

    return compiled.key_of("form", __version__, sys.version, str(source.resolve()),
                           _code_digest(), data)  # fmt: skip


def cache_file(folder: Path, source: Path) -> Path:
    """One file per question set (forms/<form_id>/v<N>.yaml -> <form_id>-v<N>.pickle)."""
    return folder / f"{source.parent.name}-{source.stem}.pickle"


def read(folder: Path, source: Path, key: str) -> Form | None:
    """The cached form, or None (missing, stale or damaged: the reason is logged)."""
    form = compiled.read(cache_file(folder, source), key)
    if form is not None and not isinstance(form, Form):
        log.warning("form cache for %s holds a %s, not a form; building from YAML",
                    source.name, type(form).__name__)  # fmt: skip
        return None
    return form


def write(folder: Path, source: Path, key: str, form: Form) -> None:
    compiled.write(cache_file(folder, source), key, form)
