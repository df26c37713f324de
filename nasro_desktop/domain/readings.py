"""How the app reads the standards document where it can be read two ways, and the rules in
words. `describe_rules` is generated from the rules' constants and `READINGS`, so the printed
text and the code cannot drift; tests/test_readings.py has one test per reading.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from nasro_desktop.domain.answer_types import EXPLANATION_WORDS
from nasro_desktop.domain.model import Form, RapidDeploymentReading, StandardClass
from nasro_desktop.domain.results import Reading, StandardResult, SubjectKind, Used
from nasro_desktop.domain.rules import (
    ADVANCED_COURSE_GRACE_DAYS,
    ADVANCED_COURSE_YEARS,
    ANNUAL_READING_LABELS,
    ANNUAL_SCHOOL_YEAR,
    ANNUAL_TRAINING_YEARS,
    ANNUAL_TWELVE_MONTHS,
    BASIC_COURSE_YEARS,
    EXPERIENCE_YEARS,
    MOU_REVIEW_YEARS,
)


def _any_finding(test: Callable[[StandardResult], bool]) -> Used:
    return lambda results: any(test(r) for r in results)


def deciding_readings(results: Sequence[StandardResult]) -> tuple[Reading, ...]:
    """The readings that took part in the verdict judged from `results` (in READINGS' order)."""
    mandatory = [r for r in results if r.standard.cls is StandardClass.MANDATORY]
    return tuple(r for r in READINGS if r.decided(mandatory))


READINGS: tuple[Reading, ...] = (
    Reading(
        "examples_are_observations",
        "",
        'Where the document gives examples ("such as", "may include", "include but are not '
        'limited to", "can be demonstrated in", "should include"), the app asks about them and '
        "prints the answers as observations, but they never decide whether a standard is met. "
        "Three lists still decide, and why: 02.01.01 c names the interviews as the part of "
        "selection the school must at least take part in (\"including\"); the MOU topics are "
        "introduced as examples, yet the document gives each its own class (M or R), so each "
        "is judged; 02.01.03 says the number of SROs is to be based on its listed factors, so "
        "each is scored (02.01.03 is recommended: it changes the score only).",
        _any_finding(lambda r: bool(r.observations)),
        short="The document's examples are asked but never decide; three lists still do (02.01.01 c, the MOU topics, 02.01.03).",
    ),
    Reading(
        "should_under_mandatory",
        "",
        'A "should" printed under a standard or MOU topic the document marks mandatory (M) is '
        "read as required, since the class is the document's own word that the item is "
        'required (for example the MOU topics\' "should be defined" and 03.01.01\'s yearly '
        "training); a \"should\" that only names an example is an observation.",
        _any_finding(lambda r: r.standard.id.startswith("01.01.04-")
                     or r.standard.number == "03.01.01"),
        short='A "should" under a mandatory standard or MOU topic is read as required.',
    ),
    Reading(
        "full_time_is_employment",
        "01.01.01",
        '01.01.01 Definition: "full-time" is read as the officer\'s employment (a full-time '
        "sworn officer, not a part-time or reserve one), not as every working hour spent in "
        "one school. The definition's parts cannot be met another way.",
        short='01.01.01: "full-time" means the officer\'s employment; the definition cannot be met another way.',
    ),
    Reading(
        "arrest_decision_alone",
        "01.01.04",
        "01.01.04 Decision to arrest: only the clause that the decision belongs to the SRO "
        "alone decides. The text's \"may\" (what school staff know about a student may inform "
        "the decision) describes a possibility, not a clause the MOU must contain, so it is "
        "asked as an observation.",
        short="01.01.04 arrest: only the clause that the decision is the SRO's alone decides.",
    ),
    Reading(
        "willingness_of_the_officers",
        "02.01.05",
        "02.01.05 Willingness to work with young people: the text describes the SROs "
        "themselves, so each SRO's willingness decides, and earlier work in youth or "
        "community-policing programs counts as showing it (the text's own sign). How the "
        "selection process checks it is asked as an observation.",
        short="02.01.05: each SRO's own willingness decides; earlier youth or community-policing work shows it.",
    ),
    Reading(
        "basic_course_from_officers",
        "03.02.01",
        "03.02.01 Basic SRO course: each officer's completed course (from the officer table) "
        "decides. Whether the agency has a rule requiring the course is asked as an "
        "observation.",
        short="03.02.01: each officer's completed basic course decides, not an agency rule.",
    ),
    Reading(
        "practice_not_paper",
        "",
        "Recommended standards are judged on what is done, not on paperwork the text does not "
        "ask for: 02.01.02 and 03.03.01 are judged from the officers' dates, and a written "
        "minimum or a plan for the advanced course is an observation; 03.02.03 asks whether "
        "training on school matters is ongoing, and its listed topics are examples; the office "
        "space topic asks for a set place and a private room that is available (not written "
        "in the MOU) and for the office supplies to be addressed in the MOU.",
        lambda results: False,  # recommended standards only: never decides the verdict
        short='Recommended standards are judged on what is done, not on paperwork the text does not ask for.',
    ),
    Reading(
        "each_officer_each_school",
        "",
        "A requirement that applies to each officer or each school is met only when every "
        "officer or school meets it; if one does not, the standard is not met and the finding "
        'says how many and who (for example "1 of 3 officers"). Partly met comes only from '
        "answers you chose.",
        _any_finding(lambda r: any(
            f.kind in (SubjectKind.OFFICER, SubjectKind.SCHOOL) for f in r.deciding)),
        short='A rule for each officer or school is met only when every one meets it.',
    ),
    Reading(
        "met_another_way",
        "",
        '"Met another way" is not something NASRO allows for: it is the program\'s own claim '
        "that it meets the point by other means, for the board to judge. It counts as met only "
        f"with an explanation a board can read (at least {EXPLANATION_WORDS} words), is not "
        "offered where the question set says so (the definition of an SRO in 01.01.01, the "
        "MOU's signatures), and the report lists every point met this way with its "
        "explanation.",
        _any_finding(lambda r: bool(r.alternates)),
        short='"Met another way" is the program\'s own claim (NASRO has no such allowance), for the board to judge.',
    ),
    Reading(
        "anniversary_day",
        "",
        'Yearly deadlines: "within a year" of a date includes the anniversary day itself, and '
        "a thing done a year ago to the day is still current; it is overdue from the next day. "
        "A year after February 29 is February 28.",
        _any_finding(lambda r: any(f.due is not None for f in r.deciding)),
        short='"Within a year" of a date includes the anniversary day itself.',
    ),
    Reading(
        "late_course_counts",
        "03.02.01",
        "03.02.01 Basic SRO course: a course finished after the one-year deadline counts from "
        "the day it was done; the report says it was completed late (due by, done on). Until "
        "then the course is overdue.",
        _any_finding(lambda r: r.standard.number == "03.02.01" and any(f.late for f in r.findings)),
        short='03.02.01: a basic course finished late counts from the day it was done, marked late.',
    ),
    Reading(
        "advanced_course_about_a_year",
        "03.03.01",
        f'03.03.01 Advanced SRO course: "approximately one year" after the basic course is read '
        f"as due {ADVANCED_COURSE_YEARS} year after it, overdue "
        f"{ADVANCED_COURSE_GRACE_DAYS} days after that. A course done later counts, marked late.",
        short='03.03.01: "about a year" after the basic course is read as a year plus 90 days.',
    ),
    Reading(
        "annual_training_required",
        "03.01.01",
        '03.01.01 Yearly training: the document says the SRO "should" attend it "at a minimum" '
        "under a standard marked mandatory; the app reads yearly school-safety training as "
        'required. "Annual" can mean within the last 12 months (the default, the stricter) or '
        "once in each school year (July 1 to June 30); each assessment says which it uses, and "
        "the report prints it. The named topics are examples. An officer assigned less than a "
        "year ago (or, read by school year, before the end of the next school year) who has "
        "not had it yet is on schedule.",
        short='03.01.01: yearly school-safety training is required; "annual" is read as this assessment chose.',
    ),
    Reading(
        "no_mou_no_topic",
        "01.01.04",
        "01.01.04 MOU: without a signed MOU the item \"A signed MOU\" is not met, and a topic that "
        "the draft MOU covers counts as partly met at most.",
        _any_finding(lambda r: any("until a signed MOU in force" in f.detail for f in r.deciding)),
        short='01.01.04: without a signed MOU, an MOU topic counts as partly met at most.',
    ),
    Reading(
        "mou_signed_in_force",
        "01.01.04",
        "01.01.04 MOU: the document prints no class for the MOU itself, yet its mandatory topics "
        "are things the MOU must say, so the app reads a signed MOU as needed for them. An MOU "
        "counts as signed only when there is one, it was signed on or before the assessment "
        "date (the date is recorded), someone with authority signed it on both sides (answered "
        "Yes), and it was still in force on that date (answered Yes). An answer of No to "
        '"Is there a signed MOU?" hides its dates, since there is nothing to date; unanswered, '
        "they are asked.",
        _any_finding(lambda r: r.standard.id.startswith("01.01.04-")),
        short='01.01.04: an MOU counts only signed by both sides on or before the assessment date, and in force.',
    ),
    Reading(
        "mou_review_is_example",
        "04.01.02",
        "04.01.02 The yearly MOU review is one of the document's examples of how to support the "
        "partnership, so its date is shown (and listed under what falls due) but does not "
        "decide the standard.",
        short='04.01.02: the yearly MOU review is an example; its date is shown, never deciding.',
    ),
    Reading(
        "probation_only_if_any",
        "04.01.05",
        "04.01.05 Probation review: it applies whenever SROs serve a probationary period, "
        "whether or not it is agreed with the district (02.01.07, which is recommended, asks for "
        'the agreement). Only an answer of No to "Do your SROs serve a probationary period?" '
        "makes 04.01.05 not applicable; unanswered, it applies. When it applies, the officer "
        "rows decide: the school must have taken part in each officer's review; an officer "
        "still on probation is on schedule; for any other officer it must be recorded. The "
        'text\'s "as agreed upon" is read as how the school takes part, not whether it does.',
        short='04.01.05 applies unless the SROs serve no probationary period at all; the officer rows decide.',
    ),
    Reading(
        "school_sro_from_officers",
        "02.01.03",
        "02.01.03 Number of SROs: a school's SROs are the officers linked to it on the Profile "
        "page (an officer may serve several schools). A school no officer serves is not met.",
        short="02.01.03: a school's SROs are the officers linked to it on the Profile page.",
    ),
    Reading(
        "conflicting_dates",
        "02.01.02",
        "02.01.02 Experience: an officer recorded as assigned before being sworn cannot be "
        "judged; the finding asks to check the dates and the report flags it.",
        short='02.01.02: an officer recorded as assigned before being sworn cannot be judged: dates to check.',
    ),
)


def describe_rules(
    reading: RapidDeploymentReading | str = RapidDeploymentReading.TWICE_A_YEAR,
    form: Form | None = None,
    annual: str = ANNUAL_TWELVE_MONTHS,
) -> list[str]:
    reading = RapidDeploymentReading(reading)
    rules = [
        "Each standard is judged from the answers given for it and, for the dated standards, "
        "from the officer and school tables, all as of one date: the Assessment date. An "
        "officer who starts after it is not yet an SRO (listed as starting on that day, left "
        "out of every per-officer standard); a date recorded after it is a date to check.",
        "Answers: Yes and Met another way (with an explanation a board can read) count as "
        'met; Partly counts half; No counts nothing. Unanswered questions and "Not sure" never '
        'count as met: they show as "?".',
        "Not applicable counts only where the question allows it and a reason is given; such "
        "questions are left out of the count.",
        "A standard is met when every part of it is met. When some parts are answered Yes or "
        "Partly and others No, it is partly met. When the only parts not met are still "
        'unanswered, it shows "?".',
        "The program is Ready when every Mandatory standard is met; otherwise it is Not ready "
        "and each Mandatory standard not met is listed. A worse answer never gives a better "
        "status or verdict, except an applicability fact answered No (each is a reading "
        "below); an unanswered fact never switches anything off, only such facts hide "
        "questions, and a hidden question never decides.",
        "The verdict says whether the questions still open could change it: they are tried at "
        "their best and at their worst, each open applicability fact both ways.",
        "The recommended score is the average of the recommended standards' scores, as a "
        "percentage. Items the document does not class as mandatory or recommended are shown "
        "and judged, but do not change the verdict or the score.",
        f"02.01.02 Experience: an officer needs at least {EXPERIENCE_YEARS} years of "
        "law-enforcement service when assigned as an SRO.",
        "02.01.03 Number of SROs: every school needs at least one SRO assigned.",
        "03.01.01 Yearly training: each officer's last school-safety training must be "
        + (f"within the last {ANNUAL_TRAINING_YEARS} year (12 months)"
           if annual != ANNUAL_SCHOOL_YEAR else
           "in the current or the previous school year (July 1 to June 30): it falls due at "
           "the end of the school year after the one it was done in")
        + f". This assessment reads \"annual\" as {ANNUAL_READING_LABELS[annual]}.",
        f"03.02.01 Basic SRO course: completed before the assignment, or within "
        f"{BASIC_COURSE_YEARS} year of its start. An officer still inside that year is on "
        "schedule; after it, the course is overdue until it is done.",
        f'03.04.01 Rapid-deployment training: NASRO says "bi-annual", which can mean twice a '
        f"year or every two years. This assessment reads it as {reading.label}.",
        f"04.01.02 MOU review: shown as due {MOU_REVIEW_YEARS} year after the MOU was last "
        "reviewed or signed.",
        "04.01.05 Probation review: for each officer, the school must have taken part in the "
        "probation review; an officer still on probation is on schedule until it ends.",
    ]
    rules += [r.text for r in READINGS]
    if form is not None:
        observed = sorted({q.standard or "" for q in form.questions if q.observation})
        if observed:
            rules.append(
                "Asked as observations only (examples or good practice, never scored): "
                + ", ".join(observed)
                + "."
            )
    return rules
