"""What carries over from one assessment to another: to next year's, and to a newer version of
the question set. Pure rules; the store only saves what these return."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date

from nasro_desktop.domain.evidence import Evidence, EvidenceKind
from nasro_desktop.domain.model import ActionStatus, Answer, Assessment, Form
from nasro_desktop.domain.titles import title_for_year


class CannotUpgrade(ValueError):
    """The assessment cannot move to that question set (the message says why, plainly)."""


def next_year(old: Assessment, as_of: date) -> Assessment:
    """A new, unsaved assessment carrying `old`'s facts, answers (each to be re-confirmed),
    officers, schools and unfinished action items; the title gets the new year."""
    answers = {
        qid: dataclasses.replace(answer, reconfirm=True, updated=None)
        for qid, answer in old.answers.items()
    }
    return dataclasses.replace(
        old,
        id=None,
        title=title_for_year(old.title, old.as_of.year, as_of.year),
        as_of=as_of,
        answers=answers,
        officers=[dataclasses.replace(o, id=None) for o in old.officers],
        schools=[dataclasses.replace(s, id=None) for s in old.schools],
        action_items=[
            dataclasses.replace(a, id=None) for a in old.action_items
            if a.status != ActionStatus.DONE
        ],
        last_page="",
        created=None,
        updated=None,
    )


def next_year_evidence(old: Assessment, evidence: Iterable[Evidence]) -> list[Evidence]:
    """`old`'s evidence records for next year's assessment: the same stored files; a file on an
    officer or school follows it to its new row (keyed by its place in the list, which the
    store turns into the new row id), and is dropped with it. Each keeps its date added and
    its "valid until", so a certificate that has run out is still flagged."""
    officer_place = {str(o.id): n for n, o in enumerate(old.officers)}
    school_place = {str(s.id): n for n, s in enumerate(old.schools)}
    carried: list[Evidence] = []
    for item in evidence:
        if item.kind is EvidenceKind.OFFICER or item.kind is EvidenceKind.SCHOOL:
            places = officer_place if item.kind is EvidenceKind.OFFICER else school_place
            if item.key not in places:
                continue  # the officer or school is no longer in the assessment
            item = dataclasses.replace(item, key=str(places[item.key]))
        carried.append(item)
    return carried


def check_upgrade(old: Assessment, new_form: Form) -> None:
    """Raise CannotUpgrade when `old` cannot move to `new_form` (checked before any backup)."""
    if new_form.form_id != old.form_id:
        raise CannotUpgrade(
            f"This assessment uses the question set {old.form_id!r}, not "
            f"{new_form.form_id!r}, so it can't be moved to that one."
        )
    if new_form.version < old.form_version:
        raise CannotUpgrade(
            f"This assessment already uses question set version {old.form_version}; it "
            f"can't go back to version {new_form.version}."
        )


def upgraded_answers(old: Assessment, new_form: Form) -> dict[str, Answer]:
    """`old`'s answers under `new_form`'s ids. An answer follows `replaces` (through a chain of
    versions) to a question `old` has not answered itself; where a link of the chain is
    declared `meaning_changed`, the carried answer is marked to confirm again (`reconfirm`),
    since it answered another question. Answers to ids the new form lacks are kept (not shown,
    never lost); new questions are simply unanswered."""
    replacements = new_form.replacement_map()
    moved: dict[str, Answer] = {}
    kept: dict[str, Answer] = {}
    for qid, answer in old.answers.items():
        target = qid
        seen = {qid}
        changed = False
        while not new_form.has_question(target) and target in replacements:
            previous, target = target, replacements[target]
            changed = changed or previous in new_form.question(target).meaning_changed
            if target in seen:
                break
            seen.add(target)
        if (target != qid and new_form.has_question(target) and target not in old.answers
                and target not in moved):
            moved[target] = dataclasses.replace(
                answer, question_id=target, reconfirm=answer.reconfirm or changed)
        else:
            kept[qid] = answer
    return {**kept, **moved}
