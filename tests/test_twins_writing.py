"""Outputs written straight to text are byte for byte what the libraries write: GraphML (networkx) and indented
JSON (the standard library)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcn_map import load, load_frames
from mcn_map.analyses.run import analyse
from mcn_map.render.findings_json import findings_document

EXAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "example_landscape.xlsx"
SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


# -- graph.graphml: written straight to text, byte for byte what networkx writes ----------------------------------

import networkx as nx  # noqa: E402

from mcn_map.graphs import seat_graph  # noqa: E402
from mcn_map.render.graphml import graphml_text  # noqa: E402


def _networkx_graphml(graph) -> str:
    return "\n".join(nx.generate_graphml(nx.MultiGraph(graph) if graph.is_multigraph() else graph.copy(),
                                         prettyprint=True))


def test_graphml_of_the_example_is_what_networkx_writes(example_landscape, example_build):
    graph = seat_graph(example_landscape)
    assert graphml_text(graph) == _networkx_graphml(graph)
    written = (example_build.outdir / "graph.graphml").read_bytes()
    assert written == (_networkx_graphml(graph) + "\n").encode("utf-8")


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8)
VALUE = st.one_of(TEXT, st.integers(-10**12, 10**12), st.floats(allow_nan=True), st.booleans())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(TEXT, st.dictionaries(st.sampled_from(["name", "kind", "w", "é&<"]), VALUE, max_size=3)),
                max_size=5),
       st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4),
                          st.dictionaries(st.sampled_from(["role", "n", "x\"y"]), VALUE, max_size=3)), max_size=6),
       st.one_of(st.none(), TEXT), st.booleans())
def test_graphml_of_any_graph_is_what_networkx_writes(nodes, edges, name, multi):
    graph = (nx.MultiGraph if multi else nx.Graph)(**({} if name is None else {"name": name}))
    graph.add_nodes_from(nodes)
    ids = [n for n, _ in nodes] or ["only"]
    for a, b, data in edges:
        graph.add_edge(ids[a % len(ids)], ids[b % len(ids)], **data)
    assert graphml_text(graph) == _networkx_graphml(graph)



# -- indented JSON through the C encoder: the text json.dumps(indent=2) writes ------------------------------------

import datetime as _dt  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
from pathlib import PurePosixPath  # noqa: E402

from mcn_map.writing.jsontext import indented_json  # noqa: E402

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True),
                    st.text(max_size=8), st.sampled_from([math.inf, -math.inf, _dt.date(2026, 12, 1),
                                                          PurePosixPath("a/b"), 1e16, -0.0, 5e-324]))
KEYS = st.one_of(st.text(max_size=5), st.integers(-5, 5).map(str))
JSONISH = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.lists(inner, max_size=3).map(tuple),
    st.dictionaries(KEYS, inner, max_size=4)), max_leaves=25)


def _standard(data) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str)


@settings(max_examples=1500, deadline=None)
@given(JSONISH)
def test_indented_json_is_the_standard_librarys_text(data):
    assert indented_json(data) == _standard(data)


@pytest.mark.parametrize("data", [{1: "a", 2: [1]}, {1.5: [], 2.5: {}}, {True: [{}], False: []},
                                  {None: [{}]}, {"x": {2: 1, 3: [2]}}, {math.nan: [1]}])
def test_indented_json_writes_number_and_constant_keys_as_json_does(data):
    assert indented_json(data) == _standard(data)


def test_indented_json_refuses_keys_json_refuses():
    for bad in ({(1, 2): [1]}, {"a": 1, 2: [3]}):  # a tuple key; keys that cannot be sorted together
        with pytest.raises(TypeError):
            _standard(bad)
        with pytest.raises(TypeError):
            indented_json(bad)
