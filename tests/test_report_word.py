"""The Word edition (issue 24 §3): opened with python-docx, both editions on Letter and A4, for
the sample, an empty draft and a 60-officer assessment; the same words, gaps, names rule and
fingerprint as the PDF; and, when LibreOffice is installed, converted to PDF to be looked at."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import timedelta
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from nasro_desktop.cli import main
from nasro_desktop.domain.forms import current_form
from nasro_desktop.domain.model import StandardClass
from nasro_desktop.domain.sample import sample_assessment
from nasro_desktop.domain.scoring import evaluate
from nasro_desktop.report import render_report, render_word

sys.path.insert(0, str(Path(__file__).parent))
from pdf_structure import tagged_text  # noqa: E402
from report_fixtures import AS_OF, assessment, hostile_assessment  # noqa: E402

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


def text_of(document: docx.document.Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    section = document.sections[0]
    parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    parts += [shape._inline.docPr.get("descr") or "" for shape in document.inline_shapes]
    return " ".join(" ".join(parts).split())


def mandatory_gaps(readiness) -> list[str]:
    return sorted({g.standard.number for g in readiness.gaps
                   if g.standard.cls == StandardClass.MANDATORY})


@pytest.mark.parametrize("edition", ["board", "full"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("case", CASES)
def test_word_edition_has_headings_header_rows_alt_text_and_every_gap(form, cases, case, paper,
                                                                     edition):  # fmt: skip
    a, r = cases[case]
    data = render_word(form, a, r, ReportOptions(paper=paper, edition=edition, today=TODAY))
    document = docx.Document(io.BytesIO(data))
    styles = [p.style.name for p in document.paragraphs]
    assert "Title" in styles and "Heading 1" in styles or "Heading 2" in styles
    assert document.core_properties.title.startswith("SRO program readiness report")
    assert document.core_properties.language == "en-US"
    defaults = document.styles.element.find(qn("w:docDefaults"))  # every run's language
    assert defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:val")) \
        == "en-US"
    width = document.sections[0].page_width.pt
    assert round(width) == (612 if paper == "letter" else 595)
    for table in document.tables:  # every table's first row is a header row repeated on each page
        first = table.rows[0]._tr
        assert first.find(docx.oxml.ns.qn("w:trPr")) is not None
        assert first.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None
        assert all(run.bold for cell in table.rows[0].cells for p in cell.paragraphs
                   for run in p.runs if run.text.strip())  # fmt: skip
    pictures = document.inline_shapes
    if not r.is_draft:
        assert len(document.tables) >= 1
        assert len(pictures) >= 1, "the section chart"
    for shape in pictures:
        alt = shape._inline.docPr.get("descr")
        assert alt and "%" in alt, "a chart without its numbers in words"
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = package.read("word/document.xml").decode()
    assert "txbxContent" not in body, "text in a text box"
    if r.is_draft:
        assert "List Bullet" in styles, "what is left to answer is a bulleted list"
    # every mandatory gap of the PDF is in the Word file, and every word a screen reader gets
    pdf = render_report(form, a, r, ReportOptions(paper=paper, edition=edition, today=TODAY))
    pdf_text, _ = tagged_text(pdf)
    word_text = text_of(document)
    for number in mandatory_gaps(r):
        if number in pdf_text:
            assert number in word_text
    assert a.agency in word_text and r.as_of.year and evaluate  # the header names the agency
    figure_words = {"0%", "25%", "50%", "75%", "100%", "•"}  # the axis; a list marker is a style
    lower = word_text.lower()
    missing = {w for w in pdf_text.split() if w.lower() not in lower and w not in figure_words}
    assert not missing, sorted(missing)[:20]


def test_board_word_edition_keeps_the_names_rule_and_the_fingerprint(form, cases):
    a, r = cases["60 officers"]
    board = text_of(docx.Document(io.BytesIO(render_word(
        form,
        a,
        r,
        ReportOptions(edition="board", today=TODAY),
    ))))  # fmt: skip
    full = text_of(docx.Document(io.BytesIO(render_word(
        form,
        a,
        r,
        ReportOptions(edition="full", today=TODAY),
    ))))  # fmt: skip
    from nasro_desktop.domain.fingerprint import fingerprint

    code = fingerprint(a, r.as_of)
    assert code in board and code in full
    named = [o.name for o in a.officers]
    assert not [n for n in named if re.search(rf"\b{re.escape(n)}\b", board)]
    assert all(n in full for n in named[:5])


def test_a_stale_report_says_so_in_word_too(form, cases):
    a, r = cases["sample"]
    late = render_word(
        form,
        a,
        r,
        ReportOptions(edition="board", today=r.as_of + timedelta(days=80)),
    )
    text = text_of(docx.Document(io.BytesIO(late)))
    assert "80 days before this report was made" in text


@pytest.mark.parametrize("edition", ["board", pytest.param("full", marks=pytest.mark.slow)])
def test_hostile_texts_at_their_limits_never_stop_the_word_edition(form, edition):
    """An agency name at its input limit made a title past Word's 255-character limit for a
    document property: python-docx refused it and no Word edition could be made."""
    a = hostile_assessment(form)
    data = render_word(form, a, evaluate(form, a), ReportOptions(edition=edition, today=TODAY))
    document = docx.Document(io.BytesIO(data))
    title = document.core_properties.title
    assert title.startswith("SRO program readiness report") and title.endswith("…")
    assert len(title) == 255
    assert "Riverbend Police Department" in text_of(document)


def test_cli_writes_a_word_report(tmp_path, data_dir, capsys):
    out = tmp_path / "board.docx"
    assert main(["report", "--sample", "--out", str(out)]) == 0
    assert "Word document" in capsys.readouterr().out
    document = docx.Document(str(out))
    assert any(p.style.name == "Title" for p in document.paragraphs)
    pdf = tmp_path / "board.pdf"
    assert main(["report", "--sample", "--out", str(pdf), "--format", "pdf"]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    forced = tmp_path / "report.out"
    assert main(["report", "--sample", "--out", str(forced), "--format", "docx"]) == 0
    assert zipfile.is_zipfile(forced)


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["board", "full"])
def test_libreoffice_opens_the_word_edition(form, cases, tmp_path, edition):
    """LibreOffice converts the file to PDF (as a clerk opening it would see it); the pages
    are kept as PNGs in the test's folder to be looked at."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: the Word edition is not converted")
    a, r = cases["sample"]
    source = tmp_path / f"{edition}.docx"
    source.write_bytes(render_word(form, a, r, ReportOptions(edition=edition, today=TODAY)))
    profile = tmp_path / "lo-profile"
    run = subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                          "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                         capture_output=True, timeout=300)  # fmt: skip
    converted = tmp_path / f"{edition}.pdf"
    if not converted.exists() and b"could not be loaded" in run.stdout + run.stderr:
        pytest.skip("LibreOffice is installed without Writer (libreoffice-writer-nogui): "
                    "it cannot open a .docx")
    import pypdf

    reader = pypdf.PdfReader(converted)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Readiness report" in text and "Signatures" in text
    assert len(reader.pages) >= (2 if edition == "board" else 8)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "50", str(converted), str(tmp_path / edition)],
                       check=True)  # fmt: skip
