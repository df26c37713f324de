"""Reading assessments back from a connection: the list (each row summarised, a damaged one
listed anyway) and one assessment in full, strictly (load_strict) or with what can be read
(load with a list of problems). The Store (db.py) calls these with its reader connection."""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from nasro_desktop.domain.model import Answer, Assessment, RapidDeploymentReading
from nasro_desktop.store import rows
from nasro_desktop.store.errors import AssessmentNotFound, DamagedAssessment

T = TypeVar("T")

@dataclasses.dataclass(frozen=True)
class AssessmentSummary:
    id: int
    title: str
    agency: str
    district: str
    as_of: date
    form_id: str
    form_version: int
    created: datetime
    updated: datetime
    percent_answered: int | None
    verdict: str | None
    deleted_at: datetime | None
    problem: str | None = None  # set when a value in the row can't be read (listed anyway)


_SUMMARY_SQL = (
    "SELECT id, title, agency, district, as_of, form_id, form_version, created, updated,"
    " percent_answered, verdict, deleted_at FROM assessments"
)


DAMAGED_MARK = " (damaged: can't be opened)"


def _summary(row: sqlite3.Row) -> AssessmentSummary:
    try:
        rows.check_row(row)
        return AssessmentSummary(
            id=row["id"],
            title=row["title"],
            agency=row["agency"],
            district=row["district"],
            as_of=date.fromisoformat(row["as_of"]),
            form_id=row["form_id"],
            form_version=row["form_version"],
            created=datetime.fromisoformat(row["created"]),
            updated=datetime.fromisoformat(row["updated"]),
            percent_answered=row["percent_answered"],
            verdict=row["verdict"],
            deleted_at=rows.parse_datetime(row["deleted_at"]),
        )
    except (ValueError, TypeError):
        pass
    # One unreadable value must not hide every assessment: list it, named, marked damaged.
    def text(name: str) -> str:
        value = row[name]
        return value if isinstance(value, str) else ("" if value is None else str(value))

    def when(name: str) -> datetime | None:
        try:
            return rows.parse_datetime(row[name])
        except (ValueError, TypeError):
            return None

    try:
        as_of = date.fromisoformat(row["as_of"])
    except (ValueError, TypeError):
        as_of = date.today()
    updated = when("updated") or when("created") or rows.now_utc()
    percent = row["percent_answered"]
    return AssessmentSummary(
        id=row["id"],
        title=(text("title") or f"Assessment {row['id']}") + DAMAGED_MARK,
        agency=text("agency"),
        district=text("district"),
        as_of=as_of,
        form_id=text("form_id"),
        form_version=row["form_version"] if type(row["form_version"]) is int else 0,
        created=when("created") or updated,
        updated=updated,
        percent_answered=percent if type(percent) is int else None,
        verdict=None,
        deleted_at=when("deleted_at") if row["deleted_at"] is not None else None,
        problem="a value in it can't be read",
    )


class _Unreadable(Exception):
    """Internal: one stored value of an assessment can't be read; its message names it."""


def _read(what: str, problems: list[str] | None, convert: Callable[[], T], default: T) -> T:
    """convert(); when the stored value is unreadable: raise _Unreadable, or (when collecting
    `problems`) note it and use `default`."""
    try:
        return convert()
    except (ValueError, TypeError, KeyError, IndexError):
        if problems is None:
            raise _Unreadable(what) from None
        problems.append(what)
        return default


def list_summaries(conn: sqlite3.Connection, *, deleted: bool = False) -> list[AssessmentSummary]:
    """The assessments for the list (newest change first), or those deleted (newest first)."""
    if deleted:
        found = conn.execute(
            _SUMMARY_SQL + " WHERE deleted_at IS NOT NULL ORDER BY deleted_at DESC, id DESC")
    else:
        found = conn.execute(
            _SUMMARY_SQL + " WHERE deleted_at IS NULL ORDER BY updated DESC, id DESC")
    return [_summary(row) for row in found]


