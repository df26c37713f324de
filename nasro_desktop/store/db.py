"""The Store: one SQLite file in the user's data folder that never loses a saved answer.

Every change runs in its own explicit `BEGIN IMMEDIATE ... COMMIT` transaction and the call
returns only after the commit is on disk (WAL + synchronous=FULL, reasons in files.py), so
the window may say "Saved" as soon as a save method returns. A failed write raises SaveFailed
(disk full, read-only folder): the caller keeps the change and retries (see PendingSaves).

All datetimes the store writes are timezone-aware UTC; dates are `datetime.date`.

How the file is checked, recovered and connected when it opens: opening.py (mixed into the
Store). What is where in the data folder: nasro.db (this file's Store), evidence/ (the attached
files, by SHA-256: evidence.py), backups/ (the database backups and, in backups/evidence/, one
shared copy of each file they need: backups.py explains the layout and why one backup, a
"Back up now" file, or one export (format 2, exchange.py) restores everything, evidence
included, without the space evidence takes growing with the number of backups).

Plain `sqlite3` rather than sqlite-utils here: every statement must run inside our own
BEGIN IMMEDIATE ... COMMIT (sqlite-utils' helpers manage transactions their own way), the schema
lives in explicit, reviewable migrations (schema.py), and not importing sqlite-utils keeps about
0.1 s off start-up.
"""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from nasro_desktop import __version__
from nasro_desktop import paths as app_paths
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
from nasro_desktop.store import backups as backup_mod
from nasro_desktop.store import checks, files, rows
from nasro_desktop.store.errors import (
    AssessmentNotFound,
    BackupInfo,
    DamagedAssessment,
    DataInUse,
    NewerDatabase,
    SaveFailed,
    StoreError,
)
from nasro_desktop.store.evidence import EvidenceMethods
from nasro_desktop.store.lock import FolderLock, LockBusy
from nasro_desktop.store.opening import DB_NAME as DB_NAME
from nasro_desktop.store.opening import SIDE_SUFFIXES as SIDE_SUFFIXES
from nasro_desktop.store.opening import (
    OpeningMethods,
    _Damaged,
    _is_damage,
    _NotWritable,
    _save_failed,
    _short,
    _write_cause,
)
from nasro_desktop.store.schema import MIGRATIONS, create_version_table, read_version

KEEP_DELETED_DAYS = 30  # a deleted assessment can be restored for this long

if TYPE_CHECKING:
    from nasro_desktop.store.search import SearchHit

T = TypeVar("T")
_UNSET: Any = object()


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


