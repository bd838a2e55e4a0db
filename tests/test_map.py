"""The interactive map: one self-contained page, a layered layout, and the visual language a board reads."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from conftest import HOSTILE_NAMES
from mcn_map.analyses.findings import make_finding
from mcn_map.cli import cli
from mcn_map.errors import McnMapError
from mcn_map.render import map as map_module
from mcn_map.render.layout import layout
from mcn_map.render.map import render_map, script_json
from mcn_map.render.network import map_data

EXTERNAL = re.compile(r"<(?:script|link|img|iframe|source|video|audio|object|embed)\b[^>]*\b(?:src|href|data)\s*=", re.I)


def page_data(html: str) -> dict:
    raw = html.split('<script id="map-data" type="application/json">', 1)[1].split("</script>", 1)[0]
    return json.loads(raw)


def missing_mental_health(forum="marac"):
    return make_finding("missing_partner", "missing_sector", "high", (forum,), "MARAC has no seat for mental health.",
                        evidence={"sectors": ["mental_health"]}, meam=("feature 3", "challenge 1"),
                        suggestion="Invite mental health to take a standing seat.")


def test_map_is_one_self_contained_page(little_borough):
    html = render_map(little_borough, [])
    assert html.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in html
    assert EXTERNAL.search(html) is None  # nothing loaded from a file or a host
    assert "vis.Network" in html and "vis-network" in html  # pyvis's bundled vis-network, inlined
    assert "sourceMappingURL" not in html
    assert "default-src 'none'" in html  # and the page's policy forbids any request


def test_script_json_cannot_close_the_script_element():
    text = str(script_json({"name": "</script><b>&\u2028\u2029"}))
    for forbidden in ("<", ">", "&", "\u2028", "\u2029"):
        assert forbidden not in text
    assert json.loads(text) == {"name": "</script><b>&\u2028\u2029"}


def test_hostile_names_stay_inside_the_data(hostile_landscape):
    html = render_map(hostile_landscape, [])
    for name in HOSTILE_NAMES[:2]:
        assert name not in html
    assert html.count("</script>") == 3  # the data, vis-network and the map's own script
    assert "<img" not in html
    data = page_data(html)
    labels = {n["label"].split("\n")[0] for n in data["nodes"]}
    assert HOSTILE_NAMES[0] in labels and HOSTILE_NAMES[1] in labels  # shown as text, exactly as typed
    assert all(isinstance(n.get("title", ""), str) for n in data["nodes"])  # tooltips are plain text


def test_layout_stacks_strategic_above_operational_and_agencies_near_their_forums(example_landscape):
    grid = layout(example_landscape)
    level = example_landscape.forum_level
    ys = {lv: [grid.forum_xy[f][1] for f in grid.forum_xy if level[f] == lv] for lv in ("strategic", "tactical", "operational")}
    assert max(ys["strategic"]) < min(ys["tactical"])
    assert max(ys["tactical"]) < min(ys["operational"])
    seats = example_landscape.seats
    for agency, (x, y) in grid.agency_xy.items():
        forums = seats.loc[seats["agency_id"] == agency, "forum_id"].unique()
        if len(forums):
            assert y > min(grid.forum_xy[f][1] for f in forums)  # below the forums it sits on
    assert layout(example_landscape) is grid  # computed once, cached for every view


def test_layout_is_the_same_every_time(example_landscape):
    from mcn_map.render.layout import _compute

    assert _compute(example_landscape) == _compute(example_landscape)


def test_visual_language(little_borough):
    data = map_data(little_borough, [missing_mental_health()], view="system")
    nodes = {n["id"]: n for n in data["nodes"]}
    board, marac, mset = nodes["forum:board"], nodes["forum:marac"], nodes["forum:mset"]
    assert board["shape"] == marac["shape"] == "box"
    assert board["color"]["background"] != marac["color"]["background"]  # coloured by tier
    assert mset["shapeProperties"]["borderDashes"] and "merged into MARAC" in mset["label"]  # faded, dashed
    assert nodes["agency:police"]["shape"] == "dot"
    assert nodes["agency:police"]["color"]["background"] != nodes["agency:mh-trust"]["color"]["background"]
    assert marac["borderWidth"] > board["borderWidth"]  # ringed: it has a high-severity finding
    placeholder = nodes["missing:marac:mental_health"]
    assert placeholder["label"] == "Mental health — missing" and placeholder["shapeProperties"]["borderDashes"]
    edges = data["edges"]
    assert any(e["from"] == "forum:marac" and e["to"] == "missing:marac:mental_health" for e in edges)
    seats = {(e["from"], e["to"]): e for e in edges if e["kind"] == "seat"}
    assert seats[("forum:marac", "agency:police")]["width"] > seats[("forum:marac", "agency:asc")]["width"]  # 100% vs 25%
    links = [e for e in edges if e["kind"] == "link"]
    assert {e["linkType"] for e in links} == {"escalates_to", "feeds_back_to"}
    assert all(e["arrows"]["to"]["enabled"] for e in links)
    assert len({json.dumps(e["color"]) + json.dumps(e["dashes"]) for e in links}) == 2  # styled by type


def test_shared_people_are_suppressed_unless_asked(little_borough):
    overlap = [e for e in map_data(little_borough, [], view="system")["edges"] if e["kind"] == "overlap"]
    assert [e["label"] for e in overlap] == ["<8"]  # MARAC and MSET share one person
    assert "<8 people" in overlap[0]["title"]
    exact = [e for e in map_data(little_borough, [], view="system", suppress=False)["edges"] if e["kind"] == "overlap"]
    assert exact[0]["label"] == "1"
    html = render_map(little_borough, [], suppress=False)
    assert "not for circulation" in html


def test_forums_view_folds_agencies_into_counts(little_borough):
    data = map_data(little_borough, [], view="forums")
    assert {n["kind"] for n in data["nodes"]} == {"forum", "tier"}  # tier names are text on the canvas
    marac = next(n for n in data["nodes"] if n["id"] == "forum:marac")
    assert "3 agencies" in marac["label"]
    assert len(data["details"]["forum:marac"]["seats"]) == 3  # still listed in the side panel


def test_focus_view_shows_one_forum_and_its_neighbourhood(example_landscape):
    data = map_data(example_landscape, [], view="focus", focus="marac")
    forums = {n["id"] for n in data["nodes"] if n["kind"] == "forum"}
    assert "forum:marac" in forums and len(forums) < len(example_landscape.forums)
    agencies = {n["id"].split(":", 1)[1] for n in data["nodes"] if n["kind"] == "agency"}
    seats = example_landscape.seats
    assert agencies == set(seats.loc[seats["forum_id"] == "marac", "agency_id"])
    with pytest.raises(McnMapError, match="not in the forums sheet"):
        map_data(example_landscape, [], view="focus", focus="no-such-forum")


def test_findings_panel_data_and_category_filter(little_borough):
    data = map_data(little_borough, [missing_mental_health()], view="system")
    [finding] = data["findings"]
    assert finding["nodes"] == ["forum:marac"] and finding["category"] == "missing_partner"
    assert data["suggestions"][finding["suggestion"]].startswith("Invite mental health")
    assert data["meamLabels"]["feature 3"].startswith("Feature 3: strategic buy-in")
    assert data["filters"]["categories"] == [{"key": "missing_partner", "label": "Missing partners"}]
    assert data["details"]["forum:marac"]["missing"] == ["Mental health"]


def test_a_landscape_too_large_to_draw_gets_the_forums_view_and_a_message(little_borough, monkeypatch):
    monkeypatch.setattr(map_module, "MAX_FULL_MAP_NODES", 3)
    html = render_map(little_borough, [])
    assert "too many for one readable map" in html
    assert page_data(html)["view"] == "forums"


def test_physics_is_off_by_default(little_borough):
    html = render_map(little_borough, [])
    assert 'physics: { enabled: false' in html
    assert 'id="toggle-physics">' in html  # unticked


def test_map_command_writes_each_view(tmp_path):
    runner = CliRunner()
    example = "inputs/example_landscape.xlsx"
    for args, name in ((["--view", "forums"], "forums.html"), (["--focus", "marac"], "focus.html"), ([], "map.html")):
        result = runner.invoke(cli, ["map", example, "-o", str(tmp_path / name), *args])
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    result = runner.invoke(cli, ["map", example, "--focus", "nowhere", "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 1 and "Error: forum 'nowhere' is not in the forums sheet" in result.output
    result = runner.invoke(cli, ["map", example, "--view", "focus", "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2 and "--focus FORUM_ID" in result.output


def test_build_writes_the_map_the_report_and_the_exports(example_build):
    names = {path.name for path in example_build.written}
    assert {"map.html", "report.html", "graph.gexf", "kumu.json"} <= names
