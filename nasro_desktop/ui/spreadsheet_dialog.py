"""File > Save as spreadsheet…: the open assessment as one Excel workbook (a sheet each for the
summary, standards, action plan, officers, schools, answers and evidence), or, choosing the
CSV type in the same dialog, one CSV file per table in the chosen folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from nasro_desktop.store.spreadsheet import export_csv, file_stem
from nasro_desktop.store.workbook import export_xlsx

WORKBOOK_FILTER = "Excel workbook (*.xlsx)"
CSV_FILTER = "CSV files, one per table, in this folder (*.csv)"


def save_as_spreadsheet(window) -> None:
    session = window.session
    if session is None:
        return
    session.save_now()
    aid = session.assessment_id
    default = Path.home() / f"{file_stem(session.assessment)}.xlsx"
    path, chosen = QFileDialog.getSaveFileName(
        window, "Save as spreadsheet", str(default), f"{WORKBOOK_FILTER};;{CSV_FILTER}")
    if not path:
        return
    target = Path(path)
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        assessment = window.store.load_assessment(aid)
        evidence = window.store.evidence.records(aid)
        who = session.provenance()  # "Answered by" when shared with the other party
        if chosen == CSV_FILTER:
            written = export_csv(assessment, session.form, target.parent, evidence,
                                 provenance=who)
        else:
            if target.suffix.lower() != ".xlsx":
                target = target.with_name(target.name + ".xlsx")
            written = [export_xlsx(assessment, session.form, target, evidence,
                                   provenance=who)]
    except Exception as error:
        QApplication.restoreOverrideCursor()
        window.show_error("Could not save the spreadsheet", error)
        return
    QApplication.restoreOverrideCursor()
    if len(written) == 1:
        text = (f"The workbook was saved as {written[0]} and read back to check it.\n\n"
                "It opens in Excel, LibreOffice or Numbers: one sheet each for the summary, "
                "standards, action plan, officers, schools, answers and evidence.")
    else:
        names = "\n".join(p.name for p in written)
        text = (f"These files were saved in {written[0].parent} and read back to check them:"
                f"\n\n{names}\n\nEach opens in Excel, LibreOffice or Numbers.")
    QMessageBox.information(window, "Saved as spreadsheet", text)
