"""`nasro-desktop report`: the real command, real files, real failures."""

from __future__ import annotations

import contextlib
import io
import signal
import subprocess
import sys
import time
from pathlib import Path

import pypdf
import pytest
from read_only_folder import read_only

from nasro_desktop.cli import main
from nasro_desktop.domain.forms import current_form
from nasro_desktop.domain.sample import sample_assessment
from nasro_desktop.store import Store

REPO = Path(__file__).resolve().parent.parent


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_sample_report_from_the_command_line(tmp_path):
    out = tmp_path / "sample.pdf"
    proc = subprocess.run(
        [sys.executable, "-m", "nasro_desktop", "report", "--sample", "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Wrote the readiness report" in proc.stdout
    assert out.read_bytes().startswith(b"%PDF-")
    text = text_of(out)
    assert "Pine Ridge Police Department" in text and "Page 1 of" in text
    assert leftovers(tmp_path) == []
    assert out.stat().st_mode & 0o777 == 0o600  # private: a report names officers (issue 9)


def test_saved_assessment_by_number_with_as_of_and_a4(data_dir, tmp_path):
    with Store.open(data_dir) as store:
        saved = store.create_assessment(sample_assessment(current_form()))
    out = tmp_path / "saved.pdf"
    code, stdout, stderr = run(
        "report", str(saved.id), "--out", str(out), "--as-of", "2027-01-31", "--paper", "a4"
    )
    assert code == 0, stderr
    reader = pypdf.PdfReader(out)
    assert round(float(reader.pages[0].mediabox.width)) == 595
    text = text_of(out)
    assert "As of January 31, 2027" in text
    assert saved.agency in text


def test_bad_as_of_is_one_plain_line_and_writes_nothing(tmp_path):
    out = tmp_path / "r.pdf"
    code, stdout, stderr = run("report", "--sample", "--out", str(out), "--as-of", "15/09/2026")
    assert code == 1
    assert stderr.count("\n") == 1 and "YYYY-MM-DD" in stderr
    assert not out.exists() and leftovers(tmp_path) == []


def test_missing_folder_and_folder_as_out(tmp_path):
    code, _, stderr = run("report", "--sample", "--out", str(tmp_path / "nope" / "r.pdf"))
    assert code == 1 and "does not exist" in stderr and stderr.count("\n") == 1
    code, _, stderr = run("report", "--sample", "--out", str(tmp_path))
    assert code == 1 and "is a folder" in stderr


def test_unknown_assessment_keeps_the_old_file(data_dir, tmp_path):
    Store.open(data_dir).close()
    out = tmp_path / "r.pdf"
    out.write_bytes(b"the report from last week")
    code, _, stderr = run("report", "999", "--out", str(out))
    assert code == 1 and stderr.count("\n") == 1
    assert "Traceback" not in stderr
    assert out.read_bytes() == b"the report from last week"
    assert leftovers(tmp_path) == []


def test_read_only_folder_is_one_plain_line(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    with read_only(folder):
        code, _, stderr = run("report", "--sample", "--out", str(folder / "r.pdf"))
    assert code == 1
    assert stderr.count("\n") == 1 and "Choose a folder you can save files in" in stderr
    assert list(folder.iterdir()) == []


def test_killed_while_writing_never_leaves_a_half_written_pdf(tmp_path):
    """SIGKILL the real command at several moments: the target is the old file or a whole PDF."""
    out = tmp_path / "r.pdf"
    for delay in (0.2, 0.5, 0.8, 1.1):
        out.write_bytes(b"OLD")
        proc = subprocess.Popen(
            [sys.executable, "-m", "nasro_desktop", "report", "--sample", "--out", str(out)],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        data = out.read_bytes()
        assert data == b"OLD" or (data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"))


def test_edition_board_is_the_default_and_full_is_longer(tmp_path):
    board, full, named = tmp_path / "board.pdf", tmp_path / "full.pdf", tmp_path / "named.pdf"
    assert run("report", "--sample", "--out", str(board))[0] == 0
    code, stdout, _ = run("report", "--sample", "--out", str(full), "--edition", "full")
    assert code == 0 and "full edition" in stdout
    assert run("report", "--sample", "--out", str(named), "--names")[0] == 0
    board_pages, full_pages = len(pypdf.PdfReader(board).pages), len(pypdf.PdfReader(full).pages)
    assert 2 <= board_pages <= 4 < full_pages
    sample = sample_assessment(current_form())
    names = [o.name for o in sample.officers]
    assert not any(n in text_of(board) for n in names)
    assert all(n in text_of(full) for n in names)
    assert any(n in text_of(named) for n in names)
    assert "Board edition" in text_of(board) and "Full edition" in text_of(full)


def test_unknown_edition_is_refused_before_anything_is_written(tmp_path):
    out = tmp_path / "r.pdf"
    with pytest.raises(SystemExit):
        run("report", "--sample", "--out", str(out), "--edition", "summary")
    assert not out.exists()
