"""The tagged PDF (issue 24): the structure tree walked with pikepdf for both editions, on
Letter and A4, for the sample, an empty draft and a 60-officer assessment; what a screen reader
reads (the tree's order) against what a sighted reader sees; outline entries and their pages."""

from __future__ import annotations

import collections
import re
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from nasro_desktop.domain.forms import current_form
from nasro_desktop.domain.sample import sample_assessment
from nasro_desktop.domain.scoring import evaluate
from nasro_desktop.report import render_report

sys.path.insert(0, str(Path(__file__).parent))
from pdf_structure import outline_pages, problems, tagged_pieces, tagged_text, walk  # noqa: E402
from report_fixtures import AS_OF, assessment  # noqa: E402

from nasro_desktop.report.options import ReportOptions

TODAY = AS_OF + timedelta(days=3)
CASES = ("sample", "empty draft", "60 officers")


@pytest.fixture(scope="module")
def form():
    return current_form()


@pytest.fixture(scope="module")
def cases(form):
    sample = sample_assessment(form)
    empty = assessment(form, officers=0, schools=0, answer_all=False)
    big = assessment(form, officers=60, schools=25)
    return {name: (a, evaluate(form, a)) for name, a in
            zip(CASES, (sample, empty, big), strict=True)}


@pytest.mark.parametrize("edition", ["board", "full"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("case", CASES)
def test_structure_tree_holds_every_page_piece(form, cases, case, paper, edition):
    a, r = cases[case]
    data = render_report(form, a, r, ReportOptions(paper=paper, edition=edition, today=TODAY))
    assert problems(data) == []
    import io

    import pikepdf

    pdf = pikepdf.open(io.BytesIO(data))
    tree = walk(pdf)
    tags = collections.Counter(tag for tag, _ in tree.elements)
    assert tags["H1"] >= 1 and tags["P"] > 10
    if not r.is_draft:
        assert tags["Figure"] >= 1, "the section chart is a Figure"
        assert tags["Table"] >= 1 and tags["TH"] >= 3
    if r.is_draft:
        assert tags["L"] >= 1 and tags["LI"] >= 1, "what is left to answer is a list"


def test_figure_alt_text_gives_the_chart_numbers_in_words(form, cases):
    import io

    import pikepdf

    a, r = cases["sample"]
    data = render_report(form, a, r, ReportOptions(edition="board", today=TODAY))
    pdf = pikepdf.open(io.BytesIO(data))  # kept open while its objects are read
    tree = walk(pdf)
    alts = [str(e.Alt) for tag, e in tree.elements if tag == "Figure"]
    assert alts
    for figure in r.sections:
        assert f"{figure.section.number}. " in alts[0]
    assert "mandatory standards met" in alts[0] and "%" in alts[0]


def test_the_repeated_header_row_is_header_cells_on_every_page(form, cases):
    """A table that runs over pages repeats its header row; each page's part is a Table whose
    first row is TH cells, and the "(continued)" line is an artifact, not a new heading."""
    import io

    import pikepdf

    a, r = cases["60 officers"]
    data = render_report(form, a, r, ReportOptions(edition="full", today=TODAY))
    pdf = pikepdf.open(io.BytesIO(data))
    tree = walk(pdf)
    tables = [e for tag, e in tree.elements if tag == "Table"]
    assert len(tables) > 6
    for table in tables:
        first_row = table.K[0]
        assert str(first_row.S) == "/TR"
        assert all(str(cell.S) == "/TH" for cell in first_row.K)
    text, artifacts = tagged_text(data)
    assert "(continued)" in artifacts
    assert "(continued)" not in text


@pytest.mark.parametrize("page", [0, 1])
def test_screen_reader_order_matches_what_a_sighted_reader_sees(form, cases, page):
    """The sample's pages 1 and 2: the text in the tree's order has the same words as the
    page (pdftotext) less the running header and footer, and goes as the eye goes: each piece
    starts below the one before, or beside it to the right (the next cell of a row)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    a, r = cases["sample"]
    data = render_report(form, a, r, ReportOptions(edition="board", today=TODAY))
    tree_text, artifacts = tagged_text(data, [page])
    seen = subprocess.run(["pdftotext", "-f", str(page + 1), "-l", str(page + 1), "-", "-"],
                          input=data, capture_output=True, check=True).stdout.decode()
    seen_words = collections.Counter(seen.split()) - collections.Counter(artifacts.split())
    assert collections.Counter(tree_text.split()) == seen_words
    _, _, pieces = tagged_pieces(data, [page])
    assert len(pieces) > 20
    for (_, x0, y0, before), (_, x1, y1, text) in zip(pieces, pieces[1:], strict=False):
        assert y1 <= y0 + 1 or x1 > x0 + 5, f"{text!r} is read after {before!r}"


def test_status_glyphs_have_words_beside_them(form, cases):
    """✔ ✘ ◐ never stand alone in the text a screen reader reads: a word ("Met", "OVERDUE")
    or the count they mark ("✔ 2" SROs assigned) follows each."""
    a, r = cases["60 officers"]
    text, _ = tagged_text(render_report(form, a, r, ReportOptions(edition="full", today=TODAY)))
    words = text.split()
    for i, word in enumerate(words[:-1]):
        if word in ("✔", "✘", "◐"):
            after = words[i + 1].strip("(),.:;")
            assert after.isalpha() or after.isdigit(), f"{word} then {words[i + 1]}"


@pytest.mark.parametrize("edition", ["board", "full"])
def test_outline_entries_go_to_their_own_pages(form, cases, edition):
    a, r = cases["sample"]
    data = render_report(form, a, r, ReportOptions(edition=edition, today=TODAY))
    import io

    import pypdf

    entries = outline_pages(data)
    assert len({page for _, page in entries}) > 2, entries
    reader = pypdf.PdfReader(io.BytesIO(data))
    for title, page in entries:
        if title in ("Cover", "Verdict and figures"):
            assert page == 1
            continue
        assert title.split(" (")[0] in " ".join(reader.pages[page - 1].extract_text().split()), title


def test_pdfinfo_says_tagged(form, cases):
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    a, r = cases["sample"]
    data = render_report(form, a, r, ReportOptions(edition="board", today=TODAY))
    out = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout
    assert b"Tagged:          yes" in out


def test_the_checker_finds_untagged_content():
    """The walker is not a rubber stamp: an untagged reportlab PDF fails it."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, "Hello")
    canvas.save()
    found = problems(buffer.getvalue())
    assert "no /StructTreeRoot" in found
    assert any("outside the structure" in p for p in found)


def test_right_to_left_names_are_drawn_in_order_and_read_in_logical_order(form):
    """A Hebrew and an Arabic officer's name: drawn right to left (the content stream holds
    them in visual order, Arabic letters joined), read by a screen reader in logical order
    (the element's /ActualText), and typed in logical order in the Word edition."""
    import io

    import docx
    import pikepdf
    from report_fixtures import assessment as make

    from nasro_desktop.report import render_word

    a = make(form, officers=3)
    a.officers[0].name = "שרה כהן"
    a.officers[1].name = "محمد العلي"
    r = evaluate(form, a)
    data = render_report(form, a, r, ReportOptions(edition="full", today=TODAY))
    assert problems(data) == []
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    boxes = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=data, capture_output=True,
                           check=True).stdout.decode()  # fmt: skip
    words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)</word>', boxes)
    lines: dict[str, list[tuple[float, str]]] = collections.defaultdict(list)
    for x, y, word in words:
        lines[y].append((float(x), word))
    # as drawn, left to right: "כהן" then "שרה", each letter run turned round (read right to left)
    named = [sorted(line) for line in lines.values() if any(w == "הרש" for _, w in line)]
    assert named
    for line in named:
        order = [w for _, w in line if w in ("ןהכ", "הרש")]
        assert order == ["ןהכ", "הרש"], order
    assert "\ufeaa\ufee4\ufea4\ufee3" in boxes  # محمد, joined forms, drawn right to left
    pdf = pikepdf.open(io.BytesIO(data))
    actual = [str(e.ActualText) for _, e in walk(pdf).elements if "/ActualText" in e]
    assert "שרה כהן" in actual and "محمد العلي" in actual
    word = docx.Document(io.BytesIO(render_word(
        form,
        a,
        r,
        ReportOptions(edition="full", today=TODAY),
    )))
    cells = " ".join(c.text for t in word.tables for row in t.rows for c in row.cells)
    assert "שרה כהן" in cells and "محمد العلي" in cells


