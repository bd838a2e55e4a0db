"""Rounds over time: a new round's forms start from the last collected landscape, and `compare` shows what the chairs
now know of each other."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from formfill import fill
from mcn_map.cli import cli
from mcn_map.forms.make import write_forms
from mcn_map.forms.read import read_form
from mcn_map.forms.run import collect_round
from mcn_map.loading.validate import load

EXAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "example_landscape.xlsx"


def _returned(landscape, folder: Path) -> dict[str, Path]:
    _, sent = write_forms(landscape, folder / "sent")
    return {p.stem.removeprefix("form-"): Path(shutil.copy(p, folder / p.name)) for p in sent}


def test_a_second_round_starts_from_the_first_and_compare_shows_what_changed(tmp_path):
    one = _returned(load(EXAMPLE), tmp_path / "one")
    fill(one["ae-fa"], [("others", "maart", "Do you know it meets?", "no")])
    fill(one["maart"], [("others", "ae-fa", "Do you know it meets?", "no")])
    first = collect_round(list(one.values()), EXAMPLE, tmp_path / "round1.xlsx").written

    two = _returned(load(first), tmp_path / "two")
    form = read_form(two["ae-fa"])
    assert form.form_id.round == "2"
    assert form.others["maart"]["knows"] == "no"  # pre-filled from what the chair said in round 1
    fill(two["ae-fa"], [("others", "maart", "Do you know it meets?", "yes")])
    stale = one["vip"]  # a round-1 form sent back late
    second = collect_round([*two.values(), stale], first, tmp_path / "round2.xlsx")
    returns = {r["file"]: r for r in second.collected.returns}
    assert returns[stale.name]["status"] == "set aside" and "from round 1, not round 2" in returns[stale.name]["why"]

    landscape = load(second.written)
    assert sorted(set(landscape.replies["round"])) == ["1", "2"]  # both rounds kept
    result = CliRunner().invoke(cli, ["compare", str(first), str(second.written), "-o", str(tmp_path / "cmp"),
                                      "--json", str(tmp_path / "changes.json")])
    assert result.exit_code == 0, result.output
    assert "What the chairs know of each other: round 1 (20 of 20 forms, high) → round 2 (20 of 20 forms, high)" \
        in result.output
    changes = json.loads((tmp_path / "changes.json").read_text())
    assert {"forum_id": "ae-fa", "knows": "maart"} in changes["knowledge"]["now_known"]
    resolved = [f["rule"] for f in changes["findings"]["resolved"]]
    assert "unknown_neighbours" in resolved


def test_a_link_a_chair_did_not_report_is_not_prefilled_for_them_next_round(tmp_path):
    """Round 1: the board's chair says CSCC does not escalate to it (the link stays, CSCC's chair reported it). In
    round 2 the board's form must not pre-fill that escalation: returned unchanged, it would confirm the link."""
    one = _returned(load(EXAMPLE), tmp_path / "one")
    fill(one["csp-board"], [("others", "cscc", "Escalation", "neither")])
    first = collect_round(list(one.values()), EXAMPLE, tmp_path / "round1.xlsx").written
    links = load(first).links
    route = links[(links["from_forum"] == "cscc") & (links["to_forum"] == "csp-board")
                  & (links["type"] == "escalates_to")]
    assert list(route["reported_by"].iloc[0]) == ["cscc"]

    two = _returned(load(first), tmp_path / "two")
    board = read_form(two["csp-board"]).others["cscc"]["ties"]
    assert board.get("escalates_to", (None, None))[1] is not True  # left blank for the board's chair
    cscc = read_form(two["cscc"]).others["csp-board"]["ties"]
    assert cscc["escalates_to"][0] is True  # CSCC's chair reported it: pre-filled from their answer
    second = collect_round(list(two.values()), first, tmp_path / "round2.xlsx").written
    links = load(second).links
    route = links[(links["from_forum"] == "cscc") & (links["to_forum"] == "csp-board")
                  & (links["type"] == "escalates_to")]
    assert list(route["reported_by"].iloc[0]) == ["cscc"]  # still one-sided: nobody changed their answer
