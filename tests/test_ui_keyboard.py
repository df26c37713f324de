"""The answers by keyboard as a chief presses them (issue 22): Enter never answers for him, the
arrows pick as a radio group does, Not applicable / Met another way stop in the reason field
(on a question page and on the MOU checklist, which never moves away unasked), and the focused
question wears a frame that stands out 3:1 (sampled from the pixels)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLineEdit
from test_ui_shell import start_new
from ui_support import make_window

from nasro_desktop.domain.model import AnswerType
from nasro_desktop.ui import style
from nasro_desktop.ui.navigation import MOU_CHECKLIST


def focused():
    return QApplication.focusWidget()


def key(qtbot, k, times: int = 1) -> None:
    for _ in range(times):
        qtbot.keyClick(focused(), k)


def status_page(window):
    """The first interview page whose first two questions are status questions that offer
    Met another way (the SRO definition, 01.01.01, does not: issue 19)."""
    form = window.session.form
    for spec in window.session.pages:
        ids = [q for q in spec.question_ids
               if form.question(q).is_visible(window.session.assessment.answers)]
        if len(ids) >= 2 and all(form.question(q).type == AnswerType.STATUS
                                 and form.question(q).offers_alternate for q in ids[:2]):
            return spec
    raise AssertionError("no page with two status questions")


def test_enter_on_an_unanswered_question_moves_on_without_answering(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    spec = status_page(window)
    window.go_to(spec.id)
    page = window.workspace.pages[spec.id]
    first, second = page.visible_blocks()[:2]
    assert first.isAncestorOf(focused())
    key(qtbot, Qt.Key.Key_Return)
    assert window.session.answer(first.question.id) is None
    assert first.chooser.value() is None
    assert second.isAncestorOf(focused())


def test_arrows_pick_as_a_radio_group_does_and_space_picks_the_focused_answer(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    spec = status_page(window)
    window.go_to(spec.id)
    block = window.workspace.pages[spec.id].visible_blocks()[0]
    key(qtbot, Qt.Key.Key_Right)
    assert window.session.value(block.question.id) == "partly"
    assert focused() is block.chooser.button("partly")
    key(qtbot, Qt.Key.Key_Down)
    assert window.session.value(block.question.id) == "not_met"
    key(qtbot, Qt.Key.Key_Up, times=2)
    assert window.session.value(block.question.id) == "met"
    assert focused() is block.chooser.button("met")
    key(qtbot, Qt.Key.Key_Left)  # wraps round to the last answer, as Windows radio groups do
    last = block.chooser.buttons()[-1]
    assert focused() is last and last.isChecked()


def test_met_another_way_by_keyboard_stops_in_the_reason_field(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    spec = status_page(window)
    window.go_to(spec.id)
    first, second = window.workspace.pages[spec.id].visible_blocks()[:2]
    chooser = first.chooser
    while focused() is not chooser.button("alternate"):
        key(qtbot, Qt.Key.Key_Right)  # the arrows go past it: the keyboard stays on them
    assert window.session.value(first.question.id) == "alternate"
    assert first.na_reason.isVisible()
    key(qtbot, Qt.Key.Key_Return)  # not on to the next question: the "how" comes first
    assert focused() is first.na_reason
    assert first.na_message.isVisible()
    key(qtbot, Qt.Key.Key_Return)  # still nothing typed: it stays
    assert focused() is first.na_reason
    qtbot.keyClicks(first.na_reason, "A county deputy covers the school daily")
    key(qtbot, Qt.Key.Key_Return)
    assert second.isAncestorOf(focused())
    assert window.session.answer(first.question.id).na_reason.startswith("A county deputy")
    assert window.session.answer(second.question.id) is None
    # by mouse, the keyboard goes to the reason field at once
    qtbot.mouseClick(second.chooser.button("alternate"), Qt.MouseButton.LeftButton)
    assert focused() is second.na_reason


def _checklist(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    window.session.set_answer("mou.exists", "yes")
    window.go_to(MOU_CHECKLIST)
    checklist = window.workspace.pages[MOU_CHECKLIST]
    return window, checklist


def test_the_mou_checklist_asks_the_reason_inline_and_never_moves_away(qtbot, store):
    window, checklist = _checklist(qtbot, store)
    session = window.session
    shown = checklist.visible_choosers()
    (first_id, first), (second_id, second) = shown[:2]
    assert first.isAncestorOf(focused())
    while focused() is not first.button("alternate"):
        key(qtbot, Qt.Key.Key_Right)
    key(qtbot, Qt.Key.Key_Return)
    assert window.current_page == MOU_CHECKLIST
    row = checklist.rows[first_id]
    assert focused() is row.reason and row.reason.isVisible()
    assert "instead" in row.reason.placeholderText()
    key(qtbot, Qt.Key.Key_Return)  # no reason yet: Enter stays there and says one is needed
    assert focused() is row.reason and row.reason_message.isVisible()
    assert window.current_page == MOU_CHECKLIST
    qtbot.keyClicks(row.reason, "Covered by the county's district-wide agreement")
    key(qtbot, Qt.Key.Key_Return)
    assert window.current_page == MOU_CHECKLIST
    assert second.isAncestorOf(focused()) and second.isVisible()
    answer = session.answer(first_id)
    assert (answer.value, answer.na_reason) == (
        "alternate", "Covered by the county's district-wide agreement")
    key(qtbot, Qt.Key.Key_Return)  # Enter on the next, unanswered question answers nothing
    assert session.answer(second_id) is None
    # by mouse: Not applicable (where offered) or Met another way asks here too
    third_id, third = shown[2]
    value = "na" if "na" in [v for v, _b in third._buttons.items()] else "alternate"
    qtbot.mouseClick(third.button(value), Qt.MouseButton.LeftButton)
    assert window.current_page == MOU_CHECKLIST
    assert focused() is checklist.rows[third_id].reason
    qtbot.keyClicks(focused(), "x")
    assert session.answer(third_id).na_reason == "x"
    # no key ever reaches a page that is not on screen
    hidden = [w for w in QApplication.allWidgets()
              if isinstance(w, QLineEdit) and w.hasFocus() and not w.isVisible()]
    assert hidden == []


def _sample_frame(block) -> QColor:
    image = block.grab().toImage()
    return QColor(image.pixel(2, image.height() // 2))


def test_the_focused_question_wears_a_frame_that_stands_out(qtbot, store):
    app = QApplication.instance()
    for appearance in ("light", "dark"):
        style.set_appearance(app, appearance)
        try:
            window = make_window(qtbot, store)
            start_new(window)
            spec = status_page(window)
            window.go_to(spec.id)
            first, second = window.workspace.pages[spec.id].visible_blocks()[:2]
            key(qtbot, Qt.Key.Key_Return)  # on to the second question
            assert second.isAncestorOf(focused())
            qtbot.waitUntil(lambda b=second: bool(b.property("focusFrame")))
            assert not first.property("focusFrame")
            background = window.palette().color(QPalette.ColorRole.Window)
            ring = _sample_frame(second)
            assert style.contrast(ring, background) >= 3.0, (appearance, ring.name())
            assert style.contrast(_sample_frame(first), background) < 3.0 or \
                _sample_frame(first) != ring
            window.close()
        finally:
            style.set_appearance(app, "system")


def test_ctrl_j_with_nothing_left_says_every_question_is_answered(qtbot, store):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox
    from test_ui_home import answer_everything

    window = make_window(qtbot, store)
    start_new(window)
    answer_everything(window.session)
    window.refresh_now()
    here = window.current_page
    seen: dict = {}

    def in_box() -> None:
        box = QApplication.activeModalWidget()
        seen["box"] = isinstance(box, QMessageBox) and box.text()
        qtbot.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(100, in_box)
    qtbot.keyClick(focused() or window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "box" in seen)
    assert seen["box"] == "Every question is answered."
    assert window.current_page == here  # no silent jump


def test_ctrl_p_prints_from_the_file_menu_and_says_when_it_is_done(qtbot, store, tmp_path):
    from PySide6.QtCore import QTimer
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    from nasro_desktop.ui import report_actions
    from nasro_desktop.ui.navigation import READINESS

    window = make_window(qtbot, store)
    window.open_sample()
    menu = window.menuBar().actions()[0].menu()
    texts = [a.text().replace("&", "") for a in menu.actions()]
    assert "Print the report…" in texts and "Save the report as PDF…" in texts
    if not report_actions.printing_available():
        return
    out = tmp_path / "printed.pdf"
    seen: list = []

    def in_dialogs() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(100, in_dialogs)
            return
        seen.append(type(dialog).__name__)
        if isinstance(dialog, QPrintDialog):
            printer = dialog.printer()
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(out))
            dialog.done(QPrintDialog.DialogCode.Accepted)
            return
        qtbot.keyClick(dialog, Qt.Key.Key_Return)  # the edition: the board's
        QTimer.singleShot(200, in_dialogs)

    QTimer.singleShot(200, in_dialogs)
    qtbot.keyClick(focused() or window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page == READINESS
    page = window.workspace.pages[READINESS]
    qtbot.waitUntil(page.report.report_note.isVisible, timeout=120_000)
    assert page.report.report_note.text().startswith("✔ Printed at ")
    assert "sent to the printer" in page.report.report_note.text()
    assert out.exists() and out.stat().st_size > 1000


def test_file_save_the_report_as_pdf_saves_where_chosen(qtbot, store, tmp_path, monkeypatch):
    """File > Save the report as PDF…: the Readiness page on screen, its Save PDF report…
    clicked (the edition asked, the board texts shown, the place chosen), the file saved."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QFileDialog

    from nasro_desktop.ui import report_actions
    from nasro_desktop.ui.navigation import READINESS

    window = make_window(qtbot, store)
    window.open_sample()
    target = tmp_path / "board.pdf"
    monkeypatch.setattr(report_actions, "_last_edition", report_actions.Edition())
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), report_actions.PDF_FILTER)))
    monkeypatch.setattr(report_actions.QDesktopServices, "openUrl", staticmethod(lambda url: True))
    seen: list = []

    def in_dialogs() -> None:  # the edition (the board's), then the board texts: Enter, Enter
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            if not target.exists():  # asking, or saving: look again
                QTimer.singleShot(100, in_dialogs)
            return
        seen.append(type(dialog).__name__)
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
        QTimer.singleShot(200, in_dialogs)

    QTimer.singleShot(200, in_dialogs)
    window.pdf_action.trigger()
    assert window.current_page == READINESS
    page = window.workspace.pages[READINESS]
    qtbot.waitUntil(lambda: target.exists() and page.report.save_button.isEnabled(),
                    timeout=120_000)
    assert seen[:2] == ["EditionDialog", "BoardTextsDialog"]
    assert target.read_bytes().startswith(b"%PDF")


