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
    from mcn_map.memo import Memo

    memo = Memo(example_landscape)
    assert layout(example_landscape, memo) is layout(example_landscape, memo)  # computed once per memo, every view


def test_layout_is_the_same_every_time(example_landscape):
    from mcn_map.render.layout import _compute

    assert _compute(example_landscape) == _compute(example_landscape)


def test_visual_language(little_borough):
    data = map_data(little_borough, [missing_mental_health()], view="system")
    nodes = {n["id"]: n for n in data["nodes"]}
    board, marac, mset = nodes["forum:board"], nodes["forum:marac"], nodes["forum:mset"]
    assert board["shape"] == marac["shape"] == "box"
    assert board["color"]["background"] != marac["color"]["background"]  # coloured by tier
    assert mset["shapeProperties"]["borderDashes"] and "(merged)" in mset["label"]  # faded, dashed
    assert "merged into MARAC" in mset["title"]
    assert board["widthConstraint"] == marac["widthConstraint"]  # one width, so spacing alone prevents overlaps
    police, mh = nodes["agency:police"], nodes["agency:mh-trust"]
    assert police["color"]["background"] != mh["color"]["background"]
    assert police["shape"] != mh["shape"]  # the sector family has a shape as well as a colour
    assert marac["borderWidth"] > board["borderWidth"] and marac["ring"] == "high"  # ringed: a top finding
    # A missing partner is a badge on its forum, not a node of its own.
    assert marac["missing"] == ["Mental health"] and "Missing: Mental health" in marac["title"]
    assert not any(n["id"].startswith("missing:") for n in data["nodes"])
    assert not any(e["kind"] == "missing" for e in data["edges"])
    seats = {(e["from"], e["to"]): e for e in data["edges"] if e["kind"] == "seat"}
    marac_police = seats[("forum:marac", "agency:police")]
    assert marac_police["width"] > seats[("forum:marac", "agency:asc")]["width"]  # 100% vs 25%
    assert marac_police["color"]["color"].startswith("rgba(") and marac_police["color"]["hover"] != marac_police["color"]["color"]
    links = [e for e in data["edges"] if e["kind"] == "link"]
    assert {e["linkType"] for e in links} == {"escalates_to", "feeds_back_to"}
    assert all(e["arrows"]["to"]["enabled"] for e in links)
    assert len({json.dumps(e["color"]) + json.dumps(e["dashes"]) for e in links}) == 2  # styled by type


def test_rings_mark_only_the_forums_in_the_top_findings(little_borough):
    from mcn_map.analyses.ranking import headline
    from mcn_map.render.network import RINGED_FINDINGS

    findings = [make_finding("attendance", f"rule-{i}", "medium", ("board", f"post-{i}"), f"Finding {i}.")
                for i in range(RINGED_FINDINGS)]
    findings.append(make_finding("attendance", "rule-last", "medium", ("marac",), "The seventh."))
    top = headline(findings, RINGED_FINDINGS)
    assert {f.subjects[0] for f in top} == {"board"}  # the boundary: the seventh finding is not in the top six
    nodes = {n["id"]: n for n in map_data(little_borough, findings, view="system")["nodes"]}
    assert nodes["forum:board"]["ring"] == "medium"
    assert "ring" not in nodes["forum:marac"] and nodes["forum:marac"]["borderWidth"] < nodes["forum:board"]["borderWidth"]
    assert nodes["forum:marac"]["cats"] == ["attendance"]  # still found by the findings filter


def test_sector_families_are_few_distinct_and_cover_every_sector():
    from mcn_map.render.style import SECTOR_FAMILIES, SECTOR_FAMILY
    from mcn_map.loading.schema import SECTOR_LABELS

    assert set(SECTOR_FAMILY) == set(SECTOR_LABELS)
    assert len(SECTOR_FAMILIES) <= 7
    assert len({f["colour"] for f in SECTOR_FAMILIES.values()}) == len(SECTOR_FAMILIES)
    assert len({f["shape"] for f in SECTOR_FAMILIES.values()}) == len(SECTOR_FAMILIES)
    # Mental health, criminal justice and primary care were three blues: now three families.
    assert len({SECTOR_FAMILY[s] for s in ("mental_health", "criminal_justice", "primary_care")}) == 3


def test_layout_orders_tiers_to_cut_link_crossings(example_landscape):
    import numpy as np

    from mcn_map.render.layout import _compute, _placed, _tiers, crossings

    grid = _compute(example_landscape)
    forums = example_landscape.forums
    x, y, _, _ = _placed(_tiers(forums), np.zeros(len(forums)))  # name order, no sweeps
    by_name = crossings(example_landscape, dict(zip(forums["forum_id"], zip(x, y))))
    assert grid.crossings == crossings(example_landscape, grid.forum_xy)
    assert grid.crossings < by_name


