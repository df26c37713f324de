"""The assessment home: where you are, what is left, and the one thing to do next.

The page an assessment opens on (and the first sidebar entry). It shows how much is answered in
each section with an estimate of the time the rest takes, the required (mandatory) items not
met yet, and one primary button, chosen by `next_step()`:

1. a brand-new assessment: "Start the interview" (and the status says "Not started");
2. questions left: "Continue where you left off" when the page last seen still has one, else
   "Next unanswered question";
3. everything answered, a mandatory item not met: "Fix the next mandatory item";
4. otherwise: "See the readiness verdict".

`open_questions()` is also what Go > Next unanswered question walks through.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nasro_desktop.domain.answers import answer_status
from nasro_desktop.domain.dates import long_date
from nasro_desktop.domain.merge import question_party
from nasro_desktop.domain.model import Owner
from nasro_desktop.domain.results import Status
from nasro_desktop.domain.scoring import unanswered_questions
from nasro_desktop.domain.wording import GLOSSARY, PLAIN_LABELS
from nasro_desktop.ui.labels import wrap_label
from nasro_desktop.ui.page import PROFILE, READINESS
from nasro_desktop.ui.style import chip, frame, set_primary
from nasro_desktop.ui.widgets import scrolling_column

if TYPE_CHECKING:
    from nasro_desktop.domain.model import Assessment, Form
    from nasro_desktop.domain.results import Readiness, StandardResult
    from nasro_desktop.session import Session

# Minutes a question usually takes: reading it, its help, and finding the answer.
MINUTES_PER_QUESTION = 0.5
GAPS_SHOWN = 6


@dataclass(frozen=True)
class OpenQuestion:
    page_id: str
    question_id: str


@dataclass(frozen=True)
class NextStep:
    text: str  # the primary button's words
    explanation: str  # one sentence under it
    page_id: str
    question_id: str | None = None


def open_questions(session: Session) -> list[OpenQuestion]:
    """The questions left (the engine's `unanswered_questions`: visible, not answered; as
    many as the section rows and "N of M answered" leave), in interview order, each with its
    page (the Profile's first: officers and schools)."""
    left = {q.id for q in unanswered_questions(session.form, session.assessment)}
    return _with_pages(session, left, profile_first=True)


def to_confirm(session: Session) -> list[OpenQuestion]:
    """Next year's copy: the answers carried over from last year and not confirmed yet (asked
    questions only): the interview's in order, then the Profile's."""
    answers = session.assessment.answers
    waiting = {q.id for q in session.form.visible_questions(answers)
               if (a := answers.get(q.id)) is not None and a.reconfirm}
    return _with_pages(session, waiting, profile_first=False)


def _with_pages(session: Session, ids: set[str], *, profile_first: bool) -> list[OpenQuestion]:
    """The questions `ids` with the page each is on, in interview order; those on no page are
    answered on the Profile."""
    on_pages = [OpenQuestion(spec.id, qid) for spec in session.pages
                for qid in spec.question_ids if qid in ids]
    paged = {q.question_id for q in on_pages}
    profile = [OpenQuestion(PROFILE, q.id) for q in session.form.questions
               if q.id in ids and q.id not in paged]
    return profile + on_pages if profile_first else on_pages + profile


def first_page_of_standard(session: Session, standard_id: str) -> str:
    return next((p.id for p in session.pages if p.standard_id == standard_id), PROFILE)


def first_unmet_question(session: Session, standard_id: str) -> str | None:
    """The standard's first visible question whose answer is not met (nor not applicable)."""
    answers = session.assessment.answers
    for spec in session.pages:
        if spec.standard_id != standard_id:
            continue
        for qid in spec.question_ids:
            question = session.form.question(qid)
            if question.is_visible(answers) and question.type.value == "status" and \
                    answer_status(question, answers.get(qid)) not in (Status.MET,
                                                                     Status.NOT_APPLICABLE):
                return qid
    return None


def next_step(session: Session, last_page: str | None = None) -> NextStep:
    """The home page's primary action (see the module doc)."""
    readiness = session.readiness
    left = open_questions(session)
    if not readiness.started:
        first = left[0] if left else None
        return NextStep("Start the interview",
                        f"{readiness.total} questions, about {minutes_text(readiness.total)}. "
                        "Stop whenever you like: every answer is saved at once.",
                        first.page_id if first else PROFILE,
                        first.question_id if first else None)
    confirm = to_confirm(session)
    if confirm:
        count = len(confirm)
        return NextStep("Confirm last year's answers",
                        f"{count} answer{'s' if count != 1 else ''} to confirm, about "
                        f"{minutes_text(count)}: each was carried over from last year; pick "
                        "it again (or change it) once you have checked it is still true.",
                        confirm[0].page_id, confirm[0].question_id)
    if left:
        here = [q for q in left if q.page_id == last_page]
        count = len(left)
        rest = f"{count} question{'s' if count != 1 else ''} left, about {minutes_text(count)}."
        if here:
            return NextStep("Continue where you left off", rest, here[0].page_id,
                            here[0].question_id)
        return NextStep("Next unanswered question", rest, left[0].page_id, left[0].question_id)
    gaps = readiness.mandatory_gaps
    if gaps:
        gap = gaps[0]
        return NextStep("Fix the next mandatory item",
                        f"{plain_item(gap)}: {gap.status.label.lower()}.",
                        first_page_of_standard(session, gap.standard.id),
                        first_unmet_question(session, gap.standard.id))
    return NextStep("See the readiness verdict",
                    "Every question is answered and every mandatory item is met.", READINESS)


def profile_figures(readiness) -> tuple[int, int]:
    """The Profile's questions (officers, schools, who took part, scope, method): (answered,
    of), the questions counted in the total that no section holds. Home's row and the
    sidebar say the same count."""
    return (readiness.answered - sum(f.answered for f in readiness.sections),
            readiness.total - sum(f.total for f in readiness.sections))


def minutes_text(questions: int) -> str:
    minutes = questions * MINUTES_PER_QUESTION
    if questions == 0:
        return "no time"
    if minutes < 1.5:
        return "a minute"  # callers say "about …"
    if minutes < 55:
        return f"{round(minutes / 5) * 5 or round(minutes)} minutes"
    half_hours = int(minutes / 30 + 0.5) / 2  # to the nearest half hour, halves up (75 -> 1.5)
    return "an hour" if half_hours <= 1 else f"{half_hours:g} hours"


def plain_item(result: StandardResult) -> str:
    """'A signed MOU between agency and district (01.01.04)': words first, the number after."""
    return f"{result.standard.title} ({result.standard.number})"


def status_words(readiness: Readiness, confirm: int = 0) -> tuple[str, str]:
    """(chip kind, words) for the assessment as a whole; `confirm`: answers carried over from
    last year not confirmed yet (they are not counted as answered in words)."""
    if not readiness.started:
        return "neutral", "○ Not started"
    if confirm:
        return "progress", (f"◐ {confirm} answer{'s' if confirm != 1 else ''} to confirm; "
                            f"{readiness.answered - confirm} of {readiness.total} confirmed")
    if readiness.open_questions:
        return "progress", (f"◐ In progress: {readiness.answered} of {readiness.total} "
                            "answered")
    if readiness.mandatory_gaps:
        count = len(readiness.mandatory_gaps)
        return "warn", (f"⚠ {count} mandatory item{'s' if count != 1 else ''} not met; every "
                        "question answered")
    return "good", "✔ All answered; every mandatory item met"


class HomePage(QWidget):
    """`set_data(form, assessment, readiness)`; `go_requested(page_id, question_id)`."""

    go_requested = Signal(str, str)  # page id, question id ("" for none)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.last_page: str | None = None
        self.step: NextStep | None = None
        self.setAccessibleName("Home")
        _scroll, body, column = scrolling_column(self, (8, 4, 12, 8), 12)
        self.title = wrap_label("", "title", body)
        self.subtitle = wrap_label("", "subtle", body)
        column.addWidget(self.title)
        column.addWidget(self.subtitle)
        self.status = QLabel(body)
        chip(self.status, "neutral")
        self.status.setAccessibleName("Where the assessment stands")
        column.addWidget(self.status, 0, Qt.AlignmentFlag.AlignLeft)
        self.shared_label = wrap_label("", None, body)  # shared with the other party (if so)
        self.shared_label.setAccessibleName("Shared with the other party")
        self.shared_label.setVisible(False)
        column.addWidget(self.shared_label)

        action, row = _card(body)
        self.primary = QPushButton("", action)
        set_primary(self.primary)
        self.primary.clicked.connect(self._go)
        row.addWidget(self.primary, 0, Qt.AlignmentFlag.AlignLeft)
        self.explanation = wrap_label("", None, action)
        row.addWidget(self.explanation)
        column.addWidget(action)

        progress, grid_box = _card(body)
        grid_box.addWidget(wrap_label("Answered so far", "heading", progress))
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(8)
        self.grid.setColumnStretch(1, 1)
        grid_box.addLayout(self.grid)
        self.total_label = wrap_label("", "subtle", progress)
        grid_box.addWidget(self.total_label)
        column.addWidget(progress)
        self.rows: dict[str, tuple[QLabel, QProgressBar, QLabel, QPushButton]] = {}
        for section in session.form.sections:
            self._add_row(section.id, f"{section.number}. {section.title}", section.title,
                          f"Open {section.title}",
                          lambda _c=False, s=section.id: self._open_section(s))
        # the questions the Profile's tables answer (officers, schools): counted in the
        # total, so the rows add up to it
        self._add_row(PROFILE, "Profile: officers and schools", "Profile", "Open the Profile",
                      lambda _c=False: self.go_requested.emit(PROFILE, ""))

        gaps, gap_box = _card(body)
        self.gaps_title = wrap_label("Mandatory items not met yet", "heading", gaps)
        self.gaps_title.setToolTip(GLOSSARY["Mandatory"])
        gap_box.addWidget(self.gaps_title)
        self.gaps_label = wrap_label("", None, gaps)
        self.gaps_label.setAccessibleName("Mandatory items not met yet")
        gap_box.addWidget(self.gaps_label)
        column.addWidget(gaps)
        column.addStretch(1)

    def _add_row(self, key: str, text: str, name: str, open_name: str, open_slot) -> None:
        """One row of "Answered so far": its name, a bar, the count in words and Open."""
        parent = self.grid.parentWidget()
        label = wrap_label(text, None, parent)
        bar = QProgressBar(parent)
        bar.setTextVisible(False)
        bar.setMaximumHeight(12)
        bar.setAccessibleName(f"{name}: answered")
        count = wrap_label("", None, parent)
        button = QPushButton("Open", parent)
        button.setAccessibleName(open_name)
        button.clicked.connect(open_slot)
        self.rows[key] = (label, bar, count, button)
        for place, widget in enumerate(self.rows[key]):
            self.grid.addWidget(widget, len(self.rows) - 1, place)

    # -- data ------------------------------------------------------------------------------

    def set_data(self, _form: Form, assessment: Assessment, readiness: Readiness) -> None:
        self.title.setText(assessment.title)
        self.subtitle.setText(f"{assessment.agency or '—'} and {assessment.district or '—'}"
                              f"  ·  {PLAIN_LABELS['as_of']} {long_date(assessment.as_of)}")
        confirm = len(to_confirm(self.session))
        kind, words = status_words(readiness, confirm)
        self.status.setText(words)
        chip(self.status, kind)
        shared = shared_words(self.session)
        self.shared_label.setText(shared)
        self.shared_label.setVisible(bool(shared))
        self.step = next_step(self.session, self.last_page)
        self.primary.setText(self.step.text)
        self.primary.setAccessibleDescription(self.step.explanation)
        self.explanation.setText(self.step.explanation)
        figures = [(f.section.id, f.answered, f.total) for f in readiness.sections]
        profile = (PROFILE, *profile_figures(readiness))
        for key, answered, total in (*figures, profile):
            name, bar, count, button = self.rows[key]
            for widget in (name, bar, count, button):
                widget.setVisible(total > 0 or key != PROFILE)
            bar.setMaximum(max(1, total))
            bar.setValue(answered)
            left = total - answered
            if total and not left:
                text = f"✔ all {total} answered"
            elif not answered:
                text = f"0 of {total} · about {minutes_text(left)}"
            else:
                text = f"{answered} of {total} · {left} left, about {minutes_text(left)}"
            count.setText(text)
            bar.setAccessibleDescription(text)
        # one estimate: the sum of the rows' (each question the same half minute)
        left = readiness.total - readiness.answered
        self.total_label.setText(
            f"In all: {readiness.answered} of {readiness.total} answered"
            + (f" ({confirm} to confirm)" if confirm else "")
            + (f"; the rest takes about {minutes_text(left)}." if left else "."))
        gaps = readiness.mandatory_gaps
        if not readiness.started:
            text = ("Not started: the mandatory items not met are listed here as you answer. "
                    "Until then every one counts as not met.")
        elif not gaps:
            text = "✔ None: every mandatory item is met."
        else:
            lines = [f"{r.status.symbol} {r.status.label}: {plain_item(r)}"
                     for r in gaps[:GAPS_SHOWN]]
            if len(gaps) > GAPS_SHOWN:
                lines.append(f"…and {len(gaps) - GAPS_SHOWN} more (see Readiness).")
            text = "\n".join(lines)
        self.gaps_title.setText(f"Mandatory items not met yet ({len(gaps)})" if gaps and
                                readiness.started else "Mandatory items not met yet")
        self.gaps_label.setText(text)

    def refresh(self) -> None:
        """Redraw from the session (the `Page` protocol, ui/page.py)."""
        s = self.session
        self.set_data(s.form, s.assessment, s.readiness)

    def focus_first(self) -> None:
        self.primary.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def _go(self) -> None:
        if self.step is not None:
            self.go_requested.emit(self.step.page_id, self.step.question_id or "")

    def _open_section(self, section_id: str) -> None:
        """The section's first open question, else its first page."""
        pages = [p.id for p in self.session.pages if p.section == section_id]
        left = [q for q in open_questions(self.session) if q.page_id in pages]
        if left:
            self.go_requested.emit(left[0].page_id, left[0].question_id)
            return
        self.go_requested.emit(pages[0] if pages else PROFILE, "")


def _card(parent: QWidget) -> tuple[QFrame, QVBoxLayout]:
    """A group of Home on the page's base colour: (the frame, its column)."""
    card = frame(QFrame(parent), "card")
    column = QVBoxLayout(card)
    column.setContentsMargins(16, 12, 16, 12)
    return card, column


def shared_words(session: Session) -> str:
    """Home's line about sharing: who shared this copy and how many questions are ours, or
    with whom it was shared; "" when it is not shared (domain/merge.py says whose part a
    question is)."""
    link = session.sharing
    if not link or link.get("role") not in ("linked", "sharer"):
        return ""
    when = link.get("shared_at", "")[:10]
    try:
        on = f" on {long_date(date.fromisoformat(when))}" if when else ""
    except ValueError:
        on = ""
    if link["role"] == "sharer":
        return (f"Shared with the other party{on}. When their copy comes back: File > Share with "
                "the other party > Merge a returned copy…")
    mine = Owner(link.get("party", Owner.DISTRICT.value))
    peer = link.get("peer") or {}
    who = peer.get("organisation") or Owner(peer.get("party", "agency")).label
    answers = session.assessment.answers
    ours = [q for q in session.form.visible_questions(answers)
            if q.standard and question_party(session.form, q.id) is mine]
    left = sum(1 for q in ours if not (answers.get(q.id) and answers[q.id].has_value))
    party = "the district" if mine is Owner.DISTRICT else "the agency"
    return (f"Shared by {who}{on}: {len(ours)} questions are for {party} ({left} still open). "
            "When you are done: File > Share with the other party > Send your copy back…")
