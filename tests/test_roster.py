"""Roster import, the reading and checking half (store/roster.py): every format read with the
app's own readers, columns guessed from headers, each bad cell named, re-imports matched, and
hostile files refused or reported row by row with nothing saved."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest
from openpyxl import Workbook

from nasro_desktop.domain.links import officer_school_names
from nasro_desktop.domain.model import Officer, School
from nasro_desktop.store import StoreError
from nasro_desktop.store.roster import MAX_BYTES, MAX_ROWS, guess_mapping, plan, read_table

AS_OF = date(2026, 9, 15)
HEADER = ["Officer name", "Badge school", "Sworn", "Basic course", "Last annual training",
          "Probation review", "Notes"]


def roster(n: int = 60) -> list[list[str]]:
    return [[f"Officer {k:03d}", f"School {k % 7 + 1}; School {k % 3 + 1}",
             f"{k % 12 + 1}/{k % 27 + 1}/20{10 + k % 12}", f"06/{k % 28 + 1:02d}/2024",
             f"2026-0{k % 8 + 1}-15", ["yes", "no", ""][k % 3], "" if k % 5 else f"note {k}"]
            for k in range(1, n + 1)]


def write(tmp_path, name: str, rows: list[list[str]], header=HEADER, delimiter=","):
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text(json.dumps([dict(zip(header, r, strict=True)) for r in rows]),
                        encoding="utf-8")
    elif name.endswith(".xlsx"):
        book = Workbook()
        sheet = book.active
        sheet.append(header)
        for r in rows:
            sheet.append(r)
        book.save(path)
    else:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, delimiter=delimiter or ",").writerows([header, *rows])
    return path


@pytest.mark.parametrize("name,delimiter", [("r.csv", ","), ("r.tsv", "\t"), ("r.json", ""),
                                            ("r.xlsx", ""), ("r.txt", ";")])
def test_sixty_officers_from_every_format(tmp_path, name, delimiter):
    rows = roster()
    path = write(tmp_path, name, rows, delimiter=delimiter)
    table = read_table(path)
    mapping = guess_mapping(table.headers, "officers")
    assert mapping == ["name", "", "sworn_date", "basic_course_date", "last_annual_training",
                       "probation_review_with_school", "note"]
    mapping[1] = "schools"  # "Badge school" is not a guess the app makes: the user picks it
    p = plan(table, mapping, "officers", [], AS_OF)
    assert p.problems == [] and p.new == 60 and p.updates == 0 and p.ready
    for row, raw in zip(p.rows, rows, strict=True):
        o = row.item
        assert o.name == raw[0]
        assert officer_school_names(o) == list(dict.fromkeys(s.strip() for s in raw[1].split(";")))
        month, day, year = (int(x) for x in raw[2].split("/"))
        assert o.sworn_date == date(year, month, day)
        assert o.basic_course_date == date(2024, 6, int(raw[3].split("/")[1]))
        assert o.last_annual_training == date.fromisoformat(raw[4])
        assert o.probation_review_with_school == {"yes": True, "no": False, "": None}[raw[5]]
        assert o.note == raw[6]


def test_a_day_first_date_is_named_by_row_and_column(tmp_path):
    rows = roster(8)
    rows[5][3] = "15/03/2024"  # row 7 of the file (the header is row 1)
    table = read_table(write(tmp_path, "r.csv", rows))
    p = plan(table, guess_mapping(table.headers, "officers"), "officers", [], AS_OF)
    assert p.problems == ["row 7, Basic course: 15/03/2024 is not a date: 15 is not a month. "
                          "Dates are written month first: MM/DD/YYYY, e.g. 03/15/2015 for "
                          "March 15, 2015."]
    assert not p.ready and p.rows[5].action == "Problem"


def test_reimport_updates_by_name_and_sworn_date_and_by_the_app_s_id(tmp_path):
    existing = [Officer(id=7, name="Officer 001", sworn_date=date(2011, 2, 2),
                        note="kept"),
                Officer(id=8, name="Someone Else", sworn_date=date(2012, 1, 1))]
    table = read_table(write(tmp_path, "r.csv", roster(3)))
    p = plan(table, guess_mapping(table.headers, "officers"), "officers", existing, AS_OF)
    assert [r.action for r in p.rows] == ["Update", "New", "New"]
    assert p.rows[0].match is existing[0] and p.rows[0].item.id == 7
    # the app's own export: the ID column wins, even over a changed name
    path = write(tmp_path, "ids.csv", [["8", "Renamed Officer", "1/1/2012"]],
                 header=["ID", "Name", "Sworn date"])
    table = read_table(path)
    p = plan(table, guess_mapping(table.headers, "officers"), "officers", existing, AS_OF)
    assert p.rows[0].action == "Update" and p.rows[0].item.id == 8
    assert p.rows[0].item.name == "Renamed Officer"
    unknown = read_table(write(tmp_path, "bad-id.csv", [["99", "X"]], header=["ID", "Name"]))
    p = plan(unknown, ["id", "name"], "officers", existing, AS_OF)
    assert "no officer in this assessment has ID 99" in p.problems[0]


def test_the_app_s_own_workbook_sheet_reimports_as_updates(store, tmp_path):
    """Officers and Schools sheets of Save as spreadsheet come back with every column guessed
    and every row matched (nothing added twice)."""
    from export_fixtures import saved_sixty
    from openpyxl import load_workbook

    from nasro_desktop.session import form_for
    from nasro_desktop.store.workbook import export_xlsx

    a = saved_sixty(store)
    book_path = export_xlsx(a, form_for(a), tmp_path / "book.xlsx")
    for sheet, kind, existing in (("Officers", "officers", a.officers),
                                  ("Schools", "schools", a.schools)):
        book = load_workbook(book_path)
        for other in [s for s in book.sheetnames if s != sheet]:
            del book[other]
        single = tmp_path / f"{kind}.xlsx"
        book.save(single)
        table = read_table(single)
        mapping = guess_mapping(table.headers, kind)
        assert "id" in mapping and "name" in mapping
        p = plan(table, mapping, kind, existing, a.as_of)
        if kind == "officers":  # the formula-looking names of the fixture are problems here
            bad = {r.number for r in p.rows if r.problems}
            assert all("looks like a spreadsheet formula" in m for m in p.problems)
            assert len(bad) == sum(1 for o in existing if o.name[:1] in "=+-@\uff1d\uff0b\uff0d"
                                   "\uff20\ufe66\u2212\t\r\u00a0 \u200b")
            good = [r for r in p.rows if not r.problems]
        else:
            assert p.problems == []
            good = p.rows
        assert good and all(r.action == "Update" for r in good)
        for r in good:
            assert r.item.id == r.match.id
            assert (r.item.name, getattr(r.item, "sworn_date", None)) == \
                (r.match.name, getattr(r.match, "sworn_date", None))


@pytest.mark.parametrize("cell,problem", [
    ("=HYPERLINK(\"http://x\",\"x\")", "looks like a spreadsheet formula"),
    ("\uff1dSUM(A1)", "looks like a spreadsheet formula"),
    ("Dana \u202eziuR", "invisible characters that change the direction"),
    ("Dana\x07", "control characters"),
])
def test_hostile_text_is_named_per_row(tmp_path, cell, problem):
    rows = roster(4)
    rows[2][0] = cell
    table = read_table(write(tmp_path, "r.csv", rows))
    p = plan(table, guess_mapping(table.headers, "officers"), "officers", [], AS_OF)
    assert len(p.problems) == 1 and p.problems[0].startswith("row 4, Officer name: ")
    assert problem in p.problems[0] and "\u202e" not in p.problems[0] and "\x07" not in \
        p.problems[0]
    assert not p.ready


def test_wrong_types_and_duplicate_rows(tmp_path):
    path = write(tmp_path, "schools.csv", [
        ["Lincoln High", "lots", "2", "12.5"],
        ["Oak Elementary", "400", "two", "x"],
        ["Lincoln High", "900", "1", "3"],
        ["Pine Middle", "-5", "1", "3"],
    ], header=["School", "Enrollment", "Buildings", "Acres"])
    table = read_table(path)
    assert guess_mapping(table.headers, "schools") == ["name", "enrollment", "buildings",
                                                      "acreage"]
    p = plan(table, guess_mapping(table.headers, "schools"), "schools",
             [School(id=1, name="Oak Elementary")], AS_OF)
    assert p.problems == [
        "row 2, Enrollment: lots is not a whole number",
        "row 3, Buildings: two is not a whole number",
        "row 3, Acres: x is not a number",
        "row 4 repeats row 2 (the same name)",
        "row 5, Enrollment: -5 is out of range",
    ]
    assert not p.ready


def test_files_that_are_not_rosters_are_refused_plainly(tmp_path):
    pdf = tmp_path / "roster.csv"
    pdf.write_bytes(b"%PDF-1.4\x00\x01\x02 binary")
    with pytest.raises(StoreError, match="not a spreadsheet this app can read"):
        read_table(pdf)
    fake = tmp_path / "roster.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(StoreError, match="not an Excel workbook"):
        read_table(fake)
    huge = tmp_path / "huge.csv"
    with open(huge, "wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(StoreError, match="too large for a roster"):
        read_table(huge)
    many = write(tmp_path, "many.csv", roster(MAX_ROWS + 5))
    with pytest.raises(StoreError, match="more than 1,000 rows"):
        read_table(many)
    with pytest.raises(StoreError, match="not a file"):
        read_table(tmp_path)
    header_only = tmp_path / "h.csv"
    header_only.write_text("Name,Sworn\n", encoding="utf-8")
    with pytest.raises(StoreError, match="no rows"):
        read_table(header_only)
    not_rows = tmp_path / "r.json"
    not_rows.write_text('[1, 2, {"name": "x"}]', encoding="utf-8")
    with pytest.raises(StoreError, match="JSON but not a list of rows"):
        read_table(not_rows)


def test_a_workbook_that_inflates_too_far_is_refused_before_it_is_read(tmp_path):
    import zipfile

    bomb = tmp_path / "roster.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b" " * 60_000_000)  # ~60 KB on disk
    assert bomb.stat().st_size < MAX_BYTES
    with pytest.raises(StoreError, match="too large for a roster once opened"):
        read_table(bomb)


def test_a_windows_excel_csv_in_its_code_page_is_read(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes("Name,Sworn\nZoë Nguyễn,3/1/2015\nJosé Ramírez,4/1/2016\n"
                     .replace("ễ", "e").encode("cp1252"))
    table = read_table(path)
    p = plan(table, guess_mapping(table.headers, "officers"), "officers", [], AS_OF)
    assert [r.item.name for r in p.rows] == ["Zoë Nguyen", "José Ramírez"]
