"""Telling the truth and cleaning up, made real: a full disk on a small tmpfs, temporary files
left by killed processes, a path too long for the system, a log file under umask 000."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from nasro_desktop.domain.model import Answer, Assessment
from nasro_desktop.store import Store, StoreError, exchange

ROOT = Path(__file__).resolve().parents[1]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _run(data: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NASRO_DATA_DIR": str(data)}
    return subprocess.run([sys.executable, "-m", "nasro_desktop", *args], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=60)


@pytest.fixture
def small_disk(tmp_path):
    """A real 1.2 MB disk (tmpfs; room for the data file, its search index and one export); needs root."""
    if not IS_ROOT:
        pytest.skip("mounting a small tmpfs needs root")
    folder = tmp_path / "small"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1200k", "tmpfs", str(folder)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_during_import_is_called_a_full_disk(small_disk, tmp_path):
    data = small_disk / "data"
    with Store.open(data) as store:
        aid = store.create_assessment(Assessment(
            title="Big", as_of=date(2026, 9, 1), form_id="nasro-2018", form_version=1,
            answers={f"q.{i}": Answer(f"q.{i}", "met", note="n" * 2000) for i in range(20)})).id
        export = exchange.export_assessment(store, aid, tmp_path / "big.json")
    with open(small_disk / "filler", "wb", buffering=0) as filler:  # fill the disk up
        try:
            while True:
                filler.write(b"x" * 4096)
        except OSError:
            pass
    result = _run(data, "import", str(export), "--copy")  # already in the list: a copy
    assert result.returncode == 1
    assert "disk is full" in result.stderr and "Nothing was imported" in result.stderr
    assert "write-protected" not in result.stderr and "kept in this window" not in result.stderr
    (small_disk / "filler").unlink()
    with Store.open(data) as store:
        assert len(store.list_assessments()) == 1  # nothing half-imported


def test_temporary_files_of_killed_processes_are_removed_at_start(tmp_path):
    data = tmp_path / "data"
    with Store.open(data) as store:
        store.create_assessment(Assessment(title="t", as_of=date(2026, 9, 1),
                                           form_id="nasro-2018", form_version=1))
        store.backups.auto()
    # what a kill leaves, by the names our code gives them (files.temp_beside, checks.py)
    left = [data / ".nasro.db.k2j3h4.tmp", data / ".nasro.db.k2j3h4.tmp-journal",
            data / "backups" / ".nasro-daily-2026-09-01-101010.db.a1b2.tmp"]
    for path in left:
        path.write_bytes(b"x" * 1000)
    check = data / ".nasro-check-abc123"
    check.mkdir()
    (check / "nasro.db").write_bytes(b"x" * 1000)
    users = data / "backups" / "my-notes.tmp"  # not ours by name: never touched
    users.write_text("keep me")
    with Store.open(data):
        pass
    assert not any(p.exists() for p in left) and not check.exists()
    assert users.read_text() == "keep me"


def test_an_export_never_leaves_a_temp_file_beside_the_users_file(store, tmp_path):
    aid = store.create_assessment(Assessment(title="t", as_of=date(2026, 9, 1),
                                             form_id="nasro-2018", form_version=1)).id
    exports = tmp_path / "exports"
    exports.mkdir()
    stale = exports / ".review.json.x1y2z3.tmp"  # a killed export's temp file, an hour old
    stale.write_bytes(b"{" * 5000)
    hour_ago = time.time() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    fresh = exports / ".review.json.q9w8e7.tmp"  # maybe another export at work right now
    fresh.write_bytes(b"{")
    exchange.export_assessment(store, aid, exports / "review.json")
    assert not stale.exists() and fresh.exists()
    assert sorted(p.name for p in exports.iterdir()) == [fresh.name, "review.json"]
    assert (exports / "review.json").stat().st_mode & 0o777 == 0o600


def test_a_path_too_long_is_called_too_long(tmp_path):
    deep = tmp_path / ("a" * 200) / ("b" * 200) / ("c" * 200) / ("d" * 300)
    with pytest.raises(StoreError) as caught:
        Store.open(deep)
    text = str(caught.value)
    assert "too long" in text and "drive is connected" not in text
    assert len(text) < 400  # the 900-character path is shortened in the message


def test_problems_log_is_private_under_umask_000(tmp_path):
    script = (
        "import os, sys\n"
        "os.umask(0)\n"
        "from PySide6.QtWidgets import QApplication, QMessageBox\n"
        "from nasro_desktop.ui import app\n"
        "qt = QApplication([])\n"
        "QMessageBox.warning = staticmethod(lambda *a: None)\n"
        "app.install_last_resort(sys.argv[1])\n"
        "try:\n    raise RuntimeError('x')\n"
        "except RuntimeError:\n    sys.excepthook(*sys.exc_info())\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True, env=env,
                   timeout=60)
    log = tmp_path / "problems.log"
    assert "RuntimeError" in log.read_text()
    assert log.stat().st_mode & 0o777 == 0o600


def test_a_killed_viewers_private_copy_is_removed_a_day_later(tmp_path):
    import tempfile

    old = Path(tempfile.mkdtemp(prefix="nasro-view-"))
    (old / "nasro.db").write_bytes(b"x" * 100)
    recent = Path(tempfile.mkdtemp(prefix="nasro-view-"))
    day_ago = time.time() - 2 * 86_400
    os.utime(old, (day_ago, day_ago))
    try:
        with Store.open(tmp_path / "data"):
            pass
        assert not old.exists() and recent.exists()
    finally:
        import shutil

        shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(recent, ignore_errors=True)


EXPORTER = r"""
import sys
from datetime import date
from pathlib import Path
from nasro_desktop.domain.model import Answer, Assessment
from nasro_desktop.store import Store, exchange
store = Store.open(sys.argv[1])
aid = store.create_assessment(Assessment(
    title="Big", as_of=date(2026, 9, 1), form_id="nasro-2018", form_version=1,
    answers={f"q.{i}": Answer(f"q.{i}", "met", note="n" * 3000) for i in range(150)})).id
