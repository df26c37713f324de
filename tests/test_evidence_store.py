"""Evidence files in the store: real files attached, read back with their hash checked,
refused when they are not ordinary files, and never half-attached after a kill."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date, datetime
from pathlib import Path

import pytest

from nasro_desktop.domain.evidence import EvidenceKind
from nasro_desktop.domain.model import Assessment
from nasro_desktop.store import Store, StoreError
from nasro_desktop.store import evidence as ev
from nasro_desktop.store import schema as schema_mod
from nasro_desktop.store.backups import restore_backup

ROOT = Path(__file__).resolve().parents[1]


def _assessment(title="Review 2026") -> Assessment:
    return Assessment(title=title, agency="Pine Ridge PD", district="Pine Ridge USD",
                      as_of=date(2026, 9, 1), form_id="nasro-2018", form_version=1)


def _pdf(path: Path, text: str = "signed MOU", size: int = 0) -> Path:
    body = b"%PDF-1.4\n% " + text.encode() + b"\n"
    body += os.urandom(size) if size else b""
    path.write_bytes(body + b"%%EOF\n")
    return path


def _blobs(data_dir: Path) -> list[Path]:
    folder = data_dir / "evidence"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_attach_lists_and_reads_back_a_real_file(store, tmp_path):
    aid = store.create_assessment(_assessment()).id
    mou = _pdf(tmp_path / "Signed MOU 2026.pdf")
    item = store.evidence.attach(aid, mou, "standard", "01.01.04", description="The signed MOU",
                                 valid_until=date(2027, 6, 30), standard_id="01.01.04")
    assert item.file_name == "Signed MOU 2026.pdf" and item.media_type == "application/pdf"
    assert item.size == mou.stat().st_size
    assert item.sha256 == hashlib.sha256(mou.read_bytes()).hexdigest()
    assert item.valid_until == date(2027, 6, 30) and item.kind is EvidenceKind.STANDARD
    assert item.added.tzinfo is not None
    assert store.evidence.records(aid, "standard", "01.01.04") == [item]
    assert store.evidence.records(aid, "officer") == []
    assert store.evidence.read_bytes(item.id) == mou.read_bytes()
    # the stored file is read-only and named by its hash
    (blob,) = _blobs(store.data_dir)
    assert blob.name == item.sha256 and not (blob.stat().st_mode & 0o222)


def test_identical_files_are_stored_once(store, tmp_path):
    a = store.create_assessment(_assessment()).id
    b = store.create_assessment(_assessment("Review 2027")).id
    mou = _pdf(tmp_path / "mou.pdf")
    copy = tmp_path / "copy of mou.pdf"
    copy.write_bytes(mou.read_bytes())
    store.evidence.attach(a, mou, "standard", "01.01.04")
    store.evidence.attach(a, copy, "question", "mou.exists")
    store.evidence.attach(b, mou, "standard", "01.01.04")
    assert len(_blobs(store.data_dir)) == 1
    assert len(store.evidence.records(a)) == 2 and len(store.evidence.records(b)) == 1


def test_a_changed_stored_file_is_refused_on_every_read(store, tmp_path):
    aid = store.create_assessment(_assessment()).id
    item = store.evidence.attach(aid, _pdf(tmp_path / "cert.pdf", size=5000), "officer", "1")
    blob = ev.blob_path(store.data_dir, item.sha256)
    os.chmod(blob, 0o600)
    data = bytearray(blob.read_bytes())
    data[100] ^= 0xFF  # one flipped byte, as a failing disk would
    blob.write_bytes(bytes(data))
    with pytest.raises(ev.EvidenceProblem, match="changed or is damaged"):
        store.evidence.read_bytes(item.id)
    with pytest.raises(ev.EvidenceProblem, match="changed or is damaged"):
        store.evidence.save_copy(item.id, tmp_path)
    assert not (tmp_path / "cert.pdf.tmp").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cert.pdf", "data"]
    with pytest.raises(ev.EvidenceProblem, match="changed or is damaged"):
        store.evidence.open_copy(item.id)
    blob.unlink()
    with pytest.raises(ev.EvidenceProblem, match="missing"):
        store.evidence.read_bytes(item.id)


def test_save_a_copy_and_open_a_private_copy(store, tmp_path):
    aid = store.create_assessment(_assessment()).id
    src = _pdf(tmp_path / "roster.pdf", size=3000)
    item = store.evidence.attach(aid, src, "standard", "02.01.01")
    out = tmp_path / "out"
    out.mkdir()
    saved = store.evidence.save_copy(item.id, out)
    assert saved == out / "roster.pdf" and saved.read_bytes() == src.read_bytes()
    opened = store.evidence.open_copy(item.id)
    try:
        assert opened.read_bytes() == src.read_bytes() and opened.name == "roster.pdf"
        assert opened.parent.stat().st_mode & 0o077 == 0  # a private folder
        assert opened.stat().st_mode & 0o277 == 0  # read-only, this user only
        second = store.evidence.open_copy(item.id)
        assert second.parent != opened.parent  # each Open gets its own new folder
    finally:
        for path in (opened, second):
            path.unlink()
            path.parent.rmdir()


def test_folders_pipes_devices_and_huge_files_are_refused_plainly(store, tmp_path, monkeypatch):
    aid = store.create_assessment(_assessment()).id
    folder = tmp_path / "Scans"
    folder.mkdir()
    with pytest.raises(ev.EvidenceProblem, match="is a folder"):
        store.evidence.attach(aid, folder, "standard", "01.01.04")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    # never waits for a writer on the pipe: a watchdog with a generous deadline lets a waiting
    # open go (as a writer) and says so; no wall-clock limit on a busy machine
    released: list[bool] = []

    def release() -> None:
        released.append(True)
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass

    watchdog = threading.Timer(60, release)
    watchdog.start()
    try:
        with pytest.raises(ev.EvidenceProblem, match="not an ordinary file"):
            store.evidence.attach(aid, fifo, "standard", "01.01.04")
    finally:
        watchdog.cancel()
    assert not released, "attaching a pipe waited for a writer"
    with pytest.raises(ev.EvidenceProblem, match="not an ordinary file"):
        store.evidence.attach(aid, "/dev/zero", "standard", "01.01.04")
    with pytest.raises(ev.EvidenceProblem, match="was not found"):
        store.evidence.attach(aid, tmp_path / "nowhere.pdf", "standard", "01.01.04")
    monkeypatch.setattr(ev, "MAX_FILE_BYTES", 10_000)  # a real 20 kB file over a lowered limit
    big = _pdf(tmp_path / "big.pdf", size=20_000)
    with pytest.raises(ev.EvidenceProblem, match=r"up to 10 KB can be attached"):
        store.evidence.attach(aid, big, "standard", "01.01.04")
    assert store.evidence.records(aid) == [] and _blobs(store.data_dir) == []


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_is_refused(store, tmp_path):
    aid = store.create_assessment(_assessment()).id
    secret = _pdf(tmp_path / "secret.pdf")
    secret.chmod(0)
    with pytest.raises(ev.EvidenceProblem, match="may not read"):
        store.evidence.attach(aid, secret, "standard", "01.01.04")


def test_the_default_limit_is_said_in_words():
    problem = ev._too_big("scan.tif", 250_000_000)
    assert "250.0 MB" in str(problem) and "100.0 MB" in str(problem)


def test_remove_is_recoverable_and_keeps_the_file(store, tmp_path):
    aid = store.create_assessment(_assessment()).id
    item = store.evidence.attach(aid, _pdf(tmp_path / "a.pdf"), "school", "4")
    store.evidence.remove(item.id)
    assert store.evidence.records(aid) == []
    (removed,) = store.evidence.records(aid, removed=True)
    assert removed.deleted_at is not None
    store.evidence.restore(item.id)
    assert [e.id for e in store.evidence.records(aid)] == [item.id]
    assert store.evidence.read_bytes(item.id).startswith(b"%PDF")
    changed = store.evidence.update(item.id, description="Floor plan", valid_until=date(2030, 1, 1))
    assert changed.description == "Floor plan" and changed.valid_until == date(2030, 1, 1)
    cleared = store.evidence.update(item.id, valid_until=None)
    assert cleared.valid_until is None and cleared.description == "Floor plan"


def test_a_read_only_store_attaches_nothing(data_dir, tmp_path):
    with Store.open(data_dir) as store:
        aid = store.create_assessment(_assessment()).id
    with Store.open(data_dir, read_only=True) as viewer:
        with pytest.raises(StoreError, match="viewing only"):
            viewer.evidence.attach(aid, _pdf(tmp_path / "a.pdf"), "standard", "01.01.04")
        with pytest.raises(StoreError, match="viewing only"):  # the window's worker half
            viewer.evidence.stage(tmp_path / "a.pdf")
    assert _blobs(data_dir) == []


def test_sweep_removes_orphans_but_keeps_what_a_backup_names(data_dir, tmp_path):
    with Store.open(data_dir) as store:
        aid = store.create_assessment(_assessment()).id
        kept = store.evidence.attach(aid, _pdf(tmp_path / "kept.pdf"), "standard", "01.01.04")
        in_backup = store.evidence.attach(aid, _pdf(tmp_path / "old.pdf", "old"), "officer", "1")
        store.backups.auto(datetime(2026, 9, 1, 12, 0))
        store.purge_deleted(0)
        store.evidence.remove(in_backup.id)
        # the row goes for good (its assessment purged): only the backup still names the file
        store.delete_assessment(store.create_assessment(_assessment("x")).id)
        store.db.write(lambda conn: conn.execute("DELETE FROM evidence WHERE id = ?",
                                               (in_backup.id,)))
    # a file that no record names (as a kill between the rename and the commit leaves)
    orphan = _pdf(tmp_path / "orphan.pdf", "orphan")
    sha = hashlib.sha256(orphan.read_bytes()).hexdigest()
    ev.blob_path(data_dir, sha).parent.mkdir(parents=True, exist_ok=True)
    ev.blob_path(data_dir, sha).write_bytes(orphan.read_bytes())
    (data_dir / "evidence" / ".incoming-abc123").write_bytes(b"half")
    with Store.open(data_dir) as store:
        names = {p.name for p in _blobs(data_dir)}
        assert names == {kept.sha256, in_backup.sha256}
        assert store.evidence.read_bytes(kept.id).startswith(b"%PDF")


def test_a_backup_restores_the_evidence_it_names(data_dir, tmp_path):
    with Store.open(data_dir) as store:
        aid = store.create_assessment(_assessment()).id
        item = store.evidence.attach(aid, _pdf(tmp_path / "mou.pdf"), "standard", "01.01.04")
        backup = store.backups.auto(datetime(2026, 9, 1, 12, 0))
        store.evidence.remove(item.id)
        store.db.write(lambda conn: conn.execute("DELETE FROM evidence"))
    with Store.open(data_dir) as store:  # swept: the backup still names the file
        assert store.evidence.records(aid) == []
    restore_backup(data_dir, backup)
    with Store.open(data_dir) as store:
        (back,) = store.evidence.records(aid)
        assert store.evidence.read_bytes(back.id) == (tmp_path / "mou.pdf").read_bytes()


def test_daily_backups_do_not_copy_the_evidence(data_dir, tmp_path):
    with Store.open(data_dir) as store:
        aid = store.create_assessment(_assessment()).id
        store.evidence.attach(aid, _pdf(tmp_path / "scan.pdf", size=3_000_000), "standard", "x")
        for day in range(1, 10):
            store.backups.auto(datetime(2026, 9, day, 12, 0))
    backups = list((data_dir / "backups").iterdir())
    assert len(backups) >= 7
    assert all(p.stat().st_size < 500_000 for p in backups)
    assert len(_blobs(data_dir)) == 1


def test_migration_from_the_previous_release_adds_the_table(data_dir):
    """A data file at schema version 2 (the release before this one) gains `evidence`."""
    data_dir.mkdir(parents=True)
    conn = sqlite3.connect(data_dir / "nasro.db", isolation_level=None)
    schema_mod.create_version_table(conn)
    conn.execute("BEGIN")
    for number, migrate in enumerate(schema_mod.MIGRATIONS[:2], start=1):
        migrate(conn)
        conn.execute("INSERT INTO schema_version VALUES (?, 'test', '2026-01-01')", (number,))
    conn.execute("INSERT INTO assessments (title, as_of, form_id, form_version, created, updated)"
                 " VALUES ('Old', '2025-09-01', 'nasro-2018', 1, '2025-09-01', '2025-09-01')")
    conn.execute("COMMIT")
    conn.close()
    with Store.open(data_dir) as store:
        (old,) = store.list_assessments()
        assert store.evidence.records(old.id) == []
        version = store.db.reader().execute("SELECT max(version) FROM schema_version")
        assert version.fetchone()[0] == len(schema_mod.MIGRATIONS)  # 3, then 4 (action person)


_CHILD = r"""
import os, sys
from datetime import date
from pathlib import Path
from nasro_desktop.domain.model import Assessment
from nasro_desktop.store import Store
data, files = Path(sys.argv[1]), Path(sys.argv[2])
store = Store.open(data)
aid = store.create_assessment(Assessment(title="t", as_of=date(2026, 9, 1),
                                         form_id="nasro-2018", form_version=1)).id
