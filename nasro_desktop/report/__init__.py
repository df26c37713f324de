"""The readiness report, as PDF or Word bytes (reportlab). No Qt and no SQL.

Import-cheap on purpose: reportlab (~0.3 s to import) is loaded only when a report is made
(the window does not load it until the first report; CONTRIBUTING names this boundary).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nasro_desktop.domain.compare import Comparison
    from nasro_desktop.domain.evidence import Evidence
    from nasro_desktop.domain.merge import Provenance
    from nasro_desktop.domain.model import Assessment, Form
    from nasro_desktop.domain.results import Readiness

PAPERS = ("letter", "a4")
EDITIONS = ("board", "full")  # board: 2–4 pages for the board packet; full: everything
FORMATS = ("pdf", "docx")  # the report as a PDF (tagged) or as a Word document


@dataclass(frozen=True)
class ReportOptions:
    """What a report prints besides the assessment and its readiness.

    `edition` is "board" (short, for the board packet: officers never named unless
    `show_names`) or "full" (everything, for the file). `paper` is "letter" or "a4". `today`
    is the day of printing (the report says when the assessment date is well before it).
    `evidence` (the assessment's evidence records): the register in the full edition, the
    counts per section in the board edition. `comparison` (domain.compare, this assessment
    against the one it was started from): the "Since last year" part in both editions.
    `provenance` (domain.merge, for an assessment shared between the agency and the
    district): who answered each standard and where the two sides disagreed, in the full
    edition.
    """

    edition: str = "board"
    paper: str = "letter"
    show_names: bool = False
    today: date | None = None
    evidence: Sequence[Evidence] = ()
    comparison: Comparison | None = None
    provenance: Provenance | None = None


DEFAULT_OPTIONS = ReportOptions()


def render_report(form: Form, assessment: Assessment, readiness: Readiness,
                  options: ReportOptions = DEFAULT_OPTIONS,
                  progress: Callable[[float], None] | None = None) -> bytes:
    """The readiness report as the bytes of a tagged PDF. `progress`, if given, is called with
    0.0 .. 1.0 as the pages are laid out."""
    from nasro_desktop.report.renderer import render_pdf  # reportlab: when first used

    return render_pdf(form, assessment, readiness, options, progress)


def render_word(form: Form, assessment: Assessment, readiness: Readiness,
                options: ReportOptions = DEFAULT_OPTIONS,
                progress: Callable[[float], None] | None = None) -> bytes:
    """The same report as `render_report`, as the bytes of a Word (.docx) document: the same
    story, so the same text, names rule, notices and fingerprint (report/word.py)."""
    from nasro_desktop.report.word import render_docx  # python-docx: when first used

    return render_docx(form, assessment, readiness, options, progress)


def board_texts(form: Form, assessment: Assessment, readiness: Readiness,
                options: ReportOptions = DEFAULT_OPTIONS) -> list[tuple[str, str]]:
    """(where, text) for every typed text the board edition prints, exactly as it prints it
    (names replaced unless `options.show_names`, cut to the page's room): what the window
    shows the chief to check before a board edition is saved or printed."""
    from nasro_desktop.report.board import printed_texts

    return printed_texts(form, assessment, readiness, replace(options, edition="board"))


__all__ = ["DEFAULT_OPTIONS", "EDITIONS", "FORMATS", "PAPERS", "ReportOptions", "board_texts",
           "render_report", "render_word"]
