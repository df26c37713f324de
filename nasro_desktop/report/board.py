"""The board edition's own parts: a first page a board member grasps in a minute, and a short
list of what must be done, and the typed texts it prints (`board_texts`, shown in the window
before it is saved or printed). Everything else (glossary, disclaimer, signatures) comes from
closing.py. Officers are never named unless the chief chose to print names. Each part is a
function of the `Report` (sections.py) that returns flowables.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer

from nasro_desktop.domain import wording
from nasro_desktop.domain.model import Assessment, Form, StandardClass
from nasro_desktop.domain.results import DueItem, Gap, Readiness, StandardResult, Verdict
from nasro_desktop.report import overview, plan
from nasro_desktop.report.flowables import Bookmark
from nasro_desktop.report.fonts import markup
from nasro_desktop.report.options import ReportOptions
from nasro_desktop.report.sections import Report
from nasro_desktop.report.styles import SHADE, long_date, short_date

BOARD_ACTIONS = 8  # rows: every mandatory gap, then recommended ones up to this many rows
BOARD_DUE = 5
BOARD_ALTERNATES = 4  # standards met another way listed (the rest: in the full edition)
BOARD_READINGS = 2  # readings that decided the verdict, one line each
BOARD_STEP_LIMIT = 180  # a next step is cut past this (in full in the full edition)
BOARD_STEP_SHORT = 50  # ... or past this when more than BOARD_ACTIONS rows must be shown


def board_first_page(report: Report) -> list[Flowable]:
    a, r = report.assessment, report.readiness
    story: list[Flowable] = [Bookmark("Verdict and figures", "cover")]
    story.append(report.para("SCHOOL RESOURCE OFFICER PROGRAM · BOARD EDITION", "Kicker"))
    story.append(report.para("Readiness report", "BoardTitle"))
    story.append(report.para(f"<b>{markup(wording.SELF_ASSESSMENT)}</b>", "Small"))
    story.append(overview.fields_table(report, [
        ("Agency", report.field_para(a.agency, "Not named yet")),
        ("School district", report.field_para(a.district, "Not named yet")),
        ("Assessment date", report.para(long_date(r.as_of))),
        ("Prepared by", report.field_para(a.prepared_by, "Not given")),
        ("Assessed", report.para(overview.assessed_text(report))),
        *overview.who_and_how(report),
        ("Scored with", report.para(scored_with(report), "Small")),
        ("Data fingerprint", report.para(fingerprint_note(report))),
    ]))  # fmt: skip
    story.append(Spacer(1, 10))
    if report.draft:
        story.append(overview.draft_box(report))
        story += overview.stale_notice(report)
        return story
    story.append(overview.verdict_box(report, large=False))
    story += overview.stale_notice(report)
    story.append(report.para("What this means", "H2"))
    story.append(report.para(meaning(report), "Body"))
    story.append(overview.key_figures(report))
    story += overview.chart_block(report)
    return story


def scored_with(report: Report) -> str:
    """Page 1: the question set and the readings of the document that decided this
    verdict (a line each when the page has room; else counted)."""
    r = report.readiness
    readings = [reading.short for reading in r.deciding_readings if reading.short]
    shown = BOARD_READINGS if len(board_gaps(report)[0]) <= BOARD_ACTIONS else 0
    words = f"Question set {markup(r.question_set)}."
    if shown and readings:
        words += " " + " ".join(markup(line) for line in readings[:shown])
    if len(readings) > shown:
        words += (f" {len(readings) - shown} {'more ' if shown else ''}readings of the "
                  "document decided this verdict: \u201cHow this was scored\u201d in the "
                  "full edition.")
    return words


def fingerprint_note(report: Report) -> str:
    """The code, and what it can be matched against; and whether the paper names officers."""
    text = f"<b>{report.fingerprint}</b> ({overview.fingerprint_match(report)})"
    if report.names_printed:
        text += f". <b>{markup(wording.NAMES_WARNING)}.</b>"
    return text


def meaning(report: Report) -> str:
    r = report.readiness
    if r.verdict == Verdict.READY:
        text = (
            f"Every one of the {r.mandatory_total} standards NASRO marks as mandatory is met. "
            "The recommended practices are scored but do not decide the verdict; the next "
            "page lists what would improve them."
        )
    else:
        missing = r.mandatory_total - r.mandatory_met
        text = (
            f"{missing} of the {r.mandatory_total} standards NASRO marks as mandatory "
            f"{'is' if missing == 1 else 'are'} not met yet, so the program is not ready. "
            "The next page says what must be done, who usually does it and by when."
        )
    return f"{text} {overview.open_questions_text(report)}"


def board_gaps(report: Report) -> tuple[list[Gap], list[Gap]]:
    """The rows the board edition shows (every mandatory gap, then recommended ones up to
    BOARD_ACTIONS rows: recommended rows are cut first), and the gaps left for the full
    edition."""
    gaps = list(report.readiness.gaps)
    mandatory = [g for g in gaps if g.standard.cls == StandardClass.MANDATORY]
    others = [g for g in gaps if g.standard.cls != StandardClass.MANDATORY]
    room = max(0, BOARD_ACTIONS - len(mandatory))
    return mandatory + others[:room], others[room:]


def board_step_room(report: Report) -> tuple[int, str]:
    """How long a next step may be in the board table, and what marks a cut one: shorter
    ("…", in full in the full edition) when more than BOARD_ACTIONS rows must be shown."""
    if len(board_gaps(report)[0]) > BOARD_ACTIONS:
        return BOARD_STEP_SHORT, "…"
    return BOARD_STEP_LIMIT, ""


def board_texts(report: Report) -> list[tuple[str, str]]:
    """(where, text) for every text typed in the app that the board edition prints, as it
    prints it (officers' names replaced unless this paper names them, cut to the page's
    room): who took part, the scope and the method, each next step and person responsible
    in the action table, and each explanation of a standard met another way. The window
    shows them before the board edition is saved or printed, for the chief to check."""
    out = list(overview.who_and_how_texts(report))
    if report.draft:
        return out
    shown, _ = board_gaps(report)
    compact = len(shown) > BOARD_ACTIONS
    clip, where = board_step_room(report)
    for gap in shown:
        std = f"{gap.standard.number} {gap.standard.title}"
        out.append((f"Next step, {std}", plan.shown_step(report, gap, clip, where)[0]))
        if person := plan.person_of(report, gap):
            out.append((f"Person responsible, {std}", plan.shown_person(report, person, compact)))
    for result in report.readiness.met_another_way[:BOARD_ALTERNATES]:
        out.append((f"Met another way, {result.standard.number} {result.standard.title}",
                    claim_text(report, result)))
    return out


def claim_text(report: Report, result: StandardResult) -> str:
    """The program's explanation of a standard met another way, as the board prints it."""
    return "; ".join(report.cut(report.anon(f.explanation), 110)[0] for f in result.alternates)


