"""Opening the data file safely: the checks, the recovery and the connections.

`open_database` (called by Store.open, db.py) decides between a new file, a file put aside
(damaged, another program's, a link), an unexpected -wal (checks.py) and a writable or
read-only connection; then `check_and_migrate` checks the layout and runs the migrations.
It returns the checked `Database` (database.py). Nothing here ever deletes a user's file:
what can't be used is renamed aside.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from nasro_desktop import __version__
from nasro_desktop import paths as app_paths
from nasro_desktop.store import backups, checks, files, rows, schema, search
from nasro_desktop.store.database import (
    Damaged,
    Database,
    NotWritable,
    is_damage,
)
from nasro_desktop.store.errors import (
    BackupInfo,
    DamagedDatabase,
    DataInUse,
    MissingDatabase,
    NewerDatabase,
    NotOurFile,
    SaveFailed,
    StoreError,
    UnexpectedWal,
    save_failed,
)
from nasro_desktop.store.lock import FolderLock, LockBusy

SIDE_SUFFIXES = ("-wal", "-shm")


def _short(path: Path) -> str:
    """A path for a message: a very long one is shortened in the middle."""
    text = str(path)
    return text if len(text) <= 120 else f"{text[:50]}…{text[-60:]}"


def open_database(data_dir: Path | str | None, *, read_only: bool, fresh: bool = False
                  ) -> Database:
    """The data folder's file, checked and connected (Store.open, Store.start_empty). Every
    failure is a StoreError with a plain message; a RecoveryNeeded tells the window which
    ways out to offer (nothing is ever deleted)."""
    folder = app_paths.data_dir(data_dir)
    if not read_only:
        try:
            files.make_private_folder(folder)
        except OSError as error:
            raise SaveFailed(
                f"Could not create your data folder {_short(folder)}: "
                f"{files.why_not(error)}.", reason=str(error),
            ) from error
    elif not (folder / files.DB_NAME).exists() and not (folder / files.DB_NAME).is_symlink():
        raise StoreError(f"There is no saved data in {folder} yet.")
    problem = checks.ownership_problem(folder)
    if problem is not None:  # checked before anything is written in it (even the lock)
        raise StoreError(problem)
    try:
        lock = FolderLock.acquire(folder, shared=read_only)
    except LockBusy as error:
        if not read_only:
            raise DataInUse(folder) from error
        # a viewer never writes, and WAL lets it read beside the app that holds the lock
        lock = FolderLock(None)
    db = Database(folder, lock, read_only)
    try:
        if not read_only and lock.held:
            # nobody else can be using our temporary files now: remove those left by a
            # killed process (a backup, a restore, a check cut short)
            checks.clean_stale(folder, folder / files.BACKUP_FOLDER)
        if fresh and (db.path.exists() or db.path.is_symlink()):
            # the current file (even a link or another program's) goes aside, never deleted;
            # a -wal without it is kept aside by _open_file
            _rename_aside(db, "set-aside", f"The file {db.path} could not be put aside "
                          "({reason}). Check that you may write to that folder. Nothing was "
                          "deleted.")
        _open_file(db, fresh=fresh)
    except BaseException as error:
        db.drop_connection()
        db.remove_snapshot()
        lock.release()
        if isinstance(error, StoreError | KeyboardInterrupt | SystemExit):
            raise
        raise _unexpected(db, error) from error
    return db


def _full_check_due(db: Database) -> bool:
    """SQLite's full integrity_check at open: for a small file, or after a daily backup
    found damage the quick check misses (files.FULL_CHECK_MARK)."""
    try:
        return (db.path.stat().st_size <= files.FULL_CHECK_BYTES
                or (db.data_dir / files.FULL_CHECK_MARK).exists())
    except OSError:
        return True


def check_and_migrate(db: Database, conn: sqlite3.Connection) -> bool:
    """Check the file and bring it to this app's data format (a safety copy first). True
    when the check found damage in Find's index only (rebuilt next)."""
    search_damaged = False
    try:
        full = _full_check_due(db)
        problems = files.check_problems(conn, full=full)
        if files.only_search_index(problems):
            search_damaged = True
        elif problems:
            raise Damaged("integrity_check failed" if full else "quick_check failed")
        if full and db.writable:
            (db.data_dir / files.FULL_CHECK_MARK).unlink(missing_ok=True)
        version, file_app = schema.read_version(conn)
        if version == 0 and files.has_table(conn, "assessments"):
            raise Damaged("tables without a schema version")
        if version == len(schema.MIGRATIONS):
            _check_layout(conn)
    except UnicodeDecodeError as error:  # a damaged byte in a table's definition
        raise Damaged("schema text") from error
    except sqlite3.Error as error:
        if is_damage(error):
            raise Damaged(str(error)) from error
        raise
    except Damaged:
        if db.read_only:
            raise _damaged_read_only() from None
        raise
    current = len(schema.MIGRATIONS)
    if version > current:
        if db.read_only:
            return search_damaged
        raise NewerDatabase(version, file_app)
    if version == current:
        return search_damaged
    if db.read_only or not db.writable:
        raise StoreError(
            "Your data was saved by an older version of this app and must be updated "
            "before it can be shown. Open the app normally, in a folder you can write to."
        )
    if version > 0:
        # The file holds data: copy it aside before touching its layout.
        try:
            backups.before_update(db.data_dir, version)
        except (OSError, sqlite3.Error) as error:
            raise SaveFailed(
                "Your data needs a small update for this version of the app, but the safety "
                f"copy made first could not be written in {db.data_dir / files.BACKUP_FOLDER}."
                " Free some disk space and open the app again; nothing was changed.",
                reason=str(error),
            ) from error
    for number in range(version, current):
        try:
            db.in_transaction(conn, functools.partial(_migrate_one, number=number))
        except SaveFailed:
            raise
        except StoreError as error:
            copy = " (a copy is in the backups folder)" if version > 0 else ""
            raise StoreError(
                "Your data could not be updated for this version of the app, so it was "
                f"left as it was{copy}. Please reinstall the previous version and report "
                "the problem."
            ) from error
    return search_damaged


