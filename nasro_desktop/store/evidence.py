"""Evidence files: the signed MOU, course certificates, a duty roster... kept with the data.

Layout (why files in a folder, content-addressed, and not blobs inside nasro.db)
--------------------------------------------------------------------------------
- The record of each file (its name, type, size, SHA-256, date added, description, "valid
  until", what it supports, deleted_at) is a row in the `evidence` table of nasro.db.
- The contents live once per distinct content in `<data folder>/evidence/<2 hex>/<sha256>`,
  written once and never changed (made read-only). Two records of the same file (the MOU
  attached to two standards, or to this year's and last year's assessment) share one file.
- Why not a `blobs` table inside nasro.db: backups.py makes every daily, weekly and
  pre-migration backup as a full copy of nasro.db (SQLite's backup API), kept 7 daily + 4
  weekly. Blobs inside the database would be copied into each of those 11+ files, so 200 MB of
  evidence would take over 2 GB of backups, and every daily backup would copy all of it again.
- The backups keep one checked copy of each file they name, in `backups/evidence/` (the
  layout, "Back up now" and restore: backups.py); the sweep at open never deletes a file the
  data file or any backup still names. Export format 2 (exchange.py) carries the files of one
  assessment.
- Reading back always checks the SHA-256: a changed or damaged file is
  refused plainly, never shown as proof.

Attaching is atomic: the contents are streamed (hashed on the way) into a private temporary
file inside the evidence folder, fsync'd and renamed to their hash name; only then is the row
inserted in one transaction. A kill before the commit leaves no row; the temporary file or a
file that no row names is removed by backups.sweep_evidence the next time the data opens (the store holds the
folder lock then, so no other attach is running).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import mimetypes
import os
import re
import shutil
import sqlite3
import stat
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from nasro_desktop import portable
from nasro_desktop.domain.evidence import (
    CHANGED,
    MISSING,
    VERIFIED,
    Evidence,
    EvidenceKind,
    size_text,
)
from nasro_desktop.store import files, rows
from nasro_desktop.store.errors import StoreError

MAX_FILE_BYTES = 100 * 1000 * 1000  # 100 MB per file: a scanned MOU is a few MB
CHUNK = 1 << 20
SHA256_NAME = re.compile(r"[0-9a-f]{64}")  # the only names a file of evidence may have
INCOMING = ".incoming-"
Progress = Callable[[int, int], None]  # (bytes done, bytes in all)
T = TypeVar("T")

_COLUMNS = (
    "id, assessment_id, kind, key, standard_id, file_name, media_type, size, sha256, added,"
    " description, valid_until, deleted_at"
)


class EvidenceProblem(StoreError):
    """A file that can't be attached or read back, with a sentence saying what to do."""


@dataclass(frozen=True)
class Staged:
    """A file copied into the evidence folder, not yet recorded (see EvidenceFiles.record)."""

    file_name: str
    sha256: str
    size: int
    new: bool  # stored by this attach (no record anywhere names it yet)


# --- where the files are ----------------------------------------------------------------------


def folder_of(data_dir: Path) -> Path:
    return data_dir / files.EVIDENCE_FOLDER


def pool_of(data_dir: Path) -> Path:
    """backups/evidence: the files the backups need, once each (see store/backups.py)."""
    return data_dir / files.BACKUP_FOLDER / files.EVIDENCE_FOLDER


def blob_path(data_dir: Path, sha256: str) -> Path:
    return blob_in(folder_of(data_dir), sha256)


# --- reading a file the user chose, refusing what is not a plain file ----------------------------


def _open_source(source: Path) -> tuple[int, int]:
    """An open descriptor on an ordinary, readable file of allowed size, and its size."""
    name = source.name or str(source)
    try:
        info = os.stat(source)
    except FileNotFoundError:
        raise EvidenceProblem(f"The file {name} was not found. Choose it again.") from None
    except OSError as error:
        raise EvidenceProblem(
            f"The file {name} could not be read ({error.strerror}). Check that the drive is "
            "connected and that you may open the file."
        ) from error
    _check_kind(name, info)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(source, flags)
    except PermissionError:
        raise EvidenceProblem(
            f"You may not read the file {name}. Ask whoever owns it for a copy, or save it "
            "somewhere you can open, then attach that copy."
        ) from None
    except OSError as error:
        raise EvidenceProblem(
            f"The file {name} could not be opened ({error.strerror}). Try another copy of it."
        ) from error
    try:
        info = os.fstat(fd)  # what was opened, not what the name pointed at a moment before
        _check_kind(name, info)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd, info.st_size


