"""The readiness engine: `evaluate(form, assessment, as_of)` judges each standard from its
answers (domain.answers) and, where the standard has a `rule`, from the officer and school
tables and the MOU dates (domain.rules), as of one explicit date, and gives the verdict.

How the document is read where it is ambiguous, and the rules in words: domain.readings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from itertools import product

from nasro_desktop.domain.answer_types import explanation_problem
from nasro_desktop.domain.answers import (
    all_must_meet,
    answer_counts,
    answer_status,
    combine,
    decides,
    is_answered,
    score_of,
)
from nasro_desktop.domain.dates import long_date
from nasro_desktop.domain.evidence import Evidence, EvidenceKind, evidence_due
from nasro_desktop.domain.fingerprint import fingerprint
from nasro_desktop.domain.model import (
    ActionItem,
    ActionStatus,
    Answer,
    AnswerType,
    Assessment,
    Choice,
    Form,
    Officer,
    Question,
    RapidDeploymentReading,
    StandardClass,
)
from nasro_desktop.domain.readings import deciding_readings, describe_rules
from nasro_desktop.domain.results import (
    DueItem,
    Finding,
    Gap,
    Readiness,
    SectionFigure,
    StandardResult,
    Status,
    SubjectKind,
    Verdict,
)
from nasro_desktop.domain.rules import (
    ANNUAL_READING_LABELS,
    DUE_WHAT,
    MOU_STANDARD,
    MOU_TOPIC_PREFIX,
    OBSERVED_RULES,
    OFFICER_TRAINING_RULES,
    RULE_GAP,
    RULE_STEPS,
    RULES,
    annual_reading,
    make_rapid_rule,
    officer_key,
    officer_name,
    signed_mou,
)

_CLASS_ORDER = {
    StandardClass.MANDATORY: 0,
    StandardClass.RECOMMENDED: 1,
    StandardClass.UNCLASSIFIED: 2,
}
_GAP_ORDER = {Status.NOT_MET: 0, Status.UNKNOWN: 1, Status.PARTLY: 2}


# --- the engine ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Judged:
    results: list[StandardResult]
    due: list[DueItem]
    visible: list[Question]
    answered: frozenset[str]  # ids of the visible questions answered (answers.is_answered)


def _question_findings(
    standard_id: str, questions: list[Question], answers: dict[str, Answer], mou_signed: bool
) -> tuple[list[Finding], list[str]]:
    findings: list[Finding] = []
    notes: list[str] = []
    for question in questions:
        answer = answers.get(question.id)
        if answer is not None and answer.note.strip():
            notes.append(answer.note.strip())
        if question.type is not AnswerType.STATUS:
            continue
        status = answer_status(question, answer)
        detail = question.text_for(answers)
        explanation = ""
        if answer is not None and answer.value == Choice.ALTERNATE.value:
            if status is Status.MET:
                explanation = answer.na_reason.strip()  # shown by the window and the report
            elif not question.offers_alternate:
                detail += " (Met another way is not offered here, so it does not count.)"
            else:
                detail += f" ({explanation_problem(answer.na_reason)}; until then it does not count.)"
        if (
            status is Status.MET
            and standard_id.startswith(MOU_TOPIC_PREFIX)
            and not mou_signed
            and not question.observation
        ):
            status = Status.PARTLY
            detail += (" (counts as partly met at most until a signed MOU in force counts: see "
                       "\"Signed MOU\")")
        subject = f"Element {question.element}" if question.element else "Question"
        findings.append(
            Finding(
                subject,
                status,
                detail,
                kind=SubjectKind.QUESTION,
                key=question.id,
                decides=not question.observation,
                explanation=explanation,
            )
        )
    return findings, notes


def _standard_status(findings: list[Finding]) -> Status:
    questions = [f.status for f in findings if f.decides and f.kind is SubjectKind.QUESTION]
    facts = [f.status for f in findings if f.decides and f.kind is not SubjectKind.QUESTION]
    if not questions and not facts:
        return Status.UNKNOWN
    parts = list(questions)
    if facts:
        whole = all_must_meet(facts)
        if whole is Status.NOT_MET:
            return Status.NOT_MET
        parts.append(whole)
    return combine(parts)


def _summary(findings: list[Finding], rule: str | None) -> str:
    """How many and who, for a per-officer or per-school rule: "1 of 3 officers: basic SRO
    course overdue (Dana Ruiz)." Officers who start after the assessment date are named apart
    and left out of the count."""
    parts: list[str] = []
    for kind, word in ((SubjectKind.OFFICER, "officer"), (SubjectKind.SCHOOL, "school")):
        people = [f for f in findings if f.kind is kind and f.decides]
        counted = [f for f in people if f.status is not Status.NOT_APPLICABLE]
        failing = [f for f in counted if f.status in (Status.NOT_MET, Status.PARTLY)]
        unknown = [f for f in counted if f.status is Status.UNKNOWN]
        total = len(counted)
        plural = word + ("s" if total != 1 else "")
        if failing:
            what = RULE_GAP.get(rule or "", "not met")
            names = ", ".join(f.subject for f in failing)
            parts.append(f"{len(failing)} of {total} {plural}: {what} ({names}).")
        if unknown:
            names = ", ".join(f.subject for f in unknown)
            parts.append(f"{len(unknown)} of {total} {plural}: not yet known ({names}).")
        if kind is SubjectKind.OFFICER:
            later = [f for f in people if f.starts is not None]
            if later:
                parts.append("Not counted: " + "; ".join(
                    f"{f.subject} starts {long_date(f.starts)}" for f in later
                    if f.starts is not None) + ".")
        if parts:
            break
    return " ".join(parts)


def _judge(form: Form, assessment: Assessment, as_of: date) -> _Judged:
    answers = assessment.answers
    reading = RapidDeploymentReading(assessment.rapid_deployment_reading)
    rules = dict(RULES, rapid_deployment=make_rapid_rule(reading))

    visible = form.visible_questions(answers)
    hidden = {q.id for q in form.questions} - {q.id for q in visible}
    # A hidden question never decides: the rules and findings see only what is shown.
    answers = {qid: a for qid, a in answers.items() if qid not in hidden}
    assessment = replace(assessment, answers=answers)
    mou_status, mou_detail = signed_mou(answers, as_of)
    mou_signed = mou_status is Status.MET
    answered_ids = frozenset(q.id for q in visible if is_answered(q, assessment))
    by_standard: dict[str | None, list[Question]] = {}
    for question in visible:
        by_standard.setdefault(question.standard, []).append(question)
    results: list[StandardResult] = []
    due_items: list[DueItem] = []
    for standard in form.standards:
        questions = by_standard.get(standard.id, [])
        findings, notes = _question_findings(standard.id, questions, answers, mou_signed)
        if standard.id == MOU_STANDARD:
            findings.insert(0, Finding("Signed MOU", mou_status, mou_detail,
                                       kind=SubjectKind.MOU, key="mou_signed"))
        if standard.rule:
            rule_findings = rules[standard.rule](assessment, as_of, answers)
            if standard.rule in OBSERVED_RULES:
                rule_findings = [replace(f, decides=False) for f in rule_findings]
            findings.extend(rule_findings)
            due_items.extend(
                DueItem(
                    when=finding.due,
                    what=DUE_WHAT.get(standard.rule, standard.title),
                    who="Agency and district" if standard.rule == "mou_review" else finding.subject,
                    standard_id=standard.id,
                    overdue=finding.status is Status.NOT_MET,
                )
                for finding in rule_findings
                if finding.due is not None and not finding.late
            )
        status = _standard_status(findings)
        deciding = [f.status for f in findings if f.decides]
        answered = sum(1 for q in questions if q.id in answered_ids)
        results.append(
            StandardResult(
                standard,
                status,
                score_of(deciding) if status is not Status.NOT_APPLICABLE else 0.0,
                tuple(findings),
                tuple(notes),
                answered,
                len(questions),
                summary=_summary(findings, standard.rule),
            )
        )
    return _Judged(results, due_items, visible, answered_ids)


def _counted(results: list[StandardResult], cls: StandardClass) -> list[StandardResult]:
    """The results of class `cls` that count (a Not applicable one never does)."""
    return [r for r in results if r.standard.cls is cls and r.status is not Status.NOT_APPLICABLE]


def _percent(recommended: list[StandardResult]) -> float | None:
    """The recommended score: the average of the standards' scores, as a percentage."""
    return 100 * sum(r.score for r in recommended) / len(recommended) if recommended else None


