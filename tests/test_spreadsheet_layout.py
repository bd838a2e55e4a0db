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
ROOT = Path(__file__).resolve().parent.parent


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
    short = [r for r in range(3, ws.max_row + 1)
             if all(len(str(c.value or "")) < ws.column_dimensions[c.column_letter].width - 2 for c in ws[r])]
    assert short and all(ws.row_dimensions[r].height is None for r in short)


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


# -- on paper: every workbook mcn-map writes, printed by LibreOffice and measured with poppler's pdftotext -----------

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
CALIBRATION = "Eight point calibration"


def _written_workbooks(example_build, example_landscape) -> dict[str, bytes]:
    """findings.xlsx, assessment.xlsx, changes.xlsx (a what-if), the template and a snapped case list."""
    import pandas as pd

    import mcn_map
    from mcn_map.change.scenario import evaluate, read_scenario
    from mcn_map.loading.template import template_workbook
    from mcn_map.snap import table_bytes
    from mcn_map.render.compare import changes_xlsx_bytes
    from mcn_map.writing.files import workbook_bytes

    analysis = mcn_map.analyse(example_landscape)
    *_, changes = evaluate(example_landscape, analysis, read_scenario(ROOT / "inputs/example_scenario.toml"))
    snapped = pd.DataFrame({"forum_id": ["marac"] * 30, "person_id": [f"snap-{i:020x}" for i in range(30)],
                            "discussed_on": ["2026-09"] * 30, "lead_agency": ["police"] * 30,
                            "lead_post": ["MD coordinator 1"] * 30, "key_fingerprint": ["e02c8314"] * 30})
    return {"findings.xlsx": (example_build.outdir / "findings.xlsx").read_bytes(),
            "assessment.xlsx": (example_build.outdir / "assessment.xlsx").read_bytes(),
            "changes.xlsx": changes_xlsx_bytes(changes),
            "template.xlsx": workbook_bytes(template_workbook()),
            "snapped.xlsx": table_bytes(snapped, ".xlsx", fingerprint="e02c8314")}


def _calibration(path: Path) -> Path:
    """8-point text printed at 100 %: the height pdftotext gives it is what 8 pt measures on this machine's fonts."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.active["A1"] = CALIBRATION
    book.active["A1"].font = Font(size=8)
    book.save(path)
    return path


def _pages(pdf: Path) -> list[list[tuple]]:
    text = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages: list[list[tuple]] = []
    for line in text.splitlines():
        if "<page " in line:
            pages.append([])
        found = WORD.search(line)
        if found:
            pages[-1].append((*map(float, found.groups()[:4]), found.group(5)))
    return pages


@pytest.fixture(scope="module")
def printed(example_build, example_landscape, tmp_path_factory):
    """Each workbook as LibreOffice prints it: {name: (openpyxl workbook, pages of words)}, and 8 pt's height."""
    if OFFICE is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice and poppler-utils are installed by scripts/test.sh")
    folder = tmp_path_factory.mktemp("printed")
    books = _written_workbooks(example_build, example_landscape)
    for name, data in books.items():
        (folder / name).write_bytes(data)
    profile = folder / "profile"  # a profile of its own: another LibreOffice running on the machine is not disturbed
    subprocess.run([OFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder / "pdf"), *[str(folder / n) for n in books],
                    str(_calibration(folder / "calibration.xlsx"))], check=True, timeout=300, capture_output=True)
    (eight,) = [w[3] - w[1] for p in _pages(folder / "pdf" / "calibration.pdf") for w in p if w[4] == "Eight"]
    return {name: (load_workbook(folder / name), _pages(folder / "pdf" / name.replace(".xlsx", ".pdf")))
            for name in books}, eight


NAMES = ["findings.xlsx", "assessment.xlsx", "changes.xlsx", "template.xlsx", "snapped.xlsx"]


@pytest.mark.parametrize("name", NAMES)
def test_every_word_prints_at_eight_points_or_more(printed, name):
    books, eight = printed
    _, pages = books[name]
    heights = [w[3] - w[1] for page in pages for w in page]
    assert heights and min(heights) >= 0.99 * eight, (name, round(8 * min(heights) / eight, 2))


def _overlapping(words) -> list[tuple[str, str]]:
    """Pairs of words printed over each other (the middle of their boxes: lines may touch, text must not)."""
    def core(w):
        pad = 0.3 * (w[3] - w[1])
        return w[0], w[1] + pad, w[2], w[3] - pad

    boxes = sorted(core(w) + (w[4],) for w in words)
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if b[0] >= a[2]:
                break
            if min(a[3], b[3]) > max(a[1], b[1]) and min(a[2], b[2]) - max(a[0], b[0]) > 0.5:
                found.append((a[4], b[4]))
    return found


@pytest.mark.parametrize("name", NAMES)
def test_nothing_prints_over_anything_else(printed, name):
    """A wrapped header taller than its row ("Suggested RAG" in assessment.xlsx) used to print over the first row."""
    books, _ = printed
    _, pages = books[name]
    assert [(number, pair) for number, page in enumerate(pages, 1) for pair in _overlapping(page)] == []


@pytest.mark.parametrize("name", NAMES)
def test_no_page_holds_columns_without_the_first(printed, name):
    """One page wide: every page carries its sheet's first column (a sheet split across pages would print the rest
    of its columns on pages of their own, without the row they belong to)."""
    books, _ = printed
    book, pages = books[name]
    firsts = set()
    for ws in book.worksheets:
        if ws.sheet_state == "visible":
            row = int(ws.print_title_rows.split(":")[0].lstrip("$"))
            firsts.add(str(ws.cell(row=row, column=1).value or "").split(" ")[0])
            assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1, (name, ws.title)
    for number, page in enumerate(pages, 1):
        assert firsts & {w[4] for w in page}, (name, number)
    if name == "findings.xlsx":
        assert len(pages) <= 20  # 16 on the shipped example (7 before, at 2.7 pt)


def test_a_grid_too_wide_for_one_page_prints_across_pages_with_its_labels(tmp_path):
    from openpyxl import Workbook

    from mcn_map.writing.spreadsheet import MIN_PRINT_POINTS, finish_sheet

    book = Workbook()
    ws = book.active
    ws.append(["forum_id", "forum"] + [f"forum-{i}" for i in range(60)])
    ws.append(["marac", "MARAC"] + [1] * 60)
    ws.freeze_panes = "C2"
    finish_sheet(ws, "area.xlsx")
    assert not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.scale / 100 * 11 >= MIN_PRINT_POINTS and ws.print_title_cols == "$A:$B"
