"""Both sides of sharing, in two windows on two data folders: the chief shares, the district
answers its part and changes two of the chief's answers, sends it back, and the chief merges,
choosing by keyboard where both changed the same answer, then undoes the merge."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from ui_support import make_window

from nasro_desktop.domain.forms import current_form
from nasro_desktop.domain.model import Owner
from nasro_desktop.domain.sample import sample_assessment
from nasro_desktop.store import Store, exchange


@pytest.fixture
def stores(tmp_path):
    with Store.open(tmp_path / "chief") as chief, Store.open(tmp_path / "district") as district:
        yield chief, district


FAILED_IN_DIALOG: list[BaseException] = []


def _in_dialog(qtbot, window, name: str, act) -> None:
    """Run `act(dialog)` once the window's modal dialog `name` is up. A failure inside closes
    the dialog (the test would otherwise wait on it for ever) and fails the test at `_menu`."""
    def step() -> None:
        dialog = getattr(window, name, None)
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, step)
            return
        try:
            act(dialog)
        except BaseException as error:  # noqa: BLE001 (handed to the test, below)
            FAILED_IN_DIALOG.append(error)
            dialog.reject()

    QTimer.singleShot(0, step)


def _menu(window, key: str) -> None:
    window.share_menu.aboutToShow.emit()
    action = window.share_actions[key]
    assert action.isEnabled(), f"{action.text()} is greyed out"
    action.trigger()
    if FAILED_IN_DIALOG:
        raise FAILED_IN_DIALOG.pop()


def _choose_file(monkeypatch, path) -> None:
    """The file dialog answers `path`, as a person picking that file would."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))


def _merge_with(qtbot, monkeypatch, window, path, act) -> None:
    """Share > Merge… with `path` picked in the file dialog and `act(dialog)` done in the merge
    window."""
    _choose_file(monkeypatch, path)
    _in_dialog(qtbot, window, "merge_dialog", act)
    _menu(window, "merge")


def test_chief_and_district_share_answer_and_merge(qtbot, stores, tmp_path, monkeypatch):
    chief_store, district_store = stores
    form = current_form()
    start = sample_assessment(form)
    ours = [q.id for q in form.questions if q.standard and q.type.value == "status"
            and not q.show_if and q.party in (Owner.DISTRICT, Owner.BOTH)]
    district_part = ours[:20]
    for qid in district_part:
        start.answers.pop(qid, None)
    chiefs = [q for q in ours[20:] if start.answers.get(q) and start.answers[q].has_value
              and start.answers[q].value != "partly"][:2]  # key 2 (Partly) changes them
    assert len(chiefs) == 2
    cid = chief_store.create_assessment(start).id
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information",
                        staticmethod(lambda parent, title, text, *a: shown.append(text)))
    share_file = tmp_path / "to district.nasro-share"
    back_file = tmp_path / "back.nasro-share"

    chief = make_window(qtbot, chief_store)
    chief.open_assessment(cid)

    def name_and_enter(dialog) -> None:
        dialog.name.setFocus()
        dialog.name.selectAll()
        qtbot.keyClicks(dialog.name, "Chief Whitfield")
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)

    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(share_file), "")))
    _in_dialog(qtbot, chief, "share_dialog", name_and_enter)
    _menu(chief, "share")
    assert share_file.exists() and "Send this file" in shown[-1]

    # the district opens it in its own copy of the app
    district = make_window(qtbot, district_store)
    _choose_file(monkeypatch, share_file)
    _menu(district, "open")
    session = district.session
    assert session is not None and session.sharing["role"] == "linked"
    assert "Shared by" in district.statusBar().currentMessage()
    # the superintendent answers the district's 20 by keyboard: Ctrl+J to the next unanswered
    # question, 1 for Yes; then changes two of the chief's answers to Partly (key 2)
    left, guard = set(district_part), 0
    while left:
        guard += 1
        assert guard < 200, f"Ctrl+J never reached {sorted(left)}"
        qtbot.keyClick(QApplication.focusWidget() or district, Qt.Key.Key_J,
                       Qt.KeyboardModifier.ControlModifier)
        qid = district.workspace.current_question()
        if qid in left:
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_1)
            assert district.session.value(qid) == "met", qid
            left.discard(qid)
    for qid in chiefs:
        page = next(p.id for p in district.session.pages if qid in p.question_ids)
        district.workspace.go_to_question(page, qid)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_2)
        assert district.session.value(qid) == "partly", qid
    session = district.session
    district.share_menu.aboutToShow.emit()
    assert district.share_actions["share"].text().startswith("&Send your copy back")
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(back_file), "")))
    _in_dialog(qtbot, district, "share_dialog",
               lambda d: qtbot.keyClick(d.name, Qt.Key.Key_Return))
    _menu(district, "share")
    assert back_file.exists()

    # meanwhile the chief changed both of those answers too
    for qid in chiefs:
        chief.session.set_answer(qid, "not_met", note="chief's view")
    before = exchange.assessment_payload(chief_store.load_assessment(cid))

    def choose(dialog) -> None:
        assert dialog.table.rowCount() == 2
        assert not dialog.merge_button.isEnabled(), "nothing is merged until every choice is made"
        first, second = (dialog.choosers[f"answers:{q}"] for q in chiefs)
        first.setFocus()
        qtbot.keyClick(first, Qt.Key.Key_Down)  # Keep ours
        qtbot.keyClick(first, Qt.Key.Key_Down)  # Take theirs
        second.setFocus()
        qtbot.keyClick(second, Qt.Key.Key_Down)  # Keep ours
        assert dialog.merge_button.isEnabled()
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)

    _merge_with(qtbot, monkeypatch, chief, back_file, choose)
    merged = chief_store.load_assessment(cid)
    assert all(merged.answers[q].value == "met" for q in district_part)
    assert merged.answers[chiefs[0]].value == "partly"  # theirs, as chosen
    assert merged.answers[chiefs[1]].value == "not_met"  # ours, as chosen
    # every other answer of the chief's is there as it was
    for answer in before["answers"]:
        if answer["question_id"] not in chiefs:
            got = merged.answers[answer["question_id"]]
            assert (got.value, got.note) == (answer["value"], answer["note"]), answer
    assert chief.session.answer(chiefs[0]).value == "partly", "the window shows the merge"
    assert "Merged" in chief.statusBar().currentMessage()

    _menu(chief, "undo")
    assert exchange.assessment_payload(chief_store.load_assessment(cid)) == before
    assert chief.session.answer(chiefs[0]).value == "not_met"
    QApplication.processEvents()


