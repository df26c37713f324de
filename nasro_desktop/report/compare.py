"""Since last year, in the report: this assessment against an earlier one of the same program,
from the `domain.compare.Comparison` the caller made (the window, or the CLI's `report`).

- Board edition: the two headline figures then and now (and the verdict), a small chart, the
  standards newly met and no longer met by name, and how many are still open and how many
  action items were closed since. A few lines.
- Full edition: the same, then every standard newly met, no longer met or still open with its
  status then and now, and the action items closed since.

Nothing at all without a comparison, in a draft (no figures to compare), or when the report's
own assessment is the earlier of the two (the part is about what changed since).

`r` is the Report (its `comparison`, `board`, `width` and helpers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable, KeepTogether, Spacer

from nasro_desktop.domain.compare import Change, Comparison, StandardChange
from nasro_desktop.domain.results import Status
from nasro_desktop.report import fonts
from nasro_desktop.report.flowables import BarChart
from nasro_desktop.report.fonts import markup
from nasro_desktop.report.styles import (
    CHART_GRID,
    INK,
    MANDATORY_BAR,
    RECOMMENDED_BAR,
    SHADE,
    long_date,
    percent,
    short_date,
)

if TYPE_CHECKING:
    from nasro_desktop.report.sections import Report

TITLE = "Since last year"
BOARD_NAMES = 5  # standards named per list in the board edition; the rest are counted
LISTED = (Change.NEWLY_MET, Change.NO_LONGER_MET, Change.STILL_OPEN)
CHANGE_WORDS = {
    Change.NEWLY_MET: "▲ Newly met",
    Change.NO_LONGER_MET: "▼ No longer met",
    Change.STILL_OPEN: "Still open",
}


def applies(r: Report) -> Comparison | None:
    """The comparison to print, or None when the part is left out."""
    c = r.comparison
    if c is None or r.draft:
        return None
    own = r.assessment.id
    if own is not None and c.then.id == own and c.now.id != own:
        return None  # this is the earlier one: nothing happened "since" it
    return c


def _name(title: str) -> str:
    return " ".join(fonts.clean(title).split()) or "an untitled assessment"


def _figures(r: Report, c: Comparison) -> Flowable:
    (m_then, t_then), (m_now, t_now) = c.mandatory_then, c.mandatory_now
    then_verdict, now_verdict = c.then_readiness.verdict, c.now_readiness.verdict
    rows = [
        ["<b>Mandatory standards met</b>", f"{m_then} of {t_then}", f"{m_now} of {t_now}",
         c.mandatory_change],
        ["<b>Recommended score</b>", percent(c.recommended_then),
         percent(c.recommended_now), c.recommended_change or "—"],
        ["<b>Verdict</b>", then_verdict.label, now_verdict.label,
         "the same" if then_verdict is now_verdict else f"now {now_verdict.label}"],
    ]
    heads = ["", f"Then ({short_date(c.then_readiness.as_of)})",
             f"Now ({short_date(c.now_readiness.as_of)})", "Change"]
    return r.grid(heads, rows, (0.4, 0.19, 0.19, 0.22), small=not r.board)


def _chart(r: Report, c: Comparison) -> Flowable:
    def share(met: int, total: int) -> float | None:
        return None if total == 0 else 100.0 * met / total

    rows = [
        ("Mandatory standards met", share(*c.mandatory_then), share(*c.mandatory_now)),
        ("Recommended score", c.recommended_then, c.recommended_now),
    ]
    return BarChart(
        rows, r.width, font=fonts.BASE, size=9 if r.board else 8,
        series=(f"Then, as of {short_date(c.then_readiness.as_of)}",
                f"Now, as of {short_date(c.now_readiness.as_of)}"),
        fills=(MANDATORY_BAR, MANDATORY_BAR), ink=INK, grid=CHART_GRID,
        row_fills=[MANDATORY_BAR, RECOMMENDED_BAR], hatched=(True, False),
    )  # fmt: skip


def _standard(s: StandardChange) -> str:
    return f"{s.standard.title} ({s.standard.number})"


def _names(found: tuple[StandardChange, ...], limit: int) -> str:
    names = [markup(_standard(s)) for s in found[:limit]]
    if len(found) > limit:
        names.append(f"and {len(found) - limit} more")
    return "; ".join(names)


def _counts_line(r: Report, c: Comparison) -> list[Flowable]:
    lines = []
    for kind in (Change.NEWLY_MET, Change.NO_LONGER_MET):
        found = c.of(kind)
        if found:
            lines.append(f"<b>{CHANGE_WORDS[kind]} ({len(found)}):</b> "
                         f"{_names(found, BOARD_NAMES if r.board else len(found))}.")
        else:
            lines.append(f"<b>{CHANGE_WORDS[kind]}:</b> none.")
    still, closed = len(c.of(Change.STILL_OPEN)), len(c.closed_since)
    tail = (f"<b>Still open:</b> {still} standard{'s' if still != 1 else ''}. "
            f"<b>Action items closed since:</b> {closed}.")
    if r.board:
        tail += " The full edition lists each."
    lines.append(tail)
    return [r.para(line, "Body") for line in lines]


def _lead(r: Report, c: Comparison) -> list[Flowable]:
    text = (f"Compared with “{markup(_name(c.then.title))}”, as of "
            f"{long_date(c.then_readiness.as_of)}; each is judged as of its own date.")
    story = [r.para(text, "Small")]
    if not c.same_program:
        story.append(r.para("<b>Note:</b> the agency or district differs between the two; check "
                         "that they are of the same program.", "Small"))
    return story


def _figures_text(c: Comparison) -> str:
    """The two headline figures then and now, in one or two lines (the board edition)."""
    (m_then, t_then), (m_now, t_now) = c.mandatory_then, c.mandatory_now
    best = c.recommended_change
    return (f"<b>Mandatory standards met:</b> {m_then} of {t_then} then, {m_now} of {t_now} now "
            f"({c.mandatory_change}). <b>Recommended score:</b> {percent(c.recommended_then)} "
            f"then, {percent(c.recommended_now)} now" + (f" ({best})." if best else "."))


def since_last_year(r: Report) -> list[Flowable]:
    """The part for the renderer's edition, or nothing (see `applies`)."""
    c = applies(r)
    if c is None:
        return []
    if r.board:  # a few lines: the figures and the chart stay together, the names may follow
        head: list[Flowable] = [r.para(TITLE, "H2"), *_lead(r, c), r.para(_figures_text(c), "Body"),
                                _chart(r, c), Spacer(1, 2)]
        return [KeepTogether(head), KeepTogether(_counts_line(r, c))]
    story = r.heading(TITLE)
    story += _lead(r, c)
    story.append(_figures(r, c))
    story += [Spacer(1, 4), _chart(r, c)]
    story += _counts_line(r, c)
    story += _standards_table(r, c)
    story += _closed_table(r, c)
    return story


