"""The built-in sample: a fictional small program, partly compliant, for trying the app.

`sample_assessment(form=None)` builds it fresh every time (nothing is saved; callers save it if
they want). It is deterministic: a fixed "as of" date, no today(), no randomness, so the sample
report is the same on every machine.

Pine Ridge Police Department and Pine Ridge Unified School District: four schools (one with no
SRO), three officers (one whose basic course is overdue, one whose rapid-deployment training is
due within days, one assigned with under three years of service), an MOU signed in 2023 and last
reviewed 14 months before the as-of date. Judged under form nasro-2018 v2 it is Not ready, with
three mandatory gaps: body-camera footage is not settled in the MOU (01.01.04, information
sharing), one officer's basic course is overdue (03.02.01), and the SRO evaluation form is
unfinished and unused (04.01.04).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from nasro_desktop.domain.forms import current_form
from nasro_desktop.domain.model import (
    ActionItem,
    ActionStatus,
    Answer,
    AnswerType,
    Assessment,
    Choice,
    Form,
    Officer,
    Owner,
    RapidDeploymentReading,
    School,
)

SAMPLE_AS_OF = date(2026, 9, 15)

MET, PARTLY, NOT_MET, NOT_SURE, NA = (
    Choice.MET.value,
    Choice.PARTLY.value,
    Choice.NOT_MET.value,
    Choice.NOT_SURE.value,
    Choice.NA.value,
)

# Answers given explicitly; every other visible status question is answered Met.
SAMPLE_ANSWERS: dict[str, Answer] = {
    a.question_id: a
    for a in (
        # Who took part, scope and method (printed near the top of the report).
        Answer(
            "profile.participants",
            "Chief Andrea Whitfield and Lt. Marcus Hale (police department); Superintendent "
            "Dr. Renee Alvarado and the four principals (school district).",
        ),
        Answer(
            "profile.scope",
            "All four district schools and the three SROs assigned to them, school year "
            "2026-27.",
        ),
        Answer(
            "profile.method",
            "MOU, agency policies and training records read; principals interviewed. Training "
            "certificates were not all on file and were taken from the agency's records.",
        ),
        # MOU facts: signed in 2023, last reviewed 14 months before the as-of date.
        Answer("mou.exists", "yes"),
        Answer("mou.signed_date", "2023-07-17"),
        Answer("mou.in_force", "yes"),
        Answer(
            "mou.last_review_date",
            "2025-07-15",
            note="The 2026 review was postponed when the superintendent changed.",
        ),
        Answer(
            "mou.parties", "Pine Ridge Police Department and Pine Ridge Unified School District"
        ),
        # Section 1
        Answer("admin.sro.trained", MET, note="All three hold crisis-intervention certificates."),
        Answer("admin.purpose.aim", MET, note="MOU section 1, adopted by the school board."),
        Answer(
            "mou.agreement.evaluation",
            PARTLY,
            note="Goals were discussed at the 2025 review but no written report was made.",
        ),
        Answer("mou.discipline.no_formal_discipline", MET, note="MOU section 4.2."),
        Answer("mou.arrest.sro_decides", MET, note="MOU section 4.3."),
        Answer(
            "mou.uniform.soft_uniform",
            NA,
            na_reason="Our SROs wear the full patrol uniform; no softer uniform is used.",
        ),
        Answer(
            "mou.weapons.extra_storage",
            MET,
            note="Patrol rifle kept in a locked safe in the "
            "high school SRO office, per agency policy 7.14.",
        ),
        Answer(
            "mou.less_lethal.deviation",
            NA,
            na_reason="We follow the agency's less-lethal policy with no changes for schools.",
        ),
        Answer(
            "mou.info.body_cameras",
            NOT_SURE,
            note="Body cameras were issued in spring 2026, after the MOU was signed. "
            "Ask the city attorney whether the general video clause covers them.",
            flagged=True,
        ),
        Answer(
            "mou.office.room_available",
            PARTLY,
            note="The middle school office is shared with "
            "the nurse's storage room; the door does not lock.",
        ),
        Answer(
            "mou.extracurricular.compensation",
            PARTLY,
            note="Football games are paid as "
            "overtime by the district; other events are not settled.",
        ),
        # Section 2
        Answer(
            "sel.staffing.location", PARTLY, note="Backup time to Cedar Hollow was not looked at."
        ),
        Answer("sel.climate.esl", PARTLY),
        Answer("sel.probation.exists", "yes"),
        Answer("sel.probation.agreed", MET, note="Six months, MOU section 6."),
        Answer("sel.probation.months", 6),
        # Section 3
        Answer("train.annual.reading", "within_12_months"),
        Answer(
            "train.annual.admin_attends",
            NOT_MET,
            note="No budget for administrator travel in 2025-26.",
        ),
        Answer("train.advanced.planned", PARTLY, note="Budgeted for one officer a year only."),
        Answer("triad.teacher.traffic_stops", MET, note="Taught to every driver's-ed class."),
        Answer(
            "triad.mentor.trauma_informed", MET, note="District counselor training, March 2026."
        ),
        Answer("train.policies.special_ed", PARTLY),
        # Section 4
        Answer("coll.roles.admin_basic_course", NOT_MET),
        Answer(
            "coll.methods.mou_yearly", PARTLY, note="Reviewed in 2025; the 2026 review is overdue."
        ),
        Answer("coll.methods.campus_design_review", PARTLY, note="Done at the high school only."),
        Answer(
            "coll.evaluation.tool_developed",
            PARTLY,
            note="The agency wrote a draft in spring 2026; the district has not added its part.",
        ),
        Answer(
            "coll.evaluation.tool_in_use",
            NOT_MET,
            note="Officers are still reviewed on the patrol form.",
        ),
        Answer("coll.evaluation.covers_training", PARTLY),
        Answer("coll.evaluation.both_language", NOT_MET),
    )
}

# Left blank on purpose: a real assessment is rarely complete.
LEFT_UNANSWERED = frozenset({"sel.climate.culture", "coll.methods.parent_sessions"})


def _officers() -> list[Officer]:
    return [
        Officer(
            name="Łukasz Kowalczyk",
            school="Pine Ridge High School",
            sworn_date=date(2011, 6, 13),
            assignment_date=date(2018, 8, 13),
            basic_course_date=date(2018, 7, 16),
            advanced_course_date=date(2019, 10, 21),
            last_annual_training=date(2026, 6, 24),
            last_rapid_deployment=date(2026, 3, 19),  # twice a year: due 19 September 2026
            probation_end=date(2019, 2, 13),
            probation_review_with_school=True,
            note="Senior SRO and field training officer.",
        ),
        Officer(
            name="Zoë Nguyễn",
            school="Lakeview Elementary School",
            sworn_date=date(2022, 11, 7),  # under three years of service when assigned
            assignment_date=date(2025, 8, 4),
            basic_course_date=date(2025, 7, 14),
            last_annual_training=date(2026, 8, 5),
            last_rapid_deployment=date(2026, 7, 22),
            probation_end=date(2026, 2, 4),
            probation_review_with_school=True,
        ),
        Officer(
            name="José Ramírez",
            school="Pine Ridge Middle School",
            sworn_date=date(2014, 3, 3),
            assignment_date=date(2025, 6, 2),  # no basic course yet: overdue since 2 June 2026
            last_annual_training=date(2025, 11, 7),
            last_rapid_deployment=date(2026, 4, 16),
            probation_end=date(2025, 12, 2),
            probation_review_with_school=True,
            note="Transferred from the traffic unit.",
        ),
    ]


def _schools() -> list[School]:
    return [
        School(
            name="Pine Ridge High School",
            enrollment=1140,
            buildings=4,
            acreage=46.0,
            calls_for_service=83,
            sros_assigned=1,
            non_sworn_safety_staff=2,
        ),
        School(
            name="Pine Ridge Middle School",
            enrollment=712,
            buildings=2,
            acreage=18.5,
            calls_for_service=37,
            sros_assigned=1,
            non_sworn_safety_staff=1,
        ),
        School(
            name="Lakeview Elementary School",
            enrollment=455,
            buildings=1,
            acreage=9.0,
            calls_for_service=6,
            sros_assigned=1,
            non_sworn_safety_staff=0,
        ),
        School(
            name="Cedar Hollow Elementary School",
            enrollment=388,
            buildings=1,
            acreage=11.5,
            calls_for_service=4,
            sros_assigned=0,
            non_sworn_safety_staff=0,
            note="Covered by patrol on call, about 12 minutes away.",
        ),
    ]


def _action_items() -> list[ActionItem]:
    return [
        ActionItem(
            standard_id="03.02.01",
            next_step="Enroll Officer José Ramírez in the state association's Basic SRO course.",
            owner=Owner.AGENCY,
            target_date=date(2026, 11, 20),
            status=ActionStatus.IN_PROGRESS,
            note="Registered for the class starting 16 November.",
        ),
        ActionItem(
            standard_id="04.01.04",
            next_step="Add the district's section to the draft SRO evaluation form and use it "
            "for all three officers before winter break.",
            owner=Owner.BOTH,
            target_date=date(2026, 12, 18),
        ),
        ActionItem(
            standard_id="01.01.04-information-sharing",
            next_step="Ask both attorneys for an MOU clause on body-camera video recorded at "
            "school, and sign it as an addendum.",
            owner=Owner.BOTH,
            target_date=date(2026, 10, 30),
        ),
        ActionItem(
            standard_id="04.01.02",
            next_step="Hold the overdue yearly MOU review with the new superintendent.",
            owner=Owner.BOTH,
            target_date=date(2026, 10, 14),
            status=ActionStatus.IN_PROGRESS,
            note="Meeting proposed for 8 October.",
        ),
    ]


def _answers(form: Form) -> dict[str, Answer]:
    """The sample's answers for the questions of `form`, in interview order.

    Questions a later version renamed (`replaces:`) take the old id's answer; questions the
    form lacks are left out; hidden questions get no answer.
    """
    renamed = {new: old for old, new in form.replacement_map().items()}
    answers: dict[str, Answer] = {}
    for question in form.questions:
        if question.type in (AnswerType.OFFICERS, AnswerType.SCHOOLS):
            continue  # kept in Assessment.officers / Assessment.schools
        if question.id in LEFT_UNANSWERED or not question.is_visible(answers):
            continue
        given = SAMPLE_ANSWERS.get(question.id) or SAMPLE_ANSWERS.get(renamed.get(question.id, ""))
        if given is not None:
            answers[question.id] = replace(given, question_id=question.id)
        elif question.type is AnswerType.STATUS:
            answers[question.id] = Answer(question.id, MET)
    return answers


def sample_assessment(form: Form | None = None) -> Assessment:
    """A fresh, unsaved copy of the sample, answered under `form` (default: the current form)."""
    if form is None:
        form = current_form()
    return Assessment(
        title="Pine Ridge SRO program review, fall 2026",
        agency="Pine Ridge Police Department",
        district="Pine Ridge Unified School District",
        prepared_by="Chief Andrea Whitfield",
        as_of=SAMPLE_AS_OF,
        form_id=form.form_id,
        form_version=form.version,
        rapid_deployment_reading=RapidDeploymentReading.TWICE_A_YEAR,
        answers=_answers(form),
        officers=_officers(),
        schools=_schools(),
        action_items=_action_items(),
    )
