"""Save as spreadsheet (workbook): one assessment as one `.xlsx` file, a sheet per table of
`store/tables.py`: Summary, Standards, Action plan, Officers, Schools, Answers, Evidence
register.

Written with XlsxWriter, not openpyxl: it only writes (what this needs), in one pass, and it
writes text only through `write_string`, so a note such as "=HYPERLINK(...)" or "-2 weeks" is
stored as a text cell that no spreadsheet runs (openpyxl turns any string starting with "=" into
a formula). The workbook options say the same: no string becomes a formula, a number or a link.
The workbook is built in memory (a few hundred KB), read back with openpyxl (needed anyway to
read a roster workbook) and compared cell by cell with what was meant, then written with
`files.publish` (atomic, checked after writing, nothing left beside it if the app is killed).

Dates are real dates (shown 2026-09-15; sorting and filtering work), counts and sizes real
numbers, yes/no in words, LATE in the action plan's Late column. Each sheet has its header row
frozen, a filter on every column, and columns as wide as their text (up to a limit, then the
text wraps). Times are UTC, as the column titles say.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from nasro_desktop import DISPLAY_NAME
from nasro_desktop.domain.evidence import Evidence
from nasro_desktop.domain.merge import Provenance
from nasro_desktop.domain.model import Assessment, Form
from nasro_desktop.domain.results import Readiness
from nasro_desktop.domain.scoring import evaluate
from nasro_desktop.store import files
from nasro_desktop.store.errors import StoreError
from nasro_desktop.store.tables import Table, assessment_tables, words

WIDEST = 60  # characters: a wider column wraps its text instead
LINE_HEIGHT = 15  # points: one line of the default 11-point font
DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "yyyy-mm-dd hh:mm"
OPTIONS = {
    "strings_to_formulas": False,  # (write_string never makes one; said twice on purpose)
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "remove_timezone": True,  # Excel has no time zones: times are written as UTC
}


def sheet_value(value: Any, kind: str) -> Any:
    """A value as the workbook holds it: text for yes/no and LATE, naive UTC times, a blank
    cell for nothing (no empty text), an enum in words."""
    value = words(value)
    if value is None or value == "":
        return None
    if kind == "flag":
        return "LATE" if value else None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    return value


def _shown_length(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return len(TIME_FORMAT)
    if isinstance(value, date):
        return len(DATE_FORMAT)
    if isinstance(value, float):
        return len(f"{value:g}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def column_widths(table: Table) -> list[int]:
    """Each column as wide as its longest line (header included), within 8..WIDEST."""
    widths = [len(c.title) + 3 for c in table.columns]  # room for the filter's arrow
    for row in table.rows:
        for i, (value, column) in enumerate(zip(row, table.columns, strict=True)):
            widths[i] = max(widths[i], _shown_length(sheet_value(value, column.kind)) + 1)
    return [min(max(w, 8), WIDEST) for w in widths]


def row_lines(row: tuple[Any, ...], widths: list[int]) -> int:
    """How many lines the row's tallest cell takes: its own lines, each wrapped at the width
    of a wide (wrapping) column."""
    most = 1
    for value, width in zip(row, widths, strict=True):
        if isinstance(value, str) and value:
            lines = value.splitlines() or [""]
            if width >= WIDEST:
                most = max(most, sum(max(1, math.ceil(len(line) / (width - 2)))
                                     for line in lines))
            else:
                most = max(most, len(lines))
    return most


def _write_sheets(workbook: Any, tables: list[Table]) -> None:
    header = workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True,
                                  "valign": "top", "bg_color": "#DDE4EE"})
    plain = workbook.add_format({"valign": "top"})
    wrapped = workbook.add_format({"valign": "top", "text_wrap": True})
    day = workbook.add_format({"valign": "top", "num_format": DATE_FORMAT})
    when = workbook.add_format({"valign": "top", "num_format": TIME_FORMAT})
    late = workbook.add_format({"valign": "top", "bold": True})
    for table in tables:
        sheet = workbook.add_worksheet(table.title)
        widths = column_widths(table)
        for i, width in enumerate(widths):
            sheet.set_column(i, i, width, wrapped if width >= WIDEST else plain)
        for i, column in enumerate(table.columns):
            sheet.write_string(0, i, column.title, header)
        for r, row in enumerate(table.rows, start=1):
            lines = row_lines(row, widths)
            if lines > 1:  # LibreOffice does not grow a row for wrapped text on its own
                sheet.set_row(r, min(LINE_HEIGHT * lines, 409))
            for i, (raw, column) in enumerate(zip(row, table.columns, strict=True)):
                value = sheet_value(raw, column.kind)
                text_format = wrapped if widths[i] >= WIDEST else plain
                if value is None:
                    continue
                if isinstance(value, datetime):
                    sheet.write_datetime(r, i, value, when)
                elif isinstance(value, date):
                    sheet.write_datetime(r, i, value, day)
                elif isinstance(value, int | float):
                    sheet.write_number(r, i, value, text_format)
                else:
                    sheet.write_string(r, i, str(value),
                                       late if column.kind == "flag" else text_format)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(table.rows), 1), len(table.columns) - 1)
        sheet.set_row(0, None, header)


_OOXML_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")


def ooxml_text(value: Any) -> Any:
    """Text as Excel shows it: the file keeps control characters as _xHHHH_ (and a literal
    "_x0041_" as _x005F_x0041_), which openpyxl leaves undecoded."""
    if isinstance(value, str) and "_x" in value:
        return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
    return value


def read_back(path: Path | BinaryIO) -> dict[str, list[list[Any]]]:
    """Every sheet's rows as Excel shows them (values only, dates as datetimes)."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=False)
    try:
        return {ws.title: [[ooxml_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
                for ws in book.worksheets}
    finally:
        book.close()


def _as_read(value: Any) -> Any:
    """What openpyxl gives back for a written value (a date comes back as midnight)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


def _same(written: Any, read: Any) -> bool:
    want = _as_read(written)
    if isinstance(want, datetime) and isinstance(read, datetime):
        return abs((want - read).total_seconds()) < 0.002
    if isinstance(want, float) and isinstance(read, int | float):
        return abs(want - read) < 1e-9
    return bool(want == read)


def _check(source: BinaryIO, tables: list[Table]) -> None:
    sheets = read_back(source)
    for table in tables:
        rows = sheets.get(table.title)
        want = [table.headers] + [
            [sheet_value(v, c.kind) for v, c in zip(row, table.columns, strict=True)]
            for row in table.rows
        ]
        if rows is None or len(rows) != len(want) or not all(
            len(got) == len(row) and all(_same(w, g) for w, g in zip(row, got, strict=True))
            for row, got in zip(want, rows, strict=True)
        ):
            raise StoreError(
                f"The workbook did not read back as written (sheet {table.title}). "
                "Please report the problem; your data is unchanged."
            )


def workbook_bytes(assessment: Assessment, tables: list[Table]) -> bytes:
    """The whole .xlsx file, built in memory (a few hundred KB for 60 officers)."""
    import xlsxwriter

    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {**OPTIONS, "in_memory": True})
    workbook.set_properties({
        "title": assessment.title, "subject": "SRO program readiness (NASRO 2018)",
        "company": assessment.agency, "comments": f"Saved by {DISPLAY_NAME}",
    })  # fmt: skip
    _write_sheets(workbook, tables)
    workbook.close()
    return out.getvalue()


def export_xlsx(assessment: Assessment, form: Form, dest: Path | str,
                evidence: Sequence[Evidence] = (), readiness: Readiness | None = None,
                provenance: Provenance | None = None) -> Path:
    """Write the workbook to `dest` (replacing it), read it back, and return its path.
    `readiness` defaults to the assessment judged as of its assessment date."""
    dest = Path(dest).expanduser()
    if assessment.id is None:
        raise StoreError("Save the assessment before saving it as a spreadsheet.")
    files.check_dest(dest, "Give a file name ending in .xlsx.")
    if readiness is None:
        readiness = evaluate(form, assessment, evidence=evidence)
    tables = assessment_tables(assessment, form, readiness, evidence, provenance)
    data = workbook_bytes(assessment, tables)
    _check(io.BytesIO(data), tables)
    try:
        files.publish(dest, data)  # nothing of ours stays beside it if the app is killed
    except OSError as error:
        raise StoreError(
            f"Could not save the workbook as {dest}: check there is room and that you may "
            "write there (close the file if Excel has it open), then try again. Your data is "
            "unchanged."
        ) from error
    return dest


__all__ = ["column_widths", "export_xlsx", "ooxml_text", "read_back", "sheet_value",
           "workbook_bytes"]
