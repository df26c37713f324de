"""Small file helpers shared by the store, the backups and the export: private files, fsync,
atomic replace, and SQLite connections opened the way the store needs them.

Durability choice (why WAL + synchronous=FULL):
- WAL journal: a commit appends to the -wal file and fsyncs it; readers (the list, a backup
  running in a worker thread) never block the writer, so a backup never makes the window wait.
- synchronous=FULL: in WAL mode, NORMAL may lose the last commits on power loss (the WAL is
  only synced at checkpoints). FULL fsyncs the WAL at every commit, so when save_answer returns
  and the window shows "Saved", the answer is on the disk even if the battery dies next.
  It costs one fsync per save (a few milliseconds; see bench/bench_store.py), which is fine
  for a person typing answers.
- fullfsync / checkpoint_fullfsync: on macOS a plain fsync does not flush the drive's cache;
  these make SQLite use F_FULLFSYNC there. They do nothing elsewhere.
"""

from __future__ import annotations

import contextlib
import errno as codes
import os
import secrets
import shutil
import sqlite3
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from nasro_desktop import portable
from nasro_desktop.store.errors import StoreError

BUSY_TIMEOUT_MS = 5000

# The data folder's layout: the one home of these names, which every store module reads here.
DB_NAME = "nasro.db"
EVIDENCE_FOLDER = "evidence"  # the evidence files, named by their SHA-256 (store/evidence.py)
BACKUP_FOLDER = "backups"  # the backups, and backups/evidence: the files they need, once each


def make_private_folder(folder: Path) -> None:
    """Create the folder and every missing parent readable by the user only (0700, whatever
    the umask: portable.make_private_folders)."""
    if not folder.is_dir():
        portable.make_private_folders(folder)


def make_private_file(path: Path) -> None:
    """Create an empty file 0600 if missing (SQLite then makes its -wal and -shm files alike)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new file in `folder` durable (no-op where folders cannot be opened)."""
    if os.name == "nt":  # pragma: no cover
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def temp_beside(dest: Path) -> Path:
    """A new private (0600) empty file next to `dest`, so a later rename stays on one disk."""
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    return Path(name)


@contextlib.contextmanager
def staged(ours: Path, dest: Path) -> Iterator[Path]:
    """A temporary file to make and check a file for the user in, published at `dest` when
    the block ends without an error, and removed in every case. It is made in our own folder
    `ours` (its temporary files are removed at the next open if the app is killed:
    checks.clean_stale), so nothing half-made is left beside the user's files; beside `dest`
    when ours can't be written (a viewer of a write-protected stick)."""
    try:
        make_private_folder(ours)
        tmp = temp_beside(ours / f"nasro-staging{dest.suffix}")
    except OSError:
        tmp = temp_beside(dest)
    try:
        yield tmp
        publish(dest, tmp)
    finally:
        tmp.unlink(missing_ok=True)


def publish(dest: Path, data_source: Path | bytes, *, keep_mode: bool = False) -> None:
    """Write `dest` atomically with these bytes (or this file's), checked after writing: the
    app's one way to write a user's file. The new file is private (0600); with `keep_mode`, a
    file written over an older one keeps the mode its owner gave the older one (a report).

    Beside a user's file nothing of ours must stay behind if the process is killed: on Linux
    the new content lives in an unnamed file (O_TMPFILE) until it is complete and fsync'd, then
    gets a name for an instant and is renamed over `dest`. Elsewhere a hidden temporary file
    is used (and removed by the next export there, see checks.clean_stale_beside)."""
    old_mode = _regular_mode(dest) if keep_mode else None
    _publish(dest, data_source)
    if old_mode is not None:
        portable.chmod_regular(dest, old_mode)


def _regular_mode(path: Path) -> int | None:
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return stat.S_IMODE(info.st_mode) if stat.S_ISREG(info.st_mode) else None


def _publish(dest: Path, data_source: Path | bytes) -> None:
    fd = portable.open_unnamed(dest.parent)
    if fd is None:  # Windows, macOS, a drive without unnamed files
        tmp = temp_beside(dest)
        try:
            with open(tmp, "wb") as handle:
                _fill(handle, data_source)
                handle.flush()
                os.fsync(handle.fileno())
            with open(tmp, "rb") as written:
                _same(written, data_source)
            tmp.replace(dest)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        fsync_folder(dest.parent)
        return
    try:
        with os.fdopen(fd, "w+b", closefd=False) as handle:
            _fill(handle, data_source)
            handle.flush()
            os.fsync(fd)
            handle.seek(0)
            _same(handle, data_source)
        try:  # a new file: its own name at once, atomically (nothing else is ever named)
            portable.give_name(fd, dest)
        except FileExistsError:
            pass  # replacing a file: a name for an instant, then renamed over it
        else:
            fsync_folder(dest.parent)
            return
        name = dest.with_name(f".{dest.name}.{secrets.token_hex(4)}.tmp")
        portable.give_name(fd, name)
        try:
            name.replace(dest)
        except BaseException:
            name.unlink(missing_ok=True)
            raise
        fsync_folder(dest.parent)
    finally:
        os.close(fd)