def test_home_says_whose_questions_and_review_lists_one_party(qtbot, store, tmp_path,
                                                             monkeypatch):
    from nasro_desktop.domain.merge import question_party
    from nasro_desktop.store import sharing

    form = current_form()
    with Store.open(tmp_path / "chief") as chief:
        cid = chief.create_assessment(sample_assessment(form)).id
        shared = sharing.write_exchange(chief, cid, tmp_path / "s.nasro-share",
                                        party=Owner.AGENCY, name="Chief W")
    window = make_window(qtbot, store)
    _choose_file(monkeypatch, shared)
    _menu(window, "open")
    home = window.workspace.pages["home"]
    assert home.shared_label.isVisible()
    words = home.shared_label.text()
    assert words.startswith("Shared by Pine Ridge Police Department") and "for the district" in words
    assert words.endswith("> Send your copy back…")  # the menu item's own words, no "…."
    window.go_to("review")
    review = window.workspace.pages["review"]
    review.party_box.setFocus()
    all_rows = review.model.rowCount()
    qtbot.keyClick(review.party_box, Qt.Key.Key_Down)  # The agency's part
    qtbot.keyClick(review.party_box, Qt.Key.Key_Down)  # The district's part
    assert review.party_box.currentData() == "district"
    shown = review.visible_question_ids()
    assert 0 < review.model.rowCount() < all_rows
    parties = {question_party(form, q).value for q in shown if q}
    assert parties <= {"district", "both"} and "agency" not in parties
    # whose part comes from the question set: the superintendent's backing is the district's,
    # the chief's is the agency's (one standard, both sides')
    assert "admin.support.superintendent" in shown and "admin.support.agency_head" not in shown