def _migrate_one(conn: sqlite3.Connection, number: int) -> None:
    schema.create_version_table(conn)
    schema.MIGRATIONS[number](conn)
    conn.execute(
        "INSERT INTO schema_version (version, app_version, applied) VALUES (?, ?, ?)",
        (number + 1, __version__, rows.now_utc().isoformat()),
    )


@functools.lru_cache(maxsize=1)
def _expected_layout(migrations: tuple[Callable[[sqlite3.Connection], None], ...]
                     ) -> dict[str, list[str]]:
    """Every table's columns as these migrations (schema.MIGRATIONS) make them, in memory."""
    layout: dict[str, list[str]] = {}
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        with search.index_skipped():  # derived data, checked and rebuilt on its own
            for number in range(len(migrations)):
                conn.execute("BEGIN")  # as in the store: some migrations check for one
                _migrate_one(conn, number)
                conn.execute("COMMIT")
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                     " AND name NOT LIKE 'sqlite_%'").fetchall():
            if not search.is_index_table(table):
                layout[table] = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    finally:
        conn.close()
    return layout


def _check_layout(conn: sqlite3.Connection) -> None:
    """quick_check reads the schema's text as text: a damaged byte in a column's name passes
    it, then every read of that table fails. Compare each table with what it must be."""
    for (sql,) in conn.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL"):
        if isinstance(sql, rows.DamagedText):
            raise Damaged("schema text is not text")
    for table, columns in _expected_layout(tuple(schema.MIGRATIONS)).items():
        found = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        if found != columns:
            raise Damaged(f"the table {table} does not have its columns")


def _unexpected(db: Database, error: BaseException) -> StoreError:
    """Any other failure to open: one plain sentence, never a traceback."""
    if isinstance(error, OSError):
        return StoreError(
            f"Could not open your saved data in {db.data_dir}: the computer reported a "
            f"problem reading it ({error.strerror or type(error).__name__}). Check that "
            "the drive is connected, then open the app again. Nothing was changed."
        )
    return StoreError(
        f"Could not open your saved data in {db.data_dir} because of an unexpected "
        "problem. Nothing was changed. Copy that folder somewhere safe and report the "
        "problem; you can restore a backup from File > Restore from a backup."
    )


def _sound_backups(db: Database) -> list[BackupInfo]:
    try:
        return backups.list_backups(db.data_dir, only_sound=True)
    except OSError:
        return []


