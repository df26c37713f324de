"""Since last year on the Readiness page: with a predecessor, without one, picking another
assessment of the program, in the real window, by keyboard; screenshots in light and dark."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from compare_fixtures import next_year
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_ui_pages_screenshots import dark_palette
from ui_support import make_window

from nasro_desktop.domain.compare import Change
from nasro_desktop.session import Session
from nasro_desktop.ui.navigation import READINESS
from nasro_desktop.ui.readiness_compare import NOTHING_TO_COMPARE
from nasro_desktop.ui.readiness_page import ReadinessPage

OUT = Path(__file__).resolve().parent.parent / "out" / "screenshots"


def page_for(qtbot, session: Session | None, form=None, assessment=None, readiness=None):
    page = ReadinessPage(session=session)
    qtbot.addWidget(page)
    page.resize(1100, 768)
    page.show()
    qtbot.waitExposed(page)
    if session is not None:
        form, assessment, readiness = session.form, session.assessment, session.readiness
    page.set_data(form, assessment, readiness)
    return page


def test_with_a_predecessor_the_page_shows_what_changed(qtbot, store):
    pair = next_year(store)
    page = page_for(qtbot, pair.now)
    since = page.since
    assert since.choose_row.isVisible() and not since.explain.isVisible()
    assert since.combo.count() == 1
    assert since.combo.currentText().startswith("Last year's, as of Sep 15, 2026: ")
    assert since.combo.toolTip() == since.combo.currentText()  # in full when cut short
    assert since.combo.currentData() == pair.last.assessment_id
    c = since.comparison()
    assert c is not None and page.comparison_for_report() is c
    (m_then, t_then), (m_now, t_now) = c.mandatory_then, c.mandatory_now
    assert since.mandatory_label.text().startswith(
        f"Mandatory standards met: {m_then} of {t_then} then, {m_now} of {t_now} now")
    assert since.recommended_label.text().startswith(
        f"Recommended score: {round(c.recommended_then)}% then, "
        f"{round(c.recommended_now)}% now")
    newly = pair.now.form.standard(pair.newly_met)
    assert f"{newly.title} ({newly.number})" in since.lists[Change.NEWLY_MET].text()
    assert since.lists[Change.NEWLY_MET].text().startswith("▲ Newly met (")
    assert since.lists[Change.STILL_OPEN].text().startswith("○ Still open (")
    assert " ".join(pair.closed.next_step.split()) in since.closed_label.text()
    # the chart says its figures in words, for a screen reader and on hover
    assert f"{m_then} of {t_then} then" in since.bars.accessibleDescription()
    for widget in (since.combo, since.bars, since.mandatory_label, since.closed_label,
                   *since.lists.values()):
        assert widget.accessibleName(), widget


def test_without_anything_to_compare_one_plain_line(qtbot, store):
    alone = Session.create(store, agency="Elm County Sheriff", district="Elm USD",
                           prepared_by="Chief", as_of=date(2026, 3, 1))
    page = page_for(qtbot, alone)
    assert page.since.explain.isVisible() and page.since.explain.text() == NOTHING_TO_COMPARE
    assert not page.since.choose_row.isVisible() and not page.since.details.isVisible()
    assert page.comparison_for_report() is None
    # a page given no session at all (and no window) says the same
    bare = page_for(qtbot, None, alone.form, alone.assessment, alone.readiness)
    assert bare.since.explain.isVisible() and bare.comparison_for_report() is None


def test_picking_another_assessment_of_the_program(qtbot, store):
    pair = next_year(store)
    other = store.start_next_year(pair.last.assessment_id, date(2026, 12, 1))
    page = page_for(qtbot, pair.now)
    combo = page.since.combo
    assert [combo.itemData(i) for i in range(combo.count())] == [pair.last.assessment_id,
                                                                  other.id]
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # the keyboard picks the next one
    c = page.since.comparison()
    assert combo.currentData() == other.id and c.then.id == other.id
    assert "December 1, 2026" in page.since.bars.accessibleDescription()
    # an edit on this year's assessment keeps the choice
    pair.now.set_answer(next(iter(pair.now.assessment.answers)), None)
    page.set_data(pair.now.form, pair.now.assessment, pair.now.readiness)
    assert combo.currentData() == other.id
    assert page.since.comparison().now_readiness is pair.now.readiness


def test_the_earlier_one_compares_with_the_later_and_says_so(qtbot, store):
    pair = next_year(store)
    page = page_for(qtbot, pair.last)
    c = page.since.comparison()
    assert c is not None and c.then.id == pair.last.assessment_id
    assert page.since.note.isVisible() and "earlier of the two" in page.since.note.text()
    assert not page.since.combo.currentText().startswith("Last year's")


def test_in_the_window_by_keyboard(qtbot, store):
    pair = next_year(store)
    window = make_window(qtbot, store)
    window.open_assessment(pair.now.assessment_id)
    window.go_to(READINESS)
    page = window.workspace.page_widget(READINESS)
    since = page.since
    qtbot.waitUntil(lambda: since.comparison() is not None)
    assert since.comparison().then.id == pair.last.assessment_id
    page.due_table.setFocus()
    qtbot.waitUntil(page.due_table.hasFocus)
    order = []
    for _ in range(8):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order[0] is since.combo  # straight after the due table
    assert since.bars in order and since.lists[Change.NEWLY_MET] in order


def test_the_report_saved_from_the_window_says_what_changed(qtbot, store, tmp_path):
    import io

    from pypdf import PdfReader

    pair = next_year(store)
    window = make_window(qtbot, store)
    window.open_assessment(pair.now.assessment_id)
    window.go_to(READINESS)
    page = window.workspace.page_widget(READINESS)
    qtbot.waitUntil(lambda: page.since.comparison() is not None)
    target = tmp_path / "board.pdf"
    page.report.save_pdf(str(target))  # a path given: the board edition, no dialogs
    qtbot.waitUntil(page.report.save_button.isEnabled, timeout=30_000)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(target.read_bytes())).pages)
    text = " ".join(text.split())
    c = page.since.comparison()
    assert "Since last year" in text
    assert (f"{c.mandatory_then[0]} of {c.mandatory_then[1]} then, "
            f"{c.mandatory_now[0]} of {c.mandatory_now[1]} now") in text


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_screenshots(qtbot, store, theme):
    pair = next_year(store)
    app = QApplication.instance()
    old = app.palette()
    if theme == "dark":
        app.setPalette(dark_palette())
    try:
        page = page_for(qtbot, pair.now)
        page.resize(1366 - 260, 768)
        qtbot.wait(20)
        page.scroll_area.ensureWidgetVisible(page.since.closed_label)
        qtbot.wait(20)
        OUT.mkdir(parents=True, exist_ok=True)
        image = page.grab().toImage()
        assert image.save(str(OUT / f"pages-since-last-year-{theme}.png"))
        bars = page.since.bars.grab().toImage()
        colours = {bars.pixel(x, y) for x in range(0, bars.width(), 5)
                   for y in range(0, bars.height(), 3)}
        assert len(colours) > 6  # text, two bar fills, tracks: not blank
        assert page.scroll_area.widget().width() <= page.scroll_area.viewport().width()
    finally:
        app.setPalette(old)


def test_a_damaged_earlier_assessment_is_said_plainly(qtbot, store, data_dir):
    """A value in last year's saved answers that cannot be read (a real damaged row): the page
    says so in plain words and the report is made without the part."""
    import sqlite3

    pair = next_year(store)
    with sqlite3.connect(data_dir / "nasro.db") as conn:
        conn.execute("UPDATE answers SET value = '{not json' WHERE assessment_id = ?",
                     (pair.last.assessment_id,))
    page = page_for(qtbot, pair.now)
    assert page.since.comparison() is None and page.comparison_for_report() is None
    assert page.since.choose_row.isVisible() and not page.since.details.isVisible()
    assert "cannot be read" in page.since.note.text() and "Error" not in page.since.note.text()