def _verdict_of(results: list[StandardResult]) -> Verdict:
    mandatory = _counted(results, StandardClass.MANDATORY)
    return Verdict.READY if all(r.status is Status.MET for r in mandatory) else Verdict.NOT_READY


def unanswered_questions(form: Form, assessment: Assessment) -> list[Question]:
    """Visible questions not answered yet, in the form's order: the questions left. Their
    count is `Readiness.total - Readiness.answered`, what every "left" in the window and the
    CLI says (Home, the sections, Review's Unanswered, Next unanswered)."""
    return [q for q in form.visible_questions(assessment.answers) if not is_answered(q, assessment)]


def open_questions(form: Form, assessment: Assessment) -> list[Question]:
    """The questions left that can decide a status (and so the verdict)."""
    return [q for q in unanswered_questions(form, assessment) if decides(q)]


def _trial(form: Form, assessment: Assessment, as_of: date, best: bool,
           facts: Mapping[str, str]) -> Assessment:
    """`assessment` with every open question that counts answered at its best (`best`) or its
    worst, and the open applicability facts answered as in `facts`; an answer that shows more
    questions answers those too."""
    answers = dict(assessment.answers)
    for _ in range(len(form.questions)):
        added = False
        for question in form.questions:
            if answer_counts(question, answers.get(question.id)):
                continue
            if not question.is_visible(answers) or not decides(question):
                continue
            value: object = None
            if question.id in facts:
                value = facts[question.id]
            elif question.type is AnswerType.STATUS:
                value = Choice.MET.value if best else Choice.NOT_MET.value
            elif question.type is AnswerType.YESNO:
                value = "yes" if best else "no"
            elif question.type is AnswerType.DATE and best:
                value = as_of.isoformat()
            elif question.type is AnswerType.INTEGER:
                value = 1200 if best else 1
            if value is not None and answers.get(question.id, Answer(question.id)).value != value:
                answers[question.id] = Answer(question.id, value)
                added = True
        if not added:
            break
    return replace(assessment, answers=answers)


