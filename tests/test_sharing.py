"""Sharing with the other party and merging the copy that comes back, on two real data folders
(store/sharing.py)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from nasro_desktop.domain.forms import current_form
from nasro_desktop.domain.merge import Change, Side
from nasro_desktop.domain.model import Answer, Officer, Owner
from nasro_desktop.domain.sample import sample_assessment
from nasro_desktop.store import ImportRefused, Store, exchange, sharing


@pytest.fixture
def two_sides(tmp_path):
    with Store.open(tmp_path / "chief") as chief, Store.open(tmp_path / "district") as district:
        yield chief, district, tmp_path


def _status_questions(form, *owners):
    return [q.id for q in form.questions if q.standard and q.type.value == "status"
            and not q.show_if and form.standard(q.standard).owner in owners]


def test_share_answer_send_back_merge_and_undo(two_sides):
    chief, district, tmp = two_sides
    form = current_form()
    start = sample_assessment(form)
    district_qs = _status_questions(form, Owner.DISTRICT, Owner.BOTH)[:20]
    for qid in district_qs:  # the district's part is still open when the chief shares
        start.answers.pop(qid, None)
    cid = chief.create_assessment(start).id
    shared = sharing.write_exchange(chief, cid, tmp / "to district.nasro-share", party=Owner.AGENCY,
                                    name="Chief Whitfield")
    did = sharing.open_shared(district, shared, party=Owner.DISTRICT)
    assert exchange.assessment_payload(district.load_assessment(did)) == \
        exchange.assessment_payload(chief.load_assessment(cid))

    # the district answers 20 of its questions and changes 2 of the chief's
    answered = district_qs[:20]
    assert len(answered) == 20
    for qid in answered:
        district.save_answer(did, Answer(qid, "met", note="district"))
    chiefs = [q for q, a in start.answers.items() if a.has_value
              and form.has_question(q) and form.question(q).type.value == "status"][:2]
    for qid in chiefs:
        district.save_answer(did, Answer(qid, "partly", note="district thinks partly"))
    district.save_officer(did, Officer(name="Officer New From District",
                                       sworn_date=date(2020, 1, 1)))
    # meanwhile the chief changes one of those two as well, and edits an officer
    chief.save_answer(cid, Answer(chiefs[0], "not_met", note="chief says no"))
    officer = chief.load_assessment(cid).officers[0]
    officer.note = "chief's note"
    chief.save_officer(cid, officer)
    back = sharing.write_exchange(district, did, tmp / "back.nasro-share", party=Owner.DISTRICT,
                                  name="Dr. Lee")
    before = exchange.assessment_payload(chief.load_assessment(cid))

    seen = sharing.preview(chief, cid, back, form)
    assert exchange.assessment_payload(chief.load_assessment(cid)) == before, "preview writes nothing"
    conflicts = {d.key for d in seen.plan.conflicts}
    assert conflicts == {chiefs[0]}
    taken = {d.key for d in seen.plan.taken if d.kind == "answers"}
    assert set(answered) | {chiefs[1]} <= taken

    sharing.merge_file(chief, cid, back, choices={f"answers:{chiefs[0]}": Side.THEIRS}, form=form)
    merged = chief.load_assessment(cid)
    for qid in answered:
        assert merged.answers[qid].value == "met"
    assert merged.answers[chiefs[0]].value == "partly"  # the conflict, settled as chosen
    assert merged.answers[chiefs[1]].value == "partly"  # only the district changed it
    assert merged.officers[0].note == "chief's note"  # only the chief changed it
    assert merged.officers[0].id == officer.id  # the same row: its evidence stays attached
    assert [o.name for o in merged.officers].count("Officer New From District") == 1
    link = sharing.link_of(chief, cid)
    assert link["answered_by"][answered[0]] == {"party": "district", "name": "Dr. Lee"}
    [settled] = link["settled"]
    assert settled["key"] == chiefs[0] and settled["kept"] == "theirs"
    assert settled["ours"]["value"] == "not_met" and settled["theirs"]["value"] == "partly"

    who = sharing.provenance_of(chief, cid)
    assert who is not None and who.party is Owner.AGENCY
    assert who.answered_by[answered[0]] is Owner.DISTRICT  # the district's answer, merged
    assert who.answered_by[chiefs[1]] is Owner.DISTRICT  # only the district changed it
    kept_own = next(q for q, a in merged.answers.items() if a.has_value and q not in answered
                    and q not in chiefs)
    assert who.answered_by[kept_own] is Owner.AGENCY
    [settled] = who.settled
    assert (settled.question_id, settled.kept, settled.ours, settled.theirs) == (
        chiefs[0], Side.THEIRS, "not_met", "partly")
    by_standard = who.by_standard(form)
    assert by_standard[form.question(answered[0]).standard] in ("the district — Dr. Lee",
                                                                 "both sides")

    # the same file again changes nothing
    again = sharing.preview(chief, cid, back, form)
    assert not again.plan.changes_anything

    # a change after the merge: undo would lose it, so it is refused unless forced
    chief.save_answer(cid, Answer(answered[1], "partly", note="after the merge"))
    with pytest.raises(sharing.ChangedSinceMerge, match="Nothing was changed"):
        sharing.undo_merge(chief, cid)
    assert chief.load_assessment(cid).answers[answered[1]].note == "after the merge"
    assert sharing.undo_merge(chief, cid, force=True)
    assert exchange.assessment_payload(chief.load_assessment(cid)) == before
    assert chief.load_assessment(cid).officers[0].id == officer.id
    assert not sharing.undo_merge(chief, cid), "one step undoes the merge; no more"


def test_a_file_changed_by_hand_from_another_assessment_or_a_newer_app_is_refused(two_sides):
    chief, district, tmp = two_sides
    cid = chief.create_assessment(sample_assessment()).id
    other = chief.create_assessment(sample_assessment()).id
    shared = sharing.write_exchange(chief, cid, tmp / "s.json", party=Owner.AGENCY, name="C")
    did = sharing.open_shared(district, shared, party=Owner.DISTRICT)
    back = sharing.write_exchange(district, did, tmp / "b.json", party=Owner.DISTRICT, name="D")
    db_before = chief.path.read_bytes()

    with pytest.raises(ImportRefused, match="not been shared"):
        sharing.preview(chief, other, back)
    document = json.loads(back.read_text(encoding="utf-8"))
    document["assessment"]["title"] = "changed by hand"
    (tmp / "hand.json").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ImportRefused, match="checksum"):
        sharing.preview(chief, cid, tmp / "hand.json")
    document = json.loads(back.read_text(encoding="utf-8"))
    document["format_version"] = 99
    (tmp / "newer.json").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ImportRefused, match="update the app"):
        sharing.preview(chief, cid, tmp / "newer.json")
    assert chief.path.read_bytes() == db_before, "refused files change nothing"
    with pytest.raises(ImportRefused, match="already open here"):
        sharing.open_shared(district, shared, party=Owner.DISTRICT)
    with pytest.raises(ImportRefused, match="copy sent back"):
        sharing.open_shared(district, back, party=Owner.DISTRICT)
    # a new round of sharing makes the old returned copy an earlier round
    second = sharing.write_exchange(chief, cid, tmp / "s2.json", party=Owner.AGENCY, name="C")
    assert sharing.link_of(chief, cid)["round"] == 2
    with pytest.raises(ImportRefused, match="earlier round"):
        sharing.preview(chief, cid, back)
    # the district has the first round: it is offered the merge into that copy; asked for a
    # separate copy, it gets one, and the first one says it is earlier
    with pytest.raises(sharing.EarlierRoundHere) as offered:
        sharing.open_shared(district, second, party=Owner.DISTRICT)
    assert offered.value.assessment_id == did and "Nothing was changed" in str(offered.value)
    newer = sharing.open_shared(district, second, party=Owner.DISTRICT, separate=True)
    titles = {s.id: s.title for s in district.list_assessments()}
    assert titles[did].endswith("(earlier round)") and not titles[newer].endswith("round)")
    assert sharing.link_of(district, did)["role"] == "superseded"


def test_a_hostile_value_in_a_shared_file_is_refused_as_import_refuses_it(two_sides):
    chief, district, tmp = two_sides
    cid = chief.create_assessment(sample_assessment()).id
    shared = sharing.write_exchange(chief, cid, tmp / "s.json", party=Owner.AGENCY, name="C")
    document = json.loads(shared.read_text(encoding="utf-8"))
    document["assessment"]["officers"][0]["sworn_date"] = "2020-13-45"
    body = {"exchange": document["exchange"], "assessment": document["assessment"]}
    document["sha256"] = exchange.checksum(body)  # a consistent but hostile file
    (tmp / "hostile.json").write_text(json.dumps(document), encoding="utf-8")
    count = len(district.list_assessments())
    with pytest.raises(ImportRefused, match="can't be opened"):
        sharing.open_shared(district, tmp / "hostile.json", party=Owner.DISTRICT)
    assert len(district.list_assessments()) == count


def test_an_ordinary_export_is_pointed_to_import(two_sides):
    chief, _district, tmp = two_sides
    cid = chief.create_assessment(sample_assessment()).id
    out = exchange.export_assessment(chief, cid, tmp / "plain.json")
    with pytest.raises(ImportRefused, match="File > Import"):
        sharing.read_exchange(out)


def test_the_plan_lists_officers_by_name_and_matches_rows_by_identity(two_sides):
    chief, district, tmp = two_sides
    cid = chief.create_assessment(sample_assessment()).id
    shared = sharing.write_exchange(chief, cid, tmp / "s.json", party=Owner.AGENCY, name="C")
    did = sharing.open_shared(district, shared, party=Owner.DISTRICT)
    officer = district.load_assessment(did).officers[1]
    officer.name = officer.name + " Jr."  # a renamed officer is still the same officer
    district.save_officer(did, officer)
    back = sharing.write_exchange(district, did, tmp / "b.json", party=Owner.DISTRICT, name="D")
    seen = sharing.preview(chief, cid, back)
    rows = [d for d in seen.plan.differences if d.kind == "officers"]
    assert len(rows) == 1 and rows[0].change is Change.TAKEN
    assert rows[0].label.endswith("Jr.")


def test_the_command_line_shares_merges_with_a_dry_run_first_and_undoes(tmp_path, capsys):
    from nasro_desktop.cli import main

    chief_dir, district_dir = tmp_path / "chief", tmp_path / "district"
    with Store.open(chief_dir) as chief:
        cid = chief.create_assessment(sample_assessment()).id
    shared, back = tmp_path / "s.nasro-share", tmp_path / "b.nasro-share"
    assert main(["share", str(cid), "--out", str(shared), "--name", "Chief W",
                 "--data-dir", str(chief_dir)]) == 0
    assert main(["open-shared", str(shared), "--data-dir", str(district_dir)]) == 0
    assert "shared by" in capsys.readouterr().out
    with Store.open(district_dir) as district:
        [summary] = district.list_assessments()
        district.save_answer(summary.id, Answer("mou.exists", "no", note="district"))
    assert main(["share", str(summary.id), "--out", str(back), "--data-dir",
                 str(district_dir)]) == 0
    assert "Sent back" in capsys.readouterr().out
    with Store.open(chief_dir) as chief:
        chief.save_answer(cid, Answer("mou.exists", "yes", note="chief changed it too"))
        before = exchange.assessment_payload(chief.load_assessment(cid))
    # both changed mou.exists: no --take, no merge
    assert main(["merge", str(cid), str(back), "--data-dir", str(chief_dir)]) == 1
    err = capsys.readouterr()
    assert "BOTH" in err.out and "--take" in err.err and "Nothing was changed" in err.err
    assert main(["merge", str(cid), str(back), "--take", "theirs", "--dry-run",
                 "--data-dir", str(chief_dir)]) == 0
    assert "nothing was changed" in capsys.readouterr().out
    with Store.open(chief_dir) as chief:
        assert exchange.assessment_payload(chief.load_assessment(cid)) == before
    assert main(["merge", str(cid), str(back), "--take", "theirs",
                 "--data-dir", str(chief_dir)]) == 0
    with Store.open(chief_dir) as chief:
        assert chief.load_assessment(cid).answers["mou.exists"].value == "no"
    assert main(["undo-merge", str(cid), "--data-dir", str(chief_dir)]) == 0
    with Store.open(chief_dir) as chief:
        assert exchange.assessment_payload(chief.load_assessment(cid)) == before
    assert main(["undo-merge", str(cid), "--data-dir", str(chief_dir)]) == 1


def test_a_copy_opened_beside_its_original_says_whose_it_is_and_goes_back_untitled(
        tmp_path, capsys):
    """Open the shared file in the folder it was shared from (one laptop, both sides): the
    start list must not show two identical rows; the copy's title says who shared it and when,
    and sending it back does not carry that title into the original."""
    from nasro_desktop.cli import main

    folder = tmp_path / "one laptop"
    with Store.open(folder) as store:
        cid = store.create_assessment(sample_assessment()).id
        title = store.load_assessment(cid).title
    shared, back = tmp_path / "s.nasro-share", tmp_path / "b.nasro-share"
    assert main(["share", str(cid), "--out", str(shared), "--name", "Chief Whitfield",
                 "--data-dir", str(folder)]) == 0
    assert main(["open-shared", str(shared), "--data-dir", str(folder)]) == 0
    capsys.readouterr()
    with Store.open(folder) as store:
        titles = sorted(s.title for s in store.list_assessments())
        copy = next(s for s in store.list_assessments() if s.id != cid)
        store.save_answer(copy.id, Answer("mou.exists", "no", note="district"))
    assert len(set(titles)) == 2
    assert copy.title.startswith(title + " (shared by Chief Whitfield on ")
    assert main(["share", str(copy.id), "--out", str(back), "--data-dir", str(folder)]) == 0
    assert main(["merge", str(cid), str(back), "--data-dir", str(folder)]) == 0
    with Store.open(folder) as store:
        merged = store.load_assessment(cid)
        assert merged.title == title
        assert merged.answers["mou.exists"].value == "no"
    # in another folder nothing clashes: the title stays as shared
    assert main(["open-shared", str(shared), "--data-dir", str(tmp_path / "other")]) == 0
    with Store.open(tmp_path / "other") as other:
        assert [s.title for s in other.list_assessments()] == [title]


def test_the_full_edition_says_who_answered_and_where_the_sides_disagreed(two_sides, tmp_path):
    """Through the CLI, as a user prints it: tagged like every other part, and in Word too."""
    import io

    import docx
    from pdf_structure import problems
    from pypdf import PdfReader

    from nasro_desktop.cli import main

    chief, district, tmp = two_sides
    form = current_form()
    cid = chief.create_assessment(sample_assessment(form)).id
    shared = sharing.write_exchange(chief, cid, tmp / "s.x", party=Owner.AGENCY, name="Chief W")
    did = sharing.open_shared(district, shared, party=Owner.DISTRICT)
    district.save_answer(did, Answer("mou.exists", "no", note="district"))
    back = sharing.write_exchange(district, did, tmp / "b.x", party=Owner.DISTRICT, name="Dr. Lee")
    chief.save_answer(cid, Answer("mou.exists", "yes", note="chief changed it too"))
    sharing.merge_file(chief, cid, back, default=Side.OURS, form=form)
    folder = str(chief.data_dir)
    chief.close()
    out, word = tmp_path / "full.pdf", tmp_path / "full.docx"
    assert main(["report", str(cid), "--edition", "full", "--out", str(out),
                 "--data-dir", folder]) == 0
    assert main(["report", str(cid), "--edition", "full", "--out", str(word),
                 "--data-dir", folder]) == 0
    data = out.read_bytes()
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)
    assert "Who answered" in text and "Where the two sides disagreed" in text
    assert "this copy's answer" in text
    assert "the agency — Chief W" in text  # whose answers stand, named as in the spreadsheet
    assert problems(data) == []
    words = "\n".join(p.text for p in docx.Document(str(word)).paragraphs)
    assert "Who answered" in words
    # a board edition, and an assessment never shared, have no such part
    assert main(["report", str(cid), "--out", str(tmp_path / "board.pdf"), "--data-dir",
                 folder]) == 0
    board = " ".join(p.extract_text() for p in PdfReader(str(tmp_path / "board.pdf")).pages)
    assert "Who answered" not in board


def test_the_spreadsheet_says_who_answered_each_question(two_sides, tmp_path):
    """Save as spreadsheet (CSV and workbook, through the CLI): the Answers sheet's "Answered
    by" is the side whose answer stands and the person who gave it ("District — Dr. Lee");
    empty where nothing is answered or nothing shared."""
    import csv

    import openpyxl

    from nasro_desktop.cli import main

    chief, district, tmp = two_sides
    form = current_form()
    start = sample_assessment(form)
    start.answers.pop("admin.support.superintendent", None)
    cid = chief.create_assessment(start).id
    never_shared = chief.create_assessment(sample_assessment(form)).id
    shared = sharing.write_exchange(chief, cid, tmp / "s.x", party=Owner.AGENCY, name="Chief W")
    did = sharing.open_shared(district, shared, party=Owner.DISTRICT)
    district.save_answer(did, Answer("admin.support.superintendent", "met", note="district"))
    back = sharing.write_exchange(district, did, tmp / "b.x", party=Owner.DISTRICT, name="Dr. Lee")
    sharing.merge_file(chief, cid, back, form=form)
    own = next(q for q, a in chief.load_assessment(cid).answers.items()
               if a.has_value and q != "admin.support.superintendent" and form.has_question(q)
               and form.question(q).type.value == "status")
    unanswered = next(q.id for q in form.questions if q.type.value == "status"
                      and q.id not in chief.load_assessment(cid).answers)
    folder = str(chief.data_dir)
    chief.close()
    assert main(["export", str(cid), "--csv", str(tmp_path / "csv"), "--data-dir", folder]) == 0
    [answers_csv] = (tmp_path / "csv").glob("*-answers.csv")
    with open(answers_csv, encoding="utf-8-sig", newline="") as handle:
        by_csv = {r["Question ID"]: r["Answered by"] for r in csv.DictReader(handle)}
    assert main(["export", str(cid), "--xlsx", str(tmp_path / "a.xlsx"), "--data-dir",
                 folder]) == 0
    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx")["Answers"]
    header = [c.value for c in sheet[1]]
    column = header.index("Answered by")
    assert header[column - 1] == "Answer"
    by_sheet = {r[header.index("Question ID")]: r[column] or ""
                for r in sheet.iter_rows(min_row=2, values_only=True)}
    for got in (by_csv, by_sheet):
        assert got["admin.support.superintendent"] == "District — Dr. Lee"
        assert got[own] == "Agency — Chief W"
        assert got[unanswered] == ""
    assert main(["export", str(never_shared), "--csv", str(tmp_path / "plain"), "--data-dir",
                 folder]) == 0
    [plain] = (tmp_path / "plain").glob("*-answers.csv")
    with open(plain, encoding="utf-8-sig", newline="") as handle:
        assert {r["Answered by"] for r in csv.DictReader(handle)} == {""}


def _attach(store, aid, tmp, name, data, kind, key):
    path = tmp / name
    path.write_bytes(data)
    return store.evidence.attach(aid, path, kind, key)


def test_evidence_goes_with_the_share_only_when_asked_and_merges_by_identity(two_sides):
    import zipfile

    chief, district, tmp = two_sides
    cid = chief.create_assessment(sample_assessment()).id
    officer = chief.load_assessment(cid).officers[0]
    _attach(chief, cid, tmp, "mou.pdf", b"%PDF signed MOU", "standard", "01.01.04")
    _attach(chief, cid, tmp, "cert.pdf", b"%PDF basic course", "officer", str(officer.id))

    # not ticked: no evidence goes, and the file is the plain document
    plain = sharing.write_exchange(chief, cid, tmp / "plain.nasro-share", party=Owner.AGENCY,
                                   name="C")
    assert not zipfile.is_zipfile(plain)
    with Store.open(tmp / "elsewhere") as other:
        alone = sharing.open_shared(other, plain, party=Owner.DISTRICT)
        assert other.evidence.records(alone) == []

    # ticked: the files go with it, and arrive attached to the same things
    shared = sharing.write_exchange(chief, cid, tmp / "s.nasro-share", party=Owner.AGENCY,
                                    name="C", with_evidence=True)
    assert zipfile.is_zipfile(shared)
    did = sharing.open_shared(district, shared, party=Owner.DISTRICT)
    theirs = {(e.kind.value, e.file_name): e for e in district.evidence.records(did)}
    assert set(theirs) == {("standard", "mou.pdf"), ("officer", "cert.pdf")}
    their_officer = district.load_assessment(did).officers[0]
    assert theirs[("officer", "cert.pdf")].key == str(their_officer.id)
    assert district.evidence.read_bytes(theirs[("standard", "mou.pdf")].id) == b"%PDF signed MOU"

    # the district adds its own files; the chief's come back too, and are not added twice
    _attach(district, did, tmp, "board minutes.pdf", b"%PDF minutes", "question", "mou.exists")
    _attach(district, did, tmp, "review.pdf", b"%PDF probation review", "officer",
            str(their_officer.id))
    back = sharing.write_exchange(district, did, tmp / "b.nasro-share", party=Owner.DISTRICT,
                                  name="D", with_evidence=True)
    seen = sharing.preview(chief, cid, back)
    assert sorted(e.file_name for e in seen.new_evidence) == ["board minutes.pdf", "review.pdf"]
    before = {e.id for e in chief.evidence.records(cid)}
    sharing.merge_file(chief, cid, back)
    after = {(e.kind.value, e.key, e.file_name): e for e in chief.evidence.records(cid)}
    assert len(after) == 4
    review = after[("officer", str(officer.id), "review.pdf")]  # the chief's own officer row
    assert chief.evidence.read_bytes(review.id) == b"%PDF probation review"
    assert chief.evidence.read_bytes(after[("question", "mou.exists", "board minutes.pdf")].id) == \
        b"%PDF minutes"
    assert sharing.preview(chief, cid, back).new_evidence == []  # twice: nothing new
    # a file the chief removed is not brought back by the next merge
    sharing.undo_merge(chief, cid)
    assert {e.id for e in chief.evidence.records(cid)} == before, "undo takes the files back out"
    chief.evidence.remove(next(e.id for e in chief.evidence.records(cid) if e.file_name == "mou.pdf"))
    sharing.merge_file(chief, cid, back)
    assert "mou.pdf" not in {e.file_name for e in chief.evidence.records(cid)}


def test_an_evidence_file_s_words_edited_by_the_other_side_merge_three_way(two_sides, capsys):
    """A file both sides have: the description and valid-until date only the district changed
    are taken; one both changed keeps the chief's and says so (CLI); undo puts them back."""
    from nasro_desktop.cli import main

    chief, district, tmp = two_sides
    cid = chief.create_assessment(sample_assessment()).id
    mou = _attach(chief, cid, tmp, "mou.pdf", b"%PDF signed MOU", "standard", "01.01.04")
    chief.evidence.update(mou.id, description="MOU draft", valid_until=date(2027, 6, 30))
    cert = _attach(chief, cid, tmp, "cert.pdf", b"%PDF course", "question", "mou.exists")
    shared = sharing.write_exchange(chief, cid, tmp / "s.nasro-share", party=Owner.AGENCY,
                                    name="C", with_evidence=True)
    did = sharing.open_shared(district, shared, party=Owner.DISTRICT)
    theirs = {e.file_name: e for e in district.evidence.records(did)}
    district.evidence.update(theirs["mou.pdf"].id, description="Signed MOU, 2026",
                             valid_until=date(2028, 6, 30))
    district.evidence.update(theirs["cert.pdf"].id, description="the district's words")
    chief.evidence.update(cert.id, description="the chief's words")
    back = sharing.write_exchange(district, did, tmp / "b.nasro-share", party=Owner.DISTRICT,
                                  name="D", with_evidence=True)
    folder = str(chief.data_dir)
    chief.close()
    assert main(["merge", str(cid), str(back), "--dry-run", "--data-dir", folder]) == 0
    out = capsys.readouterr().out
    assert "take  evidence file mou.pdf" in out
    assert "keep  evidence file cert.pdf: kept yours" in out
    assert main(["merge", str(cid), str(back), "--data-dir", folder]) == 0
    with Store.open(folder) as again:
        now = {e.file_name: e for e in again.evidence.records(cid)}
        assert (now["mou.pdf"].description, now["mou.pdf"].valid_until) == (
            "Signed MOU, 2026", date(2028, 6, 30))
        assert now["cert.pdf"].description == "the chief's words"
        assert sharing.preview(again, cid, back).evidence_edits == []  # twice: nothing new
    assert main(["undo-merge", str(cid), "--data-dir", folder]) == 0
    with Store.open(folder) as again:
        undone = {e.file_name: e for e in again.evidence.records(cid)}
        assert (undone["mou.pdf"].description, undone["mou.pdf"].valid_until) == (
            "MOU draft", date(2027, 6, 30))
        assert undone["cert.pdf"].description == "the chief's words"


