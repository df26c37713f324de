"""Last year's sample and this year's assessment started from it ("Start next year's from
this…"), with real edits saved through the session: one standard newly met, one action item
closed. Shared by the Since-last-year tests of the page, the session and the report."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from nasro_desktop.domain.model import ActionItem, ActionStatus, AnswerType, Choice
from nasro_desktop.domain.results import Status, SubjectKind
from nasro_desktop.session import Session

NEXT_AS_OF = date(2027, 9, 15)


@dataclass
class NextYear:
    last: Session  # the sample, saved: last year's
    now: Session  # started from it, edited
    newly_met: str  # a standard id: not met last year, met now
    closed: ActionItem  # an action item marked done this year


def make_newly_met(session: Session) -> str:
    """Answer Yes to every deciding question of the first gap judged from questions alone, so
    that it becomes Met; its standard id."""
    form = session.form
    for result in session.readiness.results:
        if result.status not in (Status.NOT_MET, Status.PARTLY):
            continue
        if any(f.kind is not SubjectKind.QUESTION for f in result.findings):
            continue
        questions = [q for q in form.questions if q.standard == result.standard.id
                     and q.type is AnswerType.STATUS and not q.observation]
        if not questions:
            continue
        for q in questions:
            session.set_answer(q.id, Choice.MET)
        if session.readiness.result(result.standard.id).status is Status.MET:
            return result.standard.id
    raise AssertionError("the sample has no gap that Yes answers make met")


def next_year(store) -> NextYear:
    last = Session.open_sample(store)
    started = store.start_next_year(last.assessment_id, NEXT_AS_OF)
    now = Session.open(store, started.id)
    newly = make_newly_met(now)
    item = next(i for i in now.assessment.action_items if i.status is not ActionStatus.DONE)
    closed = now.save_action_item(dataclasses.replace(item, status=ActionStatus.DONE))
    assert now.save_now()
    return NextYear(last, now, newly, closed)
