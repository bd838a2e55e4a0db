"""Network measures and the analysis bundle: vectorised overlap, seeded betweenness, connectors, shapes."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd

from mcn_map.analyses.duplication import overlap_matrix
from mcn_map.analyses.findings import sort_findings
from mcn_map.analyses.measures import betweenness, measures
from mcn_map.analyses.run import Analysis, analyse
from mcn_map.config import Config, load_config
from test_analyses_world import case, healthy_tables, landscape_of


def test_sparse_overlap_matches_counting_by_hand():
    rng = np.random.default_rng(3)
    tables = healthy_tables()
    tables["cohorts"] = [case(f, f"P{p:03d}") for f, p in zip(rng.choice(["board", "ops1", "ops2"], 300),
                                                               rng.integers(0, 60, 300))]
    overlap = overlap_matrix(landscape_of(tables))
    people = {f: {c["person_id"] for c in tables["cohorts"] if c["forum_id"] == f} for f in ("board", "ops1", "ops2")}
    for a, b in itertools.product(people, repeat=2):
        assert overlap.loc[a, b] == len(people[a] & people[b])


def test_betweenness_is_exact_on_small_graphs_and_seeded_on_large_ones():
    small = nx.path_graph(5)
    values, how = betweenness(small, Config())
    assert how["method"] == "exact" and values[2] == nx.betweenness_centrality(small)[2]
    large = nx.barabasi_albert_graph(600, 2, seed=1)
    first, how = betweenness(large, Config())
    again, _ = betweenness(large, Config())
    assert how == {"method": "sampled", "k": 24, "seed": 42, "nodes": 600} and first == again
    exact_config = load_config({"measures": {"betweenness_exact_max_nodes": 1000}})
    assert betweenness(large, exact_config)[1]["method"] == "exact"


def test_measures_name_the_navigators_as_system_connectors():
    result = measures(landscape_of(healthy_tables()), Config())
    assert result["seat_graph"] == {"nodes": 15, "edges": 26, "density": 0.2476, "components": 1}
    assert {p["post"] for p in result["connectors"]["posts"]} == {"Navigator 1", "Navigator 2"}
    assert result["connectors"]["agencies"][0]["agency"] in {"vcs", "asc"}
    assert set(result["forums"]) == {"board", "ops1", "ops2"} and result["agencies"]["dwp"]["degree"] == 1


def test_analysis_holds_findings_in_order_and_the_tables_the_render_reads():
    tables = healthy_tables()
    tables["members"] = [s for s in tables["members"] if not (s["forum_id"] == "ops1" and s["agency_id"] == "mh")]
    tables["forums"][2]["person_voice"] = "none"
    analysis = analyse(landscape_of(tables))
    assert isinstance(analysis, Analysis)
    assert analysis.findings == sort_findings(analysis.findings)
    assert [f.rule for f in analysis.findings] == ["missing_sector", "no_person_voice"]
    assert analysis.coverage.shape == (3, 21) and analysis.overlap.shape == analysis.similarity.shape == (3, 3)
    assert list(analysis.burden.columns[:5]) == ["agency_id", "name", "sector", "forums", "seats"]
    assert analysis.as_of.isoformat() == "2026-10-22"
    assert analysis.counts()["by_category"]["missing_partner"] == 1
    assert isinstance(analysis.similarity.loc["ops1", "ops2"], (float, np.floating))
    assert pd.api.types.is_integer_dtype(analysis.overlap.dtypes.iloc[0])


# -- sampled betweenness, every source at once: networkx's figures, without its seconds ---------------------------

import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from mcn_map.analyses.centrality import sample_sources, sampled_betweenness  # noqa: E402


def _brandes(graph, sources):
    """The textbook accumulation, one source at a time, unscaled (endpoints excluded)."""
    totals = dict.fromkeys(graph, 0.0)
    for s in sources:
        order, preds, sigma, dist = [], {v: [] for v in graph}, dict.fromkeys(graph, 0.0), {s: 0}
        sigma[s], queue = 1.0, [s]
        while queue:
            v = queue.pop(0)
            order.append(v)
            for w in graph[v]:
                if w not in dist:
                    dist[w] = dist[v] + 1
                    queue.append(w)
                if dist[w] == dist[v] + 1:
                    sigma[w] += sigma[v]
                    preds[w].append(v)
        delta = dict.fromkeys(graph, 0.0)
        for w in reversed(order):
            for v in preds[w]:
                delta[v] += sigma[v] / sigma[w] * (1 + delta[w])
            if w != s:
                totals[w] += delta[w]
    return totals


@settings(max_examples=150, deadline=None)
@given(st.integers(3, 40), st.floats(0.0, 0.3), st.integers(0, 10_000), st.integers(0, 99), st.integers(0, 3))
def test_sampled_betweenness_is_the_textbook_figure_from_networkx_sources(n, p, graph_seed, seed, isolated):
    graph = nx.gnp_random_graph(n, p, seed=graph_seed)
    graph.add_nodes_from(f"alone-{i}" for i in range(isolated))
    k = 1 + graph_seed % (graph.number_of_nodes() - 1) if graph.number_of_nodes() > 2 else 1
    got = sampled_betweenness(graph, max(k, 2), seed)
    sources = sample_sources(graph, max(k, 2), seed)
    raw = _brandes(graph, sources)
    pairs = graph.number_of_nodes() - 1
    for node, value in raw.items():
        scale = 1 / ((max(k, 2) - (1 if node in sources else 0)) * (pairs - 1))
        assert got[node] == pytest.approx(value * scale, abs=1e-12)


@pytest.mark.skipif(tuple(int(x) for x in nx.__version__.split(".")[:2]) < (3, 5),
                    reason="networkx scaled sampled betweenness differently before 3.5")
def test_sampled_betweenness_gives_networkx_own_figures():
    graph = nx.connected_watts_strogatz_graph(400, 6, 0.2, seed=3)
    graph.add_edge(0, 0)  # a self-loop lies on no shortest path
    ours = sampled_betweenness(graph, 24, 11)
    theirs = nx.betweenness_centrality(graph, k=24, seed=11, normalized=True)
    assert ours.keys() == theirs.keys()
    assert all(round(ours[v], 6) == round(theirs[v], 6) for v in ours)
