"""Kill soak: a real writer process is SIGKILLed at random moments across open, save, backup,
restore, import and export, again and again; after every kill the data folder is opened the
way the window opens it and checked. Prints `name: value unit` lines.

    /work/venv/bin/python bench/soak_store.py [--kills 1000] [--seed 1] [--dir FOLDER]

- kills_survived / kills_tried: the next open worked with no recovery question and nothing
  reported saved was missing (must be all).
- answers_lost: answers the worker had reported saved (after save_answer returned) that were
  missing or older after the kill (must be 0); a save under way at the kill may be either. After a restore the expected answers are the
  backup's; a kill during a restore may leave either side, never a mix.
- temp_files_left: our temporary files and check folders left in the data folder, the
  backups folder, the export folder and the system temp folder after the last open (must be 0).
- recovery_questions: opens that ended in the recovery dialog (a false alarm after a kill).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nasro_desktop.domain.model import Answer, Assessment  # noqa: E402
from nasro_desktop.store import Store, StoreError, exchange  # noqa: E402
from nasro_desktop.store.backups import restore_backup  # noqa: E402

OPS = ("save", "save", "save", "open", "backup", "restore", "import", "export")
MAIN_ID = 1


def worker(data: Path, exports: Path, seed: int, day: int) -> None:
    """Random operations, each reported on stdout only after it returned."""
    rng = random.Random(seed)
    store = Store.open(data)
    if not store.list_assessments():
        store.create_assessment(Assessment(title="Soak", as_of=date(2026, 9, 1),
                                           form_id="nasro-2018", form_version=1))
    print("ready", flush=True)
    number = 0
    while True:
        op = rng.choice(OPS)
        print(f"begin {op}", flush=True)  # where the kill landed, if it comes now
        if op == "save":
            for _ in range(rng.randint(1, 8)):
                number += 1
                qid = f"s{seed}.q{number % 40}"
                print(f"saving {qid} {number % 1000}", flush=True)  # may be saved, or not
                store.save_answer(MAIN_ID, Answer(qid, number % 1000, note="n" * (number % 300)))
                print(f"saved {qid} {number % 1000}", flush=True)
        elif op == "open":
            store.close()
            store = Store.open(data)
            print("opened", flush=True)
        elif op == "backup":
            day += 1
            made = store.backups.auto(now=datetime(2026, 1, 1, 9) + timedelta(days=day))
            if made is not None:
                print(f"backup {made}", flush=True)
        elif op == "restore":
            backups = [b for b in store.backups.all() if b.kind == "daily"]
            if not backups:
                continue
            target = backups[0].path
            print(f"restoring {target}", flush=True)
            store.close()
            restore_backup(data, target)
            store = Store.open(data)
            print(f"restored {target}", flush=True)
        elif op == "export":
            exchange.export_assessment(store, MAIN_ID, exports / "soak.json")
            print("exported", flush=True)
        elif op == "import":
            source = exports / "soak.json"
            if source.exists():
                new_id = exchange.import_assessment(store, source)
                store.delete_assessment(new_id)
                print("imported", flush=True)


def _answers(store: Store) -> dict[str, int]:
    if not any(s.id == MAIN_ID for s in store.list_assessments()):
        return {}  # killed before the worker made its assessment
    return {qid: a.value for qid, a in store.load_assessment(MAIN_ID).answers.items()}


def _backup_answers(path: Path) -> dict[str, int]:
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return {q: json.loads(v) for q, v in conn.execute(
            "SELECT question_id, value FROM answers WHERE assessment_id = ?", (MAIN_ID,))}
    finally:
        conn.close()


def _lost(expected: dict[str, int], found: dict[str, int]) -> int:
    return sum(1 for q, v in expected.items() if found.get(q) != v)


def temp_files(data: Path, exports: Path) -> list[Path]:
    left = []
    for folder in (data, data / "backups", exports):
        if folder.is_dir():
            left += [p for p in folder.iterdir()
                     if p.name.startswith(".") and (".tmp" in p.name or "check" in p.name)]
    system = Path(tempfile.gettempdir())
    left += [p for p in system.glob("nasro-view-*")] + [p for p in system.glob("nasro-check-*")]
    return left


def soak(kills: int, seed: int, folder: Path) -> dict[str, float]:
    data, exports = folder / "data", folder / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    expected: dict[str, int] = {}
    snapshots: dict[str, dict[str, int]] = {}
    survived = lost_total = questions = 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("NASRO_DATA_DIR", None)
    started = time.perf_counter()
    where: Counter[str] = Counter()
    day = 0
    for kill in range(kills):
        day += 50
        proc = subprocess.Popen(
            [sys.executable, __file__, "--worker", str(data), str(exports), str(seed * 100_000 + kill),
             str(day)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        first = ""
        if rng.random() < 0.2:
            time.sleep(rng.uniform(0.0, 0.5))  # while it starts and opens the store
        else:
            first = proc.stdout.readline()  # "ready": the store is open
            time.sleep(rng.uniform(0.0, 0.35))
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate()
        out = first + out
        pending_restore: dict[str, int] | None = None
        landed = "start-up"  # killed while starting or opening the store
        inflight: tuple[str, int] | None = None  # a save under way when the kill came
        for line in out.splitlines():
            if line.startswith("begin "):
                landed = line.split()[1]
            if line.startswith("saving "):
                parts = line.split()
                inflight = (parts[1], int(parts[2])) if len(parts) == 3 else None
            elif line.startswith("saved "):
                inflight = None
            parts = line.split(" ", 2)
            if parts[0] == "saved" and len(parts) == 3:
                expected[parts[1]] = int(parts[2])
            elif parts[0] == "backup" and len(parts) >= 2:
                snapshots[line.split(" ", 1)[1]] = dict(expected)
            elif parts[0] == "restoring":
                target = line.split(" ", 1)[1]
                pending_restore = snapshots.get(target)
                if pending_restore is None:  # made before this soak run's records: read it
                    pending_restore = _backup_answers(Path(target))
            elif parts[0] == "restored":
                expected = dict(pending_restore or {})
                pending_restore = None
        where[landed] += 1
        if err.strip() and "Traceback" in err:
            print(f"kill {kill}: the worker failed on its own:\n{err[-800:]}", file=sys.stderr)
        try:
            with Store.open(data) as store:
                found = _answers(store)
        except StoreError as error:
            questions += 1
            print(f"kill {kill}: open asked: {error}", file=sys.stderr)
            lost_total += len(expected)
            break
        if inflight is not None and found.get(inflight[0]) == inflight[1]:
            expected[inflight[0]] = inflight[1]  # committed, only the "saved" line was cut
        lost = _lost(expected, found)
        if lost and pending_restore is not None and _lost(pending_restore, found) == 0:
            expected, lost = dict(pending_restore), 0  # killed during the restore: new side
        if lost:
            details = [(q, v, found.get(q)) for q, v in expected.items() if found.get(q) != v]
            print(f"kill {kill}: {lost} answers lost {details[:5]}; last lines "
                  f"{out.splitlines()[-4:]}", file=sys.stderr)
        else:
            survived += 1
        lost_total += lost
    elapsed = time.perf_counter() - started
    with Store.open(data):
        pass  # the start-up clean-up a real next start does
    left = temp_files(data, exports)
    for path in left:
        print(f"left: {path}", file=sys.stderr)
    landed = {f"killed_during_{op}": where[op] for op in ("start-up", *sorted(set(OPS)))}
    return {**landed, "kills_tried": kills, "kills_survived": survived, "answers_lost": lost_total,
            "answers_tracked": len(expected), "temp_files_left": len(left),
            "recovery_questions": questions, "backups_in_folder": len(list(
                (data / "backups").glob("*.db"))), "seconds": round(elapsed, 1)}


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="soak-"))
    results = soak(args.kills, args.seed, folder)
    for name, value in results.items():
        unit = "s" if name == "seconds" else "count"
        print(f"{name}: {value} {unit}")


if __name__ == "__main__":
    main()