def test_forum_boxes_in_a_row_never_overlap(example_landscape):
    from mcn_map.render.layout import BOX_WIDTH, FORUM_DX
    from mcn_map.render.network import FORUM_MARGIN

    grid = layout(example_landscape)
    rows: dict = {}
    for x, y in grid.forum_xy.values():
        rows.setdefault(y, []).append(x)
    for xs in rows.values():
        xs.sort()
        assert all(b - a >= FORUM_DX for a, b in zip(xs, xs[1:]))
    assert FORUM_DX > BOX_WIDTH + 2 * FORUM_MARGIN


def test_the_memo_is_keyed_on_everything_drawn(little_borough):
    from mcn_map.memo import Memo

    memo = Memo(little_borough)
    finding = missing_mental_health()
    first = map_data(little_borough, [finding], view="system", memo=memo)
    assert map_data(little_borough, [finding], view="system", memo=memo) is first  # the same map: computed once
    changed = make_finding("missing_partner", "missing_sector", "high", ("marac",), "MARAC has no seat for housing.",
                           evidence={"sectors": ["housing"]})
    assert changed.id == finding.id  # same rule and subjects, so the same id: the old cache returned the old map
    second = map_data(little_borough, [changed], view="system", memo=memo)
    marac = next(n for n in second["nodes"] if n["id"] == "forum:marac")
    assert marac["missing"] == ["Housing"]
    assert second["findings"][0]["message"] == "MARAC has no seat for housing."


def test_renderers_draw_what_they_are_given_and_never_run_the_analyses(little_borough, monkeypatch):
    from mcn_map.analyses import run
    from mcn_map.render.report import render_report

    def refuse(*args, **kwargs):
        raise AssertionError("a renderer ran the analyses")

    monkeypatch.setattr(run, "analyse", refuse)
    assert render_map(little_borough, []).startswith("<!DOCTYPE html>")
    assert render_report(little_borough, []).startswith("<!DOCTYPE html>")
    with pytest.raises(TypeError, match="renderers do not run the analyses"):
        render_map(little_borough)
    with pytest.raises(TypeError, match="renderers do not run the analyses"):
        render_report(little_borough)


def test_ids_with_any_printable_character_make_distinct_elements(little_borough):
    from mcn_map import load_frames

    from conftest import frames_of
    from workbooks import sheets

    data = sheets()
    odd = {"board": "a|b", "marac": "a", "mset": "b|"}  # "overlap:a|b" + "|..." used to collide
    for table in ("forums", "members", "cohorts", "links"):
        header = data[table][0]
        for row in data[table][1:]:
            for k, value in enumerate(row):
                if header[k] in ("forum_id", "merged_into", "from_forum", "to_forum") and value in odd:
                    row[k] = odd[value]
    landscape = load_frames(frames_of(data), source="odd-ids.xlsx")
    page = map_data(landscape, [], view="system")
    ids = [n["id"] for n in page["nodes"]] + [e["id"] for e in page["edges"]]
    assert len(ids) == len(set(ids))
    assert {"forum:a|b", "forum:a", "forum:b|"} <= set(ids)


def test_the_region_opens_on_an_overview_of_areas():
    import importlib.util
    import sys
    from pathlib import Path

    from mcn_map import load_frames

    spec = importlib.util.spec_from_file_location("synth", Path(__file__).resolve().parent.parent / "scripts" / "synth.py")
    synth = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("synth", synth)
    spec.loader.exec_module(synth)
    frames = synth.landscape_frames(synth.Size(forums=150, agencies=400, seats=3000, cohort_rows=2000), 0)
    landscape = load_frames(frames, source="region.xlsx")
    data = map_data(landscape, [], view="system")
    overview = [n for n in data["nodes"] if n["kind"] == "overview"]
    assert data["defaults"]["overview"] and 2 <= len(overview) <= 60
    assert sum(n["forums"] for n in overview) == len(landscape.forums)
    # Sized by the people discussed there: the area with most people is the largest circle.
    people = {n["id"]: int(n["label"].split("\n")[1].split(" people")[0].replace(",", "")) for n in overview}
    largest = max(overview, key=lambda n: n["size"])["id"]
    assert people[largest] == max(people.values())
    from mcn_map.render.static_map import static_map_svg

    printed = str(static_map_svg(landscape, []))  # the printed report shows the same overview
    assert printed.count("<circle") == len(overview) and "in 2+ forums" in printed


