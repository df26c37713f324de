"""Fuzz the store's files: byte flips, truncation, zeroed pages, a swapped or missing -wal/-shm,
on a data folder left by a killed writer (nasro.db + -wal + -shm, and a backup). Each case is
opened the way the window opens it, then every assessment is read. Prints `name: value unit`.

    /work/venv/bin/python bench/fuzz_store.py [--cases 500] [--seed 1]

- quit_without_message: an exception other than the store's plain StoreError escaped opening
  or reading (the window would show "something unexpected" or, before, quit): must be 0.
- lost_without_kept_copy: the folder opened without a word but answers saved before were
  missing or different, and no copy of the original files was kept: must be 0.
- changed_value_unnoticed: of those, cases where a flipped byte changed a value inside a
  record that SQLite's own checks cannot see (no missing answer) - reported apart, honestly.
- destroyed_by_the_fault: answers missing that plain SQLite can't read from the damaged files
  either (a -wal cut short: the saves are no longer in any file).
- recovery_offered / plain_message / opened_intact / damaged_assessment_named: the other
  outcomes, for the record.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nasro_desktop.domain.model import Answer, Assessment, Officer  # noqa: E402
from nasro_desktop.store import (  # noqa: E402
    DamagedAssessment,
    RecoveryNeeded,
    Store,
    StoreError,
)

WRITER = r"""
import sys, time
from nasro_desktop.domain.model import Answer
from nasro_desktop.store import Store
store = Store.open(sys.argv[1])
for n in range(120):
    store.save_answer(1 + n % 3, Answer(f"w.{n}", n, note="after the backup " * (n % 5)))
