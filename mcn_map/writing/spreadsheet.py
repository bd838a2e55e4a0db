"""Finishing an output worksheet so it looks right in any client and on paper: the one place every workbook
mcn-map writes gets its print set-up.

openpyxl writes no row heights, and Excel grows a row to fit wrapped text only when it recalculates, LibreOffice
not at all for a file it did not write: wrapped text then runs over the rows below. So each row gets a height that
fits its longest wrapped cell, worked out word by word and pessimistically (LibreOffice without Calibri sets the
text in a wider font). For printing: A4 landscape, the header row repeated on every page, a footer naming the
source, the date the data is as of, and the page; and fitted to one page wide at a scale that keeps the smallest
text at ``MIN_PRINT_POINTS`` or more. A sheet too wide for that has its widest text columns narrowed (their long
text wrapped instead); one still too wide (a big matrix) prints at that scale across several pages, its label
columns repeated on each, so no page holds numbers without the row they belong to.
"""

from __future__ import annotations

import datetime as dt
import math

from openpyxl.utils import get_column_letter, range_boundaries

__all__ = ["finish_sheet", "row_height", "print_width", "LINE_HEIGHT", "MAX_ROW_HEIGHT", "MIN_PRINT_POINTS",
           "PAGE_WIDTH_POINTS"]

LINE_HEIGHT = 15.0  # points per line of 11-point Calibri
MAX_ROW_HEIGHT = 409.0  # the most Excel allows
DEFAULT_WIDTH = 8.43
DEFAULT_FONT_POINTS = 11.0  # openpyxl's Calibri 11
# Characters of ordinary text per unit of column width: Calibri and DejaVu Sans (LibreOffice's stand-in
# where Calibri is not installed, in its wider columns) fit about 1.2; a little fewer, wrapped word by word.
_CHARS_PER_WIDTH = 1.05
MIN_PRINT_POINTS = 8.0  # the smallest text a commissioner should have to read on paper
MARGIN_INCHES = 0.5  # left and right; top and bottom 0.6 with room for the footer
PAGE_WIDTH_POINTS = 842.0 - 2 * 72 * MARGIN_INCHES  # A4 landscape, inside the margins
NARROWEST = 10.0  # a column is not narrowed below this (a date, a number or a short code still fits)


def _lines(text: str, per_line: int) -> int:
    """Lines ``text`` takes wrapped at ``per_line`` characters, word by word (a word too long is broken)."""
    lines = 0
    for part in text.split("\n"):
        used, count = 0, 1
        for word in part.split(" "):
            length = len(word)
            if used and used + 1 + length > per_line:
                count, used = count + 1, 0
            used = used + (1 if used else 0) + length
            while used > per_line:  # a word longer than the line breaks across lines
                count, used = count + 1, used - per_line
        lines += count
    return lines


def row_height(texts_and_widths) -> float:
    """The height (points) a row needs for its wrapped cells: ``(text, column width)`` pairs.

    >>> row_height([("short", 20)]), row_height([("word " * 40, 20)])
    (15.0, 150.0)
    """
    lines = 1
    for text, width in texts_and_widths:
        per_line = max(int((width or DEFAULT_WIDTH) * _CHARS_PER_WIDTH) - 1, 1)
        lines = max(lines, _lines(str(text), per_line))
    return min(lines * LINE_HEIGHT, MAX_ROW_HEIGHT)


def print_width(widths) -> float:
    """Points the columns of these widths take on paper at 100 %. LibreOffice without Calibri measures a width unit
    as 7 points (Excel, with Calibri, about 5.3): the wider, so a sheet that fits there fits everywhere."""
    return sum(7.0 * (w or DEFAULT_WIDTH) for w in widths)


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


def _frozen_corner(ws) -> tuple[int, int]:
    """(column, row) of the first cell below and right of the frozen panes; (1, 1) when none are frozen."""
    frozen = ws.freeze_panes
    if not frozen:
        return 1, 1
    column, row, _, _ = range_boundaries(f"{frozen}:{frozen}")
    return column, row


def _header_row(ws) -> int:
    """The row above the frozen panes (the header), else the first row."""
    return max(_frozen_corner(ws)[1] - 1, 1)


def _footer_text(text: str) -> str:
    return str(text).replace("&", "&&")  # '&' starts a header/footer code


def _smallest_font(ws) -> float:
    """The smallest text size the workbook uses (its font table: no walk over every cell)."""
    sizes = [float(f.sz) for f in getattr(ws.parent, "_fonts", ()) if getattr(f, "sz", None)]
    return min(sizes, default=DEFAULT_FONT_POINTS)


