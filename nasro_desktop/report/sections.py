"""One report being made: `Report(form, assessment, readiness, options)` holds what every part
of the report reads (the data, the options, the styles, the text frame's width, the officers'
labels) and the text, table and heading helpers every part uses.

The parts are plain functions of a `Report` that return flowables: overview.py (page 1, the
summary, the data checks), board.py (the board edition's own pages), findings.py, people.py
(officers and schools), plan.py (action plan, review items, scoring), closing.py (appendix,
glossary, signatures), compare.py, evidence.py and provenance.py; renderer.py puts them in
order for each edition. Every piece of user text goes through `fonts.markup` (or
`user_text`), which escapes it and picks a font that can draw it. Findings are matched on
(kind, key), never on their display text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import inch
from reportlab.platypus import (
    Flowable,
    Paragraph,
)

from nasro_desktop.domain import wording
from nasro_desktop.domain.model import (
    ActionStatus,
    Assessment,
    Form,
    Question,
    StandardClass,
)
from nasro_desktop.domain.redact import Redactor
from nasro_desktop.domain.results import (
    Gap,
    Readiness,
)
from nasro_desktop.report import fonts
from nasro_desktop.report.flowables import (
    Bookmark,
    HeadedList,
    Para,
    PlainText,
    Row,
    _plain_style,
    plain_segments,
)
from nasro_desktop.report.fonts import markup
from nasro_desktop.report.options import DEFAULT_OPTIONS, EDITIONS, ReportOptions
from nasro_desktop.report.styles import NAVY, build_styles, short_date

PAPER = {"letter": LETTER, "a4": A4}

NOT_ANSWERED = "? Not answered"
TOP_ACTIONS = 3
SUMMARY_CELL_LIMIT = 240
DUE_NEXT = 4
COVER_SCHOOLS = 8  # more schools than this: the cover names these and points to the table
CELL_NOTE_LIMIT = 600  # a next step longer than this is printed in full below its table
NOTE_EXCERPT_WORDS = 10  # notes outside the appendix: this many words and a reference
STALE_DAYS = 30  # an as-of date this many days before the printing day is pointed out
CELL_TEXT_LIMIT = 300  # a name longer than this is cut in a table cell (given in full elsewhere)
LABEL_LIMIT = 120  # a name before a note: cut past this (the note says whose it is)
CHUNK = 1_500  # long user text is printed as paragraphs of at most this many characters
PAGE_ONE_TEXT = 400  # who took part, scope, method: on the cover, cut past this many characters
BOARD_PAGE_ONE_TEXT = 120  # ... on the board edition's page 1
PAGE_ONE_NAME = 160  # an agency, district, title or preparer on page 1
BOARD_PAGE_ONE_NAME = 70
CUT_NAME = "in full in the appendix's details"  # where a cut name is in full (full edition)
IN_FULL = {"board": "in full in the full edition", "full": "in full in the appendix"}


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


class Report:
    """The data, options and styles of one report, and the helpers its parts use."""

    def __init__(self, form: Form, assessment: Assessment, readiness: Readiness,
                 options: ReportOptions = DEFAULT_OPTIONS) -> None:
        if options.paper not in PAPER:
            raise ValueError(f"Paper must be one of {', '.join(PAPER)}, not {options.paper!r}.")
        if options.edition not in EDITIONS:
            raise ValueError(
                f"Edition must be one of {', '.join(EDITIONS)}, not {options.edition!r}.")
        fonts.register_fonts()
        self.form = form
        self.assessment = assessment
        self.readiness = readiness
        self.evidence = tuple(options.evidence)  # the evidence register (evidence.py)
        self.comparison = options.comparison  # Since last year (compare.py), if any
        self.provenance = options.provenance  # who answered, if shared (provenance.py)
        self.edition = options.edition  # "board" or "full"
        self.board = options.edition == "board"
        self.show_names = options.show_names or not self.board
        self.today = options.today or date.today()
        self.draft = readiness.is_draft
        self.pagesize = PAPER[options.paper]
        self.styles = build_styles(board=self.board)
        self.margin_x = 0.8 * inch
        self.margin_top = 0.95 * inch
        self.margin_bottom = 0.85 * inch
        self.width = self.pagesize[0] - 2 * self.margin_x  # of the text frame, in points
        self.frame_height = self.pagesize[1] - self.margin_top - self.margin_bottom
        self._bookmarks = 0
        # the board edition laid out again without its chart (renderer.BOARD_PAGES)
        self.squeezed = False
        self.agency = assessment.agency.strip() or "Agency not named yet"
        self.district = assessment.district.strip() or "School district not named yet"
        self.fingerprint = readiness.fingerprint  # what evaluate judged (domain/fingerprint.py)
        self.init_officer_labels()

    # -- text helpers --

    def para(self, text: str, style: str = "Body") -> Flowable:
        """A paragraph from markup the renderer wrote itself (user text must go through markup).

        Markup that is only whole-line bold and line breaks becomes a fast PlainText; anything
        richer (fonts, colours, inline bold, centred or boxed styles) stays a Paragraph.
        """
        st = self.styles[style]
        segments = plain_segments(text, st, self.styles) if _plain_style(st) else None
        if segments is None:
            return Para(text, st)
        return PlainText(segments=segments)

    def user_para(self, text: str, style: str = "Body") -> Paragraph:
        """A paragraph from user text."""
        return Para(markup(text), self.styles[style])

    def user_text(self, text: object, style: str = "Body", prefix: str = "") -> Flowable:
        """User text in one font: fast PlainText when DejaVu draws it all, else a Paragraph."""
        value = fonts.clean("" if text is None else str(text))
        if fonts.base_only(prefix + value):
            return PlainText(prefix + value, self.styles[style])
        return Para(markup(prefix) + markup(value), self.styles[style])

    def field_para(self, text: str, empty: str, where: str = "", style: str = "Body") -> Flowable:
        """A page-1 field: user text (names redacted), cut past PAGE_ONE_NAME."""
        if not text.strip():
            return Para(f"<font color='#555555'>{empty}</font>" if empty else "", self.styles[style])
        return self.user_para(self.field_text(text, where=where), style)

    def field_text(self, text: str, limit: int = 0, where: str = "") -> str:
        """A page-1 field's text as printed: names redacted, cut past `limit`."""
        limit = limit or (BOARD_PAGE_ONE_NAME if self.board else PAGE_ONE_NAME)
        return self.cut(self.anon(text[: 3 * limit + 200]), limit, where)[0]  # no need to read on

    def user_texts(self, text: object, style: str = "Body", prefix: str = "") -> list[Flowable]:
        """Long user text as paragraphs of at most CHUNK characters (cut between words), so a
        100,000-character note splits across pages in a second, not in minutes."""
        value = fonts.clean("" if text is None else str(text))
        out: list[Flowable] = []
        while len(value) > CHUNK:
            at = value.rfind(" ", CHUNK // 2, CHUNK)
            at = CHUNK if at < 0 else at
            out.append(self.user_text(value[:at], style, prefix=prefix if not out else ""))
            value = value[at:].lstrip(" ")
        out.append(self.user_text(value, style, prefix=prefix if not out else ""))
        return out

    def heading(self, title: str, level: int = 0, style: str = "H1",
                intro: str = "") -> list[Flowable]:  # fmt: skip
        """A heading and its outline entry; `intro`: renderer markup in small type under it."""
        self._bookmarks += 1
        return [Bookmark(fonts.clean(title), f"h{self._bookmarks}", level),
                self.para(markup(title), style), *([self.para(intro, "Small")] if intro else [])]

    def cut(self, text: str, limit: int, where: str = "") -> tuple[str, bool]:
        """Plain user text cut at a word before `limit` characters, with "… (in full in the
        full edition)" (or `where`) when anything was left out; and whether it was cut."""
        text = " ".join(fonts.clean(text).split())
        if len(text) <= limit:
            return text, False
        note = "" if where == "…" else f" ({where or IN_FULL[self.edition]})"
        room = max(20, limit - len(note) - 1)
        head = text[:room]
        if " " in head[room // 2 :]:
            head = head[: head.rindex(" ")]
        return head.rstrip(" ,;:") + "…" + note, True

    def cell_text(self, text: str) -> str:
        text = " ".join(fonts.clean(text).split())
        if len(text) > CELL_TEXT_LIMIT:
            text = text[: CELL_TEXT_LIMIT - 1].rstrip() + "…"
        return markup(text)

    def head_row(self, labels: list[str], widths: list[float], small: bool = False) -> Row:
        style = "CellSmallHead" if small else "CellHead"
        return Row([self.para(label, style) for label in labels], widths, background=NAVY,
                   pad=3 if small else 4)  # fmt: skip

    def grid(
        self,
        heads: list[str],
        rows: list[list[str]],
        fractions: Sequence[float],
        *,
        shaded: Mapping[int, Color] | None = None,
        lead: list[Flowable] | None = None,
        continued: list[Flowable] | None = None,
        small: bool = True,
    ) -> HeadedList:
        """A table of renderer markup rows, its columns `fractions` of the frame's width:
        header repeated on every page, rows never split. In the board edition a page holds
        the heading with at least two rows, and never one row alone."""
        widths = [f * self.width for f in fractions]
        style = "CellSmall" if small else "Cell"
        pad = 3 if small else 4
        items: list[Flowable] = [
            Row([self.para(c, style) for c in cells], widths, background=(shaded or {}).get(i),
                pad=pad)
            for i, cells in enumerate(rows)
        ]
        return HeadedList(self.head_row(heads, widths, small), items, lead=lead,
                          continued=continued, keep=2 if self.board else 1)  # fmt: skip

    def question_ref(self, q: Question) -> str:
        if not q.standard:
            return ""
        try:
            return f"{self.form.standard(q.standard).number}{q.element}"
        except KeyError:
            return ""

    def notes_list(self, title: str, notes: list[tuple[str, str]]) -> list[Flowable]:
        if not notes:
            return []
        items: list[Flowable] = []
        for who, note in notes:
            label = self.cut(who, LABEL_LIMIT)[0] if who.strip() else "No name"
            items += self.user_texts(note, "Note", prefix=f"{label}: ")
        return [HeadedList(None, items, lead=[self.para(title, "H3")])]

    # -- officers: names, or not at all --

    def init_officer_labels(self) -> None:
        """Officers by name (the full edition, or the board edition when the chief chose to
        print names); else never named nor lettered (in a three-officer program a letter is a
        name): "an officer", and names in free text replaced (domain/redact.py)."""
        officers = self.assessment.officers
        self.officer_labels = [
            (o.name.strip() or "Unnamed officer") if self.show_names else "an officer"
            for o in officers
        ]
        self._redactor = Redactor(o.name for o in officers if o.name.strip())

    @property
    def names_printed(self) -> bool:
        """The paper names officers: it must say so on every page."""
        return self.show_names and any(o.name.strip() for o in self.assessment.officers)

    def footer_notes(self) -> str:
        """The footer's second line, on every page: what this paper is, and whether it names
        officers (report content; the renderer draws it)."""
        line = wording.SELF_ASSESSMENT
        if self.names_printed:
            line += " · " + wording.NAMES_WARNING
        return line

    def anon(self, text: str) -> str:
        """User or engine text with officers' names replaced (see domain/redact.py), unless
        this paper prints names."""
        if self.show_names:
            return text
        return self._redactor.redact(text)

    # -- action targets --

    def done_but_unmet(self) -> list[Flowable]:
        """Under an action table: what "Done, but not met" means, when a row says it."""
        if not any(g.action_status == ActionStatus.DONE for g in self.readiness.gaps):
            return []
        return [self.para("<b>⚠ Done, but not met</b>: the step is marked done, but the "
                          "answers still say not met: re-answer the question or reopen the "
                          "step.", "Small")]

    def is_past(self, day: date | None) -> bool:
        """A date that has passed by the day the paper is made (and was not by the as-of date)."""
        return day is not None and self.readiness.as_of <= day < self.today

    def target_text(self, gap: Gap, compact: bool = False) -> str:
        if gap.target_date is None:
            if gap.standard.cls == StandardClass.MANDATORY:
                return "<b>no date set</b>"
            return "not set"
        if self.is_past(gap.target_date) and gap.action_status != ActionStatus.DONE:
            if compact:  # the table's lead says what PASSED means
                return f"<b>⚠ PASSED</b><br/>{short_date(gap.target_date)}"
            return f"<b>⚠ PASSED</b><br/>{short_date(gap.target_date)}, after the Assessment date"
        if is_late_target(gap, self.readiness.as_of):
            return f"<b>✘ LATE</b><br/>was {short_date(gap.target_date)}"
        return short_date(gap.target_date)


__all__ = ["PAPER", "Report", "excerpt", "is_late_target"]
