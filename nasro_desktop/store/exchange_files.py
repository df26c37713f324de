"""Export format 2: one assessment and its evidence files in a .zip (layout in exchange.py).

    assessment.json          the format 2 document (records of the files included)
    evidence/<sha256>        each file's contents once, stored as they are (no recompression)

Reading a zip that anyone may have made is done with suspicion, before anything is written:
- only a regular file, at most MAX_PACKAGE_BYTES; the names must be exactly `assessment.json`
  and `evidence/<64 lowercase hex>` (no folders, no `..`, no absolute or Windows paths, no
  name twice), no encryption, only stored or deflated members;
- zip bombs: each member's declared size is checked against its record and the limits (a file
  at most evidence.MAX_FILE_BYTES, at most MAX_PACKAGE_FILES files and MAX_PACKAGE_BYTES in
  all), a deflated member may not expand more than MAX_RATIO times, members may not overlap
  (one compressed stream named many times), and every member is read in chunks, counting
  the real bytes, and never past its declared size;
- every record needs its member and every member its record; each file's SHA-256 and size are
  checked while it is streamed into the evidence folder.
Import is atomic: the files are stored first (temporary name, fsync, rename: see
evidence.store_checked), then the assessment and all its records are written in one
transaction. If that fails, the files this import added are removed; if the process is killed
in between, no record names them and the next start's sweep removes them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from nasro_desktop import portable
from nasro_desktop.domain.evidence import Evidence, EvidenceKind
from nasro_desktop.domain.model import Assessment
from nasro_desktop.store import evidence, files
from nasro_desktop.store.errors import ImportRefused, SaveFailed, StoreError
from nasro_desktop.store.exchange import (
    _QUESTION_ID,
    _Bad,
    _date,
    _datetime,
    _enum,
    _int,
    _list,
    _record,
    _text,
)

if TYPE_CHECKING:
    from nasro_desktop.store.db import Store

DOCUMENT = "assessment.json"
MAX_PACKAGE_FILES = 1_000  # distinct files in one export
MAX_PACKAGE_BYTES = 2_000_000_000  # all its files together (2 GB)
MAX_RATIO = 100  # a deflated member may expand this many times (a PDF: about 1.1)
_SMALL = 1_000_000  # below this a member may expand as it likes
DOCUMENT_RATIO = 100  # the document above _DOCUMENT_SMALL: typed text in JSON packs 5-20
_DOCUMENT_SMALL = 4_000_000  # times; a note pasted into every answer packs far better
_ENTRY_BYTES = 1_024  # room for one member in the zip's directory (ours take ~120 bytes)
_MEMBER = re.compile(r"evidence/([0-9a-f]{64})")
_MAGIC = b"PK\x03\x04"
# what reading a damaged zip may raise (zlib.error: a damaged deflate stream; RuntimeError
# includes NotImplementedError, "zip file version 15.3" for a damaged version field)
_UNREADABLE = (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, zlib.error)


@dataclass
class Package:
    assessment: Assessment
    records: list[Evidence]
    members: dict[str, zipfile.ZipInfo] = field(default_factory=dict)  # sha256 -> member


def _refuse(name: str, why: str) -> ImportRefused:
    return ImportRefused(f"The file {name} can't be imported: {why}. Nothing was changed.")


def is_package(src: Path) -> bool:
    """Whether `src` is a regular file that starts like a zip (the checks come later)."""
    try:  # never blocks on a pipe, never reads a device
        fd = os.open(src, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        return os.read(fd, 4) == _MAGIC
    except OSError:
        return False
    finally:
        os.close(fd)


def _open_zip(src: Path) -> IO[bytes]:
    name = src.name
    try:
        handle = open(src, "rb")  # noqa: SIM115 (returned to the caller, who closes it)
    except OSError as error:
        raise ImportRefused(
            f"The file {src} could not be read ({error.strerror or 'not readable'}). Check "
            "that the drive is connected and that you may read it. Nothing was imported."
        ) from error
    info = os.fstat(handle.fileno())
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_PACKAGE_BYTES + 100_000_000:
        handle.close()
        raise _refuse(name, "it is too large to be an assessment export")
    return handle


def read_package(source: Path | IO[bytes], name: str | None = None, *,
                 check_files: bool = False) -> Package:
    """Check a format 2 zip (structure, limits, document, records against members) and return
    what it holds. With `check_files`, every member is read and its SHA-256 checked too."""
    if isinstance(source, Path):
        name = name or source.name
        with _open_zip(source) as handle:
            return _read(handle, name, check_files)
    return _read(source, name or "file", check_files)


def _directory_size(handle: IO[bytes]) -> tuple[int, int] | None:
    """(members, bytes) of the zip's central directory as its end record gives them (the
    zip64 end record when the plain one says 0xFFFF), read before zipfile builds one object
    per member; None when no end record is found (zipfile then refuses the file)."""
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    span = min(size, 22 + 0xFFFF + 20)  # the end record, its comment, a zip64 locator
    handle.seek(size - span)
    tail = handle.read(span)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    _sig, _disk, _cd_disk, _here, count, cd_bytes, _offset, _comment = struct.unpack(
        "<4s4H2LH", tail[at:at + 22])
    if (count == 0xFFFF or cd_bytes == 0xFFFFFFFF) and at >= 20 \
            and tail[at - 20:at - 16] == b"PK\x06\x07":
        offset = struct.unpack("<Q", tail[at - 12:at - 4])[0]
        handle.seek(offset)
        record = handle.read(56)
        if len(record) == 56 and record[:4] == b"PK\x06\x06":
            count, cd_bytes = struct.unpack("<QQ", record[32:48])
    return count, cd_bytes


def _read(handle: IO[bytes], name: str, check_files: bool) -> Package:
    from nasro_desktop.store.exchange import MAX_FILE_BYTES as MAX_DOCUMENT_BYTES
    from nasro_desktop.store.exchange import _check_form, parse_full

    try:
        directory = _directory_size(handle)
    except (OSError, ValueError):
        directory = None
    if directory is not None and (directory[0] > MAX_PACKAGE_FILES + 1
                                  or directory[1] > (MAX_PACKAGE_FILES + 1) * _ENTRY_BYTES):
        raise _refuse(name, f"it holds more than {MAX_PACKAGE_FILES:,} files")
    try:
        handle.seek(0)
        zf = zipfile.ZipFile(handle)
    except (zipfile.LargeZipFile, *_UNREADABLE):
        raise _refuse(name, "it is incomplete or damaged (was it copied in full?)") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_PACKAGE_FILES + 1:
            raise _refuse(name, f"it holds more than {MAX_PACKAGE_FILES:,} files")
        members: dict[str, zipfile.ZipInfo] = {}
        document: zipfile.ZipInfo | None = None
        for info in infos:
            match = _MEMBER.fullmatch(info.filename)
            if info.filename == DOCUMENT and document is None:
                document = info
            elif match and match[1] not in members:
                members[match[1]] = info
            else:
                raise _refuse(name, "it holds a file this app does not put in an export "
                                    f"({info.filename[:60]!r})")
            _check_member(info, name, ratio=info is not document)
        _check_no_overlap(infos, zf, name)
        if document is None:
            raise _refuse(name, "it is not an assessment export from this app")
        if document.file_size > MAX_DOCUMENT_BYTES:
            raise _refuse(name, "it is too large to be an assessment export")
        if document.file_size > max(_DOCUMENT_SMALL, DOCUMENT_RATIO * document.compress_size):
            raise _refuse(name, "its document expands far more than any assessment does (a "
                                "\"zip bomb\")")
        try:
            with zf.open(document) as member:
                data = _read_capped(member, document.file_size)
        except _UNREADABLE:
            raise _refuse(name, "it is incomplete or damaged (was it copied in full?)") from None
        assessment, records = parse_full(data, name, files_with_it=True)
        _check_form(assessment, name)
        sizes: dict[str, int] = {}
        for record in records:
            sizes.setdefault(record.sha256, record.size)
            if sizes[record.sha256] != record.size:
                raise _refuse(name, f"it gives two sizes for the file {record.file_name}")
        if set(sizes) != set(members):
            lacking = sorted(set(sizes) - set(members))
            if lacking:
                raise _refuse(name, "files listed in it are not in it (was it changed?)")
            raise _refuse(name, "it holds files that none of its records names")
        for sha, info in members.items():
            if info.file_size != sizes[sha]:
                raise _refuse(name, "a file in it does not have the size its record gives")
        if sum(sizes.values()) > MAX_PACKAGE_BYTES:
            raise _refuse(name, f"its files come to more than {MAX_PACKAGE_BYTES / 1e9:g} GB")
        if check_files:
            for sha, info in members.items():
                _check_hash(zf, info, sha, name)
    return Package(assessment, records, members)


def _check_member(info: zipfile.ZipInfo, name: str, *, ratio: bool) -> None:
    """Flags, method and sizes of one member. The document is capped by its size alone (text
    typed in the window may compress very well); a file may not expand past MAX_RATIO."""
    if info.flag_bits & 0x1:
        raise _refuse(name, "it is encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _refuse(name, "it is packed in a way this app does not read")
    if info.file_size > evidence.MAX_FILE_BYTES or info.file_size < 0:
        raise _refuse(name, "a file in it is larger than a file may be")
    if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
        raise _refuse(name, "it is damaged (a file's sizes do not agree)")
    if ratio and info.file_size > max(_SMALL, MAX_RATIO * info.compress_size):
        raise _refuse(name, "a file in it expands far more than any document does (a "
                            "\"zip bomb\")")


def _check_no_overlap(infos: list[zipfile.ZipInfo], zf: zipfile.ZipFile, name: str) -> None:
    """Each member's data lies after the previous one's and before the directory: a zip whose
    entries share one compressed stream (an overlapping zip bomb) is refused."""
    end = 0
    for info in sorted(infos, key=lambda i: i.header_offset):
        if info.header_offset < end:
            raise _refuse(name, "its files overlap one another (a \"zip bomb\")")
        end = info.header_offset + 30 + len(info.filename.encode("utf-8")) + info.compress_size
    if end > zf.start_dir:
        raise _refuse(name, "its files overlap one another (a \"zip bomb\")")


def _read_capped(member: IO[bytes], declared: int) -> bytes:
    """The member's bytes, read in chunks, never more than it declared."""
    chunks, total = [], 0
    while chunk := member.read(evidence.CHUNK):
        total += len(chunk)
        if total > declared:
            raise ValueError("longer than declared")
        chunks.append(chunk)
    if total != declared:
        raise ValueError("shorter than declared")
    return b"".join(chunks)


