"""The bundle's entry point: the same `nasro-desktop` command a pip install makes."""

from nasro_desktop.cli import main

raise SystemExit(main())