class Store(OpeningMethods, EvidenceMethods):
    """The app's saved data. Open with `Store.open(...)`; close (or use `with`) when done."""

    def __init__(self, data_dir: Path, lock: FolderLock, read_only: bool) -> None:
        self.data_dir = data_dir
        self.path = data_dir / DB_NAME
        self.read_only = read_only
        self._lock = lock
        self._conn: sqlite3.Connection | None = None
        self._writable = False  # False in a read-only store or while the folder can't be written
        self._closed = False
        self._meta_ready = False  # the file has its id and change count (checks.py)
        self._snapshot: Path | None = None  # a reader's private copy, removed on close
        self.last_left_out: list[str] = []  # what the last export could not read (damage)

    # --- opening and closing ------------------------------------------------------------

    @classmethod
    def open(cls, data_dir: Path | str | None = None, *, read_only: bool = False) -> Store:
        """Open the data folder. Every failure is a StoreError with a plain message; a
        RecoveryNeeded tells the window which ways out to offer (nothing is ever deleted)."""
        return cls._open(data_dir, read_only=read_only)

    @classmethod
    def start_empty(cls, data_dir: Path | str | None = None) -> Store:
        """"Start with no saved assessments": the current data file (if any, even a link or
        another program's file) is renamed aside, never deleted or written, and a new empty
        file is made. Backups are kept; rotation never removes the ones of the old file."""
        return cls._open(data_dir, read_only=False, fresh=True)

    @classmethod
    def _open(cls, data_dir: Path | str | None, *, read_only: bool, fresh: bool = False
              ) -> Store:
        folder = app_paths.data_dir(data_dir)
        if not read_only:
            try:
                files.make_private_folder(folder)
            except OSError as error:
                raise SaveFailed(
                    f"Could not create your data folder {_short(folder)}: "
                    f"{files.why_not(error)}.", reason=str(error),
                ) from error
        elif not (folder / DB_NAME).exists() and not (folder / DB_NAME).is_symlink():
            raise StoreError(f"There is no saved data in {folder} yet.")
        try:
            lock = FolderLock.acquire(folder, shared=read_only)
        except LockBusy as error:
            if not read_only:
                raise DataInUse(folder) from error
            # a viewer never writes, and WAL lets it read beside the app that holds the lock
            lock = FolderLock(None)
        store = cls(folder, lock, read_only)
        try:
            if not read_only and lock.held:
                # nobody else can be using our temporary files now: remove those left by a
                # killed process (a backup, a restore, a check cut short)
                checks.clean_stale(folder, folder / backup_mod.BACKUP_FOLDER)
            if fresh:
                store._set_current_aside("set-aside")
            store._open_file(fresh=fresh)
        except BaseException as error:
            store._drop_connection()
            store._remove_snapshot()
            lock.release()
            if isinstance(error, StoreError | KeyboardInterrupt | SystemExit):
                raise
            raise store._unexpected(error) from error
        return store

    def _connect_writer(self) -> sqlite3.Connection:
        """A checked read-write connection, or _NotWritable / _Damaged."""
        try:
            conn = files.connect_rw(self.path)
        except sqlite3.Error as error:
            raise _NotWritable(str(error)) from error
        conn.row_factory = sqlite3.Row
        conn.text_factory = rows.read_text
        try:
            # Read the version before anything writes: a newer app's file is never touched.
            version, file_app = read_version(conn)
            if version > len(MIGRATIONS):
                conn.close()
                raise NewerDatabase(
                    file_app or f"with data format {version}", __version__, version
                )
            mode = files.set_durable_pragmas(conn)
            if mode != "wal":
                raise _NotWritable(f"journal mode stayed {mode}")
            conn.execute("BEGIN IMMEDIATE")  # proves we can take the write lock
            conn.execute("ROLLBACK")
        except sqlite3.Error as error:
            conn.close()
            if _is_damage(error):
                raise _Damaged(str(error)) from error
            raise _NotWritable(str(error)) from error
        except _NotWritable:
            conn.close()
            raise
        self._writable = True
        return conn

    def _check_and_migrate(self, conn: sqlite3.Connection) -> None:
        try:
            if not files.quick_check(conn):
                raise _Damaged("quick_check failed")
            version, file_app = read_version(conn)
            if version == 0 and conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'assessments'"
            ).fetchone():
                raise _Damaged("tables without a schema version")
            if version == len(MIGRATIONS):
                _check_layout(conn)
        except UnicodeDecodeError as error:  # a damaged byte in a table's definition
            raise _Damaged("schema text") from error
        except sqlite3.Error as error:
            if _is_damage(error):
                raise _Damaged(str(error)) from error
            raise
        except _Damaged:
            if self.read_only:
                raise self._damaged_read_only() from None
            raise
        current = len(MIGRATIONS)
        if version > current:
            if self.read_only:
                return
            raise NewerDatabase(file_app or f"with data format {version}", __version__, version)
        if version == current:
            return
        if self.read_only or not self._writable:
            raise StoreError(
                "Your data was saved by an older version of this app and must be updated "
                "before it can be shown. Open the app normally, in a folder you can write to."
            )
        if version > 0:
            # The file holds data: copy it aside before touching its layout.
            folder = self.data_dir / backup_mod.BACKUP_FOLDER
            try:
                files.make_private_folder(folder)
                backup_mod.backup_into(
                    self.data_dir, self.path,
                    backup_mod.new_backup_path(folder, "pre-migration", datetime.now(), version),
                )
            except (OSError, sqlite3.Error) as error:
                raise SaveFailed(
                    "Your data needs a small update for this version of the app, but the safety "
                    f"copy made first could not be written in {folder}. Free some disk space "
                    "and open the app again; nothing was changed.",
                    reason=str(error),
                ) from error
        for number in range(version, current):
            try:
                self._in_transaction(conn, functools.partial(self._migrate_one, number=number))
            except SaveFailed:
                raise
            except StoreError as error:
                copy = " (a copy is in the backups folder)" if version > 0 else ""
                raise StoreError(
                    "Your data could not be updated for this version of the app, so it was "
                    f"left as it was{copy}. Please reinstall the previous version and report "
                    "the problem."
                ) from error

    @staticmethod
    def _migrate_one(conn: sqlite3.Connection, number: int) -> None:
        create_version_table(conn)
        MIGRATIONS[number](conn)
        conn.execute(
            "INSERT INTO schema_version (version, app_version, applied) VALUES (?, ?, ?)",
            (number + 1, __version__, rows.now_utc().isoformat()),
        )

    def _drop_connection(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                conn.close()
            except sqlite3.Error:
                pass

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._drop_connection()  # the last connection checkpoints and removes the -wal
            self._remove_snapshot()
        finally:
            self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions ---------------------------------------------------------------------

    def _reader(self) -> sqlite3.Connection:
        if self._closed or self._conn is None:
            raise StoreError("The saved data is closed. Open it again to continue.")
        return self._conn

    def _writer(self) -> sqlite3.Connection:
        if self._closed:
            raise StoreError("The saved data is closed. Open it again to continue.")
        if self.read_only:
            # SaveFailed, not a plain error: the window shows it in its status line (the change
            # stays on screen, marked not saved) instead of an error box at every keystroke
            raise SaveFailed(
                "This data is open for viewing only, so changes can't be saved here. Install "
                "the newest version of the app (or copy the file into your data folder) to "
                "work on it.", reason="read-only store")
        if self._writable and self._conn is not None:
            return self._conn
        # The folder could not be written before: try again (the stick may be writable now).
        if not self._lock.held:
            try:
                self._lock = FolderLock.acquire(self.data_dir)
            except LockBusy as error:
                raise SaveFailed(
                    "Could not save: another copy of this app has your data open. Your change "
                    "is kept here; close the other copy and it will be saved.",
                    reason=str(error),
                ) from error
            if not self._lock.held:
                raise _save_failed(PermissionError(13, "read-only folder"), self.data_dir)
        try:
            conn = self._connect_writer()
        except (_NotWritable, _Damaged) as error:
            raise _save_failed(_write_cause(error, self.data_dir), self.data_dir) from error
        self._drop_connection()
        self._conn = conn
        if not self._meta_ready:
            try:
                self._ensure_meta(conn)
            except SaveFailed:
                self._writable = False
                raise
        return conn

    def _in_transaction(
        self, conn: sqlite3.Connection, work: Callable[[sqlite3.Connection], T]
    ) -> T:
        try:
            conn.execute("BEGIN IMMEDIATE")
            result = work(conn)
            if self._meta_ready:  # one more change: see checks.py
                conn.execute(
                    "UPDATE settings SET value = CAST(value AS INTEGER) + 1 WHERE key = ?",
                    (checks.META_GENERATION,))
            conn.execute("COMMIT")  # returns once the WAL is fsync'd (synchronous=FULL)
            return result
        except sqlite3.Error as error:
            self._rollback(conn)
            raise _save_failed(error, self.data_dir) from error
        except BaseException:
            self._rollback(conn)
            raise

    @staticmethod
    def _rollback(conn: sqlite3.Connection) -> None:
        if conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def _write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        conn = self._writer()
        try:
            return self._in_transaction(conn, work)
        except SaveFailed:
            # Reconnect on the next try: a stick pulled out and put back leaves a dead handle.
            self._writable = False
            raise

    @staticmethod
    def _touch(conn: sqlite3.Connection, assessment_id: int, when: datetime) -> None:
        cursor = conn.execute(
            "UPDATE assessments SET updated = ? WHERE id = ?", (when.isoformat(), assessment_id)
        )
        if cursor.rowcount == 0:
            raise AssessmentNotFound(assessment_id)

    # --- assessments ----------------------------------------------------------------------

    def list_assessments(self) -> list[AssessmentSummary]:
        found = self._reader().execute(
            _SUMMARY_SQL + " WHERE deleted_at IS NULL ORDER BY updated DESC, id DESC"
        )
        return [_summary(row) for row in found]

    def list_deleted(self) -> list[AssessmentSummary]:
        found = self._reader().execute(
            _SUMMARY_SQL + " WHERE deleted_at IS NOT NULL ORDER BY deleted_at DESC, id DESC"
        )
        return [_summary(row) for row in found]

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
                self._put_answer(conn, new_id, answer, answer.updated or now)
            officer_ids = [
                self._insert_row(conn, "officers", rows.OFFICER_COLUMNS, new_id, position,
                                 rows.officer_values(officer))
                for position, officer in enumerate(assessment.officers)]
            school_ids = [
                self._insert_row(conn, "schools", rows.SCHOOL_COLUMNS, new_id, position,
                                 rows.school_values(school))
                for position, school in enumerate(assessment.schools)]
            if evidence:
                from nasro_desktop.store.evidence import insert_carried

                insert_carried(conn, new_id, evidence, officer_ids, school_ids)
            for position, item in enumerate(assessment.action_items):
                self._insert_row(conn, "action_items", rows.ACTION_COLUMNS, new_id, position,
                                 rows.action_values(item))
            if predecessor_id is not None:
                conn.execute("INSERT INTO predecessors (assessment_id, predecessor_id)"
                             " VALUES (?, ?)", (new_id, predecessor_id))
            return new_id

        return self.load_assessment(self._write(work))

    def load_assessment(self, assessment_id: int) -> Assessment:
        try:
            return self._load(assessment_id, None)
        except _Unreadable as bad:
            title = self._title_of(assessment_id)
            raise DamagedAssessment(assessment_id, title, str(bad)) from None

    def load_readable(self, assessment_id: int) -> tuple[Assessment, list[str]]:
        """What can be read of an assessment with damaged values, and the list of what could
        not (each left out or set to a plain default)."""
        problems: list[str] = []
        return self._load(assessment_id, problems), problems

    def _title_of(self, assessment_id: int) -> str:
        try:
            row = self._reader().execute(
                "SELECT title FROM assessments WHERE id = ?", (assessment_id,)).fetchone()
        except sqlite3.Error:
            return ""
        return row[0] if row is not None and isinstance(row[0], str) else ""

    def _load(self, assessment_id: int, problems: list[str] | None) -> Assessment:
        conn = self._reader()
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
        new_id = self._save_row("officers", rows.OFFICER_COLUMNS, assessment_id, officer.id,
                                rows.officer_values(officer), "officer")
        return dataclasses.replace(officer, id=new_id)

    def delete_officer(self, assessment_id: int, officer_id: int) -> None:
        self._delete_row("officers", assessment_id, officer_id)

    def save_school(self, assessment_id: int, school: School) -> School:
        new_id = self._save_row("schools", rows.SCHOOL_COLUMNS, assessment_id, school.id,
                                rows.school_values(school), "school")
        return dataclasses.replace(school, id=new_id)

    def delete_school(self, assessment_id: int, school_id: int) -> None:
        self._delete_row("schools", assessment_id, school_id)

    def save_action_item(self, assessment_id: int, item: ActionItem) -> ActionItem:
        new_id = self._save_row("action_items", rows.ACTION_COLUMNS, assessment_id, item.id,
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

    def start_next_year(self, assessment_id: int, as_of: date) -> Assessment:
        """Save next year's assessment started from this one (what carries over, evidence
        included, is domain/carry.py's rule; the evidence records name the same stored files,
        nothing is copied)."""
        old = self.load_assessment(assessment_id)
        new = carry.next_year(old, as_of)
        evidence = carry.next_year_evidence(old, self.list_evidence(assessment_id))
        return self.create_assessment(new, predecessor_id=assessment_id, evidence=evidence)

    def predecessor_of(self, assessment_id: int) -> int | None:
        """The assessment this one was started from ("Start next year's"), if any."""
        row = self._reader().execute(
            "SELECT predecessor_id FROM predecessors WHERE assessment_id = ?", (assessment_id,)
        ).fetchone()
        return None if row is None else int(row[0])

    def search(self, query: str, limit: int = 200) -> list[SearchHit]:
        """Find: notes, reasons, action items, officer and school notes matching every word of
        `query`, across all assessments (store/search.py)."""
        from nasro_desktop.store import search

        return search.search_store(self, query, limit)

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
        self._copy_before_upgrade()

        def work(conn: sqlite3.Connection) -> None:
            now = rows.now_utc()
            self._touch(conn, assessment_id, now)
            conn.execute("DELETE FROM answers WHERE assessment_id = ?", (assessment_id,))
            for answer in answers.values():
                self._put_answer(conn, assessment_id, answer, answer.updated or now)
            conn.execute(
                "UPDATE assessments SET form_version = ? WHERE id = ?",
                (new_form.version, assessment_id),
            )

        self._write(work)
        return self.load_assessment(assessment_id)

    # --- settings ---------------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        import json

        row = self._reader().execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def set_setting(self, key: str, value: Any) -> None:
        import json

        text = json.dumps(value, ensure_ascii=False)
        self._write(lambda conn: conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, text)))

    # --- backups ----------------------------------------------------------------------------

    def auto_backup(self, now: datetime | None = None) -> Path | None:
        """At most one a day, kept 7 daily + 4 weekly. Safe to call from a worker thread: it uses
        its own connections and never blocks saving. Returns the new backup, or None (also
        for a read-only view: a newer app's file or a file outside the folder is not ours)."""
        if self.read_only:
            return None
        try:
            return backup_mod.auto_backup(self.path, self.data_dir, now)
        except (OSError, sqlite3.Error) as error:
            raise _save_failed(error, self.data_dir / backup_mod.BACKUP_FOLDER) from error

    def backup_to(self, dest: Path | str) -> Path:
        """"Back up now": one self-contained file at `dest` (a folder: a new name in it) holding
        the whole data file and its evidence files, checked after writing (backups.py)."""
        dest = Path(dest).expanduser()
        if dest.is_dir():
            dest = backup_mod.new_backup_path(dest, "manual", datetime.now())
        if not dest.parent.is_dir():
            raise StoreError(f"The folder {dest.parent} does not exist. Choose another place.")
        checks.clean_stale_beside(dest)
        try:
            # a reader of a private copy (a -wal in a read-only folder) backs up that copy
            source = self._snapshot / DB_NAME if self._snapshot is not None else self.path
            return backup_mod.publish_copy(self.data_dir, source, dest)
        except (OSError, sqlite3.Error) as error:
            why = (files.why_not(error) if isinstance(error, OSError)
                   else "check there is room and that you may write to that folder")
            raise StoreError(
                f"Could not write the backup to {dest}: {why}. Your data is unchanged."
            ) from error

    def _copy_before_upgrade(self) -> None:
        """A "before an update" backup, so an upgrade of the questions can always be undone."""
        folder = self.data_dir / backup_mod.BACKUP_FOLDER
        try:
            files.make_private_folder(folder)
            backup_mod.backup_into(self.data_dir, self.path, backup_mod.new_backup_path(
                folder, "pre-migration", datetime.now()))
        except (OSError, sqlite3.Error) as error:
            raise _save_failed(error, folder) from error

    def list_backups(self) -> list[BackupInfo]:
        return backup_mod.list_backups(self.data_dir)

    @staticmethod
    def restore_backup(data_dir: Path | str | None, backup: Path | str) -> list[str]:
        """Replace the data file with `backup` (checked first), its evidence files put back
        first. The current file, if any, is copied aside into backups/ first. Close any open
        Store on this folder before. Returns the names of evidence files found nowhere."""
        return backup_mod.restore_backup(data_dir, backup)

    # --- one assessment as a file -------------------------------------------------------------

    def export_assessment(self, assessment_id: int, dest: Path | str) -> Path:
        from nasro_desktop.store import exchange

        return exchange.export_assessment(self, assessment_id, Path(dest).expanduser())

    def import_assessment(self, src: Path | str) -> int:
        from nasro_desktop.store import exchange

        return exchange.import_assessment(self, Path(src).expanduser())


