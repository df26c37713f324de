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

import functools
import json
import sqlite3
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from nasro_desktop import __version__
from nasro_desktop import paths as app_paths
from nasro_desktop.store import backups as backup_mod
from nasro_desktop.store import checks, files, rows
from nasro_desktop.store.errors import (
    AssessmentNotFound,
    BackupInfo,
    DataInUse,
    NewerDatabase,
    SaveFailed,
    StoreError,
    reads,
)
from nasro_desktop.store.evidence import EvidenceMethods
from nasro_desktop.store.lock import FolderLock, LockBusy
from nasro_desktop.store.opening import (
    DB_NAME,
    OpeningMethods,
    _Damaged,
    _is_damage,
    _NotWritable,
    _save_failed,
    _short,
    _write_cause,
)
from nasro_desktop.store.reading import ReadingMethods
from nasro_desktop.store.schema import MIGRATIONS, create_version_table, read_version
from nasro_desktop.store.writing import WritingMethods

KEEP_DELETED_DAYS = 30  # a deleted assessment can be restored for this long

if TYPE_CHECKING:  # the domain model is imported when an assessment is read or written
    from nasro_desktop.domain.evidence import Evidence
    from nasro_desktop.domain.model import Assessment, Form
    from nasro_desktop.store.search import SearchHit

T = TypeVar("T")


class Store(OpeningMethods, ReadingMethods, WritingMethods, EvidenceMethods):
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
        # what the last backup found about the evidence files (backups.check_evidence):
        # files repaired from the other copy, files whole nowhere; [] when all was well
        self.backup_notes: list[str] = []
        self._search_damaged = False  # the full check found damage in Find's index only

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
        problem = checks.ownership_problem(folder, DB_NAME)
        if problem is not None:  # checked before anything is written in it (even the lock)
            raise StoreError(problem)
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

    def _full_check_due(self) -> bool:
        """SQLite's full integrity_check at open: for a small file, or after a daily backup
        found damage the quick check misses (files.FULL_CHECK_MARK)."""
        try:
            return (self.path.stat().st_size <= files.FULL_CHECK_BYTES
                    or (self.data_dir / files.FULL_CHECK_MARK).exists())
        except OSError:
            return True

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
            full = self._full_check_due()
            problems = files.check_problems(conn, full=full)
            if files.only_search_index(problems):
                self._search_damaged = True  # rebuilt by _check_search_index (opening.py)
            elif problems:
                raise _Damaged("integrity_check failed" if full else "quick_check failed")
            if full and self._writable:
                (self.data_dir / files.FULL_CHECK_MARK).unlink(missing_ok=True)
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

    def create_assessment(self, assessment: Assessment, predecessor_id: int | None = None,
                          *, evidence: Sequence[Evidence] = ()) -> Assessment:
        """Save a new assessment in one transaction. `evidence`: records of files already in
        the evidence folder (an import, "Start next year's"); for an officer or a school a
        record's key is its place in `assessment.officers` / `.schools` (see
        evidence.insert_carried)."""
        from nasro_desktop.domain.model import RapidDeploymentReading

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
                self._insert_row(conn, "officers", rows.columns("officers"), new_id, position,
                                 rows.officer_values(officer))
                for position, officer in enumerate(assessment.officers)]
            school_ids = [
                self._insert_row(conn, "schools", rows.columns("schools"), new_id, position,
                                 rows.school_values(school))
                for position, school in enumerate(assessment.schools)]
            if evidence:
                from nasro_desktop.store.evidence import insert_carried

                insert_carried(conn, new_id, evidence, officer_ids, school_ids)
            for position, item in enumerate(assessment.action_items):
                self._insert_row(conn, "action_items", rows.columns("action_items"), new_id, position,
                                 rows.action_values(item))
            if predecessor_id is not None:
                conn.execute("INSERT INTO predecessors (assessment_id, predecessor_id)"
                             " VALUES (?, ?)", (new_id, predecessor_id))
            return new_id

        return self.load_assessment(self._write(work))

    def start_next_year(self, assessment_id: int, as_of: date) -> Assessment:
        """Save next year's assessment started from this one (what carries over, evidence
        included, is domain/carry.py's rule; the evidence records name the same stored files,
        nothing is copied)."""
        from nasro_desktop.domain import carry

        old = self.load_assessment(assessment_id)
        new = carry.next_year(old, as_of)
        evidence = carry.next_year_evidence(old, self.list_evidence(assessment_id))
        return self.create_assessment(new, predecessor_id=assessment_id, evidence=evidence)

    @reads
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
        from nasro_desktop.domain import carry

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
        row = self._reader().execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def set_setting(self, key: str, value: Any) -> None:
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
        notes: list[str] = []
        try:
            made = backup_mod.auto_backup(self.path, self.data_dir, now, notes)
            self.backup_notes = notes
            return made
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
            notes: list[str] = []
            made = backup_mod.publish_copy(self.data_dir, source, dest, notes)
            self.backup_notes = notes
            return made
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
