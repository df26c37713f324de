"""The report's own flowables: fast plain text, table-like rows, a list with a repeated header,
page furniture (rules, outline entries) and the numbering canvas ("Page X of Y").

Long user text (notes, next steps) is never the only thing in a row that cannot split: rows
hold short text, and long text is printed below them as PlainText, which breaks across pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import nullcontext
from functools import lru_cache
from typing import Any, Protocol

from reportlab.lib.colors import Color
from reportlab.lib.colors import white as colors_white
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfdoc import PDFArray, PDFName
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from nasro_desktop.report import fonts
from nasro_desktop.report.styles import INK, RULE
from nasro_desktop.report.tagging import (
    Tagger,
    is_heading,
    role_of_style,
    style_names,
    tag_page,
    tagger_of,
)


class Para(Paragraph):
    """A Paragraph that remembers its line breaks for a width: tables wrap each cell several
    times while they measure and split, and breaking lines is most of reportlab's time."""

    _wrapped_for: float | None = None
    role: str = ""  # the structure type in the tagged PDF; "" = from the style (H1–H3 or P)

    def __init__(self, text: str, style: ParagraphStyle, *args: Any, **kwargs: Any) -> None:
        super().__init__(text, style, *args, **kwargs)
        if is_heading(role_of_style(style)):  # never the last line of a page
            self.keepWithNext = True

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self._wrapped_for == avail_width and "blPara" in self.__dict__:
            return self.width, self.height
        size = super().wrap(avail_width, avail_height)
        self._wrapped_for = avail_width
        return size

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(avail_width, avail_height)
        for part in parts:
            if isinstance(part, Para):
                part.role = self.role
        return parts

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802
        actual = ""
        if fonts.RTL.search(self.text or ""):
            actual = "".join(getattr(f, "text", "") for f in self.frags)
            self._draw_visual()
        draw_tagged(self, canvas, x, y, _sW, self.role or role_of_style(self.style),
                    actual=actual)  # fmt: skip

    def _draw_visual(self) -> None:
        """Right-to-left runs of the laid-out lines turned to the order they are drawn in."""
        para: Any = getattr(self, "blPara", None)
        if para is None:
            return
        for i, line in enumerate(para.lines):
            if para.kind == 0:  # (room left, words): one font
                words = fonts.visual(" ".join(line[1])).split(" ")
                para.lines[i] = (line[0], words)
            else:  # fragments of a line, each in its own font
                for word in getattr(line, "words", []):
                    if hasattr(word, "text"):
                        word.text = fonts.visual(word.text)


_draw_on: Any = Flowable.drawOn  # reportlab's (its stubs leave out the `_sW` it takes)


def draw_tagged(flowable: Flowable, canvas: Canvas, x: float, y: float, _sw: float, role: str,
                alt: str = "", actual: str = "") -> None:  # fmt: skip
    """Draws a text-showing flowable (reportlab's drawOn) as one structure element of type
    `role` with its marked content (or, on a canvas that does not tag or for page furniture,
    just draws it)."""
    attributes = None
    if role == "Figure":  # where the figure is on the page, for tools that reflow or zoom
        a, b, c, d, e, f = getattr(canvas, "_currentMatrix")  # noqa: B009 (no stub)
        x1, y1 = a * x + c * y + e, b * x + d * y + f
        x2, y2 = x1 + a * flowable.width, y1 + d * flowable.height
        attributes = {"O": PDFName("Layout"), "BBox": PDFArray([round(v, 1) for v in (x1, y1, x2, y2)])}
    with tagger_of(canvas).content(getattr(canvas, "_code"), role,  # noqa: B009 (its code list)
                        alt=alt, attributes=attributes, actual=actual):
        _draw_on(flowable, canvas, x, y, _sw)


def style_of(flowable: Flowable) -> ParagraphStyle | None:
    """The (first) paragraph style of a text flowable, or None."""
    if isinstance(flowable, PlainText):
        return flowable.first_style
    style: object = getattr(flowable, "style", None)
    return style if isinstance(style, ParagraphStyle) else None