print("ready", flush=True)
n = 0
while True:
    src = files / f"f{n}.pdf"
    src.write_bytes(b"%PDF " + str(n).encode() + os.urandom(4_000_000))
    store.evidence.attach(aid, src, "standard", "01.01.04")
    print("attached", n, flush=True)
    n += 1
"""


@pytest.mark.parametrize("delay", [0.05, 0.2, 0.45])
def test_a_kill_during_attach_leaves_no_partial_record_and_no_orphan(tmp_path, delay):
    data = tmp_path / "data"
    sources = tmp_path / "src"
    sources.mkdir()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(data), str(sources)],
                             stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert child.stdout.readline().strip() == "ready"
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    with Store.open(data) as store:
        (summary,) = store.list_assessments()
        records = store.evidence.records(summary.id)
        for item in records:  # every record's file is whole and checks out
            data_bytes = store.evidence.read_bytes(item.id)
            assert data_bytes == (sources / item.file_name).read_bytes()
        # no orphan data and no half-written file left in the evidence folder
        assert {p.name for p in _blobs(data)} == {item.sha256 for item in records}


def test_find_searches_evidence_names_and_descriptions(store, tmp_path):
    from nasro_desktop.store import search as search_mod

    aid = store.create_assessment(_assessment()).id
    mou = store.evidence.attach(aid, _pdf(tmp_path / "Signed memorandum.pdf"), "standard",
                                "01.01.04", description="Countersigned by the superintendent")
    cert = store.evidence.attach(aid, _pdf(tmp_path / "Nguyễn basic course.pdf", "c"),
                                 "officer", "7")
    hits = store.search("countersigned")
    assert [(h.kind, h.standard_id, h.ref_id, h.subject) for h in hits] == [
        ("evidence", "01.01.04", mou.id, "Signed memorandum.pdf")]
    assert hits[0].kind_label == "Evidence file"
    assert [h.ref_id for h in store.search("nguyen course")] == [cert.id]
    store.evidence.update(mou.id, description="Filed at city hall")
    assert store.search("countersigned") == [] and len(store.search("city hall")) == 1
    store.evidence.remove(cert.id)
    assert store.search("nguyen") == []  # removed files are not found
    store.evidence.restore(cert.id)
    assert len(store.search("nguyen")) == 1
    conn = store.db.reader()
    assert search_mod.index_problem(conn, deep=False) is None
    # the index-less scan (a read-only viewer with a damaged index) finds the same
    assert [h.ref_id for h in search_mod.scan(conn, ["memorandum"])] == [mou.id]


def test_the_spreadsheet_export_lists_the_evidence(store, tmp_path):
    import csv

    from nasro_desktop.domain.model import Officer
    from nasro_desktop.session import form_for
    from nasro_desktop.store.spreadsheet import export_csv
    from nasro_desktop.store.tables import EVIDENCE_COLUMNS

    aid = store.create_assessment(_assessment()).id
    officer = store.save_officer(aid, Officer(name="Nguyễn Văn An"))
    cert = store.evidence.attach(aid, _pdf(tmp_path / "=cert.pdf", "c"), "officer",
                                 str(officer.id), valid_until=date(2027, 6, 30),
                                 description="Basic course, Łódź")
    gone = store.evidence.attach(aid, _pdf(tmp_path / "old.pdf", "o"), "standard", "01.01.04")
    store.evidence.remove(gone.id)
    saved = store.load_assessment(aid)
    written = export_csv(saved, form_for(saved), tmp_path / "out", store.evidence.records(aid))
    (path,) = [p for p in written if p.name.endswith("-evidence.csv")]
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [c.title for c in EVIDENCE_COLUMNS] and len(rows) == 1
    row = rows[0]
    assert row["File"] == "'=cert.pdf"  # never a formula
    assert row["Supports"] == "Officer: Nguyễn Văn An"
    assert row["Description"] == "Basic course, Łódź" and row["Valid until"] == "2027-06-30"
    assert row["SHA-256"] == cert.sha256 and row["Size (bytes)"] == str(cert.size)


def test_removed_files_go_for_good_after_the_keeping_time(data_dir, tmp_path):
    with Store.open(data_dir) as store:
        aid = store.create_assessment(_assessment()).id
        kept = store.evidence.attach(aid, _pdf(tmp_path / "kept.pdf"), "standard", "x")
        gone = store.evidence.attach(aid, _pdf(tmp_path / "gone.pdf", "g"), "standard", "x")
        store.evidence.remove(gone.id)
        store.purge_deleted()  # removed today: still recoverable
        assert [e.id for e in store.evidence.records(aid, removed=True)] == [gone.id]
        store.purge_deleted(0)
        assert store.evidence.records(aid, removed=True) == []
        assert [e.id for e in store.evidence.records(aid)] == [kept.id]
    with Store.open(data_dir):  # no backup names it: its file goes at the next open
        assert {p.name for p in _blobs(data_dir)} == {kept.sha256}


def test_yesterday_s_private_copies_are_cleared(store, tmp_path):
    aid = store.create_assessment(_assessment()).id
    item = store.evidence.attach(aid, _pdf(tmp_path / "a.pdf"), "standard", "x")
    old = store.evidence.open_copy(item.id)
    recent = store.evidence.open_copy(item.id)
    two_days_ago = time.time() - 48 * 3600
    os.utime(old.parent, (two_days_ago, two_days_ago))
    newest = store.evidence.open_copy(item.id)
    try:
        assert not old.parent.exists()
        assert recent.exists() and newest.exists()
    finally:
        for path in (recent, newest):
            path.chmod(0o600)
            path.unlink()
            path.parent.rmdir()
