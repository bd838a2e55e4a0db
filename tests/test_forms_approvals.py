"""The commissioner's decisions on write-ins, read back: `collect --approvals` applies approve, reject and correct
from the reconciliation workbook, and bad input there is a located message, exit 1, no traceback, nothing echoed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from formfill import write_in
from mcn_map.cli import cli
from mcn_map.forms.make import write_forms
from mcn_map.loading.validate import load

EXAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "example_landscape.xlsx"
PASTED_NHS = "999 000 0018"  # synthetic, valid check digit
PASTED_EMAIL = "jo.bloggs@example.org"


@pytest.fixture(scope="module")
def first_collect(tmp_path_factory):
    """A&E's chair writes in a meeting and an agency, each misspelt: both matched by did-you-mean."""
    root = tmp_path_factory.mktemp("approvals")
    _, sent = write_forms(load(EXAMPLE), root / "sent")
    forms = [Path(shutil.copy(p, root / p.name)) for p in sent]
    write_in(root / "form-ae-fa.xlsx", [
        {"What is it?": "another meeting", "Name": "Dual Diagnosis Panl", "Tier (a meeting)": "operational",
         "How your meeting is linked (a meeting)": "we refer to it"},
        {"What is it?": "an agency at our meeting", "Name": "Northtown Mental Health Trst",
         "Sector (an agency)": "mental_health"}])
    result = CliRunner().invoke(cli, ["collect", *map(str, forms), "--into", str(EXAMPLE), "-o",
                                      str(root / "round1.xlsx")])
    assert result.exit_code == 0, result.output
    return root, forms


def _write_ins(path: Path) -> tuple[list[str], dict[str, int]]:
    sheet = load_workbook(path)["Write-ins"]
    header = [c.value for c in sheet[3]]
    rows = {sheet.cell(row=r, column=3).value: r for r in range(4, sheet.max_row + 1)}
    return header, rows


def _decide(root: Path, decisions: dict[str, tuple], name: str = "approvals.xlsx", edit=None) -> Path:
    """The reconciliation workbook saved under a new name, with ``decisions``: as written -> (decision, use instead)."""
    book = load_workbook(root / "round1-reconciliation.xlsx")
    sheet = book["Write-ins"]
    header = [c.value for c in sheet[3]]
    rows = {sheet.cell(row=r, column=3).value: r for r in range(4, sheet.max_row + 1)}
    for written, (decision, instead) in decisions.items():
        sheet.cell(row=rows[written], column=header.index("decision") + 1, value=decision)
        sheet.cell(row=rows[written], column=header.index("use instead") + 1, value=instead)
    if edit:
        edit(book)
    book.save(root / name)
    return root / name


def _collect(root: Path, forms, approvals: Path, out: str):
    return CliRunner().invoke(cli, ["collect", *map(str, forms), "--into", str(EXAMPLE), "-o", str(root / out),
                                    "--approvals", str(approvals)])


def test_the_reconciliation_lists_write_ins_for_a_decision(first_collect):
    root, _ = first_collect
    header, rows = _write_ins(root / "round1-reconciliation.xlsx")
    assert header[-2:] == ["decision", "use instead"]
    assert {"Dual Diagnosis Panl", "Northtown Mental Health Trst"} <= set(rows)
    sheet = load_workbook(root / "round1-reconciliation.xlsx")["Write-ins"]
    assert any("approve,reject,correct" in (v.formula1 or "") for v in sheet.data_validations.dataValidation)


def test_without_decisions_the_matches_stand(first_collect):
    root, _ = first_collect
    landscape = load(root / "round1.xlsx")
    assert "Dual Diagnosis Panl" not in set(landscape.forums["name"])
    seats = landscape.seats[landscape.seats["forum_id"] == "ae-fa"]
    assert "mh-trust" in set(seats["agency_id"])


def test_reject_adds_it_as_new_and_correct_uses_the_one_named(first_collect):
    root, forms = first_collect
    approvals = _decide(root, {"Dual Diagnosis Panl": ("reject", None),
                               "Northtown Mental Health Trst": ("correct", "Crisis Resolution Team")})
    result = _collect(root, forms, approvals, "decided.xlsx")
    assert result.exit_code == 0, result.output
    landscape = load(root / "decided.xlsx")
    new = landscape.forums[landscape.forums["name"] == "Dual Diagnosis Panl"]
    assert len(new) == 1  # rejected: the chair's meeting is another one, added as new
    links = landscape.links
    assert ((links["from_forum"] == "ae-fa") & (links["to_forum"] == new["forum_id"].iloc[0])).any()
    seats = set(landscape.seats.loc[landscape.seats["forum_id"] == "ae-fa", "agency_id"])
    assert "mh-crisis" in seats  # corrected
    # the new reconciliation carries the decisions, so giving it back again decides the same
    sheet = load_workbook(root / "decided-reconciliation.xlsx")["Write-ins"]
    values = {sheet.cell(row=r, column=3).value: [c.value for c in sheet[r]] for r in range(4, sheet.max_row + 1)}
    assert values["Dual Diagnosis Panl"][6] == "reject" and "rejected" in values["Dual Diagnosis Panl"][5]
    assert values["Northtown Mental Health Trst"][6:8] == ["correct", "Crisis Resolution Team"]
    assert values["Northtown Mental Health Trst"][5] == "corrected by the commissioner"


