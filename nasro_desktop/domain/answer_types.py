"""Every answer type in one table: what its stored value is, how a value is parsed, checked,
normalised and described, when it counts as answered, and what a question of the type must
declare in the question set.

`ANSWER_TYPES[AnswerType.DATE]` is the one place to read about dates. The question-set builder
(domain/forms.py), the session's normalisation (session.normalize_value) and the app's single
definition of "answered" (domain/answers.py) read this table; a new type is one new row here
and one in the window's table of editors, ui/editors.py `EDITORS` (see CONTRIBUTING.md, "A new
question type").

Stored values (`Answer.value`, see domain/model.py): status -> a `Choice` value ("met"...);
yesno -> "yes" / "no"; date -> ISO "YYYY-MM-DD"; integer -> int >= 0; text / choice -> str;
None -> not answered. Officers and schools are answered by the Profile's tables, not by an
`Answer`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from nasro_desktop.domain.dates import long_date, parse_date
from nasro_desktop.domain.model import Answer, AnswerType, Assessment, Choice
from nasro_desktop.domain.wording import choice_label

if TYPE_CHECKING:
    from nasro_desktop.domain.model import Question


EXPLANATION_WORDS = 4  # "Met another way": the fewest words an explanation a board reads has
_WORD = re.compile(r"[^\W\d_]{2,}")  # a word: two letters or more (not digits, not punctuation)


def readable_explanation(text: str) -> bool:
    """Is this an explanation a board can read: a sentence of a few words, not punctuation?"""
    return len(_WORD.findall(text or "")) >= EXPLANATION_WORDS


def explanation_problem(text: str) -> str:
    """What is wrong with a "Met another way" explanation, in plain words, or ""."""
    if readable_explanation(text):
        return ""
    return (f"\"Met another way\" needs an explanation the board can read: a sentence of at "
            f"least {EXPLANATION_WORDS} words saying how the program meets this instead")


class AnswerValueError(ValueError):
    """A value a person gave that this answer type cannot hold; the message says what to do."""


# --- parse: a stored (or exported) value -> the Python value it stands for, or None ----------


def _parse_as_is(value: Any) -> Any:
    return None if value in (None, "") else value


def _parse_status(value: Any) -> Choice | None:
    try:
        return Choice(str(value))
    except ValueError:
        return None


def _parse_yesno(value: Any) -> bool | None:
    return {"yes": True, "no": False}.get(str(value)) if value is not None else None


def _parse_integer(value: Any) -> int | None:
    return value if type(value) is int else None


# --- validate: the problem with a stored value, in plain words, or "" -------------------------


def _valid_status(question: Question, value: Any) -> str:
    if _parse_status(value) is None:
        return f"{value!r} is not one of the answers ({', '.join(c.value for c in Choice)})"
    if value == Choice.NA.value and not question.na_allowed:
        return "this question cannot be answered Not applicable"
    return ""


def _valid_yesno(question: Question, value: Any) -> str:
    return "" if value in ("yes", "no") else f"{value!r} is not yes or no"


def _valid_date(question: Question, value: Any) -> str:
    ok = isinstance(value, str) and parse_date(value) is not None
    return "" if ok else f"{value!r} is not a date written YYYY-MM-DD"


def _valid_integer(question: Question, value: Any) -> str:
    return "" if type(value) is int and value >= 0 else f"{value!r} is not a number of 0 or more"


def _valid_text(question: Question, value: Any) -> str:
    return "" if isinstance(value, str) else f"{value!r} is not text"


def _valid_choice(question: Question, value: Any) -> str:
    if not isinstance(value, str):
        return f"{value!r} is not text"
    if question.options and value not in question.options:
        return f"{value!r} is not one of the options"
    return ""


def _valid_table(question: Question, value: Any) -> str:
    return "" if value is None else "answered by the Profile's table, not by a value"


# --- normalise: a value from the window (or a caller) -> the stored value ---------------------
# Called only with a value that is not None or "" (those are "not answered": None).


def _normalise_as_is(value: Any) -> Any:
    if hasattr(value, "value") and isinstance(value.value, str):  # an enum such as Choice
        return value.value
    return value


def _normalise_date(value: Any) -> str:
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, date) else str(value)


def _normalise_integer(value: Any) -> int:
    number = int(value)  # text that is not a number raises ValueError, as int() does
    if number < 0:
        raise AnswerValueError("Please enter a number of zero or more.")
    return number


def _normalise_yesno(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


# --- describe: a stored value in words (no status symbol; callers add one where they show it) --


def _describe_yesno(value: Any) -> str:
    return {"yes": "Yes", "no": "No"}.get(str(value), str(value))


def _describe_date(value: Any) -> str:
    day = parse_date(value)
    return long_date(day) if day is not None else str(value)


def _describe_integer(value: Any) -> str:
    return f"{value:,}" if type(value) is int else str(value)


# --- answered: is this answer given in full? -------------------------------------------------


def _counts_with_value(question: Question, answer: Answer) -> bool:
    return answer.has_value


def _counts_status(question: Question, answer: Answer) -> bool:
    """A value, and the written reason a Not applicable or Met another way needs (Not
    applicable only where the question allows it)."""
    if not answer.has_value or _parse_status(answer.value) is None:
        return False
    if answer.value == Choice.NA.value:
        return question.na_allowed and bool(answer.na_reason.strip())
    if answer.value == Choice.ALTERNATE.value:
        return question.offers_alternate and readable_explanation(answer.na_reason)
    return True


@dataclass(frozen=True)
class AnswerKind:
    """One answer type: its value and what a question of the type must declare."""

    type: AnswerType
    label: str  # plain words, for error messages and docs
    parse: Callable[[Any], Any]  # stored value -> date / bool / Choice / int / str, or None
    validate: Callable[[Question, Any], str]  # stored value -> the problem, or ""
    normalise: Callable[[Any], Any]  # a given value (not None or "") -> the stored value
    describe: Callable[[Any], str]  # stored value -> plain words
    counts: Callable[[Question, Answer], bool]  # answered in full?
    # What the question set must say for a question of this type (checked by domain/forms.py):
    needs_standard: bool = False  # serves a standard (`standard:`)
    needs_help: bool = False  # `help: {why, evidence}` and `na: {allowed, why}`
    needs_options: bool = False  # a non-empty `options:` list
    may_be_observation: bool = False  # may carry `observation: true`
    # Scoring: True when its answer is scored for its standard (an observation never is).
    scored: bool = False
    # Answered by a Profile table (officers / schools) instead of an `Answer`: the rows.
    rows: Callable[[Assessment], list[Any]] | None = None

    def normalise_value(self, value: Any) -> Any:
        """The stored form of a given value; None and "" are "not answered" (None)."""
        if value in (None, ""):
            return None
        return self.normalise(value)


ANSWER_TYPES: dict[AnswerType, AnswerKind] = {
    kind.type: kind
    for kind in (
        AnswerKind(
            AnswerType.STATUS, "Yes / Partly / No / Not sure / Met another way / Not applicable",
            _parse_status, _valid_status, _normalise_as_is, choice_label, _counts_status,
            needs_standard=True, needs_help=True, may_be_observation=True, scored=True,
        ),
        AnswerKind(
            AnswerType.YESNO, "Yes or No",
            _parse_yesno, _valid_yesno, _normalise_yesno, _describe_yesno, _counts_with_value,
        ),
        AnswerKind(
            AnswerType.DATE, "a date",
            parse_date, _valid_date, _normalise_date, _describe_date, _counts_with_value,
        ),
        AnswerKind(
            AnswerType.INTEGER, "a whole number, 0 or more",
            _parse_integer, _valid_integer, _normalise_integer, _describe_integer,
            _counts_with_value,
        ),
        AnswerKind(
            AnswerType.TEXT, "text",
            _parse_as_is, _valid_text, _normalise_as_is, str, _counts_with_value,
        ),
        AnswerKind(
            AnswerType.CHOICE, "one of the question's options",
            _parse_as_is, _valid_choice, _normalise_as_is, str, _counts_with_value,
            needs_options=True,
        ),
        AnswerKind(
            AnswerType.OFFICERS, "the officers table",
            _parse_as_is, _valid_table, _normalise_as_is, str, _counts_with_value,
            rows=lambda assessment: assessment.officers,
        ),
        AnswerKind(
            AnswerType.SCHOOLS, "the schools table",
            _parse_as_is, _valid_table, _normalise_as_is, str, _counts_with_value,
            rows=lambda assessment: assessment.schools,
        ),
    )
}  # fmt: skip
