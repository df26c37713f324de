"""The open data file: its one connection, the folder lock, and the transactions.

Every change runs in its own explicit `BEGIN IMMEDIATE ... COMMIT` (`Database.write`) and
returns only after the commit is on disk (WAL + synchronous=FULL, reasons in files.py), so the
window may say "Saved" as soon as a save returns. A failed write raises SaveFailed (disk full,
read-only folder): the caller keeps the change and retries (see PendingSaves), and the next
write reconnects (a stick pulled out and put back leaves a dead handle).

How the file is checked before this object is trusted with it: opening.py. What is saved
through it: db.py (assessments and settings), evidence.py (evidence records).
"""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from nasro_desktop.store import backups, checks, files, rows, schema
from nasro_desktop.store.errors import (
    AssessmentNotFound,
    NewerDatabase,
    SaveFailed,
    StoreError,
    save_failed,
)
from nasro_desktop.store.lock import FolderLock, LockBusy

T = TypeVar("T")


class Damaged(Exception):
    """The file failed its check (opening.py moves it aside)."""


class NotWritable(Exception):
    """The file can be read but not written (read-only folder, full disk)."""


class Database:
    """One data folder's nasro.db, open: read with `reader()`, change with `write(work)`."""

    def __init__(self, data_dir: Path, lock: FolderLock, read_only: bool) -> None:
        self.data_dir = data_dir
        self.path = data_dir / files.DB_NAME
        self.read_only = read_only
        self.lock = lock
        self.conn: sqlite3.Connection | None = None
        self.writable = False  # False in a read-only store or while the folder can't be written
        self.closed = False
        self.meta_ready = False  # the file has its id and change count (checks.py)
        self.snapshot: Path | None = None  # a reader's private copy, removed on close
        # Find's index (search.py): None until checked, then whether it can be used
        self.search_ok: bool | None = None

    def reader(self) -> sqlite3.Connection:
        if self.closed or self.conn is None:
            raise StoreError("The saved data is closed. Open it again to continue.")
        return self.conn

    def writer(self) -> sqlite3.Connection:
        """The connection to write with, reconnecting if the folder could not be written
        before; SaveFailed when it still can't."""
        if self.closed:
            raise StoreError("The saved data is closed. Open it again to continue.")
        if self.read_only:
            # SaveFailed, not a plain error: the window shows it in its status line (the change
            # stays on screen, marked not saved) instead of an error box at every keystroke
            raise SaveFailed(
                "This data is open for viewing only, so changes can't be saved here. Install "
                "the newest version of the app (or copy the file into your data folder) to "
                "work on it.", reason="read-only store")
        if self.writable and self.conn is not None:
            return self.conn
        # The folder could not be written before: try again (the stick may be writable now).
        if not self.lock.held:
            try:
                self.lock = FolderLock.acquire(self.data_dir)
            except LockBusy as error:
                raise SaveFailed(
                    "Could not save: another copy of this app has your data open. Your change "
                    "is kept here; close the other copy and it will be saved.",
                    reason=str(error),
                ) from error
            if not self.lock.held:
                raise save_failed(PermissionError(13, "read-only folder"), self.data_dir)
        try:
            conn = self.connect_writer()
        except (NotWritable, Damaged) as error:
            raise save_failed(write_cause(error, self.data_dir), self.data_dir) from error
        self.drop_connection()
        self.conn = conn
        if not self.meta_ready:
            try:
                self.ensure_meta(conn)
            except SaveFailed:
                self.writable = False
                raise
        return conn

    def connect_writer(self) -> sqlite3.Connection:
        """A checked read-write connection, or NotWritable / Damaged."""
        try:
            conn = files.connect_rw(self.path)
        except sqlite3.Error as error:
            raise NotWritable(str(error)) from error
        conn.row_factory = sqlite3.Row
        conn.text_factory = rows.read_text
        try:
            # Read the version before anything writes: a newer app's file is never touched.
            version, file_app = schema.read_version(conn)
            if version > len(schema.MIGRATIONS):
                conn.close()
                raise NewerDatabase(version, file_app)
            mode = files.set_durable_pragmas(conn)
            if mode != "wal":
                raise NotWritable(f"journal mode stayed {mode}")
            conn.execute("BEGIN IMMEDIATE")  # proves we can take the write lock
            conn.execute("ROLLBACK")
        except sqlite3.Error as error:
            conn.close()
            if is_damage(error):
                raise Damaged(str(error)) from error
            raise NotWritable(str(error)) from error
        except NotWritable:
            conn.close()
            raise
        self.writable = True
        return conn

    def ensure_meta(self, conn: sqlite3.Connection) -> None:
        """Give the file its id and change count (see checks.py) if it has none yet."""
        if checks.read_meta(conn) is None:
            start = backups.folder_generation(self.data_dir) + 1
            self.in_transaction(conn, lambda c: backups.put_meta(c, uuid.uuid4().hex, start))
        self.meta_ready = True

    def in_transaction(self, conn: sqlite3.Connection,
                       work: Callable[[sqlite3.Connection], T]) -> T:
        try:
            conn.execute("BEGIN IMMEDIATE")
            result = work(conn)
            if self.meta_ready:  # one more change: see checks.py
                conn.execute(
                    "UPDATE settings SET value = CAST(value AS INTEGER) + 1 WHERE key = ?",
                    (checks.META_GENERATION,))
            conn.execute("COMMIT")  # returns once the WAL is fsync'd (synchronous=FULL)
            return result
        except sqlite3.Error as error:
            _rollback(conn)
            raise save_failed(error, self.data_dir) from error
        except BaseException:
            _rollback(conn)
            raise

    def write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run `work` in one transaction; committed to disk when this returns."""
        conn = self.writer()
        try:
            return self.in_transaction(conn, work)
        except SaveFailed:
            # Reconnect on the next try: a stick pulled out and put back leaves a dead handle.
            self.writable = False
            raise

    def drop_connection(self) -> None:
        if self.conn is not None:
            conn, self.conn = self.conn, None
            try:
                conn.close()
            except sqlite3.Error:
                pass

    def remove_snapshot(self) -> None:
        if self.snapshot is not None:
            folder, self.snapshot = self.snapshot, None
            shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            self.drop_connection()  # the last connection checkpoints and removes the -wal
            self.remove_snapshot()
        finally:
            self.lock.release()


def touch(conn: sqlite3.Connection, assessment_id: int, when: datetime) -> None:
    """Mark an assessment changed (inside the caller's transaction)."""
    cursor = conn.execute(
        "UPDATE assessments SET updated = ? WHERE id = ?", (when.isoformat(), assessment_id)
    )
    if cursor.rowcount == 0:
        raise AssessmentNotFound(assessment_id)


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def is_damage(error: sqlite3.Error) -> bool:
    name = getattr(error, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or (
        "malformed" in str(error) or "not a database" in str(error)
    )


def write_cause(error: BaseException, folder: Path) -> BaseException:
    """Why the data file could not be opened for writing: the SQLite or OS error behind it
    (a full disk is a full disk, not a write-protected drive)."""
    cause = error.__cause__
    if cause is not None and (getattr(cause, "sqlite_errorname", "").startswith("SQLITE_FULL")
                              or getattr(cause, "errno", None) == 28):
        return cause
    try:
        if shutil.disk_usage(folder).free < 256 * 1024:
            return OSError(28, "No space left on device")
    except OSError:
        pass
    return cause if cause is not None and (getattr(cause, "errno", None)
                                           or getattr(cause, "sqlite_errorname", "")) \
        else PermissionError(13, f"cannot write: {error}")
