"""Reading a tagged PDF back, as a screen reader or a checker would: the structure tree walked
with pikepdf, the content streams parsed operator by operator. Used by test_report_tagged.py.

`problems(data)` lists everything that breaks the rules the report promises (an empty list is
a pass); `tree_text(data)` is the text in the tree's order, page by page.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field

import pikepdf
import pypdf

TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
PAINTING = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do"}


@dataclass
class Tree:
    """The structure tree, flattened: each element's type with its attributes, in order."""

    elements: list[tuple[str, pikepdf.Dictionary]] = field(default_factory=list)
    # (page index, MCID) in the tree's order, and the element holding each
    order: list[tuple[int, int]] = field(default_factory=list)
    holder: dict[tuple[int, int], str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _page_index(pdf: pikepdf.Pdf) -> dict[tuple[int, int], int]:
    return {page.obj.objgen: i for i, page in enumerate(pdf.pages)}


def walk(pdf: pikepdf.Pdf) -> Tree:
    tree = Tree()
    pages = _page_index(pdf)
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        tree.problems.append("no /StructTreeRoot")
        return tree

    def visit(element: pikepdf.Dictionary, page: int | None) -> None:
        tag = str(element.get("/S", "")).lstrip("/")
        tree.elements.append((tag, element))
        if "/Pg" in element:
            page = pages.get(element.Pg.objgen, page)
        kids = element.get("/K")
        if kids is None:
            return
        if not isinstance(kids, pikepdf.Array):
            kids = [kids]
        for kid in kids:
            if isinstance(kid, int):
                if page is None:
                    tree.problems.append(f"{tag}: an MCID without a page")
                    continue
                tree.order.append((page, int(kid)))
                tree.holder[(page, int(kid))] = tag
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                key = (pages[kid.Pg.objgen], int(kid.MCID))
                tree.order.append(key)
                tree.holder[key] = tag
            elif isinstance(kid, pikepdf.Dictionary):
                if kid.get("/P") is None or kid.P.objgen != element.objgen:
                    tree.problems.append(f"{tag}: a kid whose /P is not its parent")
                visit(kid, page)

    kids = root.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        visit(kid, None)
    return tree


def content_marks(pdf: pikepdf.Pdf) -> tuple[list[tuple[int, int]], list[str]]:
    """(page, MCID) in the content streams' order, and the problems: text or painting outside
    both marked content with an MCID and an /Artifact."""
    order: list[tuple[int, int]] = []
    problems: list[str] = []
    for index, page in enumerate(pdf.pages):
        stack: list[str] = []  # "mcid" or "artifact" or "other"
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "BDC":
                props = operands[1]
                if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                    order.append((index, int(props.MCID)))
                    stack.append("mcid")
                else:
                    stack.append("artifact" if operands[0] == "/Artifact" else "other")
            elif op == "BMC":
                stack.append("artifact" if operands[0] == "/Artifact" else "other")
            elif op == "EMC":
                if not stack:
                    problems.append(f"page {index + 1}: EMC without BMC/BDC")
                else:
                    stack.pop()
            elif op in TEXT_SHOWING or op in PAINTING:
                if not any(kind in ("mcid", "artifact") for kind in stack):
                    what = "text" if op in TEXT_SHOWING else "drawing"
                    problems.append(f"page {index + 1}: {what} ({op}) outside the structure "
                                    "and not an artifact")
        if stack:
            problems.append(f"page {index + 1}: marked content left open")
    return order, problems


def problems(data: bytes) -> list[str]:
    """Every way the file breaks the tagged-PDF rules; empty when it keeps them all."""
    pdf = pikepdf.open(io.BytesIO(data))
    found: list[str] = []
    root = pdf.Root
    if not bool(root.get("/MarkInfo", {}).get("/Marked", False)):
        found.append("/MarkInfo is not <</Marked true>>")
    if not str(root.get("/Lang", "")):
        found.append("no /Lang")
    if not bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)):
        found.append("DisplayDocTitle is not set")
    if not str(pdf.docinfo.get("/Title", "")):
        found.append("no /Title")
    with pdf.open_metadata() as meta:
        if meta.get("pdfuaid:part") != "1":
            found.append("the XMP metadata does not say PDF/UA-1")
        if meta.get("dc:title") != str(pdf.docinfo.get("/Title", "")):
            found.append("the XMP title differs from the document's title")
    tree = walk(pdf)
    found += tree.problems
    tags = [tag for tag, _ in tree.elements]
    if not tags or tags[0] != "Document":
        found.append("the tree does not start with Document")
    for tag, element in tree.elements:
        if tag == "Figure" and not str(element.get("/Alt", "")).strip():
            found.append("a Figure without /Alt")
        if tag == "Table":
            cells = _descendants(element)
            if "TH" not in cells:
                found.append("a Table without header cells")
        if tag == "TH":
            scope = element.get("/A", {}).get("/Scope")
            if scope not in ("/Column", "/Row", "/Both"):
                found.append("a TH without /Scope")
        if tag == "TR" and not any(t in ("TH", "TD") for t in _descendants(element, depth=1)):
            found.append("a TR without cells")
        if tag == "LI" and "LBody" not in _descendants(element, depth=1):
            found.append("an LI without LBody")
    marks, stream_problems = content_marks(pdf)
    found += stream_problems
    if marks != tree.order:
        found.append("the tree's order differs from the content's order")
    if set(marks) - set(tree.holder):
        found.append(f"{len(set(marks) - set(tree.holder))} marked pieces are not in the tree")
    parent_tree = root.get("/StructTreeRoot", {}).get("/ParentTree")
    if parent_tree is None:
        found.append("no /ParentTree")
    else:
        nums = parent_tree.Nums
        rows = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for index, page in enumerate(pdf.pages):
            if page.get("/Tabs") != "/S":
                found.append(f"page {index + 1}: /Tabs is not /S")
            key = page.get("/StructParents")
            if key is None or int(key) not in rows:
                found.append(f"page {index + 1}: no /StructParents row")
                continue
            count = sum(1 for p, _ in marks if p == index)
            if len(rows[int(key)]) != count:
                found.append(f"page {index + 1}: the parent tree's row has {len(rows[int(key)])} "
                             f"entries for {count} marked pieces")
    for font in _fonts(pdf):
        if "/ToUnicode" not in font:
            found.append(f"font {font.get('/BaseFont')} has no ToUnicode map")
        descriptor = font.get("/FontDescriptor")
        if descriptor is not None and not any(k in descriptor for k in
                                              ("/FontFile", "/FontFile2", "/FontFile3")):
            found.append(f"font {font.get('/BaseFont')} is not embedded")
    return found


