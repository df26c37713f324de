"""Export format 2: an assessment and its evidence files in one .zip, imported whole (every
hash checked) or refused with nothing written; format 1 files still import. Real files, real
zips (hand-made bad ones included), a real killed import."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest

from nasro_desktop.domain.evidence import EvidenceKind
from nasro_desktop.domain.model import Answer, Assessment, Officer, School
from nasro_desktop.store import ImportRefused, Store, exchange
from nasro_desktop.store import evidence as ev

ROOT = Path(__file__).resolve().parents[1]


def _assessment() -> Assessment:
    return Assessment(
        title="Export with evidence 2026", agency="Pine Ridge PD", district="Pine Ridge USD",
        as_of=date(2026, 9, 1), form_id="nasro-2018", form_version=1,
        answers={"mou.exists": Answer("mou.exists", "yes", note="signed in June")},
        officers=[Officer(name="Dana Ruiz"), Officer(name="Nguyễn Văn An")],
        schools=[School(name="Lincoln"), School(name="Roosevelt")])


def _file(path: Path, size: int = 100_000) -> Path:
    path.write_bytes(b"%PDF-1.4\n" + os.urandom(size) + b"\n%%EOF\n")
    return path


def _blobs(data_dir: Path) -> list[Path]:
    folder = data_dir / "evidence"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def _with_evidence(store: Store, src: Path) -> int:
    aid = store.create_assessment(_assessment()).id
    a = store.load_assessment(aid)
    mou = _file(src / "Signed MOU.pdf", 300_000)
    store.evidence.attach(aid, mou, "standard", "01.01.04", description="The signed MOU",
                          valid_until=date(2027, 6, 30), standard_id="01.01.04")
    store.evidence.attach(aid, mou, "question", "mou.exists", standard_id="01.01.04")
    store.evidence.attach(aid, _file(src / "Basic course.pdf"), "officer", str(a.officers[1].id),
                          valid_until=date(2026, 6, 30))
    store.evidence.attach(aid, _file(src / "site plan.png", 5_000), "school",
                          str(a.schools[1].id))
    return aid


def _described(store: Store, aid: int) -> list[tuple]:
    """What the evidence of an assessment says, with officers and schools by name."""
    a = store.load_assessment(aid)
    names = {(EvidenceKind.OFFICER, str(o.id)): o.name for o in a.officers}
    names |= {(EvidenceKind.SCHOOL, str(s.id)): s.name for s in a.schools}
    return sorted((i.kind, names.get((i.kind, i.key), i.key), i.standard_id, i.file_name,
                   i.media_type, i.size, i.sha256, i.added, i.description, i.valid_until)
                  for i in store.evidence.records(aid))


@pytest.fixture
def source(tmp_path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    return folder


def test_round_trip_with_evidence_into_another_laptop(store, source, tmp_path):
    aid = _with_evidence(store, source)
    out = exchange.export_assessment(store, aid, tmp_path / "pine ridge.json")
    assert out == tmp_path / "pine ridge.zip", "a file holding files is a .zip"
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file is left behind"
    with zipfile.ZipFile(out) as zf:
        names = sorted(zf.namelist())
        document = json.loads(zf.read("assessment.json"))
    assert document["format_version"] == 2 and len(document["assessment"]["evidence"]) == 4
    assert names == ["assessment.json"] + sorted(
        f"evidence/{i.sha256}" for i in {i.sha256: i for i in store.evidence.records(aid)}.values())
    with Store.open(tmp_path / "other laptop") as other:
        new_id = exchange.import_assessment(other, out)
        assert _described(other, new_id) == _described(store, aid)
        for item in other.evidence.records(new_id):
            assert other.evidence.read_bytes(item.id) == store.evidence.read_bytes(
                next(i.id for i in store.evidence.records(aid) if i.sha256 == item.sha256))
        assert exchange.assessment_payload(other.load_assessment(new_id)) == \
            exchange.assessment_payload(store.load_assessment(aid))
        assert len(_blobs(other.data_dir)) == 3


def test_import_into_the_same_data_stores_no_second_copy(store, source, tmp_path):
    aid = _with_evidence(store, source)
    out = exchange.export_assessment(store, aid, tmp_path / "x.zip")
    before = [(p, p.stat().st_ino) for p in _blobs(store.data_dir)]
    new_id = exchange.import_assessment(store, out)
    assert [(p, p.stat().st_ino) for p in _blobs(store.data_dir)] == before
    assert _described(store, new_id) == _described(store, aid)


def test_without_evidence_the_export_stays_format_1_json(store, tmp_path):
    aid = store.create_assessment(_assessment()).id
    out = exchange.export_assessment(store, aid, tmp_path / "plain.json")
    assert out.name == "plain.json"
    assert json.loads(out.read_text(encoding="utf-8"))["format_version"] == 1


def test_a_format_1_file_still_imports(store, tmp_path):
    payload = exchange.assessment_payload(_assessment())
    document = {"format": exchange.FORMAT, "format_version": 1, "app_version": "0.1.0",
                "exported_at": "2026-01-01T00:00:00+00:00",
                "sha256": exchange.checksum(payload), "assessment": payload}
    old = tmp_path / "from the old app.json"
    old.write_text(json.dumps(document), encoding="utf-8")
    new_id = exchange.import_assessment(store, old)
    assert store.load_assessment(new_id).officers[1].name == "Nguyễn Văn An"
    assert store.evidence.records(new_id) == []


def test_read_import_and_parse_document_read_a_zip_too(store, source, tmp_path):
    """The CLI checks a file with read_import before it locks the data; the window's
    "already in your list?" question reads it with parse_document."""
    aid = _with_evidence(store, source)
    out = exchange.export_assessment(store, aid, tmp_path / "x.zip")
    assert exchange.read_import(out).title == "Export with evidence 2026"
    assert exchange.parse_document(out.read_bytes()).title == "Export with evidence 2026"


def test_the_cli_imports_the_evidence(data_dir, source, tmp_path):
    with Store.open(data_dir) as store:
        aid = _with_evidence(store, source)
        out = exchange.export_assessment(store, aid, tmp_path / "x.zip")
        expected = _described(store, aid)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NASRO_DATA_DIR": str(tmp_path / "cli data")}
    done = subprocess.run([sys.executable, "-m", "nasro_desktop", "import", str(out)],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with Store.open(tmp_path / "cli data") as other:
        (summary,) = other.list_assessments()
        assert _described(other, summary.id) == expected


# --- refused: nothing written -------------------------------------------------------------------


def _state(store: Store) -> tuple:
    return (len(store.list_assessments()),
            store.db.reader().execute("SELECT count(*) FROM evidence").fetchone()[0],
            [p.name for p in _blobs(store.data_dir)],
            sorted(p.name for p in (store.data_dir / "evidence").iterdir())
            if (store.data_dir / "evidence").exists() else [])


def _refused(store: Store, path: Path, match: str) -> None:
    before = _state(store)
    with pytest.raises(ImportRefused, match=match) as info:
        exchange.import_assessment(store, path)
    assert "Nothing was changed" in str(info.value)
    assert _state(store) == before


def _members(out: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(out) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _rezip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_STORED) -> Path:
    with zipfile.ZipFile(path, "w", compression=method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _exported(other_store_dir: Path, source: Path, tmp_path: Path) -> Path:
    with Store.open(other_store_dir) as other:
        aid = _with_evidence(other, source)
        return exchange.export_assessment(other, aid, tmp_path / "good.zip")


def test_a_changed_evidence_file_is_refused(store, source, tmp_path):
    members = _members(_exported(tmp_path / "elsewhere", source, tmp_path))
    name = next(n for n in members if n.startswith("evidence/") and len(members[n]) > 200_000)
    data = bytearray(members[name])
    data[1000] ^= 0xFF  # same size, one byte changed
    members[name] = bytes(data)
    _refused(store, _rezip(tmp_path / "changed.zip", members), "changed or damaged")


def test_path_traversal_and_extra_names_are_refused(store, source, tmp_path):
    good = _members(_exported(tmp_path / "elsewhere", source, tmp_path))
    for bad_name in ("../../evil.pdf", "/etc/passwd", "evidence/../../x", "C:\\x.pdf",
                     "evidence/" + "A" * 64, "readme.txt", "evidence/"):
        members = dict(good) | {bad_name: b"x"}
        _refused(store, _rezip(tmp_path / "bad.zip", members), "does not put in an export")


def test_a_file_name_with_a_path_in_its_record_is_refused(store, source, tmp_path):
    members = _members(_exported(tmp_path / "elsewhere", source, tmp_path))
    document = json.loads(members["assessment.json"])
    document["assessment"]["evidence"][0]["file_name"] = "../../.bashrc"
    document["sha256"] = exchange.checksum(document["assessment"])
    members["assessment.json"] = json.dumps(document).encode()
    _refused(store, _rezip(tmp_path / "bad.zip", members), "not a plain file name")


def test_records_and_members_must_match(store, source, tmp_path):
    members = _members(_exported(tmp_path / "elsewhere", source, tmp_path))
    one = next(n for n in members if n.startswith("evidence/"))
    _refused(store, _rezip(tmp_path / "lacking.zip",
                           {n: d for n, d in members.items() if n != one}), "not in it")
    extra = b"not named by any record"
    _refused(store, _rezip(tmp_path / "extra.zip", members | {
        f"evidence/{hashlib.sha256(extra).hexdigest()}": extra}), "none of its records")


def test_a_record_over_the_size_limit_is_refused(store, source, tmp_path):
    members = _members(_exported(tmp_path / "elsewhere", source, tmp_path))
    document = json.loads(members["assessment.json"])
    document["assessment"]["evidence"][0]["size"] = ev.MAX_FILE_BYTES + 1
    document["sha256"] = exchange.checksum(document["assessment"])
    members["assessment.json"] = json.dumps(document).encode()
    _refused(store, _rezip(tmp_path / "big.zip", members), "larger than")


def test_a_zip_bomb_is_refused_before_it_is_expanded(store, tmp_path):
    """90 MB of zeros deflate to about 90 kB: a ratio no document has."""
    zeros = b"\0" * 90_000_000
    sha = hashlib.sha256(zeros).hexdigest()
    payload = exchange.assessment_payload(_assessment()) | {"evidence": [{
        "kind": "standard", "key": "01.01.04", "standard_id": "", "file_name": "x.pdf",
        "media_type": "application/pdf", "size": len(zeros), "sha256": sha,
        "added": "2026-01-01T00:00:00+00:00", "description": "", "valid_until": None}]}
    document = {"format": exchange.FORMAT, "format_version": 2, "app_version": "0.1.0",
                "exported_at": "2026-01-01T00:00:00+00:00",
                "sha256": exchange.checksum(payload), "assessment": payload}
    bomb = _rezip(tmp_path / "bomb.zip", {"assessment.json": json.dumps(document).encode(),
                                          f"evidence/{sha}": zeros}, zipfile.ZIP_DEFLATED)
    assert bomb.stat().st_size < 1_000_000
    _refused(store, bomb, "zip bomb")


def _central_entry(data: bytearray, filename: str) -> int:
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) >= 0:
        name_len = int.from_bytes(data[start + 28:start + 30], "little")
        if data[start + 46:start + 46 + name_len].decode() == filename:
            return start
        start += 4
    raise AssertionError(filename)


def test_a_member_lying_about_its_size_is_refused(store, source, tmp_path):
    """The zip's directory gives a file a size other than its record's."""
    good = _exported(tmp_path / "elsewhere", source, tmp_path)
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as zf:
        info = next(i for i in zf.infolist() if i.filename.startswith("evidence/"))
    entry = _central_entry(data, info.filename)
    for offset in (20, 24):  # compressed and uncompressed size
        data[entry + offset:entry + offset + 4] = (info.file_size - 10).to_bytes(4, "little")
    bad = tmp_path / "lying.zip"
    bad.write_bytes(bytes(data))
    _refused(store, bad, "does not have the size its record gives")


def test_a_deflated_stream_longer_than_declared_is_refused(store, tmp_path):
    """The directory declares fewer bytes than the stream expands to: never read past it."""
    body = b"%PDF-1.4 " + os.urandom(50_000)
    sha = hashlib.sha256(body).hexdigest()
    payload = exchange.assessment_payload(_assessment()) | {"evidence": [{
        "kind": "standard", "key": "01.01.04", "standard_id": "", "file_name": "x.pdf",
        "media_type": "application/pdf", "size": len(body) - 100, "sha256": sha,
        "added": "2026-01-01T00:00:00+00:00", "description": "", "valid_until": None}]}
    document = {"format": exchange.FORMAT, "format_version": 2, "app_version": "0.1.0",
                "exported_at": "2026-01-01T00:00:00+00:00",
                "sha256": exchange.checksum(payload), "assessment": payload}
    path = _rezip(tmp_path / "long.zip", {"assessment.json": json.dumps(document).encode(),
                                          f"evidence/{sha}": body}, zipfile.ZIP_DEFLATED)
    data = bytearray(path.read_bytes())
    entry = _central_entry(data, f"evidence/{sha}")
    data[entry + 24:entry + 28] = (len(body) - 100).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    _refused(store, path, "changed or damaged")


def test_overlapping_entries_are_refused(store, tmp_path):
    """Two directory entries pointing at one stream (the overlapping zip bomb)."""
    body = b"%PDF-1.4 " + b"a" * 1000
    sha = hashlib.sha256(body).hexdigest()
    path = _rezip(tmp_path / "overlap.zip", {f"evidence/{sha}": body,
                                             "assessment.json": b"{}"})
    data = bytearray(path.read_bytes())
    # make the document's directory entry point at the evidence member's local header
    second = data.find(b"PK\x01\x02", data.find(b"PK\x01\x02") + 4)
    data[second + 42:second + 46] = (0).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    _refused(store, path, "overlap|damaged")


def test_a_truncated_zip_is_refused(store, source, tmp_path):
    good = _exported(tmp_path / "elsewhere", source, tmp_path)
    cut = tmp_path / "cut.zip"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    _refused(store, cut, "incomplete or damaged")


def test_a_plain_json_listing_files_it_does_not_hold_is_refused(store, source, tmp_path):
    members = _members(_exported(tmp_path / "elsewhere", source, tmp_path))
    plain = tmp_path / "no files.json"
    plain.write_bytes(members["assessment.json"])
    _refused(store, plain, "does not hold them")


def test_a_damaged_last_file_removes_the_files_stored_before_it(store, source, tmp_path):
    """Files are stored one by one before the transaction: when the last one turns out
    damaged, the ones this import already stored are removed again."""
    members = _members(_exported(tmp_path / "elsewhere", source, tmp_path))
    document = json.loads(members["assessment.json"])
    last = document["assessment"]["evidence"][-1]["sha256"]
    first = document["assessment"]["evidence"][0]["sha256"]
    assert last != first
    data = bytearray(members[f"evidence/{last}"])
    data[-20] ^= 0xFF
    members[f"evidence/{last}"] = bytes(data)
    _refused(store, _rezip(tmp_path / "last damaged.zip", members), "changed or damaged")


KILL_SCRIPT = """
import sys
from pathlib import Path
from nasro_desktop.store import Store, exchange
with Store.open(Path(sys.argv[1])) as store:
    print("open", flush=True)
    exchange.import_assessment(store, Path(sys.argv[2]))
    print("done", flush=True)
