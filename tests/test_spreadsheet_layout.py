"""Output workbooks look right in any client: row heights fit wrapped text; pages print landscape, one page wide,
with the header row repeated and a footer naming the source and the date."""

from __future__ import annotations

import shutil
import re
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from mcn_map.writing.spreadsheet import LINE_HEIGHT, row_height

OFFICE = shutil.which("libreoffice") or shutil.which("soffice")


@pytest.fixture(scope="module")
def books(example_build):
    return {name: load_workbook(example_build.outdir / name) for name in ("findings.xlsx", "assessment.xlsx")}


def _wrapped_rows(ws):
    for row in ws.iter_rows():
        if any(c.value and c.alignment.wrap_text and len(str(c.value)) > 200 for c in row):
            yield row[0].row


@pytest.mark.parametrize("name, sheet", [("assessment.xlsx", "Self-assessment"), ("findings.xlsx", "Findings")])
def test_rows_with_long_wrapped_text_are_tall_enough(books, name, sheet):
    ws = books[name][sheet]
    rows = list(_wrapped_rows(ws))
    assert rows  # the example has long messages
    for number in rows:
        height = ws.row_dimensions[number].height
        assert height and height > LINE_HEIGHT, number
        texts = [(c.value, ws.column_dimensions[c.column_letter].width) for c in ws[number]
                 if c.value and c.alignment.wrap_text]
        assert height == row_height(texts)


def test_a_short_row_keeps_the_default_height(books):
    ws = books["findings.xlsx"]["Coverage"]
    assert all(ws.row_dimensions[r].height is None for r in range(1, ws.max_row + 1))


@pytest.mark.parametrize("name", ["findings.xlsx", "assessment.xlsx"])
def test_every_sheet_prints_landscape_one_page_wide_with_its_header_repeated(books, example_build, name):
    for ws in books[name].worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0
        header = int(ws.print_title_rows.split(":")[0].lstrip("$"))
        frozen = ws.freeze_panes
        if frozen:
            assert header == ws[frozen].row - 1
        footer = ws.oddFooter.left.text
        assert "Source: example_landscape.xlsx" in footer and "data as of 20" in footer
        assert ws.oddFooter.right.text == "Page &P of &N"


def test_row_height_grows_with_the_text_and_stops_at_excels_limit():
    assert row_height([("a", 10)]) == LINE_HEIGHT
    assert row_height([("x" * 100, 10)]) > row_height([("x" * 50, 10)])
    assert row_height([("\n".join(["line"] * 5), 40)]) == 5 * LINE_HEIGHT
    assert row_height([("x" * 100_000, 10)]) == 409.0


@pytest.mark.skipif(OFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_prints_findings_in_few_pages(example_build, tmp_path):
    subprocess.run([OFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(example_build.outdir / "findings.xlsx")], check=True, timeout=180, capture_output=True)
    pdf = (tmp_path / "findings.pdf").read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))  # LibreOffice writes "/Type/Page", others a space
    assert 0 < pages <= 12  # was 33 before page set-up; 7 on the shipped example
