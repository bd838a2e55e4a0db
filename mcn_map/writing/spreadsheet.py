"""Finishing an output worksheet so it looks right in any client and on paper.

openpyxl writes no row heights, and Excel grows a row to fit wrapped text only when it recalculates, LibreOffice
not at all for a file it did not write: wrapped text then runs over the rows below. So each row gets a height that
fits its longest wrapped cell. For printing: landscape, fitted to one page wide, the header row repeated on every
page, and a footer naming the source, the date the data is as of, and the page.
"""

from __future__ import annotations

import datetime as dt
import math

from openpyxl.utils import get_column_letter, range_boundaries

__all__ = ["finish_sheet", "row_height", "LINE_HEIGHT", "MAX_ROW_HEIGHT"]

LINE_HEIGHT = 15.0  # points per line of 11-point Calibri
MAX_ROW_HEIGHT = 409.0  # the most Excel allows
DEFAULT_WIDTH = 8.43
_CHARS_PER_WIDTH = 1.1  # characters of ordinary text per unit of column width, a little pessimistic


def row_height(texts_and_widths) -> float:
    """The height (points) a row needs for its wrapped cells: ``(text, column width)`` pairs.

    >>> row_height([("short", 20)]), row_height([("word " * 40, 20)])
    (15.0, 150.0)
    """
    lines = 1
    for text, width in texts_and_widths:
        per_line = max(int((width or DEFAULT_WIDTH) * _CHARS_PER_WIDTH) - 1, 1)
        needed = sum(max(math.ceil(len(part) / per_line), 1) for part in str(text).split("\n"))
        lines = max(lines, needed)
    return min(lines * LINE_HEIGHT, MAX_ROW_HEIGHT)


def _wrap_lookup(ws):
    """cell -> whether its text wraps. Reading ``cell.alignment`` makes a style object per cell (most of the time
    on a sheet of a hundred thousand cells): the answer is looked up once per alignment the workbook holds."""
    alignments = getattr(ws.parent, "_alignments", None)
    if alignments is None:  # another openpyxl: the slow, public way
        return lambda cell: cell.alignment is not None and bool(cell.alignment.wrap_text)
    known: dict[int, bool] = {}

    def wraps(cell) -> bool:
        style = getattr(cell, "_style", None)
        if style is None:
            return False
        index = style.alignmentId
        if index not in known:
            known[index] = bool(alignments[index].wrap_text) if index < len(alignments) else False
        return known[index]

    return wraps


def _header_row(ws) -> int:
    """The row above the frozen panes (the header), else the first row."""
    frozen = ws.freeze_panes
    if frozen:
        _, row, _, _ = range_boundaries(f"{frozen}:{frozen}")
        return max(row - 1, 1)
    return 1


def _footer_text(text: str) -> str:
    return str(text).replace("&", "&&")  # '&' starts a header/footer code


def finish_sheet(ws, source: str = "", as_of: dt.date | None = None) -> None:
    """Row heights that fit wrapped text, and the page set-up for printing (see the module's docstring)."""
    widths = {}
    wraps = _wrap_lookup(ws)
    for row in ws.iter_rows():
        wrapped = []
        for cell in row:
            if cell.value is None or not wraps(cell):
                continue
            letter = get_column_letter(cell.column)
            if letter not in widths:
                widths[letter] = ws.column_dimensions[letter].width or DEFAULT_WIDTH
            wrapped.append((cell.value, widths[letter]))
        if wrapped:
            height = row_height(wrapped)
            if height > LINE_HEIGHT:
                ws.row_dimensions[row[0].row].height = height
    header = _header_row(ws)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as it takes
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header}:{header}"
    ws.print_options.gridLines = False
    day = as_of.isoformat() if as_of else "unknown"
    ws.oddFooter.left.text = _footer_text(f"Source: {source or 'unknown'}; data as of {day}")
    ws.oddFooter.left.size = 8
    ws.oddFooter.right.text = "Page &P of &N"
    ws.oddFooter.right.size = 8
    ws.evenFooter.left.text = ws.oddFooter.left.text
    ws.evenFooter.right.text = ws.oddFooter.right.text