def is_bullet(flowable: Flowable) -> bool:
    """A list item: text in the Bullet style (or one derived from it)."""
    return "Bullet" in style_names(style_of(flowable))


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
        self.role = ""  # as Para.role
        if is_heading(role_of_style(self.first_style)):  # never the last line of a page
            self.keepWithNext = True

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802
        lines = [line for _, line, _, _ in self.lines or ()]
        actual = " ".join(lines) if any(fonts.RTL.search(line) for line in lines) else ""
        draw_tagged(self, canvas, x, y, _sW, self.role or role_of_style(self.first_style),
                    actual=actual)  # fmt: skip

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
        if len(lines) - fit == 1 and fit > 2:  # no single widow line at the top of a page
            fit -= 1
            while fit > 0 and lines[fit - 1][3]:
                fit -= 1
        if fit < 2:  # no single orphan line at the foot of a page
            return []
        head, tail = PlainText(segments=self.segments), PlainText(segments=self.segments)
        head.role = tail.role = self.role
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
                text.textOut(fonts.visual(line))
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

    def __init__(self, cells: list[Flowable], widths: list[float], *, background: Color | None = None,
                 left_rule: bool = False, rule_below: bool = True, pad: float = 4) -> None:  # fmt: skip
        super().__init__()
        self.cells, self.widths = cells, widths
        self.background, self.left_rule, self.rule_below, self.pad = (
            background,
            left_rule,
            rule_below,
            pad,
        )
        self.header_cells = False  # a table's header row: its cells are TH (set by HeadedList)

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
        tagger = tagger_of(canvas)
        head = {"O": PDFName("Table"), "Scope": PDFName("Column")} if self.header_cells else None
        with tagger.element("TR"):
            for cell, w in zip(self.cells, self.widths, strict=True):
                with tagger.element("TH" if self.header_cells else "TD", attributes=head):
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


class HeadedList(Flowable):
    """A heading, a header row and rows: the header is drawn again at the top of every page
    the list continues on, a row is never split (a row's long-text block below it may be,
    between lines), and the heading never ends a page alone: the first part must hold the
    heading, the header and at least `keep` rows, and a later part at least `keep` rows (the
    list moves to the next page whole rather than leave fewer; on a page of its own it splits
    where it must).

    `lead` (the heading and its intro) is drawn only in the first part; `continued`, if
    given, heads every later part ("1. Administration (continued)").
    """

    def __init__(self, header: Row | None, items: list[Flowable], *,
                 lead: list[Flowable] | None = None,
                 continued: list[Flowable] | None = None, keep: int = 1) -> None:  # fmt: skip
        super().__init__()
        self.header, self.items = header, items
        self.lead, self.continued = lead or [], continued or []
        self.keep = keep
        self._sizes: list[tuple[Flowable, float, float, float]] = []
        self.is_continuation = False  # a later part: its lead is the "(continued)" line
        if isinstance(header, Row):
            header.header_cells = True

    def _parts(self) -> list[Flowable]:
        head = [self.header] if self.header is not None else []
        return [*self.lead, *head, *self.items]

    @staticmethod
    def _measure(f: Flowable, avail_width: float, avail_height: float) -> tuple[float, float, float]:
        _, h = f.wrap(avail_width, avail_height)
        return f.getSpaceBefore(), h, f.getSpaceAfter()

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._sizes = [(f, *self._measure(f, avail_width, avail_height)) for f in self._parts()]
        self.width = avail_width
        # the space before the first part and after the last is the frame's business
        total = sum(b + h + a for _, b, h, a in self._sizes)
        if self._sizes:
            total -= self._sizes[0][1] + self._sizes[-1][3]
        self.height = total
        return self.width, self.height

    def getSpaceBefore(self) -> float:  # noqa: N802 (reportlab's name)
        parts = self._parts()
        return parts[0].getSpaceBefore() if parts else 0

    def getSpaceAfter(self) -> float:  # noqa: N802
        parts = self._parts()
        return parts[-1].getSpaceAfter() if parts else 0

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        used, after = 0.0, 0.0  # height so far (without the last part's space after), that space
        first = True
        head = [self.header] if self.header is not None else []
        for f in [*self.lead, *head]:
            b, h, a = self._measure(f, avail_width, avail_height)
            used += (0 if first else after + b) + h
            after, first = a, False
        if used > avail_height:
            return []
        fitted: list[Flowable] = []
        rest: list[Flowable] = []
        for i, item in enumerate(self.items):
            b, h, a = self._measure(item, avail_width, avail_height)
            gap = 0 if first else after + b
            if used + gap + h <= avail_height + 1e-6:
                fitted.append(item)
                used += gap + h
                after, first = a, False
                continue
            room = avail_height - used - gap
            parts = item.split(avail_width, room) if room > 0 else []
            if len(parts) >= 2 and not isinstance(parts[1], Spacer):
                _, h0 = parts[0].wrap(avail_width, room)
                if h0 <= room + 1e-6:
                    fitted.append(parts[0])
                    rest = [*parts[1:], *self.items[i + 1 :]]
                else:
                    rest = list(self.items[i:])
            else:
                rest = list(self.items[i:])
            break
        # a row kept with the text below it never ends a page
        while fitted and getattr(fitted[-1], "keepWithNext", False):
            rest.insert(0, fitted.pop())
        # nor does the last row start one alone, under a repeated header
        if len(rest) == 1 and len(fitted) >= 3 and not isinstance(rest[0], Spacer):
            rest.insert(0, fitted.pop())
            while fitted and getattr(fitted[-1], "keepWithNext", False):
                rest.insert(0, fitted.pop())
        if not fitted or not rest:
            return []
        # reportlab sets _postponed when the list already went on to a new page: split there
        if min(len(fitted), len(rest)) < self.keep and not getattr(self, "_postponed", False):
            return []
        first_part = HeadedList(self.header, fitted, lead=self.lead, keep=self.keep)
        first_part.is_continuation = self.is_continuation
        later = HeadedList(self.header, rest, lead=self.continued, continued=self.continued,
                           keep=self.keep)
        later.is_continuation = True
        return [first_part, later]

    def structure(self) -> str:
        """What it is in the tagged PDF: a Table (with a header row), a list (L) of
        Bullet-style items, or "" (a heading kept with its paragraphs)."""
        if self.header is not None:
            return "Table"
        if self.items and all(is_bullet(item) for item in self.items if has_text(item)):
            return "L"
        return ""

    def draw(self) -> None:
        y = self.height
        last = len(self._sizes) - 1
        tagger = tagger_of(self.canv)
        kind = self.structure()
        columns = len(self.header.cells) if self.header is not None else 1
        leads = len(self.lead)
        for i, (f, before, h, after) in enumerate(self._sizes):
            y -= (before if i else 0) + h
            if i < leads:  # "(continued)" is a running head, not a new heading
                with tagger.furniture() if self.is_continuation else nullcontext():
                    f.drawOn(self.canv, 0, y)
            else:
                if i == leads and kind:
                    tagger.open(kind)
                self._draw_item(tagger, kind, columns, f, y)
            y -= after if i < last else 0
        if kind and len(self._sizes) > leads:
            tagger.close()

    def _draw_item(self, tagger: Tagger, kind: str, columns: int, f: Flowable, y: float) -> None:
        if kind == "Table" and not isinstance(f, Row) and has_text(f):
            # text below a row (a long next step, a standard's details): a row of one cell
            with tagger.element("TR"), tagger.element("TD", attributes={
                    "O": PDFName("Table"), "ColSpan": columns}):  # fmt: skip
                f.drawOn(self.canv, 0, y)
        elif kind == "L" and has_text(f):
            with tagger.element("LI"), tagger.element("LBody"):
                f.drawOn(self.canv, 0, y)
        else:
            f.drawOn(self.canv, 0, y)