def test_an_explanation_too_short_to_count_is_said_and_enter_stays(qtbot, store):
    """Issue 19: Met another way counts only with an explanation the board can read; the
    window says so when the chief presses Enter on "ok", instead of moving on silently."""
    window = make_window(qtbot, store)
    start_new(window)
    spec = status_page(window)
    window.go_to(spec.id)
    first, second = window.workspace.pages[spec.id].visible_blocks()[:2]
    chooser = first.chooser
    while focused() is not chooser.button("alternate"):
        key(qtbot, Qt.Key.Key_Right)
    key(qtbot, Qt.Key.Key_Return)
    assert focused() is first.na_reason
    qtbot.keyClicks(first.na_reason, "ok")
    key(qtbot, Qt.Key.Key_Return)
    assert focused() is first.na_reason, "a two-letter explanation does not move on"
    assert first.na_message.isVisible()
    assert "does not count" in first.na_message.text() and "words" in first.na_message.text()
    qtbot.keyClicks(first.na_reason, ": a county deputy covers the school daily")
    assert not first.na_message.isVisible(), "no scolding while typing"
    key(qtbot, Qt.Key.Key_Return)
    assert second.isAncestorOf(focused())


def test_number_keys_pick_answers_and_never_act_in_a_text_field(qtbot, store):
    """1 picks the first answer, 2 the second...; said in each answer's tooltip and in the
    accessible description; a digit typed in the note or the reason field is text."""
    window = make_window(qtbot, store)
    start_new(window)
    spec = status_page(window)
    window.go_to(spec.id)
    first, second = window.workspace.pages[spec.id].visible_blocks()[:2]
    buttons = first.chooser.buttons()
    assert first.isAncestorOf(focused())
    for number, button in enumerate(buttons, start=1):
        assert f"Key {number}" in button.toolTip()
        assert f"Key {number} picks it" in button.accessibleDescription()
    assert f"Keys 1 to {len(buttons)}" in first.chooser.accessibleDescription()
    key(qtbot, Qt.Key.Key_2)
    assert buttons[1].isChecked() and focused() is buttons[1]
    assert window.session.value(first.question.id) == first.chooser.value() == "partly"
    key(qtbot, Qt.Key.Key_1)
    assert window.session.value(first.question.id) == "met"
    key(qtbot, Qt.Key.Key_9)  # no ninth answer: nothing changes
    assert window.session.value(first.question.id) == "met"
    # the keypad's digits too
    qtbot.keyClick(focused(), Qt.Key.Key_3, Qt.KeyboardModifier.KeypadModifier)
    assert window.session.value(first.question.id) == "not_met"
    # in the note, a digit is text: the answer stays
    qtbot.mouseClick(first.note.viewport(), Qt.MouseButton.LeftButton)
    assert focused() is first.note
    qtbot.keyClicks(first.note, "MOU section 4")
    qtbot.keyClick(first.note, Qt.Key.Key_2)
    assert first.note.toPlainText().endswith("42")
    assert window.session.value(first.question.id) == "not_met"
    # Met another way by its number: the keyboard goes to the reason field, where digits
    # are text too
    alternate = [b.text() for b in buttons].index(first.chooser.button("alternate").text())
    qtbot.mouseClick(first.chooser.button("met"), Qt.MouseButton.LeftButton)
    key(qtbot, getattr(Qt.Key, f"Key_{alternate + 1}"))
    assert window.session.value(first.question.id) == "alternate"
    assert focused() is first.na_reason
    qtbot.keyClicks(first.na_reason, "Deputy 1 covers the school 5 days a week")
    assert window.session.value(first.question.id) == "alternate"
    assert "5 days" in first.na_reason.text()
    assert window.session.answer(second.question.id) is None