def test_a_small_landscape_has_no_overview(little_borough):
    data = map_data(little_borough, [], view="system")
    assert not data["defaults"]["overview"] and not any(n["kind"] == "overview" for n in data["nodes"])


def test_table_view_lists_every_forum_in_tier_order_with_the_facts_of_the_map(little_borough):
    html = render_map(little_borough, [missing_mental_health()])
    table = html.split('id="table-view"', 1)[1].split("</section>", 1)[0]
    for column in ("Forum", "Tier", "Kind", "Chair", "Meets", "Last met", "Person's voice", "Seats",
                   "People discussed", "Missing partners", "Findings"):
        assert f">{column}</button></th>" in table
    assert table.index("<td>Strategic</td>") < table.index("<td>Operational</td>")  # tier order
    marac = table.split('data-node="forum:marac"', 1)[1].split("</tr>", 1)[0]
    assert "MARAC" in marac and "Mental health" in marac and "MARAC has no seat for mental health." in marac
    assert "% attended" in marac and 'data-findings="1"' in marac
    assert 'scope="row"' in marac and 'scope="col"' in table


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


def test_no_physics_so_the_tiers_stay(little_borough):
    html = render_map(little_borough, [])
    assert "physics: { enabled: false" in html
    assert "toggle-physics" not in html


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


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_text_on_the_map_meets_wcag_aa_contrast():
    from mcn_map.render.style import FADED, LEVEL_STYLE, MISSING_COLOUR

    for style in (*LEVEL_STYLE.values(), FADED):
        assert contrast(style["font"], style["background"]) >= 4.5
    assert contrast("#ffffff", MISSING_COLOUR) >= 4.5  # the missing-partner badge
    assert contrast("#4a5a6b", "#ffffff") >= 4.5  # tier names
    assert contrast("#4a4a4a", "#ffffff") >= 4.5  # hints and notes


def test_agency_labels_shown_together_never_overlap(example_landscape):
    from mcn_map.render.network import _label_box

    data = map_data(example_landscape, [], view="system")
    boxes = [_label_box(n["label"], n["x"], n["y"], n["size"]) for n in data["nodes"]
             if n["kind"] == "agency" and n["labelled"]]
    assert len(boxes) > len(data["nodes"]) / 3  # most are labelled
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def test_a_seat_held_on_paper_is_labelled_so_and_never_counted_as_missing():
    from mcn_map.render.network import badge_text, partner_gaps

    gaps = [("mental_health", False), ("probation", True)]
    assert partner_gaps(gaps) == ["Mental health", "Probation (on paper only)"]
    assert badge_text(gaps) == "\u2715 1 missing, 1 on paper"
    assert badge_text([("probation", True)]) == "\u2715 1 on paper only"
    assert badge_text([("mental_health", False), ("housing", False)]) == "\u2715 2 missing"


def test_findings_with_a_response_say_so_on_the_map():
    from pathlib import Path

    import mcn_map

    snapshot = mcn_map.load(Path(__file__).resolve().parent.parent / "inputs" / "example_landscape_2027.xlsx")
    analysis = mcn_map.analyse(snapshot)
    data = map_data(snapshot, analysis.findings, overlap=analysis.overlap)
    answered = [r for r in data["findings"] if "response" in r]
    recorded = set(snapshot.responses["finding_id"])
    assert answered and {r["id"] for r in answered} == recorded & {f.id for f in analysis.findings}
    assert all(r["response"]["status"] in ("accepted", "in hand", "disagree") for r in answered)
    assert not any("response" in r for r in data["findings"] if r["id"] not in recorded)


def test_where_people_go_next_is_drawn_as_arrows_only_from_flows_of_enough_people(example_landscape):
    import mcn_map

    analysis = mcn_map.analyse(example_landscape)
    flows = analysis.extra["flows"]
    assert len(flows) and (flows["people"] >= analysis.config.journeys.min_people).all()
    data = page_data(render_map(example_landscape, analysis))
    arrows = [e for e in data["edges"] if e["kind"] == "flow"]
    assert data["legend"]["hasFlows"] and len(arrows) == len(flows)
    first = flows.iloc[0]
    assert arrows[0]["from"] == f"forum:{first['from_forum']}" and arrows[0]["to"] == f"forum:{first['to_forum']}"
    assert all(e["label"] == "<8" or int(e["label"]) % 5 == 0 for e in arrows)  # the small-number rule
    # A plain list of findings carries no case-list paths: no arrows, and the toggle is hidden.
    plain = page_data(render_map(example_landscape, analysis.findings))
    assert not any(e["kind"] == "flow" for e in plain["edges"]) and not plain["legend"]["hasFlows"]
