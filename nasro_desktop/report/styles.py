"""The report's named stylesheet, colours and the small formatting helpers every part uses.

The board edition is a printed handout: no text in it is smaller than `BOARD_MIN_SIZE` points,
and grey text is dark enough to read on a black-and-white copy.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Table

from nasro_desktop.domain import dates
from nasro_desktop.domain.model import RapidDeploymentReading
from nasro_desktop.domain.results import SectionFigure, Status
from nasro_desktop.report import fonts

INK = colors.HexColor("#1A1A1A")
NAVY = colors.HexColor("#1F3A5F")
MUTED = colors.HexColor("#555555")
DARK_MUTED = colors.HexColor("#3D3D3D")  # the board edition's grey: 10:1 on white
RULE = colors.HexColor("#A8A8A8")
SHADE = colors.HexColor("#F0F0F0")
GAP_SHADE = colors.HexColor("#DCDCDC")
# The charts' one colour language: a mandatory figure is navy, a recommended
# figure mid blue, in every chart; "then" (last year) is the same colour hatched. Each bar has
# 3:1 contrast with the white page (WCAG 2.1 AA for graphics) and with the other colour.
MANDATORY_BAR = NAVY
RECOMMENDED_BAR = colors.HexColor("#6F8DB8")
CHART_GRID = colors.HexColor("#D0D0D0")  # the 25% lines: a guide only, the numbers are printed

BOARD_MIN_SIZE = 9.0


def long_date(day: date | None) -> str:
    return "not set" if day is None else dates.long_date(day)


def short_date(day: date | None) -> str:
    return "—" if day is None else dates.short_date(day)


def percent(value: float | None) -> str:
    return "none applicable" if value is None else f"{round(value)}%"


def section_figures(fig: SectionFigure) -> list[str]:
    """What the section chart shows for a section, in words: its mandatory standards met and
    its recommended score (the findings' section lines; a board edition with no chart)."""
    mandatory = (f"{fig.mandatory_met} of {fig.mandatory_total} mandatory met"
                 if fig.mandatory_total else "no mandatory standards")
    return [mandatory, f"recommended score {percent(fig.recommended_score)}"]


def reading_label(value: str) -> str:
    try:
        return RapidDeploymentReading(value).label
    except ValueError:
        return str(value)


def status_text(status: Status) -> str:
    return f"{status.symbol} {status.label}"


def years_months(start: date, end: date) -> str:
    """'12 years 3 months' of service from `start` to `end`; never negative."""
    if end < start:
        return "none (the later date is before the earlier one)"
    return dates.service_text(start, end)


def build_styles(board: bool = False) -> dict[str, ParagraphStyle]:
    """The report's named stylesheet; `board` raises every size to at least 9 pt."""
    base = ParagraphStyle(
        "Body", fontName=fonts.BASE, fontSize=9.5, leading=13, textColor=INK, spaceAfter=4,
        bulletFontName=fonts.BASE,  # reportlab's default is an unembedded Helvetica
    )
    s: dict[str, ParagraphStyle] = {"Body": base}
    muted = DARK_MUTED if board else MUTED

    def add(name: str, parent: str = "Body", **kw: Any) -> None:
        s[name] = ParagraphStyle(name, parent=s[parent], **kw)

    add("Kicker", fontName=fonts.BOLD, fontSize=10, leading=14, textColor=muted, spaceAfter=6)
    add("Title", fontName=fonts.BOLD, fontSize=28, leading=34, textColor=NAVY, spaceAfter=8)
    add("BoardTitle", "Title", fontSize=22, leading=27, spaceAfter=4)
    add("Subtitle", fontSize=12, leading=16, textColor=muted, spaceAfter=14)
    add("H1", fontName=fonts.BOLD, fontSize=17, leading=22, textColor=NAVY, spaceBefore=0,
        spaceAfter=8)  # fmt: skip
    add("H2", fontName=fonts.BOLD, fontSize=12.5, leading=16, textColor=NAVY, spaceBefore=10,
        spaceAfter=4)  # fmt: skip
    add("H3", fontName=fonts.BOLD, fontSize=10, leading=13, spaceBefore=8, spaceAfter=3)
    add("Lead", fontSize=10.5, leading=14.5, spaceAfter=8)
    add("Small", fontSize=8.5, leading=11.5, textColor=muted)
    add("Note", fontSize=8.5, leading=11.5, leftIndent=14, spaceAfter=3)
    add("Bullet", leftIndent=14, bulletIndent=3, spaceAfter=2)
    add("Cell", fontSize=8.5, leading=11, spaceAfter=0)
    add("CellBold", "Cell", fontName=fonts.BOLD)
    add("CellRight", "Cell", alignment=TA_RIGHT)
    add("Detail", fontSize=8.5, leading=11, leftIndent=18, spaceBefore=3, spaceAfter=2)
    add("CellHead", "Cell", fontName=fonts.BOLD, textColor=colors.white)
    add("CellSmall", "Cell", fontSize=8, leading=10.5)
    add("CellSmallHead", "CellSmall", fontName=fonts.BOLD, textColor=colors.white)
    add("Verdict", fontName=fonts.BOLD, fontSize=24, leading=30, alignment=TA_LEFT, spaceAfter=2)
    add("VerdictSentence", fontSize=11.5, leading=15.5, spaceAfter=0)
    add("FigureNumber", fontName=fonts.BOLD, fontSize=20, leading=24, alignment=TA_CENTER,
        textColor=NAVY, spaceAfter=0)  # fmt: skip
    add("FigureLabel", fontSize=9, leading=11.5, alignment=TA_CENTER, textColor=muted,
        spaceAfter=0)  # fmt: skip
    add("Warning", fontName=fonts.BOLD, fontSize=10, leading=14, borderColor=INK, borderWidth=1,
        borderPadding=6, leftIndent=6, rightIndent=6, spaceBefore=10, spaceAfter=10)  # fmt: skip
    add("Question", fontName=fonts.BOLD, fontSize=8.5, leading=11.5, spaceBefore=5, spaceAfter=1)
    add("Answer", fontSize=8.5, leading=11.5, leftIndent=14, spaceAfter=1)
    add("AnswerStrong", "Answer", fontName=fonts.BOLD)
    add("SignRole", fontName=fonts.BOLD, fontSize=11, leading=14, spaceBefore=9, spaceAfter=0)
    add("Fingerprint", fontName=fonts.BOLD, fontSize=9, leading=12, textColor=INK)
    if board:
        for st in s.values():
            if st.fontSize < BOARD_MIN_SIZE:
                st.leading = round(st.leading * BOARD_MIN_SIZE / st.fontSize, 1)
                st.fontSize = BOARD_MIN_SIZE
    return s


class Fields(Table):
    """A layout table of (label, value) rows: page 1's fields, the signature lines (a Spacer
    for a value is a line to write on). The Word edition writes each row as "Label: value"."""


def layout_table(rows: list[list[Any]], widths: list[float], commands: list[tuple[Any, ...]],
                 row_heights: list[float] | None = None, fields: bool = False) -> Table:
    """A left-aligned reportlab Table for layout (page 1's fields, boxes, the signature lines)
    whose cells use the embedded font: reportlab sets each cell's font before drawing it, even
    a cell that holds a flowable, and its default is an unembedded Helvetica."""
    kind = Fields if fields else Table
    return kind(rows, colWidths=widths, rowHeights=row_heights, hAlign="LEFT",
                style=[("FONTNAME", (0, 0), (-1, -1), fonts.BASE), *commands])  # fmt: skip
