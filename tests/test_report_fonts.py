"""Fonts and markup: any text a user types can be drawn, and none of it is lost or misread."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from nasro_desktop.report import fonts
from nasro_desktop.report.fonts import BASE, FALLBACK, markup, runs

REPO = Path(__file__).resolve().parent.parent


def style() -> ParagraphStyle:
    fonts.register_fonts()
    return ParagraphStyle("t", fontName=BASE, fontSize=9, leading=11)


def paragraph_text(para: Paragraph) -> str:
    return "".join(getattr(frag, "text", "") for frag in para.frags)


def test_bundled_fonts_and_licences_are_shipped():
    folder = fonts.fonts_dir()
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "Symbola.ttf"):
        assert (folder / name).stat().st_size > 100_000
    assert "Bitstream" in (folder / "LICENSE-DejaVu.txt").read_text()
    assert "free for any use" in (folder / "LICENSE-Symbola.txt").read_text()


def test_runs_pick_a_font_that_has_the_glyph():
    assert runs("Łukasz Nguyễn Zoë Søren Őrs ✔ ✘ ◐") == [
        (BASE, "Łukasz Nguyễn Zoë Søren Őrs ✔ ✘ ◐")
    ]
    assert runs("Car 🚓 ok") == [(BASE, "Car "), (FALLBACK, "🚓"), (BASE, " ok")]
    # a script neither font has is shown as a visible marker, never dropped silently
    assert runs("名") == [(BASE, "[U+540D]")]
    # a skin-tone modifier is dropped, its emoji kept
    assert "".join(text for _, text in runs("👮🏽")) == "👮"


def test_markup_escapes_everything_paragraph_would_read_as_tags():
    text = "A & B <b>not bold</b> \"quoted\" 'single' &amp; <br/>"
    para = Paragraph(markup(text), style())
    assert paragraph_text(para) == text
    assert all(frag.fontName == BASE for frag in para.frags)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60))
def test_any_text_becomes_valid_markup(text):
    para = Paragraph(markup(text), style())
    drawn = paragraph_text(para)
    para.wrap(200, 1000)  # parses and lays out without error
    for ch in text:
        if ch.isalnum() and ord(ch) < 0x3000 and ch in fonts.clean(text):
            assert ch in drawn or f"[U+{ord(ch):04X}]" in drawn


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="abc &<>\"'éŁő\n\t", max_size=80))
def test_latin_text_round_trips_through_markup(text):
    para = Paragraph(markup(text), style())
    # Paragraph folds runs of white space, as HTML does; every other character must survive
    assert "".join(paragraph_text(para).split()) == "".join(fonts.clean(text).split())


def test_report_package_import_is_cheap_and_renderer_has_no_qt():
    code = (
        "import sys, nasro_desktop.report as r;"
        "print('reportlab' in sys.modules);"
        "import nasro_desktop.report.renderer;"
        "print(any(m.startswith(('PySide6', 'sqlite_utils')) for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "False"]
