"""The tagged PDF: a structure tree built while reportlab draws, written by reportlab itself.

Why this way: reportlab has no tagging of its own, but it lets a canvas write raw operators and
a document hold any PDF object. Each flowable that shows text says what it is (`role`); when it
is drawn on a tagging canvas, its operators are wrapped in marked content (`/P <</MCID n>>
BDC … EMC`) and a structure element for it is added under the open container (a Table, a row,
a list item). Everything drawn outside a tagged flowable (running header and footer, page
numbers, rules, backgrounds, the repeated "(continued)" heading) is an `/Artifact`. At the end
the tree, its /ParentTree, /MarkInfo and each page's /StructParents and /Tabs are written as
reportlab objects in the same pass: no second program reads and rewrites the file (pikepdf is
used by the tests to walk the result, not at run time), and the cost is a few milliseconds.

The tree's order is the drawing order, which is the story's order: the order a sighted reader
reads (one column, top to bottom). `tests/test_report_tagged.py` walks it with pikepdf.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObjectReference,
    PDFStream,
    PDFString,
)

# reportlab style name (or an ancestor's) -> structure type; any other text is a paragraph
HEADING_ROLES = {"Title": "H1", "BoardTitle": "H1", "H1": "H1", "H2": "H2", "H3": "H3",
                 "SignRole": "H3"}  # "Acknowledged by the school board" heads its lines


def is_heading(role: str) -> bool:
    return role in ("H1", "H2", "H3")


def style_names(style: ParagraphStyle | None) -> Iterator[str]:
    """The style's name and its parents' names, nearest first."""
    current: Any = style
    while current is not None:
        yield current.name
        current = current.parent


def role_of_style(style: ParagraphStyle | None) -> str:
    """The structure type of text in `style`: a heading for the heading styles, else P."""
    return next((HEADING_ROLES[n] for n in style_names(style) if n in HEADING_ROLES), "P")


class StructElem:
    """One structure element: its type, attributes and kids (elements, or (page, MCID))."""

    __slots__ = ("tag", "parent", "kids", "attributes", "alt", "actual", "name")

    def __init__(self, tag: str, parent: StructElem | None, *, alt: str = "",
                 attributes: dict[str, Any] | None = None, actual: str = "") -> None:  # fmt: skip
        self.tag, self.parent, self.alt, self.actual = tag, parent, alt, actual
        self.kids: list[StructElem | tuple[int, int]] = []
        self.attributes = attributes or {}
        self.name = ""

    def first_page(self) -> int | None:
        for kid in self.kids:
            page = kid[0] if isinstance(kid, tuple) else kid.first_page()
            if page is not None:
                return page
        return None


class Tagger:
    """The structure tree of one document, grown while the pages are drawn.

    `page` is the index of the page being drawn. Marked content opens and closes in the
    canvas's code list; between tagged pieces the page is in an /Artifact sequence, opened
    by `page_code` when the page is written out.
    """

    def __init__(self) -> None:
        self.root = StructElem("Document", None)
        self.stack = [self.root]
        self.page = 0
        self.parents: list[list[StructElem]] = [[]]  # per page: MCID -> its element
        self.suspended = 0  # >0: drawing page furniture, nothing is tagged

    # -- building, while the flowables draw --

    def open(self, tag: str, *, alt: str = "", attributes: dict[str, Any] | None = None,
             actual: str = "") -> StructElem:  # fmt: skip
        element = StructElem(tag, self.stack[-1], alt=alt, attributes=attributes, actual=actual)
        self.stack[-1].kids.append(element)
        self.stack.append(element)
        return element

    def close(self) -> None:
        if len(self.stack) > 1:
            self.stack.pop()

    @contextmanager
    def element(self, tag: str, *, alt: str = "", attributes: dict[str, Any] | None = None,
                actual: str = "") -> Iterator[StructElem]:  # fmt: skip
        element = self.open(tag, alt=alt, attributes=attributes, actual=actual)
        try:
            yield element
        finally:
            self.close()

    @contextmanager
    def content(self, code: list[str], tag: str, *, alt: str = "",
                attributes: dict[str, Any] | None = None, actual: str = "") -> Iterator[None]:  # fmt: skip
        """Marked content for one piece of text (or a figure): an element with one MCID.
        `actual`: the text in logical order when it is drawn in another (right-to-left)."""
        with self.element(tag, alt=alt, attributes=attributes, actual=actual) as element:
            mcid = len(self.parents[self.page])
            self.parents[self.page].append(element)
            element.kids.append((self.page, mcid))
            code.append(f"EMC /{tag} <</MCID {mcid}>> BDC")
            try:
                yield
            finally:
                code.append("EMC /Artifact BMC")

    @contextmanager
    def furniture(self) -> Iterator[None]:
        """Page furniture: whatever is drawn inside stays an artifact."""
        self.suspended += 1
        try:
            yield
        finally:
            self.suspended -= 1

    def next_page(self) -> None:
        self.page += 1
        self.parents.append([])

    @staticmethod
    def page_code(code: list[str]) -> list[str]:
        """A page's code as one artifact sequence with the tagged pieces cut out of it."""
        return ["/Artifact BMC", *code, "EMC"]

    # -- writing, once every page is drawn --

    def write(self, doc: Any, pages: int) -> None:
        """Adds the structure tree to reportlab's document (pages are named Page1, Page2…)."""

        def page_ref(index: int) -> PDFObjectReference:
            return PDFObjectReference(f"Page{index + 1}")

        elements: list[StructElem] = []

        def name(element: StructElem) -> None:
            element.name = f"StructElem{len(elements)}"
            elements.append(element)
            for kid in element.kids:
                if isinstance(kid, StructElem):
                    name(kid)

        name(self.root)
        root_ref = PDFObjectReference("StructTreeRoot")
        for element in elements:
            page = element.first_page()
            kids: list[Any] = []
            for kid in element.kids:
                if isinstance(kid, StructElem):
                    kids.append(PDFObjectReference(kid.name))
                elif kid[0] == page:
                    kids.append(kid[1])
                else:
                    kids.append(PDFDictionary({"Type": PDFName("MCR"), "Pg": page_ref(kid[0]),
                                               "MCID": kid[1]}))  # fmt: skip
            entries: dict[str, Any] = {
                "Type": PDFName("StructElem"),
                "S": PDFName(element.tag),
                "P": PDFObjectReference(element.parent.name) if element.parent else root_ref,
                "K": PDFArray(kids),
            }
            if page is not None:
                entries["Pg"] = page_ref(page)
            if element.alt:
                entries["Alt"] = PDFString(element.alt)
            if element.actual:
                entries["ActualText"] = PDFString(element.actual)
            if element.attributes:
                entries["A"] = PDFDictionary(dict(element.attributes))
            doc.Reference(PDFDictionary(entries), element.name)
        nums: list[Any] = []
        for index, owners in enumerate(self.parents[:pages]):
            nums += [index, PDFArray([PDFObjectReference(e.name) for e in owners])]
        tree = PDFDictionary({
            "Type": PDFName("StructTreeRoot"),
            "K": PDFArray([PDFObjectReference(self.root.name)]),
            "ParentTree": PDFDictionary({"Nums": PDFArray(nums)}),
            "ParentTreeNextKey": pages,
        })  # fmt: skip
        doc.Reference(tree, "StructTreeRoot")
        doc.Catalog.StructTreeRoot = root_ref
        doc.Catalog.MarkInfo = PDFDictionary({"Marked": "true"})  # a PDF boolean


