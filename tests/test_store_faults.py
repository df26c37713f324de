"""Faults made real: killed processes, damaged files, newer files, read-only folders, a full
disk, two copies of the app. Nothing here is mocked."""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from nasro_desktop import __version__
from nasro_desktop.domain.model import Answer, Assessment, Officer
from nasro_desktop.store import (
    DamagedDatabase,
    DataInUse,
    MissingDatabase,
    NewerDatabase,
    PendingSaves,
    SaveFailed,
    Store,
    StoreError,
)
from nasro_desktop.store.backups import restore_backup

ROOT = Path(__file__).resolve().parents[1]
HELPERS = Path(__file__).resolve().parent / "store_helpers"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("NASRO_DATA_DIR", None)
    return env


def _spawn(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(HELPERS / script), *args],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, cwd=ROOT, env=_env(),
    )


def _fill(store: Store, count: int = 12) -> list[int]:
    """Enough data for a file of many pages."""
    ids = []
    for n in range(count):
        a = Assessment(
            title=f"Assessment {n}", agency="Pine Ridge PD", district="Pine Ridge USD",
            as_of=date(2025, 9, 1), form_id="nasro-2018", form_version=1,
            answers={f"q.{i}": Answer(f"q.{i}", "met", note=f"note {n}-{i} " * 20)
                     for i in range(40)},
            officers=[Officer(name=f"Officer {n}", sworn_date=date(2015, 1, 1))],
        )
        ids.append(store.create_assessment(a).id)
    return ids


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- killed at random moments ---------------------------------------------------------------


def test_sigkill_at_random_moments_loses_no_reported_answer(tmp_path):
    data = tmp_path / "data"
    rng = random.Random(20181)
    reported: dict[str, int] = {}
    shared_latest = -1
    for round_no in range(1, 7):
        proc = _spawn("saver.py", str(data), str(round_no))
        try:
            ready = proc.stdout.readline()
            assert ready.startswith("ready "), proc.stderr.read()
            time.sleep(rng.uniform(0.05, 0.6))
            proc.send_signal(signal.SIGKILL)
            out, _ = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        assert proc.returncode == -signal.SIGKILL
        lines = out.splitlines()
        for line in lines:
            parts = line.split()
            if len(parts) != 3 or parts[0] != "saved":
                continue  # the last line may be cut by the kill
            if parts[1] == "shared.counter":
                shared_latest = max(shared_latest, int(parts[2]))
            else:
                reported[parts[1]] = int(parts[2])
        # the lock died with the process: the next open works at once
        with Store.open(data) as store:
            assessment = store.load_assessment(store.list_assessments()[-1].id)
            for qid, value in reported.items():
                assert qid in assessment.answers, f"{qid} was reported saved but is missing"
                assert assessment.answers[qid].value == value
            if shared_latest >= 0:
                # never older than what was reported (it may be one newer: saved, not yet printed)
                assert assessment.value("shared.counter") >= shared_latest
    assert len(reported) > 20, "the saver should have saved many answers in six rounds"


# --- damaged files --------------------------------------------------------------------------


@pytest.fixture
def filled(tmp_path):
    data = tmp_path / "data"
    with Store.open(data) as store:
        ids = _fill(store)
        store.backups.auto()
        store.save_answer(ids[0], Answer("after.backup", "yes"))
    return data, ids


def _expect_damaged(data: Path, damaged_bytes: bytes) -> DamagedDatabase:
    with pytest.raises(DamagedDatabase) as caught:
        Store.open(data)
    error = caught.value
    assert error.moved_to.exists(), "the damaged file must be kept"
    assert error.moved_to.read_bytes() == damaged_bytes
    assert not (data / "nasro.db").exists()
    assert error.backups and error.backups[0].kind in ("daily", "weekly")
    text = str(error)
    assert "damaged" in text and error.moved_to.name in text and "backup" in text
    assert "Traceback" not in text and "sqlite" not in text.lower()
    return error


def _recover_from_backup(data: Path, error: DamagedDatabase, ids: list[int]) -> None:
    with pytest.raises(MissingDatabase):  # no file, but backups: never a silent empty start
        Store.open(data)
    with Store.start_empty(data) as fresh:  # the user chose to start empty
        assert fresh.list_assessments() == []
    restore_backup(data, error.backups[0].path)
    with Store.open(data) as store:
        assert sorted(s.id for s in store.list_assessments()) == sorted(ids)
        assert store.load_assessment(ids[3]).answers["q.5"].note.startswith("note 3-5")
    # the fresh file that was replaced was itself kept aside
    assert any(b.kind == "manual" for b in Store.open(data, read_only=True).backups.all())
    assert error.moved_to.exists()


