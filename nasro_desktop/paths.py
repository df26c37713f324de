"""Where the app keeps its data and finds its bundled files. Resolved once, overridable."""

from __future__ import annotations

import os
import sys
from pathlib import Path

DATA_DIR_ENV = "NASRO_DATA_DIR"
APP_NAME = "nasro-desktop"

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding the user's database: --data-dir, then $NASRO_DATA_DIR, then the OS default."""
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser().resolve()
    import platformdirs  # imported here: only needed when no override is given

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def frozen_root() -> Path | None:
    """The folder of the app's files in a PyInstaller bundle (sys._MEIPASS), else None."""
    root = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and root:
        return Path(root)
    return None


def bundled(name: str) -> Path:
    """A top-level bundled folder ("forms" or "resources"): in the one-folder bundle (where
    packaging/nasro-desktop.spec puts them beside the app's libraries), in a wheel, or in a
    source checkout."""
    root = frozen_root()
    if root is not None:
        return root / name
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / name


def forms_dir() -> Path:
    return bundled("forms")


def resources_dir() -> Path:
    return bundled("resources")


ICON_NAME = "nasro-desktop"


def icon_files() -> list[Path]:
    """The app icon's PNG sizes, smallest first (made from resources/icons/nasro-desktop.svg)."""
    found = (resources_dir() / "icons").glob(f"{ICON_NAME}-*.png")
    return sorted(found, key=lambda path: int(path.stem.rsplit("-", 1)[1]))
