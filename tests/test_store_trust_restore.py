"""Hostile restores and zips (issue 27 §3), made real: a backup whose evidence records name
/dev/zero or give impossible sizes, a pipe planted where a file goes, Open with the
temporary folder full (a real small tmpfs), a zip whose document inflates 200 times and zips
whose directory holds a million entries, with the peak memory measured in a child process."""

from __future__ import annotations

import os
import sqlite3
import struct
import subprocess
import sys
import tempfile
import textwrap
import zipfile
import zlib
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl

from nasro_desktop.domain.model import Assessment
from nasro_desktop.store import ImportRefused, Store, StoreError, exchange
from nasro_desktop.store import backups as backup_mod
from nasro_desktop.store import evidence as ev
from nasro_desktop.store.backups import restore_backup

ROOT = Path(__file__).resolve().parents[1]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _assessment(title: str = "Ours") -> Assessment:
    return Assessment(title=title, as_of=date(2026, 9, 1), form_id="nasro-2018",
                      form_version=1)


def _backup_with_evidence(data_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A "Back up now" file of an assessment with one file attached, and that file."""
    src = tmp_path / "mou.pdf"
    src.write_bytes(b"%PDF-1.4 the signed MOU\n" + os.urandom(5000))
    with Store.open(data_dir) as store:
        aid = store.create_assessment(_assessment()).id
        store.evidence.attach(aid, src, "standard", "01.01.04")
        out = store.backups.save_to(tmp_path / "backup.db")
    return out, src


def _in_evidence(data_dir: Path) -> list[str]:
    folder = data_dir / "evidence"
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() \
        else []


@pytest.mark.parametrize(("column", "value"), [
    ("sha256", "../../../../../../../../../../../../dev/zero"),
    ("sha256", "AB" * 32),
    ("size", 50_000_000_000),
    ("size", -1),
    ("size", 5000.5),
])
def test_a_backup_with_a_record_import_would_refuse_is_not_restored(data_dir, tmp_path,
                                                                    column, value):
    backup, _src = _backup_with_evidence(data_dir, tmp_path)
    hostile = tmp_path / "hostile.db"
    hostile.write_bytes(backup.read_bytes())
    with sqlite3.connect(hostile) as conn:
        conn.execute("DROP TABLE sqlar")  # its files are looked for in the pool, then
        conn.execute(f"UPDATE evidence SET {column} = ?", (value,))
    (data_dir / "evidence").rename(tmp_path / "evidence-aside")
    with Store.open(data_dir) as store:
        store.create_assessment(_assessment("Made after the backup"))
    with pytest.raises(StoreError) as caught:
        restore_backup(data_dir, hostile)
    text = str(caught.value)
    assert "can't be restored" in text and "Nothing was changed" in text
    assert "Choose another backup" in text
    assert _in_evidence(data_dir) == []  # nothing was read into the evidence folder
    with Store.open(data_dir) as store:
        assert sorted(a.title for a in store.list_assessments()) == ["Made after the backup", "Ours"]


def test_a_record_of_dev_zero_in_the_live_data_is_never_read(store, tmp_path):
    """A record written before this check (an older restore): reading it is refused."""
    src = tmp_path / "a.pdf"
    src.write_bytes(b"%PDF-1.4 a\n")
    aid = store.create_assessment(_assessment()).id
    item = store.evidence.attach(aid, src, "standard", "01.01.04")
    store.db.write(lambda c: c.execute("UPDATE evidence SET sha256 = ?, size = ? WHERE id = ?",
                                     ("../../../../../../../../../../dev/zero", 1 << 30,
                                      item.id)))
    with pytest.raises(StoreError, match="not valid"):
        store.evidence.read_bytes(item.id)
    with pytest.raises(StoreError, match="not valid"):
        store.evidence.open_copy(item.id)


def _restore_in_child(data_dir: Path, backup: Path) -> subprocess.CompletedProcess[str]:
    code = ("import sys\nfrom nasro_desktop.store.backups import restore_backup\n"
            "print(restore_backup(sys.argv[1], sys.argv[2]))\n")
    return subprocess.run([sys.executable, "-c", code, str(data_dir), str(backup)],
                          capture_output=True, text=True, timeout=30, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.mark.parametrize("where", ["pool", "live"])
def test_a_pipe_planted_where_a_file_goes_never_hangs_a_restore(data_dir, tmp_path, where):
    backup, src = _backup_with_evidence(data_dir, tmp_path)
    with sqlite3.connect(backup) as conn:
        sha = conn.execute("SELECT sha256 FROM evidence").fetchone()[0]
        if where == "pool":  # the pool is the only source left
            conn.execute("DROP TABLE sqlar")
    live = ev.blob_path(data_dir, sha)
    os.chmod(live, 0o600)
    live.unlink()
    planted = ev.blob_in(data_dir / "backups" / "evidence" if where == "pool"
                         else data_dir / "evidence", sha)
    planted.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.mkfifo(planted)
    try:
        result = _restore_in_child(data_dir, backup)
    except subprocess.TimeoutExpired:
        pytest.fail("the restore hung on a pipe")
    assert result.returncode == 0, result.stderr
    if where == "pool":
        assert result.stdout.strip() == "['mou.pdf']"  # said missing, never read from the pipe
    else:  # the pipe in the live folder is replaced by the checked file from the backup
        assert result.stdout.strip() == "[]"
        assert live.read_bytes() == src.read_bytes()


@pytest.fixture
def full_temp(tmp_path, monkeypatch):
    """The computer's temporary folder on a real 300 KB disk (tmpfs), filled up."""
    if not IS_ROOT:
        pytest.skip("mounting a small tmpfs needs root")
    disk = tmp_path / "tmpdisk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(disk)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    monkeypatch.setattr(tempfile, "tempdir", str(disk))
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_open_with_the_temporary_folder_full_says_so_in_the_panel(qtbot, store, tmp_path,
                                                                  full_temp):
    from nasro_desktop.session import Session
    from nasro_desktop.ui.interview_page import InterviewPage

    session = Session.open_sample(store)
    spec = next(p for p in session.pages if p.standard_id
                and session.form.standard(p.standard_id).number == "01.01.04")
    page = InterviewPage(spec, session)
    qtbot.addWidget(page)
    page.resize(1200, 900)
    page.show()
    qtbot.waitExposed(page)
    panel = page.evidence_files
    opened: list[QUrl] = []
    panel.open_url = opened.append
    big = tmp_path / "scan.pdf"
    big.write_bytes(b"%PDF-1.4\n" + os.urandom(600_000))
    panel.attach_paths([big], wait=True)
    panel.list.setFocus()
    panel.list.setCurrentRow(0)
    qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    assert opened == []
    text = panel.message.text()
    assert text.startswith("✘ scan.pdf could not be opened") and "disk is full" in text
    assert os.listdir(full_temp) == []  # the half-made copy went


# --- zips ---------------------------------------------------------------------------------------


def _peak_memory_of(code: str) -> tuple[int, str]:
    """Run `code` in a child; (its peak memory growth in MB while running `code`, its output)."""
    script = textwrap.dedent("""
        import resource, sys
        from pathlib import Path
        from nasro_desktop.store import exchange, ImportRefused
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
        {code}
        except ImportRefused as error:
            print(error)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print((after - before) // 1024)
    """).replace("{code}", textwrap.indent(code, "    "))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=300, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    *said, growth = result.stdout.strip().splitlines()
    return int(growth), "\n".join(said)


def test_a_document_that_inflates_200_times_is_refused_without_the_memory(tmp_path):
    """A 60 MB document packed into a few hundred KB (a "zip bomb" of empty JSON lists)."""
    bomb = tmp_path / "bomb.zip"
    document = b'{"format": 2, "x": [' + b"[]," * 20_000_000 + b"[]]}"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("assessment.json", document)
    assert bomb.stat().st_size < 300_000 and len(document) > 60_000_000
    growth, said = _peak_memory_of(
        f"exchange.read_package(Path({str(bomb)!r}))")
    assert "expands far more than any assessment does" in said
    assert growth < 40, f"peak memory grew {growth} MB"


def _directory_bomb(path: Path, entries: int, *, claimed: int | None = None) -> None:
    """A zip whose central directory lists `entries` empty files (no data), its end record
    claiming `claimed` members (default: the real count, capped at 0xFFFF)."""
    directory = bytearray()
    for number in range(entries):
        name = f"e{number}".encode()
        directory += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0,
                                 zlib.crc32(b""), 0, 0, len(name), 0, 0, 0, 0, 0, 0) + name
    count = min(entries, 0xFFFF) if claimed is None else claimed
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), 0, 0)
    path.write_bytes(bytes(directory) + end)


