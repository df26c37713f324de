"""The two editions of the report, read back from the real PDF (pypdf text, pdffonts, the raw
content streams): what a board member and a file clerk would check, line by line."""

from __future__ import annotations

import copy
import dataclasses
import io
import re
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nasro_desktop.domain import wording
from nasro_desktop.domain.fingerprint import fingerprint
from nasro_desktop.domain.forms import current_form
from nasro_desktop.domain.model import ActionItem, ActionStatus, AnswerType, Owner
from nasro_desktop.domain.results import Finding, Status, SubjectKind
from nasro_desktop.domain.sample import sample_assessment
from nasro_desktop.domain.scoring import evaluate
from nasro_desktop.report import render_report
from nasro_desktop.report.options import ReportOptions

sys.path.insert(0, str(Path(__file__).parent))
from report_fixtures import AS_OF, assessment  # noqa: E402

TODAY = AS_OF + timedelta(days=3)  # printed a few days after the as-of date: not stale


def pages_of(data: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def whole(data: bytes) -> str:
    return " ".join(pages_of(data))


@pytest.fixture(scope="module")
def form():
    return current_form()


@pytest.fixture(scope="module")
def sample(form):
    a = sample_assessment(form)
    return a, evaluate(form, a)


@pytest.fixture(scope="module")
def board(form, sample):
    a, r = sample
    return render_report(form, a, r, ReportOptions(edition="board", today=TODAY))


@pytest.fixture(scope="module")
def full(form, sample):
    a, r = sample
    return render_report(form, a, r, ReportOptions(edition="full", today=TODAY))


def big(form, officers=60, schools=25):
    a = assessment(form, officers=officers, schools=schools)
    long_note = " ".join(["The principal and the officer met to review the plan."] * 12)
    for o in a.officers[::3]:
        o.note = long_note
    for sc in a.schools[::4]:
        sc.note = long_note
    return a


# --- the board edition -----------------------------------------------------------------------


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("stale", [False, True])
def test_board_edition_is_two_to_four_pages_with_everything_a_board_needs(form, sample, paper, stale):
    a, r = sample
    today = AS_OF + timedelta(days=90 if stale else 3)
    data = render_report(form, a, r, ReportOptions(edition="board", paper=paper, today=today))
    pages = pages_of(data)
    assert 2 <= len(pages) <= 4, len(pages)
    text = " ".join(pages)
    assert "NOT READY" in pages[0] and "What this means" in pages[0]
    assert f"{r.mandatory_met} of {r.mandatory_total}" in pages[0]
    # the chart stays whole with its heading: on page 1, or at the top of page 2 when who took
    # part, scope and method fill page 1
    assert "By section" in pages[0] or "By section" in pages[1][:400]
    assert "What must be done" in text and "What falls due next" in text
    for term in ("NASRO", "SRO", "MOU", "Mandatory", "Recommended"):
        assert f"{term}: {wording.GLOSSARY[term][:40]}" in text, term
    assert re.sub(r"\s+", " ", wording.DISCLAIMER) in text
    last = pages[-1]
    assert "Head of the law-enforcement agency" in last
    assert "Superintendent of the school district" in last
    assert "Acknowledged by the school board" in last and "Meeting date" in last
    for gap in r.mandatory_gaps:
        assert gap.standard.title in text
    # the full edition's parts are not in it
    assert "Appendix" not in text and "Findings by section" not in text


def test_board_edition_names_no_officer_unless_asked(form, sample, board):
    a, r = sample
    text = whole(board)
    for officer in a.officers:
        assert officer.name not in text, officer.name
        for part in officer.name.split():
            assert part not in text, part
    assert "Officer A" not in text and "Officer B" not in text  # a letter is a name (issue 20)
    assert re.search(r"\d of 3 officers", text)
    assert "personnel details" in text and "full edition" in text
    meta = pypdf.PdfReader(io.BytesIO(board)).metadata
    assert all(o.name not in str(meta) for o in a.officers)
    named = whole(render_report(
        form,
        a,
        r,
        ReportOptions(edition="board", show_names=True, today=TODAY),
    ))
    assert any(o.name in named for o in a.officers)
    assert "Officer A" not in named


def test_full_edition_names_officers_and_gives_everything(form, sample, full):
    a, r = sample
    text = whole(full)
    for officer in a.officers:
        assert officer.name in text
    for title in ("Findings by section", "Officers", "Schools", "Action plan",
                  "Items marked for review", "How this was scored",
                  "Appendix: every question and answer", "Words used in this report",
                  "Signatures"):  # fmt: skip
        assert title in text, title
    for rule in r.rules:  # the engine's own words, as given
        assert re.sub(r"\s+", " ", rule)[:80] in text


# --- truthful in every line --------------------------------------------------------------------


def test_each_printed_next_step_is_the_engines_step_for_what_failed(form, sample, full, board):
    a, r = sample
    text_full, text_board = whole(full), whole(board)
    gap_ids = {g.standard.id for g in r.gaps}
    for gap in r.gaps:
        assert re.sub(r"\s+", " ", gap.next_step)[:60] in text_full
    # a standard that is met has no step, generic or not
    for result in r.results:
        if result.standard.id not in gap_ids and result.standard.next_step not in (
            g.next_step for g in r.gaps
        ):
            assert result.standard.next_step[:60] not in text_full
            assert result.standard.next_step[:60] not in text_board


def test_no_next_step_tells_a_program_with_a_signed_mou_to_draft_one(form, sample, full):
    a, r = sample
    assert a.value("mou.exists") == "yes"
    assert "Draft a memorandum of understanding" not in whole(full)


def late_assessment(form):
    a = assessment(form)
    std = next(g.standard.id for g in evaluate(form, a).gaps)
    a.action_items = [
        ActionItem(1, std, "Send the draft to the city attorney", Owner.AGENCY,
                   AS_OF - timedelta(days=20), ActionStatus.IN_PROGRESS),
    ]  # fmt: skip
    return a, std


@pytest.mark.parametrize("edition", ["board", "full"])
def test_a_target_date_before_the_as_of_date_on_an_open_step_is_marked_late(form, edition):
    a, std = late_assessment(form)
    r = evaluate(form, a)
    text = whole(render_report(form, a, r, ReportOptions(edition=edition, today=TODAY)))
    when = (AS_OF - timedelta(days=20)).strftime("%b %-d, %Y")
    assert re.search(rf"LATE was {when}", text), text[:400]
    # the same date on a step that is done is not late
    a.action_items[0].status = ActionStatus.DONE
    r = evaluate(form, a)
    assert "LATE was" not in whole(render_report(
        form,
        a,
        r,
        ReportOptions(edition=edition, today=TODAY),
    ))


def test_stale_as_of_date_is_said_on_page_one_and_a_fresh_one_is_not(form, sample):
    a, r = sample
    stale = pages_of(render_report(
        form,
        a,
        r,
        ReportOptions(edition="board", today=AS_OF + timedelta(days=75)),
    ))
    assert "75 days before this report was made" in stale[0]
    fresh = pages_of(render_report(form, a, r, ReportOptions(edition="board", today=TODAY)))
    assert "days before this report was made" not in " ".join(fresh)
    ahead = pages_of(render_report(
        form,
        a,
        r,
        ReportOptions(edition="full", today=AS_OF - timedelta(days=10)),
    ))
    assert "which is after the day this report was made" in ahead[0]


def test_dates_after_the_as_of_date_are_flagged_and_service_is_in_years_and_months(form):
    a = assessment(form, officers=2, schools=1)
    a.officers[0].sworn_date = date(2010, 3, 1)
    a.officers[0].assignment_date = date(2023, 8, 15)
    a.officers[1].last_annual_training = AS_OF + timedelta(days=40)
    data = render_report(form, a, evaluate(form, a), ReportOptions(edition="full", today=TODAY))
    text = whole(data)
    assert "13 years 5 months of service when assigned" in text
    assert "after the Assessment date" in text
    assert "1 date to check: after the Assessment date" in text


def test_draft_below_the_threshold_and_never_above(form):
    a = assessment(form, officers=2, schools=1)
    r = evaluate(form, a)
    assert not r.is_draft
    text = whole(render_report(form, a, r, ReportOptions(edition="board", today=TODAY)))
    assert "DRAFT" not in text and ("NOT READY" in text or "READY" in text)
    # remove every answer of one mandatory standard: now a draft, on every page
    std = next(s for s in form.standards if s.cls == "mandatory" and form.questions_for(s.id))
    for q in form.questions_for(std.id):
        a.answers.pop(q.id, None)
    r = evaluate(form, a)
    assert r.is_draft
    for edition in ("board", "full"):
        pages = pages_of(render_report(form, a, r, ReportOptions(edition=edition, today=TODAY)))
        assert all("DRAFT – NOT YET ASSESSED" in p for p in pages)
        text = " ".join(pages)
        assert "NOT READY" not in text and "What must be done" not in text
        assert "By section" not in text and std.title in text
        assert 1 <= len(pages) <= (4 if edition == "board" else 60)


def test_a_section_with_nothing_answered_has_no_score_of_zero(form):
    a = dataclasses.replace(assessment(form, officers=0, schools=0, answer_all=False),
                            action_items=[])
    text = whole(render_report(
        form,
        a,
        evaluate(form, a),
        ReportOptions(edition="full", today=TODAY),
    ))
    assert "recommended score 0%" not in text
    assert "Not assessed yet: none of its" in text
    # a section with answers keeps its figures
    b = assessment(form, officers=2, schools=1)
    text = whole(render_report(
        form,
        b,
        evaluate(form, b),
        ReportOptions(edition="full", today=TODAY),
    ))
    assert "recommended score" in text and "Not assessed yet: none of its" not in text


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sets(st.integers(min_value=0, max_value=400), max_size=60))
def test_draft_state_follows_the_engine_on_random_gaps(form, dropped):
    a = assessment(form, officers=1, schools=1)
    ids = sorted(a.answers)
    for i in dropped:
        a.answers.pop(ids[i % len(ids)], None)
    r = evaluate(form, a)
    text = whole(render_report(form, a, r, ReportOptions(edition="board", today=TODAY)))
    assert ("DRAFT – NOT YET ASSESSED" in text) == r.is_draft
    assert ("What must be done" in text) == (not r.is_draft)


