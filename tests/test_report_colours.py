"""Colour and type of both report editions (issue 24 §4), checked on the style table, not by
eye: WCAG 2.1 AA contrast for every text style on every background it is printed on (4.5:1,
or 3:1 for large text), 3:1 for the chart bars against the page and each other; and nothing
said by colour alone (the charts' series differ by pattern or outline and carry their numbers
in words)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from reportlab.lib import colors

from nasro_desktop.report import fonts
from nasro_desktop.report.flowables import BarChart
from nasro_desktop.report.styles import (
    CHART_GRID,
    GAP_SHADE,
    INK,
    MANDATORY_BAR,
    NAVY,
    RECOMMENDED_BAR,
    SHADE,
    build_styles,
)

WHITE = colors.white
# where text is printed: the page, the shaded rows and boxes (verdict, late targets, gaps)
BACKGROUNDS = {"page": WHITE, "shaded row": SHADE, "gap row": GAP_SHADE}


def luminance(color: colors.Color) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = color.rgb()
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: colors.Color, b: colors.Color) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def large(style) -> bool:
    """WCAG's large text: 18 pt, or 14 pt bold."""
    return style.fontSize >= 18 or (style.fontName == fonts.BOLD and style.fontSize >= 14)


def test_contrast_formula_matches_wcag_examples():
    assert contrast(colors.black, WHITE) == pytest.approx(21.0)
    assert contrast(colors.HexColor("#767676"), WHITE) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("board", [True, False], ids=["board", "full"])
def test_every_text_style_meets_aa_on_every_background(board):
    failures = []
    for name, style in build_styles(board=board).items():
        text = style.textColor
        if text == WHITE:  # header cells: white on navy
            backgrounds = {"navy header": NAVY}
        else:
            backgrounds = BACKGROUNDS
        need = 3.0 if large(style) else 4.5
        for where, background in backgrounds.items():
            ratio = contrast(text, background)
            if ratio < need:
                failures.append(f"{name} on {where}: {ratio:.2f} < {need}")
    assert failures == []


def test_inline_colours_in_the_report_meet_aa():
    """Colours written into markup (`<font color=...>`) by any report module."""
    report = Path(__file__).resolve().parents[1] / "nasro_desktop" / "report"
    found = set()
    for path in report.glob("*.py"):
        found |= set(re.findall(r"color=['\"](#[0-9A-Fa-f]{6})['\"]", path.read_text("utf-8")))
    for hex_colour in found:
        for where, background in BACKGROUNDS.items():
            ratio = contrast(colors.HexColor(hex_colour), background)
            assert ratio >= 4.5, f"{hex_colour} on {where}: {ratio:.2f}"


def test_chart_bars_stand_out_from_the_page_and_from_each_other():
    assert contrast(MANDATORY_BAR, WHITE) >= 3.0
    assert contrast(RECOMMENDED_BAR, WHITE) >= 3.0
    assert contrast(MANDATORY_BAR, RECOMMENDED_BAR) >= 3.0
    assert contrast(INK, WHITE) >= 4.5  # the bars' numbers and labels
    assert contrast(CHART_GRID, WHITE) < 3.0  # the grid is a faint guide, never the only cue


def test_the_two_charts_speak_one_colour_language(tmp_path):
    """A mandatory figure is navy and a recommended one mid blue in both charts; then and
    now differ by hatching, not colour; each bar's number is in the alt text."""
    from nasro_desktop.domain.forms import current_form
    from nasro_desktop.domain.sample import sample_assessment
    from nasro_desktop.domain.scoring import evaluate
    from nasro_desktop.report import overview
    from nasro_desktop.report.sections import Report

    form = current_form()
    a = sample_assessment(form)
    section = overview.section_chart(Report(form, a, evaluate(form, a)))
    assert section.series[0].startswith("Mandatory") and section.fills[0] == MANDATORY_BAR
    assert section.series[1].startswith("Recommended") and section.fills[1] == RECOMMENDED_BAR

    import inspect

    from nasro_desktop.report import compare

    source = inspect.getsource(compare._chart)
    assert "row_fills=[MANDATORY_BAR, RECOMMENDED_BAR]" in source
    assert "hatched=(True, False)" in source
    chart = BarChart([("Mandatory standards met", 80.0, 90.0), ("Recommended score", 50.0, None)],
                     400, font=fonts.BASE, size=9, series=("Then", "Now"),
                     fills=(MANDATORY_BAR, MANDATORY_BAR), ink=INK, grid=CHART_GRID,
                     row_fills=[MANDATORY_BAR, RECOMMENDED_BAR], hatched=(True, False))  # fmt: skip
    assert chart.fill(0, 1) == MANDATORY_BAR and chart.fill(1, 0) == RECOMMENDED_BAR
    alt = chart.alt_text()
    assert "then 80%" in alt and "now 90%" in alt and "now not applicable" in alt
