"""Reading a workbook (.xlsx) or a folder of .csv files into raw sheets, without interpreting any value.

Inputs are only ever opened for reading, and only regular files are read (a named pipe or a device is refused, not
waited on). An .xlsx is checked to be a zip within the limits whose parts unpack as declared
(:mod:`~mcn_map.loading.unpacking`), and its sheets' grids within :data:`~mcn_map.loading.scan.MAX_CELLS`, before
any parser touches it (a zip bomb is refused, not unpacked).
Two sheets or files whose names fold to the same sheet are an error, not a silent choice.
"""

from __future__ import annotations

import csv as _csv
import datetime as dt
import os
import stat
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from ..errors import InputError, Problem
from ..running.plan import Plan, no_gc_pauses
from .schema import SHEETS, canonical_token
from .scan import MAX_CELLS, MAX_STRING_BYTES, scan_workbook
from .shape import SheetShape, shape_of
from .unpacking import check_workbook

__all__ = ["RawSheet", "Reading", "GridReading", "start_reading", "read_sheets", "read_csv_sheet", "require_regular_file",
           "MAX_CSV_BYTES"]

# A million-row cohort sheet is about 150 MB unpacked; 1 GiB leaves room and still stops a bomb.
MAX_CSV_BYTES = 1024 * 1024 * 1024


@dataclass
class RawSheet:
    """A sheet as read: ``table`` holds the data rows with the original headers; ``rows`` the Excel row numbers."""

    name: str  # as spelled in the file
    table: pd.DataFrame
    rows: pd.Series  # Excel row numbers of the table's rows (header = row 1)
    file: str
    from_text: bool  # True for CSV, where every value is text and "numbers stored as text" is normal
    error_cells: tuple = ()  # (Excel row, column number, error text) for cells holding #DIV/0!, #VALUE!, ...
    # Per column (by position), how the reader already grouped its cells: (codes into values, values), or None.
    # The loader then checks each distinct cell once without grouping a million cells again.
    distinct: tuple = ()
    notes: tuple = ()  # warnings on how the sheet was read: title rows skipped, merged ranges filled, a totals row

    def distinct_cells(self, header: str):
        """(codes, values) for the column headed ``header``, if the reader grouped it (and the header is unique)."""
        positions = [i for i, h in enumerate(self.table.columns) if h == header]
        if len(positions) != 1 or positions[0] >= len(self.distinct):
            return None
        return self.distinct[positions[0]]


def _sheet_key(name: str) -> str:
    return canonical_token(name).replace(" ", "_")


def _frame_from_grid(grid: pd.DataFrame, shape: SheetShape | None = None) -> tuple[pd.DataFrame, pd.Series]:
    """Split a header-less grid into (table with header, Excel row numbers), the header in ``shape.header`` (row 1
    by default) and its totals row, if any, left out."""
    header_at = shape.header if shape else 1
    if grid.shape[0] < header_at:
        return pd.DataFrame(), pd.Series([], dtype=int)
    header = ["" if (h is None or (isinstance(h, float) and h != h)) else str(h)
              for h in grid.iloc[header_at - 1].tolist()]
    table = grid.iloc[header_at:].copy()
    table.columns = header
    rows = pd.Series(range(header_at + 1, header_at + 1 + len(table)), index=table.index)
    if shape is not None and shape.totals is not None:
        keep = rows != shape.totals + 1
        table, rows = table[keep.to_numpy()], rows[keep]
    return table.reset_index(drop=True), rows.reset_index(drop=True)


def _shaped(name: str, grid: pd.DataFrame, merged, display: str, from_text: bool) -> SheetShape:
    """The sheet's header row, merged ranges and totals row (see :mod:`mcn_map.loading.shape`)."""
    return shape_of(grid, SHEETS.get(_sheet_key(name)), merged, file=display, sheet=name, from_text=from_text)