"""


def test_a_killed_import_leaves_no_record_and_no_file(data_dir, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    with Store.open(tmp_path / "elsewhere") as other:
        aid = other.create_assessment(_assessment()).id
        for n in range(6):
            other.evidence.attach(aid, _file(src / f"scan {n}.pdf", 20_000_000), "standard",
                                  "01.01.04")
        big = exchange.export_assessment(other, aid, tmp_path / "big.zip")
    with Store.open(data_dir) as store:
        store.create_assessment(_assessment())
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(data_dir), str(big)],
                            env=env, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "open"
    deadline = time.monotonic() + 60
    while not _blobs(data_dir) and time.monotonic() < deadline:  # in the middle of the files
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert _blobs(data_dir), "the kill came while the files were being stored"
    with Store.open(data_dir) as store:  # the sweep at open removes what no record names
        assert len(store.list_assessments()) == 1
        assert store.db.reader().execute("SELECT count(*) FROM evidence").fetchone()[0] == 0
        assert _blobs(store.data_dir) == []
        assert [p for p in (data_dir / "evidence").iterdir() if p.is_file()] == []


def test_too_many_files_are_refused_before_any_is_read(store, tmp_path):
    members = {"assessment.json": b"{}"}
    for n in range(1_001):
        body = str(n).encode()
        members[f"evidence/{hashlib.sha256(body).hexdigest()}"] = body
    _refused(store, _rezip(tmp_path / "many.zip", members), "more than 1,000 files")


def test_files_over_the_total_limit_are_refused(store, source, tmp_path, monkeypatch):
    from nasro_desktop.store import exchange

    good = _exported(tmp_path / "elsewhere", source, tmp_path)
    monkeypatch.setattr(exchange, "MAX_PACKAGE_BYTES", 200_000)  # the files: ~400 kB
    _refused(store, good, "come to more than")


def test_a_zip_with_an_unknown_question_set_is_refused(store, source, tmp_path):
    members = _members(_exported(tmp_path / "elsewhere", source, tmp_path))
    document = json.loads(members["assessment.json"])
    document["assessment"]["form_id"] = "some-other-form"
    document["sha256"] = exchange.checksum(document["assessment"])
    members["assessment.json"] = json.dumps(document).encode()
    _refused(store, _rezip(tmp_path / "other form.zip", members), "question set")


def test_random_byte_damage_to_a_zip_is_refused_or_harmless(store, source, tmp_path):
    """One byte changed anywhere in a format 2 file (40 places): refused with nothing written,
    or (a byte no check covers, like a member's date) imported whole and identical."""
    import random

    with Store.open(tmp_path / "elsewhere") as other:
        aid = other.create_assessment(_assessment()).id
        a = other.load_assessment(aid)
        other.evidence.attach(aid, _file(source / "mou.pdf", 3_000), "standard", "01.01.04")
        other.evidence.attach(aid, _file(source / "cert.pdf", 2_000), "officer",
                              str(a.officers[0].id))
        good = exchange.export_assessment(other, aid, tmp_path / "good.zip").read_bytes()
        expected = _described(other, aid)
    rng = random.Random(13)
    imported = refused = 0
    for n in range(40):
        at = rng.randrange(len(good))
        mutated = bytearray(good)
        mutated[at] ^= rng.randrange(1, 256)
        path = tmp_path / f"damaged-{n}.zip"
        path.write_bytes(bytes(mutated))
        before = _state(store)
        try:
            new_id = exchange.import_assessment(store, path)
        except ImportRefused as error:
            assert "Nothing was changed" in str(error)
            assert _state(store) == before
            refused += 1
            continue
        assert _described(store, new_id) == expected, f"byte {at} changed what was imported"
        imported += 1
    assert refused + imported == 40 and refused > 10


def test_a_damaged_file_is_refused_even_when_its_contents_are_held(store, source, tmp_path):
    aid = _with_evidence(store, source)
    members = _members(exchange.export_assessment(store, aid, tmp_path / "x.zip"))
    name = next(n for n in members if n.startswith("evidence/"))
    members[name] = members[name][:-1] + bytes([members[name][-1] ^ 1])
    _refused(store, _rezip(tmp_path / "damaged.zip", members), "changed or damaged")


def test_peek_reads_what_a_file_holds_without_its_files(store, source, tmp_path):
    aid = _with_evidence(store, source)
    zipped = exchange.export_assessment(store, aid, tmp_path / "x.zip")
    plain = exchange.export_assessment(store, store.create_assessment(_assessment()).id,
                                    tmp_path / "y.json")
    assert (exchange.read_import(zipped, check_files=False).title
            == exchange.read_import(plain, check_files=False).title == "Export with evidence 2026")
    with pytest.raises(ImportRefused):
        exchange.read_import(tmp_path, check_files=False)


def test_an_import_that_does_not_fit_on_the_disk_is_refused_first(tmp_path):
    """A real small disk (tmpfs) for the data: the files' room is checked before any is
    written; the message says how much is needed; nothing changes."""
    from nasro_desktop.store import SaveFailed

    if not (hasattr(os, "geteuid") and os.geteuid() == 0):  # (Windows has no geteuid)
        pytest.skip("a real small disk (tmpfs mount) needs root")
    data = tmp_path / "small disk"
    data.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m,mode=0700", "tmpfs", str(data)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        src = tmp_path / "src"
        src.mkdir()
        with Store.open(tmp_path / "elsewhere") as other:
            aid = other.create_assessment(_assessment()).id
            other.evidence.attach(aid, _file(src / "scan.pdf", 3_000_000), "standard",
                                  "01.01.04")
            out = exchange.export_assessment(other, aid, tmp_path / "x.zip")
        with Store.open(data) as store:
            (data / "filler.bin").write_bytes(b"\xff" * (shutil.disk_usage(data).free
                                                         - 6_000_000))
            before = _state(store)
            with pytest.raises(SaveFailed, match="need 3 MB"):
                exchange.import_assessment(store, out)
            assert _state(store) == before
            (data / "filler.bin").unlink()
            new_id = exchange.import_assessment(store, out)
            assert len(store.evidence.records(new_id)) == 1
    finally:
        subprocess.run(["umount", "-l", str(data)], check=True)
