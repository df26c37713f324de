"""The board-ready readiness report, built with reportlab from domain objects. No Qt, no SQL.

Modelled on pretix's invoice renderer: one renderer class with a named stylesheet, page
templates whose callbacks draw the header and footer, a numbering canvas for "Page X of Y",
and embedded TrueType fonts registered once (see fonts.py). Every piece of user text goes
through `fonts.markup`, which escapes it for Paragraph markup and picks a font that can draw it.

Long user text (notes, next steps) is never the only thing in a table row that cannot split:
tables that hold user text are built with `splitInRow`, and notes longer than a cell's worth
are printed below their table as ordinary paragraphs, which break across pages.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from datetime import date
from functools import lru_cache

from reportlab import rl_config
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
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
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from nasro_desktop.domain import dates
from nasro_desktop.domain.model import (
    ActionItem,
    Answer,
    AnswerType,
    Assessment,
    Choice,
    Form,
    Officer,
    Question,
    RapidDeploymentReading,
    StandardClass,
)
from nasro_desktop.domain.results import Finding, Readiness, StandardResult, Status, Verdict
from nasro_desktop.report import fonts
from nasro_desktop.report.fonts import markup

# Compressed streams stay binary: ASCII85 on top only makes the file bigger and costs ~10 ms.
rl_config.useA85 = 0

PAPER = {"letter": LETTER, "a4": A4}
NOT_ANSWERED = "? Not answered"
CHOICE_STATUS = {
    Choice.MET: Status.MET,
    Choice.PARTLY: Status.PARTLY,
    Choice.NOT_MET: Status.NOT_MET,
    Choice.NOT_SURE: Status.UNKNOWN,
    Choice.NA: Status.NOT_APPLICABLE,
}
PROFILE_SECTION = "profile"
TOP_ACTIONS = 3
SUMMARY_CELL_LIMIT = 240
DUE_NEXT = 4
# A note longer than this is printed below its table instead of inside a cell.
CELL_NOTE_LIMIT = 600

INK = colors.HexColor("#1A1A1A")
NAVY = colors.HexColor("#1F3A5F")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#A8A8A8")
SHADE = colors.HexColor("#F0F0F0")
GAP_SHADE = colors.HexColor("#DCDCDC")
LIGHT_BAR = colors.HexColor("#BFC8D4")

def long_date(day: date | None) -> str:
    return "not set" if day is None else dates.long_date(day)


def short_date(day: date | None) -> str:
    return "—" if day is None else dates.short_date(day)


def percent(value: float | None) -> str:
    return "none applicable" if value is None else f"{round(value)}%"


def reading_label(value: str) -> str:
    try:
        return RapidDeploymentReading(value).label
    except ValueError:
        return str(value)


def status_text(status: Status) -> str:
    return f"{status.symbol} {status.label}"


def is_mandatory_gap(result: StandardResult) -> bool:
    return result.standard.cls == StandardClass.MANDATORY and result.status != Status.MET


# --- Stylesheet ---------------------------------------------------------------------------


def build_styles() -> dict[str, ParagraphStyle]:
    """The report's named stylesheet."""
    base = ParagraphStyle(
        "Body", fontName=fonts.BASE, fontSize=9.5, leading=13, textColor=INK, spaceAfter=4
    )
    s: dict[str, ParagraphStyle] = {"Body": base}

    def add(name: str, parent: str = "Body", **kw) -> None:
        s[name] = ParagraphStyle(name, parent=s[parent], **kw)

    add("Kicker", fontName=fonts.BOLD, fontSize=10, leading=14, textColor=MUTED, spaceAfter=6)
    add("Title", fontName=fonts.BOLD, fontSize=28, leading=34, textColor=NAVY, spaceAfter=8)
    add("Subtitle", fontSize=12, leading=16, textColor=MUTED, spaceAfter=18)
    add("H1", fontName=fonts.BOLD, fontSize=17, leading=22, textColor=NAVY, spaceBefore=0,
        spaceAfter=10)  # fmt: skip
    add("H2", fontName=fonts.BOLD, fontSize=12.5, leading=16, textColor=NAVY, spaceBefore=12,
        spaceAfter=4)  # fmt: skip
    add("H3", fontName=fonts.BOLD, fontSize=10, leading=13, spaceBefore=8, spaceAfter=3)
    add("Lead", fontSize=10.5, leading=14.5, spaceAfter=8)
    add("Small", fontSize=8.5, leading=11.5, textColor=MUTED)
    add("Note", fontSize=8.5, leading=11.5, leftIndent=14, spaceAfter=3)
    add("Finding", fontSize=8.5, leading=11.5, leftIndent=14, spaceAfter=1)
    add("Bullet", leftIndent=14, bulletIndent=3, spaceAfter=2)
    add("Cell", fontSize=8.5, leading=11, spaceAfter=0)
    add("CellBold", "Cell", fontName=fonts.BOLD)
    add("CellRight", "Cell", alignment=TA_RIGHT)
    add("CellDetail", "Cell", fontSize=8, leading=10.5)
    add("Detail", fontSize=8, leading=10.5, leftIndent=18, spaceBefore=3, spaceAfter=2)
    add("CellHead", "Cell", fontName=fonts.BOLD, textColor=colors.white)
    add("CellSmall", "Cell", fontSize=7.5, leading=9.5)
    add("CellSmallHead", "CellSmall", fontName=fonts.BOLD, textColor=colors.white)
    add("Verdict", fontName=fonts.BOLD, fontSize=24, leading=30, alignment=TA_LEFT, spaceAfter=2)
    add("VerdictSentence", fontSize=11.5, leading=15.5, spaceAfter=0)
    add("FigureNumber", fontName=fonts.BOLD, fontSize=20, leading=24, alignment=TA_CENTER,
        textColor=NAVY, spaceAfter=0)  # fmt: skip
    add("FigureLabel", fontSize=8.5, leading=11, alignment=TA_CENTER, textColor=MUTED,
        spaceAfter=0)  # fmt: skip
    add("Warning", fontName=fonts.BOLD, fontSize=10, leading=14, borderColor=INK, borderWidth=1,
        borderPadding=6, leftIndent=6, rightIndent=6, spaceBefore=10, spaceAfter=6)  # fmt: skip
    add("Question", fontName=fonts.BOLD, fontSize=8.5, leading=11.5, spaceBefore=5, spaceAfter=1)
    add("Answer", fontSize=8.5, leading=11.5, leftIndent=14, spaceAfter=1)
    add("AnswerStrong", "Answer", fontName=fonts.BOLD)
    add("SignRole", fontName=fonts.BOLD, fontSize=11, leading=14, spaceBefore=18, spaceAfter=2)
    return s