def require_regular_file(path: Path, display: str, *, limit: int | None = None, what: str = "file") -> int:
    """Refuse anything but a regular file (a named pipe would hang, /dev/zero never ends) and, given ``limit``,
    a file larger than it; return its size. Checked on the file itself, before it is opened."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputError([Problem("error", f"cannot be read ({exc.strerror or exc}).", "Check the path.",
                                  file=display)]) from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError([Problem(
            "error", f"is not a regular {what} (it is a {'folder' if stat.S_ISDIR(info.st_mode) else 'device, pipe or socket'}); "
            "mcn-map reads only ordinary files.", f"Give the path of a saved {what}.", file=display)])
    if limit is not None and info.st_size > limit:
        raise InputError([Problem(
            "error", f"is {info.st_size / 1024**2:,.0f} MB, over the limit of {limit / 1024**2:,.0f} MB for a {what}.",
            "Split it into smaller files, or check that it is the file you meant.", file=display)])
    return info.st_size


def _check_grids(path: Path, display: str, plan: Plan | None = None) -> tuple[dict, dict[str, int], dict[str, list]]:
    """Refuse a sheet whose grid or copied text would be huge; return each sheet's error cells, unpacked size and
    merged ranges by sheet name."""
    problems, errors, sizes, merged = [], {}, {}, {}
    for scan in scan_workbook(path, plan):
        sizes[scan.name] = scan.size
        merged[scan.name] = scan.merged
        cells = scan.cells  # counted from the cells there, never from the <dimension> a sheet declares
        if cells > MAX_CELLS:
            problems.append(Problem(
                "error", f"spans {cells:,} cells (from A1 to the last cell it mentions), over the limit of "
                f"{MAX_CELLS:,}; it was not read.", "Delete the empty rows and columns after the data (or a stray "
                "entry far below or to the right), then save the workbook again.", file=display, sheet=scan.name))
        elif scan.string_bytes > MAX_STRING_BYTES:
            problems.append(Problem(
                "error", f"repeats its text into {scan.string_bytes / 1024**3:,.1f} GB of cells, over the limit of "
                f"{MAX_STRING_BYTES / 1024**3:,.0f} GB; it was not read.", "Clear the filled range of repeated text, "
                "then save the workbook again.", file=display, sheet=scan.name))
        errors[scan.name] = tuple(scan.error_cells)
    if problems:
        raise InputError(problems)
    return errors, sizes, merged


def _add_sheet(sheets: dict[str, RawSheet], raw: RawSheet, what: str) -> None:
    key = _sheet_key(raw.name)
    if key in sheets:
        first = sheets[key]
        # A folder's files are named as the file manager shows them (forums.csv and Forums.csv), a workbook's sheets
        # by their tabs.
        one, other = (first.file, raw.file) if what == "file" else (first.name, raw.name)
        raise InputError([Problem(
            "error", f"has two {what}s that both read as the '{key}' sheet: '{one}' and '{other}' "
            "(names are matched ignoring case, spaces and punctuation), so mcn-map cannot tell which to use.",
            f"Rename or delete one of the two {what}s.", file=raw.file if what == "file" else first.file)])
    sheets[key] = raw


def _delimiter(csv: Path, encoding: str = "utf-8-sig") -> str:
    """Comma, unless the header row is plainly split by semicolons or tabs (Excel's CSV in some locales)."""
    try:
        with open(csv, encoding=encoding, errors="replace") as stream:
            header = stream.readline()
    except OSError:
        return ","
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] > counts[","] else ","


def _encoding(csv: Path) -> str:
    """UTF-16 when the file starts with its byte-order mark (Excel's "Unicode Text"), else UTF-8."""
    try:
        with open(csv, "rb") as stream:
            start = stream.read(2)
    except OSError:
        return "utf-8-sig"
    return "utf-16" if start in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"


def _read_csv_grid(csv: Path, encoding: str) -> pd.DataFrame:
    separator = _delimiter(csv, encoding)
    try:
        return pd.read_csv(csv, header=None, dtype=str, keep_default_na=False, encoding=encoding,
                           skip_blank_lines=False, sep=separator)
    except pd.errors.ParserError:
        if csv.stat().st_size > RAGGED_CSV_BYTES:  # the slow reader is for a sheet a person typed, not a bulk export
            raise
        return _ragged_grid(csv, encoding, separator)


RAGGED_CSV_BYTES = 50 * 1024 * 1024


