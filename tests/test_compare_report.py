"""Since last year through the session (which assessments can be compared, the comparison
itself) and in both editions of the report, read back from the real PDF."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pypdf
import pytest
from compare_fixtures import next_year

from nasro_desktop.domain.compare import Change, program_key
from nasro_desktop.report import render_report
from nasro_desktop.report.options import ReportOptions
from nasro_desktop.session import Session, since_predecessor

OUT = Path(__file__).resolve().parent.parent / "out" / "reports"
TODAY = date(2027, 9, 20)


def pages_of(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


def figures(c) -> tuple[str, str]:
    (m_then, t_then), (m_now, t_now) = c.mandatory_then, c.mandatory_now
    return (f"{m_then} of {t_then} then, {m_now} of {t_now} now",
            f"{round(c.recommended_then)}% then, {round(c.recommended_now)}% now")


# --- the session -----------------------------------------------------------------------------


def test_the_predecessor_is_offered_first_and_other_programs_never(store):
    pair = next_year(store)
    other = Session.create(store, agency="Elm County Sheriff", district="Elm USD",
                           prepared_by="X", as_of=date(2026, 1, 1))
    twin = store.start_next_year(pair.last.assessment_id, date(2026, 12, 1))
    assert pair.now.predecessor_id() == pair.last.assessment_id
    assert pair.last.predecessor_id() is None
    offered = [s.id for s in pair.now.comparable()]
    assert offered[0] == pair.last.assessment_id  # the one it was started from, first
    assert twin.id in offered and other.assessment_id not in offered
    assert pair.now.assessment_id not in offered
    assert [s.id for s in other.comparable()] == []
    store.delete_assessment(twin.id)  # recently deleted: not offered
    assert twin.id not in [s.id for s in pair.now.comparable()]


def test_compare_with_the_predecessor_names_what_changed(store):
    pair = next_year(store)
    c = pair.now.compare_with(pair.last.assessment_id)
    assert c.then.id == pair.last.assessment_id and c.now is pair.now.assessment
    assert pair.newly_met in {s.standard.id for s in c.of(Change.NEWLY_MET)}
    assert [i.next_step for i in c.closed_since] == [pair.closed.next_step]
    assert c.mandatory_then == (pair.last.readiness.mandatory_met,
                                pair.last.readiness.mandatory_total)
    # an edit afterwards shows at once (the earlier one is judged once, this one each time)
    pair.now.set_answer(next(iter(pair.now.assessment.answers)), None)
    again = pair.now.compare_with(pair.last.assessment_id)
    assert again.now_readiness is pair.now.readiness
    assert again.then_readiness is c.then_readiness


def test_since_predecessor_for_the_cli_report(store):
    pair = next_year(store)
    now = pair.now
    c = since_predecessor(store, now.assessment, now.readiness)
    assert c is not None and c.then.id == pair.last.assessment_id
    assert since_predecessor(store, pair.last.assessment, pair.last.readiness) is None
    unsaved = dataclasses.replace(now.assessment, id=None)
    assert since_predecessor(store, unsaved, now.readiness) is None


def test_the_cli_report_has_since_last_year_for_a_saved_next_year(store, data_dir, tmp_path):
    """`nasro-desktop report ID` opens the data read-only (the window may have it open) and
    prints the part when the assessment was started from another; not for the first year."""
    from nasro_desktop.cli import main

    pair = next_year(store)
    now_pdf, last_pdf = tmp_path / "now.pdf", tmp_path / "last.pdf"
    assert main(["report", str(pair.now.assessment_id), "--data-dir", str(data_dir),
                 "--out", str(now_pdf)]) == 0
    assert main(["report", str(pair.last.assessment_id), "--data-dir", str(data_dir),
                 "--out", str(last_pdf)]) == 0
    assert "Since last year" in " ".join(pages_of(now_pdf.read_bytes()))
    assert "Since last year" not in " ".join(pages_of(last_pdf.read_bytes()))


def test_program_key_ignores_case_and_spaces():
    assert program_key(" Pine  Ridge PD", "PRUSD ") == program_key("pine ridge pd", "prusd")
    assert program_key("Pine Ridge PD", "A") != program_key("Pine Ridge PD", "B")


# --- the report ------------------------------------------------------------------------------


@pytest.fixture
def rendered(store):
    pair = next_year(store)
    s = pair.now
    c = s.compare_with(pair.last.assessment_id)
    board = render_report(
        s.form,
        s.assessment,
        s.readiness,
        ReportOptions(edition="board", comparison=c, today=TODAY),
    )
    full = render_report(
        s.form,
        s.assessment,
        s.readiness,
        ReportOptions(edition="full", comparison=c, today=TODAY),
    )
    plain = render_report(
        s.form,
        s.assessment,
        s.readiness,
        ReportOptions(edition="board", today=TODAY),
    )
    return pair, c, board, full, plain


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_board_edition_gives_the_figures_then_and_now_in_four_pages(rendered, paper):
    pair, c, board, _full, plain = rendered
    if paper == "a4":
        s = pair.now
        board = render_report(
            s.form,
            s.assessment,
            s.readiness,
            ReportOptions(edition="board", paper="a4", comparison=c, today=date(2028, 3, 1)),
        )  # and printed late
    pages = pages_of(board)
    assert 2 <= len(pages) <= 4, len(pages)
    text = " ".join(pages)
    mandatory, best = figures(c)
    assert "Since last year" in text
    assert f"Mandatory standards met: {mandatory}" in text
    assert f"Recommended score: {best}" in text
    newly = pair.now.form.standard(pair.newly_met)
    assert f"{newly.title} ({newly.number})" in text
    assert "Then, as of Sep 15, 2026" in text and "Now, as of Sep 15, 2027" in text  # the chart
    assert f"Action items closed since: {len(c.closed_since)}" in text
    assert pair.closed.next_step not in text  # the board edition counts them; the full lists
    assert "Head of the law-enforcement agency" in pages[-1]  # signatures still last
    assert "Since last year" not in " ".join(pages_of(plain))


def test_full_edition_lists_every_standard_and_the_closed_items(rendered):
    pair, c, _board, full, _plain = rendered
    text = " ".join(pages_of(full))
    mandatory, _best = figures(c)
    assert "Since last year" in text and "Standard by standard" in text
    assert f"{c.mandatory_then[0]} of {c.mandatory_then[1]}" in text
    newly = pair.now.form.standard(pair.newly_met)
    assert re.search(rf"▲ Newly met {re.escape(newly.number)} {re.escape(newly.title[:20])}",
                     text)
    for s in c.of(Change.STILL_OPEN):
        assert s.standard.title[:25] in text
    assert "Action items closed since" in text
    assert " ".join(pair.closed.next_step.split())[:40] in text
    outline = [item.title for item in pypdf.PdfReader(io.BytesIO(full)).outline
               if not isinstance(item, list)]
    assert "Since last year" in outline


def test_no_part_for_the_earlier_one_nor_a_draft(store):
    pair = next_year(store)
    last = pair.last
    c = pair.now.compare_with(last.assessment_id)
    data = render_report(
        last.form,
        last.assessment,
        last.readiness,
        ReportOptions(edition="full", comparison=c, today=TODAY),
    )
    assert "Since last year" not in " ".join(pages_of(data))
    now = pair.now
    for q in now.form.questions:  # no answer at all: a draft has no figures to compare
        now.assessment.answers.pop(q.id, None)
    from nasro_desktop.domain.scoring import evaluate

    draft = evaluate(now.form, now.assessment)
    assert draft.is_draft
    c = dataclasses.replace(c, now_readiness=draft)
    data = render_report(
        now.form,
        now.assessment,
        draft,
        ReportOptions(edition="board", comparison=c, today=TODAY),
    )
    assert "Since last year" not in " ".join(pages_of(data))


def test_report_pages_as_pictures(rendered, tmp_path):
    """Both editions' Since-last-year pages as PNG (out/reports/) for people to look at."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    _pair, _c, board, full, _plain = rendered
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in (("board", board), ("full", full)):
        page = next(i for i, text in enumerate(pages_of(data), 1) if "Since last year" in text
                    and "Compared with" in text)
        pdf = tmp_path / f"{name}.pdf"
        pdf.write_bytes(data)
        stem = OUT / f"since-last-year-{name}"
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", str(page),
                        "-l", str(page), str(pdf), str(stem)], check=True)
        assert stem.with_suffix(".png").stat().st_size > 10_000
