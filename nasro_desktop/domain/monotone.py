"""The property that keeps a false READY out: a worse answer never gives a better verdict.

Written down here so tests (tests/test_monotone.py, with hypothesis) and anyone reading the
engine hold it the same way:

- An answer to a status question moved down the order Yes / Met another way (with its
  explanation) -> Partly -> No, or to Not sure, or to no answer at all (`worse_answers`), never
  makes any standard's status better (`no_better`) and never turns Not ready into Ready.
- The same for the facts the rules read: a "yes" moved to "no" or to no answer, a date moved
  to no answer.
- The only exceptions are applicability facts (`Question.applicability`, declared in the
  question set, each a Reading printed on "How this was scored" with its own test) answered
  "no". No answer to an applicability fact never switches a standard off.

"Better" for one standard: Met or Not applicable where it was neither, or a higher score.
"""

from __future__ import annotations

from nasro_desktop.domain.answers import answer_counts
from nasro_desktop.domain.model import Answer, AnswerType, Choice, Question
from nasro_desktop.domain.results import Readiness, Status, Verdict

_DONE = (Status.MET, Status.NOT_APPLICABLE)

# An answer -> the answers worse than it (None: no answer at all).
_WORSE_STATUS: dict[str, tuple[str | None, ...]] = {
    Choice.MET.value: (Choice.PARTLY.value, Choice.NOT_MET.value, Choice.NOT_SURE.value, None),
    Choice.ALTERNATE.value: (
        Choice.PARTLY.value, Choice.NOT_MET.value, Choice.NOT_SURE.value, None,
    ),
    Choice.PARTLY.value: (Choice.NOT_MET.value, Choice.NOT_SURE.value, None),
    Choice.NOT_MET.value: (Choice.NOT_SURE.value, None),
    Choice.NOT_SURE.value: (None,),
}


def worse_answers(question: Question, answer: Answer | None) -> tuple[object, ...]:
    """The answers to `question` worse than `answer` (None: unanswered). An answer that does
    not count (a value the question does not allow, a reason missing) is no answer at all.
    An applicability fact's "no" is its declared exception, so it is not listed."""
    if answer is None or not answer_counts(question, answer):
        return ()
    value = answer.value
    if question.type is AnswerType.STATUS:
        return _WORSE_STATUS.get(str(value), ())
    if question.type is AnswerType.YESNO:
        if value == "yes":
            return (None,) if question.applicability else ("no", None)
        return (None,) if value == "no" and not question.applicability else ()
    return (None,)  # a date or a number the rules read: forgetting it never helps


def no_better(before: Readiness, after: Readiness) -> list[str]:
    """What got better from `before` to `after` (empty when nothing did), in words."""
    problems: list[str] = []
    if before.verdict is Verdict.NOT_READY and after.verdict is Verdict.READY:
        problems.append("the verdict turned from Not ready to Ready")
    for old, new in zip(before.results, after.results, strict=True):
        number = old.standard.id
        if new.status in _DONE and old.status not in _DONE:
            problems.append(f"{number} turned from {old.status.label} to {new.status.label}")
        elif old.status is not Status.NOT_APPLICABLE and new.score > old.score + 1e-9:
            problems.append(f"{number}'s score rose from {old.score:.2f} to {new.score:.2f}")
    return problems
