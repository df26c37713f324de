"""Save as spreadsheet (CSV): every row and every column of every file, read back with Python's
csv module, against the saved assessment and the engine's own results; every text cell a
spreadsheet could run is guarded."""

from __future__ import annotations

import csv
import dataclasses
import os
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from export_fixtures import (
    FORMULAS,
    expected_answers,
    expected_evidence,
    expected_officers,
    expected_plan,
    expected_schools,
    expected_standards,
    hostile_evidence,
    judged,
    saved_sample,
    saved_sixty,
)

from nasro_desktop.cli import main
from nasro_desktop.domain.model import Answer
from nasro_desktop.session import form_for
from nasro_desktop.store import StoreError
from nasro_desktop.store.spreadsheet import export_csv, runs_as_formula, text_cell

KINDS = ["summary", "standards", "action-plan", "officers", "schools", "answers", "evidence"]

# What a spreadsheet reads as the start of a formula, written out here on purpose (not taken
# from the code under test): after any of these leading characters, one of these first ones.
_LEADING = " \u00a0\u2007\u202f\u3000\u200b\u200e\u200f\ufeff"
_STARTS = "=+-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b\u2212"


def dangerous(text: str) -> bool:
    first = text.lstrip(_LEADING)[:1]
    return text[:1] in ("\t", "\r", "\n") or (first != "" and first in _STARTS)


