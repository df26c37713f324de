"""The action plan (late targets marked), the items marked for review and how it was scored.

Each part is a function of the `Report` (sections.py) that returns flowables.
"""

from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable

from nasro_desktop.domain.model import ActionItem, ActionStatus, Owner, StandardClass
from nasro_desktop.domain.results import Gap, Status, SubjectKind
from nasro_desktop.domain.rules import RULE_GAP, RULE_STEPS
from nasro_desktop.report.flowables import (
    HeadedList,
    Para,
)
from nasro_desktop.report.fonts import markup
from nasro_desktop.report.sections import (
    CELL_NOTE_LIMIT,
    Report,
    is_late_target,
)
from nasro_desktop.report.styles import (
    GAP_SHADE,
    long_date,
    reading_label,
    status_text,
)

PERSON_LIMIT = 60  # the person responsible, in the Owner cell (in full in the full edition's notes)


def action_rows(report: Report, gaps: list[Gap], *, clip: int = CELL_NOTE_LIMIT, where: str = "",
                compact: bool = False, said_above: bool = False) -> tuple[list[list[str]], dict[int, Color], list[tuple[str, str]]]:  # fmt: skip
    rows, shaded = [], {}
    notes: list[tuple[str, str]] = []
    for i, gap in enumerate(gaps):
        mandatory = gap.standard.cls == StandardClass.MANDATORY
        std = f"<b>{markup(gap.standard.number)}</b> {markup(gap.standard.title)}<br/>"
        if mandatory and compact:  # every row is mandatory: said once above the table
            std = std.replace("<br/>", f" · <b>{status_text(gap.status)}</b>")
            shaded[i] = GAP_SHADE
        elif mandatory:
            std += f"<b>MANDATORY · {status_text(gap.status)}</b>"
            shaded[i] = GAP_SHADE
        else:
            std += f"{gap.standard.cls.label} · {status_text(gap.status)}"
        step, cut = shown_step(report, gap, clip, where)
        if cut and not report.board:
            notes.append((f"{gap.standard.number} next step", gap.next_step))
        owner = ("Both" if gap.owner == Owner.BOTH else gap.owner.label) if compact \
            else gap.owner.label
        if person := person_of(report, gap):
            owner += "<br/>" + markup(shown_person(report, person, compact))
        elif mandatory and not said_above:
            owner += (" · " if compact else "<br/>") + "<b>no one named</b>"
        progress = gap.action_status.label
        if gap.action_status == ActionStatus.DONE:  # a gap: the answers say not met
            progress = "<b>⚠ Done, but not met</b>"
            shaded[i] = GAP_SHADE
        target = ("—" if said_above and gap.target_date is None
                  else report.target_text(gap, compact or report.board))  # fmt: skip
        rows.append([str(gap.rank), std, markup(step), owner, target,
                     progress])  # fmt: skip
        if is_late_target(gap, report.readiness.as_of):
            shaded[i] = GAP_SHADE
        if not report.board:
            for item in items_of(report, gap):
                if len(item.person) > PERSON_LIMIT:
                    notes.append((f"{gap.standard.number} person responsible", item.person))
                if item.note.strip():
                    notes.append((f"{gap.standard.number} {gap.standard.title}", item.note))
    return rows, shaded, notes


def items_of(report: Report, gap: Gap) -> list[ActionItem]:
    """The action items the assessment holds for a gap's standard."""
    return [i for i in report.assessment.action_items if i.standard_id == gap.standard.id]


def person_of(report: Report, gap: Gap) -> str:
    """The person responsible for a gap: the first one named on its action items, or ""."""
    return next((i.person for i in items_of(report, gap) if i.person.strip()), "")


def shown_step(report: Report, gap: Gap, clip: int, where: str) -> tuple[str, bool]:
    """The next step as a table prints it (names replaced, cut past `clip`), and whether
    it was cut."""
    return report.cut(report.anon(step_text(report, gap)), clip,
                    where or ("" if report.board else "in full below"))


def shown_person(report: Report, person: str, compact: bool) -> str:
    """The person responsible as the Owner cell prints it."""
    return report.cut(report.anon(person), PERSON_LIMIT // 2 if compact else PERSON_LIMIT,
                    "…" if compact else "")[0]


