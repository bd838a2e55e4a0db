"""``findings.xlsx``: the findings a board can filter, plus the matrices and table behind them; and ``findings.json``."""

from __future__ import annotations

from copy import copy

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..writing.files import safe_text, workbook_bytes
from ..privacy.suppression import UNSUPPRESSED_STAMP, people_count
from ..writing.spreadsheet import finish_sheet
from ..analyses.run import Analysis

__all__ = ["findings_xlsx_bytes", "SEVERITY_FILLS", "SHEETS"]

SEVERITY_FILLS = {"high": "F4B6B6", "medium": "FCE4B0", "low": "DDEBF7"}
SHEETS = ("Findings", "Detail", "Coverage", "Cohort overlap", "Membership similarity", "Agency burden")
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
MATRIX_MAX_FORUMS = 60  # above this a grid is unreadable (and slow): forum × forum matrices become lists of pairs
MAX_PAIRS = 5_000
MAX_FINDING_ROWS = 5_000  # beyond this a sheet is not read, only filtered: findings.json holds every finding
# The Findings sheet's printed columns (severity to MEAM), as wide as A4 landscape holds at 8 pt in any client
PRINTED_WIDTHS = (9, 16, 24, 38, 38, 14)
PRINTED_COLUMNS = len(PRINTED_WIDTHS)


def _evidence_text(evidence: dict) -> str:
    def show(value):
        if isinstance(value, dict):
            return "; ".join(f"{k} {show(v)}" for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return ", ".join(show(v) for v in value)
        return str(value)

    return "; ".join(f"{key.replace('_', ' ')}: {show(value)}" for key, value in evidence.items())


def _header(ws, headers, row=1) -> None:
    for column, title in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=column, value=safe_text(str(title)))
        cell.font = BOLD
        cell.fill = HEADER_FILL


def _fit(ws, minimum=6, maximum=80) -> None:
    """Column widths that fit the longest value, within reason (wrapped text beyond the maximum)."""
    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                longest = max(len(line) for line in str(cell.value).split("\n"))
                widths[cell.column] = max(widths.get(cell.column, 0), longest)
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = max(minimum, min(width + 2, maximum))


def _stamp(ws, analysis: Analysis, first_row: int) -> int:
    """Stamp unsuppressed sheets; return the row the table starts on."""
    if analysis.suppress:
        return first_row
    ws.cell(row=1, column=1, value=UNSUPPRESSED_STAMP).font = Font(bold=True, color="C00000")
    return first_row + 2


def _findings_sheet(ws, analysis: Analysis) -> None:
    # The first six print (on paper at 8 pt or more, widths below); rule, evidence, id and impact are for filtering
    headers = ["severity", "category", "subjects", "message", "suggestion", "MEAM", "rule", "evidence", "id", "impact"]
    top = _stamp(ws, analysis, 1)
    findings = analysis.findings
    if len(findings) > MAX_FINDING_ROWS:
        ws.cell(row=top, column=1, value=f"The first {MAX_FINDING_ROWS:,} of {len(findings):,} findings, most severe "
                                         "first; findings.json holds them all.").font = Font(bold=True)
        findings = findings[:MAX_FINDING_ROWS]
        top += 1
    _header(ws, headers, top)
    # Styling each cell afresh is slow in openpyxl; style one cell per kind and copy its style array.
    templates = {}
    for key, wrap, fill in [(c, c in (3, 4, 5, 6, 8), None) for c in range(1, 11)] + [
            (severity, False, colour) for severity, colour in SEVERITY_FILLS.items()]:
        cell = ws.cell(row=1, column=30)
        cell.alignment = Alignment(wrap_text=wrap, vertical="top")
        if fill:
            cell.fill = PatternFill("solid", fgColor=fill)
        templates[key] = copy(cell._style)
    ws.cell(row=1, column=30).value = None
    del ws._cells[(1, 30)]
    for offset, finding in enumerate(findings, start=1):
        values = [finding.severity, finding.category, ", ".join(finding.subjects), finding.message,
                  finding.suggestion, ", ".join(finding.meam), finding.rule, _evidence_text(finding.evidence), finding.id,
                  finding.impact]
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=top + offset, column=column, value=safe_text(value))
            cell._style = copy(templates[finding.severity if column == 1 else column])
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    last = top + max(len(findings), 1)
    ws.auto_filter.ref = f"A{top}:{get_column_letter(len(headers))}{last}"
    _fit(ws, maximum=70)
    for letter, width in zip("ABCDEF", PRINTED_WIDTHS):
        ws.column_dimensions[letter].width = width


def _detail_sheet(ws, analysis: Analysis) -> None:
    """Every finding a roll-up holds, under the roll-up's id, so the board's one line has its rows one click away."""
    headers = ["rolled into", "severity", "impact", "rule", "subjects", "message", "id"]
    top = _stamp(ws, analysis, 1)
    rows = [(rolled_id, member) for rolled_id, members in analysis.detail.items() for member in members]
    if not rows:
        ws.cell(row=top, column=1, value="Nothing was rolled up: every finding is on the Findings sheet.")
        return
    if len(rows) > MAX_FINDING_ROWS:
        ws.cell(row=top, column=1, value=f"The first {MAX_FINDING_ROWS:,} of {len(rows):,} rolled-up findings.")
        rows = rows[:MAX_FINDING_ROWS]
        top += 1
    _header(ws, headers, top)
    for offset, (rolled_id, finding) in enumerate(rows, start=1):
        values = [rolled_id, finding.severity, finding.impact, finding.rule, ", ".join(finding.subjects),
                  finding.message, finding.id]
        for column, value in enumerate(values, start=1):
            ws.cell(row=top + offset, column=column, value=safe_text(value))
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    ws.auto_filter.ref = f"A{top}:{get_column_letter(len(headers))}{top + len(rows)}"
    _fit(ws, maximum=70)


