"""Export / import of one assessment: verified on export; imported whole or refused with the
database byte-for-byte unchanged."""

from __future__ import annotations

import hashlib
import json
import random
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nasro_desktop.domain.model import ActionItem, Answer, Assessment, Officer, School
from nasro_desktop.store import ImportRefused, Store, StoreError, exchange

FORM = ("nasro-2018", 1)


def _assessment() -> Assessment:
    return Assessment(
        title="Export test 2025", agency="Pine Ridge PD", district="Pine Ridge USD",
        prepared_by="Ana Ortiz", as_of=date(2025, 9, 1), form_id=FORM[0], form_version=FORM[1],
        answers={
            "mou.exists": Answer("mou.exists", "yes", note="the signed copy is in the safe"),
            "school.count": Answer("school.count", 4),
            "mou.discipline": Answer("mou.discipline", "na", na_reason="reason", flagged=True),
            "notes.free": Answer("notes.free", "Ł ő Ж ✔ \"quoted\"\nnew line"),
        },
        officers=[Officer(name="Dana Ruiz", sworn_date=date(2012, 2, 29), years_experience=11,
                          probation_review_with_school=True)],
        schools=[School(name="Lincoln", enrollment=410, acreage=2.25)],
        action_items=[ActionItem(standard_id="03.02.01", next_step="Book the course",
                                 target_date=date(2026, 3, 1))],
    )


def _db_bytes(store: Store) -> str:
    """Hash of the data file and its WAL: any write at all would change one of them."""
    digest = hashlib.sha256()
    for suffix in ("", "-wal"):
        path = store.path.with_name(store.path.name + suffix)
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_export_import_round_trip(store, tmp_path):
    aid = store.create_assessment(_assessment()).id
    out = exchange.export_assessment(store, aid, tmp_path / "pine ridge.json")
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["format"] == exchange.FORMAT and document["format_version"] == 1
    assert len(document["sha256"]) == 64
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file is left behind"
    new_id = exchange.import_assessment(store, out)
    assert new_id != aid
    original = exchange.assessment_payload(store.load_assessment(aid))
    imported = exchange.assessment_payload(store.load_assessment(new_id))
    assert imported == original


def test_export_replaces_an_existing_file_whole(store, tmp_path):
    aid = store.create_assessment(_assessment()).id
    dest = tmp_path / "out.json"
    dest.write_text("old content that is much longer than nothing " * 1000)
    exchange.export_assessment(store, aid, dest)
    exchange.parse_document(dest.read_bytes())  # a complete, valid export


def test_export_to_a_missing_folder_says_what_to_do(store, tmp_path):
    aid = store.create_assessment(_assessment()).id
    with pytest.raises(StoreError, match="does not exist"):
        exchange.export_assessment(store, aid, tmp_path / "no such folder" / "x.json")


def _refused(store: Store, path: Path, match: str) -> None:
    before = _db_bytes(store)
    count = len(store.list_assessments())
    with pytest.raises(ImportRefused, match=match) as caught:
        exchange.import_assessment(store, path)
    assert "Nothing was" in str(caught.value)
    assert _db_bytes(store) == before
    assert len(store.list_assessments()) == count