# --- fingerprint ----------------------------------------------------------------------------


def test_fingerprint_is_printed_on_every_page_and_in_the_metadata(form, sample, board, full):
    a, r = sample
    code = fingerprint(a, r.as_of)
    assert re.fullmatch(r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}", code)
    for data in (board, full):
        pages = pages_of(data)
        assert all(f"Data fingerprint {code}" in p for p in pages)
        assert code in pypdf.PdfReader(io.BytesIO(data)).metadata.subject


def test_fingerprint_ignores_bookkeeping_and_changes_with_the_as_of_date(form, sample):
    a, r = sample
    copy_ = copy.deepcopy(a)
    copy_.id, copy_.last_page = 99, "training"
    for answer in copy_.answers.values():
        answer.updated = None
    assert fingerprint(copy_, r.as_of) == fingerprint(a, r.as_of)
    assert fingerprint(a, r.as_of + timedelta(days=1)) != fingerprint(a, r.as_of)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fingerprint_changes_when_any_answer_changes(form, data):
    a = assessment(form, officers=2, schools=2)
    before = fingerprint(a, AS_OF)
    qid = data.draw(st.sampled_from(sorted(a.answers)))
    answer = a.answers[qid]
    change = data.draw(st.sampled_from(["value", "note", "flag", "reason", "remove"]))
    if change == "value":
        q = form.question(qid)
        if q.type == AnswerType.STATUS:
            choices = ["met", "partly", "not_met", "not_sure", "na"]
            answer.value = data.draw(st.sampled_from([c for c in choices if c != answer.value]))
        elif q.type == AnswerType.INTEGER:
            answer.value = answer.value + data.draw(st.integers(1, 50))
        elif q.type == AnswerType.DATE:
            answer.value = (date.fromisoformat(answer.value) + timedelta(days=1)).isoformat()
        else:
            answer.value = f"{answer.value} (changed)"
    elif change == "note":
        answer.note += data.draw(st.text(min_size=1, max_size=5))
    elif change == "flag":
        answer.flagged = not answer.flagged
    elif change == "reason":
        answer.na_reason += "x"
    else:
        del a.answers[qid]
    assert fingerprint(a, AS_OF) != before


