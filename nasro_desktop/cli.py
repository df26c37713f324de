"""`nasro-desktop`: with no command opens the window; commands work on the same data folder.

Every command is one row of `COMMANDS`: its name, its help line, the function that adds its
arguments, and its handler ("module:function") in the `commands/` package, imported only when
that command runs, so `--version` and `list` stay fast and never load Qt or reportlab.
Errors print one plain line and exit non-zero; never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from nasro_desktop import DISPLAY_NAME, __version__, selftest
from nasro_desktop.commands.terminal import visible
from nasro_desktop.display import why_no_window
from nasro_desktop.errors import UsageError, UserError
from nasro_desktop.paths import DATA_DIR_ENV
from nasro_desktop.report.options import EDITIONS, FORMATS, PAPERS


@dataclass(frozen=True)
class Command:
    """One command: what `build_parser` adds and what `main` runs."""

    name: str
    help: str
    handler: str  # "module:function"; the function takes the parsed args
    arguments: Callable[[argparse.ArgumentParser], None]

    def run(self, args: argparse.Namespace) -> int:
        module_name, func_name = self.handler.split(":")
        handler: Callable[[argparse.Namespace], int] = getattr(
            import_module(module_name), func_name
        )
        return handler(args)


# --- each command's arguments --------------------------------------------------------------


def _export_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", type=int, nargs="*", metavar="ID",
                   help="assessment number, as shown by `list` (one; with --sqlite any number, "
                   "none for all)")
    to = p.add_mutually_exclusive_group(required=True)
    to.add_argument("--out", metavar="FILE", help="file to write")
    to.add_argument("--csv", metavar="DIR", help="save as spreadsheet: CSV files in this folder")
    to.add_argument("--xlsx", metavar="FILE", help="save as spreadsheet: one Excel workbook")
    to.add_argument("--sqlite", metavar="FILE",
                    help="an analysis database (SQLite) of these assessments, for IT")
    p.add_argument("--force", action="store_true", help="replace files that already exist")
    _quiet(p)


def _quiet(p: argparse.ArgumentParser, what: str = "print nothing but problems") -> None:
    p.add_argument("--quiet", "-q", action="store_true", help=what)


def _json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true",
                   help="print one JSON document (its schema is in the README)")


def _import_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE")
    p.add_argument("--copy", action="store_true",
                   help="import it even if the same assessment is in the list already, as a "
                   "separate copy (its title says so)")
    _quiet(p, "print only the new assessment's number")


def _backup_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, metavar="FILE", help="file to write")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")
    _quiet(p)


def _report_arguments(p: argparse.ArgumentParser) -> None:
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("id", type=int, nargs="?", help="assessment number, as shown by `list`")
    which.add_argument("--sample", action="store_true", help="report on the built-in sample")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="the Assessment date: judge the answers as of this day (default: the one saved with the assessment)")
    p.add_argument("--paper", choices=PAPERS, default="letter")
    p.add_argument(
        "--edition", choices=EDITIONS, default="board",
        help="board: 2-4 pages for the board packet, officers counted, not named (default); "
        "full: everything, for the file",
    )  # fmt: skip
    p.add_argument(
        "--names", action="store_true",
        help="print officers' names in the board edition (the full edition always does)",
    )  # fmt: skip
    p.add_argument("--force", action="store_true", help="replace the file if it exists")
    _quiet(p)
    p.add_argument(
        "--format", choices=FORMATS, default=None,
        help="pdf: a tagged, accessible PDF; docx: the same report as a Word document "
        "(default: from the --out file's ending, else pdf)",
    )  # fmt: skip


MAX_SEARCH_LIMIT = 10_000


def _search_limit(text: str) -> int:
    """--limit: a whole number from 1 to MAX_SEARCH_LIMIT, else a plain range message."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_SEARCH_LIMIT:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of results to show; choose a whole number from 1 to "
            f"{MAX_SEARCH_LIMIT:,}")
    return value


def _search_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("words", nargs="+", metavar="WORD")
    p.add_argument("--limit", type=_search_limit, default=50,
                   help=f"show at most this many, 1 to {MAX_SEARCH_LIMIT:,} (default 50)")
    _json(p)


def _compare_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id1", type=int, metavar="ID1", help="assessment number, as shown by `list`")
    p.add_argument("id2", type=int, metavar="ID2", nargs="?",
                   help="the other one (default: the one ID1 was started from)")  # fmt: skip
    _json(p)


def _rollup_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="the analysis database (SQLite) to write")
    p.add_argument("exports", nargs="+", metavar="EXPORT",
                   help="exported assessments (.json or .zip), or folders holding them")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")
    _quiet(p)


def _status_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", type=int, help="assessment number, as shown by `list`")
    _json(p)


def _share_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", type=int, help="assessment number, as shown by `list`")
    p.add_argument("--out", metavar="FILE", required=True, help="the file to send")
    p.add_argument("--as", dest="as_party", choices=["agency", "district"], default="agency",
                   help="whose part you answer (default agency; a copy shared with you keeps "
                   "its side)")
    p.add_argument("--name", default="", help="your name, as the other party will see it")
    p.add_argument("--with-evidence", action="store_true",
                   help="send the evidence files too (without it they stay on this computer)")


