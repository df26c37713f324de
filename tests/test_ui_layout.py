"""Layout as the chief sees it (issue 22): the Review page's columns and rows fitted when it is
first shown (Ctrl+6) and when the width changes; the Officers table whole at 1024x640 (no name
cut to "J… P…", Training status on screen); the first window inside the screen's free area,
frame included; the Readiness figures each on one line, not squeezed into narrow columns."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_support import make_window

from nasro_desktop.ui.main_window import MainWindow
from nasro_desktop.ui.navigation import HOME, PROFILE, READINESS, REVIEW
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


def _fitted(table, rows_too: bool = True) -> list[str]:
    """What is wrong with a table's fit: columns beyond (or short of) its width, a word or a
    heading line wider than its column (drawn cut, "associati…"), rows not as tall as their
    text needs."""
    from PySide6.QtWidgets import QStyle

    model = table.model()
    metrics = table.fontMetrics()
    problems = []
    widths = [table.columnWidth(c) for c in range(model.columnCount())
              if not table.isColumnHidden(c)]
    inside = table.viewport().width()
    if not inside - 4 <= sum(widths) <= inside + 1:
        problems.append(f"columns {widths} for {inside} px")
    margin = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
    for column in range(model.columnCount()):
        width = table.columnWidth(column)
        lines = str(model.headerData(column, Qt.Orientation.Horizontal) or "").split("\n")
        words = [w for r in range(model.rowCount())
                 for w in str(model.index(r, column).data() or "").split()]
        for text in (*lines, *words):
            if metrics.horizontalAdvance(text) + margin > width:
                problems.append(f"{text!r} wider than column {column} ({width} px)")
                break
    if rows_too:
        heights = [table.rowHeight(r) for r in range(model.rowCount())]
        fresh = [max(table.sizeHintForRow(r), 1) for r in range(model.rowCount())]
        if heights != fresh:
            problems.append(f"rows {heights[:6]}… want {fresh[:6]}…")
    return problems


def _larger(qtbot, window, times: int) -> None:
    for _ in range(times):  # View > Larger text (Ctrl++)
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Plus,
                       Qt.KeyboardModifier.ControlModifier)


@pytest.mark.parametrize("size", [(1366, 768), (1024, 640)], ids=["1366x768", "1024x640"])
@pytest.mark.parametrize("larger", [0, 2], ids=["normal", "larger"])
def test_action_plan_fitted_at_first_show_and_on_width_change(qtbot, store, size, larger):
    """Readiness opened with Ctrl+7: the action plan's columns fill its width, no word or
    heading cut, rows as tall as their text; again after the window is made wider or
    narrower (it opened with a 100 px Next step, "rson responsible", Status off-screen)."""
    from nasro_desktop.ui import style

    window = make_window(qtbot, store)
    window.resize(*size)
    window.open_sample()
    try:
        _larger(qtbot, window, larger)
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_7,
                       Qt.KeyboardModifier.ControlModifier)
        assert window.current_page == READINESS
        table = window.workspace.pages[READINESS].plan_table
        assert table.model().rowCount() > 5
        qtbot.waitUntil(lambda: not _fitted(table), timeout=3000)
        other = (1024, 640) if size[0] == 1366 else (1366, 768)
        window.resize(*other)
        qtbot.waitUntil(lambda: not _fitted(table), timeout=3000)
    finally:
        window.set_text_scale(style.NORMAL)
    qtbot.waitUntil(lambda: not _fitted(table), timeout=3000)  # and back to normal text


def test_review_prepared_while_hidden_shows_fitted_at_once(qtbot, store):
    """Review is built and fitted in idle time while Home shows; opened from the sidebar its
    first paint has the columns and rows of its real width (nothing left to fit)."""
    window = make_window(qtbot, store)
    window.open_sample()
    workspace = window.workspace
    qtbot.waitUntil(lambda: REVIEW in workspace.pages
                    and not workspace.pages[REVIEW].has_idle_work(), timeout=5000)
    review = workspace.pages[REVIEW]
    row = [s for s, _t in workspace.sections].index(REVIEW)
    sidebar = workspace.sidebar.section_list
    qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton,
                     pos=sidebar.visualItemRect(sidebar.item(row)).center())
    assert window.current_page == REVIEW
    assert review.isVisible()
    # its first paint, before any timer ran: the rows fitted while hidden (its scroll bar
    # comes with the layout, so the columns are checked once that is done)
    assert [p for p in _fitted(review.table) if p.startswith("rows")] == []
    QApplication.processEvents()
    assert _fitted(review.table) == []


def test_profile_fits_the_width_at_1024x640_with_larger_text(qtbot, store):
    """Larger text on a 1024x640 screen: the details and the rapid-deployment reading go one
    above the other, so nothing on the Profile is cut at the right (they needed 886 px of
    724); at normal size they stay side by side."""
    from PySide6.QtWidgets import QLineEdit, QRadioButton, QScrollArea

    from nasro_desktop.ui import style

    window = make_window(qtbot, store)
    window.resize(1024, 640)
    window.open_sample()
    page = None
    try:
        for times, side_by_side in ((0, True), (2, False)):
            _larger(qtbot, window, times)
            qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_1,
                           Qt.KeyboardModifier.ControlModifier)  # Go > Profile
            assert window.current_page == PROFILE
            page = window.workspace.pages[PROFILE]
            scroll = page.findChild(QScrollArea)
            qtbot.waitUntil(lambda s=scroll: s.widget().width() <= s.viewport().width())
            qtbot.wait(50)  # laid out
            right = scroll.viewport().mapToGlobal(scroll.viewport().rect().topRight()).x()
            for widget in (*page.findChildren(QLineEdit), *page.findChildren(QRadioButton)):
                if widget.isVisible():
                    edge = widget.mapToGlobal(widget.rect().topRight()).x()
                    assert edge <= right + 1, (times, widget.accessibleName(), edge, right)
            reading, title = page.reading_box, page.title
            qtbot.waitUntil(lambda r=reading, t=title, b=side_by_side:
                            (r.y() < t.y() + t.height()) == b)
    finally:
        window.set_text_scale(style.NORMAL)


def test_every_section_shows_in_the_sidebar_when_no_standards_list_needs_room(qtbot, store):
    """Larger text on a 1024x640 screen: on Home (no standards list under the sections) every
    section, Readiness last, shows without scrolling; on a standard's page the sections share
    the height with its standards list; back on Home they take it all again."""
    from nasro_desktop.ui import style

    window = make_window(qtbot, store)
    window.resize(1024, 640)
    window.open_sample()
    sidebar = window.workspace.sidebar
    sections, standards = sidebar.section_list, sidebar.standards_list

    def all_shown() -> bool:
        last = sections.visualItemRect(sections.item(sections.count() - 1))
        return sections.verticalScrollBar().value() == 0 and \
            last.bottom() <= sections.viewport().height()

    try:
        _larger(qtbot, window, 3)
        qtbot.waitUntil(lambda: style.current_scale() > style.NORMAL and all_shown(), timeout=3000)
        assert window.current_page == HOME and not standards.isVisible()
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_J,
                       Qt.KeyboardModifier.ControlModifier)  # Go > Next unanswered question
        assert window.workspace.section_of(window.current_page) not in ("", HOME)
        qtbot.waitUntil(lambda: standards.isVisible() and standards.height() > 150,
                        timeout=3000)
        qtbot.waitUntil(lambda: sections.height() + standards.height() <= sidebar.height(),
                        timeout=3000)  # the two share the sidebar's height
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_H,
                       Qt.KeyboardModifier.ControlModifier)  # Go > Home
        assert window.current_page == HOME
        qtbot.waitUntil(all_shown, timeout=3000)
    finally:
        window.set_text_scale(style.NORMAL)
