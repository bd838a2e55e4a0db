"""Between two mapping rounds, the compare page says what the chairs now know of each other: pairs newly listed and
no longer listed (apart from chairs who did not reply), links now confirmed or now one-sided, and each round's
response rate with its band, in plain words; a comparison without rounds has no such section."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from knowing_round import EXAMPLE, collected_round
from mcn_map.cli import cli
from mcn_map.render.compare import round_text

SECOND = {
    "ae-fa": [("others", "maart", "Do you know it meets?", "yes")],  # now knows MAART
    "csp-board": [("others", "marac", "Escalation", "it escalates to us"),  # MARAC's route now confirmed
                  ("others", "vip", "Escalation", "it escalates to us")],  # new, and VIP's chair does not reply
    "hcsb": [("others", "ae-fa", "Escalation", "neither")],  # A&E's escalation to the board now one-sided
}


@pytest.fixture(scope="module")
def two_rounds(tmp_path_factory):
    root = tmp_path_factory.mktemp("rounds")
    first = collected_round(root / "one")
    second = collected_round(root / "two", into=first, answers=SECOND, silent=("vip", "matac", "drd"))
    result = CliRunner().invoke(cli, ["compare", str(first), str(second), "-o", str(root / "cmp"),
                                      "--json", str(root / "changes.json")])
    assert result.exit_code == 0, result.output
    (root / "summary.txt").write_text(result.output)
    return root, json.loads((root / "changes.json").read_text())


def test_changes_json_carries_the_links_shifts_and_who_replied(two_rounds):
    _, changes = two_rounds
    knowledge = changes["knowledge"]
    assert {"forum_id": "ae-fa", "knows": "maart"} in knowledge["now_known"]
    confirmed = {(x["from_forum"], x["to_forum"], x["type"]): x["before"] for x in knowledge["links_now_confirmed"]}
    assert confirmed == {("marac", "csp-board", "escalates_to"): "one-sided"}
    one_sided = [(x["from_forum"], x["to_forum"], x["type"]) for x in knowledge["links_now_one_sided"]]
    assert one_sided == [("ae-fa", "hcsb", "escalates_to")]
    waiting = {(x["from_forum"], x["to_forum"], x["type"]): x["before"] for x in knowledge["links_awaiting_reply"]}
    assert waiting == {("vip", "csp-board", "escalates_to"): "not reported",  # VIP's chair did not reply
                       ("drd", "mcn-strategic", "reports_to"): "confirmed",  # DRD's chair confirmed it, then
                       ("mcn-strategic", "drd", "feeds_back_to"): "confirmed"}  # did not reply: not denied
    drd = [x for x in knowledge["no_longer_known"] if x["forum_id"] == "drd"]
    assert drd and not any(x["replied"] for x in drd)  # DRD's chair did not reply to round 2


def test_the_page_says_it_in_plain_words(two_rounds):
    root, _ = two_rounds
    html = (root / "cmp" / "compare.html").read_text()
    section = html[html.index('id="knowledge"'):html.index('id="findings"')]
    assert "Earlier: Round 1: 18 of 20 chairs returned their forms (90%): high confidence." in section
    assert "Later: Round 2: 17 of 20 chairs returned their forms (85%): high confidence." in section
    assert "A&amp;E Frequent Attenders&#39;s chair now lists Multi Agency Adult Referral Team" in section
    assert "MARAC escalates to Community Safety Partnership Board (before: one-sided)" in section
    assert "A&amp;E Frequent Attenders escalates to Health and Care System Board (before: confirmed by both)" in section
    assert "Not known this round" in section and "Drug Related Deaths Review&#39;s chair listed" in section
    waiting = section[section.index("Links waiting for the other chair"):]
    assert "VIP (Vulnerability, Intelligence, Problem solving) escalates to Community Safety Partnership Board " \
           "(before: not reported)" in waiting and "did not return this round" in waiting
    assert ("Drug Related Deaths Review reports to Multiple and Complex Needs Strategic Group (before: confirmed by "
            "both)") in waiting
    assert "Drug Related Deaths Review&#39;s chair no longer lists" not in section  # silence is not evidence
    assert html.index('id="knowledge"') < html.index('id="findings"')


def test_no_round_no_section(tmp_path):
    later = Path(EXAMPLE).with_name("example_landscape_2027.xlsx")
    result = CliRunner().invoke(cli, ["compare", str(EXAMPLE), str(later), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "compare.html").read_text()
    assert 'id="knowledge"' not in html and "What the chairs know of each other</h2>" not in html


def test_round_text_boundaries():
    state = {"round": "3", "forms_returned": 13, "forms_sent": 20, "response_rate": 0.65, "confidence": "moderate"}
    assert round_text(state) == "Round 3: 13 of 20 chairs returned their forms (65%): moderate confidence"
    low = {**state, "forms_returned": 12, "response_rate": 0.6, "confidence": "caution"}
    assert round_text(low).endswith("(60%): low confidence: read with caution")
    assert round_text(None) == "no mapping round recorded"


def test_the_summary_line_keeps_silent_chairs_apart(two_rounds):
    root, changes = two_rounds
    silent = sum(not x["replied"] for x in changes["knowledge"]["no_longer_known"])
    assert silent >= 1
    line = next(x for x in (root / "summary.txt").read_text().splitlines() if "What the chairs know" in x)
    assert f"({silent} more not known: their chair did not reply)." in line


def test_the_summary_line_counts_in_plain_english():
    from mcn_map.render.compare import _knowledge_line

    base = {"before": None, "after": None, "no_longer_known": []}
    assert "; 1 time a chair now knows another meeting" in _knowledge_line({**base, "now_known": [{}]})
    assert "; 2 times a chair now knows" in _knowledge_line({**base, "now_known": [{}, {}]})
