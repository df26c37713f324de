"""`store.evidence`: the evidence of the open data file, attached, listed, read back, changed
and removed through the database's transactions (records) and the evidence folder (files,
storage and checks in evidence.py)."""

from __future__ import annotations

import dataclasses
import sqlite3
import tempfile
from datetime import date
from pathlib import Path

from nasro_desktop.domain.evidence import Evidence, EvidenceKind
from nasro_desktop.store import files, rows
from nasro_desktop.store.database import Database, touch
from nasro_desktop.store.errors import SaveFailed, StoreError, reads
from nasro_desktop.store.evidence import (
    EvidenceProblem,
    Progress,
    Staged,
    _get,
    _ingest,
    blob_path,
    copy_to,
    file_state,
    insert_record,
    list_rows,
    media_type_of,
    private_copy,
    read_bytes,
)


class EvidenceFiles:
    """The evidence of the open data file (`Store.evidence`): records through the database's
    transactions, files in the evidence folder beside it."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.data_dir = db.data_dir

    def attach(
        self,
        assessment_id: int,
        source: Path | str,
        kind: EvidenceKind | str,
        key: str,
        *,
        description: str = "",
        valid_until: date | None = None,
        standard_id: str = "",
        progress: Progress | None = None,
    ) -> Evidence:
        """Keep a copy of the file `source` as evidence for (kind, key). Refuses folders,
        devices, pipes, unreadable and over-size files with an EvidenceProblem."""
        self.db.writer()  # a read-only store refuses before any file is copied
        staged = self.stage(source, progress)
        return self.record(staged, assessment_id, kind, key, description=description,
                           valid_until=valid_until, standard_id=standard_id)

    def stage(self, source: Path | str, progress: Progress | None = None) -> Staged:
        """The slow half of an attach (copy and hash), touching no database connection, so a
        window may run it on a worker thread; then call `record` on the GUI thread."""
        if self.db.read_only:  # a flag only: this may run on a worker thread
            raise StoreError(
                "This data is open for viewing only, so files can't be attached here.")
        source = Path(source).expanduser()
        sha, size, new = _ingest(self.data_dir, source, progress)
        return Staged(source.name, sha, size, new)

    def record(
        self,
        staged: Staged,
        assessment_id: int,
        kind: EvidenceKind | str,
        key: str,
        *,
        description: str = "",
        valid_until: date | None = None,
        standard_id: str = "",
    ) -> Evidence:
        """The record of a staged file, in one transaction. On SaveFailed (a full disk, a busy
        file) the file stays in the evidence folder, so the record may be tried again."""
        item = Evidence(
            id=None, assessment_id=assessment_id, kind=EvidenceKind(kind), key=key,
            standard_id=standard_id, file_name=staged.file_name,
            media_type=media_type_of(staged.file_name), size=staged.size,
            sha256=staged.sha256, added=rows.now_utc(), description=description.strip(),
            valid_until=valid_until)

        def work(conn: sqlite3.Connection) -> int:
            touch(conn, assessment_id, item.added)
            return insert_record(conn, assessment_id, item)

        try:
            new_id = self.db.write(work)
        except SaveFailed:
            # kept for the retry (Session.record_evidence); if it never comes, the sweep at
            # the next open removes the file nothing names
            raise
        except BaseException:
            if staged.new:  # nothing anywhere names a file that was not stored before
                blob_path(self.data_dir, staged.sha256).unlink(missing_ok=True)
            raise
        return _get(self.db.reader(), new_id)

    @reads
    def records(
        self,
        assessment_id: int,
        kind: EvidenceKind | str | None = None,
        key: str | None = None,
        *,
        removed: bool = False,
        check: bool = False,
    ) -> list[Evidence]:
        """The records; with `check`, each file is read and its SHA-256 compared now (for the
        report's register: what was verified when it was made), in `Evidence.on_disk`."""
        items = list_rows(self.db.reader(), assessment_id, kind, key, removed=removed)
        if not check:
            return items

        found: dict[tuple[str, int], str] = {}
        for item in items:
            if (item.sha256, item.size) not in found:
                found[(item.sha256, item.size)] = file_state(self.data_dir, item.sha256,
                                                             item.size)
        return [dataclasses.replace(i, on_disk=found[(i.sha256, i.size)]) for i in items]

    @reads
    def get(self, evidence_id: int) -> Evidence:
        return _get(self.db.reader(), evidence_id)

    def read_bytes(self, evidence_id: int) -> bytes:
        return read_bytes(self.data_dir, self.get(evidence_id))

    def save_copy(self, evidence_id: int, dest: Path | str) -> Path:
        """ "Save a copy…": a checked copy at `dest` (a folder: the file's own name in it)."""
        item = self.get(evidence_id)
        target = Path(dest).expanduser()
        if target.is_dir():
            target = target / item.file_name
        files.check_dest(target, None)
        try:
            return copy_to(self.data_dir, item, target)
        except EvidenceProblem:
            raise
        except OSError as error:
            raise StoreError(
                f"Could not write {target.name} to {target.parent}: check there is room and "
                "that you may write to that folder."
            ) from error

    def open_copy(self, evidence_id: int) -> Path:
        """ "Open": a private temporary copy for the system's viewer."""
        item = self.get(evidence_id)
        try:
            return private_copy(self.data_dir, item)
        except OSError as error:  # the temporary folder is full, gone or not writable
            raise EvidenceProblem(
                f"{item.file_name} could not be opened: a copy to show could not be made in "
                f"the computer's temporary folder ({tempfile.gettempdir()}): "
                f"{files.why_not(error)}.") from error

    def update(
        self, evidence_id: int, *, description: str | None = None,
        valid_until: date | None | object = ...,
    ) -> Evidence:
        item = self.get(evidence_id)

        def work(conn: sqlite3.Connection) -> None:
            if description is not None:
                conn.execute("UPDATE evidence SET description = ? WHERE id = ?",
                             (description.strip(), evidence_id))
            if valid_until is not ...:
                value = valid_until.isoformat() if isinstance(valid_until, date) else None
                conn.execute("UPDATE evidence SET valid_until = ? WHERE id = ?",
                             (value, evidence_id))
            touch(conn, item.assessment_id, rows.now_utc())

        self.db.write(work)
        return self.get(evidence_id)

    def remove(self, evidence_id: int) -> None:
        """Remove from the list; recoverable with `restore` (the file is kept)."""
        self._set_removed(evidence_id, rows.now_utc().isoformat())

    def restore(self, evidence_id: int) -> None:
        self._set_removed(evidence_id, None)

    def _set_removed(self, evidence_id: int, when: str | None) -> None:
        item = self.get(evidence_id)

        def work(conn: sqlite3.Connection) -> None:
            conn.execute("UPDATE evidence SET deleted_at = ? WHERE id = ?", (when, evidence_id))
            touch(conn, item.assessment_id, rows.now_utc())

        self.db.write(work)
