"""`export --sqlite FILE [ID ...]` (saved assessments, all when no number is given) and
`rollup FILE EXPORT...` (exported files, or folders of them): the analysis database of
store/analysis.py, for a district with several agencies or an association collecting many
programs. Every file is read and checked as an import is (nothing is imported)."""

from __future__ import annotations

import argparse
from pathlib import Path

from nasro_desktop.commands.assessments import open_saved
from nasro_desktop.commands.overwrite import refuse_to_overwrite
from nasro_desktop.commands.terminal import visible
from nasro_desktop.errors import UserError
from nasro_desktop.paths import data_dir
from nasro_desktop.store import exchange
from nasro_desktop.store.analysis import Built, Source, build
from nasro_desktop.store.errors import StoreError
from nasro_desktop.store.exchange import read_import

EXPORT_SUFFIXES = (".json", ".zip", ".nasro")


def _report(args: argparse.Namespace, built: Built) -> int:
    if not args.quiet:
        what = "assessment" if built.assessments == 1 else "assessments"
        counts = ", ".join(f"{n} {table.replace('_', ' ')}" for table, n in built.rows.items()
                           if table not in ("assessments", "findings", "standards_status"))
        print(f"Wrote the analysis database {visible(built.path)}: {built.assessments} "
              f"{what} ({counts}); views mandatory_gaps and overdue_training.")
    return 0


def export_sqlite(args: argparse.Namespace) -> int:
    dest = Path(args.sqlite).expanduser()
    refuse_to_overwrite([dest], args.force)
    with open_saved(args) as store:
        ids = list(args.id) or [s.id for s in reversed(store.list_assessments())]
        folder = data_dir(args.data_dir)
        sources = [Source(f"data folder {folder}", store.load_assessment(i),
                          store.evidence.records(i)) for i in ids]
    return _report(args, build(dest, sources))


def export_files(paths: list[str]) -> list[Path]:
    """The files named, and the export files in the folders named (sorted by name)."""
    found: list[Path] = []
    for name in paths:
        path = Path(name).expanduser()
        if path.is_dir():
            found += sorted(p for p in path.iterdir()
                            if p.suffix.lower() in EXPORT_SUFFIXES and p.is_file())
        else:
            found.append(path)
    return found


def read_export(path: Path) -> Source:
    """One export file, checked as an import checks it, with its evidence records."""
    if exchange.is_package(path):
        package = exchange.read_package(path)
        return Source(path.name, package.assessment, package.records)
    return Source(path.name, read_import(path))


def cmd_rollup(args: argparse.Namespace) -> int:
    dest = Path(args.file).expanduser()
    refuse_to_overwrite([dest], args.force)
    paths = export_files(args.exports)
    if not paths:
        raise UserError("No exported assessments (.json or .zip) were found there. Name the "
                        "files, or a folder that holds them.")
    sources = []
    for path in paths:
        if path.resolve() == dest.resolve():
            continue
        try:
            sources.append(read_export(path))
        except StoreError as error:
            raise UserError(f"{error} (nothing was written)") from None
    return _report(args, build(dest, sources))
