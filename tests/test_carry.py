"""What carries over to next year's assessment and to a newer question set (domain/carry.py),
without a store."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from nasro_desktop.domain.carry import (
    CannotUpgrade,
    check_upgrade,
    next_year,
    upgraded_answers,
)
from nasro_desktop.domain.forms import form_registry
from nasro_desktop.domain.model import ActionStatus, Answer, Choice
from nasro_desktop.domain.sample import sample_assessment
from nasro_desktop.domain.titles import title_for_year


def test_next_year_asks_every_answer_again_and_drops_finished_action_items():
    form = form_registry().get("nasro-2018", 2)
    old = sample_assessment(form)
    done = dataclasses.replace(old.action_items[0], status=ActionStatus.DONE)
    old = dataclasses.replace(old, id=7, title="Millbrook 2025-26 review", as_of=date(2026, 3, 1),
                              action_items=[done, *old.action_items[1:]])
    assert len(old.action_items) > 1
    new = next_year(old, date(2027, 3, 1))
    assert new.id is None and new.as_of == date(2027, 3, 1)
    assert new.title == "Millbrook 2026-27 review"
    assert set(new.answers) == set(old.answers)
    assert all(a.reconfirm and a.updated is None for a in new.answers.values())
    assert [o.name for o in new.officers] == [o.name for o in old.officers]
    assert all(o.id is None for o in new.officers) and all(s.id is None for s in new.schools)
    assert all(a.status != ActionStatus.DONE for a in new.action_items)
    assert len(new.action_items) == sum(a.status != ActionStatus.DONE for a in old.action_items)
    assert old.answers[next(iter(old.answers))].reconfirm is False  # the old one is untouched


@pytest.mark.parametrize(("title", "expected"), [
    ("Review 2025", "Review 2026"),
    ("2025-26 review", "2026-27 review"),
    ("2025/26 review", "2026/27 review"),
    ("2023-24 review", "2023-24 review 2026"),  # another year: left alone
    ("Review 2025 (draft 2019-20 plan)", "Review 2026 (draft 2019-20 plan)"),
    ("Annual review", "Annual review 2026"),
    ("", "2026"),
])
def test_next_years_title(title, expected):
    assert title_for_year(title, 2025, 2026) == expected


def test_a_school_year_moves_on_from_either_of_its_calendar_years():
    assert title_for_year("2025-26 review", 2026, 2027) == "2026-27 review"  # as of spring
    assert title_for_year("1999-00 review", 2000, 2001) == "2000-01 review"


def test_an_upgrade_to_another_set_or_an_older_version_is_refused():
    registry = form_registry()
    v1, v2 = registry.get("nasro-2018", 1), registry.get("nasro-2018", 2)
    on_v2 = sample_assessment(v2)
    with pytest.raises(CannotUpgrade, match="can't go back to version 1"):
        check_upgrade(on_v2, v1)
    with pytest.raises(CannotUpgrade, match="can't be moved to that one"):
        check_upgrade(on_v2, dataclasses.replace(v2, form_id="another-set"))
    check_upgrade(sample_assessment(v1), v2)  # the one allowed direction


def test_answers_follow_replaces_and_nothing_is_dropped():
    registry = form_registry()
    v1, v2 = registry.get("nasro-2018", 1), registry.get("nasro-2018", 2)
    old = dataclasses.replace(sample_assessment(v1), answers={
        "admin.sro.full_time": Answer("admin.sro.full_time", Choice.PARTLY.value, note="shifts"),
        "no.such.question": Answer("no.such.question", Choice.MET.value),
    })
    answers = upgraded_answers(old, v2)
    moved = answers["admin.sro.full_time_officer"]
    assert (moved.question_id, moved.value, moved.note) == \
        ("admin.sro.full_time_officer", "partly", "shifts")
    assert "admin.sro.full_time" not in answers
    assert answers["no.such.question"].value == Choice.MET.value  # kept, never lost


def test_an_answer_already_given_under_the_new_id_wins():
    registry = form_registry()
    v1, v2 = registry.get("nasro-2018", 1), registry.get("nasro-2018", 2)
    old = dataclasses.replace(sample_assessment(v1), answers={
        "admin.sro.full_time": Answer("admin.sro.full_time", Choice.PARTLY.value),
        "admin.sro.full_time_officer": Answer("admin.sro.full_time_officer", Choice.MET.value),
    })
    answers = upgraded_answers(old, v2)
    assert answers["admin.sro.full_time_officer"].value == Choice.MET.value
    assert answers["admin.sro.full_time"].value == Choice.PARTLY.value  # kept, not shown
