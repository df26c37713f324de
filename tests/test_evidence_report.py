"""The evidence register in both editions, read back from the real PDF: files attached
through the store to the sample (a standard, a question, an officer, a school)."""

from __future__ import annotations

import io
import os
import re
from datetime import date
from pathlib import Path

import pypdf
import pytest

from nasro_desktop.domain.evidence import evidence_due
from nasro_desktop.domain.forms import current_form
from nasro_desktop.domain.sample import sample_assessment
from nasro_desktop.domain.scoring import evaluate
from nasro_desktop.report import render_report
from nasro_desktop.report.options import ReportOptions


def _text(data: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


@pytest.fixture
def attached(store, tmp_path):
    form = current_form()
    saved = store.create_assessment(sample_assessment())
    mou_std = next(s for s in form.standards if s.number == "01.01.04")
    question = next(q for q in form.questions if q.standard and q.section == "training")
    officer = saved.officers[0]
    school = saved.schools[0]

    def real(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_bytes(b"%PDF-1.4\n% " + text.encode() + os.urandom(500))
        return path

    aid = saved.id
    items = [
        store.evidence.attach(aid, real("Signed MOU 2026.pdf", "mou"), "standard", mou_std.id,
                              description="MOU signed by both parties"),
        store.evidence.attach(aid, real("curriculum.pdf", "c"), "question", question.id),
        store.evidence.attach(aid, real(f"{officer.name} basic course.pdf", "o"), "officer",
                              str(officer.id), valid_until=date(2026, 1, 31)),
        store.evidence.attach(aid, real("floor plan.png", "s"), "school", str(school.id)),
    ]
    gone = store.evidence.attach(aid, real("old roster.pdf", "r"), "standard", mou_std.id)
    store.evidence.remove(gone.id)
    assessment = store.load_assessment(aid)
    return form, assessment, store.evidence.records(aid), items, mou_std, officer, school


def test_the_full_edition_lists_every_file_with_what_it_supports(attached):
    form, assessment, evidence, items, mou_std, officer, school = attached
    readiness = evaluate(form, assessment, None)
    text = _text(render_report(
        form,
        assessment,
        readiness,
        ReportOptions(edition="full", evidence=evidence),
    ))
    assert "Evidence register" in text
    for item in items:
        assert item.short_hash in text
    assert "Signed MOU 2026.pdf" in text and "MOU signed by both parties" in text
    assert f"01.01.04 {mou_std.title}"[:30] in text
    assert "(one question)" in text
    assert officer.name in text  # the full edition names officers
    assert school.name in text
    assert "✘ expired" in text
    assert "old roster.pdf" not in text  # removed files are not proof


def test_the_board_edition_counts_per_section_without_names(attached):
    form, assessment, evidence, items, _std, officer, _school = attached
    readiness = evaluate(form, assessment, None)
    text = _text(render_report(
        form,
        assessment,
        readiness,
        ReportOptions(edition="board", evidence=evidence),
    ))
    assert "Evidence on file" in text and "4 files kept as proof" in text
    assert "1. " in text and "Officers and schools" in text
    assert officer.name not in text and "Signed MOU 2026.pdf" not in text
    assert "Evidence register" not in text
    plain = _text(render_report(form, assessment, readiness, ReportOptions(edition="board")))
    assert "Evidence on file" not in plain  # nothing attached: the board page stays short


def test_no_evidence_says_so_in_the_full_edition(attached):
    form, assessment, *_ = attached
    text = _text(render_report(
        form,
        assessment,
        evaluate(form, assessment, None),
        ReportOptions(edition="full"),
    ))
    assert "No evidence files are attached to this assessment." in text


def test_an_expired_certificate_falls_due(attached):
    form, assessment, evidence, *_rest = attached
    due = evidence_due(evidence, assessment.as_of)
    assert [d.what for d in due] == [f"Expired: {_rest[2].name} basic course.pdf"]


def test_the_command_line_report_carries_the_register(attached, store, data_dir, tmp_path):
    from nasro_desktop.cli import main

    form, assessment, evidence, items, *_ = attached
    store_data = items[0]
    out = tmp_path / "full.pdf"
    store.close()  # as a chief would run it with the window shut
    code = main(["report", str(assessment.id), "--out", str(out), "--edition", "full",
                 "--data-dir", str(data_dir)])
    assert code == 0
    text = _text(out.read_bytes())
    assert "Evidence register" in text and store_data.short_hash in text
