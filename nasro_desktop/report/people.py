"""The officers and schools tables (full edition). Officer findings are matched on (kind, key).

Each part is a function of the `Report` (sections.py) that returns flowables.
"""

from __future__ import annotations

from datetime import date

from reportlab.platypus import (
    Flowable,
    Spacer,
)

from nasro_desktop.domain.links import links
from nasro_desktop.domain.model import Officer
from nasro_desktop.domain.results import (
    Finding,
    Status,
    SubjectKind,
)
from nasro_desktop.domain.rules import OFFICER_RULES, officer_key
from nasro_desktop.report.fonts import markup
from nasro_desktop.report.sections import Report
from nasro_desktop.report.styles import (
    SHADE,
    long_date,
    reading_label,
    short_date,
    status_text,
    years_months,
)


def officers(report: Report) -> list[Flowable]:
    a, r = report.assessment, report.readiness
    reading = reading_label(r.rapid_deployment_reading)
    lead = report.heading("Officers", intro=(
        f"Training status per officer as of {long_date(r.as_of)}. Each cell gives the "
        "date last done and the date it falls due next; <b>OVERDUE</b> means that date "
        f"has passed. Rapid-deployment training is counted {markup(reading)}. Service is "
        "counted from the sworn date to the assignment (or to the Assessment date). Shaded "
        "rows need attention; <b>⚠ after the Assessment date</b> marks a date that is not "
        "counted."))
    if not a.officers:
        return lead + [report.para("No officers entered yet.")]
    heads = ["Officer", "Assigned", "Basic course", "Advanced course",
             "Annual school-safety training", "Rapid deployment", "Probation review"]  # fmt: skip
    rows, shaded = [], {}
    notes: list[tuple[str, str]] = []
    found = officer_findings(report)
    for i, officer in enumerate(a.officers):
        mine = {rule: found[rule][i] for rule in found}
        cells, flag = officer_cells(report, i, officer, mine)
        rows.append(cells)
        if flag:
            shaded[i] = SHADE
        if officer.note.strip():
            notes.append((report.officer_labels[i], officer.note))
    return [report.grid(heads, rows, (0.2, 0.11, 0.14, 0.14, 0.15, 0.14, 0.12), shaded=shaded,
                        lead=lead, continued=[report.para("Officers (continued)", "H3")]),
            *report.notes_list("Notes on officers", notes)]  # fmt: skip


def officer_findings(report: Report) -> dict[str, list[Finding | None]]:
    """rule -> the engine's finding for each officer, in the order of the officer table,
    matched on (kind, key)."""
    officers = report.assessment.officers
    n = len(officers)
    out: dict[str, list[Finding | None]] = {}
    for rule in OFFICER_RULES:
        found: list[Finding | None] = [None] * n
        result = next(
            (res for res in report.readiness.results if res.standard.rule == rule), None
        )
        if result is not None:
            found = [result.finding(SubjectKind.OFFICER, officer_key(o, i))
                     for i, o in enumerate(officers)]  # fmt: skip
        out[rule] = found
    return out


def _after(report: Report, day: date | None) -> str:
    if day is not None and day > report.readiness.as_of:
        return "<br/><b>⚠ after the Assessment date</b>"
    return ""


def _due_cell(report: Report, last: date | None, finding: Finding | None, none: str) -> tuple[str, bool]:
    """A training cell: when it was last done, and the engine's verdict with its due date."""
    first = (f"done {short_date(last)}" if last else none) + _after(report, last)
    flag = bool(_after(report, last))
    if finding is None:
        return first, flag
    due = short_date(finding.due) if finding.due else ""
    if finding.late:
        return f"{first}<br/>✔ completed late (due by {due})", flag
    if finding.status == Status.NOT_MET:
        second = "<b>✘ OVERDUE</b>" + (f"<br/>was due {due}" if due else "")
        return f"{first}<br/>{second}", True
    if finding.status == Status.MET:
        second = f"✔ next due {due}" if due else "✔ met"
        return f"{first}<br/>{second}", flag
    return (
        f"{first}<br/>{status_text(finding.status)}",
        flag or finding.status == Status.UNKNOWN,
    )