def _column_widths(ws, columns: int | None = None) -> dict[int, float]:
    return {c: float(ws.column_dimensions[get_column_letter(c)].width or DEFAULT_WIDTH)
            for c in range(1, (columns or ws.max_column or 1) + 1)}


def _narrowed(widths: dict[int, float], room: float) -> dict[int, float]:
    """The widths with the widest capped at one level, as high as lets the columns fit ``room`` points (never
    below NARROWEST): water filling, so narrow columns keep their width and the wide share the cut."""
    def fits(level):
        return print_width(min(w, level) for w in widths.values()) <= room

    if fits(max(widths.values(), default=0)):
        return widths
    low, high = NARROWEST, max(widths.values())
    if not fits(low):
        return {c: min(w, low) for c, w in widths.items()}
    for _ in range(30):
        middle = (low + high) / 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    return {c: min(w, math.floor(low)) for c, w in widths.items()}


def _fit_to_paper(ws, wraps, columns: int | None = None) -> bool:
    """Narrow the widest columns so the sheet fits one page wide with its smallest text at MIN_PRINT_POINTS or
    more; their cells whose text no longer fits now wrap. False when even that cannot fit (too many columns)."""
    from openpyxl.styles import Alignment

    # Points at 100 % that shrink to the page with the smallest text still at MIN_PRINT_POINTS (5 % to spare:
    # LibreOffice rounds its scale down to a whole per cent and measures text a little wider than its columns)
    room = 0.95 * PAGE_WIDTH_POINTS * _smallest_font(ws) / MIN_PRINT_POINTS
    widths = _column_widths(ws, columns)
    narrowed = _narrowed(widths, room)
    for column, width in narrowed.items():
        if width >= widths[column]:
            continue
        ws.column_dimensions[get_column_letter(column)].width = width
        # From the header down: a note above the table runs on over the empty cells beside it, as it should
        for (cell,) in ws.iter_rows(min_row=_header_row(ws), min_col=column, max_col=column):
            if isinstance(cell.value, str) and len(cell.value) > width and not wraps(cell):
                old = cell.alignment
                cell.alignment = Alignment(wrap_text=True, vertical=old.vertical or "top",
                                           horizontal=old.horizontal, text_rotation=old.text_rotation)
    return print_width(narrowed.values()) <= room


def _label_columns(ws) -> int:
    """How many columns on the left label each row: those left of the frozen panes (none frozen: the first)."""
    return max(_frozen_corner(ws)[0] - 1, 1)


def finish_sheet(ws, source: str = "", as_of: dt.date | None = None, *, print_columns: int | None = None) -> None:
    """Column widths and row heights that fit, and the page set-up for printing (see the module's docstring).
    ``print_columns``: print only the first so many columns (the rest are for filtering on screen)."""
    wraps = _wrap_lookup(ws)
    one_page_wide = _fit_to_paper(ws, wraps, print_columns)
    wraps = _wrap_lookup(ws)  # the workbook's alignments may have grown
    widths = {}
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
            current = ws.row_dimensions[row[0].row].height
            if height > max(LINE_HEIGHT, current or 0):
                ws.row_dimensions[row[0].row].height = height
    header = _header_row(ws)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_margins.left = ws.page_margins.right = MARGIN_INCHES
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.75
    if one_page_wide:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages tall as it takes
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    else:  # across several pages at the smallest readable scale, the row labels on each
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.page_setup.scale = math.ceil(100 * MIN_PRINT_POINTS / _smallest_font(ws))
        ws.page_setup.pageOrder = "overThenDown"
        ws.print_title_cols = f"A:{get_column_letter(_label_columns(ws))}"
    ws.print_title_rows = f"{header}:{header}"
    if print_columns:
        ws.print_area = f"A1:{get_column_letter(print_columns)}{max(ws.max_row, header)}"
    ws.print_options.gridLines = False
    day = f"; data as of {as_of.isoformat()}" if as_of else ""
    ws.oddFooter.left.text = _footer_text(f"Source: {source or 'unknown'}{day}")
    # The footer shrinks with the page: at the text's own size it prints at MIN_PRINT_POINTS or more
    ws.oddFooter.left.size = ws.oddFooter.right.size = _smallest_font(ws)
    ws.oddFooter.right.text = "Page &P of &N"
    ws.evenFooter.left.text = ws.oddFooter.left.text
    ws.evenFooter.right.text = ws.oddFooter.right.text
    ws.evenFooter.left.size = ws.evenFooter.right.size = ws.oddFooter.left.size
