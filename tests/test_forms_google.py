"""A filled form in the shape Google Sheets' "Download as Microsoft Excel (.xlsx)" writes, collected.

No Google export of an mcn-map form exists to test with (the tests have no internet). The package is reshaped the
way a real Google Sheets export is, as read from one (tidyverse/readxl's tests/testthat/sheets/iris-google-doc.xlsx,
not copied here): no docProps (so no saved date), no <dimension> in any sheet, an empty worksheet drawing per
sheet, Google's extra namespaces on the workbook and sheets. Sheet and workbook protection are dropped too, as a
worst case. The answers must be read exactly as from Excel's copy.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

from formfill import fill
from mcn_map.forms.make import write_forms
from mcn_map.forms.read import read_form
from mcn_map.forms.run import collect_round
from mcn_map.loading.validate import load

EXAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "example_landscape.xlsx"
GOOGLE_NS = ('xmlns:mx="http://schemas.microsoft.com/office/mac/excel/2008/main" '
             'xmlns:mv="urn:schemas-microsoft-com:mac:vml"')
DRAWING = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><xdr:wsDr xmlns:xdr="http://schemas.'
           'openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/'
           'drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>')
DRAWING_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"


def _sheet(xml: str, n: int) -> tuple[str, str]:
    """A worksheet as Google writes it, and its relationships (an empty drawing)."""
    xml = re.sub(r"<dimension[^>]*/>", "", xml)
    xml = re.sub(r"<sheetProtection[^>]*/>", "", xml)
    xml = xml.replace("<worksheet ", f"<worksheet {GOOGLE_NS} ", 1)
    rid = "rIdG1"
    if "xmlns:r=" not in xml:
        xml = xml.replace("<worksheet ", '<worksheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                          'relationships" ', 1)
    # The drawing goes where the schema puts it: before any legacy drawing, table parts or extension list.
    at = min([xml.find(t) for t in ("<legacyDrawing", "<tableParts", "<extLst") if xml.find(t) >= 0]
             + [xml.rfind("</worksheet>")])
    xml = xml[:at] + f'<drawing r:id="{rid}"/>' + xml[at:]
    rel = f'<Relationship Id="{rid}" Type="{DRAWING_REL}" Target="../drawings/worksheetdrawing{n}.xml"/>'
    return xml, rel


def google_export(source: Path, target: Path) -> Path:
    """``source`` repackaged the way Google Sheets exports a workbook."""
    with zipfile.ZipFile(source) as zin:
        parts = {name: zin.read(name) for name in zin.namelist()}
    parts = {k: v for k, v in parts.items() if not k.startswith("docProps/")}
    rels = parts["_rels/.rels"].decode()
    parts["_rels/.rels"] = re.sub(r'<Relationship [^>]*Target="/?docProps/[^"]*"/>', "", rels).encode()
    types = re.sub(r'<Override PartName="/docProps/[^"]*"[^>]*/>', "", parts["[Content_Types].xml"].decode())
    workbook = re.sub(r"<workbookProtection[^>]*/>", "", parts["xl/workbook.xml"].decode())
    parts["xl/workbook.xml"] = workbook.replace("<workbook ", f"<workbook {GOOGLE_NS} ", 1).encode()
    sheets = sorted(k for k in parts if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", k))
    for n, name in enumerate(sheets, start=1):
        xml, rel = _sheet(parts[name].decode(), n)
        parts[name] = xml.encode()
        rels_name = name.replace("worksheets/", "worksheets/_rels/") + ".rels"
        old = parts.get(rels_name, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns='
                        b'"http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>').decode()
        parts[rels_name] = old.replace("</Relationships>", rel + "</Relationships>").encode()
        parts[f"xl/drawings/worksheetdrawing{n}.xml"] = DRAWING.encode()
        types = types.replace("</Types>", f'<Override ContentType="application/vnd.openxmlformats-officedocument.'
                              f'drawing+xml" PartName="/xl/drawings/worksheetdrawing{n}.xml"/></Types>')
    parts["[Content_Types].xml"] = types.encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    return target


def test_a_google_shaped_form_is_collected_like_excels(tmp_path):
    _, sent = write_forms(load(EXAMPLE), tmp_path / "sent")
    forms = {p.stem.removeprefix("form-"): Path(shutil.copy(p, tmp_path / p.name)) for p in sent}
    fill(forms["maart"], [("seats", "probation", "Seat at your meeting?", "yes"),
                          ("seats", "probation", "Post (never a person's name)", "Probation officer 3"),
                          ("others", "ae-fa", "Do you know it meets?", "no")])
    excel = read_form(forms["maart"])
    google = google_export(forms["maart"], tmp_path / "maart-google.xlsx")
    with zipfile.ZipFile(google) as archive:
        names = archive.namelist()
        assert not any(n.startswith("docProps/") for n in names) and "xl/drawings/worksheetdrawing1.xml" in names
        assert not any(b"<dimension" in archive.read(n) for n in names if n.startswith("xl/worksheets/sheet"))
    form = read_form(google)
    assert form.usable and form.saved is None  # no docProps: no saved date
    assert form.seats == excel.seats and form.others == excel.others and form.meeting == excel.meeting
    assert [p.message for p in form.problems] == [p.message for p in excel.problems]
    returned = [p for f, p in forms.items() if f != "maart"] + [google]
    report = collect_round(returned, EXAMPLE, tmp_path / "collected.xlsx")
    used = {r["file"]: r for r in report.collected.returns}
    assert used["maart-google.xlsx"]["status"] == "used" and used["maart-google.xlsx"]["saved"] == ""
    landscape = load(report.written)
    seats = landscape.seats[(landscape.seats["forum_id"] == "maart") & (landscape.seats["agency_id"] == "probation")]
    assert list(seats["post"]) == ["Probation officer 3"]
    reports = landscape.reports
    said = reports[(reports["forum_id"] == "maart") & (reports["about_forum"] == "ae-fa")]
    assert list(said["knows"]) == ["no"]


def test_an_undated_google_copy_loses_to_a_dated_one(tmp_path):
    _, sent = write_forms(load(EXAMPLE), tmp_path / "sent")
    forms = {p.stem.removeprefix("form-"): Path(shutil.copy(p, tmp_path / p.name)) for p in sent}
    google = google_export(fill(forms["marac"], [("others", "vip", "Do you know it meets?", "no")],
                                out=tmp_path / "marac-first.xlsx"), tmp_path / "marac-google.xlsx")
    fill(forms["marac"], [("others", "vip", "Do you know it meets?", "yes")])
    report = collect_round([*forms.values(), google], EXAMPLE, tmp_path / "collected.xlsx")
    status = {r["file"]: r["status"] for r in report.collected.returns}
    assert status["marac-google.xlsx"] == "superseded" and status["form-marac.xlsx"] == "used"
