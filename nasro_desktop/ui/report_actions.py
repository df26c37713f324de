"""Save PDF report… and Print…, run in the background with progress.

The PDF comes from `nasro_desktop.report.render_report` (which imports reportlab itself,
lazily). Nothing here imports the report package, reportlab or pypdfium2 until the user
asks for a report, so the window starts fast.

Printing: PySide6-Essentials has no QtPdf, so each PDF page is rasterised with pypdfium2
(at up to 300 dpi) and painted onto the QPrinter, page by page, on the worker thread
(QPainter may paint on a QPrinter outside the GUI thread).
"""

from __future__ import annotations

import copy
import errno
import functools
import importlib
import importlib.util
import os
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QRectF, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QWidget

from nasro_desktop.domain.model import Assessment, Form
from nasro_desktop.domain.results import Readiness
from nasro_desktop.ui.tasks import run_task

REPORT_UNAVAILABLE = (
    "The printed report is not part of this version of the app yet. "
    "Your answers and the readiness figures on this page are complete."
)
PRINT_DPI_LIMIT = 300  # enough for text on paper; 1200 dpi would need ~500 MB per page

Progress = Callable[[float], None]


class ReportUnavailable(Exception):
    """nasro_desktop.report has no render_report (yet)."""


class PrintFailed(Exception):
    """The printer could not be started or refused a page."""


# --- what is available ------------------------------------------------------------------


def _renderer() -> Callable[..., bytes]:
    try:
        module = importlib.import_module("nasro_desktop.report")
    except ImportError as error:
        raise ReportUnavailable(str(error)) from error
    render = getattr(module, "render_report", None)
    if not callable(render):
        raise ReportUnavailable("nasro_desktop.report has no render_report")
    return render


def report_available() -> bool:
    """True when the report renderer exists. Cheap: reportlab is only imported when rendering."""
    try:
        _renderer()
    except ReportUnavailable:
        return False
    return True


@functools.cache
def _have_pypdfium2() -> bool:
    return importlib.util.find_spec("pypdfium2") is not None


def printing_available() -> bool:
    """Printing needs pypdfium2 to turn the PDF's pages into images (checked without importing)."""
    return report_available() and _have_pypdfium2()


# --- names, files, messages -------------------------------------------------------------


def default_file_name(assessment: Assessment, as_of: date | None = None) -> str:
    """"Springfield Police SRO readiness 2026-03-01.pdf": safe on Windows, macOS and Linux."""
    who = assessment.agency or assessment.district or assessment.title or "SRO program"
    day = (as_of or assessment.as_of or date.today()).isoformat()
    name = f"{who} SRO readiness {day}"
    name = re.sub(r'[<>:"/\\|?*\x00-\x1f]+', " ", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    return f"{name[:120]}.pdf"


def default_folder() -> Path:
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if docs and Path(docs).is_dir():
        return Path(docs)
    return Path.home()


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it into place.

    A reader never sees a half-written report, and a failure leaves any older file as it was.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise


def plain_message(error: BaseException, path: Path | None = None) -> str:
    """One or two plain sentences saying what happened and what to do. Never a stack trace."""
    folder = f"“{path.parent}”" if path is not None else "that folder"
    if isinstance(error, ReportUnavailable):
        return REPORT_UNAVAILABLE
    if isinstance(error, PrintFailed):
        return (
            "The printer could not be started. Check that it is switched on and connected, "
            "then try again, or use Save PDF report… and print the file instead."
        )
    if isinstance(error, ModuleNotFoundError):
        return (
            "Printing needs a part of the app that is missing on this computer. Use Save PDF "
            "report… and print the saved file from your PDF reader instead."
        )
    if isinstance(error, OSError):
        if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return (
                "The disk is full, so the report was not saved. Free some space or choose "
                "another drive, then try again."
            )
        if isinstance(error, PermissionError) or error.errno in (errno.EACCES, errno.EROFS):
            return (
                f"The report could not be saved in {folder}: that folder does not allow "
                "saving, or a file of that name is open in another program. Close the file "
                "if it is open, or choose another folder (such as Documents) and try again."
            )
        if isinstance(error, FileNotFoundError):
            return (
                f"The folder {folder} is no longer there (perhaps a USB stick was removed). "
                "Choose another folder and try again."
            )
        return (
            f"The report could not be saved in {folder}. Choose another folder, such as "
            "Documents, and try again."
        )
    return (
        "The report could not be made. Your answers are safe and nothing was changed. Please "
        "try again; if it keeps happening, use Export… to save the assessment to a file and "
        "send that file to whoever helps you with the app."
    )


def _show_problem(parent: QWidget | None, title: str, error: BaseException, path: Path | None) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(plain_message(error, path))
    box.setAccessibleName(title)
    box.setAccessibleDescription(box.text())
    # For whoever helps the user; hidden behind "Show Details…".
    box.setDetailedText(f"{type(error).__name__}: {error}")
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setObjectName("reportProblem")
    box.open()  # window-modal, does not block the event loop
    return box


def _status(parent: QWidget | None, text: str) -> None:
    window = parent.window() if parent is not None else None
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, 10_000)


def _paper_for(printer: QPrinter) -> str:
    size = printer.pageLayout().pageSize().id()
    return "a4" if size == QPageSize.PageSizeId.A4 else "letter"


# --- Save PDF report… ---------------------------------------------------------------------


