"""The page stack (ui/page_stack.py): what makes Next fast must not change what the user sees
or where the keyboard goes.

- PageStack keeps QStackedWidget's behaviour: one page on screen filling the stack, the first
  page added shown, the focus moved into the new page when it was in the old one, another
  page shown when the one on screen is removed, signals as QStackedWidget sends them;
- its least size follows the pages (a page that needs more room makes the window's minimum
  grow), although it is not measured again on every switch.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QVBoxLayout, QWidget

from nasro_desktop.ui.page_stack import PageStack


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
