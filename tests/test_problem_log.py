"""problems.log: a problem no one was told about is written down, privately, and logging never
raises (a read-only folder)."""

from __future__ import annotations

import os
import stat

import pytest

from nasro_desktop.problem_log import LOG_NAME, note_problem


def test_a_problem_is_appended_with_its_traceback_and_kept_private(tmp_path):
    try:
        raise RuntimeError("the purge failed")
    except RuntimeError as error:
        note_problem(tmp_path, "purging old deletions", error)
    note_problem(tmp_path, "saving a setting", ValueError("bad"))
    text = (tmp_path / LOG_NAME).read_text(encoding="utf-8")
    assert "purging old deletions" in text and "RuntimeError: the purge failed" in text
    assert "Traceback" in text and "saving a setting" in text
    assert stat.S_IMODE((tmp_path / LOG_NAME).stat().st_mode) == 0o600


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
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
