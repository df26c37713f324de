"""Save as spreadsheet (CSV): one assessment as CSV files a district's IT or a board clerk
opens directly in Excel, LibreOffice or Numbers.

One file per table of `store/tables.py` (summary, standards, action plan, officers, schools,
answers, evidence register), every row and every column of each, named after the assessment
("assessment-3-riverbend-review-2026-09-15-action-plan.csv") so the name says which
assessment it holds and two exports never overwrite each other. UTF-8 with a byte-order mark,
so Excel shows names such as "Nguyễn" or "Łukasz" correctly; Windows line ends (csv's
default). Dates are ISO (2026-09-15: sorts as text), yes/no in words.

Every text cell a spreadsheet could run as a formula gets a leading apostrophe (the usual
guard against formula injection; the words themselves are unchanged): text starting with
= + - @, a tab or a carriage return, also after leading spaces (a no-break space too) or
invisible characters, and the fullwidth and small forms (＝ ＋ － ＠, ﹦ ﹢ ﹣ ﹫) and the minus
sign that some spreadsheets read as their ASCII twins.

Each file is written beside its final name, flushed to disk, renamed into place, then read back
with the csv module and compared with what was meant to be written before this says "done".
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from nasro_desktop.domain.evidence import Evidence
from nasro_desktop.domain.merge import Provenance
from nasro_desktop.domain.model import Assessment, Form
from nasro_desktop.domain.results import Readiness
from nasro_desktop.domain.scoring import evaluate
from nasro_desktop.store import files
from nasro_desktop.store.errors import StoreError
from nasro_desktop.store.tables import TABLE_KEYS, Table, assessment_tables, words

ENCODING = "utf-8-sig"  # UTF-8 with a BOM: Excel reads it as UTF-8 only with the BOM

_FORMULA_START = frozenset("=+-@\u2212")  # \u2212: the minus sign
_CONTROL_START = frozenset("\t\r\n")


def runs_as_formula(text: str) -> bool:
    """Would a spreadsheet read this text as a formula (or as the start of one)?"""
    if not text:
        return False
    if text[0] in _CONTROL_START:
        return True
    for char in text:
        if char.isspace() or unicodedata.category(char) in ("Cf", "Zs"):
            continue  # spaces, no-break spaces, zero-width and bidi marks: skipped by some
        return unicodedata.normalize("NFKC", char)[:1] in _FORMULA_START
    return False


def text_cell(text: str) -> str:
    """Free text, guarded so a spreadsheet shows it instead of running it as a formula."""
    return "'" + text if runs_as_formula(text) else text


def cell(value: Any, kind: str = "any") -> str:
    """One value as CSV text: dates ISO, yes/no and enums in words, empty for nothing, text
    guarded."""
    value = words(value)
    if value is None:
        return ""
    if kind == "flag":
        return "LATE" if value else ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    return text_cell(str(value))


def text_rows(table: Table) -> list[list[str]]:
    kinds = [c.kind for c in table.columns]
    return [[cell(v, k) for v, k in zip(row, kinds, strict=True)] for row in table.rows]


def file_stem(assessment: Assessment) -> str:
    """'assessment-3-riverbend-2026-27-review-2026-09-15': the number (unique), a few words of
    the title (or agency) and the assessment date, safe as a file name on every system."""
    words = re.sub(r"[^\w]+", "-", (assessment.title or assessment.agency).casefold(),
                   flags=re.UNICODE).strip("-_")
    words = words[:40].rstrip("-_")
    parts = [f"assessment-{assessment.id}", words, assessment.as_of.isoformat()]
    return "-".join(p for p in parts if p)


def file_name(assessment: Assessment, table_key: str) -> str:
    return f"{file_stem(assessment)}-{table_key.replace('_', '-')}.csv"


def _write_checked(dest: Path, header: list[str], rows: Iterable[list[str]]) -> None:
    table = [header, *rows]
    text = io.StringIO(newline="")
    csv.writer(text).writerows(table)
    files.publish(dest, text.getvalue().encode(ENCODING))
    with open(dest, encoding=ENCODING, newline="") as handle:
        if list(csv.reader(handle)) != table:
            raise StoreError(
                f"The spreadsheet file {dest} did not read back as written. Check the disk or "
                "choose another folder, then try again."
            )


def planned_paths(assessment: Assessment, folder: Path | str) -> list[Path]:
    """The files `export_csv` writes (to refuse overwriting them unless asked)."""
    folder = Path(folder).expanduser()
    return [folder / file_name(assessment, key) for key in TABLE_KEYS]


def export_csv(assessment: Assessment, form: Form, folder: Path | str,
               evidence: Sequence[Evidence] = (), readiness: Readiness | None = None,
               provenance: Provenance | None = None
               ) -> list[Path]:
    """Write one CSV file per table into `folder` (made if its parent exists); their paths.
    `readiness` defaults to the assessment judged as of its assessment date."""
    folder = Path(folder).expanduser()
    if assessment.id is None:
        raise StoreError("Save the assessment before saving it as a spreadsheet.")
    if readiness is None:
        readiness = evaluate(form, assessment, evidence=evidence)
    tables = assessment_tables(assessment, form, readiness, evidence, provenance)
    try:
        if folder.exists() and not folder.is_dir():
            raise StoreError(f"{folder} is a file, not a folder. Choose a folder.")
        files.check_dest(folder, None)
        folder.mkdir(mode=0o700, exist_ok=True)
        written = []
        for table in tables:
            dest = folder / file_name(assessment, table.key)
            _write_checked(dest, table.headers, text_rows(table))
            written.append(dest)
        files.fsync_folder(folder)
        return written
    except OSError as error:
        raise StoreError(
            f"Could not write the spreadsheet files in {folder}: check there is room and that "
            "you may write to that folder, then try again. Your data is unchanged."
        ) from error


__all__ = ["cell", "export_csv", "file_name", "file_stem", "planned_paths",
           "runs_as_formula", "text_cell", "text_rows"]