def _removed_behind_the_window(window, data_dir) -> None:
    """The open assessment's row taken out of the data file by another program (the window
    still shows it): the next save can never succeed, and is not a full disk to retry."""
    import sqlite3

    from nasro_desktop.store.files import DB_NAME

    with sqlite3.connect(data_dir / DB_NAME) as other:
        other.execute("DELETE FROM assessments WHERE id = ?", (window.session.assessment_id,))
    other.close()


def _warning_after(qtbot, press) -> list[str]:
    """What the message box said after `press` (its OK clicked), or [] when none showed."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    said: list[str] = []

    def answer_it() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            said.extend([box.windowTitle(), box.text()])
            qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
        elif not said:
            QTimer.singleShot(50, answer_it)

    QTimer.singleShot(50, answer_it)
    press()
    qtbot.waitUntil(lambda: bool(said), timeout=5_000)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=5_000)
    return said


def test_a_checklist_answer_the_store_can_never_save_says_so_plainly(qtbot, store, data_dir):
    window, checklist = _checklist(qtbot, store)
    (first_id, first), _second = checklist.visible_choosers()[:2]
    _removed_behind_the_window(window, data_dir)
    title, text = _warning_after(qtbot, lambda: key(qtbot, Qt.Key.Key_Right))
    assert title == "Could not save this answer"
    assert "no assessment number" in text and "Traceback" not in text
    assert window.current_page == MOU_CHECKLIST  # the window carries on
    # by mouse, and the reason typed on the row, go the same way
    row = checklist.rows[first_id]
    title, _text = _warning_after(qtbot, lambda: qtbot.mouseClick(
        first.button("alternate"), Qt.MouseButton.LeftButton))
    assert title == "Could not save this answer"
    title, _text = _warning_after(qtbot, lambda: qtbot.keyClick(row.reason, "x"))
    assert title == "Could not save this answer"


def test_a_question_page_answer_the_store_can_never_save_says_so_plainly(qtbot, store,
                                                                          data_dir):
    window = make_window(qtbot, store)
    start_new(window)
    spec = status_page(window)
    window.go_to(spec.id)
    block = window.workspace.pages[spec.id].visible_blocks()[0]
    _removed_behind_the_window(window, data_dir)
    title, text = _warning_after(qtbot, lambda: key(qtbot, Qt.Key.Key_Right))
    assert title == "Could not save this answer"
    assert "no assessment number" in text
    assert block.chooser.value() == "partly"  # what was picked stays on screen
