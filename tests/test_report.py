"""The readiness report: text pulled out of the real PDF proves what each page says."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from nasro_desktop.domain.forms import current_form
from nasro_desktop.domain.model import Answer, RapidDeploymentReading
from nasro_desktop.domain.sample import sample_assessment
from nasro_desktop.domain.scoring import evaluate
from nasro_desktop.report import render_report
from nasro_desktop.report.options import ReportOptions

sys.path.insert(0, str(Path(__file__).parent))
from report_fixtures import AS_OF, BAD_NAMES, assessment  # noqa: E402

SECTION_TITLES = [
    "Readiness report",
    "Executive summary",
    "Findings by section",
    "Officers",
    "Schools",
    "Action plan",
    "How this was scored",
    "Appendix: every question and answer",
    "Signatures",
]


def pdf_text(data: bytes) -> tuple[pypdf.PdfReader, list[str]]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return reader, [page.extract_text() for page in reader.pages]


def flat(text: str) -> str:
    """Extracted text with line breaks and runs of spaces folded, for phrase checks."""
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def form():
    return current_form()


@pytest.fixture(scope="module")
def sample_report(form):
    a = sample_assessment(form)
    readiness = evaluate(form, a)
    data = render_report(form, a, readiness, ReportOptions(edition="full", today=AS_OF))
    reader, pages = pdf_text(data)
    return a, readiness, data, reader, pages


def test_sample_report_has_every_part_in_order(sample_report):
    a, readiness, data, reader, pages = sample_report
    assert data.startswith(b"%PDF-")
    whole = "\n".join(pages)
    at = 0
    for title in SECTION_TITLES:  # each part appears, after the one before it
        found = whole.find(title, at)
        assert found >= 0, f"{title!r} missing after position {at}"
        at = found + len(title)


def test_cover_and_summary_give_the_verdict_on_the_first_two_pages(sample_report):
    a, readiness, data, reader, pages = sample_report
    cover, summary = flat(pages[0]), flat(pages[1])
    word = "NOT READY" if readiness.verdict == "not_ready" else "READY"
    assert word in cover
    for value in (a.agency, a.district, a.prepared_by, "September 15, 2026"):
        assert value in cover
    for school in a.schools:
        assert school.name in cover
    assert "Executive summary" in summary
    assert f"{readiness.mandatory_met} of {readiness.mandatory_total}" in summary
    assert f"{round(readiness.recommended_score)}%" in summary
    assert "Top actions" in summary and "What falls due next" in summary
    top = readiness.gaps[0]
    assert top.standard.number in summary
    # the summary is one page: the findings start on the next one
    # the glossary comes before the tables (issue 20 §4), then the findings
    assert "Words used in this report" in pages[2]
    assert "Findings by section" in pages[2] + pages[3]


def test_every_page_has_header_and_page_x_of_y(sample_report):
    a, readiness, data, reader, pages = sample_report
    total = len(pages)
    assert total >= 8
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
        assert "As of September 15, 2026" in text
        assert a.agency in text


def test_metadata_and_letter_paper(sample_report):
    a, readiness, data, reader, pages = sample_report
    assert a.agency in reader.metadata.title
    assert reader.metadata.author == a.prepared_by
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert b"DejaVuSans" in data  # the embedded font, not a built-in one


def test_a4_paper(form):
    a = sample_assessment(form)
    data = render_report(form, a, evaluate(form, a), ReportOptions(paper="a4", edition="full"))
    box = pypdf.PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    _, pages = pdf_text(data)
    text = "\n".join(pages)
    # the narrower page never breaks a class word in the findings table
    assert "Recommended" in text and "Recommende\nd" not in text
    with pytest.raises(ValueError):
        render_report(form, a, evaluate(form, a), ReportOptions(paper="legal", edition="full"))


def test_findings_show_every_standard_and_mark_mandatory_gaps_in_words(sample_report, form):
    a, readiness, data, reader, pages = sample_report
    whole = flat("\n".join(pages))
    start = whole.find("Findings by section")
    findings = whole[start : whole.find("Training status per officer", start)]
    for result in readiness.results:
        assert result.standard.title in findings, result.standard.id
    gaps = readiness.mandatory_gaps
    assert gaps, "the sample is meant to be partly compliant"
    assert findings.count("MANDATORY GAP") == len(gaps) + 1  # + the legend above the table
    for gap in gaps:
        block = findings[findings.find(gap.standard.title) :][:200]
        assert "MANDATORY GAP" in block and gap.status.symbol in block


def test_officers_schools_actions_and_scoring_pages(sample_report):
    a, readiness, data, reader, pages = sample_report
    whole = flat("\n".join(pages))
    officers = whole[whole.find("Training status per officer") : whole.find("Staffing per school")]
    for officer in a.officers:
        assert officer.name in officers
    assert "OVERDUE" in officers  # the sample has an overdue basic course
    schools = whole[whole.find("Staffing per school") :]
    for school in a.schools:
        assert school.name in schools
    plan = whole[whole.find("Every gap, most urgent first") : whole.find("How this was scored")]
    for gap in readiness.gaps:
        assert gap.standard.title in plan
    scoring = whole[whole.find("How this was scored") : whole.find("Appendix:")]
    assert "September 15, 2026" in scoring
    assert "never counts as met" in scoring
    assert RapidDeploymentReading(a.rapid_deployment_reading).label in scoring
    assert f"version {readiness.form_version}" in scoring
    for rule in readiness.rules[:3]:
        assert flat(rule)[:60] in scoring


def test_appendix_lists_every_visible_question_with_its_note(sample_report, form):
    a, readiness, data, reader, pages = sample_report
    whole = flat("\n".join(pages))
    appendix = whole[whole.find("Appendix: every question and answer") : whole.find("Signatures")]
    for q in form.questions:
        if q.is_visible(a.answers):
            assert flat(q.text_for(a.answers))[:70] in appendix, q.id
    for answer in a.answers.values():
        if answer.note.strip():
            assert flat(answer.note.strip())[:70] in appendix


def test_signature_page_names_both_roles(sample_report):
    a, readiness, data, reader, pages = sample_report
    last = flat(pages[-1])
    assert "Signatures" in last
    assert "Head of the law-enforcement agency" in last
    assert "Superintendent of the school district" in last
    assert last.count("Signature") >= 3 and last.count("Date") >= 2


def test_progress_runs_from_zero_to_one(form):
    a = sample_assessment(form)
    seen: list[float] = []
    render_report(form, a, evaluate(form, a), ReportOptions(edition="full"), progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen)
    assert len(seen) > 10


# --- bad input -----------------------------------------------------------------------------


def test_names_with_markup_characters_quotes_emoji_and_any_latin_script(form):
    a = assessment(form, officers=len(BAD_NAMES), schools=len(BAD_NAMES))
    for person, school, name in zip(a.officers, a.schools, BAD_NAMES, strict=True):
        person.name = name
        school.name = f"{name} School"
    a.agency = 'Łódź & <Søren> "County" Sheriff 🚓'
    a.prepared_by = "Zoë Ødegård-Nguyễn <it> & co"
    a.answers["mou.exists"] = Answer("mou.exists", "yes", note="Signed by Őrs & <Łukasz> 😀")
    data = render_report(form, a, evaluate(form, a), ReportOptions(edition="full"))
    reader, pages = pdf_text(data)
    whole = "\n".join(pages)
    # a skin-tone modifier has no glyph in a one-colour font: the emoji itself is kept
    for name in [*BAD_NAMES, a.agency, a.prepared_by, "Signed by Őrs & <Łukasz> 😀"]:
        expected = re.sub("[\U0001f3fb-\U0001f3ff]", "", name)
        assert expected in whole, name
    assert "&amp;" not in whole and "&lt;" not in whole and "&quot;" not in whole
    assert b"Symbola" in data  # the emoji are drawn with the fallback font
    assert reader.metadata.title.endswith(a.agency)


def test_a_20000_character_note_flows_over_pages_complete(form):
    a = assessment(form, officers=2, schools=1)
    words = [f"w{i:05d}" for i in range(3400)]
    note = "START " + " ".join(words) + " & <end> FINISH"
    assert len(note) >= 20_000
    question = next(q.id for q in form.questions if q.type == "status")
    a.answers[question].note = note
    a.officers[0].note = note
    a.schools[0].note = "x" * 20_000  # one unbroken "word": cut to fit, never lost
    a.action_items[0].note = note
    data = render_report(form, a, evaluate(form, a), ReportOptions(edition="full"))
    reader, pages = pdf_text(data)
    whole = "\n".join(pages)
    tokens = set(re.findall(r"w\d{5}", whole))
    assert tokens == set(words)
    # the question's note is printed in full once (appendix); the officer's, school's and
    # action's notes once each where they belong
    assert whole.count("FINISH") == 3 and "& <end>" in whole
    assert "in full in the appendix" in whole
    assert sum(len(run) for run in re.findall(r"x{10,}", whole)) == 20_000


def test_a_hundred_officers_and_forty_schools(form):
    a = assessment(form, officers=100, schools=40)
    data = render_report(form, a, evaluate(form, a), ReportOptions(edition="full"))
    reader, pages = pdf_text(data)
    whole = "\n".join(pages)
    for n in range(1, 101):
        assert f"Officer {n:03d}" in whole
    for n in range(1, 41):
        assert re.search(rf"\bSchool {n}\b", whole)
    total = len(pages)
    assert f"Page {total} of {total}" in pages[-1]


def test_nothing_answered_gives_a_draft_with_no_verdict(form):
    a = assessment(form, officers=0, schools=0, answer_all=False)
    a.action_items = []
    a.agency = a.district = a.prepared_by = ""
    readiness = evaluate(form, a)
    assert readiness.is_draft
    data = render_report(form, a, readiness, ReportOptions(edition="full"))
    reader, pages = pdf_text(data)
    cover, whole = flat(pages[0]), flat("\n".join(pages))
    assert "DRAFT – NOT YET ASSESSED" in cover
    assert "NOT READY" not in whole and "READY" not in whole.replace("ALREADY", "")
    assert f"0 of {readiness.total}" in cover
    assert "What is left to answer" in flat(pages[1])
    for result in readiness.unassessed_mandatory:
        assert result.standard.title in whole
    assert "Action plan" not in whole and "Top actions" not in whole
    assert "By section" not in whole  # no chart of zero bars
    assert "No officers entered yet" in whole and "No schools entered yet" in whole
    assert "Not answered" in whole
    assert "not for signature" in flat(pages[-1])
    for page in pages:
        assert "DRAFT – NOT YET ASSESSED" in flat(page)


def test_report_renders_to_images(tmp_path, sample_report):
    """Every page becomes a picture (poppler); look at them in /tmp when changing the layout."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    a, readiness, data, reader, pages = sample_report
    pdf = tmp_path / "sample.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "p")], check=True)
    images = sorted(tmp_path.glob("p-*.png"))
    assert len(images) == len(pages)
    assert all(image.stat().st_size > 1000 for image in images)


def test_as_of_changes_what_is_overdue(form):
    a = sample_assessment(form)
    early = evaluate(form, a, AS_OF.replace(year=2025))
    data = render_report(form, a, early, ReportOptions(edition="full"))
    reader, pages = pdf_text(data)
    assert "As of September 15, 2025" in pages[0]
