"""The board edition's own parts: a first page a board member grasps in a minute, and a short
list of what must be done. Everything else (glossary, disclaimer, signatures) comes from
sections.py. Officers are "Officer A, B…" unless the chief chose to print names.
"""

from __future__ import annotations

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Spacer, Table

from nasro_desktop.domain.model import StandardClass
from nasro_desktop.domain.results import Gap, Verdict
from nasro_desktop.report.flowables import Bookmark, Para
from nasro_desktop.report.fonts import markup
from nasro_desktop.report.overview import OverviewSections
from nasro_desktop.report.plan import PlanSections
from nasro_desktop.report.styles import RULE, long_date, table_style

BOARD_ACTIONS = 8  # rows: mandatory gaps first; the rest are counted and numbered
BOARD_DUE = 5
BOARD_STEP_LIMIT = 320


class BoardSections(PlanSections, OverviewSections):
    """Mixin for the renderer: the board edition's first page and action list."""

    def board_first_page(self) -> list[Flowable]:
        a, r, s = self.assessment, self.readiness, self.styles
        story: list[Flowable] = [Bookmark("Verdict and figures", "cover")]
        story.append(self.para("SCHOOL RESOURCE OFFICER PROGRAM · BOARD EDITION", "Kicker"))
        story.append(self.para("Readiness report", "BoardTitle"))
        label = s["Small"]
        rows: list[list[Flowable]] = [
            [Para("Agency", label), self.user_para(a.agency, empty="Not named yet")],
            [Para("School district", label), self.user_para(a.district, empty="Not named yet")],
            [Para("Dates judged as of", label), self.para(long_date(r.as_of))],
            [Para("Prepared by", label), self.user_para(a.prepared_by, empty="Not given")],
            *self.who_and_how(),
            [Para("Data fingerprint", label), self.para(
                f"<b>{self.fingerprint}</b> (the app shows the same code for the data this "
                "report was made from)")],  # fmt: skip
        ]
        table = Table(rows, colWidths=[1.5 * inch, self.width - 1.5 * inch], hAlign="LEFT")
        table.setStyle(
            table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ]
            )
        )
        story.append(table)
        story.append(Spacer(1, 10))
        if self.draft:
            story.append(self.draft_box())
            story += self.stale_notice()
            return story
        story.append(self.verdict_box(large=False))
        story += self.stale_notice()
        story.append(self.para("What this means", "H2"))
        story.append(self.para(self.meaning(), "Body"))
        story.append(self.key_figures())
        story += self.chart_block()
        return story

    def meaning(self) -> str:
        r = self.readiness
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
        return f"{text} {self.open_questions_text()}"

    def board_gaps(self) -> tuple[list[Gap], list[Gap]]:
        """The rows the board edition shows (mandatory first, at most BOARD_ACTIONS), and the
        gaps left for the full edition."""
        gaps = list(self.readiness.gaps)
        mandatory = [g for g in gaps if g.standard.cls == StandardClass.MANDATORY]
        others = [g for g in gaps if g.standard.cls != StandardClass.MANDATORY]
        ordered = mandatory + others
        return ordered[:BOARD_ACTIONS], ordered[BOARD_ACTIONS:]

    def board_actions(self) -> list[Flowable]:
        lead = self.heading("What must be done")
        lead.append(
            self.para(
                "The action plan, most urgent first: the mandatory standards not met, then the "
                "recommended practices most worth doing. Owner is who usually fixes it. "
                "<b>✘ LATE</b> marks a target date that has passed on a step not done.",
                "Small",
            )
        )
        shown, hidden = self.board_gaps()
        if not shown:
            return lead + [self.para("Nothing: every applicable standard is met.")]
        rows, shaded, _ = self.action_rows(shown, clip=BOARD_STEP_LIMIT)
        story: list[Flowable] = [
            self.grid(self.ACTION_HEADS, rows, self.action_widths(), shaded=shaded, lead=lead,
                      continued=[self.para("What must be done (continued)", "H3")])  # fmt: skip
        ]
        notes = []
        if hidden:
            more_mandatory = [g for g in hidden if g.standard.cls == StandardClass.MANDATORY]
            text = (
                f"{len(hidden)} more step{'s are' if len(hidden) != 1 else ' is'} in the full "
                "edition's action plan"
            )
            if more_mandatory:
                numbers = ", ".join(dict.fromkeys(g.standard.number for g in more_mandatory))
                text += f", {len(more_mandatory)} of them for mandatory standards ({numbers})"
            notes.append(text + ".")
        if self.assessment.officers and not self.show_names:
            notes.append(
                "Officers are named Officer A, B… here; their names and personnel details "
                "(service, training dates) are in the full edition."
            )
        story += [self.para(markup(n), "Small") for n in notes]
        return story

    def board_due_next(self) -> list[Flowable]:
        return self.due_next_block(BOARD_DUE, "more dates are in the full edition")
