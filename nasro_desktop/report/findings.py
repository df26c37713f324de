"""The full edition's findings by section: a row per standard, and under it what is not met,
observations, parts met another way with their explanation, and references to notes.

Each part is a function of the `Report` (sections.py) that returns flowables.
"""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from nasro_desktop.domain.model import Section, StandardClass
from nasro_desktop.domain.results import (
    Finding,
    StandardResult,
    Status,
)
from nasro_desktop.report import fonts
from nasro_desktop.report.flowables import (
    HeadedList,
    Row,
    Rule,
)
from nasro_desktop.report.fonts import markup
from nasro_desktop.report.sections import Report, excerpt
from nasro_desktop.report.styles import (
    GAP_SHADE,
    long_date,
    section_figures,
    short_date,
    status_text,
)


def findings(report: Report) -> list[Flowable]:
    r = report.readiness
    intro = report.heading("Findings by section", intro=(
        "Every standard with its number, class and status. Under each standard: the "
        "parts not met yet, observations (examples and good practice that never decide "
        "a status), parts met another way with the program's explanation for the board "
        "to judge, and a reference to any note (notes are printed in full in the "
        "appendix). <b>MANDATORY GAP</b> marks a mandatory standard that is not met; "
        "these rows are shaded and ruled on the left. Marks: ✔ met, ◐ partly met, ✘ not "
        "met, ? not answered or not sure, – not applicable."))
    by_section: dict[str, list[StandardResult]] = {}
    for result in r.results:
        by_section.setdefault(result.standard.section, []).append(result)
    figures = {f.section.id: f for f in r.sections}
    known = {sec.id for sec in report.form.sections}
    groups: list[tuple[Section | None, list[StandardResult]]] = [
        (sec, by_section.get(sec.id, [])) for sec in report.form.sections]
    orphans = [res for res in r.results if res.standard.section not in known]
    if orphans:
        groups.append((None, orphans))
    story: list[Flowable] = []
    for section, results in groups:
        if not results:
            continue
        title = "Other standards" if section is None else f"{section.number}. {section.title}"
        lead = [*intro, *report.heading(title, level=1, style="H2")]
        intro = []
        fig = figures.get(section.id) if section is not None else None
        if fig is not None:
            figures_text = " · ".join([*section_figures(fig),
                                       f"{fig.answered} of {fig.total} questions answered"])
            if not fig.answered:  # nothing checked: a 0% would read as a finding
                figures_text = f"Not assessed yet: none of its {fig.total} questions answered"
            lead.append(report.para(figures_text, "Small"))
        story.append(section_table(report, results, lead, title))
    return story


def section_table(report: Report, results: list[StandardResult], lead: list[Flowable],
                  title: str) -> HeadedList:  # fmt: skip
    """A row per standard, and under it what is not met yet and references to its notes."""
    w = report.width
    # the class column always holds "Recommended" on one line (A4 is narrower than Letter)
    class_w = max(0.15 * w, stringWidth("Recommended", fonts.BOLD, 8.5) + 16)
    widths = [0.12 * w, 0.65 * w - class_w, class_w, 0.23 * w]
    head = report.head_row(["No.", "Standard", "Class", "Status"], widths)
    items: list[Flowable] = []
    for result in results:
        std = result.standard
        unassessed = result.not_started
        gap = result.is_mandatory_gap and not unassessed
        status = status_text(result.status)
        if unassessed:  # nothing answered: not a gap found, a question not yet asked
            status = "? Not assessed yet"
        elif gap:
            status = f"<b>{status}<br/>MANDATORY GAP</b>"
        std_title = markup(std.title)
        if std.class_note:
            std_title += f"<br/><font size='8'>{markup(std.class_note)}</font>"
        cls_text = (
            f"<b>{std.cls.label}</b>" if std.cls == StandardClass.MANDATORY else std.cls.label
        )
        cells = [
            report.para(markup(std.number), "CellBold" if gap else "Cell"),
            report.para(std_title, "CellBold" if gap else "Cell"),
            report.para(cls_text, "Cell"),
            report.para(status, "Cell"),
        ]
        details = standard_details(report, result)
        row = Row(cells, widths, background=GAP_SHADE if gap else None, left_rule=gap,
                  rule_below=details is None)  # fmt: skip
        if details is None:
            items.append(row)
            continue
        row.keepWithNext = True
        items += [row, details, Rule(space=2)]
    continued = [report.para(f"{markup(title)} (continued)", "H3")]
    return HeadedList(head, items, lead=lead, continued=continued)


def standard_details(report: Report, result: StandardResult) -> Flowable | None:
    """What is not met yet under a standard, observations, explanations and note references."""
    lines, hidden = [], 0
    for finding in result.findings:
        if not finding.decides:
            lines.append(f"Observation (answer: {observation_answer(finding)}): "
                         f"{finding.detail}")
            continue
        if finding.explanation:
            why, _ = report.cut(finding.explanation, EXPLANATION_LIMIT)
            lines.append(
                f"{finding.status.symbol} Met another way: {finding.detail} The program's "
                f"explanation: “{why}”"
            )
            continue
        if finding.late:
            lines.append(f"{finding.status.symbol} {finding.detail}")
            continue
        if finding.status in (Status.MET, Status.NOT_APPLICABLE):
            hidden += 1
            continue
        lines.append(finding_line(report, finding))
    if lines and hidden:
        lines.append(f"{hidden} other part{'s' if hidden != 1 else ''} met.")
    lines += note_references(report, result)
    if not lines:
        return None
    lines = [report.cut(line, EXPLANATION_LIMIT + 200)[0] for line in lines]
    return report.user_text("\n".join(lines), "Detail")


def finding_line(report: Report, finding: Finding) -> str:
    # the engine's sentence often names the officer and the date already: say it once
    subject = finding.subject
    label = "" if subject == "Question" or subject in finding.detail else f"{subject}: "
    due = ""
    if finding.due is not None and long_date(finding.due) not in finding.detail:
        due = f" (due {short_date(finding.due)})"
    return f"{finding.status.symbol} {label}{finding.detail}{due}"


def note_references(report: Report, result: StandardResult) -> list[str]:
    """Each note on the standard's questions: its first words and where it is in full."""
    out = []
    answers = report.assessment.answers
    for q in report.form.questions_for(result.standard.id):
        answer = answers.get(q.id)
        if answer is None or not answer.note.strip():
            continue
        ref = report.question_ref(q) or q.id
        short, cut = excerpt(answer.note)
        where = "in full in the appendix" if cut else "also in the appendix"
        out.append(f"Note ({where} at {ref}): “{short}”")
    return out


EXPLANATION_LIMIT = 600  # a "met another way" explanation in a table (in full in the appendix)


def observation_answer(finding: Finding) -> str:
    """An observation's answer in the words the user chose (Yes / Partly / No...)."""
    return {
        Status.MET: "Yes",
        Status.PARTLY: "Partly",
        Status.NOT_MET: "No",
        Status.UNKNOWN: "not answered or not sure",
        Status.NOT_APPLICABLE: "not applicable",
    }[finding.status]
