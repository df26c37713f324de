"""The window's choice of edition: a real dialog driven with the keyboard, real files."""

from __future__ import annotations

import io

import pypdf
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from nasro_desktop.domain.fingerprint import fingerprint
from nasro_desktop.domain.forms import current_form
from nasro_desktop.domain.sample import sample_assessment
from nasro_desktop.domain.scoring import evaluate
from nasro_desktop.ui import report_actions
from nasro_desktop.ui.report_actions import Edition, EditionDialog


@pytest.fixture
def sample():
    form = current_form()
    a = sample_assessment(form)
    return form, a, evaluate(form, a)


@pytest.fixture
def parent(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def text(data: bytes) -> str:
    return " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_dialog_starts_on_the_board_edition_with_names_off(qtbot, parent):
    dialog = EditionDialog(parent, "save", Edition())
    qtbot.addWidget(dialog)
    assert dialog.board.isChecked() and not dialog.full.isChecked()
    assert not dialog.names.isChecked() and dialog.names.isEnabled()
    for widget in (dialog.board, dialog.full, dialog.names):
        assert widget.accessibleName() and widget.focusPolicy() != Qt.FocusPolicy.NoFocus
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.board.setFocus()
    qtbot.waitUntil(dialog.board.hasFocus, timeout=2000)
    qtbot.keyClick(dialog.board, Qt.Key.Key_Down)  # the arrow keys choose between the two
    assert dialog.full.isChecked() and not dialog.board.isChecked()
    assert not dialog.names.isEnabled()  # names only matter in the board edition
    assert dialog.edition() == Edition("full", False)


def test_choice_is_made_with_the_keyboard_and_remembered(qtbot, parent, monkeypatch):
    monkeypatch.setattr(report_actions, "_last_edition", Edition())

    def answer() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, EditionDialog) and w.isVisible())  # fmt: skip
        qtbot.keyClick(dialog.names, Qt.Key.Key_Space)  # tick "print names"
        qtbot.keyClick(dialog, Qt.Key.Key_Return)  # the default button: go on

    QTimer.singleShot(200, answer)
    chosen = report_actions.choose_edition(parent, "print")
    assert chosen == Edition("board", True)
    assert report_actions._last_edition == chosen
    dialog = EditionDialog(parent, "save")
    qtbot.addWidget(dialog)
    assert dialog.names.isChecked()  # the next report starts from the last choice


def test_cancel_saves_nothing(qtbot, parent, sample, tmp_path, monkeypatch):
    form, a, r = sample

    def cancel() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, EditionDialog) and w.isVisible())  # fmt: skip
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    QTimer.singleShot(200, cancel)
    finished: list = []
    report_actions.save_pdf_report(parent, form, a, r, on_finished=finished.append)
    assert finished == [None]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("edition", [Edition("board"), Edition("full"), Edition("board", True)])
def test_save_writes_the_chosen_edition(qtbot, parent, sample, tmp_path, edition):
    form, a, r = sample
    target = tmp_path / "report.pdf"
    finished: list = []
    report_actions.save_pdf_report(parent, form, a, r, path=target, open_when_done=False,
                                   on_finished=finished.append, edition=edition)  # fmt: skip
    qtbot.waitUntil(lambda: bool(finished), timeout=30_000)
    assert finished == [target]
    data = target.read_bytes()
    words = text(data)
    pages = len(pypdf.PdfReader(io.BytesIO(data)).pages)
    names_shown = any(o.name in words for o in a.officers)
    if edition.name == "board":
        assert pages <= 4 and "Board edition" in words
        assert names_shown == edition.show_names
    else:
        assert pages > 4 and "Full edition" in words and names_shown
    # the fingerprint the window shows is the one printed
    assert f"Data fingerprint {fingerprint(a, r.as_of)}" in words


def test_file_name_says_full_for_the_full_edition(sample):
    form, a, r = sample
    assert report_actions.default_file_name(a, r.as_of, "full").endswith(" full.pdf")
    assert not report_actions.default_file_name(a, r.as_of).endswith(" full.pdf")


def test_long_reports_print_at_200_dpi_and_short_ones_at_300():
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    assert report_actions.print_dpi(printer, 3) == 300
    assert report_actions.print_dpi(printer, 19) == 200


def test_save_as_word_when_the_person_picks_word_documents(qtbot, parent, sample, tmp_path,
                                                             monkeypatch):  # fmt: skip
    """The save dialog offers Word documents beside PDF; picking it (even with a name typed
    without an ending) writes the same edition as a .docx."""
    import docx
    from PySide6.QtWidgets import QFileDialog

    form, a, r = sample
    offered: list[str] = []

    def pick(_parent, _title, _suggested, filters):
        offered.append(filters)
        return str(tmp_path / "packet"), report_actions.WORD_FILTER

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(pick))
    finished: list = []
    report_actions.save_pdf_report(parent, form, a, r, open_when_done=False,
                                   on_finished=finished.append, edition=Edition("board"))  # fmt: skip
    qtbot.waitUntil(lambda: bool(finished), timeout=30_000)
    assert "Word documents (*.docx)" in offered[0] and "PDF files (*.pdf)" in offered[0]
    assert finished == [tmp_path / "packet.docx"]
    document = docx.Document(str(finished[0]))
    words = " ".join(p.text for p in document.paragraphs)
    assert "Readiness report" in words
    assert not any(o.name in words for o in a.officers)  # the board edition's names rule
