"""The overview parts of the report: page 1 (cover or board first page pieces: the verdict or
draft box, the note on a stale date, who took part, key figures, the section chart), the full
edition's summary, what falls due next, the checks on the data, and a draft's list of what is
left to answer. Each part is a function of the `Report` (sections.py) that returns flowables."""

from __future__ import annotations

from datetime import date

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Spacer,
    Table,
)

from nasro_desktop.domain.dates import parse_date
from nasro_desktop.domain.model import (
    AnswerType,
    StandardClass,
)
from nasro_desktop.domain.results import (
    StandardResult,
    Verdict,
)
from nasro_desktop.domain.scoring import evaluate, open_questions_sentence
from nasro_desktop.report import fonts
from nasro_desktop.report.flowables import (
    BarChart,
    Bookmark,
    HeadedList,
    Para,
)
from nasro_desktop.report.fonts import markup
from nasro_desktop.report.sections import (
    BOARD_PAGE_ONE_TEXT,
    COVER_SCHOOLS,
    CUT_NAME,
    DUE_NEXT,
    PAGE_ONE_TEXT,
    STALE_DAYS,
    SUMMARY_CELL_LIMIT,
    TOP_ACTIONS,
    Report,
    is_late_target,
)
from nasro_desktop.report.styles import (
    CHART_GRID,
    INK,
    MANDATORY_BAR,
    RECOMMENDED_BAR,
    RULE,
    SHADE,
    layout_table,
    long_date,
    percent,
    section_figures,
    short_date,
)


def verdict_box(report: Report, large: bool) -> Table:
    r = report.readiness
    ready = r.verdict == Verdict.READY
    mark = "✔" if ready else "✘"
    word = "READY" if ready else "NOT READY"
    if r.open_questions:
        word += " · INCOMPLETE" if r.open_can_change_verdict else ""
    verdict_style = ParagraphStyle(
        "V", parent=report.styles["Verdict"], fontSize=24 if large else 19,
        leading=30 if large else 24,
    )  # fmt: skip
    sentence = verdict_words(report)
    if not report.board and (still := open_questions_text(report, closing=False)):
        sentence += " " + still  # the board says it once, under "What this means"
    rows: list[list[Flowable]] = [
        [Para(f"{mark} {word}", verdict_style)],
        [report.user_para(report.anon(sentence), "VerdictSentence")],
    ]
    if later := verdict_today(report):
        rows.append([report.para(later, "VerdictSentence")])
    if report.board and (carried := carried_text(report)):
        rows.append([report.para(carried, "VerdictSentence")])
    return _boxed(report, rows, heavy=not ready)


def verdict_today(report: Report) -> str:
    """When the paper is made after the assessment date: the same data judged as of the day
    of printing, said in the verdict box if the verdict would differ ("" if not)."""
    r = report.readiness
    if report.draft or report.today <= r.as_of:
        return ""
    try:
        now = evaluate(report.form, report.assessment, report.today, evidence=report.evidence)
    except Exception:  # never stop a report over the extra check: say nothing
        return ""
    if now.verdict == r.verdict:
        return ""
    word = "READY" if now.verdict == Verdict.READY else "NOT READY"
    text = (f"<b>As of {long_date(report.today)}, the day this report was made, the verdict "
            f"would be {word}</b>")
    before = {g.standard.id for g in r.gaps if g.standard.cls == StandardClass.MANDATORY}
    new = [g for g in now.gaps if g.standard.cls == StandardClass.MANDATORY
           and g.standard.id not in before]
    if new:
        g = new[0]
        reason = markup(report.anon(f"{g.standard.number} {g.standard.title}"))
        text += f": {reason} is no longer met"
        if len(new) > 1:
            text += f", and {len(new) - 1} more"
    return text + ". Make the report again as of today to see why."


def carried_text(report: Report) -> str:
    """Next year's copy: how many answers are still last year's, not yet confirmed."""
    answers = [a for a in report.assessment.answers.values() if a.has_value]
    carried = sum(1 for a in answers if a.reconfirm)
    if not carried:
        return ""
    return (f"<b>{carried} of {len(answers)} answers are carried from last year's "
            "assessment and not yet confirmed</b>: they count here as this year's answers. "
            "Confirm or correct them in the app (Review, To confirm).")


