"""The plain data the whole app passes around: question sets, answers, people and places.

No Qt and no SQL here. Dates are `datetime.date`; answer values are kept as plain JSON-able
values (see `Answer.value`) so the store and the export format can hold them unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Self

if TYPE_CHECKING:
    from nasro_desktop.domain.conditions import Condition


class Labelled(StrEnum):
    """A StrEnum whose members are written `NAME = "stored value", "Label in plain words"`:
    each value and the words shown for it on one line. Looked up by the value alone."""

    _value_: str
    label: str

    def __new__(cls, value: str, label: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


class StandardClass(Labelled):
    MANDATORY = "mandatory", "Mandatory"
    RECOMMENDED = "recommended", "Recommended"
    UNCLASSIFIED = "unclassified", "Not classed"  # the 2018 document prints no class for it

    @property
    def explanation(self) -> str:
        """Plain words for the class, for a tooltip or the report's glossary."""
        return {
            "mandatory": "The standards document marks this as required (M): the verdict "
            "depends on it.",
            "recommended": "The standards document marks this as a best practice (R): it is "
            "scored, but does not decide the verdict.",
            "unclassified": "The standards document prints neither M nor R for this item: it "
            "is shown and judged, but does not change the verdict or the score.",
        }[self.value]


class AnswerType(StrEnum):
    """The kinds of answer; each has one row in domain/answer_types.ANSWER_TYPES."""

    STATUS = "status"  # Yes / Partly / No / Not sure / Met another way / Not applicable
    YESNO = "yesno"
    DATE = "date"
    INTEGER = "integer"
    TEXT = "text"
    CHOICE = "choice"
    OFFICERS = "officers"  # the officer table (captured on the Profile page)
    SCHOOLS = "schools"  # the school table (captured on the Profile page)


class Choice(StrEnum):
    """The answer to a question of type `status`."""

    MET = "met"
    PARTLY = "partly"
    NOT_MET = "not_met"
    NOT_SURE = "not_sure"
    NA = "na"
    ALTERNATE = "alternate"  # met by an equivalent practice; needs a written explanation


# The questions are yes/no questions, so the answers are worded that way; the standard's
# status (domain.results.Status) keeps the words Met / Partly met / Not met.
CHOICE_LABELS = {
    Choice.MET: "Yes",
    Choice.PARTLY: "Partly",
    Choice.NOT_MET: "No",
    Choice.NOT_SURE: "Not sure",
    Choice.ALTERNATE: "Met another way",
    Choice.NA: "Not applicable",
}


class Owner(Labelled):
    AGENCY = "agency", "Agency"
    DISTRICT = "district", "District"
    BOTH = "both", "Agency and district"


class ActionStatus(Labelled):
    OPEN = "open", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class RapidDeploymentReading(Labelled):
    """NASRO 03.04.01 says "bi-annual", which can mean either; the user picks, the report says which."""

    TWICE_A_YEAR = "twice_a_year", "twice a year (every 6 months)"
    EVERY_TWO_YEARS = "every_two_years", "once every two years (every 24 months)"

    @property
    def months(self) -> int:
        return 6 if self is RapidDeploymentReading.TWICE_A_YEAR else 24


# --- The question set -------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    id: str  # "administration", "selection", "training", "collaboration"
    number: int
    title: str
    intro: str = ""


@dataclass(frozen=True)
class Standard:
    """One scoring unit: a numbered standard, or one MOU topic, or one separately classed element."""

    id: str  # stable, e.g. "02.01.01" or "01.01.04-discipline"
    number: str  # as printed in the document, e.g. "01.01.04"
    title: str
    cls: StandardClass
    section: str  # Section.id
    owner: Owner  # who usually closes a gap here
    next_step: str  # plain words: what to do when this is not met
    rule: str | None = None  # a date/number rule from domain.rules, judged from the profile
    class_note: str = ""  # why the class is what it is (e.g. the document prints none)
    line: int = 0


@dataclass(frozen=True)
class Wording:
    text: str
    condition: Condition | None = None  # None: the default wording


@dataclass(frozen=True)
class Question:
    id: str  # stable; never reused for a different question
    section: str  # Section.id, or "profile"
    type: AnswerType
    text: str  # default wording
    standard: str | None = None  # Standard.id this question serves
    element: str = ""  # "a", "b"... when it asks one lettered element
    help_why: str = ""
    help_evidence: str = ""
    na_allowed: bool = False
    na_note: str = ""  # why Not applicable is, or is not, allowed here
    options: tuple[str, ...] = ()  # for type choice
    show_if: Condition | None = None
    wordings: tuple[Wording, ...] = ()  # alternative wordings chosen by earlier answers
    replaces: tuple[str, ...] = ()
    # An example or good-practice check the document does not require: asked, shown and
    # printed, but it never decides the standard's status.
    observation: bool = False
    # False where "Met another way" is not offered (a definition, a signature): see
    # `offers_alternate`.
    alternate_allowed: bool = True
    # An applicability fact (a yes/no question): the id of the Reading (domain.readings) that
    # says what its answer switches off. Only such facts may hide questions (`show_if`); an
    # unknown fact never switches anything off.
    applicability: str = ""
    # Old ids whose answers carry here though the meaning changed: carried answers are marked
    # "confirm again" after an upgrade (domain.carry).
    meaning_changed: tuple[str, ...] = ()
    # Whose part the question is when the agency and the district answer on their own copies
    # (domain.merge.question_party): `party:` in the question set, else its standard's owner.
    party: Owner = Owner.BOTH
    line: int = 0

    @property
    def offers_alternate(self) -> bool:
        """Is "Met another way" one of the answers? Never on an observation (it decides
        nothing) nor where the question set says it is not offered."""
        return self.alternate_allowed and not self.observation

    def text_for(self, answers: dict[str, Answer]) -> str:
        for wording in self.wordings:
            if wording.condition is None or wording.condition.evaluate(answers):
                return wording.text
        return self.text

    def is_visible(self, answers: dict[str, Answer]) -> bool:
        return self.show_if is None or self.show_if.evaluate(answers)


