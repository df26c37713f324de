"""The Store: one SQLite file in the user's data folder that never loses a saved answer.

`Store.open` checks the file (opening.py) and keeps what it is made of:
- `store.db` (database.py): the one connection, the folder lock and the transactions; every
  change is one `BEGIN IMMEDIATE ... COMMIT` that is on disk when the call returns, so the
  window may say "Saved" as soon as a save method returns. A failed write raises SaveFailed
  (disk full, read-only folder): the caller keeps the change and retries (see PendingSaves).
- `store.evidence` (evidence_files.py): the attached files and their records.
- `store.backups` (backups.py): the automatic, "Back up now" and before-an-update backups.
The Store's own methods are the assessments (list, load, save each part, delete), Find
(search.py) and the settings. Modules above it take a Store:
exchange.py (one assessment as a file), sharing.py, tables.py and the exports.

All datetimes the store writes are timezone-aware UTC; dates are `datetime.date`.

What is where in the data folder: nasro.db (this file's Store), evidence/ (the attached
files, by SHA-256: evidence.py), backups/ (the database backups and, in backups/evidence/, one
shared copy of each file they need: backups.py explains the layout and why one backup, a
"Back up now" file, or one export (format 2, exchange.py) restores everything, evidence
included, without the space evidence takes growing with the number of backups).

Plain `sqlite3` rather than sqlite-utils here: every statement must run inside our own
BEGIN IMMEDIATE ... COMMIT (sqlite-utils' helpers manage transactions their own way), and the
schema lives in explicit, reviewable migrations (schema.py).
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from nasro_desktop.domain import carry
from nasro_desktop.domain.evidence import Evidence
from nasro_desktop.domain.model import (
    ActionItem,
    Answer,
    Assessment,
    Form,
    Officer,
    RapidDeploymentReading,
    School,
)
from nasro_desktop.store import opening, reading, rows, search
from nasro_desktop.store.backups import Backups
from nasro_desktop.store.database import Database, touch
from nasro_desktop.store.errors import AssessmentNotFound, StoreError, reads
from nasro_desktop.store.evidence import insert_carried
from nasro_desktop.store.evidence_files import EvidenceFiles
from nasro_desktop.store.reading import AssessmentSummary
from nasro_desktop.store.search import SearchHit

KEEP_DELETED_DAYS = 30  # a deleted assessment can be restored for this long
_UNSET: Any = object()


class Store:
    """The app's saved data. Open with `Store.open(...)`; close (or use `with`) when done."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.data_dir = db.data_dir
        self.path = db.path
        self.read_only = db.read_only
        self.evidence = EvidenceFiles(db)
        self.backups = Backups(db.data_dir, read_only=db.read_only, snapshot=db.snapshot)
        self.last_left_out: list[str] = []  # what the last export could not read (damage)

    # --- opening and closing ------------------------------------------------------------

    @classmethod
    def open(cls, data_dir: Path | str | None = None, *, read_only: bool = False) -> Store:
        """Open the data folder. Every failure is a StoreError with a plain message; a
        RecoveryNeeded tells the window which ways out to offer (nothing is ever deleted)."""
        return cls(opening.open_database(data_dir, read_only=read_only))

    @classmethod
    def start_empty(cls, data_dir: Path | str | None = None) -> Store:
        """"Start with no saved assessments": the current data file (if any, even a link or
        another program's file) is renamed aside, never deleted or written, and a new empty
        file is made. Backups are kept; rotation never removes the ones of the old file."""
        return cls(opening.open_database(data_dir, read_only=False, fresh=True))

    @staticmethod
    def resolve_wal(data_dir: Path | str | None, kept_wal: Path, fix: str) -> None:
        """After UnexpectedWal: the way out the user chose (opening.resolve_wal)."""
        opening.resolve_wal(data_dir, kept_wal, fix)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading ----------------------------------------------------------------------------

    @reads
    def list_assessments(self) -> list[AssessmentSummary]:
        return reading.list_summaries(self.db.reader())

    def list_deleted(self) -> list[AssessmentSummary]:
        return reading.list_summaries(self.db.reader(), deleted=True)

    @reads
    def load_assessment(self, assessment_id: int) -> Assessment:
        return reading.load_strict(self.db.reader(), assessment_id)

    def load_readable(self, assessment_id: int) -> tuple[Assessment, list[str]]:
        """What can be read of an assessment with damaged values, and the list of what could
        not (each left out or set to a plain default)."""
        problems: list[str] = []
        return reading.load(self.db.reader(), assessment_id, problems), problems

    def title_of(self, assessment_id: int) -> str:
        """The stored title, or "" when it can't be read."""
        return reading.title_of(self.db.reader(), assessment_id)

    # --- assessments ----------------------------------------------------------------------

    def create_assessment(self, assessment: Assessment, predecessor_id: int | None = None,
                          *, evidence: Sequence[Evidence] = ()) -> Assessment:
        """Save a new assessment in one transaction. `evidence`: records of files already in
        the evidence folder (an import, "Start next year's"); for an officer or a school a
        record's key is its place in `assessment.officers` / `.schools` (see
        evidence.insert_carried)."""
        def work(conn: sqlite3.Connection) -> int:
            now = rows.now_utc()
            cursor = conn.execute(
                "INSERT INTO assessments (title, agency, district, prepared_by, as_of, form_id,"
                " form_version, rapid_deployment_reading, last_page, created, updated)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    assessment.title,
                    assessment.agency,
                    assessment.district,
                    assessment.prepared_by,
                    assessment.as_of.isoformat(),
                    assessment.form_id,
                    int(assessment.form_version),
                    RapidDeploymentReading(assessment.rapid_deployment_reading).value,
                    assessment.last_page,
                    now.isoformat(),
                    now.isoformat(),
                ),
            )
            new_id = int(cursor.lastrowid or 0)
            for answer in assessment.answers.values():
                rows.put_answer(conn, new_id, answer, answer.updated or now)
            officer_ids = [
                rows.insert_row(conn, "officers", new_id, position, rows.officer_values(officer))
                for position, officer in enumerate(assessment.officers)]
            school_ids = [
                rows.insert_row(conn, "schools", new_id, position, rows.school_values(school))
                for position, school in enumerate(assessment.schools)]
            if evidence:
                insert_carried(conn, new_id, evidence, officer_ids, school_ids)
            for position, item in enumerate(assessment.action_items):
                rows.insert_row(conn, "action_items", new_id, position, rows.action_values(item))
            if predecessor_id is not None:
                conn.execute("INSERT INTO predecessors (assessment_id, predecessor_id)"
                             " VALUES (?, ?)", (new_id, predecessor_id))
            return new_id

        return self.load_assessment(self.db.write(work))

    def start_next_year(self, assessment_id: int, as_of: date) -> Assessment:
        """Save next year's assessment started from this one (what carries over, evidence
        included, is domain/carry.py's rule; the evidence records name the same stored files,
        nothing is copied)."""
        old = self.load_assessment(assessment_id)
        new = carry.next_year(old, as_of)
        evidence = carry.next_year_evidence(old, self.evidence.records(assessment_id))
        return self.create_assessment(new, predecessor_id=assessment_id, evidence=evidence)

    @reads
    def predecessor_of(self, assessment_id: int) -> int | None:
        """The assessment this one was started from ("Start next year's"), if any."""
        row = self.db.reader().execute(
            "SELECT predecessor_id FROM predecessors WHERE assessment_id = ?", (assessment_id,)
        ).fetchone()
        return None if row is None else int(row[0])

    def search(self, query: str, limit: int = 200) -> list[SearchHit]:
        """Find: notes, reasons, action items, officer and school notes matching every word of
        `query`, across all assessments (store/search.py)."""
        words = search.words_of(query)
        if not words:
            return []
        conn = self.db.reader()
        if self.db.search_ok is None:  # the index, checked before the first search
            self.db.search_ok = search.index_problem(conn) is None or self._repair_index()
        for repaired in (False, True):  # an index that fails is rebuilt once
            if not self.db.search_ok:
                break
            try:
                return search.search(conn, query, limit)
            except sqlite3.DatabaseError:
                self.db.search_ok = not repaired and self._repair_index()
        return search.scan(conn, words, limit)  # slower, complete: a viewer can't rebuild

    def _repair_index(self) -> bool:
        """Rebuild Find's index in one transaction; False where that can't be done (a
        read-only viewer, a full disk): searching then reads the text itself."""
        if self.read_only:
            return False
        try:
            self.db.write(search.rebuild_index)
            return True
        except Exception:  # StoreError, sqlite3.Error, RuntimeError: Find goes on without it
            return False

    def upgrade_form(self, assessment_id: int, new_form: Form) -> Assessment:
        """Move an assessment to a newer version of its question set (domain/carry.py says
        where each answer goes). Checked first; the safety copy is made only for an upgrade
        that will happen."""
        old = self.load_assessment(assessment_id)
        try:
            carry.check_upgrade(old, new_form)
        except carry.CannotUpgrade as refused:
            raise StoreError(str(refused)) from None
        answers = carry.upgraded_answers(old, new_form)
        self.backups.before_update()

        def work(conn: sqlite3.Connection) -> None:
            now = rows.now_utc()
            touch(conn, assessment_id, now)
            conn.execute("DELETE FROM answers WHERE assessment_id = ?", (assessment_id,))
            for answer in answers.values():
                rows.put_answer(conn, assessment_id, answer, answer.updated or now)
            conn.execute(
                "UPDATE assessments SET form_version = ? WHERE id = ?",
                (new_form.version, assessment_id),
            )

        self.db.write(work)
        return self.load_assessment(assessment_id)

    # --- settings ---------------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self.db.reader().execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def set_setting(self, key: str, value: Any) -> None:
        self.db.write(lambda conn: rows.put_setting(conn, key, value))

    # --- saving an assessment's parts ----------------------------------------------------

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
                touch(conn, assessment_id, rows.now_utc())

        self.db.write(work)

    def save_answer(self, assessment_id: int, answer: Answer) -> datetime:
        """Commit one answer; when this returns, it is on disk. Returns the time saved (UTC)."""
        def work(conn: sqlite3.Connection) -> datetime:
            now = rows.now_utc()
            touch(conn, assessment_id, now)
            rows.put_answer(conn, assessment_id, answer, now)
            return now

        return self.db.write(work)

    def _save_row(self, table: str, assessment_id: int, row_id: int | None,
                  values: list[Any], what: str) -> int:
        def work(conn: sqlite3.Connection) -> int:
            touch(conn, assessment_id, rows.now_utc())
            if row_id is None:
                return rows.insert_row(conn, table, assessment_id, None, values)
            sets = ", ".join(f"{name} = ?" for name in rows.columns(table))
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

        return self.db.write(work)

    def _delete_row(self, table: str, assessment_id: int, row_id: int) -> None:
        def work(conn: sqlite3.Connection) -> None:
            touch(conn, assessment_id, rows.now_utc())
            conn.execute(
                f"DELETE FROM {table} WHERE id = ? AND assessment_id = ?", (row_id, assessment_id)
            )

        self.db.write(work)

    def save_officer(self, assessment_id: int, officer: Officer) -> Officer:
        new_id = self._save_row("officers", assessment_id, officer.id,
                                rows.officer_values(officer), "officer")
        return dataclasses.replace(officer, id=new_id)

    def delete_officer(self, assessment_id: int, officer_id: int) -> None:
        self._delete_row("officers", assessment_id, officer_id)

    def save_school(self, assessment_id: int, school: School) -> School:
        new_id = self._save_row("schools", assessment_id, school.id,
                                rows.school_values(school), "school")
        return dataclasses.replace(school, id=new_id)

    def delete_school(self, assessment_id: int, school_id: int) -> None:
        self._delete_row("schools", assessment_id, school_id)

    def save_action_item(self, assessment_id: int, item: ActionItem) -> ActionItem:
        new_id = self._save_row("action_items", assessment_id, item.id,
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

        self.db.write(work)

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

        self.db.write(work)

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

        return self.db.write(work)
