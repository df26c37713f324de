"""What a report prints besides the assessment and its readiness: `ReportOptions`, the one
bundle every caller passes (the window's Save and Print, the CLI's `report`, the tests), and
the editions, papers and formats there are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nasro_desktop.domain.compare import Comparison
    from nasro_desktop.domain.evidence import Evidence
    from nasro_desktop.domain.merge import Provenance

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