def test_fingerprint_changes_with_officers_schools_and_actions(form):
    a = assessment(form)
    before = fingerprint(a, AS_OF)
    for mutate in (
        lambda x: setattr(x.officers[0], "basic_course_date", date(2024, 1, 2)),
        lambda x: setattr(x.schools[1], "enrollment", 999),
        lambda x: setattr(x.action_items[0], "status", ActionStatus.DONE),
        lambda x: setattr(x, "agency", x.agency + " "),
    ):
        b = copy.deepcopy(a)
        mutate(b)
        assert fingerprint(b, AS_OF) != before


# --- what the engine gives, printed as given -------------------------------------------------


def with_findings(readiness, standard_id, findings):
    results = tuple(
        dataclasses.replace(res, findings=tuple(findings)) if res.standard.id == standard_id else res
        for res in readiness.results
    )
    return dataclasses.replace(readiness, results=results)


def test_observations_late_work_and_met_another_way_are_printed_for_the_board(form):
    a = assessment(form, officers=0, schools=0)
    r = evaluate(form, a)
    std = r.results[0].standard.id
    r = with_findings(r, std, [
        Finding("Element a", Status.NOT_MET, "A good-practice check the program skips.",
                decides=False),
        Finding("Element b", Status.MET, "Reviewed by the school board.",
                explanation="The county attorney reviews it each spring instead."),
        Finding("Element c", Status.MET, "completed late (due by Jan 5, 2026, done Feb 1, 2026)",
                late=True),
    ])  # fmt: skip
    text = whole(render_report(form, a, r, ReportOptions(edition="full", today=TODAY)))
    assert "Observation (answer: No): A good-practice check the program skips." in text
    assert "Met another way" in text
    assert "The county attorney reviews it each spring instead." in text
    assert "completed late (due by Jan 5, 2026, done Feb 1, 2026)" in text


