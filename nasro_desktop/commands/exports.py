"""`nasro-desktop export ID (--out FILE | --csv DIR | --xlsx FILE) [--force] [--quiet]`: one assessment
to the exchange file (commands/assessments.py), to CSV files or to one workbook; and
`export --sqlite FILE [ID ...]`, the analysis database (commands/analysis.py).

Nothing already there is replaced without --force. The data is opened read-only, so this also
works while the window has it open.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from nasro_desktop.commands.analysis import export_sqlite
from nasro_desktop.commands.assessments import cmd_export as export_file
from nasro_desktop.commands.assessments import open_saved
from nasro_desktop.commands.overwrite import refuse_to_overwrite
from nasro_desktop.commands.terminal import plain
from nasro_desktop.errors import UsageError
from nasro_desktop.session import form_for
from nasro_desktop.store.sharing import provenance_of
from nasro_desktop.store.spreadsheet import export_csv, planned_paths
from nasro_desktop.store.workbook import export_xlsx


def cmd_export(args: argparse.Namespace) -> int:
    if args.sqlite is not None:
        return export_sqlite(args)
    ids = list(args.id)
    if len(ids) != 1:
        raise UsageError("give one assessment number to export"
                         + (f" (not {len(ids)})" if ids else ""))
    args.id = ids[0]
    if args.csv is None and args.xlsx is None:
        refuse_to_overwrite([Path(args.out).expanduser()], args.force)
        return export_file(args)
    with open_saved(args) as store:
        assessment = store.load_assessment(args.id)
        evidence = store.evidence.records(args.id)
        who = provenance_of(store, args.id)  # "Answered by" when shared
    title = plain(assessment.title) or "untitled"
    if args.xlsx is not None:
        dest = Path(args.xlsx).expanduser()
        refuse_to_overwrite([dest], args.force)
        written = export_xlsx(assessment, form_for(assessment), dest, evidence, provenance=who)
        if not args.quiet:
            print(f"Saved assessment {args.id} ({title}) as the workbook {written}; "
                  "checked after writing.")
        return 0

    refuse_to_overwrite(planned_paths(assessment, args.csv), args.force)
    files = export_csv(assessment, form_for(assessment), Path(args.csv), evidence,
                       provenance=who)
    if args.quiet:
        return 0
    print(f"Saved assessment {args.id} ({title}) as "
          f"{len(files)} spreadsheet files in {files[0].parent}; checked after writing:")
    for path in files:
        print(f"  {path.name}")
    return 0