print("ready", flush=True)
while True:
    exchange.export_assessment(store, aid, Path(sys.argv[2]) / "board packet.json")
    store.backups.save_to(Path(sys.argv[2]) / "all.db")
"""


def test_killed_exports_and_backups_leave_nothing_beside_the_users_files(tmp_path):
    import random
    import signal

    exports = tmp_path / "exports"
    exports.mkdir()
    rng = random.Random(5)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("NASRO_DATA_DIR", None)
    for round_no in range(8):
        proc = subprocess.Popen([sys.executable, "-c", EXPORTER, str(tmp_path / f"d{round_no}"),
                                 str(exports)], stdout=subprocess.PIPE, text=True, env=env)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    names = sorted(p.name for p in exports.iterdir())
    assert "board packet.json" in names
    assert not [n for n in names if n.startswith(".")], names
    for round_no in range(8):  # the next start removes what was left in our folder
        with Store.open(tmp_path / f"d{round_no}"):
            pass
        left = [p for p in (tmp_path / f"d{round_no}").rglob(".*tmp*")]
        assert not left, left


def test_reports_are_private_and_never_written_through_a_planted_link(tmp_path, data_dir):
    """A report names officers: a new PDF is 0600 (CLI and window), and the window's temporary
    file is created exclusively, so a link planted at a guessable name is never followed."""
    import stat

    from nasro_desktop.cli import main
    from nasro_desktop.store import files

    old = os.umask(0)
    try:
        out = tmp_path / "cli.pdf"
        assert main(["--data-dir", str(data_dir), "report", "--sample", "--out", str(out)]) == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        target = tmp_path / "window.pdf"
        victim = tmp_path / "victim.txt"
        victim.write_text("keep me")
        for guess in (f".{target.name}.{os.getpid()}.part", f".{target.name}.part"):
            (tmp_path / guess).symlink_to(victim)
        files.publish(target, b"%PDF-1.4 report", keep_mode=True)  # as Save PDF report…
        assert victim.read_text() == "keep me"
        assert target.read_bytes() == b"%PDF-1.4 report"
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_the_cli_report_reads_while_the_window_has_the_data_open(data_dir, tmp_path):
    from nasro_desktop.cli import main

    with Store.open(data_dir) as store:  # the window's writer, holding the folder's lock
        aid = store.create_assessment(Assessment(title="Open", as_of=date(2026, 9, 1),
                                                 form_id="nasro-2018", form_version=2)).id
        out = tmp_path / "r.pdf"
        assert main(["--data-dir", str(data_dir), "report", str(aid), "--out", str(out)]) == 0
        assert out.read_bytes().startswith(b"%PDF")
