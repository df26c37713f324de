"""Runtime hook, run first in the bundle (before PyInstaller's own hooks for PySide6, inspect
and pkgutil, which load Qt's shiboken and a dozen modules): `--version` is answered here and
the program ends, so it costs the interpreter's start and no more."""

import sys

if sys.argv[1:] == ["--version"]:
    from nasro_desktop import __version__

    print(f"nasro-desktop {__version__}", flush=True)
    raise SystemExit(0)
