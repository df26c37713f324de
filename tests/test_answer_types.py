"""The answer-type table (domain/answer_types.py): one row per type, and the builder, the
session's normalisation and the definition of "answered" all read it."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path

import pytest

from nasro_desktop.domain import answer_types
from nasro_desktop.domain.answer_types import ANSWER_TYPES, AnswerValueError
from nasro_desktop.domain.answers import answer_counts, decides, is_answered
from nasro_desktop.domain.entries import InvalidEntry
from nasro_desktop.domain.forms import FormError, current_form, load_form
from nasro_desktop.domain.model import Answer, AnswerType, Assessment, Choice, Officer, Question
from nasro_desktop.domain.sample import sample_assessment
from nasro_desktop.session import normalize_value

MINI = Path(__file__).parent / "domain_forms" / "mini.yaml"


def q(kind: AnswerType, **extra) -> Question:
    return Question(id="x", section="s", type=kind, text="?", **extra)


def test_every_answer_type_has_one_row():
    assert set(ANSWER_TYPES) == set(AnswerType)
    for kind, row in ANSWER_TYPES.items():
        assert row.type is kind and row.label


@pytest.mark.parametrize(("kind", "given", "stored", "words"), [
    (AnswerType.STATUS, Choice.MET, "met", "Yes"),
    (AnswerType.STATUS, "alternate", "alternate", "Met another way"),
    (AnswerType.YESNO, True, "yes", "Yes"),
    (AnswerType.YESNO, "no", "no", "No"),
    (AnswerType.DATE, date(2026, 3, 4), "2026-03-04", "March 4, 2026"),
    (AnswerType.DATE, datetime(2026, 3, 4, 10, 30), "2026-03-04", "March 4, 2026"),
    (AnswerType.INTEGER, "1200", 1200, "1,200"),
    (AnswerType.INTEGER, 0, 0, "0"),
    (AnswerType.TEXT, "Chief Ruiz", "Chief Ruiz", "Chief Ruiz"),
    (AnswerType.CHOICE, "drafting", "drafting", "drafting"),
])  # fmt: skip
def test_normalise_validate_describe(kind, given, stored, words):
    row = ANSWER_TYPES[kind]
    question = q(kind, options=("yes", "no", "drafting"), na_allowed=True)
    value = row.normalise_value(given)
    assert value == stored and type(value) is type(stored)
    assert normalize_value(kind, given) == stored  # the session goes through the table
    assert row.validate(question, value) == ""
    assert row.describe(value) == words


@pytest.mark.parametrize("kind", list(AnswerType))
def test_none_and_empty_are_not_answered(kind):
    assert ANSWER_TYPES[kind].normalise_value(None) is None
    assert ANSWER_TYPES[kind].normalise_value("") is None
    assert not answer_counts(q(kind), Answer("x", None))
    assert not answer_counts(q(kind), None)


@pytest.mark.parametrize(("kind", "value"), [
    (AnswerType.STATUS, "maybe"), (AnswerType.YESNO, "perhaps"), (AnswerType.DATE, "03/04/2026"),
    (AnswerType.DATE, "2026-02-30"), (AnswerType.INTEGER, -1), (AnswerType.INTEGER, "12"),
    (AnswerType.TEXT, 12), (AnswerType.CHOICE, "other"), (AnswerType.OFFICERS, "3"),
])  # fmt: skip
def test_validate_names_the_problem(kind, value):
    question = q(kind, options=("yes", "no"))
    assert ANSWER_TYPES[kind].validate(question, value)


def test_a_negative_number_is_a_plain_message_in_the_session():
    with pytest.raises(AnswerValueError):
        ANSWER_TYPES[AnswerType.INTEGER].normalise_value(-3)
    with pytest.raises(InvalidEntry) as caught:
        normalize_value(AnswerType.INTEGER, -3)
    assert str(caught.value) == "Please enter a number of zero or more."
    with pytest.raises(ValueError):  # text that is not a number, as before
        normalize_value(AnswerType.INTEGER, "twelve")


def test_not_applicable_and_met_another_way_need_their_reason():
    allowed, not_allowed = q(AnswerType.STATUS, na_allowed=True), q(AnswerType.STATUS)
    assert not answer_counts(allowed, Answer("x", "na"))
    assert answer_counts(allowed, Answer("x", "na", na_reason="No schools of that kind"))
    assert not answer_counts(not_allowed, Answer("x", "na", na_reason="reason"))
    assert ANSWER_TYPES[AnswerType.STATUS].validate(not_allowed, "na")
    assert not answer_counts(allowed, Answer("x", "alternate", na_reason="  "))
    assert answer_counts(allowed, Answer("x", "alternate", na_reason="A county policy covers it."))
    for unreadable in (".", "x", "n/a n/a", "A county policy", "?? !! -- ..."):  # issue 19
        assert not answer_counts(allowed, Answer("x", "alternate", na_reason=unreadable))
    assert not answer_counts(allowed, Answer("x", "garbled"))
    assert answer_counts(q(AnswerType.TEXT), Answer("x", "garbled"))


def test_officers_and_schools_are_answered_by_their_tables():
    assessment = Assessment()
    officers, schools = q(AnswerType.OFFICERS), q(AnswerType.SCHOOLS)
    assert not is_answered(officers, assessment) and not is_answered(schools, assessment)
    assessment.officers.append(Officer(name="Dana Ruiz"))
    assert is_answered(officers, assessment) and not is_answered(schools, assessment)
    assert decides(officers) and decides(schools)
    assert decides(q(AnswerType.STATUS)) and not decides(q(AnswerType.STATUS, observation=True))
    assert not decides(q(AnswerType.TEXT))


def test_every_answer_of_the_sample_is_valid_for_its_type():
    form = current_form()
    assessment = sample_assessment(form)
    assert assessment.answers
    for qid, answer in assessment.answers.items():
        question = form.question(qid)
        row = ANSWER_TYPES[question.type]
        assert row.validate(question, answer.value) == "", (qid, answer.value)
        assert row.describe(answer.value)
        if row.parse(answer.value) is None:
            assert question.type in (AnswerType.TEXT, AnswerType.CHOICE), qid


def test_the_question_set_builder_reads_the_table(monkeypatch, tmp_path):
    """What a type must declare comes from its row: give date the needs of a choice and a
    date question without options is an error; give status no needs and a bare status
    question loads."""
    form = load_form(MINI)
    assert any(question.type is AnswerType.DATE for question in form.questions)
    date_row = ANSWER_TYPES[AnswerType.DATE]
    monkeypatch.setitem(answer_types.ANSWER_TYPES, AnswerType.DATE,
                        dataclasses.replace(date_row, needs_options=True))  # fmt: skip
    with pytest.raises(FormError) as caught:
        load_form(MINI)
    assert "a date question needs 'options'" in str(caught.value)
    monkeypatch.setitem(answer_types.ANSWER_TYPES, AnswerType.DATE, date_row)
    bare = tmp_path / "v1.yaml"
    bare.write_text(MINI.read_text(encoding="utf-8") + (
        "  - id: bare.status\n    section: administration\n    type: status\n"
        "    text: A status question with nothing else\n"), encoding="utf-8")  # fmt: skip
    with pytest.raises(FormError) as caught:
        load_form(bare)
    assert {i.question_id for i in caught.value.issues} == {"bare.status"}
    status_row = ANSWER_TYPES[AnswerType.STATUS]
    monkeypatch.setitem(answer_types.ANSWER_TYPES, AnswerType.STATUS,
                        dataclasses.replace(status_row, needs_standard=False, needs_help=False))
    assert load_form(bare).question("bare.status").standard is None