def test_the_window_s_full_report_of_a_merged_assessment_says_who_answered(qtbot, stores,
                                                                          tmp_path, monkeypatch):
    import io

    import pypdf

    from nasro_desktop.domain.merge import Side
    from nasro_desktop.domain.model import Answer
    from nasro_desktop.store import sharing
    from nasro_desktop.ui import report_actions
    from nasro_desktop.ui.report_actions import EditionDialog

    chief_store, district_store = stores
    form = current_form()
    cid = chief_store.create_assessment(sample_assessment(form)).id
    shared = sharing.write_exchange(chief_store, cid, tmp_path / "s.x", party=Owner.AGENCY,
                                    name="Chief W")
    did = sharing.open_shared(district_store, shared, party=Owner.DISTRICT)
    district_store.save_answer(did, Answer("mou.exists", "no", note="district"))
    back = sharing.write_exchange(district_store, did, tmp_path / "b.x", party=Owner.DISTRICT,
                                  name="Dr. Lee")
    chief_store.save_answer(cid, Answer("mou.exists", "yes", note="chief"))
    sharing.merge_file(chief_store, cid, back, default=Side.OURS, form=form)
    window = make_window(qtbot, chief_store)
    window.open_assessment(cid)
    window.go_to("readiness")
    page = window.workspace.pages["readiness"]
    target = tmp_path / "full.pdf"
    monkeypatch.setattr(report_actions, "_last_edition", report_actions.Edition())
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), report_actions.PDF_FILTER)))
    monkeypatch.setattr(report_actions.QDesktopServices, "openUrl", staticmethod(lambda url: True))

    def full_edition() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, EditionDialog) and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(50, full_edition)
            return
        dialog.full.setFocus()
        qtbot.keyClick(dialog.full, Qt.Key.Key_Space)  # the full edition
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    QTimer.singleShot(50, full_edition)
    page.report.save_pdf()
    qtbot.waitUntil(target.exists, timeout=60000)
    qtbot.waitUntil(page.report.save_button.isEnabled, timeout=60000)
    words = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(target.read_bytes())).pages)
    assert "Who answered" in words and "Where the two sides disagreed" in words


def test_evidence_goes_only_when_the_chief_ticks_it(qtbot, stores, tmp_path, monkeypatch):
    import zipfile

    chief_store, district_store = stores
    cid = chief_store.create_assessment(sample_assessment()).id
    (tmp_path / "mou.pdf").write_bytes(b"%PDF the signed MOU")
    chief_store.evidence.attach(cid, tmp_path / "mou.pdf", "standard", "01.01.04")
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a: None))
    chief = make_window(qtbot, chief_store)
    chief.open_assessment(cid)
    files = {"plain": tmp_path / "plain.nasro-share", "ticked": tmp_path / "ticked.nasro-share"}

    for which, target in files.items():
        def share_it(dialog, which=which) -> None:
            box = dialog.with_evidence
            assert box.isEnabled() and not box.isChecked(), "unticked until the chief ticks it"
            assert "1 file" in box.text()
            if which == "ticked":
                box.setFocus()
                qtbot.keyClick(box, Qt.Key.Key_Space)
                assert box.isChecked()
            qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            staticmethod(lambda *a, target=target, **k: (str(target), "")))
        _in_dialog(qtbot, chief, "share_dialog", share_it)
        _menu(chief, "share")
    assert not zipfile.is_zipfile(files["plain"]) and zipfile.is_zipfile(files["ticked"])

    district = make_window(qtbot, district_store)
    _choose_file(monkeypatch, files["ticked"])
    _menu(district, "open")
    [item] = district_store.evidence.records(district.session.assessment_id)
    assert (item.file_name, item.key) == ("mou.pdf", "01.01.04")
    assert district_store.evidence.read_bytes(item.id) == b"%PDF the signed MOU"


def test_merging_a_copy_upgraded_to_newer_questions_upgrades_ours_in_the_same_step(
        qtbot, stores, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QLabel

    from nasro_desktop.domain.forms import form_registry
    from nasro_desktop.domain.model import Answer
    from nasro_desktop.store import sharing

    chief_store, district_store = stores
    v1, v2 = form_registry().get("nasro-2018", 1), form_registry().get("nasro-2018", 2)
    cid = chief_store.create_assessment(sample_assessment(v1)).id
    shared = sharing.write_exchange(chief_store, cid, tmp_path / "s.x", party=Owner.AGENCY,
                                    name="C")
    did = sharing.open_shared(district_store, shared, party=Owner.DISTRICT)
    district_store.upgrade_form(did, v2)
    district_store.save_answer(did, Answer("admin.sro.full_time_officer", "met", note="D"))
    back = sharing.write_exchange(district_store, did, tmp_path / "b.x", party=Owner.DISTRICT,
                                  name="D")
    chief = make_window(qtbot, chief_store)
    chief.open_assessment(cid)
    assert chief.session.form.version == 1
    said: list[str] = []

    def read_and_merge(dialog) -> None:
        said.extend(label.text() for label in dialog.findChildren(QLabel))
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)

    _merge_with(qtbot, monkeypatch, chief, back, read_and_merge)
    assert any("moves yours to version 2" in text for text in said)
    assert chief.session.form.version == 2, "the window is on the newer questions"
    assert chief.session.answer("admin.sro.full_time_officer").note == "D"


