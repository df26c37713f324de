"""Save as spreadsheet (workbook): the .xlsx opened with openpyxl, every row of every sheet
checked against the saved assessment and the engine's results, for the sample and 60
officers; real dates and numbers, frozen headers, filters, widths that fit, no formula."""

from __future__ import annotations

from datetime import UTC, date, datetime

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
from openpyxl import load_workbook

from nasro_desktop.cli import main
from nasro_desktop.session import form_for
from nasro_desktop.store import StoreError
from nasro_desktop.store.workbook import export_xlsx, ooxml_text

SHEETS = ["Summary", "Standards", "Action plan", "Officers", "Schools", "Answers",
          "Evidence register"]


def in_sheet(value):
    """What a cell must hold for a value: dates as datetimes, yes/no in words, UTC times."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return value


def same(want, got) -> bool:
    want = in_sheet(want)
    if isinstance(want, datetime) and isinstance(got, datetime):
        return abs((want - got).total_seconds()) < 0.002
    return want == got


def rows_of(sheet) -> list[dict]:
    """The rows as Excel shows them (openpyxl leaves the file's _x000D_ escapes undecoded)."""
    values = [[ooxml_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def check_workbook(path, assessment, evidence) -> None:
    form, readiness = judged(assessment, evidence)
    book = load_workbook(path)  # not read-only: frozen panes, filters and widths are read too
    assert book.sheetnames == SHEETS
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", (sheet.title, c.coordinate, c.value)
                if isinstance(c.value, str) and c.value.lstrip()[:1] in "=+-@＝":
                    assert c.data_type == "s"
        for letter, dimension in sheet.column_dimensions.items():
            assert 8 <= dimension.width <= 61, (sheet.title, letter, dimension.width)

    plan = rows_of(book["Action plan"])
    want = expected_plan(assessment, readiness)
    assert len(plan) == len(want)
    for row, exp in zip(plan, want, strict=True):
        assert row["Rank"] == exp["rank"] and row["Standard"] == exp["standard"]
        assert row["Next step"] == exp["next_step"] and row["Party"] == exp["party"]
        assert same(exp["target_date"], row["Target date"]) and row["Status"] == exp["status"]
        assert row["Late"] == ("LATE" if exp["late"] else None)
        assert same(exp["note"], row["Note"])

    for sheet, want_rows in (("Officers", expected_officers(assessment, readiness)),
                             ("Schools", expected_schools(assessment))):
        got = rows_of(book[sheet])
        assert len(got) == len(want_rows) == len(getattr(assessment, sheet.lower()))
        for row, exp in zip(got, want_rows, strict=True):
            assert len(row) == len(exp)
            for value, wanted in zip(row.values(), exp.values(), strict=True):
                assert same(wanted, value), (sheet, exp["name"], wanted, value)

    answers = rows_of(book["Answers"])
    want_answers = expected_answers(assessment, form)
    assert len(answers) == len(want_answers)
    for row, exp in zip(answers, want_answers, strict=True):
        assert row["Question ID"] == exp["question_id"] and row["Question"] == exp["question"]
        for title, key in (("Answer", "answer"), ("Note", "note"),
                           ("Reason (Not applicable / Met another way)", "reason"),
                           ("Marked for review", "flagged"), ("To re-confirm", "reconfirm"),
                           ("Saved (UTC)", "saved")):
            assert same(exp[key], row[title]), (exp["question_id"], title)

    standards = rows_of(book["Standards"])
    want_standards = expected_standards(readiness)
    assert len(standards) == len(want_standards)
    for row, exp in zip(standards, want_standards, strict=True):
        assert (row["Standard"], row["Standard title"], row["Class"], row["Status"]) == \
            (exp["standard"], exp["title"], exp["class"], exp["status"])
        assert (row["Questions answered"], row["Questions"]) == (exp["answered"],
                                                                 exp["questions"])
        for detail in exp["findings"]:
            assert detail in row["Findings"]

    summary = {r["Item"]: r["Value"] for r in rows_of(book["Summary"])}
    assert summary["Verdict"] == readiness.verdict.label
    assert summary["Assessment date"] == in_sheet(readiness.as_of)
    assert summary["Mandatory standards met"] == readiness.mandatory_met
    assert summary["Mandatory standards that apply"] == readiness.mandatory_total
    assert summary["Standards not met (action plan rows)"] == len(readiness.gaps)
    assert summary["Officers"] == len(assessment.officers)
    assert summary["Title"] == assessment.title
    from nasro_desktop.domain.fingerprint import fingerprint
    # the code covers the evidence records too (issue 20 §5)
    assert summary["Data fingerprint"] == readiness.fingerprint == fingerprint(
        assessment, readiness.as_of, evidence)

    register = rows_of(book["Evidence register"])
    want_evidence = expected_evidence(list(evidence))
    assert len(register) == len(want_evidence)
    for row, exp in zip(register, want_evidence, strict=True):
        assert row["File"] == exp["file_name"] and row["Media type"] == exp["media_type"]
        assert row["Size (bytes)"] == exp["size"] and row["SHA-256"] == exp["sha256"]
        assert same(exp["added"], row["Added (UTC)"])
        assert same(exp["valid_until"], row["Valid until"])
        assert same(exp["description"], row["Description"])


@pytest.mark.parametrize("build", [saved_sample, saved_sixty])
def test_every_row_of_every_sheet(store, tmp_path, build):
    assessment = build(store)
    evidence = hostile_evidence(assessment)
    dest = export_xlsx(assessment, form_for(assessment), tmp_path / "book.xlsx", evidence)
    check_workbook(dest, assessment, evidence)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_dates_and_numbers_are_real_and_formulas_stay_text(store, tmp_path):
    assessment = saved_sixty(store)
    dest = export_xlsx(assessment, form_for(assessment), tmp_path / "book.xlsx")
    book = load_workbook(dest)
    officers = book["Officers"]
    sworn = officers["D2"]
    assert sworn.is_date and sworn.number_format == "yyyy-mm-dd"
    enrollment = book["Schools"]["C2"]
    assert enrollment.data_type == "n" and isinstance(enrollment.value, int)
    texts = {c.value for row in book["Officers"].iter_rows() for c in row
             if isinstance(c.value, str)}
    texts |= {c.value for row in book["Answers"].iter_rows() for c in row
              if isinstance(c.value, str)}
    shown = [f for f in FORMULAS if any(t.startswith(f) for t in texts)]
    assert len(shown) >= 5  # the formulas are there, word for word, as text
    widths = book["Answers"].column_dimensions
    assert 60 <= widths["E"].width < 61  # the question column: wide, wrapping
    assert widths["D"].width < 60  # the question id: as wide as the longest id


def test_refuses_a_folder_and_a_missing_folder_plainly(store, tmp_path):
    assessment = saved_sample(store)
    with pytest.raises(StoreError, match="is a folder"):
        export_xlsx(assessment, form_for(assessment), tmp_path)
    with pytest.raises(StoreError, match="does not exist"):
        export_xlsx(assessment, form_for(assessment), tmp_path / "no" / "book.xlsx")


def test_cli_export_xlsx(store, data_dir, tmp_path, capsys):
    saved = saved_sixty(store)
    dest = tmp_path / "district.xlsx"
    args = ["--data-dir", str(data_dir), "export", str(saved.id), "--xlsx", str(dest)]
    assert main(args) == 0
    assert "checked after writing" in capsys.readouterr().out
    check_workbook(dest, saved, [])
    before = dest.read_bytes()
    assert main(args) == 1  # an existing file is kept unless --force
    err = capsys.readouterr().err
    assert "already exists" in err and "--force" in err
    assert dest.read_bytes() == before
    assert main(args + ["--force"]) == 0
