"""The workbooks a round writes: the collected landscape (a copy of the input with the round merged in) and the
reconciliation workbook the commissioner checks before building."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from ..analyses.knowledge import band_phrase
from ..loading.reading import read_sheets
from ..loading.schema import SHEETS
from ..writing.files import safe_text, workbook_bytes, write_atomic, write_private
from ..writing.plain import plain_workbook_bytes
from ..writing.spreadsheet import finish_sheet
from .approvals import DECISIONS
from .collect import Collected

__all__ = ["collected_sheets", "write_collected", "reconciliation_workbook", "write_reconciliation", "table_sheet"]

_ORDER = ("forums", "agencies", "members", "cohorts", "links", "responses", "replies", "reports")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")


def _typed(value: str, kind: str):
    """A text cell back to the type the loader reads without a warning: counts as numbers, dates as dates."""
    if value == "":
        return None
    if kind == "count" and value.isdigit():
        return int(value)
    if kind == "date":
        try:
            return dt.datetime.strptime(value, "%Y-%m-%d")
        except ValueError:
            return value
    return value


def _raw(value):
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)  # an NHS number read as a float keeps its digits
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value


def collected_sheets(collected: Collected, into: str | Path) -> dict[str, tuple[list, list]]:
    """The new landscape's sheets: the round's tables, and every other sheet of ``into`` (the case list, anything
    else) copied as it was."""
    raws = read_sheets(into)
    names = [n for n in _ORDER if n in collected.tables or n in raws] + [n for n in raws if n not in _ORDER]
    sheets = {}
    for name in names:
        table = collected.tables.get(name)
        if name in ("responses", "replies", "reports") and name not in raws and (table is None or not len(table)):
            continue
        if table is not None:
            kinds = [{c.name: c.kind for c in SHEETS[name].columns}.get(c, "text") for c in table.columns]
            rows = [[_typed(v, k) for v, k in zip(record, kinds)] for record in table.itertuples(index=False, name=None)]
            sheets[name] = (list(table.columns), rows)
        else:
            raw = raws[name]
            sheets[raw.name] = (list(raw.table.columns),
                                [[_raw(v) for v in record] for record in raw.table.itertuples(index=False, name=None)])
    return sheets


def write_collected(collected: Collected, into: str | Path, out: str | Path, *, inputs=(), force: bool = False) -> Path:
    """Write the new landscape to ``out`` (readable only by you: it carries the input's case list)."""
    data = plain_workbook_bytes(collected_sheets(collected, into))
    return write_private(out, data, inputs=[Path(into), *inputs], force=force)


def table_sheet(book: Workbook, title: str, headers: list[str], rows: list[list], widths: list[int],
                note: str = "") -> None:
    """A plain sheet: an optional note, a header row, the rows; printable."""
    sheet = book.create_sheet(title)
    start = 1
    if note:
        sheet.cell(row=1, column=1, value=note).font = Font(italic=True)
        start = 3
    for column, (header, width) in enumerate(zip(headers, widths), start=1):
        cell = sheet.cell(row=start, column=column, value=header)
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), HEADER_FILL
        sheet.column_dimensions[cell.column_letter].width = width
    for row_number, values in enumerate(rows, start=start + 1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=column, value=safe_text(value) if value != "" else None)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(row=start + 1, column=1).coordinate
    finish_sheet(sheet)


def _link_lines(collected: Collected, names: dict[str, str]) -> list[list]:
    replied = set(collected.replied)
    lines = []
    links = collected.tables["links"]
    for source, target, kind, reported in zip(links["from_forum"], links["to_forum"], links["type"],
                                              links["reported_by"]):
        by = [f for f in reported.split("|") if f]
        if not by:
            continue
        other = [f for f in (source, target) if f not in by]
        status = "confirmed" if not other else "one-sided" if other[0] in replied else "unconfirmed (no reply)"
        lines.append([names.get(source, source), kind.replace("_", " "), names.get(target, target), status,
                      ", ".join(names.get(f, f) for f in by)])
    order = {"one-sided": 0, "unconfirmed (no reply)": 1, "confirmed": 2}
    return sorted(lines, key=lambda line: order[line[3]])


