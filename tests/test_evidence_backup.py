"""Backups carry the evidence files: "Back up now" is one file that restores everything on its
own, the automatic backups share one pool of files (rotation never multiplies their space),
restore brings the files back with their hashes checked, and "Start next year's" carries the
records of the same stored files. Real files and real folders throughout."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from nasro_desktop.domain.evidence import EvidenceKind, evidence_due
from nasro_desktop.domain.model import Assessment, Officer, School
from nasro_desktop.store import Store, StoreError
from nasro_desktop.store import backups as backup_mod

START = datetime(2026, 1, 1, 12, 0)


def _assessment(title: str = "Review 2026") -> Assessment:
    return Assessment(title=title, agency="Pine Ridge PD", district="Pine Ridge USD",
                      as_of=date(2026, 9, 1), form_id="nasro-2018", form_version=1,
                      officers=[Officer(name="Dana Ruiz"), Officer(name="Sam Lee")],
                      schools=[School(name="Lincoln")])


def _file(path: Path, size: int = 200_000) -> Path:
    path.write_bytes(b"%PDF-1.4\n" + os.urandom(size) + b"\n%%EOF\n")
    return path


def _with_evidence(store: Store, src: Path) -> tuple[int, dict[str, bytes]]:
    """An assessment with three distinct files attached four times; {sha: contents}."""
    aid = store.create_assessment(_assessment()).id
    a = store.load_assessment(aid)
    mou = _file(src / "Signed MOU.pdf")
    cert = _file(src / "Basic SRO course.pdf", 50_000)
    roster = _file(src / "roster.xlsx", 3_000)
    store.evidence.attach(aid, mou, "standard", "01.01.04", standard_id="01.01.04")
    store.evidence.attach(aid, mou, "question", "mou.exists")
    store.evidence.attach(aid, cert, "officer", str(a.officers[0].id),
                          valid_until=date(2026, 6, 30))
    store.evidence.attach(aid, roster, "school", str(a.schools[0].id))
    contents = {hashlib.sha256(p.read_bytes()).hexdigest(): p.read_bytes()
                for p in (mou, cert, roster)}
    return aid, contents


def _stored(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _all_read_back(store: Store, aid: int, contents: dict[str, bytes]) -> None:
    items = store.evidence.records(aid)
    assert items and {i.sha256 for i in items} == set(contents)
    for item in items:  # evidence_bytes checks the SHA-256 against the record
        assert store.evidence.read_bytes(item.id) == contents[item.sha256]


def test_back_up_now_is_one_file_that_restores_the_evidence_on_its_own(data_dir, tmp_path):
    src, usb = tmp_path / "src", tmp_path / "usb stick"
    src.mkdir()
    usb.mkdir()
    with Store.open(data_dir) as store:
        aid, contents = _with_evidence(store, src)
        written = store.backups.save_to(usb / "SRO backup.db")
    assert written == usb / "SRO backup.db" and list(usb.iterdir()) == [written]
    # the backup holds the files in SQLite's archive table, checked readable by plain sqlite3
    conn = sqlite3.connect(f"file:{written}?mode=ro", uri=True)
    archived = {name.rsplit("/", 1)[-1]: hashlib.sha256(data).hexdigest()
                for name, data in conn.execute("SELECT name, data FROM sqlar")}
    conn.close()
    assert archived == {sha: sha for sha in contents}
    # the laptop loses everything: data file, evidence folder, backups folder and its pool
    shutil.rmtree(data_dir)
    missing = backup_mod.restore_backup(data_dir, written)
    assert missing == []
    with Store.open(data_dir) as store:
        _all_read_back(store, aid, contents)
    assert {p.name for p in _stored(data_dir / "evidence")} == set(contents)
    live = sqlite3.connect(data_dir / "nasro.db")
    assert live.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlar'").fetchone() is None
    live.close()
    assert (data_dir / "nasro.db").stat().st_size < 200_000  # the files are not in the data


def test_daily_backup_restores_the_evidence_after_the_folder_is_deleted(data_dir, tmp_path):
    (tmp_path / "src").mkdir()
    with Store.open(data_dir) as store:
        aid, contents = _with_evidence(store, tmp_path / "src")
        daily = store.backups.auto(START)
    assert daily is not None
    pool = data_dir / "backups" / "evidence"
    assert {p.name for p in _stored(pool)} == set(contents)
    shutil.rmtree(data_dir / "evidence")
    assert backup_mod.restore_backup(data_dir, daily) == []
    with Store.open(data_dir) as store:
        _all_read_back(store, aid, contents)


def test_a_damaged_live_file_is_replaced_on_restore(data_dir, tmp_path):
    (tmp_path / "src").mkdir()
    with Store.open(data_dir) as store:
        aid, contents = _with_evidence(store, tmp_path / "src")
        daily = store.backups.auto(START)
    sha = next(iter(contents))
    blob = data_dir / "evidence" / sha[:2] / sha
    blob.chmod(0o600)
    blob.write_bytes(b"x" * len(contents[sha]))  # same size, other bytes
    backup_mod.restore_backup(data_dir, daily)
    with Store.open(data_dir) as store:
        _all_read_back(store, aid, contents)


def test_rotation_keeps_one_copy_of_each_file_whatever_the_number_of_backups(data_dir, tmp_path):
    (tmp_path / "src").mkdir()
    with Store.open(data_dir) as store:
        _, contents = _with_evidence(store, tmp_path / "src")
        pool = data_dir / "backups" / "evidence"
        first = None
        for day in range(40):
            assert store.backups.auto(START + timedelta(days=day)) is not None
            if first is None:
                first = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in _stored(pool)}
        backups = store.backups.all()
    assert len([b for b in backups if b.kind == "daily"]) == 7
    assert len([b for b in backups if b.kind == "weekly"]) == 4
    stored = _stored(pool)
    # one file per distinct content, one inode each, bytes = the evidence once
    assert sorted(p.name for p in stored) == sorted(contents)
    assert len({p.stat().st_ino for p in stored}) == len(contents)
    assert sum(p.stat().st_size for p in stored) == sum(len(c) for c in contents.values())
    # unchanged evidence was never copied again: the very same files as after the first backup
    assert {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in stored} == first
    # every backup file is a small database, the evidence is not inside any of them
    for backup in backups:
        assert backup.size < 300_000


def test_the_pool_drops_files_no_kept_backup_and_not_the_data_needs(data_dir, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    with Store.open(data_dir) as store:
        aid = store.create_assessment(_assessment()).id
        old = store.evidence.attach(aid, _file(src / "old.pdf"), "standard", "01.01.04")
        store.backups.auto(START)
        pool = data_dir / "backups" / "evidence"
        assert [p.name for p in _stored(pool)] == [old.sha256]
        store.evidence.remove(old.id)
        store.purge_deleted(older_than_days=0)  # gone from the data for good
        new = store.evidence.attach(aid, _file(src / "new.pdf"), "standard", "01.01.04")
        # the backups that name the old file are kept for a while: so is the file
        for day in range(1, 6):
            store.backups.auto(START + timedelta(days=day))
        assert {p.name for p in _stored(pool)} == {old.sha256, new.sha256}
        # once every backup naming it has been rotated away, its pool copy goes
        for day in range(6, 60):
            store.backups.auto(START + timedelta(days=day))
        assert [p.name for p in _stored(pool)] == [new.sha256]


def test_an_old_backup_made_before_this_change_still_restores(data_dir, tmp_path):
    (tmp_path / "src").mkdir()
    with Store.open(data_dir) as store:
        aid, contents = _with_evidence(store, tmp_path / "src")
        folder = data_dir / "backups"
        folder.mkdir(exist_ok=True)
        # what the previous release made: the database alone, no pool
        old = backup_mod.copy_database(
            store.path, backup_mod.new_backup_path(folder, "daily", START - timedelta(days=1)))
        store.save_details(aid, title="Changed after the backup")
    assert not (data_dir / "backups" / "evidence").exists()
    assert backup_mod.restore_backup(data_dir, old) == []  # its files are still in evidence/
    with Store.open(data_dir) as store:
        assert store.load_assessment(aid).title == "Review 2026"
        _all_read_back(store, aid, contents)
        # the next automatic backup brings the old backup's files into the pool as well
        store.backups.auto(START)
    shutil.rmtree(data_dir / "evidence")
    assert backup_mod.restore_backup(data_dir, old) == []
    with Store.open(data_dir) as store:
        _all_read_back(store, aid, contents)


def test_restore_names_the_files_found_nowhere(data_dir, tmp_path):
    (tmp_path / "src").mkdir()
    with Store.open(data_dir) as store:
        aid, contents = _with_evidence(store, tmp_path / "src")
        folder = data_dir / "backups"
        folder.mkdir(exist_ok=True)
        old = backup_mod.copy_database(store.path, folder / "nasro-daily-2025-12-31-120000.db")
    shutil.rmtree(data_dir / "evidence")
    missing = backup_mod.restore_backup(data_dir, old)
    assert sorted(missing) == ["Basic SRO course.pdf", "Signed MOU.pdf", "roster.xlsx"]
    with Store.open(data_dir) as store:  # the data is back all the same
        assert len(store.evidence.records(aid)) == 4


def test_start_next_year_carries_the_evidence_records_not_copies(store, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    aid, contents = _with_evidence(store, src)
    gone = store.evidence.attach(aid, _file(src / "draft.pdf", 1_000), "standard", "02.01.01")
    store.evidence.remove(gone.id)  # in the bin: not carried
    before = _stored(store.data_dir / "evidence")
    new = store.start_next_year(aid, date(2027, 9, 1))
    assert _stored(store.data_dir / "evidence") == before  # nothing copied
    old_items = store.evidence.records(aid)
    new_items = store.evidence.records(new.id)
    assert len(new_items) == len(old_items) == 4

    def described(items, officers, schools):
        names = {(EvidenceKind.OFFICER, str(o.id)): o.name for o in officers}
        names |= {(EvidenceKind.SCHOOL, str(s.id)): s.name for s in schools}
        return sorted((i.kind, names.get((i.kind, i.key), i.key), i.sha256, i.file_name,
                       i.added, i.valid_until, i.standard_id) for i in items)

    old = store.load_assessment(aid)
    assert described(new_items, new.officers, new.schools) == described(
        old_items, old.officers, old.schools)
    # the officer's certificate is attached to the new officer row (a new id)
    cert = next(i for i in new_items if i.kind is EvidenceKind.OFFICER)
    assert cert.key == str(new.officers[0].id) != str(old.officers[0].id)
    for item in new_items:
        assert store.evidence.read_bytes(item.id) == contents[item.sha256]
    # the certificate ran out on 30 June 2026: flagged as expired in the new year
    due = evidence_due(new_items, new.as_of,
                       names={(EvidenceKind.OFFICER, str(o.id)): o.name for o in new.officers})
    assert [(d.what, d.who) for d in due] == [("Expired: Basic SRO course.pdf", "Dana Ruiz")]
    assert cert.expired(new.as_of)


KILL_SCRIPT = """
import sys
from datetime import datetime
from pathlib import Path

