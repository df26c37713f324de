"""The sidebar: the sections with how much of each is done, and under them the section on
screen opened into its standards with their status (symbol and words, never colour alone).

`Sidebar(session, sections, parent)` is a widget of the workspace (ui/navigation.py), which
tells it the page on screen (`show_section`) and redraws it after an answer (`refresh`); it
says what the user chose through `section_chosen` and `standard_chosen`. After an answer only
the rows whose text changed are touched (each change relays the list).
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, QSize, Qt, Signal, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from nasro_desktop.session import Session
from nasro_desktop.ui import style
from nasro_desktop.ui.home_page import profile_figures, status_words, to_confirm
from nasro_desktop.ui.page import HOME, PROFILE, READINESS, REVIEW
from nasro_desktop.ui.wrapped_rows import WrappedRowsDelegate

SIDEBAR_WIDTH = 250
NARROW_WIDTH = 1200  # below this window width the hints and the sidebar shrink


def sidebar_width(window_width: int) -> int:
    """Narrower on a small screen, wider (up to 1.4x) with larger text; items wrap."""
    base = SIDEBAR_WIDTH if window_width >= NARROW_WIDTH else SIDEBAR_WIDTH - 50
    return round(base * min(1.4, max(1.0, style.current_scale())))


def _wrapping_list(parent: QWidget, name: str, accessible: str, description: str) -> QListWidget:
    listing = QListWidget(parent)
    listing.setObjectName(name)
    listing.setWordWrap(True)
    listing.setItemDelegate(WrappedRowsDelegate(listing))
    listing.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    listing.setResizeMode(QListWidget.ResizeMode.Adjust)
    listing.setAccessibleName(accessible)
    listing.setAccessibleDescription(description)
    return listing


class Sidebar(QWidget):
    """The section list and, under it, the standards list of the section on screen."""

    section_chosen = Signal(str)  # a row of the section list (section id)
    standard_chosen = Signal(str)  # Enter or a click on a standard (standard id)

    def __init__(self, session: Session, sections: list[tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.sections = sections  # (section id, title), Home first, as in the list
        self.shown_section = ""  # the section the standards list shows ("" when hidden)
        self._current_standard = ""  # the standard of the page on screen, if any
        self._room = 0  # the height the sidebar may take, as last given
        side = QVBoxLayout(self)
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(6)
        self.section_list = _wrapping_list(
            self, "sections", "Sections",
            "Each section with how much of it is done. Choose one to go there.")
        self.section_list.setSpacing(3)
        self.section_list.setIconSize(QSize(28, 28))
        for section_id, title in sections:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, section_id)
            self.section_list.addItem(item)
        self.section_list.currentRowChanged.connect(self._row_changed)
        side.addWidget(self.section_list)
        # The section on screen, opened into its standards, each with its status in a symbol
        # and words (never colour alone); Enter or a click opens the standard's page.
        self.standards_list = _wrapping_list(
            self, "standards", "Standards in this section",
            "Each standard of the section on screen with its status. Enter opens it.")
        self.standards_list.itemActivated.connect(self._standard_item_chosen)
        self.standards_list.itemClicked.connect(self._standard_item_chosen)
        side.addWidget(self.standards_list, 1)
        side.addStretch(0)  # keeps the sections at the top when the standards are hidden

    def set_width(self, width: int) -> None:
        for listing in (self.section_list, self.standards_list):
            listing.setFixedWidth(width)
            listing.doItemsLayout()  # wrapped items measured again at the new size

    @Slot(int)
    def _row_changed(self, row: int) -> None:
        if 0 <= row < len(self.sections):
            self.section_chosen.emit(self.sections[row][0])

    @Slot(QListWidgetItem)
    def _standard_item_chosen(self, item: QListWidgetItem) -> None:
        self.standard_chosen.emit(item.data(Qt.ItemDataRole.UserRole))

    def show_section(self, section_id: str, standard_id: str = "", *,
                     force: bool = False) -> None:
        """The page on screen: its section selected, and the standards list under the sidebar
        showing that section opened up (`standard_id`, the page's standard, selected). The list
        is rebuilt only when the section or the answers changed (`force`); otherwise only the
        selection moves."""
        self._current_standard = standard_id
        for row, (sid, _title) in enumerate(self.sections):
            if sid == section_id and self.section_list.currentRow() != row:
                # only when it moves: setting the same row again repainted the whole list
                with QSignalBlocker(self.section_list):
                    self.section_list.setCurrentRow(row)
        listing = self.standards_list
        if section_id == self.shown_section and not force:
            for row in range(listing.count()):
                item = listing.item(row)
                if standard_id and item.data(Qt.ItemDataRole.UserRole) == standard_id:
                    if listing.currentRow() != row:
                        with QSignalBlocker(listing):
                            listing.setCurrentRow(row)
                        listing.scrollToItem(item)
                    break
            return
        session = self.session
        if section_id not in {s.id for s in session.form.sections}:
            listing.hide()
            if self.shown_section:  # the sections may take the whole height again
                self.shown_section = ""
                self.fit_height(self._room)
            return
        readiness = session.readiness
        rows = []
        for standard in session.form.standards_in(section_id):
            try:
                result = readiness.result(standard.id)
            except StopIteration:
                continue
            if result.not_started:
                mark = "○ Not answered yet"
            else:
                mark = f"{result.status.symbol} {result.status.label}"
            rows.append((standard, mark))
        with QSignalBlocker(listing):
            same = section_id == self.shown_section and listing.count() == len(rows) and all(
                listing.item(row).data(Qt.ItemDataRole.UserRole) == standard.id
                for row, (standard, _mark) in enumerate(rows))
            if not same:
                listing.clear()
            for row, (standard, mark) in enumerate(rows):
                text = f"{standard.number} {standard.title}\n    {mark}"
                if same:  # after an answer: only the rows whose status changed are touched
                    item = listing.item(row)
                    if item.text() == text:
                        continue
                    item.setText(text)
                else:
                    item = QListWidgetItem(text)
                    item.setData(Qt.ItemDataRole.UserRole, standard.id)
                item.setData(Qt.ItemDataRole.AccessibleTextRole,
                             f"{standard.number} {standard.title}: {mark}")
                item.setToolTip(f"{standard.cls.label} standard. {mark}. Enter opens it.")
                if not same:
                    listing.addItem(item)
                    if standard_id == standard.id:
                        listing.setCurrentItem(item)
        if not same and listing.currentItem() is not None:
            listing.scrollToItem(listing.currentItem())
        if not self.shown_section:  # the standards need their share of the height
            self.shown_section = section_id
            self.fit_height(self._room)
        self.shown_section = section_id
        listing.show()

    def refresh(self, room: int) -> None:
        """Each section's mark from the session's figures, and the standards list shown, after
        an answer. `room`: the height the sidebar may take."""
        session = self.session
        readiness = session.readiness
        figures = {f.section.id: f for f in readiness.sections}
        changed = False
        for row, (section_id, title) in enumerate(self.sections):
            if section_id == HOME:
                mark = status_words(readiness, len(to_confirm(session)))[1] \
                    .split(":")[0].split(";")[0]
            elif section_id == PROFILE:
                done, of = profile_figures(readiness)  # the count Home's Profile row says
                mark = "✔ all answered" if done >= of else f"{done} of {of} answered"
            elif section_id == REVIEW:
                mark = f"{readiness.answered} of {readiness.total} answered"
            elif section_id == READINESS:
                symbol = "✔" if readiness.verdict.value == "ready" else "✘"
                mark = f"{symbol} {readiness.verdict.label}"
                if not readiness.started:
                    mark = "○ Not started"
                elif not readiness.complete:
                    mark += " so far"
            else:
                figure = figures.get(section_id)
                if figure is None or figure.total == 0:
                    mark = "nothing to answer"
                elif figure.answered >= figure.total:
                    mark = "✔ all answered"  # answered, not met: the Readiness entry says that
                else:
                    mark = f"{figure.answered} of {figure.total} answered"
            item = self.section_list.item(row)
            if item.icon().isNull():
                number = next((s.number for s in session.form.sections if s.id == section_id),
                              None)
                item.setIcon(style.section_icon(section_id, number))
                changed = True
            text = f"{title}\n{mark}"
            if item.text() != text:  # only the rows that changed: each set relays the list
                item.setText(text)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{title}: {mark}")
                item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, f"Go to {title}")
                changed = True
        if changed:
            self.fit_height(room)
        if self.shown_section:
            self.show_section(self.shown_section, self._current_standard, force=True)

    def forget_icons(self) -> None:
        """The icons are drawn in the palette's colours: drawn again at the next refresh."""
        for row in range(self.section_list.count()):
            self.section_list.item(row).setIcon(QIcon())

    def fit_height(self, room: int) -> None:
        """The section list as tall as its entries (never scrolled); the standards under it,
        when a section's page shows them, take the rest of the height. `room`: the height of
        the workspace."""
        self._room = room
        sidebar = self.section_list
        sidebar.doItemsLayout()
        height = 2 * sidebar.frameWidth() + 4
        for row in range(sidebar.count()):
            height += sidebar.visualItemRect(sidebar.item(row)).height() + 2 * sidebar.spacing()
        room -= 16
        if room > 0:  # large text on a small screen: it scrolls rather than push the window
            height = min(height, int(room * (0.62 if self.shown_section else 1)))
        if sidebar.height() != height:
            sidebar.setFixedHeight(height)
