"""The built-in sample: valid under the current form, deterministic, and partly compliant."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from nasro_desktop.domain.forms import current_form, load_form
from nasro_desktop.domain.model import AnswerType, Choice, Owner
from nasro_desktop.domain.results import Status, Verdict
from nasro_desktop.domain.sample import (
    LEFT_UNANSWERED,
    SAMPLE_ANSWERS,
    SAMPLE_AS_OF,
    sample_assessment,
)
from nasro_desktop.domain.scoring import evaluate

FORM_PATH = Path(__file__).resolve().parent.parent / "forms" / "nasro-2018" / "v1.yaml"


@pytest.fixture(scope="module")
def form():
    return current_form()


@pytest.fixture(scope="module")
def sample(form):
    return sample_assessment(form)


def test_loads_under_the_current_form(form, sample):
    assert (sample.form_id, sample.form_version) == (form.form_id, form.version)
    assert sample_assessment() == sample  # form=None means the current form
    assert sample.as_of == SAMPLE_AS_OF == date(2026, 9, 15)
    assert sample.prepared_by and sample.agency and sample.district


def test_every_named_question_exists(form):
    # a renamed question must be renamed here too, not silently dropped from the sample
    for qid in [*SAMPLE_ANSWERS, *LEFT_UNANSWERED]:
        assert form.has_question(qid), f"the sample names {qid}, which the form does not have"
        assert SAMPLE_ANSWERS.get(qid) is None or SAMPLE_ANSWERS[qid].question_id == qid


def test_every_answer_is_valid_for_its_question(form, sample):
    assert sample.answers, "the sample has no answers"
    for qid, answer in sample.answers.items():
        assert answer.question_id == qid
        assert form.has_question(qid), f"answer to unknown question {qid}"
        question = form.question(qid)
        assert question.is_visible(sample.answers), f"{qid} is answered but hidden"
        if question.type is AnswerType.STATUS:
            assert Choice(answer.value)  # raises on anything but a valid Choice value
            if answer.value == Choice.NA:
                assert question.na_allowed, f"{qid}: Not applicable is not allowed here"
                assert answer.na_reason.strip(), f"{qid}: Not applicable needs a reason"
        elif question.type is AnswerType.YESNO:
            assert answer.value in ("yes", "no"), qid
        elif question.type is AnswerType.DATE:
            assert date.fromisoformat(answer.value) <= sample.as_of, qid
        elif question.type is AnswerType.INTEGER:
            assert isinstance(answer.value, int), qid
        else:
            assert isinstance(answer.value, str) and answer.value.strip(), qid


def test_a_realistic_mix_of_answers(form, sample):
    status_ids = [
        q.id for q in form.visible_questions(sample.answers) if q.type is AnswerType.STATUS
    ]
    given = [sample.answers[q].value for q in status_ids if q in sample.answers]
    assert len(given) >= 0.9 * len(status_ids), "most questions should be answered"
    assert len(given) < len(status_ids), "a few questions should be left unanswered"
    counts = {choice: given.count(choice.value) for choice in Choice}
    assert counts[Choice.MET] > len(given) / 2
    assert counts[Choice.PARTLY] >= 3 and counts[Choice.NOT_MET] >= 2
    assert counts[Choice.NOT_SURE] == 1
    assert counts[Choice.NA] == 2
    assert sum(1 for a in sample.answers.values() if a.note.strip()) >= 5


def test_people_places_and_actions(sample):
    names = [o.name for o in sample.officers]
    assert len(names) == 3 and "Zoë Nguyễn" in names and "Łukasz Kowalczyk" in names
    assert 3 <= len(sample.schools) <= 4
    assert [s.name for s in sample.schools if s.sros_assigned == 0], "one school has no SRO"
    assert 3 <= len(sample.action_items) <= 4
    for item in sample.action_items:
        assert item.standard_id and item.next_step and item.target_date
        assert isinstance(item.owner, Owner) and item.target_date > sample.as_of
    reviewed = date.fromisoformat(sample.answers["mou.last_review_date"].value)
    assert (sample.as_of.year - reviewed.year) * 12 + sample.as_of.month - reviewed.month == 14


def test_is_not_ready_with_a_few_mandatory_gaps(form, sample):
    readiness = evaluate(form, sample)
    assert readiness.verdict is Verdict.NOT_READY
    gaps = {r.standard.id for r in readiness.mandatory_gaps}
    assert 2 <= len(gaps) <= 4, gaps
    assert "03.02.01" in gaps, "José Ramírez's overdue basic course should show"
    assert readiness.mandatory_met >= readiness.mandatory_total - 4


def test_the_dated_stories_show_in_the_results(form, sample):
    readiness = evaluate(form, sample)
    experience = readiness.result("02.01.02").findings
    assert [f.subject for f in experience if f.status is Status.NOT_MET] == ["Zoë Nguyễn"]
    soon = [
        d
        for d in readiness.due_next
        if d.standard_id == "03.04.01" and not d.overdue and d.when - sample.as_of < timedelta(30)
    ]
    assert [d.who for d in soon] == ["Łukasz Kowalczyk"]
    overdue = [(d.standard_id, d.who) for d in readiness.due_next if d.overdue]
    assert ("03.02.01", "José Ramírez") in overdue
    assert readiness.result("04.01.02").status is not Status.MET  # review 14 months ago


def test_fresh_and_unsaved_every_time(data_dir, sample):
    first, second = sample_assessment(), sample_assessment()
    assert first == second == sample
    first.answers.clear()
    first.officers[0].name = "changed"
    assert sample_assessment() == sample, "each call must build a fresh copy"
    assert not data_dir.exists(), "building the sample must not write anything"


def test_follows_a_renamed_question(tmp_path):
    # a later version that renames a question (with `replaces:`) keeps the sample's answer
    text = FORM_PATH.read_text(encoding="utf-8")
    old = "  - id: mou.info.body_cameras\n"
    assert old in text
    renamed = text.replace(
        old, "  - id: mou.info.body_worn_cameras\n    replaces: [mou.info.body_cameras]\n"
    ).replace("version: 1\n", "version: 2\n", 1)
    path = tmp_path / "forms" / "nasro-2018" / "v2.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(renamed, encoding="utf-8")
    v2 = load_form(path)
    sample = sample_assessment(v2)
    assert sample.form_version == 2
    assert "mou.info.body_cameras" not in sample.answers
    assert sample.answers["mou.info.body_worn_cameras"].value == Choice.NOT_SURE
    assert sample.answers["mou.info.body_worn_cameras"].flagged