def _rezip(src, dest, change):
    """A copy of the zip `src` with `change(name, data)` -> [(name, data)] for each member."""
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            for name, data, method in change(info.filename, zin.read(info)):
                zout.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return dest


def test_a_hostile_shared_file_with_evidence_is_refused_and_changes_nothing(two_sides):
    import zipfile

    from nasro_desktop.store import evidence

    chief, district, tmp = two_sides
    cid = chief.create_assessment(sample_assessment()).id
    _attach(chief, cid, tmp, "mou.pdf", b"%PDF signed MOU " * 100, "standard", "01.01.04")
    shared = sharing.write_exchange(chief, cid, tmp / "s.nasro-share", party=Owner.AGENCY,
                                    name="C", with_evidence=True)
    stored, deflated = zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED
    hostile = {
        # a name that would climb out of the evidence folder
        "path traversal": (lambda n, d: [(n, d, stored)] + ([("../../evil.txt", b"x", stored)]
                                                            if n == "exchange.json" else []),
                           "does not put in a shared file"),
        # zeros in place of the file, packed: the records' SHA-256 catches it
        "zeros": (lambda n, d: [(n, d if n == "exchange.json" else b"\0" * len(d),
                                 stored if n == "exchange.json" else deflated)],
                  "changed or damaged"),
        # the same size, other bytes: its SHA-256 does not match the record
        "changed file": (lambda n, d: [(n, d if n == "exchange.json" else b"X" * len(d),
                                        stored)], "changed or damaged"),
        # a file none of the records names
        "stowaway": (lambda n, d: [(n, d, stored)] + ([("evidence/" + "a" * 64, b"y", stored)]
                                                      if n == "exchange.json" else []),
                     "none of its records names"),
    }
    count = len(district.list_assessments())
    folder = evidence.folder_of(district.data_dir)
    held = sorted(p.name for p in folder.rglob("*")) if folder.exists() else []
    for what, (change, words) in hostile.items():
        bad = _rezip(shared, tmp / f"{what}.nasro-share", change)
        with pytest.raises(ImportRefused, match="can't be opened as a shared") as refused:
            sharing.open_shared(district, bad, party=Owner.DISTRICT)
        assert words in str(refused.value), (what, str(refused.value))
        assert "Nothing was changed" in str(refused.value)
        assert len(district.list_assessments()) == count, what
        now = sorted(p.name for p in folder.rglob("*")) if folder.exists() else []
        assert now == held, f"{what}: a file was left in the evidence folder"
    # a zip bomb made of one small member declared far larger than it packs
    bomb = tmp / "bomb.nasro-share"
    with zipfile.ZipFile(shared) as zin, zipfile.ZipFile(bomb, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename != "exchange.json":
                data = b"\0" * 50_000_000
            zout.writestr(info.filename, data, compress_type=deflated)
    with pytest.raises(ImportRefused, match="zip bomb"):
        sharing.open_shared(district, bomb, party=Owner.DISTRICT)
    # the document without its files (taken out of the zip) is refused, not opened bare
    with zipfile.ZipFile(shared) as zin:
        (tmp / "bare.json").write_bytes(zin.read("exchange.json"))
    with pytest.raises(ImportRefused, match="not with it"):
        sharing.open_shared(district, tmp / "bare.json", party=Owner.DISTRICT)
    assert len(district.list_assessments()) == count


def test_the_command_line_sends_evidence_only_with_the_flag(tmp_path, capsys):
    import zipfile

    from nasro_desktop.cli import main

    chief_dir, district_dir = tmp_path / "chief", tmp_path / "district"
    with Store.open(chief_dir) as chief:
        cid = chief.create_assessment(sample_assessment()).id
        _attach(chief, cid, tmp_path, "mou.pdf", b"%PDF MOU", "standard", "01.01.04")
    plain, full = tmp_path / "plain.nasro-share", tmp_path / "full.nasro-share"
    assert main(["share", str(cid), "--out", str(plain), "--data-dir", str(chief_dir)]) == 0
    assert main(["share", str(cid), "--out", str(full), "--with-evidence", "--data-dir",
                 str(chief_dir)]) == 0
    assert "with its evidence files" in capsys.readouterr().out
    assert not zipfile.is_zipfile(plain) and zipfile.is_zipfile(full)
    assert main(["open-shared", str(full), "--data-dir", str(district_dir)]) == 0
    with Store.open(district_dir) as district:
        [summary] = district.list_assessments()
        [item] = district.evidence.records(summary.id)
        assert district.evidence.read_bytes(item.id) == b"%PDF MOU"


def test_a_copy_returned_on_a_newer_question_set_merges_after_the_same_upgrade(two_sides):
    from nasro_desktop.domain.forms import form_registry

    chief, district, tmp = two_sides
    v1, v2 = form_registry().get("nasro-2018", 1), form_registry().get("nasro-2018", 2)
    cid = chief.create_assessment(sample_assessment(v1)).id
    chief.save_answer(cid, Answer("admin.sro.full_time", "partly", note="shifts"))
    shared = sharing.write_exchange(chief, cid, tmp / "s.x", party=Owner.AGENCY, name="C")
    did = sharing.open_shared(district, shared, party=Owner.DISTRICT)
    # the district upgrades its copy, then answers a question only v2 has and confirms the
    # carried answer as it reads the new wording
    district.upgrade_form(did, v2)
    new_only = next(q.id for q in v2.questions if q.type.value == "status"
                    and not v1.has_question(q.id) and not q.replaces and not q.show_if)
    district.save_answer(did, Answer(new_only, "met", note="district"))
    district.save_answer(did, Answer("admin.sro.full_time_officer", "met", note="all full-time"))
    back = sharing.write_exchange(district, did, tmp / "b.x", party=Owner.DISTRICT, name="D")
    before = exchange.assessment_payload(chief.load_assessment(cid))

    seen = sharing.preview(chief, cid, back, v1)
    assert seen.upgrade_to == 2 and seen.form.version == 2
    assert not seen.plan.conflicts
    # only what the district really changed; the answers both copies carried are not listed
    assert {d.key for d in seen.plan.taken} == {new_only, "admin.sro.full_time_officer"}
    assert chief.load_assessment(cid).form_version == 1, "the preview changes nothing"

    sharing.merge_file(chief, cid, back, form=v1)
    merged = chief.load_assessment(cid)
    assert merged.form_version == 2
    assert merged.answers[new_only].value == "met"
    assert merged.answers["admin.sro.full_time_officer"].note == "all full-time"
    assert "admin.sro.full_time" not in merged.answers  # carried, as an upgrade carries it
    assert not sharing.preview(chief, cid, back).plan.changes_anything  # twice: nothing
    assert sharing.undo_merge(chief, cid)
    again = chief.load_assessment(cid)
    assert again.form_version == 1 and exchange.assessment_payload(again) == before


def test_a_returned_copy_on_questions_this_app_lacks_asks_to_update_the_app(two_sides):
    chief, district, tmp = two_sides
    cid = chief.create_assessment(sample_assessment()).id
    shared = sharing.write_exchange(chief, cid, tmp / "s.x", party=Owner.AGENCY, name="C")
    did = sharing.open_shared(district, shared, party=Owner.DISTRICT)
    back = sharing.write_exchange(district, did, tmp / "b.x", party=Owner.DISTRICT, name="D")
    document = json.loads(back.read_text(encoding="utf-8"))
    document["assessment"]["form_version"] = 99  # as a newer app's question set would be
    body = {"exchange": document["exchange"], "assessment": document["assessment"]}
    document["sha256"] = exchange.checksum(body)
    (tmp / "newer.x").write_text(json.dumps(document), encoding="utf-8")
    before = chief.path.read_bytes()
    with pytest.raises(ImportRefused, match="update the app, then merge it again"):
        sharing.preview(chief, cid, tmp / "newer.x")
    assert chief.path.read_bytes() == before
    # the file shared by a newer app's question set: the district is told the same
    document = json.loads(shared.read_text(encoding="utf-8"))
    document["assessment"]["form_version"] = 99
    body = {"exchange": document["exchange"], "assessment": document["assessment"]}
    document["sha256"] = exchange.checksum(body)
    (tmp / "newer share.x").write_text(json.dumps(document), encoding="utf-8")
    count = len(district.list_assessments())
    with pytest.raises(ImportRefused, match="update the app, then open it again"):
        sharing.open_shared(district, tmp / "newer share.x", party=Owner.DISTRICT)
    assert len(district.list_assessments()) == count


def test_a_copy_returned_on_the_older_questions_merges_into_an_upgraded_one(two_sides):
    from nasro_desktop.domain.forms import form_registry

    chief, district, tmp = two_sides
    v1, v2 = form_registry().get("nasro-2018", 1), form_registry().get("nasro-2018", 2)
    cid = chief.create_assessment(sample_assessment(v1)).id
    shared = sharing.write_exchange(chief, cid, tmp / "s.x", party=Owner.AGENCY, name="C")
    did = sharing.open_shared(district, shared, party=Owner.DISTRICT)
    chief.upgrade_form(cid, v2)  # the chief upgrades while the district answers on v1
    district.save_answer(did, Answer("admin.sro.full_time", "met", note="district, on v1"))
    back = sharing.write_exchange(district, did, tmp / "b.x", party=Owner.DISTRICT, name="D")
    seen = sharing.preview(chief, cid, back, v2)
    assert seen.upgrade_to is None and seen.form.version == 2
    assert [d.key for d in seen.plan.differences] == ["admin.sro.full_time_officer"]
    sharing.merge_file(chief, cid, back, form=v2)
    merged = chief.load_assessment(cid)
    assert merged.form_version == 2
    assert merged.answers["admin.sro.full_time_officer"].note == "district, on v1"


def test_the_district_merges_the_chief_s_next_round_into_its_own_copy(two_sides):
    chief, district, tmp = two_sides
    form = current_form()
    cid = chief.create_assessment(sample_assessment(form)).id
    q1, q2, q3 = _three_status(form)
    r1 = sharing.write_exchange(chief, cid, tmp / "r1.x", party=Owner.AGENCY, name="C")
    did = sharing.open_shared(district, r1, party=Owner.DISTRICT)
    district.save_answer(did, Answer(q1, "met", note="district, round 1"))
    district.save_officer(did, Officer(name="District Officer", sworn_date=date(2019, 1, 1)))
    first = district.load_assessment(did).officers[0]
    first.note = "district's note"
    district.save_officer(did, first)
    back = sharing.write_exchange(district, did, tmp / "back1.x", party=Owner.DISTRICT, name="D")
    sharing.merge_file(chief, cid, back, form=form)

    # the chief goes on, then shares the next round; the district went on meanwhile too
    chief.save_answer(cid, Answer(q2, "not_met", note="chief, round 2"))
    second = chief.load_assessment(cid).officers[1]
    second.note = "chief's round-2 note"
    chief.save_officer(cid, second)
    chief.save_officer(cid, Officer(name="Chief New Officer", sworn_date=date(2021, 1, 1)))
    r2 = sharing.write_exchange(chief, cid, tmp / "r2.x", party=Owner.AGENCY, name="C")
    district.save_answer(did, Answer(q3, "partly", note="district, after sending back"))
    third = district.load_assessment(did).officers[2]
    third.note = "district's later note"
    district.save_officer(did, third)
    count = len(district.list_assessments())

    with pytest.raises(sharing.EarlierRoundHere) as offered:
        sharing.open_shared(district, r2, party=Owner.DISTRICT)
    assert offered.value.assessment_id == did
    seen = sharing.preview(district, did, r2, form)
    assert seen.next_round and not seen.plan.conflicts
    taken = {d.label if d.kind != "answers" else d.key for d in seen.plan.taken}
    kept = {d.label if d.kind != "answers" else d.key for d in seen.plan.kept}
    assert taken == {q2, f"Officer: {second.name}", "Officer: Chief New Officer"}
    assert kept == {q3, f"Officer: {third.name}"}
    sharing.merge_file(district, did, r2, form=form)
    merged = district.load_assessment(did)
    assert len(district.list_assessments()) == count, "one copy: the district's work not split"
    assert (merged.answers[q1].note, merged.answers[q2].note, merged.answers[q3].note) == (
        "district, round 1", "chief, round 2", "district, after sending back")
    names = [o.name for o in merged.officers]
    assert names.count("District Officer") == 1 and names.count("Chief New Officer") == 1
    assert len(names) == len(set(names))
    notes = {o.name: o.note for o in merged.officers}
    assert notes[first.name] == "district's note" and notes[second.name] == "chief's round-2 note"
    assert notes[third.name] == "district's later note"
    assert sharing.link_of(district, did)["round"] == 2
    with pytest.raises(ImportRefused, match="already in this assessment"):
        sharing.preview(district, did, r2)

    # the district sends round 2 back; the chief gets only what the district changed since
    back2 = sharing.write_exchange(district, did, tmp / "back2.x", party=Owner.DISTRICT, name="D")
    seen = sharing.preview(chief, cid, back2, form)
    changed = {d.label if d.kind != "answers" else d.key for d in seen.plan.differences}
    assert changed == {q3, f"Officer: {third.name}"}
    sharing.merge_file(chief, cid, back2, form=form)
    names = [o.name for o in chief.load_assessment(cid).officers]
    assert len(names) == len(set(names)) and "District Officer" in names


def _three_status(form):
    qs = [q.id for q in form.questions if q.type.value == "status" and not q.show_if
          and not q.observation]
    return qs[0], qs[1], qs[2]


def test_the_command_line_points_the_next_round_to_merge(tmp_path, capsys):
    from nasro_desktop.cli import main

    chief_dir, district_dir = tmp_path / "chief", tmp_path / "district"
    with Store.open(chief_dir) as chief:
        cid = chief.create_assessment(sample_assessment()).id
    r1, r2 = tmp_path / "r1.nasro-share", tmp_path / "r2.nasro-share"
    assert main(["share", str(cid), "--out", str(r1), "--data-dir", str(chief_dir)]) == 0
    assert main(["open-shared", str(r1), "--data-dir", str(district_dir)]) == 0
    with Store.open(chief_dir) as chief:
        chief.save_answer(cid, Answer("mou.exists", "yes", note="round 2"))
    assert main(["share", str(cid), "--out", str(r2), "--data-dir", str(chief_dir)]) == 0
    capsys.readouterr()
    assert main(["open-shared", str(r2), "--data-dir", str(district_dir)]) == 1
    err = capsys.readouterr().err
    with Store.open(district_dir) as district:
        [summary] = district.list_assessments()
    assert f"nasro-desktop merge {summary.id}" in err and "--separate" in err
    assert main(["merge", str(summary.id), str(r2), "--dry-run", "--data-dir",
                 str(district_dir)]) == 0
    assert "take  " in capsys.readouterr().out
    assert main(["merge", str(summary.id), str(r2), "--data-dir", str(district_dir)]) == 0
    with Store.open(district_dir) as district:
        [again] = district.list_assessments()
        assert district.load_assessment(again.id).answers["mou.exists"].note == "round 2"
    assert main(["open-shared", str(r2), "--separate", "--data-dir", str(district_dir)]) == 1
    assert "already open here" in capsys.readouterr().err


QIDS = ["admin.sro.sworn", "admin.sro.trained", "mou.agreement.goals", "mou.hours.expected",
        "sel.process.clear", "train.policies.ferpa"]


def _side_edits():
    from hypothesis import strategies as st

    answer = st.tuples(st.sampled_from(["met", "partly", "not_met"]),
                       st.sampled_from(["", "x", "y"]))
    return st.fixed_dictionaries({
        "answers": st.dictionaries(st.sampled_from(QIDS), answer, max_size=len(QIDS)),
        "notes": st.dictionaries(st.integers(0, 2), st.sampled_from(["p", "q"]), max_size=3),
        "added": st.booleans(),
    })


@pytest.mark.slow  # generates examples (hypothesis), each on two real data folders
def test_merging_real_copies_is_never_lossy_and_twice_changes_nothing():
    """The done-when property on two real data folders: every answer and officer change of
    either side is in the result or in the list of what the user chose to set aside, and
    merging the same file again changes nothing."""
    import tempfile
    from pathlib import Path

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
    @given(ours=_side_edits(), theirs=_side_edits(),
           pick=st.dictionaries(st.sampled_from(QIDS + ["officers"]),
                                st.sampled_from(list(Side))))
    def check(ours, theirs, pick):
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder)
            with Store.open(tmp / "c") as chief, Store.open(tmp / "d") as district:
                cid = chief.create_assessment(sample_assessment()).id
                shared = sharing.write_exchange(chief, cid, tmp / "s.x", party=Owner.AGENCY,
                                                name="C")
                did = sharing.open_shared(district, shared, party=Owner.DISTRICT)
                for store, aid, edits, who in ((chief, cid, ours, "ours"),
                                               (district, did, theirs, "theirs")):
                    for qid, (value, note) in edits["answers"].items():
                        store.save_answer(aid, Answer(qid, value, note=note))
                    officers = store.load_assessment(aid).officers
                    for place, note in edits["notes"].items():
                        officers[place].note = note
                        store.save_officer(aid, officers[place])
                    if edits["added"]:
                        store.save_officer(aid, Officer(name=f"Added by {who}"))
                back = sharing.write_exchange(district, did, tmp / "b.x", party=Owner.DISTRICT,
                                              name="D")
                seen = sharing.preview(chief, cid, back)
                choices = {}
                for d in seen.plan.conflicts:
                    side = pick.get(d.key if d.kind == "answers" else d.kind, Side.OURS)
                    choices[d.ident] = side
                _seen, outcome = sharing.merge_file(chief, cid, back, choices=choices)
                merged = chief.load_assessment(cid)
                set_aside = {(d.kind, d.key, side) for d, side in outcome.replaced}
                for edits, side, copy in ((ours, Side.OURS, seen.ours),
                                          (theirs, Side.THEIRS, seen.theirs)):
                    for qid, (value, note) in edits["answers"].items():
                        got = merged.answers[qid]
                        assert (got.value, got.note) == (value, note) or \
                            ("answers", qid, side) in set_aside, (qid, side)
                    for key, row in copy["officers"].items():
                        kept = [o for o in merged.officers if o.name == row["name"]
                                and (o.note or "") == (row["note"] or "")]
                        assert kept or ("officers", key, side) in set_aside, (key, side)
                names = [o.name for o in merged.officers]
                assert len(names) == len(set(names)), "no officer twice"
                # the same file again: nothing to merge, and merging it changes nothing
                digest = sharing.content_digest(exchange.assessment_payload(merged))
                again = sharing.preview(chief, cid, back)
                assert not again.plan.changes_anything and not again.new_evidence
                sharing.merge_file(chief, cid, back)
                assert sharing.content_digest(
                    exchange.assessment_payload(chief.load_assessment(cid))) == digest

    check()


def test_a_shared_file_with_a_name_twice_or_a_pipe_is_refused_plainly(two_sides):
    """As an export is: text hidden in a repeated name (the last one wins, so the checksum
    would pass) is refused, and a pipe in a file's place is refused at once, never read."""
    import os

    chief, district, tmp = two_sides
    cid = chief.create_assessment(sample_assessment()).id
    shared = sharing.write_exchange(chief, cid, tmp / "s.nasro-share", party=Owner.AGENCY,
                                    name="C")
    doubled = tmp / "doubled.nasro-share"
    doubled.write_text(shared.read_text(encoding="utf-8").replace(
        '"title": ', '"title": "hidden text",\n "title": ', 1), encoding="utf-8")
    with pytest.raises(ImportRefused, match="can't be opened as a shared") as refused:
        sharing.open_shared(district, doubled, party=Owner.DISTRICT)
    assert "appears twice" in str(refused.value)
    if hasattr(os, "mkfifo"):
        pipe = tmp / "pipe.nasro-share"
        os.mkfifo(pipe)
        with pytest.raises(ImportRefused, match="not an ordinary file"):
            sharing.open_shared(district, pipe, party=Owner.DISTRICT)
    assert district.list_assessments() == []
