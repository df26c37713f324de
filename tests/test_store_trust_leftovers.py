"""Leftovers and words (issue 27 §4), made real: a zip export and a daily backup killed with
SIGKILL leave nothing after one reopen, a zip import that runs out of inodes on a real tmpfs
says the disk is full, `list` on a link to another program's database says what it is,
`search --limit` out of range gets a plain message, and damage only SQLite's full
integrity_check finds is dealt with as damage found at open. The soak (200 kills) is slow."""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import pytest

from nasro_desktop.domain.model import Answer, Assessment
from nasro_desktop.store import DamagedDatabase, Store, StoreError, evidence, exchange, files
from nasro_desktop.store import backups as backup_mod

ROOT = Path(__file__).resolve().parents[1]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
# what a process of ours may leave behind for a moment (checks.clean_stale's patterns)
OURS = re.compile(r"^(\.incoming-.*|\.nasro-check-.*|\..*\.tmp(-journal)?|.*-journal)$")


def _assessment(title: str = "Ours", **more) -> Assessment:
    return Assessment(title=title, as_of=date(2026, 9, 1), form_id="nasro-2018",
                      form_version=1, **more)


def _leftovers(*folders: Path) -> list[str]:
    found = []
    for folder in folders:
        for path in folder.rglob("*"):
            if OURS.match(path.name):
                found.append(str(path))
    return sorted(found)


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nasro_desktop", "--data-dir", str(data),
                           *args], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env=_env())


def _with_big_file(data: Path, tmp_path: Path, size: int = 60_000_000) -> int:
    src = tmp_path / "scan.pdf"
    with open(src, "wb") as out:
        out.write(b"%PDF-1.4\n")
        out.write(os.urandom(size))
    with Store.open(data) as store:
        aid = store.create_assessment(_assessment()).id
        store.evidence.attach(aid, src, "standard", "01.01.04")
    src.unlink()
    return int(aid or 0)


