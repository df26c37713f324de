"""Roster import: officers or schools from a spreadsheet an agency already keeps (CSV, TSV,
JSON or an Excel workbook), checked row by row before anything is saved.

1. `read_table(path)`: the file's header and rows as text (dates from a workbook as dates).
   CSV, TSV and JSON go through sqlite-utils' `rows_from_file`, which detects the format and
   the delimiter; `.xlsx` through openpyxl (read-only, the first sheet, values not formulas).
   Refused plainly: a file too large (MAX_BYTES), too many rows (MAX_ROWS) or columns, or one
   that is not a table.
2. `guess_mapping(headers, kind)`: which column holds which field, from the header's words
   (the app's own export headers included); the user can change it.
3. `plan(table, mapping, kind, existing, as_of)`: each row read into an Officer or School with
   the app's own readers (dates: the strict, month-first `read_date`), every bad cell named
   ("row 7, Basic SRO course: 15/03/2024 is not a date: 15 is not a month...") and each row
   matched to one already in the list (by the app's ID column when given, else by name and
   sworn date for an officer, by name for a school) so a re-import updates instead of
   duplicating. Formula text, invisible direction marks, control characters and repeated rows
   are problems too. Nothing is written here: the window saves the plan through `Session`
   only when it has no problem and the user confirms.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from nasro_desktop.domain.date_input import read_date
from nasro_desktop.domain.entries import officer_problems, school_problems
from nasro_desktop.domain.links import SEPARATOR, name_key
from nasro_desktop.domain.model import Officer, School
from nasro_desktop.store.errors import StoreError
from nasro_desktop.store.spreadsheet import runs_as_formula

MAX_BYTES = 5_000_000
MAX_INFLATED = 50_000_000  # a workbook's parts, unzipped
MAX_ROWS = 1_000  # as an exported assessment may hold
MAX_COLUMNS = 60
MAX_TEXT = 2_000  # characters in one cell
SKIP = ""  # the mapping's "not imported"

# bidi embeddings, overrides, isolates and marks: they reorder what is shown
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True)
class Field:
    key: str  # the Officer / School attribute ("schools": the officer's school links)
    label: str
    kind: str  # text, date, int, float, bool, id
    words: tuple[str, ...] = ()  # header words that name it (casefolded, spaces squeezed)


OFFICER_FIELDS = (
    Field("id", "ID (from this app's export)", "id", ("id",)),
    Field("name", "Name", "text", ("name", "officer", "officer name", "full name", "sro",
                                   "sro name", "employee name")),
    Field("schools", "Schools", "text", ("schools", "school", "assigned school",
                                         "school assigned", "campus", "assignment")),
    Field("sworn_date", "Sworn date", "date", ("sworn date", "sworn", "date sworn",
                                               "sworn in", "hire date", "date of hire")),
    Field("years_experience", "Years of experience", "int", ("years of experience", "years",
                                                             "experience")),
    Field("assignment_date", "Assignment date", "date", ("assignment date", "assigned",
                                                         "date assigned", "sro since")),
    Field("basic_course_date", "Basic SRO course", "date", ("basic sro course", "basic course",
                                                           "basic", "basic sro")),
    Field("advanced_course_date", "Advanced SRO course", "date",
          ("advanced sro course", "advanced course", "advanced", "advanced sro")),
    Field("last_annual_training", "Last annual training", "date",
          ("last annual training", "annual training", "safety training",
           "school safety training")),
    Field("last_rapid_deployment", "Last rapid deployment training", "date",
          ("last rapid deployment training", "rapid deployment", "rapid deployment training",
           "active shooter training")),
    Field("probation_end", "Probation ends", "date", ("probation ends", "probation end",
                                                      "end of probation")),
    Field("probation_review_with_school", "Probation review with the school", "bool",
          ("probation review with the school", "probation review")),
    Field("note", "Note", "text", ("note", "notes", "comment", "comments")),
)  # fmt: skip
SCHOOL_FIELDS = (
    Field("id", "ID (from this app's export)", "id", ("id",)),
    Field("name", "Name", "text", ("name", "school", "school name", "campus")),
    Field("enrollment", "Enrollment", "int", ("enrollment", "students", "enrolment")),
    Field("buildings", "Buildings", "int", ("buildings", "number of buildings")),
    Field("acreage", "Acreage", "float", ("acreage", "acres", "campus acres")),
    Field("calls_for_service", "Calls for service", "int", ("calls for service", "calls")),
    Field("non_sworn_safety_staff", "Non-sworn safety staff", "int",
          ("non-sworn safety staff", "non sworn safety staff", "safety staff")),
    Field("note", "Note", "text", ("note", "notes", "comment", "comments")),
)  # fmt: skip
FIELDS = {"officers": OFFICER_FIELDS, "schools": SCHOOL_FIELDS}


@dataclass
class RawTable:
    name: str  # the file's name, for messages
    headers: list[str]
    rows: list[list[Any]]  # text, or a date / number from a workbook


@dataclass
class RowPlan:
    number: int  # the row's number as a spreadsheet shows it (the header is row 1)
    item: Officer | School | None  # what will be saved (None: the row has a problem)
    match: Officer | School | None = None  # the row in the list it updates
    problems: list[str] = field(default_factory=list)

    @property
    def action(self) -> str:
        if self.problems:
            return "Problem"
        return "Update" if self.match is not None else "New"


@dataclass
class Plan:
    kind: str
    rows: list[RowPlan]
    problems: list[str]  # every problem, "row 7, Basic SRO course: ..."

    @property
    def new(self) -> int:
        return sum(1 for r in self.rows if r.action == "New")

    @property
    def updates(self) -> int:
        return sum(1 for r in self.rows if r.action == "Update")

    @property
    def ready(self) -> bool:
        return not self.problems and any(r.item is not None for r in self.rows)


# --- reading the file ------------------------------------------------------------------------


def read_table(path: Path | str) -> RawTable:
    path = Path(path).expanduser()
    name = path.name
    try:
        if not path.is_file():
            raise StoreError(f"{name} is not a file that can be read. Choose the spreadsheet "
                             "file itself.")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise StoreError(f"{name} is too large for a roster ({size // 1_000_000} MB; up to "
                             f"{MAX_BYTES // 1_000_000} MB). Save only the roster's sheet or "
                             "columns and choose that file.")
        data = path.read_bytes()
    except OSError as error:
        raise StoreError(f"{name} could not be read ({error.strerror or error}). Check that "
                         "the drive is connected, then try again.") from error
    if data[:4] == b"PK\x03\x04" or path.suffix.lower() in (".xlsx", ".xlsm"):
        table = _read_workbook(data, name)
    else:
        table = _read_text(data, name)
    _check_size(table)
    return table


def _check_inflated(data: bytes, name: str) -> None:
    """A workbook is a zip: refuse one whose parts would inflate past MAX_INFLATED before
    openpyxl reads them (it holds the shared strings in memory)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise StoreError(f"{name} is not an Excel workbook this app can read (.xlsx). Save it "
                         "again from Excel, or as CSV, and choose that file.") from error
    if len(infos) > 2_000 or sum(i.file_size for i in infos) > MAX_INFLATED:
        raise StoreError(f"{name} is too large for a roster once opened. Save only the "
                         "roster's sheet or columns and choose that file.")


