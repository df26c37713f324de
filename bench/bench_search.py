"""Find across many assessments. Prints `name: value unit` lines.

    .venv/bin/python bench/bench_search.py [--dir FOLDER]

A data file of 200 full assessments (every answer carries a note of varied words, officers and
action items too), then, in-process with modules already imported:
- search_200_p50 / p95: Store.search for a mix of rare, common, two-word and prefix queries
  (target < 50 ms);
- first_search_200: the first search after opening, which also checks the index's row
  counts;
- open_200: Store.open (its index check included) + close;
- scan_200: the same search without the index (what a read-only viewer does when the index
  is missing or damaged);
- rebuild_200: dropping and rebuilding the whole index in one transaction.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import full_assessment, percentile  # noqa: E402

from nasro_desktop.domain.model import ActionItem, Answer  # noqa: E402
from nasro_desktop.store import Store  # noqa: E402
from nasro_desktop.store import search as search_mod  # noqa: E402

WORDS = (
    "memorandum signed board district agency officer training course certificate radio "
    "lockdown drill parent counselor principal custodian schedule roster evaluation review "
    "mentor classroom outreach bilingual portable gym cafeteria camera badge policy budget "
    "grant overtime summer spring fall winter deadline meeting minutes attorney insurance "
    "records privacy consent referral diversion truancy bullying threat assessment team"
).split()
QUERIES = ["memorandum", "radio drill", "certif", "lockdown", "attorney insurance", "train",
           "bilingual outreach", "truancy", "zebra", "camera badge policy"]


def varied(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def fill(store: Store, count: int) -> None:
    rng = random.Random(13)
    base = full_assessment()
    for number in range(count):
        answers = {qid: dataclasses.replace(a, note=varied(rng, 12),
                                            na_reason=varied(rng, 6) if number % 7 == 0 else "")
                   for qid, a in base.answers.items()}
        items = [ActionItem(standard_id="01.01.04", next_step=varied(rng, 8), note=varied(rng, 5))
                 for _ in range(6)]
        store.create_assessment(dataclasses.replace(
            base, title=f"Review {number}", answers=answers, action_items=items))


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir")
    args = parser.parse_args()
    base = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="bench-search-"))
    folder = base / "search-200"
    with Store.open(folder) as store:
        fill(store, 200)
        rows = store.db.reader().execute("SELECT count(*) FROM search_items").fetchone()[0]
        store.save_answer(1, Answer("warm", "met", note="warm up"))
    print(f"texts_indexed_200: {rows} texts")
    print(f"file_size_200: {(folder / 'nasro.db').stat().st_size / 2**20:.1f} MiB")

    opens, firsts = [], []
    for _ in range(5):
        start = time.perf_counter()
        store = Store.open(folder)
        opens.append((time.perf_counter() - start) * 1000)
        firsts.append(timed(lambda s=store: s.search("memorandum")))
        store.close()
    print(f"open_200_p50: {statistics.median(opens):.1f} ms")
    print(f"first_search_200_p50: {statistics.median(firsts):.1f} ms")

    with Store.open(folder) as store:
        store.search("warm")
        runs = [timed(lambda q=q: store.search(q)) for _ in range(10) for q in QUERIES]
        print(f"search_200_p50: {statistics.median(runs):.1f} ms")
        print(f"search_200_p95: {percentile(runs, 95):.1f} ms")
        print(f"search_200_max: {max(runs):.1f} ms")
        hits = len(store.search("memorandum"))
        print(f"hits_for_one_common_word: {hits} hits (capped at 200)")
        conn = store.db.reader()
        scans = [timed(lambda q=q: search_mod.scan(conn, search_mod.words_of(q)))
                 for q in QUERIES]
        print(f"scan_200_p50: {statistics.median(scans):.1f} ms")
        print(f"rebuild_200: {timed(lambda: store.db.write(search_mod.rebuild_index)):.0f} ms")


if __name__ == "__main__":
    main()