def add_metadata(doc: Any, *, title: str, language: str, author: str) -> None:
    """XMP metadata naming the document's title and language and claiming PDF/UA-1, as
    PDF/UA checkers (veraPDF, PAC) look for it; unfiltered, as the standard asks."""
    xmp = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>
   <pdf:Producer>ReportLab PDF Library - (opensource)</pdf:Producer>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    stream = PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
                       xmp.encode("utf-8"), filters=[])  # fmt: skip
    doc.Catalog.Metadata = doc.Reference(stream, "XMPMetadata")


def tag_page(page: Any, index: int) -> None:
    """A written page's /StructParents (its row of the parent tree) and tab order."""
    page.__NoDefault__ = [*type(page).__NoDefault__, "StructParents", "Tabs"]
    page.StructParents = index
    page.Tabs = PDFName("S")


class Untagged(Tagger):
    """A tagger that tags nothing: what is drawn on a canvas that does not tag, and inside
    page furniture."""

    def open(self, tag: str, *, alt: str = "", attributes: dict[str, Any] | None = None,
             actual: str = "") -> StructElem:  # fmt: skip
        return self.root

    def close(self) -> None:
        pass

    @contextmanager
    def content(self, code: list[str], tag: str, *, alt: str = "",
                attributes: dict[str, Any] | None = None, actual: str = "") -> Iterator[None]:  # fmt: skip
        yield


UNTAGGED = Untagged()


def tagger_of(canvas: Any) -> Tagger:
    """The canvas's tagger, or UNTAGGED (a canvas that does not tag, or page furniture)."""
    tagger: Tagger | None = getattr(canvas, "tagger", None)
    return UNTAGGED if tagger is None or tagger.suspended else tagger


__all__ = ["HEADING_ROLES", "add_metadata", "is_heading", "StructElem", "Tagger", "role_of_style", "style_names", "tag_page", "tagger_of", "Untagged", "UNTAGGED"]
