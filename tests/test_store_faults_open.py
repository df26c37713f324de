"""Faults found when opening the data folder, each made real: a -wal left by a killed writer of
another database, an older -wal of the same file, a 0-byte or missing file beside backups,
another program's database, links, damaged schema rows. Nothing here is mocked."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from nasro_desktop.domain.model import Answer, Assessment
from nasro_desktop.store import (
    DamagedDatabase,
    MissingDatabase,
    NotOurFile,
    RecoveryNeeded,
    Store,
    StoreError,
    UnexpectedWal,
)
from nasro_desktop.store.backups import restore_backup

ROOT = Path(__file__).resolve().parents[1]
HELPERS = Path(__file__).resolve().parent / "store_helpers"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _killed_writer(data: Path, round_no: int = 1, saves: int = 30) -> None:
    """Run a real writer (store_helpers/saver.py) and SIGKILL it after `saves` answers were
    reported saved: its -wal is left beside the file, as after a crash."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("NASRO_DATA_DIR", None)
    proc = subprocess.Popen([sys.executable, str(HELPERS / "saver.py"), str(data), str(round_no)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env=env)
    try:
        assert proc.stdout.readline().startswith("ready"), proc.stderr.read()
        count = 0
        while count < saves:
            if proc.stdout.readline().startswith("saved"):
                count += 1
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    wal = data / "nasro.db-wal"
    assert wal.exists() and wal.stat().st_size > 0, "a killed writer leaves its -wal"


def _ours(data: Path, titles=("Pine Ridge review", "Oak Hill review")) -> dict[str, int]:
    """A data folder holding a few assessments, closed cleanly (no -wal)."""
    ids = {}
    with Store.open(data) as store:
        for title in titles:
            a = store.create_assessment(Assessment(
                title=title, as_of=date(2025, 9, 1), form_id="nasro-2018", form_version=1,
                answers={f"q.{i}": Answer(f"q.{i}", "met", note=f"{title} {i}") for i in range(30)}))
            ids[title] = a.id
    assert not (data / "nasro.db-wal").exists()
    return ids


def _titles(data: Path) -> list[str]:
    with Store.open(data) as store:
        return sorted(s.title for s in store.list_assessments())


# --- 1. a -wal that does not belong ---------------------------------------------------------


def test_a_wal_from_another_database_is_kept_aside_and_never_replayed(tmp_path):
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    _ours(ours)
    _killed_writer(theirs)
    shutil.copyfile(theirs / "nasro.db-wal", ours / "nasro.db-wal")  # a sync tool's mix-up
    db_before, wal_before = _sha(ours / "nasro.db"), _sha(ours / "nasro.db-wal")

    for _ in range(2):  # Quit and start again: asked again, copies kept only once
        with pytest.raises(UnexpectedWal) as caught:
            Store.open(ours)
        error = caught.value
        assert "another database" in str(error) and "nothing is lost" in str(error)
        assert _sha(ours / "nasro.db") == db_before  # the live files are untouched
        assert _sha(ours / "nasro.db-wal") == wal_before
    kept_db, kept_wal = error.kept
    assert _sha(kept_db) == db_before and _sha(kept_wal) == wal_before  # raw copies, both
    assert len(list(ours.glob("nasro-wal-kept-*.db"))) == 1
    with pytest.raises(StoreError, match="does not belong|another database"):
        Store.open(ours, read_only=True)  # the CLI refuses too, plainly

    Store.resolve_wal(ours, kept_wal, "without")  # the dialog's recommended choice
    assert _titles(ours) == ["Oak Hill review", "Pine Ridge review"]
    assert kept_db.exists() and kept_wal.exists()  # still kept
    assert not list(ours.glob(".nasro-check-*"))  # no check folder left


def test_an_older_wal_of_the_same_file_would_undo_later_saves_and_is_refused(tmp_path):
    data = tmp_path / "data"
    _killed_writer(data, round_no=1)
    old_wal = tmp_path / "old.db-wal"
    shutil.copyfile(data / "nasro.db-wal", old_wal)
    with Store.open(data) as store:  # the -wal of a crash belongs: replayed, no question
        assessment_id = store.list_assessments()[0].id
        store.save_answer(assessment_id, Answer("later.answer", "kept"))
    assert not (data / "nasro.db-wal").exists()
    shutil.copyfile(old_wal, data / "nasro.db-wal")  # a sync tool restores the older -wal

    with pytest.raises(UnexpectedWal, match="older than the data file"):
        Store.open(data)
    error = _expect(UnexpectedWal, data)
    Store.resolve_wal(data, error.kept[-1], "without")
    with Store.open(data) as store:
        assert store.load_assessment(assessment_id).value("later.answer") == "kept"


def _expect(kind, data):
    with pytest.raises(kind) as caught:
        Store.open(data)
    return caught.value


def test_the_wal_of_a_killed_writer_is_replayed_without_a_question(tmp_path):
    data = tmp_path / "data"
    _killed_writer(data, saves=40)
    with Store.open(data) as store:
        answers = store.load_assessment(store.list_assessments()[0].id).answers
        assert sum(1 for q in answers if q.startswith("r1.")) >= 20  # two saves per answer
    assert not list(data.glob("nasro-wal-kept-*")) and not list(data.glob(".nasro-check-*"))


# --- 2. empty or missing nasro.db while backups exist ---------------------------------------


@pytest.mark.parametrize("how", ["missing", "empty"])
def test_a_missing_or_empty_file_beside_backups_offers_the_newest(tmp_path, how):
    data = tmp_path / "data"
    _ours(data)
    with Store.open(data) as store:
        assert store.backups.auto() is not None
    db = data / "nasro.db"
    if how == "missing":
        db.unlink()
    else:
        db.write_bytes(b"")
    error = _expect(MissingDatabase, data)
    assert ("missing" if how == "missing" else "empty (0 bytes)") in str(error)
    assert error.backups and "restore your newest backup" in str(error)
    assert (db.exists() and db.stat().st_size == 0) or how == "missing"  # nothing made
    restore_backup(data, error.backups[0].path)
    assert _titles(data) == ["Oak Hill review", "Pine Ridge review"]


def test_a_missing_file_with_no_backup_is_a_first_start(tmp_path):
    data = tmp_path / "data"
    with Store.open(data) as store:
        assert store.list_assessments() == []


def test_start_empty_keeps_the_old_file_aside(tmp_path):
    data = tmp_path / "data"
    _ours(data)
    before = _sha(data / "nasro.db")
    with Store.start_empty(data) as store:
        assert store.list_assessments() == []
    [aside] = data.glob("nasro-set-aside-*.db")
    assert _sha(aside) == before


# --- 6. every failure to open is a plain StoreError, never a crash --------------------------


def test_a_non_number_schema_version_is_damage_not_a_crash(tmp_path):
    data = tmp_path / "data"
    _ours(data)
    conn = sqlite3.connect(data / "nasro.db")
    conn.execute("UPDATE schema_version SET version = 'two'")
    conn.commit()
    conn.close()
    error = _expect(DamagedDatabase, data)
    assert error.moved_to.exists()


def test_any_byte_of_the_schema_wrong_gives_a_plain_error(tmp_path):
    """Flip single bytes across page 1 (the schema). Opening must end in a StoreError or open
    soundly; never another exception, and a damaged file is kept."""
    data = tmp_path / "data"
    _ours(data)
    good = (data / "nasro.db").read_bytes()
    page = good[:4096]
    offsets = list(range(100, 4096, 37)) + [page.find(b"CREATE TABLE schema_version") + 13,
                                           page.find(b"assessments") + 2]
    outcomes = set()
    for offset in offsets:
        for name in list(data.iterdir()):
            if name.is_file():
                name.unlink()
        bad = bytearray(good)
        bad[offset] ^= 0x5A
        (data / "nasro.db").write_bytes(bytes(bad))
        try:
            with Store.open(data) as store:
                store.list_assessments()
            outcomes.add("opened")
        except RecoveryNeeded as error:
            assert all(p.exists() for p in error.kept)
            outcomes.add(type(error).__name__)
        except StoreError as error:
            assert "Traceback" not in str(error)
            outcomes.add("StoreError")
    assert "DamagedDatabase" in outcomes


def test_a_dangling_link_is_never_followed_to_create_a_file(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    target = tmp_path / "elsewhere" / "gone.db"
    (data / "nasro.db").symlink_to(target)
    error = _expect(NotOurFile, data)
    assert "does not exist" in str(error) and str(target) in str(error)
    assert not target.exists() and not target.parent.exists()
    with Store.start_empty(data) as store:  # the link is put aside, not followed
        assert store.list_assessments() == []
    assert not target.exists()
    assert [p for p in data.glob("nasro-set-aside-*.db") if p.is_symlink()]


# --- 7. never write to a file that is not ours ----------------------------------------------


def test_another_programs_database_is_never_changed(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    other = sqlite3.connect(data / "nasro.db")
    other.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    other.execute("INSERT INTO contacts VALUES ('Ada', '555-0100')")
    other.commit()
    other.close()
    before = _sha(data / "nasro.db")
    error = _expect(NotOurFile, data)
    assert "not this app's saved data" in str(error) and "never will" in str(error)
    assert _sha(data / "nasro.db") == before
    assert not (data / "nasro.db-wal").exists()
    with Store.start_empty(data):
        pass
    [aside] = data.glob("nasro-set-aside-*.db")
    assert _sha(aside) == before


def test_a_link_to_our_file_elsewhere_is_shown_read_only_and_never_written(tmp_path):
    elsewhere = tmp_path / "sync"
    _ours(elsewhere)
    target = elsewhere / "nasro.db"
    before = _sha(target)
    stamp = target.stat().st_mtime_ns
    data = tmp_path / "data"
    data.mkdir()
    (data / "nasro.db").symlink_to(target)
    error = _expect(NotOurFile, data)
    assert error.can_view and "outside your data folder" in str(error)
    with Store.open(data, read_only=True) as view:
        assert len(view.list_assessments()) == 2
    time.sleep(0.01)
    assert _sha(target) == before and target.stat().st_mtime_ns == stamp
    assert sorted(p.name for p in elsewhere.iterdir()) == ["nasro.db", "nasro.lock"]


# --- 5. a read-only folder with a -wal but no -shm ------------------------------------------


def test_a_read_only_folder_with_a_wal_and_no_shm_shows_every_committed_answer(tmp_path):
    from test_store_faults import _read_only_folder

    data = tmp_path / "data"
    _killed_writer(data, saves=60)
    (data / "nasro.db-shm").unlink()
    with Store.open(data) as store:  # what the writer had committed (checked, then replayed)
        pass
    _killed_writer(data, round_no=2, saves=60)  # again: the -wal holds answers the file lacks
    (data / "nasro.db-shm").unlink(missing_ok=True)
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("nasro.db", "nasro.db-wal"):
        shutil.copyfile(data / name, copy / name)
    with Store.open(copy) as store:
        expected = store.load_assessment(1).answers
    assert sum(1 for q in expected if q.startswith("r2.")) >= 30
    with _read_only_folder(data):
        with Store.open(data, read_only=True) as view:  # the CLI: list and export
            assert view.load_assessment(1).answers.keys() == expected.keys()
        with Store.open(data) as window:  # the window: shows everything, saves are refused
            assert window.load_assessment(1).answers.keys() == expected.keys()
            with pytest.raises(StoreError):
                window.save_answer(1, Answer("q.new", "met"))
        result = subprocess.run(
            [sys.executable, "-m", "nasro_desktop", "backup", "--out",
             str(tmp_path / "out.db")], capture_output=True, text=True, cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "NASRO_DATA_DIR": str(data)})
        assert result.returncode == 0, result.stderr
    backed_up = sqlite3.connect(tmp_path / "out.db")
    found = {row[0] for row in backed_up.execute("SELECT question_id FROM answers")}
    backed_up.close()
    assert found == set(expected)


def test_a_wal_damaged_in_the_middle_is_not_silently_cut_short(tmp_path):
    """SQLite stops reading a -wal at the first bad frame; one damaged byte in the middle
    would silently drop every later save. The check sees the saves after the damage."""
    data = tmp_path / "data"
    _killed_writer(data, saves=80)
    wal = data / "nasro.db-wal"
    raw = bytearray(wal.read_bytes())
    page = int.from_bytes(raw[8:12], "big")
    frames = (len(raw) - 32) // (24 + page)
    raw[32 + (frames * 2 // 3) * (24 + page) + 24 + 200] ^= 0xFF  # a page two thirds in
    wal.write_bytes(bytes(raw))
    error = _expect(UnexpectedWal, data)
    assert "damaged in the middle" in str(error)
    assert all(p.exists() for p in error.kept)
    assert error.fix == "readable" and "saves that can be read" in str(error)
    Store.resolve_wal(data, error.kept[-1], error.fix)  # what SQLite reads, by choice
    with Store.open(data) as store:
        answers = store.load_assessment(1).answers
    saved = [q for q in answers if q.startswith("r1.")]
    assert 1 <= len(saved) < 40  # the saves before the damage; the rest is in the kept copy
    assert error.kept[-1].read_bytes() == bytes(raw)


@pytest.mark.parametrize("how", ["empty", "foreign"])
def test_the_cli_says_plainly_when_there_is_nothing_of_ours(tmp_path, how):
    data = tmp_path / "data"
    data.mkdir()
    if how == "empty":
        (data / "nasro.db").write_bytes(b"")
    else:
        conn = sqlite3.connect(data / "nasro.db")
        conn.execute("CREATE TABLE photos (id INTEGER)")
        conn.commit()
        conn.close()
    result = subprocess.run([sys.executable, "-m", "nasro_desktop", "list"], cwd=ROOT,
                            capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "NASRO_DATA_DIR": str(data)})
    assert result.returncode == 1
    assert "older version" not in result.stderr
    assert ("no saved assessments" if how == "empty" else "not this app's") in result.stderr


def test_a_swapped_wal_and_shm_are_kept_not_silently_ignored(tmp_path):
    data = tmp_path / "data"
    _killed_writer(data, saves=40)
    wal, shm = data / "nasro.db-wal", data / "nasro.db-shm"
    wal.rename(data / "swap")
    shm.rename(wal)
    (data / "swap").rename(shm)
    journal = shm.read_bytes()
    error = _expect(UnexpectedWal, data)
    assert "swapped" in str(error)
    assert any(p.read_bytes() == journal for p in error.kept)  # the saves are kept
    assert error.fix == "swap"
    Store.resolve_wal(data, error.kept[-1], error.fix)
    with Store.open(data) as store:  # checked again, then every save is back
        answers = store.load_assessment(1).answers
    assert sum(1 for q in answers if q.startswith("r1.")) >= 20


def test_a_wal_with_a_damaged_header_is_not_silently_ignored(tmp_path):
    data = tmp_path / "data"
    _killed_writer(data, saves=40)
    wal = data / "nasro.db-wal"
    raw = bytearray(wal.read_bytes())
    raw[20] ^= 0x01  # a salt: SQLite would ignore the whole -wal, and every save in it
    wal.write_bytes(bytes(raw))
    error = _expect(UnexpectedWal, data)
    assert "not a journal this app can read" in str(error)
    assert error.kept[-1].read_bytes() == bytes(raw)


@pytest.mark.parametrize("new_byte", [b"\x8a", b"x"])
def test_a_damaged_column_name_in_the_schema_is_damage_found_at_open(tmp_path, new_byte):
    """quick_check passes a schema whose text is damaged; every read of that table would then
    fail (a byte that is not text) or miss a column. Found at open, file kept aside."""
    data = tmp_path / "data"
    _ours(data)
    raw = bytearray((data / "nasro.db").read_bytes())
    at = raw.find(b"calls_for_service")
    assert at > 0  # in the schema (sqlite_master)
    raw[at + 2] = new_byte[0]
    (data / "nasro.db").write_bytes(bytes(raw))
    error = _expect(DamagedDatabase, data)
    assert error.moved_to.read_bytes() == bytes(raw)
