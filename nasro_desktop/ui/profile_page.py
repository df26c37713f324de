"""The Profile: who, when, the reading of "bi-annual", and the school and officer tables.

Tables are model/view (`QAbstractTableModel` with named columns); rows are added and edited in a
small dialog with date pickers, checked with the session's plain-language rules before saving.
Each officer row shows live training status from the readiness findings.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QEvent,
    Slot,
)
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QFormLayout,
    QFrame,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from nasro_desktop.domain.model import (
    METHOD,
    PARTICIPANTS,
    SCOPE,
    RapidDeploymentReading,
)
from nasro_desktop.session import Session
from nasro_desktop.store import StoreError
from nasro_desktop.ui.labels import MessageBox, wrap_label
from nasro_desktop.ui.profile_dialogs import (
    OfficerDialog,
    SchoolDialog,
)
from nasro_desktop.ui.profile_tables import (
    OfficerModel,
    SchoolModel,
    TableBlock,
)
from nasro_desktop.ui.roster_dialog import add_import_button
from nasro_desktop.ui.style import frame, indicators
from nasro_desktop.ui.widgets import OptionalDateEdit, scrolling_column


class ProfilePage(QWidget):
    """Agency, district, who fills it in, the as-of date, the "bi-annual" reading, the tables."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        a = session.assessment
        self.setAccessibleName("Profile")
        _scroll, body, column = scrolling_column(self, (4, 4, 8, 4), 10)
        column.addWidget(wrap_label("Profile", "title", body))
        column.addWidget(wrap_label(
            "Who this assessment is for, and the facts the date rules are judged from. "
            "Everything you type is saved at once.", None, body))

        # the details beside the reading box, or above it when the page is too narrow for
        # both (large text on a small screen: they needed 886 px of 724 and were cut)
        top = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.top = top
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
        self.as_of.setAccessibleDescription("Dates are judged as of this day.")
        self.as_of.value_changed.connect(self._as_of_changed)
        details.addRow("Assessment date:", self.as_of)
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
        readings = list(RapidDeploymentReading)
        for index, reading_value in enumerate(readings):
            button = QRadioButton(reading_value.label.capitalize(), reading)
            button.setAccessibleName(f"Bi-annual means {reading_value.label}")
            button.setAccessibleDescription("Sets the interval for rapid-deployment training.")
            self.reading_group.addButton(button, index)
            indicators(button)
            self.reading_buttons[reading_value.value] = button
            box.addWidget(button)
        self.reading_buttons[RapidDeploymentReading(a.rapid_deployment_reading).value] \
            .setChecked(True)
        self.reading_group.idClicked.connect(lambda index: self._guard(
            lambda: session.save_details(rapid_deployment_reading=readings[index].value)))
        top.addWidget(reading, 2)
        self.reading_box = reading
        self.details = details
        column.addLayout(top)
        column.addWidget(self._about_block(body))

        self.school_model = SchoolModel(session, self)
        self.schools = TableBlock(
            "Schools", "Each school the program serves. Numbers help judge whether staffing "
            "fits (NASRO 02.01.03).", self.school_model, "school",
            lambda row: SchoolDialog(session, row, self),
            lambda row: self._guard(lambda: session.delete_school(row)), body)
        column.addWidget(self.schools)

        self.officer_model = OfficerModel(session, self)
        self.officers = TableBlock(
            "Officers", "Each SRO with the dates the training rules are judged from. The last "
            "column shows whether their training is met, due, or overdue as of the assessment "
            "date.", self.officer_model, "officer",
            lambda row: OfficerDialog(session, row, self),
            lambda row: self._guard(lambda: session.delete_officer(row)), body)
        # a school's SRO count comes from the officers; an officer's schools from the list
        self.officers.changed.connect(self.school_model.reload)
        self.schools.changed.connect(self.officer_model.reload)
        self.school_model.reload()
        self.officer_model.reload()
        column.addWidget(self.officers)
        column.addStretch(1)
        self.import_schools = add_import_button(self.schools, session, "schools")
        self.import_officers = add_import_button(self.officers, session, "officers")

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._flow_top()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._flow_top()

    def _flow_top(self) -> None:
        """The details and the reading box side by side when both fit, else one above the
        other."""
        need = (self.details.minimumSize().width() + self.top.spacing()
                + self.reading_box.minimumSizeHint().width() + 40)  # margins, a scroll bar
        direction = QBoxLayout.Direction.LeftToRight if need <= self.width() \
            else QBoxLayout.Direction.TopToBottom
        if self.top.direction() != direction:
            self.top.setDirection(direction)

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
        widget = getattr(self, name)
        if name in self.REQUIRED and not widget.text().strip():
            widget.setText(getattr(self.session.assessment, name))
            self.details_message.show_messages([])

    def _guard(self, operation) -> None:
        """Run a save; a store problem other than a full disk (retried) is shown plainly."""
        try:
            operation()
        except StoreError as problem:
            QMessageBox.warning(self, "Could not save", str(problem))

    @Slot(object)
    def _as_of_changed(self, day: date | None) -> None:
        if day is not None and day != self.session.assessment.as_of:
            self._guard(lambda: self.session.save_details(as_of=day))

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
