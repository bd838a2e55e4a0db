"""Free text scanned like the case list: an NHS number, an email address or a phone number typed into a response's
note or owner, a seat's post, a forum's purpose or a column of the analyst's own is withheld from every output of a
real build, with a warning naming sheet, row and column and never the value."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from mcn_map.build import build
from mcn_map.cli import cli
from mcn_map.loading.validate import check
from mcn_map.privacy.freetext import WITHHELD, identifier_kinds, looks_like_a_name
from test_privacy_support import leaks, spaced, synthetic_nhs
from workbooks import sheets, write_xlsx

NHS = synthetic_nhs(2, start=3141)
EMAIL = "jo.bloggs@northtown.example.org"
PHONE = "07700 900123"
LANDLINE = "0161 496 0018"
LOW_ATTENDANCE = "paper_only_sector-aa012cf7af"  # a finding the little borough raises: its response is shown


def _typed_in(tmp_path):
    data = sheets()
    data["forums"][0] += ["purpose", "contact"]
    data["forums"][1] += [f"Escalations; ring the chair on {PHONE}", f"Write to {EMAIL}"]
    data["forums"][2] += ["Risk plans", ""]
    data["forums"][3] += ["", ""]
    data["members"][4][4] = f"MH liaison ({EMAIL})"
    data["responses"] = [["finding_id", "status", "owner", "note", "review_date"],
                         [LOW_ATTENDANCE, "in hand", f"ASC head of service, {LANDLINE}",
                          f"Case {spaced(NHS[0])} to go to MARAC first; also {NHS[1]}", "2027-03-31"]]
    return write_xlsx(tmp_path / "typed-in.xlsx", data)


@pytest.fixture
def typed_in(tmp_path):
    return _typed_in(tmp_path)


FORBIDDEN = [NHS[0], spaced(NHS[0]), NHS[1], EMAIL, PHONE, LANDLINE, "900123", "496 0018"]


def test_each_identifier_is_told_by_sheet_row_and_column_never_by_value(typed_in):
    landscape, problems = check(typed_in)
    assert landscape is not None
    told = {(p.sheet, p.row, p.column): p.message for p in problems if "withheld from every output" in p.message}
    assert set(told) == {("forums", 2, "purpose"), ("forums", 2, "contact"), ("members", 5, "post"),
                         ("responses", 2, "owner"), ("responses", 2, "note")}
    assert "an NHS number" in told[("responses", 2, "note")] and "a phone number" in told[("forums", 2, "purpose")]
    assert "an email address" in told[("forums", 2, "contact")]
    assert not [v for p in problems for v in FORBIDDEN if v in str(p)]
    note = landscape.responses["note"].iloc[0]
    assert note == f"Case {WITHHELD} to go to MARAC first; also {WITHHELD}"  # the rest of the note is kept
    assert landscape.seats["post"].iloc[3] == f"MH liaison ({WITHHELD})"


def test_no_output_of_a_build_carries_them(typed_in, tmp_path):
    result = build(typed_in, tmp_path / "out")
    assert not leaks(result.outdir, FORBIDDEN)
    report = (result.outdir / "report.html").read_text(encoding="utf-8")
    assert f"Case {WITHHELD} to go to MARAC first" in report  # the response is shown, the number is not


def test_the_command_line_never_prints_them(typed_in):
    for command in (["validate", str(typed_in)], ["analyse", str(typed_in)]):
        result = CliRunner().invoke(cli, command)
        assert "Traceback" not in result.output
        assert not [v for v in FORBIDDEN if v in result.output], command


def test_ordinary_free_text_is_left_alone(tmp_path):
    data = sheets()
    data["responses"] = [["finding_id", "status", "owner", "note"],
                         [LOW_ATTENDANCE, "in hand", "Community safety manager",
                          "Review 31/03/2027 at 10:00-12:00, room 0161; budget 2026/27 of £10,000; ref 12345678"]]
    landscape, problems = check(write_xlsx(tmp_path / "plain.xlsx", data))
    assert not any("withheld" in p.message for p in problems)
    assert WITHHELD not in landscape.responses["note"].iloc[0]


@pytest.mark.parametrize("text, kinds", [
    ("+44 (0)161 496 0018", ["a phone number"]), ("020 7946 0018", ["a phone number"]),
    ("999-314-1577", ["an NHS number"]), ("someone@nhs.net", ["an email address"]), ("MARAC 2026-10-14", []),
])
def test_what_counts_as_an_identifier(text, kinds):
    assert identifier_kinds(text) == kinds


@pytest.mark.parametrize("text, name", [
    ("Jane Smith", True), ("Smith, Jane", True), ("Mary O'Neill", True), ("Anne-Marie Jones", True),
    ("Social Worker", False), ("MD coordinator 1", False), ("Northshire Police", False), ("IDVA", False),
    ("Adult Social Care", False), ("Navigator 2", False), ("Drug and alcohol lead", False),
])
def test_names_are_told_from_posts_and_agencies(text, name):
    assert looks_like_a_name(text) is name


def test_a_name_in_a_post_or_owner_is_warned_about_never_echoed(tmp_path):
    data = sheets()
    data["members"][3][4] = "Perdita Quillfeather"
    data["responses"] = [["finding_id", "status", "owner"], [LOW_ATTENDANCE, "in hand", "Quillfeather, Osbert"]]
    landscape, problems = check(write_xlsx(tmp_path / "named.xlsx", data))
    assert landscape is not None
    told = {(p.sheet, p.row, p.column) for p in problems if "looks like a person's name" in p.message}
    assert told == {("members", 4, "post"), ("responses", 2, "owner")}
    assert not [p for p in problems if "Quillfeather" in str(p)]
