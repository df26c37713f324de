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
from datetime import datetime, timedelta
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


def _contents(path: Path) -> tuple[str, int]:
    """(store id, generation) read from inside a backup; ("", 0) for an older app's backup."""
    from nasro_desktop.store.checks import read_meta

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
    folder = data_dir / BACKUP_FOLDER
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
    current = data_dir / "nasro.db"
    if current.is_file() and not current.is_symlink():
        highest = max(highest, _contents(current)[1])
    return highest


def auto_backup(db_path: Path, data_dir: Path, now: datetime | None = None) -> Path | None:
    """At most one daily backup a day; keeps the 7 newest daily and 4 newest weekly ones of
    the current data file (newest by content), and never the one just made."""
    now = now or datetime.now()
    existing = list_backups(data_dir, now=now)
    if any(b.kind == "daily" and b.created.date() == now.date() for b in existing):
        return None
    folder = data_dir / BACKUP_FOLDER
    files.make_private_folder(folder)
    daily = copy_database(db_path, new_backup_path(folder, "daily", now))
    made = {daily}
    week = now.isocalendar()[:2]
    if not any(b.kind == "weekly" and b.created.isocalendar()[:2] == week for b in existing):
        weekly = new_backup_path(folder, "weekly", now)
        tmp = files.temp_beside(weekly)
        try:
            shutil.copyfile(daily, tmp)
            files.fsync_file(tmp)
            tmp.replace(weekly)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        files.fsync_folder(folder)
        made.add(weekly)
    _rotate(data_dir, made, _contents(daily)[0])
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