class Para(Paragraph):
    """A Paragraph that remembers its line breaks for a width: tables wrap each cell several
    times while they measure and split, and breaking lines is most of reportlab's time."""

    _wrapped_for: float | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self._wrapped_for == avail_width and "blPara" in self.__dict__:
            return self.width, self.height
        size = super().wrap(avail_width, avail_height)
        self._wrapped_for = avail_width
        return size


@lru_cache(maxsize=20000)
def _word_width(word: str, font: str, size: float) -> float:
    return stringWidth(word, font, size)


def wrap_words(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy line breaking with cached word widths; words wider than a line are cut."""
    lines: list[str] = []
    space = _word_width(" ", font, size)
    for block in text.split("\n"):
        line, used = "", 0.0
        for word in block.split(" "):
            if not word:
                continue
            w = _word_width(word, font, size)
            if w > width:  # a very long word (a URL, a pasted run): cut it to fit
                if line:
                    lines.append(line)
                    line, used = "", 0.0
                piece, piece_width = "", 0.0
                for ch in word:
                    ch_width = _word_width(ch, font, size)
                    if piece and piece_width + ch_width > width:
                        lines.append(piece)
                        piece, piece_width = "", 0.0
                    piece += ch
                    piece_width += ch_width
                line, used = piece, piece_width
                continue
            if line and used + space + w > width:
                lines.append(line)
                line, used = word, w
            else:
                line, used = (f"{line} {word}", used + space + w) if line else (word, w)
        lines.append(line)
    return lines


class PlainText(Flowable):
    """Unmarked text, laid out several times faster than a Paragraph.

    Holds one or more segments, each in its own style (a question in bold, its answer and its
    note indented). Used for the bulk of the report when DejaVu can draw every character; text
    that needs the fallback font goes through Paragraph and fonts.markup instead. Splits across
    pages between lines, never right after a segment marked `keep` (a question stays with the
    first line of its answer), so a 20,000-character note flows like a paragraph.
    """

    def __init__(self, text: str = "", style: ParagraphStyle | None = None, *,
                 segments: list[tuple[str, ParagraphStyle, bool]] | None = None) -> None:  # fmt: skip
        super().__init__()
        if segments is None:
            assert style is not None
            segments = [(text, style, False)]
        self.segments = segments
        self.first_style = segments[0][1]
        self.last_style = segments[-1][1]
        self.at_start, self.at_end = True, True
        # laid-out lines: (style, text, gap above, keep with next)
        self.lines: list[tuple[ParagraphStyle, str, float, bool]] | None = None
        self._wrapped_for: float | None = None

    def getSpaceBefore(self) -> float:  # noqa: N802 (reportlab's name)
        return self.first_style.spaceBefore if self.at_start else 0

    def getSpaceAfter(self) -> float:  # noqa: N802
        return self.last_style.spaceAfter if self.at_end else 0

    def _layout(self, avail_width: float) -> None:
        lines: list[tuple[ParagraphStyle, str, float, bool]] = []
        for i, (text, st, keep) in enumerate(self.segments):
            inner = avail_width - st.leftIndent - st.rightIndent
            gap = 0.0 if i == 0 else st.spaceBefore
            broken = wrap_words(text, st.fontName, st.fontSize, inner)
            for j, line in enumerate(broken):
                last_of_segment = j == len(broken) - 1
                lines.append((st, line, gap if j == 0 else 0.0, keep and last_of_segment))
        self.lines = lines

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self.lines is None or (
            self._wrapped_for is not None and self._wrapped_for != avail_width
        ):
            self._layout(avail_width)
        self._wrapped_for = avail_width
        self.width = avail_width
        self.height = sum(st.leading + gap for st, _, gap, _ in self.lines or ())
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        lines = self.lines or []
        used, fit = 0.0, 0
        for st, _, gap, _ in lines:
            if used + gap + st.leading > avail_height + 1e-6:
                break
            used += gap + st.leading
            fit += 1
        if fit >= len(lines):
            # it fits after all (a Table may ask with a different width than it measured):
            # reportlab's Table expects two parts from a split that did not return []
            return [self, Spacer(0, 0)]
        while fit > 0 and lines[fit - 1][3]:  # do not end a page on a line kept with the next
            fit -= 1
        if fit < 2:  # no single orphan line at the foot of a page
            return []
        head, tail = PlainText(segments=self.segments), PlainText(segments=self.segments)
        head.lines = lines[:fit]
        first_style, text, _, keep = lines[fit]
        tail.lines = [(first_style, text, 0.0, keep), *lines[fit + 1 :]]
        head._wrapped_for = tail._wrapped_for = avail_width
        head.at_start, head.at_end = self.at_start, False
        tail.at_start, tail.at_end = False, self.at_end
        return [head, tail]

    def draw(self) -> None:
        # one text object for the whole block: far fewer PDF operators than a drawString a line
        text = self.canv.beginText()
        y = self.height
        current = None
        for st, line, gap, _ in self.lines or ():
            y -= gap + st.leading
            if st is not current:
                text.setFont(st.fontName, st.fontSize)
                text.setFillColor(st.textColor)
                current = st
            if line:
                text.setTextOrigin(st.leftIndent, y + st.leading - st.fontSize)
                text.textOut(line)
        self.canv.drawText(text)


_TAG = re.compile(r"<b>|</b>|<br/>")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'"}
_ENTITY = re.compile("|".join(_ENTITIES))


def _plain_style(st: ParagraphStyle) -> bool:
    return st.alignment == TA_LEFT and not st.borderWidth and not st.firstLineIndent


def plain_segments(
    text: str, style: ParagraphStyle, styles: dict[str, ParagraphStyle]
) -> list[tuple[str, ParagraphStyle, bool]] | None:
    """Renderer markup as PlainText segments, or None when it needs a real Paragraph.

    Understands only <b>, </b> and <br/> where bold covers whole lines, and the five escapes
    that fonts.markup writes; a line mixing bold and plain text, or any other tag, gives None.
    """
    if "<" in _TAG.sub("", text):
        return None
    lines: list[list[tuple[str, bool]]] = [[]]
    bold = False
    pos = 0
    for match in _TAG.finditer(text):
        if match.start() > pos:
            lines[-1].append((text[pos : match.start()], bold))
        tag = match.group()
        if tag == "<b>":
            bold = True
        elif tag == "</b>":
            bold = False
        else:
            lines.append([])
        pos = match.end()
    if pos < len(text):
        lines[-1].append((text[pos:], bold))
    bold_style = styles.get(f"{style.name}·bold")
    if bold_style is None:
        bold_style = ParagraphStyle(f"{style.name}·bold", parent=style, fontName=fonts.BOLD)
        styles[bold_style.name] = bold_style
    segments: list[tuple[str, ParagraphStyle, bool]] = []
    for pieces in lines:
        kinds = {b for chunk, b in pieces if chunk.strip()}
        if len(kinds) > 1:
            return None  # inline bold inside a line: Paragraph does that
        st = bold_style if kinds == {True} or style.fontName == fonts.BOLD else style
        line = _ENTITY.sub(lambda m: _ENTITIES[m.group()], "".join(c for c, _ in pieces))
        line = " ".join(line.split())
        if segments and segments[-1][1] is st:
            segments[-1] = (segments[-1][0] + "\n" + line, st, False)
        else:
            segments.append((line, st, False))
    # later segments of one block sit right under the line before, with no extra space
    return [
        (chunk, st if i == 0 else _tight(st, styles), keep)
        for i, (chunk, st, keep) in enumerate(segments)
    ]


def _tight(st: ParagraphStyle, styles: dict[str, ParagraphStyle]) -> ParagraphStyle:
    if not st.spaceBefore:
        return st
    name = f"{st.name}·tight"
    if name not in styles:
        styles[name] = ParagraphStyle(name, parent=st, spaceBefore=0)
    return styles[name]


class Row(Flowable):
    """One table-like row of cells drawn directly: each cell is wrapped once, unlike a Table,
    which measures its cells again on every page it splits over. Rows hold short text only
    (numbers, titles, statuses); anything long goes in a PlainText below the row."""

    def __init__(self, cells: list[Flowable], widths: list[float], *, background=None,
                 left_rule: bool = False, rule_below: bool = True, pad: float = 4) -> None:  # fmt: skip
        super().__init__()
        self.cells, self.widths = cells, widths
        self.background, self.left_rule, self.rule_below, self.pad = (
            background,
            left_rule,
            rule_below,
            pad,
        )

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        tallest = 0.0
        for cell, w in zip(self.cells, self.widths, strict=True):
            _, h = cell.wrap(w - 2 * self.pad, avail_height)
            tallest = max(tallest, h)
        self.width = sum(self.widths)
        self.height = tallest + 2 * self.pad + 1
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        canvas = self.canv
        if self.background is not None:
            canvas.setFillColor(self.background)
            canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        x = 0.0
        for cell, w in zip(self.cells, self.widths, strict=True):
            cell.drawOn(canvas, x + self.pad, self.height - self.pad - cell.height)
            x += w
        if self.rule_below:
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.4)
            canvas.line(0, 0, self.width, 0)
        if self.left_rule:
            canvas.setStrokeColor(INK)
            canvas.setLineWidth(3)
            canvas.line(1.5, 0, 1.5, self.height)


# --- Page furniture -----------------------------------------------------------------------


def numbered_canvas(footer_font: str, right_x: float, y: float) -> type[Canvas]:
    """A canvas that holds pages back until the end so each footer can say "Page X of Y"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            kwargs.setdefault("initialFontName", footer_font)  # no stray Helvetica resource
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                self.setFont(footer_font, 8)
                self.setFillColor(MUTED)
                self.drawRightString(right_x, y, f"Page {self._pageNumber} of {total}")
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


class Rule(Flowable):
    """A thin horizontal line across the frame."""

    def __init__(self, color=RULE, width: float = 0.6, space: float = 4) -> None:
        super().__init__()
        self.color, self.line_width, self.space = color, width, space

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, 2 * self.space

    def draw(self) -> None:
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(self.line_width)
        self.canv.line(0, self.space, self.width, self.space)


class Bookmark(Flowable):
    """An invisible flowable that adds a PDF outline entry where it lands."""

    def __init__(self, title: str, key: str) -> None:
        super().__init__()
        self.title, self.key = title, key

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.title, self.key, level=0)


