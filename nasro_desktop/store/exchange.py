"""One assessment as a single file, with a SHA-256 checksum, in one of two formats.

Format 1 (plain JSON), written for an assessment with no evidence files attached, so that
an older version of the app still imports it:
    {"format": "nasro-desktop-assessment", "format_version": 1, "app_version": "0.1.0",
     "exported_at": "<ISO datetime>", "sha256": "<hex of the canonical assessment JSON>",
     "assessment": {facts..., "answers": [...], "officers": [...], "schools": [...],
                    "action_items": [...]}}

Format 2 (a .zip), written when evidence files are attached: the same JSON document as the
member `assessment.json` with "format_version": 2 and an "evidence" list in "assessment"
(each file's record: what it supports, name, type, size, SHA-256, date added, description,
valid until), and each file's contents once as the member `evidence/<sha256>`. Why a zip
(the stdlib's zipfile) and not base64 inside the JSON: a 20 MB scanned PDF would become 27 MB
of text to be read whole into memory and parsed; a zip member is streamed and hashed in
chunks, PDFs and photos are stored as they are (no base64, no recompression), and a district's
IT can open the file with any zip tool.

The checksum covers the canonical form of "assessment" (keys sorted, no spaces, UTF-8), so a
file re-indented by hand still imports, while any change to what it says is caught; in format
2 it covers the evidence records, and each record's SHA-256 covers its file.

Export writes a temporary file, fsyncs it, re-reads and fully validates it (every evidence
file's hash too), compares it with what was meant to be written, and only then renames it into
place. Import validates everything (format, version, checksum, every field's type and size,
the question set, the zip's names and sizes) before writing anything, stores the evidence
files (hash checked), then writes the whole assessment and its evidence records in one
transaction; a refused or killed import leaves no record and no file of its own.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import math
import os
import re
import shutil
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from nasro_desktop import __version__, portable
from nasro_desktop.domain.answers import answer_problem
from nasro_desktop.domain.evidence import Evidence, EvidenceKind
from nasro_desktop.domain.forms import form_registry
from nasro_desktop.domain.model import (
    ActionItem,
    ActionStatus,
    Answer,
    Assessment,
    Form,
    Officer,
    Owner,
    RapidDeploymentReading,
    School,
)
from nasro_desktop.store import evidence, files, rows
from nasro_desktop.store.checks import clean_stale_beside
from nasro_desktop.store.errors import DamagedAssessment, ImportRefused, SaveFailed, StoreError

if TYPE_CHECKING:
    from nasro_desktop.store.db import Store

FORMAT = "nasro-desktop-assessment"
FORMAT_VERSION = 2  # the newest this app reads; 1 is still written when there is no evidence
# Limits sit above anything the window lets a person type (a text box holds 32,767
# characters), so every assessment saved through the window can be exported and imported.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_TEXT = 100_000  # characters in one note, reason or text answer
MAX_SHORT = 32_767  # a title, a name
MAX_ROWS = {"answers": 5_000, "officers": 1_000, "schools": 1_000, "action_items": 5_000,
            "evidence": 5_000}
MAX_INT = 2**63 - 1
# What the window's number boxes can show (ui/widgets.py: whole numbers 0..1,000,000, years of
# experience up to 70, acres up to 100,000). A bigger number would not fit the box: an integer
# of 2**31 or more even stops the page from opening. Import refuses what the window can't show.
MAX_WHOLE = 1_000_000
MAX_YEARS = 70
MAX_ACRES = 100_000.0
_QUESTION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]{0,199}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

_FACT_FIELDS = ("title", "agency", "district", "prepared_by", "last_page")
_ASSESSMENT_KEYS = {
    *_FACT_FIELDS, "as_of", "form_id", "form_version", "rapid_deployment_reading",
    "answers", "officers", "schools", "action_items",
}
_ANSWER_KEYS = {"question_id", "value", "note", "na_reason", "flagged", "reconfirm", "updated"}
_OFFICER_KEYS = set(rows.columns("officers"))
_SCHOOL_KEYS = set(rows.columns("schools"))
_ACTION_KEYS = set(rows.columns("action_items"))


# --- to the file --------------------------------------------------------------------------


def assessment_payload(a: Assessment) -> dict[str, Any]:
    """The "assessment" part of the file: everything except database ids and times."""
    def officer(o: Officer) -> dict[str, Any]:
        return dict(zip(rows.columns("officers"), rows.officer_values(o), strict=True)) | {
            "probation_review_with_school": o.probation_review_with_school
        }

    return {
        "title": a.title,
        "agency": a.agency,
        "district": a.district,
        "prepared_by": a.prepared_by,
        "last_page": a.last_page,
        "as_of": a.as_of.isoformat(),
        "form_id": a.form_id,
        "form_version": int(a.form_version),
        "rapid_deployment_reading": RapidDeploymentReading(a.rapid_deployment_reading).value,
        "answers": [
            {
                "question_id": ans.question_id,
                "value": json.loads(rows.dump_value(ans.value) or "null"),
                "note": ans.note,
                "na_reason": ans.na_reason,
                "flagged": bool(ans.flagged),
                "reconfirm": bool(ans.reconfirm),
                "updated": None if ans.updated is None else ans.updated.isoformat(),
            }
            for ans in sorted(a.answers.values(), key=lambda x: x.question_id)
        ],
        "officers": [officer(o) for o in a.officers],
        "schools": [dict(zip(rows.columns("schools"), rows.school_values(s), strict=True))
                    for s in a.schools],
        "action_items": [dict(zip(rows.columns("action_items"), rows.action_values(i), strict=True))
                         for i in a.action_items],
    }


def canonical(payload: Any) -> bytes:
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def checksum(payload: Any) -> str:
    return hashlib.sha256(canonical(payload)).hexdigest()


def build_document(a: Assessment, evidence: list[dict[str, Any]] | None = None
                   ) -> dict[str, Any]:
    """The format 1 document, or format 2 when `evidence` records are given."""
    payload = assessment_payload(a)
    if evidence is not None:
        payload["evidence"] = evidence
    return {
        "format": FORMAT,
        "format_version": 1 if evidence is None else 2,
        "app_version": __version__,
        "exported_at": datetime.now(UTC).isoformat(),
        "sha256": checksum(payload),
        "assessment": payload,
    }


def document_bytes(document: dict[str, Any]) -> bytes:
    """A document as written to a file: UTF-8 JSON, indented to be readable."""
    return json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False).encode("utf-8")


def why_refused(error: ImportRefused) -> str:
    """The reason inside a refusal's sentence, to be said in other words (a file this app was
    about to write, or a shared file, is refused in its own terms)."""
    return str(error).split(": ", 1)[-1].removesuffix(" Nothing was changed.").rstrip(".")


def export_assessment(store: Store, assessment_id: int, dest: Path) -> Path:
    """Write the export; `store.last_left_out` then names the values that could not be read
    (a damaged assessment is exported with what can be read, never refused outright)."""
    left_out: list[str]
    try:
        assessment, left_out = store.load_assessment(assessment_id), []
    except DamagedAssessment:
        assessment, left_out = store.load_readable(assessment_id)
    store.last_left_out = left_out
    files.check_dest(dest, "Choose a file name for the export.")
    items = store.evidence.records(assessment_id)
    with_files = bool(evidence_payload(assessment, items))
    if with_files:
        dest = zip_name(dest)
    try:
        if with_files:
            return export_package(store, assessment, items, dest)
        return _export_plain(assessment, dest)
    except OSError as error:
        raise StoreError(
            f"Could not write the export to {dest}: {files.why_not(error)}. Nothing was "
            "exported.") from error


def _export_plain(assessment: Assessment, dest: Path) -> Path:
    """Format 1: the document alone."""
    document = build_document(assessment)
    data = document_bytes(document)
    try:  # never write a file that import would refuse, or that says something else
        again = parse_document(data)
        _check_form(again, dest.name)
    except ImportRefused as error:
        raise StoreError(
            f"This assessment can't be exported: {why_refused(error)}. Correct that in the "
            "window and export again; nothing was written."
        ) from None
    clean_stale_beside(dest)  # our own temp file left there by an export that was killed
    # the bytes are re-read from the disk and compared before the file takes its name
    if assessment_payload(again) != document["assessment"]:
        raise StoreError("The export did not read back the same. Nothing was exported; try again.")
    files.publish(dest, data)
    return dest


# --- from the file ------------------------------------------------------------------------


def read_import(src: Path, *, check_files: bool = True) -> Assessment:
    """Read and validate an export file (before anything is locked or written). Only a regular
    file is read, and never more than MAX_FILE_BYTES: a FIFO, /dev/zero or a folder is refused
    at once instead of hanging or filling the memory. A format 2 file (a zip) is checked
    whole, its evidence files' hashes included unless not `check_files` (for "is this already
    in your list?" before an import); the assessment is returned without them
    (import_assessment brings them in)."""
    if is_package(src):
        return read_package(src, check_files=check_files).assessment
    assessment = parse_document(read_capped(src, "an assessment export", "imported"),
                                name=src.name)
    _check_form(assessment, src.name)
    return assessment


def read_capped(src: Path, kind: str, done: str) -> bytes:
    """The bytes of `src` if it is a regular file of at most MAX_FILE_BYTES, read with a
    cap: a FIFO, /dev/zero or a folder is refused at once instead of hanging or filling the
    memory (ImportRefused, saying "Nothing was <done>")."""
    nothing = f"Nothing was {done}."
    try:
        fd = os.open(src, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError as error:
        raise ImportRefused(f"The file {src} was not found. {nothing}") from error
    except IsADirectoryError as error:
        raise ImportRefused(f"{src} is a folder, not {kind}. {nothing}") from error
    except OSError as error:
        raise ImportRefused(
            f"The file {src} could not be read ({error.strerror or 'not readable'}). Check that "
            f"the drive is connected and that you may read it. {nothing}"
        ) from error
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ImportRefused(f"{src} is a folder, not {kind}. {nothing}")
        if not stat.S_ISREG(info.st_mode):
            raise ImportRefused(
                f"{src} is not an ordinary file (it is a device or a pipe), so it can't be "
                f"{kind}. {nothing}")
        if info.st_size > MAX_FILE_BYTES:
            raise ImportRefused(f"The file {src.name} is too large to be {kind}. {nothing}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        while total <= MAX_FILE_BYTES:
            chunk = os.read(fd, min(1024 * 1024, MAX_FILE_BYTES + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as error:
        raise ImportRefused(
            f"The file {src} could not be read ({error.strerror or 'read error'}). Check that "
            f"the drive is connected. {nothing}"
        ) from error
    finally:
        os.close(fd)
    return b"".join(chunks)


def import_assessment(store: Store, src: Path) -> int:
    """Import a file of format 1 or 2; the new assessment's id. Format 2: its evidence files
    are stored, then the assessment and its records are written in one transaction."""
    if not is_package(src):
        return int(store.create_assessment(read_import(src)).id or 0)
    package = read_package(src)
    with files_stored(store, src, package.records,
                      f"Could not import {src.name}: {{}}. Nothing was imported."):
        return int(store.create_assessment(package.assessment, evidence=package.records).id or 0)


def _refuse(name: str, why: str) -> ImportRefused:
    return ImportRefused(f"The file {name} can't be imported: {why}. Nothing was changed.")


def parse_document(data: bytes, name: str = "file") -> Assessment:
    """Validate an export completely and return the assessment it holds (no ids). `data` may
    be a format 2 zip's bytes: its document is read (the files are not unpacked)."""
    if data[:4] == b"PK\x03\x04":
        return read_package(io.BytesIO(data), name=name).assessment
    return parse_full(data, name)[0]


