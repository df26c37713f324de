"""Checks made before the store trusts the files in the data folder.

- Whose file is it? `inspect_file` reads nasro.db alone (immutable: no lock, no -wal, no
  write) and says whether it is empty, ours, or another program's database.
- Does the -wal belong to it? SQLite replays any -wal whose own checksums are right, even one
  from another database or an older -wal of the same file. `check_wal` copies the database and
  its -wal into a private folder first, replays the copy there, runs `integrity_check` and
  compares what the file says it is (its id and its change count, see below) with and
  without the -wal. Nothing in the live files is touched until the result is known.
- Every committed change bumps a change count ("generation") kept inside the file, beside a
  random id made when the file was created. A -wal that belongs to the file can only move
  the count forward and keeps the id; a stale -wal moves it back; a foreign one changes the id
  or breaks the file. Backups carry both, so they can be ordered by what they hold rather than
  by a clock that may have been wrong.
- `clean_stale` removes our own temporary files left by a killed process.
"""

from __future__ import annotations

import filecmp
import glob
import json
import os
import shutil
import sqlite3
import stat
import struct
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from nasro_desktop import portable
from nasro_desktop.store import files

META_ID = "store.id"
META_GENERATION = "store.generation"
MIDDLE = "is damaged in the middle (saves written after the damage could not be read)"
SWAPPED = "and nasro.db-shm look swapped (the saves are in the wrong file)"
CHECK_PREFIX = ".nasro-check-"
WAL_MAGIC = (0x377F0682, 0x377F0683)
KEPT_WAL_PREFIX = "nasro-wal-kept-"


@dataclass(frozen=True)
class Meta:
    store_id: str
    generation: int


def read_meta(conn: sqlite3.Connection) -> Meta | None:
    """The file's id and change count, or None when it has none (an older file) or they
    can't be read."""
    try:
        found = dict(conn.execute(
            "SELECT key, value FROM settings WHERE key IN (?, ?)", (META_ID, META_GENERATION)
        ).fetchall())
        store_id = json.loads(found[META_ID])
        generation = json.loads(found[META_GENERATION])
    except (sqlite3.Error, KeyError, ValueError, TypeError):
        return None
    if not isinstance(store_id, str) or type(generation) is not int:
        return None
    return Meta(store_id, generation)


