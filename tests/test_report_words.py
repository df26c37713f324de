"""Issue 20 §4: the report says what it is, in the app's words, read back from the PDF.

"Mandatory"/"Recommended"/"Recommended score"/"Assessment date" as in the window; a glossary
before the tables that defines every term the board pages use; the verdict box without the
"still open" sentence printed under it; "it cannot change the verdict" never said of a
recommended question; page 1 counts the officers and schools from the data.
"""

from __future__ import annotations

import io
import re
import sys
from datetime import timedelta
from pathlib import Path

import pypdf
import pytest

from nasro_desktop.domain import wording
from nasro_desktop.domain.forms import current_form
from nasro_desktop.domain.model import Answer, AnswerType, StandardClass
from nasro_desktop.domain.scoring import evaluate, open_questions
from nasro_desktop.report import render_report
from nasro_desktop.report.options import ReportOptions

sys.path.insert(0, str(Path(__file__).parent))
from report_fixtures import REPORT_CASES, large_assessment  # noqa: E402

FORM = current_form()
# the words the app no longer uses for NASRO's classes and the Assessment date ("best practices"
# stays: it is in the document's title)
OLD_WORDS = re.compile(r"\bRequired\b|(?i:required item|best[- ]practice(?!s)|dates judged|"
                       r"as-of date)")


def pages_of(data: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text()) for p in pypdf.PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def board():
    cache: dict[tuple[str, str], list[str]] = {}

    def get(name: str, paper: str = "letter") -> list[str]:
        if (name, paper) not in cache:
            build, today = REPORT_CASES[name]
            a = build(FORM)
            cache[name, paper] = pages_of(render_report(
                FORM,
                a,
                evaluate(FORM, a),
                ReportOptions(paper=paper, edition="board", today=today),
            ))
        return cache[name, paper]

    return get


def glossary_and_rest(text: str) -> tuple[str, str]:
    """The board edition's glossary (from its heading to the next part) and the text around it."""
    start = text.index("Words used in this report")
    ends = [text.find(h, start) for h in ("What must be done", "What is left to answer")]
    end = min(e for e in ends if e > 0)
    return text[start:end], text[:start] + " " + text[end:]


@pytest.mark.parametrize("name", list(REPORT_CASES))
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_the_glossary_comes_before_the_tables_and_defines_every_term_the_board_uses(
        board, name, paper):  # fmt: skip
    text = " ".join(board(name, paper))
    glossary, rest = glossary_and_rest(text)
    assert text.index("Words used in this report") < min(
        i for i in (text.find("What must be done"), text.find("What is left to answer"),
                    text.find("What falls due next")) if i >= 0)  # fmt: skip
    used = wording.terms_used(rest)
    assert {"Mandatory", "Assessment date", "NASRO"} <= set(used)
    for term in used:
        assert f"{term}: {wording.GLOSSARY[term][:30]}" in glossary, (name, term)


def test_the_board_glossary_defines_the_terms_the_issue_names(board):
    """Rapid-deployment training, basic and advanced course, probation review, Partly met,
    Assessment date and the recommended score: used on these pages, so defined."""
    glossary, _ = glossary_and_rest(" ".join(board("hostile")))
    for term in ("Rapid-deployment training", "Basic SRO course", "Advanced SRO course",
                 "Probation review", "Partly met", "Assessment date", "Recommended score"):
        assert f"{term}:" in glossary, term
    glossary, _ = glossary_and_rest(" ".join(board("sample")))
    assert "Met another way:" not in glossary  # nothing met another way: not defined


@pytest.mark.parametrize("name", list(REPORT_CASES))
def test_the_board_edition_says_mandatory_recommended_and_assessment_date(board, name):
    text = " ".join(board(name))
    assert OLD_WORDS.findall(text) == []
    if name != "empty_draft":
        assert "recommended score" in text.lower() and "Assessment date" in text


def test_the_full_edition_says_mandatory_recommended_and_assessment_date():
    build, today = REPORT_CASES["sample"]
    a = build(FORM)
    a.officers[0].last_annual_training = today  # after the Assessment date: flagged
    text = " ".join(pages_of(render_report(
        FORM,
        a,
        evaluate(FORM, a),
        ReportOptions(edition="full", today=today),
    )))  # fmt: skip
    assert OLD_WORDS.findall(text) == []
    assert "Recommended score" in text and "after the Assessment date" in text
    assert text.index("Words used in this report") < text.index("Findings by section")


