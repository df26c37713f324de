"""Saving one assessment's parts: its details, answers, officers, schools and action items, the
cached summary for the list, and deleting (recoverably) and purging. A mixin of Store (db.py):
every write is one transaction through its `_write`."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from nasro_desktop.store import rows
from nasro_desktop.store.errors import (
    AssessmentNotFound,
    StoreError,
)

if TYPE_CHECKING:  # the model is imported when something is saved, not at start-up
    from nasro_desktop.domain.model import (
        ActionItem,
        Answer,
        Officer,
        RapidDeploymentReading,
        School,
    )

KEEP_DELETED_DAYS = 30  # a deleted assessment can be restored for this long


T = TypeVar("T")
_UNSET: Any = object()


class WritingMethods:
    """Mixed into Store (db.py): each method one transaction on the writer connection."""

    # provided by Store
    _touch: Callable[[sqlite3.Connection, int, datetime], None]
    if TYPE_CHECKING:
        def _write(self, work: Callable[[sqlite3.Connection], T]) -> T: ...

    def save_details(
        self,
        assessment_id: int,
        *,
        title: str = _UNSET,
        agency: str = _UNSET,
        district: str = _UNSET,
        prepared_by: str = _UNSET,
        as_of: date = _UNSET,
        rapid_deployment_reading: RapidDeploymentReading | str = _UNSET,
        last_page: str = _UNSET,
    ) -> None:
        """Save only the fields given. Moving between pages (last_page alone) does not count as
        an edit, so it leaves the "updated" time and the list order alone."""
        given: dict[str, Any] = {}
        for name, value in (("title", title), ("agency", agency), ("district", district),
                            ("prepared_by", prepared_by), ("last_page", last_page)):
            if value is not _UNSET:
                given[name] = str(value)
        if as_of is not _UNSET:
            given["as_of"] = as_of.isoformat()
        if rapid_deployment_reading is not _UNSET:
            from nasro_desktop.domain.model import RapidDeploymentReading

            given["rapid_deployment_reading"] = RapidDeploymentReading(
                rapid_deployment_reading).value
        if not given:
            return

        def work(conn: sqlite3.Connection) -> None:
            sets = ", ".join(f"{name} = ?" for name in given)
            cursor = conn.execute(
                f"UPDATE assessments SET {sets} WHERE id = ?", (*given.values(), assessment_id)
            )
            if cursor.rowcount == 0:
                raise AssessmentNotFound(assessment_id)
            if set(given) != {"last_page"}:
                self._touch(conn, assessment_id, rows.now_utc())

        self._write(work)

    @staticmethod
    def _put_answer(conn: sqlite3.Connection, assessment_id: int, answer: Answer,
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
                rows.dump_value(answer.value),
                answer.note or "",
                answer.na_reason or "",
                int(bool(answer.flagged)),
                int(bool(answer.reconfirm)),
                when.isoformat(),
            ),
        )

    def save_answer(self, assessment_id: int, answer: Answer) -> datetime:
        """Commit one answer; when this returns, it is on disk. Returns the time saved (UTC)."""
        def work(conn: sqlite3.Connection) -> datetime:
            now = rows.now_utc()
            self._touch(conn, assessment_id, now)
            self._put_answer(conn, assessment_id, answer, now)
            return now

        return self._write(work)

    @staticmethod
    def _insert_row(conn: sqlite3.Connection, table: str, columns: tuple[str, ...],
                    assessment_id: int, position: int | None, values: list[Any]) -> int:
        if position is None:
            position = conn.execute(
                f"SELECT coalesce(max(position), -1) + 1 FROM {table} WHERE assessment_id = ?",
                (assessment_id,),
            ).fetchone()[0]
        names = ", ".join(("assessment_id", "position", *columns))
        marks = ", ".join("?" * (len(columns) + 2))
        cursor = conn.execute(
            f"INSERT INTO {table} ({names}) VALUES ({marks})", (assessment_id, position, *values)
        )
        return int(cursor.lastrowid or 0)

    def _save_row(self, table: str, columns: tuple[str, ...], assessment_id: int,
                  row_id: int | None, values: list[Any], what: str) -> int:
        def work(conn: sqlite3.Connection) -> int:
            self._touch(conn, assessment_id, rows.now_utc())
            if row_id is None:
                return self._insert_row(conn, table, columns, assessment_id, None, values)
            sets = ", ".join(f"{name} = ?" for name in columns)
            cursor = conn.execute(
                f"UPDATE {table} SET {sets} WHERE id = ? AND assessment_id = ?",
                (*values, row_id, assessment_id),
            )
            if cursor.rowcount == 0:
                raise StoreError(
                    f"That {what} is no longer in this assessment (it may have been removed). "
                    "Add it again to keep it."
                )
            return row_id

        return self._write(work)

    def _delete_row(self, table: str, assessment_id: int, row_id: int) -> None:
        def work(conn: sqlite3.Connection) -> None:
            self._touch(conn, assessment_id, rows.now_utc())
            conn.execute(
                f"DELETE FROM {table} WHERE id = ? AND assessment_id = ?", (row_id, assessment_id)
            )

        self._write(work)

    def save_officer(self, assessment_id: int, officer: Officer) -> Officer:
        new_id = self._save_row("officers", rows.columns("officers"), assessment_id, officer.id,
                                rows.officer_values(officer), "officer")
        return dataclasses.replace(officer, id=new_id)

    def delete_officer(self, assessment_id: int, officer_id: int) -> None:
        self._delete_row("officers", assessment_id, officer_id)

    def save_school(self, assessment_id: int, school: School) -> School:
        new_id = self._save_row("schools", rows.columns("schools"), assessment_id, school.id,
                                rows.school_values(school), "school")
        return dataclasses.replace(school, id=new_id)

    def delete_school(self, assessment_id: int, school_id: int) -> None:
        self._delete_row("schools", assessment_id, school_id)

    def save_action_item(self, assessment_id: int, item: ActionItem) -> ActionItem:
        new_id = self._save_row("action_items", rows.columns("action_items"), assessment_id, item.id,
                                rows.action_values(item), "action item")
        return dataclasses.replace(item, id=new_id)

    def delete_action_item(self, assessment_id: int, item_id: int) -> None:
        self._delete_row("action_items", assessment_id, item_id)

    def set_summary(self, assessment_id: int, percent_answered: int, verdict: str) -> None:
        """Cache the engine's figures for the list; not an edit, so "updated" is left alone."""
        def work(conn: sqlite3.Connection) -> None:
            cursor = conn.execute(
                "UPDATE assessments SET percent_answered = ?, verdict = ? WHERE id = ?",
                (int(percent_answered), str(verdict), assessment_id),
            )
            if cursor.rowcount == 0:
                raise AssessmentNotFound(assessment_id)

        self._write(work)

    def rename(self, assessment_id: int, title: str) -> None:
        self.save_details(assessment_id, title=title)

    def delete_assessment(self, assessment_id: int) -> None:
        """Soft delete: hidden from the list, recoverable with restore_assessment for 30 days."""
        self._set_deleted(assessment_id, rows.now_utc().isoformat())

    def restore_assessment(self, assessment_id: int) -> None:
        self._set_deleted(assessment_id, None)

    def _set_deleted(self, assessment_id: int, when: str | None) -> None:
        def work(conn: sqlite3.Connection) -> None:
            cursor = conn.execute(
                "UPDATE assessments SET deleted_at = ? WHERE id = ?", (when, assessment_id)
            )
            if cursor.rowcount == 0:
                raise AssessmentNotFound(assessment_id)

        self._write(work)

    def purge_deleted(self, older_than_days: int = KEEP_DELETED_DAYS) -> int:
        """Destroy assessments deleted more than `older_than_days` ago; how many went."""
        cutoff = (rows.now_utc() - timedelta(days=older_than_days)).isoformat()

        def work(conn: sqlite3.Connection) -> int:
            conn.execute(  # removed evidence files go for good after as long (issue 13)
                "DELETE FROM evidence WHERE deleted_at IS NOT NULL AND deleted_at <= ?", (cutoff,))
            return conn.execute(
                "DELETE FROM assessments WHERE deleted_at IS NOT NULL AND deleted_at <= ?",
                (cutoff,),
            ).rowcount

        return self._write(work)