def _ready_at_best(results: list[StandardResult]) -> bool:
    """Ready, counting as met a mandatory standard that only waits for its list of officers
    or schools (rows added could meet it)."""
    for r in results:
        if r.standard.cls is not StandardClass.MANDATORY:
            continue
        if r.status in (Status.MET, Status.NOT_APPLICABLE):
            continue
        waiting = [f for f in r.deciding if f.status not in (Status.MET, Status.NOT_APPLICABLE)]
        if not all(f.kind is SubjectKind.LIST and f.status is Status.UNKNOWN for f in waiting):
            return False
    return True


def _open_can_change(form: Form, assessment: Assessment, as_of: date, verdict: Verdict) -> bool:
    """Could answering the open questions change the verdict? Every open question that counts
    is answered at its best (from Not ready) or its worst (from Ready), each open
    applicability fact both ways (an answer can show or hide questions and switch a standard
    off), and the verdict judged again."""
    open_facts = [
        q.id for q in form.questions
        if q.applicability and q.is_visible(assessment.answers)
        and not answer_counts(q, assessment.answers.get(q.id))
    ]
    for values in product(("yes", "no"), repeat=len(open_facts)):
        facts = dict(zip(open_facts, values, strict=True))
        best = verdict is Verdict.NOT_READY
        trial = _trial(form, assessment, as_of, best, facts)
        results = _judge(form, trial, as_of).results
        if best and _ready_at_best(results):
            return True
        if not best and _verdict_of(results) is Verdict.NOT_READY:
            return True
    return False


