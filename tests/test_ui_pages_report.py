"""Save PDF report… and Print…: real files, real failures, no dialogs (the path is passed in)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QPageSize, QPainter, QPdfWriter
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMessageBox, QWidget

from nasro_desktop.domain.forms import current_form
from nasro_desktop.domain.model import Assessment
from nasro_desktop.domain.scoring import evaluate
from nasro_desktop.report import render_report
from nasro_desktop.ui import report_actions
from nasro_desktop.ui.readiness_page import ReadinessPage


@pytest.fixture
def sample():
    module = pytest.importorskip("nasro_desktop.domain.sample")
    form = current_form()
    assessment = module.sample_assessment(form)
    return form, assessment, evaluate(form, assessment)


@pytest.fixture
def window(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _problems(parent: QWidget) -> list[QMessageBox]:
    return [b for b in parent.findChildren(QMessageBox, "reportProblem") if b.isVisible()]


def _save(qtbot, parent, sample, path) -> list:
    form, assessment, readiness = sample
    finished: list = []
    report_actions.save_pdf_report(
        parent, form, assessment, readiness, path=path, open_when_done=False,
        on_finished=finished.append,
    )
    qtbot.waitUntil(lambda: bool(finished), timeout=30_000)
    return finished


def test_save_pdf_report_writes_a_valid_pdf(qtbot, window, sample, tmp_path):
    target = tmp_path / "board report.pdf"
    finished = _save(qtbot, window, sample, target)
    assert finished == [target]
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    reader = pypdf.PdfReader(target)
    assert len(reader.pages) >= 1
    text = "".join(page.extract_text() or "" for page in reader.pages)
    assert sample[1].agency.split()[0] in text
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left
    assert _problems(window) == []


def test_save_adds_the_pdf_suffix_and_replaces_an_old_report(qtbot, window, sample, tmp_path):
    old = tmp_path / "report.pdf"
    old.write_bytes(b"an older report")
    finished = _save(qtbot, window, sample, tmp_path / "report")
    assert finished == [old]
    assert old.read_bytes().startswith(b"%PDF")


def test_save_into_a_folder_that_is_gone_says_what_to_do(qtbot, window, sample, tmp_path):
    target = tmp_path / "usb-stick" / "report.pdf"  # the folder does not exist (stick removed)
    finished = _save(qtbot, window, sample, target)
    assert finished == [None]
    boxes = _problems(window)
    assert len(boxes) == 1
    text = boxes[0].text()
    assert "no longer there" in text and "Choose another folder" in text
    assert "Traceback" not in text and "Errno" not in text
    assert not target.parent.exists()


def test_save_over_a_folder_of_that_name_fails_plainly(qtbot, window, sample, tmp_path):
    target = tmp_path / "report.pdf"
    target.mkdir()  # a real folder where the file should go
    (target / "keep.txt").write_text("kept")
    finished = _save(qtbot, window, sample, target)
    assert finished == [None]
    assert "try again" in _problems(window)[0].text()
    assert (target / "keep.txt").read_text() == "kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]  # no temp file left


def _can_write(folder: Path) -> bool:
    probe = folder / "probe"
    try:
        probe.write_bytes(b"")
    except PermissionError:
        return False
    probe.unlink()
    return True


def test_save_into_a_read_only_folder_says_what_to_do(qtbot, window, sample, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    immutable = False
    try:
        if _can_write(folder) and shutil.which("chattr"):
            # Root ignores folder permissions; an immutable folder stops root too.
            immutable = subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0
        if _can_write(folder):
            pytest.skip("no way to make a folder read-only for this user here")
        finished = _save(qtbot, window, sample, folder / "report.pdf")
        assert finished == [None]
        text = _problems(window)[0].text()
        assert "does not allow saving" in text and "Documents" in text
        assert list(folder.iterdir()) == []  # no report, no temporary file
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


def test_readiness_page_save_button_path(qtbot, sample, tmp_path):
    form, assessment, readiness = sample
    page = ReadinessPage()
    qtbot.addWidget(page)
    page.show()
    page.set_data(form, assessment, readiness)
    assert page.report.save_button.isEnabled()
    target = tmp_path / "from the page.pdf"
    page.report.save_pdf(str(target))
    assert not page.report.save_button.isEnabled()  # no second report while one is being made
    qtbot.waitUntil(page.report.save_button.isEnabled, timeout=30_000)
    assert target.read_bytes().startswith(b"%PDF")


def _two_page_pdf() -> bytes:
    """A real PDF made by Qt itself, so printing is tested without the report renderer."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    painter = QPainter(writer)
    painter.drawText(200, 200, "Page one")
    writer.newPage()
    painter.drawText(200, 200, "Page two")
    painter.end()
    buffer.close()
    return bytes(data)


