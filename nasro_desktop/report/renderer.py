"""The renderer: page templates, header and footer, and the story of each edition.

Modelled on pretix's invoice renderer: one renderer class with a named stylesheet
(styles.py), page templates whose callbacks draw the header and footer, a numbering canvas for
"Page X of Y" and embedded TrueType fonts (fonts.py). The parts of the report are built by
mixins: sections.py (shared helpers, page 1, summary), findings.py, people.py (officers and
schools), plan.py (action plan, review items, scoring), closing.py (appendix, glossary,
signatures) and board.py (the board edition's own pages).

Two editions:
- "board": 2–4 pages for a (usually public) board packet. Verdict, figures, what must be done,
  what falls due, glossary, disclaimer, signatures. Officers are "Officer A, B…" unless the
  chief chooses to print names. No text under 9 pt.
- "full": everything, for the file. Notes are printed in full once, in the appendix.

An assessment in which a mandatory standard has no answer at all is a draft: every page says
"DRAFT – NOT YET ASSESSED", and there is no verdict, chart, action plan or signature block.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    NextPageTemplate,
    PageTemplate,
    Spacer,
)

from nasro_desktop.domain.compare import Comparison
from nasro_desktop.domain.evidence import Evidence
from nasro_desktop.domain.merge import Provenance
from nasro_desktop.domain.model import Assessment, Form
from nasro_desktop.domain.results import Readiness
from nasro_desktop.domain.wording import terms_used
from nasro_desktop.report import EDITIONS, fonts
from nasro_desktop.report.board import BoardSections
from nasro_desktop.report.closing import ClosingSections, story_words
from nasro_desktop.report.compare import since_last_year
from nasro_desktop.report.evidence import evidence_counts, evidence_register
from nasro_desktop.report.findings import FindingsSections
from nasro_desktop.report.flowables import BreakOffPage, KeepWhole, Para, numbered_canvas
from nasro_desktop.report.fonts import markup
from nasro_desktop.report.overview import OverviewSections
from nasro_desktop.report.people import PeopleSections
from nasro_desktop.report.plan import PlanSections
from nasro_desktop.report.provenance import who_answered
from nasro_desktop.report.sections import Sections
from nasro_desktop.report.styles import INK, MUTED, RULE, build_styles, long_date

# Compressed streams stay binary: ASCII85 on top only makes the file bigger and costs ~10 ms.
rl_config.useA85 = 0

PAPER = {"letter": LETTER, "a4": A4}
EDITION_NAMES = {"board": "Board edition", "full": "Full edition"}
DRAFT_STAMP = "DRAFT – NOT YET ASSESSED"
BOARD_PAGES = 4  # the board edition's most pages


class ReadinessReportRenderer(
    BoardSections, FindingsSections, PeopleSections, PlanSections, OverviewSections,
    ClosingSections, Sections,
):
    """Builds the PDF. One instance per report; `render()` returns the bytes."""

    def __init__(
        self,
        form: Form,
        assessment: Assessment,
        readiness: Readiness,
        *,
        paper: str = "letter",
        edition: str = "board",
        show_names: bool = False,
        today: date | None = None,
        progress: Callable[[float], None] | None = None,
        evidence: Sequence[Evidence] = (),
        comparison: Comparison | None = None,
        provenance: Provenance | None = None,
    ) -> None:
        if paper not in PAPER:
            raise ValueError(f"Paper must be one of {', '.join(PAPER)}, not {paper!r}.")
        if edition not in EDITIONS:
            raise ValueError(f"Edition must be one of {', '.join(EDITIONS)}, not {edition!r}.")
        fonts.register_fonts()
        self.form = form
        self.assessment = assessment
        self.readiness = readiness
        self.evidence = tuple(evidence)  # the evidence register (report/evidence.py)
        self.comparison = comparison  # Since last year (report/compare.py), if any
        self.provenance = provenance  # who answered, if shared (report/provenance.py)
        self.edition = edition
        self.board = edition == "board"
        self.show_names = show_names or not self.board
        self.today = today or date.today()
        self.draft = readiness.is_draft
        self.pagesize = PAPER[paper]
        self.progress = progress
        self.styles = build_styles(board=self.board)
        self.margin_x = 0.8 * inch
        self.margin_top = 0.95 * inch
        self.margin_bottom = 0.85 * inch
        self.width = self.pagesize[0] - 2 * self.margin_x
        self.frame_height = self.pagesize[1] - self.margin_top - self.margin_bottom
        self.furniture_size = 9.0 if self.board else 8.0
        self._flowable_total = 1
        self._progress_shown = 0.1
        self._bookmarks = 0
        self.squeezed = False  # the board edition without its chart, to stay within BOARD_PAGES
        self.agency = assessment.agency.strip() or "Agency not named yet"
        self.district = assessment.district.strip() or "School district not named yet"
        self.fingerprint = readiness.fingerprint  # what evaluate judged (domain/fingerprint.py)
        self.init_officer_labels()

    # -- page templates --

    def _on_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        tagger = getattr(canvas, "tagger", None)
        if tagger is None:
            self._draw_furniture(canvas)
            return
        with tagger.furniture():  # running header and footer: artifacts, not content
            self._draw_furniture(canvas)

    def _draw_furniture(self, canvas: Canvas) -> None:
        width, height = self.pagesize
        size = self.furniture_size
        canvas.saveState()
        top = height - 0.55 * inch
        left = Para(markup(self._header_agency), self._header_style)
        left.wrapOn(canvas, self.width * 0.6, 20)
        left.drawOn(canvas, self.margin_x, top)
        right, footer = self.furniture()
        if self.draft:
            canvas.setFont(fonts.BOLD, size + 1)
            canvas.drawRightString(width - self.margin_x, top + 1.5, DRAFT_STAMP)
        else:
            canvas.setFont(fonts.BASE, size)
            canvas.setFillColor(INK if self.board else MUTED)
            canvas.drawRightString(width - self.margin_x, top + 1.5, right)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(self.margin_x, top - 5, width - self.margin_x, top - 5)
        bottom = 0.5 * inch
        canvas.line(self.margin_x, bottom + size + 3, width - self.margin_x, bottom + size + 3)
        canvas.setFont(fonts.BASE, size)
        canvas.setFillColor(INK if self.board else MUTED)
        canvas.drawString(self.margin_x, bottom, footer)
        canvas.drawString(self.margin_x, bottom - size - 2, self.footer_notes())
        canvas.restoreState()

    def furniture(self) -> tuple[str, str]:
        """The running head's right-hand text and the footer: on every page of both formats
        (the PDF draws the head's agency name beside it; Word puts both in the header)."""
        right = DRAFT_STAMP if self.draft else f"SRO readiness report · {EDITION_NAMES[self.edition]}"
        footer = f"As of {long_date(self.readiness.as_of)} · Data fingerprint {self.fingerprint}"
        if self.draft:
            footer += " · " + DRAFT_STAMP
        return right, footer

    def _fit_header(self, text: str, width: float) -> str:
        """The agency name cut to one header line (page 1 gives it in full)."""
        text = " ".join(fonts.clean(text).split())
        size = self.furniture_size
        if stringWidth(text, fonts.BOLD, size) <= width:
            return text
        while text and stringWidth(text + "…", fonts.BOLD, size) > width:
            text = text[: max(0, len(text) - max(1, len(text) // 20))]
        return text.rstrip() + "…"

    def _on_progress(self, kind: str, value: int) -> None:
        if self.progress is None:
            return
        if kind == "SIZE_EST":
            self._flowable_total = max(1, value)
        elif kind == "PROGRESS":
            # split flowables go back on the list, so the raw count can step back: never show it
            done = min(0.95, 0.1 + 0.85 * value / self._flowable_total)
            if done > self._progress_shown:
                self._progress_shown = done
                self.progress(done)

    def _on_document(self, canvas: Canvas) -> None:
        from nasro_desktop.report.tagging import add_metadata

        canvas.setViewerPreference("DisplayDocTitle", "true")
        add_metadata(getattr(canvas, "_doc"), title=self.title(), language="en-US",  # noqa: B009
                     author=self.assessment.prepared_by.strip() or self.agency)  # fmt: skip
        canvas.showOutline()  # the viewer opens with the outline shown

    def render(self) -> bytes:
        if self.progress:
            self.progress(0.0)
        self._header_agency = self._fit_header(self.agency, self.width * 0.55)
        self._header_style = self.header_style()
        buffer = io.BytesIO()
        a = self.assessment
        doc = BaseDocTemplate(
            buffer,
            pagesize=self.pagesize,
            leftMargin=self.margin_x,
            rightMargin=self.margin_x,
            topMargin=self.margin_top,
            bottomMargin=self.margin_bottom,
            title=self.title(),
            author=a.prepared_by.strip() or self.agency,
            subject="Readiness of a School Resource Officer program against the NASRO "
            "Standards and Best Practices (2018), as of " + long_date(self.readiness.as_of)
            + f"; data fingerprint {self.fingerprint}",
            creator="nasro-desktop",
            keywords=["NASRO", "School Resource Officer", "readiness"],
            lang="en-US",
        )
        frame = Frame(
            self.margin_x, self.margin_bottom, self.width, self.frame_height, id="body",
            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
        )  # fmt: skip
        doc.addPageTemplates(
            [
                PageTemplate(id="cover", frames=[frame], onPage=self._on_page),
                PageTemplate(id="body", frames=[frame], onPage=self._on_page),
            ]
        )
        doc.setProgressCallBack(self._on_progress)
        story = self.board_story() if self.board else self.full_story()
        if self.progress:
            self.progress(0.1)
        doc.build(
            story,
            canvasmaker=numbered_canvas(
                fonts.BASE, self.pagesize[0] - self.margin_x, 0.5 * inch,
                size=self.furniture_size, on_document=self._on_document,
            ),  # fmt: skip
        )
        if self.board and doc.page > BOARD_PAGES and not self.squeezed:
            # the board edition stays within BOARD_PAGES: the section chart goes first (it is
            # in the full edition), and the story is laid out again
            self.squeezed = True
            self._bookmarks = 0
            return self.render()
        if self.progress:
            self.progress(1.0)
        return buffer.getvalue()

    def title(self) -> str:
        """The document's title (shown by viewers instead of the file name)."""
        return f"SRO program readiness report ({EDITION_NAMES[self.edition].lower()}): {self.agency}"

    def render_docx(self) -> bytes:
        """The same edition as a Word document, written from the same story (report/word.py)."""
        from nasro_desktop.report.word import WordWriter

        if self.progress:
            self.progress(0.0)
        writer = WordWriter(
            title=self.title(), language="en-US", pagesize=self.pagesize,
            margins=(self.margin_x, self.margin_x, self.margin_top, self.margin_bottom),
        )  # fmt: skip
        right, footer = self.furniture()
        writer.furniture(f"{fonts.clean(self.agency)} · {right}", footer)
        writer.write(self.board_story() if self.board else self.full_story())
        data = writer.save()
        if self.progress:
            self.progress(1.0)
        return data

    # -- the stories --

    def section_break(self, room: float = 3.2 * inch) -> list[Flowable]:
        """A new part starts on the same page when enough of it is left, else on the next."""
        return [CondPageBreak(room), Spacer(1, 14)]

    def full_story(self) -> list[Flowable]:
        story: list[Flowable] = []
        story += self.cover()
        story += [NextPageTemplate("body"), BreakOffPage(1)]
        if self.draft:
            story += self.left_to_answer()
        else:
            story += self.summary()
        story += self.section_break() + self.glossary()  # before the tables
        if since := since_last_year(self):
            story += self.section_break() + since
        story += self.section_break(0.45 * self.frame_height)  # no page of one "N more" line
        story += self.findings()
        story += self.section_break()
        story += self.officers()
        story += self.section_break()
        story += self.schools()
        story += self.section_break()
        story += evidence_register(self)
        if not self.draft:
            story += self.section_break()
            story += self.action_plan()
        if who := who_answered(self, self.provenance):
            story += self.section_break() + who
        story += self.section_break()
        story += self.marked_for_review()
        story += self.section_break()
        story += self.scoring()
        story += self.section_break()
        story += self.appendix()
        story += self.section_break()
        story += self.closing()
        return story

    def board_story(self) -> list[Flowable]:
        first = self.board_first_page()
        story: list[Flowable] = []
        if self.draft:  # the draft's first page is short: what is left follows on it
            story += [NextPageTemplate("body"), Spacer(1, 16)]
            story += self.left_to_answer()
        else:
            # page 1 stands alone; if it ran over, what must be done follows on the same page
            story += [NextPageTemplate("body"), CondPageBreak(0.6 * self.frame_height)]
            story += [Spacer(1, 4)]  # the glossary goes here, before the tables
            story += self.board_actions()
            story += [Spacer(1, 10)]
            story += self.board_due_next()
            story += self.board_claims()  # met another way: the program's own claims
            story += self.data_checks()  # dates after the assessment date: to check
        if since := since_last_year(self):
            story += [Spacer(1, 10)] + since
        if self.evidence:
            story += [Spacer(1, 10)] + evidence_counts(self)
        story += [Spacer(1, 6)]
        story += self.closing()
        # the words the board pages use, defined before the tables (page 2's top)
        terms = terms_used(" ".join([story_words(first + story), *self.furniture(),
                                     self.footer_notes()]))
        at = 3 if not self.draft else 2
        return first + story[:at] + self.glossary(terms) + story[at:]

    def closing(self) -> list[Flowable]:
        """"About this report" and the signatures as one block that moves to the next page
        whole: the last page never holds a signature line or a sentence."""
        return [KeepWhole([self.about_this_report(), Spacer(1, 8), *self.signatures()])]

    def header_style(self) -> ParagraphStyle:
        return ParagraphStyle("Header", fontName=fonts.BOLD, fontSize=self.furniture_size,
                              leading=self.furniture_size + 2, textColor=INK)  # fmt: skip


__all__ = ["DRAFT_STAMP", "PAPER", "ReadinessReportRenderer"]