def test_truncated_file_is_moved_aside_and_backup_offered(filled):
    data, ids = filled
    db = data / "nasro.db"
    size = db.stat().st_size
    assert size > 20 * 4096
    with open(db, "r+b") as handle:
        handle.truncate(size // 2)
    damaged = db.read_bytes()
    error = _expect_damaged(data, damaged)
    _recover_from_backup(data, error, ids)


def test_overwritten_pages_are_detected(filled):
    data, ids = filled
    db = data / "nasro.db"
    rng = random.Random(7)
    with open(db, "r+b") as handle:
        for page in (3, 7, 11):
            handle.seek(page * 4096 + 16)
            handle.write(rng.randbytes(3000))
    error = _expect_damaged(data, db.read_bytes())
    _recover_from_backup(data, error, ids)


def test_overwritten_header_is_detected(filled):
    data, _ = filled
    db = data / "nasro.db"
    with open(db, "r+b") as handle:
        handle.write(b"\x00" * 100)
    _expect_damaged(data, db.read_bytes())


def test_damaged_file_opened_read_only_is_left_in_place(filled):
    data, _ = filled
    db = data / "nasro.db"
    with open(db, "r+b") as handle:
        handle.truncate(db.stat().st_size // 3)
    before = _sha(db)
    with pytest.raises(StoreError, match="damaged"):
        Store.open(data, read_only=True)
    assert _sha(db) == before


def test_restore_refuses_a_damaged_backup(filled, tmp_path):
    data, _ = filled
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + os.urandom(8000))
    before = _sha(data / "nasro.db")
    with pytest.raises(StoreError):
        restore_backup(data, bad)
    assert _sha(data / "nasro.db") == before


# --- a file from a newer version --------------------------------------------------------------


def test_newer_schema_version_is_refused_for_writing(tmp_path):
    data = tmp_path / "data"
    with Store.open(data) as store:
        aid = _fill(store, 2)[0]
    db = data / "nasro.db"
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("INSERT INTO schema_version VALUES (99, '7.2.0', '2031-01-01T00:00:00')")
    conn.close()
    before = _sha(db)
    with pytest.raises(NewerDatabase) as caught:
        Store.open(data)
    error = caught.value
    assert error.file_version == "7.2.0" and error.app_version == __version__
    assert "7.2.0" in str(error) and __version__ in str(error)
    assert _sha(db) == before, "a newer file must not be touched"
    with Store.open(data, read_only=True) as viewer:
        assert viewer.load_assessment(aid).title == "Assessment 0"
        with pytest.raises(StoreError):
            viewer.save_answer(aid, Answer("q.0", "not_met"))
    assert _sha(db) == before


# --- a read-only folder ---------------------------------------------------------------------


@contextlib.contextmanager
def _read_only_folder(folder: Path):
    """Make a folder really read-only: chmod, and (as root, who ignores chmod) a read-only bind
    mount. Yields a function that makes it writable again; everything is undone on exit."""
    modes = {p: p.stat().st_mode for p in [folder, *folder.iterdir()]}
    mounted = False

    def unlock() -> None:
        if mounted:
            subprocess.run(["mount", "-o", "remount,bind,rw", str(folder)], check=True)
        for p, mode in modes.items():
            p.chmod(mode)

    for p in folder.iterdir():
        p.chmod(0o400)
    folder.chmod(0o500)
    try:
        if IS_ROOT:
            ok = subprocess.run(["mount", "--bind", str(folder), str(folder)],
                                capture_output=True).returncode == 0
            if not ok:
                pytest.skip("running as root and cannot mount a read-only folder here")
            mounted = True
            if subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)],
                              capture_output=True).returncode != 0:
                pytest.skip("running as root and cannot remount a folder read-only here")
        with pytest.raises(OSError):
            (folder / "probe").write_text("x")
        yield unlock
    finally:
        unlock()
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=True)


def test_read_only_folder_keeps_the_change_and_saves_it_later(tmp_path):
    data = tmp_path / "data"
    with Store.open(data) as store:
        aid = _fill(store, 1)[0]
    pending = PendingSaves()
    with _read_only_folder(data) as unlock:
        store = Store.open(data)  # opens for viewing: what is saved can be read
        try:
            assert store.load_assessment(aid).answers["q.1"].value == "met"
            change = Answer("q.1", "not_met", note="typed while the stick was locked")
            assert pending.submit("answer:q.1", lambda: store.save_answer(aid, change)) is False
            assert pending.pending == 1
            assert isinstance(pending.last_error, SaveFailed)
            assert "cannot be written" in str(pending.last_error)
            assert "kept" in str(pending.last_error)
            assert pending.retry() is False  # still read-only: still kept
            assert pending.pending == 1
            unlock()  # the stick's switch is flipped back
            assert pending.retry() is True  # saved now
            assert pending.pending == 0 and pending.last_error is None
        finally:
            store.close()
    with Store.open(data) as again:
        answer = again.load_assessment(aid).answers["q.1"]
        assert answer.value == "not_met" and answer.note.startswith("typed while")


def test_folder_that_cannot_be_created_gives_a_plain_error(tmp_path):
    parent = tmp_path / "locked"
    parent.mkdir()
    with _read_only_folder(parent):
        with pytest.raises(SaveFailed) as caught:
            Store.open(parent / "data")
    assert "folder" in str(caught.value)


