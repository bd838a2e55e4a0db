"""Sheets laid out as people lay them out: title rows above the headers, a value merged down or across a range
instead of repeated, a totals row at the foot. Each is recognised, read as the template's plain table would be,
and told in a warning, so a mapping exercise's own spreadsheet loads without retyping.

Each check costs a look at a few rows, and the work is done only on a sheet that needs it: a plain sheet (headers in
row 1, nothing merged, no totals row) is passed on untouched, with the reader's grouping of its cells.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import pandas as pd

from ..errors import Problem
from .problems import MAX_LISTED
from .scan import column_letters
from .schema import Sheet, canonical_token

__all__ = ["SheetShape", "shape_of", "header_row", "fill_merged", "totals_row", "TITLE_ROWS", "TOTAL_LABELS"]

TITLE_ROWS = 10  # title, subtitle, a date, a note, blank lines: more than this above the headers is no title
TOTAL_LABELS = frozenset({"total", "totals", "grand total", "sum", "overall total", "total count"})


@dataclass
class SheetShape:
    """How a sheet was read: its header row (as Excel numbers it), the grid columns (0-based) whose cells merged
    ranges filled in, the grid row (0-based) left out as a totals row, and the warnings saying so."""

    header: int = 1
    filled: frozenset = frozenset()
    totals: int | None = None
    notes: tuple[Problem, ...] = ()


def _is_blank(value) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, float) and value != value)


def _tokens(values) -> set[str]:
    return {canonical_token(str(v)).replace(" ", "_") for v in values if not _is_blank(v)}


def header_row(grid: pd.DataFrame, spec: Sheet | None) -> int:
    """The Excel row holding the sheet's headers: row 1, unless row 1 lacks a required column and one of the next
    :data:`TITLE_ROWS` rows holds them all (title rows above a table). Row 1 when no row does: the loader then says
    which columns are missing."""
    if spec is None or grid.shape[0] < 2:
        return 1
    required = set(spec.required_columns)
    if required <= _tokens(grid.iloc[0].tolist()):
        return 1
    for index in range(1, min(TITLE_ROWS + 1, grid.shape[0])):
        if required <= _tokens(grid.iloc[index].tolist()):
            return index + 1
    return 1


def fill_merged(grid: pd.DataFrame, merged, header: int) -> frozenset:
    """Copy each merged range's value (held in its top-left cell) into every cell of the range, as the sheet shows
    it; ranges wholly above the header row (a title merged across) are left. Returns the grid columns changed."""
    rows, columns = grid.shape
    changed = set()
    for r0, c0, r1, c1 in merged:
        if r1 < header or r0 > rows or c0 > columns:
            continue
        r1, c1 = min(r1, rows), min(c1, columns)
        value = grid.iat[r0 - 1, c0 - 1]
        for column in range(c0 - 1, c1):
            for row in range(r0 - 1, r1):
                grid.iat[row, column] = value
            changed.add(column)
    return frozenset(changed)


def _number(value, from_text: bool) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, numbers.Number):
        return True
    if from_text and isinstance(value, str):
        try:
            float(value.replace(",", ""))
        except ValueError:
            return False
        return True
    return False


def totals_row(grid: pd.DataFrame, header: int, from_text: bool = False) -> int | None:
    """The grid row (0-based) of a totals row at the foot of the table: its last filled row, with one cell reading
    'Total' (or 'Totals', 'Grand total', 'Sum') and every other filled cell a number, or with no label and every
    filled cell the sum of its column above (an AutoSum row). None when there is none."""
    for index in range(grid.shape[0] - 1, header - 1, -1):
        values = grid.iloc[index].tolist()
        filled = [v for v in values if not _is_blank(v)]
        if not filled:
            continue  # trailing blank rows: the end of the sheet
        labels = [v for v in filled if isinstance(v, str) and canonical_token(v) in TOTAL_LABELS]
        others = [v for v in filled if not (isinstance(v, str) and canonical_token(v) in TOTAL_LABELS)]
        if not all(_number(v, from_text) for v in others):
            return None
        if len(labels) == 1 or (not labels and _sums_above(grid, header, index, values, from_text)):
            return index
        return None
    return None


def _sums_above(grid: pd.DataFrame, header: int, index: int, values: list, from_text: bool) -> bool:
    """Whether each filled cell of row ``index`` is the sum of its column's cells between the header and it (only
    asked of a last row holding numbers alone, and with at least two entries above it)."""
    if index - header < 2:
        return False
    for column, value in enumerate(values):
        if _is_blank(value):
            continue
        above = pd.to_numeric(pd.Series(grid.iloc[header:index, column].to_numpy(dtype=object)).astype(str)
                              .str.replace(",", "", regex=False), errors="coerce")
        if above.isna().all() or abs(float(above.sum()) - float(str(value).replace(",", ""))) > 1e-9:
            return False
    return True


def shape_of(grid: pd.DataFrame, spec: Sheet | None, merged=(), *, file: str, sheet: str,
             from_text: bool = False) -> SheetShape:
    """Find the header row, fill the merged ranges (in ``grid``, in place) and find a totals row, with a warning for
    each. A sheet with its headers in row 1, nothing merged and no totals row costs a look at two rows."""
    header = header_row(grid, spec)
    notes = []
    if header > 1:
        notes.append(Problem(
            "warning", f"the headers were found in row {header}, not row 1; the {header - 1} row"
            f"{'s' if header > 2 else ''} above {'them were' if header > 2 else 'it was'} read as a title and skipped.",
            "Nothing to do if that is the header row; otherwise put the headers in row 1.",
            file=file, sheet=sheet, row=header))
    filled = fill_merged(grid, merged, header) if len(merged) else frozenset()
    if filled:
        notes.extend(_merged_notes(grid, merged, header, file=file, sheet=sheet))
    totals = totals_row(grid, header, from_text)
    if totals is not None:
        notes.append(Problem(
            "warning", "this row reads as a totals row (a 'Total' label and sums), not an entry; it was left out.",
            "Nothing to do: mcn-map works out its own totals. Delete the row if it is an entry.",
            file=file, sheet=sheet, row=totals + 1))
    return SheetShape(header, filled, totals, tuple(notes))


def _merged_notes(grid, merged, header: int, *, file: str, sheet: str) -> list[Problem]:
    """One warning per merged range in the table (never its value: the cell may hold an identifier), the first
    few listed and the rest counted."""
    shown = [(r0, c0, r1, c1) for r0, c0, r1, c1 in merged
             if r1 >= header and r0 <= grid.shape[0] and c0 <= grid.shape[1]]
    fix = ("Nothing to do if each cell of the range should hold that value; otherwise unmerge the cells and fill "
           "them in.")
    notes = []
    for r0, c0, r1, c1 in shown[:MAX_LISTED]:
        span = f"{column_letters(c0)}{r0}:{column_letters(c1)}{r1}"
        heading = grid.iat[header - 1, c0 - 1] if r0 > header else None  # the column's header, as the loader names it
        notes.append(Problem("warning", f"cells {span} are merged; the value of {column_letters(c0)}{r0} was read "
                             "into every cell of the range.", fix, file=file, sheet=sheet, row=r0,
                             column=str(heading) if not _is_blank(heading) else column_letters(c0)))
    if len(shown) > MAX_LISTED:
        rest = len(shown) - MAX_LISTED
        notes.append(Problem("warning", f"{rest:,} more merged range{'s' if rest != 1 else ''} read the same way.",
                             fix, file=file, sheet=sheet))
    return notes
