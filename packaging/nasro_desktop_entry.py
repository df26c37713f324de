"""The bundle's entry point: the same `nasro-desktop` command a pip install makes.
(`--version` is answered before this runs, by packaging/rth_version.py.)"""

from nasro_desktop.cli import main

raise SystemExit(main())