def test_the_verdict_box_does_not_repeat_the_still_open_sentence(board):
    for name in ("sample", "next_year", "not_ready_10"):
        first = board(name)[0]
        assert first.count("still open") <= 1, name
        assert first.count("is answered") <= 1, name


def recommended_open_only():
    """Every question answered but one of a recommended standard."""
    build, _ = REPORT_CASES["ready_80_days"]
    a = build(FORM)
    q = next(q for q in FORM.questions if q.type == AnswerType.STATUS and q.standard
             and FORM.standard(q.standard).cls == StandardClass.RECOMMENDED
             and not q.observation and a.answers.get(q.id) is not None)  # fmt: skip
    del a.answers[q.id]
    return a


def test_cannot_change_the_verdict_is_never_said_of_a_recommended_question():
    a = recommended_open_only()
    r = evaluate(FORM, a)
    still = open_questions(FORM, a)
    assert still and all(FORM.standard(q.standard).cls != StandardClass.MANDATORY for q in still)
    assert r.open_recommended == r.open_questions == len(still)
    assert "cannot change the verdict" not in r.verdict_sentence  # the window shows this one
    for edition in ("board", "full"):
        text = " ".join(pages_of(render_report(FORM, a, r, ReportOptions(edition=edition))))
        assert "cannot change the verdict" not in text, edition
        assert "none of them can change the verdict" not in text, edition
        assert "1 question of a recommended standard is still open: it counts for the " \
               "recommended score only" in text, edition


def test_a_mandatory_question_still_open_says_whether_it_can_change_the_verdict():
    build, _ = REPORT_CASES["ready_80_days"]
    a = build(FORM)
    q = next(q for q in FORM.questions if q.type == AnswerType.STATUS and q.standard
             and FORM.standard(q.standard).cls == StandardClass.MANDATORY
             and not q.observation and a.answers.get(q.id) is not None)  # fmt: skip
    a.answers[q.id] = Answer(q.id, None)
    text = " ".join(pages_of(render_report(
        FORM,
        a,
        evaluate(FORM, a),
        ReportOptions(edition="board"),
    )))
    assert "1 question that counts for the verdict is still open; answering it could change " \
           "the verdict" in text


def test_page_one_counts_the_officers_and_schools_from_the_data():
    a = large_assessment(FORM)
    a.answers["profile.scope"] = Answer("profile.scope", "About 40 schools and 12 officers")
    r = evaluate(FORM, a)
    for edition in ("board", "full"):
        first = pages_of(render_report(FORM, a, r, ReportOptions(edition=edition)))[0]
        assert "60 officers and 25 schools, as listed in the app" in first, edition


@pytest.mark.parametrize("name", list(REPORT_CASES))
def test_page_one_figures_add_up(board, name):
    """"N of M questions answered" and the open-question sentences account for every
    unanswered question: those that decide, those of recommended standards only, and those
    that never count (the document's examples and notes)."""
    build, _ = REPORT_CASES[name]
    a = build(FORM)
    r = evaluate(FORM, a)
    page = board(name)[0]
    assert f"{r.answered} of {r.total}" in page
    if "What this means" not in page:  # a draft lists what is left to answer instead
        assert "What is left to answer" in page
        return
    said = 0
    for n in re.findall(r"(\d+) questions? (?:that counts? for the verdict|of (?:a )?recommended "
                        r"standards?) (?:is|are) still open", page):
        said += int(n)
    assert said == r.open_questions
    uncounted = r.total - r.answered - r.open_questions
    if uncounted:
        assert re.search(rf"\b{uncounted} more questions? (?:is|are) unanswered that never counts",
                         page), page
    else:
        assert "unanswered that never counts" not in page


@pytest.mark.parametrize("name", list(REPORT_CASES))
@pytest.mark.parametrize("weeks_late", [0, 12])
def test_no_word_of_the_board_edition_is_broken_across_lines(name, weeks_late):
    """A narrow cell must never split a word ("Assessme / nt"): the board's action table says
    what PASSED means above it and prints only the date in the cell. Also printed 12 weeks
    after the fixture's day, when the sample's targets have passed."""
    build, today = REPORT_CASES[name]
    a = build(FORM)
    options = ReportOptions(edition="board", today=today + timedelta(weeks=weeks_late))
    data = render_report(FORM, a, evaluate(FORM, a), options)
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        lines = page.extract_text().splitlines()
        assert not [line for line in lines if re.search(r"\bAssessme$|^nt date", line.strip())]
