"""The stack the interview's pages sit in, and how a page is made ready while hidden.

Split from ui/main_window.py. Idle-time work lays a page out completely before it is shown
(`lay_out_hidden`), so Next is mostly painting; `PageStack` keeps the stack from measuring every
page on every frame.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Signal
from PySide6.QtWidgets import QApplication, QWidget


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

    # a new widget's posted PolishRequest makes a button ask its parents to measure again; left
    # to the event loop, that came after this layout and the panels around every new button
    # (the help panel's wrapped labels) were measured again on Next, in the frame
    QApplication.sendPostedEvents(None, QEvent.Type.PolishRequest.value)
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


_HINT_EVENTS = (QEvent.Type.LayoutRequest, QEvent.Type.FontChange, QEvent.Type.StyleChange,
                QEvent.Type.ContentsRectChange, QEvent.Type.LayoutDirectionChange)


class PageStack(QWidget):
    """The interview's pages, one on screen: QStackedWidget's calls (addWidget, insertWidget,
    removeWidget, setCurrentWidget, setCurrentIndex, currentWidget, currentIndex, widget,
    indexOf, count; currentChanged, widgetRemoved), without QStackedLayout. Each page scrolls or
    fits itself; the page on screen fills the stack.

    Why not QStackedWidget (each measured on the 40th page of the interview):
    - to switch pages, QStackedLayout turns the stack's updates off and on again, and Qt
      passes that down to every widget of every page built so far: thousands of widgets, a
      sixth of the time of a Next. Turning them back on also asks every widget of the new page
      to repaint on its own, so the page was painted twice in the same frame;
    - showing a page invalidated the stack's layout, so the whole window was laid out again
      on every Next, asking every page built so far for its size;
    - it is height-for-width: it asked every page built so far for its height at the
      window's width whenever anything around it moved (a status text, the position line),
      which re-measured every wrapped label of every page.
    Here a switch hides one page and shows the other (Qt paints the area once), and the
    stack's least size is kept until a page's layout, font or style changes."""

    currentChanged = Signal(int)
    widgetRemoved = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pages: list[QWidget] = []
        self._current: QWidget | None = None
        # each page's (with its own limits), until its layout changes
        self._least: dict[QWidget, tuple[tuple[QSize, QSize], QSize]] = {}
        self._told: QSize | None = None  # the least size the window's layout last had

    # -- QStackedWidget's calls ---------------------------------------------------------------

    def count(self) -> int:
        return len(self._pages)

    def widget(self, index: int) -> QWidget | None:
        return self._pages[index] if 0 <= index < len(self._pages) else None

    def indexOf(self, widget: QWidget | None) -> int:  # noqa: N802 (Qt name)
        for index, page in enumerate(self._pages):
            if page is widget:
                return index
        return -1

    def currentWidget(self) -> QWidget | None:  # noqa: N802 (Qt name)
        return self._current

    def currentIndex(self) -> int:  # noqa: N802 (Qt name)
        return self.indexOf(self._current) if self._current is not None else -1

    def addWidget(self, widget: QWidget) -> int:  # noqa: N802 (Qt name)
        return self.insertWidget(len(self._pages), widget)

    def insertWidget(self, index: int, widget: QWidget) -> int:  # noqa: N802 (Qt name)
        if self.indexOf(widget) >= 0:
            return self.indexOf(widget)
        if not 0 <= index <= len(self._pages):
            index = len(self._pages)
        if widget.parentWidget() is not self:
            widget.setParent(self)
        self._pages.insert(index, widget)
        widget.installEventFilter(self)
        if self._current is None:  # the first page is shown, as QStackedWidget does
            self._show(widget)
            self.currentChanged.emit(index)
        else:
            widget.hide()
            widget.lower()
        self.updateGeometry()
        return index

    def removeWidget(self, widget: QWidget) -> None:  # noqa: N802 (Qt name)
        self._take(widget, gone=False)

    def _take(self, widget: QWidget, *, gone: bool) -> None:
        """Out of the stack: removed, or deleted / given another parent (`gone`: not touched)."""
        index = self.indexOf(widget)
        if index < 0:
            return
        del self._pages[index]
        self._least.pop(widget, None)
        if not gone:
            widget.removeEventFilter(self)
        if widget is self._current:
            self._current = None
            if not gone:
                widget.hide()
            if self._pages:  # the next page takes its place (or the last), as in QStackedLayout
                self.setCurrentWidget(self._pages[min(index, len(self._pages) - 1)])
            else:
                self.currentChanged.emit(-1)
        self.widgetRemoved.emit(index)
        self.updateGeometry()

    def setCurrentIndex(self, index: int) -> None:  # noqa: N802 (Qt name)
        widget = self.widget(index)
        if widget is not None:
            self.setCurrentWidget(widget)

    def setCurrentWidget(self, widget: QWidget) -> None:  # noqa: N802 (Qt name)
        """Hide the page on screen and show this one, moving the keyboard focus into it if it
        was in the page left (QStackedLayout's rules)."""
        index = self.indexOf(widget)
        old = self._current
        if index < 0 or widget is old:
            return
        focused = self.window().focusWidget()
        focus_was_on_old = focused is not None and old is not None and old.isAncestorOf(focused)
        if old is not None:
            old.clearFocus()
            old.hide()
        self._show(widget)
        if focus_was_on_old:
            target = widget.focusWidget()
            if target is None:  # the first control of the page in the focus chain
                from PySide6.QtCore import Qt  # not at start-up: see ui/style.py

                candidate = focused.nextInFocusChain()
                while candidate is not None and candidate is not focused:
                    if (candidate.focusPolicy() & Qt.FocusPolicy.TabFocus
                            == Qt.FocusPolicy.TabFocus and candidate.focusProxy() is None
                            and candidate.isVisibleTo(widget) and candidate.isEnabled()
                            and widget.isAncestorOf(candidate)):
                        target = candidate
                        break
                    candidate = candidate.nextInFocusChain()
            (target or widget).setFocus()
        self.currentChanged.emit(index)

    def _show(self, widget: QWidget) -> None:
        self._current = widget
        if widget.geometry() != self.rect():
            widget.setGeometry(self.rect())
        widget.raise_()
        widget.show()

    # -- size ---------------------------------------------------------------------------------

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        if self._current is not None:
            self._current.setGeometry(self.rect())

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt name)
        """A page's least size changes only with its layout (a LayoutRequest reaches the page
        when a layout in it changes what it needs), its font or its style."""
        if event.type() in _HINT_EVENTS:
            self._least.pop(watched, None)
        return False

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._least.clear()
        elif kind == QEvent.Type.ChildRemoved:  # a page deleted: QStackedWidget forgets it too
            import shiboken6

            for page in list(self._pages):
                if not shiboken6.isValid(page) or page.parent() is not self:
                    self._take(page, gone=True)
        elif kind == QEvent.Type.LayoutRequest:
            # the page on screen asks to be measured again (it was shown, or its size limits
            # changed): the window's layout hears of it only if the stack's least size changed,
            # not on every Next
            if self._current is not None:
                self._least.pop(self._current, None)
            if self.minimumSizeHint() != self._told:
                self.updateGeometry()
        return super().event(event)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt name)
        return False

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        """The pages' least size with room to spare. The window is sized by the user, never by
        this hint."""
        return self.minimumSizeHint().expandedTo(QSize(480, 360))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        """What QStackedLayout gives (the largest least size of the pages), without asking
        each page for its preferred size on the way (qSmartMinSize does, and throws it away
        for any page that may shrink). Kept until a page's layout, font or style changes: the
        window's layout asks for it several times when it is laid out."""
        need = QSize(0, 0)
        for page in self._pages:
            limits = (page.minimumSize(), page.maximumSize())  # set by code, no event
            known = self._least.get(page)
            if known is None or known[0] != limits:
                known = self._least[page] = (limits, _least_size(page))
            need = need.expandedTo(known[1])
        self._told = need
        return QSize(need)


def _least_size(page: QWidget) -> QSize:
    """What QStackedLayout counts for one page."""
    from PySide6.QtWidgets import QSizePolicy

    shrink = QSizePolicy.PolicyFlag.ShrinkFlag.value
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
    return QSize(width, height)
