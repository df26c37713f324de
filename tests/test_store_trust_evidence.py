"""Evidence that stays what the paper says (issue 27 §2), with real files: a backup never says
"all" while it lacks a file, the pool never keeps a same-size damaged copy, the daily backup
re-checks every copy and repairs one side from the other (and says so), and the report's
register prints what was verified when it was made."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from nasro_desktop.domain.evidence import CHANGED, MISSING, VERIFIED
from nasro_desktop.domain.model import Assessment
from nasro_desktop.store import Store
from nasro_desktop.store import evidence as ev

ROOT = Path(__file__).resolve().parents[1]
DAY = datetime(2026, 9, 1, 9, 0)


def _three_files(store: Store, src: Path) -> tuple[int, dict[str, Path]]:
    src.mkdir(exist_ok=True)
    aid = store.create_assessment(Assessment(
        title="Evidence 2026", as_of=date(2026, 9, 1), form_id="nasro-2018",
        form_version=1)).id
    made = {}
    for name, size in (("Signed MOU.pdf", 40_000), ("Basic course.pdf", 9_000),
                       ("roster.xlsx", 3_000)):
        path = src / name
        path.write_bytes(name.encode() + os.urandom(size))
        store.evidence.attach(aid, path, "standard", "01.01.04")
        made[name] = path
    return aid, made


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _flip_a_byte(path: Path) -> None:
    """Damage a stored copy in place, same size (a bad sector, a sync tool)."""
    os.chmod(path, 0o600)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    os.chmod(path, 0o400)


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nasro_desktop", "--data-dir", str(data),
                           *args], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_back_up_now_never_says_all_while_it_lacks_a_file(data_dir, tmp_path):
    with Store.open(data_dir) as store:
        _aid, made = _three_files(store, tmp_path / "src")
    lost = ev.blob_path(data_dir, _sha(made["Basic course.pdf"]))
    os.chmod(lost, 0o600)
    lost.unlink()
    damaged = ev.blob_path(data_dir, _sha(made["roster.xlsx"]))
    _flip_a_byte(damaged)
    result = _cli(data_dir, "backup", "--out", str(tmp_path / "copy.db"))
    assert result.returncode == 1, result.stdout
    text = result.stderr
    assert "But not every evidence file is in it" in text
    assert "Basic course.pdf is missing in the evidence folder" in text
    assert "roster.xlsx is damaged in the evidence folder" in text
    assert "Signed MOU.pdf" not in text and "Traceback" not in text
    with Store.open(data_dir) as store:  # the same from the store, for the window's message
        store.backups.save_to(tmp_path / "copy2.db")
        assert len(store.backups.notes) == 2


def test_the_pool_never_keeps_a_same_size_damaged_copy(data_dir, tmp_path):
    with Store.open(data_dir) as store:
        _aid, made = _three_files(store, tmp_path / "src")
        assert store.backups.auto(DAY) is not None and store.backups.notes == []
        pool_copy = ev.blob_in(ev.pool_of(data_dir), _sha(made["Signed MOU.pdf"]))
        _flip_a_byte(pool_copy)
        assert store.backups.auto(DAY + timedelta(days=1)) is not None
        assert store.backups.notes == [
            "The backup copy of Signed MOU.pdf was damaged; it was made again from the "
            "evidence folder."]
    assert pool_copy.read_bytes() == made["Signed MOU.pdf"].read_bytes()


@pytest.mark.parametrize("how", ["damaged", "missing"])
def test_the_daily_backup_repairs_a_live_copy_from_the_backup_copy(data_dir, tmp_path, how):
    with Store.open(data_dir) as store:
        aid, made = _three_files(store, tmp_path / "src")
        assert store.backups.auto(DAY) is not None
        live = ev.blob_path(data_dir, _sha(made["roster.xlsx"]))
        if how == "damaged":
            _flip_a_byte(live)
        else:
            os.chmod(live, 0o600)
            live.unlink()
        assert store.backups.auto(DAY + timedelta(days=1)) is not None
        assert store.backups.notes == [
            f"The saved copy of roster.xlsx was {how}; it was repaired from the backup copy."]
        assert live.read_bytes() == made["roster.xlsx"].read_bytes()
        assert {i.on_disk for i in store.evidence.records(aid, check=True)} == {VERIFIED}


def test_the_register_says_what_was_verified_when_the_report_was_made(data_dir, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    with Store.open(data_dir) as store:
        aid, made = _three_files(store, tmp_path / "src")
    os.chmod(ev.blob_path(data_dir, _sha(made["Basic course.pdf"])), 0o600)
    ev.blob_path(data_dir, _sha(made["Basic course.pdf"])).unlink()
    _flip_a_byte(ev.blob_path(data_dir, _sha(made["roster.xlsx"])))
    with Store.open(data_dir) as store:
        states = {i.file_name: i.on_disk for i in store.evidence.records(aid, check=True)}
        assert states == {"Signed MOU.pdf": VERIFIED, "Basic course.pdf": MISSING,
                          "roster.xlsx": CHANGED}
        assert {i.on_disk for i in store.evidence.records(aid)} == {""}  # not read: not said
    pdf = tmp_path / "full.pdf"
    result = _cli(data_dir, "report", str(aid), "--edition", "full", "--out", str(pdf))
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    register = text[text.index("Hash is the start"):text.index("Items marked for review")]
    rows = " ".join(register.split("Valid until")[1].split())  # the table, one line
    mou, course, roster = (rows.index(n) for n in ("Signed MOU.pdf", "Basic course.pdf",
                                                   "roster.xlsx"))
    assert "verified" in rows[mou:course] and "✘" not in rows[mou:course]
    assert "✘ missing" in rows[course:roster]
    assert "✘ changed since attached" in rows[roster:]


def test_the_window_says_when_the_daily_check_repaired_a_file(qtbot, store, tmp_path):
    """The automatic backup after the start screen: one quiet status line, no dialog."""
    from PySide6.QtWidgets import QApplication
    from ui_support import make_window

    _aid, made = _three_files(store, tmp_path / "src")
    assert store.backups.auto(DAY) is not None  # an earlier day's backup holds the files
    _flip_a_byte(ev.blob_path(store.data_dir, _sha(made["Signed MOU.pdf"])))
    window = make_window(qtbot, store)
    with qtbot.waitSignal(window.files.maintenance_done, timeout=20000):
        pass
    assert QApplication.activeModalWidget() is None
    assert window.backup_label.isVisible()
    assert window.backup_label.text() == ("The saved copy of Signed MOU.pdf was damaged; it "
                                          "was repaired from the backup copy.")
    assert ev.blob_path(store.data_dir, _sha(made["Signed MOU.pdf"])).read_bytes() == \
        made["Signed MOU.pdf"].read_bytes()
