"""The appendix (every question, its answer and its note in full), the glossary, the
disclaimer and the signature block.

Each part is a function of the `Report` (sections.py) that returns flowables.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from reportlab.lib.units import inch
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
)

from nasro_desktop.domain import wording
from nasro_desktop.domain.answer_types import ANSWER_TYPES
from nasro_desktop.domain.answers import CHOICE_STATUS
from nasro_desktop.domain.dates import parse_date
from nasro_desktop.domain.forms import PROFILE_SECTION
from nasro_desktop.domain.model import (
    Answer,
    AnswerType,
    Choice,
    Question,
)
from nasro_desktop.report import fonts
from nasro_desktop.report.flowables import (
    BarChart,
    HeadedList,
    PlainText,
    Row,
)
from nasro_desktop.report.fonts import markup
from nasro_desktop.report.sections import CHUNK, CUT_NAME, NOT_ANSWERED, PAGE_ONE_NAME, Report
from nasro_desktop.report.styles import (
    INK,
    layout_table,
    long_date,
)


def answer_text(report: Report, question: Question, answer: Answer | None) -> str:
    """The answer in words (plain text, not markup)."""
    a = report.assessment
    if question.type == AnswerType.OFFICERS:
        return f"{len(a.officers)} officers: see the Officers page."
    if question.type == AnswerType.SCHOOLS:
        return f"{len(a.schools)} schools: see the Schools page."
    if answer is None or not answer.has_value:
        return NOT_ANSWERED
    value = answer.value
    if question.type == AnswerType.STATUS:
        try:
            choice = Choice(value)
        except ValueError:
            return wording.choice_label(value)
        return f"{CHOICE_STATUS[choice].symbol} {wording.choice_label(choice)}"
    text = ANSWER_TYPES[question.type].describe(value)
    if question.type == AnswerType.DATE:
        day = parse_date(value)
        if day is not None and day > report.readiness.as_of:
            return f"{text} (⚠ after the Assessment date: not counted)"
    return text


def appendix(report: Report) -> list[Flowable]:
    answers = report.assessment.answers
    story = report.heading("Appendix: every question and answer", intro=(
        "Each question as it was asked, with the answer and its note in full. Questions "
        "that did not apply, given earlier answers, are listed as not asked."))
    groups: list[tuple[str, list[Question]]] = []
    profile = report.form.questions_in(PROFILE_SECTION)
    if profile:
        groups.append(("Profile", profile))
    seen = {q.id for q in profile}
    for section in report.form.sections:
        qs = report.form.questions_in(section.id)
        seen.update(q.id for q in qs)
        if qs:
            groups.append((f"{section.number}. {section.title}", qs))
    rest = [q for q in report.form.questions if q.id not in seen]
    if rest:
        groups.append(("Other questions", rest))
    for title, questions in groups:
        blocks: list[Flowable] = []
        for q in questions:
            blocks += question_block(report, q, answers)
        story.append(HeadedList(None, blocks, lead=[report.para(markup(title), "H2")]))
    story += details_in_full(report)
    return story


def details_in_full(report: Report) -> list[Flowable]:
    """The assessment's title, agency, district and preparer, when page 1 had to cut one."""
    a = report.assessment
    long = [(label, value) for label, value in (
        ("Assessment", a.title), ("Agency", a.agency), ("School district", a.district),
        ("Prepared by", a.prepared_by)) if len(" ".join(value.split())) > PAGE_ONE_NAME]
    if not long:
        return []
    items = [f for label, value in long for f in report.user_texts(value, "Note", f"{label}: ")]
    return [HeadedList(None, items, lead=[report.para("The assessment's details", "H2")])]


def question_block(report: Report, q: Question, answers: dict[str, Answer]) -> list[Flowable]:
    ref = report.question_ref(q)
    ref = f"{ref} · " if ref else ""
    try:
        text = q.text_for(answers)
        visible = q.is_visible(answers)
    except Exception:  # a condition that cannot be judged: show the default wording
        text, visible = q.text, True
    answer = answers.get(q.id)
    lines: list[str] = []
    strong = False
    if not visible and not (answer and answer.has_value):
        lines.append("Not asked: did not apply, given earlier answers.")
    else:
        shown = answer_text(report, q, answer)
        strong = shown == NOT_ANSWERED
        lines.append(f"Answer: {shown}")
    if answer is not None:
        if answer.na_reason.strip():
            why = "Explanation" if answer.value == Choice.ALTERNATE else "Why not applicable"
            lines.append(f"{why}: {answer.na_reason.strip()}")
        if answer.flagged:
            lines.append("Marked for review.")
        if answer.reconfirm:
            lines.append("Carried forward from an earlier assessment: to be re-confirmed.")
    st = report.styles
    has_note = answer is not None and bool(answer.note.strip())
    segments = [
        (ref + fonts.clean(text), st["Question"], True),
        (fonts.clean("\n".join(lines)), st["AnswerStrong" if strong else "Answer"], has_note),
    ]
    if has_note:
        assert answer is not None  # has_note says there is one
        segments.append(("Note: " + fonts.clean(answer.note.strip()), st["Note"], False))
    if all(len(seg[0]) <= CHUNK for seg in segments) and all(
            fonts.base_only(seg[0]) for seg in segments):  # fmt: skip
        return [PlainText(segments=segments)]
    # some character needs the fallback font: Paragraphs, which can switch fonts mid-line
    question = report.user_text(text, "Question", prefix=ref)
    question.keepWithNext = True
    out: list[Flowable] = [question]
    for seg in segments[1:]:
        out += report.user_texts(seg[0], seg[1].name)
    out[1].keepWithNext = True
    return out

