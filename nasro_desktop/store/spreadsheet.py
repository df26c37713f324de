"""Save as spreadsheet: one assessment as CSV files a district's IT or a board clerk opens
directly in Excel, LibreOffice or Numbers.

Four files, named after the assessment's number so two exports never overwrite each other:
answers, officers, schools and action items. UTF-8 with a byte-order mark, so Excel shows
names such as "Nguyễn" or "Łukasz" correctly; Windows line ends (csv's default). Free text that
a spreadsheet would run as a formula (starting with =, +, -, @) gets a leading apostrophe, the
usual guard against formula injection; the words themselves are unchanged.

Each file is written beside its final name, flushed to disk, renamed into place, then read back
with the csv module and compared with what was meant to be written before this says "done".
Plain `csv`: sqlite-utils would add nothing here (the values come from the domain objects, in
words, not from the raw tables).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from nasro_desktop.domain.evidence import Evidence
from nasro_desktop.domain.model import AnswerType, Assessment, Form
from nasro_desktop.domain.wording import choice_label
from nasro_desktop.store import files
from nasro_desktop.store.errors import StoreError

ENCODING = "utf-8-sig"  # UTF-8 with a BOM: Excel reads it as UTF-8 only with the BOM

ANSWER_HEADER = ["Section", "Standard", "Standard title", "Question ID", "Question", "Answer",
                 "Note", "Reason (Not applicable / Met another way)", "Marked for review",
                 "To re-confirm", "Saved (UTC)"]
OFFICER_HEADER = ["Name", "School", "Sworn date", "Years of experience", "Assignment date",
                  "Basic SRO course", "Advanced SRO course", "Last annual training",
                  "Last rapid deployment training", "Probation ends",
                  "Probation review with the school", "Note"]
SCHOOL_HEADER = ["Name", "Enrollment", "Buildings", "Acreage", "Calls for service",
                 "SROs assigned", "Non-sworn safety staff", "Note"]
ACTION_HEADER = ["Standard", "Standard title", "Next step", "Who", "Target date", "Status",
                 "Note"]
EVIDENCE_HEADER = ["File", "Description", "Supports", "Standard", "Standard title",
                   "Media type", "Size (bytes)", "SHA-256", "Added (UTC)", "Valid until"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """One value as spreadsheet text: dates ISO, yes/no in words, empty for nothing."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return "; ".join(cell(v) for v in value)
    return text_cell(str(value))