def evaluate(
    form: Form,
    assessment: Assessment,
    as_of: date | None = None,
    evidence: Iterable[Evidence] = (),
) -> Readiness:
    """Judge every standard as of `as_of`; `evidence` (the assessment's attached files) adds
    its expiry dates to what falls due next."""
    as_of = as_of or assessment.as_of
    judged = _judge(form, assessment, as_of)
    due = list(judged.due)
    files = list(evidence)
    if files:
        names = {(EvidenceKind.OFFICER, str(o.id)): o.name for o in assessment.officers}
        names.update({(EvidenceKind.SCHOOL, str(s.id)): s.name for s in assessment.schools})
        due += evidence_due(files, as_of, names=names)
    results, visible = judged.results, judged.visible
    reading = RapidDeploymentReading(assessment.rapid_deployment_reading)
    mandatory = _counted(results, StandardClass.MANDATORY)
    recommended = _counted(results, StandardClass.RECOMMENDED)
    verdict = _verdict_of(results)

    still_open = [q for q in visible if decides(q) and q.id not in judged.answered]
    can_change = bool(still_open) and _open_can_change(form, assessment, as_of, verdict)
    open_recommended = sum(1 for q in still_open if recommended_only(form, q))
    answered_total = len(judged.answered)
    sentence = _verdict_sentence(
        verdict, assessment, as_of, mandatory, answered_total, len(still_open), can_change,
        open_recommended,
    )
    return Readiness(
        as_of=as_of,
        verdict=verdict,
        verdict_sentence=sentence,
        results=tuple(results),
        mandatory_met=sum(1 for r in mandatory if r.status is Status.MET),
        mandatory_total=len(mandatory),
        recommended_score=_percent(recommended),
        recommended_met=sum(1 for r in recommended if r.status is Status.MET),
        recommended_total=len(recommended),
        sections=tuple(_section_figures(form, judged)),
        gaps=tuple(_gaps(assessment, results)),
        due_next=tuple(
            sorted(due, key=lambda d: (not d.overdue, d.when, d.what, d.who))
        ),
        rules=tuple(describe_rules(reading, form, annual_reading(assessment.answers))),
        answered=answered_total,
        total=len(visible),
        open_questions=len(still_open),
        open_can_change_verdict=can_change,
        open_recommended=open_recommended,
        form_id=form.form_id,
        form_version=form.version,
        rapid_deployment_reading=reading.label,
        form_title=form.title,
        annual_training_reading=ANNUAL_READING_LABELS[annual_reading(assessment.answers)],
        deciding_readings=deciding_readings(results),
        officers_starting=tuple(
            (officer_name(o), o.assignment_date) for o in assessment.officers
            if o.assignment_date is not None and o.assignment_date > as_of
        ),
        fingerprint=fingerprint(assessment, as_of, files),
    )


def open_questions_sentence(count: int, can_change: bool, recommended: int = 0) -> str:
    """What the `count` open questions that count mean for the verdict; `recommended` of them
    are questions of recommended (or unclassed) standards only, which count for the
    recommended score and are never said to be unable to change a verdict they never decide."""
    if count == 0:
        return ""
    recommended = min(recommended, count)
    deciding = count - recommended
    words = []
    if deciding == 1:
        words.append(
            "1 question that counts for the verdict is still open; answering it could change "
            "the verdict." if can_change else
            "1 question that counts for the verdict is still open; it cannot change the verdict."
        )  # fmt: skip
    elif deciding:
        words.append(
            f"{deciding} questions that count for the verdict are still open; answering them "
            "could change the verdict." if can_change else
            f"{deciding} questions that count for the verdict are still open; none of them can "
            "change the verdict."
        )  # fmt: skip
    if recommended == 1:
        words.append("1 question of a recommended standard is still open: it counts for the "
                     "recommended score only.")  # fmt: skip
    elif recommended:
        words.append(f"{recommended} questions of recommended standards are still open: they "
                     "count for the recommended score only.")  # fmt: skip
    return " ".join(words)