# -- glossary, disclaimer, signatures --


def glossary(report: Report, terms: list[str] | None = None) -> list[Flowable]:
    """"Words used in this report", before the tables: `terms` (the board edition: the ones
    its pages use, see `story_words`), or every term (the full edition)."""
    chosen = [(k, v) for k, v in wording.GLOSSARY.items() if terms is None or k in terms]
    if not chosen:
        return []
    style = "Small" if report.board else "Body"
    items = [report.para(f"<b>{markup(term)}</b>: {markup(text)}", style)
             for term, text in chosen]  # fmt: skip
    heading = report.heading("Words used in this report", style="H2")
    if terms is None:
        return [HeadedList(None, items, lead=heading)]
    # two columns: the board edition's glossary is a few lines, not a page
    half = (report.width - 12) / 2
    pairs = [items[i : i + 2] + [Spacer(1, 1)] * (2 - len(items[i : i + 2]))
             for i in range(0, len(items), 2)]  # fmt: skip
    grid = layout_table(pairs, [half + 12, half], [("VALIGN", (0, 0), (-1, -1), "TOP"),
                                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                                   ("RIGHTPADDING", (0, 0), (-1, -1), 12),
                                                   ("TOPPADDING", (0, 0), (-1, -1), 0),
                                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 2)])  # fmt: skip
    return [KeepTogether([*heading, grid])]


def about_this_report(report: Report) -> Flowable:
    return KeepTogether(
        [
            report.para("About this report", "H2"),
            report.para(markup(wording.DISCLAIMER), "Body"),
            report.para(f"The standards: {markup(wording.DOCUMENT)}.", "Body"),
        ]
    )


def signatures(report: Report) -> list[Flowable]:
    a = report.assessment
    if report.draft:
        return [
            report.para("Signatures", "H2"),
            report.para(
                "This draft is not for signature: the report gives a verdict, and room to "
                "sign, once every mandatory standard has at least one answer.",
                "Body",
            ),
        ]
    story: list[Flowable] = [
        *report.heading("Signatures", style="H2"),
        report.para(
            "By signing, the head of the law-enforcement agency and the superintendent "
            f"confirm having read this report (data fingerprint <b>{report.fingerprint}</b>, "
            f"made on {long_date(report.today)}) and that they support the program and its "
            "action plan.",
            "Body",
        ),
    ]
    half = (report.width - 0.3 * inch) / 2

    def lines(labels: tuple[str, ...], width: float) -> Table:
        label_w = min(0.95 * inch, width * 0.45)
        return layout_table([[report.para(label, "Small"), Spacer(1, 1)] for label in labels],
                            [label_w, width - label_w], [
                                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                ("LINEBELOW", (1, 0), (1, -1), 0.8, INK),
                                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                            ], row_heights=[21] * len(labels), fields=True)  # fmt: skip

    signers = []
    for role, org in (
        ("Head of the law-enforcement agency", a.agency),
        ("Superintendent of the school district", a.district),
    ):
        cell: list[Flowable] = [report.para(role, "SignRole")]
        cell.append(report.field_para(org, "Not named yet", style="Small",
                                    where=CUT_NAME if not report.board else ""))
        cell.append(lines(("Name", "Signature", "Date"), half))
        signers.append(cell)
    story.append(layout_table([signers], [half + 0.3 * inch, half],
                              [("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))  # fmt: skip
    story.append(report.para("Acknowledged by the school board", "SignRole"))
    third = (report.width - 0.4 * inch) / 3
    story.append(layout_table(
        [[lines(("Board",), third), lines(("Meeting date",), third),
          lines(("Minutes item",), third)]], [third + 0.2 * inch, third + 0.2 * inch, third],
        [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
         ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))  # fmt: skip
    return [KeepTogether(story)]


def story_words(flowables: Iterable[Flowable]) -> str:
    """The words a story prints (its paragraphs, table cells, chart labels), to find the
    glossary's terms a page uses (wording.terms_used)."""
    out: list[str] = []
    todo: list[Any] = list(flowables)
    while todo:
        f = todo.pop()
        if isinstance(f, PlainText):
            out += [text for text, _, _ in f.segments]
        elif isinstance(f, Paragraph):
            out.append("".join(getattr(frag, "text", "") for frag in f.frags or ()))
        elif isinstance(f, Row):
            todo += f.cells
        elif isinstance(f, HeadedList):
            todo += [f.header, *f.items, *f.lead, *f.continued]
        elif isinstance(f, KeepTogether):
            todo += getattr(f, "_content")  # noqa: B009 (reportlab keeps no public list)
        elif isinstance(f, Table):
            todo += [c for row in getattr(f, "_cellvalues") for cell in row  # noqa: B009
                     for c in (cell if isinstance(cell, list | tuple) else [cell])]
        elif isinstance(f, BarChart):
            out += [row[0] for row in f.rows] + list(f.series)
    return " ".join(out)