def test_bad_files_are_refused_plainly(store, tmp_path):
    aid = store.create_assessment(_assessment()).id
    good = exchange.export_assessment(store, aid, tmp_path / "good.json").read_bytes()

    truncated = tmp_path / "truncated.json"
    truncated.write_bytes(good[: len(good) // 2])
    _refused(store, truncated, "incomplete or damaged")

    tampered = tmp_path / "tampered.json"
    tampered.write_bytes(good.replace(b'"yes"', b'"no"', 1))
    _refused(store, tampered, "changed or damaged")

    foreign = tmp_path / "foreign.json"
    foreign.write_text('{"name": "something else", "items": [1, 2, 3]}')
    _refused(store, foreign, "not an assessment export")

    binary = tmp_path / "photo.jpg"
    binary.write_bytes(bytes(range(256)) * 10)
    _refused(store, binary, "not an assessment export")

    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    _refused(store, empty, "not an assessment export")

    document = json.loads(good)
    document["format_version"] = 7
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps(document))
    _refused(store, newer, "newer version")

    _refused(store, tmp_path / "missing.json", "not found")
    _refused(store, tmp_path, "is a folder")


def _with_checksum(payload: dict) -> bytes:
    return json.dumps({
        "format": exchange.FORMAT, "format_version": 1, "app_version": "0.1.0",
        "exported_at": "2026-01-01T00:00:00+00:00", "sha256": exchange.checksum(payload),
        "assessment": payload,
    }).encode()


def test_unknown_question_set_is_refused(store, tmp_path):
    aid = store.create_assessment(_assessment()).id
    payload = exchange.assessment_payload(store.load_assessment(aid))
    for form_id, version, match in (("someone-else", 1, "does not have"),
                                    (FORM[0], 99, "version 99")):
        path = tmp_path / f"{form_id}-{version}.json"
        path.write_bytes(_with_checksum({**payload, "form_id": form_id, "form_version": version}))
        _refused(store, path, match)


def test_bad_values_with_a_correct_checksum_are_refused(store, tmp_path):
    aid = store.create_assessment(_assessment()).id
    payload = exchange.assessment_payload(store.load_assessment(aid))
    bad = {
        "as_of": "2025-02-30",
        "form_version": "1",
        "answers": [{**payload["answers"][0], "value": [1, 2]}],
        "officers": [{**payload["officers"][0], "sworn_date": "yesterday"}],
        "schools": [{**payload["schools"][0], "enrollment": -5}],
        "action_items": [{**payload["action_items"][0], "owner": "mayor"}],
        "title": "x" * 100_000,
    }
    for key, value in bad.items():
        path = tmp_path / f"bad-{key}.json"
        path.write_bytes(_with_checksum({**payload, key: value}))
        _refused(store, path, "can't accept")
    twice = [payload["answers"][0], payload["answers"][0]]
    path = tmp_path / "twice.json"
    path.write_bytes(_with_checksum({**payload, "answers": twice}))
    _refused(store, path, "answered twice")


# --- generated files: imported whole, or refused with the database unchanged ---------------

def _json_values(floats):
    return st.recursive(
        st.none() | st.booleans() | st.integers() | floats | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                     max_size=4),
        max_leaves=12,
    )


# json.dumps writes infinity as the non-standard `Infinity`, which import must refuse too
_json = _json_values(st.floats(allow_nan=False))
_finite_json = _json_values(st.floats(allow_nan=False, allow_infinity=False))


def _check_whole_or_unchanged(store: Store, path: Path, expected_payload: dict | None) -> None:
    before = _db_bytes(store)
    count = len(store.list_assessments())
    try:
        new_id = exchange.import_assessment(store, path)
    except ImportRefused as error:
        assert _db_bytes(store) == before
        assert len(store.list_assessments()) == count
        assert str(error).endswith("Nothing was changed.") or "Nothing was imported" in str(error)
        assert "\n" not in str(error)
        return
    imported = exchange.assessment_payload(store.load_assessment(new_id))
    if expected_payload is not None:
        expected = exchange.assessment_payload(exchange._assessment(expected_payload))
        # an answer exported without a time is stamped when imported; everything else is equal
        for got, want in zip(imported["answers"], expected["answers"], strict=True):
            if want["updated"] is None:
                got["updated"] = None
        assert imported == expected
    assert len(store.list_assessments()) == count + 1


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(document=_json)
def test_generated_json_never_half_imports(store, tmp_path, document):
    path = tmp_path / "generated.json"
    path.write_text(json.dumps(document))
    _check_whole_or_unchanged(store, path, None)


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_real_exports_are_whole_or_refused(store, tmp_path, data):
    path = tmp_path / "base.json"
    if not path.exists():
        aid = store.create_assessment(_assessment()).id
        exchange.export_assessment(store, aid, path)
    good = path.read_bytes()
    kind = data.draw(st.sampled_from(["truncate", "flip", "delete", "insert"]))
    at = data.draw(st.integers(0, len(good) - 1))
    if kind == "truncate":
        mutated = good[:at]
    elif kind == "flip":
        mutated = good[:at] + bytes([good[at] ^ data.draw(st.integers(1, 255))]) + good[at + 1:]
    elif kind == "delete":
        mutated = good[:at] + good[at + data.draw(st.integers(1, 50)):]
    else:
        mutated = good[:at] + data.draw(st.binary(min_size=1, max_size=20)) + good[at:]
    target = tmp_path / "mutated.json"
    target.write_bytes(mutated)
    _check_whole_or_unchanged(store, target, None)


