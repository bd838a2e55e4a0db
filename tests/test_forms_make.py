"""`mcn-map forms`: one protected, pre-filled form per forum still meeting, tied to its forum, round and landscape."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from mcn_map.cli import cli
from mcn_map.forms.layout import SHEET_NAMES, form_checksum
from mcn_map.forms.make import asked_forums, load_roster, write_forms
from mcn_map.forms.read import read_form
from mcn_map.loading.validate import load

EXAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "example_landscape.xlsx"


@pytest.fixture(scope="module")
def example():
    return load(EXAMPLE)


@pytest.fixture(scope="module")
def example_forms(example, tmp_path_factory):
    folder = tmp_path_factory.mktemp("forms")
    round_, written = write_forms(example, folder, due="31 January 2027")
    return round_, {path.stem.removeprefix("form-"): path for path in written}


def test_one_form_per_forum_still_meeting(example, example_forms):
    round_, forms = example_forms
    meeting = set(example.forums.loc[example.forums["status"].isin(["active", "paused"]), "forum_id"])
    assert set(forms) == meeting == set(asked_forums(example))
    assert round_.name == "1"


def test_form_sheets_protection_and_hidden_identity(example_forms):
    _, forms = example_forms
    book = load_workbook(forms["marac"])
    visible = [ws.title for ws in book.worksheets if ws.sheet_state == "visible"]
    assert visible == list(SHEET_NAMES.values())
    assert book["form"].sheet_state == "veryHidden" and book["lists"].sheet_state == "veryHidden"
    assert book.security.lockStructure
    seats = book[SHEET_NAMES["seats"]]
    assert seats.protection.sheet and seats.protection.password is None
    assert seats["A7"].protection.locked and not seats["D7"].protection.locked  # the Ref is locked, the answer open
    assert any("Choose yes or no" == dv.errorTitle for dv in seats.data_validations.dataValidation)
    assert seats.page_setup.orientation == "landscape" and seats.print_title_rows == "$6:$6"


def test_form_is_prefilled_from_the_landscape(example, example_forms):
    _, forms = example_forms
    form = read_form(forms["marac"])
    assert form.problems == [] and form.usable
    assert form.form_id.forum_id == "marac" and form.form_id.checksum == form_checksum("marac", "1",
                                                                                      form.form_id.fingerprint)
    seated = {s["ref"].split("#")[0] for s in form.seats if s["seat"] == "yes"}
    assert seated == set(example.seats.loc[example.seats["forum_id"] == "marac", "agency_id"])
    assert len(form.seats) >= len(example.agencies)  # every agency has a row
    assert set(form.others) == set(asked_forums(example)) - {"marac"}
    assert form.meeting["name"] == "MARAC" and form.meeting["level"] == "operational"
    marac_links = example.links[(example.links["from_forum"] == "marac") & (example.links["type"] == "escalates_to")]
    for target in marac_links["to_forum"]:
        if target in form.others:
            assert form.others[target]["ties"]["escalates_to"][0] is True


def test_instructions_are_plain_and_never_ask_for_names(example_forms):
    _, forms = example_forms
    book = load_workbook(forms["marac"])
    text = " ".join(str(c.value) for row in book[SHEET_NAMES["start"]].iter_rows() for c in row if c.value)
    assert "chair of MARAC" in text and "never a person's name" in text and "31 January 2027" in text
    assert "organization" not in text.lower()


def test_roster_with_forums_and_agencies_only(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    forums = book.active
    forums.title = "forums"
    forums.append(["Name", "Level", "Forum ID"])  # headers in another order and spelling
    forums.append(["MARAC", "operational", "marac"])
    forums.append(["Community Safety Partnership", "strategic", "csp"])
    agencies = book.create_sheet("agencies")
    agencies.append(["agency_id", "name", "sector"])
    agencies.append(["police", "Northtown Police", "police"])
    book.save(tmp_path / "roster.xlsx")
    landscape = load_roster(tmp_path / "roster.xlsx")
    assert len(landscape.seats) == 0 and landscape.forum_ids == ("marac", "csp") and landscape.warnings == ()
    result = CliRunner().invoke(cli, ["forms", str(tmp_path / "roster.xlsx"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").glob("*.xlsx")) == ["form-csp.xlsx", "form-marac.xlsx"]


def test_forms_refuse_to_overwrite_files_mcn_map_did_not_write(tmp_path):
    (tmp_path / "form-marac.xlsx").write_text("mine")
    result = CliRunner().invoke(cli, ["forms", str(EXAMPLE), "-o", str(tmp_path)])
    assert result.exit_code == 1 and "already exists" in result.output
    assert (tmp_path / "form-marac.xlsx").read_text() == "mine"
    assert not (tmp_path / "form-hcsb.xlsx").exists()  # every target checked before any is written
