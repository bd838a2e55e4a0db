"""`mcn-map template`: a blank input workbook with an instructions sheet, headers, frozen panes and drop-downs.

Drop-downs offer the listed values, and the forum and agency ids typed on their own sheets (named ranges
``forum_ids`` and ``agency_ids``), but only warn when something else is typed: the loader accepts the synonyms
the instructions list ('every two weeks', 'ICB'), and a forum may be added after the seats that name it.
Key columns show a short prompt when selected.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from ..errors import McnMapError
from ..writing.files import workbook_bytes, write_atomic
from ..writing.spreadsheet import finish_sheet
from .schema import SECTOR_LABELS, SHEETS, VOCABULARIES

__all__ = ["template_workbook", "write_template"]

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
REQUIRED_FILL = PatternFill("solid", fgColor="833C0B")
VALIDATED_ROWS = 5000
# Which named range a reference column's drop-down offers.
ID_RANGES = {"forums": "forum_ids", "agencies": "agency_ids"}


def _prompt(column) -> str:
    text = f"{column.description} Example: {column.example}"
    return text[:250]  # Excel's limit for an input message is 255 characters


def _validation(column, formula: str, rows: str) -> DataValidation:
    """A list drop-down that warns, not stops: a synonym or a not-yet-added id can still be typed."""
    check = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                           errorStyle="warning", errorTitle=f"Not a listed {column.name}",
                           error="This is not in the list. Keep it only if it is a synonym the instructions give "
                                 "or an id you will add; `mcn-map validate` checks every value.",
                           showInputMessage=True, promptTitle=column.name[:32], prompt=_prompt(column))
    check.add(rows)
    return check


def template_workbook() -> Workbook:
    book = Workbook()
    guide = book.active
    guide.title = "instructions"
    lines = [
        ("mcn-map input workbook", True),
        ("Fill in one sheet per table. Row 1 holds the headers; keep them. Dark red headers are required.", False),
        ("Use the drop-down lists where a column has one. Dates as date cells or YYYY-MM-DD.", False),
        ("Posts are role labels (e.g. 'Multiple disadvantage coordinator 1'), never a person's name. Number a post one "
         "person holds ('Navigator 1', 'Navigator 2'), with the same seniority and role on every forum. A label held "
         "at different seniorities or roles is read as a role several people share; one without a number is called "
         "a post, not a person.", False),
        ("Cohorts hold people: pseudonymise them with `mcn-map snap` before sharing; never paste names.", False),
        ("", False),
    ]
    for spec in SHEETS.values():
        lines.append((f"Sheet '{spec.name}' ({'required' if spec.required else 'optional'}): {spec.row_unit}.", True))
        for column in spec.columns:
            allowed = ""
            if column.vocabulary:
                allowed = " Allowed: " + ", ".join(VOCABULARIES[column.vocabulary]) + "."
            lines.append((f"  {column.name}{' (required)' if column.required else ''}: {column.description}{allowed}"
                          f" Example: {column.example}", False))
        lines.append(("", False))
    lines.append(("Sectors: " + "; ".join(f"{k} = {v}" for k, v in SECTOR_LABELS.items()), False))
    for i, (text, bold) in enumerate(lines, start=1):
        cell = guide.cell(row=i, column=1, value=text)
        cell.font = Font(bold=bold, size=14 if i == 1 else 11)
        cell.alignment = Alignment(wrap_text=True, vertical="top")  # long lines wrap, on screen and on paper
    guide.column_dimensions["A"].width = 140

    lists = book.create_sheet("lists")
    for col, (name, values) in enumerate(VOCABULARIES.items(), start=1):
        lists.cell(row=1, column=col, value=name).font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=col, value=value)
    lists.sheet_state = "hidden"
    list_ranges = {
        name: f"lists!${get_column_letter(col)}$2:${get_column_letter(col)}${len(values) + 1}"
        for col, (name, values) in enumerate(VOCABULARIES.items(), start=1)
    }

    for spec in SHEETS.values():
        sheet = book.create_sheet(spec.name)
        for col, column in enumerate(spec.columns, start=1):
            cell = sheet.cell(row=1, column=col, value=column.name)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
            cell.alignment = Alignment(vertical="center")
            letter = get_column_letter(col)
            sheet.column_dimensions[letter].width = max(14, len(column.name) + 4, min(len(column.example) + 2, 40))
            rows = f"{letter}2:{letter}{VALIDATED_ROWS}"
            if column.vocabulary:
                sheet.add_data_validation(_validation(column, list_ranges[column.vocabulary], rows))
            elif column.kind == "ref" and column.references and column.references[0] in ID_RANGES:
                sheet.add_data_validation(_validation(column, ID_RANGES[column.references[0]], rows))
            elif column.kind == "id" or column.required:
                check = DataValidation(showInputMessage=True, promptTitle=column.name[:32], prompt=_prompt(column))
                check.add(rows)
                sheet.add_data_validation(check)
            elif column.kind == "count":
                check = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                                       showErrorMessage=True, error="Enter a whole number of meetings.")
                check.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
                sheet.add_data_validation(check)
        sheet.freeze_panes = "A2"
    for sheet in book.worksheets:
        finish_sheet(sheet, "blank template")  # print set-up: mcn_map.writing.spreadsheet
    for sheet_name, range_name in ID_RANGES.items():
        book.defined_names[range_name] = DefinedName(
            range_name, attr_text=f"{sheet_name}!$A$2:$A${VALIDATED_ROWS}")
    return book


def write_template(path: str | Path, *, overwrite: bool = False) -> Path:
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise McnMapError(f"the template is an Excel workbook: give a path ending .xlsx (not '{path.name}').")
    # The one overwrite policy: an earlier template mcn-map wrote is replaced; any other file needs --force.
    return write_atomic(path, workbook_bytes(template_workbook()), force=overwrite)
