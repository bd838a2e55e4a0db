"""The fast workbook reader gives exactly what pandas.read_excel(engine="calamine") gives, cell for cell and type for
type, so the speed-up changes no problem, row number or message downstream."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from openpyxl import Workbook

from mcn_map.reading import _NA_TEXT, read_workbook

NA_STRINGS = ["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A",
              "NA", "NULL", "NaN", "None", "n/a", "nan", "null"]
AWKWARD = NA_STRINGS + [" NA", "na", "none", 1, 1.0, 0, 0.0, True, False, 2.5, -0.0, 1e20, 12345678901, -3,
                        dt.datetime(2026, 1, 2), dt.datetime(2026, 1, 2, 13, 5), dt.date(2026, 3, 4), dt.time(12, 30),
                        dt.timedelta(days=2, hours=3), "text", " spaced ", "1", "TRUE", float("inf")]


@pytest.fixture
def awkward_workbook(tmp_path):
    """Every kind of cell pandas treats specially, booleans beside 0 and 1, blank rows and columns, odd sheets."""
    book = Workbook()
    sheet = book.active
    sheet.title = "forums"
    sheet.append(["forum_id", "NA", None, 1, 1.5, True, dt.date(2026, 1, 1)])
    for i, value in enumerate(AWKWARD):
        sheet.append([f"f{i}", value, None, value if i % 2 else None, True if i % 3 == 0 else 1,
                      0 if i % 4 else False, value])
    sheet.append([None] * 7)
    sheet.append([None] * 6 + ["after a blank row"])
    book.create_sheet("empty")
    mixed = book.create_sheet("Links ")
    for value in ("from_forum", 1.0, True, 1, "1"):
        mixed.append([value])
    gaps = book.create_sheet("gaps")
    gaps["C5"], gaps["A10"] = "x", 3
    hidden = book.create_sheet("hidden")
    hidden.sheet_state = "hidden"
    hidden.append(["a"])
    path = tmp_path / "awkward.xlsx"
    book.save(path)
    return path


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


def test_na_strings_match_pandas():
    from pandas._libs.parsers import STR_NA_VALUES

    assert _NA_TEXT == frozenset(STR_NA_VALUES) == frozenset(NA_STRINGS)


def test_reads_exactly_what_pandas_reads(awkward_workbook):
    expected = pd.read_excel(awkward_workbook, sheet_name=None, header=None, engine="calamine", dtype=object)
    got = read_workbook(awkward_workbook)
    assert list(got) == list(expected)
    for name, frame in expected.items():
        assert got[name].shape == frame.shape, name
        assert got[name].columns.equals(frame.columns) and got[name].index.equals(frame.index), name
        assert list(got[name].dtypes) == list(frame.dtypes), name
        for column in frame.columns:
            pairs = zip(frame[column].tolist(), got[name][column].tolist())
            assert all(_same(a, b) for a, b in pairs), (name, column)