def _check_hash(zf: zipfile.ZipFile, info: zipfile.ZipInfo, sha: str, name: str) -> None:
    digest, total = hashlib.sha256(), 0
    try:
        with zf.open(info) as member:
            while chunk := member.read(evidence.CHUNK):
                total += len(chunk)
                if total > info.file_size:
                    break
                digest.update(chunk)
    except _UNREADABLE:
        raise _refuse(name, "a file in it is damaged") from None
    if total != info.file_size or digest.hexdigest() != sha:
        raise _refuse(name, "a file in it has been changed or damaged since it was exported "
                            "(its SHA-256 does not match)")


# --- the records (format 2's "evidence" list) --------------------------------------------------

_EVIDENCE_KEYS = {"kind", "key", "standard_id", "file_name", "media_type", "size", "sha256",
                  "added", "description", "valid_until"}
_SHA256 = re.compile(r"[0-9a-f]{64}")


def evidence_payload(a: Assessment, items: Iterable[Evidence]) -> list[dict[str, Any]]:
    """The records of the files attached to `a` (removed ones are not exported). An officer's
    or school's file names its place in the lists ("0", "1", ...), since ids are not
    exported; a record whose officer or school is no longer there is left out."""
    places = {(EvidenceKind.OFFICER, str(o.id)): str(n) for n, o in enumerate(a.officers)}
    places |= {(EvidenceKind.SCHOOL, str(s.id)): str(n) for n, s in enumerate(a.schools)}
    out = []
    for item in items:
        key = item.key
        if item.kind in (EvidenceKind.OFFICER, EvidenceKind.SCHOOL):
            if (item.kind, key) not in places:
                continue
            key = places[(item.kind, key)]
        out.append(record_dict(item, key))
    return out


