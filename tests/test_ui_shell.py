"""The guided interview window, end to end (pytest-qt, offscreen).

The interview itself is driven with key presses only: focus starts on the first answer of each
page, arrow keys pick an option, Enter chooses it and moves on, Enter on the last question of a
page goes to the next page.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QRadioButton, QSpinBox
from ui_support import make_window  # noqa: E402

from nasro_desktop.domain.dates import long_date
from nasro_desktop.domain.model import AnswerType, Officer, School
from nasro_desktop.store import Store, exchange
from nasro_desktop.ui.navigation import HOME, PROFILE, READINESS, REVIEW
from nasro_desktop.ui.widgets import OptionalDateEdit

AS_OF = date(2026, 9, 15)
DISCIPLINE = "01.01.04-discipline"


def start_new(window) -> None:
    window.create_assessment({"agency": "Millbrook Police Department",
                              "district": "Millbrook Unified School District",
                              "prepared_by": "Chief R. Okafor", "as_of": AS_OF, "title": ""})


def compliant_people(session) -> None:
    """Officers and schools that meet every date and number rule as of AS_OF."""
    for name in ("Millbrook High", "Millbrook Elementary"):
        session.save_school(School(name=name, enrollment=600, buildings=2, acreage=12.0,
                                   calls_for_service=40, sros_assigned=1,
                                   non_sworn_safety_staff=1))
    for name, school in (("Dana Ruiz", "Millbrook High"), ("Sam Okoye", "Millbrook Elementary")):
        session.save_officer(Officer(
            name=name, school=school, sworn_date=date(2012, 3, 1),
            assignment_date=date(2022, 8, 1), basic_course_date=date(2022, 6, 10),
            advanced_course_date=date(2023, 6, 12), last_annual_training=date(2026, 6, 20),
            last_rapid_deployment=date(2026, 7, 15), probation_end=date(2023, 2, 1),
            probation_review_with_school=True))


def profile_done(session) -> None:
    """The Profile answered in full: officers, schools and its facts (who took part...)."""
    from nasro_desktop.ui.home_page import open_questions

    compliant_people(session)
    for item in open_questions(session):
        if item.page_id == PROFILE:
            session.set_answer(item.question_id, "Both parties")


def focused():
    return QApplication.focusWidget()


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier, times: int = 1) -> None:
    for _ in range(times):
        widget = focused()
        assert widget is not None, "keyboard focus was lost"
        qtbot.keyClick(widget, key, modifier)


def answer_by_keys(qtbot, window, *, not_met: set[str] = frozenset()) -> None:
    """Answer every visible question from the current page to the end, by keyboard only.

    Status questions: Space picks the focused first option (Met), Enter moves on; for ids in
    `not_met`, two Right arrows pick Not met (Partly, then Not met). Yes/no: Space picks Yes.
    Dates: Up sets the assessment date. Numbers: Up arrows. Text: typed."""
    form = window.session.form
    guard = 0
    while window.current_page not in (REVIEW, READINESS):
        guard += 1
        assert guard < 2000, (window.current_page, type(focused()).__name__, getattr(focused(), "text", lambda: "")())
        page = window.workspace.pages[window.current_page]
        block = next((b for b in page.blocks if b.isAncestorOf(focused())), None)
        assert block is not None, f"no question has focus on {window.current_page}"
        question = form.question(block.question.id)
        if question.type == AnswerType.STATUS and question.id in not_met:
            press(qtbot, Qt.Key.Key_Right, times=2)
        elif isinstance(focused(), QRadioButton):
            press(qtbot, Qt.Key.Key_Space)
        elif question.type == AnswerType.DATE:
            assert isinstance(focused().parent(), OptionalDateEdit)
            press(qtbot, Qt.Key.Key_Up)
        elif question.type == AnswerType.INTEGER:
            assert isinstance(focused(), QSpinBox)
            press(qtbot, Qt.Key.Key_Up, times=13)
        elif question.type == AnswerType.TEXT:
            qtbot.keyClicks(focused(), "Millbrook PD and Millbrook USD")
        press(qtbot, Qt.Key.Key_Return)


def test_keyboard_only_interview_of_a_compliant_program_reaches_ready(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    assert window.current_page == HOME  # an assessment opens on its home page
    profile_done(window.session)
    qtbot.waitUntil(lambda: window.workspace.pages[HOME].primary.text() == "Next unanswered question")
    assert focused() is window.workspace.pages[HOME].primary
    press(qtbot, Qt.Key.Key_Return)  # the home page's one primary button
    assert window.current_page == window.session.pages[0].id
    answer_by_keys(qtbot, window)
    assert window.current_page == REVIEW
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert window.current_page == READINESS
    readiness = window.session.readiness
    assert readiness.complete, (readiness.answered, readiness.total)
    assert readiness.verdict == "ready", [r.standard.id for r in readiness.mandatory_gaps]
    qtbot.waitUntil(lambda: "✔ Ready" in window.workspace.sidebar.section_list.item(len(window.workspace.sections) - 1).text())
    # every answer reached the file
    saved = store.load_assessment(window.session.assessment_id)
    asked = {q.id for q in window.session.form.visible_questions(saved.answers)
             if q.section != "profile"}
    assert saved.answers.keys() >= asked
    assert {k: saved.answers[k].value for k in asked} == {
        k: window.session.assessment.answers[k].value for k in asked}


def test_missing_one_mandatory_mou_topic_is_not_ready_with_that_gap(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    compliant_people(window.session)
    discipline = [q.id for q in window.session.form.questions_for(DISCIPLINE)]
    window.go_to(PROFILE)
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    answer_by_keys(qtbot, window, not_met={discipline[0]})
    readiness = window.session.readiness
    assert readiness.complete
    assert readiness.verdict == "not_ready"
    assert [r.standard.id for r in readiness.mandatory_gaps] == [DISCIPLINE]
    window.go_to(READINESS)
    page = window.workspace.pages[READINESS]
    title = window.session.form.standard(DISCIPLINE).title
    texts = " ".join(w.text() for w in page.findChildren(type(window.workspace.position)))
    assert "Not ready" in texts
    model_texts = []
    from PySide6.QtWidgets import QAbstractItemView

    for view in page.findChildren(QAbstractItemView):
        model = view.model()
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                model_texts.append(str(model.index(row, column).data()))
    assert any(title in text for text in model_texts + [texts])


def test_back_next_and_sidebar_jumps_keep_every_answer(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    first = window.session.pages[0]
    window.go_to(first.id)
    page = window.workspace.pages[first.id]
    block = page.blocks[0]
    block.chooser.button("partly").click()
    qtbot.keyClicks(block.note, "Ask HR for the payroll record")
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert window.current_page == window.session.pages[2].id
    # jump through the sidebar to Training, then Readiness, then back to Administration
    for section in ("training", READINESS, "administration"):
        row = [s for s, _t in window.workspace.sections].index(section)
        window.workspace.sidebar.section_list.setCurrentRow(row)
        assert window.workspace.section_of(window.current_page) == section
    assert window.current_page == first.id
    press(qtbot, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)  # Alt+B
    assert window.current_page == PROFILE
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    block = window.workspace.pages[first.id].blocks[0]
    assert block.chooser.value() == "partly"
    assert block.note.text() == "Ask HR for the payroll record"
    answer = store.load_assessment(window.session.assessment_id).answers[block.question.id]
    assert (answer.value, answer.note) == ("partly", "Ask HR for the payroll record")


def test_conditional_questions_hide_and_come_back_with_their_answers(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    page_id = next(p.id for p in window.session.pages if "mou.exists" in p.question_ids)
    window.go_to(page_id)
    page = window.workspace.pages[page_id]
    exists, signed = page.block_for("mou.exists"), page.block_for("mou.signed_date")
    assert signed.isVisible()  # asked until the answer says there is no MOU (fail safe)
    exists.chooser.button("yes").click()
    signed.date_edit.setFocus()
    press(qtbot, Qt.Key.Key_Up)  # the assessment date
    assert window.session.value("mou.signed_date") == AS_OF.isoformat()
    exists.chooser.button("no").click()
    qtbot.waitUntil(lambda: not signed.isVisible())
    assert window.session.value("mou.signed_date") == AS_OF.isoformat()  # kept while hidden
    saved = store.load_assessment(window.session.assessment_id)
    assert saved.answers["mou.signed_date"].value == AS_OF.isoformat()
    exists.chooser.button("yes").click()
    qtbot.waitUntil(signed.isVisible)
    assert signed.date_edit.date_value() == AS_OF


def test_not_applicable_asks_for_a_reason(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    form = window.session.form
    question = next(q for q in form.questions if q.type == AnswerType.STATUS and q.na_allowed)
    strict = next(q for q in form.questions if q.type == AnswerType.STATUS and not q.na_allowed)
    window.workspace.jump_to_question(question.id)
    block = window.workspace.pages[window.current_page].block_for(question.id)
    assert not block.na_reason.isVisible()
    block.chooser.button("na").click()
    qtbot.waitUntil(block.na_reason.isVisible)
    assert block.na_message.isVisible() and "Please say why" in block.na_message.text()
    assert focused() is block.na_reason
    qtbot.keyClicks(block.na_reason, "We have no middle school")
    assert not block.na_message.isVisible()
    assert window.session.answer(question.id).na_reason == "We have no middle school"
    window.workspace.jump_to_question(strict.id)
    strict_block = window.workspace.pages[window.current_page].block_for(strict.id)
    assert "na" not in [b.text() for b in strict_block.chooser.buttons()]
    assert "Not applicable" not in [b.text() for b in strict_block.chooser.buttons()]


def test_close_and_reopen_returns_to_the_same_page_with_the_same_answers(qtbot, data_dir):
    with Store.open(data_dir) as store:
        window = make_window(qtbot, store)
        start_new(window)
        target = window.session.pages[5]
        window.go_to(target.id)
        block = window.workspace.pages[target.id].blocks[0]
        block.focus_answer()
        press(qtbot, Qt.Key.Key_Right, times=2)
        press(qtbot, Qt.Key.Key_Return)
        chosen = window.session.value(block.question.id)
        assert chosen == "not_met"
        assessment_id = window.session.assessment_id
        assert window.close()
    with Store.open(data_dir) as store:
        window = make_window(qtbot, store)
        assert window.start.model.summaries[0].id == assessment_id
        window.start.table.setFocus()
        press(qtbot, Qt.Key.Key_Return)  # Enter opens the selected assessment
        assert window.current_page == HOME
        assert window.workspace.pages[HOME].primary.text() == "Continue where you left off"
        press(qtbot, Qt.Key.Key_Return)  # the home page's primary button: back to that page
        assert window.current_page == target.id
        block = window.workspace.pages[target.id].blocks[0]
        assert block.chooser.value() == "not_met"
        assert window.workspace.sidebar.section_list.currentRow() == [s for s, _t in window.workspace.sections].index(target.section)


def test_officer_editor_refuses_future_training_and_flags_assignment_before_sworn(qtbot, store):
    from PySide6.QtWidgets import QDialogButtonBox

    from nasro_desktop.ui.profile_dialogs import OfficerDialog

    window = make_window(qtbot, store)
    start_new(window)
    dialog = OfficerDialog(window.session, None, window)
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    save.click()
    assert "Please type the officer's name." in dialog.messages.text()
    qtbot.keyClicks(dialog.name, "Dana Ruiz")
    dialog.dates["basic_course_date"].set_date_value(date(2026, 12, 1))  # after AS_OF
    save.click()
    assert dialog.result() == 0 and not window.session.assessment.officers
    assert f"The basic SRO course date ({long_date(date(2026, 12, 1))}) is after the Assessment date" \
        in dialog.messages.text()
    dialog.dates["basic_course_date"].set_date_value(date(2021, 5, 1))
    dialog.dates["sworn_date"].set_date_value(date(2020, 1, 6))
    dialog.dates["assignment_date"].set_date_value(date(2019, 8, 1))
    dialog.check()
    assert (f"⚠ The assignment date ({long_date(date(2019, 8, 1))}) is before the sworn date "
            f"({long_date(date(2020, 1, 6))})") \
        in dialog.messages.text()
    save.click()  # impossible dates need an explicit confirmation
    assert dialog.result() == 0 and not window.session.assessment.officers
    assert "tick “These dates are right”" in dialog.messages.text()
    assert dialog.confirm.isVisibleTo(dialog)
    dialog.confirm.setChecked(True)
    save.click()
    assert dialog.result() == 1
    [officer] = window.session.assessment.officers
    assert officer.name == "Dana Ruiz" and officer.assignment_date == date(2019, 8, 1)
    profile = window.workspace.page_widget(PROFILE)
    profile.refresh()
    status = profile.officer_model.index(0, len(profile.officer_model.columns) - 1).data()
    assert "before the sworn date" in status


def test_school_editor_refuses_negative_numbers_and_needs_a_name(qtbot, store):
    from PySide6.QtWidgets import QDialogButtonBox

    from nasro_desktop.ui.profile_dialogs import SchoolDialog

    window = make_window(qtbot, store)
    start_new(window)
    dialog = SchoolDialog(window.session, None, window)
    qtbot.addWidget(dialog)
    enrollment = dialog.numbers["enrollment"]
    enrollment.setFocus()
    enrollment.selectAll()
    qtbot.keyClicks(enrollment, "-40")
    enrollment.interpretText()
    assert enrollment.number() is None or enrollment.number() >= 0  # no negative number
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "Please type the school's name." in dialog.messages.text()
    qtbot.keyClicks(dialog.name, "Oak Elementary")
    enrollment.set_number(310)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == 1
    assert [(s.name, s.enrollment) for s in window.session.assessment.schools] == [
        ("Oak Elementary", 310)]


def test_start_screen_rename_delete_undo_and_sample(qtbot, store):
    window = make_window(qtbot, store)
    assert window.start.empty.isVisible() and not window.start.table.isVisible()
    window.open_sample()
    assert window.current_page == HOME
    assert "Pine Ridge" in window.session.assessment.agency
    window.show_start()
    assert window.start.model.rowCount() == 1
    summary = window.start.model.summaries[0]
    assert window.start.model.index(0, 4).data() == f"{summary.percent_answered}%"
    assert "Not ready" in window.start.model.index(0, 5).data()
    def rename_by_keyboard() -> None:
        dialog = window.start.rename_dialog
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, rename_by_keyboard)
            return
        # wide enough for a title, not clipped to the label's width; inside the screen
        assert dialog.width() >= dialog.fontMetrics().horizontalAdvance("M" * 30)
        assert dialog.frameGeometry().width() <= dialog.screen().availableGeometry().width()
        edit = dialog.findChild(QLineEdit)
        edit.selectAll()
        qtbot.keyClicks(edit, "Sample, renamed")
        qtbot.keyClick(edit, Qt.Key.Key_Return)

    QTimer.singleShot(0, rename_by_keyboard)
    qtbot.keyClick(window.start.rename_button, Qt.Key.Key_Space)
    assert store.list_assessments()[0].title == "Sample, renamed"
    window.start.delete_selected()
    assert store.list_assessments() == []
    assert window.start.undo_bar.isVisible() and "Sample, renamed" in window.start.undo_label.text()
    window.start.undo_button.click()
    assert [s.title for s in store.list_assessments()] == ["Sample, renamed"]
    assert not window.start.undo_bar.isVisible()


@pytest.fixture
def tiny_disk(tmp_path, monkeypatch):
    """A real 1 MB disk (tmpfs) that the test fills up and empties again."""
    import subprocess

    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
                            capture_output=True)
    if result.returncode != 0:
        pytest.skip("cannot mount a small disk here (needs root)")
    monkeypatch.setenv("NASRO_DATA_DIR", str(mount_point / "data"))
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_failed_save_is_said_plainly_kept_retried_and_guards_quitting(qtbot, tiny_disk):

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    from nasro_desktop.ui.main_window import SAVE_FAILED_TEXT

    with Store.open(tiny_disk / "data") as store:
        window = make_window(qtbot, store)
        start_new(window)
        first = window.session.pages[0]
        window.go_to(first.id)
        block = window.workspace.pages[first.id].blocks[0]
        with open(tiny_disk / "filler", "wb", buffering=0) as handle:  # fill the disk (unbuffered)
            try:
                while True:
                    handle.write(b"\0" * 65536)
            except OSError:
                pass
        block.note.setFocus()
        for n in range(30):
            qtbot.keyClicks(block.note, f" note {n} " + "x" * 300)
            if window.session.has_unsaved:
                break
        assert window.status_label.text() == SAVE_FAILED_TEXT
        assert "disk is full" in window.status_label.toolTip()
        assert window.retry_timer.isActive()
        typed = block.note.text()
        assert window.session.answer(block.question.id).note == typed

        # quitting now asks first; Cancel keeps the window open
        def answer_dialog() -> None:
            box = QApplication.activeModalWidget()
            assert isinstance(box, QMessageBox)
            assert "could not be saved" in box.text()
            box.button(QMessageBox.StandardButton.Cancel).click()

        QTimer.singleShot(50, answer_dialog)
        assert not window.close()
        assert window.isVisible()

        (tiny_disk / "filler").unlink()  # room again: the next retry saves everything
        window.retry_saves()
        assert not window.session.has_unsaved
        assert window.status_label.text().startswith("✔ Saved at")
        assert not window.retry_timer.isActive()
        assessment_id = window.session.assessment_id
        assert window.close()
    with Store.open(tiny_disk / "data") as store:
        assert store.load_assessment(assessment_id).answers[block.question.id].note == typed


def test_start_next_years_assessment_from_the_start_screen(qtbot, store, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    window = make_window(qtbot, store)
    start_new(window)
    window.session.set_answer("admin.sro.full_time_officer", "met", note="Payroll 2026")
    window.show_start()
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    window.start.next_year_selected()
    assert len(store.list_assessments()) == 2
    carried = window.session.answer("admin.sro.full_time_officer")
    assert window.session.assessment.as_of.year == AS_OF.year + 1 or \
        window.session.assessment.as_of >= date.today()
    assert carried.value == "met" and carried.reconfirm
    window.workspace.jump_to_question("admin.sro.full_time_officer")
    block = window.workspace.pages[window.current_page].block_for("admin.sro.full_time_officer")
    assert block.reconfirm_label.isVisible()  # asks to confirm last year's answer
    block.chooser.button("met").click()
    assert not window.session.answer("admin.sro.full_time_officer").reconfirm


def test_import_opens_a_good_file_and_refuses_a_damaged_one_plainly(qtbot, store, tmp_path,
                                                                    monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda parent, title, text, *a: shown.append((title, text))))
    window = make_window(qtbot, store)
    window.open_sample()
    exported = exchange.export_assessment(store, window.session.assessment_id, tmp_path / "pine.json")
    damaged = tmp_path / "damaged.json"
    damaged.write_bytes(exported.read_bytes()[: len(exported.read_bytes()) // 2])  # cut short
    window.show_start()
    assert window.files.import_path(damaged) is None
    [(title, text)] = shown
    assert title == "Could not import that file"
    assert "Traceback" not in text and "nothing" in text.lower()
    assert len(store.list_assessments()) == 1  # nothing was added
    from test_ui_home import answer_already_box

    answer_already_box(window, "Import as a copy")  # the same assessment is in the list
    new_id = window.files.import_path(exported)
    assert new_id is not None and window.session.assessment_id == new_id
    assert window.current_page == HOME
    assert len(store.list_assessments()) == 2


def test_a_second_copy_of_the_app_is_told_plainly(qtbot, data_dir, monkeypatch):
    import subprocess
    import sys
    from pathlib import Path

    from PySide6.QtWidgets import QMessageBox

    from nasro_desktop.ui.open_store import open_store

    helper = Path(__file__).parent / "store_helpers" / "holder.py"
    root = Path(__file__).resolve().parent.parent
    holder = subprocess.Popen([sys.executable, str(helper), str(data_dir)], stdout=subprocess.PIPE,
                              stdin=subprocess.PIPE, text=True, cwd=root,
                              env={**__import__("os").environ, "PYTHONPATH": str(root)})
    try:
        assert holder.stdout.readline().strip() == "open"
        shown = []
        monkeypatch.setattr(QMessageBox, "information",
                            staticmethod(lambda parent, title, text, *a: shown.append(text)))
        assert open_store(str(data_dir)) is None
        [text] = shown
        assert "another copy" in text.lower()
        assert "Close the other window first" in text and "Nothing was changed." in text
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    with open_store(str(data_dir)) as store:  # free again once the other copy closed
        assert store.list_assessments() == []


def test_review_jumps_to_a_question_and_readiness_edits_reach_the_action_plan(qtbot, store):
    from nasro_desktop.domain.model import ActionItem, ActionStatus, Owner

    window = make_window(qtbot, store)
    window.open_sample()
    window.go_to(REVIEW)
    review = window.workspace.pages[REVIEW]
    review.jump_requested.emit("mou.last_review_date")
    page = window.workspace.pages[window.current_page]
    block = page.block_for("mou.last_review_date")
    assert block is not None and block.isAncestorOf(focused())
    window.go_to(READINESS)
    readiness = window.workspace.pages[READINESS]
    gap = window.session.readiness.gaps[0]
    readiness.action_item_changed.emit(ActionItem(
        standard_id=gap.standard.id, next_step=gap.next_step, owner=Owner.DISTRICT,
        target_date=date(2026, 12, 1), status=ActionStatus.IN_PROGRESS))
    saved = [i for i in store.load_assessment(window.session.assessment_id).action_items
             if i.standard_id == gap.standard.id]
    assert [(i.owner, i.status) for i in saved] == [(Owner.DISTRICT, ActionStatus.IN_PROGRESS)]


def test_ctrl_s_says_everything_is_saved_and_larger_text_is_remembered(qtbot, store):
    from nasro_desktop.ui import style
    from nasro_desktop.ui.main_window import SCALE_SETTING

    window = make_window(qtbot, store)
    start_new(window)
    window.go_to(window.session.pages[0].id)
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage().startswith("All changes are saved")
    question = window.workspace.pages[window.current_page].blocks[0].text_label
    before = question.font().pointSizeF()
    try:
        press(qtbot, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)  # Ctrl+= (Ctrl++)
        assert style.current_scale() > style.NORMAL
        assert question.font().pointSizeF() > before
        assert store.get_setting(SCALE_SETTING) == style.current_scale()
        press(qtbot, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)  # Normal size
        assert question.font().pointSizeF() == pytest.approx(before)
    finally:
        style.apply(None, style.NORMAL)


def _damage(data_dir) -> None:
    path = data_dir / "nasro.db"
    raw = bytearray(path.read_bytes())
    raw[:100] = b"this is not a database any more " * 3 + b"....."  # a real damaged header
    path.write_bytes(bytes(raw))


@pytest.mark.parametrize("choice", ["Restore the newest backup", "Start with no saved assessments"])
def test_a_damaged_data_file_is_kept_and_the_user_chooses_what_next(qtbot, data_dir, choice):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    from nasro_desktop.session import Session
    from nasro_desktop.ui.open_store import open_store

    with Store.open(data_dir) as store:
        Session.open_sample(store)
        assert store.backups.auto() is not None
    _damage(data_dir)
    seen = {}

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen["text"] = box.text() + "\n" + box.informativeText()
        button = next(b for b in box.buttons() if b.text() == choice)
        button.click()

    QTimer.singleShot(100, answer)
    store = open_store(str(data_dir))
    assert store is not None
    with store:
        assert "damaged" in seen["text"] and "kept here" in seen["text"]
        assert "Traceback" not in seen["text"]
        assert list(data_dir.glob("nasro-damaged-*.db"))  # never deleted
        titles = [s.title for s in store.list_assessments()]
        if choice.startswith("Restore"):
            assert len(titles) == 1 and "Pine Ridge" in titles[0]
        else:
            assert titles == []


def test_sidebar_marks_say_answered_in_words_not_met(qtbot, store):
    window = make_window(qtbot, store)
    window.open_sample()
    texts = [window.workspace.sidebar.section_list.item(row).text() for row in range(window.workspace.sidebar.section_list.count())]
    training = next(t for t in texts if t.startswith("Training"))
    assert "✔ all answered" in training  # every training question answered...
    readiness = next(t for t in texts if t.startswith("Readiness"))
    assert "✘ Not ready" in readiness  # ...while the sample is still not ready
    assert all("done" not in t for t in texts)


def test_opening_another_assessment_lets_the_go_menu_items_of_the_last_go(qtbot, store):
    """Ctrl+W and open from the list, twice: the Go menu's section items of the assessment
    shown before are gone for good (each held that assessment's pages), and Ctrl+2 still
    goes to the section of the one open now."""
    from PySide6.QtGui import QAction

    window = make_window(qtbot, store)
    start_new(window)

    def held() -> int:
        return sum(1 for a in window.findChildren(QAction) if a.text() == "Readiness")

    assert held() == 1
    for _ in range(2):
        press(qtbot, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)  # Close this assessment
        assert window.outer.currentWidget() is window.start
        window.start.table.setFocus()
        press(qtbot, Qt.Key.Key_Return)  # open it again from the list
        assert window.outer.currentWidget() is window.workspace
        qtbot.waitUntil(lambda: held() == 1, timeout=2000)
    press(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.workspace.section_of(window.current_page) == "administration"