def _check_kind(name: str, info: os.stat_result) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise EvidenceProblem(
            f"{name} is a folder. Attach the files inside it one by one (or a .zip of them)."
        )
    if not stat.S_ISREG(info.st_mode):
        raise EvidenceProblem(
            f"{name} is not an ordinary file (it is a device, a pipe or a socket), so it "
            "can't be attached. Choose a document, a picture or a PDF."
        )
    if info.st_size > MAX_FILE_BYTES:
        raise _too_big(name, info.st_size)


def _too_big(name: str, size: int) -> EvidenceProblem:
    return EvidenceProblem(
        f"{name} is {size_text(size)}; files up to {size_text(MAX_FILE_BYTES)} can be "
        "attached. Save a smaller copy (for example a PDF of the signed pages only) and "
        "attach that."
    )


def media_type_of(name: str) -> str:
    return mimetypes.guess_type(name, strict=False)[0] or "application/octet-stream"


def _ingest(data_dir: Path, source: Path, progress: Progress | None) -> tuple[str, int, bool]:
    """Copy `source` into the evidence folder under its hash: (sha256, size, newly stored)."""
    fd, expected = _open_source(source)
    folder = folder_of(data_dir)
    told = None if progress is None else (lambda done: progress(done, max(expected, done)))
    with os.fdopen(fd, "rb") as src:
        tmp, sha, done = _stream_in(folder, src.read, MAX_FILE_BYTES, told)
    try:
        if done > MAX_FILE_BYTES:  # the file grew while being read
            raise _too_big(source.name, done)
        return sha, done, _place(tmp, folder, sha, done)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _stream_in(root: Path, read: Callable[[int], bytes], limit: int,
               progress: Callable[[int], None] | None = None) -> tuple[Path, str, int]:
    """Stream from `read` into a new private temporary file in `root` (removed at the next
    open if the app is killed: backups.sweep_evidence), never more than `limit` + 1 bytes,
    fsync'd: (the file, its SHA-256, the bytes read). The caller removes the file if it is
    not kept."""
    files.make_private_folder(root)
    handle, tmp_name = tempfile.mkstemp(prefix=INCOMING, dir=root)  # 0600
    tmp = Path(tmp_name)
    digest, done = hashlib.sha256(), 0
    try:
        with os.fdopen(handle, "wb") as out:
            while done <= limit and (chunk := read(min(CHUNK, limit + 1 - done))):
                done += len(chunk)
                digest.update(chunk)
                out.write(chunk)
                if progress is not None:
                    progress(done)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp, digest.hexdigest(), done


def _place(tmp: Path, root: Path, sha256: str, size: int, sync_folders: bool = True) -> bool:
    """Give the checked file `tmp` its name in the content-addressed folder `root`: a file
    already there whole is kept (False); a damaged one is replaced; the new one is made
    read-only (it never changes once stored) and renamed into place (True)."""
    dest = blob_in(root, sha256)
    if _is_whole(dest, sha256, size):
        tmp.unlink()
        return False
    _real_folder(dest.parent)
    with contextlib.suppress(OSError):  # a damaged copy: replaced (Windows refuses
        portable.chmod_regular(dest, 0o600)  # read-only ones); a link: never followed
    os.chmod(tmp, 0o400)
    os.replace(tmp, dest)
    if sync_folders:
        files.fsync_folder(dest.parent)
        files.fsync_folder(root)
    return True


def blob_in(root: Path, sha256: str) -> Path:
    """Where the file of this hash lives in a content-addressed folder (the live evidence
    folder, or the backups' shared pool: backups.py). A record whose SHA-256 is not 64
    lowercase hex digits (a hostile backup's `../../dev/zero`) names no file: refused."""
    if not isinstance(sha256, str) or not SHA256_NAME.fullmatch(sha256):
        raise EvidenceProblem(
            "A record of an evidence file is not valid (its SHA-256 is not a SHA-256), so "
            "no file is read for it. The data or backup holding it was not made by this app "
            "or has been changed.")
    return root / sha256[:2] / sha256


