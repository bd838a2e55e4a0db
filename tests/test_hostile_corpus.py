"""The hostile and odd inputs of issue 13, each written by the test as a real .xlsx or .csv into tmp_path.

Each case broke a promise before: a clear message with sheet, row and column and no traceback; no raw identifier in
any message; nothing huge allocated for a tiny file; nothing written over an input, the key or a device.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

import mcn_map
from mcn_map.build import build
from mcn_map.cli import cli
from mcn_map.privacy.identifiers import nhs_check_digit
from workbooks import HEADERS, sheets, write_csv_folder, write_xlsx

ROOT = Path(__file__).resolve().parent.parent
KEY = bytes(range(32))


def _messages(problems) -> str:
    return "\n".join(f"{p} {p.as_dict()}" for p in problems)


def _run(*args, timeout=120, **kwargs):
    """The real command in a child process: a hang or a crash there cannot take the test run with it."""
    return subprocess.run([sys.executable, "-m", "mcn_map", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, cwd=kwargs.pop("cwd", ROOT), **kwargs)


# -- raw local identifiers never echoed -------------------------------------------------------------------------

def test_cohorts_with_their_columns_in_the_wrong_order_never_echo_a_local_id(tmp_path):
    data = sheets(cohorts=[HEADERS["cohorts"], ["LOCAL-AA-0001", "2026-09-03", "marac", "police"],
                           ["LOCAL-AA-0002", "marac", "2026-09-03", "police"]])
    path = write_xlsx(tmp_path / "area.xlsx", data)
    landscape, problems = mcn_map.check(path)
    assert landscape is None
    text = _messages(problems)
    assert "LOCAL-AA" not in text
    located = [p for p in problems if p.sheet == "cohorts" and p.is_error]
    assert located and all(p.row and p.column for p in located)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1 and "LOCAL-AA" not in result.output


def test_cohorts_without_their_header_row_never_echo_a_local_id(tmp_path):
    data = sheets(cohorts=[["marac", "LOCAL-AA-0001", "2026-09-03", "police"],
                           ["marac", "LOCAL-AA-0002", "2026-09-03", "police"]])
    path = write_xlsx(tmp_path / "area.xlsx", data)
    landscape, problems = mcn_map.check(path)
    assert landscape is None and "LOCAL-AA" not in _messages(problems)
    missing = [p for p in problems if "required column" in p.message]
    assert missing and all(p.sheet == "cohorts" and p.row == 1 for p in missing)
    assert "header row must be row 1" in missing[0].fix


# -- tiny files asking for huge memory --------------------------------------------------------------------------

def _with_far_cell(tmp_path, cell: str) -> Path:
    path = write_xlsx(tmp_path / "area.xlsx", sheets())
    book = load_workbook(path)
    book["forums"][cell] = "x"
    book.save(path)
    assert path.stat().st_size < 20_000
    return path


@pytest.mark.parametrize("cell", ["XFD1048576", "GR200000"])
def test_a_cell_far_away_is_refused_before_the_reader_allocates(tmp_path, cell):
    path = _with_far_cell(tmp_path, cell)
    landscape, problems = mcn_map.check(path)
    assert landscape is None
    (problem,) = problems
    assert problem.sheet == "forums" and "cells" in problem.message and "not read" in problem.message
    assert "Delete the empty rows and columns" in problem.fix


def _xlsx_by_hand(path: Path, sheet_xml: str, shared: list[str]) -> Path:
    """A minimal workbook written part by part, as Excel lays it out (shared strings included)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.'
            'xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"),
        "_rels/.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="forums" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
        "xl/sharedStrings.xml": (
            f'<?xml version="1.0"?><sst xmlns="{main}" count="{len(shared)}" uniqueCount="{len(shared)}">'
            + "".join(f"<si><t>{s}</t></si>" for s in shared) + "</sst>"),
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?><worksheet xmlns="{main}"><sheetData>{sheet_xml}'
                                    "</sheetData></worksheet>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def test_one_shared_string_filling_a_range_is_refused(tmp_path):
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}" t="s"><v>0</v></c>' for c in "ABCDEFGHIJ")
                   + "</row>" for r in range(1, 3001))
    path = _xlsx_by_hand(tmp_path / "fan.xlsx", rows, ["x" * 100_000])
    assert path.stat().st_size < 100_000  # 30,000 cells of 100,000 characters: 3 GB once copied into cells
    landscape, problems = mcn_map.check(path)
    assert landscape is None and "repeats its text" in problems[0].message and problems[0].sheet == "forums"