def _open_shared_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE")
    p.add_argument("--separate", action="store_true",
                   help="open the next round as a separate copy, rather than merging it into "
                   "your copy of the round before")


def _merge_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", type=int, help="the assessment you shared (or your copy of the "
                   "round before, for the next round shared with you)")
    p.add_argument("file", metavar="FILE", help="the copy that came back (or the next round)")
    p.add_argument("--take", choices=["theirs", "ours"],
                   help="settle every item both sides changed this way (else the merge refuses)")
    p.add_argument("--dry-run", action="store_true", help="print the differences, change nothing")


def _undo_merge_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", type=int, help="assessment number, as shown by `list`")
    p.add_argument("--force", action="store_true",
                   help="undo even if the assessment was changed after the merge")


# --- the commands, in the order `--help` lists them ----------------------------------------

_STORE = "nasro_desktop.commands.assessments"
_FIND = "nasro_desktop.commands.find"
_SHARE = "nasro_desktop.commands.sharing"

COMMANDS: tuple[Command, ...] = (
    Command("list", "list saved assessments", f"{_STORE}:cmd_list", _json),
    Command("export", "export one assessment to a file",
            "nasro_desktop.commands.exports:cmd_export", _export_arguments),
    Command("import", "import an assessment from an exported file", f"{_STORE}:cmd_import",
            _import_arguments),
    Command("backup", "back up all assessments to a file", f"{_STORE}:cmd_backup",
            _backup_arguments),
    Command("report", "write the readiness report as a PDF",
            "nasro_desktop.commands.report:cmd_report", _report_arguments),
    Command("search", "find words in notes, reasons and action items", f"{_FIND}:cmd_search",
            _search_arguments),
    Command("compare", "what changed between two assessments of one program",
            f"{_FIND}:cmd_compare", _compare_arguments),
    Command("status", "where one assessment stands: verdict, counts, standards not met",
            "nasro_desktop.commands.status:cmd_status", _status_arguments),
    Command("share", "write a file for the other party to answer their part (or send it back)",
            f"{_SHARE}:cmd_share", _share_arguments),
    Command("open-shared", "open a file the other party shared with you",
            f"{_SHARE}:cmd_open_shared", _open_shared_arguments),
    Command("merge", "merge the copy the other party sent back", f"{_SHARE}:cmd_merge",
            _merge_arguments),
    Command("undo-merge", "put an assessment back as it was before the last merge",
            f"{_SHARE}:cmd_undo_merge", _undo_merge_arguments),
    Command("rollup", "one analysis database (SQLite) from many exported assessments",
            "nasro_desktop.commands.analysis:cmd_rollup", _rollup_arguments),
)  # fmt: skip
_BY_NAME = {command.name: command for command in COMMANDS}


def build_parser() -> argparse.ArgumentParser:
    """The whole command line."""
    parser = argparse.ArgumentParser(
        prog="nasro-desktop",
        description=f"{DISPLAY_NAME}: check a School Resource Officer program "
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
    for command in COMMANDS:
        p = sub.add_parser(command.name, help=command.help, parents=[common])
        command.arguments(p)
    return parser


# Error lines show control and bidi characters (from a title or a file name) made `visible`,
# so they can't rewrite the terminal. Exit codes: 0 done; 1 a problem the message says how to fix; 2 the command line itself was
# wrong (argparse); 3 something went wrong inside the app; 130 interrupted; 141 output closed.
INTERNAL_ERROR = 3

NO_WINDOW = ("nasro-desktop: no window can be opened here: {why}. The commands work without "
             "one: run `nasro-desktop --help` to see them, or `nasro-desktop --self-test` to "
             "check the app.")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv == ["--version"]:  # answered before anything else is built or imported
        print(f"nasro-desktop {__version__}")
        return 0
    args = build_parser().parse_args(argv)
    try:
        if args.self_test:
            return selftest.SelfTest(args.data_dir).run()
        if args.command is None:
            why = why_no_window()
            if why is not None:  # Qt would abort (exit 134) with its own text
                print(NO_WINDOW.format(why=why), file=sys.stderr)
                return 1
            # The store (and the standard modules it uses) before Qt: PySide6 reads the source
            # of every module imported after it (looking for `from __feature__`), ~10 ms here.
            import nasro_desktop.store  # noqa: F401
            from nasro_desktop.ui.app import run_gui

            return run_gui(args.data_dir)
        return _BY_NAME[args.command].run(args)
    except UsageError as error:
        print(f"nasro-desktop: {visible(error)} (see `nasro-desktop {args.command} --help`)",
              file=sys.stderr)
        return 2
    except UserError as error:
        print(f"nasro-desktop: {visible(error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (`nasro-desktop list | head`): stop quietly, as other tools do
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 141
    except Exception as error:  # last resort: one plain line, never a traceback
        print(
            f"nasro-desktop: something went wrong ({type(error).__name__}: "
            f"{visible(error)}). Check with `nasro-desktop list` whether the step was done "
            "before trying it again; if it keeps happening, make a backup with "
            "`nasro-desktop backup --out FILE` and report the problem.",
            file=sys.stderr,
        )
        return INTERNAL_ERROR