def _pairs_sheet(ws, analysis: Analysis, frame: pd.DataFrame, note: str, cell_value, minimum) -> None:
    """A forum × forum matrix too big to read as a grid, written as its non-zero pairs, largest first."""
    import numpy as np

    top = _stamp(ws, analysis, 1)
    values = frame.to_numpy()
    first, second = np.nonzero(np.triu(values, k=1) >= minimum)
    order = np.lexsort((second, first, -values[first, second]))[:MAX_PAIRS]
    ws.cell(row=top, column=1, value=safe_text(f"{note} Too many forums for a grid: forum pairs with a value of "
                                               f"{minimum} or more, largest first (at most {MAX_PAIRS:,})."))
    _header(ws, ["forum_id", "other_forum_id", "value"], top + 1)
    ids = list(frame.index)
    for offset, k in enumerate(order.tolist(), start=1):
        i, j = int(first[k]), int(second[k])
        ws.cell(row=top + 1 + offset, column=1, value=safe_text(str(ids[i])))
        ws.cell(row=top + 1 + offset, column=2, value=safe_text(str(ids[j])))
        ws.cell(row=top + 1 + offset, column=3, value=cell_value(values[i, j]))
    ws.freeze_panes = ws.cell(row=top + 2, column=1)
    _fit(ws, maximum=40)


def _matrix_sheet(ws, analysis: Analysis, frame: pd.DataFrame, note: str, cell_value, square=True,
                  minimum=1) -> None:
    if square and len(frame) > MATRIX_MAX_FORUMS:
        return _pairs_sheet(ws, analysis, frame, note, cell_value, minimum)
    top = _stamp(ws, analysis, 1)
    ws.cell(row=top, column=1, value=safe_text(note)).font = Font(italic=True)
    header_row = top + 1
    _header(ws, ["forum_id", "forum"] + [str(c) for c in frame.columns], header_row)
    names = analysis.extra.get("forum_names", {})
    for offset, (index, row) in enumerate(frame.iterrows(), start=1):
        ws.cell(row=header_row + offset, column=1, value=safe_text(str(index)))
        ws.cell(row=header_row + offset, column=2, value=safe_text(names.get(index, "")))
        for column, value in enumerate(row.tolist(), start=3):
            ws.cell(row=header_row + offset, column=column, value=cell_value(value))
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    _fit(ws, maximum=40)
    _upright_headers(ws, header_row, first_column=3)


def _upright_headers(ws, header_row: int, first_column: int) -> None:
    """A grid's column headers turned to read upwards, so its columns can be as narrow as their numbers and a
    grid of twenty forums prints one page wide at a readable size."""
    longest = 0
    for (cell,) in ws.iter_cols(min_col=first_column, min_row=header_row, max_row=header_row):
        cell.alignment = Alignment(text_rotation=90, vertical="bottom", horizontal="center")
        longest = max(longest, len(str(cell.value or "")))
        values = [len(str(c.value)) for (c,) in ws.iter_rows(min_row=header_row + 1, min_col=cell.column,
                                                               max_col=cell.column) if c.value is not None]
        ws.column_dimensions[get_column_letter(cell.column)].width = max([4.5] + [n + 1.5 for n in values])
    if longest:
        ws.row_dimensions[header_row].height = min(7.5 * longest + 10, 409.0)  # points: a bold character each


def _burden_sheet(ws, analysis: Analysis) -> None:
    table = analysis.burden
    top = _stamp(ws, analysis, 1)
    _header(ws, list(table.columns), top)
    for offset, row in enumerate(table.itertuples(index=False), start=1):
        for column, value in enumerate(row, start=1):
            value = value.item() if hasattr(value, "item") else value
            ws.cell(row=top + offset, column=column, value=safe_text(value))
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    ws.auto_filter.ref = f"A{top}:{get_column_letter(len(table.columns))}{top + max(len(table), 1)}"
    _fit(ws)


def findings_xlsx_bytes(analysis: Analysis) -> bytes:
    """The findings workbook. People counts in the overlap matrix pass through suppression unless it is off."""
    book = Workbook()
    sheets = [book.active] + [book.create_sheet() for _ in SHEETS[1:]]
    for ws, title in zip(sheets, SHEETS):
        ws.title = title
    _findings_sheet(sheets[0], analysis)
    _detail_sheet(sheets[1], analysis)
    sheets = sheets[:1] + sheets[2:]
    _matrix_sheet(sheets[1], analysis, analysis.coverage, "Seats each sector holds on each forum.",
                  lambda v: int(v), square=False)
    overlap = analysis.overlap
    if analysis.suppress:
        def shown(v):
            return people_count(int(v))
        note = "People discussed at both forums (diagonal: the forum's case list). Counts under 8 show as <8; " \
               "others are rounded to the nearest 5."
    else:
        def shown(v):
            return int(v)
        note = "People discussed at both forums (diagonal: the forum's case list). Exact counts."
    _matrix_sheet(sheets[2], analysis, overlap, note, shown)
    _matrix_sheet(sheets[3], analysis, analysis.similarity,
                  "Share of agencies in common (Jaccard: agencies on both / agencies on either), to two places.",
                  lambda v: round(float(v), 2), minimum=0.5)
    _burden_sheet(sheets[4], analysis)
    for ws in book.worksheets:
        finish_sheet(ws, analysis.source, analysis.as_of,  # row heights and page set-up (mcn_map.writing.spreadsheet)
                     print_columns=PRINTED_COLUMNS if ws.title == "Findings" else None)
    return workbook_bytes(book)
