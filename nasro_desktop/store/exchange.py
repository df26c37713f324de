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
IT can open the file with any zip tool. The import details are in exchange_files.py.

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

import hashlib
import io
import json
import math
import os
import re
import stat
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nasro_desktop import __version__
from nasro_desktop.domain.evidence import Evidence
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
from nasro_desktop.store import files, rows
from nasro_desktop.store.errors import ImportRefused, StoreError

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
                "updated": rows.iso_datetime(ans.updated),
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


def export_assessment(store: Store, assessment_id: int, dest: Path) -> Path:
    """Write the export; `store.last_left_out` then names the values that could not be read
    (a damaged assessment is exported with what can be read, never refused outright)."""
    from nasro_desktop.store.errors import DamagedAssessment

    left_out: list[str]
    try:
        assessment, left_out = store.load_assessment(assessment_id), []
    except DamagedAssessment:
        assessment, left_out = store.load_readable(assessment_id)
    store.last_left_out = left_out
    items = store.list_evidence(assessment_id) if assessment.id is not None else []
    from nasro_desktop.store import exchange_files

    if exchange_files.evidence_payload(assessment, items):
        return exchange_files.export_package(store, assessment, items, dest)
    document = build_document(assessment)
    data = json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False).encode("utf-8")
    try:  # never write a file that import would refuse, or that says something else
        again = parse_document(data)
        _check_form(again, dest.name)
    except ImportRefused as error:
        why = str(error).split(": ", 1)[-1].removesuffix(" Nothing was changed.").rstrip(".")
        raise StoreError(
            f"This assessment can't be exported: {why}. Correct that in the window and export "
            "again; nothing was written."
        ) from None
    if dest.is_dir():
        raise StoreError(f"{dest} is a folder. Choose a file name for the export.")
    if not dest.parent.is_dir():
        raise StoreError(f"The folder {dest.parent} does not exist. Choose another place.")
    from nasro_desktop.store.checks import clean_stale_beside

    clean_stale_beside(dest)  # our own temp file left there by an export that was killed
    # the bytes are re-read from the disk and compared before the file takes its name
    if assessment_payload(again) != document["assessment"]:
        raise StoreError("The export did not read back the same. Nothing was exported; try again.")
    try:
        files.publish(dest, data)
    except OSError as error:
        raise StoreError(
            f"Could not write the export to {dest}: {files.why_not(error)}. Nothing was "
            "exported."
        ) from error
    return dest


# --- from the file ------------------------------------------------------------------------


def read_import(src: Path) -> Assessment:
    """Read and validate an export file (before anything is locked or written). Only a regular
    file is read, and never more than MAX_FILE_BYTES: a FIFO, /dev/zero or a folder is refused
    at once instead of hanging or filling the memory. A format 2 file (a zip) is checked
    whole, its evidence files' hashes included; the assessment is returned without them
    (Store.import_assessment brings them in)."""
    from nasro_desktop.store import exchange_files

    if exchange_files.is_package(src):
        return exchange_files.read_package(src, check_files=True).assessment

    try:
        fd = os.open(src, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError as error:
        raise ImportRefused(f"The file {src} was not found. Nothing was imported.") from error
    except IsADirectoryError as error:
        raise ImportRefused(f"{src} is a folder, not an export file. Nothing was imported.") from error
    except OSError as error:
        raise ImportRefused(
            f"The file {src} could not be read ({error.strerror or 'not readable'}). Check that "
            "the drive is connected and that you may read it. Nothing was imported."
        ) from error
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ImportRefused(f"{src} is a folder, not an export file. Nothing was imported.")
        if not stat.S_ISREG(info.st_mode):
            raise ImportRefused(
                f"{src} is not an ordinary file (it is a device or a pipe), so it can't be an "
                "assessment export. Nothing was imported.")
        if info.st_size > MAX_FILE_BYTES:
            raise ImportRefused(
                f"The file {src.name} is too large to be an assessment export. Nothing was imported."
            )
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
            f"The file {src} could not be read ({error.strerror or 'read error'}). Check that the "
            "drive is connected. Nothing was imported."
        ) from error
    finally:
        os.close(fd)
    data = b"".join(chunks)
    assessment = parse_document(data, name=src.name)
    _check_form(assessment, src.name)
    return assessment


