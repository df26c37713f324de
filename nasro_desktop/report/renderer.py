"""The PDF and Word editions of a report: page templates, the running head and foot, and the
story of each edition, put together from the parts (plain functions of a `Report`,
sections.py).

Modelled on pretix's invoice renderer: a named stylesheet (styles.py), page templates whose
callbacks draw the header and footer, a numbering canvas for "Page X of Y" and embedded
TrueType fonts (fonts.py).

Two editions:
- "board": 2–4 pages for a (usually public) board packet. Verdict, figures, what must be done,
  what falls due, glossary, disclaimer, signatures. Officers are never named unless the chief
  chooses to print names. No text under 9 pt.
- "full": everything, for the file. Notes are printed in full once, in the appendix.

An assessment in which a mandatory standard has no answer at all is a draft: every page says
"DRAFT – NOT YET ASSESSED", and there is no verdict, chart, action plan or signature block.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from reportlab import rl_config
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

from nasro_desktop.domain.model import Assessment, Form
from nasro_desktop.domain.results import Readiness
from nasro_desktop.domain.wording import terms_used
from nasro_desktop.report import board, closing, findings, fonts, overview, people, plan
from nasro_desktop.report.closing import story_words
from nasro_desktop.report.compare import since_last_year
from nasro_desktop.report.evidence import evidence_counts, evidence_register
from nasro_desktop.report.flowables import BreakOffPage, KeepWhole, Para, numbered_canvas
from nasro_desktop.report.fonts import markup
from nasro_desktop.report.options import ReportOptions
from nasro_desktop.report.provenance import who_answered
from nasro_desktop.report.sections import Report
from nasro_desktop.report.styles import INK, MUTED, RULE, long_date
from nasro_desktop.report.tagging import add_metadata, tagger_of

# Compressed streams stay binary: ASCII85 on top only makes the file bigger and costs ~10 ms.
rl_config.useA85 = 0

EDITION_NAMES = {"board": "Board edition", "full": "Full edition"}
DRAFT_STAMP = "DRAFT – NOT YET ASSESSED"
BOARD_PAGES = 4  # the board edition's most pages
LANGUAGE = "en-US"  # of the text, for screen readers and spelling (both formats)

Progress = Callable[[float], None]


def render_pdf(form: Form, assessment: Assessment, readiness: Readiness,
               options: ReportOptions, progress: Progress | None = None) -> bytes:
    return PdfEdition(Report(form, assessment, readiness, options), progress).render()


def title(r: Report) -> str:
    """The document's title (shown by viewers instead of the file name)."""
    return f"SRO program readiness report ({EDITION_NAMES[r.edition].lower()}): {r.agency}"


def furniture(r: Report) -> tuple[str, str]:
    """The running head's right-hand text and the footer: on every page of both formats (the
    PDF draws the head's agency name beside it; Word puts both in the header)."""
    right = DRAFT_STAMP if r.draft else f"SRO readiness report · {EDITION_NAMES[r.edition]}"
    footer = f"As of {long_date(r.readiness.as_of)} · Data fingerprint {r.fingerprint}"
    if r.draft:
        footer += " · " + DRAFT_STAMP
    return right, footer


