"""Issue 20 §6 on the six assessments of tests/report_fixtures.py (test_report_tagged.py checks
the sample, an empty draft and 60 officers): no page ends with a heading, no page holds a
sentence or two, and the chart is on the page of its caption, right after it; both papers."""

from __future__ import annotations

import collections
import io
import sys
from pathlib import Path

import pypdf
import pytest

from nasro_desktop.domain.forms import current_form
from nasro_desktop.domain.scoring import evaluate
from nasro_desktop.report import render_report
from nasro_desktop.report.options import ReportOptions

sys.path.insert(0, str(Path(__file__).parent))
from pdf_structure import tagged_pieces  # noqa: E402
from report_fixtures import REPORT_CASES  # noqa: E402
from test_report_tagged import _pages_and_last_tags  # noqa: E402

FORM = current_form()
CASES = [pytest.param(name, edition, paper,
                      marks=[pytest.mark.slow] if edition == "full" else [])
         for name in REPORT_CASES for edition in ("board", "full") for paper in ("letter", "a4")
         if not (name == "hostile" and edition == "full")]  # 300 pages: test_report_real_data


@pytest.mark.parametrize(("name", "edition", "paper"), CASES)
def test_pages_are_well_made_whatever_the_data(name, edition, paper):
    build, today = REPORT_CASES[name]
    a = build(FORM)
    r = evaluate(FORM, a)
    data = render_report(FORM, a, r, ReportOptions(paper=paper, edition=edition, today=today))
    pages, last, tree = _pages_and_last_tags(data)
    for page in range(pages - 1):
        assert last.get(page) not in ("H1", "H2", "H3"), f"page {page + 1} ends with a heading"
    _, _, pieces = tagged_pieces(data)
    words: collections.Counter[int] = collections.Counter()
    for page, _, _, text in pieces:
        words[page] += len(text.split())
    for page in range(pages):
        assert words[page] >= 60, f"page {page + 1} holds only {words[page]} words"
    order = tree.order
    tags = [tree.holder[k] for k in order]
    for i, key in enumerate(order):
        if tags[i] == "Figure" and i and tags[i - 1] == "Caption":
            assert order[i - 1][0] == key[0], "the chart is on another page than its caption"
    if "Caption" in tags:
        assert tags[tags.index("Caption") + 1] == "Figure"


def test_a_board_edition_past_four_pages_leaves_its_chart_to_the_full_edition():
    """Every text at its input limit and 21 mandatory gaps: on Letter the board edition would
    run to 5 pages; laid out again without its chart it keeps to 4 and says where the chart is."""
    build, today = REPORT_CASES["hostile"]
    a = build(FORM)
    r = evaluate(FORM, a)
    reader = pypdf.PdfReader(io.BytesIO(render_report(
        FORM,
        a,
        r,
        ReportOptions(edition="board", today=today),
    )))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert len(reader.pages) <= 4
    assert "The chart by section is in the full edition." in text
    assert "By section" not in text
