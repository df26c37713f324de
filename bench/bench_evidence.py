"""Evidence files. Prints `name: value unit` lines.

    .venv/bin/python bench/bench_evidence.py [--dir FOLDER]

- attach_20mb: Store.attach_evidence of a 20 MB PDF-like file (hash, copy, fsync, rename,
  row insert), median of 5 distinct files (target < 1 s);
- attach_20mb_again: the same content attached a second time (stored once: hash only);
- open_and_list_200mb_p50 / p95: open the data (its sweep included) and list the evidence of
  each of 200 assessments holding 200 MB of evidence in all (target < 50 ms for the list;
  contents are not read);
- list_200_assessments_evidence: one list_evidence call per assessment, all 200;
- daily_backup_200mb: one daily backup with that evidence, and its size on disk (the files are
  not copied again);
- read_back_20mb: evidence_bytes with its SHA-256 check.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nasro_desktop.domain.model import Assessment  # noqa: E402
from nasro_desktop.store import Store  # noqa: E402


def _assessment(n: int) -> Assessment:
    return Assessment(title=f"Review {n}", agency="Pine Ridge PD", district="Pine Ridge USD",
                      as_of=date(2026, 9, 1), form_id="nasro-2018", form_version=1)


def _file(path: Path, size: int) -> Path:
    path.write_bytes(b"%PDF-1.4\n" + os.urandom(size - 9))
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(dir=args.dir, prefix="bench-evidence-"))
    data, src = base / "data", base / "src"
    src.mkdir()
    with Store.open(data) as store:
        first = store.create_assessment(_assessment(0)).id
        times = []
        for n in range(5):
            big = _file(src / f"scan{n}.pdf", 20_000_000)
            started = time.perf_counter()
            item = store.attach_evidence(first, big, "standard", "01.01.04")
            times.append(time.perf_counter() - started)
        print(f"attach_20mb: {statistics.median(times) * 1000:.0f} ms")
        started = time.perf_counter()
        store.attach_evidence(first, big, "question", "mou.exists")
        print(f"attach_20mb_again: {(time.perf_counter() - started) * 1000:.0f} ms")
        started = time.perf_counter()
        store.evidence_bytes(item.id)
        print(f"read_back_20mb: {(time.perf_counter() - started) * 1000:.0f} ms")
        # 200 assessments, 100 MB more in 200 files of 0.5 MB (so 200 MB in all), and every
        # assessment holds a few records of them
        ids = [first] + [store.create_assessment(_assessment(n)).id for n in range(1, 200)]
        for n, aid in enumerate(ids):
            small = _file(src / f"cert{n}.pdf", 500_000)
            store.attach_evidence(aid, small, "officer", str(n), description=f"Certificate {n}",
                                  valid_until=date(2027, 6, 30))
            store.attach_evidence(ids[n - 1], small, "standard", "02.01.01")
    total = sum(p.stat().st_size for p in (data / "evidence").rglob("*") if p.is_file())
    print(f"evidence_stored: {total / 1e6:.0f} MB")
    opens, lists, ones, sweeps = [], [], [], []
    for _ in range(7):
        started = time.perf_counter()
        with Store.open(data) as store:
            store.list_assessments()
            opened = time.perf_counter()
            for aid in ids:
                one = time.perf_counter()
                store.list_evidence(aid)
                ones.append(time.perf_counter() - one)
            listed = time.perf_counter()
            store.sweep_evidence()
            sweeps.append(time.perf_counter() - listed)
        opens.append(opened - started)
        lists.append(listed - opened)
    print(f"open_and_list_assessments_200mb_p50: {statistics.median(opens) * 1000:.1f} ms")
    print(f"evidence_sweep_200mb_p50: {statistics.median(sweeps) * 1000:.1f} ms")
    print(f"list_evidence_one_assessment_p50: {statistics.median(ones) * 1000:.2f} ms")
    print(f"list_evidence_all_200_assessments_p50: {statistics.median(lists) * 1000:.1f} ms")
    with Store.open(data) as store:
        started = time.perf_counter()
        backup = store.auto_backup(datetime(2026, 9, 1, 12, 0))
        elapsed = time.perf_counter() - started
    assert backup is not None
    print(f"daily_backup_200mb: {elapsed * 1000:.0f} ms")
    print(f"daily_backup_size: {backup.stat().st_size / 1000:.0f} kB")


if __name__ == "__main__":
    main()
