"""File > Share with the other party: write the file for the district (or the agency), open a
file shared with you, send your copy back, and merge the copy that comes back, choosing where
the two sides differ. Nothing is merged until the user says so; Undo the last merge puts the
assessment back in one step.

The work is the Session's (session.py, store/sharing.py, domain/merge.py); this module only
asks and shows.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nasro_desktop.domain.answer_types import ANSWER_TYPES
from nasro_desktop.domain.dates import short_date
from nasro_desktop.domain.evidence import Evidence
from nasro_desktop.domain.merge import (
    Change,
    Difference,
    MergePlan,
    Side,
    choose_for_party,
    question_party,
)
from nasro_desktop.domain.model import Form, Owner
from nasro_desktop.store import sharing
from nasro_desktop.store.sharing import ChangedSinceMerge, EvidenceEdit
from nasro_desktop.ui.dialog_fit import ChoiceBox, FittedDialog, accept_and_cancel, scroll_body
from nasro_desktop.ui.file_actions import safe_name
from nasro_desktop.ui.labels import wrap_label
from nasro_desktop.ui.page import HOME

SUFFIX = ".nasro-share"
CHOOSE, KEEP_OURS, TAKE_THEIRS = "Choose…", "Keep ours", "Take theirs"
_FIELD_WORDS = {"name": "name", "school": "school", "sworn_date": "sworn", "note": "note",
                "assignment_date": "assigned", "basic_course_date": "basic course",
                "advanced_course_date": "advanced course", "next_step": "step",
                "last_annual_training": "annual training", "target_date": "target",
                "last_rapid_deployment": "rapid deployment", "probation_end": "probation ends",
                "status": "status", "owner": "owner", "enrollment": "enrollment"}


def _party_words(party: Owner) -> str:
    return {Owner.AGENCY: "the agency", Owner.DISTRICT: "the district",
            Owner.BOTH: "both"}[party]


def describe(diff: Difference, item: Any, form: Form | None) -> str:
    """One side of a difference in plain words."""
    if item is None:
        return {"answers": "(not answered)", "details": "(empty)"}.get(diff.kind, "(removed)")
    if diff.kind == "details":
        return str(item["value"])
    if diff.kind == "answers":
        value = item.get("value")
        words = "(not answered)" if value in (None, "") else str(value)
        if form is not None and form.has_question(diff.key) and value not in (None, ""):
            try:
                words = ANSWER_TYPES[form.question(diff.key).type].describe(value)
            except (KeyError, TypeError, ValueError):
                pass
        extra = [f"why: {item['na_reason']}"] if item.get("na_reason") else []
        extra += [f"note: {item['note']}"] if item.get("note") else []
        return "; ".join([words, *extra])
    other = diff.base or diff.ours or diff.theirs or {}
    changed = [k for k in item if other.get(k) != item.get(k)] or ["name"]
    return "; ".join(f"{_FIELD_WORDS.get(k, k.replace('_', ' '))}: {item.get(k) or '—'}"
                     for k in changed[:4])


def _evidence_look(item: Evidence) -> str:
    """'"Signed MOU, 2026", valid until Jun 30, 2027': what a side may edit on a file."""
    until = f"valid until {short_date(item.valid_until)}" if item.valid_until else "no end date"
    return f"\u201c{item.description}\u201d, {until}" if item.description else until


def _evidence_words(item: Evidence, form: Form | None) -> str:
    """'minutes.pdf, for the question "Is there a signed MOU…?"': the file and what it
    supports."""
    if item.kind.value == "question" and form is not None and form.has_question(item.key):
        what = f"the question \u201c{form.question(item.key).text}\u201d"
    elif item.kind.value in ("officer", "school"):
        what = "an officer" if item.kind.value == "officer" else "a school"
    else:
        what = f"standard {item.standard_id or item.key}"
    return f"{item.file_name}, for {what}"


class MergeDialog(FittedDialog):
    """Every place the two copies differ, side by side; the user settles each conflict. It
    opens inside the screen; on a small screen or with larger text its body scrolls while
    Merge and Cancel stay in view (ui/dialog_fit.py)."""

    PREFERRED = QSize(900, 560)

    def __init__(self, parent: QWidget | None, plan: MergePlan, sender: str, sender_party: Owner,
                 form: Form | None, new_evidence: list[Evidence] | None = None,
                 upgrade_to: int | None = None, next_round: bool = False,
                 evidence_edits: list[EvidenceEdit] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Merge the next round" if next_round else "Merge the returned copy")
        new_evidence = new_evidence or []
        self.plan, self.form = plan, form
        layout, outer = scroll_body(self)
        taken, kept, conflicts = plan.taken, plan.kept, plan.conflicts
        summary = QLabel(
            (f"<b>{sender}</b> shared the next round; it is merged into your copy, so your "
             "answers stay together. " if next_round else
             f"<b>{sender}</b> sent back their copy. ")
            + f"{len(taken)} change{'s' if len(taken) != 1 else ''} only they made will be taken; "
            f"{len(kept)} change{'s' if len(kept) != 1 else ''} only you made stay as they are; "
            + (f"<b>{len(conflicts)} need your choice</b>: both of you changed them."
               if conflicts else "nothing needs your choice.")
            + (f" {len(new_evidence)} evidence file{'s' if len(new_evidence) != 1 else ''} "
               "you do not have yet will be added." if new_evidence else "")
            + (f" Their copy uses version {upgrade_to} of the questions, so merging also "
               f"moves yours to version {upgrade_to}, as Upgrade the questions does (your "
               "answers go with it)." if upgrade_to else "")
            + " Nothing changes until you choose Merge; Undo the last merge puts it back.")
        summary.setWordWrap(True)
        summary.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(summary)

        self.table = QTableWidget(len(conflicts), 5, self)
        self.table.setHorizontalHeaderLabels(["Where", "As shared", "Yours", "Theirs",
                                              "Keep"])
        self.table.setAccessibleName("Answers both sides changed")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        self.choosers: dict[str, QComboBox] = {}
        for row, diff in enumerate(conflicts):
            where = f"{diff.label}" + (f" — {_party_words(diff.party)}'s part"
                                       if diff.kind == "answers" else "")
            for column, text in enumerate((where, describe(diff, diff.base, form),
                                           describe(diff, diff.ours, form),
                                           describe(diff, diff.theirs, form))):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.table.setItem(row, column, cell)
            chooser = QComboBox(self.table)
            chooser.addItems([CHOOSE, KEEP_OURS, TAKE_THEIRS])
            chooser.setAccessibleName(f"Keep which answer for: {diff.label}")
            chooser.currentIndexChanged.connect(self._update)
            holder = QWidget(self.table)  # the box keeps its own height, centred in the row
            box = QVBoxLayout(holder)
            box.setContentsMargins(4, 2, 4, 2)
            box.addWidget(chooser, 0, Qt.AlignmentFlag.AlignVCenter)
            self.table.setCellWidget(row, 4, holder)
            self.choosers[diff.ident] = chooser
        self.table.resizeRowsToContents()
        if conflicts:
            layout.addWidget(self.table, 1)
            self.take_party = QPushButton(
                f"Take theirs for all {_party_words(sender_party).removeprefix('the ')} "
                "questions", self)
            self.take_party.clicked.connect(lambda: self._take_party(sender_party))
            self.take_party.setEnabled(bool(choose_for_party(plan, sender_party, Side.THEIRS)))
            layout.addWidget(self.take_party)
        else:
            self.table.hide()

        listed = QPlainTextEdit(self)
        listed.setReadOnly(True)
        listed.setAccessibleName("Changes taken without asking")
        listed.setPlainText("\n".join(
            [f"Taken from them: {d.label}: {describe(d, d.theirs, form)}" for d in taken]
            + [f"Yours, kept: {d.label}: {describe(d, d.ours, form)}" for d in kept]
            + [f"Evidence file added: {_evidence_words(e, form)}" for e in new_evidence]
            + [f"Evidence file changed, theirs taken: {_evidence_words(e.ours, form)}: "
               f"{_evidence_look(e.theirs)}" for e in evidence_edits or [] if e.taken]
            + [f"Evidence file, kept yours (both of you changed its description or date): "
               f"{_evidence_words(e.ours, form)}: {_evidence_look(e.ours)}"
               for e in evidence_edits or [] if not e.taken])
            or "No other differences.")
        listed.setMaximumHeight(140)
        layout.addWidget(QLabel("Taken without asking (only one side changed them):", self))
        layout.addWidget(listed)
        if not conflicts:
            layout.addStretch(1)  # the words and the list together at the top, not spread out

        self.buttons, self.merge_button = accept_and_cancel(self, "Merge")
        outer.addWidget(self.buttons)
        self._update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """Room for the table first (fit_to_screen caps it at the screen)."""
        return super().sizeHint().expandedTo(self.PREFERRED)

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.table.resizeRowsToContents()  # at the width the columns really have

    def _take_party(self, party: Owner) -> None:
        for ident in choose_for_party(self.plan, party, Side.THEIRS):
            self.choosers[ident].setCurrentText(TAKE_THEIRS)

    def _update(self) -> None:
        missing = sum(1 for c in self.choosers.values() if c.currentText() == CHOOSE)
        self.merge_button.setEnabled(missing == 0)
        self.merge_button.setToolTip(
            "" if not missing else f"Choose which answer to keep for {missing} more.")

    def choices(self) -> dict[str, Side]:
        return {ident: Side.THEIRS if c.currentText() == TAKE_THEIRS else Side.OURS
                for ident, c in self.choosers.items() if c.currentText() != CHOOSE}


class ShareDialog(FittedDialog):
    """Who is sharing, under which name; for a copy shared with us, sending it back. It fits
    the screen and scrolls inside, as the other dialogs do (ui/dialog_fit.py)."""

    def __init__(self, parent: QWidget | None, *, sending_back: bool, party: Owner,
                 name: str, peer: str = "", evidence_files: int = 0,
                 evidence_bytes: int = 0) -> None:
        super().__init__(parent)
        self.setWindowTitle("Send your copy back" if sending_back else "Share with the other party")
        layout, outer = scroll_body(self)
        text = wrap_label(
            f"This writes one file with your answers for {peer or 'the other party'}. They open "
            "it in their copy of this app, answer their part, and send it back; you then merge "
            "it." if not sending_back else
            f"This writes one file with your answers for {peer}, who merges it into their "
            "copy.")
        layout.addWidget(text)
        form = QFormLayout()
        self.agency = QRadioButton("the agency (police or sheriff)", self)
        self.district = QRadioButton("the school district", self)
        (self.district if party is Owner.DISTRICT else self.agency).setChecked(True)
        parties = QVBoxLayout()  # one parent: choosing one clears the other
        for button in (self.agency, self.district):
            button.setEnabled(not sending_back)
            parties.addWidget(button)
        form.addRow("You answer for:", parties)
        self.name = QLineEdit(name, self)
        self.name.setMaxLength(200)
        self.name.setAccessibleName("Your name, as the other party will see it")
        form.addRow("Your name:", self.name)
        layout.addLayout(form)
        size = f"{evidence_bytes / 1e6:.1f} MB" if evidence_bytes >= 100_000 else \
            f"{max(1, round(evidence_bytes / 1000))} KB"
        self.with_evidence = QCheckBox(
            f"Include the evidence files ({evidence_files} file"
            f"{'s' if evidence_files != 1 else ''}, {size})" if evidence_files else
            "Include the evidence files (none are attached)", self)
        self.with_evidence.setAccessibleName("Include the evidence files")
        self.with_evidence.setAccessibleDescription(
            "Unticked, only the answers go: the evidence files stay on this computer.")
        self.with_evidence.setEnabled(evidence_files > 0)
        layout.addWidget(self.with_evidence)
        note = wrap_label("Only what you tick goes: without the tick the evidence files stay on "
                          "this computer. Files can hold personal details; send them only to "
                          "someone who may see them.", None, self)
        layout.addWidget(note)
        self.buttons, self.ok = accept_and_cancel(
            self, "Send back…" if sending_back else "Share…")
        outer.addWidget(self.buttons)

    @property
    def party(self) -> Owner:
        return Owner.DISTRICT if self.district.isChecked() else Owner.AGENCY


def share(window: Any) -> None:
    session = window.session
    if session is None:
        return
    link = session.sharing or {}
    sending_back = link.get("role") == "linked"
    party = Owner(link.get("party", Owner.AGENCY.value))
    peer = (link.get("peer") or {}).get("organisation", "") if sending_back else ""
    attached = session.store.evidence.records(session.assessment_id)
    dialog = ShareDialog(window, sending_back=sending_back, party=party,
                         name=session.assessment.prepared_by, peer=peer,
                         evidence_files=len(attached),
                         evidence_bytes=sum(e.size for e in {e.sha256: e for e in attached}.values()))
    window.share_dialog = dialog
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    a = session.assessment
    words = "returned" if sending_back else "for the other party"
    default = Path.home() / f"{safe_name(a.title) or 'assessment'} {words} {date.today():%Y-%m-%d}{SUFFIX}"
    path, _ = QFileDialog.getSaveFileName(window, dialog.windowTitle(), str(default),
                                          f"Shared assessments (*{SUFFIX});;All files (*)")
    if not path:
        return
    try:
        written = session.share(Path(path), party=dialog.party, name=dialog.name.text().strip(),
                                with_evidence=dialog.with_evidence.isChecked())
    except Exception as error:
        window.show_error("Could not write the file", error)
        return
    left_out = list(session.store.last_left_out)
    QMessageBox.information(
        window, "Sent back" if sending_back else "Shared",
        f"Saved to:\n{written}\n\nSend this file to "
        f"{'them' if sending_back else 'the other party'} (by e-mail or on a USB stick). "
        + ("" if sending_back else "When it comes back, choose File > Share with the other "
                                   "party > Merge a returned copy… in this assessment.")
        + ("\n\nLeft out, because it could not be read here: " + "; ".join(left_out)
           if left_out else ""))


def open_shared(window: Any) -> None:
    path, _ = QFileDialog.getOpenFileName(window, "Open a shared assessment", str(Path.home()),
                                          f"Shared assessments (*{SUFFIX} *.json);;All files (*)")
    if not path:
        return
    from nasro_desktop.session import Session
    try:
        sender = sharing.read_exchange(Path(path)).sender
        mine = Owner.AGENCY if sender.party is Owner.DISTRICT else Owner.DISTRICT
        try:
            session = Session.open_shared(window.store, Path(path), party=mine)
        except sharing.EarlierRoundHere as earlier:
            choice = _next_round_choice(window, earlier.title, sender.words())
            if choice == "merge":
                window.open_assessment(earlier.assessment_id)
                merge(window, Path(path))
                return
            if choice != "separate":
                return
            session = Session.open_shared(window.store, Path(path), party=mine, separate=True)
    except Exception as error:
        window.show_error("Could not open the shared assessment", error)
        return
    window.open_session(session, HOME)
    window.start.reload()
    mine_count = sum(1 for q in session.form.questions if q.standard
                     and question_party(session.form, q.id) is mine)
    window.statusBar().showMessage(
        f"Shared by {sender.words()}. {mine_count} questions are for {_party_words(mine)}; "
        "answer them, then choose File > Share with the other party > Send your copy back…", 30000)


def _next_round_choice(window: Any, title: str, sender: str) -> str:
    """"merge" (the default), "separate" or "" (cancelled)."""
    box = ChoiceBox(
        window, "The next round",
        f"This is the next round of the assessment {sender} shared with you. You already have "
        f"the earlier round, as \"{title}\".",
        "Merge it into that copy, so that your answers stay in one place? You see every "
        "difference before anything changes.")
    box.setDefaultButton(box.choice("merge", "Merge into my copy…",
                                    QMessageBox.ButtonRole.AcceptRole))
    box.choice("separate", "Open as a separate copy", QMessageBox.ButtonRole.ActionRole)
    box.setEscapeButton(box.choice("", "Cancel", QMessageBox.ButtonRole.RejectRole))
    window.next_round_box = box
    return box.ask()


def merge(window: Any, src: Path | None = None) -> None:
    session = window.session
    if session is None:
        return
    path = str(src) if src is not None else QFileDialog.getOpenFileName(
        window, "Merge a returned copy", str(Path.home()),
        f"Shared assessments (*{SUFFIX} *.json);;All files (*)")[0]
    if not path:
        return
    try:
        seen = session.merge_preview(Path(path))
    except Exception as error:
        window.show_error("Could not merge that file", error)
        return
    if not seen.changes_anything:
        QMessageBox.information(window, "Nothing to merge",
                                "Every change in that file is already in this assessment.")
        return
    dialog = MergeDialog(window, seen.plan, seen.file.sender.words(), seen.file.sender.party,
                         seen.form or session.form, seen.new_evidence, seen.upgrade_to,
                         seen.next_round, seen.evidence_edits)
    window.merge_dialog = dialog
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    try:
        merged, _outcome = session.merged(Path(path), dialog.choices())
    except Exception as error:
        window.show_error("Could not merge that file", error)
        return
    page = window.current_page
    window.open_session(merged, page)
    taken = sum(1 for d in seen.plan.differences if d.change is not Change.KEPT)
    window.statusBar().showMessage(
        f"Merged {taken} change{'s' if taken != 1 else ''} from {seen.file.sender.words()}. "
        "File > Share with the other party > Undo the last merge puts it back.", 30000)


def undo(window: Any) -> None:
    session = window.session
    if session is None:
        return
    try:
        try:
            restored = session.merge_undone()
        except ChangedSinceMerge:
            answer = QMessageBox.question(
                window, "Undo the merge",
                "You changed this assessment after the merge. Undoing the merge now also undoes "
                "those changes. Undo the merge anyway?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
            restored = session.merge_undone(force=True)
    except Exception as error:
        window.show_error("Could not undo the merge", error)
        return
    if restored is None:
        QMessageBox.information(window, "Nothing to undo",
                                "This assessment has no merge to undo.")
        return
    window.open_session(restored, window.current_page)
    window.statusBar().showMessage("The merge was undone: the assessment is as it was "
                                   "before.", 20000)


def fill(window: Any, menu: QMenu) -> None:
    """File > Share with the other party's items, as they apply to the open assessment (the
    menu is filled each time it opens, so this module loads only when it is first used)."""
    menu.clear()
    session = window.session
    link: dict[str, Any] = (session.sharing if session is not None else None) or {}
    linked = link.get("role") == "linked"
    actions: dict[str, QAction] = {}
    for key, text, slot, tip, enabled in (
        ("share", "&Send your copy back…" if linked else "&Share this assessment…", share,
         "Write a file for the other party: they answer their part and send it back.",
         session is not None),
        ("open", "&Open a shared assessment…", open_shared,
         "Open a file shared with you by the other party.", True),
        ("merge", "&Merge the next round shared with you…" if linked else
         "&Merge a returned copy…", merge,
         "Bring the other party's answers into this assessment; you choose where you differ.",
         bool(link) and link.get("role") in ("sharer", "linked")),
        ("undo", "&Undo the last merge", undo,
         "Put this assessment back as it was before the last merge.", session is not None),
    ):
        action = QAction(text, menu)
        action.setStatusTip(tip)
        action.setEnabled(enabled)
        action.triggered.connect(lambda _=False, slot=slot: slot(window))
        menu.addAction(action)
        actions[key] = action
    window.share_actions = actions