def draft_box(report: Report) -> Table:
    r = report.readiness
    n = len(r.unassessed_mandatory)
    rows: list[list[Flowable]] = [
        [Para("DRAFT – NOT YET ASSESSED", report.styles["Verdict"])],
        [
            report.para(
                f"No verdict yet: {n} mandatory standard{'s have' if n != 1 else ' has'} no "
                "answer at all, so a verdict would only say that nothing has been checked. "
                "This report lists what is left to answer; it is not for signature.",
                "VerdictSentence",
            )
        ],
    ]
    return _boxed(report, rows, heavy=True)


def _boxed(report: Report, rows: list[list[Flowable]], heavy: bool) -> Table:
    return layout_table(rows, [report.width], [
        ("BOX", (0, 0), (-1, -1), 2.2 if heavy else 1.2, INK),
        ("BACKGROUND", (0, 0), (-1, -1), SHADE),
        ("LEFTPADDING", (0, 0), (-1, -1), 14),
        ("RIGHTPADDING", (0, 0), (-1, -1), 14),
        ("TOPPADDING", (0, 0), (-1, 0), 10),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 12),
    ])  # fmt: skip


def verdict_words(report: Report) -> str:
    """The engine's verdict sentence without its closing word on the open questions: the
    report says that once (open_questions_text), not in the verdict box and again below."""
    r = report.readiness
    sentence = r.verdict_sentence
    suffix = open_questions_sentence(r.open_questions, r.open_can_change_verdict,
                                     r.open_recommended)  # fmt: skip
    if suffix and sentence.endswith(suffix):
        sentence = sentence[: -len(suffix)].rstrip()
    return sentence


def open_questions_text(report: Report, closing: bool = True) -> str:
    """What the open questions mean (the engine's words: a question of a recommended
    standard counts for the score only, never "it cannot change the verdict")."""
    r = report.readiness
    if r.open_questions <= r.open_recommended:
        words = "Every question that counts for the verdict is answered."
    else:
        words = ""
    more = open_questions_sentence(r.open_questions, r.open_can_change_verdict,
                                   r.open_recommended)  # fmt: skip
    words = f"{words} {more}".strip()
    uncounted = r.total - r.answered - r.open_questions
    if uncounted > 0:  # so that the figures add up: examples and notes never decide
        words += (f" {uncounted} more question{'s are' if uncounted != 1 else ' is'} "
                  "unanswered that never counts for the verdict or the score.")
    if closing and r.total > r.answered:
        words += " Unanswered questions never count as met."
    return words


def stale_notice(report: Report) -> list[Flowable]:
    """Page 1: say so when the as-of date is well before (or after) the day of printing."""
    as_of, today = report.readiness.as_of, report.today
    days = (today - as_of).days
    if days >= STALE_DAYS:
        text = (
            f"The Assessment date is {long_date(as_of)}, {days} days before this report was "
            f"made ({long_date(today)}): what fell due since is marked PASSED, not counted "
            "as overdue."
        )
    elif days < 0:
        text = (
            f"The Assessment date is {long_date(as_of)}, which is after the day this report "
            f"was made ({long_date(today)}): what falls due before then counts as done or "
            "missed already."
        )
    else:
        return []
    return [report.para(f"<b>Note on the date:</b> {text}", "Warning")]


def who_and_how(report: Report) -> list[tuple[str, Flowable]]:
    """Rows for who took part, the scope and the method, when the assessment has them."""
    return [(title, report.user_para(text)) for title, text in who_and_how_texts(report)]


def who_and_how_texts(report: Report) -> list[tuple[str, str]]:
    """(title, the text as page 1 prints it) for who took part, the scope and the method,
    when the assessment has them (names replaced, cut to the page's room)."""
    a = report.assessment
    limit = BOARD_PAGE_ONE_TEXT if report.board else PAGE_ONE_TEXT
    return [(title, report.field_text(value, limit)) for title, value in (
        ("Who took part", a.participants), ("Scope", a.scope), ("Method and limits", a.method),
    ) if value.strip()]  # fmt: skip


