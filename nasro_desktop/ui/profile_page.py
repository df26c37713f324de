"""The Profile: who, when, the reading of "bi-annual", and the school and officer tables.

Tables are model/view (`QAbstractTableModel` with named columns); rows are added and edited in a
small dialog with date pickers, checked with the session's plain-language rules before saving.
Each officer row shows live training status from the readiness findings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nasro_desktop.domain.entries import InvalidEntry, officer_problems, school_problems
from nasro_desktop.domain.links import links, name_key, officer_school_names, with_schools
from nasro_desktop.domain.model import (
    METHOD,
    PARTICIPANTS,
    SCOPE,
    Officer,
    RapidDeploymentReading,
    School,
)
from nasro_desktop.session import Session
from nasro_desktop.ui.labels import short_day
from nasro_desktop.ui.style import frame
from nasro_desktop.ui.widgets import (
    MessageBox,
    OptionalDateEdit,
    OptionalDecimalEdit,
    OptionalNumberEdit,
    scrolling_column,
    wrap_label,
)


def _number(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def fit_height(view: QTableView, min_rows: int = 3) -> None:
    """Make a table as tall as its rows (at least a few), so the page scrolls, not the table."""
    rows = view.model().rowCount()
    height = view.horizontalHeader().height() + 2 * view.frameWidth() + 4
    height += sum(view.rowHeight(r) for r in range(rows))
    height += max(0, min_rows - rows) * view.verticalHeader().defaultSectionSize()
    view.setFixedHeight(height)


@dataclass(frozen=True)
class Column:
    name: str
    header: str
    tip: str = ""


class RowModel(QAbstractTableModel):
    """Rows are the session's own objects; the model only shows them."""

    columns: tuple[Column, ...] = ()

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.views: list[QTableView] = []

    def rows(self) -> list:
        raise NotImplementedError

    def text(self, row: Any, column: str) -> str:
        raise NotImplementedError

    def rowCount(self, parent=None) -> int:  # noqa: N802 (Qt name)
        return 0 if parent is not None and parent.isValid() else len(self.rows())

    def columnCount(self, parent=None) -> int:  # noqa: N802 (Qt name)
        return 0 if parent is not None and parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows()[index.row()]
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                    Qt.ItemDataRole.ToolTipRole):
            return self.text(row, column.name)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 (Qt name)
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].header
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.columns[section].tip or self.columns[section].header
        return None

    def reload(self) -> None:
        self.beginResetModel()
        self.endResetModel()
        for view in self.views:
            view.resizeRowsToContents()
            fit_height(view)

    def row_at(self, index: int) -> Any:
        return self.rows()[index]


class SchoolModel(RowModel):
    columns = (
        Column("name", "School"),
        Column("enrollment", "Enrollment"),
        Column("buildings", "Buildings"),
        Column("acreage", "Acres"),
        Column("calls_for_service", "Calls for service", "Calls for service last school year"),
        Column("sros", "SROs", "Officers serving this school (picked on each officer's row)"),
        Column("non_sworn_safety_staff", "Non-sworn safety staff"),
        Column("check", "Check", "Anything to look at in this row"),
    )

    def rows(self) -> list[School]:
        return self.session.assessment.schools

    def text(self, row: School, column: str) -> str:
        if column == "name":
            return row.name
        if column in ("sros", "check"):
            schools = self.session.assessment.schools
            index = next((i for i, s in enumerate(schools) if s is row), None)
            count = 0 if index is None else links(self.session.assessment).sro_count(index)
            if column == "sros":
                return str(count)
            problems = school_problems(row)
            if problems:
                return "⚠ " + problems[0].message
            return "✔ OK" if count else "? No SRO assigned: pick this school on an officer's row"
        return _number(getattr(row, column))


class OfficerModel(RowModel):
    columns = (
        Column("name", "Officer"),
        Column("school", "Schools", "The schools this officer serves"),
        Column("sworn_date", "Sworn", "Sworn date (or years of experience)"),
        Column("assignment_date", "Assigned", "Date assigned to the school"),
        Column("basic_course_date", "Basic course"),
        Column("last_annual_training", "Safety training", "Last school-safety training"),
        Column("last_rapid_deployment", "Rapid deploy.", "Last rapid-deployment training"),
        Column("status", "Training status", "Met, due on a date, or overdue since a date"),
    )

    def rows(self) -> list[Officer]:
        return self.session.assessment.officers

    def text(self, row: Officer, column: str) -> str:
        if column == "name":
            return row.name
        if column == "school":
            known = {name_key(s.name) for s in self.session.assessment.schools}
            return ", ".join(
                name if name_key(name) in known else f"⚠ {name} (not on the Schools list: "
                "edit the officer and pick the school)"
                for name in officer_school_names(row)
            ) or "? No school picked"
        if column == "sworn_date":
            if row.sworn_date is None and row.years_experience is not None:
                return f"{row.years_experience} yrs"
            return short_day(row.sworn_date)
        if column == "status":
            warnings = [p.message for p in officer_problems(row, self.session.assessment.as_of)]
            status = self.session.officer_training_status(row)
            return status + ("  ⚠ " + warnings[0] if warnings else "")
        return short_day(getattr(row, column))