def record_dict(item: Evidence, key: str) -> dict[str, Any]:
    return {
        "kind": str(item.kind), "key": key, "standard_id": item.standard_id,
        "file_name": _plain_name(item.file_name), "media_type": item.media_type, "size": item.size,
        "sha256": item.sha256, "added": item.added.isoformat(),
        "description": item.description,
        "valid_until": item.valid_until.isoformat() if item.valid_until else None,
    }


_BAD_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


def _plain_name(name: str) -> str:
    """A file name as import accepts it (a name with a control character, possible on Linux,
    is exported with "_" in its place rather than refused)."""
    plain = _BAD_NAME.sub("_", name)[:255]
    return "evidence" if not plain.strip() or plain in (".", "..") else plain


def evidence_records(value: Any, a: Assessment) -> list[Evidence]:
    """The records of a format 2 document, validated like every other field (exchange.py)."""
    out = []
    for number, raw in enumerate(_list(value, "evidence"), start=1):
        what = f"evidence file {number}"
        r = _record(raw, _EVIDENCE_KEYS, what)
        kind = _enum(EvidenceKind, r["kind"], f"{what}'s kind")
        key = _text(r["key"], f"{what}'s key", 200)
        if kind in (EvidenceKind.OFFICER, EvidenceKind.SCHOOL):
            count = len(a.officers if kind is EvidenceKind.OFFICER else a.schools)
            if not (key.isdecimal() and key.isascii() and int(key) < count
                    and str(int(key)) == key):
                raise _Bad(f"{what} is for a {kind.value} that is not in the file")
        elif not _QUESTION_ID.fullmatch(key):
            raise _Bad(f"{what}'s standard or question is not valid")
        standard_id = _text(r["standard_id"], f"{what}'s standard", 200)
        if standard_id and not _QUESTION_ID.fullmatch(standard_id):
            raise _Bad(f"{what}'s standard is not valid")
        file_name = _text(r["file_name"], f"{what}'s name", 255)
        if not file_name.strip() or file_name in (".", "..") or _BAD_NAME.search(file_name):
            raise _Bad(f"{what}'s name is not a plain file name")
        size = _int(r["size"], f"{what}'s size", low=0)
        if size is None or size > evidence.MAX_FILE_BYTES:
            raise _Bad(f"{what} is larger than the {evidence.MAX_FILE_BYTES // 1_000_000} MB "
                       "a file may be")
        sha = _text(r["sha256"], f"{what}'s SHA-256", 64)
        if not _SHA256.fullmatch(sha):
            raise _Bad(f"{what}'s SHA-256 is not valid")
        added = _datetime(r["added"], f"{what}'s date added")
        if added is None:
            raise _Bad(f"{what}'s date added is missing")
        if added.tzinfo is None:
            added = added.replace(tzinfo=UTC)
        out.append(Evidence(
            id=None, assessment_id=0, kind=kind, key=key, standard_id=standard_id,
            file_name=file_name, size=size, sha256=sha, added=added,
            media_type=_text(r["media_type"], f"{what}'s type", 200),
            description=_text(r["description"], f"{what}'s description"),
            valid_until=_date(r["valid_until"], f"{what}'s valid-until date"),
        ))
    return out


