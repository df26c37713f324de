"""The dialogs that add or edit one officer or one school (date fields, the school picker),
checked with the plain-language rules of domain/entries.py before anything is saved."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    Qt,
    Slot,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from nasro_desktop.domain.entries import InvalidEntry, officer_problems, school_problems
from nasro_desktop.domain.links import name_key, officer_school_names, with_schools
from nasro_desktop.domain.model import (
    Officer,
    School,
)
from nasro_desktop.session import Session
from nasro_desktop.store import StoreError
from nasro_desktop.ui.dialog_fit import (
    FittedDialog,
    accept_and_cancel,
    grow_to_show,
    scroll_body,
)
from nasro_desktop.ui.evidence_panel import EvidencePanel
from nasro_desktop.ui.labels import MessageBox
from nasro_desktop.ui.style import indicators
from nasro_desktop.ui.widgets import (
    OptionalDateEdit,
    OptionalDecimalEdit,
    OptionalNumberEdit,
)


class RowDialog(FittedDialog):
    """A small form for one row; OK saves through the session, or shows what to fix."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        # The fields, messages and files scroll inside the dialog when the screen is too
        # small for them; Save and Cancel stay in view below (ui/dialog_fit.py).
        self.layout_, outer = scroll_body(self)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.layout_.addLayout(self.form)
        self.messages = MessageBox(self)
        self.layout_.addWidget(self.messages)
        self.buttons, _save = accept_and_cancel(self, "Save", self.try_accept)
        outer.addWidget(self.buttons)
        self.saved: Any = None

    def add(self, label: str, widget: QWidget, description: str = "") -> QWidget:
        widget.setAccessibleName(label.rstrip(":"))
        if description:
            widget.setAccessibleDescription(description)
            widget.setToolTip(description)
        self.form.addRow(label, widget)
        return widget

    def line(self, label: str, value: str, description: str = "") -> QLineEdit:
        edit = QLineEdit(value, self)
        self.add(label, edit, description)
        return edit

    def try_accept(self) -> None:
        raise NotImplementedError

    def show_messages(self, lines: list[str]) -> None:
        """What to fix, shown below the fields: the dialog grows (up to the screen) and
        scrolls to it, so no line is ever cut."""
        shown = self.messages.text()
        self.messages.show_messages(lines)
        if self.isVisible() and self.messages.text() != shown:
            grow_to_show(self, self.messages)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        """Typing goes into the first field at once (not onto Save, where a space saves)."""
        super().showEvent(event)
        first = getattr(self, "name", None)
        if isinstance(first, QLineEdit):
            first.setFocus(Qt.FocusReason.OtherFocusReason)