def _read_workbook(data: bytes, name: str) -> RawTable:
    from openpyxl import load_workbook

    _check_inflated(data, name)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise StoreError(f"{name} is not an Excel workbook this app can read (.xlsx). Save it "
                         "again from Excel, or as CSV, and choose that file.") from error
    try:
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
                break
    finally:
        book.close()
    rows = [r for r in rows if any(v not in (None, "") for v in r)]
    if not rows:
        raise StoreError(f"The first sheet of {name} is empty. Put the roster on the first "
                         "sheet, one row per person, with a header row.")
    headers = ["" if v is None else str(v) for v in rows[0]]
    return RawTable(name, headers, [list(r) for r in rows[1:]])


def _read_text(data: bytes, name: str) -> RawTable:
    from sqlite_utils.utils import Format, RowError, RowsFromFileError, rows_from_file

    if b"\x00" in data[:4096]:
        raise StoreError(f"{name} is not a spreadsheet this app can read. Save the roster as "
                         "CSV or as an Excel workbook (.xlsx) and choose that file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:  # Excel's "CSV" on Windows is often in the Windows code page
        text = data.decode("cp1252", errors="replace")
    try:
        found, fmt = rows_from_file(io.BytesIO(text.encode("utf-8")), encoding="utf-8",
                                    ignore_extras=False)
        records = []
        for record in found:
            records.append(record)
            if len(records) > MAX_ROWS:
                break
    except (RowError, RowsFromFileError, ValueError, TypeError, AttributeError,
            csv.Error) as error:
        raise StoreError(f"{name} is not a table this app can read (CSV, TSV, JSON or an Excel "
                         f"workbook): {str(error).splitlines()[0][:200]}. Save the roster "
                         "again as CSV and choose that file.") from error
    if fmt in (Format.JSON, Format.NL):
        if not all(isinstance(r, dict) for r in records):
            raise StoreError(f"{name} is JSON but not a list of rows (objects with the same "
                             "names). Save the roster as CSV instead.")
    headers: list[str] = []
    for record in records:
        for key in record:
            if key not in headers:
                headers.append(str(key))
    rows = [[record.get(h) for h in headers] for record in records]
    return RawTable(name, headers, rows)


def _check_size(table: RawTable) -> None:
    if len(table.rows) > MAX_ROWS:
        raise StoreError(f"{table.name} has more than {MAX_ROWS:,} rows; a roster has one row per "
                         "officer or school. Choose the roster's own sheet or file.")
    if len(table.headers) > MAX_COLUMNS:
        raise StoreError(f"{table.name} has {len(table.headers)} columns; a roster has a few. "
                         "Choose the roster's own sheet or file.")
    if not table.rows:
        raise StoreError(f"{table.name} has a header row but no rows under it.")


# --- which column is which field -----------------------------------------------------------


def _words(text: str) -> str:
    return " ".join(str(text).replace("_", " ").split()).casefold().rstrip(":")


def guess_mapping(headers: Sequence[str], kind: str) -> list[str]:
    """For each column, the field key it most likely holds ("" for none); a field is given to
    one column only (the first that names it)."""
    fields = FIELDS[kind]
    by_label = {_words(f.label): f.key for f in fields}
    taken: set[str] = set()
    out = []
    for header in headers:
        words = _words(header)
        key = by_label.get(words) or next((f.key for f in fields if words in f.words), SKIP)
        if kind == "schools" and words in ("sros assigned", "officers serving"):
            key = SKIP  # worked out from the officers, never imported
        if key and key in taken:
            key = SKIP
        taken.add(key)
        out.append(key)
    return out


# --- each row read and checked ---------------------------------------------------------------


def _text_problem(text: str) -> str:
    if any(ch in _BIDI for ch in text):
        return "holds invisible characters that change the direction of the text; type it again"
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in text):
        return "holds control characters; type it again"
    if runs_as_formula(text.strip()):
        return "looks like a spreadsheet formula; type the value itself"
    if len(text) > MAX_TEXT:
        return f"is longer than {MAX_TEXT:,} characters"
    return ""


