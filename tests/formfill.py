"""Filling in a returned form as a chair would, with openpyxl: find a row by its Ref and a column by its header."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from mcn_map.forms.layout import SHEET_NAMES
from mcn_map.forms.make import HEADER_ROW


def _column(sheet, header: str) -> int:
    for cell in sheet[HEADER_ROW]:
        if cell.value == header:
            return cell.column
    raise KeyError(header)


def _row(sheet, ref: str | None) -> int:
    """The row whose Ref is ``ref``; None: the first row with a blank Ref and a blank second column."""
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        value = sheet.cell(row=row, column=1).value
        if ref is None and value is None and sheet.cell(row=row, column=2).value is None:
            return row
        if ref is not None and value == ref:
            return row
    raise KeyError(ref)


def fill(path: Path, answers: list[tuple[str, str | None, str, object]], *, saved: dt.datetime | None = None,
         out: Path | None = None) -> Path:
    """``answers``: (sheet key, Ref or None for the next blank row, column header, value)."""
    book = load_workbook(path)
    for key, ref, header, value in answers:
        sheet = book[SHEET_NAMES[key]]
        sheet.cell(row=_row(sheet, ref), column=_column(sheet, header), value=value)
    target = out or path
    book.save(target)
    return stamp(target, saved or dt.datetime(2026, 11, 20, 9, 0))


def stamp(path: Path, saved: dt.datetime) -> Path:
    """Record ``saved`` as the time the workbook was last saved, as Excel would (openpyxl writes the time of its own
    save over whatever the workbook says)."""
    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    when = saved.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + when + rb"\g<2>", data)
            archive.writestr(info, data)
    return path


def write_in(path: Path, rows: list[dict], **kwargs) -> Path:
    """Rows on 'Anything we missed': each a dict of header -> value."""
    book = load_workbook(path)
    sheet = book[SHEET_NAMES["missed"]]
    row = HEADER_ROW + 1
    for entry in rows:
        while any(sheet.cell(row=row, column=c).value is not None for c in (2, 3)):  # what it is, or its name
            row += 1
        for header, value in entry.items():
            sheet.cell(row=row, column=_column(sheet, header), value=value)
    book.save(kwargs.get("out") or path)
    return stamp(kwargs.get("out") or path, kwargs.get("saved") or dt.datetime(2026, 11, 20, 9, 0))