def table_names(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def inspect_file(path: Path) -> str:
    """'empty' (no tables), 'ours', 'foreign' (tables, none of ours) or 'unreadable'.

    Reads the file alone and writes nothing (immutable=1 skips locks, -wal and -shm)."""
    try:
        if path.stat().st_size == 0:
            return "empty"
        conn = files.connect_ro(path, immutable=True)
    except (OSError, sqlite3.Error):
        return "unreadable"
    try:
        names = table_names(conn)
    except sqlite3.Error:
        return "unreadable"
    finally:
        conn.close()
    if not names:
        return "empty"
    if "schema_version" in names or "assessments" in names:
        return "ours"
    return "foreign"


def wal_path(db: Path) -> Path:
    return db.with_name(db.name + "-wal")


def has_wal(db: Path) -> bool:
    try:
        return wal_path(db).stat().st_size > 0
    except OSError:
        return False


def _copy_private(src: Path, dest: Path) -> None:
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(src, "rb") as source, os.fdopen(fd, "wb") as target:
        shutil.copyfileobj(source, target, 1024 * 1024)


def snapshot(db: Path, into: Path) -> Path:
    """Copy the database and its -wal (raw bytes) into the folder `into`; the copy's path."""
    copy = into / db.name
    _copy_private(db, copy)
    if wal_path(db).exists():
        _copy_private(wal_path(db), wal_path(copy))
    shm = db.with_name(db.name + "-shm")
    if _starts_like_a_wal(shm):  # the saves may be in there (swapped): keep it, read nothing
        _copy_private(shm, copy.with_name(copy.name + "-shm"))
    return copy


def _wal_checksum(data: bytes, s0: int, s1: int, big_endian: bool) -> tuple[int, int]:
    """SQLite's WAL checksum over `data` (a multiple of 8 bytes), continuing from (s0, s1)."""
    count = len(data) // 4
    words = struct.unpack((">" if big_endian else "<") + f"{count}I", data)
    mask = 0xFFFFFFFF
    for i in range(0, count, 2):
        s0 = (s0 + words[i] + s1) & mask
        s1 = (s1 + words[i + 1] + s0) & mask
    return s0, s1


def scan_wal(wal: Path) -> tuple[str | None, int | None]:
    """What is wrong with a -wal on its own (not a journal, damaged in the middle) or None,
    and for one damaged in the middle, where its first bad frame starts (what SQLite reads).

    SQLite reads a -wal up to the first frame whose checksum fails and silently ignores the
    rest: right for the torn end a crash leaves, but a damaged byte in the middle would drop
    every save after it without a word. After the first bad frame, a later frame of the same
    -wal (same salts) that ends a transaction means saves were written after the damage."""
    try:
        with open(wal, "rb") as handle:
            data = handle.read()
    except OSError:
        return None, None
    if len(data) <= 32:
        return None, None  # at most a header cut short by a crash: no save can be in it
    not_a_journal = ("is not a journal this app can read (another file may have been put "
                     "under that name), so the saves in it could not be read")
    magic, _version, page_size, _seq, salt1, salt2, c1, c2 = struct.unpack(">8I", data[:32])
    if magic not in WAL_MAGIC or page_size < 512 or page_size & (page_size - 1):
        return not_a_journal, None  # SQLite would silently ignore it, then overwrite it
    big_endian = magic == 0x377F0683
    s0, s1 = _wal_checksum(data[:24], 0, 0, big_endian)
    if (s0, s1) != (c1, c2):
        return not_a_journal, None
    frame = 24 + page_size
    offset = 32
    broken: int | None = None
    while offset + frame <= len(data):
        header = data[offset:offset + 24]
        _page, commit, f_salt1, f_salt2, f_c1, f_c2 = struct.unpack(">6I", header)
        same_wal = (f_salt1, f_salt2) == (salt1, salt2)
        if broken is None:
            s0, s1 = _wal_checksum(header[:8], s0, s1, big_endian)
            s0, s1 = _wal_checksum(data[offset + 24:offset + frame], s0, s1, big_endian)
            if not same_wal or (s0, s1) != (f_c1, f_c2):
                broken = offset
        elif same_wal and commit:
            return MIDDLE, broken
        offset += frame
    return None, None


def wal_problem(copy: Path) -> str | None:
    """Replay the copied -wal onto the copied database (in its own folder) and say what is
    wrong, in words that finish "The file nasro.db-wal beside your saved data ...", or None."""
    shm = copy.with_name(copy.name + "-shm")
    if _starts_like_a_wal(shm):
        return SWAPPED
    broken = scan_wal(wal_path(copy))[0]
    if broken is not None:
        return broken
    alone: Meta | None = None
    try:
        conn = files.connect_ro(copy, immutable=True)  # the database without its -wal
        try:
            alone = read_meta(conn)
        finally:
            conn.close()
    except sqlite3.Error:
        alone = None  # e.g. a checkpoint was cut short: only the -wal makes it whole
    try:
        conn = files.connect_ro(copy)  # mode=ro: the -wal is replayed, in memory only
        try:
            result = conn.execute("PRAGMA integrity_check").fetchall()
            names = table_names(conn)
            replayed = read_meta(conn)
        finally:
            conn.close()
    except sqlite3.Error:
        return "does not fit it (with it, the data could not be read)"
    if len(result) != 1 or result[0][0] != "ok":
        return "does not fit it (with it, the data reads as damaged)"
    if "assessments" not in names and "schema_version" not in names:
        return "belongs to another database"
    if alone is not None:
        if replayed is None or replayed.store_id != alone.store_id:
            return "belongs to another database"
        if replayed.generation < alone.generation:
            return "is older than the data file (it would undo changes saved since)"
    return None


def _starts_like_a_wal(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(4)
    except OSError:
        return False
    return len(head) == 4 and int.from_bytes(head, "big") in WAL_MAGIC


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        return filecmp.cmp(a, b, shallow=False)
    except OSError:
        return False


def check_wal(db: Path) -> tuple[str, list[Path]] | None:
    """None when the -wal beside `db` belongs to it (or there is none). Otherwise (why, kept):
    raw copies of the database and the -wal, kept in the data folder; the live files are left
    exactly as they were."""
    if not has_wal(db):
        return None
    folder = db.parent
    try:
        work = Path(tempfile.mkdtemp(prefix=CHECK_PREFIX, dir=folder))
    except OSError:
        work = None
    if work is None or not os.access(folder, os.W_OK):
        # a folder nobody can write (a write-protected stick): nothing in it can change, so
        # check a private copy elsewhere and keep nothing
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
        work = Path(tempfile.mkdtemp(prefix="nasro-check-"))
        try:
            why = wal_problem(snapshot(db, work))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return None if why is None else (why, [])
    try:
        copy = snapshot(db, work)
        why = wal_problem(copy)
        if why is None:
            return None
        # the same pair kept before (the user chose Quit last time): do not copy it again
        for old in sorted(folder.glob(f"{KEPT_WAL_PREFIX}*.db")):
            if _same_bytes(wal_path(old), wal_path(copy)) and _same_bytes(old, copy):
                return why, [old, wal_path(old)]
        kept = files.unused_name(folder, KEPT_WAL_PREFIX + time.strftime("%Y-%m-%d-%H%M%S"),
                                 sides=("-wal",))
        files.fsync_file(copy)
        files.fsync_file(wal_path(copy))
        wal_path(copy).replace(wal_path(kept))
        shm_copy = copy.with_name(copy.name + "-shm")
        extra = []
        if _starts_like_a_wal(shm_copy):
            files.fsync_file(shm_copy)
            shm_copy.replace(kept.with_name(kept.name + "-shm"))
            extra = [kept.with_name(kept.name + "-shm")]
        copy.replace(kept)
        files.fsync_folder(folder)
        return why, [kept, *extra, wal_path(kept)]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def clean_stale(folder: Path, backups: Path) -> int:
    """Remove temporary files and check folders a killed process of ours left behind. Call
    only while holding the folder's exclusive lock (nobody else can be using them). How many."""
    removed = 0
    for place, patterns in ((folder, (".nasro.db.*.tmp*", f"{CHECK_PREFIX}*")),
                            (backups, (".nasro-*.tmp*", "..nasro-*.tmp*")),
                            # half-written files of a killed attach, import, restore or
                            # daily backup (evidence.store_checked's ".incoming-")
                            (folder / "evidence", (".incoming-*",)),
                            (backups / "evidence", (".incoming-*",))):
        if not place.is_dir() or place.is_symlink():  # a link is never followed
            continue
        for pattern in patterns:
            for path in place.glob(pattern):
                try:
                    if path.is_dir() and not path.is_symlink():
                        shutil.rmtree(path)
                    else:
                        path.unlink()
                    removed += 1
                except OSError:
                    pass
    # a viewer's private copies in the system's temp folder (a killed `list` or `export`);
    # another viewer may be using a recent one, so only those a day old go
    system = Path(tempfile.gettempdir())
    for pattern in ("nasro-view-*", "nasro-check-*"):
        for path in system.glob(pattern):
            try:
                info = path.lstat()
                if path.is_dir() and not path.is_symlink() and portable.owned_by_me(info) \
                        and time.time() - info.st_mtime > 86_400:
                    shutil.rmtree(path)
                    removed += 1
            except (OSError, NotImplementedError):
                pass
    return removed


def clean_stale_beside(dest: Path) -> None:
    """Our temp files beside a user's file (`.NAME.xxxx.tmp`) left by a killed export or
    backup more than ten minutes ago (a newer one may be another export at work)."""
    now = time.time()
    try:
        candidates = list(dest.parent.glob(f".{glob.escape(dest.name)}.*.tmp"))
    except OSError:
        return
    for path in candidates:
        try:
            if path.is_file() and not path.is_symlink() and now - path.stat().st_mtime > 600:
                path.unlink()
        except OSError:
            pass


# --- whose folder is it? ------------------------------------------------------------------------

# the folders inside the data folder the app writes; each must be a real folder of the user's
OWN_FOLDERS = (files.EVIDENCE_FOLDER, files.BACKUP_FOLDER,
               f"{files.BACKUP_FOLDER}/{files.EVIDENCE_FOLDER}")


def ownership_problem(folder: Path) -> str | None:
    """A plain message when the data folder, its data file or one of OWN_FOLDERS is not the
    user's own (another user owns it, others may write to it, or a folder is a link), else
    None. Another user who can write the folder's parent could otherwise put their own folder
    and data file in its place, and the user's imports would go into the other user's file.
    On Windows nothing is refused here (portable.owned_by_me: the profile folder is private)."""
    try:
        info = os.stat(folder)
    except OSError:
        return None  # not there: the caller makes it, or says there is nothing to read
    problem = _not_private(folder, info, "data folder", "700")
    if problem is not None:
        return problem
    db = folder / files.DB_NAME
    try:
        db_info: os.stat_result | None = os.lstat(db)
    except OSError:
        db_info = None
    if db_info is not None and stat.S_ISREG(db_info.st_mode):  # a link: see opening.py
        problem = _not_private(db, db_info, "saved data file", "600")
        if problem is not None:
            return problem
    for name in OWN_FOLDERS:
        path = folder / name
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISLNK(info.st_mode):
            return (f"The folder {path} is a link (shortcut) to {os.readlink(path)}, not a real "
                    "folder. The app never follows links inside its data folder, so it has not "
                    "opened your data. Nothing was changed. Put the real folder in place of "
                    "the link (or move the link away) and open the app again.")
        if stat.S_ISDIR(info.st_mode):
            problem = _not_private(path, info, "folder", "700")
            if problem is not None:
                return problem
    return None


def _not_private(path: Path, info: os.stat_result, what: str, mode: str) -> str | None:
    p = portable
    if not p.owned_by_me(info):
        return (f"The {what} {path} belongs to another user of this computer (user id "
                f"{info.st_uid}), not to you, so the app has not opened it: someone may have "
                "put their own in place of yours. Nothing was changed. Ask whoever looks after "
                "this computer to check it; yours may have been renamed beside it.")
    if p.others_can_write(info):
        return (f"Other users of this computer may change the {what} {path} (its permissions "
                f"are {stat.filemode(info.st_mode)[1:]}), so the app has not opened it: "
                "someone else could put their own data in place of yours. Nothing was "
                f"changed. If it is yours, make it private (in a terminal: chmod {mode} "
                f"\"{path}\") and open the app again.")
    return None
