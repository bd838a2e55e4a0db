"""The "who knows whom" network (analyses/knowledge.who_knows_whom) and its view's data (render/knowing.py): which
ties are confirmed, one-sided or towards a chair who did not reply, which forums nobody lists, and no view at all
without a mapping round."""

from __future__ import annotations

import pytest

from knowing_round import collected_round
from mcn_map.analyses.knowledge import round_state, who_knows_whom
from mcn_map.analyses.run import analyse
from mcn_map.loading.validate import load
from mcn_map.render.knowing import knowing_rows, knowing_view
from mcn_map.render.map import render_map
from mcn_map.render.network import map_data


@pytest.fixture(scope="module")
def round_landscape(tmp_path_factory):
    return load(collected_round(tmp_path_factory.mktemp("knowing")))


def test_ties_are_confirmed_one_sided_or_towards_a_chair_who_did_not_reply(round_landscape):
    knowing = who_knows_whom(round_landscape)
    ties = {(a, b): s for a, b, s in knowing.ties}
    assert ties[("ae-fa", "sacc")] == "confirmed"  # both chairs said yes
    assert ("sacc", "ae-fa") not in ties  # a confirmed pair is one tie, not two
    assert ties[("marac", "csp-board")] == "one-sided"  # the CSP board's chair replied without listing MARAC
    assert ties[("marac", "vip")] == "no reply"  # VIP's chair did not reply: not evidence either way
    assert ("ae-fa", "maart") not in ties and ("maart", "ae-fa") not in ties  # a "no" is no tie
    assert not any(a in ("vip", "matac") for a, _, _ in knowing.ties)  # a silent chair lists no one


def test_forums_nobody_lists(round_landscape):
    knowing = who_knows_whom(round_landscape)
    assert "homelessness-board" in knowing.unlisted  # three chairs said no, none said yes
    assert "csp-board" not in knowing.unlisted
    # boundary: listed one way only (MARAC's chair lists VIP) is listed
    assert "vip" not in knowing.unlisted and knowing.listed_by("vip") == ["marac", "mcn-tactical"]
    assert "matac" in knowing.forums and "adult-mset" not in knowing.forums  # a merged forum was not asked


def test_no_round_no_network_and_no_view(example_landscape):
    assert who_knows_whom(example_landscape) is None
    data = map_data(example_landscape, [])
    assert knowing_view(example_landscape, data) is None
    html = render_map(example_landscape, findings=[])
    assert "knowing" not in html and "Who knows whom" not in html


def test_the_view_draws_every_tie_and_marks_silent_and_unlisted_forums(round_landscape):
    data = map_data(round_landscape, [])
    view = knowing_view(round_landscape, data)
    knowing = who_knows_whom(round_landscape)
    assert len(view["edges"]) == len(knowing.ties)
    by_status = {e["title"]: e for e in view["edges"]}
    one_sided = [e for e in view["edges"] if e["status"] == "one-sided"]
    assert [(e["from"], e["to"]) for e in one_sided] == [("forum:marac", "forum:csp-board")]
    assert one_sided[0]["arrows"] == {"to": {"enabled": True, "scaleFactor": 0.9}} and one_sided[0]["dashes"]
    confirmed = next(e for e in view["edges"] if e["status"] == "confirmed")
    assert set(confirmed["arrows"]) == {"to", "from"} and confirmed["dashes"] is False
    assert all("\n" not in title for title in by_status)
    nodes = {n["id"]: n for n in view["nodes"]}
    assert "(no form returned)" in nodes["forum:vip"]["label"] and nodes["forum:vip"]["shapeProperties"]
    assert "(no form returned)" not in nodes["forum:marac"]["label"] and "shapeProperties" not in nodes["forum:marac"]
    assert "no other chair lists it" in nodes["forum:homelessness-board"]["label"]
    assert "no other chair lists it" not in nodes["forum:csp-board"]["label"]
    assert "(paused)" in nodes["forum:street-drinking"]["label"] and "(paused)" not in nodes["forum:marac"]["label"]
    # forums sit where the map draws them
    positions = {n["id"]: (n["x"], n["y"]) for n in data["nodes"] if n.get("kind") == "forum"}
    assert all((n["x"], n["y"]) == positions[n["id"]] for n in view["nodes"])


def test_the_caption_is_the_rounds_own_sentence(round_landscape):
    view = knowing_view(round_landscape, map_data(round_landscape, []))
    state = round_state(round_landscape)
    assert view["caption"] == "Round 1: forms returned by 18 of 20 chairs, 90%: high confidence."
    assert view["caption"] in state.sentence() and view["band"] == state.band == "high"
    assert view["summary"]["oneSided"] == 1 and view["summary"]["unlisted"] == 2
    assert "1 meeting listed by one chair" in view["summary"]["text"]


def test_rows_say_the_same_as_the_drawing(round_landscape):
    rows = {r["name"]: r for r in knowing_rows(round_landscape, who_knows_whom(round_landscape))}
    assert rows["MARAC"]["lists"] == ["Community Safety Partnership Board"]
    assert rows["Community Safety Partnership Board"]["listed_by"] == ["MARAC"]
    assert "VIP (Vulnerability, Intelligence, Problem solving)" in rows["MARAC"]["unanswered"]
    assert rows["MATAC"]["replied"] == "no" and rows["MATAC"]["lists"] == []
    assert rows["Homelessness Reduction Board"]["unlisted"] and not rows["MARAC"]["unlisted"]


def test_a_focus_view_has_no_knowing_view(round_landscape):
    data = map_data(round_landscape, [], view="focus", focus="marac")
    assert knowing_view(round_landscape, data) is None


def test_the_page_carries_the_view_only_with_a_round(round_landscape):
    html = render_map(round_landscape, analyse(round_landscape))
    assert html.count('id="knowing-toggle"') == 1 and 'id="knowing-table"' in html
    assert "Round 1: forms returned by 18 of 20 chairs, 90%: high confidence." in html