class PdfEdition:
    """One PDF being laid out: its page templates and running head and foot, and the progress
    reported as reportlab lays the story out."""

    def __init__(self, report: Report, progress: Progress | None = None) -> None:
        self.report = report
        self.progress = progress
        self.size = 9.0 if report.board else 8.0
        self._flowable_total = 1
        self._progress_shown = 0.1
        self._header_agency = self._fit_header(report.agency, report.width * 0.55)
        self._header_style = ParagraphStyle("Header", fontName=fonts.BOLD, fontSize=self.size,
                                            leading=self.size + 2, textColor=INK)  # fmt: skip

    # -- page templates --

    def _on_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        with tagger_of(canvas).furniture():  # running header and footer: artifacts, not content
            self._draw_furniture(canvas)

    def _draw_furniture(self, canvas: Canvas) -> None:
        r = self.report
        width, height = r.pagesize
        size = self.size
        canvas.saveState()
        top = height - 0.55 * inch
        left = Para(markup(self._header_agency), self._header_style)
        left.wrapOn(canvas, r.width * 0.6, 20)
        left.drawOn(canvas, r.margin_x, top)
        right, footer = furniture(r)
        if r.draft:
            canvas.setFont(fonts.BOLD, size + 1)
            canvas.drawRightString(width - r.margin_x, top + 1.5, DRAFT_STAMP)
        else:
            canvas.setFont(fonts.BASE, size)
            canvas.setFillColor(INK if r.board else MUTED)
            canvas.drawRightString(width - r.margin_x, top + 1.5, right)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(r.margin_x, top - 5, width - r.margin_x, top - 5)
        bottom = 0.5 * inch
        canvas.line(r.margin_x, bottom + size + 3, width - r.margin_x, bottom + size + 3)
        canvas.setFont(fonts.BASE, size)
        canvas.setFillColor(INK if r.board else MUTED)
        canvas.drawString(r.margin_x, bottom, footer)
        canvas.drawString(r.margin_x, bottom - size - 2, r.footer_notes())
        canvas.restoreState()

    def _fit_header(self, text: str, width: float) -> str:
        """The agency name cut to one header line (page 1 gives it in full)."""
        text = " ".join(fonts.clean(text).split())
        if stringWidth(text, fonts.BOLD, self.size) <= width:
            return text
        while text and stringWidth(text + "…", fonts.BOLD, self.size) > width:
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
        r = self.report
        canvas.setViewerPreference("DisplayDocTitle", "true")
        add_metadata(getattr(canvas, "_doc"), title=title(r), language=LANGUAGE,  # noqa: B009
                     author=r.assessment.prepared_by.strip() or r.agency)  # fmt: skip
        canvas.showOutline()  # the viewer opens with the outline shown

    def render(self) -> bytes:
        r = self.report
        if self.progress:
            self.progress(0.0)
        buffer = io.BytesIO()
        doc = BaseDocTemplate(
            buffer,
            pagesize=r.pagesize,
            leftMargin=r.margin_x,
            rightMargin=r.margin_x,
            topMargin=r.margin_top,
            bottomMargin=r.margin_bottom,
            title=title(r),
            author=r.assessment.prepared_by.strip() or r.agency,
            subject="Readiness of a School Resource Officer program against the NASRO "
            "Standards and Best Practices (2018), as of " + long_date(r.readiness.as_of)
            + f"; data fingerprint {r.fingerprint}",
            creator="nasro-desktop",
            keywords=["NASRO", "School Resource Officer", "readiness"],
            lang=LANGUAGE,
        )
        frame = Frame(
            r.margin_x, r.margin_bottom, r.width, r.frame_height, id="body",
            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
        )  # fmt: skip
        doc.addPageTemplates(
            [
                PageTemplate(id="cover", frames=[frame], onPage=self._on_page),
                PageTemplate(id="body", frames=[frame], onPage=self._on_page),
            ]
        )
        doc.setProgressCallBack(self._on_progress)
        flowables = story(r)
        if self.progress:
            self.progress(0.1)
        doc.build(
            flowables,
            canvasmaker=numbered_canvas(
                fonts.BASE, r.pagesize[0] - r.margin_x, 0.5 * inch,
                size=self.size, on_document=self._on_document,
            ),  # fmt: skip
        )
        if r.board and doc.page > BOARD_PAGES and not r.squeezed:
            # the board edition stays within BOARD_PAGES: the section chart goes first (it is
            # in the full edition), and the story is laid out again
            r.squeezed = True
            r._bookmarks = 0
            return self.render()
        if self.progress:
            self.progress(1.0)
        return buffer.getvalue()


# -- the stories --


def story(r: Report) -> list[Flowable]:
    return board_story(r) if r.board else full_story(r)


def section_break(room: float = 3.2 * inch) -> list[Flowable]:
    """A new part starts on the same page when enough of it is left, else on the next."""
    return [CondPageBreak(room), Spacer(1, 14)]


def full_story(r: Report) -> list[Flowable]:
    story = [*overview.cover(r), NextPageTemplate("body"), BreakOffPage()]
    story += overview.left_to_answer(r) if r.draft else overview.summary(r)
    story += section_break() + closing.glossary(r)  # before the tables
    if since := since_last_year(r):
        story += section_break() + since
    story += section_break(2.4 * inch) + findings.findings(r)  # its heading and first rows
    parts = [people.officers, people.schools, evidence_register,
             *([] if r.draft else [plan.action_plan]), who_answered, plan.marked_for_review,
             plan.scoring, closing.appendix, ending]  # fmt: skip
    for part in parts:
        if flowables := part(r):  # who answered: only in an assessment shared by both sides
            story += section_break() + flowables
    return story


def board_story(r: Report) -> list[Flowable]:
    first = board.board_first_page(r)
    story: list[Flowable] = []
    if r.draft:  # the draft's first page is short: what is left follows on it
        story += [NextPageTemplate("body"), Spacer(1, 16)]
        story += overview.left_to_answer(r)
    else:
        # page 1 stands alone; if it ran over, what must be done follows on the same page
        story += [NextPageTemplate("body"), CondPageBreak(0.6 * r.frame_height)]
        story += [Spacer(1, 4)]  # the glossary goes here, before the tables
        story += board.board_actions(r)
        story += [Spacer(1, 10)]
        story += board.board_due_next(r)
        story += board.board_claims(r)  # met another way: the program's own claims
        story += overview.data_checks(r)  # dates after the assessment date: to check
    if since := since_last_year(r):
        story += [Spacer(1, 10)] + since
    if r.evidence:
        story += [Spacer(1, 10)] + evidence_counts(r)
    story += [Spacer(1, 6)]
    story += ending(r)
    # the words the board pages use, defined before the tables (page 2's top)
    terms = terms_used(" ".join([story_words(first + story), *furniture(r), r.footer_notes()]))
    at = 3 if not r.draft else 2
    return first + story[:at] + closing.glossary(r, terms) + story[at:]


def ending(r: Report) -> list[Flowable]:
    """"About this report" and the signatures as one block that moves to the next page whole:
    the last page never holds a signature line or a sentence."""
    return [KeepWhole([closing.about_this_report(r), Spacer(1, 8), *closing.signatures(r)])]


__all__ = ["DRAFT_STAMP", "PdfEdition", "furniture", "render_pdf", "story", "title"]
