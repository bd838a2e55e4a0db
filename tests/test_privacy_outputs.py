"""Nothing raw leaves: every output of a landscape full of identifiers is scanned for them; hostile names come out
neutralised; people counts are suppressed (or every page stamped); builds are byte-for-byte reproducible."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from mcn_map.build import build
from mcn_map.render.outputs import OUTPUTS
from mcn_map.cli import cli
from mcn_map.writing.files import MANIFEST
from mcn_map.privacy.suppression import UNSUPPRESSED_STAMP
from test_privacy_support import (
    HOSTILE_FORUM,
    forbidden_strings,
    identifier_landscape,
    leaks,
    output_texts,
    write_text_xlsx,
)
from workbooks import write_csv_folder

KEY = bytes.fromhex("44" * 32)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def area(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("identifiers")
    return write_text_xlsx(folder / "area.xlsx", identifier_landscape())


@pytest.fixture(scope="module")
def built(area, tmp_path_factory):
    """Every output of the identifier landscape, suppressed (the default)."""
    return build(area, tmp_path_factory.mktemp("out"), key=KEY)


@pytest.fixture(scope="module")
def built_unsuppressed(area, tmp_path_factory):
    return build(area, tmp_path_factory.mktemp("raw"), key=KEY, suppress=False)


def test_every_registered_output_was_written(built):
    assert sorted(p.name for p in built.written) == sorted(o.filename for o in OUTPUTS)
    assert len(built.landscape.cohorts) > 50 and built.landscape.pseudonymised


# -- the scan ----------------------------------------------------------------------------------------------------

def test_no_identifier_appears_in_any_output_whole_or_3_3_4(built, built_unsuppressed):
    for result in (built, built_unsuppressed):
        names = [name for name, _ in output_texts(result.outdir)]
        assert any(name.endswith(".xml") for name in names)  # the workbooks were opened and scanned inside
        assert leaks(result.outdir, forbidden_strings()) == []


def test_no_pseudonym_appears_in_any_output_either(built):
    pseudonyms = set(built.landscape.cohorts["person_id"])
    found = [(name, p) for name, text in output_texts(built.outdir) for p in pseudonyms if p in text]
    assert found == []


def test_a_csv_folder_input_leaks_nothing_either(tmp_path):
    folder = write_csv_folder(tmp_path / "area", identifier_landscape())
    result = build(folder, tmp_path / "out", key=KEY)
    assert leaks(result.outdir, forbidden_strings()) == []


def test_the_scanner_would_see_a_leak(tmp_path):
    (tmp_path / "x.json").write_text(json.dumps({"note": forbidden_strings()[1]}))
    assert leaks(tmp_path, forbidden_strings())


# -- hostile names -----------------------------------------------------------------------------------------------

def xlsx_cells(path: Path):
    book = load_workbook(path)
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield sheet.title, cell


@pytest.mark.parametrize("name", [o.filename for o in OUTPUTS if o.filename.endswith((".xlsx", ".csv"))])
def test_hostile_text_is_neutralised_in_every_spreadsheet_written(built, name):
    path = built.outdir / name
    if name.endswith(".csv"):
        with open(path, newline="", encoding="utf-8-sig") as stream:
            values = [v for row in csv.reader(stream) for v in row]
    else:
        cells = list(xlsx_cells(path))
        assert [c.coordinate for _, c in cells if c.data_type == "f"] == []
        values = [c.value for _, c in cells if isinstance(c.value, str)]
    assert [v for v in values if v.startswith(FORMULA_STARTS)] == []
    assert any(HOSTILE_FORUM in v for v in values)  # the hostile name is there, as text


def test_the_hostile_forum_reaches_the_findings_workbook_neutralised(built):
    values = [c.value for _, c in xlsx_cells(built.outdir / "findings.xlsx") if isinstance(c.value, str)]
    assert "'" + HOSTILE_FORUM in values


# -- small-number suppression ------------------------------------------------------------------------------------

def test_summary_counts_of_people_are_suppressed_by_default(built):
    summary = json.loads((built.outdir / "summary.json").read_text())
    exact = built.landscape.counts()
    assert summary["suppressed"] is True and "notice" not in summary
    assert summary["counts"]["people"] % 5 == 0 and abs(summary["counts"]["people"] - exact["people"]) <= 2
    assert summary["counts"]["cohort_rows"] % 5 == 0


def test_no_suppression_gives_exact_counts_and_stamps_every_page_and_sheet(built_unsuppressed):
    out = built_unsuppressed.outdir
    summary = json.loads((out / "summary.json").read_text())
    assert summary["counts"]["people"] == built_unsuppressed.landscape.counts()["people"]
    assert summary["suppressed"] is False and summary["notice"] == UNSUPPRESSED_STAMP
    for path in built_unsuppressed.written:
        if path.suffix == ".xlsx":
            by_sheet = {}
            for title, cell in xlsx_cells(path):
                by_sheet.setdefault(title, []).append(str(cell.value))
            for title in load_workbook(path).sheetnames:
                assert any(UNSUPPRESSED_STAMP in v for v in by_sheet.get(title, [])), (path.name, title)
        elif "people" in path.read_text(encoding="utf-8"):  # anything that shows counts of people is stamped
            assert UNSUPPRESSED_STAMP in path.read_text(encoding="utf-8"), path.name


def test_build_no_suppression_option_on_the_command_line(area, tmp_path):
    result = CliRunner().invoke(cli, ["build", str(area), "-o", str(tmp_path / "out"), "--quiet",
                                      "--key-file", str(_key_file(tmp_path)), "--no-suppression"])
    assert result.exit_code == 0, result.output
    assert "NOT suppressed" in result.output
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["suppressed"] is False


def _key_file(tmp_path) -> Path:
    path = tmp_path / "k.key"
    path.write_text(KEY.hex())
    return path


PEOPLE_NUMBER = re.compile(r"(?<![\w.%<])(\d[\d,]*) (?:of the same )?people")


def test_findings_never_show_a_suppressed_count_or_give_it_away_by_ratio(built):
    findings = json.loads((built.outdir / "findings.json").read_text())["findings"]
    texts = [f["message"] for f in findings]
    assert any("<8" in t for t in texts)  # the landscape does produce suppressed counts
    for text in texts:
        for number in PEOPLE_NUMBER.findall(text):
            value = int(number.replace(",", ""))
            assert value == 0 or (value >= 8 and value % 5 == 0), text
    for finding in findings:
        evidence = finding["evidence"]
        if evidence.get("shared_people") == "<8":
            assert "%" not in finding["message"], finding["message"]
            assert evidence["overlap_coefficient"] is None and evidence["jaccard"] is None
        for key in ("people", "shared_people"):
            if key in evidence:
                assert isinstance(evidence[key], str)


def test_board_pages_show_no_exact_small_count_of_people(built):
    # Each forum's case list and each overlap in this landscape has an exact size; the small ones must not appear.
    cohorts = built.landscape.cohorts.drop_duplicates(["forum_id", "person"])
    sizes = cohorts.groupby("forum_id")["person"].nunique()
    small = {int(n) for n in sizes if 0 < n < 8}
    assert small  # mset's list is small
    for name in ("report.html", "map.html"):
        text = (built.outdir / name).read_text(encoding="utf-8")
        for n in small:
            assert not re.search(rf"(?<![\d.]){n} (?:of the same )?people", text), (name, n)


# -- reproducibility ---------------------------------------------------------------------------------------------

def test_same_inputs_key_and_options_give_byte_identical_outputs(area, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    first = build(area, tmp_path / "one", key=KEY)
    second = build(area, tmp_path / "two", key=KEY)
    names = sorted(p.name for p in first.outdir.iterdir() if p.name != MANIFEST)
    assert names == sorted(p.name for p in second.outdir.iterdir() if p.name != MANIFEST) and len(names) == len(OUTPUTS)
    different = [n for n in names if (first.outdir / n).read_bytes() != (second.outdir / n).read_bytes()]
    assert different == []


def test_a_different_key_changes_no_output(area, tmp_path, monkeypatch):
    # Outputs hold counts, not pseudonyms, so the key leaves no trace in them.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    first = build(area, tmp_path / "one", key=KEY)
    second = build(area, tmp_path / "two", key=bytes.fromhex("55" * 32))
    different = [p.name for p in first.outdir.iterdir() if p.read_bytes() != (second.outdir / p.name).read_bytes()]
    assert different == []
