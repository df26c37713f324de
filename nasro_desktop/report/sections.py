"""The parts of the report, as a mixin of the renderer: each method returns flowables.

Both editions use these; board.py adds the board edition's own first page and action list.
Every piece of user text goes through `fonts.markup` (or `t`), which escapes it and picks a
font that can draw it. Findings are matched on (kind, key), never on their display text.
"""

from __future__ import annotations

from datetime import date

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
)

from nasro_desktop.domain import wording
from nasro_desktop.domain.dates import parse_date
from nasro_desktop.domain.model import (
    ActionStatus,
    Answer,
    AnswerType,
    Choice,
    Officer,
    Question,
    StandardClass,
)
from nasro_desktop.domain.results import (
    Finding,
    Gap,
    StandardResult,
    Status,
    SubjectKind,
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
    GAP_SHADE,
    INK,
    LIGHT_BAR,
    NAVY,
    RULE,
    SHADE,
    is_mandatory_gap,
    letter_label,
    long_date,
    percent,
    reading_label,
    short_date,
    status_text,
    table_style,
    years_months,
)

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
        shaded: dict[int, object] | None = None,
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
        """User or engine text with each officer's name replaced by the officer's letter."""
        if self.show_names or not self._name_subs:
            return text
        for name, label in self._name_subs:
            if name in text:
                text = text.replace(f"Officer {name}", label).replace(name, label)
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
        rows = [
            [Para(f"{mark} {word}", verdict_style)],
            [self.u(self.anon(r.verdict_sentence), "VerdictSentence")],
        ]
        return self._boxed(rows, heavy=not ready)

    def draft_box(self) -> Table:
        r = self.readiness
        n = len(r.unassessed_mandatory)
        rows = [
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

    def _boxed(self, rows: list[list], heavy: bool) -> Table:
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

    def who_and_how(self) -> list[list]:
        """Rows for who took part, the scope and the method, when the assessment has them."""
        a, label = self.assessment, self.styles["Small"]
        rows = []
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
            schools_cell = Para(
                f"{len(schools)}: {shown}; and {len(schools) - COVER_SCHOOLS} more (all are in "
                "the Schools table)",
                s["Body"],
            )
        elif schools:
            schools_cell = Para(f"{len(schools)}: {markup('; '.join(schools))}", s["Body"])
        else:
            schools_cell = self.p("No schools listed yet")
        label = s["Small"]
        rows = [
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
            (percent(r.recommended_score), "recommended practices score"),
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
            series=("Mandatory standards met", "Recommended practices score"),
            fills=(NAVY, LIGHT_BAR), ink=INK, grid=colors.HexColor("#D0D0D0"),
        )  # fmt: skip

    def chart_block(self) -> list[Flowable]:
        return [
            self.p("By section", "H2"),
            self.p(
                "For each section: the share of its mandatory standards that are met, and its "
                "score on the recommended practices (met counts 1, partly met counts ½).",
                "Small",
            ),
            self.section_chart(),
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

    # -- findings (full edition) --

    def findings(self) -> list[Flowable]:
        r = self.readiness
        intro = self.heading("Findings by section") + [
            self.p(
                "Every standard with its number, class and status. Under each standard: the "
                "parts not met yet, observations (examples and good practice that never decide "
                "a status), parts met another way with the program's explanation for the board "
                "to judge, and a reference to any note (notes are printed in full in the "
                "appendix). <b>MANDATORY GAP</b> marks a mandatory standard that is not met; "
                "these rows are shaded and ruled on the left. Marks: ✔ met, ◐ partly met, ✘ not "
                "met, ? not answered or not sure, – not applicable.",
                "Small",
            )
        ]
        by_section: dict[str, list[StandardResult]] = {}
        for result in r.results:
            by_section.setdefault(result.standard.section, []).append(result)
        figures = {f.section.id: f for f in r.sections}
        known = {sec.id for sec in self.form.sections}
        groups = [(sec, by_section.get(sec.id, [])) for sec in self.form.sections]
        orphans = [res for res in r.results if res.standard.section not in known]
        if orphans:
            groups.append((None, orphans))
        story: list[Flowable] = []
        for section, results in groups:
            if not results:
                continue
            title = "Other standards" if section is None else f"{section.number}. {section.title}"
            lead = [*intro, *self.heading(title, level=1, style="H2")]
            intro = []
            fig = figures.get(section.id) if section is not None else None
            if fig is not None:
                mand = (
                    f"{fig.mandatory_met} of {fig.mandatory_total} mandatory met"
                    if fig.mandatory_total
                    else "no mandatory standards"
                )
                lead.append(
                    self.p(
                        f"{mand} · recommended practices score {percent(fig.recommended_score)} · "
                        f"{fig.answered} of {fig.total} questions answered",
                        "Small",
                    )
                )
            story.append(self.section_table(results, lead, title))
        return story

    def section_table(self, results: list[StandardResult], lead: list[Flowable],
                      title: str) -> HeadedList:  # fmt: skip
        """A row per standard, and under it what is not met yet and references to its notes."""
        w = self.width
        # the class column always holds "Recommended" on one line (A4 is narrower than Letter)
        class_w = max(0.15 * w, stringWidth("Recommended", fonts.BOLD, 8.5) + 16)
        widths = [0.12 * w, 0.65 * w - class_w, class_w, 0.23 * w]
        head = self.head_row(["No.", "Standard", "Class", "Status"], widths)
        items: list[Flowable] = []
        for result in results:
            std = result.standard
            unassessed = result.not_started
            gap = is_mandatory_gap(result) and not unassessed
            status = status_text(result.status)
            if unassessed:  # nothing answered: not a gap found, a question not yet asked
                status = "? Not assessed yet"
            elif gap:
                status = f"<b>{status}<br/>MANDATORY GAP</b>"
            std_title = markup(std.title)
            if std.class_note:
                std_title += f"<br/><font size='8'>{markup(std.class_note)}</font>"
            cls_text = f"<b>{std.cls.label}</b>" if std.cls == StandardClass.MANDATORY else std.cls.label
            cells = [
                self.p(markup(std.number), "CellBold" if gap else "Cell"),
                self.p(std_title, "CellBold" if gap else "Cell"),
                self.p(cls_text, "Cell"),
                self.p(status, "Cell"),
            ]
            details = self.standard_details(result)
            row = Row(cells, widths, background=GAP_SHADE if gap else None, left_rule=gap,
                      rule_below=details is None)  # fmt: skip
            if details is None:
                items.append(row)
                continue
            row.keepWithNext = True
            items += [row, details, Rule(space=2)]
        continued = [self.p(f"{markup(title)} (continued)", "H3")]
        return HeadedList(head, items, lead=lead, continued=continued)

    def standard_details(self, result: StandardResult) -> Flowable | None:
        """What is not met yet under a standard, observations, explanations and note references."""
        lines, hidden = [], 0
        for finding in result.findings:
            if not finding.decides:
                lines.append(f"Observation ({finding.status.label.lower()}): {finding.detail}")
                continue
            if finding.explanation:
                lines.append(
                    f"{finding.status.symbol} Met another way: {finding.detail} The program's "
                    f"explanation: “{' '.join(finding.explanation.split())}”"
                )
                continue
            if finding.late:
                lines.append(f"{finding.status.symbol} {finding.detail}")
                continue
            if finding.status in (Status.MET, Status.NOT_APPLICABLE):
                hidden += 1
                continue
            lines.append(self.finding_line(finding))
        if lines and hidden:
            lines.append(f"{hidden} other part{'s' if hidden != 1 else ''} met.")
        lines += self.note_references(result)
        if not lines:
            return None
        return self.t("\n".join(lines), "Detail")

    def finding_line(self, finding: Finding) -> str:
        # the engine's sentence often names the officer and the date already: say it once
        subject = finding.subject
        label = "" if subject == "Question" or subject in finding.detail else f"{subject}: "
        due = ""
        if finding.due is not None and long_date(finding.due) not in finding.detail:
            due = f" (due {short_date(finding.due)})"
        return f"{finding.status.symbol} {label}{finding.detail}{due}"

    def question_ref(self, q: Question) -> str:
        if not q.standard:
            return ""
        try:
            return f"{self.form.standard(q.standard).number}{q.element}"
        except KeyError:
            return ""

    def note_references(self, result: StandardResult) -> list[str]:
        """Each note on the standard's questions: its first words and where it is in full."""
        out = []
        answers = self.assessment.answers
        for q in self.form.questions_for(result.standard.id):
            answer = answers.get(q.id)
            if answer is None or not answer.note.strip():
                continue
            ref = self.question_ref(q) or q.id
            short, cut = excerpt(answer.note)
            where = "in full in the appendix" if cut else "also in the appendix"
            out.append(f"Note ({where} at {ref}): “{short}”")
        return out

    # -- officers and schools --

    def officers(self) -> list[Flowable]:
        a, r = self.assessment, self.readiness
        lead = self.heading("Officers")
        reading = reading_label(r.rapid_deployment_reading)
        lead.append(
            self.p(
                f"Training status per officer as of {long_date(r.as_of)}. Each cell gives the "
                "date last done and the date it falls due next; <b>OVERDUE</b> means that date "
                f"has passed. Rapid-deployment training is counted {markup(reading)}. Service is "
                "counted from the sworn date to the assignment (or to the as-of date). Shaded "
                "rows need attention; <b>⚠ after the as-of date</b> marks a date that is not "
                "counted.",
                "Small",
            )
        )
        if not a.officers:
            return lead + [self.p("No officers entered yet.")]
        heads = ["Officer", "Assigned", "Basic course", "Advanced course",
                 "Annual school-safety training", "Rapid deployment", "Probation review"]  # fmt: skip
        rows, shaded = [], {}
        notes: list[tuple[str, str]] = []
        found = self.officer_findings()
        for i, officer in enumerate(a.officers):
            mine = {rule: found[rule][i] for rule in found}
            cells, flag = self.officer_cells(i, officer, mine)
            rows.append(cells)
            if flag:
                shaded[i] = SHADE
            if officer.note.strip():
                notes.append((self.officer_labels[i], officer.note))
        w = self.width
        widths = [0.2 * w, 0.11 * w, 0.14 * w, 0.14 * w, 0.15 * w, 0.14 * w, 0.12 * w]
        story: list[Flowable] = [
            self.grid(heads, rows, widths, shaded=shaded, lead=lead,
                      continued=[self.p("Officers (continued)", "H3")])  # fmt: skip
        ]
        story += self.notes_list("Notes on officers", notes)
        return story

    def officer_findings(self) -> dict[str, list[Finding | None]]:
        """rule -> the engine's finding for each officer, in the order of the officer table.

        Matched on (kind, key); an engine that gives no officer identities yet gives one finding
        per officer, last, in table order.
        """
        officers = self.assessment.officers
        n = len(officers)
        out: dict[str, list[Finding | None]] = {}
        for rule in OFFICER_RULES:
            found: list[Finding | None] = [None] * n
            result = next((res for res in self.readiness.results if res.standard.rule == rule), None)
            if result is not None and n:
                if any(f.kind is SubjectKind.OFFICER for f in result.findings):
                    found = [result.finding(SubjectKind.OFFICER, officer_key(i, o))
                             for i, o in enumerate(officers)]  # fmt: skip
                elif len(result.findings) >= n:
                    found = list(result.findings[-n:])
            out[rule] = found
        return out

    def _after(self, day: date | None) -> str:
        if day is not None and day > self.readiness.as_of:
            return "<br/><b>⚠ after the as-of date</b>"
        return ""

    def _due_cell(self, last: date | None, finding: Finding | None, none: str) -> tuple[str, bool]:
        """A training cell: when it was last done, and the engine's verdict with its due date."""
        first = (f"done {short_date(last)}" if last else none) + self._after(last)
        flag = bool(self._after(last))
        if finding is None:
            return first, flag
        due = short_date(finding.due) if finding.due else ""
        if finding.late:
            return f"{first}<br/>✔ {markup(finding.detail)}", flag
        if finding.status == Status.NOT_MET:
            second = "<b>✘ OVERDUE</b>" + (f"<br/>was due {due}" if due else "")
            return f"{first}<br/>{second}", True
        if finding.status == Status.MET:
            second = f"✔ next due {due}" if due else "✔"
            return f"{first}<br/>{second}", flag
        return f"{first}<br/>{status_text(finding.status)}", flag or finding.status == Status.UNKNOWN

    def officer_cells(self, index: int, o: Officer,
                      found: dict[str, Finding | None]) -> tuple[list[str], bool]:  # fmt: skip
        who = f"<b>{self.cell_text(self.officer_labels[index])}</b>"
        school = getattr(o, "school", "")
        if isinstance(school, str) and school.strip():
            who += f"<br/>{self.cell_text(school)}"
        flag = False
        if o.sworn_date:
            end = o.assignment_date or self.readiness.as_of
            when = "when assigned" if o.assignment_date else "so far"
            who += f"<br/>sworn {short_date(o.sworn_date)}{self._after(o.sworn_date)}"
            if o.sworn_date <= end:
                who += f"<br/>{years_months(o.sworn_date, end)} of service {when}"
            else:
                who += "<br/><b>⚠ sworn after the assignment date</b>"
                flag = True
        elif o.years_experience is not None:
            who += f"<br/>{o.years_experience} years of service"
        experience = found.get("experience")
        if experience is not None and experience.status != Status.MET:
            who += f"<br/>{status_text(experience.status)}: experience"
            flag = True
        cells = [who, short_date(o.assignment_date) + self._after(o.assignment_date)]
        flag |= bool(self._after(o.sworn_date) or self._after(o.assignment_date))
        for rule, last in (
            ("basic_course", o.basic_course_date),
            ("advanced_course", o.advanced_course_date),
            ("annual_training", o.last_annual_training),
            ("rapid_deployment", o.last_rapid_deployment),
        ):
            text, overdue = self._due_cell(last, found.get(rule), "not recorded")
            cells.append(text)
            flag |= overdue
        if o.probation_review_with_school is True:
            probation = "✔ school took part"
        elif o.probation_review_with_school is False:
            probation = "<b>✘ school did not take part</b>"
            flag = True
        else:
            probation = "? not recorded"
        if o.probation_end:
            probation = f"ends {short_date(o.probation_end)}<br/>{probation}"
        cells.append(probation)
        return cells, flag

    def schools(self) -> list[Flowable]:
        a = self.assessment
        lead = self.heading("Schools")
        lead.append(
            self.p(
                "Staffing per school against the factors NASRO asks districts to weigh when "
                "deciding how many SROs a school needs. NASRO recommends at least one SRO in "
                "every school. Discipline history and the school's place in the community also "
                "count; they are not numbers, so weigh them with the figures below.",
                "Small",
            )
        )
        if not a.schools:
            return lead + [self.p("No schools entered yet.")]
        heads = ["School", "Enrollment", "Buildings", "Acreage", "Calls for service",
                 "Non-sworn safety staff", "SROs assigned"]  # fmt: skip
        rows, shaded = [], {}
        notes: list[tuple[str, str]] = []

        def num(value: object) -> str:
            if value is None:
                return "—"
            if isinstance(value, float):
                return f"{value:g}"
            return f"{value:,}" if isinstance(value, int) else markup(str(value))

        for i, school in enumerate(a.schools):
            sros = school.sros_assigned
            if sros is None:
                sro_text = "<b>? not recorded</b>"
                shaded[i] = SHADE
            elif sros < 1:
                sro_text = "<b>✘ none</b>"
                shaded[i] = SHADE
            else:
                sro_text = f"✔ {sros}"
            name = self.cell_text(school.name) if school.name.strip() else "No name"
            rows.append([name, num(school.enrollment), num(school.buildings), num(school.acreage),
                         num(school.calls_for_service), num(school.non_sworn_safety_staff),
                         sro_text])  # fmt: skip
            if school.note.strip():
                notes.append((school.name, school.note))
        w = self.width
        widths = [0.27 * w, 0.14 * w, 0.1 * w, 0.1 * w, 0.12 * w, 0.14 * w, 0.13 * w]
        story: list[Flowable] = [
            self.grid(heads, rows, widths, shaded=shaded, lead=lead,
                      continued=[self.p("Schools (continued)", "H3")])  # fmt: skip
        ]
        with_sro = sum(1 for sc in a.schools if (sc.sros_assigned or 0) >= 1)
        story.append(Spacer(1, 4))
        story.append(self.p(f"{with_sro} of {len(a.schools)} schools have at least one SRO assigned."))
        story += self.notes_list("Notes on schools", notes)
        return story

    def notes_list(self, title: str, notes: list[tuple[str, str]]) -> list[Flowable]:
        if not notes:
            return []
        items: list[Flowable] = []
        for who, note in notes:
            label = fonts.clean(who) if who.strip() else "No name"
            items.append(self.t(note, "Note", prefix=f"{label}: "))
        return [HeadedList(None, items, lead=[self.p(title, "H3")])]

    # -- action plan --

    def action_rows(self, gaps: list[Gap], *, clip: int = CELL_NOTE_LIMIT
                    ) -> tuple[list[list[str]], dict[int, object], list[tuple[str, str]]]:  # fmt: skip
        rows, shaded = [], {}
        notes: list[tuple[str, str]] = []
        items: dict[str, list] = {}
        for item in self.assessment.action_items:
            items.setdefault(item.standard_id, []).append(item)
        for i, gap in enumerate(gaps):
            mandatory = gap.standard.cls == StandardClass.MANDATORY
            std = f"<b>{markup(gap.standard.number)}</b> {markup(gap.standard.title)}<br/>"
            if mandatory:
                std += f"<b>MANDATORY · {status_text(gap.status)}</b>"
                shaded[i] = GAP_SHADE
            else:
                std += f"{gap.standard.cls.label} · {status_text(gap.status)}"
            step = self.anon(gap.next_step)
            if len(step) > clip:
                notes.append((f"{gap.standard.number} next step", step))
                step = step[: clip - 40].rstrip() + "… (in full below)"
            rows.append([str(gap.rank), std, markup(step), gap.owner.label, self.target_text(gap),
                         gap.action_status.label])  # fmt: skip
            if is_late_target(gap, self.readiness.as_of):
                shaded[i] = GAP_SHADE
            if not self.board:
                for item in items.get(gap.standard.id, []):
                    if item.note.strip():
                        notes.append((f"{gap.standard.number} {gap.standard.title}", item.note))
        return rows, shaded, notes

    def action_widths(self) -> list[float]:
        w = self.width
        return [0.045 * w, 0.265 * w, 0.37 * w, 0.1 * w, 0.11 * w, 0.11 * w]

    ACTION_HEADS = ["#", "Standard and status", "Next step", "Owner", "Target", "Progress"]

    def action_plan(self) -> list[Flowable]:
        r = self.readiness
        lead = self.heading("Action plan")
        lead.append(
            self.p(
                "Every gap, most urgent first: mandatory standards before recommended ones. "
                "Owner is who usually closes the gap: the law-enforcement agency, the school "
                "district, or both. <b>✘ LATE</b> marks a target date that has passed on a step "
                "that is not done.",
                "Small",
            )
        )
        if not r.gaps:
            return lead + [self.p("There are no gaps. Every applicable standard is met.")]
        rows, shaded, notes = self.action_rows(list(r.gaps))
        story: list[Flowable] = [
            self.grid(self.ACTION_HEADS, rows, self.action_widths(), shaded=shaded, lead=lead,
                      continued=[self.p("Action plan (continued)", "H3")])  # fmt: skip
        ]
        story += self.notes_list("Notes on actions", notes)
        return story

    # -- items marked for review --

    def marked_for_review(self) -> list[Flowable]:
        answers = self.assessment.answers
        flagged = [q for q in self.form.questions
                   if (a := answers.get(q.id)) is not None and (a.flagged or a.reconfirm)]  # fmt: skip
        lead = self.heading("Items marked for review")
        lead.append(
            self.p(
                "Answers someone marked for review, and answers carried forward from an earlier "
                "assessment that are still to be re-confirmed.",
                "Small",
            )
        )
        if not flagged:
            return lead + [self.p("No answer is marked for review.")]
        items = []
        for q in flagged:
            a = answers[q.id]
            why = "marked for review" if a.flagged else ""
            if a.reconfirm:
                why += ("; " if why else "") + "to be re-confirmed"
            ref = self.question_ref(q)
            text = f"{ref + ' · ' if ref else ''}{q.text_for(answers)} ({why})"
            items.append(self.t(text, "Bullet"))
        return [HeadedList(None, items, lead=lead)]

    # -- how this was scored --

    def scoring(self) -> list[Flowable]:
        r = self.readiness
        story = self.heading("How this was scored")
        facts = [
            f"Dates were judged as of <b>{long_date(r.as_of)}</b>.",
            "A question that is not answered, or answered “Not sure”, never counts as met.",
            "NASRO asks for single-officer rapid-deployment training “bi-annually”, which can "
            "mean twice a year or every two years. This report reads it as "
            f"<b>{markup(reading_label(r.rapid_deployment_reading))}</b>.",
            f"Question set: {markup(self.form.title)} ({markup(r.form_id)}, "
            f"<b>version {r.form_version}</b>).",
            f"{r.answered} of {r.total} questions that apply were answered "
            f"({r.percent_answered}%).",
            f"Data fingerprint <b>{self.fingerprint}</b>.",
        ]
        for fact in facts:
            story.append(Para(fact, self.styles["Bullet"], bulletText="•"))
        rules = [Para(markup(rule), self.styles["Bullet"], bulletText="•") for rule in r.rules]
        if not rules:
            rules = [self.p("The engine stated no rules.")]
        story.append(HeadedList(None, rules, lead=[
            self.p("The rules, as the readiness engine applies them", "H2")]))  # fmt: skip
        return story

    # -- appendix --

    def answer_text(self, question: Question, answer: Answer | None) -> str:
        """The answer in words (plain text, not markup)."""
        a = self.assessment
        if question.type == AnswerType.OFFICERS:
            return f"{len(a.officers)} officers: see the Officers page."
        if question.type == AnswerType.SCHOOLS:
            return f"{len(a.schools)} schools: see the Schools page."
        if answer is None or not answer.is_answered:
            return NOT_ANSWERED
        value = answer.value
        if question.type == AnswerType.STATUS:
            try:
                choice = Choice(value)
            except ValueError:
                return wording.choice_label(value)
            return f"{CHOICE_STATUS[choice].symbol} {wording.choice_label(choice)}"
        if question.type == AnswerType.YESNO:
            return {"yes": "Yes", "no": "No"}.get(str(value), str(value))
        if question.type == AnswerType.DATE:
            day = parse_date(value)
            if day is None:
                return str(value)
            if day > self.readiness.as_of:
                return f"{long_date(day)} (⚠ after the as-of date: not counted)"
            return long_date(day)
        if question.type == AnswerType.INTEGER and isinstance(value, int):
            return f"{value:,}"
        return str(value)

    def appendix(self) -> list[Flowable]:
        answers = self.assessment.answers
        story = self.heading("Appendix: every question and answer")
        story.append(
            self.p(
                "Each question as it was asked, with the answer and its note in full. Questions "
                "that did not apply, given earlier answers, are listed as not asked.",
                "Small",
            )
        )
        groups: list[tuple[str, list[Question]]] = []
        profile = self.form.questions_in(PROFILE_SECTION)
        if profile:
            groups.append(("Profile", profile))
        seen = {q.id for q in profile}
        for section in self.form.sections:
            qs = self.form.questions_in(section.id)
            seen.update(q.id for q in qs)
            if qs:
                groups.append((f"{section.number}. {section.title}", qs))
        rest = [q for q in self.form.questions if q.id not in seen]
        if rest:
            groups.append(("Other questions", rest))
        for title, questions in groups:
            blocks: list[Flowable] = []
            for q in questions:
                blocks += self.question_block(q, answers)
            story.append(HeadedList(None, blocks, lead=[self.p(markup(title), "H2")]))
        return story

    def question_block(self, q: Question, answers: dict[str, Answer]) -> list[Flowable]:
        ref = self.question_ref(q)
        ref = f"{ref} · " if ref else ""
        try:
            text = q.text_for(answers)
            visible = q.is_visible(answers)
        except Exception:  # a condition that cannot be judged: show the default wording
            text, visible = q.text, True
        answer = answers.get(q.id)
        lines: list[str] = []
        strong = False
        if not visible and not (answer and answer.is_answered):
            lines.append("Not asked: did not apply, given earlier answers.")
        else:
            shown = self.answer_text(q, answer)
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
        st = self.styles
        has_note = answer is not None and bool(answer.note.strip())
        segments = [
            (ref + fonts.clean(text), st["Question"], True),
            (fonts.clean("\n".join(lines)), st["AnswerStrong" if strong else "Answer"], has_note),
        ]
        if has_note:
            segments.append(("Note: " + fonts.clean(answer.note.strip()), st["Note"], False))
        if all(fonts.base_only(seg[0]) for seg in segments):
            return [PlainText(segments=segments)]
        # some character needs the fallback font: Paragraphs, which can switch fonts mid-line
        question = self.t(text, "Question", prefix=ref)
        question.keepWithNext = True
        out = [question] + [self.t(seg[0], seg[1].name) for seg in segments[1:]]
        if has_note:
            out[1].keepWithNext = True
        return out

    # -- glossary, disclaimer, signatures --

    BOARD_TERMS = ("NASRO", "SRO", "MOU", "Mandatory", "Recommended")

    def glossary_and_disclaimer(self, short: bool) -> list[Flowable]:
        terms = [(k, v) for k, v in wording.GLOSSARY.items() if not short or k in self.BOARD_TERMS]
        items = [self.p(f"<b>{markup(term)}</b>: {markup(text)}", "Body") for term, text in terms]
        heading = self.heading("Words used in this report", style="H2")
        if short:  # two columns: the board edition's glossary is five lines, not a page
            half = (self.width - 12) / 2
            pairs = [items[i : i + 2] + [Spacer(1, 1)] * (2 - len(items[i : i + 2]))
                     for i in range(0, len(items), 2)]  # fmt: skip
            grid = Table(pairs, colWidths=[half + 12, half], hAlign="LEFT")
            grid.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                      ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                      ("RIGHTPADDING", (0, 0), (-1, -1), 12),
                                      ("TOPPADDING", (0, 0), (-1, -1), 0),
                                      ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))  # fmt: skip
            story: list[Flowable] = [KeepTogether([*heading, grid])]
        else:
            story = [HeadedList(None, items, lead=heading)]
        story.append(
            KeepTogether(
                [
                    self.p("About this report", "H2"),
                    self.p(markup(wording.DISCLAIMER), "Body"),
                    self.p(f"The standards: {markup(wording.DOCUMENT)}.", "Body"),
                ]
            )
        )
        return story

    def signatures(self) -> list[Flowable]:
        a = self.assessment
        if self.draft:
            return [
                self.p("Signatures", "H2"),
                self.p(
                    "This draft is not for signature: the report gives a verdict, and room to "
                    "sign, once every mandatory standard has at least one answer.",
                    "Body",
                ),
            ]
        story: list[Flowable] = [
            *self.heading("Signatures", style="H2"),
            self.p(
                "By signing, the head of the law-enforcement agency and the superintendent "
                f"confirm having read this report (data fingerprint <b>{self.fingerprint}</b>, "
                f"made on {long_date(self.today)}) and that they support the program and its "
                "action plan.",
                "Body",
            ),
        ]
        half = (self.width - 0.3 * inch) / 2

        def lines(labels: tuple[str, ...], width: float) -> Table:
            label_w = min(0.95 * inch, width * 0.45)
            t = Table([[self.p(label, "Small"), Spacer(1, 1)] for label in labels],
                      colWidths=[label_w, width - label_w],
                      rowHeights=[21] * len(labels), hAlign="LEFT")  # fmt: skip
            t.setStyle(
                table_style(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                        ("LINEBELOW", (1, 0), (1, -1), 0.8, INK),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                    ]
                )
            )
            return t

        signers = []
        for role, org in (
            ("Head of the law-enforcement agency", a.agency),
            ("Superintendent of the school district", a.district),
        ):
            cell: list[Flowable] = [self.p(role, "SignRole")]
            cell.append(self.u(org, "Small") if org.strip() else self.p("Not named yet", "Small"))
            cell.append(lines(("Name", "Signature", "Date"), half))
            signers.append(cell)
        pair = Table([signers], colWidths=[half + 0.3 * inch, half], hAlign="LEFT")
        pair.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                  ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))  # fmt: skip
        story.append(pair)
        story.append(self.p("Acknowledged by the school board", "SignRole"))
        third = (self.width - 0.4 * inch) / 3
        board_lines = Table(
            [[lines(("Board",), third), lines(("Meeting date",), third),
              lines(("Minutes item",), third)]],
            colWidths=[third + 0.2 * inch, third + 0.2 * inch, third], hAlign="LEFT",
        )  # fmt: skip
        board_lines.setStyle(table_style([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                          ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                          ("TOPPADDING", (0, 0), (-1, -1), 0),
                                          ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))  # fmt: skip
        story.append(board_lines)
        return [KeepTogether(story)]


__all__ = ["CondPageBreak", "Sections", "excerpt", "is_late_target", "officer_key"]