def _descendants(element: pikepdf.Dictionary, depth: int = 99) -> list[str]:
    out: list[str] = []
    kids = element.get("/K")
    if kids is None or depth == 0:
        return out
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            out.append(str(kid.S).lstrip("/"))
            out += _descendants(kid, depth - 1)
    return out


def _fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    seen: dict[tuple[int, int], pikepdf.Dictionary] = {}
    for page in pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            seen[font.objgen] = font
    return list(seen.values())


def outline_pages(data: bytes) -> list[tuple[str, int]]:
    """(title, 1-based page) of every outline entry, in order."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    out: list[tuple[str, int]] = []

    def visit(items: list) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                visit(item)
            else:
                out.append((str(item.title), reader.get_destination_page_number(item) + 1))

    visit(reader.outline)
    return out


def tagged_text(data: bytes, pages: list[int] | None = None) -> tuple[str, str]:
    """(the text in the structure tree's order, the artifacts' text) of the given pages
    (0-based; all by default), decoded with each font's ToUnicode map by pypdf."""
    tree, artifacts, _ = tagged_pieces(data, pages)
    return tree, artifacts


def tagged_pieces(data: bytes, pages: list[int] | None = None
                  ) -> tuple[str, str, list[tuple[int, float, float, str]]]:  # fmt: skip
    """As tagged_text, and each marked piece in the tree's order as (page, x, y, text), where
    (x, y) is where its first text starts on the page."""
    pdf = pikepdf.open(io.BytesIO(data))
    order = walk(pdf).order
    reader = pypdf.PdfReader(io.BytesIO(data))
    pieces: dict[tuple[int, int], list[str]] = defaultdict(list)
    where: dict[tuple[int, int], tuple[float, float]] = {}
    artifacts: list[str] = []
    wanted = range(len(reader.pages)) if pages is None else pages
    for index in wanted:
        _read_page(reader, index, pieces, where, artifacts)
    tree = " ".join("".join(pieces[key]) for key in order if key in pieces)
    placed = [(key[0], *where[key], "".join(pieces[key])) for key in order if key in where]
    return " ".join(tree.split()), " ".join("".join(artifacts).split()), placed


def _read_page(reader: pypdf.PdfReader, index: int, pieces: dict[tuple[int, int], list[str]],
               where: dict[tuple[int, int], tuple[float, float]], artifacts: list[str]) -> None:
    stack: list[int | None] = []

    def before(op: bytes, args: list, cm: object, tm: object) -> None:  # type: ignore[type-arg]
        if op == b"BDC":
            props = args[1]
            stack.append(int(props["/MCID"]) if hasattr(props, "get") and "/MCID" in props
                         else None)
        elif op == b"BMC":
            stack.append(None)
        elif op == b"EMC" and stack:
            stack.pop()

    def text(chunk: str, cm: list[float], tm: list[float], *_: object) -> None:
        mcid = next((m for m in reversed(stack) if m is not None), None)
        if mcid is None:
            artifacts.append(chunk)
            return
        pieces[(index, mcid)].append(chunk)
        if chunk.strip() and (index, mcid) not in where:
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            where[(index, mcid)] = (x, y)

    reader.pages[index].extract_text(visitor_operand_before=before, visitor_text=text)
