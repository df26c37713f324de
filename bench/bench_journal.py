"""WAL (what the store uses) against a rollback journal (journal_mode=DELETE or TRUNCATE), measured on the
real Store (issue 21 §3, "the store's size"). Prints `name: value unit` lines per mode.

- save_p50 / save_p95: one answer committed to disk (synchronous=FULL in both modes);
- busy_*: the window's saves while the command line reads: one process saves an answer every
  20 ms for a few seconds (the window, a person typing fast), another opens the data read-only
  and lists and loads an assessment again and again (`nasro-desktop list`, `export`): the
  saves' p50 / p95 / worst, the reads' p50 / worst and how many failed on either side.

The rollback journal is tried by replacing the store's pragmas (files.set_durable_pragmas) in
this process and its children only; the store itself is unchanged.

usage: python bench/bench_journal.py [--saves N] [--seconds S]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))

from nasro_desktop.domain.model import Answer, Assessment  # noqa: E402
from nasro_desktop.store import Store, files  # noqa: E402


def use_mode(mode: str) -> None:
    """Make the store's connections use `mode` ("wal" leaves the store as it is)."""
    if mode == "wal":
        return
    durable = files.set_durable_pragmas

    def pragmas(conn):  # the store accepts only "wal": say so, having set the other mode
        durable(conn)
        conn.execute(f"PRAGMA journal_mode={mode}")
        return "wal"

    files.set_durable_pragmas = pragmas


def assessment(n: int) -> Assessment:
    return Assessment(title=f"Review {n}", as_of=date(2026, 9, 1), form_id="nasro-2018",
                      form_version=1, answers={f"q.{i}": Answer(f"q.{i}", "met", note=f"n {i}")
                                               for i in range(60)})


def ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def saves(folder: Path, count: int) -> list[float]:
    with Store.open(folder) as store:
        aid = store.create_assessment(assessment(0)).id
        taken = []
        for i in range(count):
            start = time.perf_counter()
            store.save_answer(aid, Answer(f"q.{i % 60}", "met", note=f"typed {i}"))
            taken.append(time.perf_counter() - start)
    return taken


def writer(folder: Path, seconds: float) -> dict:
    taken, failed = [], 0
    with Store.open(folder) as store:
        aid = store.list_assessments()[0].id
        print("ready", flush=True)
        end = time.perf_counter() + seconds
        i = 0
        while time.perf_counter() < end:
            start = time.perf_counter()
            try:
                store.save_answer(aid, Answer(f"q.{i % 60}", "met", note=f"typed {i}"))
                taken.append(time.perf_counter() - start)
            except Exception:  # noqa: BLE001 - counted, not raised: the window keeps it
                failed += 1
            i += 1
            time.sleep(0.02)
    return {"saves": taken, "failed": failed}


def reader(folder: Path, seconds: float) -> dict:
    taken, failed = [], 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        start = time.perf_counter()
        try:
            with Store.open(folder, read_only=True) as store:
                for summary in store.list_assessments():
                    store.load_assessment(summary.id)
            taken.append(time.perf_counter() - start)
        except Exception:  # noqa: BLE001 - counted
            failed += 1
    return {"reads": taken, "failed": failed}


def child(role: str, mode: str, folder: str, seconds: float) -> None:
    use_mode(mode)
    result = (writer if role == "writer" else reader)(Path(folder), seconds)
    print(json.dumps(result), flush=True)


def busy(mode: str, seconds: float) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix=f"bench-journal-{mode}-"))
    use_mode(mode)
    with Store.open(folder) as store:
        for n in range(5):
            store.create_assessment(assessment(n))
    command = [sys.executable, __file__, "--child"]
    w = subprocess.Popen([*command, "writer", mode, str(folder), str(seconds)],
                         stdout=subprocess.PIPE, text=True)
    assert w.stdout is not None and w.stdout.readline().strip() == "ready"
    r = subprocess.run([*command, "reader", mode, str(folder), str(seconds - 0.5)],
                       capture_output=True, text=True, check=True)
    wrote = json.loads(w.communicate()[0].splitlines()[-1])
    read = json.loads(r.stdout.splitlines()[-1])
    return {
        "busy_save_p50": ms(wrote["saves"], 0.5), "busy_save_p95": ms(wrote["saves"], 0.95),
        "busy_save_worst": ms(wrote["saves"], 1.0), "busy_save_failed": wrote["failed"],
        "busy_read_p50": ms(read["reads"], 0.5), "busy_read_worst": ms(read["reads"], 1.0),
        "busy_reads": len(read["reads"]), "busy_read_failed": read["failed"],
    }


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=6.0)
    args = parser.parse_args()
    for mode in ("wal", "delete", "truncate"):
        folder = Path(tempfile.mkdtemp(prefix=f"bench-journal-{mode}-"))
        use_mode(mode)
        taken = saves(folder, args.saves)
        print(f"{mode} save_p50: {ms(taken, 0.5):.1f} ms")
        print(f"{mode} save_p95: {ms(taken, 0.95):.1f} ms")
        print(f"{mode} save_mean: {statistics.mean(taken) * 1000:.1f} ms")
        for name, value in busy(mode, args.seconds).items():
            print(f"{mode} {name}: {value:.1f}" + ("" if "failed" in name or name ==
                                                    "busy_reads" else " ms"))


if __name__ == "__main__":
    main()
