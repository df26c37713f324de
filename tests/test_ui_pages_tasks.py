"""Background work: run_task keeps the window responsive and reports back on the GUI thread."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from nasro_desktop.ui.tasks import SHOW_AFTER_MS, run_task, running_tasks


def _window(qtbot) -> QWidget:
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(400, 300)
    window.show()
    qtbot.waitExposed(window)
    return window


def _visible_dialogs(window: QWidget) -> list[QProgressDialog]:
    return [d for d in window.findChildren(QProgressDialog) if d.isVisible()]


def test_slow_work_runs_off_the_gui_thread_with_progress(qtbot):
    window = _window(qtbot)
    main = threading.get_ident()
    seen: dict[str, object] = {}
    results: list[object] = []
    errors: list[Exception] = []

    ticks_seen: list[int] = []  # how often the GUI's timer had fired, at each step of the work

    def work(progress):
        seen["thread"] = threading.get_ident()
        for step in range(10):
            time.sleep(0.1)  # a real slow function: 1 s in all
            ticks_seen.append(len(ticks))
            progress((step + 1) / 10)
        return "finished"

    def done(result):
        seen["done_thread"] = threading.get_ident()
        results.append(result)

    ticks = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()

    started = time.monotonic()
    run_task(window, "Making something slow", work, done, errors.append)
    assert results == [] and len(ticks_seen) < 10  # run_task returned before the work ended
    assert _visible_dialogs(window) == []  # nothing flashes at the start

    qtbot.waitUntil(lambda: bool(_visible_dialogs(window)), timeout=3000)
    shown_after = time.monotonic() - started
    assert shown_after >= SHOW_AFTER_MS / 1000 - 0.05  # a lower bound: load can't break it
    dialog = _visible_dialogs(window)[0]
    assert dialog.windowTitle() == "Making something slow"
    qtbot.waitUntil(lambda: dialog.value() > 0, timeout=3000)  # progress reaches the dialog

    qtbot.waitUntil(lambda: results == ["finished"], timeout=5000)
    timer.stop()
    assert errors == []
    assert seen["thread"] != main  # the work ran on a worker thread
    assert seen["done_thread"] == main  # on_done ran on the GUI thread
    # The event loop kept running during the work: the 20 ms timer fired between its steps.
    assert ticks_seen[-1] > ticks_seen[0]
    qtbot.waitUntil(lambda: _visible_dialogs(window) == [], timeout=2000)
    assert running_tasks() == 0


def test_quick_work_shows_no_dialog(qtbot):
    window = _window(qtbot)
    results = []
    run_task(window, "Quick", lambda progress: 41 + 1, results.append, lambda e: None)
    qtbot.waitUntil(lambda: results == [42], timeout=2000)
    qtbot.wait(SHOW_AFTER_MS + 200)  # well past the point where a dialog would appear
    assert _visible_dialogs(window) == []


def test_errors_reach_on_error_on_the_gui_thread(qtbot):
    window = _window(qtbot)
    main = threading.get_ident()
    caught: list[tuple[Exception, int]] = []
    done: list[object] = []

    class Broken(Exception):
        pass

    def work(progress):
        progress(0.5)
        time.sleep(0.05)
        raise Broken("the disk went away")

    run_task(window, "Failing", work, done.append,
             lambda error: caught.append((error, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(caught), timeout=3000)
    error, thread = caught[0]
    assert isinstance(error, Broken)
    assert str(error) == "the disk went away"
    assert thread == main
    assert done == []


def test_closing_the_window_mid_task_does_not_crash(qtbot):
    window = QWidget()
    window.show()
    results = []

    def work(progress):
        time.sleep(0.3)
        progress(1.0)
        return "late"

    run_task(window, "Outlives its window", work, results.append, lambda e: None)
    window.close()
    window.deleteLater()
    qtbot.waitUntil(lambda: results == ["late"], timeout=3000)
