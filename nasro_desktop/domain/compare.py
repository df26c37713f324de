"""Since last year: what changed between two assessments of the same program.

Pure domain code (no Qt, no storage): it takes the two `Assessment`s and their `Readiness`
(domain.scoring.evaluate) and says, per standard, whether it is newly met, no longer met, still
open or unchanged; the mandatory standards met then and now; the recommended score then and
now; and the action items closed since. `format_comparison` writes it as plain text (the CLI's
`compare`); the Readiness page and the report can draw from the same `Comparison`.

The earlier assessment is always "then", whichever order the two are given in: the one with the
earlier as-of date (then the one created first).
"""

from __future__ import annotations

from dataclasses import dataclass

from nasro_desktop.domain.model import ActionItem, ActionStatus, Assessment, Labelled, Standard
from nasro_desktop.domain.results import Readiness, StandardResult, Status


class Change(Labelled):
    NEWLY_MET = "newly_met", "Newly met"
    NO_LONGER_MET = "no_longer_met", "No longer met"
    STILL_OPEN = "still_open", "Still open"
    UNCHANGED = "unchanged", "Unchanged"


_GAP = (Status.PARTLY, Status.NOT_MET, Status.UNKNOWN)


class CannotCompare(ValueError):
    """The two assessments cannot be compared; the message says why in plain words."""


@dataclass(frozen=True)
class StandardChange:
    standard: Standard
    then: Status | None  # None: the standard was not in the earlier question set
    now: Status | None  # None: the standard is no longer in the newer question set
    change: Change
    then_score: float | None
    now_score: float | None


@dataclass(frozen=True)
class Comparison:
    then: Assessment
    now: Assessment
    then_readiness: Readiness
    now_readiness: Readiness
    standards: tuple[StandardChange, ...]  # in the newer question set's order
    closed_since: tuple[ActionItem, ...]  # action items done in "now" that were not done then
    same_program: bool  # same agency and district (compared without case or extra spaces)

    def of(self, change: Change) -> tuple[StandardChange, ...]:
        return tuple(s for s in self.standards if s.change is change)

    @property
    def mandatory_then(self) -> tuple[int, int]:
        return self.then_readiness.mandatory_met, self.then_readiness.mandatory_total

    @property
    def mandatory_now(self) -> tuple[int, int]:
        return self.now_readiness.mandatory_met, self.now_readiness.mandatory_total

    @property
    def recommended_then(self) -> float | None:
        return self.then_readiness.recommended_score

    @property
    def recommended_now(self) -> float | None:
        return self.now_readiness.recommended_score

    @property
    def mandatory_change(self) -> str:
        """"2 more", "1 fewer" or "the same": mandatory standards met, now against then."""
        then, now = self.mandatory_then[0], self.mandatory_now[0]
        if now == then:
            return "the same"
        return f"{abs(now - then)} {'more' if now > then else 'fewer'}"

    @property
    def recommended_change(self) -> str:
        """"4 points higher", "1 point lower", "the same", or "" when either is not scored."""
        if self.recommended_then is None or self.recommended_now is None:
            return ""
        points = round(self.recommended_now) - round(self.recommended_then)
        if points == 0:
            return "the same"
        return (f"{abs(points)} point{'s' if abs(points) != 1 else ''} "
                f"{'higher' if points > 0 else 'lower'}")


def _classify(then: Status | None, now: Status | None) -> Change:
    if now is Status.MET:
        return Change.UNCHANGED if then is Status.MET else Change.NEWLY_MET
    if now in _GAP:
        if then is Status.MET:
            return Change.NO_LONGER_MET
        return Change.STILL_OPEN
    # now not applicable, or the standard left the question set
    return Change.UNCHANGED


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def program_key(agency: str, district: str) -> tuple[str, str]:
    """Which program an assessment is of: its agency and district, without case or extra
    spaces (two assessments with the same key are of the same program)."""
    return _key(agency), _key(district)


def _item_key(item: ActionItem) -> tuple[str, str]:
    return item.standard_id, _key(item.next_step)


def _order(a: Assessment, b: Assessment) -> tuple[Assessment, Assessment, bool]:
    def rank(x: Assessment) -> tuple[object, ...]:
        return (x.as_of, x.created is None, x.created or x.as_of, x.id or 0)

    try:
        swapped = rank(b) < rank(a)
    except TypeError:  # created mixes naive and aware datetimes: fall back on the dates
        swapped = (b.as_of, b.id or 0) < (a.as_of, a.id or 0)
    return (b, a, True) if swapped else (a, b, False)