def text_cell(text: str) -> str:
    """Free text, guarded so a spreadsheet shows it instead of running it as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def answer_text(kind: AnswerType | None, value: Any) -> str:
    if value is None:
        return ""
    if kind is AnswerType.STATUS:
        return choice_label(value)
    if kind is AnswerType.YESNO and isinstance(value, bool):
        return "Yes" if value else "No"
    return cell(value)


def answer_rows(assessment: Assessment, form: Form) -> list[list[str]]:
    sections = {s.id: s.title for s in form.sections}
    standards = {s.id: s for s in form.standards}
    out: list[list[str]] = []
    seen: set[str] = set()
    for question in form.questions:
        if question.type in (AnswerType.OFFICERS, AnswerType.SCHOOLS):
            continue  # those are the officers and schools files
        seen.add(question.id)
        answer = assessment.answers.get(question.id)
        standard = standards.get(question.standard or "")
        out.append([
            sections.get(question.section, "Profile" if question.section == "profile" else
                         question.section),
            standard.number if standard else "",
            standard.title if standard else "",
            question.id,
            text_cell(question.text),
            answer_text(question.type, answer.value if answer else None),
            text_cell(answer.note) if answer else "",
            text_cell(answer.na_reason) if answer else "",
            ("Yes" if answer.flagged else "No") if answer else "",
            ("Yes" if answer.reconfirm else "No") if answer else "",
            cell(answer.updated) if answer else "",
        ])
    for qid, answer in sorted(assessment.answers.items()):  # kept from an older question set
        if qid in seen:
            continue
        out.append(["", "", "", qid, "(not in this version of the questions)",
                    answer_text(None, answer.value), text_cell(answer.note),
                    text_cell(answer.na_reason), "Yes" if answer.flagged else "No",
                    "Yes" if answer.reconfirm else "No", cell(answer.updated)])
    return out


def officer_rows(assessment: Assessment) -> list[list[str]]:
    return [[cell(o.name), cell(o.school), cell(o.sworn_date), cell(o.years_experience),
             cell(o.assignment_date), cell(o.basic_course_date), cell(o.advanced_course_date),
             cell(o.last_annual_training), cell(o.last_rapid_deployment), cell(o.probation_end),
             cell(o.probation_review_with_school), cell(o.note)]
            for o in assessment.officers]


def school_rows(assessment: Assessment) -> list[list[str]]:
    return [[cell(s.name), cell(s.enrollment), cell(s.buildings), cell(s.acreage),
             cell(s.calls_for_service), cell(s.sros_assigned), cell(s.non_sworn_safety_staff),
             cell(s.note)]
            for s in assessment.schools]


def action_rows(assessment: Assessment, form: Form) -> list[list[str]]:
    standards = {s.id: s for s in form.standards}
    out = []
    for item in assessment.action_items:
        standard = standards.get(item.standard_id)
        out.append([standard.number if standard else cell(item.standard_id),
                    standard.title if standard else "", cell(item.next_step), item.owner.label,
                    cell(item.target_date), item.status.label, cell(item.note)])
    return out


def evidence_rows(assessment: Assessment, form: Form, evidence: Sequence[Evidence]
                  ) -> list[list[str]]:
    """One row per evidence file not removed; officers and schools by name."""
    standards = {s.id: s for s in form.standards}
    names = {("officer", str(o.id)): o.name for o in assessment.officers}
    names |= {("school", str(s.id)): s.name for s in assessment.schools}
    out = []
    for item in evidence:
        if item.deleted_at is not None:
            continue
        sid = item.standard_id or (item.key if item.kind.value == "standard" else "")
        if not sid and item.kind.value == "question" and form.has_question(item.key):
            sid = form.question(item.key).standard or ""
        standard = standards.get(sid)
        who = names.get((item.kind.value, item.key))
        supports = f"{item.kind.label}: {who}" if who else f"{item.kind.label} {item.key}"
        out.append([cell(item.file_name), cell(item.description), cell(supports),
                    standard.number if standard else cell(sid),
                    standard.title if standard else "", item.media_type, str(item.size),
                    item.sha256, cell(item.added), cell(item.valid_until)])
    return out


def file_names(assessment_id: int) -> dict[str, str]:
    return {kind: f"assessment-{assessment_id}-{kind}.csv"
            for kind in ("answers", "officers", "schools", "action-items", "evidence")}


def _write_checked(dest: Path, header: list[str], rows: Iterable[list[str]]) -> None:
    table = [header, *rows]
    tmp = files.temp_beside(dest)
    try:
        with open(tmp, "w", encoding=ENCODING, newline="") as handle:
            csv.writer(handle).writerows(table)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    with open(dest, encoding=ENCODING, newline="") as handle:
        if list(csv.reader(handle)) != table:
            raise StoreError(
                f"The spreadsheet file {dest} did not read back as written. Check the disk or "
                "choose another folder, then try again."
            )


def export_csv(assessment: Assessment, form: Form, folder: Path | str,
               evidence: Sequence[Evidence] | None = None) -> list[Path]:
    """Write the four CSV files into `folder` (made if its parent exists), and a fifth, the
    evidence list, when `evidence` is given; their paths."""
    folder = Path(folder).expanduser()
    if assessment.id is None:
        raise StoreError("Save the assessment before saving it as a spreadsheet.")
    try:
        if folder.exists() and not folder.is_dir():
            raise StoreError(f"{folder} is a file, not a folder. Choose a folder.")
        if not folder.parent.is_dir():
            raise StoreError(f"The folder {folder.parent} does not exist. Choose another place.")
        folder.mkdir(exist_ok=True)
        names = file_names(assessment.id)
        parts = [
            ("answers", ANSWER_HEADER, answer_rows(assessment, form)),
            ("officers", OFFICER_HEADER, officer_rows(assessment)),
            ("schools", SCHOOL_HEADER, school_rows(assessment)),
            ("action-items", ACTION_HEADER, action_rows(assessment, form)),
        ]
        if evidence is not None:
            parts.append(("evidence", EVIDENCE_HEADER, evidence_rows(assessment, form, evidence)))
        written = []
        for kind, header, rows in parts:
            dest = folder / names[kind]
            _write_checked(dest, header, rows)
            written.append(dest)
        files.fsync_folder(folder)
        return written
    except OSError as error:
        raise StoreError(
            f"Could not write the spreadsheet files in {folder}: check there is room and that "
            "you may write to that folder, then try again. Your data is unchanged."
        ) from error
