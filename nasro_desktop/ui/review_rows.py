"""The Review page's rows: each visible question with its answer in words, its flags and the
filters it belongs to; ui/review_page.py holds the table and the page."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import cached_property

from nasro_desktop.domain import answers as answer_rules
from nasro_desktop.domain.answer_types import ANSWER_TYPES
from nasro_desktop.domain.answers import CHOICE_STATUS
from nasro_desktop.domain.merge import question_party
from nasro_desktop.domain.model import (
    Answer,
    AnswerType,
    Assessment,
    Choice,
    Form,
    Question,
)
from nasro_desktop.ui.labels import element_tag

NOT_ANSWERED = "\u2014 Not answered"
FLAG_TEXT = "\u2691 For review"
RECONFIRM_TEXT = "\u21bb Confirm again this year"


# A question answered by a Profile table: what one of its rows is called.
_ROW_NOUNS = {AnswerType.OFFICERS: "officer", AnswerType.SCHOOLS: "school"}


def answer_label(question: Question, answer: Answer | None, assessment: Assessment) -> str:
    """The answer in words (its answer type's `describe`, as in the report), with the status
    symbol for Met / Not met questions; a value the type cannot read is shown as stored."""
    kind = ANSWER_TYPES[question.type]
    if kind.rows is not None:  # officers / schools: how many the Profile lists
        n = len(kind.rows(assessment))
        noun = _ROW_NOUNS.get(question.type, "row")
        return NOT_ANSWERED if n == 0 else f"{n} {noun}{'s' if n != 1 else ''} listed"
    if answer is None or not answer.has_value:
        return NOT_ANSWERED
    value = answer.value
    parsed = kind.parse(value)
    if parsed is None:
        return str(value)
    words = kind.describe(value)
    if isinstance(parsed, Choice):
        return f"{CHOICE_STATUS[parsed.value].symbol} {words}"
    return words


def note_text(answer: Answer | None) -> str:
    if answer is None:
        return ""
    parts = []
    if answer.value == Choice.NA.value and answer.na_reason:
        parts.append(f"Not applicable because: {answer.na_reason}")
    if answer.value == Choice.ALTERNATE.value and answer.na_reason:
        parts.append(f"Met another way: {answer.na_reason}")
    if answer.note:
        parts.append(answer.note)
    return "\n".join(parts)


class Filter(Enum):
    """The Review page's filters: the button's words, what it shows, what the page says when
    it shows no row, and which rows it shows."""

    ALL = ("A&ll questions", "Show every question you can see in the interview.",
           "There are no questions to show yet.")
    UNANSWERED = ("Un&answered", "Show only the questions that have no answer yet.",
                  "\u2714 Every question has an answer.")
    NOT_MET = ("Not &met or partly met", "Show only the questions answered Not met or Partly "
               "met.", "\u2714 No question is answered Not met or Partly met.")
    FLAGGED = ("Fla&gged for review", "Show only the questions you marked for review.",
               "No question is marked for review.")
    TO_CONFIRM = ("&To confirm",  # Alt+C is Change this answer
                  "Show only the answers carried over from last year that you "
                  "have not confirmed yet.", "\u2714 Every answer carried over from last year "
                  "is confirmed.")

    def __init__(self, label: str, description: str, empty: str) -> None:
        self.label = label
        self.description = description
        self.empty = empty


@dataclass(frozen=True)
class ReviewRow:
    question_id: str
    section: str
    standard: str
    question: str
    answer: str
    note: str
    flag: str
    answered: bool
    not_met: bool
    flagged: bool
    reconfirm: bool = False  # carried over from last year, not confirmed yet
    party: str = "both"  # whose part the question is (domain/merge.question_party)

    @cached_property
    def cells(self) -> tuple[str, str, str, str, str, str]:
        """The display texts in Column order."""
        return (self.section, self.standard, self.question, self.answer, self.note, self.flag)

    def of_party(self, party: str) -> bool:
        """Shown under "Whose part" `party` ("" for every question): the questions of that
        party and those both share."""
        return not party or self.party in (party, "both")

    def matches(self, which: Filter) -> bool:
        return {Filter.UNANSWERED: not self.answered, Filter.NOT_MET: self.not_met,
                Filter.FLAGGED: self.flagged, Filter.TO_CONFIRM: self.reconfirm}.get(which, True)


def build_rows(form: Form, assessment: Assessment) -> list[ReviewRow]:
    answers = assessment.answers
    section_titles = {s.id: f"{s.number}. {s.title}" for s in form.sections}
    rows = []
    for q in form.visible_questions(answers):
        answer = answers.get(q.id)
        standard = ""
        if q.standard:  # a question set names only standards it has (domain/forms.py)
            std = form.standard(q.standard)
            element = f" {element_tag(q.element)}" if q.element else ""
            standard = f"{std.number}{element}\n{std.cls.label}"
        flags = []
        if answer is not None and answer.flagged:
            flags.append(FLAG_TEXT)
        if answer is not None and answer.reconfirm:
            flags.append(RECONFIRM_TEXT)
        rows.append(
            ReviewRow(
                question_id=q.id,
                section=section_titles.get(q.section, "Profile"),
                standard=standard,
                question=q.text_for(answers),
                answer=answer_label(q, answer, assessment),
                note=note_text(answer),
                flag="\n".join(flags),
                # the engine's one definition: a reason still missing leaves it open
                answered=answer_rules.is_answered(q, assessment),
                not_met=(q.type is AnswerType.STATUS and answer is not None
                         and answer.value in (Choice.NOT_MET.value, Choice.PARTLY.value)),
                flagged=answer is not None and answer.flagged,
                reconfirm=answer is not None and answer.reconfirm,
                party=question_party(form, q.id).value,
            )
        )
    return rows
