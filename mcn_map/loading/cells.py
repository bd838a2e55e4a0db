"""Cell parsing: one spreadsheet or CSV cell to the text or date it means, once per distinct value.

Shared by the loader and `mcn-map snap`, so a date or a number reads the same way whichever reads it.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from ..privacy.scrub import CONTROL_CHARACTERS

__all__ = ["cell_text", "per_distinct", "as_text", "DistinctText", "distinct_text", "parse_date", "EARLIEST_DATE",
           "LATEST_DATE", "DATE_FORMATS"]

# C0 controls other than tab, line feed and carriage return, DEL and the C1 controls: XML (so .xlsx, GraphML, GEXF)
# cannot hold most of them, and in a terminal ESC starts an escape sequence.


def cell_text(value) -> str:
    """A cell as the text a person typed: whole floats without '.0', dates as ISO, blanks as ''.

    >>> cell_text(3.0), cell_text(None), cell_text(dt.date(2026, 9, 3))
    ('3', '', '2026-09-03')
    """
    if value is None or value is pd.NA or value is pd.NaT:  # NA, NaT: nullable columns handed to load_frames
        return ""
    kind = type(value)
    if kind is str:
        return value
    if kind is float or isinstance(value, np.floating):
        if value != value:
            return ""
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if kind is bool or isinstance(value, np.bool_):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


def _booleans_among_numbers(uniques, cells: np.ndarray) -> bool:
    """True and 1 (False and 0) are one key to factorize but read differently: where a 0 or 1 turns up, look for
    booleans, so the rare column that has them can go cell by cell."""
    return any(type(u) is not str and not isinstance(u, dt.date) and u in (0, 1) for u in uniques) and any(
        isinstance(v, (bool, np.bool_)) for v in cells)


def per_distinct(values: pd.Series, convert) -> pd.Series:
    """``values.map(convert)``, calling ``convert`` once per distinct cell: case lists repeat a few thousand forum
    ids and dates a million times."""
    cells = values.to_numpy(dtype=object)
    codes, uniques = pd.factorize(cells)
    if _booleans_among_numbers(uniques, cells):
        return values.map(convert).astype(object)
    converted = np.empty(len(uniques), dtype=object)
    converted[:] = [convert(u) for u in uniques]
    result = np.empty(len(cells), dtype=object)
    found = codes >= 0
    result[found] = converted[codes[found]]
    missing = np.flatnonzero(~found)
    if len(missing):  # None, NaN, NaT: converted one by one, exactly as before
        result[missing] = [convert(v) for v in cells[missing]]
    return pd.Series(result, index=values.index, dtype=object)


class DistinctText:
    """A column's cells as text, held once per distinct cell: ``texts[codes]`` is each cell's text (see
    :func:`cell_text`). Checks on the text (blank, stray spaces, control characters) are then made once per distinct
    cell and read off for every row, instead of over a million rows each."""

    def __init__(self, codes: np.ndarray, texts: np.ndarray):
        self.codes, self.texts = codes, texts

    def per_row(self, values: np.ndarray, keep: np.ndarray | None = None) -> np.ndarray:
        """``values`` (one per distinct text) for each row (those in ``keep`` only, if given)."""
        codes = self.codes if keep is None else self.codes[keep]
        return values[codes]

    def column(self, index=None, keep: np.ndarray | None = None) -> pd.Series:
        return pd.Series(self.per_row(self.texts, keep), index=index, dtype=object)

    def control_characters(self) -> np.ndarray | None:
        """Whether each distinct text holds a control character (see ``CONTROL_CHARACTERS``); None when none does,
        which one search of them all finds."""
        if not len(self.texts) or not CONTROL_CHARACTERS.search("".join(self.texts)):
            return None
        return np.array([bool(CONTROL_CHARACTERS.search(t)) for t in self.texts])

    def mapped(self, convert) -> "DistinctText":
        """The same cells with ``convert`` applied to each distinct text (e.g. ``str.strip``)."""
        texts = np.empty(len(self.texts), dtype=object)
        texts[:] = [convert(t) for t in self.texts]
        return DistinctText(self.codes, texts)


def distinct_text(values: pd.Series, grouped: tuple | None = None) -> DistinctText:
    """``as_text(values)``, held once per distinct cell. ``grouped``: (codes, values) the cells were already
    grouped by (each cell is ``values[code]``, -1 where it is missing), so they need not be grouped again."""
    cells = values.to_numpy(dtype=object)
    if grouped is not None and len(grouped[0]) == len(cells):
        codes, uniques = grouped
    else:
        codes, uniques = pd.factorize(cells)
    if grouped is None and _booleans_among_numbers(uniques, cells):  # one code per cell for this rare column
        texts = np.empty(len(cells), dtype=object)
        texts[:] = [cell_text(v) for v in cells]
        return DistinctText(np.arange(len(cells)), texts)
    texts = [u if type(u) is str else cell_text(u) for u in uniques]
    missing = np.flatnonzero(codes < 0)
    if len(missing):
        # None, NaN, NaT: every missing cell of one type reads the same, so each type gets one code.
        kinds, _ = pd.factorize(np.frompyfunc(type, 1, 1)(cells[missing]))
        examples = cells[missing[np.unique(kinds, return_index=True)[1]]]
        codes = codes.copy()
        codes[missing] = len(texts) + kinds
        texts += [cell_text(v) for v in examples]
    array = np.empty(len(texts), dtype=object)
    array[:] = texts
    return DistinctText(codes, array)


def as_text(values: pd.Series) -> pd.Series:
    """A column of cells as text (see :func:`cell_text`); a column that is already all text is passed through."""
    if len(values) and pd.api.types.infer_dtype(values, skipna=False) == "string":
        return values.astype(object)
    return per_distinct(values, cell_text)


_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# Dates outside what a datetime64[ns] column holds (e.g. year 9999 typed as a placeholder) are not usable dates.
EARLIEST_DATE, LATEST_DATE = pd.Timestamp("1678-01-01"), pd.Timestamp("2262-04-01")


def parse_date(value) -> pd.Timestamp | None:
    """One cell to a date: Excel date cells, ISO text, British dd/mm/yyyy text, or an Excel serial number.

    >>> parse_date("03/09/2026"), parse_date("not a date")
    (Timestamp('2026-09-03 00:00:00'), None)
    """
    try:
        stamp = _parse_date_unchecked(value)
    except (OverflowError, ValueError):
        return None
    if stamp is None or not (EARLIEST_DATE <= stamp <= LATEST_DATE):
        return None
    return stamp


# The text forms a date cell may take, tried in this order.
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %b %Y", "%d %B %Y",
                "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m", "%b-%y", "%b %Y", "%B %Y")
# What every one of those formats can start like: digits then a separator, or a month name, a dash or spaces, and digits
# to the end. A superset of what strptime accepts, so the shortcut never refuses a date the formats would read.
_DATE_SHAPE = re.compile(r"\d+[-/.\s]|[^\W\d_]+(?:-|\s+)\d+$")


def _parse_date_unchecked(value) -> pd.Timestamp | None:
    if isinstance(value, (dt.datetime, dt.date, pd.Timestamp)):
        return pd.Timestamp(value).normalize()
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        if 1 <= float(value) < 2958466:
            return (_EXCEL_EPOCH + pd.Timedelta(days=int(value))).normalize()
        return None
    text = str(value).strip()
    if text.replace(".", "", 1).isdigit():
        return parse_date(float(text))
    if not _DATE_SHAPE.match(text):  # ids, names and pseudonyms: skip fourteen failing strptime calls
        return None
    # "YYYY-MM" is the month a snapped case list records (Excel re-saves it as "Sep-26"): read as the 1st.
    for fmt in DATE_FORMATS:
        try:
            return pd.Timestamp(dt.datetime.strptime(text, fmt)).normalize()
        except ValueError:
            continue
    return None