def _kill_when(proc: subprocess.Popen[str], seen, timeout: float = 60.0) -> bool:
    """SIGKILL `proc` as soon as `seen()` is true; False if it ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if seen():
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.002)
    proc.kill()
    proc.wait()
    return False


def test_a_zip_export_killed_while_writing_leaves_nothing_beside_it(tmp_path):
    data = tmp_path / "data"
    aid = _with_big_file(data, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    ours = data / "backups"
    proc = subprocess.Popen([sys.executable, "-m", "nasro_desktop", "--data-dir", str(data),
                             "export", str(aid), "--out", str(out / "ours.json")],
                            cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, text=True)

    def writing() -> bool:  # the zip is being made, in our folder or beside the export
        return bool(_leftovers(out) or (ours.is_dir() and _leftovers(ours)))

    assert _kill_when(proc, writing), "the export ended before it could be killed"
    assert _leftovers(out) == []  # nothing was ever made beside the user's files
    with Store.open(data):
        pass
    assert _leftovers(data, out) == [] and os.listdir(out) == []


def test_a_daily_backup_killed_while_filling_the_pool_leaves_nothing_after_a_reopen(tmp_path):
    data = tmp_path / "data"
    _with_big_file(data, tmp_path)
    pool = evidence.pool_of(data)
    code = ("import sys\nfrom nasro_desktop.store import Store\n"
            "with Store.open(sys.argv[1]) as store:\n    store.backups.auto()\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(data)], cwd=ROOT, env=_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    assert _kill_when(proc, lambda: pool.is_dir() and bool(_leftovers(pool)))
    assert _leftovers(pool)  # the half-written copy is there
    with Store.open(data):
        pass
    assert _leftovers(data) == []


@pytest.fixture
def few_inodes(tmp_path):
    """A real disk (tmpfs) with room but few files (inodes) left."""
    if not IS_ROOT:
        pytest.skip("mounting a tmpfs needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=50m,nr_inodes=40,mode=0700",
                       "tmpfs", str(disk)], capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_zip_import_out_of_inodes_says_the_disk_is_full(few_inodes, tmp_path):
    first = tmp_path / "first"
    src = tmp_path / "mou.pdf"
    src.write_bytes(b"%PDF-1.4 signed\n" + os.urandom(2000))
    with Store.open(first) as store:
        aid = store.create_assessment(_assessment()).id
        store.evidence.attach(aid, src, "standard", "01.01.04")
        export = exchange.export_assessment(store, aid, tmp_path / "export.json")
    data = few_inodes / "data"
    with Store.open(data):
        pass
    filler = few_inodes / "filler"
    filler.mkdir()
    number = 0
    try:
        while True:  # every inode left taken, plenty of room left
            (filler / str(number)).touch()
            number += 1
    except OSError:
        pass
    for spare in range(number - 2, number):  # room for the data file's -wal and -shm only
        (filler / str(spare)).unlink()
    result = _cli(data, "import", str(export))
    assert result.returncode == 1, result.stdout
    assert "disk is full" in result.stderr and "Nothing was imported" in result.stderr
    assert "changed or damaged" not in result.stderr and "Traceback" not in result.stderr


def test_list_on_a_link_to_another_programs_database_says_what_it_is(tmp_path):
    other = tmp_path / "browser-history.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    before = other.read_bytes()
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    (data / "nasro.db").symlink_to(other)
    result = _cli(data, "list")
    assert result.returncode != 0
    assert "another program's database" in result.stderr and str(other) in result.stderr
    assert "older version" not in result.stderr and "Traceback" not in result.stderr
    with pytest.raises(StoreError, match="another program's database"):
        Store.open(data)
    assert other.read_bytes() == before


@pytest.mark.parametrize("limit", ["0", "-1", str(2 ** 62), "many"])
def test_search_limit_out_of_range_gets_a_plain_message(data_dir, limit):
    with Store.open(data_dir) as store:
        store.create_assessment(_assessment(answers={"mou.exists": Answer(
            "mou.exists", "yes", note="signed in June")}))
    result = _cli(data_dir, "search", "signed", "--limit", limit)
    assert result.returncode == 2
    assert "choose a whole number from 1 to 10,000" in result.stderr
    assert "Traceback" not in result.stderr and "went wrong" not in result.stderr
    assert _cli(data_dir, "search", "signed", "--limit", "10000").returncode == 0


# --- damage only the full integrity_check finds -------------------------------------------------


def _garble_an_evidence_key(data: Path, tmp_path: Path) -> None:
    """One byte of a record's SHA-256 in the table (not in its index): quick_check passes,
    integrity_check reports the row missing from its index."""
    src = tmp_path / "mou.pdf"
    src.write_bytes(b"%PDF-1.4 signed")
    with Store.open(data) as store:
        aid = store.create_assessment(_assessment()).id
        sha = store.evidence.attach(aid, src, "standard", "01.01.04").sha256
        store.backups.auto(datetime(2026, 9, 1, 9))
    with sqlite3.connect(data / "nasro.db") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = bytearray((data / "nasro.db").read_bytes())
    at = raw.index(sha.encode())
    raw[at + 5] = ord("g")
    (data / "nasro.db").write_bytes(bytes(raw))
    conn = sqlite3.connect(data / "nasro.db")
    try:
        assert not files.check_problems(conn) and files.check_problems(conn, full=True)
    finally:
        conn.close()


def test_damage_only_the_full_check_finds_is_found_at_open(data_dir, tmp_path):
    _garble_an_evidence_key(data_dir, tmp_path)
    with pytest.raises(DamagedDatabase) as caught:
        Store.open(data_dir)
    assert caught.value.backups  # the newest backup is offered, as for any damage
    assert not (data_dir / "nasro.db").exists()  # put aside, never deleted
    assert list(data_dir.glob("nasro-damaged-*.db"))


def test_a_large_file_is_checked_fully_by_the_daily_backup(data_dir, tmp_path, monkeypatch):
    _garble_an_evidence_key(data_dir, tmp_path)
    monkeypatch.setattr(files, "FULL_CHECK_BYTES", 0)  # as if the file were large
    with Store.open(data_dir) as store:  # the quick check at open passes
        before = sorted(p.name for p in (data_dir / "backups").glob("*.db"))
        with pytest.raises(backup_mod.DamageFound) as caught:
            store.backups.auto(datetime(2026, 9, 2, 9))
        assert "No backup was made" in str(caught.value)
        assert sorted(p.name for p in (data_dir / "backups").glob("*.db")) == before
    with pytest.raises(DamagedDatabase):  # the next open checks fully
        Store.open(data_dir)


def test_damage_only_in_finds_index_is_rebuilt_not_put_aside(data_dir):
    with Store.open(data_dir) as store:
        aid = store.create_assessment(_assessment(answers={"mou.exists": Answer(
            "mou.exists", "yes", note="signed in June")})).id
    with sqlite3.connect(data_dir / "nasro.db") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = bytearray((data_dir / "nasro.db").read_bytes())
    at = [m.start() for m in re.finditer(b"mou.exists", raw)][-1]  # Find's copy of the key
    raw[at + 7] = ord("X")
    (data_dir / "nasro.db").write_bytes(bytes(raw))
    with Store.open(data_dir) as store:
        assert [h.assessment_id for h in store.search("June")] == [aid]
        conn = store.db.reader()
        assert files.check_problems(conn, full=True) == []


# --- the soak: 200 kills over evidence operations and exports -----------------------------------

_WORK = """
import random, sys, time
from datetime import date, datetime, timedelta
from pathlib import Path
from nasro_desktop.domain.model import Assessment
from nasro_desktop.store import Store, exchange
data, out, seed = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
with Store.open(data) as store:
    aid = store.list_assessments()[0].id
    for step in range(1000):
        what = rng.choice(["attach", "export", "backup", "daily", "copy", "import", "open"])
        name = f"{seed}-{step}"
        if what == "attach":
            src = out / f"src-{name}.pdf"
            src.write_bytes(b"%PDF-1.4 " + rng.randbytes(rng.choice([2000, 3_000_000])))
            store.evidence.attach(aid, src, "standard", "01.01.04")
            src.unlink()
        elif what == "export":
            exchange.export_assessment(store, aid, out / f"export-{name}.json")
        elif what == "backup":
            store.backups.save_to(out / f"backup-{name}.db")
        elif what == "daily":
            store.backups.auto(datetime(2026, 1, 1) + timedelta(days=seed * 50 + step))
        elif what == "copy":
            items = store.evidence.records(aid)
            if items:
                store.evidence.save_copy(rng.choice(items).id, out / f"copy-{name}.pdf")
        elif what == "import":
            exports = sorted(out.glob("export-*.zip"))
            if exports:
                exchange.import_assessment(store, exports[-1])
        else:
            items = store.evidence.records(aid)
            if items:
                store.evidence.open_copy(items[0].id)
