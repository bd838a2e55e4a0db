"""Bad and hostile returns: each gets a clear, located message, loses nothing else, and never echoes an identifier."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from formfill import fill
from mcn_map.cli import cli
from mcn_map.forms.collect import merge_returns
from mcn_map.forms.layout import SHEET_NAMES
from mcn_map.forms.make import write_forms
from mcn_map.forms.read import read_form
from mcn_map.forms.run import collect_round
from mcn_map.loading.validate import load

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inputs" / "example_landscape.xlsx"
OFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def example():
    return load(EXAMPLE)


@pytest.fixture(scope="module")
def sent(example, tmp_path_factory):
    _, written = write_forms(example, tmp_path_factory.mktemp("sent"))
    return {p.stem.removeprefix("form-"): p for p in written}


@pytest.fixture
def marac(sent, tmp_path) -> Path:
    return Path(shutil.copy(sent["marac"], tmp_path / "form-marac.xlsx"))


def _messages(form) -> list[str]:
    return [str(p) for p in form.problems]


def test_not_a_workbook_is_set_aside_with_a_message(sent, tmp_path):
    fake = tmp_path / "form-vip.xlsx"
    fake.write_text("Thanks, see attached!")
    form = read_form(fake)
    assert not form.usable and "is not an Excel workbook (.xlsx)" in _messages(form)[0]
    result = CliRunner().invoke(cli, ["collect", str(fake), str(sent["iom"]), "--into", str(EXAMPLE), "-o",
                                      str(tmp_path / "new.xlsx")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "form-vip.xlsx: is not an Excel workbook" in result.output
    assert load(tmp_path / "new.xlsx").replies.set_index("forum_id").loc["iom", "replied"] == "yes"  # nothing lost


def test_a_form_from_another_landscape_is_set_aside(tmp_path):
    other = ROOT / "inputs" / "example_landscape_2027.xlsx"
    _, written = write_forms(load(other), tmp_path / "other")
    report = collect_round(written[:2], EXAMPLE, tmp_path / "new.xlsx")
    assert {r["status"] for r in report.collected.returns} == {"set aside"}
    assert all("from another landscape" in r["why"] for r in report.collected.returns)


def test_an_edited_or_missing_form_id(marac, tmp_path):
    book = load_workbook(marac)
    book["form"]["B2"] = "matac"  # the chair of MARAC tries to answer for MATAC
    book.save(tmp_path / "edited.xlsx")
    assert "form id has been changed" in " ".join(_messages(read_form(tmp_path / "edited.xlsx")))
    book = load_workbook(marac)
    book.security.lockStructure = False
    del book["form"]
    book.save(tmp_path / "no-id.xlsx")
    assert "has no mcn-map form id" in " ".join(_messages(read_form(tmp_path / "no-id.xlsx")))


def test_sheets_renamed_reordered_and_rows_inserted_still_read(marac, example):
    fill(marac, [("seats", "probation", "Seat at your meeting?", "yes"),
                 ("others", "csp-board", "Escalation", "we escalate to it")])
    book = load_workbook(marac)
    book.security.lockStructure = False
    book[SHEET_NAMES["seats"]].title = "Members"
    book.move_sheet("Members", offset=-2)
    others = book[SHEET_NAMES["others"]]
    others.insert_rows(9, amount=2)  # two rows pushed into the middle of the table
    book.save(marac)
    form = read_form(marac)
    assert [p.message for p in form.problems] == [
        "the sheet 'Who sits at the table' was renamed; its answers were read from it."]
    assert any(s["ref"] == "probation" and s["seat"] == "yes" for s in form.seats)
    assert form.others["csp-board"]["ties"]["escalates_to"] == (True, False)


def test_structure_edited_gives_located_errors(marac):
    book = load_workbook(marac)
    others = book[SHEET_NAMES["others"]]
    for cell in others[6]:
        if cell.value == "Escalation":
            cell.value = "Escalations?"
    book[SHEET_NAMES["seats"]]["A8"] = "not-an-agency"
    book.save(marac)
    form = read_form(marac)
    problems = {(p.sheet, p.column): p for p in form.problems}
    assert "the column 'Escalation' is missing" in problems[(SHEET_NAMES["others"], None)].message
    collected = merge_returns(load(EXAMPLE), [form])
    located = [p for p in collected.problems if p.row == 8 and p.column == "Ref"]
    assert located and "Ref is not one mcn-map wrote" in located[0].message


def test_a_name_typed_into_a_drop_down_is_never_shown_back(marac):
    fill(marac, [("others", "csp-board", "Do you know it meets?", "Dr Priya Patel"),
                 ("meeting", "frequency", "Your answer", "Jane Smith")])
    messages = _messages(read_form(marac))
    refused = [m for m in messages if "is not one of the choices" in m]
    assert len(refused) == 2 and not any("Patel" in m or "Smith" in m for m in messages)
    assert any("the answer is not one of the choices for frequency" in m for m in refused)


def test_a_write_in_that_does_not_say_what_it_is_is_told_not_dropped(marac):
    from formfill import write_in

    write_in(marac, [{"Name": "Northtown Night Shelter"}])
    form = read_form(marac)
    told = [p for p in form.problems if p.column == "What is it?"]
    assert len(told) == 1 and told[0].severity == "warning" and "it was not used" in told[0].message
    assert told[0].row and "Night Shelter" not in told[0].message and form.write_ins == []
    # boundary: a sector alone says it is an agency, so the row is used
    write_in(marac, [{"Name": "Northtown Day Centre", "Sector (an agency)": "Voluntary and community sector"}])
    assert [w["name"] for w in read_form(marac).write_ins] == ["Northtown Day Centre"]


def test_drop_downs_bypassed_with_free_text(marac):
    fill(marac, [("others", "csp-board", "Escalation", "sometimes, via email"),
                 ("meeting", "frequency", "Your answer", "every 4 weeks"),
                 ("meeting", "level", "Your answer", "Operational"),
                 ("others", "iom", "How useful (1-4)", 7)])
    form = read_form(marac)
    messages = _messages(form)
    assert any("sheet 'Other meetings'" in m and "column 'Escalation'" in m and "is not one of the choices" in m
               for m in messages)
    assert any("'every 4 weeks' is not one of the choices for frequency" in m for m in messages)
    assert any("column 'How useful (1-4)'" in m and "from 1 to 4" in m for m in messages)
    assert form.meeting["level"] == "operational" and "frequency" not in form.meeting  # the rest still read


def test_formula_injection_is_refused_or_neutralised(marac, tmp_path, example):
    book = load_workbook(marac)
    seats = book[SHEET_NAMES["seats"]]
    seats["G7"] = '=HYPERLINK("http://evil.invalid","click")'  # a formula
    seats["G8"] = "=cmd|' /C calc'!A0"
    seats["G8"].data_type = "s"  # the same text typed as text, not a formula
    book.save(marac)
    form = read_form(marac)
    assert any("holds a formula" in m and "row 7" in m for m in _messages(form))
    others = [p for forum, p in _copies(tmp_path).items() if forum != "marac"]
    report = collect_round([marac, *others], EXAMPLE, tmp_path / "new.xlsx")
    new = load_workbook(report.written)
    formulas = [c.coordinate for ws in new.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    posts = [c.value for row in new["members"].iter_rows() for c in row if isinstance(c.value, str) and "cmd|" in c.value]
    assert posts == ["'=cmd|' /C calc'!A0"]


def _copies(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "all"
    _, written = write_forms(load(EXAMPLE), folder)
    return {p.stem.removeprefix("form-"): p for p in written}


@pytest.mark.parametrize("pasted", ["999 000 0018", "9990000018", "j.smith@nhs.net", "07700 900123"])
def test_identifiers_in_free_text_are_refused_without_echo(marac, pasted):
    fill(marac, [("seats", "police", "Post (never a person's name)", f"DI {pasted}")])
    form = read_form(marac)
    messages = " ".join(_messages(form))
    assert "looks like it holds an NHS number, an email address or a telephone number" in messages
    assert pasted not in messages and pasted[-4:] not in messages
    assert all(pasted not in s["post"] for s in form.seats)


@pytest.mark.skipif(OFFICE is None, reason="LibreOffice is not installed")
def test_a_form_filled_and_saved_by_libreoffice_calc_is_collected(sent, tmp_path, example):
    """A real client: the filled form saved by LibreOffice Calc (headless) collects like the one Excel would send."""
    filled = fill(Path(shutil.copy(sent["marac"], tmp_path / "filled.xlsx")), [
        ("seats", "probation", "Seat at your meeting?", "yes"),
        ("seats", "probation", "Post (never a person's name)", "Probation officer 4"),
        ("others", "csp-board", "Escalation", "we escalate to it"),
        ("others", "csp-board", "How useful (1-4)", 3),
        ("meeting", "frequency", "Your answer", "monthly")])
    out = tmp_path / "calc"
    subprocess.run([OFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--calc",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(filled)],
                   check=True, timeout=240, capture_output=True)
    saved = out / "filled.xlsx"
    assert saved.read_bytes() != filled.read_bytes()
    form = read_form(saved)
    assert form.usable and [p for p in form.problems if p.is_error] == []
    others = {f: p for f, p in sent.items() if f != "marac"}
    collected = merge_returns(example, [form, *[read_form(p) for p in others.values()]])
    members = collected.tables["members"]
    seat = members[(members["forum_id"] == "marac") & (members["agency_id"] == "probation")]
    assert seat["post"].tolist() == ["Probation officer 4"]
    forums = collected.tables["forums"]
    assert forums.loc[forums["forum_id"] == "marac", "frequency"].tolist() == ["monthly"]
    links = collected.tables["links"]
    assert ((links["from_forum"] == "marac") & (links["to_forum"] == "csp-board")
            & (links["reported_by"] == "marac")).any()
    # exactly the three answers changed: Calc's re-save changed nothing else
    assert [c["what"] for c in collected.changes] == [
        "frequency", "post of Probation Service's seat", "link added: MARAC escalates to Community Safety Partnership Board"]


def test_a_name_hidden_by_invisible_characters_is_not_shown_back_either(marac):
    """A zero-width space or a direction override inside a name does not make it a non-name (and a direction
    override never reaches a message: it would make the terminal show the text in another order)."""
    fill(marac, [("meeting", "frequency", "Your answer", "Jane\u202eSmith"),
                 ("others", "csp-board", "Do you know it meets?", "Dr\u200bPriya Patel"),
                 ("meeting", "level", "Your answer", "every\u202e week")])
    messages = _messages(read_form(marac))
    assert not any(s in m for m in messages for s in ("Jane", "Smith", "Priya", "Patel"))
    assert not any(ch in m for m in messages for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert any("'every week' is not one of the choices for level" in m for m in messages)  # not a name: shown
