"""`mcn-map collect`: returned forms merged into a copy of the landscape, reconciled, the input never modified."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from formfill import fill, write_in
from mcn_map.analyses.run import analyse
from mcn_map.cli import cli
from mcn_map.forms.collect import merge_returns
from mcn_map.forms.make import write_forms
from mcn_map.forms.read import read_form
from mcn_map.forms.run import collect_round
from mcn_map.loading.validate import load

EXAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "example_landscape.xlsx"


@pytest.fixture(scope="module")
def example():
    return load(EXAMPLE)


@pytest.fixture(scope="module")
def blank_forms(example, tmp_path_factory):
    folder = tmp_path_factory.mktemp("sent")
    _, written = write_forms(example, folder)
    return {p.stem.removeprefix("form-"): p for p in written}


@pytest.fixture
def returned(blank_forms, tmp_path):
    """A fresh copy of every form, as the chairs might send them back."""
    folder = tmp_path / "returned"
    folder.mkdir()
    return {forum: Path(shutil.copy(path, folder / path.name)) for forum, path in blank_forms.items()}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_forms_returned_unchanged_change_nothing(example, returned, tmp_path):
    before = {p: _digest(p) for p in [EXAMPLE, *returned.values()]}
    report = collect_round(list(returned.values()), EXAMPLE, tmp_path / "new.xlsx")
    assert report.collected.changes == [] and report.collected.conflicts == []
    assert {p: _digest(p) for p in before} == before  # inputs never modified
    new = load(report.written)
    assert [f.id for f in analyse(new).findings] == [f.id for f in analyse(example).findings]
    for table in ("forums", "agencies", "seats"):
        columns = [c for c in getattr(example, table).columns if c != "row"]
        assert getattr(new, table)[columns].astype(str).reset_index(drop=True).equals(
            getattr(example, table)[columns].astype(str).reset_index(drop=True)), table
    assert len(new.cohorts) == len(example.cohorts)
    assert set(new.replies["replied"]) == {"yes"} and len(new.replies) == len(returned)
    # every link both ends were asked about is now confirmed by both
    asked = set(returned)
    both = new.links[new.links["from_forum"].isin(asked) & new.links["to_forum"].isin(asked)]
    assert all(set(r) == {a, b} for r, a, b in zip(both["reported_by"], both["from_forum"], both["to_forum"]))


def test_a_blank_answer_is_no_answer_and_no_removes(example, returned, tmp_path):
    seated = example.seats[example.seats["forum_id"] == "marac"]["agency_id"].tolist()
    fill(returned["marac"], [("seats", seated[0], "Seat at your meeting?", None),
                             ("seats", seated[1], "Seat at your meeting?", "no")])
    collected = merge_returns(example, [read_form(p) for p in returned.values()])
    members = collected.tables["members"]
    now = members[members["forum_id"] == "marac"]["agency_id"].tolist()
    assert seated[0] in now and seated[1] not in now
    assert [c["what"] for c in collected.changes] == [f"seat removed: {example.agency_name[seated[1]]}"]


def test_confirmed_one_sided_and_conflicting_links(example, returned):
    # MARAC says it escalates to the CSP board, which does not list MARAC; Channel says it refers to IOM, IOM says no.
    fill(returned["marac"], [("others", "csp-board", "Escalation", "we escalate to it")])
    fill(returned["csp-board"], [("others", "marac", "Escalation", None)])
    fill(returned["channel"], [("others", "iom", "Referral", "we refer to it")])
    fill(returned["iom"], [("others", "channel", "Referral", "neither")])
    collected = merge_returns(example, [read_form(p) for p in returned.values()])
    links = collected.tables["links"]
    row = links[(links["from_forum"] == "marac") & (links["to_forum"] == "csp-board")
                & (links["type"] == "escalates_to")]
    assert row["reported_by"].tolist() == ["marac"]
    conflict = [c for c in collected.conflicts if c["from_forum"] == "channel" and c["to_forum"] == "iom"]
    assert conflict and conflict[0]["says_yes"] == "channel" and conflict[0]["says_no"] == "iom"


def test_write_ins_matched_or_added(example, returned):
    write_in(returned["marac"], [
        {"What is it?": "an agency at our meeting", "Name": "Northshire Polce", "Post at your meeting (an agency)":
         "Detective sergeant 2"},
        {"What is it?": "an agency at our meeting", "Name": "Kestrel Bicycle Recycling Project", "Sector (an agency)":
         "Voluntary and community sector", "Post at your meeting (an agency)": "Project lead"},
        {"What is it?": "another meeting", "Name": "Hospital Discharge Huddle", "Tier (a meeting)": "operational",
         "How your meeting is linked (a meeting)": "we refer to it"}])
    collected = merge_returns(example, [read_form(p) for p in returned.values()])
    ins = {w["written"]: w for w in collected.write_ins}
    assert ins["Northshire Polce"]["id"] == "police" and "did you mean" in ins["Northshire Polce"]["how"]
    assert ins["Kestrel Bicycle Recycling Project"]["id"] == "kestrel-bicycle-recycling-project"
    agencies = collected.tables["agencies"]
    assert agencies.loc[agencies["agency_id"] == "kestrel-bicycle-recycling-project", "sector"].tolist() == ["vcs"]
    forums = collected.tables["forums"]
    assert "hospital-discharge-huddle" in set(forums["forum_id"])
    links = collected.tables["links"]
    assert ((links["from_forum"] == "marac") & (links["to_forum"] == "hospital-discharge-huddle")
            & (links["reported_by"] == "marac")).any()


def test_a_near_name_of_another_sector_is_a_new_agency(example, returned):
    """'Samaritans of Northtown' (voluntary sector) is near 'HMP Northtown' by spelling only: not taken for it."""
    write_in(returned["marac"], [
        {"What is it?": "an agency at our meeting", "Name": "Samaritans of Northtown", "Sector (an agency)":
         "Voluntary and community sector", "Post at your meeting (an agency)": "Listener volunteer"},
        {"What is it?": "an agency at our meeting", "Name": "Northshire Polce", "Sector (an agency)": "Police",
         "Post at your meeting (an agency)": "Detective sergeant 2"}])
    collected = merge_returns(example, [read_form(returned["marac"])])
    ins = {w["written"]: w for w in collected.write_ins}
    assert ins["Samaritans of Northtown"]["id"] != "prison" and "whose sector differs" in ins[
        "Samaritans of Northtown"]["how"]
    members = collected.tables["members"]
    assert not ((members["forum_id"] == "marac") & (members["agency_id"] == "prison")).any()
    assert ins["Northshire Polce"]["id"] == "police"  # boundary: near, and the same sector


def test_non_response_keeps_previous_data_unconfirmed(example, returned, tmp_path):
    forms = [p for forum, p in returned.items() if forum != "vip"]
    report = collect_round(forms, EXAMPLE, tmp_path / "new.xlsx")
    assert [n["forum_id"] for n in report.collected.not_replied] == ["vip"]
    new = load(report.written)
    assert len(new.seats[new.seats["forum_id"] == "vip"]) == len(example.seats[example.seats["forum_id"] == "vip"])
    assert new.replies.set_index("forum_id").loc["vip", "replied"] == "no"
    book = load_workbook(report.reconciliation)
    assert {"Summary", "Changes", "Links", "Conflicts", "Write-ins", "Not replied", "Returns", "Problems"} <= set(
        book.sheetnames)
    not_replied = [c.value for row in book["Not replied"].iter_rows() for c in row if c.value]
    assert any("VIP" in str(v) for v in not_replied)


def test_a_form_returned_twice_the_newer_wins(example, returned, tmp_path):
    early = fill(returned["marac"], [("meeting", "frequency", "Your answer", "monthly")],
                 saved=dt.datetime(2026, 11, 1), out=tmp_path / "marac-first.xlsx")
    late = fill(returned["marac"], [("meeting", "frequency", "Your answer", "weekly")],
                saved=dt.datetime(2026, 11, 9), out=tmp_path / "marac-second.xlsx")
    others = [p for forum, p in returned.items() if forum != "marac"]
    collected = merge_returns(example, [read_form(p) for p in [late, early, *others]])
    forums = collected.tables["forums"]
    assert forums.loc[forums["forum_id"] == "marac", "frequency"].tolist() == ["weekly"]
    lines = {r["file"]: r for r in collected.returns}
    assert lines["marac-first.xlsx"]["status"] == "superseded" and lines["marac-second.xlsx"]["status"] == "used"


def test_copies_that_differ_and_record_no_order_are_both_set_aside(example, returned, tmp_path):
    """Nothing says which is newer (the same saving time, as copies repackaged without one have): no guess by name."""
    when = dt.datetime(2026, 11, 5, 10, 0)
    first = fill(returned["marac"], [("meeting", "frequency", "Your answer", "monthly")], saved=when,
                 out=tmp_path / "form-marac.xlsx")
    second = fill(returned["marac"], [("meeting", "frequency", "Your answer", "weekly")], saved=when,
                  out=tmp_path / "form-marac (1).xlsx")
    collected = merge_returns(example, [read_form(first), read_form(second)])
    lines = {r["file"]: r for r in collected.returns}
    assert [lines[f.name]["status"] for f in (first, second)] == ["set aside", "set aside"]
    assert "answers differently" in lines[first.name]["why"] and "neither was used" in lines[first.name]["why"]
    forums = collected.tables["forums"]
    assert forums.loc[forums["forum_id"] == "marac", "frequency"].tolist() == ["fortnightly"]  # as it was
    assert "marac" not in collected.replied
    # boundary: two copies that say the same are one return, whichever is used
    same = fill(returned["marac"], [("meeting", "frequency", "Your answer", "monthly")], saved=when,
                out=tmp_path / "form-marac (2).xlsx")
    collected = merge_returns(example, [read_form(first), read_form(same)])
    statuses = sorted(r["status"] for r in collected.returns)
    assert statuses == ["superseded", "used"] and "says the same" in next(
        r["why"] for r in collected.returns if r["status"] == "superseded")
    forums = collected.tables["forums"]
    assert forums.loc[forums["forum_id"] == "marac", "frequency"].tolist() == ["monthly"]


def test_a_chairs_no_is_kept_when_the_row_still_reports_a_link(example, returned):
    """A&E's chair says they do not know the board meets but leaves the escalation filled in: 'no' is kept, the
    link is not counted as reported by them, and the form says so where it happened."""
    form = fill(returned["ae-fa"], [("others", "hcsb", "Do you know it meets?", "no")])
    collected = merge_returns(example, [read_form(form)])
    reports = collected.tables["reports"]
    said = reports[(reports["forum_id"] == "ae-fa") & (reports["about_forum"] == "hcsb")]["knows"].tolist()
    assert said == ["no"]
    links = collected.tables["links"]
    route = links[(links["from_forum"] == "ae-fa") & (links["to_forum"] == "hcsb")]
    assert len(route) == 1 and "ae-fa" not in str(route["reported_by"].iloc[0])
    warning = next(p for p in collected.problems if "does not know" in p.message or "do not know" in p.message)
    assert warning.severity == "warning" and warning.column == "Do you know it meets?" and warning.row
    # must not fire: the same row with 'yes', or left as sent
    collected = merge_returns(example, [read_form(fill(returned["ae-fa"], [("others", "hcsb", "Do you know it meets?",
                                                                           "yes")]))])
    assert not any("do not know" in p.message for p in collected.problems)


def test_cli_collect_and_status(returned, tmp_path):
    runner = CliRunner()
    forms = [str(p) for forum, p in returned.items() if forum not in ("vip", "drd", "iom", "channel", "hwb")]
    result = runner.invoke(cli, ["collect", "--status", *forms, "-o", str(tmp_path / "status.xlsx")])
    assert result.exit_code == 0, result.output
    assert "15 of 20 chairs have replied (75%): moderate confidence" in result.output
    assert "VIP (Vulnerability, Intelligence, Problem solving): Neighbourhood inspector, Northshire Police" in \
        result.output
    result = runner.invoke(cli, ["collect", *forms, "--into", str(EXAMPLE), "-o", str(tmp_path / "new.xlsx")])
    assert result.exit_code == 0, result.output
    assert "Forms returned: 15 of 20 chairs (75%)" in result.output
    assert (tmp_path / "new-reconciliation.xlsx").exists()
    result = runner.invoke(cli, ["collect", *forms, "-o", str(tmp_path / "new.xlsx")])
    assert result.exit_code == 1 and "needs --into" in result.output


def test_status_does_not_count_a_form_collect_would_set_aside(returned, tmp_path):
    """A round-1 form made from another landscape (the 2027 snapshot) is not a reply to this round."""
    _, other = write_forms(load(EXAMPLE.with_name("example_landscape_2027.xlsx")), tmp_path / "other")
    stray = next(p for p in other if p.stem == "form-vip")
    forms = [str(p) for forum, p in returned.items() if forum not in ("vip", "drd", "iom", "channel", "hwb")]
    result = CliRunner().invoke(cli, ["collect", "--status", *forms, str(stray)])
    assert "15 of 20 chairs have replied (75%)" in result.output, result.output
    assert "VIP (Vulnerability, Intelligence, Problem solving):" in result.output  # still to remind
    assert "Not counted" in result.output and stray.name in result.output
