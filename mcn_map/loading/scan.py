"""A cheap look inside an .xlsx before the reader allocates anything: how big each sheet's grid would be.

The reader makes a dense grid from the first to the last cell a sheet mentions, and a copy of a shared string in
every cell that uses it, so an 8 KB workbook naming a cell at XFD1048576 (or one long shared string repeated down
a large range) asks for hundreds of gigabytes; so does a sheet whose rows or cells carry no reference, which the
reader lays out one after another. The sheet XML is streamed once and searched with byte patterns (no parse tree);
the rare sheet that needs an exact figure gets one. Error cells (#DIV/0!, #VALUE!), which the reader
turns into blanks, are noted here so the loader can report them.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from defusedxml import ElementTree

from ..running.parallel import Forked
from ..running.plan import Plan

__all__ = ["SheetScan", "scan_workbook", "merged_ranges", "MAX_CELLS", "MAX_STRING_BYTES", "column_number",
           "column_letters"]

MAX_CELLS = 30_000_000  # a million-row case list has four or five million cells; thirty million is ~1 GB of grid
MAX_STRING_BYTES = 2 * 1024**3  # text the reader would hold after copying shared strings into their cells
_CHUNK = 4 * 1024 * 1024

_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*\bt="e"[^>]*)>(?:.*?<(?:\w+:)?v>([^<]*)<)?', re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d{1,12})"')
_SHARED_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*\bt="s"[^>]*>\s*<(?:\w+:)?v>(\d+)<')
_SI = re.compile(rb"<(?:\w+:)?si\b.*?</(?:\w+:)?si>", re.S)
# A cell or row tag whose first attribute is not its reference. The reader places a cell with no reference one
# after the one before (and a row below the last), so then the references alone do not bound the grid. Separate
# patterns, each starting with a literal, run at C speed; a prefixed tag (<x:c>) is caught by the last, as is an odd
# ':c ' in text, which costs only time.
_UNREFERENCED = (re.compile(rb'<c[\s/>](?!r=")'), re.compile(rb'<row[\s/>](?!r=")'),
                 re.compile(rb':(?:c|row)[\s/>](?!r=")'))
# A reference of two letters or more, or of a seven-digit row: there is none in nearly every block of a case list.
_WIDE_OR_DEEP = re.compile(rb'r="[A-Z](?:[A-Z]|\d{7})')
_TAG = re.compile(rb'<(?:\w+:)?(row|c)\b([^>]*)>')
_REF_ATTRIBUTE = re.compile(rb'\br="([A-Z]{0,3})(\d{0,12})"')
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
_MIN_SHARED_CELL_BYTES = 20  # <c t="s"><v>0</v></c> is 22 bytes: a sheet of n bytes has at most n / 20 such cells


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
    cells: int = 0  # cells the reader's grid would hold (last row x last column), worked out when a bound is too big
    string_bytes: int = 0  # shared-string text copied into cells, worked out when a bound is too big
    error_cells: list[tuple[int, int, str]] = field(default_factory=list)  # (Excel row, column number, '#DIV/0!')
    size: int = 0  # the sheet's XML, unpacked (bytes)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (first row, col, last row, col)


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


def _blocks(archive: zipfile.ZipFile, part: str):
    """The part's bytes as unpacked, block by block."""
    with archive.open(part) as stream:
        while block := stream.read(_CHUNK):
            yield block


