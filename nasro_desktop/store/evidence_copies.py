"""Reading evidence back, always checked: the bytes, "Save a copy…" and the private copy a
viewer opens. Every read compares the SHA-256 with the record; a file missing or damaged in
evidence/ is read from the backups' copy (backups.py) if that one is whole, else refused with
a plain sentence, never shown as proof. Storage and layout: evidence.py."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tempfile
import time
from pathlib import Path

from nasro_desktop import portable
from nasro_desktop.domain.evidence import Evidence
from nasro_desktop.store import files
from nasro_desktop.store.evidence import CHUNK, FOLDER, EvidenceProblem, blob_in, blob_path


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


def _backup_copy(data_dir: Path, item: Evidence) -> Path:
    """The copy of this file in the backups' pool (backups.py); it may not exist."""
    return blob_in(data_dir / "backups" / FOLDER, item.sha256)


def read_bytes(data_dir: Path, item: Evidence) -> bytes:
    """The file's contents, after checking its SHA-256 against the record. A file missing or
    damaged in evidence/ is read from the backups' copy if that one is whole."""
    try:
        return _read_checked(blob_path(data_dir, item.sha256), item)
    except EvidenceProblem:
        try:
            return _read_checked(_backup_copy(data_dir, item), item)
        except EvidenceProblem:
            pass
        raise


def _read_checked(path: Path, item: Evidence) -> bytes:
    try:  # a regular file only (never a link, a pipe or a device), never past its size
        with os.fdopen(portable.open_regular(path), "rb") as handle:
            data = handle.read(item.size + 1)
    except FileNotFoundError:
        raise _missing(item) from None
    except portable.NotRegular:
        raise _damaged(item) from None
    except OSError as error:
        raise EvidenceProblem(
            f"The saved copy of {item.file_name} could not be read ({error.strerror})."
        ) from error
    if len(data) != item.size or hashlib.sha256(data).hexdigest() != item.sha256:
        raise _damaged(item)
    return data


def copy_to(data_dir: Path, item: Evidence, dest: Path, *, exclusive: bool = False) -> Path:
    """Write a checked copy to `dest`: streamed into a temporary file beside it, hash checked,
    then renamed (or, when `exclusive`, linked so that an existing file is never replaced).
    A file missing or damaged in evidence/ is copied from the backups' copy if that is whole."""
    try:
        return _copy_checked(blob_path(data_dir, item.sha256), item, dest, exclusive)
    except EvidenceProblem:
        try:
            return _copy_checked(_backup_copy(data_dir, item), item, dest, exclusive)
        except EvidenceProblem:
            pass
        raise


def _copy_checked(src: Path, item: Evidence, dest: Path, exclusive: bool) -> Path:
    if not exclusive:  # beside the user's files: checked first, then published so that a
        _check_source(src, item)  # kill leaves nothing there (files.publish); the copy is
        files.publish(dest, src)  # compared with the checked file after writing
        return dest
    tmp = files.temp_beside(dest)
    digest = hashlib.sha256()
    try:
        done = 0
        try:  # a regular file only (never a link, a pipe or a device), never past its size
            with os.fdopen(portable.open_regular(src), "rb") as inp, open(tmp, "wb") as out:
                while done <= item.size and (chunk := inp.read(min(CHUNK,
                                                                   item.size + 1 - done))):
                    done += len(chunk)
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        except FileNotFoundError:
            raise _missing(item) from None
        except portable.NotRegular:
            raise _damaged(item) from None
        if done != item.size or digest.hexdigest() != item.sha256:
            raise _damaged(item)
        if exclusive:
            portable.place_new(tmp, dest)  # fails if dest exists: never follows a planted name
        else:
            os.replace(tmp, dest)
        files.fsync_folder(dest.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dest


def _check_source(src: Path, item: Evidence) -> None:
    """The stored file is a regular file of the record's size and SHA-256, else raise."""
    from nasro_desktop.store.evidence import good_copy

    if good_copy(src.parent.parent, item.sha256, item.size):
        return
    raise _damaged(item) if os.path.lexists(src) else _missing(item)


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
        copy_to(data_dir, item, dest, exclusive=True)
        os.chmod(dest, 0o400)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return dest
