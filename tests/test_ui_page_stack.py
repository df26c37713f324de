"""The page stack (ui/page_stack.py) and the fast panel outlines (ui/style.py): what makes Next
fast must not change what the user sees or where the keyboard goes.

- PageStack keeps QStackedWidget's behaviour: one page on screen filling the stack, the first
  page added shown, the focus moved into the new page when it was in the old one, another
  page shown when the one on screen is removed, signals as QStackedWidget sends them;
- its least size follows the pages (a page that needs more room makes the window's minimum
  grow), although it is not measured again on every switch;
- a panel's outline drawn fast is the outline the style draws, pixel for pixel (one grey
  level of rounding allowed in a corner), in light and dark.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QVBoxLayout, QWidget
from ui_support import make_window

from nasro_desktop.ui import style
from nasro_desktop.ui.page_stack import PageStack
from nasro_desktop.ui.question_block import GrowingNote, HelpPanel, QuestionBlock


def _page(text: str) -> QWidget:
    page = QWidget()
    column = QVBoxLayout(page)
    column.addWidget(QLabel(text, page))
    page.edit = QLineEdit(page)
    column.addWidget(page.edit)
    return page


def test_the_stack_shows_one_page_at_a_time_and_moves_the_focus_with_it(qtbot):
    holder = QWidget()
    qtbot.addWidget(holder)
    stack = PageStack(holder)
    QVBoxLayout(holder).addWidget(stack)
    changes: list[int] = []
    removed: list[int] = []
    stack.currentChanged.connect(changes.append)
    stack.widgetRemoved.connect(removed.append)
    first, second, third = _page("one"), _page("two"), _page("three")
    for page in (first, second, third):
        stack.addWidget(page)
    holder.resize(400, 300)
    holder.show()
    qtbot.waitExposed(holder)
    assert stack.count() == 3 and stack.currentWidget() is first and stack.currentIndex() == 0
    assert changes == [0]
    assert first.isVisible() and not second.isVisible() and not third.isVisible()
    assert first.geometry() == stack.rect()

    first.edit.setFocus()
    holder.activateWindow()
    qtbot.waitUntil(lambda: first.edit.hasFocus(), timeout=2000)
    stack.setCurrentWidget(second)
    assert stack.currentIndex() == 1 and changes == [0, 1]
    assert second.isVisible() and not first.isVisible()
    assert second.geometry() == stack.rect()
    assert QApplication.focusWidget() is second.edit  # as QStackedLayout: into the new page
    stack.setCurrentIndex(1)  # the same page: nothing happens
    assert changes == [0, 1]

    holder.resize(500, 350)
    QApplication.processEvents()
    assert second.geometry() == stack.rect()

    stack.removeWidget(second)  # the page on screen: the next one takes its place
    assert removed == [1]
    assert stack.currentWidget() is third and third.isVisible() and not second.isVisible()
    assert stack.indexOf(second) == -1 and stack.count() == 2
    assert stack.widget(5) is None


def test_the_stack_asks_for_the_room_its_largest_page_needs(qtbot):
    holder = QWidget()
    qtbot.addWidget(holder)
    stack = PageStack(holder)
    QVBoxLayout(holder).addWidget(stack)
    small, large = _page("small"), _page("large")
    stack.addWidget(small)
    stack.addWidget(large)
    holder.show()
    qtbot.waitExposed(holder)
    before = stack.minimumSizeHint()
    large.layout().addWidget(QLabel("x" * 200, large))  # a hidden page now needs more width
    QApplication.processEvents()
    assert stack.minimumSizeHint().width() > before.width()
    stack.setCurrentWidget(large)
    small.setMinimumWidth(stack.minimumSizeHint().width() + 100)
    QApplication.processEvents()
    assert stack.minimumSizeHint().width() == small.minimumWidth()
    assert stack.sizeHint().width() >= stack.minimumSizeHint().width()


def _differences(widget: QWidget) -> tuple[int, int]:
    """(pixels that differ, largest difference in one channel) between the outline drawn fast
    and the one the style draws itself."""
    try:
        style.FAST_OUTLINES = True
        fast = widget.grab().toImage().convertToFormat(QImage.Format.Format_ARGB32)
        style.FAST_OUTLINES = False
        slow = widget.grab().toImage().convertToFormat(QImage.Format.Format_ARGB32)
    finally:
        style.FAST_OUTLINES = True
    assert fast.size() == slow.size()
    count = worst = 0
    for y in range(fast.height()):
        for x in range(fast.width()):
            a, b = fast.pixel(x, y), slow.pixel(x, y)
            if a != b:
                count += 1
                worst = max(worst, max(abs(((a >> s) & 255) - ((b >> s) & 255))
                                       for s in (0, 8, 16, 24)))
    return count, worst


@pytest.mark.parametrize("appearance", ["light", "dark"])
def test_panel_outlines_drawn_fast_look_the_same(qtbot, store, appearance):
    app = QApplication.instance()
    try:
        style.set_appearance(app, appearance)
        window = make_window(qtbot, store)
        window.open_sample()
        window.go_to(window.session.pages[3].id)
        qtbot.wait(50)
        page = window.pages[window.current_page]
        painted = []
        for kind in (QuestionBlock, HelpPanel, GrowingNote):
            widget = next(w for w in page.findChildren(kind) if w.isVisible())
            count, worst = _differences(widget)
            assert worst <= 1 and count <= 4, (kind.__name__, count, worst)
            painted.append(kind)
        assert any(style._outlines.values()), "the fast outline was never used"
        assert painted == [QuestionBlock, HelpPanel, GrowingNote]
    finally:
        style.set_appearance(app, "system")


def test_a_frame_the_fast_outline_cannot_copy_is_left_to_the_style(qtbot):
    """A highlighted question (a thick box) and a frame too small to slice: Qt draws them."""
    from PySide6.QtWidgets import QFrame

    panel = QFrame()
    qtbot.addWidget(panel)
    panel.setFrameShape(QFrame.Shape.Box)
    panel.resize(100, 60)
    assert not style.paint_outline(panel)
    panel.setFrameShape(QFrame.Shape.StyledPanel)
    panel.resize(5, 5)
    assert not style.paint_outline(panel)


def test_a_page_deleted_leaves_the_stack_as_qstackedwidget_does(qtbot):
    import shiboken6

    holder = QWidget()
    qtbot.addWidget(holder)
    stack = PageStack(holder)
    QVBoxLayout(holder).addWidget(stack)
    first, second, third = _page("one"), _page("two"), _page("three")
    for page in (first, second, third):
        stack.addWidget(page)
    holder.show()
    qtbot.waitExposed(holder)
    shiboken6.delete(second)  # hidden page
    assert stack.count() == 2 and stack.indexOf(third) == 1
    assert stack.minimumSizeHint().isValid()
    shiboken6.delete(first)  # the page on screen: the next one shows
    assert stack.count() == 1 and stack.currentWidget() is third and third.isVisible()
