"""The speed budgets a user feels (issue 21 §5), absolute on this machine, for one source tree
or two measured in the same run (interleaved, so both see the same machine load).

Prints `name: value unit` lines, one column per tree:
- start_screen_shown: process start until the start screen is on screen with its list of three
  saved assessments (the app prints "startup: shown" when NASRO_STARTUP_PROBE=1); budget 400 ms;
  start_screen_cpu: the same process's CPU time (it quits once shown);
- open_assessment: the start screen up for 1 s (as a user reads it), then one assessment
  opened until its home page is painted; budget 200 ms;
- review_first_show: Review shown the first time, after the home page was up for 2 s;
- next_median, next_worst: Next pressed until the next question page is painted, every page of
  the interview, each read for 0.2 s first; budget 16 ms median;
- board_pdf_saved: the board edition saved from the window (second time: reportlab loaded);
- cli_report_sample: `nasro-desktop report --sample --out FILE` as a new process; budget 1 s.

The `_cpu` figures are CPU time, steadier than the clock on a shared machine. Each figure is
the median of `--runs` processes. A warm user cache (the trees that had one) is
kept between runs, as on a user's computer.

usage: python bench/bench_budgets.py [--runs N] [--before OTHER_TREE]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent

WINDOW = r"""
import json, statistics, sys, tempfile, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from nasro_desktop.store import Store
from nasro_desktop.ui import style
from nasro_desktop.ui.main_window import MainWindow

def idle(seconds):
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.005)

out = {}
style.apply(app, style.NORMAL)
store = Store.open(sys.argv[1])
window = MainWindow(store)
window.resize(1366, 768)
window.show()
window.show_start()
idle(1.0)
first = store.list_assessments()[0].id
start, cpu = time.perf_counter(), time.process_time()
window.open_assessment(first)
app.processEvents()
window.grab()
out["open_assessment"] = (time.perf_counter() - start) * 1000
out["open_assessment_cpu"] = (time.process_time() - cpu) * 1000
idle(2.0)
from nasro_desktop.ui.navigation import REVIEW
start = time.perf_counter()
window.go_to(REVIEW)
app.processEvents()
out["review_first_show"] = (time.perf_counter() - start) * 1000
pages = [p.id for p in window.session.pages]
window.go_to(pages[0])
# the workspace moves between pages (a tree before issue 21: the window itself did)
moves = window.workspace if hasattr(window.workspace, "go_next") else window
switches, cpus = [], []
for _ in pages[1:]:
    idle(0.2)
    start, cpu = time.perf_counter(), time.process_time()
    moves.go_next()
    app.processEvents()
    switches.append((time.perf_counter() - start) * 1000)
    cpus.append((time.process_time() - cpu) * 1000)
out["next_median"] = statistics.median(switches)
out["next_cpu_median"] = statistics.median(cpus)
out["next_worst"] = max(switches)
from nasro_desktop.ui import report_actions
session = window.session
with tempfile.TemporaryDirectory() as folder:
    times = []
    for _ in range(2):
        done = []
        start = time.perf_counter()
        report_actions.save_pdf_report(None, session.form, session.assessment, session.readiness,
                                       path=Path(folder) / "r.pdf", open_when_done=False,
                                       on_finished=done.append)
        while not done:
            app.processEvents()
        times.append(time.perf_counter() - start)
    out["board_pdf_saved"] = times[-1] * 1000
window.close()
store.close()
print("BENCH " + json.dumps(out), flush=True)
"""


def env_for(root: Path, data_dir: Path, cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["NASRO_DATA_DIR"] = str(data_dir)
    env["NASRO_CACHE_DIR"] = str(cache)
    env["XDG_CACHE_HOME"] = str(cache / "xdg")
    env["NASRO_STARTUP_PROBE"] = "1"
    env["PYTHONPATH"] = str(root)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def fill(root: Path, env: dict[str, str]) -> None:
    code = ("import os\nfrom nasro_desktop.store import Store\n"
            "from nasro_desktop.session import Session\n"
            "store = Store.open(os.environ['NASRO_DATA_DIR'])\n"
            "for _ in range(3):\n    Session.open_sample(store)\nstore.close()\n")
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=root)


def start_screen(root: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall time until shown, and the child's CPU time (it quits once shown)."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "nasro_desktop"], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, env=env, cwd=root, text=True)
    shown = None
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith("startup: shown") and shown is None:
            shown = time.perf_counter()
    _pid, _status, usage = os.wait4(child.pid, 0)
    if shown is None:
        raise SystemExit(f"{root}: the start screen never showed")
    return (shown - start) * 1000, (usage.ru_utime + usage.ru_stime) * 1000


def window(root: Path, env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", WINDOW, env["NASRO_DATA_DIR"]],
                         capture_output=True, text=True, env=env, cwd=root)
    for line in out.stdout.splitlines():
        if line.startswith("BENCH "):
            return dict(json.loads(line[6:]))
    raise SystemExit(f"{root}: the window bench failed:\n{out.stderr[-2000:]}")


def cli_report(root: Path, env: dict[str, str], folder: Path) -> float:
    out = folder / f"cli-{time.monotonic_ns()}.pdf"  # a new name: never "replace it?"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "nasro_desktop", "report", "--sample", "--out",
                    str(out)], check=True, env=env, cwd=root, capture_output=True)
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", metavar="TREE", help="another source tree, measured too")
    args = parser.parse_args()
    trees = {"after": HERE}
    if args.before:
        trees = {"before": Path(args.before).resolve(), **trees}
    with tempfile.TemporaryDirectory() as tmp:
        envs = {}
        for name, root in trees.items():
            folder = Path(tmp) / name
            envs[name] = env_for(root, folder / "data", folder / "cache")
            fill(root, envs[name])
            start_screen(root, envs[name])  # warm the file cache, .pyc files, a user cache
            cli_report(root, envs[name], folder)
        figures: dict[str, dict[str, list[float]]] = {name: {} for name in trees}
        for _ in range(args.runs):
            for name, root in trees.items():  # interleaved: both see the same load
                got = figures[name]
                wall, cpu = start_screen(root, envs[name])
                got.setdefault("start_screen_shown", []).append(wall)
                got.setdefault("start_screen_cpu", []).append(cpu)
                for key, value in window(root, envs[name]).items():
                    got.setdefault(key, []).append(value)
                got.setdefault("cli_report_sample", []).append(
                    cli_report(root, envs[name], Path(tmp) / name))
    for key in figures["after"]:
        cells = [f"{name} {statistics.median(figures[name][key]):.1f}" for name in trees]
        print(f"{key}: " + ", ".join(cells) + " ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
