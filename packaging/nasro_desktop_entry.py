"""The bundle's entry point: the same `nasro-desktop` command a pip install makes.

`--version` is answered here, before the command line and its modules are imported: in the
bundle every import is read from the archive, so it costs more than in a pip install."""

import sys

if sys.argv[1:] == ["--version"]:
    from nasro_desktop import __version__

    print(f"nasro-desktop {__version__}")
    raise SystemExit(0)

from nasro_desktop.cli import main  # noqa: E402

raise SystemExit(main())
