"""Backups of the whole data file (SQLite's online backup API) and of the evidence it names.

Each backup opens its own connections, so it can run in a worker thread while the window keeps
saving (in WAL mode a reader never blocks the writer). A backup is written to a temporary file,
checked, fsync'd and only then renamed into place: a half-written backup never exists under a
backup's name.

Where the evidence files go (store/evidence.py keeps them in `evidence/<2 hex>/<sha256>`)
-------------------------------------------------------------------------------------------
    <data folder>/
        nasro.db                       the live data
        evidence/ab/ab12…              the live files, one per distinct content, read-only
        backups/
            nasro-daily-….db           each backup database lists, in its own evidence table,
            nasro-weekly-….db          the SHA-256 of every file it needs
            evidence/ab/ab12…          the pool: ONE copy of every file some backup needs

- Automatic (7 daily + 4 weekly), pre-migration and "before a restore" backups in backups/
  share the pool. Before a backup takes its name, every file its database names is copied
  into the pool if it is not there yet (streamed, SHA-256 checked), so a backup never exists
  without its files, and a daily backup of unchanged evidence copies nothing (each copy's SHA-256
  is checked, both sides). After rotation the pool is pruned: a file that no kept backup and not the
  live data names is removed (if any backup can't be read, nothing is removed). Each
  daily backup also checks every file the data names by its SHA-256, in evidence/ and in
  the pool, and repairs one copy from the other (check_evidence, issue 27): a same-size
  damaged copy is never kept.
  Space: the evidence takes its size once in evidence/ and once in the pool, whatever the
  number of backups (11 or more). A real second copy rather than a hard link: a hard link is
  the same bytes, so a file damaged on disk or changed in place (a sync tool, a virus
  scanner, someone who made it writable) would be damaged in every backup too; copies also
  work on drives without hard links (FAT/exFAT sticks).
- "Back up now" (Store.backup_to, to any folder or drive) writes ONE self-contained file: the
  database copy plus the evidence files inside it in a `sqlar` table (SQLite's own archive
  layout: name `evidence/<2 hex>/<sha256>`, stored uncompressed), checked after writing. It
  restores everything on its own, still opens as a plain SQLite file, and IT can list or
  extract the files with the sqlite3 command-line tool (`sqlite3 FILE -Atv`, `-Ax`).
- Restore (Store.restore_backup) puts the evidence back first: every file the backup names
  that evidence/ lacks (or holds damaged) is copied back, hash checked, from the backup file
  itself (its sqlar table), else the pool. Then the data file is replaced as before (its
  sqlar table dropped: the live data never carries the files). A backup made before evidence
  was kept in backups (a database only) restores as before; its files are still in evidence/
  because the live sweep keeps every file a backup names.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import sqlite3
import stat
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from nasro_desktop import paths as app_paths
from nasro_desktop import portable
from nasro_desktop.store import checks, evidence, files, rows, schema
from nasro_desktop.store.checks import read_meta
from nasro_desktop.store.errors import BackupInfo, DataInUse, StoreError, save_failed
from nasro_desktop.store.lock import FolderLock, LockBusy

SQLAR = "sqlar"
_SQLAR_SQL = ("CREATE TABLE IF NOT EXISTS sqlar(name TEXT PRIMARY KEY, mode INT, mtime INT,"
              " sz INT, data BLOB)")
# One pool writer at a time in this process (an automatic backup on its worker thread and a
# pre-update copy on the window's thread); another process never writes the pool without
# the data folder's exclusive lock.
_POOL_LOCK = threading.RLock()
KEEP_DAILY = 7
KEEP_WEEKLY = 4
_NAME = re.compile(
    r"nasro-(?P<kind>daily|weekly|manual|pre-migration)(?:-v\d+)?-"
    r"(?P<stamp>\d{4}-\d\d-\d\d-\d{6})(?:-\d+)?\.db"
)


def new_backup_path(folder: Path, kind: str, when: datetime, schema_version: int | None = None) -> Path:
    """A backup name in `folder` that no file has yet (a restore right after "Back up now")."""
    version = f"-v{schema_version}" if schema_version is not None else ""
    return files.unused_name(folder, f"nasro-{kind}{version}-{when:%Y-%m-%d-%H%M%S}")


def copy_database(src: Path, dest: Path, *,
                  before_publish: Callable[[Path], None] | None = None) -> Path:
    """Copy a live database (with what its WAL holds) to `dest` as a self-contained file.
    `before_publish(tmp)` runs on the finished copy before it is checked and takes its name
    (the evidence it needs is put in place then)."""
    files.make_private_folder(dest.parent)
    tmp = files.temp_beside(dest)
    try:
        source = files.connect_ro(src)  # a backup never needs to write to what it copies
        try:
            target = sqlite3.connect(tmp, isolation_level=None)
            try:
                source.backup(target)  # all pages in one step: one consistent snapshot
                # a backup is one plain file (no -wal beside it) that opens anywhere
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
        finally:
            source.close()
        if before_publish is not None:
            before_publish(tmp)
        files.fsync_file(tmp)
        try:
            check_backup(tmp, full=True)
        except StoreError as error:  # a copy just made is damaged: its source is
            raise SourceDamaged(str(error)) from error
        tmp.replace(dest)
        files.fsync_folder(dest.parent)
    except BaseException:
        _discard(tmp)
        raise
    return dest


class Backups:
    """`store.backups`: the backups of the open data file (the automatic daily one, "Back up
    now", the copy before an update) and what the last one found about its evidence files.
    Restoring one needs no open Store (`restore_backup`, below)."""

    def __init__(self, data_dir: Path, *, read_only: bool, snapshot: Path | None) -> None:
        self.data_dir = data_dir
        self.read_only = read_only
        # a reader of a private copy (a -wal in a read-only folder) backs up that copy
        self.source = (snapshot or data_dir) / files.DB_NAME
        # what the last backup found about the evidence files (check_evidence): files
        # repaired from the other copy, files whole nowhere; [] when all was well
        self.notes: list[str] = []

    def auto(self, now: datetime | None = None) -> Path | None:
        """At most one a day, kept 7 daily + 4 weekly. Safe to call from a worker thread: it
        uses its own connections and never blocks saving. Returns the new backup, or None
        (also for a read-only view: a newer app's file or a file outside the folder is not
        ours)."""
        if self.read_only:
            return None
        notes: list[str] = []
        try:
            made = auto_backup(self.data_dir, now, notes)
        except (OSError, sqlite3.Error) as error:
            raise save_failed(error, self.data_dir / files.BACKUP_FOLDER) from error
        self.notes = notes
        return made

    def save_to(self, dest: Path | str) -> Path:
        """"Back up now": one self-contained file at `dest` (a folder: a new name in it)
        holding the whole data file and its evidence files, checked after writing."""
        dest = Path(dest).expanduser()
        if dest.is_dir():
            dest = new_backup_path(dest, "manual", datetime.now())
        files.check_dest(dest, None)
        checks.clean_stale_beside(dest)
        notes: list[str] = []
        try:
            made = publish_copy(self.data_dir, self.source, dest, notes)
        except (OSError, sqlite3.Error) as error:
            why = (files.why_not(error) if isinstance(error, OSError)
                   else "check there is room and that you may write to that folder")
            raise StoreError(
                f"Could not write the backup to {dest}: {why}. Your data is unchanged."
            ) from error
        self.notes = notes
        return made

    def before_update(self) -> None:
        """A "before an update" backup, so an upgrade of the questions can always be undone."""
        try:
            before_update(self.data_dir)
        except (OSError, sqlite3.Error) as error:
            raise save_failed(error, self.data_dir / files.BACKUP_FOLDER) from error

    def all(self) -> list[BackupInfo]:
        """Newest first by what they hold (list_backups)."""
        return list_backups(self.data_dir)


def before_update(data_dir: Path, schema_version: int | None = None) -> Path:
    """A "pre-migration" backup of the data file in backups/ (before a new data layout at
    open, or a newer question set): an update can always be undone."""
    folder = data_dir / files.BACKUP_FOLDER
    files.make_private_folder(folder)
    return backup_into(data_dir, data_dir / files.DB_NAME,
                       new_backup_path(folder, "pre-migration", datetime.now(), schema_version))


# --- the evidence a backup needs --------------------------------------------------------------


def needed_by(db: Path, *, immutable: bool = True) -> dict[str, int]:
    """{sha256: size} of the evidence a data file or backup names ({} before evidence).
    `immutable=False` for the live data file (its -wal is read too)."""
    conn = files.connect_ro(db, immutable=immutable)
    try:
        return evidence.names_in(conn)
    finally:
        conn.close()


def _sources(data_dir: Path, sha: str) -> list[Path]:
    """Where the file of `sha` may be: the evidence folder, then the backups' pool."""
    return [evidence.blob_in(evidence.folder_of(data_dir), sha),
            evidence.blob_in(evidence.pool_of(data_dir), sha)]


def _copy_in(root: Path, sha: str, size: int, sources: list[Path], *,
             sync_folders: bool = True) -> bool:
    """Put the file of `sha` into `root` from the first source that holds it whole. A source
    that can't be opened or does not match is skipped; a failure to write (a full disk) is
    raised: a backup or a restore must not say it is complete when it is not."""
    for source in sources:
        try:  # a regular file only: never a link, a pipe or a device
            handle = os.fdopen(portable.open_regular(source), "rb")
        except OSError:
            continue
        try:
            with handle:
                evidence.store_checked(root, handle.read, size, sha, sync_folders=sync_folders)
            return True
        except evidence.EvidenceProblem:
            continue
    return False


def fill_pool(data_dir: Path, needed: dict[str, int]) -> list[str]:
    """Copy into the pool each needed file it lacks or holds damaged (every copy's SHA-256 is
    checked: a same-size damaged copy is never kept); the hashes that could not be found
    whole (missing or damaged in evidence/ already: the backup is still made, its data
    matters, and check_evidence says so)."""
    pool, live = evidence.pool_of(data_dir), evidence.folder_of(data_dir)
    missing, touched = [], set()
    for sha, size in needed.items():
        if not evidence.SHA256_NAME.fullmatch(sha):  # names no file: nothing is read for it
            missing.append(sha)
            continue
        if evidence.good_copy(pool, sha, size):
            continue  # unchanged evidence is never copied again
        if _copy_in(pool, sha, size, [evidence.blob_in(live, sha)], sync_folders=False):
            touched.add(evidence.blob_in(pool, sha).parent)
        else:
            missing.append(sha)
    for folder in sorted(touched):  # each file was fsync'd; their names once per folder,
        files.fsync_folder(folder)  # all before the backup that needs them takes its name
    if touched:
        files.fsync_folder(pool)
    return missing


def _records(db: Path) -> dict[str, tuple[int, str]]:
    """{sha256: (size, a file name)} of the valid evidence records of a database."""
    conn = files.connect_ro(db, immutable=True)
    try:
        if not files.has_table(conn, "evidence"):
            return {}
        return {str(sha): (int(size), str(name)) for sha, size, name in conn.execute(
            "SELECT sha256, max(size), min(file_name) FROM evidence GROUP BY sha256")
            if isinstance(sha, str) and evidence.SHA256_NAME.fullmatch(sha)}
    finally:
        conn.close()


def check_evidence(data_dir: Path, db: Path) -> list[str]:
    """Check every file the data file `db` names, in evidence/ and in the pool, by its
    SHA-256 (the periodic re-check: at each daily backup, on its worker thread); a copy
    missing or damaged on one side is made again from the other, whole one.
    What the user must be told, one sentence each: a file repaired from the backup copy, a
    damaged backup copy made again, a file whole nowhere (this backup does not hold it)."""
    pool, live = evidence.pool_of(data_dir), evidence.folder_of(data_dir)
    notes: list[str] = []
    for sha, (size, name) in sorted(_records(db).items(), key=lambda kv: kv[1][1]):
        live_ok = evidence.good_copy(live, sha, size)
        pool_ok = evidence.good_copy(pool, sha, size)
        if live_ok and pool_ok:
            continue
        if live_ok:  # the pool lacks it (a new file: no word) or holds it damaged
            damaged = os.path.lexists(evidence.blob_in(pool, sha))
            if _copy_in(pool, sha, size, [evidence.blob_in(live, sha)]) and damaged:
                notes.append(f"The backup copy of {name} was damaged; it was made again "
                             "from the evidence folder.")
        elif pool_ok:
            how = "damaged" if os.path.lexists(evidence.blob_in(live, sha)) else "missing"
            if _copy_in(live, sha, size, [evidence.blob_in(pool, sha)]):
                notes.append(f"The saved copy of {name} was {how}; it was repaired from the "
                             "backup copy.")
        else:
            notes.append(_lacking(data_dir, sha, name))
    return notes


def _lacking(data_dir: Path, sha: str, name: str) -> str:
    """The sentence for a file whole in neither evidence/ nor the pool."""
    there = any(os.path.lexists(path) for path in _sources(data_dir, sha))
    return (f"{name} is {'damaged' if there else 'missing'} in the evidence folder and in "
            "the backups, so this backup does not hold it. Attach the original file again.")


def backup_into(data_dir: Path, src: Path, dest: Path, notes: list[str] | None = None
                ) -> Path:
    """A backup in backups/ (daily, pre-migration, before a restore): the database copy,
    published only once the pool holds every file it names, each checked by its SHA-256;
    what the user must be told about them is added to `notes` (check_evidence)."""
    with _POOL_LOCK:
        try:
            return copy_database(src, dest,
                                 before_publish=lambda tmp: _fill_from(data_dir, tmp, notes))
        except SourceDamaged:
            if src != data_dir / files.DB_NAME:
                raise
            raise _damage_found(data_dir) from None


def _fill_from(data_dir: Path, tmp: Path, notes: list[str] | None = None) -> None:
    found = check_evidence(data_dir, tmp)  # each file the copy names: both
    if notes is not None:  # copies checked, and the pool's filled or repaired
        notes.extend(found)
    checked = set(_records(tmp))
    needed: dict[str, int] = {}
    # a backup made before the pool existed (database only): its files join the pool too
    for backup in list_backups(data_dir):
        try:
            for sha, size in needed_by(backup.path).items():
                needed.setdefault(sha, size)
        except sqlite3.Error:
            continue
    fill_pool(data_dir, {sha: size for sha, size in needed.items() if sha not in checked})


def prune_pool(data_dir: Path) -> int:
    """Remove from the pool the files that no backup in backups/ and not the live data names,
    and half-written ones. Nothing is removed if any backup or the data can't be read. How
    many files were removed."""
    pool = evidence.pool_of(data_dir)
    if not _real_folder(pool):  # a link is never followed (Store.open refuses it)
        return 0
    with _POOL_LOCK:
        keep: set[str] = set()
        try:
            for backup in list_backups(data_dir):
                keep.update(needed_by(backup.path))
            live = data_dir / files.DB_NAME
            if live.is_file() and not live.is_symlink():
                keep.update(needed_by(live, immutable=False))
        except (sqlite3.Error, OSError):
            return 0
        removed = 0
        for entry in list(pool.iterdir()):
            if entry.name.startswith(".incoming-"):  # under the lock: nobody is writing it
                entry.unlink(missing_ok=True)
                removed += 1
            elif len(entry.name) == 2 and _real_folder(entry):
                for path in list(entry.iterdir()):
                    if path.name not in keep:
                        with contextlib.suppress(OSError):
                            portable.chmod_regular(path, 0o600)  # Windows: not read-only;
                            path.unlink()  # a link: the link only, never what it points at
                            removed += 1
                with contextlib.suppress(OSError):
                    entry.rmdir()  # only when empty
        return removed


def _real_folder(path: Path) -> bool:
    """A folder, not a link to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


# --- keeping the live evidence folder tidy (it keeps what any backup names) ---------------


def _names_in_backups(data_dir: Path) -> set[str]:
    """The files the backups name, and the data files put aside (damaged, replaced, "start
    with no saved assessments"): whoever restores or opens one of those finds its files
    still here. A file that can't be read raises: sweep_evidence then keeps every file
    rather than guess."""
    aside = [p for p in data_dir.glob("nasro-*.db") if p.is_file() and not p.is_symlink()]
    named: set[str] = set()
    for path in [b.path for b in list_backups(data_dir)] + aside:
        named.update(needed_by(path))
    return named


def sweep_evidence(data_dir: Path, conn: sqlite3.Connection) -> int:
    """Remove half-written files and files no record names (in the data file, any backup or
    any data file put aside).
    Run when the data opens, holding the folder lock. Never raises; how many were removed."""
    folder = evidence.folder_of(data_dir)
    if not _real_folder(folder):  # a link is never followed (Store.open refuses it)
        return 0
    removed = 0
    try:
        stored: list[Path] = []
        for entry in folder.iterdir():
            if entry.name.startswith(evidence.INCOMING):
                entry.unlink(missing_ok=True)  # a link: the link only
                removed += 1
            elif len(entry.name) == 2 and _real_folder(entry):
                stored.extend(p for p in entry.iterdir() if len(p.name) == 64)
        if not stored:
            return removed
        live = {r[0] for r in conn.execute("SELECT DISTINCT sha256 FROM evidence")}
        unnamed = [p for p in stored if p.name not in live]
        if not unnamed:
            return removed
        kept = _names_in_backups(data_dir)
        for path in unnamed:
            if path.name not in kept:
                path.unlink(missing_ok=True)
                removed += 1
    except (OSError, sqlite3.Error):
        pass
    return removed


# --- "Back up now": one file that restores everything ----------------------------------------


def evidence_inside(data_dir: Path, notes: list[str] | None = None
                    ) -> Callable[[Path], None]:
    """A `before_publish` that writes every file the copy names into its sqlar table, then
    reads each one back and checks its SHA-256. A file whole nowhere is said in `notes`."""
    def add(tmp: Path) -> None:
        needed = needed_by(tmp)
        if not needed:
            return
        archived: set[str] = set()
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(_SQLAR_SQL)
            for sha, size in sorted(needed.items()):
                if evidence.SHA256_NAME.fullmatch(sha):  # else it names no file: none read
                    _put_in_archive(conn, sha, size, _sources(data_dir, sha))
            conn.execute("COMMIT")
            for name, row_id, size in conn.execute(
                    "SELECT name, rowid, sz FROM sqlar").fetchall():
                if _archived_hash(conn, row_id, size) != name.rsplit("/", 1)[-1]:
                    raise StoreError("The evidence copied into the backup did not read back "
                                     "the same. Nothing was written; try again.")
                archived.add(name.rsplit("/", 1)[-1])
        finally:
            conn.close()
        if notes is not None:  # whole in neither evidence/ nor the pool: said, by name
            for sha, (_size, name) in sorted(_records(tmp).items(), key=lambda kv: kv[1][1]):
                if sha not in archived:
                    notes.append(_lacking(data_dir, sha, name))
    return add


def _put_in_archive(conn: sqlite3.Connection, sha: str, size: int, sources: list[Path]) -> None:
    name = f"{files.EVIDENCE_FOLDER}/{sha[:2]}/{sha}"
    for source in sources:
        try:  # a regular file only: never a link, a pipe or a device
            handle = os.fdopen(portable.open_regular(source), "rb")
        except OSError:
            continue
        with handle:
            row_id = conn.execute(
                "INSERT OR REPLACE INTO sqlar (name, mode, mtime, sz, data)"
                " VALUES (?, ?, ?, ?, zeroblob(?))",
                (name, 0o100400, int(datetime.now().timestamp()), size, size)).lastrowid
            digest, done = hashlib.sha256(), 0
            if size:
                with conn.blobopen(SQLAR, "data", int(row_id or 0)) as blob:
                    while done < size and (chunk := handle.read(min(evidence.CHUNK,
                                                                    size - done))):
                        blob.write(chunk)
                        digest.update(chunk)
                        done += len(chunk)
            if done == size and digest.hexdigest() == sha:
                return
            conn.execute("DELETE FROM sqlar WHERE name = ?", (name,))
    # in neither place whole: the record stays, restore reports the file as missing


def _archived_hash(conn: sqlite3.Connection, row_id: int, size: int) -> str:
    digest = hashlib.sha256()
    if size:
        with conn.blobopen(SQLAR, "data", row_id, readonly=True) as blob:
            while chunk := blob.read(evidence.CHUNK):
                digest.update(chunk)
    return digest.hexdigest()


def publish_copy(data_dir: Path, source: Path, dest: Path, notes: list[str] | None = None
                 ) -> Path:
    """"Back up now": the self-contained backup (database + its evidence inside) is made and
    checked in our own folder (whose temporary files are removed at start-up), then published
    beside the user's files (files.publish), so a kill never leaves a half-made copy there.
    An evidence file whole nowhere is said in `notes`."""
    inside = evidence_inside(data_dir, notes)
    try:
        with files.staged(data_dir / files.BACKUP_FOLDER, dest) as staging:
            staging.unlink()  # copy_database gives the checked copy this name
            copy_database(source, staging, before_publish=inside)
    except SourceDamaged:
        raise _damage_found(data_dir) from None
    return dest


# --- restore ------------------------------------------------------------------------------


def restore_evidence(folder: Path, backup: Path) -> list[str]:
    """Put back into evidence/ every file `backup` names that is not there whole, from the
    backup's own sqlar table, else the pool (each hash checked). The names of the files found
    nowhere (their records stay; reading one says it is missing)."""
    live = evidence.folder_of(folder)
    conn = files.connect_ro(backup, immutable=True)
    try:
        needed = evidence.names_in(conn)
        if not needed:
            return []
        has_archive = files.has_table(conn, SQLAR)
        missing: list[str] = []
        for sha, size in sorted(needed.items()):
            if evidence.good_copy(live, sha, size):
                continue
            if has_archive and _from_archive(conn, live, sha, size):
                continue
            if _copy_in(live, sha, size, [evidence.blob_in(evidence.pool_of(folder), sha)]):
                continue
            row = conn.execute("SELECT file_name FROM evidence WHERE sha256 = ? LIMIT 1",
                               (sha,)).fetchone()
            missing.append(str(row[0]) if row else sha[:12])
        return missing
    finally:
        conn.close()


def _from_archive(conn: sqlite3.Connection, live: Path, sha: str, size: int) -> bool:
    row = conn.execute("SELECT rowid, sz, length(data) FROM sqlar WHERE name = ?",
                       (f"{files.EVIDENCE_FOLDER}/{sha[:2]}/{sha}",)).fetchone()
    if row is None or row[1] != size or row[2] != size:  # absent, or compressed by a tool
        return False
    try:
        if size == 0:
            evidence.store_checked(live, lambda _n: b"", 0, sha)
            return True
        with conn.blobopen(SQLAR, "data", int(row[0]), readonly=True) as blob:
            evidence.store_checked(live, blob.read, size, sha)
        return True
    except (sqlite3.Error, evidence.EvidenceProblem):
        return False


def put_meta(conn: sqlite3.Connection, store_id: str | None, generation: int) -> None:
    """The file's id and change count (see checks.py)."""
    rows.put_setting(conn, checks.META_GENERATION, generation)
    if store_id is not None:
        rows.put_setting(conn, checks.META_ID, store_id)


def restore_backup(data_dir: Path | str | None, backup: Path | str) -> list[str]:
    """Replace the data file with `backup` (checked first), its evidence put back first. The
    current file, if any, is copied aside into backups/ first. The names of evidence files
    that could not be found (see restore_evidence); [] when everything came back."""
    folder = app_paths.data_dir(data_dir)
    backup = Path(backup).expanduser()
    if not backup.is_file():
        raise StoreError(f"The backup {backup} was not found. Choose another file.")
    check_backup(backup)
    files.make_private_folder(folder)
    problem = checks.ownership_problem(folder)
    if problem is not None:
        raise StoreError(problem)
    try:
        lock = FolderLock.acquire(folder)
    except LockBusy as error:
        raise DataInUse(folder) from error
    try:
        missing = restore_evidence(folder, backup)
        _replace_data(folder, backup)
        return missing
    except (OSError, sqlite3.Error) as error:
        raise StoreError(
            f"Could not restore the backup into {folder}: check there is room and that you "
            "may write to that folder. Your current data is unchanged."
        ) from error
    finally:
        lock.release()


def _replace_data(folder: Path, backup: Path) -> None:
    current = folder / files.DB_NAME
    sides = [current.with_name(current.name + s) for s in ("-wal", "-shm")]
    if current.exists() and not current.is_symlink():
        aside_folder = folder / files.BACKUP_FOLDER
        files.make_private_folder(aside_folder)
        aside = new_backup_path(aside_folder, "manual", datetime.now())
        raw = checks.has_wal(current)  # a -wal not yet checked: keep its bytes, never replay it
        if not raw:
            try:
                backup_into(folder, current, aside)
            except (sqlite3.Error, StoreError):
                raw = True  # the current file is damaged: keep its raw bytes instead
        if raw:
            shutil.copyfile(current, aside)
            for side in sides:
                if side.exists():
                    shutil.copyfile(side, aside.with_name(aside.name + side.name[-4:]))
    elif current.is_symlink():
        # a link to a file elsewhere: the link is put aside, the file it points to never touched
        current.replace(folder / f"nasro-link-{datetime.now():%Y-%m-%d-%H%M%S}.db")
    # The restored copy counts as the newest content in the folder: later backups of it must
    # sort above every backup made before the restore (see checks.py).
    generation = folder_generation(folder) + 1
    tmp = files.temp_beside(current)
    try:
        shutil.copyfile(backup, tmp)
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=DELETE")
            conn.execute("BEGIN IMMEDIATE")

            put_meta(conn, None if checks.read_meta(conn) else uuid.uuid4().hex, generation)
            archived = files.has_table(conn, SQLAR)
            if archived:  # the files are in evidence/ now: the live data never carries them
                conn.execute(f"DROP TABLE {SQLAR}")
            conn.execute("COMMIT")
            if archived:
                conn.execute("VACUUM")
        finally:
            conn.close()
        files.fsync_file(tmp)
        for side in sides:  # an old WAL must never be replayed onto the restored file
            side.unlink(missing_ok=True)
        tmp.replace(current)
        files.fsync_folder(folder)
    except BaseException:
        _discard(tmp)
        raise


def _discard(tmp: Path) -> None:
    """A copy that will not take its name, and the journal SQLite may have left beside it."""
    tmp.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        Path(str(tmp) + "-journal").unlink(missing_ok=True)


class SourceDamaged(StoreError):
    """The copy just made fails SQLite's full check: the data file it was copied from holds
    damage (one the quick check at open misses)."""


class DamageFound(StoreError):
    """A backup's full check found damage in the live data (see _damage_found);
    `backup_text` is the whole sentence for the window's automatic-backup notice."""

    backup_text = (
        "Today's automatic backup found damage in your saved data that the quick check at "
        "start does not find. No backup was made, so your older backups are all kept. Close "
        "the app and open it again: it will check the file fully, put the damaged file aside "
        "and offer your newest backup.")


def _damage_found(data_dir: Path) -> StoreError:
    """The damage a backup's full check found in the live data: the next open checks it
    fully (files.FULL_CHECK_MARK) and deals with it as any damage found at open."""
    with contextlib.suppress(OSError):
        (data_dir / files.FULL_CHECK_MARK).touch()
    return DamageFound(
        "Your saved data file has damage the quick check at start does not find (the full "
        "check made while backing up found it). No backup was made. Open the app (the "
        "window): it will check the file fully, put the damaged file aside and offer your "
        "newest backup.")


def check_backup(path: Path, *, full: bool = False) -> int:
    """Raise StoreError unless `path` is a sound data file this app can open; its schema
    version. `full`: SQLite's full integrity_check (a copy just made), else quick_check."""
    try:
        conn = files.connect_ro(path, immutable=True)
    except sqlite3.Error as error:
        raise StoreError(f"The file {path.name} could not be opened as a backup.") from error
    try:
        problems = files.check_problems(conn, full=full)
        if problems and not files.only_search_index(problems):  # Find's index is rebuilt
            raise StoreError(f"The backup {path.name} is damaged. Choose another backup.")
        version, _ = schema.read_version(conn)
        has_data = files.has_table(conn, "assessments")
        bad = evidence.bad_record(conn)  # as import checks them: nothing is read for it
        if bad is not None:
            raise StoreError(
                f"The file {path.name} can't be restored: {bad}. This app never writes such "
                "a record, so the file was changed or not made by this app. Nothing was "
                "changed. Choose another backup.")
    except sqlite3.Error as error:
        raise StoreError(
            f"The file {path.name} is not a backup of this app, or it is damaged. "
            "Choose another backup."
        ) from error
    finally:
        conn.close()
    if version < 1 or not has_data:
        raise StoreError(f"The file {path.name} is not a backup of this app. Choose another backup.")
    if version > len(schema.MIGRATIONS):
        raise StoreError(
            f"The backup {path.name} was made by a newer version of this app. "
            "Install the newer version to restore it."
        )
    return version


def _contents(path: Path) -> tuple[str, int]:
    """(store id, generation) read from inside a backup; ("", 0) for an older app's backup."""
    try:
        conn = files.connect_ro(path, immutable=True)
    except sqlite3.Error:
        return "", 0
    try:
        meta = read_meta(conn)
    finally:
        conn.close()
    return ("", 0) if meta is None else (meta.store_id, meta.generation)


def list_backups(data_dir: Path, *, only_sound: bool = False,
                 now: datetime | None = None) -> list[BackupInfo]:
    """Backups in data_dir/backups, newest first by what they hold (their change count), not
    by the date in their name: a clock set wrong when one was made must not make an older
    copy look newer. Ties (an older app's backups) fall back to the date. A backup dated
    after `now` is flagged `future`."""
    folder = data_dir / files.BACKUP_FOLDER
    found: list[BackupInfo] = []
    if not folder.is_dir():
        return found
    now = now or datetime.now()
    for path in folder.iterdir():
        match = _NAME.fullmatch(path.name)
        if not match or path.is_symlink():
            continue
        try:
            size = path.stat().st_size
            created = datetime.strptime(match["stamp"], "%Y-%m-%d-%H%M%S")
        except (OSError, ValueError):
            continue
        if only_sound:
            try:
                check_backup(path)
            except StoreError:
                continue
        store_id, generation = _contents(path)
        found.append(BackupInfo(path=path, created=created, size=size, kind=match["kind"],
                                store_id=store_id, generation=generation,
                                future=created > now + timedelta(hours=1)))
    found.sort(key=lambda b: (b.generation, b.created, b.path.name), reverse=True)
    return found


def folder_generation(data_dir: Path) -> int:
    """The highest change count of the data file and of every backup in the folder."""
    highest = max((b.generation for b in list_backups(data_dir)), default=0)
    current = data_dir / files.DB_NAME
    if current.is_file() and not current.is_symlink():
        highest = max(highest, _contents(current)[1])
    return highest


def auto_backup(data_dir: Path, now: datetime | None = None,
                notes: list[str] | None = None) -> Path | None:
    """At most one daily backup a day; keeps the 7 newest daily and 4 newest weekly ones of
    the current data file (newest by content), and never the one just made. Every evidence
    file is checked then, in evidence/ and in the pool, and repaired from the other copy
    (check_evidence); what the user must be told is added to `notes`."""
    now = now or datetime.now()
    existing = list_backups(data_dir, now=now)
    if any(b.kind == "daily" and b.created.date() == now.date() for b in existing):
        return None
    folder = data_dir / files.BACKUP_FOLDER
    files.make_private_folder(folder)
    daily = backup_into(data_dir, data_dir / files.DB_NAME, new_backup_path(folder, "daily", now),
                        notes)
    made = {daily}
    week = now.isocalendar()[:2]
    if not any(b.kind == "weekly" and b.created.isocalendar()[:2] == week for b in existing):
        weekly = new_backup_path(folder, "weekly", now)
        files.publish(weekly, daily)  # atomic, and checked after writing
        made.add(weekly)
    _rotate(data_dir, made, _contents(daily)[0])
    prune_pool(data_dir)
    return daily


def _rotate(data_dir: Path, made: set[Path], store_id: str) -> None:
    """Rotation only among the backups of the current data file (same id): backups of a file
    that was replaced (after damage, "start with no saved assessments", an older app) are the
    last good copies of that data and are never rotated away. The new ones are never removed."""
    backups = [b for b in list_backups(data_dir) if b.store_id == store_id and store_id]
    for kind, keep in (("daily", KEEP_DAILY), ("weekly", KEEP_WEEKLY)):
        for old in [b for b in backups if b.kind == kind][keep:]:
            if old.path not in made:
                old.path.unlink(missing_ok=True)