def _real_folder(folder: Path) -> None:
    """The 2-letter folder of a file in a content-addressed folder, made if missing. A link
    planted there is removed (the link only), never followed."""
    if os.path.islink(folder):
        folder.unlink()
    files.make_private_folder(folder)


def _is_whole(path: Path, sha256: str, size: int | None = None) -> bool:
    """Whether `path` is a regular file (not a link) of this size and SHA-256."""
    try:
        fd = portable.open_regular(path)
    except OSError:
        return False
    with os.fdopen(fd, "rb") as handle:
        if size is not None and os.fstat(fd).st_size != size:
            return False
        digest = hashlib.sha256()
        try:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
        except OSError:
            return False
    return digest.hexdigest() == sha256


def store_checked(root: Path, read: Callable[[int], bytes], size: int, sha256: str,
                  name: str = "a file", *, sync_folders: bool = True) -> bool:
    """Stream `size` bytes from `read` into the content-addressed folder `root` under
    `sha256`, checking the size and the hash on the way. A file already there with the right
    hash is kept (False); a damaged one is replaced; a new one is fsync'd, made read-only and
    renamed into place (True). Raises EvidenceProblem on a mismatch (nothing is left).
    `sync_folders=False`: the caller fsyncs the folders once after many files (backups.py)."""
    tmp, digest, done = _stream_in(root, read, size)
    try:
        if done != size or digest != sha256:
            raise EvidenceProblem(
                f"The copy of {name} does not match its record (size or SHA-256): it is "
                "damaged, so it was not kept.")
        return _place(tmp, root, sha256, size, sync_folders)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def good_copy(root: Path, sha256: str, size: int) -> bool:
    """Whether `root` holds the file of this hash, whole (its size and SHA-256 checked)."""
    return _is_whole(blob_in(root, sha256), sha256, size)


def file_state(data_dir: Path, sha256: str, size: int) -> str:
    """VERIFIED when the evidence folder or the backups' copy holds this file whole (its
    SHA-256 checked now; reading it back takes the whole one), MISSING when neither holds a
    file of that name, CHANGED when a file is there but not this one."""
    roots = (folder_of(data_dir), pool_of(data_dir))
    try:
        places = [blob_in(root, sha256) for root in roots]
    except EvidenceProblem:
        return CHANGED
    if any(good_copy(root, sha256, size) for root in roots):
        return VERIFIED
    return CHANGED if any(os.path.lexists(p) for p in places) else MISSING


def names_in(conn: sqlite3.Connection) -> dict[str, int]:
    """{sha256: size} of every file a database's evidence table names (removed ones too:
    they can be put back); {} for a database made before evidence existed."""
    if not files.has_table(conn, "evidence"):
        return {}
    return {str(sha): int(size) for sha, size in
            conn.execute("SELECT sha256, max(size) FROM evidence GROUP BY sha256")}


def bad_record(conn: sqlite3.Connection) -> str | None:
    """What is wrong with the evidence records of a database this app did not just write (a
    backup to restore), checked as import checks them, or None: every SHA-256 is 64 lowercase
    hex digits (it names a file: `../../dev/zero` must never be read) and every size a whole
    number within MAX_FILE_BYTES, the same for every record of one file."""
    if not files.has_table(conn, "evidence"):
        return None
    sizes: dict[str, int] = {}
    for sha, size, name in conn.execute("SELECT sha256, size, file_name FROM evidence"):
        what = f"the file {str(name)[:60]!r}" if isinstance(name, str) else "a file"
        if not isinstance(sha, str) or not SHA256_NAME.fullmatch(sha):
            return f"the record of {what} does not name its file by a SHA-256"
        if type(size) is not int or not 0 <= size <= MAX_FILE_BYTES:
            return f"the record of {what} gives a size no file of evidence may have"
        if sizes.setdefault(sha, size) != size:
            return f"two records of {what} give it different sizes"
    return None