def test_officer_findings_are_matched_on_their_key_not_on_the_name(form):
    a = assessment(form, officers=2, schools=1)
    a.officers[0].name, a.officers[0].id = "Dan", 7
    a.officers[1].name, a.officers[1].id = "Dana Ruiz", 8
    r = evaluate(form, a)
    std = next(res.standard.id for res in r.results if res.standard.rule == "basic_course")
    # Dana's finding comes first and mentions "Dan" inside her name: only the key may match
    r = with_findings(r, std, [
        Finding("Dana Ruiz", Status.NOT_MET, "Dana Ruiz: basic course overdue.",
                due=date(2025, 1, 1), kind=SubjectKind.OFFICER, key="8"),
        Finding("Dan", Status.MET, "Dan: done.", due=date(2027, 1, 1),
                kind=SubjectKind.OFFICER, key="7"),
    ])  # fmt: skip
    text = whole(render_report(form, a, r, ReportOptions(edition="full", today=TODAY)))
    officers = text[text.index("Training status per officer") : text.index("Staffing per school")]
    dan = officers[officers.index("Dan ") : officers.index("Dana Ruiz")]
    dana = officers[officers.index("Dana Ruiz") :]
    assert "OVERDUE was due Jan 1, 2025" not in dan and "next due Jan 1, 2027" in dan
    assert "OVERDUE was due Jan 1, 2025" in dana


# --- notes once, covers, sizes ----------------------------------------------------------------


def test_a_question_note_is_printed_in_full_once(form):
    a = assessment(form, officers=1, schools=1)
    q = next(q for q in form.questions if q.type == "status" and q.standard)
    words = [f"n{i:04d}" for i in range(120)]
    a.answers[q.id].note = "UNIQUE " + " ".join(words)
    text = whole(render_report(
        form,
        a,
        evaluate(form, a),
        ReportOptions(edition="full", today=TODAY),
    ))
    assert text.count("UNIQUE") == 2  # the excerpt and the appendix
    assert text.count(words[-1]) == 1  # ...but the whole note only once
    assert "in full in the appendix" in text


def test_cover_caps_a_long_school_list_and_stays_one_page(form):
    a = big(form)
    pages = pages_of(render_report(
        form,
        a,
        evaluate(form, a),
        ReportOptions(edition="full", today=TODAY),
    ))
    assert "School 8;" in pages[0] and "and 17 more" in pages[0] and "School 9;" not in pages[0]
    assert "Executive summary" in pages[1]


def font_sizes(data: bytes) -> set[float]:
    sizes = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        content = page.get_contents().get_data().decode("latin-1")
        sizes.update(float(s) for s in re.findall(r"/F[\w+.]+ ([\d.]+) Tf", content))
    return sizes


def test_board_edition_has_no_text_under_nine_points(form, sample, board):
    sizes = font_sizes(board)
    assert sizes and min(sizes) >= 9, sorted(sizes)
    a = big(form, officers=12, schools=25)
    assert min(font_sizes(render_report(form, a, evaluate(form, a), ReportOptions(edition="board")))) >= 9


# --- layout: fonts, headers, outline ----------------------------------------------------------


def unembedded_fonts(data: bytes) -> list[str]:
    out = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            if font.get("/Subtype") == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            desc = font.get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            if not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                out.append(str(font.get("/BaseFont")))
    return out


@pytest.mark.parametrize("edition", ["board", "full"])
def test_every_font_is_embedded(form, sample, tmp_path, edition, board, full):
    data = board if edition == "board" else full
    assert unembedded_fonts(data) == []
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    assert rows
    for row in rows:
        assert "Helvetica" not in row
        assert re.search(r"\byes\s+yes\s+yes\b", row), row  # embedded, subset, unicode map


