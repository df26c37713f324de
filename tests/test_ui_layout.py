"""Layout as the chief sees it (issue 22): the Review page's columns and rows fitted when it is
first shown (Ctrl+6) and when the width changes; the Officers table whole at 1024x640 (no name
cut to "J… P…", Training status on screen); the first window inside the screen's free area,
frame included; the Readiness figures each on one line, not squeezed into narrow columns."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_support import make_window

from nasro_desktop.ui.main_window import MainWindow
from nasro_desktop.ui.navigation import PROFILE, READINESS, REVIEW
from nasro_desktop.ui.review_page import Column


def test_review_opened_with_ctrl_6_has_fitted_columns_and_rows(qtbot, store):
    window = make_window(qtbot, store)
    window.open_sample()
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_6,
                   Qt.KeyboardModifier.ControlModifier)
    assert window.current_page == REVIEW
    review = window.workspace.pages[REVIEW]
    table = review.table
    metrics = table.fontMetrics()
    qtbot.waitUntil(lambda: table.columnWidth(Column.ANSWER)
                    >= metrics.horizontalAdvance("— Not answered"))
    assert table.rowHeight(0) < 8 * metrics.lineSpacing()
    right = sum(table.columnWidth(c) for c in range(table.model().columnCount()))
    assert right <= table.viewport().width() + 1
    # narrower: fitted again, still inside
    window.resize(1024, 640)
    qtbot.waitUntil(lambda: sum(table.columnWidth(c) for c in range(
        table.model().columnCount())) <= table.viewport().width() + 1)
    assert table.columnWidth(Column.ANSWER) >= metrics.horizontalAdvance("Not answered") // 2


def test_officers_table_is_whole_at_1024x640(qtbot, store):
    window = make_window(qtbot, store)
    window.resize(1024, 640)
    window.open_sample()
    window.go_to(PROFILE)
    table = window.workspace.pages[PROFILE].officers.table
    qtbot.waitUntil(table.isVisible)
    model = table.model()
    metrics = table.fontMetrics()
    columns = model.columnCount()
    qtbot.waitUntil(lambda: sum(table.columnWidth(c) for c in range(columns))
                    <= table.viewport().width() + 1)
    for row in range(model.rowCount()):
        name = model.index(row, 0).data()
        for word in name.split():  # each word of a name whole (wrapping is fine)
            assert table.columnWidth(0) >= metrics.horizontalAdvance(word), name
        status = table.visualRect(model.index(row, columns - 1))
        assert status.right() <= table.viewport().width() and status.width() > 100


def test_the_first_window_opens_inside_the_screens_free_area_frame_included(qtbot, store):
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    window.show_start()
    qtbot.waitExposed(window)
    area = window.screen().availableGeometry()
    qtbot.waitUntil(lambda: area.contains(window.frameGeometry()))
    window.open_sample()
    qtbot.wait(50)
    assert area.contains(window.frameGeometry()), (window.frameGeometry(), area)
    assert window.statusBar().isVisible()


def test_readiness_figures_each_on_one_line(qtbot, store):
    window = make_window(qtbot, store)
    for width, height in ((1366, 768), (1024, 640)):
        window.resize(width, height)
        window.open_sample()
        window.go_to(READINESS)
        page = window.workspace.pages[READINESS]
        qtbot.wait(50)
        for label in (page.mandatory_label, page.recommended_label, page.answered_label,
                      page.as_of_label):
            need = label.fontMetrics().horizontalAdvance(label.text())
            assert label.width() >= need, (width, label.text(), label.width(), need)