def board_actions(report: Report) -> list[Flowable]:
    lead = report.heading("What must be done", intro=(
        "The action plan, most urgent first: the mandatory standards not met, then the "
        "recommended practices most worth doing. Owner is who usually fixes it, and the "
        "person responsible when one is named. "
        "<b>✘ LATE</b> marks a target date that had passed by the Assessment date on a "
        "step not done; <b>⚠ PASSED</b>, one that has passed since."))
    shown, hidden = board_gaps(report)
    if not shown:
        return lead + [report.para("Nothing: every applicable standard is met.")]
    compact = len(shown) > BOARD_ACTIONS
    planned = {i.standard_id for i in report.assessment.action_items
               if i.person.strip() or i.target_date}  # fmt: skip
    unplanned = compact and not any(g.standard.id in planned for g in shown)
    if compact:
        lead.append(report.para("<b>Every row is a mandatory standard not met.</b> Steps ending "
                              "in “…” are given in full in the full edition. Both: the "
                              "agency and the district.", "Small"))  # fmt: skip
    if unplanned:
        lead.append(report.para("<b>No row has a target date set, and no one is named for any "
                              "of them yet.</b>", "Warning"))  # fmt: skip
    clip, where = board_step_room(report)
    rows, shaded, _ = plan.action_rows(report, shown, clip=clip, where=where, compact=compact,
                                       said_above=unplanned)
    widths = (0.045, 0.33, 0.24, 0.165, 0.11, 0.11) if compact else plan.ACTION_WIDTHS
    story: list[Flowable] = [
        report.grid(plan.ACTION_HEADS, rows, widths, shaded=shaded, lead=lead,
                  continued=[report.para("What must be done (continued)", "H3")])  # fmt: skip
    ]
    notes = []
    if hidden:
        notes.append(
            f"{len(hidden)} more step{'s' if len(hidden) != 1 else ''} for recommended "
            f"standards (none mandatory) {'are' if len(hidden) != 1 else 'is'} in the full "
            "edition's action plan."
        )
    if report.assessment.officers and not report.show_names:
        notes.append(
            "Officers are not named in this edition (names in typed text are shown as "
            "[officer]); their names and personnel details are in the full edition."
        )
    story += report.done_but_unmet()
    story += [report.para(markup(n), "Small") for n in notes]
    return story


