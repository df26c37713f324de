"""The action plan's person responsible and next step, typed by keyboard (issues 20 and 22):
typing a name is never silently dropped."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from nasro_desktop.domain.model import ActionItem
from nasro_desktop.domain.scoring import evaluate
from nasro_desktop.ui.readiness_page import ReadinessPage
from nasro_desktop.ui.readiness_plan import PlanColumn
from tests.test_ui_pages import program, shown  # noqa: F401  (the fixture and the helper)


def _type_into_cell(qtbot, page, row, column, text, start_key=None):
    table = page.plan_table
    table.setFocus()
    table.setCurrentIndex(page.plan_model.index(row, column))
    qtbot.waitUntil(table.hasFocus, timeout=2000)
    if start_key is not None:
        qtbot.keyClick(table, start_key)
        qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit), timeout=2000)
        editor = QApplication.focusWidget()
        editor.selectAll()
        qtbot.keyClicks(editor, text)
    else:  # typing on the cell starts the editor with the first letter
        qtbot.keyClicks(table, text[0])
        qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit), timeout=2000)
        qtbot.keyClicks(QApplication.focusWidget(), text[1:])
    with qtbot.waitSignal(page.action_item_changed, timeout=2000) as blocker:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    return blocker.args[0]


def test_typing_a_person_and_a_next_step_saves_both(qtbot, program):  # noqa: F811
    form, assessment, readiness = program
    page = shown(qtbot, ReadinessPage())
    page.set_data(form, assessment, readiness)
    ids = iter(range(100, 200))

    def save(item: ActionItem) -> None:  # what session.save_action_item does, minus SQL
        if item.id is None:
            item = dataclasses.replace(item, id=next(ids))
            assessment.action_items.append(item)
        else:
            assessment.action_items[:] = [item if a.id == item.id else a
                                          for a in assessment.action_items]
        page.set_data(form, assessment, evaluate(form, assessment))

    page.action_item_changed.connect(save)
    gap = readiness.gaps[0]
    item = _type_into_cell(qtbot, page, 0, PlanColumn.PERSON, "Lt. Ana Ruiz, SRO supervisor")
    assert item.person == "Lt. Ana Ruiz, SRO supervisor" and item.standard_id == gap.standard.id
    row = page.plan_model.row_of(gap.standard.id)
    assert page.plan_model.index(row, PlanColumn.PERSON).data() == "Lt. Ana Ruiz, SRO supervisor"
    item = _type_into_cell(qtbot, page, row, PlanColumn.NEXT_STEP, "Call the academy today",
                           start_key=Qt.Key.Key_F2)
    assert item.next_step == "Call the academy today"
    assert item.person == "Lt. Ana Ruiz, SRO supervisor"  # the first edit was kept
    mine = [a for a in assessment.action_items if a.standard_id == gap.standard.id]
    assert len(mine) == 1 and mine[0].person == "Lt. Ana Ruiz, SRO supervisor"
    assert mine[0].next_step == "Call the academy today"
