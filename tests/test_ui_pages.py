"""Review and Readiness pages, section bars (pytest-qt, offscreen).

The pages are tested standalone with a real form (`current_form()`), the real readiness
engine (`evaluate`) and either the built-in sample or a hand-made partly compliant program.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QComboBox

from nasro_desktop.domain.forms import current_form
from nasro_desktop.domain.model import (
    ActionItem,
    ActionStatus,
    Answer,
    AnswerType,
    Assessment,
    Officer,
    Owner,
    School,
)
from nasro_desktop.domain.results import Verdict
from nasro_desktop.domain.scoring import evaluate
from nasro_desktop.ui.readiness_page import ReadinessPage
from nasro_desktop.ui.readiness_plan import PlanColumn, _TargetDateEdit
from nasro_desktop.ui.readiness_verdict import mandatory_figure_text, recommended_figure_text
from nasro_desktop.ui.review_page import QUESTION_ID_ROLE, Column, ReviewPage
from nasro_desktop.ui.review_rows import Filter
from nasro_desktop.ui.section_bars import SectionBars

AS_OF = date(2026, 3, 1)
CYCLE = ["met", "met", "met", "partly", "met", "not_met", "met", None, "not_sure", "met", "met"]


def partly_compliant(form=None) -> Assessment:
    """A small program: most things met, some partly or not met, a few unanswered or flagged."""
    form = form or current_form()
    a = Assessment(
        title="Millbrook 2026",
        agency="Millbrook Police Department",
        district="Millbrook Unified School District",
        prepared_by="Chief R. Alvarez",
        as_of=AS_OF,
        form_id=form.form_id,
        form_version=form.version,
    )
    i = 0
    for q in form.questions:
        if q.type is AnswerType.STATUS:
            value = CYCLE[i % len(CYCLE)]
            i += 1
            if value is not None:
                a.answers[q.id] = Answer(
                    q.id,
                    value,
                    note="Copy in the chief's office." if i % 7 == 0 else "",
                    flagged=i % 9 == 0,
                )
        elif q.type is AnswerType.YESNO:
            a.answers[q.id] = Answer(q.id, "yes")
        elif q.type is AnswerType.DATE:
            a.answers[q.id] = Answer(q.id, "2024-08-15")
        elif q.type is AnswerType.INTEGER:
            a.answers[q.id] = Answer(q.id, 3)
    a.officers = [
        Officer(
            id=1, name="Dana Ruiz", school="Millbrook High", sworn_date=date(2015, 6, 1),
            assignment_date=date(2022, 8, 1), basic_course_date=date(2022, 6, 10),
            last_annual_training=date(2024, 9, 1), last_rapid_deployment=date(2025, 10, 1),
            probation_end=date(2023, 2, 1), probation_review_with_school=True,
        ),
        Officer(
            id=2, name="Sam Okafor", school="Millbrook Middle", sworn_date=date(2021, 1, 10),
            assignment_date=date(2023, 8, 1), last_annual_training=date(2025, 8, 20),
        ),
    ]
    a.schools = [
        School(id=1, name="Millbrook High", enrollment=900, buildings=3, sros_assigned=1),
        School(id=2, name="Millbrook Middle", enrollment=500, buildings=1, sros_assigned=1),
    ]
    return a


@pytest.fixture
def program():
    form = current_form()
    assessment = partly_compliant(form)
    return form, assessment, evaluate(form, assessment)


def shown(qtbot, widget, width=1366, height=768):
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    return widget


def column_texts(model, column) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


# --- Readiness page ------------------------------------------------------------------------


def test_readiness_shows_not_ready_and_names_each_mandatory_gap(qtbot, program):
    form, assessment, readiness = program
    assert readiness.verdict is Verdict.NOT_READY
    page = shown(qtbot, ReadinessPage())
    page.set_data(form, assessment, readiness)

    verdict = page.verdict_label.text()
    assert verdict.startswith("\u2718 ")  # a symbol, not colour alone
    gaps = readiness.mandatory_gaps
    # a short headline with the word, then each item in plain words with its number after
    assert verdict == f"\u2718 Not ready: {len(gaps)} mandatory items not met"
    items = page.verdict_list.text().splitlines()
    for line, gap in zip(items, gaps[:5], strict=False):
        assert line == (f"{gap.status.symbol} {gap.status.label}: {gap.standard.title} "
                        f"({gap.standard.number})")
    assert page.fix_button.isVisible() and page.fix_button.text() == "Fix the first item"
    assert gaps[0].standard.title in page.fix_button.accessibleDescription()
    with qtbot.waitSignal(page.fix_requested) as fix:
        qtbot.mouseClick(page.fix_button, Qt.MouseButton.LeftButton)
    assert fix.args == [gaps[0].standard.id]
    assert page.mandatory_label.text() == (
        f"Mandatory standards met: {readiness.mandatory_met} of {readiness.mandatory_total}"
    )
    assert page.recommended_label.text() == (
        f"Recommended score: {round(readiness.recommended_score)}%"
    )
    # the document's terms are explained on hover and focus
    assert "must meet" in page.mandatory_label.toolTip()  # NASRO's M and R, in the app's words
    assert "not the verdict" in page.recommended_label.toolTip()
    assert "NASRO" in page.disclaimer.text() and "legal advice" in page.disclaimer.text()
    assert gaps
    numbers = column_texts(page.gaps_model, 0)
    titles = column_texts(page.gaps_model, 1)
    statuses = column_texts(page.gaps_model, 2)
    assert [(n, t) for n, t in zip(numbers, titles, strict=True)] == [
        (g.standard.number, g.standard.title) for g in gaps
    ]
    assert statuses == [f"{g.status.symbol} {g.status.label}" for g in gaps]
    assert page.gaps_table.isVisible() and not page.no_gaps_label.isVisible()

    # One action-plan row per gap, most urgent first, with the engine's next step and owner.
    plan = page.plan_model
    assert plan.rowCount() == len(readiness.gaps)
    for row, gap in enumerate(readiness.gaps):
        assert plan.index(row, PlanColumn.STANDARD).data().startswith(
            f"{gap.standard.number} {gap.standard.title}"
        )
        assert plan.index(row, PlanColumn.NEXT_STEP).data() == gap.next_step
        assert plan.index(row, PlanColumn.OWNER).data() == gap.owner.label
    # What falls due next: "overdue" in words.
    due_states = column_texts(page.due_model, 3)
    assert len(due_states) == min(len(readiness.due_next), 12)
    for item, state in zip(readiness.due_next, due_states, strict=False):
        assert ("Overdue" in state) == item.overdue


def test_readiness_on_the_builtin_sample(qtbot):
    sample = pytest.importorskip("nasro_desktop.domain.sample")
    form = current_form()
    assessment = sample.sample_assessment(form)
    readiness = evaluate(form, assessment)
    page = shown(qtbot, ReadinessPage())
    page.set_data(form, assessment, readiness)
    assert readiness.verdict is Verdict.NOT_READY  # the sample is partly compliant
    assert "Not ready" in page.verdict_label.text()
    titles = column_texts(page.gaps_model, 1)
    for gap in readiness.mandatory_gaps:
        assert gap.standard.title in titles


def test_readiness_ready_verdict_has_word_and_tick(qtbot, program):
    form, assessment, readiness = program
    ready = dataclasses.replace(
        readiness,
        verdict=Verdict.READY,
        verdict_sentence="Ready: Millbrook Police Department meets all mandatory standards.",
        results=tuple(r for r in readiness.results if not r.is_gap),
        mandatory_met=readiness.mandatory_total,
        gaps=(),
        due_next=(),
    )
    page = shown(qtbot, ReadinessPage())
    page.set_data(form, assessment, ready)
    assert page.verdict_label.text() == "\u2714 Ready: every mandatory item is met"
    assert not page.fix_button.isVisible()
    assert page.no_gaps_label.isVisible() and not page.gaps_table.isVisible()
    assert page.no_plan_label.isVisible() and not page.plan_table.isVisible()
    assert page.no_due_label.isVisible()
    assert mandatory_figure_text(ready).endswith(f"{ready.mandatory_total} of {ready.mandatory_total}")
    assert recommended_figure_text(dataclasses.replace(ready, recommended_score=None)).endswith(
        "not scored yet"
    )


def _focus_cell(qtbot, page, row, column):
    table = page.plan_table
    table.setFocus()
    table.setCurrentIndex(page.plan_model.index(row, column))
    qtbot.waitUntil(table.hasFocus, timeout=2000)
    return table


def _editor(qtbot, kind):
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), kind), timeout=2000)
    return QApplication.focusWidget()


def test_owner_edited_by_keyboard_emits_action_item(qtbot, program):
    form, assessment, readiness = program
    page = shown(qtbot, ReadinessPage())
    page.set_data(form, assessment, readiness)
    gap = readiness.gaps[0]
    owners = list(Owner)
    expected_owner = owners[(owners.index(gap.owner) + 1) % len(owners)]
    if owners.index(gap.owner) == len(owners) - 1:  # Down on the last one stays: go Up
        expected_owner, key = owners[-2], Qt.Key.Key_Up
    else:
        key = Qt.Key.Key_Down

    table = _focus_cell(qtbot, page, 0, PlanColumn.OWNER)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    combo = _editor(qtbot, QComboBox)
    with qtbot.waitSignal(page.action_item_changed, timeout=2000) as blocker:
        qtbot.keyClick(combo, key)
        qtbot.keyClick(combo, Qt.Key.Key_Return)
    item = blocker.args[0]
    assert isinstance(item, ActionItem)
    assert item.id is None  # no action item saved for this standard yet
    assert item.standard_id == gap.standard.id
    assert item.owner is expected_owner
    assert item.status is gap.action_status
    assert item.next_step == gap.next_step
    assert page.plan_model.index(0, PlanColumn.OWNER).data() == expected_owner.label


def test_status_edited_with_enter_keeps_the_existing_item_id(qtbot, program):
    form, assessment, _ = program
    first = evaluate(form, assessment).gaps[1]
    assessment.action_items.append(
        ActionItem(id=7, standard_id=first.standard.id, next_step="Our own words.",
                   owner=Owner.AGENCY, target_date=date(2026, 6, 30), status=ActionStatus.OPEN)
    )
    readiness = evaluate(form, assessment)
    row = next(i for i, g in enumerate(readiness.gaps) if g.standard.id == first.standard.id)
    page = shown(qtbot, ReadinessPage())
    page.set_data(form, assessment, readiness)

    table = _focus_cell(qtbot, page, row, PlanColumn.STATUS)
    qtbot.keyClick(table, Qt.Key.Key_Return)  # Enter starts editing, like F2
    combo = _editor(qtbot, QComboBox)
    with qtbot.waitSignal(page.action_item_changed, timeout=2000) as blocker:
        qtbot.keyClick(combo, Qt.Key.Key_Down)  # Not started -> In progress
        qtbot.keyClick(combo, Qt.Key.Key_Enter)
    item = blocker.args[0]
    assert item.id == 7
    assert item.standard_id == first.standard.id
    assert item.status is ActionStatus.IN_PROGRESS
    assert item.next_step == "Our own words."
    assert item.owner is Owner.AGENCY
    assert item.target_date == date(2026, 6, 30)


def test_target_date_edited_and_cleared_by_keyboard(qtbot, program):
    form, assessment, readiness = program
    page = shown(qtbot, ReadinessPage())
    page.set_data(form, assessment, readiness)
    gap = readiness.gaps[2]

    table = _focus_cell(qtbot, page, 2, PlanColumn.TARGET_DATE)
    assert page.plan_model.index(2, PlanColumn.TARGET_DATE).data() == "Not set"
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = _editor(qtbot, _TargetDateEdit)
    start = readiness.as_of + timedelta(days=90)  # an empty cell starts 90 days after as-of
    with qtbot.waitSignal(page.action_item_changed, timeout=2000) as blocker:
        qtbot.keyClick(editor, Qt.Key.Key_Up)  # the day section: one day later
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    item = blocker.args[0]
    assert item.standard_id == gap.standard.id
    assert item.target_date == start + timedelta(days=1)

    qtbot.waitUntil(table.hasFocus, timeout=2000)
    with qtbot.waitSignal(page.action_item_changed, timeout=2000) as blocker:
        qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert blocker.args[0].target_date is None
    assert page.plan_model.index(2, PlanColumn.TARGET_DATE).data() == "Not set"

    # typed as people type it; a text that is not a date changes nothing
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = _editor(qtbot, _TargetDateEdit)
    with qtbot.waitSignal(page.action_item_changed, timeout=2000) as blocker:
        editor.selectAll()
        qtbot.keyClicks(editor, "3/15/2027")
        assert "Monday, March 15, 2027" in editor.toolTip()
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert blocker.args[0].target_date == date(2027, 3, 15)
    qtbot.waitUntil(table.hasFocus, timeout=2000)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = _editor(qtbot, _TargetDateEdit)
    with qtbot.assertNotEmitted(page.action_item_changed, wait=200):
        editor.selectAll()
        qtbot.keyClicks(editor, "15/03/2027")
        assert "month first" in editor.toolTip()
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert page.plan_model.row_at(2).target_date == date(2027, 3, 15)


def test_escape_cancels_an_edit_without_a_signal(qtbot, program):
    form, assessment, readiness = program
    page = shown(qtbot, ReadinessPage())
    page.set_data(form, assessment, readiness)
    table = _focus_cell(qtbot, page, 0, PlanColumn.STATUS)
    emitted = []
    page.action_item_changed.connect(emitted.append)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    combo = _editor(qtbot, QComboBox)
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.keyClick(combo, Qt.Key.Key_Escape)
    qtbot.waitUntil(table.hasFocus, timeout=2000)
    assert emitted == []
    assert page.plan_model.row_at(0).status is readiness.gaps[0].action_status


def test_edit_round_trip_like_the_main_window(qtbot, program):
    """The window saves each edit and calls set_data again; the page keeps working."""
    form, assessment, readiness = program
    page = shown(qtbot, ReadinessPage())
    page.set_data(form, assessment, readiness)
    next_id = iter(range(100, 200))

    def save(item: ActionItem) -> None:  # what session.save_action_item does, minus SQL
        if item.id is None:
            item = dataclasses.replace(item, id=next(next_id))
            assessment.action_items.append(item)
        else:
            assessment.action_items[:] = [
                item if a.id == item.id else a for a in assessment.action_items
            ]
        page.set_data(form, assessment, evaluate(form, assessment))

    page.action_item_changed.connect(save)
    gap = readiness.gaps[0]
    table = _focus_cell(qtbot, page, 0, PlanColumn.STATUS)
    for expected in (ActionStatus.IN_PROGRESS, ActionStatus.DONE):
        qtbot.keyClick(table, Qt.Key.Key_F2)
        combo = _editor(qtbot, QComboBox)
        with qtbot.waitSignal(page.action_item_changed, timeout=2000) as blocker:
            qtbot.keyClick(combo, Qt.Key.Key_Down)
            qtbot.keyClick(combo, Qt.Key.Key_Return)
        assert blocker.args[0].status is expected
        qtbot.waitUntil(table.hasFocus, timeout=2000)
    # Saved once as new, then updated under the same id: no duplicate action items.
    mine = [a for a in assessment.action_items if a.standard_id == gap.standard.id]
    assert len(mine) == 1 and mine[0].id == 100 and mine[0].status is ActionStatus.DONE
    row = page.plan_model.row_of(gap.standard.id)
    assert page.plan_model.index(row, PlanColumn.STATUS).data() == "\u2714 Done"
    assert page.plan_table.currentIndex().row() == row  # the cell stays where the user was


def test_set_data_while_hidden_is_applied_when_shown(qtbot, program):
    form, assessment, readiness = program
    page = ReadinessPage()
    qtbot.addWidget(page)
    page.set_data(form, assessment, readiness)  # hidden: nothing is laid out yet
    assert page.plan_model.rowCount() == 0
    assert page.report.save_button.isEnabled()  # the data is there, for the report too
    page.show()
    qtbot.waitExposed(page)
    assert page.plan_model.rowCount() == len(readiness.gaps)
    review = ReviewPage()
    qtbot.addWidget(review)
    review.set_data(form, assessment, readiness)
    assert review.model.rowCount() == 0
    assert review.counts()[Filter.ALL] == len(form.visible_questions(assessment.answers))


def test_set_data_again_keeps_the_current_plan_cell(qtbot, program):
    form, assessment, readiness = program
    page = shown(qtbot, ReadinessPage())
    page.set_data(form, assessment, readiness)
    target = readiness.gaps[3].standard.id
    page.plan_table.setCurrentIndex(page.plan_model.index(3, PlanColumn.TARGET_DATE))
    page.set_data(form, assessment, evaluate(form, assessment))
    current = page.plan_table.currentIndex()
    assert current.column() == PlanColumn.TARGET_DATE
    assert page.plan_model.row_at(current.row()).gap.standard.id == target


def test_report_buttons_follow_what_is_available(qtbot, program):
    form, assessment, readiness = program
    page = shown(qtbot, ReadinessPage())
    assert not page.report.save_button.isEnabled()  # no assessment yet
    assert not page.report.export_button.isEnabled()
    page.set_data(form, assessment, readiness)
    assert page.report.save_button.isEnabled()
    assert page.report.export_button.isEnabled()
    for button in (page.report.save_button, page.report.print_button, page.report.export_button):
        assert button.accessibleName()
    with qtbot.waitSignal(page.export_requested, timeout=1000):
        qtbot.mouseClick(page.report.export_button, Qt.MouseButton.LeftButton)


# --- Section bars --------------------------------------------------------------------------


def test_section_bars_paint_and_describe_the_figures(qtbot, program):
    _form, _assessment, readiness = program
    bars = SectionBars()
    qtbot.addWidget(bars)
    bars.set_figures(readiness.sections)
    bars.resize(900, bars.sizeHint().height())
    image = bars.grab().toImage()
    assert not image.isNull() and image.height() >= bars.sizeHint().height()
    # Not blank: the bar fill (palette highlight) and text are actually painted.
    fill = bars.palette().color(bars.palette().ColorRole.Highlight)
    colours = set()
    highlighted = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 3):
            pixel = QColor(image.pixel(x, y))
            colours.add(pixel.rgb())
            highlighted += pixel.rgb() == fill.rgb()
    assert len(colours) > 10
    assert highlighted > 50

    description = bars.accessibleDescription()
    for figure in readiness.sections:
        assert figure.section.title in description
        if figure.mandatory_total:
            assert f"{figure.mandatory_met} of {figure.mandatory_total} mandatory standards met" in description
        if figure.recommended_score is not None:
            assert f"recommended score {round(figure.recommended_score)}%" in description
        assert f"{figure.answered} of {figure.total} questions answered" in description


def test_section_bars_empty_and_larger_text(qtbot, program):
    _form, _assessment, readiness = program
    bars = SectionBars()
    qtbot.addWidget(bars)
    assert "No section figures" in bars.accessibleDescription()
    assert not bars.grab().toImage().isNull()
    bars.set_figures(readiness.sections)
    small = bars.sizeHint().height()
    font = bars.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    bars.setFont(font)
    assert bars.sizeHint().height() > small  # text scales, nothing is clipped


# --- Review page ---------------------------------------------------------------------------


def test_review_filters_give_the_right_counts(qtbot, program):
    form, assessment, readiness = program
    page = shown(qtbot, ReviewPage())
    page.set_data(form, assessment, readiness)

    visible = form.visible_questions(assessment.answers)
    unanswered = [
        q.id for q in visible
        if q.type not in (AnswerType.OFFICERS, AnswerType.SCHOOLS)
        and not (q.id in assessment.answers and assessment.answers[q.id].has_value)
    ]
    not_met = [q.id for q in visible if assessment.value(q.id) in ("not_met", "partly")]
    flagged = [q.id for q in visible if q.id in assessment.answers and assessment.answers[q.id].flagged]
    assert unanswered and not_met and flagged

    assert page.counts() == {
        Filter.ALL: len(visible),
        Filter.UNANSWERED: len(unanswered),
        Filter.NOT_MET: len(not_met),
        Filter.FLAGGED: len(flagged),
        Filter.TO_CONFIRM: 0,
    }
    assert page.filter_buttons[Filter.UNANSWERED].text().endswith(f"({len(unanswered)})")

    assert page.visible_question_ids() == [q.id for q in visible]
    qtbot.mouseClick(page.filter_buttons[Filter.UNANSWERED], Qt.MouseButton.LeftButton)
    assert page.visible_question_ids() == unanswered
    qtbot.mouseClick(page.filter_buttons[Filter.NOT_MET], Qt.MouseButton.LeftButton)
    assert page.visible_question_ids() == not_met
    page.set_filter(Filter.FLAGGED)
    assert page.visible_question_ids() == flagged
    assert page.filter_buttons[Filter.FLAGGED].isChecked()
    # Every flagged row says so in words.
    for r in range(page.model.rowCount()):
        assert "For review" in page.model.index(r, Column.FLAG).data()


def test_review_rows_show_answers_in_words(qtbot, program):
    form, assessment, readiness = program
    page = shown(qtbot, ReviewPage())
    page.set_data(form, assessment, readiness)
    rows = {r.question_id: r for r in page.model.rows()}
    officers_q = next(q for q in form.questions if q.type is AnswerType.OFFICERS)
    assert rows[officers_q.id].answer == "2 officers listed"
    met_q = next(q for q in form.questions if assessment.value(q.id) == "met")
    assert rows[met_q.id].answer == "\u2714 Yes"
    missing = next(q for q in form.questions if q.type is AnswerType.STATUS and q.id not in assessment.answers)
    assert "Not answered" in rows[missing.id].answer
    date_q = next(q for q in form.questions if q.type is AnswerType.DATE)
    assert rows[date_q.id].answer == "August 15, 2024"


def test_review_enter_and_double_click_emit_jump_requested(qtbot, program):
    form, assessment, readiness = program
    page = shown(qtbot, ReviewPage())
    page.set_data(form, assessment, readiness)
    page.set_filter(Filter.NOT_MET)
    table = page.table
    table.setFocus()
    qtbot.waitUntil(table.hasFocus, timeout=2000)
    index = page.model.index(2, Column.QUESTION)
    table.setCurrentIndex(index)
    expected = index.data(QUESTION_ID_ROLE)
    with qtbot.waitSignal(page.jump_requested, timeout=1000) as blocker:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert blocker.args == [expected]

    qtbot.keyClick(table, Qt.Key.Key_Down)
    below = page.current_question_id()
    assert below != expected
    with qtbot.waitSignal(page.jump_requested, timeout=1000) as blocker:
        qtbot.keyClick(table, Qt.Key.Key_Enter)
    assert blocker.args == [below]

    top = page.model.index(0, Column.QUESTION)
    table.scrollTo(top)
    rect = table.visualRect(top)
    first = top.data(QUESTION_ID_ROLE)
    # A real double-click is a press/release followed by a double-click event.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(page.jump_requested, timeout=1000) as blocker:
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [first]

    with qtbot.waitSignal(page.jump_requested, timeout=1000) as blocker:
        qtbot.mouseClick(page.jump_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [page.current_question_id()]


def test_review_filter_with_nothing_says_so(qtbot, program):
    form, _assessment, readiness = program
    empty = Assessment(form_id=form.form_id, form_version=form.version, as_of=AS_OF)
    page = shown(qtbot, ReviewPage())
    page.set_data(form, empty, evaluate(form, empty))
    page.set_filter(Filter.FLAGGED)
    assert page.model.rowCount() == 0
    assert page.empty_label.isVisible()
    assert "No question is marked" in page.empty_label.text()
    assert not page.jump_button.isEnabled()


def test_readiness_page_is_walkable_by_tab(qtbot, program):
    form, assessment, readiness = program
    page = shown(qtbot, ReadinessPage())
    page.set_data(form, assessment, readiness)
    page.report.paper_combo.setFocus()
    qtbot.waitUntil(page.report.paper_combo.hasFocus, timeout=2000)
    order = []
    for _ in range(12):
        order.append(QApplication.focusWidget())
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    report = page.report
    expected = [report.paper_combo, report.save_button, report.print_button, report.export_button,
                page.bars, page.gaps_table, page.plan_table, page.due_table]
    enabled = [w for w in expected if w.isEnabled()]
    positions = [order.index(w) for w in enabled]
    assert positions == sorted(positions)  # visited, in reading order
    for widget in enabled:
        assert widget.accessibleName(), widget


def test_removing_an_officer_on_the_profile_updates_the_schools_it_served(qtbot, store,
                                                                          monkeypatch):
    """Remove (after Yes) takes the officer off the list and the school's SRO count and check
    follow at once, as they do after an edit; No removes nothing."""
    from PySide6.QtWidgets import QMessageBox
    from ui_support import make_window

    from nasro_desktop.ui.page import PROFILE

    window = make_window(qtbot, store)
    window.open_sample()
    window.go_to(PROFILE)
    page = window.workspace.pages[PROFILE]
    officers = list(window.session.assessment.officers)
    served = next(o for o in officers if o.school)
    school_row = next(i for i, s in enumerate(window.session.assessment.schools)
                      if s.name == served.school.split(";")[0].strip())
    sros = page.school_model.index(school_row, 5)
    before = int(sros.data())
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: next(answers)))
    page.officers.table.selectRow(officers.index(served))
    for _ in range(2):  # No, then Yes
        qtbot.mouseClick(page.officers.remove_button, Qt.MouseButton.LeftButton)
    assert served not in window.session.assessment.officers
    assert page.officer_model.rowCount() == len(officers) - 1
    assert int(page.school_model.index(school_row, 5).data()) == before - 1


def test_the_bi_annual_reading_is_chosen_on_the_profile_and_judged_by(qtbot, store):
    """A click (or Space) on the other reading of "bi-annual" saves it, and the verdict is
    judged by it from then on."""
    from ui_support import make_window

    from nasro_desktop.domain.model import RapidDeploymentReading
    from nasro_desktop.ui.page import PROFILE

    window = make_window(qtbot, store)
    window.open_sample()
    window.go_to(PROFILE)
    page = window.workspace.pages[PROFILE]
    now = RapidDeploymentReading(window.session.assessment.rapid_deployment_reading)
    other = next(r for r in RapidDeploymentReading if r is not now)
    qtbot.mouseClick(page.reading_buttons[other.value], Qt.MouseButton.LeftButton)
    assert window.session.assessment.rapid_deployment_reading == other.value
    assert other.label in window.session.readiness.rapid_deployment_reading
    saved = store.load_assessment(window.session.assessment_id)
    assert saved.rapid_deployment_reading == other.value
