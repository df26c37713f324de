"""The board-ready readiness report as PDF bytes (reportlab). No Qt and no SQL.

Import-cheap on purpose: reportlab (~0.3 s to import) is loaded only when a report is made.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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


def render_report(
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
) -> bytes:
    """The readiness report as PDF bytes; US Letter by default, or "a4".

    `edition` is "board" (the default: short, officers as Officer A, B… unless `show_names`)
    or "full". `today` is the day of printing (the report says when the as-of date is well
    before it). `progress`, if given, is called with 0.0 .. 1.0 as the pages are laid out.
    `evidence` (the assessment's evidence records): the register in the full edition, the
    counts per section in the board edition. `comparison` (domain.compare, this assessment
    against the one it was started from): the "Since last year" part in both editions.
    `provenance` (domain.merge, for an assessment shared between the agency and the district):
    who answered each standard and where the two sides disagreed, in the full edition.
    """
    from nasro_desktop.report.renderer import ReadinessReportRenderer

    return ReadinessReportRenderer(
        form, assessment, readiness, paper=paper, edition=edition, show_names=show_names,
        today=today, progress=progress, evidence=evidence, comparison=comparison,
        provenance=provenance,
    ).render()


def render_word(
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
) -> bytes:
    """The same report as `render_report`, as the bytes of a Word (.docx) document: the same
    story, so the same text, names rule, notices and fingerprint (report/word.py)."""
    from nasro_desktop.report.renderer import ReadinessReportRenderer

    return ReadinessReportRenderer(
        form, assessment, readiness, paper=paper, edition=edition, show_names=show_names,
        today=today, progress=progress, evidence=evidence, comparison=comparison,
        provenance=provenance,
    ).render_docx()


def board_texts(
    form: Form,
    assessment: Assessment,
    readiness: Readiness,
    *,
    show_names: bool = False,
    today: date | None = None,
    evidence: Sequence[Evidence] = (),
) -> list[tuple[str, str]]:
    """(where, text) for every typed text the board edition prints, exactly as it prints it
    (names replaced unless `show_names`, cut to the page's room): what the window shows the
    chief to check before a board edition is saved or printed (ReadinessReportRenderer.board_texts)."""
    from nasro_desktop.report.renderer import ReadinessReportRenderer

    return ReadinessReportRenderer(
        form, assessment, readiness, edition="board", show_names=show_names, today=today,
        evidence=evidence,
    ).board_texts()


FORMATS = ("pdf", "docx")  # the report as a PDF (tagged) or as a Word document

__all__ = ["EDITIONS", "FORMATS", "PAPERS", "board_texts", "render_report", "render_word"]
