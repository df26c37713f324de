"""Conversions between the domain classes and table rows (dates as ISO text, values as JSON)."""

from __future__ import annotations

import functools
import json
import sqlite3
from dataclasses import fields
from datetime import UTC, date, datetime
from typing import Any

from nasro_desktop.domain.model import ActionItem, ActionStatus, Answer, Officer, Owner, School

OFFICER_DATES = frozenset(
    {
        "sworn_date",
        "assignment_date",
        "basic_course_date",
        "advanced_course_date",
        "last_annual_training",
        "last_rapid_deployment",
        "probation_end",
    }
)


@functools.cache
def columns(table: str) -> tuple[str, ...]:
    """The stored columns of "officers", "schools" or "action_items": the fields of their
    domain class but the id."""
    kind = {"officers": Officer, "schools": School, "action_items": ActionItem}[table]
    return tuple(f.name for f in fields(kind) if f.name != "id")


class DamagedText(str):
    """Text whose stored bytes are not valid UTF-8 (a damaged file): shown with U+FFFD in place
    of the bad bytes, and known to be damaged so that it is named, not passed off as sound."""


def read_text(data: bytes) -> str:
    """The store's sqlite3 text_factory: a bad byte in one value must not stop a whole list."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return DamagedText(data.decode("utf-8", "replace"))


def check_row(row: Any) -> Any:
    """The row, or ValueError when a text in it is damaged."""
    if any(isinstance(value, DamagedText) for value in tuple(row)):
        raise ValueError("damaged text")
    return row


def now_utc() -> datetime:
    return datetime.now(UTC)


def parse_datetime(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def iso_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def parse_date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot store a {type(value).__name__} as an answer")


def dump_value(value: Any) -> str | None:
    """An answer value as JSON text; None stays NULL (not answered)."""
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, default=_json_default)


# --- officers, schools, action items ---------------------------------------------------


def officer_values(officer: Officer) -> list[Any]:
    out: list[Any] = []
    for name in columns("officers"):
        value = getattr(officer, name)
        if name in OFFICER_DATES:
            value = iso_date(value)
        elif name == "probation_review_with_school":
            value = None if value is None else int(bool(value))
        out.append(value)
    return out


def officer_from_row(row: Any) -> Officer:
    data = {name: row[name] for name in columns("officers")}
    for name in OFFICER_DATES:
        data[name] = parse_date(data[name])
    flag = data["probation_review_with_school"]
    data["probation_review_with_school"] = None if flag is None else bool(flag)
    data["note"] = data["note"] or ""
    return Officer(id=row["id"], **data)


def school_values(school: School) -> list[Any]:
    return [getattr(school, name) for name in columns("schools")]


def school_from_row(row: Any) -> School:
    data = {name: row[name] for name in columns("schools")}
    return School(id=row["id"], **data)


def action_values(item: ActionItem) -> list[Any]:
    out: list[Any] = []
    for name in columns("action_items"):
        value = getattr(item, name)
        if name == "target_date":
            value = iso_date(value)
        elif name in ("owner", "status"):
            value = str(value.value if hasattr(value, "value") else value)
        out.append(value)
    return out


def action_from_row(row: Any) -> ActionItem:
    data = {name: row[name] for name in columns("action_items")}
    data["target_date"] = parse_date(data["target_date"])
    data["owner"] = Owner(data["owner"])
    data["status"] = ActionStatus(data["status"])
    return ActionItem(id=row["id"], **data)


def answer_from_row(row: Any) -> Answer:
    return Answer(
        question_id=row["question_id"],
        value=None if row["value"] is None else json.loads(row["value"]),
        note=row["note"],
        na_reason=row["na_reason"],
        flagged=bool(row["flagged"]),
        reconfirm=bool(row["reconfirm"]),
        updated=parse_datetime(row["updated"]),
    )


# --- writing rows, inside the caller's transaction ---------------------------------------


def put_answer(conn: sqlite3.Connection, assessment_id: int, answer: Answer,
               when: datetime) -> None:
    conn.execute(
        "INSERT INTO answers (assessment_id, question_id, value, note, na_reason, flagged,"
        " reconfirm, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (assessment_id, question_id) DO UPDATE SET value = excluded.value,"
        " note = excluded.note, na_reason = excluded.na_reason, flagged = excluded.flagged,"
        " reconfirm = excluded.reconfirm, updated = excluded.updated",
        (
            assessment_id,
            answer.question_id,
            dump_value(answer.value),
            answer.note or "",
            answer.na_reason or "",
            int(bool(answer.flagged)),
            int(bool(answer.reconfirm)),
            when.isoformat(),
        ),
    )


def put_setting(conn: sqlite3.Connection, key: str, value: Any) -> None:
    """A setting (JSON), inside the caller's transaction."""
    conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE"
                 " SET value = excluded.value", (key, json.dumps(value, ensure_ascii=False)))


def insert_row(conn: sqlite3.Connection, table: str, assessment_id: int, position: int | None,
               values: list[Any], row_id: int | None = None) -> int:
    """A new officer, school or action item row (`values` in `columns(table)` order) at
    `position` (None: after the last), under `row_id` (None: a new id); its id."""
    if position is None:
        position = conn.execute(
            f"SELECT coalesce(max(position), -1) + 1 FROM {table} WHERE assessment_id = ?",
            (assessment_id,),
        ).fetchone()[0]
    names = ("id", "assessment_id", "position", *columns(table))
    cursor = conn.execute(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        (row_id, assessment_id, position, *values),
    )
    return int(cursor.lastrowid or 0)