def compare(
    first: Assessment, first_readiness: Readiness, second: Assessment, second_readiness: Readiness
) -> Comparison:
    """Compare two assessments of one program; the earlier is "then" whatever the order given."""
    if first.id is not None and first.id == second.id:
        raise CannotCompare("Choose two different assessments to compare.")
    if first.form_id != second.form_id or first_readiness.form_id != second_readiness.form_id:
        raise CannotCompare(
            "These two assessments use different question sets, so their standards cannot be "
            "matched. Compare assessments made with the same question set."
        )
    then, now, swapped = _order(first, second)
    then_r, now_r = (second_readiness, first_readiness) if swapped else (
        first_readiness, second_readiness)

    then_by_id: dict[str, StandardResult] = {r.standard.id: r for r in then_r.results}
    now_ids = {r.standard.id for r in now_r.results}
    changes: list[StandardChange] = []
    for result in now_r.results:
        old = then_by_id.get(result.standard.id)
        changes.append(StandardChange(
            standard=result.standard,
            then=old.status if old else None,
            now=result.status,
            change=_classify(old.status if old else None, result.status),
            then_score=old.score if old else None,
            now_score=result.score,
        ))
    for result in then_r.results:  # standards the newer question set no longer has
        if result.standard.id not in now_ids:
            changes.append(StandardChange(
                standard=result.standard, then=result.status, now=None,
                change=Change.UNCHANGED, then_score=result.score, now_score=None,
            ))

    done_then = {_item_key(i) for i in then.action_items if i.status is ActionStatus.DONE}
    closed = tuple(
        i for i in now.action_items
        if i.status is ActionStatus.DONE and _item_key(i) not in done_then
    )
    same = program_key(then.agency, then.district) == program_key(now.agency, now.district)
    return Comparison(
        then=then, now=now, then_readiness=then_r, now_readiness=now_r,
        standards=tuple(changes), closed_since=closed, same_program=same,
    )


# --- plain text ---------------------------------------------------------------------------


def _name(a: Assessment) -> str:
    title = a.title.strip() or "Untitled assessment"
    number = f" (no. {a.id})" if a.id is not None else ""
    return f"{title}{number}, as of {a.as_of.isoformat()}"


def _score(value: float | None) -> str:
    return "none applicable" if value is None else f"{value:.0f}%"


def _status(value: Status | None) -> str:
    return "not asked then" if value is None else value.label


def format_comparison(comparison: Comparison) -> str:
    """The comparison as plain text, for a terminal or a plain e-mail; no colour, no symbols
    that a black-and-white printout would lose."""
    c = comparison
    lines = [
        "Since last year",
        f"  Then: {_name(c.then)}",
        f"  Now: {_name(c.now)}",
    ]
    if not c.same_program:
        lines.append(
            "  Note: the agency or district differs between these two assessments; check that "
            "they are of the same program."
        )
    lines.append("")
    lines.append(
        f"Verdict: {c.then_readiness.verdict.label} then, {c.now_readiness.verdict.label} now."
    )
    (m_then, t_then), (m_now, t_now) = c.mandatory_then, c.mandatory_now
    lines.append(f"Mandatory standards met: {m_then} of {t_then} then, {m_now} of {t_now} now.")
    lines.append(
        f"Recommended score: {_score(c.recommended_then)} then, "
        f"{_score(c.recommended_now)} now."
    )
    counts = ", ".join(f"{len(c.of(k))} {k.label.lower()}" for k in Change)
    lines.append(f"Standards: {counts}.")
    for kind in (Change.NEWLY_MET, Change.NO_LONGER_MET, Change.STILL_OPEN):
        found = c.of(kind)
        lines.append("")
        lines.append(f"{kind.label} ({len(found)}):")
        if not found:
            lines.append("  none")
        for s in found:
            cls = s.standard.cls.label.lower()
            detail = f"{_status(s.then)} then, {_status(s.now)} now"
            lines.append(f"  {s.standard.number}  {s.standard.title} ({cls}): {detail}")
    lines.append("")
    lines.append(f"Action items closed since ({len(c.closed_since)}):")
    if not c.closed_since:
        lines.append("  none")
    for item in c.closed_since:
        step = " ".join(item.next_step.split()) or "(no next step written)"
        lines.append(f"  {item.standard_id or '-'}  {step}")
    return "\n".join(lines) + "\n"