def _fill(handle: BinaryIO, data_source: Path | bytes) -> None:
    if isinstance(data_source, bytes):
        handle.write(data_source)
    else:
        with open(data_source, "rb") as source:
            shutil.copyfileobj(source, handle, 1024 * 1024)


def _same(written: BinaryIO, data_source: Path | bytes) -> None:
    """Compare what was written with its source, a chunk at a time (a backup holding its
    evidence files may be hundreds of MB: never read whole into memory)."""
    if isinstance(data_source, bytes):
        same = written.read(len(data_source) + 1) == data_source
    else:
        same = True
        with open(data_source, "rb") as source:
            while same:
                expected = source.read(1024 * 1024)
                same = written.read(len(expected) or 1) == expected
                if not expected:
                    break
    if not same:
        raise OSError(5, "the file did not read back the same")


def fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def connect_rw(path: Path) -> sqlite3.Connection:
    """The store's connection. isolation_level=None: Python never opens transactions on its own;
    every change runs inside our explicit BEGIN IMMEDIATE ... COMMIT."""
    return sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)


def set_durable_pragmas(conn: sqlite3.Connection) -> str:
    """WAL + synchronous=FULL (see the module docstring). Returns the journal mode in force."""
    mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA fullfsync=ON")
    conn.execute("PRAGMA checkpoint_fullfsync=ON")
    conn.execute("PRAGMA foreign_keys=ON")
    return str(mode).lower()


def unused_name(folder: Path, stem: str, suffix: str = ".db", sides: tuple[str, ...] = ()
                ) -> Path:
    """`folder/<stem><suffix>`, else `<stem>-2<suffix>`, `-3`...: a name that no file or
    link has yet, nor that name followed by any of `sides` (a kept "-wal"). Two copies made
    in the same second must never overwrite each other."""
    path, counter = folder / f"{stem}{suffix}", 2
    while any(os.path.lexists(f"{path}{side}") for side in ("", *sides)):
        path, counter = folder / f"{stem}-{counter}{suffix}", counter + 1
    return path


def check_dest(dest: Path, what: str | None) -> None:
    """A file the user named to be written: refused in a plain sentence when it is a folder
    (`what`: the name to give instead; None: the caller has put a name in the folder) or
    when its folder does not exist."""
    if what is not None and dest.is_dir():
        raise StoreError(f"{dest} is a folder. {what}")
    if not dest.parent.is_dir():
        raise StoreError(f"The folder {dest.parent} does not exist. Choose another place.")


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (name,)).fetchone() is not None


def connect_ro(path: Path, *, immutable: bool = False) -> sqlite3.Connection:
    """A connection that cannot write. `immutable` also skips locking and the -shm file, for a
    file in a folder nobody can write (a write-protected stick) or a backup file at rest."""
    uri = path.resolve().as_uri() + ("?immutable=1" if immutable else "?mode=ro")
    return sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)


def check_problems(conn: sqlite3.Connection, *, full: bool = False) -> list[str]:
    """What SQLite's quick_check (or, `full`, integrity_check) reports; [] when sound."""
    rows = conn.execute("PRAGMA integrity_check" if full else "PRAGMA quick_check").fetchall()
    found = [str(row[0]) for row in rows]
    return [] if found == ["ok"] else found


def only_search_index(problems: list[str]) -> bool:
    """Damage only in Find's index (store/search.py: search_items), which is rebuilt from
    the answers: nothing of the user's is in it."""
    return bool(problems) and all("search_items" in p for p in problems)


# The full check runs at open for a data file up to this size (a few ms: most users' file
# holds a few assessments); a larger file is checked fully by each daily backup (on its
# worker thread), which leaves FULL_CHECK_MARK when it finds damage, so that the next open
# checks fully and deals with it as any damage found at open.
FULL_CHECK_BYTES = 2_000_000
FULL_CHECK_MARK = "nasro.check-fully"


def disk_full(error: BaseException) -> bool:
    """No room left, or no more files (inodes) or quota: the disk is full for the user."""
    return getattr(error, "errno", None) in (codes.ENOSPC, getattr(codes, "EDQUOT", -1))


def why_not(error: OSError) -> str:
    """Why a folder or file could not be made or written, as a plain phrase with what to do."""
    number = getattr(error, "errno", None)
    if number == codes.ENAMETOOLONG:
        return ("its name or path is too long for this computer; choose a folder with a "
                "shorter path")
    if disk_full(error):  # no room, no more inodes, or the quota
        return "the disk is full; free some space and try again"
    if number in (codes.EACCES, codes.EPERM, codes.EROFS):
        return "you may not write there (or the drive is write-protected); choose another folder"
    if number in (codes.ENOENT, codes.ENODEV, codes.ENXIO):
        return "that place does not exist; check that the drive is connected"
    if number in (codes.ENOTDIR, codes.EEXIST):
        return "a file with that name is in the way; choose another folder"
    return "the computer reported a problem; check that the drive is connected"
