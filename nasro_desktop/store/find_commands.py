"""`nasro-desktop search | compare | export --csv`: Find, Since last year and Save as
spreadsheet from the command line. Each returns an exit code; a problem is a UserError.

All three open the data read-only, so they also work while the window has it open.
"""

from __future__ import annotations

import argparse
import unicodedata
from pathlib import Path

from nasro_desktop.domain.model import Assessment
from nasro_desktop.domain.results import Readiness
from nasro_desktop.errors import UserError
from nasro_desktop.store.db import DB_NAME, Store
from nasro_desktop.store.errors import StoreError


def plain(text: str) -> str:
    """User text made safe for a terminal: control characters, escape sequences and bidi
    overrides become spaces or visible escapes; runs of spaces become one."""
    out = []
    for ch in str(text):
        category = unicodedata.category(ch)
        if ch in "\n\t\r":
            out.append(" ")
        elif category in ("Cc", "Cf") or category.startswith("Z") and ch != " ":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return " ".join("".join(out).split())


def _open(args: argparse.Namespace) -> Store:
    from nasro_desktop.paths import data_dir

    folder = data_dir(args.data_dir)
    if not (folder / DB_NAME).exists():
        raise UserError(f"There are no saved assessments yet (data folder: {folder}).")
    return Store.open(args.data_dir, read_only=True)


def cmd_search(args: argparse.Namespace) -> int:
    from nasro_desktop.store.search import words_of

    query = " ".join(args.words)
    if not words_of(query):
        raise UserError("Give one or more words to look for, e.g. `nasro-desktop search MOU`.")
    try:
        with _open(args) as store:
            hits = store.search(query, limit=args.limit)
    except StoreError as error:
        raise UserError(str(error)) from None
    if not hits:
        print(f"Nothing found for {plain(query)!r} in notes, reasons or action items.")
        return 0
    print(f"{len(hits)} found for {plain(query)!r}" + (" (the first shown)" if
                                                      len(hits) >= args.limit else "") + ":")
    for hit in hits:
        where = hit.question_id or hit.standard_id or plain(hit.subject)
        print(f"  [{hit.assessment_id}] {plain(hit.assessment_title)} ({hit.as_of.isoformat()})"
              f" - {hit.kind_label}" + (f", {where}" if where else ""))
        print(f"      {plain(hit.snippet)}")
    return 0


def _evaluate(store: Store, assessment_id: int) -> tuple[Assessment, Readiness]:
    from nasro_desktop.domain.scoring import evaluate
    from nasro_desktop.session import form_for

    assessment = store.load_assessment(assessment_id)
    try:
        form = form_for(assessment)
    except Exception as error:  # the question set this assessment was made with is missing
        raise UserError(
            f"Assessment {assessment_id} uses a question set this version of the app does not "
            "have; update the app, then try again."
        ) from error
    return assessment, evaluate(form, assessment)


def cmd_compare(args: argparse.Namespace) -> int:
    from nasro_desktop.domain.compare import CannotCompare, compare, format_comparison

    try:
        with _open(args) as store:
            second_id = args.id2
            if second_id is None:
                second_id = store.predecessor_of(args.id1)
                if second_id is None:
                    raise UserError(
                        f"Assessment {args.id1} was not started from an earlier one; give the "
                        "two numbers to compare (see `nasro-desktop list`)."
                    )
            first, first_r = _evaluate(store, args.id1)
            second, second_r = _evaluate(store, second_id)
    except StoreError as error:
        raise UserError(str(error)) from None
    try:
        result = compare(first, first_r, second, second_r)
    except CannotCompare as error:
        raise UserError(str(error)) from None
    print(plain_lines(format_comparison(result)), end="")
    return 0


def plain_lines(text: str) -> str:
    return "".join(
        (line[: len(line) - len(line.lstrip(" "))] + plain(line)) + "\n"
        for line in text.splitlines()
    )


def cmd_export(args: argparse.Namespace) -> int:
    """`export ID --out FILE` (the verified exchange file) or `export ID --csv DIR`."""
    if args.csv is None:
        from nasro_desktop.store.commands import cmd_export as export_file

        return export_file(args)
    from nasro_desktop.session import form_for
    from nasro_desktop.store.spreadsheet import export_csv

    try:
        with _open(args) as store:
            assessment = store.load_assessment(args.id)
            written = export_csv(assessment, form_for(assessment), Path(args.csv),
                                 store.list_evidence(args.id))
    except StoreError as error:
        raise UserError(str(error)) from None
    print(f"Saved assessment {args.id} ({plain(assessment.title) or 'untitled'}) as "
          f"{len(written)} spreadsheet files in {written[0].parent}; checked after writing:")
    for path in written:
        print(f"  {path.name}")
    return 0
