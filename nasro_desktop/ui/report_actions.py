"""Save PDF report… and Print…, run in the background with progress.

The PDF comes from `nasro_desktop.report.render_report`, which imports reportlab when the
first report is made; pypdfium2 is imported when the first report is printed, so the window
starts fast.

Two editions: the board edition (2–4 pages for the board packet; the default) and the full
edition (everything, for the file). Save PDF report… and Print… first ask which, in a small
dialog that also holds the choice to print officers' names in the board edition (off by
default: a board packet is usually public). The choice is remembered while the app runs.
Before a board edition, the typed texts it prints are shown as printed, for the chief to
check (`texts_checked`, ui/board_texts.py); Cancel there saves and prints nothing.

Printing: PySide6-Essentials has no QtPdf, so each PDF page is rasterised with pypdfium2
and painted onto the QPrinter, page by page, on the worker thread (QPainter may paint on a
QPrinter outside the GUI thread): 300 dpi for a short report, 200 dpi in greyscale for a
long one (text stays sharp on paper and a 20-page report prints in a few seconds; the report
reads the same in grey), and greyscale whenever the printer is set to greyscale.
"""

from __future__ import annotations

import copy
import dataclasses
import errno
import functools
import importlib.util
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QMainWindow,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from nasro_desktop.domain.model import Assessment, Form
from nasro_desktop.domain.results import Readiness
from nasro_desktop.report import board_texts, render_report, render_word
from nasro_desktop.report.options import DEFAULT_OPTIONS, ReportOptions
from nasro_desktop.store import files
from nasro_desktop.ui.board_texts import BoardTextsDialog
from nasro_desktop.ui.dialog_fit import accept_and_cancel
from nasro_desktop.ui.labels import wrap_label
from nasro_desktop.ui.tasks import run_task

PRINT_DPI_LIMIT = 300  # enough for text on paper; 1200 dpi would need ~500 MB per page
LONG_REPORT_DPI = 200  # reports longer than SHORT_REPORT_PAGES pages print at this resolution
SHORT_REPORT_PAGES = 6

Progress = Callable[[float], None]


class PrintFailed(Exception):
    """The printer could not be started or refused a page."""


# --- what is available ------------------------------------------------------------------


@functools.cache
def printing_available() -> bool:
    """Printing needs pypdfium2 to turn the PDF's pages into images (checked without importing)."""
    return importlib.util.find_spec("pypdfium2") is not None


# --- names, files, messages -------------------------------------------------------------