def _open_file(db: Database, fresh: bool = False) -> None:
    if db.read_only:
        _check_before_reading(db)
        db.conn = _open_reader(db)
        check_and_migrate(db, db.conn)
        return
    path = db.path
    if path.is_symlink():
        raise _link_problem(db)
    size = path.stat().st_size if path.exists() else None
    if size == 0 and checks.has_wal(path):
        size = -1  # killed before the first checkpoint: the -wal holds it all; check it
    if not size:
        if not fresh:
            found = _sound_backups(db)
            if found:
                raise MissingDatabase(path, found, empty_file=size == 0)
        _keep_orphan_sides(db)  # a -wal must never be replayed onto a new file
        if size is None:
            try:
                files.make_private_file(db.path)
            except OSError as error:
                raise save_failed(error, db.data_dir) from error
    else:
        if checks.inspect_file(path) == "foreign":
            raise NotOurFile(
                f"The file {path} is not this app's saved data: another program's database "
                "was put in its place. The app has not changed it and never will. You can "
                "put it aside and start with no saved assessments, or restore a backup.",
                path, _sound_backups(db))
        try:
            problem = checks.check_wal(path)
        except OSError as error:
            raise StoreError(
                f"Your saved data could not be checked before opening: a copy for the check "
                f"could not be made in {db.data_dir} ({error.strerror or error}). Free "
                "some disk space and open the app again. Nothing was changed."
            ) from error
        if problem is not None:
            why, kept = problem
            if not kept:  # a folder that can't be written: nothing can change or be lost
                raise StoreError(
                    f"The file nasro.db-wal beside your saved data {why}. The folder "
                    f"{db.data_dir} can't be written, so nothing was changed. Make it "
                    "writable and open the app again to choose what to do.")
            fix = {checks.MIDDLE: "readable", checks.SWAPPED: "swap"}.get(why, "without")
            raise UnexpectedWal(why, kept, _sound_backups(db), fix)
    try:
        conn = db.connect_writer()
    except NotWritable:
        # The folder or file can't be written (write-protected stick, chmod'ed folder):
        # show what is saved; every save raises SaveFailed and retries reconnecting.
        conn = _open_reader(db)
    except Damaged:
        _move_damaged_aside(db)
        raise AssertionError("unreachable") from None
    db.conn = conn
    search_damaged = False
    try:
        search_damaged = check_and_migrate(db, conn)
    except Damaged:
        _move_damaged_aside(db)
    if db.writable:
        db.ensure_meta(conn)
        _check_search_index(db, conn, search_damaged)
        backups.sweep_evidence(db.data_dir, conn)


def _check_search_index(db: Database, conn: sqlite3.Connection, damaged: bool) -> None:
    """Find's index (store/search.py) is rebuilt if missing or damaged; a failure here
    never stops the data opening (Find then reads the text itself)."""
    if damaged or search.index_problem(conn, counts=False,
                                                    deep="if small") is not None:
        try:
            db.in_transaction(conn, search.rebuild_index)
        except (StoreError, RuntimeError, sqlite3.Error):
            pass


def _check_before_reading(db: Database) -> None:
    """A viewer (the CLI) says plainly when there is nothing of ours to read."""
    if db.path.is_symlink():
        if checks.inspect_file(db.path) == "foreign":  # read through the link, unchanged
            raise StoreError(
                f"The saved data file {db.path} is a link (shortcut) to "
                f"{os.readlink(db.path)}, which is not this app's saved data: it is "
                "another program's database. Nothing was changed. Open the app (the "
                "window) to put the link aside and restore a backup.")
        return
    if checks.has_wal(db.path):
        return
    kind = checks.inspect_file(db.path)
    if kind == "empty":
        backups = _sound_backups(db)
        if backups:
            raise StoreError(
                f"Your saved data file {db.path} is empty, but backups of it exist. Open "
                "the app (the window): it offers to restore your newest backup.")
        raise StoreError(f"There are no saved assessments in {db.data_dir} yet.")
    if kind == "foreign":
        raise StoreError(
            f"The file {db.path} is not this app's saved data (another program's "
            "database is in its place). Nothing was changed. Open the app (the window) to "
            "put it aside and restore a backup.")


def _link_problem(db: Database) -> NotOurFile:
    target = Path(os.readlink(db.path))
    if not target.is_absolute():
        target = db.path.parent / target
    if not target.exists():
        return NotOurFile(
            f"The saved data file {db.path} is a link (shortcut) to {target}, which does "
            "not exist (a drive or sync folder that is not connected?). Connect it and open "
            "the app again, or put the link aside and start with no saved assessments, or "
            "restore a backup.", db.path, _sound_backups(db))
    if checks.inspect_file(db.path) == "foreign":
        return NotOurFile(
            f"The saved data file {db.path} is a link (shortcut) to {target}, which is "
            "not this app's saved data: it is another program's database. The app has not "
            "changed it and never will. You can put the link aside and start with no saved "
            "assessments, or restore a backup.", db.path, _sound_backups(db))
    return NotOurFile(
        f"The saved data file {db.path} is a link (shortcut) to {target}, outside your "
        "data folder. The app never changes files outside its data folder, so it can show "
        "that file for viewing only. To work on it, copy that file into the data folder "
        "in place of the link.", db.path, _sound_backups(db), can_view=True)