def _chunks(archive: zipfile.ZipFile, part: str):
    """The part's bytes in pieces that each end where a row (or, failing that, a tag) starts, so that no tag is
    split between two pieces or seen twice."""
    tail = b""
    for block in _blocks(archive, part):
        block = tail + block
        cut = block.rfind(b"<row", len(block) // 2)
        if cut <= 0:
            cut = block.rfind(b"<")
        if cut <= 0:
            tail = block
            continue
        tail = block[cut:]
        yield block[:cut]
    if tail:
        yield tail


_COLUMN_BOUND = {0: 0, 1: 26, 2: 702, 3: 16384}


def _scan_sheet(archive: zipfile.ZipFile, name: str, part: str, shared: list[int], path, plan: Plan) -> SheetScan:
    try:
        size = archive.getinfo(part).file_size
    except KeyError:
        size = 0
    # Count the shared-string cells only where a sheet of this size could repeat its longest string past the limit.
    count_shared = bool(shared) and size // _MIN_SHARED_CELL_BYTES * max(shared) > MAX_STRING_BYTES
    if plan.scan_in_two(size):
        # A long case list: a second process makes half the searches (reading the zip afresh), this one the rest.
        there = Forked(lambda: _first_pass_apart(path, name, part, count_shared, "rest"))
        state, _ = _first_pass(archive, name, part, count_shared, "unreferenced")
        rest, scan = there.result()
        state["unreferenced"] = state["unreferenced"] or rest["unreferenced"]
        state.update({k: v for k, v in rest.items() if k != "unreferenced"})
    else:
        state, scan = _first_pass(archive, name, part, count_shared, "all")
    scan.size = size
    if state["merged"]:
        scan.merged = merged_ranges(archive, part)
    if state["unreferenced"]:  # cells placed by position: walk the rows as the reader does
        scan.cells = _walked_grid(archive, part)
    else:
        _bound_grid(archive, part, scan, state["letters"], state["big_row"])
    if count_shared and state["shared"] * max(shared) > MAX_STRING_BYTES:
        # Only now the exact figure: the sum of the lengths of the strings each cell refers to.
        scan.string_bytes = sum(shared[int(i)] for chunk in _chunks(archive, part)
                                for i in _SHARED_CELL.findall(chunk) if int(i) < len(shared))
    return scan


_SEAM = 256  # bytes either side of a block boundary searched again (a cell tag and its reference are far shorter)


def _first_pass_apart(path, name: str, part: str, count_shared: bool, share: str) -> tuple[dict, SheetScan]:
    with zipfile.ZipFile(path) as archive:  # its own handle: a file offset shared with the parent would be moved
        return _first_pass(archive, name, part, count_shared, share)


def _first_pass(archive, name: str, part: str, count_shared: bool, share: str) -> tuple[dict, SheetScan]:
    """One pass over the sheet: the searches of ``share`` ("unreferenced", "rest" or "all")."""
    scan = SheetScan(name)
    state = {"letters": 0, "big_row": 0, "unreferenced": False, "shared": 0, "merged": False}
    before = b""
    for block in _blocks(archive, part):
        # Blocks are searched as they come (no copying); the seam around each boundary is searched on its own, so
        # a tag cut in two is seen whole there. Only presence and maxima are taken from the two, never counts.
        if before:
            _search(before[-_SEAM:] + block[:_SEAM], state, scan, share)
        _search(block, state, scan, share)
        if count_shared and share != "unreferenced":
            state["shared"] += block.count(b't="s"')
        before = block
    return state, scan


# How the searches are shared between two processes: about the same time each.
_PATTERNS_OF = {"all": _UNREFERENCED, "unreferenced": _UNREFERENCED[:2], "rest": _UNREFERENCED[2:]}


def _search(block: bytes, state: dict, scan: SheetScan, share: str = "all") -> None:
    if not state["unreferenced"]:
        for pattern in _PATTERNS_OF[share]:
            # A tag cut off at the end of a block (or seam) cannot show its reference: the next seam (or the block)
            # holds it whole.
            if (found := pattern.search(block)) and found.end() + 3 <= len(block):
                state["unreferenced"] = True
                break
    if share == "unreferenced":
        return
    if b"mergeCell" in block:  # merged ranges, listed after the cells: read only for a sheet that has them
        state["merged"] = True
    if b't="e"' in block:
        _note_errors(block, scan)
    if not _WIDE_OR_DEEP.search(block):
        if b'r="' in block:
            state["letters"] = max(state["letters"], 1)
        return
    if state["letters"] < 3:  # one search finds whether any column is beyond Z (most sheets: none is)
        if re.search(rb'r="[A-Z]{2,3}\d', block):
            state["letters"] = max(state["letters"], 3 if re.search(rb'r="[A-Z]{3}\d', block) else 2)
        else:
            state["letters"] = max(state["letters"], 1)
    # Rows of seven digits or more are rare (a million-row list has a few): only those are read exactly.
    if re.search(rb'r="[A-Z]{1,3}\d{7,}"', block):
        state["big_row"] = max(state["big_row"], max(int(r) for r in re.findall(rb'r="[A-Z]{1,3}(\d{7,})"', block)))


def _bound_grid(archive, part, scan: SheetScan, col_letters: int, max_big_row: int) -> None:
    """With every cell and row referenced: the exact last row and column, read only when a cheap bound is over."""
    rows_bound = max_big_row or 999_999
    columns_bound = _COLUMN_BOUND[col_letters]
    if col_letters >= 2:  # beyond column Z: the widest column exactly (from the two- and three-letter references)
        columns_bound = max((column_number(c.decode()) for chunk in _chunks(archive, part)
                             for c in re.findall(rb'r="([A-Z]{2,3})\d', chunk)), default=0)
    if columns_bound * rows_bound > MAX_CELLS:
        max_row = max_col = 0
        for chunk in _chunks(archive, part):
            refs = _REF.findall(chunk)
            if refs:
                max_row = max(max_row, max(int(r) for _, r in refs))
                max_col = max(max_col, max(column_number(c.decode()) for c, _ in refs))
        scan.cells = max(scan.cells, max_row * max_col)


def _walked_grid(archive, part) -> int:
    """Last row x last column, placing a row or cell with no reference after the one before (as the reader does).
    Slow, and only for the rare sheet written without references."""
    row = column = max_row = max_column = 0
    for chunk in _chunks(archive, part):
        for tag, attributes in _TAG.findall(chunk):
            ref = _REF_ATTRIBUTE.search(attributes)
            if tag == b"row":
                row = int(ref.group(2)) if ref and ref.group(2) else row + 1
                column = 0
            else:
                if ref and ref.group(1):
                    column = column_number(ref.group(1).decode())
                    row = max(row, int(ref.group(2)) if ref.group(2) else row)
                else:
                    column += 1
                max_column = max(max_column, column)
            max_row = max(max_row, row)
    return max_row * max_column


_MERGE_CELLS = re.compile(rb"<((?:\w+:)?)mergeCells\b.*?</(?:\w+:)?mergeCells>", re.S)
_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")
MAX_MERGED = 100_000  # more merged ranges than this is no table a person made by hand


def merged_ranges(archive, part: str) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges as (first row, first column, last row, last column), from its ``<mergeCells>``
    element (python-calamine gives the values only). [] when there is none or it cannot be read."""
    ranges = []
    for chunk in _merge_elements(archive, part):
        found = _MERGE_CELLS.search(chunk)
        if not found:
            continue
        prefix = found.group(1)[:-1].decode()
        declare = f' xmlns:{prefix}="{_NS["m"]}"' if prefix else f' xmlns="{_NS["m"]}"'
        try:  # the element alone, with its namespace declared again, parsed safely
            element = ElementTree.fromstring(f"<wrap{declare}>".encode() + found.group(0) + b"</wrap>")
        except (ElementTree.ParseError, ValueError):
            return []
        for cell in element.iter(f"{{{_NS['m']}}}mergeCell"):
            bounds = _range_bounds(cell.get("ref", ""))
            if bounds is not None and len(ranges) < MAX_MERGED:
                ranges.append(bounds)
    return ranges


def _merge_elements(archive, part: str):
    """The pieces of the part that hold its <mergeCells> element whole."""
    held = b""
    for chunk in _chunks(archive, part):
        if held or b"mergeCells" in chunk:
            held += chunk
            if re.search(rb"</(?:\w+:)?mergeCells>", held):
                yield held
                held = b""
            elif len(held) > 64 * 1024 * 1024:  # no end in sight: not a list of ranges worth reading
                return


def _range_bounds(ref: str) -> tuple[int, int, int, int] | None:
    first, _, last = ref.partition(":")
    start, end = _CELL_REF.match(first), _CELL_REF.match(last or first)
    if not start or not end:
        return None
    r0, c0 = int(start.group(2)), column_number(start.group(1))
    r1, c1 = int(end.group(2)), column_number(end.group(1))
    return min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)


def _note_errors(chunk: bytes, scan: SheetScan) -> None:
    for attrs, value in _ERROR_CELL.findall(chunk):
        ref = _REF.search(attrs)
        if ref and len(scan.error_cells) < 10_000:
            cell = (int(ref.group(2)), column_number(ref.group(1).decode()), value.decode(errors="replace"))
            if cell not in scan.error_cells[-5:]:  # a cell in the overlap between two blocks is seen twice
                scan.error_cells.append(cell)


def scan_workbook(path, plan: Plan | None = None) -> list[SheetScan]:
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
                scans.append(_scan_sheet(archive, name, part, shared, path, plan or Plan()))
            except _BROKEN:
                continue
    return scans


# A part missing or damaged: not this scan's to report (the reader says the workbook cannot be read).
_BROKEN = (KeyError, ValueError, EOFError, OSError, zipfile.BadZipFile, zlib.error, ElementTree.ParseError)
