"""What the readiness engine (domain.scoring.evaluate) returns. Read by the window and the report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from nasro_desktop.domain.model import ActionStatus, Owner, Section, Standard


class Status(StrEnum):
    MET = "met"
    PARTLY = "partly"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"  # not answered, or answered "Not sure": never counts as met
    NOT_APPLICABLE = "na"

    @property
    def label(self) -> str:
        return {
            "met": "Met",
            "partly": "Partly met",
            "not_met": "Not met",
            "unknown": "Not answered or not sure",
            "na": "Not applicable",
        }[self.value]

    @property
    def symbol(self) -> str:
        """A mark that survives black-and-white printing and does not rely on colour."""
        return {"met": "✔", "partly": "◐", "not_met": "✘", "unknown": "?", "na": "–"}[self.value]


class Verdict(StrEnum):
    READY = "ready"
    NOT_READY = "not_ready"

    @property
    def label(self) -> str:
        return "Ready" if self is Verdict.READY else "Not ready"


@dataclass(frozen=True)
class Finding:
    """One judged thing inside a standard: an element, an officer, a school, a date."""

    subject: str  # "Element a", "Officer Dana Ruiz", "Lincoln Elementary", "MOU review"
    status: Status
    detail: str  # one plain sentence
    due: date | None = None  # when it falls (or fell) due


@dataclass(frozen=True)
class StandardResult:
    standard: Standard
    status: Status
    score: float  # 0.0 .. 1.0 (Met 1, Partly 0.5, everything else 0)
    findings: tuple[Finding, ...]
    notes: tuple[str, ...]  # the user's notes on this standard's questions
    answered: int
    total: int

    @property
    def is_gap(self) -> bool:
        return self.status not in (Status.MET, Status.NOT_APPLICABLE)


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
    form_id: str
    form_version: int
    rapid_deployment_reading: str

    @property
    def complete(self) -> bool:
        return self.answered >= self.total

    @property
    def percent_answered(self) -> int:
        return 100 if self.total == 0 else round(100 * self.answered / self.total)

    def result(self, standard_id: str) -> StandardResult:
        return next(r for r in self.results if r.standard.id == standard_id)

    @property
    def mandatory_gaps(self) -> tuple[StandardResult, ...]:
        return tuple(
            r for r in self.results if r.standard.cls == "mandatory" and r.status != Status.MET
        )