def _ragged_grid(csv: Path, encoding: str, separator: str) -> pd.DataFrame:
    """A CSV whose rows differ in length (a title line above the headers, written by hand rather than by Excel,
    which pads every row): each row padded to the longest. Only when pandas' reader has refused it."""
    with open(csv, encoding=encoding, newline="") as stream:
        rows = list(_csv.reader(stream, delimiter=separator))
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str)


def read_csv_sheet(csv: Path) -> RawSheet:
    """Read one .csv file as a sheet named after the file. Raises InputError when it is not readable CSV."""
    csv = Path(csv)
    require_regular_file(csv, csv.name, limit=MAX_CSV_BYTES, what="CSV file")
    encoding = _encoding(csv)
    try:
        try:
            grid = _read_csv_grid(csv, encoding)
        except UnicodeDecodeError:
            # Not UTF-8: Excel's older "CSV (Comma delimited)" on Windows writes Windows-1252 (a £ is byte 0xA3).
            encoding = "cp1252"
            grid = _read_csv_grid(csv, encoding)
    except pd.errors.EmptyDataError:
        grid = pd.DataFrame()
    except (ValueError, _csv.Error) as exc:  # UnicodeDecodeError and pandas' ParserError are ValueErrors
        raise InputError([Problem(
            "error", f"could not be read as CSV ({type(exc).__name__}: {(str(exc).splitlines() or [''])[0][:120]}).",
            "Save it from Excel as 'CSV UTF-8 (Comma delimited)'.", file=csv.name,
        )]) from None
    shape = _shaped(csv.stem, grid, (), csv.name, True)
    table, rows = _frame_from_grid(grid, shape)
    return RawSheet(csv.stem, table, rows, csv.name, from_text=True, notes=shape.notes)


# pandas' default missing-value texts: a cell holding exactly one of these reads as blank, as read_excel reads it.
NA_TEXTS = frozenset({"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>",
                      "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"})


def _cell(value):
    """One cell as ``pandas.read_excel(..., engine="calamine", dtype=object)`` gives it."""
    kind = type(value)
    if kind is str:
        return np.nan if value in NA_TEXTS else value
    if kind is float:
        return int(value) if value.is_integer() else value
    if kind is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    return value


def _column(values: np.ndarray) -> tuple[np.ndarray, tuple | None]:
    """``_cell`` over a column, once per distinct value (a case list repeats a few thousand values a million times);
    with the grouping, (codes, converted values), for the loader (None where the column went cell by cell)."""
    codes, uniques = pd.factorize(values)
    # True and 1 (and 1.0) are one key to factorize but different cells: such a column goes cell by cell.
    if any(type(u) is bool for u in uniques) and any(type(u) in (int, float) for u in uniques):
        return np.array([_cell(v) for v in values], dtype=object), None
    converted = np.empty(len(uniques) + 1, dtype=object)
    converted[:-1] = [_cell(u) for u in uniques]
    converted[-1] = np.nan  # code -1: a missing value
    out = converted[codes]
    missing = np.flatnonzero(codes < 0)
    if len(missing):  # NaN stays NaN, None and other missing values as pandas leaves them
        out[missing] = [v if v is None else _cell(v) for v in values[missing]]
    return out, (codes, converted[:-1])


