"""`nasro-desktop list | export | import | backup`: the store from the command line.

Each returns an exit code; a problem is raised as UserError (one plain line, exit 1).
"""

from __future__ import annotations

import sys
from pathlib import Path

from nasro_desktop.cli import UserError
from nasro_desktop.store.db import DB_NAME, Store
from nasro_desktop.store.errors import StoreError


def _open(args, *, read_only: bool) -> Store:
    return Store.open(args.data_dir, read_only=read_only)


def _cut(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def cmd_list(args) -> int:
    from nasro_desktop.paths import data_dir

    folder = data_dir(args.data_dir)
    if not (folder / DB_NAME).exists():
        print(f"No saved assessments yet (data folder: {folder}).")
        return 0
    try:
        with _open(args, read_only=True) as store:
            found = store.list_assessments()
    except StoreError as error:
        raise UserError(str(error)) from None
    if not found:
        print(f"No saved assessments yet (data folder: {folder}).")
        return 0
    table = [("ID", "Title", "Agency", "District", "As of", "Updated")]
    for s in found:
        table.append((
            str(s.id), _cut(s.title, 32), _cut(s.agency, 24), _cut(s.district, 24),
            s.as_of.isoformat(), s.updated.astimezone().strftime("%Y-%m-%d %H:%M"),
        ))
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for number, row in enumerate(table):
        cells = [row[0].rjust(widths[0])] + [c.ljust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        print("  ".join(cells).rstrip())
        if number == 0:
            print("  ".join("-" * w for w in widths))
    return 0


def cmd_export(args) -> int:
    try:
        with _open(args, read_only=True) as store:
            title = store.load_assessment(args.id).title
            dest = store.export_assessment(args.id, Path(args.out))
    except StoreError as error:
        raise UserError(str(error)) from None
    print(f"Exported assessment {args.id} ({title or 'untitled'}) to {dest}; checked after writing.")
    return 0


def cmd_import(args) -> int:
    try:
        with _open(args, read_only=False) as store:
            new_id = store.import_assessment(Path(args.file))
            title = store.load_assessment(new_id).title
    except StoreError as error:
        raise UserError(str(error)) from None
    print(f"Imported {Path(args.file).name} as assessment {new_id} ({title or 'untitled'}).")
    return 0


def cmd_backup(args) -> int:
    try:
        with _open(args, read_only=True) as store:
            dest = store.backup_to(Path(args.out))
    except StoreError as error:
        raise UserError(str(error)) from None
    print(f"Backed up all assessments to {dest}; checked after writing.", file=sys.stdout)
    return 0
