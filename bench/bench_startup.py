"""Start-up speed and memory of the window, against a bare PySide6 window measured in the same run.

Prints `name: value unit` lines:
- cold start: process start until the start screen is on screen with its list loaded (the app
  prints "startup: shown" when NASRO_STARTUP_PROBE=1), median of several runs, and the same for
  a bare QMainWindow; their ratio (target <= 1.5);
- peak memory (ru_maxrss of the child) of both and their ratio (target <= 1.5);
- next-page switch: Next pressed until the next question page is shown, on the sample, for every
  interview page (median and worst), with the next page built ahead in idle time as in normal
  use, and also the worst first-time build of a page;
- with --instructions, the start-up's CPU instructions (valgrind) against the bare window's:
  steady where wall times are not;

usage: .venv/bin/python bench/bench_startup.py [--runs N] [--instructions]
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("Hello"))
window.resize(1366, 768)
window.show()
def shown():
    print("startup: shown", flush=True)
    app.quit()
QTimer.singleShot(0, shown)
app.exec()
"""


def child_env(data_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["NASRO_DATA_DIR"] = data_dir
    env["NASRO_STARTUP_PROBE"] = "1"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_once(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Seconds from spawn until the child says it is shown, and its peak memory in KiB."""
    start = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                             cwd=ROOT, text=True)
    shown_at = None
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith("startup: shown"):
            shown_at = time.perf_counter()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if shown_at is None or child.returncode != 0:
        raise SystemExit(f"{args}: never showed its window (exit {child.returncode})")
    return shown_at - start, usage.ru_maxrss


def fill_data(data_dir: str) -> None:
    """Three saved assessments, so the start screen has a real list to load."""
    code = (
        "from nasro_desktop.store import Store\n"
        "from nasro_desktop.session import Session\n"
        f"store = Store.open({data_dir!r})\n"
        "for _ in range(3):\n"
        "    Session.open_sample(store)\n"
        "store.close()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=child_env(data_dir), cwd=ROOT)


def cold_start(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data_dir = str(Path(folder) / "data")
        fill_data(data_dir)
        env = child_env(data_dir)
        app_args = [sys.executable, "-m", "nasro_desktop"]
        bare_args = [sys.executable, "-c", BARE]
        run_once(app_args, env)  # warm the OS file cache and .pyc files for both
        run_once(bare_args, env)
        app_times, bare_times, app_mem, bare_mem = [], [], [], []
        for _ in range(runs):  # interleaved, so both see the same machine load
            seconds, kib = run_once(bare_args, env)
            bare_times.append(seconds)
            bare_mem.append(kib)
            seconds, kib = run_once(app_args, env)
            app_times.append(seconds)
            app_mem.append(kib)
    app_s, bare_s = statistics.median(app_times), statistics.median(bare_times)
    app_m, bare_m = max(app_mem), max(bare_mem)
    print(f"cold_start_app: {app_s * 1000:.0f} ms")
    print(f"cold_start_bare_window: {bare_s * 1000:.0f} ms")
    print(f"cold_start_ratio: {app_s / bare_s:.2f} x")
    print(f"peak_memory_app: {app_m / 1024:.1f} MiB")
    print(f"peak_memory_bare_window: {bare_m / 1024:.1f} MiB")
    print(f"peak_memory_ratio: {app_m / bare_m:.2f} x")


def page_switch() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from nasro_desktop.store import Store
    from nasro_desktop.ui import style
    from nasro_desktop.ui.main_window import MainWindow

    style.apply(app, style.NORMAL)
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "data")
        window = MainWindow(store)
        window.resize(1366, 768)
        window.show()
        window.show_start()
        window.open_sample()
        app.processEvents()
        question_pages = [p.id for p in window.session.pages]

        cpu: list[float] = []

        def next_and_paint() -> float:
            start, start_cpu = time.perf_counter(), time.thread_time()
            window.workspace.go_next()
            app.processEvents()  # lays out and paints what changed: the new page is drawn
            cpu.append(time.thread_time() - start_cpu)
            return time.perf_counter() - start

        # first visit of every page, nothing built ahead (worst case)
        window.workspace._prebuild.stop()
        builds = []
        window.go_to(question_pages[0])
        window.workspace._prebuild.stop()
        for _ in question_pages[1:]:
            builds.append(next_and_paint())
            window.workspace._prebuild.stop()
        # normal use: the user reads a page (idle time builds the next), then presses Next
        window.go_to(question_pages[0])
        switches = []
        cpu.clear()
        for _ in question_pages[1:]:
            deadline = time.perf_counter() + 0.2
            while time.perf_counter() < deadline:  # idle time while the user reads
                app.processEvents()
                time.sleep(0.005)
            switches.append(next_and_paint())
        window.close()
        store.close()
    print(f"next_page_switch_median: {statistics.median(switches) * 1000:.1f} ms")
    print(f"next_page_switch_cpu_median: {statistics.median(cpu) * 1000:.1f} ms")
    print(f"next_page_switch_worst: {max(switches) * 1000:.1f} ms")
    print(f"next_page_first_build_median: {statistics.median(builds) * 1000:.1f} ms")
    print(f"next_page_first_build_worst: {max(builds) * 1000:.1f} ms")


def instructions(args: list[str], env: dict[str, str]) -> int:
    """CPU instructions from spawn to exit (valgrind's callgrind): the same work counts the same
    on a busy machine, where wall times swing by 2x."""
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "log"
        subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                        f"--log-file={log}", *args], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for line in log.read_text().splitlines():
            if "Collected :" in line:
                return int(line.rsplit(":", 1)[1])
    raise SystemExit("callgrind printed no count")


def cold_start_instructions() -> None:
    """The start-up's instructions against a bare window's (each runs until its first paint and
    quits): a steadier figure for the ratio than wall time. Needs valgrind (~1 minute)."""
    with tempfile.TemporaryDirectory() as folder:
        data_dir = str(Path(folder) / "data")
        fill_data(data_dir)
        env = child_env(data_dir)
        app = instructions([sys.executable, "-m", "nasro_desktop"], env)
        bare = instructions([sys.executable, "-c", BARE], env)
    print(f"cold_start_instructions_app: {app / 1e6:.0f} M")
    print(f"cold_start_instructions_bare_window: {bare / 1e6:.0f} M")
    print(f"cold_start_instructions_ratio: {app / bare:.2f} x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", choices=["start", "switch"], help="run one part only")
    parser.add_argument("--instructions", action="store_true",
                        help="also count the start-up's instructions (needs valgrind)")
    args = parser.parse_args()
    # An installed app has its .pyc files (pip compiles them); a checkout run with
    # PYTHONDONTWRITEBYTECODE would recompile every module in every child process.
    compileall.compile_dir(ROOT / "nasro_desktop", quiet=1)
    if args.only != "switch":
        cold_start(args.runs)
        if args.instructions:
            cold_start_instructions()
    if args.only != "start":
        page_switch()


if __name__ == "__main__":
    main()