def _rename_aside(db: Database, label: str, failure: str) -> Path:
    """Rename the data file and its -wal/-shm to nasro-<label>-<time>.db (never over a file
    already there); `failure` (with {reason}) is the message when that is not possible."""
    moved = files.unused_name(db.data_dir, f"nasro-{label}-{datetime.now():%Y-%m-%d-%H%M%S}")
    try:
        # its -wal first: a WAL left beside a new, empty file would be replayed onto it
        for suffix in SIDE_SUFFIXES:
            side = db.path.with_name(db.path.name + suffix)
            if side.exists():
                side.replace(moved.with_name(moved.name + suffix))
        db.path.replace(moved)
        files.fsync_folder(db.data_dir)
    except OSError as error:
        raise StoreError(failure.replace("{reason}", str(error.strerror or error))) from error
    return moved


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
        live = checks.wal_path(folder / files.DB_NAME)
        shm = folder / (files.DB_NAME + "-shm")
        if live.exists() and not checks._same_bytes(live, kept_wal):
            raise StoreError(
                "The extra file changed since it was checked, so it was left in place. "
                "Open the app again to check it once more.")
        if fix == "readable" and live.exists():
            cut = checks.scan_wal(live)[1]
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


def _open_reader(db: Database) -> sqlite3.Connection:
    """A connection that never writes and sees every committed answer, or a StoreError.

    A -wal left while no copy of the app is running (crash, sync tool) is read from a
    private copy after the same check the window makes; so is one in a folder where SQLite
    cannot make its -shm index (a read-only folder), where reading the file alone would
    silently miss the answers only the -wal holds."""
    if checks.has_wal(db.path) and (db.lock.held or db.path.is_symlink()):
        return _snapshot_reader(db)
    try:
        conn = _connect_reader(db, immutable=db.path.is_symlink())
    except StoreError:
        if checks.has_wal(db.path):
            return _snapshot_reader(db)
        raise
    return conn


def _snapshot_reader(db: Database) -> sqlite3.Connection:
    db.remove_snapshot()
    db.snapshot = Path(tempfile.mkdtemp(prefix="nasro-view-"))
    try:
        copy = checks.snapshot(db.path, db.snapshot)
    except OSError as error:
        db.remove_snapshot()
        raise StoreError(
            f"Your saved data in {db.data_dir} could not be read completely: a private "
            f"copy could not be made ({error.strerror or error}). Free some disk space, or "
            "open the app (the window) once so it can tidy the data file, then try again."
        ) from error
    why = checks.wal_problem(copy)
    if why is not None:
        db.remove_snapshot()
        raise StoreError(
            f"The file nasro.db-wal beside your saved data {why}. Nothing was changed. Open "
            "the app (the window): it keeps both files and lets you choose what to do."
        )
    conn = files.connect_ro(copy)
    conn.row_factory = sqlite3.Row
    conn.text_factory = rows.read_text
    db.writable = False
    return conn


def _connect_reader(db: Database, *, immutable: bool = False) -> sqlite3.Connection:
    last: sqlite3.Error | None = None
    for mode in ((True,) if immutable else (False, True)):
        if mode and checks.has_wal(db.path) and not db.path.is_symlink():
            break  # reading the file alone would hide what only its -wal holds
        try:
            conn = files.connect_ro(db.path, immutable=mode)
            conn.row_factory = sqlite3.Row
            conn.text_factory = rows.read_text
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            db.writable = False
            return conn
        except sqlite3.Error as error:
            last = error
            if is_damage(error):
                if db.read_only:
                    raise _damaged_read_only() from error
                _move_damaged_aside(db)
    raise StoreError(
        f"Could not open your saved data in {db.data_dir}. Check that the drive is "
        "connected and that you may read that folder."
    ) from last


def _damaged_read_only() -> StoreError:
    return StoreError(
        "Your saved data file is damaged. Open the app normally (not read-only) so it can "
        "put the damaged file aside and offer your newest backup."
    )


def _move_damaged_aside(db: Database) -> None:
    """Rename the damaged file (and its -wal/-shm) to nasro-damaged-<time>.db; raise."""
    db.drop_connection()
    moved = _rename_aside(db,
        "damaged", f"Your saved data file in {db.data_dir} is damaged and could not be "
        "moved aside. Copy the whole folder somewhere safe, then restore a backup.")
    raise DamagedDatabase(moved, backups.list_backups(db.data_dir, only_sound=True))


def _keep_orphan_sides(db: Database) -> None:
    """A -wal without its data file (a move interrupted by a crash, a partial copy) must not
    be replayed onto a new file: keep it aside under another name, never delete it."""
    stamp = datetime.now().strftime("%Y-%m-%d-%H%M%S")
    for suffix in SIDE_SUFFIXES:
        side = db.path.with_name(db.path.name + suffix)
        if side.exists():
            try:
                side.replace(db.data_dir / f"nasro-orphan-{stamp}.db{suffix}")
            except OSError as error:
                raise save_failed(error, db.data_dir) from error