"""


@pytest.mark.slow
def test_soak_200_kills_over_evidence_operations_and_exports_leave_no_temp_file(tmp_path):
    data, out = tmp_path / "data", tmp_path / "out"
    out.mkdir()
    with Store.open(data) as store:
        aid = store.create_assessment(_assessment("Soak")).id
        src = tmp_path / "first.pdf"
        src.write_bytes(b"%PDF-1.4 first" + os.urandom(500_000))
        store.evidence.attach(aid, src, "standard", "01.01.04")
    rng = random.Random(27)
    left: list[str] = []
    for kill in range(200):
        proc = subprocess.Popen([sys.executable, "-c", _WORK, str(data), str(out), str(kill)],
                                cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.4, 1.6))  # start-up is ~0.3 s: most kills land mid-work
        proc.send_signal(signal.SIGKILL)
        _out, err = proc.communicate()
        assert proc.returncode == -signal.SIGKILL, err  # killed, never failed
        with Store.open(data):  # one reopen
            pass
        found = _leftovers(data, out)
        left += [f"kill {kill}: {p}" for p in found]
        for path in out.glob("*.db"):  # keep the disk small: the backups made are fine
            path.unlink()
    assert left == []
    with Store.open(data) as store:
        for item in store.evidence.records(store.list_assessments()[-1].id):
            assert store.evidence.read_bytes(item.id)  # every kept record still reads, checked
