"""Slow work (the report, printing, import, backup) off the GUI thread, with progress.

`run_task` runs `work(progress)` on a thread from Qt's global pool. The window keeps
answering the whole time. If the work is still running after half a second, a progress
dialog appears (a quick task never flashes one). `on_done(result)` or `on_error(exception)`
then runs on the GUI thread, so both may touch widgets freely.

`work` receives a `progress(fraction)` callable (0.0 .. 1.0) it may call as often as it
likes from the worker thread; values are forwarded to the dialog through a queued signal.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")

SHOW_AFTER_MS = 500  # a task quicker than this never shows a dialog
_STEPS = 1000  # the dialog's range; progress fractions map onto it
PROGRESS_EVERY_S = 0.05  # at most ~20 progress updates a second cross to the GUI thread

# Tasks still running. A task outlives the widget that started it (a closed window must not
# crash a worker that finishes later). Each task is owned by the application object and
# deleted with deleteLater() on the GUI thread, never by a Python reference dropped on the
# worker thread.
_running: set[_Task] = set()


class _Task(QObject):
    """Lives on the GUI thread; the worker only emits its signals (queued across threads)."""

    progressed = Signal(float)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        parent_widget: QWidget | None,
        title: str,
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        super().__init__(QCoreApplication.instance())  # see _running
        self._on_done = on_done
        self._on_error = on_error
        self._dialog: QProgressDialog | None = None
        if parent_widget is not None and shiboken6.isValid(parent_widget):
            dialog = QProgressDialog(parent_widget)
            dialog.setWindowTitle(title)
            dialog.setLabelText(f"{title.rstrip('.…')}\u2026 Please wait.")
            dialog.setAccessibleName(title)
            dialog.setAccessibleDescription(f"Progress of: {title}. The window is still usable.")
            dialog.setCancelButton(None)  # nothing we run can be safely half-done
            dialog.setRange(0, _STEPS)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            # QProgressDialog shows itself only once this much time has passed unfinished.
            dialog.setMinimumDuration(SHOW_AFTER_MS)
            dialog.setValue(0)
            self._dialog = dialog
        # Progress is held back until half a second has passed: QProgressDialog on its own
        # would show early whenever its estimate of the total time exceeds the minimum.
        self._latest = 0.0
        self._started = time.monotonic()
        self._sent = 0.0  # worker side: last fraction emitted, and when
        self._sent_at = 0.0
        if self._dialog is not None:
            QTimer.singleShot(SHOW_AFTER_MS, self._dialog, self._reveal)
        self.progressed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self.succeeded.connect(self._on_succeeded, Qt.ConnectionType.QueuedConnection)
        self.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)

    # --- worker side (any thread) ---------------------------------------------------------

    def report_progress(self, fraction: float) -> None:
        try:
            value = min(1.0, max(0.0, float(fraction)))
        except (TypeError, ValueError):
            return
        # A renderer may report thousands of tiny steps; the dialog needs a few per second.
        now = time.monotonic()
        if value < 1.0 and (value - self._sent < 0.01 or now - self._sent_at < PROGRESS_EVERY_S):
            return
        self._sent, self._sent_at = value, now
        self.progressed.emit(value)

    # --- GUI side ------------------------------------------------------------------------

    def _reveal(self) -> None:
        dialog = self._dialog
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.show()
            self._on_progress(self._latest)

    @Slot(float)
    def _on_progress(self, fraction: float) -> None:
        self._latest = fraction
        if time.monotonic() - self._started < SHOW_AFTER_MS / 1000:
            return
        dialog = self._dialog
        if dialog is not None and shiboken6.isValid(dialog):
            # Never reach the maximum here: that is the "finished" signal for the dialog.
            dialog.setValue(min(_STEPS - 1, max(1, round(fraction * _STEPS))))

    def _finish(self) -> None:
        """The progress dialog closed for good, before any result message: `reset()` stops
        QProgressDialog's own timer, which otherwise showed it again at 0% over the message
        (its deletion waits until the message's event loop ends)."""
        dialog = self._dialog
        self._dialog = None
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.reset()
            dialog.hide()
            dialog.deleteLater()
        _running.discard(self)
        self.deleteLater()

    @Slot(object)
    def _on_succeeded(self, result: object) -> None:
        self._finish()
        self._on_done(result)

    @Slot(object)
    def _on_failed(self, error: object) -> None:
        self._finish()
        self._on_error(error)  # type: ignore[arg-type]


def run_task(
    parent: QWidget | None,
    title: str,
    work: Callable[[Callable[[float], None]], T],
    on_done: Callable[[T], None],
    on_error: Callable[[Exception], None],
) -> None:
    """Run `work(progress)` on a worker thread; call `on_done` / `on_error` on the GUI thread.

    A window-modal progress dialog titled `title` appears only if the work takes longer than
    half a second. There is no Cancel: the tasks we run (render, write, verify) are short
    and must not be left half-done.
    """
    task = _Task(parent, title, on_done, on_error)
    _running.add(task)

    def run() -> None:  # on a pool thread
        try:
            result = work(task.report_progress)
        except Exception as error:  # handed to on_error on the GUI thread
            task.failed.emit(error)
        else:
            task.succeeded.emit(result)

    QThreadPool.globalInstance().start(run)


def running_tasks() -> int:
    """How many tasks have not yet reported back (for tests and for closing the window)."""
    return len(_running)
