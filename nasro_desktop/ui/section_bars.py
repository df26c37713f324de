"""Per-section readiness bars, painted with QPainter (no chart library).

One block per section of the standards:

    1. Administration and the MOU
       Mandatory       [#########.......]  7 of 10 met
       Recommended     [#####...........]  38%

Every figure is written out as text next to its bar, so nothing depends on colour, and the
widget's accessible description says the same figures in sentences for screen readers.
Colours come from the widget's palette, so the bars are right in light and dark themes and
follow the system font (and View > Larger text) through `font()`. The painting works on
labelled groups of `Bar`s (`_groups`), so Since last year's then-and-now bars
(ui/readiness_compare.py) are the same widget over other groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from nasro_desktop.domain.results import SectionFigure
from nasro_desktop.domain.wording import GLOSSARY
from nasro_desktop.ui.style import is_dark


@dataclass(frozen=True)
class Bar:
    label: str  # "Mandatory"
    fraction: float | None  # None: nothing to measure here
    text: str  # "7 of 10 met", "38%", "None in this section"


def mandatory_text(figure: SectionFigure) -> str:
    if figure.mandatory_total == 0:
        return "No mandatory standards here"
    mark = "\u2714 " if figure.mandatory_met >= figure.mandatory_total else ""
    return f"{mark}{figure.mandatory_met} of {figure.mandatory_total} met"


def recommended_text(figure: SectionFigure) -> str:
    if figure.recommended_score is None:
        return "Nothing to score yet"
    return f"{round(figure.recommended_score)}%"


def section_heading(figure: SectionFigure) -> str:
    return f"{figure.section.number}. {figure.section.title}"


def describe(figures: Sequence[SectionFigure]) -> str:
    """The same figures as the bars, in sentences (the accessible description and tooltip)."""
    if not figures:
        return "No section figures yet."
    parts = []
    for f in figures:
        if f.mandatory_total:
            mandatory = (f"{f.mandatory_met} of {f.mandatory_total} mandatory "
                         "standards met")
        else:
            mandatory = "no mandatory standards"
        if f.recommended_score is None:
            recommended = "recommended standards not scored yet"
        else:
            recommended = f"recommended score {round(f.recommended_score)}%"
        answered = f"{f.answered} of {f.total} questions answered"
        parts.append(f"Section {section_heading(f)}: {mandatory}; {recommended}; {answered}.")
    return " ".join(parts)


class SectionBars(QWidget):
    """Two labelled bars per section: required (mandatory) standards met, and the best-practice
    (recommended) score. The tooltip says the figures in sentences and what the words mean."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._figures: tuple[SectionFigure, ...] = ()
        self.setObjectName("sectionBars")
        self.setAccessibleName("Readiness by section")
        self.setAccessibleDescription(describe(()))
        # Reachable by Tab so a screen reader user lands on it and hears the figures.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    # --- data ------------------------------------------------------------------------------

    def set_figures(self, figures: Sequence[SectionFigure]) -> None:
        self._figures = tuple(figures)
        text = describe(self._figures)
        self.setAccessibleDescription(text)
        self.setToolTip(f"{text}\n\nMandatory: {GLOSSARY['Mandatory']}\nRecommended: "
                        f"{GLOSSARY['Recommended']}")
        self.updateGeometry()
        self.update()

    # --- geometry --------------------------------------------------------------------------

    def _metrics(self) -> tuple[int, int, int]:
        """(line height, gap between blocks, padding) from the current font."""
        fm = QFontMetrics(self.font())
        line = fm.height() + max(6, fm.height() // 2)
        return line, max(8, fm.height() // 2), max(4, fm.height() // 4)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        line, gap, pad = self._metrics()
        groups = self._groups()
        height = pad * 2 + 3 * line  # the empty message
        if groups:
            lines = sum(1 + len(bars) for _, bars in groups)
            height = pad * 2 + lines * line + (len(groups) - 1) * gap
        fm = QFontMetrics(self.font())
        return QSize(fm.horizontalAdvance("M") * 50, height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = self.sizeHint()
        return QSize(QFontMetrics(self.font()).horizontalAdvance("M") * 22, hint.height())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange):
            self.updateGeometry()
            self.update()
        super().changeEvent(event)

    # --- painting --------------------------------------------------------------------------

    def _bars(self, figure: SectionFigure) -> tuple[Bar, Bar]:
        mandatory = (
            figure.mandatory_met / figure.mandatory_total if figure.mandatory_total else None
        )
        recommended = (
            None if figure.recommended_score is None else figure.recommended_score / 100.0
        )
        return (
            Bar("Mandatory", mandatory, mandatory_text(figure)),
            Bar("Recommended", recommended, recommended_text(figure)),
        )

    def _groups(self) -> list[tuple[str, Sequence[Bar]]]:
        """What is painted: a bold heading per group, then its labelled bars."""
        return [(section_heading(f) + f"   ({f.answered} of {f.total} questions answered)",
                 self._bars(f)) for f in self._figures]

    def _bar_style(self, index: int, palette: QPalette) -> tuple[QColor, QPen | None]:
        """The fill and outline of the `index`-th bar of a group."""
        return palette.color(QPalette.ColorRole.Highlight), None

    EMPTY = "No answers yet: the bars appear as you answer questions."
    WIDEST_VALUE = "No mandatory standards here"

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text_color = palette.color(QPalette.ColorRole.WindowText)
        dim_color = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
        track = palette.color(QPalette.ColorRole.Base)
        border = palette.color(QPalette.ColorRole.Mid)
        if is_dark(palette):
            border = palette.color(QPalette.ColorRole.Midlight)
        fm = QFontMetrics(self.font())
        line, gap, pad = self._metrics()
        width = self.width()
        groups = self._groups()

        if not groups:
            painter.setPen(dim_color)
            painter.drawText(
                QRectF(pad, pad, width - 2 * pad, line),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                self.EMPTY,
            )
            painter.end()
            return

        indent = fm.horizontalAdvance("MM")
        bars_all = [bar for _, bars in groups for bar in bars]
        label_w = max(fm.horizontalAdvance(b.label) for b in bars_all) + indent
        value_w = max(fm.horizontalAdvance(t) for t in
                      [b.text for b in bars_all] + [self.WIDEST_VALUE]) + fm.horizontalAdvance("M")
        bar_x = pad + indent + label_w
        bar_w = max(40, width - bar_x - value_w - 2 * pad)
        bar_h = max(8, fm.height() - 2)

        heading_font = self.font()
        heading_font.setBold(True)

        y = pad
        for heading, bars in groups:
            painter.setFont(heading_font)
            painter.setPen(text_color)
            painter.drawText(
                QRectF(pad, y, width - 2 * pad, line),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                heading,
            )
            painter.setFont(self.font())
            y += line
            for index, bar in enumerate(bars):
                painter.setPen(text_color)
                painter.drawText(
                    QRectF(pad + indent, y, label_w, line),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    bar.label,
                )
                rect = QRectF(bar_x, y + (line - bar_h) / 2, bar_w, bar_h)
                if bar.fraction is None:
                    # No bar at all: an empty track would read as "0%".
                    painter.setPen(dim_color)
                    painter.drawText(
                        QRectF(bar_x, y, bar_w + value_w, line),
                        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                        bar.text,
                    )
                else:
                    painter.setPen(QPen(border, 1))
                    painter.setBrush(track)
                    painter.drawRoundedRect(rect, 3, 3)
                    done = max(0.0, min(1.0, bar.fraction))
                    if done > 0:
                        fill, outline = self._bar_style(index, palette)
                        painter.setPen(outline if outline is not None else Qt.PenStyle.NoPen)
                        painter.setBrush(QColor(fill))
                        painter.drawRoundedRect(
                            QRectF(rect.x(), rect.y(), rect.width() * done, rect.height()), 3, 3
                        )
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.setPen(text_color)
                    painter.drawText(
                        QRectF(bar_x + bar_w + fm.horizontalAdvance("M") / 2, y, value_w, line),
                        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                        bar.text,
                    )
                y += line
            y += gap

        if self.hasFocus():
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(1, 1, width - 2, self.height() - 2))
        painter.end()
