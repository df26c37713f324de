"""The Readiness page's report buttons: paper size, Save PDF report…, Print… and Save a data
file…, kept in view at the top of the page; they run `ui.report_actions` in the background.

`ReportButtons(comparison, provenance)` is a widget the page holds (`page.report`). The page
gives it what to print (`set_data`) and two callables for the report's "Since last year" part
and who answered; the window gives it `evidence_source`, the records for the evidence register.
Save a data file… is only a button here: the page passes its `clicked` on as `export_requested`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QComboBox, QGridLayout, QPushButton, QWidget

from nasro_desktop.domain.model import Assessment, Form
from nasro_desktop.domain.results import Readiness
from nasro_desktop.report.options import ReportOptions
from nasro_desktop.ui import report_actions
from nasro_desktop.ui.labels import wrap_label


class ReportButtons(QWidget):
    """The report buttons and what they do, for the data last given to `set_data`."""

    def __init__(self, comparison: Callable[[], Any], provenance: Callable[[], Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._comparison = comparison
        self._provenance = provenance
        self._form: Form | None = None
        self._assessment: Assessment | None = None
        self._readiness: Readiness | None = None
        self._busy = False
        # the evidence records for the report's register (set by the window)
        self.evidence_source: Callable[[], list[Any]] | None = None

        self.paper_combo = QComboBox()
        self.paper_combo.addItem("Letter paper", "letter")
        self.paper_combo.addItem("A4 paper", "a4")
        self.paper_combo.setAccessibleName("Paper size for the report")
        self.paper_combo.setAccessibleDescription("Letter (US) or A4, for Save PDF report.")
        self.paper_combo.setToolTip("Paper size for the saved report")

        self.save_button = QPushButton("&Save PDF report\u2026")
        self.save_button.setAccessibleName("Save PDF report")
        self.print_button = QPushButton("&Print\u2026")
        self.print_button.setAccessibleName("Print the report")
        # Not a document: a data file of the assessment. Named so, and set apart from the
        # report buttons (File > Export this assessment… does the same).
        self.export_button = QPushButton("Save a data file\u2026")
        self.export_button.setAccessibleName("Save this assessment as a data file")
        self.export_button.setAccessibleDescription(
            "Not a report: saves this whole assessment as one data file, to keep a copy or to "
            "open it on another computer with this app (File > Import a file…)."
        )
        self.export_button.setToolTip(self.export_button.accessibleDescription())
        # Bound slots, not lambdas: a lambda holding the page keeps PySide from tearing the
        # connection down cleanly when the page is deleted (a "shared QObject" heap error).
        self.save_button.clicked.connect(self._on_save_clicked)
        self.print_button.clicked.connect(self.print_report)

        # What the last Print… or Save did, in words, until the next one (printing happens in
        # the background: the chief must see that it is done).
        self.report_note = wrap_label()
        self.report_note.setAccessibleName("Report status")
        self.report_note.hide()
        # the page stacks them when the window is narrow (ReadinessPage._fit_rows): side by
        # side they must not hold the window wider than the screen meanwhile
        for widget in self._buttons():
            widget.setMinimumWidth(1)
        self.button_grid = QGridLayout(self)
        self.button_grid.setContentsMargins(0, 0, 0, 0)
        self.button_grid.setHorizontalSpacing(8)
        self._columns = 0
        self.arrange(4)
        self._update_buttons()

    def _buttons(self) -> tuple[QWidget, ...]:
        return (self.paper_combo, self.save_button, self.print_button, self.export_button)

    def one_row_width(self) -> int:
        """The width the buttons want side by side."""
        return sum(widget.sizeHint().width() + 8 for widget in self._buttons())

    def arrange(self, columns: int) -> None:
        """The report buttons in one row (4 columns) or two (2), as the width allows."""
        if columns == self._columns:
            return
        self._columns = columns
        widgets = self._buttons()
        for widget in widgets:
            self.button_grid.removeWidget(widget)
        for n, widget in enumerate(widgets):
            self.button_grid.addWidget(widget, n // columns, n % columns)
        self.button_grid.removeWidget(self.report_note)
        self.button_grid.addWidget(self.report_note, len(widgets) // columns + 1, 0, 1, columns)

    def set_data(self, form: Form, assessment: Assessment, readiness: Readiness) -> None:
        self._form = form
        self._assessment = assessment
        self._readiness = readiness
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_data = self._readiness is not None
        printable = has_data and report_actions.printing_available()
        self.save_button.setEnabled(has_data and not self._busy)
        self.paper_combo.setEnabled(has_data and not self._busy)
        self.print_button.setEnabled(printable and not self._busy)
        self.export_button.setEnabled(has_data)
        if not has_data:
            why = "Open an assessment first."
            self.save_button.setToolTip(why)
            self.print_button.setToolTip(why)
        else:
            self.save_button.setToolTip("Save the board-ready readiness report as a PDF file.")
            self.print_button.setToolTip(
                "Print the readiness report."
                if printable
                else "Printing is not available on this computer; use Save PDF report\u2026 "
                "and print the saved file."
            )
        self.save_button.setAccessibleDescription(self.save_button.toolTip())
        self.print_button.setAccessibleDescription(self.print_button.toolTip())

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    @Slot()
    def _on_save_clicked(self) -> None:
        self.save_pdf()

    def save_pdf(self, path: str | None = None) -> None:
        if self._readiness is None or self._form is None or self._assessment is None:
            return
        self._set_busy(True)
        report_actions.save_pdf_report(
            self, self._form, self._assessment, self._readiness,
            options=self._report_options(), path=path, open_when_done=path is None,
            on_finished=lambda _p: self._set_busy(False),
        )

    def _report_options(self) -> ReportOptions:
        """What the report prints besides the assessment: the paper, the evidence register,
        Since last year and, for a shared assessment, who answered."""
        return ReportOptions(paper=str(self.paper_combo.currentData()),
                             evidence=tuple(self._evidence()),
                             comparison=self._comparison(), provenance=self._provenance())

    def _evidence(self) -> list:
        """The evidence records for the report's register (set by the window)."""
        source = self.evidence_source
        try:
            return list(source()) if source is not None else []
        except Exception:  # the report is still made without its register
            return []

    def _printed(self, pages: int | None) -> None:
        self._set_busy(False)
        if pages:
            self.report_note.setText(f"✔ Printed at {datetime.now():%H:%M}: {pages} "
                                     f"page{'s' if pages != 1 else ''} sent to the printer.")
            self.report_note.show()

    @Slot()
    def print_report(self) -> None:
        if self._readiness is None or self._form is None or self._assessment is None:
            return
        self._set_busy(True)
        report_actions.print_report(
            self, self._form, self._assessment, self._readiness,
            on_finished=self._printed, options=self._report_options(),
        )
