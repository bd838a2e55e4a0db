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