class SchoolPicker(QListWidget):
    """The schools an officer serves: the Schools list as check boxes (Space ticks one).

    A name kept from older data that is on no list shows too, marked, so nothing typed is lost
    until the user unticks it."""

    def __init__(self, schools: list[School], chosen: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        wanted = {name_key(n) for n in chosen}
        known = set()
        for school in schools:
            if school.name.strip():
                known.add(name_key(school.name))
                self._item(school.name.strip(), school.name.strip(),
                           name_key(school.name) in wanted)
        for name in chosen:
            if name_key(name) not in known:
                self._item(f"⚠ {name} (typed earlier; not on the Schools list)", name, True)
        if not self.count():
            empty = QListWidgetItem("No schools yet: add them in the Schools table first.", self)
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
        self.setMaximumHeight(max(60, min(6, self.count()) * 26 + 8))
        indicators(self)  # its check boxes show a box, in light and dark

    def _item(self, text: str, name: str, checked: bool) -> None:
        item = QListWidgetItem(text, self)
        item.setData(Qt.ItemDataRole.UserRole, name)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                      | Qt.ItemFlag.ItemIsSelectable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def chosen(self) -> list[str]:
        names = []
        for row in range(self.count()):
            item = self.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                names.append(item.data(Qt.ItemDataRole.UserRole))
        return names


class OfficerDialog(RowDialog):
    DATE_FIELDS = (
        ("sworn_date", "Sworn date:", "When the officer was sworn in (leave Not set if unknown "
         "and give years of experience instead)."),
        ("assignment_date", "Assigned to the school:", "The date the SRO assignment began."),
        ("basic_course_date", "Basic SRO course:", "When the officer finished the basic SRO course."),
        ("advanced_course_date", "Advanced SRO course:", "When the officer finished the "
         "advanced SRO course."),
        ("last_annual_training", "Last school-safety training:", "The most recent annual "
         "school-safety training."),
        ("last_rapid_deployment", "Last rapid-deployment training:", "The most recent "
         "single-officer rapid-deployment training."),
        ("probation_end", "Probation ends or ended:", "End of the probationary period in the "
         "school."),
    )

    def __init__(self, session: Session, officer: Officer | None, parent: QWidget | None = None):
        super().__init__("Edit officer" if officer else "Add an officer", parent)
        self.session = session
        self.original = officer
        o = officer or Officer()
        as_of = session.assessment.as_of
        self.name = self.line("Name:", o.name, "The officer's name as it should appear in the "
                              "report.")
        self.schools = SchoolPicker(session.assessment.schools, officer_school_names(o), self)
        self.add("Schools served:", self.schools, "Tick each school this officer serves "
                 "(Space ticks the highlighted one). A school's SRO count comes from these.")
        self.schools.itemChanged.connect(lambda _item: self.check())
        self.dates: dict[str, OptionalDateEdit] = {}
        for name, label, description in self.DATE_FIELDS:
            edit = OptionalDateEdit(self, default_date=as_of)
            edit.set_date_value(getattr(o, name))
            edit.value_changed.connect(self.check)
            self.dates[name] = edit
            self.add(label, edit, description)
            if name == "sworn_date":
                self.years = OptionalNumberEdit(self, maximum=70)
                self.years.set_number(o.years_experience)
                self.years.value_changed.connect(self.check)
                self.add("…or years of experience:", self.years,
                         "Only when the sworn date is not known.")
        self.review = QCheckBox("The school took part in the probation review", self)
        self.review.setChecked(bool(o.probation_review_with_school))
        indicators(self.review)
        self.add("", self.review, "NASRO 04.01.05: the school administration takes part in "
                 "the probationary review.")
        self.note = self.line("Note:", o.note, "Anything else about this officer.")
        # Dates that cannot both be true are saved only when the user says they are right;
        # the report flags them either way.
        self.confirm = QCheckBox("These dates are right (the report will flag them)", self)
        self.confirm.setAccessibleName("Confirm the dates")
        self.confirm.setAccessibleDescription("Needed to save dates that look impossible.")
        self.confirm.toggled.connect(lambda _on: self.check())
        indicators(self.confirm)
        self.layout_.addWidget(self.confirm)
        if officer is not None and officer.id is not None:  # issue 13: certificates
            self.evidence_files = EvidencePanel(
                session, "officer", str(officer.id), as_of=as_of,
                label=o.name.strip() or "this officer", parent=self)
            self.layout_.addWidget(self.evidence_files)
        self.name.textEdited.connect(self.check)
        self.setMinimumWidth(560)
        self.check()

    def officer(self) -> Officer:
        base = self.original or Officer()
        values: dict[str, Any] = {name: edit.date_value() for name, edit in self.dates.items()}
        officer = replace(base, name=self.name.text().strip(), years_experience=self.years.number(),
                          note=self.note.text().strip(),
                          probation_review_with_school=self.review.isChecked(), **values)
        return with_schools(officer, self.schools.chosen())

    def impossible(self) -> bool:
        o = self.officer()
        return bool(o.sworn_date and o.assignment_date and o.assignment_date < o.sworn_date)

    @Slot()
    def check(self) -> list:
        problems = officer_problems(self.officer(), self.session.assessment.as_of)
        lines = [("✘ " if p.blocking else "⚠ ") + p.message for p in problems]
        impossible = self.impossible()
        self.confirm.setVisible(impossible)
        if impossible and not self.confirm.isChecked():
            lines.append("✘ An officer cannot be assigned as an SRO before being sworn in. "
                         "Correct a date, or tick “These dates are right” to save them as "
                         "they are.")
        self.show_messages(lines)
        return problems

    def try_accept(self) -> None:
        problems = self.check()
        if any(p.blocking for p in problems):
            return
        if self.impossible() and not self.confirm.isChecked():
            self.confirm.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        try:
            self.saved = self.session.save_officer(self.officer())
        except (InvalidEntry, StoreError) as error:
            self.show_messages([f"✘ {error}"])
            return
        self.accept()


class SchoolDialog(RowDialog):
    NUMBERS = (
        ("enrollment", "Enrollment:", "Number of students."),
        ("buildings", "Buildings:", "Number of buildings on the campus."),
        ("calls_for_service", "Calls for service:", "Calls for police service last school year."),
        ("non_sworn_safety_staff", "Non-sworn safety staff:", "Security staff who are not "
         "sworn officers."),
    )

    def __init__(self, session: Session, school: School | None, parent: QWidget | None = None):
        super().__init__("Edit school" if school else "Add a school", parent)
        self.session = session
        self.original = school
        s = school or School()
        self.name = self.line("School name:", s.name, "The school's name.")
        self.numbers: dict[str, OptionalNumberEdit] = {}
        for name, label, description in self.NUMBERS:
            edit = OptionalNumberEdit(self)
            edit.set_number(getattr(s, name))
            edit.value_changed.connect(self.check)
            self.numbers[name] = edit
            self.add(label, edit, description)
            if name == "buildings":
                self.acreage = OptionalDecimalEdit(self)
                self.acreage.set_number(s.acreage)
                self.add("Campus size (acres):", self.acreage, "Size of the campus in acres.")
        self.note = self.line("Note:", s.note, "Anything else about this school.")
        self.name.textEdited.connect(self.check)
        self.setMinimumWidth(480)

    def school(self) -> School:
        base = self.original or School()
        values = {name: edit.number() for name, edit in self.numbers.items()}
        return replace(base, name=self.name.text().strip(), acreage=self.acreage.number(),
                       note=self.note.text().strip(), **values)

    @Slot()
    def check(self) -> list:
        problems = school_problems(self.school())
        self.show_messages(
            [("✘ " if p.blocking else "⚠ ") + p.message for p in problems])
        return problems

    def try_accept(self) -> None:
        if any(p.blocking for p in self.check()):
            return
        try:
            self.saved = self.session.save_school(self.school())
        except (InvalidEntry, StoreError) as error:
            self.show_messages([f"✘ {error}"])
            return
        self.accept()

