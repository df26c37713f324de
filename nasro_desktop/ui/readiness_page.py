"""The Readiness page: where the program stands, what to fix, and the board report.

From top to bottom: the verdict in one sentence (a word and a symbol, never colour alone);
mandatory standards met x of y; the recommended practices score; bars per section; the
mandatory standards not yet met; the action plan (owner, target date and status editable by
keyboard: F2 or Enter on a cell); what falls due next; since last year (against the assessment
this one was started from, or another of the program). The buttons Save PDF report…, Print…
and Export… stay at the top, always in view.

The parts live beside it: readiness_verdict.py (the verdict's words, the gaps table),
readiness_plan.py (the action plan and due tables), readiness_compare.py (since last year),
readiness_report.py (the report buttons). Since last year needs the session, given as
`ReadinessPage(parent, session=...)` (the workspace does; a page without one has no Since last
year and shows what `set_data` gives it).

Each action-plan edit emits `action_item_changed(ActionItem)`; the window saves it through
the session and calls `set_data` again with the new readiness.
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QFont, QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nasro_desktop.domain.dates import long_date
from nasro_desktop.domain.model import (
    ActionItem,
    ActionStatus,
    Assessment,
    Form,
    Owner,
    StandardClass,
)
from nasro_desktop.domain.results import Readiness, Verdict
from nasro_desktop.domain.wording import DISCLAIMER, GLOSSARY
from nasro_desktop.ui.labels import wrap_label
from nasro_desktop.ui.readiness_compare import SinceLastYear
from nasro_desktop.ui.readiness_plan import (
    DUE_ROWS_SHOWN,
    STANDARD_ID_ROLE,
    ActionPlanModel,
    ChoiceDelegate,
    DateDelegate,
    DueColumn,
    DueModel,
    PlanColumn,
    _FitTable,
    _PlanTable,
    action_status_text,
)
from nasro_desktop.ui.readiness_report import ReportButtons
from nasro_desktop.ui.readiness_verdict import (
    GapColumn,
    GapsModel,
    answered_figure_text,
    heading_label,
    mandatory_figure_text,
    recommended_figure_text,
    relative_font,
    verdict_items,
    verdict_note,
    verdict_text,
)
from nasro_desktop.ui.section_bars import SectionBars
from nasro_desktop.ui.style import frame, is_dark, set_primary
from nasro_desktop.ui.widgets import vertical_scroll_area


def _read_only_table(model: QAbstractItemModel, object_name: str, name: str,
                     stretch: int) -> _FitTable:
    """A table of whole rows to read (the gaps, what falls due): the `stretch` column takes
    the room the others leave."""
    table = _FitTable()
    table.setObjectName(object_name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAccessibleName(name)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


# --- the page ------------------------------------------------------------------------------


class ReadinessPage(QWidget):
    action_item_changed = Signal(object)  # an ActionItem (new: id None) the user edited
    export_requested = Signal()  # the shell runs the store export with a file dialog
    fix_requested = Signal(str)  # a standard id: the window opens its first question page

    def __init__(self, parent: QWidget | None = None, session: Any = None) -> None:
        super().__init__(parent)
        self.session = session  # for Since last year and refresh()
        self.setObjectName("readinessPage")
        self.setAccessibleName("Readiness")
        self._assessment: Assessment | None = None
        self._readiness: Readiness | None = None
        self._stale = False  # set_data came while hidden: refresh when shown
        self._edits: list[ActionItem] = []  # waiting for the cell editor to close
        self._fix_standard = ""  # the standard Fix the first item opens

        # Header: title and the report buttons, always in view.
        title = QLabel("Readiness")
        relative_font(title, 1.6, True)
        self.title_label = title
        self.report = ReportButtons(self.comparison_for_report, self.provenance_for_report)
        self.report.export_button.clicked.connect(self.export_requested)

        # One row when it fits; on a small screen or with large text the buttons go under the
        # title (see _fit_rows), so the window never has to grow wider than the screen.
        header = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        header.addWidget(title)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.report)
        header.addLayout(buttons, 1)
        self.header = header

        # Body, in a vertical scroll area.
        self.verdict_label = wrap_label()
        self.verdict_label.setObjectName("verdict")
        self.verdict_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        relative_font(self.verdict_label, 1.45, True)
        # a shaded box from palette roles (right in light and dark themes), as every message
        self.verdict_frame = frame(QFrame(), "message")
        self.verdict_frame.setObjectName("verdictFrame")
        frame_layout = QVBoxLayout(self.verdict_frame)
        frame_layout.setContentsMargins(16, 12, 16, 12)
        frame_layout.setSpacing(8)
        frame_layout.addWidget(self.verdict_label)
        self.verdict_list = wrap_label()
        self.verdict_list.setAccessibleName("Mandatory items not met")
        relative_font(self.verdict_list, 1.1, False)
        frame_layout.addWidget(self.verdict_list)
        self.verdict_note = wrap_label()
        frame_layout.addWidget(self.verdict_note)
        self.fix_button = QPushButton("")
        self.fix_button.setAccessibleName("Fix the first mandatory item")
        self.fix_button.clicked.connect(self._on_fix_clicked)
        set_primary(self.fix_button)
        frame_layout.addWidget(self.fix_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.fix_button.hide()

        self.mandatory_label = QLabel("")
        self.recommended_label = QLabel("")
        self.answered_label = QLabel("")
        self.as_of_label = QLabel("")
        self.fingerprint_label = QLabel("")
        self.fingerprint_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        for label in (self.mandatory_label, self.recommended_label):
            relative_font(label, 1.15, True)
        # short figures, each on one line: side by side when they fit, else one under the
        # other (see _fit_rows); never wrapped into narrow columns
        self.rows: list[tuple[QBoxLayout, tuple[QLabel, ...]]] = []
        for labels in ((self.mandatory_label, self.recommended_label),
                       (self.answered_label, self.as_of_label, self.fingerprint_label)):
            row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
            for label in labels:
                label.setWordWrap(False)
                label.setMinimumWidth(1)  # never holds the window wide: _fit_rows stacks them
                row.addWidget(label)
            row.addStretch(1)
            self.rows.append((row, labels))

        self.bars = SectionBars()

        self.gaps_heading = heading_label("Mandatory standards not yet met")
        self.gaps_model = GapsModel(self)
        self.gaps_table = _read_only_table(self.gaps_model, "gapsTable",
                                           "Mandatory standards not yet met", GapColumn.STANDARD)
        self.no_gaps_label = QLabel("\u2714 Every required standard is met.")

        self.plan_heading = heading_label("Action plan")
        self.plan_intro = wrap_label(
            "One row for each standard not yet fully met, most urgent first. To change the "
            "owner, target date or status, choose the cell and press F2 or Enter (or "
            "double-click it); Enter saves. Delete clears a target date."
        )
        self.plan_model = ActionPlanModel(self)
        self.plan_model.row_edited.connect(self._on_row_edited)
        self.plan_table = _PlanTable()
        self.plan_table.setObjectName("actionPlanTable")
        self.plan_table.setModel(self.plan_model)
        self.plan_table.setAccessibleName("Action plan")
        self.plan_table.setAccessibleDescription(
            "Columns: standard, next step, owner, person responsible, target date, status. All "
            "but the standard can be changed: type, or F2 or Enter to edit; Enter to save, "
            "Escape to cancel."
        )
        self.plan_table.setEditTriggers(  # typing a name on a cell starts editing it (issue 22)
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.owner_delegate = ChoiceDelegate([(o.label, o) for o in Owner], "Owner", self)
        self.status_delegate = ChoiceDelegate(
            [(action_status_text(s), s) for s in ActionStatus], "Status", self
        )
        self.date_delegate = DateDelegate(self)
        self.plan_table.setItemDelegateForColumn(PlanColumn.OWNER, self.owner_delegate)
        self.plan_table.setItemDelegateForColumn(PlanColumn.TARGET_DATE, self.date_delegate)
        self.plan_table.setItemDelegateForColumn(PlanColumn.STATUS, self.status_delegate)
        ph = self.plan_table.horizontalHeader()  # every column fitted by the table (fit())
        for plan_column in PlanColumn:
            ph.setSectionResizeMode(plan_column, QHeaderView.ResizeMode.Fixed)
        self.no_plan_label = QLabel("\u2714 Nothing to do: every standard is met or not applicable.")

        self.due_heading = heading_label("What falls due next")
        self.due_model = DueModel(self)
        self.due_table = _read_only_table(self.due_model, "dueTable", "What falls due next",
                                          DueColumn.WHAT)
        self.no_due_label = QLabel("Nothing falls due: no training or review dates are recorded yet.")
        self.due_more_label = QLabel("")

        body = QWidget()
        body.setObjectName("readinessBody")
        column = QVBoxLayout(body)
        column.addWidget(self.verdict_frame)
        for row, _labels in self.rows:
            column.addLayout(row)
        column.addWidget(heading_label("By section"))
        column.addWidget(self.bars)
        column.addWidget(self.gaps_heading)
        column.addWidget(self.gaps_table)
        column.addWidget(self.no_gaps_label)
        column.addWidget(self.plan_heading)
        column.addWidget(self.plan_intro)
        column.addWidget(self.plan_table)
        column.addWidget(self.no_plan_label)
        column.addWidget(self.due_heading)
        column.addWidget(self.due_table)
        column.addWidget(self.due_more_label)
        column.addWidget(self.no_due_label)
        self.since = SinceLastYear()
        column.addSpacing(8)
        column.addWidget(self.since)
        self.disclaimer = wrap_label(DISCLAIMER)
        self.disclaimer.setAccessibleName("Disclaimer")
        column.addSpacing(12)
        column.addWidget(self.disclaimer)
        column.addStretch(1)

        self.scroll_area = vertical_scroll_area(self)
        self.scroll_area.setObjectName("readinessScroll")
        self.scroll_area.setWidget(body)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.scroll_area, 1)

        # Keyboard order: the buttons first (the thing most people came for), then the page.
        report = self.report
        for first, then in itertools.pairwise((
                report.paper_combo, report.save_button, report.print_button, report.export_button,
                self.fix_button, self.bars, self.gaps_table, self.plan_table, self.due_table,
                self.since.combo)):
            self.setTabOrder(first, then)

        self._explain()
        self._apply_fonts()
        self._fit_rows()
        for widget in (self.gaps_table, self.no_gaps_label, self.plan_table, self.no_plan_label,
                       self.due_table, self.no_due_label, self.due_more_label):
            widget.setVisible(False)

    # --- construction helpers -------------------------------------------------------------

    def _explain(self) -> None:
        """Plain words on hover and focus for the document's terms (domain.wording)."""
        for widget, text in (
            (self.mandatory_label, GLOSSARY["Mandatory"]),
            (self.recommended_label, GLOSSARY["Recommended"] + " The score counts Met as 1 "
             "and Partly met as a half, over the recommended standards that apply."),
            (self.as_of_label, "Training, course and review dates are checked as they stand "
             "on this day: is something overdue on it? Change it on the Profile page."),
            (self.fingerprint_label, "A short code for the answers shown here. Every page of "
             "the report made from them prints the same code, so a signed paper can be matched "
             "to what is saved; any change of an answer changes it."),
        ):
            widget.setToolTip(text)
            widget.setAccessibleDescription(text)
        self.gaps_heading.setToolTip(StandardClass.MANDATORY.explanation)

    def _apply_fonts(self) -> None:
        """Size headings relative to the page font, so they follow View > Larger text."""
        base = self.font()
        for label in self.findChildren(QLabel):
            factor = label.property("_fontFactor")
            if factor is None:
                continue
            font = QFont(base)
            if base.pointSizeF() > 0:
                font.setPointSizeF(base.pointSizeF() * float(factor))
            else:
                font.setPixelSize(round(base.pixelSize() * float(factor)))
            font.setBold(bool(label.property("_fontBold")))
            label.setFont(font)
        self._update_verdict_colour()

    def _update_verdict_colour(self) -> None:
        readiness = self._readiness
        palette = self.verdict_label.palette()
        role = QPalette.ColorRole.WindowText
        if readiness is None:
            self.verdict_label.setPalette(self.palette())
            return
        dark = is_dark(self.palette())
        if readiness.verdict is Verdict.READY:
            colour = QColor("#7bd88f" if dark else "#1b6e2e")
        else:
            colour = QColor("#ff8a80" if dark else "#a4161a")
        palette.setColor(role, colour)
        self.verdict_label.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.FontChange:
            self._apply_fonts()
            self._refit()
            self._fit_rows()
        elif event.type() == QEvent.Type.PaletteChange:
            self._update_verdict_colour()
        super().changeEvent(event)

    # --- data ------------------------------------------------------------------------------

    def set_data(self, form: Form, assessment: Assessment, readiness: Readiness) -> None:
        """Show this readiness. While the page is hidden the widgets are brought up to date
        when it is next shown, so answering questions never waits for this page."""
        self._assessment = assessment
        self._readiness = readiness
        self._stale = True
        self.report.set_data(form, assessment, readiness)
        if self.isVisible():
            self._refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._refresh()
        self._fit_rows()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_rows()

    def _fit_rows(self) -> None:
        """Rows that do not fit the page's width are stacked (header, figures)."""
        if not hasattr(self, "rows"):
            return
        # the room the window gives the page (its own width can be a wider one it forced)
        parent = self.parentWidget()
        width = (parent.width() if parent is not None and parent.width() > 0
                 else self.width()) - 40
        buttons_need = self.report.one_row_width()
        header_need = self.title_label.sizeHint().width() + 60 + buttons_need
        pairs: list[tuple[QBoxLayout, int, tuple[QLabel, ...]]] = [(self.header, header_need, ())]
        for row, labels in self.rows:
            # each figure on one line, measured whole (a wrapping label's size hint is a
            # narrow guess: side by side they were squeezed into narrow columns)
            need = sum(label.fontMetrics().horizontalAdvance(label.text()) + 8
                       for label in labels) + 24 * len(labels)
            pairs.append((row, need, labels))
        self.report.arrange(4 if buttons_need <= width else 2)
        for layout, need, labels in pairs:
            direction = (QBoxLayout.Direction.LeftToRight if need <= width
                         else QBoxLayout.Direction.TopToBottom)
            if layout.direction() != direction:
                layout.setDirection(direction)
            if labels:  # figures: a gap between them side by side, none stacked
                layout.setSpacing(24 if need <= width else 2)


    def _refresh(self) -> None:
        readiness = self._readiness
        if not self._stale or readiness is None:
            return
        self._stale = False

        self.verdict_label.setText(verdict_text(readiness))
        self.verdict_label.setAccessibleName(verdict_text(readiness)[2:])
        items = verdict_items(readiness)
        self.verdict_list.setText(items)
        self.verdict_list.setVisible(bool(items))
        self.verdict_note.setText(verdict_note(readiness))
        self.verdict_note.setVisible(bool(verdict_note(readiness)))
        first = readiness.mandatory_gaps[0] if readiness.mandatory_gaps else None
        self._fix_standard = first.standard.id if first is not None else ""
        if first is not None and readiness.started:
            self.fix_button.setText("Fix the first item")
            self.fix_button.setAccessibleDescription(
                f"Opens the questions of {first.standard.title} ({first.standard.number}).")
        self.fix_button.setVisible(first is not None and readiness.started)
        self.verdict_frame.setAccessibleName("Verdict")
        self.mandatory_label.setText(mandatory_figure_text(readiness))
        self.recommended_label.setText(recommended_figure_text(readiness))
        self.answered_label.setText(answered_figure_text(readiness))
        self.as_of_label.setText(f"Assessment date: {long_date(readiness.as_of)}")
        # the code every page of the report prints (domain/fingerprint.py: the answers, the
        # evidence records and the Assessment date)
        self.fingerprint_label.setText(f"Data fingerprint {readiness.fingerprint}")
        self._fit_rows()  # the figures' words are new: side by side only if they fit
        self._update_verdict_colour()

        self.bars.set_figures(readiness.sections)

        gaps = list(readiness.mandatory_gaps)
        self.gaps_model.set_rows(gaps)
        self.gaps_table.setVisible(bool(gaps))
        self.no_gaps_label.setVisible(not gaps)
        self.gaps_heading.setText(
            f"Mandatory standards not yet met ({len(gaps)})" if gaps
            else "Mandatory standards not yet met"
        )

        current = self.plan_table.currentIndex()
        keep_id = current.data(STANDARD_ID_ROLE) if current.isValid() else None
        keep_column = current.column() if current.isValid() else PlanColumn.OWNER
        people = {a.standard_id: a.person for a in (self._assessment.action_items
                                                    if self._assessment else [])}  # fmt: skip
        self.plan_model.set_gaps(list(readiness.gaps), people)
        self.date_delegate.start_from = readiness.as_of
        self.plan_table.setVisible(bool(readiness.gaps))
        self.no_plan_label.setVisible(not readiness.gaps)
        if keep_id is not None:
            row = self.plan_model.row_of(keep_id)
            if row is not None:
                self.plan_table.setCurrentIndex(self.plan_model.index(row, keep_column))
        elif readiness.gaps:
            self.plan_table.setCurrentIndex(self.plan_model.index(0, PlanColumn.OWNER))

        due = list(readiness.due_next)
        self.due_model.set_rows(due[:DUE_ROWS_SHOWN])
        self.due_table.setVisible(bool(due))
        self.no_due_label.setVisible(not due)
        more = len(due) - DUE_ROWS_SHOWN
        self.due_more_label.setVisible(more > 0)
        self.due_more_label.setText(f"And {more} more later dates." if more > 0 else "")
        self.since.update_from(self._session(), readiness)

        self._refit()

    def _session(self) -> Any:
        """The session given, for Since last year; None when its data is not on the page."""
        session = self.session
        if session is None or session.assessment is not self._assessment:
            return None
        return session

    def comparison_for_report(self) -> Any:
        """Since last year as the page shows it (the report prints the same), or None."""
        return self.since.comparison()

    def provenance_for_report(self) -> Any:
        """Who answered, for an assessment shared between the agency and the district (the
        full edition prints it), or None."""
        session = self._session()
        return session.provenance() if session is not None else None

    def prepare(self) -> None:
        """Bring the widgets up to date now, even while hidden (the window calls this in idle
        time, so that showing the page later is only painting it)."""
        self._refresh()

    # --- the window's Page protocol (ui/page.py) ---------------------------------------------

    def refresh(self) -> None:
        """Redraw from the session given."""
        if self.session is not None:
            self.set_data(self.session.form, self.session.assessment, self.session.readiness)

    def focus_first(self) -> None:
        self.setFocus()

    def has_idle_work(self) -> bool:
        return self._stale

    def _refit(self) -> None:
        for table in (self.gaps_table, self.plan_table, self.due_table):
            table.fit()

    # --- action plan edits -----------------------------------------------------------------

    def action_item_for(self, row: int) -> ActionItem:
        """The ActionItem for a plan row as it now stands (existing id kept, else id None)."""
        plan = self.plan_model.row_at(row)
        standard_id = plan.gap.standard.id
        items = self._assessment.action_items if self._assessment is not None else []
        existing = next((a for a in items if a.standard_id == standard_id), None)
        if existing is None:  # a new item: the step as shown
            step = plan.next_step or plan.gap.next_step
            existing = ActionItem(standard_id=standard_id)
        elif plan.next_step != plan.gap.next_step or existing.next_step.strip():
            step = plan.next_step
        else:  # the engine's step, unchanged: the item keeps none of its own
            step = existing.next_step
        return dataclasses.replace(existing, next_step=step, owner=plan.owner, person=plan.person,
                                   target_date=plan.target_date, status=plan.status)

    @Slot(int)
    def _on_row_edited(self, row: int) -> None:
        # Emitted once the cell editor has closed: the window saves and calls set_data, which
        # rebuilds the table; doing that inside the editor's own commit would pull the cell
        # out from under it.
        self._edits.append(self.action_item_for(row))
        QTimer.singleShot(0, self, self._emit_edits)

    @Slot()
    def _emit_edits(self) -> None:
        edits, self._edits = self._edits, []
        for item in edits:
            self.action_item_changed.emit(item)

    @Slot()
    def _on_fix_clicked(self) -> None:
        if self._fix_standard:
            self.fix_requested.emit(self._fix_standard)
