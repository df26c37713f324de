"""`nasro-desktop list | export | import | backup`: the store from the command line.

Each returns an exit code; a problem is raised as UserError (one plain line, exit 1).

Output is for a terminal: titles and names are shown with control characters, escape
sequences and bidi overrides made visible (\\x1b, \\u202e), so a title can't rewrite the screen
or reorder a line; and text the terminal's encoding can't show is escaped, never an error. An
output error after a change was committed never claims that nothing changed.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path
from typing import TextIO

from nasro_desktop.errors import UserError
from nasro_desktop.store.db import DB_NAME, Store
from nasro_desktop.store.errors import SaveFailed, StoreError

# bidi embeddings, overrides, isolates and marks: they reorder what follows on the line
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                  "\u2066\u2067\u2068\u2069")


def visible(text: object) -> str:
    """One line of text safe to print: control, bidi and line-breaking characters escaped."""
    out = []
    for char in str(text):
        if char in _BIDI or unicodedata.category(char) in ("Cc", "Zl", "Zp", "Cs"):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def say(text: str, stream: TextIO | None = None) -> None:
    """Print a line in whatever encoding the terminal has (unknown characters escaped)."""
    stream = stream or sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text = text.encode(encoding, "backslashreplace").decode(encoding)
    except LookupError:
        pass
    print(text, file=stream, flush=True)


def _open(args: argparse.Namespace, *, read_only: bool) -> Store:
    return Store.open(args.data_dir, read_only=read_only)


def _cut(text: str, width: int) -> str:
    text = visible(" ".join(str(text).split()))
    return text if len(text) <= width else text[: width - 1] + "…"


def cmd_list(args: argparse.Namespace) -> int:
    from nasro_desktop.paths import data_dir

    folder = data_dir(args.data_dir)
    if not (folder / DB_NAME).exists() and not (folder / DB_NAME).is_symlink():
        say(f"No saved assessments yet (data folder: {visible(folder)}).")
        return 0
    try:
        with _open(args, read_only=True) as store:
            found = store.list_assessments()
    except StoreError as error:
        raise UserError(str(error)) from None
    if not found:
        say(f"No saved assessments yet (data folder: {visible(folder)}).")
        return 0
    table = [("ID", "Title", "Agency", "District", "As of", "Updated")]
    for s in found:
        table.append((
            str(s.id), _cut(s.title, 32 if s.problem is None else 60), _cut(s.agency, 24),
            _cut(s.district, 24), s.as_of.isoformat(),
            s.updated.astimezone().strftime("%Y-%m-%d %H:%M"),
        ))
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for number, row in enumerate(table):
        cells = [row[0].rjust(widths[0])] + [c.ljust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        say("  ".join(cells).rstrip())
        if number == 0:
            say("  ".join("-" * w for w in widths))
    damaged = [s for s in found if s.problem is not None]
    if damaged:
        numbers = ", ".join(str(s.id) for s in damaged)
        say(f"Assessment {numbers} holds a value that can't be read (damage in the data file). "
            "Restore it from a backup in the window, or save what can be read with "
            "`nasro-desktop export ID --out FILE`.", sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    try:
        with _open(args, read_only=True) as store:
            title = store._title_of(args.id)
            dest = store.export_assessment(args.id, Path(args.out))
            left_out = list(store.last_left_out)
    except StoreError as error:
        raise UserError(str(error)) from None
    say(f"Exported assessment {args.id} ({_cut(title, 60) or 'untitled'}) to "
        f"{visible(dest)}; checked after writing.")
    if left_out:
        say("Some values in it could not be read (the data file is damaged there) and were left "
            "out or set to a plain default: " + visible("; ".join(left_out)) + ".", sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from nasro_desktop.store.exchange import read_import

    src = Path(args.file)
    try:
        assessment = read_import(src)  # read and checked before the data is locked
        with _open(args, read_only=False) as store:
            new_id = store.import_assessment(src)  # format 2: its evidence files too
    except SaveFailed as error:
        # the window's wording ("kept in this window") does not fit a command: say it plainly
        reason = f"{error} {error.reason}"
        if "disk is full" in reason or "SQLITE_FULL" in reason or "Errno 28" in reason:
            why = "the disk is full. Free some space, then import the file again"
        elif "busy" in str(error) or "another copy" in str(error):
            why = "the data was busy. Wait a moment, then import the file again"
        else:
            why = ("the data folder can't be written to (is the drive write-protected or "
                   "removed?). Make it writable, then import the file again")
        raise UserError(f"Could not import {visible(src.name)}: {why}. Nothing was imported."
                        ) from None
    except StoreError as error:
        raise UserError(str(error)) from None
    # Committed: from here on, a failure to print must not say that nothing changed.
    try:
        say(f"Imported {visible(src.name)} as assessment {new_id} "
            f"({_cut(assessment.title, 60) or 'untitled'}).")
    except BrokenPipeError:
        raise
    except (OSError, ValueError):
        try:
            say(f"nasro-desktop: the file was imported as assessment {new_id}, but the message "
                "could not be shown. Do not import it again; see `nasro-desktop list`.",
                sys.stderr)
        except (OSError, ValueError):
            pass
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    try:
        with _open(args, read_only=True) as store:
            dest = store.backup_to(Path(args.out))
    except StoreError as error:
        raise UserError(str(error)) from None
    say(f"Backed up all assessments to {visible(dest)}; checked after writing.")
    return 0