def board_due_next(report: Report) -> list[Flowable]:
    """What falls due, one row per kind of date: officers are counted, never listed (in a
    three-officer program a letter is a name)."""
    r, officers = report.readiness, report.assessment.officers
    names = {o.name.strip() for o in officers if o.name.strip()}
    groups: dict[tuple[str, ...], list[DueItem]] = {}
    for item in r.due_next:
        late = "overdue" if item.overdue else "passed" if report.is_past(item.when) else ""
        if item.who.strip() in names:
            key: tuple[str, ...] = (item.what, late, "officers")
        else:
            key = (item.what, late, item.who, item.when.isoformat())
        groups.setdefault(key, []).append(item)
    ordered = sorted(groups.items(), key=lambda kv: (not kv[0][1],
                                                     min(i.when for i in kv[1])))
    rows, shaded = [], {}
    limit = BOARD_DUE if len(board_gaps(report)[0]) <= BOARD_ACTIONS else BOARD_DUE - 2
    for i, (key, items) in enumerate(ordered[:limit]):
        first = min(item.when for item in items)
        when = short_date(first)
        if key[1] == "overdue":
            when = f"<b>✘ OVERDUE</b> since {when}"
            shaded[i] = SHADE
        elif key[1] == "passed":
            when = f"<b>⚠ PASSED</b> {when}, after the Assessment date"
            shaded[i] = SHADE
        elif len(items) > 1 and max(item.when for item in items) != first:
            when = f"from {when}"
        if key[-1] == "officers":
            n = len({item.who for item in items}) if report.show_names else len(items)
            who = f"{n} of {len(officers)} officer{'s' if len(officers) != 1 else ''}"
        else:
            who = report.cut(report.anon(items[0].who), 80)[0]
        rows.append([when, markup(report.cut(report.anon(key[0]), 120)[0]), markup(who)])
    more = len(ordered) - limit
    return overview.due_table(report, rows, shaded, (0.37, 0.38, 0.25),
                              f"{more} more kinds of dates are in the full edition."
                              if more > 0 else "")  # fmt: skip


def board_claims(report: Report) -> list[Flowable]:
    """Every standard the program says it meets another way, with its explanation (NASRO
    makes no such allowance: the board judges them)."""
    r = report.readiness
    story: list[Flowable] = []
    claims = r.met_another_way
    if claims:
        story.append(Spacer(1, 10))
        lead = [report.para("Met another way: the program's own claims", "H2"),
                report.para("NASRO's standards have no \u201cmet another way\u201d: each "
                          "standard below counts as met only on the program's own "
                          "explanation, printed as given, for the board to judge.",
                          "Small")]
        rows = []
        for result in claims[:BOARD_ALTERNATES]:
            rows.append([markup(f"{result.standard.number} {result.standard.title}"),
                         markup(claim_text(report, result))])
        story.append(report.grid(["Standard", "The program's explanation"], rows, (0.38, 0.62),
                                 lead=lead, small=False))
        if len(claims) > BOARD_ALTERNATES:
            story.append(report.para(f"{len(claims) - BOARD_ALTERNATES} more are in the "
                                   "full edition.", "Small"))
    return story


def printed_texts(form: Form, assessment: Assessment, readiness: Readiness,
                  options: ReportOptions) -> list[tuple[str, str]]:
    """`board_texts` of a new board edition's Report (report.board_texts, for the window)."""
    return board_texts(Report(form, assessment, readiness, options))