def shown(value: Any) -> str:
    """A cell as a message shows it: one line, invisible and control characters as \\u codes."""
    text = " ".join(str(value).split())
    text = "".join(f"\\u{ord(c):04x}" if c in _BIDI or unicodedata.category(c) == "Cc" else c
                   for c in text)
    return text if len(text) <= 40 else text[:39] + "…"


def _cell(value: Any, f: Field, today: date) -> tuple[Any, str]:
    """(the field's value, a problem or "")."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    if f.kind == "date":
        if isinstance(value, datetime):
            return value.date(), ""
        if isinstance(value, date):
            return value, ""
        reading = read_date(str(value), today)
        if reading.value is None:
            return None, f"{shown(value)} is not a date: {reading.problem}"
        return reading.value, ""
    if f.kind in ("int", "id"):
        if isinstance(value, bool):
            return None, f"{shown(value)} is not a whole number"
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        try:
            number = int(str(value).replace(",", "").strip())
        except ValueError:
            return None, f"{shown(value)} is not a whole number"
        if number < 0 or number > 10_000_000:
            return None, f"{number} is out of range"
        return number, ""
    if f.kind == "float":
        try:
            decimal = float(str(value).replace(",", "").strip())
        except ValueError:
            return None, f"{shown(value)} is not a number"
        if not 0 <= decimal <= 100_000:
            return None, f"{shown(value)} is out of range"
        return decimal, ""
    if f.kind == "bool":
        words = {"yes": True, "y": True, "true": True, "1": True, "x": True,
                 "no": False, "n": False, "false": False, "0": False}
        answer = words.get(str(value).strip().casefold())
        if answer is None:
            return None, f"{shown(value)} is not yes or no"
        return answer, ""
    text = str(value)
    problem = _text_problem(text)
    if problem:
        return None, f"{shown(value)} {problem}"
    return " ".join(text.split()) if f.key != "note" else text.strip(), ""


def _school_links(text: str) -> str:
    parts = [" ".join(p.split()) for p in text.replace(";", "\n").split("\n")]
    return SEPARATOR.join(p for p in parts if p)


def _identity(item: Officer | School) -> tuple[str, Any]:
    if isinstance(item, Officer):
        return name_key(item.name), item.sworn_date
    return name_key(item.name), None


def plan(table: RawTable, mapping: Sequence[str], kind: str,
         existing: Sequence[Officer | School], as_of: date) -> Plan:
    """Every row read, checked and matched; nothing saved."""
    fields = {f.key: f for f in FIELDS[kind]}
    today = date.today()
    by_id = {item.id: item for item in existing if item.id is not None}
    by_identity = {_identity(item): item for item in existing}
    seen: dict[tuple[str, Any], int] = {}
    rows: list[RowPlan] = []
    problems: list[str] = []
    if "name" not in mapping and "id" not in mapping:
        problems.append("No column is chosen for the name: pick which column holds it.")
    for index, raw in enumerate(table.rows):
        number = index + 2  # the header is row 1, as the spreadsheet numbers it
        values: dict[str, Any] = {}
        row_problems: list[str] = []
        for column, key in enumerate(mapping):
            if not key or column >= len(raw):
                continue
            f = fields[key]
            value, problem = _cell(raw[column], f, today)
            if problem:
                row_problems.append(f"row {number}, {table.headers[column] or f.label}: "
                                    f"{problem}")
            elif value is not None:
                values[key] = value
        if not values and not row_problems:
            continue  # an empty row
        match = by_id.get(values["id"]) if "id" in values else None
        if "id" in values and match is None:
            row_problems.append(f"row {number}: no {kind[:-1]} in this assessment has ID "
                                f"{values['id']} (the ID column comes from this app's own "
                                "export; leave it empty for a new one)")
        base: Officer | School = Officer() if kind == "officers" else School()
        if match is not None:
            base = match
        changes = {k: v for k, v in values.items() if k not in ("id", "schools")}
        if kind == "officers" and "schools" in values:
            changes["school"] = _school_links(values["schools"])
        item = replace(base, **changes)
        if not item.name.strip() and not row_problems:
            row_problems.append(f"row {number}: the name is empty")
        if match is None and not row_problems:
            match = by_identity.get(_identity(item))
            if match is not None:
                item = replace(match, **changes)
        if not row_problems:
            checks = (officer_problems(item, as_of) if isinstance(item, Officer)
                      else school_problems(item))
            row_problems += [f"row {number}: {p.message}" for p in checks if p.blocking]
        identity = _identity(item)
        if not row_problems and identity in seen:
            what = "name and sworn date" if kind == "officers" else "name"
            row_problems.append(f"row {number} repeats row {seen[identity]} (the same {what})")
        seen.setdefault(identity, number)
        problems += row_problems
        rows.append(RowPlan(number, None if row_problems else item, match, row_problems))
    if not rows and not problems:
        problems.append(f"{table.name} has no rows with values in the chosen columns.")
    return Plan(kind, rows, problems)


__all__ = ["FIELDS", "MAX_ROWS", "OFFICER_FIELDS", "SCHOOL_FIELDS", "Field", "Plan",
           "RawTable", "RowPlan", "guess_mapping", "plan", "read_table", "shown"]