@pytest.mark.parametrize("claimed", [None, 2], ids=["count", "lying-count"])
def test_a_million_entry_zip_is_refused_from_its_end_record(tmp_path, claimed):
    bomb = tmp_path / "entries.zip"
    _directory_bomb(bomb, 1_000_000, claimed=claimed)
    growth, said = _peak_memory_of(f"exchange.read_package(Path({str(bomb)!r}))")
    assert "holds more than 1,000 files" in said
    assert growth < 40, f"peak memory grew {growth} MB"


def test_an_export_s_document_still_imports_at_the_limits(store, tmp_path):
    """A real export with the same long note pasted into 800 answers (it packs hundreds of
    times) is not taken for a bomb."""
    from nasro_desktop.domain.model import Answer

    notes = {f"q.{i}": Answer(f"q.{i}", "met", note=("Reviewed with the principal. " * 70)[:2000])
             for i in range(800)}
    a = _assessment("Long notes")
    aid = store.create_assessment(Assessment(**{**a.__dict__, "answers": notes})).id
    src = tmp_path / "mou.pdf"
    src.write_bytes(b"%PDF-1.4\n" + os.urandom(1000))
    store.evidence.attach(aid, src, "standard", "01.01.04")
    out = exchange.export_assessment(store, aid, tmp_path / "long.json")
    info = zipfile.ZipFile(out).getinfo("assessment.json")
    assert info.file_size > 1_000_000
    package = exchange.read_package(out)
    assert len(package.assessment.answers) == 800
    assert info.file_size > 100 * info.compress_size  # packed far better than a bomb's cap


def test_a_zip_refused_for_its_directory_is_refused_before_zipfile_reads_it(tmp_path):
    bomb = tmp_path / "entries.zip"
    _directory_bomb(bomb, 5_000)
    with pytest.raises(ImportRefused, match="more than 1,000 files"):
        exchange.read_package(bomb)


def test_the_pool_is_never_read_through_a_record_outside_it(data_dir):
    """backups.fill_pool with a record naming a path: nothing read, said missing."""
    with Store.open(data_dir):
        pass
    bad = "../../../../../../../../../dev/zero"
    assert backup_mod.fill_pool(data_dir, {bad: 10}) == [bad]
    assert not list((data_dir / "backups").rglob("*")) if (data_dir / "backups").exists() \
        else True