# --- The renderer -------------------------------------------------------------------------


class ReadinessReportRenderer:
    """Builds the PDF. One instance per report; `render()` returns the bytes."""

    def __init__(
        self,
        form: Form,
        assessment: Assessment,
        readiness: Readiness,
        *,
        paper: str = "letter",
        progress: Callable[[float], None] | None = None,
    ) -> None:
        if paper not in PAPER:
            raise ValueError(f"Paper must be one of {', '.join(PAPER)}, not {paper!r}.")
        fonts.register_fonts()
        self.form = form
        self.assessment = assessment
        self.readiness = readiness
        self.pagesize = PAPER[paper]
        self.progress = progress
        self.styles = build_styles()
        self.margin_x = 0.8 * inch
        self.margin_top = 0.95 * inch
        self.margin_bottom = 0.85 * inch
        self.width = self.pagesize[0] - 2 * self.margin_x
        self._flowable_total = 1
        self._progress_shown = 0.1
        self._bookmarks = 0
        self.agency = assessment.agency.strip() or "Agency not named yet"
        self.district = assessment.district.strip() or "School district not named yet"

    # -- helpers --

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
            return Para(
                f"<font color='#555555'>{empty}</font>" if empty else "", self.styles[style]
            )
        return Para(markup(value), self.styles[style])

    def t(self, text: object, style: str = "Body", prefix: str = "") -> Flowable:
        """User text in one font: fast PlainText when DejaVu draws it all, else a Paragraph."""
        value = fonts.clean("" if text is None else str(text))
        if fonts.base_only(value):
            return PlainText(prefix + value, self.styles[style])
        return Para(markup(prefix) + markup(value), self.styles[style])

    def heading(self, title: str) -> list[Flowable]:
        self._bookmarks += 1
        return [Bookmark(title, f"h{self._bookmarks}"), self.p(title, "H1")]

    def table(
        self,
        rows: list[list],
        widths: list[float],
        *,
        header: bool = True,
        extra: Iterable[tuple] = (),
        small: bool = False,
    ) -> Table:
        """A table in the house style: navy header row, hairline rows, rows that may split."""
        table = Table(
            rows,
            colWidths=widths,
            repeatRows=1 if header else 0,
            splitByRow=1,
            splitInRow=1,
            hAlign="LEFT",
        )
        pad = 3 if small else 4
        style = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 1),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ]
        if header:
            style += [("BACKGROUND", (0, 0), (-1, 0), NAVY), ("LINEBELOW", (0, 0), (-1, 0), 1, INK)]
        table.setStyle(TableStyle(style + list(extra)))
        return table

    def head_row(self, labels: list[str], small: bool = False) -> list[Paragraph]:
        style = "CellSmallHead" if small else "CellHead"
        return [self.p(label, style) for label in labels]

    # -- page templates --

    def _on_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        width, height = self.pagesize
        canvas.saveState()
        top = height - 0.55 * inch
        header_agency = self._header_agency
        left = Para(markup(header_agency), self._header_style)
        left.wrapOn(canvas, self.width * 0.62, 20)
        left.drawOn(canvas, self.margin_x, top)
        canvas.setFont(fonts.BASE, 8)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(width - self.margin_x, top + 1.5, "SRO program readiness report")
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(self.margin_x, top - 5, width - self.margin_x, top - 5)
        bottom = 0.5 * inch
        canvas.line(self.margin_x, bottom + 11, width - self.margin_x, bottom + 11)
        canvas.drawString(self.margin_x, bottom, f"As of {long_date(self.readiness.as_of)}")
        canvas.restoreState()

    def _fit_header(self, text: str, width: float) -> str:
        """The agency name cut to one header line (the cover page gives it in full)."""
        text = " ".join(text.split())
        if stringWidth(text, fonts.BOLD, 8.5) <= width:
            return text
        while text and stringWidth(text + "…", fonts.BOLD, 8.5) > width:
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

    def _after_flowable(self, flowable: Flowable) -> None:
        pass

    def render(self) -> bytes:
        if self.progress:
            self.progress(0.0)
        self._header_agency = self._fit_header(self.agency, self.width * 0.6)
        self._header_style = ParagraphStyle(
            "Header", fontName=fonts.BOLD, fontSize=8.5, leading=10, textColor=INK
        )
        buffer = io.BytesIO()
        a = self.assessment
        doc = BaseDocTemplate(
            buffer,
            pagesize=self.pagesize,
            leftMargin=self.margin_x,
            rightMargin=self.margin_x,
            topMargin=self.margin_top,
            bottomMargin=self.margin_bottom,
            title=f"SRO program readiness report: {self.agency}",
            author=a.prepared_by.strip() or self.agency,
            subject="Readiness of a School Resource Officer program against the NASRO "
            "Standards and Best Practices (2018), as of " + long_date(self.readiness.as_of),
            creator="nasro-desktop",
            keywords="NASRO, School Resource Officer, readiness",
            lang="en-US",
        )
        frame = Frame(
            self.margin_x,
            self.margin_bottom,
            self.width,
            self.pagesize[1] - self.margin_top - self.margin_bottom,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        doc.addPageTemplates(
            [
                PageTemplate(id="cover", frames=[frame], onPage=self._on_page),
                PageTemplate(id="body", frames=[frame], onPage=self._on_page),
            ]
        )
        doc.setProgressCallBack(self._on_progress)
        story = self.story()
        if self.progress:
            self.progress(0.1)
        doc.build(
            story,
            canvasmaker=numbered_canvas(fonts.BASE, self.pagesize[0] - self.margin_x, 0.5 * inch),
        )
        if self.progress:
            self.progress(1.0)
        return buffer.getvalue()

    # -- the story --

    def story(self) -> list[Flowable]:
        story: list[Flowable] = []
        story += self.cover()
        story += [NextPageTemplate("body"), PageBreak()]
        story += self.summary()
        story += [PageBreak()]
        story += self.findings()
        story += [PageBreak()]
        story += self.officers()
        story += [CondPageBreak(3 * inch), Spacer(1, 18)]
        story += self.schools()
        story += [PageBreak()]
        story += self.action_plan()
        story += [PageBreak()]
        story += self.scoring()
        story += [PageBreak()]
        story += self.appendix()
        story += [PageBreak()]
        story += self.signatures()
        return story

    def verdict_box(self, large: bool) -> Table:
        r = self.readiness
        ready = r.verdict == Verdict.READY
        mark = "✔" if ready else "✘"
        word = "READY" if ready else "NOT READY"
        if not r.complete:
            word += " · INCOMPLETE"
        verdict_style = ParagraphStyle(
            "V", parent=self.styles["Verdict"], fontSize=24 if large else 19,
            leading=30 if large else 24,
        )  # fmt: skip
        rows = [
            [Para(f"{mark} {word}", verdict_style)],
            [self.u(r.verdict_sentence, "VerdictSentence")],
        ]
        table = Table(rows, colWidths=[self.width], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 2.2 if not ready else 1.2, INK),
                    ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                    ("LEFTPADDING", (0, 0), (-1, -1), 14),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 14),
                    ("TOPPADDING", (0, 0), (-1, 0), 12),
                    ("BOTTOMPADDING", (0, -1), (-1, -1), 14),
                ]
            )
        )
        return table

    def incomplete_warning(self, short: bool = False) -> list[Flowable]:
        r = self.readiness
        if r.complete:
            return []
        missing = r.total - r.answered
        if short:
            return [
                self.p(
                    f"INCOMPLETE: {missing} of {r.total} questions are not answered yet; "
                    "they count as not met.",
                    "Warning",
                )
            ]
        return [
            self.p(
                f"INCOMPLETE: {missing} of {r.total} questions are not answered yet "
                f"({r.percent_answered}% answered). Unanswered questions count as not met, "
                "so this report understates the program until every question is answered.",
                "Warning",
            )
        ]

    def cover(self) -> list[Flowable]:
        a, r, s = self.assessment, self.readiness, self.styles
        story: list[Flowable] = [Bookmark("Cover", "cover"), Spacer(1, 0.35 * inch)]
        story.append(self.p("SCHOOL RESOURCE OFFICER PROGRAM", "Kicker"))
        story.append(self.p("Readiness report", "Title"))
        story.append(
            self.p(
                "How the program measures up to the standards and best practices that "
                "NASRO published in 2018 for SRO programs",
                "Subtitle",
            )
        )
        story.append(self.verdict_box(large=True))
        story.append(Spacer(1, 0.3 * inch))
        schools = [sc.name.strip() for sc in a.schools if sc.name.strip()]
        if schools:
            schools_text = markup("; ".join(schools))
            schools_cell = Para(f"{len(schools)}: {schools_text}", s["Body"])
        else:
            schools_cell = self.p("No schools listed yet")
        label = s["Small"]
        rows = [
            [Para("Agency", label), self.u(a.agency, empty="Not named yet")],
            [Para("School district", label), self.u(a.district, empty="Not named yet")],
            [Para("Schools covered", label), schools_cell],
            [Para("As of", label), self.p(long_date(r.as_of))],
            [Para("Prepared by", label), self.u(a.prepared_by, empty="Not given")],
            [
                Para("Questions answered", label),
                self.p(f"{r.answered} of {r.total} ({r.percent_answered}%)"),
            ],
            [
                Para("Question set", label),
                self.p(
                    f"{markup(self.form.title)} ({markup(r.form_id)}, version {r.form_version})"
                ),
            ],
        ]
        if a.title.strip():
            rows.insert(0, [Para("Assessment", label), self.u(a.title)])
        table = Table(rows, colWidths=[1.55 * inch, self.width - 1.55 * inch], hAlign="LEFT",
                      splitInRow=1)  # fmt: skip
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ]
            )
        )
        story.append(table)
        story += [Spacer(1, 0.2 * inch)] + self.incomplete_warning()
        return story

    def key_figures(self) -> Table:
        r = self.readiness
        cells = [
            (f"{r.mandatory_met} of {r.mandatory_total}", "mandatory standards met"),
            (percent(r.recommended_score), "recommended score"),
            (f"{r.answered} of {r.total}", "questions answered"),
        ]
        row = [
            [self.p(number, "FigureNumber"), self.p(label, "FigureLabel")]
            for number, label in cells
        ]
        third = self.width / 3
        inner = []
        for number_label in row:
            t = Table([[number_label[0]], [number_label[1]]], colWidths=[third - 8])
            t.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 1),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))  # fmt: skip
            inner.append(t)
        table = Table([inner], colWidths=[third] * 3, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                    ("LINEAFTER", (0, 0), (1, 0), 0.6, RULE),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        return table

    def section_chart(self) -> Drawing:
        figures = self.readiness.sections
        names = [f"{f.section.number}. {f.section.title}" for f in figures]
        names = [n if len(n) <= 34 else n[:32].rstrip() + "…" for n in names]
        mandatory = [
            None if f.mandatory_total == 0 else 100.0 * f.mandatory_met / f.mandatory_total
            for f in figures
        ]
        recommended = [f.recommended_score for f in figures]
        n = max(1, len(figures))
        bar_area = 21 * n
        height = bar_area + 44
        drawing = Drawing(self.width, height, initialFontName=fonts.BASE, initialFontSize=8)
        chart = HorizontalBarChart()
        chart.x = 150
        chart.y = 30
        chart.width = self.width - chart.x - 40
        chart.height = bar_area
        # reportlab draws the first category at the bottom: reverse so section 1 is on top.
        # Within a group reportlab also draws series 0 lowest: recommended first, so the
        # mandatory bar sits on top, next to the section name, as the legend reads.
        chart.data = [
            [v if v is not None else 0 for v in reversed(recommended)],
            [v if v is not None else 0 for v in reversed(mandatory)],
        ]
        chart.categoryAxis.categoryNames = list(reversed(names))
        chart.categoryAxis.labels.fontName = fonts.BASE
        chart.categoryAxis.labels.fontSize = 8
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.categoryAxis.labels.dx = -4
        chart.categoryAxis.strokeColor = RULE
        chart.valueAxis.valueMin = 0
        chart.valueAxis.valueMax = 100
        chart.valueAxis.valueStep = 25
        chart.valueAxis.labels.fontName = fonts.BASE
        chart.valueAxis.labels.fontSize = 7.5
        chart.valueAxis.labelTextFormat = "%d%%"
        chart.valueAxis.strokeColor = RULE
        chart.valueAxis.visibleGrid = True
        chart.valueAxis.gridStrokeColor = colors.HexColor("#E2E2E2")
        chart.valueAxis.gridStrokeWidth = 0.4
        chart.bars[1].fillColor = NAVY
        chart.bars[1].strokeColor = NAVY
        chart.bars[0].fillColor = LIGHT_BAR
        chart.bars[0].strokeColor = INK
        chart.bars[0].strokeWidth = 0.5
        chart.barSpacing = 1
        chart.groupSpacing = 6
        labels_m = list(reversed(mandatory))
        labels_r = list(reversed(recommended))

        def label_text(values: list[float | None]) -> list[str]:
            return ["n/a" if v is None else f"{round(v)}%" for v in values]

        chart.barLabelFormat = "values"
        chart.barLabelArray = [label_text(labels_r), label_text(labels_m)]
        chart.barLabels.fontName = fonts.BASE
        chart.barLabels.fontSize = 7
        chart.barLabels.boxAnchor = "w"
        chart.barLabels.dx = 3
        drawing.add(chart)
        legend = Legend()
        legend.x = chart.x
        legend.y = 8
        legend.fontName = fonts.BASE
        legend.fontSize = 8
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.deltax = 170
        legend.dx = 8
        legend.dy = 8
        legend.colorNamePairs = [
            (NAVY, "Mandatory standards met"),
            (LIGHT_BAR, "Recommended score"),
        ]
        legend.strokeColor = INK
        legend.strokeWidth = 0.5
        drawing.add(legend)
        if not figures:
            drawing.add(String(0, height / 2, "No sections to show.", fontName=fonts.BASE))
        return drawing

    def summary(self) -> list[Flowable]:
        r = self.readiness
        story = self.heading("Executive summary")
        story.append(self.u(r.verdict_sentence, "Lead"))
        story.append(self.key_figures())
        story += [Spacer(1, 4)] + self.incomplete_warning(short=True)
        story.append(self.p("By section", "H2"))
        story.append(
            self.p(
                "For each section: the share of its mandatory standards that are met, and its "
                "score on the recommended ones (met counts 1, partly met counts ½).",
                "Small",
            )
        )
        story.append(self.section_chart())
        story.append(self.p("Top actions", "H2"))
        top = list(r.gaps[:TOP_ACTIONS])
        if top:
            rows = [self.head_row(["Standard", "Next step", "Owner", "Target date"], small=True)]
            for gap in top:
                mandatory = gap.standard.cls == StandardClass.MANDATORY
                tag = "<br/><b>MANDATORY</b>" if mandatory else ""
                rows.append(
                    [
                        self.p(
                            f"{markup(gap.standard.number)} {markup(gap.standard.title)}{tag}",
                            "Cell",
                        ),  # fmt: skip
                        self.u(self._clip(gap.next_step), "Cell"),
                        self.p(gap.owner.label, "Cell"),
                        self.p(
                            short_date(gap.target_date) if gap.target_date else "not set", "Cell"
                        ),  # fmt: skip
                    ]
                )
            w = self.width
            story.append(self.table(rows, [0.3 * w, 0.43 * w, 0.13 * w, 0.14 * w], small=True))
            if len(r.gaps) > TOP_ACTIONS:
                story.append(
                    self.p(f"{len(r.gaps) - TOP_ACTIONS} more in the action plan.", "Small")
                )
        else:
            story.append(self.p("No gaps: nothing to act on."))
        block: list[Flowable] = [self.p("What falls due next", "H2")]
        due = list(r.due_next[:DUE_NEXT])
        if due:
            rows = [self.head_row(["When", "What", "Who"], small=True)]
            extra = []
            for i, item in enumerate(due, start=1):
                when = short_date(item.when)
                if item.overdue:
                    when = f"<b>✘ OVERDUE</b> since {when}"
                    extra.append(("BACKGROUND", (0, i), (-1, i), SHADE))
                rows.append(
                    [
                        self.p(when, "CellSmall"),
                        self.u(item.what, "CellSmall"),
                        self.u(item.who, "CellSmall"),
                    ]
                )
            w = self.width
            block.append(self.table(rows, [0.3 * w, 0.42 * w, 0.28 * w], extra=extra, small=True))
            if len(r.due_next) > DUE_NEXT:
                block.append(
                    self.p(
                        f"{len(r.due_next) - DUE_NEXT} more dates on the Officers page.", "Small"
                    )
                )
        else:
            block.append(self.p("No dated training or review falls due."))
        story.append(KeepTogether(block))
        return story

    def _clip(self, text: str) -> str:
        """Table cells on the summary page show at most a cell's worth; the plan has all of it."""
        if len(text) <= SUMMARY_CELL_LIMIT:
            return text
        return text[: SUMMARY_CELL_LIMIT - 40].rstrip() + "… (in full in the action plan)"

    # -- findings --

    def findings(self) -> list[Flowable]:
        r = self.readiness
        story = self.heading("Findings by section")
        story.append(
            self.p(
                "Every standard with its number, class and status. Under each standard: the "
                "parts that are not met yet, and the notes written for it. "
                "<b>MANDATORY GAP</b> marks a mandatory standard that is not met; these rows "
                "are shaded and ruled on the left. Marks: ✔ met, ◐ partly met, ✘ not met, "
                "? not answered or not sure, – not applicable.",
                "Small",
            )
        )
        by_section: dict[str, list[StandardResult]] = {}
        for result in r.results:
            by_section.setdefault(result.standard.section, []).append(result)
        figures = {f.section.id: f for f in r.sections}
        known = {sec.id for sec in self.form.sections}
        groups = [(sec, by_section.get(sec.id, [])) for sec in self.form.sections]
        orphans = [res for res in r.results if res.standard.section not in known]
        if orphans:
            groups.append((None, orphans))
        for section, results in groups:
            if not results:
                continue
            story.append(CondPageBreak(2.4 * inch))  # a section title never ends a page
            if section is None:
                story.append(self.p("Other standards", "H2"))
            else:
                story.append(self.p(f"{section.number}. {markup(section.title)}", "H2"))
            fig = figures.get(section.id) if section is not None else None
            if fig is not None:
                mand = (
                    f"{fig.mandatory_met} of {fig.mandatory_total} mandatory met"
                    if fig.mandatory_total
                    else "no mandatory standards"
                )
                story.append(
                    self.p(
                        f"{mand} · recommended score {percent(fig.recommended_score)} · "
                        f"{fig.answered} of {fig.total} questions answered",
                        "Small",
                    )
                )
            story += self.section_table(results)
        return story

    def section_table(self, results: list[StandardResult]) -> list[Flowable]:
        """A row per standard, and under it what is not met yet and the notes written for it."""
        w = self.width
        # the class column always holds "Recommended" on one line (A4 is narrower than Letter)
        class_w = max(0.15 * w, stringWidth("Recommended", fonts.BOLD, 8.5) + 16)
        widths = [0.12 * w, 0.65 * w - class_w, class_w, 0.23 * w]
        head = Row(self.head_row(["No.", "Standard", "Class", "Status"]), widths,
                   background=NAVY)  # fmt: skip
        head.keepWithNext = True
        out: list[Flowable] = [head]
        for result in results:
            std = result.standard
            gap = is_mandatory_gap(result)
            status = status_text(result.status)
            if gap:
                status = f"<b>{status}<br/>MANDATORY GAP</b>"
            title = markup(std.title)
            if std.class_note:
                title += f"<br/><font size='7.5' color='#555555'>{markup(std.class_note)}</font>"
            if std.cls == StandardClass.MANDATORY:
                cls_text = f"<b>{std.cls.label}</b>"
            else:
                cls_text = std.cls.label
            cells = [
                self.p(markup(std.number), "CellBold" if gap else "Cell"),
                self.p(title, "CellBold" if gap else "Cell"),
                self.p(cls_text, "Cell"),
                self.p(status, "Cell"),
            ]
            details = self.standard_details(result)
            row = Row(cells, widths, background=GAP_SHADE if gap else None, left_rule=gap,
                      rule_below=details is None)  # fmt: skip
            if details is None:
                out.append(row)
                continue
            row.keepWithNext = True
            out += [row, details, Rule(space=2)]
        return out

    def standard_details(self, result: StandardResult) -> Flowable | None:
        """What is not met yet under a standard, and its notes, as one text block (it splits)."""
        lines, hidden = [], 0
        for finding in result.findings:
            if finding.status in (Status.MET, Status.NOT_APPLICABLE):
                hidden += 1
                continue
            # the engine's sentence often names the officer and the date already: say it once
            subject = finding.subject
            label = "" if subject == "Question" or subject in finding.detail else f"{subject}: "
            due = ""
            if finding.due is not None and long_date(finding.due) not in finding.detail:
                due = f" (due {short_date(finding.due)})"
            lines.append(f"{finding.status.symbol} {label}{finding.detail}{due}")
        if lines and hidden:
            lines.append(f"{hidden} other part{'s' if hidden != 1 else ''} met.")
        for note in result.notes:
            if note.strip():
                lines.append(f"Note: {note.strip()}")
        if not lines:
            return None
        return self.t("\n".join(lines), "Detail")

    # -- officers and schools --

    def officers(self) -> list[Flowable]:
        a, r = self.assessment, self.readiness
        story = self.heading("Officers")
        reading = reading_label(r.rapid_deployment_reading)
        story.append(
            self.p(
                f"Training status per officer as of {long_date(r.as_of)}. Each cell gives the "
                "date last done and the date it falls due next; <b>OVERDUE</b> means that date "
                f"has passed. Rapid-deployment training is counted {markup(reading)}. Shaded rows "
                "need attention.",
                "Small",
            )
        )
        if not a.officers:
            story.append(self.p("No officers entered yet."))
            return story
        heads = ["Officer", "Assigned", "Basic course", "Advanced course",
                 "Annual school-safety training", "Rapid deployment", "Probation review"]  # fmt: skip
        rows = [self.head_row(heads, small=True)]
        extra = []
        notes: list[tuple[str, str]] = []
        found = self.officer_findings()
        for i, officer in enumerate(a.officers, start=1):
            mine = {rule: found[rule][i - 1] for rule in found}
            cells, overdue = self.officer_cells(officer, mine)
            rows.append([self.p(c, "CellSmall") for c in cells])
            if overdue:
                extra.append(("BACKGROUND", (0, i), (-1, i), SHADE))
            if officer.note.strip():
                notes.append((officer.name, officer.note))
        w = self.width
        widths = [0.2 * w, 0.11 * w, 0.14 * w, 0.14 * w, 0.15 * w, 0.14 * w, 0.12 * w]
        story.append(self.table(rows, widths, extra=extra, small=True))
        story += self.notes_list("Notes on officers", notes)
        return story

    OFFICER_RULES = (
        "experience",
        "basic_course",
        "advanced_course",
        "annual_training",
        "rapid_deployment",
        "probation_review",
    )

    def officer_findings(self) -> dict[str, list[Finding | None]]:
        """rule -> the engine's finding for each officer, in the order of the officer table."""
        n = len(self.assessment.officers)
        out: dict[str, list[Finding | None]] = {}
        for rule in self.OFFICER_RULES:
            found: list[Finding | None] = [None] * n
            for result in self.readiness.results:
                if result.standard.rule == rule and n and len(result.findings) >= n:
                    # the rule's findings come last, one per officer, in table order
                    found = list(result.findings[-n:])
                    break
            out[rule] = found
        return out

    def _due_cell(self, last: date | None, finding: Finding | None, none: str) -> tuple[str, bool]:
        """A training cell: when it was last done, and the engine's verdict with its due date."""
        first = f"done {short_date(last)}" if last else none
        if finding is None:
            return first, False
        due = short_date(finding.due) if finding.due else ""
        if finding.status == Status.NOT_MET:
            second = "<b>✘ OVERDUE</b>" + (f"<br/>was due {due}" if due else "")
            return f"{first}<br/>{second}", True
        if finding.status == Status.MET:
            second = f"✔ next due {due}" if due else "✔"
            return f"{first}<br/>{second}", False
        return f"{first}<br/>{status_text(finding.status)}", finding.status == Status.UNKNOWN

    def officer_cells(self, o: Officer, found: dict[str, Finding | None]) -> tuple[list[str], bool]:
        name = markup(o.name) if o.name.strip() else "No name"
        who = f"<b>{name}</b>"
        if o.school.strip():
            who += f"<br/>{markup(o.school)}"
        experience = found.get("experience")
        if o.sworn_date:
            who += f"<br/>sworn {short_date(o.sworn_date)}"
        elif o.years_experience is not None:
            who += f"<br/>{o.years_experience} years of service"
        if experience is not None and experience.status != Status.MET:
            who += f"<br/>{status_text(experience.status)}: experience"
        assigned = short_date(o.assignment_date)
        cells = [who, assigned]
        flag = False
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
        story = self.heading("Schools")
        story.append(
            self.p(
                "Staffing per school against the factors NASRO asks districts to weigh when "
                "deciding how many SROs a school needs. NASRO recommends at least one SRO in "
                "every school. Discipline history and the school's place in the community also "
                "count; they are not numbers, so weigh them with the figures below.",
                "Small",
            )
        )
        if not a.schools:
            story.append(self.p("No schools entered yet."))
            return story
        heads = ["School", "Enrollment", "Buildings", "Acreage", "Calls for service",
                 "Non-sworn safety staff", "SROs assigned"]  # fmt: skip
        rows = [self.head_row(heads, small=True)]
        extra = []
        notes: list[tuple[str, str]] = []

        def num(value: object) -> str:
            if value is None:
                return "—"
            if isinstance(value, float):
                return f"{value:g}"
            return f"{value:,}" if isinstance(value, int) else str(value)

        for i, school in enumerate(a.schools, start=1):
            sros = school.sros_assigned
            if sros is None:
                sro_text = "<b>? not recorded</b>"
                extra.append(("BACKGROUND", (0, i), (-1, i), SHADE))
            elif sros < 1:
                sro_text = "<b>✘ none</b>"
                extra.append(("BACKGROUND", (0, i), (-1, i), SHADE))
            else:
                sro_text = f"✔ {sros}"
            rows.append(
                [
                    self.u(school.name, "CellSmall", empty="No name"),
                    self.p(num(school.enrollment), "CellSmall"),
                    self.p(num(school.buildings), "CellSmall"),
                    self.p(num(school.acreage), "CellSmall"),
                    self.p(num(school.calls_for_service), "CellSmall"),
                    self.p(num(school.non_sworn_safety_staff), "CellSmall"),
                    self.p(sro_text, "CellSmall"),
                ]
            )
            if school.note.strip():
                notes.append((school.name, school.note))
        w = self.width
        widths = [0.3 * w, 0.11 * w, 0.1 * w, 0.1 * w, 0.12 * w, 0.14 * w, 0.13 * w]
        story.append(self.table(rows, widths, extra=extra, small=True))
        with_sro = sum(1 for sc in a.schools if (sc.sros_assigned or 0) >= 1)
        story.append(Spacer(1, 4))
        story.append(
            self.p(f"{with_sro} of {len(a.schools)} schools have at least one SRO assigned.")
        )
        story += self.notes_list("Notes on schools", notes)
        return story

    def notes_list(self, title: str, notes: list[tuple[str, str]]) -> list[Flowable]:
        if not notes:
            return []
        story: list[Flowable] = [self.p(title, "H3")]
        for who, note in notes:
            label = markup(who) if who.strip() else "No name"
            story.append(self.p(f"<b>{label}:</b> {markup(note)}", "Note"))
        return story

    # -- action plan --

    def action_items_by_standard(self) -> dict[str, list[ActionItem]]:
        out: dict[str, list[ActionItem]] = {}
        for item in self.assessment.action_items:
            out.setdefault(item.standard_id, []).append(item)
        return out

    def action_plan(self) -> list[Flowable]:
        r = self.readiness
        story = self.heading("Action plan")
        story.append(
            self.p(
                "Every gap, most urgent first: mandatory standards before recommended ones. "
                "Owner is who usually closes the gap: the law-enforcement agency, the school "
                "district, or both.",
                "Small",
            )
        )
        if not r.gaps:
            story.append(self.p("There are no gaps. Every applicable standard is met."))
            return story
        rows = [self.head_row(["#", "Standard", "Status", "Next step", "Owner", "Target",
                               "Progress"], small=True)]  # fmt: skip
        extra = []
        notes: list[tuple[str, str]] = []
        items = self.action_items_by_standard()
        for i, gap in enumerate(r.gaps, start=1):
            mandatory = gap.standard.cls == StandardClass.MANDATORY
            std = f"<b>{markup(gap.standard.number)}</b> {markup(gap.standard.title)}"
            if mandatory:
                std += "<br/><b>MANDATORY</b>"
                extra.append(("BACKGROUND", (0, i), (-1, i), GAP_SHADE))
            step = gap.next_step
            if len(step) > CELL_NOTE_LIMIT:
                notes.append((f"{gap.standard.number} next step", step))
                step = step[: CELL_NOTE_LIMIT - 40].rstrip() + "… (in full below)"
            rows.append(
                [
                    self.p(str(gap.rank), "CellSmall"),
                    self.p(std, "CellSmall"),
                    self.p(status_text(gap.status), "CellSmall"),
                    self.u(step, "CellSmall"),
                    self.p(gap.owner.label, "CellSmall"),
                    self.p(
                        short_date(gap.target_date) if gap.target_date else "not set", "CellSmall"
                    ),  # fmt: skip
                    self.p(gap.action_status.label, "CellSmall"),
                ]
            )
            for item in items.get(gap.standard.id, []):
                if item.note.strip():
                    notes.append((f"{gap.standard.number} {gap.standard.title}", item.note))
        w = self.width
        widths = [0.05 * w, 0.25 * w, 0.12 * w, 0.28 * w, 0.1 * w, 0.1 * w, 0.1 * w]
        story.append(self.table(rows, widths, extra=extra, small=True))
        story += self.notes_list("Notes on actions", notes)
        return story

    # -- how this was scored --

    def scoring(self) -> list[Flowable]:
        r = self.readiness
        story = self.heading("How this was scored")
        facts = [
            f"Dates were judged as of <b>{long_date(r.as_of)}</b>.",
            "A question that is not answered, or answered “Not sure”, counts as <b>not met</b>.",
            "NASRO asks for single-officer rapid-deployment training “bi-annually”, which can "
            "mean twice a year or every two years. This report reads it as "
            f"<b>{markup(reading_label(r.rapid_deployment_reading))}</b>.",
            f"Question set: {markup(self.form.title)} ({markup(r.form_id)}, "
            f"<b>version {r.form_version}</b>).",
            f"{r.answered} of {r.total} questions that apply were answered "
            f"({r.percent_answered}%).",
        ]
        for fact in facts:
            story.append(Para(fact, self.styles["Bullet"], bulletText="•"))
        story.append(self.p("The rules, as the readiness engine applies them", "H2"))
        if r.rules:
            for rule in r.rules:
                story.append(Para(markup(rule), self.styles["Bullet"], bulletText="•"))
        else:
            story.append(self.p("The engine stated no rules."))
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
                return str(value)
            return f"{CHOICE_STATUS[choice].symbol} {choice.label}"
        if question.type == AnswerType.YESNO:
            return {"yes": "Yes", "no": "No"}.get(str(value), str(value))
        if question.type == AnswerType.DATE:
            try:
                return long_date(date.fromisoformat(str(value)))
            except ValueError:
                return str(value)
        if question.type == AnswerType.INTEGER and isinstance(value, int):
            return f"{value:,}"
        return str(value)

    def appendix(self) -> list[Flowable]:
        a = self.assessment
        answers = a.answers
        story = self.heading("Appendix: every question and answer")
        story.append(
            self.p(
                "Each question as it was asked, with the answer and any note. Questions that "
                "did not apply, given earlier answers, are listed as not asked.",
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
            story.append(self.p(markup(title), "H2"))
            for q in questions:
                story += self.question_block(q, answers)
        return story

    def question_block(self, q: Question, answers: dict[str, Answer]) -> list[Flowable]:
        ref = ""
        if q.standard:
            try:
                std = self.form.standard(q.standard)
                ref = f"{std.number}{q.element} · "
            except KeyError:
                ref = ""
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
                lines.append(f"Why not applicable: {answer.na_reason.strip()}")
            if answer.flagged:
                lines.append("Marked for review.")
            if answer.reconfirm:
                lines.append("Carried forward from an earlier assessment: to be re-confirmed.")
        st = self.styles
        segments = [
            (ref + fonts.clean(text), st["Question"], True),
            (fonts.clean("\n".join(lines)), st["AnswerStrong" if strong else "Answer"], False),
        ]
        if answer is not None and answer.note.strip():
            segments.append(("Note: " + fonts.clean(answer.note.strip()), st["Note"], False))
        if all(fonts.base_only(seg[0]) for seg in segments):
            return [PlainText(segments=segments)]
        # some character needs the fallback font: Paragraphs, which can switch fonts mid-line
        question = self.t(text, "Question", prefix=ref)
        question.keepWithNext = True
        return [question] + [self.t(seg[0], seg[1].name) for seg in segments[1:]]

    # -- signatures --

    def signatures(self) -> list[Flowable]:
        a = self.assessment
        story = self.heading("Signatures")
        story.append(
            self.p(
                "NASRO asks that the head of the law-enforcement agency and the school "
                "district's superintendent both understand and support the SRO program. By "
                "signing, each confirms having read this report and supporting the program and "
                "the action plan in it.",
                "Lead",
            )
        )
        for role, org in (
            ("Head of the law-enforcement agency", a.agency),
            ("Superintendent of the school district", a.district),
        ):
            block: list[Flowable] = [self.p(role, "SignRole")]
            if org.strip():
                block.append(self.u(org, "Small"))
            line_rows = [
                [self.p("Name", "Small"), ""],
                [self.p("Signature", "Small"), ""],
                [self.p("Date", "Small"), ""],
            ]
            t = Table(line_rows, colWidths=[1.1 * inch, 4.2 * inch], rowHeights=[30, 38, 30],
                      hAlign="LEFT")  # fmt: skip
            t.setStyle(
                TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                        ("LINEBELOW", (1, 0), (1, -1), 0.8, INK),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ]
                )
            )
            block.append(t)
            story.append(KeepTogether(block))
        story.append(Spacer(1, 0.3 * inch))
        story.append(
            self.p(
                f"Report made on {long_date(date.today())} by the SRO Program Readiness app "
                f"from answers as of {long_date(self.readiness.as_of)}.",
                "Small",
            )
        )
        return story


__all__ = ["ReadinessReportRenderer", "build_styles"]