@dataclass(frozen=True)
class Form:
    form_id: str
    version: int
    title: str
    sections: tuple[Section, ...]
    standards: tuple[Standard, ...]
    questions: tuple[Question, ...]
    source: str = ""  # file it was loaded from
    _by_id: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)
    _standards_by_id: dict[str, Standard] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({q.id: q for q in self.questions})
        self._standards_by_id.update({s.id: s for s in self.standards})

    def question(self, question_id: str) -> Question:
        return self._by_id[question_id]

    def has_question(self, question_id: str) -> bool:
        return question_id in self._by_id

    def standard(self, standard_id: str) -> Standard:
        return self._standards_by_id[standard_id]

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def questions_for(self, standard_id: str) -> list[Question]:
        return [q for q in self.questions if q.standard == standard_id]

    def questions_in(self, section_id: str) -> list[Question]:
        return [q for q in self.questions if q.section == section_id]

    def standards_in(self, section_id: str) -> list[Standard]:
        return [s for s in self.standards if s.section == section_id]

    def visible_questions(self, answers: dict[str, Answer]) -> list[Question]:
        return [q for q in self.questions if q.is_visible(answers)]

    def replacement_map(self) -> dict[str, str]:
        """old question id -> id of the question that replaces it in this form."""
        return {old: q.id for q in self.questions for old in q.replaces}


# --- One assessment ---------------------------------------------------------------------


@dataclass
class Answer:
    """One saved answer.

    `value` by question type: status -> a `Choice` value ("met"...); yesno -> "yes"/"no";
    date -> ISO "YYYY-MM-DD"; integer -> int; text/choice -> str; None -> not answered.
    How each type is parsed, checked, normalised and described: domain/answer_types.py.
    """

    question_id: str
    value: Any = None
    note: str = ""
    na_reason: str = ""  # the reason for Not applicable, or the explanation of Met another way
    flagged: bool = False  # "mark for review"
    reconfirm: bool = False  # carried forward from last year: to be re-confirmed
    updated: datetime | None = None

    @property
    def has_value(self) -> bool:
        """A value is recorded (not whether it counts as answered: domain/answers.py says)."""
        return self.value not in (None, "")


@dataclass
class Officer:
    id: int | None = None
    name: str = ""
    school: str = ""  # where assigned (free text or a school's name)
    sworn_date: date | None = None
    years_experience: int | None = None  # when no sworn date is known
    assignment_date: date | None = None
    basic_course_date: date | None = None
    advanced_course_date: date | None = None
    last_annual_training: date | None = None  # school-safety training (03.01.01)
    last_rapid_deployment: date | None = None  # single-officer rapid deployment (03.04.01)
    probation_end: date | None = None
    probation_review_with_school: bool | None = None  # did the school take part (04.01.05)
    note: str = ""


@dataclass
class School:
    id: int | None = None
    name: str = ""
    enrollment: int | None = None
    buildings: int | None = None
    acreage: float | None = None
    calls_for_service: int | None = None  # last school year
    sros_assigned: int | None = None
    non_sworn_safety_staff: int | None = None
    note: str = ""


@dataclass
class ActionItem:
    id: int | None = None
    standard_id: str = ""
    next_step: str = ""
    owner: Owner = Owner.BOTH
    target_date: date | None = None
    status: ActionStatus = ActionStatus.OPEN
    note: str = ""
    person: str = ""  # who is responsible: a name and role, free text ("Lt. Ruiz, SRO supervisor")


@dataclass
class Assessment:
    id: int | None = None
    title: str = ""
    agency: str = ""
    district: str = ""
    prepared_by: str = ""  # as typed by the user; never the login name
    as_of: date = field(default_factory=date.today)
    form_id: str = ""
    form_version: int = 0
    rapid_deployment_reading: RapidDeploymentReading = RapidDeploymentReading.TWICE_A_YEAR
    answers: dict[str, Answer] = field(default_factory=dict)
    officers: list[Officer] = field(default_factory=list)
    schools: list[School] = field(default_factory=list)
    action_items: list[ActionItem] = field(default_factory=list)
    last_page: str = ""  # where the user was, so reopening returns there
    created: datetime | None = None
    updated: datetime | None = None

    def value(self, question_id: str) -> Any:
        answer = self.answers.get(question_id)
        return None if answer is None else answer.value

    # Who took part, what it covers and how it was done: answers to the Profile's text
    # questions, so saved data, backups and exports carry them with no new field.
    @property
    def participants(self) -> str:
        return str(self.value(PARTICIPANTS) or "")

    @property
    def scope(self) -> str:
        return str(self.value(SCOPE) or "")

    @property
    def method(self) -> str:
        return str(self.value(METHOD) or "")


PARTICIPANTS = "profile.participants"
SCOPE = "profile.scope"
METHOD = "profile.method"