def _pages_and_last_tags(data: bytes):
    import io

    import pikepdf

    pdf = pikepdf.open(io.BytesIO(data))
    tree = walk(pdf)
    last: dict[int, str] = {}
    for key in tree.order:
        last[key[0]] = tree.holder[key]
    return len(pdf.pages), last, tree


@pytest.mark.parametrize("edition", ["board", "full"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("case", CASES)
def test_no_stranded_heading_no_one_sentence_page_no_chart_apart_from_its_caption(
        form, cases, case, paper, edition):  # fmt: skip
    """Issue 20 §6: no page ends with a heading (A4's "Acknowledged by the school board"), no
    page holds a sentence or two (a table's last row, a signature line), and the chart is on
    the page of its caption, right after it."""
    a, r = cases[case]
    data = render_report(form, a, r, ReportOptions(paper=paper, edition=edition, today=TODAY))
    pages, last, tree = _pages_and_last_tags(data)
    for page in range(pages - 1):
        assert last.get(page) not in ("H1", "H2", "H3"), f"page {page + 1} ends with a heading"
    _, _, pieces = tagged_pieces(data)
    words = collections.Counter()
    for page, _, _, text in pieces:
        words[page] += len(text.split())
    for page in range(pages):
        assert words[page] >= 60, f"page {page + 1} holds only {words[page]} words"
    order = tree.order
    for i, key in enumerate(order):
        if tree.holder[key] == "Figure" and i and tree.holder[order[i - 1]] == "Caption":
            assert order[i - 1][0] == key[0], "the chart is on another page than its caption"
    if not r.is_draft:
        tags = [tree.holder[k] for k in order]
        assert "Caption" in tags and tags[tags.index("Caption") + 1] == "Figure"