def _pdf_printer(path: Path, mode=QPrinter.PrinterMode.HighResolution) -> QPrinter:
    printer = QPrinter(mode)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_print_pdf_bytes_paints_every_page(qtbot, tmp_path):
    pytest.importorskip("pypdfium2")
    out = tmp_path / "printed.pdf"
    steps: list[float] = []
    pages = report_actions.print_pdf_bytes(_two_page_pdf(), _pdf_printer(out), steps.append)
    assert pages == 2
    assert steps == [0.5, 1.0]
    assert len(pypdf.PdfReader(out).pages) == 2


def test_print_report_prints_every_page_of_the_report(qtbot, window, sample, tmp_path):
    pytest.importorskip("pypdfium2")
    form, assessment, readiness = sample
    out = tmp_path / "printer.pdf"
    finished: list = []
    printer = _pdf_printer(out, QPrinter.PrinterMode.ScreenResolution)  # fast: 96 dpi pages
    # the default paper follows the machine's locale; the report follows the printer's paper
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    report_actions.print_report(
        window, form, assessment, readiness, printer=printer, on_finished=finished.append,
    )
    qtbot.waitUntil(lambda: bool(finished), timeout=60_000)
    expected = len(pypdf.PdfReader(
        __import__("io").BytesIO(
            render_report(form, assessment, readiness)
        )
    ).pages)
    assert finished == [expected]
    assert len(pypdf.PdfReader(out).pages) == expected


def test_default_file_name_is_safe_everywhere():
    a = Assessment(agency='Pine Ridge P.D. / "North"', as_of=date(2026, 3, 1))
    name = report_actions.default_file_name(a)
    assert name == "Pine Ridge P.D. North SRO readiness 2026-03-01.pdf"
    assert report_actions.default_file_name(Assessment(as_of=date(2026, 1, 2))) == (
        "SRO program SRO readiness 2026-01-02.pdf"
    )


def test_plain_messages_never_show_technical_text(tmp_path):
    for error in (
        OSError(28, "No space left on device"),
        PermissionError(13, "Permission denied"),
        FileNotFoundError(2, "No such file"),
        report_actions.PrintFailed("x"),
        ValueError("bad float"),
    ):
        text = report_actions.plain_message(error, tmp_path / "r.pdf")
        assert "Errno" not in text and "Error" not in text and "bad float" not in text
        assert text.endswith(".")


def test_pages_start_without_reportlab_or_pypdfium2(tmp_path):
    """The window must start fast: building both pages loads neither heavy library."""
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from nasro_desktop.ui.readiness_page import ReadinessPage\n"
        "from nasro_desktop.ui.review_page import ReviewPage\n"
        "from nasro_desktop.domain.forms import current_form\n"
        "from nasro_desktop.domain.model import Assessment\n"
        "from nasro_desktop.domain.scoring import evaluate\n"
        "form = current_form(); a = Assessment(form_id=form.form_id, form_version=form.version)\n"
        "r = evaluate(form, a)\n"
        "p = ReadinessPage(); p.set_data(form, a, r); q = ReviewPage(); q.set_data(form, a, r)\n"
        "print(sorted(m for m in ('reportlab', 'pypdfium2') if m in sys.modules))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    root = Path(__file__).resolve().parent.parent
    env["PYTHONPATH"] = str(root) + os.pathsep + env.get("PYTHONPATH", "")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, cwd=root, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_the_report_follows_the_printers_paper(tmp_path):
    printer = _pdf_printer(tmp_path / "x.pdf", QPrinter.PrinterMode.ScreenResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    assert report_actions._paper_for(printer) == "a4"
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    assert report_actions._paper_for(printer) == "letter"