class GridReading:
    """A workbook's sheets being read as header-less grids (as ``pd.read_excel(path, sheet_name=None, header=None,
    engine="calamine", dtype=object)`` gives them, without converting millions of cells one call at a time), each
    column with the reader's grouping of its cells (or None).

    Made, every sheet but the largest is read; when the plan says so (a long case list), python-calamine parses the
    largest in a thread meanwhile, from its own handle on the workbook, without holding the GIL. ``early`` holds the
    sheets read so far and ``ahead`` the name of the one still being parsed (None when none is); :meth:`finish`
    waits for it and returns every sheet, in the workbook's order."""

    def __init__(self, path: Path, sizes: dict[str, int] | None = None, plan: Plan | None = None):
        book = CalamineWorkbook.from_path(str(path))
        self.path, self.names = path, book.sheet_names
        sizes = sizes or {}
        largest = max(self.names, key=lambda n: sizes.get(n, 0), default=None)
        self.ahead = largest if (plan or Plan()).parse_ahead(sizes.get(largest, 0)) else None
        self._parsed: dict = {}
        self._worker = threading.Thread(target=self._parse_ahead, daemon=True) if self.ahead is not None else None
        if self._worker is not None:
            self._worker.start()
        self.early: dict[str, tuple[pd.DataFrame, tuple]] = {}
        try:
            for name in self.names:
                if name != self.ahead:
                    self.early[name] = _grid(path, name, book.get_sheet_by_name(name))
        except BaseException:
            self._join()
            raise

    def _parse_ahead(self) -> None:
        try:
            self._parsed["sheet"] = CalamineWorkbook.from_path(str(self.path)).get_sheet_by_name(self.ahead)
        except BaseException as exc:  # raised again in the reading thread, by finish()
            self._parsed["error"] = exc

    def _join(self) -> None:
        if self._worker is not None:
            self._worker.join()

    def finish(self) -> dict[str, tuple[pd.DataFrame, tuple]]:
        grids = dict(self.early)
        if self._worker is not None:
            self._join()
            if "error" in self._parsed:
                raise self._parsed["error"]
            grids[self.ahead] = _grid(self.path, self.ahead, self._parsed.pop("sheet"))
        return {name: grids[name] for name in self.names}


def _grid(path: Path, name: str, sheet) -> tuple[pd.DataFrame, tuple]:
    rows = sheet.to_python(skip_empty_area=False)
    del sheet  # python-calamine's copy of the sheet: freed before the frames are made (this was the last reference)
    if not rows:
        return pd.DataFrame(), ()
    if not any(len(r) > 1 for r in rows):  # one column: pandas also drops its blank rows; let it read it
        return pd.read_excel(path, sheet_name=name, header=None, engine="calamine", dtype=object), ()
    frame = pd.DataFrame(rows, dtype=object)
    del rows
    values = frame.to_numpy(dtype=object)
    # A sheet as wide as Excel allows (16,384 columns) is mostly empty columns: each read as _column would read it,
    # without grouping thousands of columns of nothing one at a time.
    blank = (values == "").all(axis=0) if values.size else np.zeros(values.shape[1], dtype=bool)
    columns = [_blank_column(len(values)) if blank[c] else _column(values[:, c]) for c in range(values.shape[1])]
    cells = np.empty(values.shape, dtype=object)
    for c, (column, _) in enumerate(columns):
        cells[:, c] = column
    return (pd.DataFrame(cells, index=frame.index, columns=frame.columns, dtype=object),
            tuple(grouped for _, grouped in columns))


def _blank_column(n: int) -> tuple[np.ndarray, tuple]:
    """What :func:`_column` gives for ``n`` empty cells (python-calamine's ''): NaN, grouped as one value."""
    cells = np.empty(n, dtype=object)
    cells[:] = np.nan
    return cells, (np.zeros(n, dtype=np.intp), np.array([np.nan], dtype=object))


def read_sheets(path: str | Path, *, plan: Plan | None = None) -> dict[str, RawSheet]:
    """Read every sheet of ``path`` keyed by canonical sheet name ('forums', ...). Raises InputError."""
    return start_reading(path, plan=plan).finish()