def parse_full(data: bytes, name: str = "file", *, files_with_it: bool = False
               ) -> tuple[Assessment, list[Evidence]]:
    """The assessment and its evidence records (officer and school keys: places in the
    lists). A plain JSON file can't hold files: records in it are refused unless
    `files_with_it` (the document inside a format 2 zip)."""
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(name, "it is too large to be an assessment export")
    document = load_json(data, name, "an assessment export", _refuse)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _refuse(name, "it is not an assessment export from this app")
    version = document.get("format_version")
    if type(version) is not int:
        raise _refuse(name, "it is damaged (its format version is missing)")
    if version > FORMAT_VERSION:
        raise _refuse(
            name,
            f"it was written by a newer version of this app (file format {version}); "
            "install the newer version to import it",
        )
    if version < 1:
        raise _refuse(name, "its format version is not one this app knows")
    allowed = {"format", "format_version", "app_version", "exported_at", "sha256", "assessment"}
    if not isinstance(document.get("assessment"), dict):
        raise _refuse(name, "it has been changed or damaged (unexpected content)")
    if set(document) - allowed or "assessment" not in document or "sha256" not in document:
        raise _refuse(name, "it has been changed or damaged (unexpected content)")
    payload = document["assessment"]
    try:
        expected = checksum(payload)
    except (TypeError, ValueError, UnicodeEncodeError):
        raise _refuse(name, "it has been changed or damaged") from None
    if not isinstance(document["sha256"], str) or document["sha256"].lower() != expected:
        raise _refuse(name, "it has been changed or damaged since it was exported (checksum mismatch)")
    assessment, records = assessment_of(payload, version, name, _refuse)
    if records and not files_with_it:
        raise _refuse(name, "it lists evidence files but does not hold them (export the "
                            "assessment again: a file with evidence is a .zip)")
    return assessment, records


