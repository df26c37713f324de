"""The stack the interview's pages sit in, and how a page is made ready while hidden.

Split from ui/main_window.py. Idle-time work lays a page out completely before it is shown
(`lay_out_hidden`), so Next is mostly painting; `PageStack` keeps the stack from measuring every
page on every frame.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtWidgets import QApplication, QStackedWidget, QWidget


def scroll_to_top(widget: QWidget) -> None:
    """Every scroll area of a page back at its top-left (a page opens at its top)."""
    from PySide6.QtWidgets import QScrollArea

    for area in widget.findChildren(QScrollArea):
        area.verticalScrollBar().setValue(0)
        area.horizontalScrollBar().setValue(0)

def _send_pending_resize(widget: QWidget) -> None:
    """Deliver the resize a hidden widget would get when first shown, now (as Qt itself does
    on show), so that its column fitting runs in idle time rather than when it appears."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QResizeEvent

    if widget.testAttribute(Qt.WidgetAttribute.WA_PendingResizeEvent):
        widget.setAttribute(Qt.WidgetAttribute.WA_PendingResizeEvent, False)
        QApplication.sendEvent(widget, QResizeEvent(widget.size(), QSize()))

def lay_out_hidden(widget: QWidget) -> None:
    """Lay out a hidden page now, as showing it would: every pending resize delivered and every
    layout activated (a hidden widget only notes its new size; the labels' wrapping, the scroll
    area's body and the page's own fitting waited until it appeared). Idle-time work, so that
    showing the page is mostly painting it.

    Each pass goes top-down (each box needs its parent's size), then bottom-up (activating a
    layout tells its parent's layout to measure again). Then the scroll areas look again at
    what they hold (their scroll bar may go, which widens the page): until nothing moves."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractScrollArea

    def down(current: QWidget, order: list[QWidget]) -> None:
        # "created" (no native window: a flag, as show() sets it): a widget not created yet
        # takes every new geometry as a pending resize, even the same one
        if not current.testAttribute(Qt.WidgetAttribute.WA_WState_Created):
            current.create()
        _send_pending_resize(current)
        layout = current.layout()
        if layout is not None:
            layout.activate()
        order.append(current)
        for child in current.children():
            if isinstance(child, QWidget) and not child.isWindow() and not child.isHidden():
                down(child, order)

    pending = Qt.WidgetAttribute.WA_PendingResizeEvent
    for _round in range(3):
        order: list[QWidget] = []
        down(widget, order)
        for current in reversed(order):
            layout = current.layout()
            if layout is not None:
                layout.activate()
            _send_pending_resize(current)
        for area in widget.findChildren(QAbstractScrollArea):
            if not area.isHidden():
                QApplication.sendEvent(area, QEvent(QEvent.Type.LayoutRequest))
        if not any(w.testAttribute(pending) for w in order):
            return

class PageStack(QStackedWidget):
    """The interview's pages, one on screen. Not height-for-width: QStackedLayout asks every
    page built so far for its height at the window's width whenever anything around it moves
    (a status text, the position line), and that re-measured every wrapped label of every
    page: the cost of Next grew with each page visited. Each page scrolls or fits itself."""

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt name)
        return False

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        """The pages' least size with room to spare. QStackedLayout's own hint asked every page
        for its preferred size, and a wrapped page answers that by measuring its text at
        another width than the one it has (then again at its own): twice per page, per
        frame. The window is sized by the user, never by this hint."""
        return self.minimumSizeHint().expandedTo(QSize(480, 360))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        """What QStackedLayout gives (the largest least size of the pages), without asking
        each page for its preferred size on the way (qSmartMinSize does, and throws it away
        for any page that may shrink)."""
        from PySide6.QtWidgets import QSizePolicy

        shrink = QSizePolicy.PolicyFlag.ShrinkFlag.value
        need = QSize(0, 0)
        for index in range(self.count()):
            page = self.widget(index)
            if page is None:  # (never: index < count)
                continue
            policy = page.sizePolicy()
            least = page.minimumSizeHint()
            width, height = least.width(), least.height()
            if not policy.horizontalPolicy().value & shrink:
                width = max(width, page.sizeHint().width())
            if not policy.verticalPolicy().value & shrink:
                height = max(height, page.sizeHint().height())
            width, height = min(width, page.maximumWidth()), min(height, page.maximumHeight())
            if page.minimumWidth() > 0:
                width = page.minimumWidth()
            if page.minimumHeight() > 0:
                height = page.minimumHeight()
            need = need.expandedTo(QSize(width, height))
        return need