# --- a full disk ----------------------------------------------------------------------------


@contextlib.contextmanager
def _small_disk(folder: Path, size: str = "8m"):
    if not IS_ROOT:
        pytest.skip("a real small disk (tmpfs mount) needs root")
    folder.mkdir(parents=True)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs",
                       str(folder)], capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def _fill_disk(folder: Path) -> Path:
    filler = folder / "filler.bin"
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\xff" * 4096)
        except OSError as error:
            assert error.errno == 28  # ENOSPC: the disk is really full
    return filler


def test_full_disk_keeps_the_change_and_saves_it_later(tmp_path):
    data = tmp_path / "data"
    with _small_disk(data):
        store = Store.open(data)
        try:
            aid = _fill(store, 2)[0]
            filler = _fill_disk(data)
            pending = PendingSaves()
            big = Answer("q.big", "partly", note="a long note " * 8000)
            saved = pending.submit("answer:q.big", lambda: store.save_answer(aid, big))
            assert saved is False
            assert "disk is full" in str(pending.last_error)
            assert "q.big" not in store.load_assessment(aid).answers  # nothing half-written
            assert store.load_assessment(aid).answers["q.3"].value == "met"
            assert pending.retry() is False
            filler.unlink()
            assert pending.retry() is True
        finally:
            store.close()
        with Store.open(data) as again:
            assert again.load_assessment(aid).answers["q.big"].note == big.note
            conn = sqlite3.connect(data / "nasro.db")
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            conn.close()


# --- two copies of the app ----------------------------------------------------------------


def test_second_copy_is_told_the_data_is_in_use(tmp_path):
    data = tmp_path / "data"
    with Store.open(data) as store:
        aid = _fill(store, 1)[0]
    holder = _spawn("holder.py", str(data))
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(DataInUse) as caught:
            Store.open(data)
        assert "another copy" in str(caught.value)
        with pytest.raises(DataInUse):
            restore_backup(data, data / "nasro.db")
        # a second *process* is refused too (not only a second open in this one)
        other = _spawn("holder.py", str(data))
        out, _ = other.communicate(timeout=30)
        assert out.startswith("error DataInUse")
        # viewing is still allowed and sees the saved data
        with Store.open(data, read_only=True) as viewer:
            assert viewer.load_assessment(aid).answers["q.0"].value == "met"
    finally:
        holder.kill()
        holder.wait()
    with Store.open(data) as store:  # the lock died with the holder
        store.save_answer(aid, Answer("q.0", "partly"))
        assert store.load_assessment(aid).value("q.0") == "partly"


def test_same_process_cannot_open_twice(tmp_path):
    data = tmp_path / "data"
    with Store.open(data):
        with pytest.raises(DataInUse):
            Store.open(data)
    Store.open(data).close()


def test_a_wal_without_its_data_file_is_kept_aside_not_replayed(tmp_path):
    """As after a crash in the middle of moving a damaged file: the data file is gone but its
    -wal is still there. A new file must not receive those pages; the -wal is kept."""
    data = tmp_path / "data"
    store = Store.open(data)
    _fill(store, 3)
    wal = data / "nasro.db-wal"
    wal_bytes = wal.read_bytes()
    assert wal_bytes
    kept = tmp_path / "wal-copy"
    kept.write_bytes(wal_bytes)
    store.db.lock.release()  # as if the process died: the OS drops its lock
    store.db.drop_connection()
    (data / "nasro.db").unlink()
    wal.unlink(missing_ok=True)
    (data / "nasro.db-shm").unlink(missing_ok=True)
    wal.write_bytes(kept.read_bytes())
    with Store.open(data) as fresh:
        assert fresh.list_assessments() == []
    orphans = list(data.glob("nasro-orphan-*.db-wal"))
    assert len(orphans) == 1 and orphans[0].read_bytes() == wal_bytes


def test_refused_file_growth_keeps_the_change_and_saves_it_later(tmp_path):
    """The OS refuses to let the files grow (a per-process file size limit: no root needed)."""
    if not hasattr(signal, "SIGXFSZ"):
        pytest.skip("needs a POSIX file size limit")
    data = tmp_path / "data"
    with Store.open(data) as store:
        aid = _fill(store, 2)[0]
    helper = _spawn("file_size_limit.py", str(data), str(aid))
    out, err = helper.communicate(timeout=60)
    assert helper.returncode == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("refused True Could not save"), out
    assert "kept" in lines[0]
    assert lines[1] == "still pending 1"
    assert lines[2] == "retried True"
    with Store.open(data) as again:
        a = again.load_assessment(aid)
        assert a.answers["q.big"].note == "a long note " * 20_000
        assert a.answers["q.3"].value == "met"
        assert again.db.reader().execute("PRAGMA integrity_check").fetchone()[0] == "ok"