def test_approve_keeps_the_match_and_says_so(first_collect):
    root, forms = first_collect
    approvals = _decide(root, {"Dual Diagnosis Panl": ("approve", None)}, "approve.xlsx")
    result = _collect(root, forms, approvals, "approved.xlsx")
    assert result.exit_code == 0, result.output
    landscape = load(root / "approved.xlsx")
    assert "Dual Diagnosis Panl" not in set(landscape.forums["name"])
    sheet = load_workbook(root / "approved-reconciliation.xlsx")["Write-ins"]
    how = {sheet.cell(row=r, column=3).value: sheet.cell(row=r, column=6).value for r in range(4, sheet.max_row + 1)}
    assert how["Dual Diagnosis Panl"] == "did you mean 'Dual Diagnosis Panel'? approved"


def _rename(book):
    book["Write-ins"].title = "Writeins"


def _clear_written(book):
    sheet = book["Write-ins"]
    for r in range(4, sheet.max_row + 1):
        if sheet.cell(row=r, column=3).value == "Dual Diagnosis Panl":
            sheet.cell(row=r, column=3, value="Dual Diagnosis Panel B")


@pytest.mark.parametrize("decisions, edit, expected", [
    ({"Dual Diagnosis Panl": (PASTED_NHS, None)}, None,
     ["sheet 'Write-ins', row", "column 'decision'", "not one mcn-map knows", "Choose approve, reject, correct"]),
    ({"Northtown Mental Health Trst": ("correct", PASTED_EMAIL)}, None,
     ["column 'use instead'", "not the name or id of a known agency", "exactly as on the agencies sheet"]),
    ({"Northtown Mental Health Trst": ("correct", None)}, None, ["'correct' needs the agency or meeting"]),
    ({"Dual Diagnosis Panl": ("reject", "Channel Panel")}, None, ["only read with 'correct'"]),
    ({"Dual Diagnosis Panl": ("reject", None)}, _clear_written, ["no returned form has this write-in"]),
    ({}, _rename, ["there is no 'Write-ins' sheet"]),
])
def test_bad_decisions_are_located_and_never_echoed(first_collect, decisions, edit, expected):
    root, forms = first_collect
    approvals = _decide(root, decisions, "bad.xlsx", edit)
    result = _collect(root, forms, approvals, "bad-out.xlsx")
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    for text in expected:
        assert text in result.output, result.output
    assert PASTED_NHS not in result.output and PASTED_NHS.replace(" ", "") not in result.output
    assert PASTED_EMAIL not in result.output
    assert not (root / "bad-out.xlsx").exists()  # nothing written


def test_not_a_workbook_or_missing(first_collect, tmp_path):
    root, forms = first_collect
    fake = tmp_path / "approvals.xlsx"
    fake.write_text("not a workbook")
    for path, words in ((fake, "is not an Excel workbook"), (tmp_path / "gone.xlsx", "does not exist")):
        result = _collect(root, forms, path, "never.xlsx")
        assert result.exit_code == 1 and words in result.output and "Traceback" not in result.output


def test_a_workbook_without_the_decision_columns(first_collect, tmp_path):
    root, forms = first_collect
    book = Workbook()
    book.active.title = "Write-ins"
    book.active.append(["written by", "kind", "as written", "matched to"])
    book.save(tmp_path / "old.xlsx")
    result = _collect(root, forms, tmp_path / "old.xlsx", "never.xlsx")
    assert result.exit_code == 1
    assert "the columns decision, use instead are missing" in result.output


def test_the_decisions_file_is_never_written_over(first_collect):
    root, forms = first_collect
    approvals = _decide(root, {"Dual Diagnosis Panl": ("approve", None)}, "round2-reconciliation.xlsx")
    before = approvals.read_bytes()
    result = CliRunner().invoke(cli, ["collect", *map(str, forms), "--into", str(EXAMPLE), "-o",
                                      str(root / "round2.xlsx"), "--approvals", str(approvals)])
    assert result.exit_code == 1 and "refusing to write" in result.output and "choose another output" in result.output
    assert approvals.read_bytes() == before