def load_json(data: bytes, name: str, kind: str,
              refuse: Callable[[str, str], ImportRefused]) -> Any:
    """The JSON in `data`, or `refuse(name, why)`: NaN and Infinity are refused, and so is a
    name twice in one record (the last would win, and text can hide in the first)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise refuse(name, f"it is not {kind} from this app") from None
    try:
        return json.loads(text, parse_constant=_no_constant, object_pairs_hook=_no_duplicates)
    except _DuplicateKey as duplicate:
        raise refuse(name, f"it has been changed: the name {duplicate} appears twice in one "
                           "record (text can hide in a repeated name)") from None
    except (ValueError, RecursionError):
        if text.lstrip().startswith("{") and '"format"' in text[:200]:
            raise refuse(name, "it is incomplete or damaged (was it copied in full?)") from None
        raise refuse(name, f"it is not {kind} from this app") from None


def assessment_of(payload: dict[str, Any], version: int, name: str,
                  refuse: Callable[[str, str], ImportRefused]) -> tuple[Assessment, list[Evidence]]:
    """The assessment and evidence records of a document's "assessment" payload, every field
    checked (its type, size and limits), or `refuse(name, why)`."""
    keys = _ASSESSMENT_KEYS | ({"evidence"} if version >= 2 else set())
    try:
        assessment = _assessment({k: v for k, v in payload.items() if k != "evidence"}
                                 if version >= 2 else payload)
        if set(payload) != keys:
            raise _Bad("the assessment does not have the expected fields")
        records = [] if version < 2 else evidence_records(payload["evidence"], assessment)
    except _Bad as bad:
        raise refuse(name, f"it holds something this app can't accept ({bad})") from None
    return assessment, records


def _check_form(assessment: Assessment, name: str) -> None:
    registry = form_registry()
    if not registry.knows(assessment.form_id):
        raise _refuse(name, f"it uses a question set this app does not have ({assessment.form_id})")
    if not registry.knows(assessment.form_id, assessment.form_version):
        raise _refuse(
            name,
            f"it uses version {assessment.form_version} of the question set, which this app "
            "does not have; install the newest version of the app and import it again",
        )
    _check_answers(assessment, registry.get(assessment.form_id, assessment.form_version), name)


def _check_answers(assessment: Assessment, form: Form, name: str) -> None:
    """Every answer must be one its question allows (a choice it offers, Not applicable only
    where allowed, Met another way only where offered and with an explanation a board can
    read): a file edited by hand must never buy a status. Answers to ids the question set
    lacks are kept (an upgrade keeps them too) and never read."""
    for qid, answer in assessment.answers.items():
        if not form.has_question(qid):
            continue
        question = form.question(qid)
        problem = answer_problem(question, answer)
        if problem:
            text = question.text if len(question.text) <= 90 else question.text[:87] + "..."
            raise _refuse(name, f"its answer to question {qid} (\u201c{text}\u201d) is not one "
                                f"that question allows: {problem}")


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(json.dumps(key[:40], ensure_ascii=True))
        out[key] = value
    return out


def _no_constant(token: str) -> Any:
    raise ValueError(f"{token} is not allowed")


class _Bad(Exception):
    """One field that fails validation; its message is short and plain."""


def _text(value: Any, what: str, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise _Bad(f"{what} is not text")
    if len(value) > limit:
        raise _Bad(f"{what} is too long")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _Bad(f"{what} holds characters that are not valid text") from None
    return value


def _int(value: Any, what: str, *, low: int = -MAX_INT) -> int:
    if type(value) is not int or not (low <= value <= MAX_INT):
        raise _Bad(f"{what} is not a whole number in range")
    return value


def _count(value: Any, what: str, highest: int) -> int | None:
    """An optional whole number the window's number box can show."""
    if value is None:
        return None
    if type(value) is not int or not 0 <= value <= highest:
        raise _Bad(f"{what} is not a whole number from 0 to {highest:,}")
    return value