@pytest.mark.parametrize("far", ['<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
                                 '<row r="50000000"><c r="A50000000" t="s"><v>0</v></c></row>',
                                 '<row r="1"><c\tr="XFD1048576" t="s"><v>0</v></c></row>'])
def test_a_far_cell_beyond_excels_rows_or_behind_a_tab_is_refused(tmp_path, far):
    path = _xlsx_by_hand(tmp_path / "far.xlsx", far, ["forum_id"])
    landscape, problems = mcn_map.check(path)
    assert landscape is None and "cells" in problems[0].message and problems[0].sheet == "forums"


def test_a_hand_made_workbook_within_the_limits_is_read(tmp_path):
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>'
    path = _xlsx_by_hand(tmp_path / "small.xlsx", rows, ["forum_id", "board"])
    _, problems = mcn_map.check(path)
    assert not any("cells" in p.message or "repeats" in p.message for p in problems)
    assert any("'agencies' is missing" in p.message or "agencies" in p.message for p in problems)


def test_a_key_file_that_never_ends_is_refused(tmp_path):
    result = _run("validate", "--key-file", "/dev/zero", "inputs/example_landscape.xlsx", timeout=60)
    assert result.returncode == 1 and "not a regular file" in result.stderr and "Traceback" not in result.stderr


def test_a_huge_key_file_is_refused_without_reading_it(tmp_path):
    key = tmp_path / "big.key"
    with open(key, "wb") as stream:
        stream.truncate(50 * 1024 * 1024)  # sparse: no disk used
    result = CliRunner().invoke(cli, ["validate", "--key-file", str(key), str(ROOT / "inputs/example_landscape.xlsx")])
    assert result.exit_code == 1 and "far larger than a key" in result.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_csv_that_is_a_named_pipe_is_refused_not_waited_on(tmp_path):
    folder = write_csv_folder(tmp_path / "area", sheets())
    (folder / "links.csv").unlink()
    os.mkfifo(folder / "links.csv")
    result = _run("validate", folder, timeout=60)
    shown = result.stdout + result.stderr
    assert result.returncode == 1 and "links.csv" in shown and "not a regular" in shown and "Traceback" not in shown


# -- tracebacks ---------------------------------------------------------------------------------------------------

def test_control_characters_in_names_and_posts_are_removed_with_a_warning(tmp_path):
    # Pasted from another system into a CSV (a workbook holds them escaped, and the reader unescapes them).
    data = sheets()
    data["forums"][2][1] = "MARAC\x0b\x1b[31m\x07"
    data["members"][4][4] = "MH\x0bliaison"
    data["agencies"][1][1] = "Northtown\x1b Council"
    path = write_csv_folder(tmp_path / "area", data)
    result = build(path, tmp_path / "out")
    warnings = [p for p in result.landscape.warnings if "control character" in p.message]
    assert {(p.sheet, p.row) for p in warnings} == {("forums", 3), ("members", 5), ("agencies", 2)}
    assert result.landscape.forum_name["marac"] == "MARAC[31m"
    ElementTree.parse(result.outdir / "graph.graphml")  # well-formed XML
    ElementTree.parse(result.outdir / "graph.gexf")
    for name in ("findings.xlsx", "assessment.xlsx"):
        load_workbook(result.outdir / name)
    shown = CliRunner().invoke(cli, ["validate", str(path)])
    assert shown.exit_code == 0 and "\x1b" not in shown.output and "\x07" not in shown.output
    assert "3 warnings" in shown.output


def test_control_characters_never_reach_a_workbook_cell():
    from mcn_map.writing.files import safe_text

    assert safe_text("a\x0bb\x1b") == "ab" and safe_text("\x07=SUM(A1)") == "'=SUM(A1)"


def _nhs(nine: str) -> str:
    return nine + str(nhs_check_digit(nine))


@pytest.mark.parametrize("digits", ["0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669",
                                    "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19"])