def assessed_text(report: Report) -> str:
    """Page 1: how many officers and schools were assessed, counted from the lists in the
    app (never from the scope's words)."""
    a = report.assessment
    officers, schools = len(a.officers), len(a.schools)
    if not officers and not schools:
        return "No officers or schools listed yet"
    o = f"{officers} officer{'s' if officers != 1 else ''}" if officers else "no officers"
    sc = f"{schools} school{'s' if schools != 1 else ''}" if schools else "no schools"
    return f"{o} and {sc}, as listed in the app"


def fingerprint_match(report: Report) -> str:
    """What the data fingerprint can be matched against: honest with --as-of."""
    a, r = report.assessment, report.readiness
    if r.as_of == a.as_of:
        return "the app shows the same code for the data this report was made from"
    return (f"the code of the data judged as of {long_date(r.as_of)}; the app shows another "
            f"code, for its Assessment date {long_date(a.as_of)}")


def cover(report: Report) -> list[Flowable]:
    a, r, s = report.assessment, report.readiness, report.styles
    story: list[Flowable] = [Bookmark("Cover", "cover"), Spacer(1, 0.2 * inch)]
    story.append(report.para("SCHOOL RESOURCE OFFICER PROGRAM · FULL EDITION", "Kicker"))
    story.append(report.para("Readiness report", "Title"))
    story.append(
        report.para(
            "How the program measures up to the standards and best practices that the "
            "National Association of School Resource Officers (NASRO) published in 2018",
            "Subtitle",
        )
    )
    story.append(draft_box(report) if report.draft else verdict_box(report, large=True))
    story += stale_notice(report)
    if carried := carried_text(report):
        story.append(report.para(carried, "Warning"))
    story.append(Spacer(1, 0.18 * inch))
    schools = [report.cut(sc.name, 80, "in full in the Schools table")[0]
               for sc in a.schools if sc.name.strip()]
    schools_cell: Flowable = report.para("No schools listed yet")
    if schools:
        more = len(schools) - COVER_SCHOOLS
        schools_cell = Para(f"{len(schools)}: {markup('; '.join(schools[:COVER_SCHOOLS]))}"
                            + (f"; and {more} more (all are in the Schools table)"
                               if more > 0 else ""), s["Body"])  # fmt: skip
    rows: list[tuple[str, Flowable]] = [
        ("Agency", report.field_para(a.agency, "Not named yet", where=CUT_NAME)),
        ("School district", report.field_para(a.district, "Not named yet", where=CUT_NAME)),
        ("Officers and schools assessed", report.para(assessed_text(report))),
        ("Schools covered", schools_cell),
        ("Assessment date", report.para(long_date(r.as_of))),
        ("Prepared by", report.field_para(a.prepared_by, "Not given", where=CUT_NAME)),
        *who_and_how(report),
        ("Questions answered", report.para(f"{r.answered} of {r.total} ({r.percent_answered}%)")),
        ("Question set", report.para(f"{markup(report.form.title)} ({markup(r.form_id)}, "
                                     f"version {r.form_version})")),
        ("Data fingerprint", report.para(f"<b>{report.fingerprint}</b>")),
    ]
    if a.title.strip():
        rows.insert(0, ("Assessment", report.field_para(a.title, "", where=CUT_NAME)))
    story.append(fields_table(report, rows))
    story.append(Spacer(1, 8))
    story.append(report.para(f"Data fingerprint <b>{report.fingerprint}</b>: "
                             f"{fingerprint_match(report)}. A different code means the answers "
                             "have changed since.", "Small"))  # fmt: skip
    return story


def fields_table(report: Report, rows: list[tuple[str, Flowable]]) -> Table:
    """Page 1's fields: a label and its value a row, ruled below (tighter on the board's)."""
    label_w, top, bottom = (1.5 * inch, 2, 3) if report.board else (1.55 * inch, 4, 5)
    return layout_table([[Para(title, report.styles["Small"]), value] for title, value in rows],
                        [label_w, report.width - label_w],
                        [("VALIGN", (0, 0), (-1, -1), "TOP"),
                         ("LEFTPADDING", (0, 0), (-1, -1), 0),
                         ("TOPPADDING", (0, 0), (-1, -1), top),
                         ("BOTTOMPADDING", (0, 0), (-1, -1), bottom),
                         ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE)], fields=True)  # fmt: skip


