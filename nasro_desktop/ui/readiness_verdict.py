"""The Readiness page's verdict: the headline, the mandatory items not met, the figures in
words, and the table of mandatory gaps. Plain functions of a `Readiness` (the tests and the
page share them); the colours repeat what the symbol and word already say.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QWidget

from nasro_desktop.domain.results import Readiness, Verdict
from nasro_desktop.domain.scoring import open_questions_sentence
from nasro_desktop.domain.wording import PLAIN_LABELS
from nasro_desktop.ui.labels import wrap_label
from nasro_desktop.ui.style import chip_colour
from nasro_desktop.ui.table_model import ListTableModel

VERDICT_SYMBOL = {Verdict.READY: "\u2714", Verdict.NOT_READY: "\u2718"}


def relative_font(widget: QWidget, factor: float, bold: bool) -> None:
    """A font `factor` times the page's, so it follows View > Larger text (applied by
    ReadinessPage._apply_fonts)."""
    widget.setProperty("_fontFactor", factor)
    widget.setProperty("_fontBold", bold)


def heading_label(text: str) -> QLabel:
    """A heading of the Readiness page, named for a screen reader by its words."""
    label = wrap_label(text)
    relative_font(label, 1.25, True)
    label.setAccessibleName(text)
    return label


VERDICT_ITEMS_SHOWN = 5


def verdict_text(readiness: Readiness) -> str:
    """The verdict as a short headline with its symbol and word: "✘ Not ready: 3 required
    items not met" (the items are listed under it by `verdict_items`)."""
    if not readiness.started:
        return "\u25cb Not started: nothing is answered yet"
    gaps = len(readiness.mandatory_gaps)
    if readiness.verdict is Verdict.READY:
        return f"{VERDICT_SYMBOL[Verdict.READY]} Ready: every mandatory item is met"
    items = f"{gaps} mandatory item{'s' if gaps != 1 else ''} not met"
    return f"{VERDICT_SYMBOL[readiness.verdict]} {readiness.verdict.label}: {items}"


def verdict_items(readiness: Readiness) -> str:
    """The mandatory items not met, in plain words with their numbers after, one a line."""
    gaps = readiness.mandatory_gaps
    if not readiness.started or not gaps:
        return ""
    lines = [f"{r.status.symbol} {r.status.label}: {r.standard.title} ({r.standard.number})"
             for r in gaps[:VERDICT_ITEMS_SHOWN]]
    if len(gaps) > VERDICT_ITEMS_SHOWN:
        lines.append(f"…and {len(gaps) - VERDICT_ITEMS_SHOWN} more, listed below.")
    return "\n".join(lines)


def verdict_note(readiness: Readiness) -> str:
    """Whether the open questions could still change it ("" when none are left)."""
    if not readiness.started:
        return ("Every mandatory item counts as not met until it is answered; the Home page "
                "says where to start.")
    return open_questions_sentence(readiness.open_questions, readiness.open_can_change_verdict,
                                   readiness.open_recommended)  # fmt: skip


def mandatory_figure_text(readiness: Readiness) -> str:
    return f"Mandatory standards met: {readiness.mandatory_met} of {readiness.mandatory_total}"


def recommended_figure_text(readiness: Readiness) -> str:
    label = PLAIN_LABELS["recommended_score"]
    if readiness.recommended_score is None:
        return f"{label}: not scored yet"
    return f"{label}: {round(readiness.recommended_score)}%"


def answered_figure_text(readiness: Readiness) -> str:
    return (
        f"Questions answered: {readiness.answered} of {readiness.total} "
        f"({readiness.percent_answered}%)"
    )


STATUS_CHIP = {"met": "good", "partly": "warn", "not_met": "bad", "unknown": "neutral",
               "na": "neutral"}


def status_brush(status) -> QColor:
    """A status's colour (chip colours, for the palette in use); never the only sign."""
    return QColor(chip_colour(STATUS_CHIP.get(str(status.value), "neutral")))


# --- mandatory gaps ----------------------------------------------------------------------


class GapColumn(IntEnum):
    NUMBER = 0
    STANDARD = 1
    STATUS = 2


class GapsModel(ListTableModel):
    titles = ("Number", "Standard", "Status")

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        result = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (result.standard.number, result.standard.title,  # in GapColumn's order
                    f"{result.status.symbol} {result.status.label}")[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            details = [f.detail for f in result.findings if f.detail]
            return "\n".join(details[:8]) or None
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == GapColumn.STATUS:
            return status_brush(result.status)  # repeats the symbol and word in colour
        return None
