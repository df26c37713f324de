"""File > New assessment…: who the assessment is for (agency, district, who prepares it), its
Assessment date, and a title that fills itself in until the user changes it.

Imported when the dialog is first asked for (`StartScreen.ask_new`).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from nasro_desktop.domain.date_input import read_date
from nasro_desktop.domain.titles import default_title
from nasro_desktop.domain.wording import PLAIN_LABELS
from nasro_desktop.ui.dialog_fit import FittedDialog, accept_and_cancel
from nasro_desktop.ui.labels import MessageBox, wrap_label
from nasro_desktop.ui.widgets import OptionalDateEdit


class NewAssessmentDialog(FittedDialog):
    """Agency, district, your name, as-of date; the title fills itself in until you change it."""

    def __init__(self, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New assessment")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.addWidget(wrap_label(
            "Tell us who the assessment is for. You can change all of this later on the "
            "Profile page.", None, self))
        form = QFormLayout()
        self.agency = QLineEdit(self)
        self.agency.setPlaceholderText("e.g. Millbrook Police Department")
        self.district = QLineEdit(self)
        self.district.setPlaceholderText("e.g. Millbrook Unified School District")
        self.prepared_by = QLineEdit(self)
        self.prepared_by.setPlaceholderText("Your name, as it should appear on the report")
        today = today or date.today()
        self.as_of = OptionalDateEdit(self, default_date=today, allow_empty=False)
        self.as_of.set_date_value(today)
        self.title = QLineEdit(self)
        self._title_touched = False
        for label, widget, description in (
            ("Police or sheriff's agency:", self.agency, "The law-enforcement agency."),
            ("School district:", self.district, "The school district."),
            ("Your name:", self.prepared_by, "Printed on the report as who prepared it."),
            (PLAIN_LABELS["as_of"] + ":", self.as_of, "Training and review dates are "
             "checked as they stand on this day (is a training overdue on it?); usually "
             "today."),
            ("Title:", self.title, "How this assessment is named in your list."),
        ):
            widget.setAccessibleName(label.rstrip(":"))
            widget.setAccessibleDescription(description)
            widget.setToolTip(description)
            form.addRow(label, widget)
        layout.addLayout(form)
        self.message = MessageBox(self)
        layout.addWidget(self.message)
        layout.addWidget(accept_and_cancel(self, "Start", self.try_accept)[0])
        self.agency.textEdited.connect(self._update_title)
        self.district.textEdited.connect(self._update_title)
        self.as_of.value_changed.connect(self._update_title)
        self.title.textEdited.connect(self._title_edited)
        self._update_title()

    def values(self) -> dict:
        return {
            "agency": self.agency.text().strip(),
            "district": self.district.text().strip(),
            "prepared_by": self.prepared_by.text().strip(),
            "as_of": self.as_of.date_value() or date.today(),
            "title": self.title.text().strip(),
        }

    @Slot()
    def _update_title(self) -> None:
        if self._title_touched:
            return
        v = self.values()
        self.title.setText(default_title(v["agency"], v["district"], v["as_of"]))

    @Slot(str)
    def _title_edited(self, text: str) -> None:
        self._title_touched = bool(text.strip())

    def try_accept(self) -> None:
        v = self.values()
        if not v["agency"] and not v["district"]:
            self.message.show_messages(["Please type the agency or the school district (or "
                                        "both), so you can tell your assessments apart."])
            self.agency.setFocus()
            return
        if read_date(self.as_of.text()).value != self.as_of.date_value():
            self.message.show_messages([
                "The date in “" + PLAIN_LABELS["as_of"] + "” is not understood: "
                + (read_date(self.as_of.text()).problem or "please type it again.")])
            self.as_of.setFocus()
            return
        self.accept()
