"""Every fast path of the reader has its plain twin: dates, cells grouped once per distinct value, identifier
searches. Property tests hold the fast code equal to the obvious code."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcn_map import load, load_frames
from mcn_map.analyses.run import analyse
from mcn_map.render.findings_json import findings_document

EXAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "example_landscape.xlsx"
SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from mcn_map.loading.cells import DATE_FORMATS, parse_date


def _long_way(text: str):
    """Every format tried, no shortcut: what parse_date did before it learnt which texts cannot be dates."""
    for fmt in DATE_FORMATS:
        try:
            return pd.Timestamp(dt.datetime.strptime(text.strip(), fmt)).normalize()
        except ValueError:
            continue
    return None


DATE_LIKE = st.text(alphabet="0123456789-/.: \tTSsEePpJjAaNnOoVvDdBbMmRrYyLlGgUuCcHhIi", min_size=1, max_size=14)


@settings(max_examples=3000, deadline=None)
@given(st.one_of(DATE_LIKE, st.text(max_size=20),
                 st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)).flatmap(
                     lambda d: st.sampled_from([d.strftime(f) for f in DATE_FORMATS]))))
def test_the_date_shortcut_never_refuses_a_date_the_formats_read(text):
    if text.strip().replace(".", "", 1).isdigit():
        return  # numbers are Excel serials, read before any format
    expected = _long_way(text)
    got = parse_date(text)
    if expected is not None and not (pd.Timestamp("1678-01-01") <= expected <= pd.Timestamp("2262-04-01")):
        expected = None
    assert got == expected or (got is None and expected is None)


def test_every_format_still_reads_and_ids_do_not():
    day = dt.date(2026, 9, 3)
    for fmt in DATE_FORMATS:
        assert parse_date(day.strftime(fmt)) is not None, fmt
    for text in ("snap-0123456789abcdef0123", "d196c5aa284824d1", "F001", "Navigator 1", "mcn-strategic"):
        assert parse_date(text) is None


# -- reading: python-calamine's cells turned into pandas' frames once per distinct value ---------------------------

from openpyxl import Workbook  # noqa: E402
from pandas._libs.parsers import STR_NA_VALUES  # noqa: E402

from mcn_map.loading.reading import NA_TEXTS, GridReading  # noqa: E402


def read_grids(path: Path) -> dict[str, pd.DataFrame]:
    """Every sheet as a header-less grid, as the reader makes them."""
    return {name: grid for name, (grid, _) in GridReading(path).finish().items()}


def _same_cells(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    assert a.shape == b.shape and list(a.columns) == list(b.columns) and a.index.equals(b.index)
    for column in a.columns:
        for x, y in zip(a[column].to_numpy(object), b[column].to_numpy(object)):
            assert type(x) is type(y), (column, x, y)
            assert x == y or (x != x and y != y), (column, x, y)
    return True


def test_missing_value_texts_are_pandas_own():
    assert NA_TEXTS == frozenset(STR_NA_VALUES)


# Cells that read differently one way and another: missing-value texts, True beside 1, huge and odd numbers, dates.
ODD_ROWS = [["a", "b", "c"], ["NA", "N/A", 3.0], [None, None, None], ["", "null", 2.5],
            [dt.date(2026, 1, 2), dt.datetime(2026, 1, 2, 10, 0), True], ["nan", "#N/A", "-nan"],
            [None, "x", None], [1, True, False], [0, 1.0, "1"], [" NA", "None", 12345678901234567890],
            [float("inf"), -0.0, 1e300], [dt.time(10, 30), "9990000018", 9990000018]]


def _odd_book(title: str, rows: list[list]) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    return book


def test_read_grids_gives_the_frames_read_excel_gives(tmp_path):
    book = _odd_book("mixed", ODD_ROWS)
    one = book.create_sheet("one column")
    for value in ["h", None, "x", "", "NA", 3.0]:
        one.append([value])
    book.create_sheet("empty")
    path = tmp_path / "edge.xlsx"
    book.save(path)
    for workbook in (path, EXAMPLE, EXAMPLE.with_name("example_landscape_2027.xlsx")):
        expected = pd.read_excel(workbook, sheet_name=None, header=None, engine="calamine", dtype=object)
        got = read_grids(workbook)
        assert list(got) == list(expected)
        for name in expected:
            assert _same_cells(got[name], expected[name]), name


def test_cells_the_reader_grouped_read_as_text_as_cells_grouped_afresh(tmp_path):
    from mcn_map.loading.cells import as_text, distinct_text
    from mcn_map.loading.reading import read_sheets

    book = _odd_book("forums", ODD_ROWS + [[None, "x"], ["x y", " a ", 3]])  # a short row, stray spaces
    path = tmp_path / "grouped.xlsx"
    book.save(path)
    for workbook in (path, EXAMPLE):
        for raw in read_sheets(workbook).values():
            assert len(raw.distinct) == len(raw.table.columns)
            for header in raw.table.columns:
                values = raw.table[header]
                grouped = raw.distinct_cells(header)
                expected = as_text(values).tolist()
                assert distinct_text(values, grouped).column().tolist() == expected, (raw.name, header)
                assert distinct_text(values).column().tolist() == expected, (raw.name, header)



# -- identifiers: NHS numbers and snapped pseudonyms found in one search of the joined texts -----------------------

from mcn_map.privacy.identifiers import NHS_PATTERN, SNAP_PATTERN, nhs_digits, snapped  # noqa: E402

ID_LIKE = st.text(alphabet="0123456789 -snap\nabcdef\u0663\uff19P", max_size=24)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(ID_LIKE, st.sampled_from(["999 000 0018", "9990000018", "999-000-0018", "snap-" + "a" * 20,
                                                    "snap-" + "a" * 20 + "\n", "9990000018\n"]),
                          st.none()), max_size=12))
def test_identifier_shapes_are_found_as_one_match_per_id_finds_them(values):
    ids = pd.Series(values, dtype=object)
    shaped, digits = nhs_digits(ids)
    from mcn_map.privacy.identifiers import ascii_digits

    plain = ascii_digits(ids)
    assert shaped.tolist() == plain.str.match(NHS_PATTERN, na=False).astype(bool).tolist()
    assert digits.tolist() == [v.replace(" ", "").replace("-", "") if ok else "" for v, ok in zip(plain, shaped)]
    assert snapped(ids).tolist() == ids.str.match(SNAP_PATTERN, na=False).astype(bool).tolist()
