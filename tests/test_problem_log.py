"""problems.log: a problem no one was told about is written down, privately, and logging never
raises (a read-only folder)."""

from __future__ import annotations

import os
import stat
import sys

import pytest

from nasro_desktop.problem_log import LOG_NAME, note_problem


def assert_private(path) -> None:
    """0600 where files have modes; Windows keeps only a read-only flag (the profile folder's
    permissions keep the file private there)."""
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_problem_is_appended_with_its_traceback_and_kept_private(tmp_path):
    try:
        raise RuntimeError("the purge failed")
    except RuntimeError as error:
        note_problem(tmp_path, "purging old deletions", error)
    note_problem(tmp_path, "saving a setting", ValueError("bad"))
    text = (tmp_path / LOG_NAME).read_text(encoding="utf-8")
    assert "purging old deletions" in text and "RuntimeError: the purge failed" in text
    assert "Traceback" in text and "saving a setting" in text
    assert_private(tmp_path / LOG_NAME)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_does_not_raise(tmp_path):
    tmp_path.chmod(0o500)
    try:
        note_problem(tmp_path, "anything", OSError("disk"))
    finally:
        tmp_path.chmod(0o700)
    assert not (tmp_path / LOG_NAME).exists()


def test_a_missing_folder_does_not_raise(tmp_path):
    note_problem(tmp_path / "gone", "anything", OSError("disk"))
    assert not (tmp_path / "gone").exists()


def test_a_file_where_the_folder_should_be_does_not_raise(tmp_path):
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    note_problem(blocker, "anything", OSError("disk"))  # even as root this cannot be written
    assert blocker.read_text() == "not a folder"


def test_every_modules_warnings_reach_the_file_once_the_folder_is_known(tmp_path):
    import logging

    from nasro_desktop.problem_log import log_to

    log_to(tmp_path)
    logging.getLogger("nasro_desktop.cache").warning("cache file %s is damaged", "forms.bin")
    logging.getLogger("nasro_desktop.cache").info("not there yet")  # below the file's level
    text = (tmp_path / LOG_NAME).read_text(encoding="utf-8")
    assert "nasro_desktop.cache WARNING: cache file forms.bin is damaged" in text
    assert "not there yet" not in text


def test_the_file_is_capped_and_rotated_keeping_the_newest_notes(tmp_path):
    from nasro_desktop import problem_log

    big = "x" * 20_000
    for number in range(2 * problem_log.MAX_BYTES // 20_000 + 10):
        note_problem(tmp_path, f"note {number} {big}", ValueError("bad"))
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [LOG_NAME, f"{LOG_NAME}.1", f"{LOG_NAME}.2"]
    for name in names:
        path = tmp_path / name
        assert path.stat().st_size <= problem_log.MAX_BYTES
        assert_private(path)
    assert f"note {number} " in (tmp_path / LOG_NAME).read_text(encoding="utf-8")


def test_a_windows_like_folder_with_spaces_and_accents(tmp_path):
    folder = tmp_path / "C:" / "Users" / "José Núñez" / "AppData" / "Local" / "nasro desktop"
    folder.mkdir(parents=True)
    note_problem(folder, "saving the text size", OSError("disk"))
    assert "saving the text size" in (folder / LOG_NAME).read_text(encoding="utf-8")


# Windows Python before 3.13 (the bundles use 3.11) has no os.fchmod. The last-resort hook
# logged through it first, so every unexpected error raised AttributeError inside the hook and
# the warning never appeared. Run as a child process with fchmod taken away before the app is
# imported, as on Windows; pytest-qt replaces sys.excepthook inside tests.
WITHOUT_FCHMOD = r"""
import os, sys
if hasattr(os, "fchmod"):  # (already missing on Windows before Python 3.13)
    del os.fchmod
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from nasro_desktop.ui import app as app_module

qt = QApplication([])
QMessageBox.warning = staticmethod(lambda parent, title, text: print("SHOWN:", text))
app_module.install_last_resort(sys.argv[1])

def broken_slot():
    raise RuntimeError("a step failed")

QTimer.singleShot(0, broken_slot)
QTimer.singleShot(50, qt.quit)
qt.exec()
"""


def test_without_fchmod_the_last_resort_warning_is_still_shown_and_logged(tmp_path):
    import subprocess
    import sys

    folder = tmp_path / "Jos\u00e9 N\u00fa\u00f1ez data"
    folder.mkdir()
    out = subprocess.run([sys.executable, "-c", WITHOUT_FCHMOD, str(folder)],
                         capture_output=True, text=True, timeout=60,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    assert "AttributeError" not in out.stderr
    shown = [line for line in out.stdout.splitlines() if line.startswith("SHOWN:")]
    assert len(shown) == 1 and "did not finish" in shown[0]
    log = (folder / LOG_NAME).read_text(encoding="utf-8")
    assert "RuntimeError: a step failed" in log
    assert_private(folder / LOG_NAME)  # os.chmod's fallback
