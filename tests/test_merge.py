"""The three-way merge (domain/merge.py): every difference is listed, nothing is decided
silently, nothing is lost, and merging the same copy twice changes nothing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from nasro_desktop.domain import merge
from nasro_desktop.domain.forms import current_form
from nasro_desktop.domain.merge import Change, Side
from nasro_desktop.domain.model import Owner

KEYS = ["q1", "q2", "q3", "q4", "q5"]
items = st.fixed_dictionaries({"value": st.sampled_from(["yes", "no", "na"]),
                               "note": st.sampled_from(["", "a", "b"])})
snapshots = st.fixed_dictionaries({"answers": st.dictionaries(st.sampled_from(KEYS), items,
                                                              max_size=5)})


def _full(s: dict) -> merge.Snapshot:
    out = merge.empty_snapshot()
    out.update(s)
    return out


def test_one_sided_changes_are_taken_or_kept_and_both_sided_ones_are_conflicts():
    base = _full({"answers": {"a": {"value": "no"}, "b": {"value": "no"}, "c": {"value": "no"}}})
    ours = _full({"answers": {"a": {"value": "yes"}, "b": {"value": "no"}, "c": {"value": "yes"}}})
    theirs = _full({"answers": {"a": {"value": "no"}, "b": {"value": "yes"},
                                "c": {"value": "partly"}, "d": {"value": "yes"}}})
    plan = merge.plan_merge(base, ours, theirs)
    by_key = {d.key: d.change for d in plan.differences}
    assert by_key == {"a": Change.KEPT, "b": Change.TAKEN, "c": Change.CONFLICT,
                      "d": Change.TAKEN}


def test_a_conflict_without_a_choice_is_never_settled_silently():
    base = _full({"answers": {"a": {"value": "no"}}})
    plan = merge.plan_merge(base, _full({"answers": {"a": {"value": "yes"}}}),
                            _full({"answers": {"a": {"value": "partly"}}}))
    try:
        merge.apply_merge(_full({"answers": {"a": {"value": "yes"}}}), plan)
    except ValueError as error:
        assert "no choice" in str(error)
    else:
        raise AssertionError("a conflict was settled without a choice")


def test_take_theirs_for_all_district_questions_picks_only_the_district_s():
    form = current_form()
    district = [q.id for q in form.questions if q.standard and q.party is Owner.DISTRICT][:2]
    agency = [q.id for q in form.questions if q.standard and q.party is Owner.AGENCY][:2]
    assert district and agency
    keys = district + agency
    base = _full({"answers": {k: {"value": "no"} for k in keys}})
    ours = _full({"answers": {k: {"value": "yes"} for k in keys}})
    theirs = _full({"answers": {k: {"value": "partly"} for k in keys}})
    plan = merge.plan_merge(base, ours, theirs, form)
    choices = merge.choose_for_party(plan, Owner.DISTRICT, Side.THEIRS)
    assert set(choices) == {f"answers:{k}" for k in district}
    outcome = merge.apply_merge(ours, plan, choices, default=Side.OURS)
    assert {k: outcome.merged["answers"][k]["value"] for k in keys} == (
        {k: "partly" for k in district} | {k: "yes" for k in agency})


def test_whose_part_a_question_is_comes_from_the_question_set():
    form = current_form()
    # the standard (support from both heads) is both sides'; each question is one side's
    assert form.standard("01.01.03").owner is Owner.BOTH
    assert merge.question_party(form, "admin.support.superintendent") is Owner.DISTRICT
    assert merge.question_party(form, "admin.support.agency_head") is Owner.AGENCY
    # only the school side knows whether its administrator sat in on the interviews
    assert merge.question_party(form, "sel.process.school_interviews") is Owner.DISTRICT
    # without a party of its own, a question is its standard's
    assert merge.question_party(form, "mou.office.place_set") is Owner.DISTRICT
    assert merge.question_party(form, "admin.sro.sworn") is Owner.AGENCY
    assert merge.question_party(form, "mou.hours.expected") is Owner.BOTH
    assert merge.question_party(form, "no.such.question") is Owner.BOTH


@settings(max_examples=300, deadline=None)
@given(base=snapshots, ours=snapshots, theirs=snapshots,
       pick=st.dictionaries(st.sampled_from(KEYS), st.sampled_from(list(Side))))
def test_merging_is_never_lossy_and_twice_is_the_same_as_once(base, ours, theirs, pick):
    base, ours, theirs = _full(base), _full(ours), _full(theirs)
    plan = merge.plan_merge(base, ours, theirs)
    choices = {f"answers:{k}": side for k, side in pick.items()}
    outcome = merge.apply_merge(ours, plan, choices, default=Side.OURS)
    merged = outcome.merged["answers"]
    set_aside = {(d.key, side) for d, side in outcome.replaced}
    for key in KEYS:
        for side, copy in ((Side.OURS, ours), (Side.THEIRS, theirs)):
            value = copy["answers"].get(key)
            if value is None:
                continue
            # every answer of either side is in the result, or listed as set aside
            assert merged.get(key) == value or (key, side) in set_aside
        # a value in the result comes from one of the two sides, never from nowhere
        assert merged.get(key) in (ours["answers"].get(key), theirs["answers"].get(key))
    # merging the same returned copy again (the base is now that copy) changes nothing
    again = merge.plan_merge(theirs, outcome.merged, theirs)
    assert not again.changes_anything
    assert merge.apply_merge(outcome.merged, again).merged == outcome.merged
