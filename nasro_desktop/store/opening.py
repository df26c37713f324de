"""Opening the data file safely: the checks, the recovery and the connections (mixed into Store).

Store.open (db.py) calls `_open_file`, which decides between a new file, a file put aside
(damaged, another program's, a link), an unexpected -wal (checks.py) and a writable or
read-only connection; then db.py's `_check_and_migrate` checks the layout and runs the
migrations. Nothing here ever deletes a user's file: what can't be used is renamed aside.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from nasro_desktop import paths as app_paths
from nasro_desktop.store import backups as backup_mod
from nasro_desktop.store import checks, files, rows
from nasro_desktop.store.errors import (
    BackupInfo,
    DamagedDatabase,
    DataInUse,
    MissingDatabase,
    NotOurFile,
    SaveFailed,
    StoreError,
    UnexpectedWal,
)
from nasro_desktop.store.lock import FolderLock, LockBusy

DB_NAME = "nasro.db"
SIDE_SUFFIXES = ("-wal", "-shm")


class _Damaged(Exception):
    """Internal: the file failed its check (moved aside by Store.open)."""


class _NotWritable(Exception):
    """Internal: the file can be read but not written (read-only folder, full disk)."""


def _is_damage(error: sqlite3.Error) -> bool:
    name = getattr(error, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or (
        "malformed" in str(error) or "not a database" in str(error)
    )


def _save_failed(error: BaseException, folder: Path) -> StoreError:
    """A plain sentence for a failed write; the technical cause is kept in `.reason`."""
    name = getattr(error, "sqlite_errorname", "") or type(error).__name__
    reason = f"{name}: {error}"
    errno = getattr(error, "errno", None)
    if name.startswith("SQLITE_FULL") or errno == 28:
        text = (
            "Could not save: the disk is full. Your change is kept in this window and will be "
            "saved as soon as there is room; delete some files or empty the recycle bin."
        )
    elif name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")) or (
        errno in (1, 13, 30)
    ):
        text = (
            f"Could not save: the folder {folder} cannot be written to (is the drive "
            "write-protected or removed?). Your change is kept in this window and saving will "
            "be tried again."
        )
    elif name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        text = "Could not save because the data file was busy. Your change is kept and will be saved in a moment."
    elif name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        text = (
            "Could not save: the data file looks damaged. Your change is kept in this window; "
            "close the app and open it again so it can check the file and offer your backups."
        )
    elif name.startswith(("SQLITE_IOERR", "SQLITE_NOMEM", "SQLITE_PROTOCOL")) or errno:
        text = (
            "Could not save because the disk reported a problem. Your change is kept in this "
            "window and saving will be tried again; if it keeps failing, use Back up now."
        )
    else:
        # Not the disk: the change itself was refused (a fault in the app). Retrying would not
        # help, so this is a plain StoreError, not SaveFailed.
        error_out = StoreError(
            "This change could not be saved because the app made a mistake. Your other "
            "answers are safe; please note what you were doing and report the problem."
        )
        error_out.reason = reason  # type: ignore[attr-defined]
        return error_out
    return SaveFailed(text, reason=reason)


def _write_cause(error: BaseException, folder: Path) -> BaseException:
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


def _short(path: Path) -> str:
    """A path for a message: a very long one is shortened in the middle."""
    text = str(path)
    return text if len(text) <= 120 else f"{text[:50]}…{text[-60:]}"


class OpeningMethods:
    """Mixed into Store (db.py): how the data file is checked and connected."""

    data_dir: Path
    path: Path
    read_only: bool
    _lock: FolderLock
    _conn: sqlite3.Connection | None
    _writable: bool
    _meta_ready: bool
    _snapshot: Path | None
    _search_damaged: bool

    # provided by Store (db.py) and EvidenceMethods (evidence.py)
    _check_and_migrate: Callable[[sqlite3.Connection], None]
    _connect_writer: Callable[[], sqlite3.Connection]  # db.py: it reads MIGRATIONS there
    _in_transaction: Callable[..., Any]
    _drop_connection: Callable[[], None]
    sweep_evidence: Callable[[], int]

    def _unexpected(self, error: BaseException) -> StoreError:
        """Any other failure to open: one plain sentence, never a traceback."""
        if isinstance(error, OSError):
            return StoreError(
                f"Could not open your saved data in {self.data_dir}: the computer reported a "
                f"problem reading it ({error.strerror or type(error).__name__}). Check that "
                "the drive is connected, then open the app again. Nothing was changed."
            )
        return StoreError(
            f"Could not open your saved data in {self.data_dir} because of an unexpected "
            "problem. Nothing was changed. Copy that folder somewhere safe and report the "
            "problem; you can restore a backup from File > Restore from a backup."
        )

    def _sound_backups(self) -> list[BackupInfo]:
        try:
            return backup_mod.list_backups(self.data_dir, only_sound=True)
        except OSError:
            return []

    def _open_file(self, fresh: bool = False) -> None:
        if self.read_only:
            self._check_before_reading()
            self._conn = self._open_reader()
            self._check_and_migrate(self._conn)
            return
        path = self.path
        if path.is_symlink():
            raise self._link_problem()
        size = path.stat().st_size if path.exists() else None
        if size == 0 and checks.has_wal(path):
            size = -1  # killed before the first checkpoint: the -wal holds it all; check it
        if not size:
            if not fresh:
                backups = self._sound_backups()
                if backups:
                    raise MissingDatabase(path, backups, empty_file=size == 0)
            self._keep_orphan_sides()  # a -wal must never be replayed onto a new file
            if size is None:
                try:
                    files.make_private_file(self.path)
                except OSError as error:
                    raise _save_failed(error, self.data_dir) from error
        else:
            if checks.inspect_file(path) == "foreign":
                raise NotOurFile(
                    f"The file {path} is not this app's saved data: another program's database "
                    "was put in its place. The app has not changed it and never will. You can "
                    "put it aside and start with no saved assessments, or restore a backup.",
                    path, self._sound_backups())
            try:
                problem = checks.check_wal(path)
            except OSError as error:
                raise StoreError(
                    f"Your saved data could not be checked before opening: a copy for the check "
                    f"could not be made in {self.data_dir} ({error.strerror or error}). Free "
                    "some disk space and open the app again. Nothing was changed."
                ) from error
            if problem is not None:
                why, kept = problem
                if not kept:  # a folder that can't be written: nothing can change or be lost
                    raise StoreError(
                        f"The file nasro.db-wal beside your saved data {why}. The folder "
                        f"{self.data_dir} can't be written, so nothing was changed. Make it "
                        "writable and open the app again to choose what to do.")
                raise UnexpectedWal(why, kept, self._sound_backups(), checks.fix_for(why))
        try:
            conn = self._connect_writer()
        except _NotWritable:
            # The folder or file can't be written (write-protected stick, chmod'ed folder):
            # show what is saved; every save raises SaveFailed and retries reconnecting.
            conn = self._open_reader()
        except _Damaged:
            self._move_damaged_aside()
            raise AssertionError("unreachable") from None
        self._conn = conn
        try:
            self._check_and_migrate(conn)
        except _Damaged:
            self._move_damaged_aside()
        if self._writable:
            self._ensure_meta(conn)
            self._check_search_index(conn)
            self.sweep_evidence()

    def _check_search_index(self, conn: sqlite3.Connection) -> None:
        """Find's index (store/search.py) is rebuilt if missing or damaged; a failure here
        never stops the data opening (Find then reads the text itself)."""
        from nasro_desktop.store import search

        if self._search_damaged or search.index_problem(conn, counts=False,
                                                        deep="if small") is not None:
            try:
                self._in_transaction(conn, search.rebuild_index)
            except (StoreError, RuntimeError, sqlite3.Error):
                pass

    def _check_before_reading(self) -> None:
        """A viewer (the CLI) says plainly when there is nothing of ours to read."""
        if self.path.is_symlink():
            if checks.inspect_file(self.path) == "foreign":  # read through the link, unchanged
                raise StoreError(
                    f"The saved data file {self.path} is a link (shortcut) to "
                    f"{os.readlink(self.path)}, which is not this app's saved data: it is "
                    "another program's database. Nothing was changed. Open the app (the "
                    "window) to put the link aside and restore a backup.")
            return
        if checks.has_wal(self.path):
            return
        kind = checks.inspect_file(self.path)
        if kind == "empty":
            backups = self._sound_backups()
            if backups:
                raise StoreError(
                    f"Your saved data file {self.path} is empty, but backups of it exist. Open "
                    "the app (the window): it offers to restore your newest backup.")
            raise StoreError(f"There are no saved assessments in {self.data_dir} yet.")
        if kind == "foreign":
            raise StoreError(
                f"The file {self.path} is not this app's saved data (another program's "
                "database is in its place). Nothing was changed. Open the app (the window) to "
                "put it aside and restore a backup.")

    def _link_problem(self) -> NotOurFile:
        target = Path(os.readlink(self.path))
        if not target.is_absolute():
            target = self.path.parent / target
        if not target.exists():
            return NotOurFile(
                f"The saved data file {self.path} is a link (shortcut) to {target}, which does "
                "not exist (a drive or sync folder that is not connected?). Connect it and open "
                "the app again, or put the link aside and start with no saved assessments, or "
                "restore a backup.", self.path, self._sound_backups())
        if checks.inspect_file(self.path) == "foreign":
            return NotOurFile(
                f"The saved data file {self.path} is a link (shortcut) to {target}, which is "
                "not this app's saved data: it is another program's database. The app has not "
                "changed it and never will. You can put the link aside and start with no saved "
                "assessments, or restore a backup.", self.path, self._sound_backups())
        return NotOurFile(
            f"The saved data file {self.path} is a link (shortcut) to {target}, outside your "
            "data folder. The app never changes files outside its data folder, so it can show "
            "that file for viewing only. To work on it, copy that file into the data folder "
            "in place of the link.", self.path, self._sound_backups(), can_view=True)

    def _ensure_meta(self, conn: sqlite3.Connection) -> None:
        """Give the file its id and change count (see checks.py) if it has none yet."""
        if checks.read_meta(conn) is None:
            start = backup_mod.folder_generation(self.data_dir) + 1
            import uuid  # a new file only: not paid at every start-up

            self._in_transaction(conn, lambda c: backup_mod.put_meta(c, uuid.uuid4().hex, start))
        self._meta_ready = True

    def _set_current_aside(self, label: str) -> Path | None:
        """Rename the data file (or link, or other program's file) and its -wal/-shm aside."""
        if not (self.path.exists() or self.path.is_symlink()):
            self._keep_orphan_sides()
            return None
        return self._rename_aside(
            label, f"The file {self.path} could not be put aside ({{reason}}). Check that you "
            "may write to that folder. Nothing was deleted.")

    def _rename_aside(self, label: str, failure: str) -> Path:
        """Rename the data file and its -wal/-shm to nasro-<label>-<time>.db (never over a file
        already there); `failure` (with {reason}) is the message when that is not possible."""
        stamp = datetime.now().strftime("%Y-%m-%d-%H%M%S")
        moved = self.data_dir / f"nasro-{label}-{stamp}.db"
        counter = 2
        while moved.exists() or moved.is_symlink():
            moved = self.data_dir / f"nasro-{label}-{stamp}-{counter}.db"
            counter += 1
        try:
            # its -wal first: a WAL left beside a new, empty file would be replayed onto it
            for suffix in SIDE_SUFFIXES:
                side = self.path.with_name(self.path.name + suffix)
                if side.exists():
                    side.replace(moved.with_name(moved.name + suffix))
            self.path.replace(moved)
            files.fsync_folder(self.data_dir)
        except OSError as error:
            raise StoreError(failure.replace("{reason}", str(error.strerror or error))) from error
        return moved

    @staticmethod
    def open_without_wal(data_dir: Path | str | None, kept_wal: Path) -> None:
        """After UnexpectedWal: set the live -wal (and -shm) aside, so the data file opens as
        it was last saved before that -wal appeared."""
        OpeningMethods.resolve_wal(data_dir, kept_wal, "without")

    @staticmethod
    def resolve_wal(data_dir: Path | str | None, kept_wal: Path, fix: str) -> None:
        """After UnexpectedWal (its copies kept), the chosen way out, on the live files:
        "without": the -wal and -shm go (the data file opens as last saved before it);
        "readable": the -wal is cut at its first damaged frame (what SQLite itself would
        read; the rest stays in the kept copy); "swap": the -shm, which holds the journal,
        takes its place. The live -wal must still be the bytes that were kept; the next open
        checks the result again."""
        folder = app_paths.data_dir(data_dir)
        try:
            lock = FolderLock.acquire(folder)
        except LockBusy as error:
            raise DataInUse(folder) from error
        try:
            live = checks.wal_path(folder / DB_NAME)
            shm = folder / (DB_NAME + "-shm")
            if live.exists() and not checks._same_bytes(live, kept_wal):
                raise StoreError(
                    "The extra file changed since it was checked, so it was left in place. "
                    "Open the app again to check it once more.")
            if fix == "readable" and live.exists():
                cut = checks.readable_length(live)
                if cut is None:
                    raise StoreError("The damaged file could not be cut to what can be read. "
                                     "Open your data without it, or restore a backup.")
                os.truncate(live, cut)
                shm.unlink(missing_ok=True)
            elif fix == "swap" and shm.exists():
                shm.replace(live)
            else:
                live.unlink(missing_ok=True)
                shm.unlink(missing_ok=True)
            files.fsync_folder(folder)
        except OSError as error:
            raise StoreError(
                f"The extra file in {folder} could not be set right ({error.strerror or error})."
                " Check that you may write to that folder. Nothing was changed."
            ) from error
        finally:
            lock.release()

    def _open_reader(self) -> sqlite3.Connection:
        """A connection that never writes and sees every committed answer, or a StoreError.

        A -wal left while no copy of the app is running (crash, sync tool) is read from a
        private copy after the same check the window makes; so is one in a folder where SQLite
        cannot make its -shm index (a read-only folder), where reading the file alone would
        silently miss the answers only the -wal holds."""
        if checks.has_wal(self.path) and (self._lock.held or self.path.is_symlink()):
            return self._snapshot_reader()
        try:
            conn = self._connect_reader(immutable=self.path.is_symlink())
        except StoreError:
            if checks.has_wal(self.path):
                return self._snapshot_reader()
            raise
        return conn

    def _snapshot_reader(self) -> sqlite3.Connection:
        import tempfile

        self._remove_snapshot()
        self._snapshot = Path(tempfile.mkdtemp(prefix="nasro-view-"))
        try:
            copy = checks.snapshot(self.path, self._snapshot)
        except OSError as error:
            self._remove_snapshot()
            raise StoreError(
                f"Your saved data in {self.data_dir} could not be read completely: a private "
                f"copy could not be made ({error.strerror or error}). Free some disk space, or "
                "open the app (the window) once so it can tidy the data file, then try again."
            ) from error
        why = checks.wal_problem(copy)
        if why is not None:
            self._remove_snapshot()
            raise StoreError(
                f"The file nasro.db-wal beside your saved data {why}. Nothing was changed. Open "
                "the app (the window): it keeps both files and lets you choose what to do."
            )
        conn = files.connect_ro(copy)
        conn.row_factory = sqlite3.Row
        conn.text_factory = rows.read_text
        self._writable = False
        return conn

    def _remove_snapshot(self) -> None:
        if self._snapshot is not None:
            folder, self._snapshot = self._snapshot, None
            shutil.rmtree(folder, ignore_errors=True)

    def _connect_reader(self, *, immutable: bool = False) -> sqlite3.Connection:
        last: sqlite3.Error | None = None
        for mode in ((True,) if immutable else (False, True)):
            if mode and checks.has_wal(self.path) and not self.path.is_symlink():
                break  # reading the file alone would hide what only its -wal holds
            try:
                conn = files.connect_ro(self.path, immutable=mode)
                conn.row_factory = sqlite3.Row
                conn.text_factory = rows.read_text
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                self._writable = False
                return conn
            except sqlite3.Error as error:
                last = error
                if _is_damage(error):
                    if self.read_only:
                        raise self._damaged_read_only() from error
                    self._move_damaged_aside()
        raise StoreError(
            f"Could not open your saved data in {self.data_dir}. Check that the drive is "
            "connected and that you may read that folder."
        ) from last

    def _damaged_read_only(self) -> StoreError:
        return StoreError(
            "Your saved data file is damaged. Open the app normally (not read-only) so it can "
            "put the damaged file aside and offer your newest backup."
        )

    def _move_damaged_aside(self) -> None:
        """Rename the damaged file (and its -wal/-shm) to nasro-damaged-<time>.db; raise."""
        self._drop_connection()
        moved = self._rename_aside(
            "damaged", f"Your saved data file in {self.data_dir} is damaged and could not be "
            "moved aside. Copy the whole folder somewhere safe, then restore a backup.")
        raise DamagedDatabase(moved, backup_mod.list_backups(self.data_dir, only_sound=True))

    def _keep_orphan_sides(self) -> None:
        """A -wal without its data file (a move interrupted by a crash, a partial copy) must not
        be replayed onto a new file: keep it aside under another name, never delete it."""
        stamp = datetime.now().strftime("%Y-%m-%d-%H%M%S")
        for suffix in SIDE_SUFFIXES:
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                try:
                    side.replace(self.data_dir / f"nasro-orphan-{stamp}.db{suffix}")
                except OSError as error:
                    raise _save_failed(error, self.data_dir) from error
