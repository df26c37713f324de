"""The evidence register: which files back the answers, what each supports, when it was
added, until when it is valid, and a short SHA-256 that ties the paper to the stored file.

- Full edition: `evidence_register(r)`, the whole list, one row per file.
- Board edition: `evidence_counts(r)`, files per section only (and how many have expired):
  file names often carry people's names, and the board edition is a public packet.

`r` is the Report (its `evidence`, `form`, `assessment`, helpers). The
renderer never reads the files themselves: the record's hash is printed as it was checked on
attaching; the window checks it again whenever a file is opened or copied.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from reportlab.platypus import Flowable

from nasro_desktop.domain.evidence import CHANGED, MISSING, VERIFIED, Evidence, EvidenceKind
from nasro_desktop.domain.model import Section
from nasro_desktop.report.fonts import markup
from nasro_desktop.report.styles import SHADE, long_date, short_date

if TYPE_CHECKING:
    from nasro_desktop.report.sections import Report

PEOPLE_AND_PLACES = "Officers and schools"


def standard_of(r: Report, item: Evidence) -> str | None:
    """The standard id a file belongs under, if the form knows it."""
    form = r.form
    candidates = [item.standard_id] if item.standard_id else []
    if item.kind is EvidenceKind.STANDARD:
        candidates.append(item.key)
    elif item.kind is EvidenceKind.QUESTION and form.has_question(item.key):
        candidates.append(form.question(item.key).standard or "")
    for sid in candidates:
        try:
            form.standard(sid)
        except (KeyError, StopIteration, ValueError):
            continue
        return sid
    return None


def supports_text(r: Report, item: Evidence) -> str:
    """What the file supports, in words (officers as the report labels them)."""
    a = r.assessment
    if item.kind is EvidenceKind.OFFICER:
        for i, officer in enumerate(a.officers):
            if str(officer.id) == item.key:
                return r.officer_labels[i]
        return "An officer no longer on the Profile"
    if item.kind is EvidenceKind.SCHOOL:
        for school in a.schools:
            if str(school.id) == item.key:
                return school.name.strip() or "A school (no name entered)"
        return "A school no longer on the Profile"
    sid = standard_of(r, item)
    if sid is None:
        return f"{item.kind.label} {item.key}"
    standard = r.form.standard(sid)
    text = f"{standard.number} {standard.title}"
    if item.kind is EvidenceKind.QUESTION:
        text += " (one question)"
    return text


def section_of(r: Report, item: Evidence) -> str:
    if item.kind in (EvidenceKind.OFFICER, EvidenceKind.SCHOOL) and not item.standard_id:
        return PEOPLE_AND_PLACES
    sid = standard_of(r, item)
    if sid is None:
        return PEOPLE_AND_PLACES if item.kind in (EvidenceKind.OFFICER, EvidenceKind.SCHOOL) \
            else "Other"
    return _section_name(r.form.section(r.form.standard(sid).section))


def _section_name(section: Section) -> str:
    return f"{section.number}. {section.title}"


def _live(evidence: Sequence[Evidence]) -> list[Evidence]:
    return [e for e in evidence if e.deleted_at is None]


def evidence_register(r: Report) -> list[Flowable]:
    """Full edition: every attached file."""
    as_of = r.readiness.as_of
    items = _live(r.evidence)
    lead = r.heading("Evidence register", intro=(
        "The files kept with this assessment as proof. <b>Hash</b> is the start of each file's "
        "SHA-256 fingerprint: a copy with the same fingerprint is the same file. "
        f"<b>✘ expired</b> marks a file no longer valid on {long_date(as_of)}. Under each "
        "hash, what was found when this report was made: the stored file verified against its "
        "fingerprint, <b>✘ missing</b>, or <b>✘ changed since attached</b>."))
    if not items:
        return lead + [r.para("No evidence files are attached to this assessment.")]
    order = {s.id: i for i, s in enumerate(r.form.standards)}

    def sort_key(item: Evidence) -> tuple[int, str, str]:
        sid = standard_of(r, item)
        return (order.get(sid, len(order)) if sid else len(order), item.kind.value,
                item.added.isoformat())

    rows, shaded = [], {}
    for i, item in enumerate(sorted(items, key=sort_key)):
        name = r.cell_text(item.file_name)
        if item.description:
            name += "<br/>" + r.cell_text(item.description)
        valid = "—"
        if item.valid_until is not None:
            valid = short_date(item.valid_until)
            if item.expired(as_of):
                valid = f"<b>✘ expired</b><br/>{valid}"
                shaded[i] = SHADE
        checked = _checked(r, item)
        if checked.startswith("<b>"):
            shaded[i] = SHADE
        rows.append([name, r.cell_text(supports_text(r, item)),
                     short_date(item.added.date()), valid,
                     item.short_hash + (f"<br/>{checked}" if checked else "")])
    return [r.grid(["File", "Supports", "Added", "Valid until", "Hash"], rows,
                   (0.3, 0.33, 0.1, 0.12, 0.15), shaded=shaded, lead=lead)]


def _checked(r: Report, item: Evidence) -> str:
    """What the store found when the report's list was read (Evidence.on_disk)."""
    return {VERIFIED: f"verified {short_date(r.today)}", MISSING: "<b>✘ missing</b>",
            CHANGED: "<b>✘ changed since attached</b>"}.get(item.on_disk, "")


def evidence_counts(r: Report) -> list[Flowable]:
    """Board edition: files per section. Nothing at all when no file is attached."""
    items = _live(r.evidence)
    if not items:
        return []
    as_of = r.readiness.as_of
    counts: dict[str, list[int]] = {}
    sections = [_section_name(s) for s in r.form.sections]
    for item in items:
        entry = counts.setdefault(section_of(r, item), [0, 0])
        entry[0] += 1
        entry[1] += item.expired(as_of)
    ordered = [s for s in sections if s in counts] + [s for s in counts if s not in sections]
    rows, shaded = [], {}
    for i, name in enumerate(ordered):
        files, expired = counts[name]
        rows.append([markup(name), str(files),
                     f"<b>✘ {expired}</b>" if expired else "0"])
        if expired:
            shaded[i] = SHADE
    total = len(items)
    lead = [r.para("Evidence on file", "H2"),
            r.para(f"{total} file{'s' if total != 1 else ''} kept as proof; the full edition "
                "lists each one with its fingerprint.", "Small")]
    return [r.grid(["Section", "Files", "Expired"], rows, (0.6, 0.2, 0.2), shaded=shaded,
                   lead=lead, small=False)]
