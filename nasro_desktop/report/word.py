"""The Word edition: the same story the PDF is laid out from, written as a .docx (python-docx).

The PDF's story is a list of the report's own flowables, each of which says what it is (see
tagging.py): a heading or paragraph in a named style, a table with a header row (HeadedList +
Row), a list of Bullet items, a figure (BarChart), layout tables of label/value pairs. This
module walks that list and writes each piece as its Word counterpart: heading styles
(Title, Heading 1–3), real tables whose header row repeats on each page, the List Bullet style,
the charts as PNG pictures (drawn with Pillow from the chart's own numbers) with the same alt
text as the PDF's /Alt, bold runs where the PDF has bold, the page furniture as the section's
header and footer. Nothing sits in a text box. Because both formats come from one story, the
names rule, the stale-date notice, the fingerprint and every mandatory gap are the same in
both, by construction: `tests/test_report_word.py` checks it.

`render_docx(form, assessment, readiness, options)` makes the Word edition (the window's Save
as Word and the CLI's `report --format docx`, through `report.render_word`).

A flowable this module does not know raises `UnknownFlowable` (a test renders every fixture so a
new kind of flowable cannot slip into the PDF alone).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt, RGBColor
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.colors import Color
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from nasro_desktop.domain.model import Assessment, Form
from nasro_desktop.domain.results import Readiness
from nasro_desktop.report import fonts
from nasro_desktop.report.flowables import (
    BarChart,
    Bookmark,
    BreakOffPage,
    HeadedList,
    PlainText,
    Row,
    Rule,
    is_bullet,
    style_of,
)
from nasro_desktop.report.options import ReportOptions
from nasro_desktop.report.renderer import LANGUAGE, Progress, furniture, story, title
from nasro_desktop.report.sections import Report
from nasro_desktop.report.styles import Fields
from nasro_desktop.report.tagging import role_of_style, style_names

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import _Cell

WORD_STYLES = {"Title": "Title", "BoardTitle": "Title", "Bullet": "List Bullet"}
HEADINGS = {"H1": "Heading 1", "H2": "Heading 2", "H3": "Heading 3"}  # by structure role
SMALL_STYLES = {"Small", "Note", "Cell", "CellSmall", "FigureLabel", "Answer"}
BLANK = "_" * 28  # a line to write on (signatures), as text: no drawing, no text box


class UnknownFlowable(TypeError):
    """The Word edition met a flowable it cannot write (a programming error, caught by tests)."""


Run = tuple[str, bool]  # text, bold ("\n" is a line break)


def runs_of(flowable: Flowable) -> list[Run]:
    """The text of a Para or PlainText as runs, with its bold and line breaks."""
    if isinstance(flowable, PlainText):
        out: list[Run] = []
        for i, (text, style, _) in enumerate(flowable.segments):
            if i:
                out.append(("\n", False))
            out.append((text, style.fontName == fonts.BOLD))
        return out
    if isinstance(flowable, Paragraph):
        out = []
        bullet = getattr(flowable, "bulletText", None)
        frags: list[Any] = list(getattr(flowable, "frags", []) or [])
        for frag in frags:
            if getattr(frag, "lineBreak", False):
                out.append(("\n", False))
                continue
            text = getattr(frag, "text", "")
            if text:
                bold = bool(getattr(frag, "bold", 0)) or frag.fontName == fonts.BOLD
                out.append((text, bold))
        if bullet and not is_bullet(flowable):
            out.insert(0, (f"{bullet} ", False))
        return out
    raise UnknownFlowable(type(flowable).__name__)


def add_runs(para: Any, runs: Iterable[Run], size: Pt | None = None) -> None:
    """Runs written into a Word paragraph: bold where bold, "\n" as a line break."""
    for text, bold in runs:
        if text == "\n":
            para.add_run().add_break()
            continue
        run = para.add_run(text)
        run.bold = bold or None
        if size is not None:
            run.font.size = size


def plain(runs: Iterable[Run]) -> str:
    return " ".join("".join(text for text, _ in runs).split())


class WordWriter:
    """Writes one report's story into a python-docx Document, on its paper and margins."""

    def __init__(self, r: Report) -> None:
        self.doc: DocxDocument = Document()
        props = self.doc.core_properties
        name = title(r)  # a document property holds 255 characters at most (a long agency name)
        props.title = name if len(name) <= 255 else name[:254] + "…"
        props.language = LANGUAGE  # every run's language is python-docx's default: en-US
        section = self.doc.sections[0]
        section.page_width, section.page_height = Pt(r.pagesize[0]), Pt(r.pagesize[1])
        section.left_margin = section.right_margin = Pt(r.margin_x)
        section.top_margin, section.bottom_margin = Pt(r.margin_top), Pt(r.margin_bottom)
        self.content_width = r.width
        normal = self.doc.styles["Normal"]
        normal.font.name = "DejaVu Sans"
        normal.font.size = Pt(10)
        self._style_ids: dict[str, str] = {}

    def paragraph(self, where: Any, style: str = "Normal", text: str = "") -> Any:
        """A new paragraph in `style` (set by its id: python-docx's lookup by name reads every
        style of the document each time, most of the time a report took)."""
        para = where.add_paragraph(text)
        if style != "Normal":
            sid = self._style_ids.get(style)
            if sid is None:
                sid = self._style_ids[style] = self.doc.styles[style].style_id
            para._p.get_or_add_pPr().style = sid
        return para

    # -- page furniture --

    def furniture(self, header: str, footer: str) -> None:
        section = self.doc.sections[0]
        section.header.paragraphs[0].text = header
        para = section.footer.paragraphs[0]
        para.text = footer + " · Page "
        self._field(para, "PAGE")
        para.add_run(" of ")
        self._field(para, "NUMPAGES")

    @staticmethod
    def _field(para: Any, code: str) -> None:
        run = para.add_run()
        for kind, text in (("begin", None), (None, code), ("separate", None), (None, "1"),
                           ("end", None)):  # fmt: skip
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            elif text == code:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = f" {code} "
            else:
                element = OxmlElement("w:t")
                element.text = text
            run._r.append(element)

    # -- the story --

    def write(self, story: Iterable[Flowable]) -> None:
        for flowable in story:
            self.flowable(flowable, self.doc)

    def flowable(self, f: Flowable, where: Any) -> None:
        """Writes `f` into `where`: the document, or a table's cell."""
        if isinstance(f, Bookmark | Spacer | CondPageBreak | NextPageTemplate | Rule | BreakOffPage):
            pass  # headings are the Word outline; space and rules are the layout's
        elif isinstance(f, KeepTogether):  # kept together on a page in Word too
            parts: list[Flowable] = list(getattr(f, "_content"))  # noqa: B009 (not in the stubs)
            for i, part in enumerate(parts):
                before = len(where.paragraphs)
                self.flowable(part, where)
                if i < len(parts) - 1:
                    for para in where.paragraphs[before:]:
                        para.paragraph_format.keep_with_next = True
        elif isinstance(f, HeadedList):
            self.headed_list(f, where)
        elif isinstance(f, BarChart):
            self.chart(f, where)
        elif isinstance(f, Table):
            self.layout_table(f, where)
        elif isinstance(f, Paragraph | PlainText):
            self.text(f, where)
        else:
            raise UnknownFlowable(type(f).__name__)

    def text(self, f: Flowable, where: Any) -> None:
        runs = runs_of(f)
        st = style_of(f)
        role = getattr(f, "role", "") or role_of_style(st)
        name = next((WORD_STYLES[n] for n in style_names(st) if n in WORD_STYLES),
                    HEADINGS.get(role, "Normal"))  # fmt: skip
        if name.startswith("Heading") or name == "Title":
            if not plain(runs):
                return
            self.paragraph(where, name, plain(runs))
            return
        para = self.paragraph(where, "Caption" if role == "Caption" else name)
        small = st is not None and st.name.split("·")[0] in SMALL_STYLES  # "Small·bold" too
        add_runs(para, runs, Pt(9) if small else None)
        color = getattr(st, "textColor", None)
        if color is not None and name == "Normal" and hasattr(color, "hexval"):
            rgb = color.hexval()[2:]
            if rgb.lower() not in ("ffffff", "1a1a1a", "000000"):
                for run in para.runs:
                    run.font.color.rgb = RGBColor.from_string(rgb.upper())

    def headed_list(self, f: HeadedList, where: Any) -> None:
        for part in f.lead:
            self.flowable(part, where)
        if f.header is None:
            for item in f.items:
                self.flowable(item, where)
            return
        columns = len(f.header.cells)
        table = where.add_table(rows=0, cols=columns)
        table.style = self.doc.styles["Table Grid"]
        widths = [Pt(w) for w in f.header.widths]
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        cells = table.add_row().cells
        for cell, width, head in zip(cells, widths, f.header.cells, strict=True):
            cell.width = width
            cell.text = ""
            cell.paragraphs[0].add_run(plain(runs_of(head))).bold = True
        repeat = OxmlElement("w:tblHeader")  # the header row is repeated on every page
        repeat.set(qn("w:val"), "true")
        table.rows[0]._tr.get_or_add_trPr().append(repeat)
        for item in f.items:
            if isinstance(item, Rule | Spacer | Bookmark):
                continue
            row = table.add_row().cells
            if isinstance(item, Row) and len(item.cells) == columns:
                for cell, content, width in zip(row, item.cells, widths, strict=True):
                    self._cell(cell, content)
                    cell.width = width
            else:  # text below a row: one cell across the table
                merged = row[0].merge(row[-1]) if columns > 1 else row[0]
                self._cell(merged, item)
        where.add_paragraph()  # Word joins tables that touch

    def _cell(self, cell: _Cell, content: Flowable) -> None:
        first = cell.paragraphs[0]
        self.flowable(content, cell)
        if not first.text and len(cell.paragraphs) > 1:
            first._element.getparent().remove(first._element)

    def layout_table(self, f: Table, where: Any) -> None:
        """A reportlab Table used for layout: a Fields table's rows as "Label: value" lines,
        any other's cells in reading order (boxes, figures side by side)."""
        for row in getattr(f, "_cellvalues"):  # noqa: B009 (reportlab's, not in its stubs)
            if isinstance(f, Fields):
                label, value = row
                para = self.paragraph(where)
                para.add_run(f"{plain(runs_of(label))}: ").bold = True
                if isinstance(value, Spacer):
                    para.add_run(BLANK)
                else:
                    add_runs(para, runs_of(value))
                continue
            for cell in row:
                for part in _flowables(cell):
                    self.flowable(part, where)

    def chart(self, f: BarChart, where: Any) -> None:
        png = chart_png(f)
        width = Emu(int(Pt(min(f.width, self.content_width))))
        shape = where.add_paragraph().add_run().add_picture(io.BytesIO(png), width=width)
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", f.alt_text())
        doc_pr.set("title", f.series[0] if f.series else "Chart")

    def save(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _flowables(cell: Any) -> list[Flowable]:
    if cell is None or isinstance(cell, str):
        return []
    if isinstance(cell, list | tuple):
        return [c for c in cell if isinstance(c, Flowable)]
    return [cell] if isinstance(cell, Flowable) else []


def chart_png(chart: BarChart, scale: float = 3.0) -> bytes:
    """The chart as a PNG: BarChart.paint drawn with Pillow, `scale` pixels to the point."""
    pen = PicturePen(chart, scale)
    chart.paint(pen)
    out = io.BytesIO()
    pen.image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _rgb(color: Any) -> str:
    return "#" + str(color.hexval())[2:]


class PicturePen:
    """A flowables.Pen on a Pillow image of the chart (y counts down there, from the top),
    with 2 points more at the top for the first value, which stands a little above its bar."""

    def __init__(self, chart: BarChart, scale: float) -> None:
        self.scale, self.height, self.ink = scale, (chart.height + 2) * scale, _rgb(chart.ink)
        self.font = ImageFont.truetype(str(fonts.fonts_dir() / "DejaVuSans.ttf"),
                                       int(chart.size * scale))  # fmt: skip
        self.image = Image.new("RGB", (int(chart.width * scale), int(self.height)), "white")
        self.draw = ImageDraw.Draw(self.image)

    def _xy(self, x: float, y: float) -> tuple[float, float]:
        return x * self.scale, self.height - y * self.scale

    def _width(self, points: float) -> int:
        return max(1, int(points * self.scale))

    def line(self, x1: float, y1: float, x2: float, y2: float, color: Color,
             width: float) -> None:  # fmt: skip
        self.draw.line([self._xy(x1, y1), self._xy(x2, y2)], fill=_rgb(color),
                       width=self._width(width))  # fmt: skip

    def text(self, x: float, y: float, text: str, anchor: str) -> None:
        self.draw.text(self._xy(x, y), text, fill=self.ink, font=self.font, anchor=anchor + "s")

    def rect(self, x: float, y: float, w: float, h: float, fill: Color | None,
             outline: Color | None) -> None:  # fmt: skip
        (x0, y1), (x1, y0) = self._xy(x, y), self._xy(x + w, y + h)
        self.draw.rectangle([x0, y0, x1, y1], fill=None if fill is None else _rgb(fill),
                            outline=None if outline is None else _rgb(outline),
                            width=self._width(0.5))  # fmt: skip


def render_docx(form: Form, assessment: Assessment, readiness: Readiness,
                options: ReportOptions, progress: Progress | None = None) -> bytes:
    """The same edition as a Word document, written from the same story (report/word.py)."""
    r = Report(form, assessment, readiness, options)
    if progress:
        progress(0.0)
    writer = WordWriter(r)
    right, footer = furniture(r)
    writer.furniture(f"{fonts.clean(r.agency)} · {right}", footer)
    writer.write(story(r))
    data = writer.save()
    if progress:
        progress(1.0)
    return data


__all__ = ["UnknownFlowable", "WordWriter", "chart_png", "render_docx", "runs_of"]
