"""`nasro-desktop list | export | import | backup`: the saved assessments from the command line.

Each returns an exit code; a problem is raised as UserError (one plain line, exit 1). What is
printed goes through `terminal.py`. An output error after a change was committed never claims
that nothing changed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nasro_desktop.commands.as_json import emit, summary_json
from nasro_desktop.commands.overwrite import refuse_to_overwrite
from nasro_desktop.commands.terminal import cut, say, visible
from nasro_desktop.errors import UserError
from nasro_desktop.paths import data_dir
from nasro_desktop.store import exchange, files
from nasro_desktop.store.db import Store
from nasro_desktop.store.errors import SaveFailed
from nasro_desktop.store.exchange import read_import
from nasro_desktop.store.import_match import copy_title, same_assessment


def open_saved(args: argparse.Namespace) -> Store:
    """The saved data, read-only (so a command also works while the window has it open);
    a plain "no saved assessments yet" when there is no data file."""
    folder = data_dir(args.data_dir)
    if not (folder / files.DB_NAME).exists():
        raise UserError(f"There are no saved assessments yet (data folder: {folder}).")
    return Store.open(args.data_dir, read_only=True)


def cmd_list(args: argparse.Namespace) -> int:
    folder = data_dir(args.data_dir)
    found = []
    if (folder / files.DB_NAME).exists() or (folder / files.DB_NAME).is_symlink():
        with Store.open(args.data_dir, read_only=True) as store:
            found = store.list_assessments()
    if args.json:
        emit("list", data_folder=str(folder), assessments=[summary_json(s) for s in found])
        return 0
    if not found:
        say(f"No saved assessments yet (data folder: {visible(folder)}).")
        return 0
    table = [("ID", "Title", "Agency", "District", "As of", "Updated")]
    for s in found:
        table.append((
            str(s.id), cut(s.title, 32 if s.problem is None else 60), cut(s.agency, 24),
            cut(s.district, 24), s.as_of.isoformat(),
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
    """`export ID --out FILE`: the verified exchange file (commands/exports.py routes here)."""
    with Store.open(args.data_dir, read_only=True) as store:
        title = store.title_of(args.id)
        dest = exchange.export_assessment(store, args.id, Path(args.out))
        left_out = list(store.last_left_out)
    if not args.quiet:
        say(f"Exported assessment {args.id} ({cut(title, 60) or 'untitled'}) to "
            f"{visible(dest)}; checked after writing.")
    if left_out:
        say("Some values in it could not be read (the data file is damaged there) and were left "
            "out or set to a plain default: " + visible("; ".join(left_out)) + ".", sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Refuses a file whose assessment is in the list already, unless --copy (then the copy's
    title says "imported copy", as in the window)."""
    src = Path(args.file)
    try:
        assessment = read_import(src)  # read and checked before the data is locked
        with Store.open(args.data_dir) as store:
            existing, same = same_assessment(store, src)
            if existing is not None and not args.copy:
                raise UserError(
                    f"“{visible(existing.title)}” is already in the list as assessment "
                    f"{existing.id}" + (", with the same answers" if same else
                                        ", with different answers")
                    + ". Nothing was imported. To import it anyway as a separate copy, add "
                    "--copy.")
            taken = {s.title for s in store.list_assessments()}
            new_id = exchange.import_assessment(store, src)  # format 2: its evidence files too
            if existing is not None:
                store.rename(new_id, copy_title(existing.title, taken, "imported copy"))
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
    # Committed: from here on, a failure to print must not say that nothing changed.
    try:
        if args.quiet:
            say(str(new_id))
            return 0
        say(f"Imported {visible(src.name)} as assessment {new_id} "
            f"({cut(assessment.title, 60) or 'untitled'}).")
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
    refuse_to_overwrite([Path(args.out).expanduser()], args.force)
    with Store.open(args.data_dir, read_only=True) as store:
        dest = store.backups.save_to(Path(args.out))
        notes = list(store.backups.notes)
    if notes:  # never "all" while a file is missing or damaged (issue 27)
        raise UserError(
            f"Backed up all assessments to {visible(dest)}; checked after writing. But not "
            f"every evidence file is in it:\n" + "\n".join(f"  {n}" for n in notes))
    if not args.quiet:
        say(f"Backed up all assessments to {visible(dest)}; checked after writing.")
    return 0