def has_text(flowable: Flowable) -> bool:
    """Whether a flowable shows text (rules, spacers and outline entries do not)."""
    return not isinstance(flowable, Rule | Spacer | Bookmark)


def numbered_canvas(footer_font: str, right_x: float, y: float, size: float = 8,
                    on_document: Callable[[Canvas], None] | None = None,
                    tagged: bool = True) -> type[Canvas]:  # fmt: skip
    """A canvas that holds pages back until the end so each footer can say "Page X of Y".

    With `tagged`, it also builds the structure tree (tagging.py): each page's code is one
    artifact sequence with the tagged pieces cut out, the page number is an artifact, and
    outline entries get their destination on the page they were drawn on (the pages held
    back are written at the end, so the document's "current page" during layout is page 1).
    """

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # the doc template passes initialFontName=None: reportlab would then put an
            # unembedded Helvetica on every page, although nothing is drawn with it
            kwargs["initialFontName"] = footer_font
            kwargs["initialFontSize"] = size
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict[str, Any]] = []
            self.tagger = Tagger() if tagged else None
            self._outline_targets: list[tuple[str, float]] = []  # (key, top) on this page
            if on_document is not None:
                on_document(self)

        def destination(self, key: str, top: float) -> None:
            """An outline entry's target on the page being drawn, `top` points up."""
            self._outline_targets.append((key, top))

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # reportlab's own reset
            self._outline_targets = []
            if self.tagger is not None:
                self.tagger.next_page()

        def save(self) -> None:
            total = len(self._saved_pages)
            for index, state in enumerate(self._saved_pages):
                self.__dict__.update(state)
                for key, top in self._outline_targets:
                    self.bookmarkPage(key, fit="XYZ", left=0, top=round(top))
                self.setFont(footer_font, size)
                self.setFillColor(INK)
                page = self.getPageNumber()
                self.drawRightString(right_x, y, f"Page {page} of {total}")
                doc: Any = getattr(self, "_doc")  # noqa: B009 (reportlab's, not in its stubs)
                if self.tagger is not None:
                    self._code: list[str] = self.tagger.page_code(self._code)
                Canvas.showPage(self)
                if self.tagger is not None:
                    tag_page(doc.Pages.pages[-1], index)
            if self.tagger is not None:
                self.tagger.write(getattr(self, "_doc"), total)  # noqa: B009
            Canvas.save(self)

    return NumberedCanvas


