"""`nasro-desktop`: with no command opens the window; commands work on the same data folder.

Each command lives next to the layer it drives (store/commands.py, report/commands.py) and is
imported only when used, so `--version` and `list` stay fast and never load Qt.
Errors print one plain line and exit non-zero; never a traceback.
"""

from __future__ import annotations

import argparse
import functools
import sys
from importlib import import_module

from nasro_desktop import __version__
from nasro_desktop.paths import DATA_DIR_ENV

# command name -> "module:function"; each function takes the parsed args and returns an exit code
COMMANDS = {
    "list": "nasro_desktop.store.commands:cmd_list",
    "export": "nasro_desktop.store.find_commands:cmd_export",  # --out here, or --csv
    "import": "nasro_desktop.store.commands:cmd_import",
    "backup": "nasro_desktop.store.commands:cmd_backup",
    "report": "nasro_desktop.report.commands:cmd_report",
    "search": "nasro_desktop.store.find_commands:cmd_search",
    "compare": "nasro_desktop.store.find_commands:cmd_compare",
}


class UserError(Exception):
    """A problem the user can fix; its message is shown as it is, in one line."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nasro-desktop",
        description="SRO Program Readiness: check a School Resource Officer program "
        "against the NASRO standards. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"nasro-desktop {__version__}")
    data_dir_help = f"folder for the app's data (default: your user data folder; or set {DATA_DIR_ENV})"
    parser.add_argument("--data-dir", metavar="DIR", help=data_dir_help)
    parser.add_argument("--self-test", action="store_true",
                        help="check that the app works (changes nothing), one line per check")
    # --data-dir is global, and also accepted after the command (`nasro-desktop list --data-dir X`)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", help=data_dir_help, default=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser = functools.partial(sub.add_parser, parents=[common])

    sub.add_parser("list", help="list saved assessments")

    p = sub.add_parser("export", help="export one assessment to a file")
    p.add_argument("id", type=int, help="assessment number, as shown by `list`")
    to = p.add_mutually_exclusive_group(required=True)
    to.add_argument("--out", metavar="FILE", help="file to write")
    to.add_argument("--csv", metavar="DIR", help="save as spreadsheet: CSV files in this folder")

    p = sub.add_parser("import", help="import an assessment from an exported file")
    p.add_argument("file", metavar="FILE")

    p = sub.add_parser("backup", help="back up all assessments to a file")
    p.add_argument("--out", required=True, metavar="FILE", help="file to write")

    p = sub.add_parser("report", help="write the readiness report as a PDF")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("id", type=int, nargs="?", help="assessment number, as shown by `list`")
    which.add_argument("--sample", action="store_true", help="report on the built-in sample")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="judge dates as of this day")
    p.add_argument("--paper", choices=["letter", "a4"], default="letter")
    p.add_argument(
        "--edition", choices=["board", "full"], default="board",
        help="board: 2-4 pages for the board packet, officers as Officer A, B... (default); "
        "full: everything, for the file",
    )  # fmt: skip
    p.add_argument(
        "--names", action="store_true",
        help="print officers' names in the board edition (the full edition always does)",
    )  # fmt: skip

    p = sub.add_parser("search", help="find words in notes, reasons and action items")
    p.add_argument("words", nargs="+", metavar="WORD")
    p.add_argument("--limit", type=int, default=50, help="show at most this many (default 50)")

    p = sub.add_parser("compare", help="what changed between two assessments of one program")
    p.add_argument("id1", type=int, metavar="ID1", help="assessment number, as shown by `list`")
    p.add_argument("id2", type=int, metavar="ID2", nargs="?",
                   help="the other one (default: the one ID1 was started from)")
    return parser


def _escaped(error: Exception) -> str:
    """An error line with control and bidi characters (from a title or a file name) made
    visible, so it can't rewrite the terminal."""
    from nasro_desktop.store.commands import visible

    return visible(error)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.self_test:
            from nasro_desktop.selftest import run

            return run(args.data_dir)
        if args.command is None:
            from nasro_desktop.ui.app import run_gui

            return run_gui(args.data_dir)
        module_name, func_name = COMMANDS[args.command].split(":")
        return getattr(import_module(module_name), func_name)(args)
    except UserError as error:
        print(f"nasro-desktop: {_escaped(error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (`nasro-desktop list | head`): stop quietly, as other tools do
        import os

        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 141
    except Exception as error:  # last resort: one plain line, never a traceback
        print(
            f"nasro-desktop: something went wrong ({type(error).__name__}: "
            f"{_escaped(error)}). Check with `nasro-desktop list` whether the step was done "
            "before trying it again; if it keeps happening, make a backup with "
            "`nasro-desktop backup --out FILE` and report the problem.",
            file=sys.stderr,
        )
        return 2