def render_pdf(
    form: Form, assessment: Assessment, readiness: Readiness, paper: str, progress: Progress
) -> bytes:
    render = _renderer()
    data = render(form, assessment, readiness, paper=paper, progress=progress)
    if not isinstance(data, bytes | bytearray) or not bytes(data[:5]) == b"%PDF-":
        raise ValueError("the report renderer did not return a PDF")
    return bytes(data)


def save_pdf_report(
    parent: QWidget | None,
    form: Form,
    assessment: Assessment,
    readiness: Readiness,
    *,
    paper: str = "letter",
    path: Path | str | None = None,
    open_when_done: bool = True,
    on_finished: Callable[[Path | None], None] | None = None,
) -> None:
    """Ask where to save (unless `path` is given), render in the background, write atomically.

    Then open the PDF with the system's viewer (unless `open_when_done` is False).
    `on_finished(path)` is called on the GUI thread with the saved path, or None on failure
    or when the user cancelled the file dialog.
    """
    if path is None:
        suggested = default_folder() / default_file_name(assessment, readiness.as_of)
        chosen, _ = QFileDialog.getSaveFileName(
            parent, "Save the readiness report", str(suggested), "PDF files (*.pdf)"
        )
        if not chosen:
            if on_finished:
                on_finished(None)
            return
        path = chosen
    target = Path(path)
    if target.suffix.lower() != ".pdf":
        target = target.with_name(target.name + ".pdf")

    snapshot = copy.deepcopy(assessment)  # the user may keep editing while we render

    def work(progress: Progress) -> Path:
        data = render_pdf(form, snapshot, readiness, paper, lambda f: progress(0.95 * f))
        write_atomically(target, data)
        progress(1.0)
        return target

    def done(saved: Path) -> None:
        _status(parent, f"Report saved: {saved}")
        if open_when_done and not QDesktopServices.openUrl(QUrl.fromLocalFile(str(saved))):
            box = QMessageBox(parent)
            box.setIcon(QMessageBox.Icon.Information)
            box.setWindowTitle("Report saved")
            box.setText(
                f"The report was saved as “{saved}”. No program for PDF files opened it; "
                "open it from that folder."
            )
            box.open()
        if on_finished:
            on_finished(saved)

    def failed(error: Exception) -> None:
        _show_problem(parent, "Report not saved", error, target)
        if on_finished:
            on_finished(None)

    run_task(parent, "Making the readiness report", work, done, failed)


# --- Print… -------------------------------------------------------------------------------


def _page_image(page: object, dpi: int) -> QImage:
    import pypdfium2.raw as pdfium_c

    bitmap = page.render(  # type: ignore[attr-defined]
        scale=dpi / 72.0,
        force_bitmap_format=pdfium_c.FPDFBitmap_BGRx,
        rev_byteorder=True,  # -> RGBx byte order, which QImage reads directly (no alpha)
        fill_color=(255, 255, 255, 255),
    )
    image = QImage(
        bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride,
        QImage.Format.Format_RGBX8888,
    ).copy()  # own the pixels before the buffer goes away
    bitmap.close()
    return image


def print_pdf_bytes(pdf: bytes, printer: QPrinter, progress: Progress = lambda _f: None) -> int:
    """Rasterise every page of `pdf` and paint it onto `printer`. Returns the page count.

    Safe to call on a worker thread as long as nothing else touches `printer` meanwhile.
    """
    import pypdfium2 as pdfium  # imported only when printing

    document = pdfium.PdfDocument(pdf)
    try:
        pages = len(document)
        dpi = max(96, min(PRINT_DPI_LIMIT, printer.resolution()))
        printer.setFullPage(True)  # the PDF already carries its own margins
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintFailed("QPainter.begin failed on the printer")
        try:
            for number in range(pages):
                if number and not printer.newPage():
                    raise PrintFailed(f"the printer refused page {number + 1}")
                page = document[number]
                try:
                    image = _page_image(page, dpi)
                finally:
                    page.close()
                area = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
                scale = min(area.width() / image.width(), area.height() / image.height())
                w, h = image.width() * scale, image.height() * scale
                target = QRectF(area.x() + (area.width() - w) / 2, area.y() + (area.height() - h) / 2, w, h)
                painter.drawImage(target, image)
                progress((number + 1) / pages)
        finally:
            painter.end()
        return pages
    finally:
        document.close()


def print_report(
    parent: QWidget | None,
    form: Form,
    assessment: Assessment,
    readiness: Readiness,
    *,
    printer: QPrinter | None = None,
    on_finished: Callable[[int | None], None] | None = None,
) -> None:
    """Show the print dialog (unless a ready `printer` is given), then print in the background.

    `on_finished(pages)` is called on the GUI thread with the number of pages printed, or None
    on failure or when the user cancelled.
    """
    if printer is None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(default_file_name(assessment, readiness.as_of)[:-4])
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle("Print the readiness report")
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            if on_finished:
                on_finished(None)
            return
    paper = _paper_for(printer)
    snapshot = copy.deepcopy(assessment)
    job = printer  # kept alive by the closures below until the task reports back

    def work(progress: Progress) -> int:
        data = render_pdf(form, snapshot, readiness, paper, lambda f: progress(0.4 * f))
        return print_pdf_bytes(data, job, lambda f: progress(0.4 + 0.6 * f))

    def done(pages: int) -> None:
        _status(parent, f"Report sent to the printer ({pages} page{'s' if pages != 1 else ''}).")
        if on_finished:
            on_finished(pages)

    def failed(error: Exception) -> None:
        _show_problem(parent, "Report not printed", error, None)
        if on_finished:
            on_finished(None)

    run_task(parent, "Printing the readiness report", work, done, failed)
