"""The sidebar: the sections with how much of each is done, and under them the section on
screen opened into its standards with their status (symbol and words, never colour alone).

A mixin of `MainWindow` (ui/main_window.py). After an answer only the rows whose
text changed are touched (each change relays the list).
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QListWidgetItem

from nasro_desktop.ui import style
from nasro_desktop.ui.navigation import HOME, PROFILE, READINESS, REVIEW, SIDEBAR_WIDTH
from nasro_desktop.ui.window_parts import WindowParts


class Sidebar(WindowParts):
    """The section list and the standards list (mixed into MainWindow)."""

    def _sidebar_width(self) -> int:
        """Narrower on a small screen, wider (up to 1.4x) with larger text; items wrap."""
        base = SIDEBAR_WIDTH if self.width() >= self.NARROW_WIDTH else SIDEBAR_WIDTH - 50
        return round(base * min(1.4, max(1.0, style.current_scale())))

    @Slot(int)
    def _sidebar_changed(self, row: int) -> None:
        if row < 0 or row >= len(self.sections):
            return
        section_id = self.sections[row][0]
        if self.current_page and self.section_of(self.current_page) == section_id:
            return
        self.go_to_section(section_id, focus=False)

    def _fill_standards(self, section_id: str, *, force: bool = False) -> None:
        """The standards list under the sidebar: the section on screen, opened up. Rebuilt
        only when the section or the answers changed; otherwise only the selection moves."""
        from PySide6.QtCore import Qt

        session = self.session
        if session is None:
            return
        if section_id == self._standards_section and not force:
            current = self._specs.get(self.current_page)
            listing = self.standards_list
            for row in range(listing.count()):
                item = listing.item(row)
                if current is not None and item.data(Qt.ItemDataRole.UserRole) == \
                        current.standard_id:
                    if listing.currentRow() != row:
                        listing.blockSignals(True)
                        listing.setCurrentRow(row)
                        listing.blockSignals(False)
                        listing.scrollToItem(item)
                    break
            return
        if section_id not in {s.id for s in session.form.sections}:
            self.standards_list.hide()
            self._standards_section = ""
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
        listing = self.standards_list
        current = self._specs.get(self.current_page)
        listing.blockSignals(True)
        same = section_id == self._standards_section and listing.count() == len(rows) and all(
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
                if current is not None and current.standard_id == standard.id:
                    listing.setCurrentItem(item)
        listing.blockSignals(False)
        if same:
            self._standards_section = section_id
            listing.show()
            return
        if self.standards_list.currentItem() is not None:
            self.standards_list.scrollToItem(self.standards_list.currentItem())
        self._standards_section = section_id
        self.standards_list.show()

    @Slot(QListWidgetItem)
    def _standard_chosen(self, item: QListWidgetItem) -> None:
        from PySide6.QtCore import Qt

        from nasro_desktop.ui.home_page import first_page_of_standard

        if self.session is None:
            return
        page_id = first_page_of_standard(self.session, item.data(Qt.ItemDataRole.UserRole))
        if page_id != self.current_page:
            self.go_to(page_id)

    def _select_section(self, section_id: str) -> None:
        for row, (sid, _title) in enumerate(self.sections):
            if sid == section_id and self.sidebar.currentRow() != row:
                # only when it moves: setting the same row again repainted the whole list
                self.sidebar.blockSignals(True)
                self.sidebar.setCurrentRow(row)
                self.sidebar.blockSignals(False)

    def _refresh_sidebar(self) -> None:
        from PySide6.QtCore import Qt

        session = self.session
        if session is None:
            return
        readiness = session.readiness
        figures = {f.section.id: f for f in readiness.sections}
        changed = False
        for row, (section_id, title) in enumerate(self.sections):
            if section_id == HOME:
                from nasro_desktop.ui.home_page import status_words, to_confirm

                mark = status_words(readiness, len(to_confirm(session)))[1] \
                    .split(":")[0].split(";")[0]
            elif section_id == PROFILE:
                from nasro_desktop.ui.home_page import profile_figures

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
            item = self.sidebar.item(row)
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
            self._fit_sidebar_height()

    def _fit_sidebar_height(self) -> None:
        """The section list as tall as its entries (never scrolled); the standards under it
        take the rest of the height."""
        sidebar = self.sidebar
        sidebar.doItemsLayout()
        height = 2 * sidebar.frameWidth() + 4
        for row in range(sidebar.count()):
            height += sidebar.visualItemRect(sidebar.item(row)).height() + 2 * sidebar.spacing()
        room = self.outer.height() - 16
        if room > 0:  # large text on a small screen: it scrolls rather than push the window
            height = min(height, int(room * 0.62))
        if sidebar.height() != height:
            sidebar.setFixedHeight(height)
