"""Issue 20 §2: before the board edition is saved or printed, the window shows the typed texts
it prints (who took part, scope, method, next steps, persons responsible, met-another-way
explanations), as printed: names replaced. Driven by keyboard and mouse; real files."""

from __future__ import annotations

import io
import re
import sys
from datetime import date
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from nasro_desktop.domain.forms import current_form
from nasro_desktop.domain.model import ActionItem, Answer, AnswerType, Choice, Owner
from nasro_desktop.domain.scoring import evaluate
from nasro_desktop.report import board_texts, render_report
from nasro_desktop.ui import report_actions
from nasro_desktop.ui.board_texts import BoardTextsDialog, texts_as_shown
from nasro_desktop.ui.report_actions import Edition, EditionDialog

sys.path.insert(0, str(Path(__file__).parent))
from report_fixtures import REPORT_CASES, large_assessment  # noqa: E402

from nasro_desktop.report.options import ReportOptions

FORM = current_form()


def squeezed(text: str) -> str:
    """Text without any white space: a cell's line breaks fall anywhere."""
    return re.sub(r"\s+", "", text)


def pdf_text(data: bytes) -> str:
    return " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def named_assessment():
    """60 officers; their names typed in who took part, next steps, a person responsible and
    a met-another-way explanation."""
    a = large_assessment(FORM)
    first, second = a.officers[0].name, a.officers[1].name
    status = [q for q in FORM.questions if q.type == AnswerType.STATUS and q.standard
              and q.offers_alternate and a.answers.get(q.id) is not None]  # fmt: skip
    alternate = next(q for q in status if a.answers[q.id].value == Choice.NOT_MET.value)
    a.answers[alternate.id] = Answer(
        alternate.id, Choice.ALTERNATE.value,
        na_reason=f"{second.split()[0]} covers it with the county's own program, reviewed "
                  "every year by the district's counsel and the chief.")  # fmt: skip
    r = evaluate(FORM, a)
    gap = next(g for g in r.gaps if g.standard.id != alternate.standard)
    a.action_items = [ActionItem(id=1, standard_id=gap.standard.id,
                                 next_step=f"Ask {first.upper()} to book the course.",
                                 owner=Owner.AGENCY, target_date=date(2026, 12, 1),
                                 person=f"Sgt. {second.split()[-1]}, training")]  # fmt: skip
    return a, evaluate(FORM, a)


@pytest.fixture
def parent(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def visible(kind):
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible())


def choose_board_by_keyboard(qtbot, then) -> None:
    """The edition dialog: Board edition (the default), Enter; then `then` on the next one."""

    def answer() -> None:
        dialog = visible(EditionDialog)
        qtbot.keyClick(dialog.board, Qt.Key.Key_Space)
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
        QTimer.singleShot(300, then)

    QTimer.singleShot(200, answer)


def test_cancel_on_the_texts_saves_nothing(qtbot, parent, tmp_path, monkeypatch):
    a, r = named_assessment()
    monkeypatch.setattr(report_actions, "_last_edition", Edition())
    asked: list = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args: asked.append(args) or ("", "")))  # fmt: skip
    seen: dict[str, object] = {}

    def cancel() -> None:
        dialog = visible(BoardTextsDialog)
        seen["focus"] = dialog.focusWidget() is dialog.view  # the texts, to read first
        seen["text"] = dialog.shown_text()
        seen["names"] = [dialog.view.accessibleName(), dialog.ok.accessibleName(),
                         dialog.cancel.accessibleName()]
        qtbot.keyClick(dialog.view, Qt.Key.Key_Escape)  # Escape from the text: Cancel

    choose_board_by_keyboard(qtbot, cancel)
    finished: list = []
    report_actions.save_pdf_report(parent, FORM, a, r, on_finished=finished.append)
    assert finished == [None]
    assert asked == []  # no file dialog: nothing saved
    assert list(tmp_path.iterdir()) == []
    assert all(seen["names"])  # type: ignore[union-attr]
    assert seen["focus"] is True
    text = str(seen["text"])
    assert "[officer]" in text
    assert not any(o.name in text for o in a.officers)
    assert a.officers[1].name.split()[0] not in text  # the first name alone is a name too


