"""Issue 8 in the window: Met another way asks for its explanation; the Profile links officers
to schools and counts each school's SROs from them; impossible dates need a confirmation."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QApplication
from ui_support import make_window  # noqa: E402

from nasro_desktop.domain.model import AnswerType
from nasro_desktop.domain.results import Status


def start_new(window) -> None:
    window.create_assessment({"agency": "Millbrook Police Department",
                              "district": "Millbrook Unified School District",
                              "prepared_by": "Chief R. Okafor", "as_of": date(2026, 9, 15),
                              "title": ""})


def focused():
    return QApplication.focusWidget()


def test_met_another_way_asks_for_an_explanation_that_counts(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    form = window.session.form
    question = form.question("sel.youth.willingness")
    window.jump_to_question(question.id)
    block = window.pages[window.current_page].block_for(question.id)
    labels = [b.text() for b in block.chooser.buttons()]
    assert labels[:5] == ["Yes", "Partly", "No", "Not sure", "Met another way"]
    block.chooser.button("alternate").click()
    qtbot.waitUntil(block.na_reason.isVisible)
    assert "another way" in block.na_label.text()
    assert "describe the practice" in block.na_message.text()
    assert focused() is block.na_reason
    assert window.session.readiness.result("02.01.05").status is Status.UNKNOWN
    qtbot.keyClicks(block.na_reason, "Candidates shadow an SRO for a week")
    assert window.session.readiness.result("02.01.05").status is Status.MET
    observation = next(q for q in form.questions if q.observation and q.type is AnswerType.STATUS)
    window.jump_to_question(observation.id)
    other = window.pages[window.current_page].block_for(observation.id)
    assert "Met another way" not in [b.text() for b in other.chooser.buttons()]
