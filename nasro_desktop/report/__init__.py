"""The board-ready readiness report as PDF bytes (reportlab). No Qt and no SQL.

Import-cheap on purpose: reportlab (~0.3 s to import) is loaded only when a report is made.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nasro_desktop.domain.model import Assessment, Form
    from nasro_desktop.domain.results import Readiness

PAPERS = ("letter", "a4")


def render_report(
    form: Form,
    assessment: Assessment,
    readiness: Readiness,
    *,
    paper: str = "letter",
    progress: Callable[[float], None] | None = None,
) -> bytes:
    """The readiness report as PDF bytes; US Letter by default, or "a4".

    `progress`, if given, is called with 0.0 .. 1.0 as the pages are laid out.
    """
    from nasro_desktop.report.pdf import ReadinessReportRenderer

    return ReadinessReportRenderer(
        form, assessment, readiness, paper=paper, progress=progress
    ).render()


__all__ = ["PAPERS", "render_report"]