def key_figures(report: Report) -> Table:
    r = report.readiness
    cells = [
        (f"{r.mandatory_met} of {r.mandatory_total}", "mandatory standards met"),
        (percent(r.recommended_score), "recommended score"),
        (f"{r.answered} of {r.total}", "questions answered"),
    ]
    third = report.width / 3
    inner = [layout_table([[report.para(number, "FigureNumber")],
                           [report.para(label, "FigureLabel")]], [third - 8],
                          [("TOPPADDING", (0, 0), (-1, -1), 1),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 1)])
             for number, label in cells]  # fmt: skip
    return layout_table([inner], [third] * 3, [
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
        ("LINEAFTER", (0, 0), (1, 0), 0.6, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ])  # fmt: skip


def section_chart(report: Report) -> BarChart:
    figures = report.readiness.sections
    rows = []
    for f in figures:
        name = f"{f.section.number}. {f.section.title}"
        name = name if len(name) <= 30 else name[:28].rstrip() + "…"
        mandatory = None if f.mandatory_total == 0 else 100.0 * f.mandatory_met / f.mandatory_total
        rows.append((fonts.clean(name), mandatory, f.recommended_score))
    return BarChart(
        rows, report.width, font=fonts.BASE, size=9 if report.board else 8,
        series=("Mandatory standards met", "Recommended score"),
        fills=(MANDATORY_BAR, RECOMMENDED_BAR), ink=INK, grid=CHART_GRID,
    )  # fmt: skip


def section_figures_text(report: Report) -> str:
    """The section chart's figures in words, for a board edition with no room for it."""
    parts = [f"{markup(f.section.number)}. {markup(f.section.title)}: "
             + ", ".join(section_figures(f)) for f in report.readiness.sections]
    return ("<b>By section:</b> " + "; ".join(parts)
            + ". The chart by section is in the full edition.")


def chart_block(report: Report) -> list[Flowable]:
    if report.squeezed:  # a board edition that ran past its pages: what the chart says
        return [Spacer(1, 4), report.para(section_figures_text(report), "Small")]
    # One block: the heading never sits at a page foot with its chart on the next page.
    caption = report.para(
        "For each section: the share of its mandatory standards that are met, and "
        "its recommended score (each recommended standard met counts 1, partly met "
        "counts ½).",
        "Small",
    )
    caption.role = "Caption"  # type: ignore[attr-defined]  # Para and PlainText have it
    return [KeepTogether([report.para("By section", "H2"), caption, section_chart(report)])]

# -- executive summary (full edition) --


def summary(report: Report) -> list[Flowable]:
    r = report.readiness
    story = report.heading("Executive summary")
    story.append(report.user_para(verdict_words(report), "Lead"))
    story.append(key_figures(report))
    story.append(Spacer(1, 4))
    story.append(report.para(open_questions_text(report), "Small"))
    story += data_checks(report)
    story += chart_block(report)
    top = list(r.gaps[:TOP_ACTIONS])
    lead = [report.para("Top actions", "H2")]
    if top:
        rows = []
        shaded = {}
        for i, gap in enumerate(top):
            tag = "<br/><b>MANDATORY</b>" if gap.standard.cls == StandardClass.MANDATORY else ""
            step = gap.next_step  # at most a cell's worth: the action plan has all of it
            if len(step) > SUMMARY_CELL_LIMIT:
                step = (step[: SUMMARY_CELL_LIMIT - 40].rstrip()
                        + "… (in full in the action plan)")
            rows.append([
                f"{markup(gap.standard.number)} {markup(gap.standard.title)}{tag}",
                markup(step),
                gap.owner.label,
                report.target_text(gap),
            ])  # fmt: skip
            if is_late_target(gap, r.as_of):
                shaded[i] = SHADE
        story.append(report.grid(["Standard", "Next step", "Owner", "Target date"], rows,
                                 (0.3, 0.43, 0.12, 0.15), lead=lead, shaded=shaded))
        if len(r.gaps) > TOP_ACTIONS:
            story.append(report.para(f"{len(r.gaps) - TOP_ACTIONS} more in the action plan.", "Small"))
    else:
        story += lead + [report.para("No gaps: nothing to act on.")]
    rows, shaded = [], {}
    for i, item in enumerate(r.due_next[:DUE_NEXT]):
        when = short_date(item.when)
        if item.overdue:
            when = f"<b>✘ OVERDUE</b> since {when}"
            shaded[i] = SHADE
        rows.append([when, markup(report.anon(item.what)), markup(report.anon(item.who))])
    more = len(r.due_next) - DUE_NEXT
    story += due_table(report, rows, shaded, (0.3, 0.42, 0.28),
                       f"{more} more dates on the Officers page." if more > 0 else "")
    return story


def due_table(report: Report, rows: list[list[str]], shaded: dict[int, Color],
              widths: tuple[float, ...], more: str) -> list[Flowable]:
    """What falls due next: When, What, Who (or a line saying nothing does), and `more`,
    what the table left out."""
    lead = [report.para("What falls due next", "H2")]
    if not rows:
        return [KeepTogether(lead + [report.para("No dated training or review falls due.")])]
    story: list[Flowable] = [
        report.grid(["When", "What", "Who"], rows, widths,
                    shaded=shaded, lead=lead, small=not report.board)  # fmt: skip
    ]
    if more:
        story.append(report.para(more, "Small"))
    return story

# -- checks on the data --


def dates_after_as_of(report: Report) -> list[tuple[str, str, date]]:
    """(who or what, which date, the date) for every recorded date after the as-of date."""
    as_of = report.readiness.as_of
    out: list[tuple[str, str, date]] = []
    for i, o in enumerate(report.assessment.officers):
        for label, day in (("sworn", o.sworn_date), ("assigned", o.assignment_date),
                           ("basic course", o.basic_course_date),
                           ("advanced course", o.advanced_course_date),
                           ("annual training", o.last_annual_training),
                           ("rapid deployment", o.last_rapid_deployment)):  # fmt: skip
            if day is not None and day > as_of:
                out.append((report.officer_labels[i], label, day))
    for q in report.form.questions:
        if q.type != AnswerType.DATE:
            continue
        day = parse_date(report.assessment.value(q.id))
        if day is not None and day > as_of:
            out.append((report.question_ref(q) or "Question", "answer", day))
    return out




def data_checks(report: Report) -> list[Flowable]:
    later = dates_after_as_of(report)
    if not later:
        return []
    n = len(later)
    shown = "; ".join(f"{markup(who)}: {what} {short_date(day)}" for who, what, day in later[:6])
    more = f"; and {n - 6} more" if n > 6 else ""
    return [
        report.para(
            f"<b>⚠ {n} date{'s' if n != 1 else ''} to check:</b> after the Assessment date "
            f"({long_date(report.readiness.as_of)}), so {'they are' if n != 1 else 'it is'} "
            f"not counted (likely a typo): {shown}{more}. Correct "
            f"{'them' if n != 1 else 'it'}, or judge as of a later date.",
            "Warning",
        )
    ]

# -- draft: what is left to answer --


def left_to_answer(report: Report) -> list[Flowable]:
    r = report.readiness
    story = report.heading("What is left to answer")
    story.append(
        report.para(
            f"{r.answered} of {r.total} questions are answered ({r.percent_answered}%). "
            "A verdict needs at least one answer for every mandatory standard; these have "
            "none yet:",
            "Lead",
        )
    )
    missing = r.unassessed_mandatory
    by_section: dict[str, list[StandardResult]] = {}
    for res in missing:
        by_section.setdefault(res.standard.section, []).append(res)
    for section in report.form.sections:
        results = by_section.pop(section.id, [])
        if not results:
            continue
        items = [
            report.user_text(f"{res.standard.number}  {res.standard.title}", "Bullet") for res in results
        ]
        story.append(HeadedList(None, items, lead=[report.para(
            f"{section.number}. {markup(section.title)} ({len(results)})", "H3")]))  # fmt: skip
    for results in by_section.values():
        story += [report.user_text(f"{res.standard.number}  {res.standard.title}", "Bullet")
                  for res in results]  # fmt: skip
    others = r.open_questions
    story.append(Spacer(1, 6))
    story.append(
        report.para(
            f"In all, {others} question{'s' if others != 1 else ''} that count for the "
            "verdict are open. Answer them in the app (the Review page lists them), then "
            "make the report again: it then gives a verdict, the section chart and the "
            "action plan.",
            "Body",
        )
    )
    return story
