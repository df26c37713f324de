"""Since last year: the sample against an edited copy, in the domain and from the CLI."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from nasro_desktop.cli import main
from nasro_desktop.domain.compare import CannotCompare, Change, compare, format_comparison
from nasro_desktop.domain.forms import current_form
from nasro_desktop.domain.model import ActionStatus, Answer, AnswerType, Choice
from nasro_desktop.domain.results import Status, SubjectKind
from nasro_desktop.domain.sample import SAMPLE_AS_OF, sample_assessment
from nasro_desktop.domain.scoring import evaluate
from nasro_desktop.session import Session


def _status_questions(form, standard_id):
    return [q for q in form.questions
            if q.standard == standard_id and q.type is AnswerType.STATUS and not q.observation]


def _set_all(form, assessment, standard_id, choice):
    answers = dict(assessment.answers)
    for q in _status_questions(form, standard_id):
        answers[q.id] = Answer(q.id, choice.value)
    return dataclasses.replace(assessment, answers=answers)


def _flip(form, assessment, readiness, want_from, choice, want_to):
    """The first standard judged only from questions that goes from `want_from` to `want_to`
    when all its status questions are answered `choice`; (standard id, edited assessment)."""
    for result in readiness.results:
        if result.status not in want_from or not _status_questions(form, result.standard.id):
            continue
        if any(f.kind is not SubjectKind.QUESTION for f in result.findings):
            continue
        edited = _set_all(form, assessment, result.standard.id, choice)
        if evaluate(form, edited, assessment.as_of).result(result.standard.id).status is want_to:
            return result.standard.id, edited
    raise AssertionError("the sample has no such standard")


@pytest.fixture(scope="module")
def pair():
    """(form, last year's sample, this year's edited copy): one standard newly met, one no
    longer met, one action item closed, a day later."""
    form = current_form()
    then = dataclasses.replace(sample_assessment(form), id=1)
    then_r = evaluate(form, then)
    now = dataclasses.replace(then, id=2, as_of=SAMPLE_AS_OF + timedelta(days=1),
                              title="Pine Ridge SRO program review, fall 2027")
    newly, now = _flip(form, now, then_r, (Status.NOT_MET, Status.PARTLY), Choice.MET,
                       Status.MET)
    lost, now = _flip(form, now, evaluate(form, now), (Status.MET,), Choice.NOT_MET,
                      Status.NOT_MET)
    open_items = [i for i in now.action_items if i.status is not ActionStatus.DONE]
    closed = open_items[0]
    now = dataclasses.replace(now, action_items=[
        dataclasses.replace(i, status=ActionStatus.DONE) if i is closed else i
        for i in now.action_items])
    return form, then, now, newly, lost, closed


def test_sample_against_an_edited_copy(pair):
    form, then, now, newly, lost, closed = pair
    then_r, now_r = evaluate(form, then), evaluate(form, now)
    result = compare(then, then_r, now, now_r)
    by_id = {s.standard.id: s for s in result.standards}
    assert by_id[newly].change is Change.NEWLY_MET
    assert by_id[newly].then in (Status.NOT_MET, Status.PARTLY) and by_id[newly].now is Status.MET
    assert by_id[lost].change is Change.NO_LONGER_MET
    assert by_id[lost].then is Status.MET and by_id[lost].now is Status.NOT_MET
    # every other standard: the same status both times, so still open or unchanged
    for s in result.standards:
        if s.standard.id in (newly, lost):
            continue
        assert s.then is s.now
        expected = Change.STILL_OPEN if s.now in (
            Status.PARTLY, Status.NOT_MET, Status.UNKNOWN) else Change.UNCHANGED
        assert s.change is expected, s.standard.id
    assert len(result.standards) == len(now_r.results)
    assert sum(len(result.of(k)) for k in Change) == len(result.standards)
    assert result.mandatory_then == (then_r.mandatory_met, then_r.mandatory_total)
    assert result.mandatory_now == (now_r.mandatory_met, now_r.mandatory_total)
    assert result.recommended_then == then_r.recommended_score
    assert result.recommended_now == now_r.recommended_score
    assert [i.next_step for i in result.closed_since] == [closed.next_step]
    assert result.same_program


def test_order_given_does_not_matter(pair):
    form, then, now, newly, lost, _closed = pair
    forward = compare(then, evaluate(form, then), now, evaluate(form, now))
    backward = compare(now, evaluate(form, now), then, evaluate(form, then))
    assert backward.then.id == then.id and backward.now.id == now.id
    assert [(s.standard.id, s.change) for s in backward.standards] == [
        (s.standard.id, s.change) for s in forward.standards]


def test_item_done_both_times_is_not_closed_since(pair):
    form, then, now, *_ = pair
    done_then = dataclasses.replace(then, action_items=[
        dataclasses.replace(i, status=ActionStatus.DONE) for i in then.action_items])
    result = compare(done_then, evaluate(form, done_then), now, evaluate(form, now))
    assert result.closed_since == ()


def test_refuses_the_same_assessment_or_another_question_set(pair):
    form, then, now, *_ = pair
    r = evaluate(form, then)
    with pytest.raises(CannotCompare, match="two different"):
        compare(then, r, then, r)
    other = dataclasses.replace(now, form_id="another-set")
    with pytest.raises(CannotCompare, match="different question sets"):
        compare(then, r, other, evaluate(form, now))


def test_other_program_is_flagged_in_the_text(pair):
    form, then, now, *_ = pair
    elsewhere = dataclasses.replace(now, agency="Hill County Sheriff")
    text = format_comparison(compare(then, evaluate(form, then), elsewhere,
                                     evaluate(form, elsewhere)))
    assert "agency or district differs" in text


def test_text_names_every_change(pair):
    form, then, now, newly, lost, closed = pair
    then_r, now_r = evaluate(form, then), evaluate(form, now)
    text = format_comparison(compare(then, then_r, now, now_r))
    assert f"Mandatory standards met: {then_r.mandatory_met} of {then_r.mandatory_total} then, " \
           f"{now_r.mandatory_met} of {now_r.mandatory_total} now." in text
    newly_block = text.split("Newly met (")[1].split("\n\n")[0]
    assert form.standard(newly).title in newly_block
    lost_block = text.split("No longer met (")[1].split("\n\n")[0]
    assert form.standard(lost).title in lost_block
    assert closed.next_step in text.split("Action items closed since (1):")[1]


def test_next_year_knows_its_predecessor_and_the_cli_compares(store, data_dir, capsys):
    session = Session.open_sample(store)
    old_id = session.assessment_id
    new = store.start_next_year(old_id, date(2027, 9, 15))
    assert store.predecessor_of(new.id) == old_id
    assert store.predecessor_of(old_id) is None
    # this year: one carried action item is done
    item = next(i for i in new.action_items if i.status is not ActionStatus.DONE)
    store.save_action_item(new.id, dataclasses.replace(item, status=ActionStatus.DONE))
    store.close()

    assert main(["--data-dir", str(data_dir), "compare", str(new.id)]) == 0
    by_default = capsys.readouterr().out
    assert main(["--data-dir", str(data_dir), "compare", str(new.id), str(old_id)]) == 0
    out = capsys.readouterr().out
    assert out == by_default
    assert f"(no. {old_id}), as of 2026-09-15" in out.splitlines()[1]  # then: last year's
    assert f"(no. {new.id}), as of 2027-09-15" in out.splitlines()[2]
    assert "Action items closed since (1):" in out and item.next_step in out
    assert "Mandatory standards met:" in out and "Recommended score:" in out

    assert main(["--data-dir", str(data_dir), "compare", str(old_id)]) == 1
    assert "was not started from an earlier one" in capsys.readouterr().err
    assert main(["--data-dir", str(data_dir), "compare", str(old_id), "999"]) == 1
    assert "999" in capsys.readouterr().err


def test_purging_last_year_forgets_the_link(data_dir):
    from nasro_desktop.store import Store

    with Store.open(data_dir) as store:
        old_id = Session.open_sample(store).assessment_id
        new = store.start_next_year(old_id, date(2027, 9, 15))
        store.delete_assessment(old_id)
        store.purge_deleted(older_than_days=0)
        assert store.predecessor_of(new.id) is None
        assert store.load_assessment(new.id).title.endswith("2027")


def test_the_changes_in_words(pair):
    form, then, now, _newly, _lost, _closed = pair
    result = compare(then, evaluate(form, then), now, evaluate(form, now))
    (m_then, _), (m_now, _) = result.mandatory_then, result.mandatory_now
    expected = ("the same" if m_now == m_then
                else f"{abs(m_now - m_then)} {'more' if m_now > m_then else 'fewer'}")
    assert result.mandatory_change == expected
    same = compare(then, evaluate(form, then), dataclasses.replace(then, id=3),
                   evaluate(form, then))
    assert same.mandatory_change == "the same" and same.recommended_change == "the same"
    points = round(result.recommended_now) - round(result.recommended_then)
    if points:
        assert result.recommended_change.startswith(f"{abs(points)} point")
        assert result.recommended_change.endswith("higher" if points > 0 else "lower")
