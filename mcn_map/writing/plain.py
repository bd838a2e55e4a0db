"""A plain workbook written straight to XML: one table per sheet (a header row, then values), text as inline strings,
whole numbers and decimals as numbers, dates as date cells. For a table too long for openpyxl to write in good time
(a copied case list of 100,000 rows takes it about ten seconds; this, under one), where no styling is wanted.

Text is neutralised as every other output's is (:func:`~mcn_map.writing.files.safe_text`), and the bytes are the same
for the same tables (the zip entries carry :func:`~mcn_map.writing.files.output_timestamp`).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from openpyxl.utils.cell import get_column_letter

from .files import output_timestamp, safe_text

__all__ = ["plain_workbook_bytes"]

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/>'
    '</numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/>'
    '<name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill>'
    '<patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/>'
    '<diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def _cell(ref: str, value, style: str = "") -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        value = "yes" if value else "no"
    if isinstance(value, (dt.datetime, dt.date)):
        stamp = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
        serial = (stamp - _EXCEL_EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="1"><v>{serial:g}</v></c>'
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        return f'<c r="{ref}"{style}><v>{value!r}</v></c>'
    text = str(safe_text(str(value))).translate(_ESCAPES)
    return f'<c r="{ref}" t="inlineStr"{style}><is><t xml:space="preserve">{text}</t></is></c>'


def _sheet(header, rows) -> bytes:
    letters = [get_column_letter(i + 1) for i in range(len(header))]
    parts = [f'{_HEAD}<worksheet xmlns="{_MAIN}"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" '
             'topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>',
             '<row r="1">' + "".join(_cell(f"{l}1", h, ' s="2"') for l, h in zip(letters, header)) + "</row>"]
    for number, row in enumerate(rows, start=2):
        parts.append(f'<row r="{number}">' + "".join(_cell(f"{l}{number}", v) for l, v in zip(letters, row))
                     + "</row>")
    parts.append("</sheetData></worksheet>")
    return "".join(parts).encode("utf-8")


def plain_workbook_bytes(sheets: dict[str, tuple[list, list]]) -> bytes:
    """``sheets``: sheet name -> (header, rows), in order. Returns the .xlsx bytes."""
    names = list(sheets)
    count = range(1, len(names) + 1)
    parts = {
        "[Content_Types].xml": (
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                      'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in count) + "</Types>"),
        "_rels/.rels": (
            f'{_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheets>'
            + "".join(f'<sheet name="{str(n)[:31].translate(_ESCAPES)}" sheetId="{i}" r:id="rId{i}"/>'
                      for i, n in zip(count, names)) + "</sheets></workbook>"),
        "xl/_rels/workbook.xml.rels": (
            f'{_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="{_RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in count)
            + f'<Relationship Id="rIdStyles" Type="{_RELS}/styles" Target="styles.xml"/></Relationships>'),
        "xl/styles.xml": _STYLES,
    }
    stamp = output_timestamp()
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, text in parts.items():
            archive.writestr(zipfile.ZipInfo(part, date_time), text, compress_type=zipfile.ZIP_DEFLATED)
        for i, name in zip(count, names):
            header, rows = sheets[name]
            archive.writestr(zipfile.ZipInfo(f"xl/worksheets/sheet{i}.xml", date_time), _sheet(header, rows),
                             compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
    return buffer.getvalue()
