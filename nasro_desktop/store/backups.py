"""Backups of the whole data file, made with SQLite's online backup API.

Each backup opens its own connections, so it can run in a worker thread while the window keeps
saving (in WAL mode a reader never blocks the writer). A backup is written to a temporary file,
checked, fsync'd and only then renamed into place: a half-written backup never exists under a
backup's name.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from nasro_desktop.store import files
from nasro_desktop.store.errors import BackupInfo, StoreError
from nasro_desktop.store.schema import MIGRATIONS, read_version

BACKUP_FOLDER = "backups"
KEEP_DAILY = 7
KEEP_WEEKLY = 4
KINDS = ("daily", "weekly", "manual", "pre-migration")
_NAME = re.compile(
    r"nasro-(?P<kind>daily|weekly|manual|pre-migration)(?:-v\d+)?-"
    r"(?P<stamp>\d{4}-\d\d-\d\d-\d{6})(?:-\d+)?\.db"
)


def backup_name(kind: str, when: datetime, schema_version: int | None = None) -> str:
    version = f"-v{schema_version}" if schema_version is not None else ""
    return f"nasro-{kind}{version}-{when:%Y-%m-%d-%H%M%S}.db"


def new_backup_path(folder: Path, kind: str, when: datetime, schema_version: int | None = None) -> Path:
    """A backup name in `folder` that no file has yet: two copies made in the same second
    (a restore right after "Back up now") must never overwrite each other."""
    stem = backup_name(kind, when, schema_version).removesuffix(".db")
    path, counter = folder / f"{stem}.db", 2
    while path.exists():
        path, counter = folder / f"{stem}-{counter}.db", counter + 1
    return path


def copy_database(src: Path, dest: Path) -> Path:
    """Copy a live database (with what its WAL holds) to `dest` as a self-contained file."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = files.temp_beside(dest)
    try:
        source = sqlite3.connect(src, isolation_level=None, timeout=files.BUSY_TIMEOUT_MS / 1000)
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
        files.fsync_file(tmp)
        check_backup(tmp)
        tmp.replace(dest)
        files.fsync_folder(dest.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dest


def check_backup(path: Path) -> int:
    """Raise StoreError unless `path` is a sound data file this app can open; its schema version."""
    try:
        conn = files.connect_ro(path, immutable=True)
    except sqlite3.Error as error:
        raise StoreError(f"The file {path.name} could not be opened as a backup.") from error
    try:
        if not files.quick_check(conn):
            raise StoreError(f"The backup {path.name} is damaged. Choose another backup.")
        version, _ = read_version(conn)
        has_data = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'assessments'"
        ).fetchone()
    except sqlite3.Error as error:
        raise StoreError(
            f"The file {path.name} is not a backup of this app, or it is damaged. "
            "Choose another backup."
        ) from error
    finally:
        conn.close()
    if version < 1 or not has_data:
        raise StoreError(f"The file {path.name} is not a backup of this app. Choose another backup.")
    if version > len(MIGRATIONS):
        raise StoreError(
            f"The backup {path.name} was made by a newer version of this app. "
            "Install the newer version to restore it."
        )
    return version


def list_backups(data_dir: Path, *, only_sound: bool = False) -> list[BackupInfo]:
    """Backups in data_dir/backups, newest first."""
    folder = data_dir / BACKUP_FOLDER
    found: list[BackupInfo] = []
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        match = _NAME.fullmatch(path.name)
        if not match:
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
        found.append(BackupInfo(path=path, created=created, size=size, kind=match["kind"]))
    found.sort(key=lambda b: (b.created, b.path.name), reverse=True)
    return found


def auto_backup(db_path: Path, data_dir: Path, now: datetime | None = None) -> Path | None:
    """At most one daily backup a day; keeps the 7 newest daily and 4 newest weekly ones."""
    now = now or datetime.now()
    existing = list_backups(data_dir)
    if any(b.kind == "daily" and b.created.date() == now.date() for b in existing):
        return None
    folder = data_dir / BACKUP_FOLDER
    files.make_private_folder(folder)
    daily = copy_database(db_path, folder / backup_name("daily", now))
    week = now.isocalendar()[:2]
    if not any(b.kind == "weekly" and b.created.isocalendar()[:2] == week for b in existing):
        weekly = folder / backup_name("weekly", now)
        tmp = files.temp_beside(weekly)
        try:
            shutil.copyfile(daily, tmp)
            files.fsync_file(tmp)
            tmp.replace(weekly)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        files.fsync_folder(folder)
    _rotate(data_dir)
    return daily


def _rotate(data_dir: Path) -> None:
    backups = list_backups(data_dir)
    for kind, keep in (("daily", KEEP_DAILY), ("weekly", KEEP_WEEKLY)):
        for old in [b for b in backups if b.kind == kind][keep:]:
            old.path.unlink(missing_ok=True)