# --- Row editors ----------------------------------------------------------------------------


class RowDialog(QDialog):
    """A small form for one row; OK saves through the session, or shows what to fix."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.layout_ = QVBoxLayout(self)
        # A message makes the dialog taller; it never squashes the fields.
        self.layout_.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.layout_.addLayout(self.form)
        self.messages = MessageBox(self)
        self.layout_.addWidget(self.messages)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Save")
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)
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
        self.add("", self.review, "NASRO 04.01.05: the school administration takes part in "
                 "the probationary review.")
        self.note = self.line("Note:", o.note, "Anything else about this officer.")
        # Dates that cannot both be true are saved only when the user says they are right;
        # the report flags them either way.
        self.confirm = QCheckBox("These dates are right (the report will flag them)", self)
        self.confirm.setAccessibleName("Confirm the dates")
        self.confirm.setAccessibleDescription("Needed to save dates that look impossible.")
        self.confirm.toggled.connect(lambda _on: self.check())
        self.layout_.insertWidget(self.layout_.indexOf(self.buttons), self.confirm)
        if officer is not None and officer.id is not None:  # issue 13: certificates
            from nasro_desktop.ui.evidence_panel import EvidencePanel

            self.evidence_files = EvidencePanel(
                session.store, session.assessment_id, "officer", str(officer.id), as_of=as_of,
                label=o.name.strip() or "this officer", parent=self)
            self.layout_.insertWidget(self.layout_.indexOf(self.buttons), self.evidence_files)
            # a certificate's expiry falls due: judge again when files change
            self.evidence_files.changed.connect(session.evidence_changed)
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
        self.messages.show_messages(lines)
        return problems

    def try_accept(self) -> None:
        problems = self.check()
        if any(p.blocking for p in problems):
            return
        if self.impossible() and not self.confirm.isChecked():
            self.confirm.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        from nasro_desktop.store import StoreError

        try:
            self.saved = self.session.save_officer(self.officer())
        except (InvalidEntry, StoreError) as error:
            self.messages.show_messages([f"✘ {error}"])
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
        self.messages.show_messages(
            [("✘ " if p.blocking else "⚠ ") + p.message for p in problems])
        return problems

    def try_accept(self) -> None:
        if any(p.blocking for p in self.check()):
            return
        from nasro_desktop.store import StoreError

        try:
            self.saved = self.session.save_school(self.school())
        except (InvalidEntry, StoreError) as error:
            self.messages.show_messages([f"✘ {error}"])
            return
        self.accept()


# --- The page -------------------------------------------------------------------------------


class TableBlock(QWidget):
    """A heading, a table and Add / Edit / Remove buttons."""

    changed = Signal()

    def __init__(self, title: str, intro: str, model: RowModel, noun: str,
                 open_dialog: Callable[[Any], RowDialog], remove_row: Callable[[Any], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.noun = noun
        self.open_dialog = open_dialog  # (row or None) -> the dialog that edits or adds it
        self.remove_row = remove_row
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(wrap_label(title, "heading", self))
        layout.addWidget(wrap_label(intro, None, self))
        self.table = QTableView(self)
        self.table.setModel(model)
        model.views.append(self.table)
        self.table.setAccessibleName(title)
        self.table.setAccessibleDescription(f"Enter or double-click a row to edit the {noun}.")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(len(model.columns) - 1, QHeaderView.ResizeMode.Stretch)
        # A double-click opens the editor, and Enter does (eventFilter). Not `activated`: on
        # some platforms it comes with a double-click too, which opened two editors in a row.
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.table.installEventFilter(self)
        self._editing = False
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.add_button = QPushButton(f"Add {noun}…", self)
        self.edit_button = QPushButton("Edit…", self)
        self.remove_button = QPushButton("Remove", self)
        for button, description in ((self.add_button, f"Add a new {noun}."),
                                    (self.edit_button, f"Edit the selected {noun}."),
                                    (self.remove_button, f"Remove the selected {noun}.")):
            button.setAccessibleDescription(description)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.add_button.clicked.connect(lambda: self.edit(new=True))
        self.edit_button.clicked.connect(lambda: self.edit())
        self.remove_button.clicked.connect(self.remove)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt name)
        from PySide6.QtCore import QEvent

        if (watched is self.table and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.edit()
            return True
        return super().eventFilter(watched, event)

    def selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            index = self.table.currentIndex()
            if not index.isValid():
                return None
            return self.model.row_at(index.row())
        return self.model.row_at(rows[0].row())

    def edit(self, new: bool = False) -> None:
        if self._editing:
            return
        row = None if new else self.selected()
        if not new and row is None:
            return
        self._editing = True
        try:
            dialog = self.open_dialog(row)
            if dialog.exec() == QDialog.DialogCode.Accepted:
                self.model.reload()
                rows = self.model.rows()
                if dialog.saved in rows:
                    self.table.selectRow(rows.index(dialog.saved))
                self.changed.emit()
        finally:
            self._editing = False

    def remove(self) -> None:
        row = self.selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self, f"Remove {self.noun}",
            f"Remove “{row.name or 'this ' + self.noun}” from this assessment?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.remove_row(row)


class ProfilePage(QWidget):
    """Agency, district, who fills it in, the as-of date, the "bi-annual" reading, the tables."""

    page_id = "profile"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        a = session.assessment
        self.setAccessibleName("Profile")
        body, column = scrolling_column(self, (4, 4, 8, 4), 10)
        column.addWidget(wrap_label("Profile", "title", body))
        column.addWidget(wrap_label(
            "Who this assessment is for, and the facts the date rules are judged from. "
            "Everything you type is saved at once.", None, body))

        top = QHBoxLayout()
        details = QFormLayout()
        self.title = QLineEdit(a.title, body)
        self.agency = QLineEdit(a.agency, body)
        self.district = QLineEdit(a.district, body)
        self.prepared_by = QLineEdit(a.prepared_by, body)
        self.prepared_by.setPlaceholderText("Your name, as it should appear on the report")
        # typed like every other date (3/15/2026, 2026-03-15, Mar 15 2026); never empty
        self.as_of = OptionalDateEdit(body, default_date=a.as_of, name="Assessment date",
                                      allow_empty=False)
        self.as_of.set_date_value(a.as_of)
        for label, widget, name, description in (
            ("Title:", self.title, "title", "The assessment's name in your list."),
            ("Police or sheriff's agency:", self.agency, "agency", "The law-enforcement agency."),
            ("School district:", self.district, "district", "The school district."),
            ("Prepared by:", self.prepared_by, "prepared_by",
             "Your name; printed on the report as the person who prepared it."),
        ):
            widget.setAccessibleName(label.rstrip(":"))
            widget.setAccessibleDescription(description)
            widget.textEdited.connect(lambda text, name=name: self._detail(name, text))
            widget.editingFinished.connect(lambda name=name: self._restore_if_blank(name))
            details.addRow(label, widget)
        self.as_of.setAccessibleName("Assessment date")
        self.as_of.setAccessibleDescription("Dates are judged as of this day.")
        self.as_of.value_changed.connect(self._as_of_changed)
        details.addRow("Dates judged as of:", self.as_of)
        self.details_message = MessageBox(body)
        self.details_message.setAccessibleName("Profile message")
        details.addRow(self.details_message)
        top.addLayout(details, 3)

        reading = QFrame(body)
        frame(reading, "help")
        box = QVBoxLayout(reading)
        box.addWidget(wrap_label("How often is rapid-deployment training due? (03.04.01)",
                                 "heading", reading))
        box.addWidget(wrap_label(
            "NASRO asks for single-officer rapid-deployment training “bi-annually”, a word that "
            "can mean twice a year or every two years. Choose the reading your program uses; "
            "the report says which one it judged by.", None, reading))
        self.reading_group = QButtonGroup(self)
        self.reading_buttons: dict[str, QRadioButton] = {}
        for reading_value in RapidDeploymentReading:
            button = QRadioButton(reading_value.label.capitalize(), reading)
            button.setAccessibleName(f"Bi-annual means {reading_value.label}")
            button.setAccessibleDescription("Sets the interval for rapid-deployment training.")
            self.reading_group.addButton(button)
            self.reading_buttons[reading_value.value] = button
            box.addWidget(button)
        self.reading_buttons[RapidDeploymentReading(a.rapid_deployment_reading).value] \
            .setChecked(True)
        self.reading_group.buttonClicked.connect(self._reading_changed)
        top.addWidget(reading, 2)
        column.addLayout(top)
        column.addWidget(self._about_block(body))

        self.school_model = SchoolModel(session, self)
        self.schools = TableBlock(
            "Schools", "Each school the program serves. Numbers help judge whether staffing "
            "fits (NASRO 02.01.03).", self.school_model, "school",
            lambda row: SchoolDialog(session, row, self), self._remove_school, body)
        column.addWidget(self.schools)

        self.officer_model = OfficerModel(session, self)
        self.officers = TableBlock(
            "Officers", "Each SRO with the dates the training rules are judged from. The last "
            "column shows whether their training is met, due, or overdue as of the assessment "
            "date.", self.officer_model, "officer",
            lambda row: OfficerDialog(session, row, self), self._remove_officer, body)
        # a school's SRO count comes from the officers; an officer's schools from the list
        self.officers.changed.connect(self.school_model.reload)
        self.schools.changed.connect(self.officer_model.reload)
        self.school_model.reload()
        self.officer_model.reload()
        column.addWidget(self.officers)
        column.addStretch(1)

    # -- edits -----------------------------------------------------------------------------

    ABOUT = (
        (PARTICIPANTS, "Who took part:", "Names and roles, from the agency and the district."),
        (SCOPE, "What it covers:", "Which schools, which officers, which school year."),
        (METHOD, "How it was done:", "Documents read, people interviewed, and anything it "
         "could not check."),
    )

    def _about_block(self, parent: QWidget) -> QWidget:
        """Who took part, scope and method: printed near the top of the report."""
        block = QWidget(parent)
        form = QFormLayout(block)
        form.setContentsMargins(0, 0, 0, 0)
        self.about: dict[str, QPlainTextEdit] = {}
        for qid, label, description in self.ABOUT:
            if not self.session.form.has_question(qid):
                continue  # an assessment on an older question set: upgrade to get these
            edit = QPlainTextEdit(str(self.session.value(qid) or ""), block)
            edit.setTabChangesFocus(True)
            edit.setPlaceholderText(description)
            edit.setAccessibleName(label.rstrip(":"))
            edit.setAccessibleDescription(description + " Printed near the top of the report.")
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 12)
            edit.textChanged.connect(lambda qid=qid, edit=edit: self._guard(
                lambda: self.session.set_answer(qid, edit.toPlainText())))
            form.addRow(label, edit)
            self.about[qid] = edit
        return block

    REQUIRED = {"title": "a title for this assessment", "agency": "the agency's name",
                "district": "the school district's name"}

    def _detail(self, name: str, text: str) -> None:
        if name in self.REQUIRED and not text.strip():
            # The New dialog requires these; blanking one here would leave an unnamed row and
            # an empty window title, so the saved name is kept until a new one is typed.
            self.details_message.show_messages(
                [f"✘ Please type {self.REQUIRED[name]}; it is printed on the report. "
                 "The saved one is kept until you do."])
            return
        self.details_message.show_messages([])
        self._guard(lambda: self.session.save_details(**{name: text}))

    def _restore_if_blank(self, name: str) -> None:
        widget = {"title": self.title, "agency": self.agency, "district": self.district}.get(name)
        if widget is not None and not widget.text().strip():
            widget.setText(getattr(self.session.assessment, name))
            self.details_message.show_messages([])

    def _guard(self, operation) -> None:
        """Run a save; a store problem other than a full disk (retried) is shown plainly."""
        from nasro_desktop.store import StoreError

        try:
            operation()
        except StoreError as problem:
            QMessageBox.warning(self, "Could not save", str(problem))

    @Slot(object)
    def _as_of_changed(self, day: date | None) -> None:
        if day is not None and day != self.session.assessment.as_of:
            self._guard(lambda: self.session.save_details(as_of=day))

    @Slot()
    def _reading_changed(self) -> None:
        for value, button in self.reading_buttons.items():
            if button.isChecked():
                self._guard(lambda v=value: self.session.save_details(rapid_deployment_reading=v))

    def _remove_school(self, school: School) -> None:
        self._guard(lambda: self.session.delete_school(school))
        self.school_model.reload()

    def _remove_officer(self, officer: Officer) -> None:
        self._guard(lambda: self.session.delete_officer(officer))
        self.officer_model.reload()

    # -- drawing ---------------------------------------------------------------------------

    def refresh(self) -> None:
        a = self.session.assessment
        for widget, value in ((self.title, a.title), (self.agency, a.agency),
                              (self.district, a.district), (self.prepared_by, a.prepared_by)):
            if widget.text() != value and not widget.hasFocus():
                widget.setText(value)
        self.school_model.reload()
        self.officer_model.reload()

    def focus_first(self) -> None:
        self.agency.setFocus()
