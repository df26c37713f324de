from nasro_desktop.cli import main

raise SystemExit(main())