def step_text(report: Report, gap: Gap) -> str:
    """The next step; in a paper that names no one, the engine's step for a per-officer
    rule counts the officers ("2 of 3 officers: basic SRO course overdue. Book ...")."""
    mine = any(i.next_step.strip() for i in items_of(report, gap))
    rule = gap.standard.rule
    if mine or report.show_names or rule not in RULE_GAP or rule not in RULE_STEPS:
        return gap.next_step
    result = next((res for res in report.readiness.results
                   if res.standard.id == gap.standard.id), None)  # fmt: skip
    officers = [f for f in (result.findings if result else ())
                if f.kind is SubjectKind.OFFICER and f.decides]  # fmt: skip
    failing = [f for f in officers if f.status not in (Status.MET, Status.NOT_APPLICABLE)]
    if not failing:
        return gap.next_step
    return (f"{len(failing)} of {len(officers)} officers: {RULE_GAP[rule]}. "
            f"{RULE_STEPS[rule].format(who='each of them')}.")


ACTION_WIDTHS = (0.045, 0.265, 0.37, 0.1, 0.11, 0.11)  # of the frame's width
ACTION_HEADS = ["#", "Standard and status", "Next step", "Owner", "Target", "Progress"]


def action_plan(report: Report) -> list[Flowable]:
    r = report.readiness
    lead = report.heading("Action plan", intro=(
        "Every gap, most urgent first: mandatory standards before recommended ones. "
        "Owner is who usually fixes it: the law-enforcement agency, the school "
        "district, or both, and the person responsible when one is named. <b>✘ LATE</b> marks "
        "a target date that has passed on a step that is not done."))
    if not r.gaps:
        return lead + [report.para("There are no gaps. Every applicable standard is met.")]
    rows, shaded, notes = action_rows(report, list(r.gaps))
    story: list[Flowable] = [
        report.grid(ACTION_HEADS, rows, ACTION_WIDTHS, shaded=shaded, lead=lead,
                    continued=[report.para("Action plan (continued)", "H3")])  # fmt: skip
    ]
    story += report.done_but_unmet()
    story += report.notes_list("Notes on actions", notes)
    return story

# -- items marked for review --


def marked_for_review(report: Report) -> list[Flowable]:
    answers = report.assessment.answers
    flagged = [q for q in report.form.questions
               if (a := answers.get(q.id)) is not None and (a.flagged or a.reconfirm)]  # fmt: skip
    lead = report.heading("Items marked for review", intro=(
        "Answers someone marked for review, and answers carried forward from an earlier "
        "assessment that are still to be re-confirmed."))
    if not flagged:
        return lead + [report.para("No answer is marked for review.")]
    items = []
    for q in flagged:
        a = answers[q.id]
        why = "marked for review" if a.flagged else ""
        if a.reconfirm:
            why += ("; " if why else "") + "to be re-confirmed"
        ref = report.question_ref(q)
        text = f"{ref + ' · ' if ref else ''}{q.text_for(answers)} ({why})"
        items.append(report.user_text(text, "Bullet"))
    return [HeadedList(None, items, lead=lead)]

# -- how this was scored --


def scoring(report: Report) -> list[Flowable]:
    r = report.readiness
    story = report.heading("How this was scored")
    facts = [
        f"Dates were judged as of <b>{long_date(r.as_of)}</b>.",
        "A question that is not answered, or answered “Not sure”, never counts as met.",
        "NASRO asks for single-officer rapid-deployment training “bi-annually”, which can "
        "mean twice a year or every two years. This report reads it as "
        f"<b>{markup(reading_label(r.rapid_deployment_reading))}</b>.",
        f"Question set: {markup(report.form.title)} ({markup(r.form_id)}, "
        f"<b>version {r.form_version}</b>).",
        f"{r.answered} of {r.total} questions that apply were answered "
        f"({r.percent_answered}%).",
        f"Data fingerprint <b>{report.fingerprint}</b>.",
    ]
    for fact in facts:
        story.append(Para(fact, report.styles["Bullet"], bulletText="•"))
    rules: list[Flowable] = [
        Para(markup(rule), report.styles["Bullet"], bulletText="•") for rule in r.rules]
    if not rules:
        rules = [report.para("The engine stated no rules.")]
    story.append(HeadedList(None, rules, lead=[
        report.para("The rules, as the readiness engine applies them", "H2")]))  # fmt: skip
    return story
