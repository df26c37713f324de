"""What the main window's parts share: its state, and the methods one part calls on another.

`MainWindow` (ui/main_window.py) is assembled from mixins: `Navigation` (ui/navigation.py),
`Sidebar` (ui/sidebar.py), `FileActions` (ui/file_actions.py) and `HelpDialogs`
(ui/help_dialogs.py). Each derives from `WindowParts`, so mypy checks each part against what it
really uses: the attributes declared here (set by `MainWindow.__init__` and
`Navigation._build_workspace`), the `QMainWindow` they are mixed into, and the methods a part
calls on another part or on the window (declared for type checking only).

At run time `WindowParts` is an empty plain class (annotations make no attributes), so nothing
here shadows a Qt method or changes the window's method order; `report/sections.py` does the
same for the report's parts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer, Signal
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import (
        QLabel,
        QListWidget,
        QListWidgetItem,
        QMainWindow,
        QMenu,
        QPushButton,
        QStackedWidget,
        QWidget,
    )

    from nasro_desktop.domain.model import Form
    from nasro_desktop.domain.pages import PageSpec
    from nasro_desktop.session import Session
    from nasro_desktop.store import Store
    from nasro_desktop.ui.recovery import UpgradeBar
    from nasro_desktop.ui.start_screen import StartScreen

    _Window = QMainWindow
else:
    _Window = object


class WindowParts(_Window):
    """The state every part of the main window reads (mixed into MainWindow)."""

    NARROW_WIDTH: ClassVar[int]  # below this window width the hints and the sidebar shrink

    # -- the data and the open assessment (MainWindow.__init__, _open_session) --
    store: Store
    session: Session | None
    newer_form: Form | None  # a newer question set for the open assessment, if any
    backup_running: bool  # the start-up automatic backup is being made
    _force_quit: bool  # closing without asking again

    # -- the pages (Navigation) --
    page_ids: list[str]  # the Back / Next order
    pages: dict[str, QWidget]  # the pages built so far
    sections: list[tuple[str, str]]  # (section id, title), as in the sidebar
    current_page: str
    _specs: dict[str, PageSpec]  # interview page id -> its spec
    _extra_pages: dict[str, str]  # a page outside Back / Next -> the page it belongs after
    _stale: set[str]  # pages to redraw when next shown
    _cursor: tuple[str, str | None]  # the question last jumped to: (page id, question id)
    _last_click: float  # when Back or Next was last clicked (double-click guard)
    _prebuild: QTimer
    _prepare_timer: QTimer
    _last_page_timer: QTimer

    # -- the widgets --
    outer: QStackedWidget  # the start screen or the workspace
    start: StartScreen
    workspace: QWidget | None  # the sidebar, the pages and Back / Next, while one is open
    stack: QStackedWidget  # the pages
    sidebar: QListWidget  # the sections
    standards_list: QListWidget  # the standards of the section on screen
    _standards_section: str  # the section the standards list shows ("" when hidden)
    upgrade_bar: UpgradeBar | None
    back_button: QPushButton
    next_button: QPushButton
    position: QLabel  # "Section: page 1 of 3 · step 4 of 20"
    backup_label: QLabel  # only when the automatic backup failed
    go_menu: QMenu
    section_actions: list[QAction]  # Go > a section (Ctrl+1...)

    if TYPE_CHECKING:
        # The window's signals (declared on MainWindow, a QObject).
        page_changed = Signal(str)
        maintenance_done = Signal()

        # -- MainWindow (ui/main_window.py) --
        def show_error(self, title: str, error: Exception) -> None: ...
        def show_start(self) -> None: ...
        def open_assessment(self, assessment_id: int) -> None: ...
        def _open_session(self, session: Session, page_id: str) -> None: ...
        def _close_session(self) -> None: ...
        def _action(self, menu: QMenu, text: str, slot: object, shortcut: object = None,
                    tip: str = "") -> QAction: ...
        def _refresh_page(self, page_id: str) -> None: ...
        def _evidence_for_report(self) -> list[object]: ...
        def save_action_item(self, item: object) -> None: ...

        # -- Navigation (ui/navigation.py) --
        def go_to(self, page_id: str, *, focus: bool = True) -> None: ...
        def go_to_section(self, section_id: str, *, focus: bool = True) -> None: ...
        def section_of(self, page_id: str) -> str: ...

        # -- Sidebar (ui/sidebar.py) --
        def _sidebar_width(self) -> int: ...
        def _sidebar_changed(self, row: int) -> None: ...
        def _fill_standards(self, section_id: str, *, force: bool = False) -> None: ...
        def _standard_chosen(self, item: QListWidgetItem) -> None: ...
        def _select_section(self, section_id: str) -> None: ...
        def _refresh_sidebar(self) -> None: ...
        def _fit_sidebar_height(self) -> None: ...

        # -- FileActions (ui/file_actions.py) --
        def export_current(self) -> None: ...
        def upgrade_questions(self) -> None: ...