def _bool(value: Any, what: str, *, optional: bool = False) -> bool | None:
    if value is None and optional:
        return None
    if type(value) is not bool:
        raise _Bad(f"{what} is not yes/no")
    return value


def _date(value: Any, what: str, *, optional: bool = True) -> date | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise _Bad(f"{what} is not a date")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _Bad(f"{what} is not a real date") from None


def _datetime(value: Any, what: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise _Bad(f"{what} is not a time")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise _Bad(f"{what} is not a time") from None


def _enum(cls: Any, value: Any, what: str) -> Any:
    try:
        return cls(value)
    except (ValueError, TypeError):
        raise _Bad(f"{what} is not one of the allowed values") from None


def _record(value: Any, keys: set[str], what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Bad(f"{what} is not a record")
    if set(value) != keys:
        raise _Bad(f"{what} does not have the expected fields")
    return value


def _list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise _Bad(f"the {what} are not a list")
    if len(value) > MAX_ROWS[what]:
        raise _Bad(f"there are too many {what}")
    return value


def _answer_value(value: Any, what: str) -> Any:
    if value is None or type(value) is str:
        return None if value is None else _text(value, what)
    if type(value) is int:
        if not 0 <= value <= MAX_WHOLE:
            raise _Bad(f"{what} is a number the app can't show (0 to {MAX_WHOLE:,})")
        return value
    if type(value) is float:
        if not math.isfinite(value) or not 0 <= value <= MAX_WHOLE:
            raise _Bad(f"{what} is not a number the app can show")
        return value
    raise _Bad(f"{what} is not a single value")


def _assessment(payload: Any) -> Assessment:
    p = _record(payload, _ASSESSMENT_KEYS, "the assessment")
    facts: dict[str, Any] = {
        key: _text(p[key], key.replace("_", " "), MAX_SHORT) for key in _FACT_FIELDS}
    form_id = _text(p["form_id"], "the question set", MAX_SHORT)
    if not form_id:
        raise _Bad("the question set is missing")
    answers: dict[str, Answer] = {}
    for number, raw in enumerate(_list(p["answers"], "answers"), start=1):
        what = f"answer {number}"
        a = _record(raw, _ANSWER_KEYS, what)
        qid = _text(a["question_id"], f"{what}'s question", 200)
        if not _QUESTION_ID.fullmatch(qid):
            raise _Bad(f"{what}'s question id is not valid")
        if qid in answers:
            raise _Bad(f"question {qid} is answered twice")
        answers[qid] = Answer(
            question_id=qid,
            value=_answer_value(a["value"], what),
            note=_text(a["note"], f"{what}'s note"),
            na_reason=_text(a["na_reason"], f"{what}'s reason"),
            flagged=bool(_bool(a["flagged"], what)),
            reconfirm=bool(_bool(a["reconfirm"], what)),
            updated=_datetime(a["updated"], f"{what}'s time"),
        )
    officers = []
    for number, raw in enumerate(_list(p["officers"], "officers"), start=1):
        what = f"officer {number}"
        o = _record(raw, _OFFICER_KEYS, what)
        officers.append(Officer(
            name=_text(o["name"], f"{what}'s name", MAX_SHORT),
            school=_text(o["school"], f"{what}'s school", MAX_SHORT),
            years_experience=_count(o["years_experience"], f"{what}'s years of experience",
                                    MAX_YEARS),
            probation_review_with_school=_bool(o["probation_review_with_school"], what,
                                               optional=True),
            note=_text(o["note"], f"{what}'s note"),
            **_dates(o, rows.OFFICER_DATES, what),
        ))
    schools = []
    for number, raw in enumerate(_list(p["schools"], "schools"), start=1):
        what = f"school {number}"
        s = _record(raw, _SCHOOL_KEYS, what)
        acreage = s["acreage"]
        if acreage is not None and (type(acreage) not in (int, float)
                                    or not math.isfinite(acreage)
                                    or not 0 <= acreage <= MAX_ACRES):
            raise _Bad(f"{what}'s acreage is not a number")
        schools.append(School(
            name=_text(s["name"], f"{what}'s name", MAX_SHORT),
            acreage=None if acreage is None else float(acreage),
            note=_text(s["note"], f"{what}'s note"),
            **{key: _count(s[key], f"{what}'s {key.replace('_', ' ')}", MAX_WHOLE)
               for key in ("enrollment", "buildings", "calls_for_service", "sros_assigned",
                           "non_sworn_safety_staff")},
        ))
    items = []
    for number, raw in enumerate(_list(p["action_items"], "action_items"), start=1):
        what = f"action item {number}"
        if isinstance(raw, dict) and "person" not in raw:  # written before the person field
            raw = {**raw, "person": ""}
        i = _record(raw, _ACTION_KEYS, what)
        items.append(ActionItem(
            standard_id=_text(i["standard_id"], f"{what}'s standard", MAX_SHORT),
            next_step=_text(i["next_step"], f"{what}'s next step"),
            owner=_enum(Owner, i["owner"], f"{what}'s owner"),
            target_date=_date(i["target_date"], f"{what}'s target date"),
            status=_enum(ActionStatus, i["status"], f"{what}'s status"),
            note=_text(i["note"], f"{what}'s note"),
            person=_text(i["person"], f"{what}'s person", MAX_SHORT),
        ))
    as_of = _date(p["as_of"], "the as-of date", optional=False)
    assert as_of is not None
    return Assessment(
        **facts,
        as_of=as_of,
        form_id=form_id,
        form_version=_int(p["form_version"], "the question set version", low=1),
        rapid_deployment_reading=_enum(RapidDeploymentReading, p["rapid_deployment_reading"],
                                       "the rapid deployment reading"),
        answers=answers,
        officers=officers,
        schools=schools,
        action_items=items,
    )


def _dates(record: dict[str, Any], keys: Iterable[str], what: str) -> dict[str, Any]:
    return {key: _date(record[key], f"{what}'s {key.replace('_', ' ')}") for key in keys}


# --- format 2: the zip ----------------------------------------------------------------------
# Format 2, reading and writing the zip:
#
#     assessment.json          the format 2 document (records of the files included)
#     evidence/<sha256>        each file's contents once, stored as they are (no recompression)
#
# Reading a zip that anyone may have made is done with suspicion, before anything is written:
# - only a regular file, at most MAX_PACKAGE_BYTES; the names must be exactly `assessment.json`
#   and `evidence/<64 lowercase hex>` (no folders, no `..`, no absolute or Windows paths, no
#   name twice), no encryption, only stored or deflated members;
# - zip bombs: each member's declared size is checked against its record and the limits (a file
#   at most evidence.MAX_FILE_BYTES, at most MAX_PACKAGE_FILES files and MAX_PACKAGE_BYTES in
#   all), a deflated member may not expand more than MAX_RATIO times, members may not overlap
#   (one compressed stream named many times), and every member is read in chunks, counting
#   the real bytes, and never past its declared size;
# - every record needs its member and every member its record; each file's SHA-256 and size are
#   checked while it is streamed into the evidence folder.
# Import is atomic (see the header): if writing the records fails, the files this import added
# are removed (files_stored); if the process is killed in between, no record names them and the
# next start's sweep removes them.

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


def open_zip(src: Path) -> IO[bytes]:
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
        with open_zip(source) as handle:
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


def zip_document(zf: zipfile.ZipFile, name: str, document_name: str, holder: str, kind: str,
                 refuse: Callable[[str, str], ImportRefused] = _refuse,
                 ) -> tuple[bytes, dict[str, zipfile.ZipInfo]]:
    """The document of a zip this app wrote (an export, or a shared file with its evidence),
    read within its limits, and the evidence members by SHA-256: any other member, too many
    members, overlapping members, a document too large or expanding like a "zip bomb" is
    refused (`refuse(name, why)`: `holder` and `kind` name the file in its words)."""
    infos = zf.infolist()
    if len(infos) > MAX_PACKAGE_FILES + 1:
        raise refuse(name, f"it holds more than {MAX_PACKAGE_FILES:,} files")
    members: dict[str, zipfile.ZipInfo] = {}
    document: zipfile.ZipInfo | None = None
    for info in infos:
        match = _MEMBER.fullmatch(info.filename)
        if info.filename == document_name and document is None:
            document = info
        elif match and match[1] not in members:
            members[match[1]] = info
        else:
            raise refuse(name, f"it holds a file this app does not put in {holder} "
                               f"({info.filename[:60]!r})")
        _check_member(info, name, ratio=info is not document)
    _check_no_overlap(infos, zf, name)
    if document is None:
        raise refuse(name, f"it is not {kind} from this app")
    if document.file_size > MAX_FILE_BYTES:
        raise refuse(name, f"it is too large to be {kind}")
    if document.file_size > max(_DOCUMENT_SMALL, DOCUMENT_RATIO * document.compress_size):
        raise refuse(name, "its document expands far more than any assessment does (a "
                           "\"zip bomb\")")
    try:
        with zf.open(document) as member:
            return _read_capped(member, document.file_size), members
    except _UNREADABLE:
        raise refuse(name, "it is incomplete or damaged (was it copied in full?)") from None


def _read(handle: IO[bytes], name: str, check_files: bool) -> Package:
    with zip_file(handle, name) as zf:
        data, members = zip_document(zf, name, DOCUMENT, "an export", "an assessment export")
        assessment, records = parse_full(data, name, files_with_it=True)
        _check_form(assessment, name)
        check_members(zf, name, records, members, check_files)
    return Package(assessment, records)


def zip_file(handle: IO[bytes], name: str) -> zipfile.ZipFile:
    """The zip in `handle`; its directory's size is checked first, before zipfile builds one
    object per member."""
    try:
        directory = _directory_size(handle)
    except (OSError, ValueError):
        directory = None
    if directory is not None and (directory[0] > MAX_PACKAGE_FILES + 1
                                  or directory[1] > (MAX_PACKAGE_FILES + 1) * _ENTRY_BYTES):
        raise _refuse(name, f"it holds more than {MAX_PACKAGE_FILES:,} files")
    try:
        handle.seek(0)
        return zipfile.ZipFile(handle)
    except (zipfile.LargeZipFile, *_UNREADABLE):
        raise _refuse(name, "it is incomplete or damaged (was it copied in full?)") from None


def check_members(zf: zipfile.ZipFile, name: str, records: list[Evidence],
                  members: dict[str, zipfile.ZipInfo], check_files: bool) -> None:
    """Every record needs its member and every member its record, of the size it gives, all
    within MAX_PACKAGE_BYTES; with `check_files`, every member's SHA-256 is checked too."""
    sizes: dict[str, int] = {}
    for record in records:
        if sizes.setdefault(record.sha256, record.size) != record.size:
            raise _refuse(name, f"it gives two sizes for the file {record.file_name}")
    if set(sizes) - set(members):
        raise _refuse(name, "files listed in it are not in it (was it changed?)")
    if set(members) - set(sizes):
        raise _refuse(name, "it holds files that none of its records names")
    for sha, info in members.items():
        if info.file_size != sizes[sha]:
            raise _refuse(name, "a file in it does not have the size its record gives")
    if sum(sizes.values()) > MAX_PACKAGE_BYTES:
        raise _refuse(name, f"its files come to more than {MAX_PACKAGE_BYTES / 1e9:g} GB")
    if check_files:
        for sha, info in members.items():
            _check_hash(zf, info, sha, name)


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
        if size > evidence.MAX_FILE_BYTES:
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


@contextlib.contextmanager
def files_stored(store: Store, src: Path, records: list[Evidence], failed: str
                 ) -> Iterator[None]:
    """The files the records name stored from the zip at `src` (store_files) for the block
    that writes the records: if that fails, the files this added are removed. A full disk
    while storing them: SaveFailed, `failed` with the reason in its {}."""
    try:
        added = store_files(store, src, records)
    except OSError as error:  # writing a file into evidence/ failed (a full disk)
        raise SaveFailed(failed.format(files.why_not(error)), reason=str(error)) from error
    try:
        yield
    except BaseException:
        remove_added(evidence.folder_of(store.data_dir), added)
        raise


def store_files(store: Store, src: Path, records: list[Evidence]) -> list[str]:
    """Put the files the records name, from the zip at `src` (checked by read_package or
    read_exchange), into the evidence folder, each checked by its SHA-256 as it is written;
    a file held already is checked in the zip all the same (a damaged file is said to be
    damaged, never passed on as sound). The files this added, for remove_added if what
    follows fails; on a refusal or a full disk (OSError) none is left."""
    store.db.writer()  # a read-only store refuses before any file is written
    live = evidence.folder_of(store.data_dir)
    needed = {r.sha256: r for r in records}
    missing = {sha for sha, r in needed.items() if not evidence.good_copy(live, sha, r.size)}
    _check_room(store.data_dir, sum(needed[sha].size for sha in missing))
    added: list[str] = []
    if not needed:
        return added
    try:
        with open_zip(src) as handle, zipfile.ZipFile(handle) as zf:
            for sha, record in needed.items():
                info = zf.getinfo(f"evidence/{sha}")
                if info.file_size != record.size:
                    raise _refuse(src.name, "it changed while it was being read")
                if sha not in missing:
                    _check_hash(zf, info, sha, src.name)
                    continue
                existed = evidence.blob_in(live, sha).exists()
                try:
                    with zf.open(info) as member:
                        made = evidence.store_checked(live, member.read, record.size, sha,
                                                      record.file_name)
                except OSError as error:
                    if files.disk_full(error):
                        raise  # no room or no inodes: the disk is full, not the zip
                    raise _refuse(src.name, f"the file {record.file_name} in it has been "
                                            "changed or damaged since it was written") from None
                except (evidence.EvidenceProblem, *_UNREADABLE):
                    raise _refuse(src.name, f"the file {record.file_name} in it has been "
                                            "changed or damaged since it was written") from None
                if made and not existed:
                    added.append(sha)
    except BaseException:
        remove_added(live, added)
        raise
    return added


def remove_added(live: Path, added: list[str]) -> None:
    """The files store_files added to the evidence folder `live`: no record names them."""
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
    """Write the format 2 zip (write_package), read back as an import reads it."""
    write_package(store, assessment, items, dest, DOCUMENT,
                  lambda records: document_bytes(build_document(assessment, records)),
                  lambda tmp, records: _verify(tmp, assessment, records, dest.name), "exported")
    return dest


def write_package(store: Store, assessment: Assessment, items: list[Evidence], dest: Path,
                  member: str, document: Callable[[list[dict[str, Any]]], bytes],
                  read_back: Callable[[Path, list[dict[str, Any]]], object], done: str) -> None:
    """A zip with evidence (an export of format 2, or a shared file): each file of `items`
    once (read back from the store, hash checked), then `document(records of the files
    included)` as `member`; `read_back(zip, records)` reads it as it will be read before it
    takes its name. A file missing or damaged in the store is left out, its records too, and
    named in store.last_left_out. Refused as it would be read: "can't be <done>"."""
    records = evidence_payload(assessment, items)
    clean_stale_beside(dest)
    try:
        with files.staged(store.data_dir / files.BACKUP_FOLDER, dest) as tmp:
            with zipfile.ZipFile(tmp, "w", allowZip64=True) as zf:
                included = add_evidence(zf, store, records)
                zf.writestr(zip_info(member, zipfile.ZIP_DEFLATED), document(included))
            read_back(tmp, included)
    except ImportRefused as error:
        raise StoreError(f"This assessment can't be {done}: {why_refused(error)}. Nothing "
                         "was written.") from None


def zip_info(name: str, method: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
    info.compress_type = method
    info.external_attr = 0o644 << 16
    return info


def add_evidence(zf: zipfile.ZipFile, store: Store, records: list[dict[str, Any]]
                 ) -> list[dict[str, Any]]:
    """Each file the records name, once, read back from the store (the evidence folder, else
    the backups' pool) and hash checked; the records of the files included. A file missing
    or damaged in both is left out, its records too, and named in store.last_left_out."""
    included: set[str] = set()
    for record in {r["sha256"]: r for r in records}.values():
        sha, size = record["sha256"], record["size"]
        roots = (evidence.folder_of(store.data_dir), evidence.pool_of(store.data_dir))
        source = next((evidence.blob_in(root, sha) for root in roots
                       if evidence.good_copy(root, sha, size)), None)
        if source is None:
            store.last_left_out.append(f"the evidence file {record['file_name']} (missing or "
                                       "damaged in the evidence folder)")
            continue
        _add_member(zf, source, sha, size)
        included.add(sha)
    return [r for r in records if r["sha256"] in included]


def _add_member(zf: zipfile.ZipFile, source: Path, sha: str, size: int) -> None:
    digest, done = hashlib.sha256(), 0
    member = zip_info(f"evidence/{sha}", zipfile.ZIP_STORED)
    with os.fdopen(portable.open_regular(source), "rb") as handle, zf.open(member, "w") as out:
        while chunk := handle.read(min(evidence.CHUNK, size + 1 - done)):
            done += len(chunk)
            digest.update(chunk)
            out.write(chunk)
            if done > size:
                break
    if done != size or digest.hexdigest() != sha:
        raise OSError(5, "an evidence file changed while it was exported; try again")


def _verify(tmp: Path, assessment: Assessment, records: list[dict[str, Any]], name: str
            ) -> None:
    """Read the written zip back as an import would (every file's hash too) and compare."""
    again = read_package(tmp, name, check_files=True)
    if assessment_payload(again.assessment) != assessment_payload(assessment):
        raise OSError(5, "the export did not read back the same")
    got = [record_dict(r, r.key) for r in again.records]
    if got != records:
        raise OSError(5, "the export's evidence did not read back the same")