def _write_ins_sheet(book: Workbook, collected: Collected, names: dict[str, str]) -> None:
    """The write-ins, each with how it was matched and a decision column the commissioner fills in and gives back
    with ``collect --approvals`` (see ``forms/approvals.py``)."""
    rows = [[names.get(w["forum_id"], w["forum_id"]), w["kind"], w["written"], w["matched"], w["id"], w["how"],
             w.get("decision", ""), w.get("use_instead", "")] for w in collected.write_ins]
    table_sheet(book, "Write-ins", ["written by", "kind", "as written", "matched to", "id", "how", "decision",
                                    "use instead"], rows, [30, 10, 30, 30, 20, 50, 12, 30],
                "Agencies and meetings the chairs added; a 'did you mean' match was applied. Decide each in 'decision': "
                "approve, reject (add it as new) or correct (write the known one in 'use instead'); save this workbook "
                "under a new name and run collect again with --approvals and that file.")
    sheet = book["Write-ins"]
    choices = DataValidation(type="list", formula1='"' + ",".join(DECISIONS) + '"', allow_blank=True,
                             showErrorMessage=True, errorTitle="Choose from the list",
                             error="Choose approve, reject or correct, or leave it blank.")
    sheet.add_data_validation(choices)
    choices.add(f"G4:G{max(4, len(rows) + 203)}")


def reconciliation_workbook(collected: Collected, summary: list[tuple[str, str]]) -> Workbook:
    """Every change, link, conflict, write-in, non-response, return and problem, for checking before a build."""
    forums = collected.tables["forums"]
    names = dict(zip(forums["forum_id"], forums["name"]))
    book = Workbook()
    book.remove(book.active)
    table_sheet(book, "Summary", ["", ""], [list(line) for line in summary], [34, 90])
    table_sheet(book, "Changes", ["forum", "sheet", "what changed", "before", "after", "reported by"],
                [[names.get(c["forum_id"], c["forum_id"]), c["sheet"], c["what"], c["before"], c["after"],
                  c["reported_by"]] for c in collected.changes], [30, 10, 44, 26, 26, 22],
                "Every change the returned forms make to the landscape. Check them before building.")
    table_sheet(book, "Links", ["from", "link", "to", "status", "reported by"], _link_lines(collected, names),
                [34, 16, 34, 22, 40], "Links reported this round: confirmed by both chairs, one-sided (the other "
                "chair replied but did not report it) or unconfirmed (the other chair did not reply).")
    table_sheet(book, "Conflicts", ["link", "says it exists", "says it does not", "what"],
                [[c["link"], c["says_yes"], c["says_no"], c["what"]] for c in collected.conflicts], [44, 18, 18, 70],
                "Where two chairs disagree. Both answers are kept; settle them with the chairs.")
    _write_ins_sheet(book, collected, names)
    table_sheet(book, "Not replied", ["forum", "chair (post)", "what was kept"],
                [[n["forum"], n["chair"], n["kept"]] for n in collected.not_replied], [40, 50, 44],
                "Chairs who have not returned their form: remind them by post, never by name.")
    table_sheet(book, "Returns", ["file", "forum", "round", "saved", "status", "why"],
                [[r["file"], names.get(r["forum_id"], r["forum_id"]), r["round"], r["saved"], r["status"], r["why"]]
                 for r in collected.returns], [28, 30, 8, 16, 12, 70])
    table_sheet(book, "Problems", ["severity", "file", "sheet", "row", "column", "problem", "fix"],
                [[p.severity, p.file, p.sheet or "", p.row if p.row is not None else "", p.column or "", p.message,
                  p.fix] for p in collected.problems], [9, 24, 20, 6, 20, 60, 50])
    return book


def write_reconciliation(collected: Collected, summary, out: str | Path, *, inputs=(), force: bool = False) -> Path:
    return write_atomic(out, workbook_bytes(reconciliation_workbook(collected, summary)), inputs=list(inputs),
                        force=force)




def status_workbook(status) -> Workbook:
    book = Workbook()
    book.remove(book.active)
    replied = status.replied
    table_sheet(book, "Replies", ["forum", "chair (post)", "replied"],
                [[forum, chair, "yes" if forum_id in replied else "no"] for forum_id, forum, chair in status.asked],
                [40, 50, 10], f"Round {status.round}: {len(replied)} of {len(status.asked)} replied "
                f"({status.rate:.0%}), {band_phrase(status.band)}. Remind by post, never by name.")
    return book


def write_status(status, out: str | Path, *, inputs=(), force: bool = False) -> Path:
    return write_atomic(out, workbook_bytes(status_workbook(status)), inputs=[Path(p) for p in inputs], force=force)
