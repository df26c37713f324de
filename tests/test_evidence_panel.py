"""The evidence panel in the interview page's help panel, with real files: Add (through the
worker thread), drag and drop, Open (a private copy), Save a copy, Remove and Undo, the
description and "valid until" fields, and the keyboard."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from nasro_desktop.session import Session
from nasro_desktop.store import evidence as ev
from nasro_desktop.ui.evidence_panel import EvidencePanel
from nasro_desktop.ui.interview_page import InterviewPage


def _pdf(path: Path, text: str = "signed", size: int = 2000) -> Path:
    path.write_bytes(b"%PDF-1.4\n% " + text.encode() + b"\n" + os.urandom(size) + b"%%EOF\n")
    return path


@pytest.fixture
def page(qtbot, store):
    session = Session.open_sample(store)
    spec = next(p for p in session.pages if p.standard_id
                and session.form.standard(p.standard_id).number == "01.01.04")
    widget = InterviewPage(spec, session)
    qtbot.addWidget(widget)
    widget.resize(1200, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_help_panel_lists_and_attaches_evidence_for_its_standard(page, store, tmp_path):
    panel: EvidencePanel = page.evidence_files
    assert page.help.isAncestorOf(panel)
    assert panel.accessibleName() == "Evidence files for standard 01.01.04"
    assert panel.list.count() == 0 and not panel.open_button.isEnabled()
    mou = _pdf(tmp_path / "Signed MOU.pdf")
    panel.attach_paths([mou], wait=True)
    assert panel.list.count() == 1
    assert "Signed MOU.pdf" in panel.list.item(0).text()
    assert panel.message.text().startswith("✔ Attached Signed MOU.pdf")
    (item,) = store.evidence.records(page.session.assessment_id, "standard", page.standard.id)
    assert item.standard_id == page.standard.id
    assert store.evidence.read_bytes(item.id) == mou.read_bytes()
    for button in (panel.add_button, panel.open_button, panel.save_button,
                   panel.remove_button):
        assert button.accessibleName() and button.isEnabled()


def test_every_change_to_a_file_goes_through_the_session_and_is_told(page, tmp_path, qtbot):
    """Attach, describe, date, remove and put back: each is one change the session tells its
    listeners (the window judges again: a certificate's expiry may fall due)."""
    from nasro_desktop.events import ChangeKind, SessionEvent

    heard: list[ChangeKind] = []
    page.session.add_listener(lambda event, what: heard.append(what.kind)
                              if event is SessionEvent.CHANGED else None)
    panel: EvidencePanel = page.evidence_files
    panel.attach_paths([_pdf(tmp_path / "Signed MOU.pdf")], wait=True)
    assert heard == [ChangeKind.EVIDENCE]
    panel.list.setFocus()
    panel.list.setCurrentRow(0)
    qtbot.keyClicks(panel.description, "The signed copy")
    qtbot.keyClick(panel.description, Qt.Key.Key_Return)
    qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
    qtbot.mouseClick(panel.undo_button, Qt.MouseButton.LeftButton)
    assert heard.count(ChangeKind.EVIDENCE) >= 4
    assert set(heard) == {ChangeKind.EVIDENCE}
    (item,) = page.session.store.evidence.records(page.session.assessment_id, "standard",
                                               page.standard.id)
    assert item.description == "The signed copy"


def test_refusals_are_said_in_the_panel(page, tmp_path):
    panel = page.evidence_files
    folder = tmp_path / "Scans"
    folder.mkdir()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    panel.attach_paths([folder], wait=True)
    assert panel.message.text().startswith("✘ Scans is a folder")
    panel.attach_paths([fifo], wait=True)
    assert "not an ordinary file" in panel.message.text()
    assert panel.list.count() == 0


def test_dropping_files_attaches_them(page, tmp_path, qtbot):
    panel = page.evidence_files
    files = [_pdf(tmp_path / "roster.pdf", "roster"), _pdf(tmp_path / "cert.pdf", "cert")]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(panel.rect().center(), actions, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(panel, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(panel.rect().center()), actions, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(panel, drop)
    qtbot.waitUntil(lambda: panel.list.count() == 2, timeout=10_000)
    names = sorted(panel.list.item(i).text().split("\n")[0] for i in range(2))
    assert names == ["cert.pdf", "roster.pdf"]
    web = QMimeData()
    web.setUrls([QUrl("https://example.org/x.pdf")])
    refused = QDragEnterEvent(panel.rect().center(), actions, web, Qt.MouseButton.LeftButton,
                              Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(panel, refused)
    assert not refused.isAccepted()


def test_open_with_no_program_for_the_file_says_so_and_where_the_copy_is(page, tmp_path,
                                                                          qtbot):
    """Enter on a file no program on this computer opens: no "✔ Opened", but where the
    private copy is and what to do (as Save PDF report says when no PDF viewer opens it)."""
    panel = page.evidence_files
    asked: list[QUrl] = []
    panel.open_url = lambda url: asked.append(url) or False  # QDesktopServices found none
    panel.attach_paths([_pdf(tmp_path / "roster.pdf", "roster")], wait=True)
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    assert len(asked) == 1
    words = panel.message.text()
    assert not words.startswith("✔") and "No program" in words
    assert str(Path(asked[0].toLocalFile()).parent) in words


def test_open_save_remove_undo_and_details_from_the_keyboard(page, store, tmp_path, qtbot):
    panel = page.evidence_files
    opened: list[QUrl] = []
    panel.open_url = opened.append
    src = _pdf(tmp_path / "training.pdf", "training")
    panel.attach_paths([src], wait=True)
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    assert len(opened) == 1
    copy = Path(opened[0].toLocalFile())
    assert copy.read_bytes() == src.read_bytes() and copy.parent != src.parent
    assert copy.parent.stat().st_mode & 0o077 == 0

    out = tmp_path / "out"
    out.mkdir()
    panel.save_copy_to(out)
    assert (out / "training.pdf").read_bytes() == src.read_bytes()

    page.activateWindow()
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is panel.description
    qtbot.keyClick(panel.description, Qt.Key.Key_Tab)
    assert panel.valid_until.isAncestorOf(QApplication.focusWidget())  # the date's text box
    after = panel.valid_until.nextInFocusChain()  # (Tab inside the date moves its sections)
    while panel.valid_until.isAncestorOf(after) or after.focusPolicy() == Qt.FocusPolicy.NoFocus:
        after = after.nextInFocusChain()
    assert after is panel.add_button
    panel.description.setFocus()
    qtbot.keyClicks(panel.description, "Annual training log")
    qtbot.keyClick(panel.description, Qt.Key.Key_Tab)
    (item,) = store.evidence.records(page.session.assessment_id)
    assert item.description == "Annual training log"
    assert panel.list.item(0).text().startswith("Annual training log (training.pdf)")
    panel.valid_until.line.setText("1/31/2026")
    panel.valid_until.interpretText()
    assert store.evidence.get(item.id).valid_until == date(2026, 1, 31)
    assert "✘ expired" in panel.list.item(0).text()  # the sample is as of a later date

    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
    assert panel.list.count() == 0 and panel.undo_button.isVisible()
    assert store.evidence.records(page.session.assessment_id, removed=True)[0].id == item.id
    qtbot.mouseClick(panel.undo_button, Qt.MouseButton.LeftButton)
    assert panel.list.count() == 1 and not panel.undo_button.isVisible()


def test_a_damaged_stored_file_is_refused_when_opened(page, store, tmp_path):
    panel = page.evidence_files
    opened: list[QUrl] = []
    panel.open_url = opened.append
    panel.attach_paths([_pdf(tmp_path / "mou.pdf")], wait=True)
    (item,) = store.evidence.records(page.session.assessment_id)
    blob = ev.blob_path(store.data_dir, item.sha256)
    blob.chmod(0o600)
    blob.write_bytes(b"%PDF-1.4 something else")
    panel.open_selected()
    assert opened == [] and panel.message.text().startswith("✘ The saved copy of mou.pdf")


def test_screenshot(page, tmp_path):
    panel = page.evidence_files
    panel.attach_paths([_pdf(tmp_path / "Signed MOU 2026.pdf")], wait=True)
    panel.description.setText("MOU signed by chief and superintendent")
    panel.description.editingFinished.emit()
    out = Path(os.environ.get("NASRO_SHOTS", tmp_path)) / "evidence_panel.png"
    assert page.grab().save(str(out))


def test_the_window_s_report_carries_the_evidence(qtbot, store, tmp_path):
    """Attach in the window, then Save PDF report from the Readiness page: the board edition
    counts the file."""
    import io
    import re

    import pypdf
    from ui_support import make_window

    window = make_window(qtbot, store)
    session = Session.open_sample(store)
    window.open_assessment(session.assessment_id)
    spec = next(p for p in window.session.pages if p.standard_id
                and window.session.form.standard(p.standard_id).number == "01.01.04")
    window.go_to(spec.id)
    window.workspace.page_widget(spec.id).evidence_files.attach_paths([_pdf(tmp_path / "MOU.pdf")],
                                                            wait=True)
    window.go_to("readiness")
    page = window.workspace.page_widget("readiness")
    target = tmp_path / "board.pdf"
    page.report.save_pdf(str(target))
    qtbot.waitUntil(page.report.save_button.isEnabled, timeout=30_000)
    reader = pypdf.PdfReader(io.BytesIO(target.read_bytes()))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    assert "Evidence on file" in text and "1 file kept as proof" in text


def test_a_certificate_attached_to_an_officer(qtbot, store, tmp_path):
    from nasro_desktop.ui.profile_dialogs import OfficerDialog

    session = Session.open_sample(store)
    officer = session.assessment.officers[0]
    dialog = OfficerDialog(session, officer)
    qtbot.addWidget(dialog)
    dialog.show()
    panel = dialog.evidence_files
    assert panel.accessibleName() == f"Evidence files for {officer.name}"
    cert = _pdf(tmp_path / "basic course certificate.pdf", "cert")
    panel.attach_paths([cert], wait=True)
    panel.valid_until.line.setText("6/30/2027")  # typed as a person types it
    panel.valid_until.interpretText()
    (item,) = store.evidence.records(session.assessment_id, "officer", str(officer.id))
    assert item.file_name == cert.name and item.valid_until == date(2027, 6, 30)
    assert store.evidence.read_bytes(item.id) == cert.read_bytes()
    dialog.grab().save(str(Path(os.environ.get("NASRO_SHOTS", tmp_path)) / "officer.png"))
    new = OfficerDialog(session, None)  # a new officer has no row yet: no panel
    qtbot.addWidget(new)
    assert not hasattr(new, "evidence_files")


def test_closing_the_dialog_while_a_file_is_copied_in_still_keeps_it(qtbot, store, tmp_path):
    from nasro_desktop.ui.tasks import running_tasks

    session = Session.open_sample(store)
    panel = EvidencePanel(session, "school", "1", as_of=date(2026, 9, 1))
    big = _pdf(tmp_path / "site plan.pdf", size=30_000_000)
    panel.attach_paths([big])
    panel.deleteLater()
    qtbot.waitUntil(lambda: running_tasks() == 0, timeout=30_000)
    (item,) = store.evidence.records(session.assessment_id, "school", "1")
    assert store.evidence.read_bytes(item.id) == big.read_bytes()


def test_a_busy_data_file_keeps_evidence_changes_and_saves_them_later(page, store, tmp_path,
                                                                       qtbot):
    """Another program holds the data file's write lock (a sync tool, a backup tool): a file
    attached, a description typed and a file removed are kept, said in the panel, and saved
    by the retry the window runs on a timer, as an answer is."""
    import sqlite3

    panel: EvidencePanel = page.evidence_files
    session = page.session
    store.db.conn.execute("PRAGMA busy_timeout = 100")  # give up at once, not in 5 s
    panel.attach_paths([_pdf(tmp_path / "Signed MOU.pdf")], wait=True)
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # the write lock, held
    try:
        panel.attach_paths([_pdf(tmp_path / "Board minutes.pdf", "minutes")], wait=True)
        assert "busy" in panel.message.text() and "not yet listed" in panel.message.text()
        assert panel.list.count() == 1
        panel.list.setFocus()
        panel.list.setCurrentRow(0)
        qtbot.keyClicks(panel.description, "The signed copy")
        qtbot.keyClick(panel.description, Qt.Key.Key_Return)
        assert panel.description.text() == "The signed copy"  # kept on screen
        assert "busy" in panel.message.text()
        assert session.has_unsaved and session.pending.pending == 2
        assert not session.retry()  # still held
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert session.retry()  # the window's timer does this
    assert not session.has_unsaved
    assert panel.list.count() == 2 and panel.message.text() == "✔ Saved."
    items = store.evidence.records(session.assessment_id)
    assert sorted(i.file_name for i in items) == ["Board minutes.pdf", "Signed MOU.pdf"]
    assert {i.file_name: i.description for i in items}["Signed MOU.pdf"] == "The signed copy"
    for item in items:  # the file kept for the retry is the one recorded, whole
        assert store.evidence.read_bytes(item.id) == (tmp_path / item.file_name).read_bytes()


def test_undo_remove_on_a_short_window_squeezes_nothing(page, tmp_path, qtbot):
    """QA pass under openbox: after Remove, Undo remove squeezed "Valid until" and its hint in
    the help beside the questions. On a short page the help scrolls instead; every field and
    label keeps the height it needs, before and after Remove (Delete key) and Undo (a click)."""
    from PySide6.QtWidgets import QLabel, QLineEdit

    page.resize(1366, 560)
    panel = page.evidence_files
    panel.attach_paths([_pdf(tmp_path / "a.pdf"), _pdf(tmp_path / "b.pdf")], wait=True)

    def whole() -> None:
        qtbot.wait(50)
        date_edit = panel.valid_until
        assert date_edit.height() >= date_edit.minimumSizeHint().height()
        for field in [panel.description, *date_edit.findChildren(QLineEdit)]:
            assert field.height() >= field.minimumSizeHint().height(), field.accessibleName()
        for label in date_edit.findChildren(QLabel):
            if label.isVisible() and label.wordWrap() and label.text():
                assert label.height() >= label.heightForWidth(label.width()), label.text()
        for button in (panel.add_button, panel.remove_button, panel.undo_button):
            if button.isVisible():
                assert button.height() >= button.minimumSizeHint().height(), button.text()

    whole()
    panel.list.setFocus()
    panel.list.setCurrentRow(0)
    qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
    assert panel.undo_button.isVisible() and panel.list.count() == 1
    whole()
    qtbot.mouseClick(panel.undo_button, Qt.MouseButton.LeftButton)
    assert panel.list.count() == 2 and not panel.undo_button.isVisible()
    whole()
