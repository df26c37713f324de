"""Evidence files for one standard: a small list in the help panel with Add file…, Open,
Save a copy… and Remove (with Undo), a description and a "valid until" date, and drag and drop.

The panel reads through the store's evidence methods (no SQL here) and changes the records
through the Session, which tells the window (the verdict is judged again). Copying a file in
(hash + copy + fsync) runs on a worker thread with progress (ui/tasks.py); the record is then
written on the GUI thread, whose connection the store owns. Messages show inline with a
✔ / ✘ sign, never by colour alone, and never in a blocking box.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QDeadlineTimer, Qt, QThread, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFileDialog,
    QFrame,
    QGridLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nasro_desktop.domain.dates import long_date
from nasro_desktop.domain.evidence import Evidence, EvidenceKind, size_text
from nasro_desktop.events import SessionEvent
from nasro_desktop.store import StoreError
from nasro_desktop.ui.labels import wrap_label
from nasro_desktop.ui.tasks import run_task, running_tasks
from nasro_desktop.ui.widgets import OptionalDateEdit

if TYPE_CHECKING:
    from nasro_desktop.session import Session
    from nasro_desktop.store.evidence import Staged

_ID_ROLE = Qt.ItemDataRole.UserRole + 1  # each file's record id


def describe(item: Evidence, as_of: date) -> str:
    """Two lines for the list: the title, then added / valid until / size in words."""
    first = item.file_name if not item.description else f"{item.description} ({item.file_name})"
    parts = [f"Added {long_date(item.added.date())}"]
    if item.valid_until is not None:
        mark = "✘ expired" if item.expired(as_of) else "valid until"
        parts.append(f"{mark} {long_date(item.valid_until)}")
    parts.append(size_text(item.size))
    return first + "\n" + " · ".join(parts)


class EvidencePanel(QFrame):
    """The files attached to one (kind, key) of one assessment."""

    changed = Signal()  # a file was attached, edited, removed or put back

    def __init__(self, session: Session, kind: EvidenceKind | str, key: str,
                 *, as_of: date, standard_id: str = "", label: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.store = session.store  # for reading the files; changes go through the session
        self.assessment_id = session.assessment_id
        self.kind = EvidenceKind(kind)
        self.key = key
        self.as_of = as_of
        self.standard_id = standard_id or (key if self.kind is EvidenceKind.STANDARD else "")
        self.label = label or f"{self.kind.label} {key}"
        # "Open" hands the private copy to the system's viewer; tests record it instead.
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        self._last_removed: int | None = None
        self._kept = False  # a change of this list waits for the window's retry (full disk, busy)
        self.setAccessibleName(f"Evidence files for {self.label}")
        self.setAcceptDrops(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        self.heading = wrap_label("Evidence files", "heading", self)
        layout.addWidget(self.heading)
        self.hint = wrap_label("Attach the documents themselves: use Add file… or drop files "
                               "here. Each file is kept as soon as it is attached.", "subtle",
                               self)
        layout.addWidget(self.hint)
        self.list = QListWidget(self)
        self.list.setAccessibleName(f"Files attached to {self.label}")
        self.list.setAccessibleDescription(
            "Arrow keys choose a file; Enter opens it; Delete removes it (it can be undone).")
        self.list.setMaximumHeight(110)
        self.list.setWordWrap(True)
        self.list.currentRowChanged.connect(self._on_current)
        self.list.itemActivated.connect(lambda _item: self.open_selected())
        layout.addWidget(self.list)

        # The description and "valid until" fields are made when the first file is listed:
        # a page with no evidence yet does not pay ~5 ms for a date field.
        self.details = QVBoxLayout()
        self.details.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.details)
        self.description: QLineEdit | None = None
        self.valid_until: OptionalDateEdit | None = None

        buttons = QGridLayout()
        self.add_button = self._button("Add file…", "Attach a file from this computer",
                                       self.add_files)
        self.open_button = self._button("Open", "Open a private copy of the chosen file",
                                        self.open_selected)
        self.save_button = self._button("Save a copy…", "Save a checked copy of the chosen "
                                        "file elsewhere", self.save_copy)
        self.remove_button = self._button("Remove", "Remove the chosen file from this list "
                                          "(it can be undone)", self.remove_selected)
        self.undo_button = self._button("Undo remove", "Put back the file just removed",
                                        self.undo_remove)
        for index, button in enumerate((self.add_button, self.open_button, self.save_button,
                                        self.remove_button)):
            buttons.addWidget(button, index // 2, index % 2)
        buttons.addWidget(self.undo_button, 2, 0, 1, 2)
        layout.addLayout(buttons)
        self.message = wrap_label("", None, self)
        self.message.setAccessibleName("Evidence message")
        layout.addWidget(self.message)
        self.message.hide()
        self.undo_button.hide()
        self.refresh()
        session.add_listener(self._on_session_event)

    def _on_session_event(self, event: SessionEvent, _payload: object) -> None:
        """A change kept on a full disk or a busy file shows in the list once the window's
        retry has saved it."""
        if not shiboken6.isValid(self):  # the panel went with its page
            self.session.remove_listener(self._on_session_event)
            return
        if event is SessionEvent.SAVED and self._kept:
            self._kept = False
            self._after_change(True)
            self.say("Saved.")

    def _button(self, text: str, description: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(text.rstrip("…"))
        button.setAccessibleDescription(description)
        button.clicked.connect(slot)
        return button

    # --- drawing -------------------------------------------------------------------------

    def items(self) -> list[Evidence]:
        """The files, or none with a message: the page around must open whatever happens."""
        try:
            return self.store.evidence.records(self.assessment_id, self.kind, self.key)
        except StoreError:
            self.say("The list of evidence files could not be read just now. Open the "
                     "assessment again to see it.", ok=False)
            return []

    def refresh(self, select_id: int | None = None) -> None:
        current = select_id if select_id is not None else self.current_id()
        self.list.blockSignals(True)
        self.list.clear()
        row = -1
        for index, item in enumerate(self.items()):
            entry = QListWidgetItem(describe(item, self.as_of))
            entry.setData(_ID_ROLE, item.id)
            entry.setToolTip(f"SHA-256 {item.sha256}")
            self.list.addItem(entry)
            if item.id == current:
                row = index
        if row < 0 and self.list.count():
            row = 0
        self.list.setCurrentRow(row)
        self.list.blockSignals(False)
        count = self.list.count()
        self.list.setAccessibleDescription(
            f"{count} file{'s' if count != 1 else ''} attached. Arrow keys choose a file; "
            "Enter opens it.")
        self._on_current(row)

    def current_id(self) -> int | None:
        entry = self.list.currentItem()
        return None if entry is None else int(entry.data(_ID_ROLE))

    def _make_details(self) -> None:
        self.description = QLineEdit(self)
        self.description.setPlaceholderText("Description (optional)")
        self.description.setAccessibleName("Description of the chosen file")
        self.description.editingFinished.connect(self._save_description)
        self.details.addWidget(self.description)
        self.valid_until = OptionalDateEdit(self, default_date=self.as_of,
                                            name="Valid until (optional)",
                                            description="When the chosen file stops being proof, "
                                            "for example a certificate's expiry.")
        self.valid_until.value_changed.connect(self._save_valid_until)
        self.details.addWidget(wrap_label("Valid until (optional):", "subtle", self))
        self.details.addWidget(self.valid_until)
        # made after the buttons, they still come between the list and the buttons for Tab
        QWidget.setTabOrder(self.list, self.description)
        QWidget.setTabOrder(self.description, self.valid_until)
        QWidget.setTabOrder(self.valid_until, self.add_button)

    @Slot(int)
    def _on_current(self, _row: int) -> None:
        chosen = self.current_id()
        for widget in (self.open_button, self.save_button, self.remove_button):
            widget.setEnabled(chosen is not None)
        if self.description is None or self.valid_until is None:
            if chosen is None:
                return
            self._make_details()
            assert self.description is not None and self.valid_until is not None
        item = self.store.evidence.get(chosen) if chosen is not None else None
        self.description.setEnabled(item is not None)
        self.valid_until.setEnabled(item is not None)
        self.description.setText(item.description if item else "")
        self.valid_until.set_date_value(item.valid_until if item else None)

    def say(self, text: str, ok: bool = True) -> None:
        self.message.setText(("✔ " if ok else "✘ ") + text)
        self.message.show()

    def _after_change(self, saved: object, select_id: int | None = None) -> bool:
        """After a change through the session: the list again (and `changed`); or, when it
        was kept for the window's retry (False: a full disk, a busy file), that said here and
        in the list once saved. True when saved."""
        if saved is False:
            self._kept = True
            self.say(self.session.state.message, ok=False)
            return False
        self.refresh(select_id=select_id)
        self.changed.emit()
        return True

    # --- attaching ------------------------------------------------------------------------

    @Slot()
    def add_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, f"Attach files to {self.label}")
        self.attach_paths([Path(name) for name in names])

    def attach_paths(self, paths: list[Path], *, wait: bool = False) -> None:
        """Copy each file in on a worker thread (progress after half a second), then record
        it. `wait` blocks until done (drag and drop tests, the CLI)."""
        for path in paths:
            def work(progress: Callable[[float], None], path: Path = path) -> Staged:
                return self.store.evidence.stage(
                    path, lambda done, total: progress(done / total if total else 1.0))

            run_task(self.window(), f"Attaching {path.name}", work, self._staged,
                     self._failed)
        if wait:
            deadline = QDeadlineTimer(30_000)
            while running_tasks() and not deadline.hasExpired():
                QCoreApplication.processEvents()
                QThread.msleep(5)
            QCoreApplication.processEvents()

    def _staged(self, staged: Staged) -> None:
        try:
            item = self.session.record_evidence(staged, self.kind, self.key,
                                                standard_id=self.standard_id)
        except StoreError as error:
            if shiboken6.isValid(self):
                self._failed(error)
            return
        if not shiboken6.isValid(self):  # the dialog was closed while the file was copied in
            return
        if item is None:  # kept: saved with the other waiting changes (Session.retry)
            self._kept = True
            self.say(f"{staged.file_name} is copied in but not yet listed: "
                     f"{self.session.state.message}", ok=False)
            return
        self._after_change(True, item.id)
        self.say(f"Attached {item.file_name} ({size_text(item.size)}).")

    def _failed(self, error: Exception) -> None:
        if isinstance(error, (StoreError, OSError)):
            text = str(error) if isinstance(error, StoreError) else (
                f"The file could not be copied in ({error.strerror or error}). Check there is "
                "room on the disk and try again.")
            self.say(text, ok=False)
        else:  # pragma: no cover - a fault in the app
            self.say("The file could not be attached because the app made a mistake; please "
                     "report it.", ok=False)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt's name)
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if urls and all(url.isLocalFile() for url in urls):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt's name)
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        event.acceptProposedAction()
        self.attach_paths(paths)

    # --- the chosen file ------------------------------------------------------------------

    def _guarded(self, action: Callable[[int], object]) -> object:
        chosen = self.current_id()
        if chosen is None:
            return None
        try:
            return action(chosen)
        except StoreError as error:
            self.say(str(error), ok=False)
            return None
        except OSError as error:  # the disk, not the app: say so plainly, never a traceback
            self.say(f"That could not be done: the computer reported a problem "
                     f"({error.strerror or error}). Check there is room on the disk and try "
                     "again.", ok=False)
            return None

    @Slot()
    def open_selected(self) -> None:
        path = self._guarded(self.store.evidence.open_copy)
        if isinstance(path, Path):
            if self.open_url(QUrl.fromLocalFile(str(path))) is False:  # no program for it
                self.say(f"No program on this computer opened {path.name}. A private copy "
                         f"is in {path.parent}: open it from there, or choose Save a copy… to keep "
                         "one where you like.",
                         ok=False)
                return
            self.say(f"Opened a private copy of {path.name}.")

    @Slot()
    def save_copy(self) -> None:
        chosen = self.current_id()
        if chosen is None:
            return
        item = self.store.evidence.get(chosen)
        name, _ = QFileDialog.getSaveFileName(self, "Save a copy", str(Path.home() /
                                                                        item.file_name))
        if name:
            self.save_copy_to(Path(name))

    def save_copy_to(self, dest: Path) -> None:
        saved = self._guarded(lambda chosen: self.store.evidence.save_copy(chosen, dest))
        if isinstance(saved, Path):
            self.say(f"Saved a checked copy as {saved}.")

    @Slot()
    def remove_selected(self) -> None:
        chosen = self.current_id()
        if chosen is None:
            return
        name = self.store.evidence.get(chosen).file_name
        try:
            saved = self.session.remove_evidence(chosen)
        except StoreError as error:
            self.say(str(error), ok=False)
            return
        if self._after_change(saved):
            self._last_removed = chosen
            self.undo_button.show()
            self.say(f"Removed {name} from this list. Undo remove puts it back.")

    @Slot()
    def undo_remove(self) -> None:
        if self._last_removed is None:
            return
        removed, self._last_removed = self._last_removed, None
        if self._after_change(self.session.restore_evidence(removed), removed):
            self.undo_button.hide()
            self.say("Put back.")

    @Slot()
    def _save_description(self) -> None:
        chosen = self.current_id()
        if chosen is None or self.description is None:
            return
        if self.store.evidence.get(chosen).description != self.description.text().strip():
            text = self.description.text()  # kept for a retry, it stays in the field
            self._after_change(self._guarded(
                lambda c: self.session.update_evidence(c, description=text)), chosen)

    @Slot(object)
    def _save_valid_until(self, value: date | None) -> None:
        chosen = self.current_id()
        if chosen is None:
            return
        self._after_change(self._guarded(
            lambda c: self.session.update_evidence(c, valid_until=value)), chosen)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.key() == Qt.Key.Key_Delete and self.list.hasFocus():
            self.remove_selected()
            return
        super().keyPressEvent(event)


def add_to_help(help_panel: QWidget, session: Session, standard_id: str, number: str,
                as_of: date) -> EvidencePanel:
    """Put an evidence panel for a standard in the interview page's help panel, under
    "What counts as evidence" (before the closing stretch)."""
    panel = EvidencePanel(session, EvidenceKind.STANDARD, standard_id, as_of=as_of,
                          label=f"standard {number}", parent=help_panel)
    layout = help_panel.layout()
    assert isinstance(layout, QBoxLayout), "the help panel is a column"
    layout.insertWidget(max(0, layout.count() - 1), panel)
    return panel