def peek(src: Path) -> Assessment:
    """What an export file holds, checked as read_import does but without reading a format 2
    file's evidence files (for "is this already in your list?" before an import)."""
    from nasro_desktop.store import exchange_files

    if exchange_files.is_package(src):
        return exchange_files.read_package(src).assessment
    return read_import(src)


def import_assessment(store: Store, src: Path) -> int:
    """Import a file of format 1 or 2 (its evidence files too); the new assessment's id."""
    from nasro_desktop.store import exchange_files

    if exchange_files.is_package(src):
        return exchange_files.import_package(store, src)
    assessment = read_import(src)
    return int(store.create_assessment(assessment).id or 0)


def _refuse(name: str, why: str) -> ImportRefused:
    return ImportRefused(f"The file {name} can't be imported: {why}. Nothing was changed.")


def parse_document(data: bytes, name: str = "file") -> Assessment:
    """Validate an export completely and return the assessment it holds (no ids). `data` may
    be a format 2 zip's bytes: its document is read (the files are not unpacked)."""
    if data[:4] == b"PK\x03\x04":
        from nasro_desktop.store import exchange_files

        return exchange_files.read_package(io.BytesIO(data), name=name).assessment
    return parse_full(data, name)[0]


def parse_full(data: bytes, name: str = "file", *, files_with_it: bool = False
               ) -> tuple[Assessment, list[Evidence]]:
    """The assessment and its evidence records (officer and school keys: places in the
    lists). A plain JSON file can't hold files: records in it are refused unless
    `files_with_it` (the document inside a format 2 zip)."""
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(name, "it is too large to be an assessment export")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(name, "it is not an assessment export from this app") from None
    try:
        document = json.loads(text, parse_constant=_no_constant, object_pairs_hook=_no_duplicates)
    except _DuplicateKey as duplicate:
        raise _refuse(name, f"it has been changed: the name {duplicate} appears twice in one "
                            "record (text can hide in a repeated name)") from None
    except (ValueError, RecursionError):
        if text.lstrip().startswith("{") and '"format"' in text[:200]:
            raise _refuse(name, "it is incomplete or damaged (was it copied in full?)") from None
        raise _refuse(name, "it is not an assessment export from this app") from None
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
    keys = _ASSESSMENT_KEYS | ({"evidence"} if version >= 2 else set())
    try:
        assessment = _assessment({k: v for k, v in payload.items() if k != "evidence"}
                                 if version >= 2 else payload)
        if set(payload) != keys:
            raise _Bad("the assessment does not have the expected fields")
        records = [] if version < 2 else _evidence_list(payload["evidence"], assessment)
    except _Bad as bad:
        raise _refuse(name, f"it holds something this app can't accept ({bad})") from None
    if records and not files_with_it:
        raise _refuse(name, "it lists evidence files but does not hold them (export the "
                            "assessment again: a file with evidence is a .zip)")
    return assessment, records


def _check_form(assessment: Assessment, name: str) -> None:
    from nasro_desktop.domain.forms import form_registry

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
    from nasro_desktop.domain.answers import answer_problem

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


def _int(value: Any, what: str, *, optional: bool = False, low: int = -MAX_INT) -> int | None:
    if value is None and optional:
        return None
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
        form_version=int(_int(p["form_version"], "the question set version", low=1) or 0),
        rapid_deployment_reading=_enum(RapidDeploymentReading, p["rapid_deployment_reading"],
                                       "the rapid deployment reading"),
        answers=answers,
        officers=officers,
        schools=schools,
        action_items=items,
    )


def _evidence_list(value: Any, a: Assessment) -> list[Evidence]:
    from nasro_desktop.store.exchange_files import evidence_records

    return evidence_records(value, a)


def _dates(record: dict[str, Any], keys: Iterable[str], what: str) -> dict[str, Any]:
    return {key: _date(record[key], f"{what}'s {key.replace('_', ' ')}") for key in keys}
