"""A cheap look inside an .xlsx before the reader allocates anything: how big each sheet's grid would be.

The reader makes a dense grid from the first to the last cell a sheet mentions, and a copy of a shared string in
every cell that uses it, so an 8 KB workbook naming a cell at XFD1048576 (or one long shared string repeated down
a large range) asks for hundreds of gigabytes. The sheet XML is streamed once and searched with byte patterns (no
parse tree); the rare sheet that needs an exact figure gets one. Error cells (#DIV/0!, #VALUE!), which the reader
turns into blanks, are noted here so the loader can report them.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from defusedxml import ElementTree

__all__ = ["SheetScan", "scan_workbook", "MAX_CELLS", "MAX_STRING_BYTES", "column_number", "column_letters"]

MAX_CELLS = 30_000_000  # a million-row case list has four or five million cells; thirty million is ~1 GB of grid
MAX_STRING_BYTES = 2 * 1024**3  # text the reader would hold after copying shared strings into their cells
_CHUNK = 4 * 1024 * 1024
_OVERLAP = 64  # bytes kept from the previous chunk, so no cell reference is split between chunks

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="(?:[A-Z]+\d+:)?([A-Z]+)(\d+)"')
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*\bt="e"[^>]*)>(?:.*?<(?:\w+:)?v>([^<]*)<)?', re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d{1,12})"')
_SHARED_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*\bt="s"[^>]*>\s*<(?:\w+:)?v>(\d+)<')
_SI = re.compile(rb"<(?:\w+:)?si\b.*?</(?:\w+:)?si>", re.S)
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "p": "http://schemas.openxmlformats.org/package/2006/relationships"}


def column_number(letters: str) -> int:
    """'A' -> 1, 'Z' -> 26, 'AA' -> 27, 'XFD' -> 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    """1 -> 'A', 27 -> 'AA': the column as a spreadsheet shows it."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass
class SheetScan:
    name: str
    cells: int = 0  # cells the reader's grid would hold: references counted, or last row x last column
    declared: int = 0  # cells the sheet's <dimension> declares
    string_bytes: int = 0  # an upper bound on shared-string text copied into cells
    error_cells: list[tuple[int, int, str]] = field(default_factory=list)  # (Excel row, column number, '#DIV/0!')


def _sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part path in the zip) in workbook order; [] when the workbook's index cannot be read."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, ValueError, zipfile.BadZipFile, zlib.error, EOFError):
        return []
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("p:Relationship", _NS)}
    parts = []
    for sheet in book.iterfind("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        parts.append((sheet.get("name", ""), path))
    return parts


def _shared_lengths(archive: zipfile.ZipFile) -> list[int]:
    try:
        data = archive.read("xl/sharedStrings.xml")
    except (KeyError, zipfile.BadZipFile, zlib.error, EOFError):
        return []
    return [len(m) for m in _SI.findall(data)]


def _chunks(archive: zipfile.ZipFile, part: str):
    """The part's bytes in blocks, each starting with the last few bytes of the one before."""
    tail = b""
    with archive.open(part) as stream:
        while block := stream.read(_CHUNK):
            yield tail + block
            # Keep the block's last tag (from its '<'), so no reference is split and none is counted twice.
            cut = block.rfind(b"<", max(len(block) - _OVERLAP, 0))
            tail = block[cut:] if cut >= 0 else b""


_COLUMN_BOUND = {0: 0, 1: 26, 2: 702, 3: 16384}


def _scan_sheet(archive: zipfile.ZipFile, name: str, part: str, shared: list[int]) -> SheetScan:
    scan = SheetScan(name)
    col_letters = shared_cells = max_big_row = 0
    for chunk in _chunks(archive, part):
        if not scan.declared and (found := _DIMENSION.search(chunk)):
            scan.declared = column_number(found.group(1).decode()) * int(found.group(2))
        references = chunk.count(b'r="')  # every cell and row has one: an upper bound on the cells
        scan.cells += references
        if shared:
            shared_cells += chunk.count(b't="s"')
        # First only the size class of the widest column: byte searches that start from the literal ' r="' run
        # at C speed. Where a reference is not preceded by a plain space (a tab, a
        # namespace), the general patterns are used for that block.
        lead = rb' r="' if references == chunk.count(b' r="') else rb'\sr="'
        if col_letters < 3:  # one search finds whether any column is beyond Z (most sheets: none is)
            if re.search(lead + rb"[A-Z]{2,3}\d", chunk):
                col_letters = max(col_letters, 3 if re.search(lead + rb"[A-Z]{3}\d", chunk) else 2)
            elif references:
                col_letters = max(col_letters, 1)
        # Rows of seven digits or more are rare (a million-row list has a few): only those are read exactly.
        if re.search(lead + rb'[A-Z]{1,3}\d{7,}"', chunk):
            max_big_row = max(max_big_row, max(int(r) for r in re.findall(lead + rb'[A-Z]{1,3}(\d{7,})"', chunk)))
        if b't="e"' in chunk:
            _note_errors(chunk, scan)
    rows_bound = max_big_row or 999_999
    columns_bound = _COLUMN_BOUND[col_letters]
    if col_letters >= 2:  # beyond column Z: the widest column exactly (from the two- and three-letter references)
        columns_bound = max((column_number(c.decode()) for chunk in _chunks(archive, part)
                             for c in re.findall(rb'\sr="([A-Z]{2,3})\d', chunk)), default=0)
    bound = columns_bound * rows_bound
    if bound > MAX_CELLS:  # only then the exact last row and column, from every cell reference
        max_row = max_col = 0
        for chunk in _chunks(archive, part):
            refs = _REF.findall(chunk)
            if refs:
                max_row = max(max_row, max(int(r) for _, r in refs))
                max_col = max(max_col, max(column_number(c.decode()) for c, _ in refs))
        scan.cells = max(scan.cells, max_row * max_col)
    if shared and shared_cells * max(shared) > MAX_STRING_BYTES:
        # Only now the exact figure: the sum of the lengths of the strings each cell refers to.
        scan.string_bytes = sum(shared[int(i)] for chunk in _chunks(archive, part)
                                for i in _SHARED_CELL.findall(chunk) if int(i) < len(shared))
    return scan


def _note_errors(chunk: bytes, scan: SheetScan) -> None:
    for attrs, value in _ERROR_CELL.findall(chunk):
        ref = _REF.search(attrs)
        if ref and len(scan.error_cells) < 10_000:
            cell = (int(ref.group(2)), column_number(ref.group(1).decode()), value.decode(errors="replace"))
            if cell not in scan.error_cells[-5:]:  # a cell in the overlap between two blocks is seen twice
                scan.error_cells.append(cell)


def scan_workbook(path) -> list[SheetScan]:
    """Scan every sheet of the workbook at ``path`` (already checked to be a zip within the size limits)."""
    scans = []
    with zipfile.ZipFile(path) as archive:
        try:
            shared = _shared_lengths(archive)
            parts = _sheet_parts(archive)
        except _BROKEN:
            return scans  # the reader then reports the workbook as unreadable
        for name, part in parts:
            try:
                scans.append(_scan_sheet(archive, name, part, shared))
            except _BROKEN:
                continue
    return scans


# A part missing or damaged: not this scan's to report (the reader says the workbook cannot be read).
_BROKEN = (KeyError, ValueError, EOFError, OSError, zipfile.BadZipFile, zlib.error, ElementTree.ParseError)
