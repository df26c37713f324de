"""Screenshots of the Review and Readiness pages with the sample, light and dark, at 1366x768.

Saved to out/screenshots/pages-*.png for people to look at; the test also checks what a
screenshot can: nothing blank, no horizontal scrolling at laptop width, the text scales.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from nasro_desktop.domain.forms import current_form
from nasro_desktop.domain.scoring import evaluate
from nasro_desktop.ui import style
from nasro_desktop.ui.readiness_page import ReadinessPage
from nasro_desktop.ui.review_page import ReviewPage

OUT = Path(__file__).resolve().parent.parent / "out" / "screenshots"


def dark_palette() -> QPalette:
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#202124",
        QPalette.ColorRole.WindowText: "#e8eaed",
        QPalette.ColorRole.Base: "#17181a",
        QPalette.ColorRole.AlternateBase: "#2a2b2e",
        QPalette.ColorRole.Text: "#e8eaed",
        QPalette.ColorRole.Button: "#303134",
        QPalette.ColorRole.ButtonText: "#e8eaed",
        QPalette.ColorRole.Highlight: "#8ab4f8",
        QPalette.ColorRole.HighlightedText: "#202124",
        QPalette.ColorRole.ToolTipBase: "#303134",
        QPalette.ColorRole.ToolTipText: "#e8eaed",
        QPalette.ColorRole.Mid: "#5f6368",
        QPalette.ColorRole.Midlight: "#3c4043",
        QPalette.ColorRole.Light: "#4a4d51",
        QPalette.ColorRole.Dark: "#101113",
        QPalette.ColorRole.PlaceholderText: "#9aa0a6",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor("#80868b"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#80868b"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#80868b"))
    return palette


@pytest.fixture
def sample_program():
    module = pytest.importorskip("nasro_desktop.domain.sample")
    form = current_form()
    assessment = module.sample_assessment(form)
    return form, assessment, evaluate(form, assessment)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_page_screenshots(qtbot, sample_program, theme):
    form, assessment, readiness = sample_program
    OUT.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance()
    old_palette = app.palette()
    if theme == "dark":
        app.setPalette(dark_palette())
    try:
        for name, page in (("review", ReviewPage()), ("readiness", ReadinessPage())):
            qtbot.addWidget(page)
            page.resize(1366, 768)
            page.show()
            qtbot.waitExposed(page)
            page.set_data(form, assessment, readiness)
            qtbot.wait(50)
            image = page.grab().toImage()
            assert image.width() == 1366 and image.height() == 768
            assert image.save(str(OUT / f"pages-{name}-{theme}.png"))
            # Not blank: many distinct colours (text, bars, table lines).
            colours = {image.pixel(x, y) for x in range(0, 1366, 7) for y in range(0, 768, 7)}
            assert len(colours) > 20
            if name == "readiness":
                body = page.scroll_area.widget()
                page.scroll_area.verticalScrollBar().setValue(page.scroll_area.verticalScrollBar().maximum())
                qtbot.wait(20)
                assert page.grab().save(str(OUT / f"pages-{name}-{theme}-end.png"))
                assert body.width() <= page.scroll_area.viewport().width()
            else:
                header = page.table.horizontalHeader()
                assert header.length() <= page.table.viewport().width() + 1
    finally:
        app.setPalette(old_palette)


@pytest.mark.parametrize("width", [1366 - 260, 1024])
def test_pages_fit_beside_the_sidebar_without_horizontal_scrolling(qtbot, sample_program, width):
    """In the main window the pages get the width left over by the section sidebar."""
    form, assessment, readiness = sample_program
    review, ready = ReviewPage(), ReadinessPage()
    for page in (review, ready):
        qtbot.addWidget(page)
        page.resize(width, 700)
        page.show()
        page.set_data(form, assessment, readiness)
    qtbot.wait(20)
    assert review.table.horizontalHeader().length() <= review.table.viewport().width() + 1
    assert ready.minimumSizeHint().width() <= width
    assert ready.scroll_area.widget().width() <= ready.scroll_area.viewport().width()
    for table in (ready.plan_table, ready.gaps_table, ready.due_table):
        assert table.horizontalHeader().length() <= table.viewport().width() + 1


def test_larger_text_makes_the_page_text_larger(qtbot, sample_program):
    form, assessment, readiness = sample_program
    page = ReadinessPage()
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.set_data(form, assessment, readiness)
    before_verdict = page.verdict_label.font().pointSizeF()
    before_bars = page.bars.sizeHint().height()
    font = page.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    page.setFont(font)  # what View > Larger text does through the application font
    qtbot.wait(20)
    assert page.verdict_label.font().pointSizeF() > before_verdict * 1.3
    assert page.bars.sizeHint().height() > before_bars
    assert page.scroll_area.widget().width() <= page.scroll_area.viewport().width()
    page.grab().save(str(OUT / "pages-readiness-larger-text.png"))

    review = ReviewPage()
    qtbot.addWidget(review)
    review.resize(1366, 768)
    review.show()
    review.set_data(form, assessment, readiness)
    before_title = review.title_label.font().pointSizeF()
    before_row = review.table.rowHeight(2)
    style.apply(None, 1.5)  # View > Larger text: the application's font and every text role
    try:
        qtbot.wait(20)
        assert review.title_label.font().pointSizeF() > before_title * 1.3
        assert review.table.rowHeight(2) > before_row  # rows grow with the text, none clipped
        assert review.table.horizontalHeader().length() <= review.table.viewport().width() + 1
    finally:
        style.apply(None, style.NORMAL)
