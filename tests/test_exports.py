"""Exports for Gephi (GEXF) and Kumu (JSON blueprint): complete, readable by their tools' formats, reproducible."""

from __future__ import annotations

import io
import json

import networkx as nx

from conftest import HOSTILE_NAMES
from mcn_map.render.exports import gexf_bytes, kumu_blueprint, kumu_bytes


def test_gexf_holds_forums_agencies_seats_and_links_with_the_maps_layout(example_landscape):
    data = gexf_bytes(example_landscape)
    graph = nx.read_gexf(io.BytesIO(data))
    forums, agencies = len(example_landscape.forums), len(example_landscape.agencies)
    assert graph.number_of_nodes() == forums + agencies
    assert graph.number_of_edges() == len(example_landscape.seats) + len(example_landscape.links)
    marac = graph.nodes["forum:marac"]
    assert marac["kind"] == "forum" and marac["level"] == "operational" and marac["label"] == "MARAC"
    assert "position" in marac["viz"] and "color" in marac["viz"]
    kinds = {d["kind"] for _, _, d in graph.edges(data=True)}
    assert kinds == {"seat", "link"}


def test_gexf_is_reproducible_and_dated_by_the_build(example_landscape, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = gexf_bytes(example_landscape)
    assert first == gexf_bytes(example_landscape)
    assert b'lastmodifieddate="2023-11-14"' in first


def test_gexf_survives_hostile_names(hostile_landscape):
    graph = nx.read_gexf(io.BytesIO(gexf_bytes(hostile_landscape)))
    assert graph.nodes["forum:board"]["label"] == HOSTILE_NAMES[0]


def test_kumu_blueprint_connects_elements_by_id(example_landscape):
    blueprint = kumu_blueprint(example_landscape)
    ids = [e["id"] for e in blueprint["elements"]]
    labels = [e["label"] for e in blueprint["elements"]]
    assert len(ids) == len(set(ids)) and len(labels) == len(set(labels))
    assert all("_id" not in e for e in blueprint["elements"])  # Kumu's own system id is not ours to set
    assert {e["type"] for e in blueprint["elements"]} == {"Forum", "Agency"}
    for connection in blueprint["connections"]:  # Kumu's rule: elements with ids are joined by id, not label
        assert connection["from"] in ids and connection["to"] in ids
    types = {c["type"] for c in blueprint["connections"]}
    assert "Seat" in types and "Escalates to" in types
    assert json.loads(kumu_bytes(example_landscape)) == json.loads(json.dumps(blueprint))


def test_kumu_labels_that_clash_get_their_id(little_borough):
    from conftest import frames_of
    from mcn_map import load_frames
    from workbooks import sheets

    data = sheets()
    data["forums"][3][1] = "MARAC"  # the merged MSET renamed to clash with MARAC
    blueprint = kumu_blueprint(load_frames(frames_of(data)))
    labels = sorted(e["label"] for e in blueprint["elements"] if e["type"] == "Forum")
    assert labels == ["Health and Care System Board", "MARAC (marac)", "MARAC (mset)"]


def test_exports_hold_no_people(example_landscape):
    people = set(example_landscape.cohorts["person_id"])
    text = gexf_bytes(example_landscape).decode() + kumu_bytes(example_landscape).decode()
    assert not any(person in text for person in list(people)[:200])


# -- read by the tools that take them: networkx, python-igraph ------------------------------------------------------

def _seat_graph_counts(landscape):
    return {"forums": len(landscape.forums), "agencies": len(landscape.agencies), "seats": len(landscape.seats)}


def test_graphml_is_read_alike_by_networkx_and_igraph(example_landscape, example_build):
    import igraph

    path = example_build.outdir / "graph.graphml"
    expected = _seat_graph_counts(example_landscape)
    by_networkx = nx.read_graphml(path, force_multigraph=True)
    by_igraph = igraph.Graph.Read_GraphML(str(path))
    for kinds, edges in ((
            [d["kind"] for _, d in by_networkx.nodes(data=True)], by_networkx.number_of_edges()),
            (by_igraph.vs["kind"], by_igraph.ecount())):
        assert {"forums": kinds.count("forum"), "agencies": kinds.count("agency"), "seats": edges} == expected
    # GraphML ids are unique within a graph: one per seat, not id="0" on every edge
    keys = [k for _, _, k in by_networkx.edges(keys=True)]
    assert len(set(keys)) == len(keys) == expected["seats"] and keys[0] == "seat-0"
    # A forum's national kind has its own name and leaves kind == "forum" alone
    drd = by_networkx.nodes["forum:drd"]
    assert drd["kind"] == "forum" and drd["forum_kind"] == "drug_deaths_review"
    (vertex,) = by_igraph.vs.select(forum_kind_eq="drug_deaths_review")
    assert vertex["kind"] == "forum" and vertex["name"] == "Drug Related Deaths Review"


def test_gexf_keeps_the_national_kind_and_every_attribute(example_landscape):
    graph = nx.read_gexf(io.BytesIO(gexf_bytes(example_landscape)))
    assert graph.nodes["forum:drd"]["kind"] == "forum" and graph.nodes["forum:drd"]["forum_kind"] == "drug_deaths_review"
    seats = [(u, v, d) for u, v, d in graph.edges(data=True) if d["kind"] == "seat"]
    rows = example_landscape.seats.to_dict("records")
    assert len(seats) == len(rows)
    first = rows[0]
    u, v, data = next(edge for edge in seats if edge[2]["id"] == "seat-0")  # GEXF's edge ids are graph.graphml's
    assert (u, v) == (f"agency:{first['agency_id']}", f"forum:{first['forum_id']}")
    assert (data["role"], data["seniority"], data["post"]) == (first["role"], first["seniority"], first["post"])
    marac = example_landscape.forums.set_index("forum_id").loc["marac"]
    assert graph.nodes["forum:marac"]["frequency"] == marac["frequency"]
    assert graph.nodes["forum:marac"]["status"] == marac["status"]


def test_a_forum_and_an_agency_sharing_an_id_stay_two_kumu_elements_and_validate_warns(tmp_path):
    from workbooks import sheets, write_xlsx

    import mcn_map

    data = sheets()
    data["agencies"].append(["marac", "Marac Advocacy Service", "voluntary", ""])
    data["members"].append(["board", "marac", "member", "practitioner", "Advocate", 6, 6])
    landscape, problems = mcn_map.check(write_xlsx(tmp_path / "area.xlsx", data))
    (warning,) = [p for p in problems if "also a forum_id" in p.message]
    assert (warning.severity, warning.sheet, warning.row, warning.column) == ("warning", "agencies", 6, "agency_id")
    assert "forums row 3" in warning.message
    blueprint = kumu_blueprint(landscape)
    assert {"forum:marac", "agency:marac"} <= {e["id"] for e in blueprint["elements"]}
    assert {"from": "agency:marac", "to": "forum:board"}.items() <= next(
        c for c in blueprint["connections"] if c["from"] == "agency:marac").items()


def test_gexf_keeps_the_rules_its_schema_sets(example_landscape):
    """No copy of the GEXF 1.2 schema is to hand offline: its identity rules are checked here instead (ids unique,
    every edge's ends a node, every value for a declared attribute of its class, values of the declared type)."""
    from xml.etree import ElementTree

    ns = {"g": "http://www.gexf.net/1.2draft"}
    root = ElementTree.fromstring(gexf_bytes(example_landscape))
    assert root.get("version") == "1.2"
    graph = root.find("g:graph", ns)
    declared = {cls: {a.get("id"): a.get("type") for a in graph.find(f"g:attributes[@class='{cls}']", ns)}
                for cls in ("node", "edge")}
    nodes = [n.get("id") for n in graph.iter("{http://www.gexf.net/1.2draft}node")]
    edges = list(graph.iter("{http://www.gexf.net/1.2draft}edge"))
    assert len(set(nodes)) == len(nodes) and len({e.get("id") for e in edges}) == len(edges)
    assert all(e.get("source") in nodes and e.get("target") in nodes for e in edges)
    for cls, elements in (("node", graph.iter("{http://www.gexf.net/1.2draft}node")), ("edge", edges)):
        for element in elements:
            for value in element.iter("{http://www.gexf.net/1.2draft}attvalue"):
                kind = declared[cls][value.get("for")]
                if kind in ("integer", "double"):
                    float(value.get("value"))
