"""Spreadsheets as people make them: a title above the headers, a forum id merged down its seats, a totals row at
the foot. Each is read as the plain table would be, with a warning naming the row or range, from a workbook saved
by openpyxl and from the same workbook saved again by LibreOffice Calc."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from mcn_map.loading.validate import check
from workbooks import sheets, write_csv_folder, write_xlsx

TITLE = "Northtown multi-agency meetings, mapping exercise October 2026"


def _people_made(path: Path) -> Path:
    """The little borough as a mapping exercise lays it out: two title rows above the forums' headers (the first
    merged across the columns), each forum id on members merged down its seats, and a totals row on members."""
    data = sheets()
    book = Workbook()
    book.remove(book.active)
    for name, rows in data.items():
        sheet = book.create_sheet(name)
        if name == "forums":
            sheet.append([TITLE])
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
            sheet.append(["Compiled by the partnership team"])
        for row in rows:
            sheet.append(row)
        if name == "members":
            _merge_repeats(sheet, len(rows))
            last = len(rows)  # sums as formulas: openpyxl stores no result, LibreOffice works it out when it saves
            sheet.append(["Total", None, None, None, None, f"=SUM(F2:F{last})", f"=SUM(G2:G{last})"])
    book.save(path)
    return path


def _merge_repeats(sheet, last_row: int) -> None:
    """Merge each run of one forum id down column A, blanking the repeats as Excel does when cells are merged."""
    start = 2
    for row in range(3, last_row + 2):
        if row > last_row or sheet.cell(row, 1).value != sheet.cell(start, 1).value:
            if row - 1 > start:
                sheet.merge_cells(start_row=start, start_column=1, end_row=row - 1, end_column=1)
            start = row


def _saved_by_libreoffice(source: Path, folder: Path) -> Path:
    """The workbook opened and saved again by LibreOffice Calc (headless), as a user of Calc would send it."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (libreoffice-calc-nogui) is needed: scripts/test.sh installs it"
    folder = folder.resolve()
    folder.mkdir()
    profile = f"-env:UserInstallation={(folder / 'profile').as_uri()}"  # its own profile: no clash with others
    subprocess.run([soffice, "--headless", profile, "--convert-to", "xlsx:Calc MS Excel 2007 XML",
                    "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=120)
    saved = folder / source.name
    with zipfile.ZipFile(saved) as archive:
        assert b"<Application>LibreOffice" in archive.read("docProps/app.xml")
    return saved


@pytest.fixture(scope="module")
def people_made(tmp_path_factory) -> dict[str, Path]:
    """The same people-made workbook as openpyxl wrote it and as LibreOffice saved it."""
    folder = tmp_path_factory.mktemp("shapes")
    written = _people_made(folder / "mapping.xlsx")
    return {"openpyxl": written, "libreoffice": _saved_by_libreoffice(written, folder / "calc")}


@pytest.fixture(scope="module")
def plain_landscape(tmp_path_factory):
    landscape, problems = check(write_xlsx(tmp_path_factory.mktemp("plain") / "plain.xlsx", sheets()))
    assert landscape is not None, problems
    return landscape


@pytest.mark.parametrize("saved_by", ["openpyxl", "libreoffice"])
def test_a_people_made_workbook_loads_as_the_plain_one(people_made, plain_landscape, saved_by):
    landscape, problems = check(people_made[saved_by])
    assert landscape is not None, [str(p) for p in problems if p.is_error]
    assert landscape.forums["forum_id"].tolist() == plain_landscape.forums["forum_id"].tolist()
    columns = ["forum_id", "agency_id", "post", "meetings_held", "meetings_attended"]
    seats = landscape.seats[columns].astype(str).values.tolist()
    assert seats == plain_landscape.seats[columns].astype(str).values.tolist()
    # The Excel rows still point at the cells a person would look at.
    assert landscape.forums["row"].tolist() == [4, 5, 6]
    assert landscape.seats["row"].tolist() == [2, 3, 4, 5, 6, 7]


@pytest.mark.parametrize("saved_by", ["openpyxl", "libreoffice"])
def test_each_reading_is_told(people_made, saved_by):
    _, problems = check(people_made[saved_by])
    said = [(p.sheet, p.row, p.message) for p in problems if p.severity == "warning"]
    header = [s for s in said if s[0] == "forums" and "headers were found in row 3" in s[2]]
    assert header and header[0][1] == 3
    merged = {s[2].split(" ")[1] for s in said if s[0] == "members" and "are merged" in s[2]}
    assert merged == {"A2:A3", "A4:A6"}  # board's two seats, marac's three: the title's merge above is not told
    totals = [s for s in said if s[0] == "members" and "totals row" in s[2]]
    assert [s[1] for s in totals] == [8]
    assert not any(TITLE in p.message or TITLE in p.fix for p in problems)


def test_libreoffice_worked_out_the_sums(people_made):
    """The LibreOffice copy's totals row holds numbers (the openpyxl copy's holds formulas with no result): both are
    recognised as a totals row."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(people_made["libreoffice"])).get_sheet_by_name("members").to_python()
    assert rows[-1][0] == "Total" and rows[-1][5] == sum(r[5] for r in rows[1:-1])


def test_a_title_row_in_a_csv_folder(tmp_path, plain_landscape):
    data = sheets()
    width = len(data["forums"][0])  # Excel pads every row of a CSV to the widest
    data["forums"] = [[TITLE] + [""] * (width - 1), [""] * width, *data["forums"]]
    landscape, problems = check(write_csv_folder(tmp_path / "csv", data))
    assert landscape is not None, [str(p) for p in problems if p.is_error]
    assert landscape.forums["forum_id"].tolist() == plain_landscape.forums["forum_id"].tolist()
    assert any("headers were found in row 3" in p.message for p in problems)


def test_a_title_line_in_a_csv_written_by_hand_is_read_too(tmp_path, plain_landscape):
    """Not padded as Excel pads it: the title line has one field, the table eleven."""
    data = sheets()
    data["forums"] = [[TITLE], *data["forums"]]
    landscape, problems = check(write_csv_folder(tmp_path / "csv", data))
    assert landscape is not None, [str(p) for p in problems if p.is_error]
    assert landscape.forums["forum_id"].tolist() == plain_landscape.forums["forum_id"].tolist()
    assert landscape.forums["row"].tolist() == [3, 4, 5]


def test_a_sheet_with_no_header_row_anywhere_still_says_what_is_missing(tmp_path):
    data = sheets()
    data["forums"] = [[TITLE]] + data["forums"][1:]  # the header row left out altogether
    _, problems = check(write_xlsx(tmp_path / "no-header.xlsx", data))
    assert any(p.is_error and p.sheet == "forums" and "required column 'forum_id' is missing" in p.message
               for p in problems)


@pytest.mark.parametrize("saved_by", ["openpyxl", "libreoffice"])
def test_an_autosum_row_with_no_label_is_left_out_too(tmp_path, plain_landscape, saved_by):
    data = sheets()
    data["members"].append([None, None, None, None, None, "=SUM(F2:F7)", "=SUM(G2:G7)"])
    workbook = write_xlsx(tmp_path / "autosum.xlsx", data)
    if saved_by == "libreoffice":  # openpyxl stores no result; Calc works the sums out as it saves
        workbook = _saved_by_libreoffice(workbook, tmp_path / "calc")
    landscape, problems = check(workbook)
    if saved_by == "openpyxl":  # no result stored: the row reads as blank, and is skipped as a trailing blank row
        assert landscape is not None and len(landscape.seats) == 6
        return
    assert landscape is not None, [str(p) for p in problems if p.is_error]
    assert len(landscape.seats) == 6
    assert [p.row for p in problems if "totals row" in p.message] == [8]


def test_a_row_of_numbers_that_are_not_the_sums_is_not_left_out(tmp_path):
    data = sheets()
    data["members"].append([None, None, None, None, None, 12, 4])  # not the columns' sums: an entry half typed in
    _, problems = check(write_xlsx(tmp_path / "entry.xlsx", data))
    assert not any("totals row" in p.message for p in problems)
    assert any(p.is_error and p.row == 8 and "'forum_id' is blank" in p.message for p in problems)


def test_a_last_entry_is_not_taken_for_a_totals_row(tmp_path):
    """Only a row labelled 'Total' with numbers beside it is left out; an ordinary last row is an entry."""
    landscape, problems = check(write_xlsx(tmp_path / "plain.xlsx", sheets()))
    assert len(landscape.seats) == 6
    assert not any("totals row" in p.message for p in problems)


def test_a_plain_sheet_keeps_the_readers_grouping_and_a_shaped_one_is_grouped_again(tmp_path, people_made):
    """The loader is tuned on the reader's grouping of each column's cells: a plain sheet keeps it (no extra work),
    a column a merged range filled in is grouped again, and the rows above a header are not in any grouping."""
    from mcn_map.loading.reading import read_sheets

    plain = read_sheets(write_xlsx(tmp_path / "plain.xlsx", sheets()))
    assert all(g is not None and len(g[0]) == len(plain["members"].table) for g in plain["members"].distinct)
    assert not plain["members"].notes and not plain["forums"].notes
    shaped = read_sheets(people_made["openpyxl"])
    forums = shaped["forums"]
    assert all(g is None or len(g[0]) == len(forums.table) for g in forums.distinct) and forums.distinct
    assert shaped["members"].distinct == ()  # a totals row left out: grouped again by the loader
    assert len(shaped["members"].table) == 6
