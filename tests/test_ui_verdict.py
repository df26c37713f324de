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
    question = form.question("sel.youth.sros_willing")
    window.workspace.jump_to_question(question.id)
    block = window.workspace.pages[window.current_page].block_for(question.id)
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
    window.workspace.jump_to_question(observation.id)
    other = window.workspace.pages[window.current_page].block_for(observation.id)
    assert "Met another way" not in [b.text() for b in other.chooser.buttons()]


def profile_of(window):
    from nasro_desktop.ui.navigation import PROFILE

    page = window.workspace.page_widget(PROFILE)
    page.refresh()
    return page


def school_statuses(window) -> list[Status]:
    from nasro_desktop.domain.results import SubjectKind

    result = window.session.readiness.result("02.01.03")
    return [f.status for f in result.findings if f.kind is SubjectKind.SCHOOL]


def cell(model, row: int, column: str) -> str:
    names = [c.name for c in model.columns]
    return model.index(row, names.index(column)).data()


def test_officers_pick_their_schools_and_each_schools_sros_come_from_them(qtbot, store):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    from nasro_desktop.domain.model import Officer, School
    from nasro_desktop.ui.profile_dialogs import OfficerDialog, SchoolDialog

    window = make_window(qtbot, store)
    start_new(window)
    session = window.session
    for name in ("Oak Street Elementary", "Millbrook High"):
        session.save_school(School(name=name))
    session.save_officer(Officer(name="Old Data", school="Oak St. Elem."))  # free text from v1
    page = profile_of(window)
    assert cell(page.school_model, 0, "sros") == "0"
    assert "No SRO assigned" in cell(page.school_model, 0, "check")
    assert "not on the Schools list" in cell(page.officer_model, 0, "school")

    dialog = OfficerDialog(session, None, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: focused() is dialog.name)  # typing goes to the first field
    qtbot.keyClicks(focused(), "Dana Ruiz")
    picker = dialog.schools
    assert [picker.item(i).text() for i in range(picker.count())] == [
        "Oak Street Elementary", "Millbrook High"]
    for row in range(2):  # one officer serves both schools
        picker.item(row).setCheckState(Qt.CheckState.Checked)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == 1
    page.refresh()
    assert [cell(page.school_model, r, "sros") for r in range(2)] == ["1", "1"]
    assert school_statuses(window) == [Status.MET, Status.MET]
    assert "not on the Schools list" in cell(page.officer_model, 0, "school")  # still flagged

    old = session.assessment.officers[0]
    fix = OfficerDialog(session, old, window)
    qtbot.addWidget(fix)
    typed = fix.schools.item(fix.schools.count() - 1)
    assert typed.text().startswith("⚠ Oak St. Elem.") and typed.checkState() == Qt.CheckState.Checked
    typed.setCheckState(Qt.CheckState.Unchecked)
    fix.schools.item(0).setCheckState(Qt.CheckState.Checked)
    fix.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert school_statuses(window) == [Status.MET, Status.MET]
    page.refresh()
    assert cell(page.school_model, 0, "sros") == "2"

    # renaming a school keeps its officers
    oak = session.assessment.schools[0]
    rename = SchoolDialog(session, oak, window)
    qtbot.addWidget(rename)
    rename.name.setText("Oak Street School")
    rename.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert school_statuses(window) == [Status.MET, Status.MET]
    saved = store.load_assessment(session.assessment_id)
    assert all("Oak Street School" in o.school for o in saved.officers)


def test_a_double_click_opens_one_editor(qtbot, store, monkeypatch):
    from nasro_desktop.domain.model import School
    from nasro_desktop.ui import profile_page

    window = make_window(qtbot, store)
    start_new(window)
    window.session.save_school(School(name="Oak"))
    from nasro_desktop.ui.navigation import PROFILE

    window.go_to(PROFILE)
    page = profile_of(window)
    opened = []

    class Counting(profile_page.SchoolDialog):
        def exec(self):
            opened.append(self)
            return 0

    page.schools.open_dialog = lambda row: Counting(window.session, row, window)
    table = page.schools.table
    rect = table.visualRect(page.school_model.index(0, 0))
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.wait(50)
    assert len(opened) == 1
    table.setFocus()
    table.selectRow(0)
    QTest.keyClick(table, Qt.Key.Key_Return)  # Enter opens it too
    assert len(opened) == 2


def test_the_profile_cannot_blank_the_agency(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    page = profile_of(window)
    page.agency.setFocus()
    page.agency.selectAll()
    qtbot.keyClicks(page.agency, "a")
    page.agency.selectAll()
    from PySide6.QtCore import Qt

    qtbot.keyClick(page.agency, Qt.Key.Key_Delete)
    assert page.agency.text() == ""
    assert "Please type the agency's name" in page.details_message.text()
    assert window.session.assessment.agency == "a"  # the last name typed is kept
    page.agency.editingFinished.emit()
    assert page.agency.text() == "a"


def test_who_took_part_scope_and_method_are_saved_from_the_profile(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    page = profile_of(window)
    edit = page.about["profile.participants"]
    edit.setFocus()
    qtbot.keyClicks(edit, "Chief Okafor; Supt. Lee")
    window.session.save_now()
    saved = store.load_assessment(window.session.assessment_id)
    assert saved.participants == "Chief Okafor; Supt. Lee"
    # a fact about the assessment, never a question that could change the verdict
    from nasro_desktop.domain.scoring import open_questions

    about = {"profile.participants", "profile.scope", "profile.method"}
    assert not about & {q.id for q in open_questions(window.session.form, saved)}


def test_the_readiness_page_shows_the_fingerprint_the_report_prints(qtbot, store):
    import io

    from pypdf import PdfReader

    from nasro_desktop.report import render_report
    from nasro_desktop.ui.navigation import READINESS

    window = make_window(qtbot, store)
    window.open_sample()
    window.go_to(READINESS)
    page = window.workspace.page_widget(READINESS)
    qtbot.waitUntil(lambda: page.fingerprint_label.text().startswith("Data fingerprint "))
    code = page.fingerprint_label.text().removeprefix("Data fingerprint ")
    session = window.session
    pdf = render_report(session.form, session.assessment, session.readiness)
    first = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert code and code in first
    window.session.set_answer("sel.youth.willingness", "not_met")
    window.go_to(READINESS)
    qtbot.waitUntil(lambda: code not in page.fingerprint_label.text())


def test_the_as_of_date_is_typed_like_every_other_date(qtbot, store):
    from datetime import date as day

    window = make_window(qtbot, store)
    start_new(window)
    page = profile_of(window)
    page.as_of.line.setFocus()
    page.as_of.line.selectAll()
    qtbot.keyClicks(page.as_of.line, "3/15/2026")
    page.as_of.interpretText()
    assert window.session.assessment.as_of == day(2026, 3, 15)
    assert not page.as_of.allow_empty