# --- import -----------------------------------------------------------------------------------


def import_package(store: Store, src: Path) -> int:
    """Store the evidence files, then the assessment and its records in one transaction."""
    package = read_package(src)
    store._writer()  # a read-only store refuses before any file is written
    live = evidence.folder_of(store.data_dir)
    needed = {r.sha256: r for r in package.records}
    missing = {sha: r for sha, r in needed.items()
               if not evidence.good_copy(live, sha, r.size)}
    _check_room(store.data_dir, sum(r.size for r in missing.values()))
    added: list[str] = []
    try:
        if needed:
            with _open_zip(src) as handle, zipfile.ZipFile(handle) as zf:
                for sha, record in needed.items():
                    info = zf.getinfo(f"evidence/{sha}")
                    if info.file_size != record.size:
                        raise _refuse(src.name, "it changed while it was being imported")
                    if sha not in missing:  # held already: the file's copy is checked all
                        _check_hash(zf, info, sha, src.name)  # the same (a damaged export
                        continue  # is said to be damaged, never passed on as sound)
                    existed = evidence.blob_in(live, sha).exists()
                    try:
                        with zf.open(info) as member:
                            made = evidence.store_checked(live, member.read, record.size, sha,
                                                          record.file_name)
                    except OSError as error:
                        if files.disk_full(error):
                            raise  # no room or no inodes: the disk is full, not the zip
                        raise _refuse(src.name, f"the file {record.file_name} in it has been "
                                                "changed or damaged since it was exported"
                                      ) from None
                    except (evidence.EvidenceProblem, *_UNREADABLE):
                        raise _refuse(src.name, f"the file {record.file_name} in it has been "
                                                "changed or damaged since it was exported"
                                      ) from None
                    if made and not existed:
                        added.append(sha)
        new = store.create_assessment(package.assessment, evidence=package.records)
    except OSError as error:  # writing a file into evidence/ failed (a full disk)
        _remove(live, added)
        raise SaveFailed(f"Could not import {src.name}: {files.why_not(error)}. Nothing was "
                         "imported.", reason=str(error)) from error
    except BaseException:
        _remove(live, added)
        raise
    return int(new.id or 0)