class BreakOffPage(Flowable):
    """A page break only while still on page 1 (the full edition's cover): when the cover
    ran over onto the next page, what follows goes on under it instead of leaving a page that
    holds a sentence."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        canvas = getattr(self, "canv", None)
        on_page = canvas is not None and canvas.getPageNumber() == 1
        return (avail_width, avail_height + 1) if on_page else (0, 0)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        pass


class KeepWhole(KeepTogether):
    """A block that moves to the next page whole rather than split (the signatures). reportlab
    measures a block of nested tables a few points short of what it then draws, so a block
    that only just "fits" left its last heading at the page foot and its lines on a page of
    their own: this one asks for `slack` points more."""

    def __init__(self, flowables: list[Flowable], slack: float = 12) -> None:
        flat: list[Flowable] = []
        for f in flowables:  # a KeepTogether inside measures as "taller than any page"
            flat += list(getattr(f, "_content")) if isinstance(f, KeepTogether) else [f]  # noqa: B009
        super().__init__(flat)
        self.slack = slack

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        size: tuple[float, float] = super().wrap(avail_width, avail_height)
        self._H: float = self._H + self.slack
        return size


class Rule(Flowable):
    """A thin horizontal line across the frame."""

    def __init__(self, color: Color = RULE, width: float = 0.6, space: float = 4) -> None:
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
    """An invisible flowable that adds a PDF outline entry (open, at `level`) where it lands."""

    def __init__(self, title: str, key: str, level: int = 0) -> None:
        super().__init__()
        self.title, self.key, self.level = title, key, level
        self.keepWithNext = True  # on the page of the heading it points at

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canvas = self.canv
        destination = getattr(canvas, "destination", None)
        if destination is not None:  # a numbered canvas writes the pages at the end
            destination(self.key, getattr(canvas, "_currentMatrix")[5] + 12)  # noqa: B009
        else:
            canvas.bookmarkPage(self.key)
        canvas.addOutlineEntry(self.title, self.key, level=self.level, closed=False)



class BarChart(Flowable):
    """Two horizontal bars per row (0–100 %) drawn straight onto the canvas: the section chart.

    A few dozen canvas operations instead of reportlab's chart widgets (which cost ~25 ms a
    chart and ~40 ms of imports). Bars are told apart by fill and outline, not colour alone,
    and every bar carries its value in words ("92%", "n/a").

    `fills` colour each series; or `row_fills` colours each row (what it measures, as in the
    section chart's legend) and `hatched` marks a series drawn hatched in that colour (then,
    against now solid). `paint` lays it out once for the PDF and the Word edition's PNG.
    """

    def __init__(self, rows: list[tuple[str, float | None, float | None]], width: float, *,
                 font: str, size: float, series: tuple[str, str], fills: tuple[Color, Color],
                 ink: Color, grid: Color, row_fills: list[Color] | None = None,
                 hatched: tuple[bool, bool] = (False, False)) -> None:  # fmt: skip
        super().__init__()
        self.rows, self.font, self.size, self.series = rows, font, size, series
        self.fills, self.ink, self.grid = fills, ink, grid
        self.row_fills, self.hatched = row_fills, hatched
        self.width = width
        self.bar = size + 0.5
        self.row_gap = 5
        self.label_w = max((stringWidth(name, font, size) for name, _, _ in rows), default=0) + 8
        self.height = len(rows) * (2 * self.bar + 1 + self.row_gap) + 2.2 * size + 16

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def alt_text(self) -> str:
        """The chart's numbers in words: the tagged PDF's /Alt and the Word edition's."""
        def value(v: float | None) -> str:
            return "not applicable" if v is None else f"{round(v)}%"

        first, second = self.series
        rows = "; ".join(f"{name}: {first.lower()} {value(a)}, {second.lower()} {value(b)}"
                         for name, a, b in self.rows)  # fmt: skip
        return f"Bar chart, {first} and {second}, 0 to 100%. {rows}."

    def fill(self, row: int, series: int) -> Color:
        """The colour of a row's bar of a series."""
        return self.row_fills[row] if self.row_fills else self.fills[series]

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802
        draw_tagged(self, canvas, x, y, _sW, "Figure", alt=self.alt_text())

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.setFont(self.font, self.size)
        self.paint(CanvasPen(self.canv, self.ink))
        self.canv.restoreState()

    def paint(self, pen: Pen) -> None:
        """The chart's one layout, drawn with `pen`: the PDF's canvas or the Word edition's
        picture (word.chart_png)."""
        size, x0 = self.size, self.label_w
        span = self.width - x0 - 4 * size  # room on the right for "100%"
        axis_y = 2 * size + 13  # above the legend and the scale's numbers
        top = self.height
        for pct in (0, 25, 50, 75, 100):
            x = x0 + span * pct / 100
            pen.line(x, axis_y, x, top, self.grid, 0.4)
            pen.text(x, axis_y - size - 2, f"{pct}%", "m")
        y = top
        group = 2 * self.bar + 1
        for row, (name, first, second) in enumerate(self.rows):
            y -= group
            pen.text(x0 - 6, y + group / 2 - size * 0.35, name, "r")
            for k, value in enumerate((first, second)):
                by = y + (self.bar + 1 if k == 0 else 0)
                w = 0 if value is None else span * max(0.0, min(100.0, value)) / 100
                if w > 0:
                    self._bar(pen, x0, by, w, self.bar, self.fill(row, k), k)
                label = "n/a" if value is None else f"{round(value)}%"
                pen.text(x0 + w + 3, by + (self.bar - size * 0.7) / 2, label, "l")
            y -= self.row_gap
        pen.line(x0, axis_y, x0, top, self.ink, 0.6)
        lx = x0
        for k, label in enumerate(self.series):  # legend: a swatch and words for each series
            swatch = self.ink if self.row_fills else self.fills[k]
            self._bar(pen, lx, 2, size, size, swatch, k, outlined=True)
            pen.text(lx + size + 4, 2 + size * 0.15, label, "l")
            lx += size + 16 + stringWidth(label, self.font, size)

    def _bar(self, pen: Pen, x: float, y: float, w: float, h: float, color: Color, series: int,
             outlined: bool = False) -> None:  # fmt: skip
        """A bar: solid (the second series and the legend's swatches outlined in ink), or
        hatched: white, lined across at 45° and outlined in its colour."""
        if not self.hatched[series]:
            pen.rect(x, y, w, h, color, self.ink if outlined or series == 1 else None)
            return
        pen.rect(x, y, w, h, colors_white, None)
        inset = 0.15  # the lines' square ends stay under the outline
        start = x - h
        while start < x + w:  # from the bottom edge up, cut at the bar's sides
            x1, x2 = max(start, x) + inset, min(start + h, x + w) - inset
            if x2 > x1:
                pen.line(x1, y + x1 - start, x2, y + x2 - start, color, 1)
            start += 3.0
        pen.rect(x, y, w, h, None, color)


