"""Full edition, for an assessment the agency and the district answered together (File >
Share with the other party): who gave the answers of each standard, and where the two sides
disagreed and what was kept (domain/merge.Provenance)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportlab.platypus import Flowable

from nasro_desktop.domain.answer_types import ANSWER_TYPES
from nasro_desktop.domain.merge import Side

if TYPE_CHECKING:
    from nasro_desktop.report.sections import Report


def _words(r: Report, question_id: str, value: Any) -> str:
    if value in (None, ""):
        return "not answered"
    if r.form.has_question(question_id):
        try:
            return ANSWER_TYPES[r.form.question(question_id).type].describe(value)
        except (KeyError, TypeError, ValueError):
            pass
    return str(value)


def who_answered(r: Report) -> list[Flowable]:
    """The standards with who answered them, then each disagreement and how it was settled;
    nothing for an assessment that was never shared."""
    provenance = r.provenance
    if provenance is None:
        return []
    own = "the agency" if provenance.party.value == "agency" else "the district"
    lead = r.heading("Who answered", intro=(
        "The agency and the district each answered their own part on their own computer and "
        f"brought the answers together. This copy is {own}'s. For each standard, whose answers "
        "stand; below, every answer the two sides gave differently, and which one was kept."))
    by_standard = provenance.by_standard(r.form)
    rows = [[r.cell_text(f"{s.number} {s.title}"), r.cell_text(by_standard[s.id])]
            for s in r.form.standards if s.id in by_standard]
    out: list[Flowable] = [r.grid(["Standard", "Answered by"], rows, (0.7, 0.3),
                                  lead=lead)] if rows else lead
    if provenance.settled:
        lead = r.heading("Where the two sides disagreed", 1, "H2")
        disagreed = [[r.cell_text(s.label), r.cell_text(_words(r, s.question_id, s.ours)),
                      r.cell_text(_words(r, s.question_id, s.theirs)),
                      r.cell_text("this copy's answer" if s.kept is Side.OURS
                                  else f"{s.other}'s answer")]
                     for s in provenance.settled]
        out.append(r.grid(["Question", "This copy said", "The other side said", "Kept"],
                          disagreed, (0.4, 0.18, 0.18, 0.24), lead=lead))
    return out
