"""Save as spreadsheet: CSV files read back with Python's csv module hold the same values."""

from __future__ import annotations

import csv
import dataclasses
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from nasro_desktop.cli import main
from nasro_desktop.domain.model import ActionItem, Answer, AnswerType, Officer, School
from nasro_desktop.session import Session, form_for
from nasro_desktop.store import StoreError
from nasro_desktop.store.spreadsheet import (
    ACTION_HEADER,
    ANSWER_HEADER,
    OFFICER_HEADER,
    SCHOOL_HEADER,
    export_csv,
)


def _read(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def saved(store):
    """The sample with a few awkward values: accents, commas, quotes, new lines, a formula."""
    session = Session.open_sample(store)
    aid = session.assessment_id
    store.save_officer(aid, Officer(name="Nguyễn Văn An", school="Lincoln, East",
                                    sworn_date=date(2015, 3, 1), years_experience=11,
                                    probation_review_with_school=True,
                                    note='Says "hello"\nsecond line'))
    store.save_school(aid, School(name="Zoë's Academy", enrollment=812, acreage=12.5,
                                  note="=HYPERLINK(\"http://x\")"))
    store.save_action_item(aid, ActionItem(standard_id="01.01.04", next_step="Renew the MOU",
                                           target_date=date(2027, 1, 31), note="-2 weeks late"))
    store.save_answer(aid, Answer("admin.sro.full_time_officer", "met",
                                  note="Checked with Łukasz, HR", flagged=True))
    return store.load_assessment(aid)


def test_four_files_hold_the_same_values(saved, tmp_path):
    form = form_for(saved)
    written = export_csv(saved, form, tmp_path / "out")
    names = sorted(p.name for p in written)
    assert names == sorted(f"assessment-{saved.id}-{k}.csv"
                           for k in ("answers", "officers", "schools", "action-items"))
    by_kind = {p.name.split("-", 2)[2][:-4]: p for p in written}

    officers = _read(by_kind["officers"])
    assert list(officers[0]) == OFFICER_HEADER
    assert [o["Name"] for o in officers] == [o.name for o in saved.officers]
    an = next(o for o in officers if o["Name"] == "Nguyễn Văn An")
    assert an["School"] == "Lincoln, East" and an["Sworn date"] == "2015-03-01"
    assert an["Years of experience"] == "11" and an["Probation review with the school"] == "Yes"
    assert an["Note"] == 'Says "hello"\nsecond line'
    assert an["Basic SRO course"] == ""

    schools = _read(by_kind["schools"])
    assert list(schools[0]) == SCHOOL_HEADER
    zoe = next(s for s in schools if s["Name"] == "Zoë's Academy")
    assert zoe["Enrollment"] == "812" and zoe["Acreage"] == "12.5" and zoe["Buildings"] == ""
    assert zoe["Note"] == "'=HYPERLINK(\"http://x\")"  # shown as text, never run as a formula
    assert len(schools) == len(saved.schools)

    items = _read(by_kind["action-items"])
    assert list(items[0]) == ACTION_HEADER
    assert len(items) == len(saved.action_items)
    renew = next(i for i in items if i["Next step"] == "Renew the MOU")
    assert renew["Standard"] == "01.01.04" and renew["Target date"] == "2027-01-31"
    assert renew["Standard title"] == form.standard("01.01.04").title
    assert renew["Status"] == "Not started" and renew["Who"] == "Agency and district"
    assert renew["Note"] == "'-2 weeks late"

    answers = _read(by_kind["answers"])
    assert list(answers[0]) == ANSWER_HEADER
    rows = {a["Question ID"]: a for a in answers}
    asked = [q for q in form.questions
             if q.type not in (AnswerType.OFFICERS, AnswerType.SCHOOLS)]
    assert [a["Question ID"] for a in answers][:len(asked)] == [q.id for q in asked]
    row = rows["admin.sro.full_time_officer"]
    assert row["Answer"] == "Yes" and row["Note"] == "Checked with Łukasz, HR"
    assert row["Marked for review"] == "Yes" and row["To re-confirm"] == "No"
    assert row["Question"] == form.question("admin.sro.full_time_officer").text
    for qid, answer in saved.answers.items():  # every saved note and reason is there
        assert rows[qid]["Note"].lstrip("'") == answer.note
        assert rows[qid]["Reason (Not applicable / Met another way)"].lstrip("'") == \
            answer.na_reason
    for q in asked:
        if q.id not in saved.answers:
            assert rows[q.id]["Answer"] == "" and rows[q.id]["Saved (UTC)"] == ""


def test_answers_to_retired_questions_are_kept(saved, tmp_path):
    kept = dataclasses.replace(saved, answers={
        **saved.answers, "old.retired": Answer("old.retired", "met", note="from 2024")})
    [answers, *_] = export_csv(kept, form_for(saved), tmp_path)
    row = next(r for r in _read(answers) if r["Question ID"] == "old.retired")
    assert row["Answer"] == "met" and row["Note"] == "from 2024"
    assert "not in this version" in row["Question"]


def test_refuses_a_file_or_a_missing_parent_plainly(saved, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="is a file, not a folder"):
        export_csv(saved, form_for(saved), blocker)
    with pytest.raises(StoreError, match="does not exist"):
        export_csv(saved, form_for(saved), tmp_path / "no" / "such")


def test_read_only_folder_says_what_to_do(saved, tmp_path):
    """A folder that really cannot be written (as root, permissions do not stop writes:
    the immutable attribute does)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() == 0:
        if not shutil.which("chattr") or subprocess.run(
                ["chattr", "+i", str(folder)], capture_output=True).returncode:
            pytest.skip("chattr +i is not available on this file system")
        undo = ["chattr", "-i", str(folder)]
    else:
        folder.chmod(0o500)
        undo = ["chmod", "700", str(folder)]
    try:
        with pytest.raises(StoreError, match="Could not write the spreadsheet files"):
            export_csv(saved, form_for(saved), folder)
    finally:
        subprocess.run(undo, check=True)
    assert list(folder.iterdir()) == []


def test_cli_export_csv(saved, data_dir, tmp_path, capsys):
    saved_id = saved.id
    out = tmp_path / "for IT"
    assert main(["--data-dir", str(data_dir), "export", str(saved_id), "--csv", str(out)]) == 0
    text = capsys.readouterr().out
    assert "5 spreadsheet files" in text and "checked after writing" in text
    officers = _read(out / f"assessment-{saved_id}-officers.csv")
    assert "Nguyễn Văn An" in [o["Name"] for o in officers]
    assert main(["--data-dir", str(data_dir), "export", "999", "--csv", str(out)]) == 1
    assert "no assessment number 999" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # neither --out nor --csv: argparse says which to give
        main(["--data-dir", str(data_dir), "export", str(saved_id)])
    assert "one of the arguments --out --csv is required" in capsys.readouterr().err