def test_cancel_on_the_texts_prints_nothing(qtbot, parent, monkeypatch):
    a, r = named_assessment()
    monkeypatch.setattr(report_actions, "_last_edition", Edition())
    from PySide6.QtPrintSupport import QPrintDialog

    opened: list = []
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: opened.append(self) or 0)

    def cancel() -> None:
        dialog = visible(BoardTextsDialog)
        qtbot.mouseClick(dialog.cancel, Qt.MouseButton.LeftButton)

    choose_board_by_keyboard(qtbot, cancel)
    finished: list = []
    report_actions.print_report(parent, FORM, a, r, on_finished=finished.append)
    assert finished == [None] and opened == []


def test_the_texts_shown_are_the_texts_the_pdf_prints(qtbot, parent, tmp_path, monkeypatch):
    a, r = named_assessment()
    monkeypatch.setattr(report_actions, "_last_edition", Edition())
    target = tmp_path / "board.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args: (str(target), report_actions.PDF_FILTER)))
    seen: dict[str, object] = {}

    def go_on() -> None:
        dialog = visible(BoardTextsDialog)
        seen["texts"], seen["shown"] = dialog.texts, dialog.shown_text()
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    choose_board_by_keyboard(qtbot, go_on)
    finished: list = []
    report_actions.save_pdf_report(parent, FORM, a, r, on_finished=finished.append,
                                   open_when_done=False)  # fmt: skip
    qtbot.waitUntil(lambda: bool(finished), timeout=60_000)
    assert finished == [target]
    printed = squeezed(pdf_text(target.read_bytes()))
    texts = seen["texts"]
    assert isinstance(texts, list)
    assert seen["shown"] == texts_as_shown(texts)
    wheres = [where for where, _ in texts]
    assert "Who took part" in wheres
    assert any(w.startswith("Next step") for w in wheres)
    assert any(w.startswith("Person responsible") for w in wheres)
    assert any(w.startswith("Met another way") for w in wheres)
    for where, text in texts:
        assert squeezed(text) in printed, where
        assert text in str(seen["shown"])
    assert "[officer]" in " ".join(t for _, t in texts)


def test_enter_goes_on_and_the_full_edition_asks_nothing(qtbot, parent, tmp_path, monkeypatch):
    a, r = named_assessment()
    target = tmp_path / "x.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args: (str(target), report_actions.PDF_FILTER)))
    shown: list = []

    def enter() -> None:
        dialog = visible(BoardTextsDialog)
        shown.append(dialog)
        assert dialog.width() <= dialog.screen().availableGeometry().width()
        qtbot.keyClick(dialog.view, Qt.Key.Key_Return)  # the default button: go on

    monkeypatch.setattr(report_actions, "_last_edition", Edition())
    choose_board_by_keyboard(qtbot, enter)
    finished: list = []
    report_actions.save_pdf_report(parent, FORM, a, r, on_finished=finished.append,
                                   open_when_done=False)  # fmt: skip
    qtbot.waitUntil(lambda: bool(finished), timeout=60_000)
    assert finished == [target] and len(shown) == 1
    # the full edition prints names by design: no check of board texts
    monkeypatch.setattr(report_actions, "_last_edition", Edition("full"))
    assert report_actions.texts_checked(parent, FORM, a, r, ReportOptions(edition="full"), "save")


@pytest.mark.parametrize("name", ["sample", "next_year", "ready_80_days", "not_ready_10"])
def test_every_board_text_is_printed_as_shown(name):
    build, today = REPORT_CASES[name]
    a = build(FORM)
    r = evaluate(FORM, a)
    texts = board_texts(FORM, a, r, ReportOptions(today=today))
    printed = squeezed(pdf_text(render_report(
        FORM,
        a,
        r,
        ReportOptions(edition="board", today=today),
    )))
    assert texts
    for where, text in texts:
        assert squeezed(text) in printed, (name, where)
