"""What one answer counts as, and the app's single definition of "answered".

Every page, the engine and the report use these; none keeps a copy of its own.
"""

from __future__ import annotations

from collections.abc import Iterable

from nasro_desktop.domain.answer_types import ANSWER_TYPES
from nasro_desktop.domain.model import Answer, Assessment, Choice, Question
from nasro_desktop.domain.results import Status
from nasro_desktop.domain.rules import RULE_FACTS

_SCORE = {Status.MET: 1.0, Status.PARTLY: 0.5}
CHOICE_STATUS = {
    Choice.MET.value: Status.MET,
    Choice.ALTERNATE.value: Status.MET,
    Choice.PARTLY.value: Status.PARTLY,
    Choice.NOT_MET.value: Status.NOT_MET,
    Choice.NOT_SURE.value: Status.UNKNOWN,
    Choice.NA.value: Status.NOT_APPLICABLE,
}


def answer_status(question: Question, answer: Answer | None) -> Status:
    """The status one status-question answer contributes."""
    if not answer_counts(question, answer):
        return Status.UNKNOWN
    assert answer is not None
    return CHOICE_STATUS.get(str(answer.value), Status.UNKNOWN)


def answer_counts(question: Question, answer: Answer | None) -> bool:
    """True when the answer is given in full: a value, and what its type asks besides (a
    status's Not applicable or Met another way needs its written reason; see
    domain/answer_types.py)."""
    if answer is None:
        return False
    return ANSWER_TYPES[question.type].counts(question, answer)


def answer_problem(question: Question, answer: Answer) -> str:
    """What the question cannot hold in this saved (or imported) answer, in plain words, or ""
    for an answer the window could have given. An answer the window can leave unfinished (Met
    another way or Not applicable still without its reason, or a Met another way a newer
    question set no longer offers) is not refused: it never counts (`answer_counts`)."""
    if not answer.has_value:
        return ""
    return ANSWER_TYPES[question.type].validate(question, answer.value)


def is_answered(question: Question, assessment: Assessment) -> bool:
    """The app's single definition of "answered": every page, the engine and the report use it."""
    rows = ANSWER_TYPES[question.type].rows
    if rows is not None:  # the officers or schools table
        return bool(rows(assessment))
    return answer_counts(question, assessment.answers.get(question.id))


def decides(question: Question) -> bool:
    """Can this question's answer change a standard's status (and so the verdict)?"""
    kind = ANSWER_TYPES[question.type]
    if kind.rows is not None:
        return True
    if kind.scored:
        return not question.observation
    return bool(question.applicability) or question.id in RULE_FACTS


def combine(statuses: Iterable[Status]) -> Status:
    """A standard's status from the statuses of its parts (see describe_rules)."""
    statuses = list(statuses)
    applicable = [s for s in statuses if s is not Status.NOT_APPLICABLE]
    if not statuses:
        return Status.UNKNOWN
    if not applicable:
        return Status.NOT_APPLICABLE
    if all(s is Status.MET for s in applicable):
        return Status.MET
    if all(s in (Status.MET, Status.UNKNOWN) for s in applicable):
        return Status.UNKNOWN
    if any(s in (Status.MET, Status.PARTLY) for s in applicable):
        return Status.PARTLY
    return Status.NOT_MET


def all_must_meet(statuses: Iterable[Status]) -> Status:
    """A per-officer or per-school requirement: met only when every one meets it."""
    applicable = [s for s in statuses if s is not Status.NOT_APPLICABLE]
    if not applicable:
        return Status.NOT_APPLICABLE
    if any(s in (Status.NOT_MET, Status.PARTLY) for s in applicable):
        return Status.NOT_MET
    if all(s is Status.MET for s in applicable):
        return Status.MET
    return Status.UNKNOWN


def score_of(statuses: Iterable[Status]) -> float:
    applicable = [s for s in statuses if s is not Status.NOT_APPLICABLE]
    if not applicable:
        return 0.0
    return sum(_SCORE.get(s, 0.0) for s in applicable) / len(applicable)