def load_strict(conn: sqlite3.Connection, assessment_id: int) -> Assessment:
    """One assessment; DamagedAssessment when a value in it can't be read."""
    try:
        return load(conn, assessment_id, None)
    except _Unreadable as bad:
        raise DamagedAssessment(assessment_id, title_of(conn, assessment_id), str(bad)) from None


def title_of(conn: sqlite3.Connection, assessment_id: int) -> str:
    """The stored title, or "" when it can't be read."""
    try:
        row = conn.execute(
            "SELECT title FROM assessments WHERE id = ?", (assessment_id,)).fetchone()
    except sqlite3.Error:
        return ""
    return row[0] if row is not None and isinstance(row[0], str) else ""


def load(conn: sqlite3.Connection, assessment_id: int, problems: list[str] | None) -> Assessment:
    """One assessment; with `problems`, what can be read (each unreadable value noted there
    and left out or set to a plain default), else _Unreadable at the first one."""
    row = conn.execute("SELECT * FROM assessments WHERE id = ?", (assessment_id,)).fetchone()
    if row is None:
        raise AssessmentNotFound(assessment_id)

    def checked(r: Any, what: str) -> Any:
        """A row with damaged text: unreadable, or (collecting) kept with U+FFFD."""
        if any(isinstance(value, rows.DamagedText) for value in tuple(r)):
            if problems is None:
                raise _Unreadable(what)
            problems.append(f"{what} (damaged letters shown as \ufffd)")
        return r

    def converted(convert: Callable[[Any], T], r: Any, what: str) -> T:
        return convert(checked(r, what))

    def many(table: str, what: str, convert: Callable[[Any], T]) -> list[T]:
        out: list[T] = []
        found = conn.execute(f"SELECT * FROM {table} WHERE assessment_id = ?"
                             " ORDER BY position, id", (assessment_id,))
        for number, r in enumerate(found, start=1):
            label = f"{what} {number}"
            item: T | None = _read(
                label, problems, functools.partial(converted, convert, r, label), None)
            if item is not None:
                out.append(item)
        return out

    answers: dict[str, Answer] = {}
    for r in conn.execute("SELECT * FROM answers WHERE assessment_id = ? ORDER BY question_id",
                          (assessment_id,)):
        what = f"the answer to question {r['question_id']}"
        answer: Answer | None = _read(
            what, problems,
            functools.partial(converted, rows.answer_from_row, r, what), None)
        if answer is not None:
            answers[answer.question_id] = answer
    officers = many("officers", "officer", rows.officer_from_row)
    schools = many("schools", "school", rows.school_from_row)
    items = many("action_items", "action item", rows.action_from_row)
    now = rows.now_utc()

    def text(name: str) -> str:
        value = row[name]
        return _read(f"the {name.replace('_', ' ')}", problems, lambda: _need_text(value),
                     str(value) if isinstance(value, str) else "")

    return Assessment(
        id=row["id"],
        title=text("title"),
        agency=text("agency"),
        district=text("district"),
        prepared_by=text("prepared_by"),
        as_of=_read("the as-of date", problems, lambda: date.fromisoformat(row["as_of"]),
                    now.date()),
        form_id=row["form_id"],
        form_version=row["form_version"],
        rapid_deployment_reading=_read(
            "the rapid deployment reading", problems,
            lambda: RapidDeploymentReading(row["rapid_deployment_reading"]),
            RapidDeploymentReading("twice_a_year")),
        answers=answers,
        officers=officers,
        schools=schools,
        action_items=items,
        last_page=row["last_page"] if isinstance(row["last_page"], str) else "",
        created=_read("the time it was created", problems,
                      lambda: datetime.fromisoformat(row["created"]), now),
        updated=_read("the time it was last changed", problems,
                      lambda: datetime.fromisoformat(row["updated"]), now),
    )


def _need_text(value: Any) -> str:
    if not isinstance(value, str) or isinstance(value, rows.DamagedText):
        raise TypeError("not text")
    return value
