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


def test_kumu_blueprint_connects_elements_by_label(example_landscape):
    blueprint = kumu_blueprint(example_landscape)
    labels = [e["label"] for e in blueprint["elements"]]
    assert len(labels) == len(set(labels))  # Kumu joins connections to elements by label
    assert {e["type"] for e in blueprint["elements"]} == {"Forum", "Agency"}
    for connection in blueprint["connections"]:
        assert connection["from"] in labels and connection["to"] in labels
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