def recommended_only(form: Form, question: Question) -> bool:
    """An answer to `question` counts for a recommended (or unclassed) standard's score only:
    a status question of such a standard. Tables and facts may decide mandatory standards."""
    if question.type is not AnswerType.STATUS or not question.standard:
        return False
    try:
        return form.standard(question.standard).cls is not StandardClass.MANDATORY
    except KeyError:
        return False


def _verdict_sentence(
    verdict: Verdict,
    assessment: Assessment,
    as_of: date,
    mandatory: list[StandardResult],
    answered: int,
    still_open: int,
    can_change: bool,
    open_recommended: int = 0,
) -> str:
    who = assessment.agency.strip() or "The program"
    when = long_date(as_of)
    if answered == 0:
        return "Not started: no questions have been answered yet."
    unassessed = [r for r in mandatory if r.not_started]
    if unassessed:
        return (
            f"Not yet assessed: {len(unassessed)} mandatory standard"
            f"{'s have' if len(unassessed) != 1 else ' has'} no answers yet "
            f"({_first_three(unassessed)})."
        )
    if verdict is Verdict.READY:
        sentence = (
            f"Ready: {who} meets all {len(mandatory)} mandatory NASRO standards as of {when}."
        )
    else:
        gaps = [r for r in mandatory if r.status is not Status.MET]
        sentence = (
            f"Not ready: {len(gaps)} of {len(mandatory)} mandatory standards "
            f"{'is' if len(gaps) == 1 else 'are'} not yet met as of {when} "
            f"({_first_three(gaps)})."
        )
    suffix = open_questions_sentence(still_open, can_change, open_recommended)
    return f"{sentence} {suffix}" if suffix else sentence


def _first_three(results: list[StandardResult]) -> str:
    """The first three standards by number and title, and how many more."""
    more = f"; and {len(results) - 3} more" if len(results) > 3 else ""
    return "; ".join(f"{r.standard.number} {r.standard.title}" for r in results[:3]) + more


def _section_figures(form: Form, judged: _Judged) -> list[SectionFigure]:
    results, visible = judged.results, judged.visible
    figures = []
    for section in form.sections:
        mine = [r for r in results if r.standard.section == section.id]
        mandatory = _counted(mine, StandardClass.MANDATORY)
        recommended = _counted(mine, StandardClass.RECOMMENDED)
        questions = [q for q in visible if q.section == section.id]
        figures.append(
            SectionFigure(
                section=section,
                mandatory_met=sum(1 for r in mandatory if r.status is Status.MET),
                mandatory_total=len(mandatory),
                recommended_score=_percent(recommended),
                answered=sum(1 for q in questions if q.id in judged.answered),
                total=len(questions),
            )
        )
    return figures