def test_the_district_merges_the_next_round_into_its_copy_from_open(qtbot, stores, tmp_path,
                                                                     monkeypatch):
    from nasro_desktop.domain.model import Answer
    from nasro_desktop.store import sharing

    chief_store, district_store = stores
    cid = chief_store.create_assessment(sample_assessment()).id
    r1 = sharing.write_exchange(chief_store, cid, tmp_path / "r1.x", party=Owner.AGENCY,
                                name="Chief W")
    did = sharing.open_shared(district_store, r1, party=Owner.DISTRICT)
    district_store.save_answer(did, Answer("mou.exists", "no", note="district's own"))
    chief_store.save_answer(cid, Answer("mou.signed_date", "2024-08-01"))
    r2 = sharing.write_exchange(chief_store, cid, tmp_path / "r2.x", party=Owner.AGENCY,
                                name="Chief W")
    district = make_window(qtbot, district_store)
    said: list[str] = []

    def merge_into_mine(box) -> None:
        said.append(box.text())
        into = next(b for b in box.buttons() if b.text().startswith("Merge into"))
        assert box.defaultButton() is into
        qtbot.keyClick(box, Qt.Key.Key_Return)

    def merge_it(dialog) -> None:
        said.append(dialog.windowTitle())
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)

    _choose_file(monkeypatch, r2)
    _in_dialog(qtbot, district, "next_round_box", merge_into_mine)
    _in_dialog(qtbot, district, "merge_dialog", merge_it)
    _menu(district, "open")
    assert "already have the earlier round" in said[0] and said[1] == "Merge the next round"
    assert len(district_store.list_assessments()) == 1, "the district's work stays in one copy"
    session = district.session
    assert session.assessment_id == did
    assert session.answer("mou.exists").note == "district's own"
    assert session.answer("mou.signed_date").value is not None
    assert session.sharing["round"] == 2


def test_the_window_s_workbook_says_who_answered(qtbot, stores, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from nasro_desktop.domain.merge import Side
    from nasro_desktop.domain.model import Answer
    from nasro_desktop.store import sharing

    chief_store, district_store = stores
    cid = chief_store.create_assessment(sample_assessment()).id
    shared = sharing.write_exchange(chief_store, cid, tmp_path / "s.x", party=Owner.AGENCY,
                                    name="C")
    did = sharing.open_shared(district_store, shared, party=Owner.DISTRICT)
    district_store.save_answer(did, Answer("admin.support.superintendent", "partly", note="D"))
    back = sharing.write_exchange(district_store, did, tmp_path / "b.x", party=Owner.DISTRICT,
                                  name="Dr. Lee")
    sharing.merge_file(chief_store, cid, back, default=Side.THEIRS)
    chief = make_window(qtbot, chief_store)
    chief.open_assessment(cid)
    target = tmp_path / "answers.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a, **k: None))
    chief.spreadsheet_action.trigger()
    sheet = load_workbook(target)["Answers"]
    header = [c.value for c in sheet[1]]
    rows = {r[header.index("Question ID")]: r[header.index("Answered by")]
            for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["admin.support.superintendent"] == "District — Dr. Lee"
    assert rows["admin.support.agency_head"] == "Agency — C"


def test_the_merge_window_lists_an_evidence_file_kept_as_yours(qtbot, stores, tmp_path,
                                                               monkeypatch):
    """Both sides changed a shared file's description: the window does not say "Nothing to
    merge"; its list names the file as kept yours, and Merge keeps the chief's words."""
    from PySide6.QtWidgets import QPlainTextEdit

    from nasro_desktop.store import sharing

    chief_store, district_store = stores
    cid = chief_store.create_assessment(sample_assessment()).id
    path = tmp_path / "mou.pdf"
    path.write_bytes(b"%PDF the signed MOU")
    mou = chief_store.evidence.attach(cid, path, "standard", "01.01.04")
    shared = sharing.write_exchange(chief_store, cid, tmp_path / "s.x", party=Owner.AGENCY,
                                    name="C", with_evidence=True)
    did = sharing.open_shared(district_store, shared, party=Owner.DISTRICT)
    [theirs] = district_store.evidence.records(did)
    district_store.evidence.update(theirs.id, description="the district's words")
    chief_store.evidence.update(mou.id, description="the chief's words")
    back = sharing.write_exchange(district_store, did, tmp_path / "b.x", party=Owner.DISTRICT,
                                  name="D", with_evidence=True)
    chief = make_window(qtbot, chief_store)
    chief.open_assessment(cid)
    listed: list[str] = []

    def read_and_merge(dialog) -> None:
        listed.extend(box.toPlainText() for box in dialog.findChildren(QPlainTextEdit))
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)

    _merge_with(qtbot, monkeypatch, chief, back, read_and_merge)
    assert any("kept yours" in text and "mou.pdf" in text and "the chief's words" in text
               for text in listed), listed
    [kept] = chief_store.evidence.records(cid)
    assert kept.description == "the chief's words"