class Pen(Protocol):
    """What BarChart.paint draws with, in points from the chart's lower left corner: lines,
    text in ink on a baseline (starting at (l), centred on (m) or ending at (r) `x`) and
    rectangles (filled unless `fill` is None, a 0.5-point outline unless `outline` is)."""

    def line(self, x1: float, y1: float, x2: float, y2: float, color: Color,
             width: float) -> None: ...  # fmt: skip

    def text(self, x: float, y: float, text: str, anchor: str) -> None: ...

    def rect(self, x: float, y: float, w: float, h: float, fill: Color | None,
             outline: Color | None) -> None: ...  # fmt: skip


class CanvasPen:
    """A Pen on a PDF canvas (its font already set)."""

    def __init__(self, canvas: Canvas, ink: Color) -> None:
        self.canvas, self.ink = canvas, ink

    def line(self, x1: float, y1: float, x2: float, y2: float, color: Color,
             width: float) -> None:  # fmt: skip
        self.canvas.setStrokeColor(color)
        self.canvas.setLineWidth(width)
        self.canvas.line(x1, y1, x2, y2)

    def text(self, x: float, y: float, text: str, anchor: str) -> None:
        c = self.canvas
        c.setFillColor(self.ink)
        {"l": c.drawString, "m": c.drawCentredString, "r": c.drawRightString}[anchor](x, y, text)

    def rect(self, x: float, y: float, w: float, h: float, fill: Color | None,
             outline: Color | None) -> None:  # fmt: skip
        if fill is not None:
            self.canvas.setFillColor(fill)
        if outline is not None:
            self.canvas.setStrokeColor(outline)
            self.canvas.setLineWidth(0.5)
        self.canvas.rect(x, y, w, h, stroke=outline is not None, fill=fill is not None)