def _read(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def as_csv(value) -> str:
    """What a CSV cell holds for a value, guarded where it must be."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    return "'" + value if dangerous(value) else value


def by_kind(written: list[Path]) -> dict[str, list[dict[str, str]]]:
    out = {}
    for path in written:
        kind = next(k for k in KINDS if path.name.endswith(f"-{k}.csv"))
        out[kind] = _read(path)
    return out


def check_every_cell(files: dict[str, list[dict[str, str]]], assessment, evidence) -> None:
    form, readiness = judged(assessment, evidence)
    plan = files["action-plan"]
    want = expected_plan(assessment, readiness)
    assert len(plan) == len(want) == len(readiness.gaps) + sum(
        1 for i, item in enumerate(assessment.action_items)
        if item.standard_id not in {g.standard.id for g in readiness.gaps}
        or any(o.standard_id == item.standard_id for o in assessment.action_items[:i]))
    for row, exp in zip(plan, want, strict=True):
        assert row["Rank"] == as_csv(exp["rank"])
        assert row["Standard"] == exp["standard"]
        assert row["Next step"] == as_csv(exp["next_step"])
        assert row["Party"] == exp["party"] and row["Status"] == exp["status"]
        assert row["Target date"] == as_csv(exp["target_date"])
        assert row["Late"] == ("LATE" if exp["late"] else "")
        assert row["Note"] == as_csv(exp["note"])

    officers = files["officers"]
    keys = ["ID", "Name", "Schools", "Sworn date", "Years of experience", "Assignment date",
            "Basic SRO course", "Advanced SRO course", "Last annual training",
            "Last rapid deployment training", "Probation ends",
            "Probation review with the school", "Training status", "Note"]
    assert len(officers) == len(assessment.officers)
    for row, exp in zip(officers, expected_officers(assessment, readiness), strict=True):
        assert list(row) == keys
        assert list(row.values()) == [as_csv(v) for v in exp.values()]

    schools = files["schools"]
    assert len(schools) == len(assessment.schools)
    for row, exp in zip(schools, expected_schools(assessment), strict=True):
        assert list(row.values()) == [as_csv(v) for v in exp.values()]

    answers = files["answers"]
    want_answers = expected_answers(assessment, form)
    assert len(answers) == len(want_answers)
    for row, exp in zip(answers, want_answers, strict=True):
        assert row["Question ID"] == exp["question_id"]
        assert row["Question"] == as_csv(exp["question"])
        assert row["Answer"] == as_csv(exp["answer"])
        assert row["Note"] == as_csv(exp["note"])
        assert row["Reason (Not applicable / Met another way)"] == as_csv(exp["reason"])
        assert row["Marked for review"] == as_csv(exp["flagged"])
        assert row["To re-confirm"] == as_csv(exp["reconfirm"])
        assert row["Saved (UTC)"] == as_csv(exp["saved"])
        assert row["Standard"] == exp["standard"]

    standards = files["standards"]
    want_standards = expected_standards(readiness)
    assert len(standards) == len(want_standards)
    for row, exp in zip(standards, want_standards, strict=True):
        assert row["Standard"] == exp["standard"] and row["Status"] == exp["status"]
        assert row["Class"] == exp["class"] and row["Standard title"] == exp["title"]
        assert row["Questions answered"] == str(exp["answered"])
        assert row["Questions"] == str(exp["questions"])
        for detail in exp["findings"]:
            assert detail in row["Findings"]

    summary = {r["Item"]: r["Value"] for r in files["summary"]}
    assert summary["Verdict"] == readiness.verdict.label
    assert summary["Assessment date"] == readiness.as_of.isoformat()
    assert summary["Mandatory standards met"] == str(readiness.mandatory_met)
    assert summary["Standards not met (action plan rows)"] == str(len(readiness.gaps))
    assert summary["Title"] == as_csv(assessment.title)
    assert summary["Officers"] == str(len(assessment.officers))

    register = files["evidence"]
    want_evidence = expected_evidence(list(evidence))
    assert len(register) == len(want_evidence)
    for row, exp in zip(register, want_evidence, strict=True):
        assert row["File"] == exp["file_name"] and row["Description"] == as_csv(exp["description"])
        assert row["Media type"] == as_csv(exp["media_type"])
        assert row["Size (bytes)"] == str(exp["size"]) and row["SHA-256"] == exp["sha256"]
        assert row["Added (UTC)"] == as_csv(exp["added"])
        assert row["Valid until"] == as_csv(exp["valid_until"])

    for rows in files.values():  # no cell a spreadsheet would run, in any file
        for row in rows:
            for value in row.values():
                assert not dangerous(value), value


@pytest.mark.parametrize("build", [saved_sample, saved_sixty])
def test_every_row_and_column_of_every_file(store, tmp_path, build):
    assessment = build(store)
    evidence = hostile_evidence(assessment)
    written = export_csv(assessment, form_for(assessment), tmp_path / "out", evidence)
    assert len(written) == len(KINDS)
    check_every_cell(by_kind(written), assessment, evidence)


def test_the_sample_s_plan_and_sros_as_the_window_shows_them(store, tmp_path):
    """Issue 22: the action-items file held 1 of 18 rows and "SROs assigned" was empty."""
    assessment = saved_sample(store)
    _, readiness = judged(assessment)
    files = by_kind(export_csv(assessment, form_for(assessment), tmp_path))
    assert len(readiness.gaps) > 10
    assert [r["Standard"] for r in files["action-plan"][:len(readiness.gaps)]] == \
        [g.standard.number for g in readiness.gaps]
    sros = {r["Name"]: r["SROs assigned"] for r in files["schools"]}
    assert sros["Pine Ridge High School"] == "1" and sros["Lakeview Elementary School"] == "1"
    assert sros["Zoë's Academy"] == "0"


def test_file_names_say_which_assessment(store, tmp_path):
    assessment = saved_sample(store)
    out = tmp_path / "out"
    written = export_csv(assessment, form_for(assessment), out)
    for path in written:
        assert path.name.startswith(f"assessment-{assessment.id}-pine-ridge-sro-program")
        assert assessment.as_of.isoformat() in path.name
    other = dataclasses.replace(assessment, id=assessment.id + 1, title="Zoë: 2027/28 <copy>")
    names = [p.name for p in export_csv(other, form_for(other), out)]
    assert names[0] == f"assessment-{other.id}-zoë-2027-28-copy-{other.as_of}-summary.csv"
    assert len(list(out.iterdir())) == 2 * len(KINDS)  # nothing overwritten


@pytest.mark.parametrize("text", FORMULAS)
def test_every_formula_form_is_guarded(text):
    assert runs_as_formula(text) and dangerous(text)
    assert text_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["", "Officer 3", "3 weeks", "a=b", "O'Hara", "(555) 123",
                                  "\u00a0plain", "'quoted"])
def test_plain_text_is_unchanged(text):
    assert not runs_as_formula(text)
    assert text_cell(text) == text


def test_answers_to_retired_questions_are_kept(store, tmp_path):
    saved = saved_sample(store)
    kept = dataclasses.replace(saved, answers={
        **saved.answers, "old.retired": Answer("old.retired", "met", note="from 2024")})
    files = by_kind(export_csv(kept, form_for(saved), tmp_path))
    row = next(r for r in files["answers"] if r["Question ID"] == "old.retired")
    assert row["Answer"] == "met" and row["Note"] == "from 2024"
    assert "not in this version" in row["Question"]


def test_refuses_a_file_or_a_missing_parent_plainly(store, tmp_path):
    saved = saved_sample(store)
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="is a file, not a folder"):
        export_csv(saved, form_for(saved), blocker)
    with pytest.raises(StoreError, match="does not exist"):
        export_csv(saved, form_for(saved), tmp_path / "no" / "such")


def test_read_only_folder_says_what_to_do(store, tmp_path):
    """A folder that really cannot be written (as root, permissions do not stop writes:
    the immutable attribute does)."""
    saved = saved_sample(store)
    folder = tmp_path / "ro"
    folder.mkdir()
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # (Windows has no geteuid)
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


def test_cli_export_csv(store, data_dir, tmp_path, capsys):
    """`export ID --csv DIR`: the same files, every cell, with the saved evidence list."""
    saved = saved_sixty(store)
    out = tmp_path / "for IT"
    assert main(["--data-dir", str(data_dir), "export", str(saved.id), "--csv", str(out)]) == 0
    text = capsys.readouterr().out
    assert f"{len(KINDS)} spreadsheet files" in text and "checked after writing" in text
    check_every_cell(by_kind(sorted(out.iterdir())), saved, [])
    assert main(["--data-dir", str(data_dir), "export", "999", "--csv", str(out)]) == 1
    assert "no assessment number 999" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_runs_no_formula_from_the_files(store, tmp_path):
    """LibreOffice opens each file (CSV import with its defaults) and makes no formula cell;
    the same text unguarded does become one, so the check can fail."""
    from openpyxl import load_workbook

    assessment = saved_sixty(store)
    out = tmp_path / "csv"
    written = export_csv(assessment, form_for(assessment), out, hostile_evidence(assessment))
    control = out / "control.csv"
    control.write_text("x\n=1+1\n", encoding="utf-8")
    converted = tmp_path / "converted"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--headless", "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx",
                    "--outdir", str(converted), *map(str, [*written, control])],
                   check=True, capture_output=True, timeout=300)

    def formulas(path: Path) -> list[str]:
        book = load_workbook(path)
        return [c.coordinate for ws in book for row in ws.iter_rows() for c in row
                if c.data_type == "f"]

    assert formulas(converted / "control.xlsx") == ["A2"]
    for path in written:
        assert formulas(converted / path.with_suffix(".xlsx").name) == [], path.name


def test_cli_export_needs_one_target(store, data_dir, capsys):
    saved = saved_sample(store)
    with pytest.raises(SystemExit) as exit_:  # argparse says which to give; a usage error: 2
        main(["--data-dir", str(data_dir), "export", str(saved.id)])
    assert exit_.value.code == 2
    assert "one of the arguments --out --csv --xlsx --sqlite is required" in capsys.readouterr().err


def test_cli_export_csv_keeps_existing_files_unless_forced(store, data_dir, tmp_path, capsys):
    saved = saved_sample(store)
    args = ["--data-dir", str(data_dir), "export", str(saved.id), "--csv", str(tmp_path / "o")]
    assert main(args) == 0
    first = sorted(tmp_path.joinpath("o").iterdir())
    stamp = [p.stat().st_mtime_ns for p in first]
    assert main(args) == 1
    assert "already exists" in capsys.readouterr().err
    assert [p.stat().st_mtime_ns for p in first] == stamp
    assert main(args + ["--force"]) == 0