def test_nhs_numbers_in_unicode_digits_are_the_same_people(tmp_path, digits):
    number = _nhs("999000001")
    typed = number.translate(str.maketrans("0123456789", digits))
    data = sheets(cohorts=[HEADERS["cohorts"], ["marac", typed, "2026-09-03", "police"],
                           ["mset", number, "2025-02-01", "police"]])
    path = write_xlsx(tmp_path / "area.xlsx", data)
    landscape = mcn_map.load(path, key=KEY)
    assert landscape.cohorts["person"].nunique() == 1
    result = build(path, tmp_path / "out", key=KEY)
    assert (result.outdir / "findings.xlsx").exists()
    assert typed not in (result.outdir / "report.html").read_text(encoding="utf-8")


def test_an_invalid_nhs_number_in_full_width_digits_is_an_error_not_a_crash(tmp_path):
    typed = "\uff19\uff19\uff19\uff10\uff10\uff10\uff10\uff10\uff11\uff17"  # 9990000017 fails the check digit
    data = sheets(cohorts=[HEADERS["cohorts"], ["marac", typed, "2026-09-03", "police"]])
    _, problems = mcn_map.check(write_xlsx(tmp_path / "area.xlsx", data), key=KEY)
    (error,) = [p for p in problems if p.is_error]
    assert "fails the check digit" in error.message and typed not in error.message and "017" in error.message


def test_a_snapped_list_in_full_width_digits_is_written(tmp_path):
    caselist = tmp_path / "marac.csv"
    caselist.write_text("NHS number,Date\n\uff19\uff19\uff19 \uff10\uff10\uff10 \uff10\uff10\uff11\uff18,03/09/2026\n",
                        encoding="utf-8")
    key = tmp_path / "k.key"
    key.write_text(KEY.hex() + "\n")
    result = CliRunner().invoke(cli, ["snap", str(caselist), "--forum", "marac", "--key-file", str(key),
                                      "-o", str(tmp_path / "out.xlsx")])
    assert result.exit_code == 0, result.output
    assert load_workbook(tmp_path / "out.xlsx").active.max_row == 2


def test_two_columns_with_one_header_are_an_error_naming_both(tmp_path):
    data = sheets()
    data["forums"][0].append("Forum ID")
    for row in data["forums"][1:]:
        row.append(row[0])
    _, problems = mcn_map.check(write_xlsx(tmp_path / "area.xlsx", data))
    (error,) = [p for p in problems if p.is_error]
    assert error.sheet == "forums" and error.row == 1 and "columns A and L" in error.message


@pytest.mark.parametrize("toml, expected", [
    ("[measures]\nbetweenness_sample = -1\n", "'measures.betweenness_sample' must be between 1 and"),
    ("[measures]\nbetweenness_sample = 2.5\n", "'measures.betweenness_sample' must be a whole number"),
    ("as_of = 1000-01-01\n", "'as_of' must be a date between 1900 and 2199"),
    ("[attendance]\nseat_min = 1.5\n", "'attendance.seat_min' must be between 0.0 and 1.0"),
    ("[burden.duration_hours]\nstrategic = -2\n", "'burden.duration_hours.strategic' must be a number of hours"),
    ("[duplication]\nmany_forum = 2\n", "Did you mean 'duplication.many_forums'?"),
])
def test_config_values_out_of_range_are_messages(tmp_path, toml, expected):
    config = tmp_path / "mcn-map.toml"
    config.write_text(toml, encoding="utf-8")
    result = CliRunner().invoke(cli, ["analyse", str(ROOT / "inputs/example_landscape.xlsx"), "--config", str(config)])
    assert result.exit_code == 1 and expected in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("as_of, ok", [("9999-12-31", False), ("1000-01-01", False), ("31/10/2026", True),
                                       ("31 Oct 2026", True), ("2026-10-31", True), ("1900-01-01", True),
                                       ("1899-12-31", False), ("2199-12-31", True), ("2200-01-01", False)])
def test_as_of_takes_the_workbook_date_forms_within_range(as_of, ok):
    result = CliRunner().invoke(cli, ["analyse", str(ROOT / "inputs/example_landscape.xlsx"), "--as-of", as_of])
    assert (result.exit_code == 0) is ok, result.output
    if not ok:
        assert "Error: --as-of must be a date" in result.output


