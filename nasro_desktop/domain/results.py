"""What the readiness engine (domain.scoring.evaluate) returns. Read by the window and the report."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from nasro_desktop.domain.model import ActionStatus, Labelled, Owner, Section, Standard


class Status(Labelled):
    MET = "met", "Met"
    PARTLY = "partly", "Partly met"
    NOT_MET = "not_met", "Not met"
    # not answered, or answered "Not sure": never counts as met
    UNKNOWN = "unknown", "Not answered or not sure"
    NOT_APPLICABLE = "na", "Not applicable"

    @property
    def symbol(self) -> str:
        """A mark that survives black-and-white printing and does not rely on colour."""
        return {"met": "✔", "partly": "◐", "not_met": "✘", "unknown": "?", "na": "–"}[self.value]


class Verdict(Labelled):
    READY = "ready", "Ready"
    NOT_READY = "not_ready", "Not ready"


class SubjectKind(StrEnum):
    """What a finding is about; with `Finding.key` it identifies the finding."""

    QUESTION = "question"  # key: the question id
    OFFICER = "officer"  # key: the officer's row id (or list position when unsaved)
    SCHOOL = "school"  # key: the school's row id (or list position when unsaved)
    MOU = "mou"  # key: "mou"
    LIST = "list"  # key: "officers" / "schools": the list itself is missing


@dataclass(frozen=True)
class Finding:
    """One judged thing inside a standard: an element, an officer, a school, a date.

    Match findings on (kind, key), never on `subject` or `detail`: those are display text
    (two officers can share a name, and one name can contain another).
    """

    subject: str  # "Element a", "Dana Ruiz", "Lincoln Elementary", "MOU review"
    status: Status
    detail: str  # one plain sentence
    due: date | None = None  # when it falls (or fell) due
    kind: SubjectKind = SubjectKind.QUESTION
    key: str = ""
    decides: bool = True  # False: an observation (an example or good practice), never scored
    late: bool = False  # done, but after it was due (shown; no longer a gap)
    explanation: str = ""  # "Met another way": the user's explanation, printed for the board
    starts: date | None = None  # an officer not yet serving on the as-of date: the start day


@dataclass(frozen=True)
class StandardResult:
    standard: Standard
    status: Status
    score: float  # 0.0 .. 1.0 (Met 1, Partly 0.5, everything else 0)
    findings: tuple[Finding, ...]
    notes: tuple[str, ...]  # the user's notes on this standard's questions
    answered: int
    total: int
    summary: str = ""  # "1 of 3 officers not met: Dana Ruiz." for a per-officer/school rule

    @property
    def is_gap(self) -> bool:
        return self.status not in (Status.MET, Status.NOT_APPLICABLE)

    @property
    def is_mandatory_gap(self) -> bool:
        """A mandatory standard not met (Not applicable never is a gap)."""
        return self.standard.cls == "mandatory" and self.is_gap

    @property
    def deciding(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.decides)

    @property
    def observations(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.decides)

    @property
    def alternates(self) -> tuple[Finding, ...]:
        """Parts met another way: the report prints each explanation beside the standard."""
        return tuple(f for f in self.findings if f.explanation)

    def finding(self, kind: SubjectKind, key: str) -> Finding | None:
        return next((f for f in self.findings if f.kind is kind and f.key == key), None)

    @property
    def not_started(self) -> bool:
        """Nothing at all answered or recorded for this standard yet."""
        return self.total > 0 and self.answered == 0


@dataclass(frozen=True)
class Gap:
    standard: Standard
    status: Status
    next_step: str
    owner: Owner
    target_date: date | None
    action_status: ActionStatus
    rank: int  # 1 = most urgent


@dataclass(frozen=True)
class DueItem:
    when: date
    what: str  # "Basic SRO course for Officer Dana Ruiz"
    who: str  # the officer's name, or "Agency and district"
    standard_id: str
    overdue: bool


@dataclass(frozen=True)
class SectionFigure:
    section: Section
    mandatory_met: int
    mandatory_total: int
    recommended_score: float | None  # percent 0..100, None when the section has none applicable
    answered: int
    total: int  # visible questions in the section


@dataclass(frozen=True)
class Readiness:
    as_of: date
    verdict: Verdict
    verdict_sentence: str
    results: tuple[StandardResult, ...]
    mandatory_met: int
    mandatory_total: int
    recommended_score: float | None  # percent 0..100
    recommended_met: int
    recommended_total: int
    sections: tuple[SectionFigure, ...]
    gaps: tuple[Gap, ...]
    due_next: tuple[DueItem, ...]
    rules: tuple[str, ...]  # how the verdict was reached, in words
    answered: int
    total: int  # visible questions
    open_questions: int  # visible questions that count for the verdict and are unanswered
    open_can_change_verdict: bool  # answering the open questions could change the verdict
    form_id: str
    form_version: int
    rapid_deployment_reading: str
    form_title: str = ""  # the question set's title, as its file names it
    # How 03.01.01's "annual" is read in this assessment, in words (printed on the report)
    annual_training_reading: str = "within the last 12 months"
    # The readings of ambiguous text (domain.readings.READINGS) that decided this verdict:
    # each concerns a counted mandatory standard, or a rule that one of them used. The board
    # edition prints these; the full list (describe_rules) stays in the full edition.
    deciding_readings: tuple[Reading, ...] = ()
    # Officers whose assignment starts after the as-of date: not yet SROs, so left out of
    # every per-officer standard; (name, start date), listed as "starts <date>".
    officers_starting: tuple[tuple[str, date], ...] = ()
    # Of the open questions, those of recommended (or unclassed) standards only: they count for
    # the recommended score, never for the verdict (scoring.recommended_only)
    open_recommended: int = 0
    # The data fingerprint of what was judged (the assessment, its evidence records and the
    # as-of date; domain/fingerprint.py): the report, the window and `status` print this one.
    fingerprint: str = ""

    @property
    def question_set(self) -> str:
        """The question set in words, e.g. "nasro-2018, version 2" (printed on the report)."""
        return f"{self.form_id}, version {self.form_version}"

    @property
    def met_another_way(self) -> tuple[StandardResult, ...]:
        """Every standard (any class) with a part answered Met another way: each result's
        `alternates` are those parts, each with the program's explanation (`explanation`)
        and the question (`detail`). NASRO has no such allowance: the board judges these."""
        return tuple(r for r in self.results if r.alternates)

    @property
    def complete(self) -> bool:
        """Nothing open that could decide a status (facts such as who took part may be empty)."""
        return self.open_questions == 0

    @property
    def percent_answered(self) -> int:
        return 100 if self.total == 0 else round(100 * self.answered / self.total)

    def result(self, standard_id: str) -> StandardResult:
        return next(r for r in self.results if r.standard.id == standard_id)

    @property
    def started(self) -> bool:
        """Anything answered or recorded at all (a new assessment is "Not started")."""
        return self.answered > 0

    @property
    def unassessed_mandatory(self) -> tuple[StandardResult, ...]:
        """Mandatory standards with nothing answered at all: below this a report is a draft."""
        return tuple(
            r for r in self.results if r.standard.cls == "mandatory" and r.not_started
        )

    @property
    def is_draft(self) -> bool:
        """Not yet assessed: a board cannot rely on a verdict while a mandatory standard has
        no answer at all."""
        return bool(self.unassessed_mandatory)

    @property
    def mandatory_gaps(self) -> tuple[StandardResult, ...]:
        """Mandatory standards not met (a Not applicable one is never a gap)."""
        return tuple(r for r in self.results if r.is_mandatory_gap)


Used = Callable[[Sequence[StandardResult]], bool]


@dataclass(frozen=True)
class Reading:
    """How an ambiguous phrase of the standards is read (the list: domain/readings.py)."""

    id: str  # tests/test_readings.py has test_reading_<id>
    standard: str  # the number it concerns, or "" for all
    text: str
    # When the reading took part in a verdict, given the mandatory standards' results (counted
    # or not applicable). None: when a mandatory standard of its number was judged.
    used: Used | None = field(default=None, compare=False, repr=False)
    short: str = ""  # the reading in one line, for the board edition's few lines

    def decided(self, mandatory: Sequence[StandardResult]) -> bool:
        """Did this reading take part in the verdict judged from these mandatory results?"""
        if self.used is not None:
            return self.used(mandatory)
        return bool(self.standard) and any(r.standard.number == self.standard for r in mandatory)
