"""The report's own flowables: fast plain text, table-like rows, a list with a repeated header,
page furniture (rules, outline entries) and the numbering canvas ("Page X of Y").

Long user text (notes, next steps) is never the only thing in a row that cannot split: rows
hold short text, and long text is printed below them as PlainText, which breaks across pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer

from nasro_desktop.report import fonts
from nasro_desktop.report.styles import INK, RULE


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
        if len(lines) - fit == 1 and fit > 2:  # no single widow line at the top of a page
            fit -= 1
            while fit > 0 and lines[fit - 1][3]:
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

    def __init__(self, cells: list[Flowable], widths: list[float], *, background: Any = None,
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


class HeadedList(Flowable):
    """A heading, a header row and rows: the header is drawn again at the top of every page
    the list continues on, a row is never split (a row's long-text block below it may be,
    between lines), and the heading never ends a page alone: the first part must hold the
    heading, the header and at least one row.

    `lead` (the heading and its intro) is drawn only in the first part; `continued`, if
    given, heads every later part ("1. Administration (continued)").
    """

    def __init__(self, header: Flowable | None, items: list[Flowable], *,
                 lead: list[Flowable] | None = None,
                 continued: list[Flowable] | None = None) -> None:  # fmt: skip
        super().__init__()
        self.header, self.items = header, items
        self.lead, self.continued = lead or [], continued or []
        self._sizes: list[tuple[Flowable, float, float, float]] = []

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
        if not fitted or not rest:
            return []
        first_part = HeadedList(self.header, fitted, lead=self.lead)
        later = HeadedList(self.header, rest, lead=self.continued, continued=self.continued)
        return [first_part, later]

    def draw(self) -> None:
        y = self.height
        last = len(self._sizes) - 1
        for i, (f, before, h, after) in enumerate(self._sizes):
            y -= (before if i else 0) + h
            f.drawOn(self.canv, 0, y)
            y -= after if i < last else 0


def numbered_canvas(footer_font: str, right_x: float, y: float, size: float = 8,
                    on_document: Callable[[Canvas], None] | None = None) -> type[Canvas]:  # fmt: skip
    """A canvas that holds pages back until the end so each footer can say "Page X of Y"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # the doc template passes initialFontName=None: reportlab would then put an
            # unembedded Helvetica on every page, although nothing is drawn with it
            kwargs["initialFontName"] = footer_font
            kwargs["initialFontSize"] = size
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict[str, Any]] = []
            if on_document is not None:
                on_document(self)

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # reportlab's, untyped there

        def save(self) -> None:
            total = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                self.setFont(footer_font, size)
                self.setFillColor(INK)
                page = self._pageNumber  # type: ignore[attr-defined]  # reportlab's, untyped there
                self.drawRightString(right_x, y, f"Page {page} of {total}")
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


class Rule(Flowable):
    """A thin horizontal line across the frame."""

    def __init__(self, color: Any = RULE, width: float = 0.6, space: float = 4) -> None:
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

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.title, self.key, level=self.level, closed=False)



class BarChart(Flowable):
    """Two horizontal bars per row (0–100 %) drawn straight onto the canvas: the section chart.

    A few dozen canvas operations instead of reportlab's chart widgets (which cost ~25 ms a
    chart and ~40 ms of imports). Bars are told apart by fill and outline, not colour alone,
    and every bar carries its value in words ("92%", "n/a").
    """

    def __init__(self, rows: list[tuple[str, float | None, float | None]], width: float, *,
                 font: str, size: float, series: tuple[str, str], fills: tuple[Any, ...],
                 ink: Any, grid: Any) -> None:  # fmt: skip
        super().__init__()
        self.rows, self.font, self.size, self.series = rows, font, size, series
        self.fills, self.ink, self.grid = fills, ink, grid
        self.width = width
        self.bar = size + 0.5
        self.row_gap = 5
        self.label_w = max((stringWidth(name, font, size) for name, _, _ in rows), default=0) + 8
        self.height = len(rows) * (2 * self.bar + 1 + self.row_gap) + 2.2 * size + 16

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c, size = self.canv, self.size
        x0 = self.label_w
        span = self.width - x0 - 4 * size  # room on the right for "100%"
        legend_h = size + 8
        axis_y = legend_h + size + 5
        top = self.height
        c.saveState()
        c.setLineWidth(0.4)
        c.setStrokeColor(self.grid)
        c.setFont(self.font, size)
        c.setFillColor(self.ink)
        for pct in (0, 25, 50, 75, 100):
            x = x0 + span * pct / 100
            c.line(x, axis_y, x, top)
            c.drawCentredString(x, axis_y - size - 2, f"{pct}%")
        y = top
        for name, first, second in self.rows:
            group = 2 * self.bar + 1
            y -= group
            c.setFillColor(self.ink)
            c.drawRightString(x0 - 6, y + group / 2 - size * 0.35, name)
            for k, value in enumerate((first, second)):
                by = y + (self.bar + 1 if k == 0 else 0)
                w = 0 if value is None else span * max(0.0, min(100.0, value)) / 100
                if w > 0:
                    c.setFillColor(self.fills[k])
                    c.setStrokeColor(self.ink)
                    c.setLineWidth(0.5)
                    c.rect(x0, by, w, self.bar, stroke=k == 1, fill=1)
                c.setFillColor(self.ink)
                label = "n/a" if value is None else f"{round(value)}%"
                c.drawString(x0 + w + 3, by + (self.bar - size * 0.7) / 2, label)
            y -= self.row_gap
        c.setStrokeColor(self.ink)
        c.setLineWidth(0.6)
        c.line(x0, axis_y, x0, top)
        # legend: a swatch and words for each series
        lx = x0
        for k, label in enumerate(self.series):
            c.setFillColor(self.fills[k])
            c.setStrokeColor(self.ink)
            c.setLineWidth(0.5)
            c.rect(lx, 2, size, size, stroke=1, fill=1)
            c.setFillColor(self.ink)
            c.drawString(lx + size + 4, 2 + size * 0.15, label)
            lx += size + 16 + stringWidth(label, self.font, size)
        c.restoreState()