class Reading:
    """A workbook or folder being read (see :func:`start_reading`). ``early``: while a long sheet is parsed in a
    thread, the other sheets, already read (keyed as :meth:`finish` keys them), and ``parsing``, the key of the sheet
    still being parsed; otherwise ``early`` is None. :meth:`finish` waits and returns every sheet (the very
    RawSheet objects of ``early`` among them); it raises InputError."""

    def __init__(self, path: Path, display: str, sheets: dict[str, RawSheet] | None = None,
                 grids: GridReading | None = None, error_cells: dict | None = None, merged: dict | None = None):
        self.path, self.display = path, display
        self._sheets, self._grids, self._error_cells = sheets, grids, error_cells or {}
        self._merged = merged or {}
        self._made: dict[str, RawSheet] = {}
        self.early: dict[str, RawSheet] | None = None
        self.parsing: str | None = None
        if grids is not None and grids.ahead is not None:
            self.parsing = _sheet_key(grids.ahead)
            self.early = self._early_sheets(grids.early)

    def _raw_sheet(self, name: str, grid, grouped) -> RawSheet:
        if name not in self._made:
            shape = _shaped(name, grid, self._merged.get(name, ()), self.display, False)
            table, rows = _frame_from_grid(grid, shape)
            # The rows down to the header are not data: each column's grouping starts below them. A column a
            # merged range filled in, or a sheet with a totals row left out, is grouped again by the loader.
            distinct = () if shape.totals is not None else tuple(
                None if g is None or i in shape.filled else (g[0][shape.header:], g[1]) for i, g in enumerate(grouped))
            self._made[name] = RawSheet(name, table, rows, self.display, False, self._error_cells.get(name, ()),
                                        distinct, shape.notes)
        return self._made[name]

    def _early_sheets(self, grids) -> dict[str, RawSheet] | None:
        ready: dict[str, RawSheet] = {}
        try:
            for name, (grid, grouped) in grids.items():
                if _sheet_key(name) in ready:  # two sheets read as one: said by finish(), once every sheet is read
                    return None
                ready[_sheet_key(name)] = self._raw_sheet(name, grid, grouped)
        except Exception:  # noqa: BLE001 - made again by finish(), in the workbook's order, where its error is raised
            return None
        return ready

    def finish(self) -> dict[str, RawSheet]:
        """Every sheet; called once: the reading then lets go of them, so the caller's copy is the only one (a long
        case list's raw cells are freed as soon as the loader is done with them)."""
        if self._sheets is not None:
            sheets, self._sheets = self._sheets, None
            return sheets
        try:
            with no_gc_pauses():
                grids = self._grids.finish()
        except Exception as exc:  # calamine raises its own errors for broken parts of a zip
            raise _unreadable(exc, self.display) from None
        finally:
            self._grids = None
        sheets: dict[str, RawSheet] = {}
        for name, (grid, grouped) in grids.items():
            _add_sheet(sheets, self._raw_sheet(name, grid, grouped), "sheet")
        self._made = {}
        return sheets


def _unreadable(exc: Exception, display: str) -> InputError:
    first = str(exc).splitlines()[0][:160] if str(exc) else ""
    return InputError([Problem(
        "error", f"could not be read as a workbook ({type(exc).__name__}: {first}).",
        "Open it in Excel and save it again as an .xlsx workbook.", file=display,
    )])


def start_reading(path: str | Path, *, plan: Plan | None = None) -> Reading:
    """Start reading ``path`` (an .xlsx or a folder of .csv files): checked, then every sheet read but, where the
    plan says so, a long one still being parsed in a thread (see :class:`Reading`). Raises InputError."""
    path = Path(path)
    display = path.name or str(path)
    if not path.exists():
        raise InputError([Problem(
            "error", "file not found.", f"Check the path; run `mcn-map template {display}` to make a blank workbook.",
            file=str(path),
        )])
    if path.is_dir():
        return Reading(path, display, sheets=_read_csv_folder(path))
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError([Problem(
            "error", f"is not a workbook mcn-map reads (it ends '{path.suffix or '(nothing)'}').",
            "Give an .xlsx workbook or a folder of .csv files named after the sheets.", file=display,
        )])
    require_regular_file(path, display, what="workbook")
    check_workbook(path, display)
    error_cells, sizes, merged = _check_grids(path, display, plan)
    try:
        with no_gc_pauses():
            grids = GridReading(path, sizes, plan)
    except Exception as exc:  # calamine raises its own errors for broken parts of a zip
        raise _unreadable(exc, display) from None
    return Reading(path, display, grids=grids, error_cells=error_cells, merged=merged)


def _read_csv_folder(path: Path) -> dict[str, RawSheet]:
    csvs = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
    if not csvs:
        raise InputError([Problem(
            "error", "is a folder with no .csv files in it.",
            "Put one .csv per sheet in it (forums.csv, agencies.csv, members.csv, optionally cohorts.csv and links.csv).",
            file=str(path),
        )])
    sheets: dict[str, RawSheet] = {}
    for csv in csvs:
        _add_sheet(sheets, read_csv_sheet(csv), "file")
    return sheets