@pytest.mark.parametrize("epoch, ok", [("5000000000", False), ("-1", False), ("soon", False), ("315532800", True),
                                       ("4354819199", True)])
def test_source_date_epoch_out_of_range_is_refused_before_any_work(tmp_path, monkeypatch, epoch, ok):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    result = CliRunner().invoke(cli, ["build", str(ROOT / "inputs/example_landscape.xlsx"), "-o",
                                      str(tmp_path / "out"), "-q"])
    assert (result.exit_code == 0) is ok, result.output
    if not ok:
        assert result.output.startswith("Error: SOURCE_DATE_EPOCH") and not (tmp_path / "out").exists()


# -- silent surprises ---------------------------------------------------------------------------------------------

def test_two_sheets_that_fold_to_one_name_are_an_error(tmp_path):
    data = sheets()
    data["Forums "] = [list(r) for r in data["forums"]]
    _, problems = mcn_map.check(write_xlsx(tmp_path / "area.xlsx", data))
    (error,) = problems
    assert "'forums' and 'Forums '" in error.message and "Rename or delete" in error.fix


def test_two_csv_files_that_fold_to_one_name_are_an_error(tmp_path):
    folder = write_csv_folder(tmp_path / "area", sheets())
    (folder / "Forums.csv").write_bytes((folder / "forums.csv").read_bytes())
    if len({p.name.lower() for p in folder.iterdir()}) == len(list(folder.iterdir())):
        pytest.skip("a case-insensitive file system cannot hold both names")
    _, problems = mcn_map.check(folder)
    (error,) = problems
    assert "both read as the 'forums' sheet" in error.message


@pytest.mark.parametrize("value", ["#DIV/0!", "#VALUE!", "#N/A"])
def test_error_cells_are_errors_not_blanks(tmp_path, value):
    data = sheets()
    data["members"][2][5] = value  # row 3, meetings_held
    path = write_xlsx(tmp_path / "area.xlsx", data)
    assert load_workbook(path)["members"]["F3"].data_type == "e"  # a real error cell, as Excel saves it
    landscape, problems = mcn_map.check(path)
    assert landscape is None
    (error,) = [p for p in problems if p.is_error]
    assert (error.sheet, error.row, error.column) == ("members", 3, "meetings_held") and value in error.message


def test_a_forum_and_an_agency_with_the_same_id_and_name_give_distinct_kumu_labels(tmp_path):
    import json

    data = sheets()
    data["forums"].append(["hub", "Hub", "operational", "", "council", "monthly", "active", "", "2026-10-01", "", ""])
    data["agencies"].append(["hub", "Hub", "voluntary", ""])
    data["members"].append(["hub", "hub", "member", "practitioner", "Hub worker", 4, 4])
    result = build(write_xlsx(tmp_path / "area.xlsx", data), tmp_path / "out")
    blueprint = json.loads((result.outdir / "kumu.json").read_text(encoding="utf-8"))
    labels = [e["label"] for e in blueprint["elements"]]
    assert len(labels) == len(set(labels)) and {"Hub (forum hub)", "Hub (agency hub)"} <= set(labels)
    assert all(c["from"] != c["to"] for c in blueprint["connections"])


def test_did_you_mean_for_thousands_of_unknown_agencies_is_searched_only_for_the_rows_listed(tmp_path, monkeypatch):
    import mcn_map.loading.validate as loading

    calls = []
    real = loading.suggest
    monkeypatch.setattr(loading, "suggest", lambda value, choices: calls.append(value) or real(value, choices))
    data = sheets()
    data["members"] += [["marac", f"unknown-{i}", "member", "practitioner", f"Post {i}", 12, 6] for i in range(5000)]
    _, problems = mcn_map.check(write_xlsx(tmp_path / "area.xlsx", data))
    unknown = [p for p in problems if p.column == "agency_id" and p.is_error]
    assert len(unknown) == 6 and "4,995 more rows" in unknown[-1].message
    assert len(calls) <= 5


# -- writing ------------------------------------------------------------------------------------------------------

