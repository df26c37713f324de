"""Evidence in the engine: an expiry before or soon after the as-of date falls due."""

from __future__ import annotations

from datetime import UTC, date, datetime

from nasro_desktop.domain.evidence import (
    DUE_SOON_DAYS,
    Evidence,
    EvidenceKind,
    evidence_due,
    size_text,
)

AS_OF = date(2026, 9, 1)


def _item(valid_until, kind=EvidenceKind.OFFICER, key="3", **extra) -> Evidence:
    return Evidence(id=1, assessment_id=1, kind=kind, key=key, file_name="basic-course.pdf",
                    media_type="application/pdf", size=1200, sha256="ab" * 32,
                    added=datetime(2026, 1, 5, tzinfo=UTC), valid_until=valid_until,
                    **extra)


def test_passed_and_soon_expiries_fall_due_later_ones_do_not():
    items = [
        _item(date(2026, 8, 1), description="Basic SRO course certificate",
              standard_id="02.01.02"),
        _item(date(2026, 10, 15), kind=EvidenceKind.STANDARD, key="01.01.04",
              description="Signed MOU"),
        _item(date(2027, 9, 1)),  # a year away: not yet
        _item(None),  # never expires
        _item(date(2026, 1, 1), deleted_at=datetime(2026, 2, 1, tzinfo=UTC)),  # removed
    ]
    due = evidence_due(items, AS_OF, names={(EvidenceKind.OFFICER, "3"): "Dana Ruiz"})
    assert [(d.when, d.overdue) for d in due] == [(date(2026, 8, 1), True),
                                                  (date(2026, 10, 15), False)]
    assert due[0].what == "Expired: Basic SRO course certificate"
    assert due[0].who == "Dana Ruiz"
    assert evidence_due(items, AS_OF)[0].who == "Officer 3"  # no name known
    assert due[0].standard_id == "02.01.02"
    assert due[1].what == "Expires: Signed MOU" and due[1].who == "Agency and district"
    assert due[1].standard_id == "01.01.04"


def test_the_edge_of_the_window_and_the_as_of_day():
    edge = date.fromordinal(AS_OF.toordinal() + DUE_SOON_DAYS)
    assert len(evidence_due([_item(edge)], AS_OF)) == 1
    assert evidence_due([_item(date.fromordinal(edge.toordinal() + 1))], AS_OF) == []
    (today,) = evidence_due([_item(AS_OF)], AS_OF)
    assert not today.overdue  # valid through its last day
    assert evidence_due([_item(AS_OF)], AS_OF, soon_days=0)[0].when == AS_OF


def test_titles_hashes_and_sizes_in_words():
    item = _item(None)
    assert item.title == "basic-course.pdf" and item.short_hash == "ab" * 6
    assert item.expired(AS_OF) is False
    assert _item(date(2026, 8, 31)).expired(AS_OF)
    assert size_text(820) == "820 bytes" and size_text(14_200) == "14 KB"
    assert size_text(3_200_000) == "3.2 MB"