def _status(value: Status | None) -> str:
    return "not asked" if value is None else f"{value.symbol} {value.label}"


def _standards_table(r: Report, c: Comparison) -> list[Flowable]:
    lead = [r.para("Standard by standard", "H2"),
            r.para("Every standard newly met, no longer met or still open, with its status then "
                "and now. Standards met both times (or not applicable) are not listed.",
                "Small")]
    rows: list[list[str]] = []
    shaded: dict[int, Color] = {}
    for kind in LISTED:
        for s in c.of(kind):
            if kind is Change.NO_LONGER_MET:
                shaded[len(rows)] = SHADE
            rows.append([CHANGE_WORDS[kind], markup(s.standard.number),
                         r.cell_text(s.standard.title) + f"<br/>{s.standard.cls.label}",
                         _status(s.then), _status(s.now)])
    if not rows:
        return lead + [r.para("No standard is open or changed: every one is met both times.")]
    return [r.grid(["Change", "Number", "Standard", "Then", "Now"], rows,
                   (0.17, 0.1, 0.37, 0.18, 0.18), shaded=shaded, lead=lead,
                   continued=[r.para(f"{TITLE}: standard by standard (continued)", "H3")])]


def _closed_table(r: Report, c: Comparison) -> list[Flowable]:
    lead = [r.para("Action items closed since", "H2")]
    if not c.closed_since:
        return lead + [r.para("None: no action item was marked done since.")]
    standards = {s.standard.id: s.standard for s in c.standards}
    rows = []
    for item in c.closed_since:
        standard = standards.get(item.standard_id)
        where = (f"{markup(standard.number)} {r.cell_text(standard.title)}" if standard
                 else markup(item.standard_id or "—"))
        rows.append([where, r.cell_text(item.next_step or "—"), item.owner.label,
                     short_date(item.target_date)])
    return [r.grid(["Standard", "Step closed", "Owner", "Target date"], rows,
                   (0.3, 0.4, 0.15, 0.15), lead=lead)]