def test_table_headers_repeat_on_every_page_a_table_continues_on(form):
    a = big(form)
    pages = pages_of(render_report(
        form,
        a,
        evaluate(form, a),
        ReportOptions(edition="full", today=TODAY),
    ))
    officer_pages = [p for p in pages if re.search(r"Officer 0\d\d School \d+ sworn", p)]
    assert len(officer_pages) >= 2
    for p in officer_pages:
        assert "Officer Assigned Basic course Advanced course" in p
    school_pages = [p for p in pages if re.search(r"School \d+ [\d,]+ \d", p)]
    for p in school_pages:
        assert "School Enrollment Buildings Acreage" in p
    start = next(i for i, p in enumerate(pages) if "Findings by section" in p)
    end = next(i for i, p in enumerate(pages) if "Training status per officer" in p)
    assert end - start >= 3
    for p in pages[start : end + 1]:
        if "Findings by section" in p or "(continued) No. Standard" in p or "Officers" not in p:
            assert "No. Standard Class Status" in p  # a page the findings run over


def test_headings_are_never_left_alone_at_a_page_foot(form):
    a = big(form)
    data = render_report(form, a, evaluate(form, a), ReportOptions(edition="full", today=TODAY))
    reader = pypdf.PdfReader(io.BytesIO(data))
    headings = ("Notes on officers", "Notes on schools", "Notes on actions", "Officers",
                "Schools", "Action plan", "What falls due next", "Top actions")  # fmt: skip
    for page in reader.pages:
        lines = [ln.strip() for ln in page.extract_text().splitlines() if ln.strip()]
        body = [ln for ln in lines if not ln.startswith(("As of ", "Page ", "Riverbend"))]
        body = [ln for ln in body if "readiness report" not in ln]
        if body:
            assert body[-1] not in headings, body[-3:]


def test_viewer_shows_the_title_and_opens_the_outline_down_to_the_sections(form, full, board):
    for data in (board, full):
        reader = pypdf.PdfReader(io.BytesIO(data))
        root = reader.trailer["/Root"]
        assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712 (a PDF boolean)
        assert root["/PageMode"] == "/UseOutlines"
        assert reader.metadata.title.startswith("SRO program readiness report")
    outline = pypdf.PdfReader(io.BytesIO(full)).outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert "Findings by section" in titles and "Appendix: every question and answer" in titles
    nested = next(item for item in outline if isinstance(item, list))
    assert [x.title[:2] for x in nested] == ["1.", "2.", "3.", "4."]


def test_large_assessment_board_edition_stays_short(form):
    a = big(form)
    pages = pages_of(render_report(
        form,
        a,
        evaluate(form, a),
        ReportOptions(edition="board", today=TODAY),
    ))
    assert len(pages) <= 4, len(pages)


def test_names_are_replaced_as_whole_words_only(form):
    from nasro_desktop.report.sections import Report

    a = assessment(form, officers=2, schools=1)
    a.officers[0].name, a.officers[1].name = "Lee", "Dana Lee Ruiz"
    renderer = Report(form, a, evaluate(form, a), ReportOptions(edition="board"))
    text = renderer.anon("Enroll Officer Lee at Leeds Elementary; Dana Lee Ruiz too; Lee.")
    assert text == "Enroll [officer] at Leeds Elementary; [officer] too; [officer]."
    named = Report(form, a, evaluate(form, a), ReportOptions(edition="board", show_names=True))
    assert named.anon("Officer Lee") == "Officer Lee"


@pytest.mark.parametrize("edition", ["board", "full"])
def test_who_took_part_scope_and_method_are_printed_near_the_top_when_given(form, edition):
    from nasro_desktop.domain.model import METHOD, PARTICIPANTS, SCOPE, Answer

    a = assessment(form, officers=1, schools=1)
    for qid, text in ((PARTICIPANTS, "Chief Alvarez, Superintendent Moore and two principals"),
                      (SCOPE, "All four schools of the district"),
                      (METHOD, "Interviews and a review of the MOU binder; no site visits")):
        a.answers[qid] = Answer(qid, text)
    first = pages_of(render_report(
        form,
        a,
        evaluate(form, a),
        ReportOptions(edition=edition, today=TODAY),
    ))[0]
    for label, value in (("Who took part", a.participants), ("Scope", a.scope),
                         ("Method and limits", a.method)):  # fmt: skip
        assert f"{label} {value}" in first