_field_values = st.one_of(
    _finite_json, st.just("2025-13-01"), st.just("2024-02-29"), st.just("met"), st.just("agency"),
    st.just("done"), st.integers(min_value=-(2**70), max_value=2**70), st.text(max_size=40),
)


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_tampered_fields_with_recomputed_checksum_are_whole_or_refused(store, tmp_path, data):
    seed = tmp_path / "seed.json"
    if not seed.exists():
        aid = store.create_assessment(_assessment()).id
        exchange.export_assessment(store, aid, seed)
    payload = json.loads(seed.read_bytes())["assessment"]
    # pick a field somewhere in the payload and put a generated value there
    holders: list[tuple[dict, str]] = [(payload, k) for k in payload]
    for key in ("answers", "officers", "schools", "action_items"):
        for row in payload[key]:
            holders.extend((row, k) for k in row)
    holder, key = data.draw(st.sampled_from(holders))
    if data.draw(st.booleans()):
        holder[key] = data.draw(_field_values)
    else:
        del holder[key]
    target = tmp_path / "tampered.json"
    target.write_bytes(_with_checksum(payload))
    expected = None
    try:
        expected = payload if exchange._assessment(payload) is not None else None
    except Exception:  # noqa: BLE001 - the store must refuse it then
        expected = None
    _check_whole_or_unchanged(store, target, expected)


def test_random_byte_damage_is_refused(store, tmp_path):
    """Plain random damage (not generated by hypothesis): every case refused, nothing changed."""
    aid = store.create_assessment(_assessment()).id
    good = exchange.export_assessment(store, aid, tmp_path / "good.json").read_bytes()
    rng = random.Random(5)
    for n in range(40):
        at = rng.randrange(len(good))
        mutated = good[:at] + bytes([rng.randrange(256)]) + good[at + 1:]
        if mutated == good:
            continue
        path = tmp_path / f"damaged-{n}.json"
        path.write_bytes(mutated)
        try:
            document = json.loads(mutated)
            same = exchange.assessment_payload(exchange.parse_document(mutated)) == json.loads(good)["assessment"]
        except (ValueError, ImportRefused):
            document, same = None, False
        if document is not None and same:
            continue  # e.g. a change inside "exported_at": harmless, imports the same content
        _refused(store, path, "can't be imported")


def test_anything_typed_in_the_window_exports_and_imports(store, tmp_path):
    """A text box holds up to 32,767 characters: such a note and name travel whole."""
    long_note = "Ł" * 32_767
    a = store.create_assessment(Assessment(
        title="T" * 32_767, as_of=date(2026, 9, 15), form_id="nasro-2018", form_version=1,
        answers={"mou.exists": Answer("mou.exists", "yes", note=long_note)},
        officers=[Officer(name="N" * 32_767)],
    ))
    path = exchange.export_assessment(store, a.id, tmp_path / "long.json")
    copy = store.load_assessment(exchange.import_assessment(store, path))
    assert copy.answers["mou.exists"].note == long_note
    assert copy.title == "T" * 32_767 and copy.officers[0].name == "N" * 32_767


def test_an_export_import_would_refuse_is_never_written(store, tmp_path):
    a = store.create_assessment(Assessment(
        title="Too long", as_of=date(2026, 9, 15), form_id="nasro-2018", form_version=1,
        answers={"mou.exists": Answer("mou.exists", "yes", note="x" * 100_001)},
    ))
    out = tmp_path / "exports"
    out.mkdir()
    with pytest.raises(StoreError) as caught:
        exchange.export_assessment(store, a.id, out / "out.json")
    message = str(caught.value)
    assert message.startswith("This assessment can't be exported:") and "note is too long" in message
    assert "\n" not in message and "file" not in message.split(":")[0]
    assert list(out.iterdir()) == []
