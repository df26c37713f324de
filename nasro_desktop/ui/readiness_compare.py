"""The Readiness page's "Since last year": this assessment against an earlier one of the same
program (by default the one it was started from, or another picked from a list).

    Compare with [Last year's: Pine Ridge SRO program review, fall 2026 (as of …)  v]
    Mandatory standards met: 18 of 21 then, 17 of 21 now (1 fewer)
    Recommended score: 78% then, 74% now (4 points lower)
    Mandatory standards met
        Then, September 15, 2026  [##########....]  18 of 21
        Now, September 15, 2027   [#########.....]  17 of 21
    Recommended score  (the same two bars)
    ▲ Newly met (2): MOU: office space and supplies (01.01.04); …
    ▼ No longer met (1): …   ○ Still open (11): …   ✔ Action items closed since (1): …

The figures come from `domain.compare` through the session (`Session.comparable`,
`Session.compare_with`): this module never reads the store itself. The bars are painted with
QPainter from the palette (right in light, dark and high contrast) and every bar says its
figure in words, so nothing depends on colour.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSignalBlocker, Qt, Slot
from PySide6.QtGui import QColor, QPalette, QPen
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from nasro_desktop.domain.compare import (
    CannotCompare,
    Change,
    Comparison,
    StandardChange,
    program_key,
)
from nasro_desktop.domain.dates import long_date, short_date
from nasro_desktop.domain.forms import FormError
from nasro_desktop.errors import UserError
from nasro_desktop.store import StoreError
from nasro_desktop.ui.labels import wrap_label
from nasro_desktop.ui.readiness_verdict import heading_label, relative_font
from nasro_desktop.ui.section_bars import Bar, SectionBars

if TYPE_CHECKING:
    from nasro_desktop.domain.results import Readiness

NOTHING_TO_COMPARE = (
    "Nothing to compare with yet: next year, start the new assessment from this one (start "
    "screen, “Start next year's from this…”) to see what changed."
)
CHANGE_WORDS = {
    Change.NEWLY_MET: "\u25b2 Newly met",  # ▲
    Change.NO_LONGER_MET: "\u25bc No longer met",  # ▼
    Change.STILL_OPEN: "\u25cb Still open",  # ○
}


# --- the words ---------------------------------------------------------------------------


def _score(value: float | None) -> str:
    return "not scored" if value is None else f"{round(value)}%"


def mandatory_compare_text(c: Comparison) -> str:
    (m_then, t_then), (m_now, t_now) = c.mandatory_then, c.mandatory_now
    return (f"Mandatory standards met: {m_then} of {t_then} then, {m_now} of {t_now} now "
            f"({c.mandatory_change})")


def recommended_compare_text(c: Comparison) -> str:
    change = c.recommended_change
    return (f"Recommended score: {_score(c.recommended_then)} then, "
            f"{_score(c.recommended_now)} now" + (f" ({change})" if change else ""))


def standards_text(found: tuple[StandardChange, ...], kind: Change) -> str:
    """"▲ Newly met (2): MOU: office space and supplies (01.01.04); …" (plain words, the
    standard's number after)."""
    if not found:
        return f"{CHANGE_WORDS[kind]}: none"
    names = []
    for s in found:
        name = f"{s.standard.title} ({s.standard.number})"
        if kind is Change.NO_LONGER_MET and s.now is not None:
            name += f", now {s.now.label.lower()}"
        names.append(name)
    return f"{CHANGE_WORDS[kind]} ({len(found)}): " + "; ".join(names)


def closed_text(c: Comparison) -> str:
    if not c.closed_since:
        return "\u2714 Action items closed since: none"
    numbers = {s.standard.id: s.standard.number for s in c.standards}
    steps = []
    for item in c.closed_since:
        step = " ".join(item.next_step.split()) or "A step with no words"
        number = numbers.get(item.standard_id, item.standard_id)
        steps.append(f"{step} ({number})" if number else step)
    return f"\u2714 Action items closed since ({len(c.closed_since)}): " + "; ".join(steps)


def choice_label(summary: Any, predecessor: bool) -> str:
    """"Last year's, as of Sep 15, 2026: Pine Ridge SRO program review, fall 2026": which one
    and when first, so that a narrow combo box still tells them apart."""
    title = " ".join(str(summary.title).split()) or "Untitled assessment"
    when = f"as of {short_date(summary.as_of)}"
    return f"Last year's, {when}: {title}" if predecessor else f"{when[0].upper()}{when[1:]}: {title}"


# --- the chart ---------------------------------------------------------------------------


def describe(c: Comparison | None) -> str:
    if c is None:
        return "No comparison."
    return (f"Then: as of {long_date(c.then_readiness.as_of)}. Now: as of "
            f"{long_date(c.now_readiness.as_of)}. {mandatory_compare_text(c)}. "
            f"{recommended_compare_text(c)}.")


class CompareBars(SectionBars):
    """Then and now, one bar each, for the required standards met and the best-practice score
    (SectionBars' painting over other groups). Then is the palette's mid tone outlined in the
    text colour, now the highlight; each bar is labelled "Then"/"Now" with its date and carries
    its figure in words."""

    EMPTY = "Nothing to compare yet."
    WIDEST_VALUE = "not scored"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._comparison: Comparison | None = None
        self.setObjectName("compareBars")
        self.setAccessibleName("Then and now")
        self.setAccessibleDescription(describe(None))

    def set_comparison(self, comparison: Comparison | None) -> None:
        self._comparison = comparison
        text = describe(comparison)
        self.setAccessibleDescription(text)
        self.setToolTip(text)
        self.updateGeometry()
        self.update()

    def _groups(self) -> list[tuple[str, Sequence[Bar]]]:
        c = self._comparison
        if c is None:
            return []
        then_day = f"Then, {long_date(c.then_readiness.as_of)}"
        now_day = f"Now, {long_date(c.now_readiness.as_of)}"

        def met(label: str, pair: tuple[int, int]) -> Bar:
            return Bar(label, pair[0] / pair[1] if pair[1] else None, f"{pair[0]} of {pair[1]}")

        def score(label: str, value: float | None) -> Bar:
            return Bar(label, None if value is None else value / 100.0, _score(value))

        return [
            ("Mandatory standards met", (met(then_day, c.mandatory_then),
                                        met(now_day, c.mandatory_now))),
            ("Recommended score", (score(then_day, c.recommended_then),
                                     score(now_day, c.recommended_now))),
        ]

    def _bar_style(self, index: int, palette: QPalette) -> tuple[QColor, QPen | None]:
        if index == 0:  # then: shows in any theme, and apart from now without colour
            return (palette.color(QPalette.ColorRole.Mid),
                    QPen(palette.color(QPalette.ColorRole.WindowText), 1))
        return palette.color(QPalette.ColorRole.Highlight), None


# --- the part of the page ----------------------------------------------------------------


def _text_label(name: str) -> QLabel:
    """A wrapped plain-text line a keyboard can reach (Tab) and a screen reader reads."""
    label = wrap_label()
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                  | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    label.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    label.setAccessibleName(name)
    return label


class SinceLastYear(QWidget):
    """Since last year: a heading, the choice of what to compare with, the two figures then and
    now in words and as bars, and the standards that changed. One plain line when there is
    nothing to compare with."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sinceLastYear")
        self.setAccessibleName("Since last year")
        self._session: Any = None
        self._readiness: Readiness | None = None
        self._comparison: Comparison | None = None
        self._choices_of: Any = None  # (session, program) whose list the combo box holds
        self._picked: dict[int, int] = {}  # assessment id -> the one the user chose for it

        self.heading = heading_label("Since last year")
        self.explain = wrap_label(NOTHING_TO_COMPARE)
        self.explain.setAccessibleName(NOTHING_TO_COMPARE)

        self.combo = QComboBox()
        self.combo.setObjectName("compareWith")
        self.combo.setAccessibleName("Compare with")
        self.combo.setAccessibleDescription(
            "An earlier assessment of the same program to compare this one with: last year's "
            "by default.")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(20)
        self.combo.currentIndexChanged.connect(self._on_choice)
        self.combo_label = QLabel("&Compare with")
        self.combo_label.setBuddy(self.combo)
        choose = QHBoxLayout()
        choose.addWidget(self.combo_label)
        choose.addWidget(self.combo, 1)
        self.choose_row = QWidget()
        self.choose_row.setLayout(choose)
        choose.setContentsMargins(0, 0, 0, 0)

        self.note = wrap_label()
        self.mandatory_label = _text_label("Mandatory standards met, then and now")
        self.recommended_label = _text_label("Recommended score, then and now")
        for label in (self.mandatory_label, self.recommended_label):
            relative_font(label, 1.1, True)
        self.bars = CompareBars()
        self.lists = {kind: _text_label(CHANGE_WORDS[kind][2:]) for kind in CHANGE_WORDS}
        self.closed_label = _text_label("Action items closed since")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.explain)
        layout.addWidget(self.choose_row)
        layout.addWidget(self.note)
        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        for widget in (self.mandatory_label, self.recommended_label, self.bars,
                       *self.lists.values(), self.closed_label):
            details.addWidget(widget)
        layout.addWidget(self.details)
        for first, then in itertools.pairwise((self.combo, self.mandatory_label,
                                               self.recommended_label, self.bars,
                                               *self.lists.values(), self.closed_label)):
            self.setTabOrder(first, then)
        self._show(None, "")

    # --- data ------------------------------------------------------------------------------

    def comparison(self) -> Comparison | None:
        """What is shown (for the report), or None."""
        return self._comparison

    def update_from(self, session: Any, readiness: Readiness | None) -> None:
        """Compare `session`'s assessment (with `readiness`) with the one chosen; without a
        session or anything to compare with, the one plain line."""
        self._session, self._readiness = session, readiness
        if session is None or readiness is None:
            self._fill([])
            self._show(None, "")
            return
        assessment = session.assessment
        key = (session, program_key(assessment.agency, assessment.district))
        if self._choices_of != key:  # a new assessment, or its agency or district changed
            try:
                choices = session.comparable()
                before = session.predecessor_id()
            except (StoreError, OSError):
                choices, before = [], None
            self._fill([(s.id, choice_label(s, s.id == before)) for s in choices])
            self._choices_of = key
        self._compare()

    def _fill(self, choices: list[tuple[int, str]]) -> None:
        own = self._own_id()
        wanted = self._picked.get(own) if own is not None else None
        with QSignalBlocker(self.combo):
            self.combo.clear()
            for other_id, label in choices:
                self.combo.addItem(label, other_id)
            index = self.combo.findData(wanted) if wanted is not None else -1
            self.combo.setCurrentIndex(index if index >= 0 else (0 if choices else -1))
        self.combo.setToolTip(self.combo.currentText())

    def _own_id(self) -> int | None:
        session = self._session
        return None if session is None else getattr(session.assessment, "id", None)

    @Slot(int)
    def _on_choice(self, index: int) -> None:
        self.combo.setToolTip(self.combo.currentText())
        own, other = self._own_id(), self.combo.itemData(index)
        if own is not None and other is not None:
            self._picked[own] = int(other)
        self._compare()

    def _compare(self) -> None:
        other = self.combo.currentData()
        if self._session is None or other is None:
            self._show(None, "")
            return
        try:
            comparison = self._session.compare_with(int(other), self._readiness)
        except CannotCompare as error:
            self._show(None, str(error))
            return
        except (UserError, FormError, OSError):  # the store's errors among them
            self._show(None, "That assessment cannot be read, so nothing is compared. Choose "
                       "another, or open it from the start screen to see what is wrong.")
            return
        self._show(comparison, "")

    def _show(self, c: Comparison | None, problem: str) -> None:
        self._comparison = c
        has_choices = self.combo.count() > 0
        self.explain.setVisible(not has_choices)
        self.choose_row.setVisible(has_choices)
        notes = [problem] if problem else []
        if c is not None and c.then.id is not None and c.then.id == self._own_id():
            notes.append("This assessment is the earlier of the two, so it is “then” here; "
                         "the report shows what changed only on the later one.")
        if c is not None and not c.same_program:
            notes.append("Note: the agency or district differs between these two assessments; "
                         "check that they are of the same program.")
        note = " ".join(notes)
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.details.setVisible(c is not None)
        self.bars.set_comparison(c)
        if c is None:
            return
        self.mandatory_label.setText(mandatory_compare_text(c))
        self.recommended_label.setText(recommended_compare_text(c))
        for kind, label in self.lists.items():
            label.setText(standards_text(c.of(kind), kind))
        self.closed_label.setText(closed_text(c))
        for label in (self.mandatory_label, self.recommended_label, *self.lists.values(),
                      self.closed_label):
            label.setAccessibleDescription(label.text())