def officer_cells(report: Report, index: int, o: Officer,
                  found: dict[str, Finding | None]) -> tuple[list[str], bool]:  # fmt: skip
    who = f"<b>{report.cell_text(report.officer_labels[index])}</b>"
    school = getattr(o, "school", "")
    if isinstance(school, str) and school.strip():
        who += f"<br/>{report.cell_text(school)}"
    flag = False
    if o.sworn_date:
        end = o.assignment_date or report.readiness.as_of
        when = "when assigned" if o.assignment_date else "so far"
        who += f"<br/>sworn {short_date(o.sworn_date)}{_after(report, o.sworn_date)}"
        if o.sworn_date <= end:
            who += f"<br/>{years_months(o.sworn_date, end)} of service {when}"
        else:
            who += "<br/><b>⚠ sworn after the assignment date</b>"
            flag = True
    elif o.years_experience is not None:
        who += f"<br/>{o.years_experience} years of service"
    experience = found.get("experience")
    if experience is not None and experience.status != Status.MET:
        who += f"<br/>{status_text(experience.status)}: experience"
        flag = True
    cells = [who, short_date(o.assignment_date) + _after(report, o.assignment_date)]
    flag |= bool(_after(report, o.sworn_date) or _after(report, o.assignment_date))
    for rule, last in (
        ("basic_course", o.basic_course_date),
        ("advanced_course", o.advanced_course_date),
        ("annual_training", o.last_annual_training),
        ("rapid_deployment", o.last_rapid_deployment),
    ):
        text, overdue = _due_cell(report, last, found.get(rule), "not recorded")
        cells.append(text)
        flag |= overdue
    if o.probation_review_with_school is True:
        probation = "✔ school took part"
    elif o.probation_review_with_school is False:
        probation = "<b>✘ school did not take part</b>"
        flag = True
    else:
        probation = "? not recorded"
    if o.probation_end:
        probation = f"ends {short_date(o.probation_end)}<br/>{probation}"
    cells.append(probation)
    return cells, flag


def schools(report: Report) -> list[Flowable]:
    a = report.assessment
    lead = report.heading("Schools", intro=(
        "Staffing per school against the factors NASRO asks districts to weigh when "
        "deciding how many SROs a school needs. NASRO recommends at least one SRO in "
        "every school. Discipline history and the school's place in the community also "
        "count; they are not numbers, so weigh them with the figures below."))
    if not a.schools:
        return lead + [report.para("No schools entered yet.")]
    heads = ["School", "Enrollment", "Buildings", "Acreage", "Calls for service",
             "Non-sworn safety staff", "SROs assigned"]  # fmt: skip
    rows, shaded = [], {}
    notes: list[tuple[str, str]] = []

    def num(value: object) -> str:
        if value is None:
            return "—"
        if isinstance(value, float):
            return f"{value:g}"
        return f"{value:,}" if isinstance(value, int) else markup(str(value))

    linked = links(a)  # a school's SROs: the officers linked to it (as the rule counts)
    for i, school in enumerate(a.schools):
        sros = linked.sro_count(i)
        if sros < 1:
            sro_text = "<b>✘ none</b>"
            shaded[i] = SHADE
        else:
            sro_text = f"✔ {sros}"
        name = report.cell_text(school.name) if school.name.strip() else "No name"
        rows.append([name, num(school.enrollment), num(school.buildings), num(school.acreage),
                     num(school.calls_for_service), num(school.non_sworn_safety_staff),
                     sro_text])  # fmt: skip
        if school.note.strip():
            notes.append((school.name, school.note))
    story: list[Flowable] = [
        report.grid(heads, rows, (0.27, 0.14, 0.1, 0.1, 0.12, 0.14, 0.13), shaded=shaded,
                    lead=lead, continued=[report.para("Schools (continued)", "H3")])]
    with_sro = sum(1 for i in range(len(a.schools)) if linked.sro_count(i) >= 1)
    story.append(Spacer(1, 4))
    story.append(
        report.para(f"{with_sro} of {len(a.schools)} schools have at least one SRO assigned "
                  "(the officers linked to each school on the Profile page).")
    )
    story += report.notes_list("Notes on schools", notes)
    return story
