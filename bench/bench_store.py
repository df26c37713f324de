"""Storage benchmark. Prints `name: value unit` lines.

    .venv/bin/python bench/bench_store.py [--dir FOLDER]

- save_answer p50 / p95: one answer committed to disk (WAL + synchronous=FULL, so each save
  includes an fsync); target p95 <= 10 ms.
- open_and_list_200: Store.open (with its integrity check) + list_assessments + close on a file
  holding 200 full assessments, in-process, modules already imported; target < 50 ms.
- export / import of one full assessment (the sample, every question answered).

The folder defaults to a new temporary folder on the same disk as /tmp; pass --dir to measure
another disk (a USB stick, a network folder).
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nasro_desktop.domain.forms import current_form  # noqa: E402
from nasro_desktop.domain.model import Answer, AnswerType  # noqa: E402
from nasro_desktop.domain.sample import sample_assessment  # noqa: E402
from nasro_desktop.store import (
    Store,  # noqa: E402
    exchange,
)


def full_assessment():
    form = current_form()
    a = sample_assessment(form)
    answers = dict(a.answers)
    for q in form.questions:
        if q.id in answers or q.type in (AnswerType.OFFICERS, AnswerType.SCHOOLS):
            continue
        value = {AnswerType.STATUS: "met", AnswerType.YESNO: "yes", AnswerType.DATE: "2025-05-01",
                 AnswerType.INTEGER: 3}.get(q.type, "some text")
        answers[q.id] = Answer(q.id, value, note="A note of ordinary length for this answer.")
    return dataclasses.replace(a, answers=answers)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", help="folder to measure in (default: a new temporary folder)")
    parser.add_argument("--saves", type=int, default=500)
    args = parser.parse_args()
    base = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="bench-store-"))
    full = full_assessment()

    # --- save latency -----------------------------------------------------------------------
    with Store.open(base / "saves") as store:
        aid = store.create_assessment(full).id
        qids = list(full.answers)
        times = []
        for n in range(args.saves):
            answer = Answer(qids[n % len(qids)], ["met", "partly", "not_met"][n % 3], note=f"edit {n}")
            start = time.perf_counter()
            store.save_answer(aid, answer)
            times.append((time.perf_counter() - start) * 1000)
    print(f"save_answer_p50: {statistics.median(times):.2f} ms")
    print(f"save_answer_p95: {percentile(times, 95):.2f} ms")
    print(f"save_answer_max: {max(times):.2f} ms")

    # --- open a file of 200 assessments and list them ---------------------------------------
    folder = base / "many"
    with Store.open(folder) as store:
        for n in range(200):
            store.create_assessment(dataclasses.replace(full, title=f"Assessment {n}"))
    size = (folder / "nasro.db").stat().st_size
    print(f"file_size_200: {size / 1024 / 1024:.1f} MiB")
    runs = []
    for _ in range(15):
        start = time.perf_counter()
        store = Store.open(folder)
        listed = store.list_assessments()
        store.close()
        runs.append((time.perf_counter() - start) * 1000)
        assert len(listed) == 200
    print(f"open_and_list_200_p50: {statistics.median(runs):.1f} ms")
    print(f"open_and_list_200_max: {max(runs):.1f} ms")

    # --- export and import of one full assessment -------------------------------------------
    with Store.open(base / "exchange") as store:
        aid = store.create_assessment(full).id
        out = base / "full.json"
        exports, imports = [], []
        for _ in range(10):
            start = time.perf_counter()
            exchange.export_assessment(store, aid, out)
            exports.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            exchange.import_assessment(store, out)
            imports.append((time.perf_counter() - start) * 1000)
    print(f"export_full_assessment: {statistics.median(exports):.1f} ms")
    print(f"import_full_assessment: {statistics.median(imports):.1f} ms")
    print(f"export_file_size: {out.stat().st_size / 1024:.0f} KiB")
    print(f"answers_in_full_assessment: {len(full.answers)} answers")


if __name__ == "__main__":
    main()
