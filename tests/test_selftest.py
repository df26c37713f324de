"""`nasro-desktop --self-test`: one line per check, a true exit code, and nothing changed.

Each test runs the real command in a child process (it starts Qt offscreen), on real folders:
an empty one, one with saved data, a damaged database, and a copy of the app with its fonts
missing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READER_FILES = ("nasro.db-wal", "nasro.db-shm", "nasro.lock")
CHECKS = ["saved data", "question set", "report", "printing", "window system", "window"]


def self_test(data_dir: Path, *, pythonpath: Path = ROOT) -> tuple[int, list[str], str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(pythonpath)
    env.pop("NASRO_DATA_DIR", None)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    done = subprocess.run([sys.executable, "-m", "nasro_desktop", "--self-test", "--data-dir",
                           str(data_dir)], capture_output=True, text=True, env=env, timeout=120,
                          cwd=data_dir.parent)
    return done.returncode, done.stdout.splitlines(), done.stderr


def by_check(lines: list[str]) -> dict[str, str]:
    """check name -> its status word (PASS/FAIL/SKIP)."""
    found = {}
    for line in lines[1:-1]:
        status, rest = line.split("  ", 1)
        found[rest.split(":", 1)[0]] = status
    return found


def folder_state(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def data_files_before(state: dict[str, str]) -> dict[str, str]:
    return {name: digest for name, digest in state.items() if name not in READER_FILES}


def data_files(folder: Path) -> dict[str, str]:
    """The folder's files, less what any reader leaves: SQLite's -shm index, an empty -wal
    and the empty shared-lock file."""
    state = folder_state(folder)
    empty = hashlib.sha256(b"").hexdigest()
    for name in READER_FILES:
        digest = state.pop(name, empty)
        assert name.endswith("-shm") or digest == empty, f"{name} was written"
    return state


def test_a_new_computer_passes_and_nothing_is_created(tmp_path):
    data = tmp_path / "data"
    code, lines, err = self_test(data)
    assert code == 0, "\n".join(lines) + err
    assert lines[0].startswith("SRO Program Readiness ") and "self-test" in lines[0]
    assert by_check(lines) == {**dict.fromkeys(CHECKS, "PASS"), "window system": "SKIP"}
    assert f"it will be kept in {data}" in lines[1]
    assert lines[-1] == "Self-test: all checks passed."
    assert not data.exists()  # no folder, no database made by a check


def test_saved_data_is_read_and_left_exactly_as_it_was(tmp_path):
    from nasro_desktop.session import Session
    from nasro_desktop.store import Store

    data = tmp_path / "data"
    with Store.open(data) as store:
        Session.open_sample(store)
        Session.open_sample(store)
    before = folder_state(data)
    code, lines, err = self_test(data)
    assert code == 0, "\n".join(lines) + err
    assert "2 saved assessments read from" in lines[1] and "(read-only)" in lines[1]
    assert data_files(data) == data_files_before(before)  # no backup, setting or answer


def test_a_damaged_database_fails_that_line_and_is_not_touched(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "nasro.db").write_bytes(b"this is not a database " * 200)
    before = folder_state(data)
    code, lines, err = self_test(data)
    assert code == 1
    checks = by_check(lines)
    assert checks["saved data"] == "FAIL"
    assert checks["report"] == "PASS" and checks["window"] == "PASS"  # the others still ran
    failed = next(line for line in lines if line.startswith("FAIL"))
    assert "not changed" in failed and "Traceback" not in "\n".join(lines) + err
    assert lines[-1] == "Self-test: 1 check(s) FAILED."
    assert data_files(data) == data_files_before(before)  # not moved aside, not repaired
    assert (data / "nasro.db").read_bytes() == b"this is not a database " * 200


def test_an_installation_missing_its_fonts_fails_the_report_and_says_reinstall(tmp_path):
    app = tmp_path / "app"
    shutil.copytree(ROOT / "nasro_desktop", app / "nasro_desktop",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "forms", app / "forms")
    shutil.copytree(ROOT / "resources", app / "resources",
                    ignore=shutil.ignore_patterns("*.ttf"))  # a damaged copy of the app
    code, lines, err = self_test(tmp_path / "data", pythonpath=app)
    assert code == 1, "\n".join(lines) + err
    checks = by_check(lines)
    assert checks["report"] == "FAIL" and checks["printing"] == "SKIP"
    assert checks["question set"] == "PASS" and checks["window"] == "PASS"
    report = next(line for line in lines if line.startswith("FAIL  report"))
    assert "DejaVuSans" in report and "Reinstall the app" in report