print("done", flush=True)
time.sleep(60)
"""


def make_base(folder: Path) -> Path:
    data = folder / "base"
    with Store.open(data) as store:
        for n in range(3):
            store.create_assessment(Assessment(
                title=f"Assessment {n}", agency="Pine Ridge PD", as_of=date(2026, 9, 1),
                form_id="nasro-2018", form_version=1,
                answers={f"q.{i}": Answer(f"q.{i}", "met", note=f"note {n}-{i} " * 10)
                         for i in range(40)},
                officers=[Officer(name=f"Officer {n}", sworn_date=date(2015, 1, 1))]))
        store.backups.auto()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(data)], stdout=subprocess.PIPE,
                            text=True, env=env)
    assert proc.stdout.readline().strip() == "done"
    proc.send_signal(signal.SIGKILL)  # leaves nasro.db-wal and nasro.db-shm
    proc.wait()
    assert (data / "nasro.db-wal").stat().st_size > 0
    return data


def read_all(store: Store) -> tuple[dict, int]:
    found, named = {}, 0
    for summary in store.list_assessments():
        try:
            a = store.load_assessment(summary.id)
        except DamagedAssessment:
            named += 1  # named in the list; what can be read is offered (export)
            a, _ = store.load_readable(summary.id)
        for qid, answer in a.answers.items():
            found[(summary.id, qid)] = (answer.value, answer.note)
    return found, named


def mutate(data: Path, rng: random.Random) -> str:
    db, wal, shm = data / "nasro.db", data / "nasro.db-wal", data / "nasro.db-shm"
    kind = rng.choice(["flip_db", "flip_db", "flip_wal", "flip_wal", "flip_shm", "truncate_db",
                       "truncate_wal", "swap_wal_shm", "drop_shm", "zero_page", "header"])
    if kind.startswith("flip"):
        target = {"flip_db": db, "flip_wal": wal, "flip_shm": shm}[kind]
        raw = bytearray(target.read_bytes())
        for _ in range(rng.randint(1, 8)):
            raw[rng.randrange(len(raw))] ^= 1 << rng.randrange(8)
        target.write_bytes(bytes(raw))
    elif kind.startswith("truncate"):
        target = db if kind == "truncate_db" else wal
        with open(target, "r+b") as handle:
            handle.truncate(rng.randrange(target.stat().st_size))
    elif kind == "swap_wal_shm":
        wal.rename(data / "swap")
        shm.rename(wal)
        (data / "swap").rename(shm)
    elif kind == "drop_shm":
        shm.unlink()
    elif kind == "zero_page":
        pages = db.stat().st_size // 4096
        with open(db, "r+b") as handle:
            handle.seek(rng.randrange(pages) * 4096)
            handle.write(b"\0" * 4096)
    else:
        with open(db, "r+b") as handle:
            handle.seek(rng.randrange(100))
            handle.write(bytes([rng.randrange(256)]))
    return kind


def plain_read(data: Path, scratch: Path) -> set:
    """What plain SQLite can read from a copy of the damaged files: (assessment, question)."""
    import sqlite3

    shutil.copytree(data, scratch)
    try:
        conn = sqlite3.connect(f"file:{scratch / 'nasro.db'}?mode=ro", uri=True)
        conn.text_factory = bytes
        try:
            return {(a, q.decode("utf-8", "replace")) for a, q in
                    conn.execute("SELECT assessment_id, question_id FROM answers")}
        finally:
            conn.close()
    except (sqlite3.Error, UnicodeDecodeError):  # (a damaged schema's text in the message)
        return set()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def kept_copies(data: Path) -> bool:
    return any(data.glob("nasro-damaged-*")) or any(data.glob("nasro-wal-kept-*"))


def fuzz(cases: int, seed: int, folder: Path) -> dict[str, int]:
    base = make_base(folder)
    truth_copy = folder / "truth"
    shutil.copytree(base, truth_copy)
    with Store.open(truth_copy) as store:
        truth, _ = read_all(store)
    rng = random.Random(seed)
    counts: Counter[str] = Counter()
    kinds_lost: Counter[str] = Counter()
    for case in range(cases):
        data = folder / f"case{case}"
        shutil.copytree(base, data)
        kind = mutate(data, rng)
        reference = plain_read(data, folder / f"ref{case}")
        try:
            store = Store.open(data)
        except RecoveryNeeded as error:
            counts["recovery_offered"] += 1
            assert all(p.exists() for p in error.kept), error.kept
        except StoreError:
            counts["plain_message"] += 1
        except Exception as error:  # noqa: BLE001 - this is what we count
            counts["quit_without_message"] += 1
            print(f"case {case} ({kind}): {type(error).__name__}: {error}", file=sys.stderr)
        else:
            try:
                with store:
                    found, named = read_all(store)
            except StoreError:
                counts["plain_message"] += 1
            except Exception as error:  # noqa: BLE001
                counts["quit_without_message"] += 1
                print(f"case {case} ({kind}) reading: {type(error).__name__}: {error}",
                      file=sys.stderr)
            else:
                counts["damaged_assessment_named"] += bool(named)
                missing = [k for k in truth if k not in found]
                changed = [k for k in truth if k in found and found[k] != truth[k]]
                if not missing and not changed:
                    counts["opened_intact"] += 1
                elif named and not missing:
                    pass
                elif kept_copies(data):
                    counts["lost_but_kept"] += 1
                elif missing and not any(k in reference for k in missing):
                    # gone from the damaged files themselves (e.g. a -wal cut short): nothing
                    # could have shown them, and nothing the app did lost them
                    counts["destroyed_by_the_fault"] += 1
                    kinds_lost[kind + " (destroyed by the fault)"] += 1
                elif missing:
                    counts["lost_without_kept_copy"] += 1
                    kinds_lost[kind] += 1
                    print(f"case {case} ({kind}): {len(missing)} answers missing",
                          file=sys.stderr)
                else:
                    counts["changed_value_unnoticed"] += 1
                    kinds_lost[kind + " (value changed)"] += 1
        shutil.rmtree(data, ignore_errors=True)
    for name in ("quit_without_message", "lost_without_kept_copy", "changed_value_unnoticed",
                 "destroyed_by_the_fault",
                 "lost_but_kept", "recovery_offered", "plain_message", "opened_intact",
                 "damaged_assessment_named"):
        counts.setdefault(name, 0)
    counts["cases"] = cases
    for kind, number in sorted(kinds_lost.items()):
        print(f"  unnoticed by kind: {kind}: {number}", file=sys.stderr)
    return dict(counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    started = time.perf_counter()
    try:
        results = fuzz(args.cases, args.seed, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for name, value in results.items():
        print(f"{name}: {value} count")
    print(f"seconds: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