def test_build_never_writes_over_a_key_file_in_the_output_folder_even_with_force(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    key = out / "summary.json"
    key.write_text(KEY.hex() + "\n")
    for extra in ([], ["--force"]):
        result = CliRunner().invoke(cli, ["build", str(ROOT / "inputs/example_landscape.xlsx"), "-o", str(out),
                                          "--key-file", str(key), *extra])
        assert result.exit_code == 1 and "refusing to write" in result.output
        assert key.read_text() == KEY.hex() + "\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_map_never_replaces_a_device_or_pipe(tmp_path):
    pipe = tmp_path / "map.html"
    os.mkfifo(pipe)
    for extra in ([], ["--force"]):
        result = CliRunner().invoke(cli, ["map", str(ROOT / "inputs/example_landscape.xlsx"), "-o", str(pipe), *extra])
        assert result.exit_code == 1 and "not a regular file" in result.output
        assert result.output.startswith("Error:")  # refused before any work was printed
        assert not pipe.is_file() and pipe.exists()


def test_one_overwrite_policy_own_files_replaced_others_refused_stale_removed(tmp_path):
    example = str(ROOT / "inputs/example_landscape.xlsx")
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(cli, ["map", example, "--view", "forums", "-o", str(out / "map-forums.html")]).exit_code == 0
    first = runner.invoke(cli, ["build", example, "-o", str(out), "-q"])
    assert first.exit_code == 0, first.output
    assert "removed" in first.output and not (out / "map-forums.html").exists()  # stale: build does not make it
    again = runner.invoke(cli, ["build", example, "-o", str(out), "-q"])
    assert again.exit_code == 0, again.output  # its own earlier outputs are replaced without --force
    (out / "notes.txt").write_text("mine")
    (tmp_path / "other").mkdir()
    theirs = tmp_path / "other" / "report.html"
    theirs.write_text("someone else's report")
    refused = runner.invoke(cli, ["build", example, "-o", str(theirs.parent)])
    assert refused.exit_code == 1 and "was not written by mcn-map" in refused.output and "--force" in refused.output
    assert refused.output.startswith("Error:") and theirs.read_text() == "someone else's report"
    assert not (theirs.parent / "summary.json").exists()  # nothing written before the refusal
    forced = runner.invoke(cli, ["build", example, "-o", str(theirs.parent), "--force", "-q"])
    assert forced.exit_code == 0 and theirs.read_text() != "someone else's report"
    assert (out / "notes.txt").read_text() == "mine"  # never mcn-map's, so never removed
    refused = runner.invoke(cli, ["analyse", example, "--json", str(out / "notes.txt")])
    assert refused.exit_code == 1 and refused.output.startswith("Error:")


def test_template_follows_the_same_policy(tmp_path):
    path = tmp_path / "blank.xlsx"
    runner = CliRunner()
    assert runner.invoke(cli, ["template", str(path)]).exit_code == 0
    assert runner.invoke(cli, ["template", str(path)]).exit_code == 0  # its own: replaced
    theirs = tmp_path / "theirs.xlsx"
    theirs.write_bytes(b"not ours")
    assert runner.invoke(cli, ["template", str(theirs)]).exit_code == 1 and theirs.read_bytes() == b"not ours"
    assert runner.invoke(cli, ["template", str(theirs), "--force"]).exit_code == 0


# -- the command line's manners -----------------------------------------------------------------------------------

def test_build_says_one_warning_and_what_to_open_first(tmp_path):
    data = sheets()
    data["members"][3][4] = " MH liaison "  # stray spaces: one warning
    path = write_xlsx(tmp_path / "area.xlsx", data)
    result = CliRunner().invoke(cli, ["build", str(path), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    assert "1 warning in area.xlsx" in result.output and "warning(s)" not in result.output
    findings = len(mcn_map.analyse(mcn_map.load(path)).findings)
    assert f"{findings} finding{'s' if findings != 1 else ''} (" in result.output
    assert f"Open {tmp_path / 'out' / 'report.html'} first" in result.output


def test_focus_on_a_mistyped_forum_suggests_the_closest(tmp_path):
    result = CliRunner().invoke(cli, ["map", str(ROOT / "inputs/example_landscape.xlsx"), "--focus", "marak",
                                      "-o", str(tmp_path / "m.html")])
    assert result.exit_code == 1 and "Did you mean `marac`?" in result.output


def test_a_broken_pipe_exits_quietly():
    result = subprocess.run(f"'{sys.executable}' -m mcn_map validate inputs/example_landscape.xlsx | true",
                            shell=True, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.stderr == "", result.stderr  # not even "Error: Broken pipe"


# -- cells and rows with no reference, which the reader lays out one after another ------------------------------

@pytest.mark.parametrize("layout", ["rows", "cells", "prefixed"])
def test_rows_or_cells_without_references_are_bounded_as_the_reader_lays_them_out(tmp_path, layout):
    # 2,500 rows below a row of 13,000 cells: a 33-million-cell grid from a file of a few kilobytes.
    wide = "<row>" + '<c t="s"><v>0</v></c>' * 13_000 + "</row>"
    if layout == "rows":
        sheet = wide + '<row><c t="s"><v>0</v></c></row>' * 2_500
    elif layout == "cells":
        sheet = wide + "".join(f'<row r="{r}"><c t="s"><v>0</v></c></row>' for r in range(2, 2_502))
    else:  # the same with every tag under a namespace prefix
        sheet = ("<x:row>" + '<x:c t="s"><x:v>0</x:v></x:c>' * 13_000 + "</x:row>"
                 + "<x:row><x:c><x:v>1</x:v></x:c></x:row>" * 2_500)
    path = _xlsx_by_hand(tmp_path / "unreferenced.xlsx", sheet, ["forum_id"])
    assert path.stat().st_size < 100_000
    landscape, problems = mcn_map.check(path)
    assert landscape is None and "cells" in problems[0].message and problems[0].sheet == "forums"
    assert "32,513,000 cells" in problems[0].message  # 2,501 rows x 13,000 columns, as the reader lays them out


def test_a_small_sheet_without_references_is_read(tmp_path):
    rows = "<row><c t=\"s\"><v>0</v></c></row><row><c t=\"s\"><v>1</v></c></row>"
    path = _xlsx_by_hand(tmp_path / "plain.xlsx", rows, ["forum_id", "board"])
    _, problems = mcn_map.check(path)
    assert not any("cells" in p.message or "repeats" in p.message for p in problems)
    assert any("agencies" in p.message for p in problems)


@pytest.mark.parametrize("sheet", [
    '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="50000000"><c r="A50000000" t="s"><v>0</v></c></row>',
    "<row>" + '<c t="s"><v>0</v></c>' * 13_000 + "</row>" + '<row><c t="s"><v>0</v></c></row>' * 2_500,
    "<x:row>" + '<x:c t="s"><x:v>0</x:v></x:c>' * 13_000 + "</x:row>" + "<x:row><x:c><x:v>1</x:v></x:c></x:row>" * 2_500,
    '<row r="1"><c\tr="XFD1048576" t="s"><v>0</v></c></row>',
])
def test_a_large_sheet_scanned_by_two_processes_is_refused_as_by_one(tmp_path, monkeypatch, sheet):
    from mcn_map.loading import scan as xlsx_scan
    from mcn_map.running import plan

    path = _xlsx_by_hand(tmp_path / "split.xlsx", sheet, ["forum_id"])
    alone = xlsx_scan.scan_workbook(path, plan.Plan(False))
    monkeypatch.setattr(plan, "SCAN_IN_TWO_BYTES", 1)  # every sheet counts as large
    assert xlsx_scan.scan_workbook(path, plan.Plan(True)) == alone  # even beside a test session's threads
    landscape, problems = mcn_map.check(path)
    assert landscape is None and "cells" in problems[0].message and problems[0].sheet == "forums"


def test_error_cells_found_by_the_second_process_are_reported(tmp_path, monkeypatch):
    from mcn_map.loading import scan as xlsx_scan
    from mcn_map.running import plan

    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="e"><v>#DIV/0!</v></c></row>'
    path = _xlsx_by_hand(tmp_path / "errors.xlsx", rows, ["forum_id"])
    monkeypatch.setattr(plan, "SCAN_IN_TWO_BYTES", 1)
    (scan,) = xlsx_scan.scan_workbook(path, plan.Plan(True))
    assert scan.error_cells == [(2, 1, "#DIV/0!")]
