"""Evidence files. Prints `name: value unit` lines.

    .venv/bin/python bench/bench_evidence.py [--dir FOLDER]

- attach_20mb: store.evidence.attach of a 20 MB PDF-like file (hash, copy, fsync, rename,
  row insert), median of 5 distinct files (target < 1 s);
- attach_20mb_again: the same content attached a second time (stored once: hash only);
- open_and_list_200mb_p50 / p95: open the data (its sweep included) and list the evidence of
  each of 200 assessments holding 200 MB of evidence in all (target < 50 ms for the list;
  contents are not read);
- list_200_assessments_evidence: one store.evidence.records call per assessment, all 200;
- daily_backup_200mb_first: the first daily backup with that evidence (its files copied once
  into the backups' pool), the backup database's size and the pool's;
- daily_backup_200mb_unchanged: the next day's backup, evidence unchanged (target: copies
  nothing: _copied 0 MB); then 11 more days: backups kept and the pool's size (still once);
- backup_now_200mb: "Back up now" to another folder: one self-contained file with the files;
- export_20mb_pdf / import_20mb_pdf: an assessment holding a 20 MB PDF exported (format 2
  zip, re-read and hash checked) and imported into another data folder, median of 3;
- read_back_20mb: store.evidence.read_bytes with its SHA-256 check.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nasro_desktop.domain.model import Assessment  # noqa: E402
from nasro_desktop.store import (
    Store,  # noqa: E402
    exchange,
)


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
    try:
        _run(base)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _run(base: Path) -> None:
    data, src = base / "data", base / "src"
    src.mkdir()
    with Store.open(data) as store:
        first = store.create_assessment(_assessment(0)).id
        times = []
        for n in range(5):
            big = _file(src / f"scan{n}.pdf", 20_000_000)
            started = time.perf_counter()
            item = store.evidence.attach(first, big, "standard", "01.01.04")
            times.append(time.perf_counter() - started)
        print(f"attach_20mb: {statistics.median(times) * 1000:.0f} ms")
        started = time.perf_counter()
        store.evidence.attach(first, big, "question", "mou.exists")
        print(f"attach_20mb_again: {(time.perf_counter() - started) * 1000:.0f} ms")
        started = time.perf_counter()
        store.evidence.read_bytes(item.id)
        print(f"read_back_20mb: {(time.perf_counter() - started) * 1000:.0f} ms")
        # 200 assessments, 100 MB more in 200 files of 0.5 MB (so 200 MB in all), and every
        # assessment holds a few records of them
        ids = [first] + [store.create_assessment(_assessment(n)).id for n in range(1, 200)]
        for n, aid in enumerate(ids):
            small = _file(src / f"cert{n}.pdf", 500_000)
            store.evidence.attach(aid, small, "officer", str(n), description=f"Certificate {n}",
                                  valid_until=date(2027, 6, 30))
            store.evidence.attach(ids[n - 1], small, "standard", "02.01.01")
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
                store.evidence.records(aid)
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
    pool = data / "backups" / "evidence"
    with Store.open(data) as store:
        started = time.perf_counter()
        backup = store.backups.auto(datetime(2026, 9, 1, 12, 0))
        elapsed = time.perf_counter() - started
        assert backup is not None
        print(f"daily_backup_200mb_first: {elapsed * 1000:.0f} ms")
        print(f"daily_backup_size: {backup.stat().st_size / 1000:.0f} kB")
        print(f"backup_pool_size: {_size(pool) / 1e6:.0f} MB")
        before = _inodes(pool)
        started = time.perf_counter()
        again = store.backups.auto(datetime(2026, 9, 2, 12, 0))
        elapsed = time.perf_counter() - started
        assert again is not None
        copied = sum(size for name, (ino, size) in _inodes(pool).items()
                     if before.get(name, (None, 0))[0] != ino)
        print(f"daily_backup_200mb_unchanged: {elapsed * 1000:.0f} ms")
        print(f"daily_backup_200mb_unchanged_copied: {copied / 1e6:.0f} MB")
        for day in range(3, 14):  # 11 more: rotation keeps 7 daily + 4 weekly
            store.backups.auto(datetime(2026, 9, day, 12, 0))
        print(f"backups_kept: {len(store.backups.all())} files")
        print(f"backup_pool_size_after_rotation: {_size(pool) / 1e6:.0f} MB")
        started = time.perf_counter()
        standalone = store.backups.save_to(base / "usb")
        print(f"backup_now_200mb: {(time.perf_counter() - started) * 1000:.0f} ms")
        print(f"backup_now_200mb_size: {standalone.stat().st_size / 1e6:.0f} MB")
    _export_import(base, src)


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _inodes(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_size) for p in folder.rglob("*") if p.is_file()}


def _export_import(base: Path, src: Path) -> None:
    """An assessment holding a 20 MB PDF, exported (format 2 zip, re-read and checked) and
    imported into another data folder (every hash checked)."""
    exports, imports = [], []
    for n in range(3):
        with Store.open(base / f"export-from-{n}") as store:
            aid = store.create_assessment(_assessment(n)).id
            store.evidence.attach(aid, _file(src / f"signed mou {n}.pdf", 20_000_000),
                                  "standard", "01.01.04")
            started = time.perf_counter()
            out = exchange.export_assessment(store, aid, base / f"export {n}.json")
            exports.append(time.perf_counter() - started)
        with Store.open(base / f"import-into-{n}") as store:
            started = time.perf_counter()
            exchange.import_assessment(store, out)
            imports.append(time.perf_counter() - started)
    print(f"export_20mb_pdf: {statistics.median(exports) * 1000:.0f} ms")
    print(f"export_20mb_pdf_size: {out.stat().st_size / 1e6:.1f} MB")
    print(f"import_20mb_pdf: {statistics.median(imports) * 1000:.0f} ms")

if __name__ == "__main__":
    main()
