"""Rollup benchmark: 200 exported assessments into one analysis database. Prints
`name: value unit` lines.

    .venv/bin/python bench/bench_rollup.py [--files 200] [--officers 12] [--dir FOLDER]

What a state association collecting many programs would run: `nasro-desktop rollup FILE
FOLDER` over 200 export files (the sample, each with its own agency name, officers and
schools; every question answered). Measures reading and checking the files, judging each
assessment and writing the database, in-process with modules already imported, and the
database's size. Also the workbook of one 60-officer assessment, for scale.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nasro_desktop.cli import main  # noqa: E402
from nasro_desktop.domain.forms import current_form  # noqa: E402
from nasro_desktop.domain.model import Officer  # noqa: E402
from nasro_desktop.domain.sample import sample_assessment  # noqa: E402
from nasro_desktop.store import (
    Store,  # noqa: E402
    exchange,
)


def make_exports(folder: Path, count: int, officers: int) -> None:
    form = current_form()
    base = sample_assessment(form)
    data = folder / "data"
    with Store.open(data) as store:
        for n in range(count):
            a = dataclasses.replace(
                base, id=None, title=f"Program {n:03d} review, fall 2026",
                agency=f"Agency {n:03d} Police Department",
                officers=[Officer(name=f"Officer {n}-{k}", school=base.schools[k % 4].name,
                                  sworn_date=date(2010 + k % 12, 3, 1),
                                  assignment_date=date(2023, 8, 1),
                                  basic_course_date=date(2023, 6, 1) if k % 3 else None,
                                  last_annual_training=date(2025 + k % 2, 7, 1),
                                  last_rapid_deployment=date(2026, 1, 10))
                          for k in range(officers)],
            )
            saved = store.create_assessment(a)
            exchange.export_assessment(store, saved.id, folder / "exports" / f"program-{n:03d}.json")


def main_bench() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--officers", type=int, default=12)
    parser.add_argument("--dir")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp)
        (folder / "exports").mkdir()
        make_exports(folder, args.files, args.officers)
        exported = sum(p.stat().st_size for p in (folder / "exports").iterdir())
        dest = folder / "rollup.db"
        start = time.perf_counter()
        assert main(["rollup", str(dest), str(folder / "exports"), "--quiet"]) == 0
        seconds = time.perf_counter() - start
        print(f"rollup_{args.files}_files: {seconds:.2f} s")
        print(f"rollup_per_file: {1000 * seconds / args.files:.1f} ms")
        print(f"rollup_db_size: {dest.stat().st_size / 1e6:.2f} MB")
        print(f"export_files_size: {exported / 1e6:.2f} MB")
        workbook_60(folder)


def workbook_60(folder: Path) -> None:
    """Save as spreadsheet (the workbook, read back and checked) of 60 officers."""
    from nasro_desktop.store.workbook import export_xlsx

    form = current_form()
    a = dataclasses.replace(sample_assessment(form), id=1, officers=[
        Officer(name=f"Officer {k}", school="Pine Ridge High School",
                sworn_date=date(2010, 3, 1), last_annual_training=date(2026, 1, 5))
        for k in range(60)])
    dest = folder / "sixty.xlsx"
    start = time.perf_counter()
    export_xlsx(a, form, dest)
    print(f"workbook_60_officers: {1000 * (time.perf_counter() - start):.0f} ms")
    print(f"workbook_60_officers_size: {dest.stat().st_size / 1e3:.0f} KB")


if __name__ == "__main__":
    main_bench()