_LAYOUT: dict[str, list[str]] = {}
_LAYOUT_OF: list[tuple[int, ...]] = []  # which chain of migrations _LAYOUT was built from


def _expected_layout() -> dict[str, list[str]]:
    """Every table's columns as the migrations make them (built once, in memory)."""
    chain = tuple(id(m) for m in MIGRATIONS)
    if _LAYOUT_OF != [chain]:
        _LAYOUT.clear()
        _LAYOUT_OF[:] = [chain]
        from nasro_desktop.store import search

        conn = sqlite3.connect(":memory:", isolation_level=None)
        try:
            with search.index_skipped():  # derived data, checked and rebuilt on its own
                for number in range(len(MIGRATIONS)):
                    conn.execute("BEGIN")  # as in the store: some migrations check for one
                    Store._migrate_one(conn, number)
                    conn.execute("COMMIT")
            for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                         " AND name NOT LIKE 'sqlite_%'").fetchall():
                if search.is_index_table(table):
                    continue
                _LAYOUT[table] = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        finally:
            conn.close()
    return _LAYOUT


def _check_layout(conn: sqlite3.Connection) -> None:
    """quick_check reads the schema's text as text: a damaged byte in a column's name passes
    it, then every read of that table fails. Compare each table with what it must be."""
    for (sql,) in conn.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL"):
        if isinstance(sql, rows.DamagedText):
            raise _Damaged("schema text is not text")
    for table, columns in _expected_layout().items():
        found = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        if found != columns:
            raise _Damaged(f"the table {table} does not have its columns")


def _need_text(value: Any) -> str:
    if not isinstance(value, str) or isinstance(value, rows.DamagedText):
        raise TypeError("not text")
    return value
