"""Play Snap!, writing: a snapped or combined list as .xlsx or .csv (every text cell neutralised, the same bytes for
the same list), written privately; or a copy of the landscape workbook with the combined list in its cohorts sheet."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .._version import __version__
from ..errors import McnMapError
from ..loading.reading import read_sheets
from ..writing.files import refuse_input_overwrite, safe_text, workbook_bytes, write_private
from .read import COHORT_COLUMNS, header_token

__all__ = ["PERSONAL_DATA_NOTE", "table_bytes", "write_table", "WrittenInto", "write_into"]

PERSONAL_DATA_NOTE = ("Pseudonymised personal data (UK GDPR): share only under your information sharing agreement, "
                      "never with the key.")


def table_bytes(frame: pd.DataFrame, suffix: str, *, fingerprint: str = "") -> bytes:
    """A snapped or combined table as .xlsx or .csv bytes, every text cell neutralised, identical for equal input."""
    suffix = suffix.lower()
    columns = list(frame.columns)
    records = [[safe_text(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    if suffix == ".csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows(records)
        return buffer.getvalue().encode("utf-8-sig")  # Excel reads UTF-8 CSV only with the byte-order mark
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import Workbook

        from ..writing.spreadsheet import finish_sheet

        book = Workbook()
        sheet = book.active
        sheet.title = "cohorts"
        sheet.append(columns)
        for record in records:
            sheet.append(record)
        sheet.freeze_panes = "A2"
        about = book.create_sheet("about")
        forums = sorted(set(frame["forum_id"])) if len(frame) else []
        prints = sorted(set(frame["key_fingerprint"])) if "key_fingerprint" in frame and len(frame) else \
            [fingerprint] if fingerprint else []
        for line in (["What this is", "A case list snapped by mcn-map " + __version__],
                     ["Handling", PERSONAL_DATA_NOTE],
                     ["Forums", ", ".join(forums)],
                     ["Rows", len(frame)],
                     ["Key fingerprint", ", ".join(prints)]):
            about.append([safe_text(v) for v in line])
        about.column_dimensions["B"].width = 80
        for sheet in book.worksheets:
            finish_sheet(sheet, "case list snapped by mcn-map")  # print set-up: mcn_map.writing.spreadsheet
        return workbook_bytes(book)
    raise McnMapError(f"cannot write '{suffix or '(no suffix)'}' files; give an output ending .xlsx or .csv.")


def write_table(frame: pd.DataFrame, out: str | Path, *, inputs=(), force: bool = False, fingerprint: str = "") -> Path:
    """Write by OUT's suffix (see :func:`write_private`)."""
    out = Path(out)
    refuse_input_overwrite(out, [Path(p) for p in inputs])  # before anything else, so the refusal is what is said
    return write_private(out, table_bytes(frame, out.suffix, fingerprint=fingerprint), inputs=inputs, force=force)


@dataclass(frozen=True)
class WrittenInto:
    """Where a combined case list went and what it did to the cohorts sheet already there: rows of the forums it
    brings replaced, rows of other forums kept (or, with ``replace``, dropped)."""

    path: Path
    replaced: int
    kept: int
    dropped: int = 0

    def lines(self) -> list[str]:
        def rows(n):
            return f"{n:,} row{'s' if n != 1 else ''}"

        said = [f"Replaced {rows(self.replaced)} of the forums these lists bring; kept {rows(self.kept)} of other "
                "forums."]
        if self.dropped:
            said.append(f"Dropped {rows(self.dropped)} of other forums (--replace).")
        return said


def write_into(frame: pd.DataFrame, workbook: str | Path, out: str | Path, *, inputs=(), force: bool = False,
               replace: bool = False) -> WrittenInto:
    """Write a copy of the landscape ``workbook`` to ``out`` whose cohorts sheet adds ``frame`` (its columns, in the
    template's order) to the case list there: rows of the forums ``frame`` brings are replaced, rows of other forums
    kept, unless ``replace`` (the sheet then holds ``frame`` alone). The workbook itself is never modified."""
    from openpyxl import load_workbook

    workbook, out = Path(workbook), Path(out)
    if out.suffix.lower() != ".xlsx":
        raise McnMapError(f"--into writes a workbook: give -o a file ending .xlsx, not '{out.name}'.")
    read_sheets(workbook)  # checks it is a real, reasonably sized .xlsx before openpyxl touches it
    book = load_workbook(workbook)
    existing = [name for name in book.sheetnames if header_token(name) == "cohorts"]
    sheet = book[existing[0]] if existing else book.create_sheet("cohorts")
    header, earlier = _cohort_rows(sheet)
    tokens = [header_token(h) for h in header]
    at = tokens.index("forum_id") if "forum_id" in tokens else None
    if earlier and at is None and not replace:
        rows = f"{len(earlier):,} row{'s' if len(earlier) != 1 else ''}"
        raise McnMapError(f"the cohorts sheet of {workbook.name} holds {rows} but no forum_id column, "
                          "so mcn-map cannot tell which forums they belong to and would lose them; fix its header "
                          "row, or pass --replace to replace the whole sheet with the combined lists.")
    brought = set(frame["forum_id"])
    others = [r for r in earlier if at is None or _text(r[at] if at < len(r) else None) not in brought]
    replaced = len(earlier) - len(others)
    kept = [] if replace else others
    if not kept:
        header = list(COHORT_COLUMNS)
    else:  # the sheet's own columns kept as they are; any of the template's it lacks added at the end
        header = header + [c for c in COHORT_COLUMNS if c not in tokens]
    if sheet.max_row > 1:
        sheet.delete_rows(2, sheet.max_row - 1)
    for column in range(1, max(sheet.max_column, len(header)) + 1):
        sheet.cell(row=1, column=column).value = header[column - 1] if column <= len(header) else None
    for row in kept:
        sheet.append(list(row))
    positions = [[header_token(h) for h in header].index(c) for c in COHORT_COLUMNS]
    for record in frame[list(COHORT_COLUMNS)].itertuples(index=False, name=None):
        cells = [None] * len(header)
        for position, value in zip(positions, record):
            cells[position] = safe_text(value)
        sheet.append(cells)
    written = write_private(out, workbook_bytes(book), inputs=[workbook, *inputs], force=force)
    return WrittenInto(written, replaced, len(kept), len(others) - len(kept))


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _cohort_rows(sheet) -> tuple[list[str], list[tuple]]:
    """The sheet's header and its non-blank rows below it, as values."""
    rows = sheet.iter_rows(values_only=True)
    header = [_text(h) for h in next(rows, ())]
    while header and not header[-1]:
        header.pop()
    return header, [row for row in rows if any(_text(v) for v in row)]