def default_file_name(
    assessment: Assessment, as_of: date | None = None, edition: str = "board"
) -> str:
    """"Springfield Police SRO readiness 2026-03-01.pdf" (the full edition adds " full"):
    safe on Windows, macOS and Linux."""
    who = assessment.agency or assessment.district or assessment.title or "SRO program"
    day = (as_of or assessment.as_of or date.today()).isoformat()
    name = f"{who} SRO readiness {day}" + (" full" if edition == "full" else "")
    name = re.sub(r'[<>:"/\\|?*\x00-\x1f]+', " ", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    return f"{name[:120]}.pdf"


def default_folder() -> Path:
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if docs and Path(docs).is_dir():
        return Path(docs)
    return Path.home()


def plain_message(error: BaseException, path: Path | None = None) -> str:
    """One or two plain sentences saying what happened and what to do. Never a stack trace."""
    folder = f"“{path.parent}”" if path is not None else "that folder"
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


# --- Which edition -----------------------------------------------------------------------


@dataclass(frozen=True)
class Edition:
    """What to print: "board" or "full", and whether the board edition names the officers."""

    name: str = "board"
    show_names: bool = False


_last_edition = Edition()  # remembered while the app runs: the next report starts from it


class EditionDialog(QDialog):
    """Board or full edition, and the choice to print officers' names in the board edition."""

    def __init__(self, parent: QWidget | None, action: str, initial: Edition | None = None) -> None:
        super().__init__(parent)
        initial = initial or _last_edition
        self.setObjectName("editionDialog")
        title = "Save the readiness report" if action == "save" else "Print the readiness report"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        layout.addWidget(wrap_label("Which edition of the report?"))
        self.board = QRadioButton(
            "&Board edition: 2 to 4 pages for the board packet (verdict, what must be done, "
            "signatures)"
        )
        self.board.setAccessibleName("Board edition")
        self.board.setAccessibleDescription(
            "Two to four pages for the school board: the verdict, key figures, what must be "
            "done, what falls due, a glossary, the disclaimer and signature lines."
        )
        self.full = QRadioButton(
            "&Full edition: everything, for the file (findings, officers, schools, every answer)"
        )
        self.full.setAccessibleName("Full edition")
        self.full.setAccessibleDescription(
            "Every finding, the officers and schools tables, the whole action plan, how it was "
            "scored and every question with its answer and note."
        )
        layout.addWidget(self.board)  # radio buttons of one parent: choosing one clears the other
        layout.addWidget(self.full)
        self.names = QCheckBox("Print officers' &names in the board edition")
        self.names.setAccessibleName("Print officers' names in the board edition")
        self.names.setAccessibleDescription(
            "Off: the board edition counts the officers instead of naming them, and shows a name "
            "typed in a note as [officer], because a board "
            "packet is often public. The full edition always names them."
        )
        indented = QHBoxLayout()  # the names choice belongs to the board edition
        indented.addSpacing(24)
        indented.addWidget(self.names)
        layout.addLayout(indented)
        layout.addWidget(wrap_label(
            "A board packet is often public: leave names off unless you mean to publish them."))
        buttons, ok = accept_and_cancel(
            self, "Choose where to save…" if action == "save" else "Choose a printer…")
        ok.setAccessibleName(ok.text().rstrip("…"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        layout.addWidget(buttons)
        self.board.toggled.connect(self.names.setEnabled)
        (self.full if initial.name == "full" else self.board).setChecked(True)
        self.names.setChecked(initial.show_names)
        self.names.setEnabled(self.board.isChecked())
        (self.board if self.board.isChecked() else self.full).setFocus()

    def edition(self) -> Edition:
        return Edition("full" if self.full.isChecked() else "board", self.names.isChecked())


def choose_edition(parent: QWidget | None, action: str) -> Edition | None:
    """Ask which edition (modal); None when the user cancels. Remembers the answer."""
    global _last_edition
    dialog = EditionDialog(parent, action)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    _last_edition = dialog.edition()
    return _last_edition


def texts_checked(parent: QWidget | None, form: Form, assessment: Assessment,
                  readiness: Readiness, options: ReportOptions, action: str) -> bool:
    """Before a board edition: show the typed texts it prints, as it prints them
    (ui/board_texts.py); True to go on (or when it prints none), False when the user cancels."""
    if options.edition != "board":
        return True
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # the first report loads reportlab
    try:
        texts = board_texts(form, assessment, readiness, options)
    except Exception:  # the report itself then says what went wrong, in plain words
        return True
    finally:
        QApplication.restoreOverrideCursor()
    if not texts:
        return True
    dialog = BoardTextsDialog(parent, texts, action, options.show_names)
    return dialog.exec() == QDialog.DialogCode.Accepted


def with_edition(options: ReportOptions, edition: Edition) -> ReportOptions:
    """The options with the edition chosen in the dialog."""
    return dataclasses.replace(options, edition=edition.name, show_names=edition.show_names)


def ask_edition(parent: QWidget | None, form: Form, assessment: Assessment,
                readiness: Readiness, options: ReportOptions, action: str) -> Edition | None:
    """Which edition (`choose_edition`), then for a board edition its texts checked
    (`texts_checked`); None when the user cancels either."""
    edition = choose_edition(parent, action)
    if edition is None or not texts_checked(parent, form, assessment, readiness,
                                            with_edition(options, edition), action):
        return None
    return edition


# --- Save PDF report… ---------------------------------------------------------------------


PDF_FILTER = "PDF files (*.pdf)"
WORD_FILTER = "Word documents (*.docx)"  # the same report, for a clerk to edit (report/word.py)


def save_pdf_report(
    parent: QWidget | None,
    form: Form,
    assessment: Assessment,
    readiness: Readiness,
    *,
    options: ReportOptions = DEFAULT_OPTIONS,
    path: Path | str | None = None,
    open_when_done: bool = True,
    on_finished: Callable[[Path | None], None] = lambda _path: None,
    edition: Edition | None = None,
) -> None:
    """Ask which edition and where to save (unless `edition` / `path` are given), render in
    the background, write atomically. With a `path` and no `edition`: the board edition.
    `options`: the paper and what the report prints besides the assessment (its edition is
    the one chosen).

    Then open the PDF with the system's viewer (unless `open_when_done` is False).
    `on_finished(path)` is called on the GUI thread with the saved path, or None on failure
    or when the user cancelled a dialog.
    """
    if edition is None and path is None:
        edition = ask_edition(parent, form, assessment, readiness, options, "save")
        if edition is None:
            on_finished(None)
            return
    edition = edition or Edition()
    options = with_edition(options, edition)
    if path is None:
        name = default_file_name(assessment, readiness.as_of, edition.name)
        suggested = default_folder() / name
        chosen, kind = QFileDialog.getSaveFileName(
            parent, "Save the readiness report", str(suggested), f"{PDF_FILTER};;{WORD_FILTER}"
        )
        if not chosen:
            on_finished(None)
            return
        path = chosen
        if kind == WORD_FILTER and Path(chosen).suffix.lower() != ".pdf":
            path = Path(chosen).with_suffix(".docx")
    target = Path(path)
    word = target.suffix.lower() == ".docx"
    if not word and target.suffix.lower() != ".pdf":
        target = target.with_name(target.name + ".pdf")
    render = render_word if word else render_report

    snapshot = copy.deepcopy(assessment)  # the user may keep editing while we render
    # the comparison holds the assessment too
    options = dataclasses.replace(options, comparison=copy.deepcopy(options.comparison))

    def work(progress: Progress) -> Path:
        data = render(form, snapshot, readiness, options, lambda f: progress(0.95 * f))
        files.publish(target, data, keep_mode=True)  # a report names officers: 0600 if new
        progress(1.0)
        return target

    def done(saved: Path) -> None:
        _status(parent, f"Report saved: {saved}")
        if open_when_done and not QDesktopServices.openUrl(QUrl.fromLocalFile(str(saved))):
            box = QMessageBox(parent)
            box.setIcon(QMessageBox.Icon.Information)
            box.setWindowTitle("Report saved")
            box.setText(
                f"The report was saved as “{saved}”. No program for "
                f"{'Word' if word else 'PDF'} files opened it; open it from that folder."
            )
            box.open()
        on_finished(saved)

    def failed(error: Exception) -> None:
        _show_problem(parent, "Report not saved", error, target)
        on_finished(None)

    run_task(parent, "Making the readiness report", work, done, failed)


# --- Print… -------------------------------------------------------------------------------


def _page_image(page: object, dpi: int, grey: bool, pdfium_c: Any) -> QImage:
    """One page as an image; `pdfium_c`: pypdfium2's raw constants (imported when printing).
    Grey: a quarter of the pixels' bytes, faster, and what a greyscale printer prints. Colour:
    RGBx byte order (`rev_byteorder`), which QImage reads directly (no alpha)."""
    if grey:
        style: dict[str, Any] = {"grayscale": True,
                                 "force_bitmap_format": pdfium_c.FPDFBitmap_Gray}
        pixels = QImage.Format.Format_Grayscale8
    else:
        style = {"force_bitmap_format": pdfium_c.FPDFBitmap_BGRx, "rev_byteorder": True}
        pixels = QImage.Format.Format_RGBX8888
    bitmap = page.render(  # type: ignore[attr-defined]
        scale=dpi / 72.0, fill_color=(255, 255, 255, 255), **style)
    image = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride,
                   pixels).copy()  # own the pixels before the buffer goes away
    bitmap.close()
    return image


def print_dpi(printer: QPrinter, pages: int) -> int:
    """300 dpi (or the printer's own, if lower) for a short report; 200 dpi for a long one."""
    limit = PRINT_DPI_LIMIT if pages <= SHORT_REPORT_PAGES else LONG_REPORT_DPI
    return max(96, min(limit, printer.resolution()))


def print_pdf_bytes(pdf: bytes, printer: QPrinter, progress: Progress = lambda _f: None) -> int:
    """Rasterise every page of `pdf` and paint it onto `printer`. Returns the page count.

    Safe to call on a worker thread as long as nothing else touches `printer` meanwhile.
    """
    import pypdfium2 as pdfium  # imported only when printing

    document = pdfium.PdfDocument(pdf)
    # One helper thread rasterises the next page while this one paints the last onto the
    # printer (pdfium and Qt both run outside the GIL): on two cores printing takes about as
    # long as the slower of the two. Only the helper thread touches the pdfium document.
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="print-raster")
    try:
        pages = len(document)
        dpi = print_dpi(printer, pages)
        # greyscale when the printer is set so, and for long reports (the full edition, for
        # the file): the report is made to read the same in grey, and grey pages paint faster
        grey = printer.colorMode() == QPrinter.ColorMode.GrayScale or pages > SHORT_REPORT_PAGES

        def raster(number: int) -> QImage:
            page = document[number]
            try:
                return _page_image(page, dpi, grey, pdfium.raw)
            finally:
                page.close()

        printer.setFullPage(True)  # the PDF already carries its own margins
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintFailed("QPainter.begin failed on the printer")
        try:
            upcoming = pool.submit(raster, 0) if pages else None
            for number in range(pages):
                assert upcoming is not None  # page `number` was submitted before
                image = upcoming.result()
                upcoming = pool.submit(raster, number + 1) if number + 1 < pages else None
                if number and not printer.newPage():
                    raise PrintFailed(f"the printer refused page {number + 1}")
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
        pool.shutdown(wait=True, cancel_futures=True)
        document.close()


def print_report(
    parent: QWidget | None,
    form: Form,
    assessment: Assessment,
    readiness: Readiness,
    *,
    printer: QPrinter | None = None,
    on_finished: Callable[[int | None], None] = lambda _pages: None,
    edition: Edition | None = None,
    options: ReportOptions = DEFAULT_OPTIONS,
) -> None:
    """Ask which edition and show the print dialog (unless `edition` / a ready `printer` are
    given), then print in the background. With a `printer` and no `edition`: the board edition.

    `on_finished(pages)` is called on the GUI thread with the number of pages printed, or None
    on failure or when the user cancelled.
    """
    if edition is None and printer is None:
        edition = ask_edition(parent, form, assessment, readiness, options, "print")
        if edition is None:
            on_finished(None)
            return
    edition = edition or Edition()
    if printer is None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(default_file_name(assessment, readiness.as_of, edition.name)[:-4])
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle("Print the readiness report")
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            on_finished(None)
            return
    options = dataclasses.replace(with_edition(options, edition), paper=_paper_for(printer),
                                  comparison=copy.deepcopy(options.comparison))
    snapshot = copy.deepcopy(assessment)
    job = printer  # kept alive by the closures below until the task reports back

    def work(progress: Progress) -> int:
        data = render_report(form, snapshot, readiness, options, lambda f: progress(0.2 * f))
        return print_pdf_bytes(data, job, lambda f: progress(0.2 + 0.8 * f))

    def done(pages: int) -> None:
        _status(parent, f"Report sent to the printer ({pages} page{'s' if pages != 1 else ''}).")
        on_finished(pages)

    def failed(error: Exception) -> None:
        _show_problem(parent, "Report not printed", error, None)
        on_finished(None)

    run_task(parent, "Printing the readiness report", work, done, failed)