def _remove(live: Path, added: list[str]) -> None:
    """The files this import stored: no record anywhere names them."""
    for sha in added:
        with contextlib.suppress(OSError):
            path = evidence.blob_in(live, sha)
            portable.chmod_regular(path, 0o600)  # Windows: not read-only; never a link's target
            path.unlink()
            path.parent.rmdir()  # only when empty


def _check_room(data_dir: Path, needed: int) -> None:
    if not needed:
        return
    try:
        free = shutil.disk_usage(data_dir).free
    except OSError:
        return
    if free < needed + 10_000_000:  # and room for the database to grow
        raise SaveFailed(
            f"Could not import: its evidence files need {needed / 1e6:.0f} MB and the disk "
            f"has {free / 1e6:.0f} MB free. Free some space and import it again. Nothing was "
            "imported.", reason="disk full (checked before import)")


# --- export -----------------------------------------------------------------------------------


def zip_name(dest: Path) -> Path:
    """Where a format 2 export goes: a name ending .json becomes .zip (the file is a zip);
    an existing file of that name is replaced only if it is an export of ours."""
    if dest.suffix.lower() != ".json":
        return dest
    target, counter = dest.with_suffix(".zip"), 2
    while target.exists() or target.is_symlink():
        if _is_our_export(target):
            return target
        target = dest.with_name(f"{dest.stem} ({counter}).zip")
        counter += 1
    return target