# --- rows ---------------------------------------------------------------------------------


def _from_row(row: sqlite3.Row | tuple[Any, ...]) -> Evidence:
    (id_, assessment_id, kind, key, standard_id, file_name, media_type, size, sha, added,
     description, valid_until, deleted_at) = tuple(row)
    return Evidence(
        id=int(id_),
        assessment_id=int(assessment_id),
        kind=EvidenceKind(kind),
        key=str(key),
        file_name=str(file_name),
        media_type=str(media_type),
        size=int(size),
        sha256=str(sha),
        added=datetime.fromisoformat(added),
        description=str(description),
        valid_until=date.fromisoformat(valid_until) if valid_until else None,
        standard_id=str(standard_id),
        deleted_at=rows.parse_datetime(deleted_at),
    )


def list_rows(
    conn: sqlite3.Connection,
    assessment_id: int,
    kind: EvidenceKind | str | None = None,
    key: str | None = None,
    *,
    removed: bool = False,
) -> list[Evidence]:
    """The records only (the files are not opened): fast for any amount of evidence."""
    sql = f"SELECT {_COLUMNS} FROM evidence WHERE assessment_id = ?"
    args: list[Any] = [assessment_id]
    if kind is not None:
        sql += " AND kind = ?"
        args.append(str(EvidenceKind(kind)))
    if key is not None:
        sql += " AND key = ?"
        args.append(key)
    sql += " AND deleted_at IS NOT NULL" if removed else " AND deleted_at IS NULL"
    sql += " ORDER BY added, id"
    return [_from_row(row) for row in conn.execute(sql, args)]


def insert_carried(conn: sqlite3.Connection, assessment_id: int, carried: Sequence[Evidence],
                   officer_ids: Sequence[int], school_ids: Sequence[int]) -> int:
    """Records of files already stored, for a new assessment (an import, "Start next year's"),
    inside the caller's transaction. For an officer or a school the record's `key` is its
    place (0, 1, ...) in the new assessment's list, turned here into the new row's id; a
    record whose place is not in the list is left out. How many were written."""
    written = 0
    for item in carried:
        key = item.key
        if item.kind in (EvidenceKind.OFFICER, EvidenceKind.SCHOOL):
            ids = officer_ids if item.kind is EvidenceKind.OFFICER else school_ids
            place = int(key) if key.isdigit() else -1
            if not 0 <= place < len(ids):
                continue
            key = str(ids[place])
        insert_record(conn, assessment_id, dataclasses.replace(item, key=key))
        written += 1
    return written


def insert_record(conn: sqlite3.Connection, assessment_id: int, item: Evidence) -> int:
    """One record, inside the caller's transaction; its new id."""
    cursor = conn.execute(
        "INSERT INTO evidence (assessment_id, kind, key, standard_id, file_name,"
        " media_type, size, sha256, added, description, valid_until)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (assessment_id, str(item.kind), item.key, item.standard_id, item.file_name,
         item.media_type, item.size, item.sha256, item.added.isoformat(),
         item.description, item.valid_until.isoformat() if item.valid_until else None))
    return int(cursor.lastrowid or 0)


def _get(conn: sqlite3.Connection, evidence_id: int) -> Evidence:
    row = conn.execute(f"SELECT {_COLUMNS} FROM evidence WHERE id = ?", (evidence_id,)).fetchone()
    if row is None:
        raise StoreError("That file is no longer attached (it may have been removed for good).")
    return _from_row(row)


# --- reading back, always checked ----------------------------------------------------


def _damaged(item: Evidence) -> EvidenceProblem:
    return EvidenceProblem(
        f"The saved copy of {item.file_name} has changed or is damaged since it was attached, "
        "so it is not shown as proof. Attach the original file again, or restore a backup."
    )


def _missing(item: Evidence) -> EvidenceProblem:
    return EvidenceProblem(
        f"The saved copy of {item.file_name} is missing from the evidence folder. Attach the "
        "original file again, or restore a backup made together with it."
    )