def next_step_for(result: StandardResult, assessment: Assessment) -> str:
    """What to do, from the parts that failed: never a step that contradicts an answer."""
    failing = [
        f for f in result.findings if f.decides and f.status not in (Status.MET, Status.NOT_APPLICABLE)
    ]
    steps: list[str] = []
    rule = result.standard.rule
    people = [f for f in failing if f.kind in (SubjectKind.OFFICER, SubjectKind.SCHOOL)]
    if rule in RULE_STEPS and people:
        who = ", ".join(f.subject for f in people)
        steps.append(RULE_STEPS[rule].format(who=who) + ".")
    if any(f.kind is SubjectKind.LIST for f in failing):
        steps.append("List the officers and schools on the Profile page.")
    questions = [f for f in failing if f.kind is SubjectKind.QUESTION]
    unknown = [f for f in questions if f.status is Status.UNKNOWN]
    # Not sure is an answer (counted as answered, so not "open"): said apart
    not_sure = [f for f in unknown if (a := assessment.answers.get(f.key)) is not None
                and a.value == Choice.NOT_SURE.value]
    unanswered = [f for f in unknown if f not in not_sure]
    answered_no = [f for f in questions if f.status is not Status.UNKNOWN]
    mou = result.finding(SubjectKind.MOU, "mou_signed")
    if mou is not None and mou.status is Status.MET and answered_no:
        steps.append(
            "Check that the signed MOU sets goals for the program and that both sides use "
            "them to judge how it is going; amend it where it does not."
        )
    elif answered_no or (mou is not None and mou.status is Status.NOT_MET):
        steps.append(result.standard.next_step)
    if unanswered:
        steps.append(
            f"Answer the {len(unanswered)} open question{'s' if len(unanswered) != 1 else ''} "
            "for this standard."
        )
    if not_sure:
        many = len(not_sure) != 1
        steps.append(
            f"Find out and change the {len(not_sure)} answer{'s' if many else ''} "
            f"\"Not sure\" for this standard."
        )
    return " ".join(steps) or result.standard.next_step


def _gaps(assessment: Assessment, results: list[StandardResult]) -> list[Gap]:
    open_gaps = [r for r in results if r.is_gap]
    open_gaps.sort(key=lambda r: (_CLASS_ORDER[r.standard.cls], _GAP_ORDER.get(r.status, 3)))
    actions: dict[str, ActionItem] = {}
    for action in assessment.action_items:
        actions.setdefault(action.standard_id, action)
    gaps = []
    for rank, result in enumerate(open_gaps, start=1):
        item = actions.get(result.standard.id)
        gaps.append(
            Gap(
                standard=result.standard,
                status=result.status,
                next_step=(
                    item.next_step.strip()
                    if item and item.next_step.strip()
                    else next_step_for(result, assessment)
                ),
                owner=item.owner if item else result.standard.owner,
                target_date=item.target_date if item else None,
                action_status=item.status if item else ActionStatus.OPEN,
                rank=rank,
            )
        )
    return gaps


def officer_status(readiness: Readiness, officer: Officer, index: int) -> str:
    """One line for an officer's training, naming which training is due or overdue."""
    key = officer_key(officer, index)
    found: list[tuple[str, Finding]] = []
    for result in readiness.results:
        rule = result.standard.rule
        if rule in OFFICER_TRAINING_RULES:
            finding = result.finding(SubjectKind.OFFICER, key)
            if finding is not None:
                found.append((DUE_WHAT[rule], finding))
    if not found:
        return "? No training dates to judge yet"
    overdue = sorted(
        ((what, f) for what, f in found if f.status is Status.NOT_MET and f.due is not None),
        key=lambda pair: pair[1].due or readiness.as_of,
    )
    if overdue:
        what, finding = overdue[0]
        more = f" (+{len(overdue) - 1} more)" if len(overdue) > 1 else ""
        return f"✘ {what} overdue since {long_date(finding.due)}{more}"  # type: ignore[arg-type]
    unknown = [what for what, f in found if f.status is Status.UNKNOWN]
    if unknown:
        return "? " + _lower_first(", ".join(unknown)) + ": dates missing"
    parts = ["✔ Met"]
    late = [what for what, f in found if f.late]
    if late:
        parts.append(_lower_first(", ".join(late)) + " completed late")
    upcoming = sorted(
        ((what, f.due) for what, f in found
         if f.due is not None and f.due > readiness.as_of and not f.late),
        key=lambda pair: pair[1],
    )
    if upcoming:
        what, due = upcoming[0]
        parts.append(f"{_lower_first(what)} next due {long_date(due)}")
    return "; ".join(parts)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
