"""Dates typed like a person types them, key by key, into the real fields (pytest-qt)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_ui_shell import AS_OF, start_new
from ui_support import make_window

from nasro_desktop.ui import help_dialogs
from nasro_desktop.ui.widgets import OptionalDateEdit

MARCH_15 = date(2015, 3, 15)
FORMS = ["3/15/2015", "03/15/2015", "03/15/15", "2015-03-15", "Mar 15 2015", "March 15, 2015"]


def signed_date_field(qtbot, window):
    """The MOU's signed-date question, shown (its condition answered)."""
    page_id = next(p.id for p in window.session.pages if "mou.signed_date" in p.question_ids)
    window.go_to(page_id)
    page = window.workspace.pages[page_id]
    page.block_for("mou.exists").chooser.button("yes").click()
    block = page.block_for("mou.signed_date")
    qtbot.waitUntil(block.isVisible)
    return block.date_edit


def type_into(qtbot, edit: OptionalDateEdit, text: str, *, finish: bool = True) -> None:
    edit.line.setFocus()
    edit.line.selectAll()
    qtbot.keyClick(edit.line, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit.line, text)
    if finish:
        qtbot.keyClick(edit.line, Qt.Key.Key_Tab)  # leave the field, as a person does


@pytest.mark.parametrize("text", FORMS)
def test_each_accepted_form_typed_in_an_interview_date_is_saved_as_that_date(qtbot, store, text):
    window = make_window(qtbot, store)
    start_new(window)
    edit = signed_date_field(qtbot, window)
    type_into(qtbot, edit, text)
    assert window.session.value("mou.signed_date") == MARCH_15.isoformat()
    saved = store.load_assessment(window.session.assessment_id)
    assert saved.answers["mou.signed_date"].value == MARCH_15.isoformat()
    assert edit.text() == text  # what was typed stays as typed
    assert "Sunday, March 15, 2015" in edit.feedback.text()


def test_typing_into_an_empty_date_never_gives_another_date(qtbot, store):
    """The first release turned 03/15/2015 typed into an empty field into today's date."""
    window = make_window(qtbot, store)
    start_new(window)
    edit = signed_date_field(qtbot, window)
    seen: list[object] = []
    edit.value_changed.connect(seen.append)
    type_into(qtbot, edit, "03/15/2015", finish=False)
    assert seen == [MARCH_15]  # no date on the way there (not today's, not 2020's)


def test_a_text_that_is_not_a_date_is_kept_and_changes_nothing(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    edit = signed_date_field(qtbot, window)
    type_into(qtbot, edit, "Mar 15 2015")
    type_into(qtbot, edit, "15/03/2015")  # day first: refused
    assert edit.text() == "15/03/2015"
    assert window.session.value("mou.signed_date") == MARCH_15.isoformat()
    assert "month first" in edit.feedback.text()
    assert "still Sunday, March 15, 2015" in edit.feedback.text()


def test_a_date_can_be_emptied_again(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    edit = signed_date_field(qtbot, window)
    type_into(qtbot, edit, "2015-03-15")
    type_into(qtbot, edit, "")
    assert window.session.value("mou.signed_date") is None
    assert "Not set" in edit.feedback.text() and "MM/DD/YYYY" in edit.feedback.text()


def test_the_calendar_opens_from_the_keyboard_weeks_start_on_sunday(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    edit = signed_date_field(qtbot, window)
    for key, modifier in ((Qt.Key.Key_F4, Qt.KeyboardModifier.NoModifier),
                          (Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)):
        edit.line.setFocus()
        qtbot.keyClick(edit.line, key, modifier)
        qtbot.waitUntil(lambda: edit._popup is not None and edit._popup.isVisible())
        calendar = edit.calendar
        assert calendar.firstDayOfWeek() == Qt.DayOfWeek.Sunday
        assert calendar.selectedDate().toPython() == AS_OF  # starts at the assessment date
        qtbot.keyClick(calendar.focusWidget() or calendar, Qt.Key.Key_Left)
        qtbot.keyClick(calendar.focusWidget() or calendar, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not edit._popup.isVisible())
        assert window.session.value("mou.signed_date") == date(2026, 9, 14).isoformat()
        window.session.set_answer("mou.signed_date", None)
        edit.set_date_value(None)


def test_dates_typed_in_the_officer_dialog(qtbot, store):
    from nasro_desktop.ui.profile_dialogs import OfficerDialog

    window = make_window(qtbot, store)
    start_new(window)
    dialog = OfficerDialog(window.session, None, window)
    qtbot.addWidget(dialog)
    dialog.show()
    for text in FORMS:
        edit = dialog.dates["basic_course_date"]
        type_into(qtbot, edit, text)
        assert edit.date_value() == MARCH_15, text
    assert QApplication.focusWidget() is not None


def test_the_new_assessment_date_is_typed_and_an_unreadable_one_is_refused(qtbot):
    from nasro_desktop.ui.new_assessment import NewAssessmentDialog

    dialog = NewAssessmentDialog(None, today=date(2026, 9, 15))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClicks(dialog.agency, "Millbrook Police Department")
    type_into(qtbot, dialog.as_of, "03/15/26")
    assert dialog.values()["as_of"] == MARCH_15.replace(year=2026)
    assert "2026" in dialog.title.text()
    type_into(qtbot, dialog.as_of, "31/31/2026")
    dialog.try_accept()
    assert dialog.result() == 0 and dialog.isVisible()  # not started with another date
    assert "not understood" in dialog.message.text()


def test_help_about_carries_the_disclaimer(qtbot, store):
    from nasro_desktop.domain.wording import DISCLAIMER

    window = make_window(qtbot, store)
    box = help_dialogs.about_box(window, window.store.data_dir)  # Help > About's box
    # (tests/test_licences_ui.py drives it)
    assert DISCLAIMER in box.text()