def _from_either(data_dir: Path, item: Evidence, use: Callable[[Path], T]) -> T:
    """`use` on the stored file in evidence/, else on the backups' copy (backups.py) when
    that one is whole; the first one's problem when neither is."""
    try:
        return use(blob_path(data_dir, item.sha256))
    except EvidenceProblem:
        with contextlib.suppress(EvidenceProblem):
            return use(blob_in(pool_of(data_dir), item.sha256))
        raise


def read_bytes(data_dir: Path, item: Evidence) -> bytes:
    """The file's contents, after checking its SHA-256 against the record. A file missing or
    damaged in evidence/ is read from the backups' copy if that one is whole."""
    return _from_either(data_dir, item, lambda path: _read_checked(path, item))


def _read_checked(path: Path, item: Evidence) -> bytes:
    with _opened(path, item) as handle:
        data = handle.read(item.size + 1)  # never past its size
    if len(data) != item.size or hashlib.sha256(data).hexdigest() != item.sha256:
        raise _damaged(item)
    return data


@contextlib.contextmanager
def _opened(path: Path, item: Evidence) -> Iterator[BinaryIO]:
    """The stored file of `item` open for reading: a regular file only (never a link, a
    pipe or a device)."""
    try:
        handle = os.fdopen(portable.open_regular(path), "rb")
    except FileNotFoundError:
        raise _missing(item) from None
    except portable.NotRegular:
        raise _damaged(item) from None
    except OSError as error:
        raise EvidenceProblem(
            f"The saved copy of {item.file_name} could not be read ({error.strerror})."
        ) from error
    with handle:
        yield handle


def copy_to(data_dir: Path, item: Evidence, dest: Path) -> Path:
    """ "Save a copy…": a checked copy at `dest`, beside the user's files. The stored file
    is checked, then published (files.publish: a kill leaves nothing there, and the copy is
    compared with the checked file after writing). A file missing or damaged in evidence/ is
    copied from the backups' copy if that is whole."""
    def publish(src: Path) -> Path:
        if not good_copy(src.parent.parent, item.sha256, item.size):
            raise _damaged(item) if os.path.lexists(src) else _missing(item)
        files.publish(dest, src)
        return dest

    return _from_either(data_dir, item, publish)


def _copy_new(data_dir: Path, item: Evidence, dest: Path) -> None:
    """A checked copy at `dest`, a name no file has: streamed into a temporary file beside
    it, hash checked, then linked into place (never replacing a file planted there)."""
    def stream(src: Path) -> Path:
        with _opened(src, item) as handle:
            tmp, sha, done = _stream_in(dest.parent, handle.read, item.size)
        if done != item.size or sha != item.sha256:
            tmp.unlink()
            raise _damaged(item)
        return tmp

    tmp = _from_either(data_dir, item, stream)
    try:
        portable.place_new(tmp, dest)  # fails if dest exists: never follows a planted name
        files.fsync_folder(dest.parent)
    finally:
        tmp.unlink(missing_ok=True)


_COPY_PREFIX = "nasro-evidence-"
KEEP_COPIES_HOURS = 24  # a viewer may still hold a copy opened today


def _clear_old_copies() -> None:
    """Remove this user's private copies opened more than a day ago."""
    cutoff = time.time() - KEEP_COPIES_HOURS * 3600
    try:
        for entry in Path(tempfile.gettempdir()).glob(_COPY_PREFIX + "*"):
            info = entry.lstat()
            if stat.S_ISDIR(info.st_mode) and portable.owned_by_me(info) and info.st_mtime < cutoff:
                for inner in entry.iterdir():
                    portable.chmod_regular(inner, 0o600)
                shutil.rmtree(entry, ignore_errors=True)
    except OSError:
        pass


def private_copy(data_dir: Path, item: Evidence) -> Path:
    """A checked, read-only copy in a new private (0700) temporary folder, for the system's
    viewer: the viewer never sees the stored file, and no other user can read the copy."""
    _clear_old_copies()
    folder = Path(tempfile.mkdtemp(prefix=_COPY_PREFIX))
    safe = "".join(c if c.isalnum() or c in " ._-()" else "_" for c in item.file_name).strip()
    dest = folder / (safe.lstrip(".") or "evidence")
    try:
        _copy_new(data_dir, item, dest)
        os.chmod(dest, 0o400)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return dest