def _is_our_export(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.namelist()[:1] == [DOCUMENT] or DOCUMENT in zf.namelist()
    except (OSError, zipfile.BadZipFile, ValueError):
        return False


def export_package(store: Store, assessment: Assessment, items: list[Evidence],
                   dest: Path) -> Path:
    """Write the format 2 zip: each file (read back from the store, hash checked) once, then
    the document naming the files included. A file missing or damaged in the store is left
    out, its records too, and named in store.last_left_out."""
    from nasro_desktop.store import exchange
    from nasro_desktop.store.backups import pool_of
    from nasro_desktop.store.checks import clean_stale_beside

    if dest.is_dir():
        raise StoreError(f"{dest} is a folder. Choose a file name for the export.")
    if not dest.parent.is_dir():
        raise StoreError(f"The folder {dest.parent} does not exist. Choose another place.")
    dest = zip_name(dest)
    records = evidence_payload(assessment, items)
    clean_stale_beside(dest)
    tmp = _staging(store, dest)
    try:
        included: set[str] = set()
        with zipfile.ZipFile(tmp, "w", allowZip64=True) as zf:
            for record in {r["sha256"]: r for r in records}.values():
                sha, size, file_name = record["sha256"], record["size"], record["file_name"]
                roots = (evidence.folder_of(store.data_dir), pool_of(store.data_dir))
                source = next((evidence.blob_in(root, sha) for root in roots
                               if evidence.good_copy(root, sha, size)), None)
                if source is None:
                    store.last_left_out.append(
                        f"the evidence file {file_name} (missing or damaged in the evidence "
                        "folder)")
                    continue
                _add_member(zf, source, sha, size)
                included.add(sha)
            kept = [r for r in records if r["sha256"] in included]
            document = exchange.build_document(assessment, kept)
            data = json.dumps(document, ensure_ascii=False, indent=1,
                              allow_nan=False).encode("utf-8")
            zf.writestr(_info(DOCUMENT, zipfile.ZIP_DEFLATED), data)
        files.fsync_file(tmp)
        _verify(tmp, document, dest.name)
        if tmp.parent == dest.parent:
            tmp.replace(dest)
            files.fsync_folder(dest.parent)
        else:  # made in our own folder: published beside the user's files, nothing left there
            files.publish(dest, tmp)  # if the app is killed (files.publish)
            tmp.unlink()
    except ImportRefused as error:
        tmp.unlink(missing_ok=True)
        why = str(error).split(": ", 1)[-1].removesuffix(" Nothing was changed.").rstrip(".")
        raise StoreError(f"This assessment can't be exported: {why}. Nothing was written."
                         ) from None
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise StoreError(
            f"Could not write the export to {dest}: {files.why_not(error)}. Nothing was "
            "exported.") from error
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dest


def _staging(store: Store, dest: Path) -> Path:
    """Where the zip is made and checked: a temporary file in the data folder's backups/
    (removed at the next open if the app is killed: checks.clean_stale), then published
    beside the user's files; beside `dest` when our folder can't be written (a viewer of a
    write-protected stick)."""
    from nasro_desktop.store.backups import BACKUP_FOLDER

    ours = store.data_dir / BACKUP_FOLDER
    try:
        files.make_private_folder(ours)
        return files.temp_beside(ours / "nasro-export.zip")
    except OSError:
        return files.temp_beside(dest)


def _info(name: str, method: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
    info.compress_type = method
    info.external_attr = 0o644 << 16
    return info


def _add_member(zf: zipfile.ZipFile, source: Path, sha: str, size: int) -> None:
    digest, done = hashlib.sha256(), 0
    with os.fdopen(portable.open_regular(source), "rb") as handle, zf.open(_info(f"evidence/{sha}", zipfile.ZIP_STORED),
                                               "w") as out:
        while chunk := handle.read(min(evidence.CHUNK, size + 1 - done)):
            done += len(chunk)
            digest.update(chunk)
            out.write(chunk)
            if done > size:
                break
    if done != size or digest.hexdigest() != sha:
        raise OSError(5, "an evidence file changed while it was exported; try again")


def _verify(tmp: Path, document: dict[str, Any], name: str) -> None:
    """Read the written zip back as an import would (every file's hash too) and compare."""
    from nasro_desktop.store import exchange

    again = read_package(tmp, name, check_files=True)
    payload = dict(document["assessment"])
    expected_records = payload.pop("evidence")
    if exchange.assessment_payload(again.assessment) != payload:
        raise OSError(5, "the export did not read back the same")
    got = [record_dict(r, r.key) for r in again.records]
    if got != expected_records:
        raise OSError(5, "the export's evidence did not read back the same")
