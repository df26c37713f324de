"""The shared helpers and the first pages of the report, as a mixin of the renderer.

Each method returns flowables. The other parts are in findings.py, people.py, plan.py and
closing.py; board.py adds the board edition's own first page and action list.
Every piece of user text goes through `fonts.markup` (or `t`), which escapes it and picks a
font that can draw it. Findings are matched on (kind, key), never on their display text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
)

from nasro_desktop.domain.dates import parse_date
from nasro_desktop.domain.model import (
    ActionStatus,
    AnswerType,
    Choice,
    Officer,
    StandardClass,
)
from nasro_desktop.domain.results import (
    Gap,
    StandardResult,
    Status,
    Verdict,
)
from nasro_desktop.report import fonts
from nasro_desktop.report.flowables import (
    BarChart,
    Bookmark,
    HeadedList,
    Para,
    PlainText,
    Row,
    Rule,
    _plain_style,
    plain_segments,
)
from nasro_desktop.report.fonts import markup
from nasro_desktop.report.styles import (
    INK,
    LIGHT_BAR,
    NAVY,
    RULE,
    SHADE,
    letter_label,
    long_date,
    percent,
    short_date,
    table_style,
)

if TYPE_CHECKING:
    from nasro_desktop.domain.evidence import Evidence
    from nasro_desktop.domain.model import Assessment, Form, Question
    from nasro_desktop.domain.results import Readiness

NOT_ANSWERED = "? Not answered"
CHOICE_STATUS = {
    Choice.MET: Status.MET,
    Choice.PARTLY: Status.PARTLY,
    Choice.NOT_MET: Status.NOT_MET,
    Choice.NOT_SURE: Status.UNKNOWN,
    Choice.NA: Status.NOT_APPLICABLE,
    Choice.ALTERNATE: Status.MET,
}
PROFILE_SECTION = "profile"
TOP_ACTIONS = 3
SUMMARY_CELL_LIMIT = 240
DUE_NEXT = 4
COVER_SCHOOLS = 8  # more schools than this: the cover names these and points to the table
CELL_NOTE_LIMIT = 600  # a next step longer than this is printed in full below its table
NOTE_EXCERPT_WORDS = 10  # notes outside the appendix: this many words and a reference
STALE_DAYS = 30  # an as-of date this many days before the printing day is pointed out
CELL_TEXT_LIMIT = 300  # a name longer than this is cut in a table cell (given in full elsewhere)
OFFICER_RULES = (
    "experience",
    "basic_course",
    "advanced_course",
    "annual_training",
    "rapid_deployment",
    "probation_review",
)


def officer_key(index: int, officer: Officer) -> str:
    """The engine's key for an officer's findings: the row id, or the list position if unsaved."""
    return str(officer.id) if officer.id is not None else str(index)


def is_late_target(gap: Gap, as_of: date) -> bool:
    return (
        gap.target_date is not None
        and gap.target_date < as_of
        and gap.action_status != ActionStatus.DONE
    )


def excerpt(text: str, words: int = NOTE_EXCERPT_WORDS) -> tuple[str, bool]:
    """The first `words` words of a note, and whether anything was left out."""
    parts = " ".join(text.split()).split(" ")
    if len(parts) <= words:
        return " ".join(parts), False
    return " ".join(parts[:words]) + "…", True


class Sections:
    """Mixin: the renderer's report parts. Needs form, assessment, readiness, styles, width."""

    # Set by the renderer (renderer.py) before any part is made; declared here, without
    # values, so the type checker knows them in every mixin (each mixin's base, for it only).
    form: Form
    assessment: Assessment
    readiness: Readiness
    evidence: tuple[Evidence, ...]
    board: bool
    show_names: bool
    today: date
    draft: bool
    styles: dict[str, ParagraphStyle]
    width: float
    fingerprint: str
    _bookmarks: int
    officer_labels: list[str]
    _name_subs: list[tuple[str, str]]

    if TYPE_CHECKING:  # parts made by one mixin and used by another
        ACTION_HEADS: list[str]

        def action_rows(self, gaps: list[Gap], *, clip: int = ...
                        ) -> tuple[list[list[str]], dict[int, object], list[tuple[str, str]]]: ...

        def action_widths(self) -> list[float]: ...

        def notes_list(self, title: str, notes: list[tuple[str, str]]) -> list[Flowable]: ...

        def question_ref(self, q: Question) -> str: ...

    # -- text helpers --

    def p(self, text: str, style: str = "Body") -> Flowable:
        """A paragraph from markup the renderer wrote itself (user text must go through markup).

        Markup that is only whole-line bold and line breaks becomes a fast PlainText; anything
        richer (fonts, colours, inline bold, centred or boxed styles) stays a Paragraph.
        """
        st = self.styles[style]
        segments = plain_segments(text, st, self.styles) if _plain_style(st) else None
        if segments is None:
            return Para(text, st)
        return PlainText(segments=segments)

    def u(self, text: object, style: str = "Body", empty: str = "") -> Paragraph:
        """A paragraph from user text."""
        value = "" if text is None else str(text)
        if not value.strip():
            return Para(f"<font color='#555555'>{empty}</font>" if empty else "", self.styles[style])
        return Para(markup(value), self.styles[style])

    def t(self, text: object, style: str = "Body", prefix: str = "") -> Flowable:
        """User text in one font: fast PlainText when DejaVu draws it all, else a Paragraph."""
        value = fonts.clean("" if text is None else str(text))
        if fonts.base_only(prefix + value):
            return PlainText(prefix + value, self.styles[style])
        return Para(markup(prefix) + markup(value), self.styles[style])

    def heading(self, title: str, level: int = 0, style: str = "H1") -> list[Flowable]:
        self._bookmarks += 1
        return [Bookmark(fonts.clean(title), f"h{self._bookmarks}", level), self.p(markup(title), style)]

    def cell_text(self, text: str) -> str:
        text = " ".join(fonts.clean(text).split())
        if len(text) > CELL_TEXT_LIMIT:
            text = text[: CELL_TEXT_LIMIT - 1].rstrip() + "…"
        return markup(text)

    def head_row(self, labels: list[str], widths: list[float], small: bool = False) -> Row:
        style = "CellSmallHead" if small else "CellHead"
        return Row([self.p(label, style) for label in labels], widths, background=NAVY,
                   pad=3 if small else 4)  # fmt: skip

    def grid(
        self,
        heads: list[str],
        rows: list[list[str]],
        widths: list[float],
        *,
        shaded: Mapping[int, object] | None = None,
        lead: list[Flowable] | None = None,
        continued: list[Flowable] | None = None,
        small: bool = True,
        after: dict[int, Flowable] | None = None,
    ) -> HeadedList:
        """A table of renderer markup rows: header repeated on every page, rows never split."""
        style = "CellSmall" if small else "Cell"
        pad = 3 if small else 4
        items: list[Flowable] = []
        for i, cells in enumerate(rows):
            background = (shaded or {}).get(i)
            below = (after or {}).get(i)
            row = Row([self.p(c, style) for c in cells], widths, background=background, pad=pad,
                      rule_below=below is None)  # fmt: skip
            items.append(row)
            if below is not None:
                row.keepWithNext = True
                items += [below, Rule(space=2)]
        return HeadedList(self.head_row(heads, widths, small), items, lead=lead,
                          continued=continued)  # fmt: skip

    # -- officers: names or letters --

    def init_officer_labels(self) -> None:
        officers = self.assessment.officers
        self.officer_labels = [
            (o.name.strip() or "Unnamed officer") if self.show_names else f"Officer {letter_label(i)}"
            for i, o in enumerate(officers)
        ]
        names = [
            (o.name.strip(), self.officer_labels[i]) for i, o in enumerate(officers) if o.name.strip()
        ]
        self._name_subs = sorted(names, key=lambda pair: len(pair[0]), reverse=True)

    def anon(self, text: str) -> str:
        """User or engine text with each officer's name, as a whole word, replaced by the
        officer's letter ("Officer Dana Ruiz" and "Dana Ruiz" both become "Officer A")."""
        if self.show_names or not self._name_subs:
            return text
        for name, label in self._name_subs:
            if name in text:
                for form in (f"Officer {name}", name):
                    text = re.sub(rf"(?<!\w){re.escape(form)}(?!\w)", label, text)
        return text

    # -- page 1 pieces --

    def verdict_box(self, large: bool) -> Table:
        r = self.readiness
        ready = r.verdict == Verdict.READY
        mark = "✔" if ready else "✘"
        word = "READY" if ready else "NOT READY"
        if r.open_questions:
            word += " · INCOMPLETE" if r.open_can_change_verdict else ""
        verdict_style = ParagraphStyle(
            "V", parent=self.styles["Verdict"], fontSize=24 if large else 19,
            leading=30 if large else 24,
        )  # fmt: skip
        rows: list[list[Flowable]] = [
            [Para(f"{mark} {word}", verdict_style)],
            [self.u(self.anon(r.verdict_sentence), "VerdictSentence")],
        ]
        return self._boxed(rows, heavy=not ready)

    def draft_box(self) -> Table:
        r = self.readiness
        n = len(r.unassessed_mandatory)
        rows: list[list[Flowable]] = [
            [Para("DRAFT – NOT YET ASSESSED", self.styles["Verdict"])],
            [
                self.p(
                    f"No verdict yet: {n} mandatory standard{'s have' if n != 1 else ' has'} no "
                    "answer at all, so a verdict would only say that nothing has been checked. "
                    "This report lists what is left to answer; it is not for signature.",
                    "VerdictSentence",
                )
            ],
        ]
        return self._boxed(rows, heavy=True)

    def _boxed(self, rows: list[list[Flowable]], heavy: bool) -> Table:
        table = Table(rows, colWidths=[self.width], hAlign="LEFT")
        table.setStyle(
            table_style(
                [
                    ("BOX", (0, 0), (-1, -1), 2.2 if heavy else 1.2, INK),
                    ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                    ("LEFTPADDING", (0, 0), (-1, -1), 14),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 14),
                    ("TOPPADDING", (0, 0), (-1, 0), 10),
                    ("BOTTOMPADDING", (0, -1), (-1, -1), 12),
                ]
            )
        )
        return table

    def open_questions_text(self) -> str:
        r = self.readiness
        n = r.open_questions
        if not n:
            return "Every question that counts for the verdict is answered."
        many = n != 1
        verb = "answering them could" if many else "answering it could"
        if not r.open_can_change_verdict:
            verb = "none of them can" if many else "it cannot"
        return (
            f"{n} question{'s' if many else ''} that count{'' if many else 's'} for the verdict "
            f"{'are' if many else 'is'} still open; {verb} change the verdict. Unanswered "
            "questions never count as met."
        )

    def stale_notice(self) -> list[Flowable]:
        """Page 1: say so when the as-of date is well before (or after) the day of printing."""
        as_of, today = self.readiness.as_of, self.today
        days = (today - as_of).days
        if days >= STALE_DAYS:
            text = (
                f"Dates are judged as of {long_date(as_of)}, {days} days before this report was "
                f"made ({long_date(today)}): what fell due since is not shown as overdue."
            )
        elif days < 0:
            text = (
                f"Dates are judged as of {long_date(as_of)}, which is after the day this report "
                f"was made ({long_date(today)}): what falls due before then counts as done or "
                "missed already."
            )
        else:
            return []
        return [self.p(f"<b>Note on the date:</b> {text}", "Warning")]

    def who_and_how(self) -> list[list[Flowable]]:
        """Rows for who took part, the scope and the method, when the assessment has them."""
        a, label = self.assessment, self.styles["Small"]
        rows: list[list[Flowable]] = []
        for attr, title in (
            ("participants", "Who took part"),
            ("scope", "Scope"),
            ("method", "Method and limits"),
        ):
            value = getattr(a, attr, "") or ""
            if isinstance(value, list | tuple):
                value = "; ".join(str(v) for v in value)
            if str(value).strip():
                rows.append([Para(title, label), self.u(self.anon(str(value)))])
        return rows

    def fingerprint_text(self) -> str:
        return (
            f"Data fingerprint <b>{self.fingerprint}</b>: the app shows the same code for the "
            "saved assessment this report was made from. A different code means the answers "
            "have changed since."
        )

    def cover(self) -> list[Flowable]:
        a, r, s = self.assessment, self.readiness, self.styles
        story: list[Flowable] = [Bookmark("Cover", "cover"), Spacer(1, 0.2 * inch)]
        story.append(self.p("SCHOOL RESOURCE OFFICER PROGRAM · FULL EDITION", "Kicker"))
        story.append(self.p("Readiness report", "Title"))
        story.append(
            self.p(
                "How the program measures up to the standards and best practices that the "
                "National Association of School Resource Officers (NASRO) published in 2018",
                "Subtitle",
            )
        )
        story.append(self.draft_box() if self.draft else self.verdict_box(large=True))
        story += self.stale_notice()
        story.append(Spacer(1, 0.18 * inch))
        schools = [sc.name.strip() for sc in a.schools if sc.name.strip()]
        if len(schools) > COVER_SCHOOLS:
            shown = markup("; ".join(schools[:COVER_SCHOOLS]))
            schools_cell: Flowable = Para(
                f"{len(schools)}: {shown}; and {len(schools) - COVER_SCHOOLS} more (all are in "
                "the Schools table)",
                s["Body"],
            )
        elif schools:
            schools_cell = Para(f"{len(schools)}: {markup('; '.join(schools))}", s["Body"])
        else:
            schools_cell = self.p("No schools listed yet")
        label = s["Small"]
        rows: list[list[Flowable]] = [
            [Para("Agency", label), self.u(a.agency, empty="Not named yet")],
            [Para("School district", label), self.u(a.district, empty="Not named yet")],
            [Para("Schools covered", label), schools_cell],
            [Para("As of", label), self.p(long_date(r.as_of))],
            [Para("Prepared by", label), self.u(a.prepared_by, empty="Not given")],
            *self.who_and_how(),
            [
                Para("Questions answered", label),
                self.p(f"{r.answered} of {r.total} ({r.percent_answered}%)"),
            ],
            [
                Para("Question set", label),
                self.p(f"{markup(self.form.title)} ({markup(r.form_id)}, version {r.form_version})"),
            ],
            [Para("Data fingerprint", label), self.p(f"<b>{self.fingerprint}</b>")],
        ]
        if a.title.strip():
            rows.insert(0, [Para("Assessment", label), self.u(a.title)])
        table = Table(rows, colWidths=[1.55 * inch, self.width - 1.55 * inch], hAlign="LEFT")
        table.setStyle(
            table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ]
            )
        )
        story.append(table)
        story.append(Spacer(1, 8))
        story.append(self.p(self.fingerprint_text(), "Small"))
        return story

    def key_figures(self) -> Table:
        r = self.readiness
        cells = [
            (f"{r.mandatory_met} of {r.mandatory_total}", "mandatory standards met"),
            (percent(r.recommended_score), "best-practice score (recommended standards)"),
            (f"{r.answered} of {r.total}", "questions answered"),
        ]
        third = self.width / 3
        inner = []
        for number, label in cells:
            t = Table([[self.p(number, "FigureNumber")], [self.p(label, "FigureLabel")]],
                      colWidths=[third - 8])  # fmt: skip
            t.setStyle(table_style([("TOPPADDING", (0, 0), (-1, -1), 1),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))  # fmt: skip
            inner.append(t)
        table = Table([inner], colWidths=[third] * 3, hAlign="LEFT")
        table.setStyle(
            table_style(
                [
                    ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                    ("LINEAFTER", (0, 0), (1, 0), 0.6, RULE),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ]
            )
        )
        return table

    def section_chart(self) -> BarChart:
        figures = self.readiness.sections
        rows = []
        for f in figures:
            name = f"{f.section.number}. {f.section.title}"
            name = name if len(name) <= 30 else name[:28].rstrip() + "…"
            mandatory = None if f.mandatory_total == 0 else 100.0 * f.mandatory_met / f.mandatory_total
            rows.append((fonts.clean(name), mandatory, f.recommended_score))
        return BarChart(
            rows, self.width, font=fonts.BASE, size=9 if self.board else 8,
            series=("Mandatory standards met", "Best-practice score"),
            fills=(NAVY, LIGHT_BAR), ink=INK, grid=colors.HexColor("#D0D0D0"),
        )  # fmt: skip

    def chart_block(self) -> list[Flowable]:
        # One block: the heading never sits at a page foot with its chart on the next page.
        return [
            KeepTogether([
                self.p("By section", "H2"),
                self.p(
                    "For each section: the share of its mandatory standards that are met, and "
                    "its best-practice score on the recommended standards (met counts 1, partly "
                    "met counts ½).",
                    "Small",
                ),
                self.section_chart(),
            ])
        ]

    # -- executive summary (full edition) --

    def summary(self) -> list[Flowable]:
        r = self.readiness
        story = self.heading("Executive summary")
        story.append(self.u(r.verdict_sentence, "Lead"))
        story.append(self.key_figures())
        story.append(Spacer(1, 4))
        story.append(self.p(self.open_questions_text(), "Small"))
        story += self.data_checks()
        story += self.chart_block()
        top = list(r.gaps[:TOP_ACTIONS])
        lead = [self.p("Top actions", "H2")]
        if top:
            rows = []
            shaded = {}
            for i, gap in enumerate(top):
                tag = "<br/><b>MANDATORY</b>" if gap.standard.cls == StandardClass.MANDATORY else ""
                rows.append([
                    f"{markup(gap.standard.number)} {markup(gap.standard.title)}{tag}",
                    markup(self._clip(gap.next_step)),
                    gap.owner.label,
                    self.target_text(gap),
                ])  # fmt: skip
                if is_late_target(gap, r.as_of):
                    shaded[i] = SHADE
            w = self.width
            story.append(self.grid(["Standard", "Next step", "Owner", "Target date"], rows,
                                   [0.3 * w, 0.43 * w, 0.12 * w, 0.15 * w], lead=lead,
                                   shaded=shaded))  # fmt: skip
            if len(r.gaps) > TOP_ACTIONS:
                story.append(self.p(f"{len(r.gaps) - TOP_ACTIONS} more in the action plan.", "Small"))
        else:
            story += lead + [self.p("No gaps: nothing to act on.")]
        story += self.due_next_block(DUE_NEXT, "more dates on the Officers page")
        return story

    def due_next_block(self, limit: int, more_where: str) -> list[Flowable]:
        r = self.readiness
        lead = [self.p("What falls due next", "H2")]
        due = list(r.due_next[:limit])
        if not due:
            return [KeepTogether(lead + [self.p("No dated training or review falls due.")])]
        rows, shaded = [], {}
        for i, item in enumerate(due):
            when = short_date(item.when)
            if item.overdue:
                when = f"<b>✘ OVERDUE</b> since {when}"
                shaded[i] = SHADE
            rows.append([when, markup(self.anon(item.what)), markup(self.anon(item.who))])
        w = self.width
        story: list[Flowable] = [
            self.grid(["When", "What", "Who"], rows, [0.3 * w, 0.42 * w, 0.28 * w],
                      shaded=shaded, lead=lead, small=not self.board)  # fmt: skip
        ]
        if len(r.due_next) > limit:
            story.append(self.p(f"{len(r.due_next) - limit} {more_where}.", "Small"))
        return story

    def _clip(self, text: str) -> str:
        """Cells on the summary page show at most a cell's worth; the plan has all of it."""
        if len(text) <= SUMMARY_CELL_LIMIT:
            return text
        return text[: SUMMARY_CELL_LIMIT - 40].rstrip() + "… (in full in the action plan)"

    def target_text(self, gap: Gap) -> str:
        if gap.target_date is None:
            return "not set"
        if is_late_target(gap, self.readiness.as_of):
            return f"<b>✘ LATE</b><br/>was {short_date(gap.target_date)}"
        return short_date(gap.target_date)

    # -- checks on the data --

    def dates_after_as_of(self) -> list[tuple[str, str, date]]:
        """(who or what, which date, the date) for every recorded date after the as-of date."""
        as_of = self.readiness.as_of
        out: list[tuple[str, str, date]] = []
        for i, o in enumerate(self.assessment.officers):
            for label, day in self.officer_dates(o):
                if day is not None and day > as_of:
                    out.append((self.officer_labels[i], label, day))
        for q in self.form.questions:
            if q.type != AnswerType.DATE:
                continue
            day = parse_date(self.assessment.value(q.id))
            if day is not None and day > as_of:
                out.append((self.question_ref(q) or "Question", "answer", day))
        return out

    @staticmethod
    def officer_dates(o: Officer) -> list[tuple[str, date | None]]:
        return [
            ("sworn", o.sworn_date),
            ("assigned", o.assignment_date),
            ("basic course", o.basic_course_date),
            ("advanced course", o.advanced_course_date),
            ("annual training", o.last_annual_training),
            ("rapid deployment", o.last_rapid_deployment),
        ]

    def data_checks(self) -> list[Flowable]:
        later = self.dates_after_as_of()
        if not later:
            return []
        n = len(later)
        shown = "; ".join(f"{markup(who)}: {what} {short_date(day)}" for who, what, day in later[:6])
        more = f"; and {n - 6} more" if n > 6 else ""
        return [
            self.p(
                f"<b>⚠ {n} date{'s are' if n != 1 else ' is'} after the as-of date</b> "
                f"({long_date(self.readiness.as_of)}) and {'are' if n != 1 else 'is'} not "
                f"counted: {shown}{more}. Check them, or judge as of a later date.",
                "Warning",
            )
        ]

    # -- draft: what is left to answer --

    def left_to_answer(self) -> list[Flowable]:
        r = self.readiness
        story = self.heading("What is left to answer")
        story.append(
            self.p(
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
        for section in self.form.sections:
            results = by_section.pop(section.id, [])
            if not results:
                continue
            items = [
                self.t(f"{res.standard.number}  {res.standard.title}", "Bullet") for res in results
            ]
            story.append(HeadedList(None, items, lead=[self.p(
                f"{section.number}. {markup(section.title)} ({len(results)})", "H3")]))  # fmt: skip
        for results in by_section.values():
            story += [self.t(f"{res.standard.number}  {res.standard.title}", "Bullet")
                      for res in results]  # fmt: skip
        others = r.open_questions
        story.append(Spacer(1, 6))
        story.append(
            self.p(
                f"In all, {others} question{'s' if others != 1 else ''} that count for the "
                "verdict are open. Answer them in the app (the Review page lists them), then "
                "make the report again: it then gives a verdict, the section chart and the "
                "action plan.",
                "Body",
            )
        )
        return story

__all__ = ["Sections", "excerpt", "is_late_target", "officer_key"]
