"""Speed of the window's pages (Next, answers, Review, Readiness) and the report actions, with
the built-in sample.

Prints `name: value unit` lines. Run: `.venv/bin/python bench/bench_pages.py`
(offscreen; no window appears; `--window-only` for the window figures alone). Figures are
medians of several runs unless noted. The `floor_*` lines are the same steps in a bare Qt
window measured in the same run (a page of plain labels and buttons switched in a stack; one
label changed and redrawn): compare against them, not against figures from another day or
machine (on a shared machine the absolute figures swing by 2x).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

RUNS = 7


def median_ms(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def report(name: str, value: float, unit: str) -> None:
    print(f"{name}: {value:.1f} {unit}" if unit != "count" else f"{name}: {int(value)} {unit}")


def floor_figures(app) -> dict[str, float]:
    """What the same steps cost in a bare Qt window of the same size, now, on this machine."""
    from PySide6.QtWidgets import (
        QFrame,
        QLabel,
        QMainWindow,
        QRadioButton,
        QStackedWidget,
        QVBoxLayout,
        QWidget,
    )

    window = QMainWindow()
    window.resize(1366, 768)
    stack = QStackedWidget(window)
    window.setCentralWidget(stack)
    text = ("Does the written agreement say who supervises the officer day to day, and who "
            "evaluates the officer's work at the school each year?")
    for _ in range(2):
        page = QWidget(stack)
        column = QVBoxLayout(page)
        column.addWidget(QLabel("A page title", page))
        for _question in range(4):
            box = QFrame(page)
            box.setFrameShape(QFrame.Shape.StyledPanel)
            inner = QVBoxLayout(box)
            label = QLabel(text, box)
            label.setWordWrap(True)
            inner.addWidget(label)
            for answer in ("Yes", "Partly", "No", "Not sure"):
                inner.addWidget(QRadioButton(answer, box))
            column.addWidget(box)
        column.addStretch(1)
        stack.addWidget(page)
    status = QLabel("", window)
    window.statusBar().addWidget(status)
    window.show()
    for _ in range(3):
        app.processEvents()
    state = {"i": 0}

    def switch() -> None:
        stack.setCurrentIndex(1 - stack.currentIndex())
        app.processEvents()

    def one_label() -> None:
        state["i"] += 1
        status.setText(f"{state['i']} of 140 answered")
        app.processEvents()

    figures = {"floor_bare_page_switch": median_ms(switch, runs=21),
               "floor_bare_label_redraw": median_ms(one_label, runs=21)}
    window.close()
    for name, value in figures.items():
        report(name, value, "ms")
    return figures


def window_figures(app) -> None:
    """In the real window with the sample, 1366x768: what a user waits for.

    - next_page_switch: Next pressed until the next question page is painted, the page read
      for 0.2 s first (idle time builds the next pages, as in use); median (also in CPU time)
      and worst;
    - review_first_show: the Review page shown for the first time with data, until painted,
      after the home page was on screen for 2 s (idle time builds and fills it, as in use);
    - home_and_sidebar_after_answer: an answer given until the sidebar and the page on screen
      are redrawn (the engine's evaluate included), on a question page and on the home page.
    """
    from nasro_desktop.store import Store
    from nasro_desktop.ui import style
    from nasro_desktop.ui.main_window import MainWindow
    from nasro_desktop.ui.navigation import HOME, PROFILE, REVIEW

    style.apply(app, style.NORMAL)

    def idle(seconds: float) -> None:
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.005)

    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "data")
        window = MainWindow(store)
        window.resize(1366, 768)
        window.show()
        window.show_start()
        window.open_sample()
        idle(2.0)  # the user reads the home page; idle time builds and fills Review
        start = time.perf_counter()
        window.go_to(REVIEW)
        app.processEvents()
        report("review_first_show", (time.perf_counter() - start) * 1000, "ms")
        pages = [p.id for p in window.session.pages]
        window.go_to(pages[0])
        switches = []
        cpu = []  # this process's CPU time: steadier than the clock on a shared machine
        for _ in pages[1:]:
            idle(0.2)
            start, start_cpu = time.perf_counter(), time.process_time()
            window.workspace.go_next()
            app.processEvents()
            switches.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        report("next_page_switch_median", statistics.median(switches), "ms")
        report("next_page_switch_cpu_median", statistics.median(cpu), "ms")
        report("next_page_switch_worst", max(switches), "ms")

        # the Profile page (tables of officers and schools), shown from Home after a pause
        window.go_to(HOME)
        idle(1.0)
        start = time.perf_counter()
        window.go_to(PROFILE)
        app.processEvents()
        report("profile_page_show", (time.perf_counter() - start) * 1000, "ms")

        session = window.session
        question = session.pages[3].question_ids[0]
        window.go_to(session.pages[3].id)
        idle(0.2)
        values = ["met", "partly"]

        def answer_and_redraw() -> None:
            session.set_answer(question, values[0])
            values.reverse()
            window.refresh_now()
            app.processEvents()

        report("sidebar_and_page_after_answer", median_ms(answer_and_redraw, runs=9), "ms")
        window.go_to(HOME)
        idle(0.1)
        report("home_and_sidebar_after_answer", median_ms(answer_and_redraw, runs=9), "ms")
        home = window.workspace.pages[HOME]
        readiness = session.readiness
        report("home_set_data", median_ms(
            lambda: home.set_data(session.form, session.assessment, readiness), runs=9), "ms")
        window.close()
        store.close()


def main() -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    floor_figures(app)
    window_figures(app)
    if "--window-only" in sys.argv:
        return 0

    start = time.perf_counter()
    from nasro_desktop.ui.readiness_page import ReadinessPage
    from nasro_desktop.ui.review_page import ReviewPage
    from nasro_desktop.ui.review_rows import Filter
    from nasro_desktop.ui.section_bars import SectionBars

    report("import_pages", (time.perf_counter() - start) * 1000, "ms")

    from nasro_desktop.domain.forms import current_form
    from nasro_desktop.domain.sample import sample_assessment
    from nasro_desktop.domain.scoring import evaluate

    form = current_form()
    assessment = sample_assessment(form)
    readiness = evaluate(form, assessment)
    report("evaluate_sample", median_ms(lambda: evaluate(form, assessment)), "ms")

    start = time.perf_counter()
    ready = ReadinessPage()
    report("readiness_page_construct", (time.perf_counter() - start) * 1000, "ms")
    ready.resize(1366 - 260, 700)
    ready.show()
    app.processEvents()
    start = time.perf_counter()
    ready.set_data(form, assessment, readiness)
    report("readiness_set_data_first", (time.perf_counter() - start) * 1000, "ms")
    # What the user waits for after each action-plan edit: evaluate + set_data again.
    report(
        "readiness_refresh_after_edit",
        median_ms(lambda: ready.set_data(form, assessment, evaluate(form, assessment))),
        "ms",
    )
    report("readiness_paint_1366x768", median_ms(lambda: ready.grab()), "ms")

    start = time.perf_counter()
    review = ReviewPage()
    report("review_page_construct", (time.perf_counter() - start) * 1000, "ms")
    review.resize(1366 - 260, 700)
    review.show()
    app.processEvents()
    report("review_set_data", median_ms(lambda: review.set_data(form, assessment, readiness)), "ms")
    cycle = [Filter.UNANSWERED, Filter.NOT_MET, Filter.FLAGGED, Filter.ALL]
    state = {"i": 0}

    def switch() -> None:
        review.set_filter(cycle[state["i"] % len(cycle)])
        state["i"] += 1

    report("review_filter_switch", median_ms(switch, runs=12), "ms")
    report("review_paint_1366x768", median_ms(lambda: review.grab()), "ms")

    # In the window only the page on screen is refreshed; a hidden page defers the work.
    review.hide()
    ready.hide()
    report("review_set_data_hidden", median_ms(lambda: review.set_data(form, assessment, readiness)), "ms")
    report("readiness_set_data_hidden", median_ms(lambda: ready.set_data(form, assessment, readiness)), "ms")
    start = time.perf_counter()
    review.show()
    app.processEvents()
    report("review_show_with_pending_data", (time.perf_counter() - start) * 1000, "ms")

    bars = SectionBars()
    bars.set_figures(readiness.sections)
    bars.resize(1000, bars.sizeHint().height())
    report("section_bars_paint", median_ms(lambda: bars.grab()), "ms")

    heavy = [m for m in ("reportlab", "pypdfium2") if m in sys.modules]
    report("heavy_modules_loaded_by_pages", len(heavy), "count")

    from nasro_desktop.ui import report_actions
    from nasro_desktop.ui.tasks import run_task

    def roundtrip() -> None:
        done: list[object] = []
        run_task(None, "nothing", lambda progress: 1, done.append, done.append)
        while not done:
            app.processEvents()

    report("run_task_roundtrip", median_ms(roundtrip, runs=20), "ms")

    with tempfile.TemporaryDirectory() as folder:
        finished: list[object] = []
        target = Path(folder) / "report.pdf"
        start = time.perf_counter()
        report_actions.save_pdf_report(
            None, form, assessment, readiness, path=target, open_when_done=False,
            on_finished=finished.append,
        )
        while not finished:
            app.processEvents()
        report("save_pdf_report_first_incl_reportlab_import", time.perf_counter() - start, "s")
        times = []
        for _ in range(3):
            finished.clear()
            start = time.perf_counter()
            report_actions.save_pdf_report(
                None, form, assessment, readiness, path=target, open_when_done=False,
                on_finished=finished.append,
            )
            while not finished:
                app.processEvents()
            times.append(time.perf_counter() - start)
        report("save_pdf_report", statistics.median(times), "s")
        report("report_size", target.stat().st_size / 1024, "KiB")

        from PySide6.QtPrintSupport import QPrinter

        if report_actions.printing_available():
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(Path(folder) / "printed.pdf"))
            pages: list[object] = []
            start = time.perf_counter()
            report_actions.print_report(
                None, form, assessment, readiness, printer=printer, on_finished=pages.append
            )
            while not pages:
                app.processEvents()
            elapsed = time.perf_counter() - start
            report("print_report_300dpi_to_pdf_printer", elapsed, "s")
            report("print_report_pages", pages[0] or 0, "count")
            if pages[0]:
                report("print_report_per_page", elapsed * 1000 / pages[0], "ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