import pytest
from nasro_desktop.store import Store, StoreError
with Store.open(Path(sys.argv[1])) as store:
    print("open", flush=True)
    store.backups.auto(datetime(2026, 1, 1, 12, 0))
    print("done", flush=True)
"""


def test_a_backup_killed_while_copying_files_leaves_no_backup_without_them(data_dir, tmp_path):
    import signal
    import subprocess
    import sys
    import time

    src = tmp_path / "src"
    src.mkdir()
    with Store.open(data_dir) as store:
        aid = store.create_assessment(_assessment()).id
        for n in range(6):
            store.evidence.attach(aid, _file(src / f"scan {n}.pdf", 20_000_000), "standard",
                                  "01.01.04")
        contents = {i.sha256: store.evidence.read_bytes(i.id) for i in store.evidence.records(aid)}
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(data_dir)],
                            env={**os.environ, "PYTHONPATH": str(root)},
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "open"
    pool = data_dir / "backups" / "evidence"
    deadline = time.monotonic() + 60
    while not _stored(pool) and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert _stored(pool), "the kill came while the files were being copied"
    with Store.open(data_dir) as store:
        assert store.backups.all() == []  # no backup took its name without its files
        daily = store.backups.auto(START + timedelta(days=1))
    assert sorted(p.name for p in _stored(pool)) == sorted(contents)  # no half-written file
    shutil.rmtree(data_dir / "evidence")
    assert backup_mod.restore_backup(data_dir, daily) == []
    with Store.open(data_dir) as store:
        _all_read_back(store, aid, contents)


def test_files_of_a_data_file_put_aside_are_kept(data_dir, tmp_path):
    """"Start with no saved assessments" renames the data file aside: its evidence files stay
    (the sweep at the next open honours the file put aside), so it can be restored whole."""
    (tmp_path / "src").mkdir()
    with Store.open(data_dir) as store:
        aid, contents = _with_evidence(store, tmp_path / "src")
    Store.start_empty(data_dir).close()
    (aside,) = data_dir.glob("nasro-set-aside-*.db")
    with Store.open(data_dir) as store:
        assert store.list_assessments() == []
    assert {p.name for p in _stored(data_dir / "evidence")} == set(contents)
    assert backup_mod.restore_backup(data_dir, aside) == []
    with Store.open(data_dir) as store:
        _all_read_back(store, aid, contents)


def test_a_file_lost_from_the_evidence_folder_is_read_from_the_backups_copy(data_dir, tmp_path):
    (tmp_path / "src").mkdir()
    with Store.open(data_dir) as store:
        aid, contents = _with_evidence(store, tmp_path / "src")
        store.backups.auto(START)
        (sha, wanted), (gone, _) = list(contents.items())[:2]
        blob = data_dir / "evidence" / sha[:2] / sha
        blob.chmod(0o600)
        blob.write_bytes(b"x" * len(wanted))  # damaged in place (same size)
        (data_dir / "evidence" / gone[:2] / gone).unlink()  # a sync tool deleted this one
        _all_read_back(store, aid, contents)  # both read from the pool, hash checked
        item = next(i for i in store.evidence.records(aid) if i.sha256 == sha)
        saved = store.evidence.save_copy(item.id, tmp_path)
        assert saved.read_bytes() == wanted
        # with the pool's copy damaged as well, the file is refused, never shown
        pooled = data_dir / "backups" / "evidence" / sha[:2] / sha
        pooled.chmod(0o600)
        pooled.write_bytes(b"y" * len(wanted))
        with pytest.raises(StoreError, match="changed or is damaged"):
            store.evidence.read_bytes(item.id)


def test_a_full_disk_fails_the_backup_rather_than_leave_it_without_its_files(tmp_path):
    """A real small disk (tmpfs): the pool copy of a file does not fit, so no backup is made
    (the window then says the backup failed), nothing half-written stays; once there is room
    the next backup has everything."""
    import subprocess

    from nasro_desktop.store import SaveFailed

    if not (hasattr(os, "geteuid") and os.geteuid() == 0):  # (Windows has no geteuid)
        pytest.skip("a real small disk (tmpfs mount) needs root")
    data = tmp_path / "small disk"
    data.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(data)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        src = tmp_path / "src"
        src.mkdir()
        with Store.open(data) as store:
            aid = store.create_assessment(_assessment()).id
            item = store.evidence.attach(aid, _file(src / "scan.pdf", 1_200_000), "standard",
                                         "01.01.04")
            filler = data / "filler.bin"
            filler.write_bytes(b"\xff" * (shutil.disk_usage(data).free - 700_000))
            with pytest.raises(SaveFailed, match="disk is full"):
                store.backups.auto(START)
            assert store.backups.all() == []
            pool = data / "backups" / "evidence"
            assert [p for p in _stored(pool)] == []  # no half-written file
            filler.unlink()
            daily = store.backups.auto(START)
        assert [p.name for p in _stored(pool)] == [item.sha256]
        shutil.rmtree(data / "evidence")
        assert backup_mod.restore_backup(data, daily) == []
        with Store.open(data) as store:
            assert store.evidence.read_bytes(item.id) == (src / "scan.pdf").read_bytes()
    finally:
        subprocess.run(["umount", "-l", str(data)], check=True)
