"""Clusters of forums whose case lists overlap heavily: community detection on the overlap graph.

A cluster of three or more forums is the board's rationalisation evidence ("these four forums share most of their
case lists: a candidate for one panel, or one lead forum per person"), reported once rather than pair by pair.

>>> sorted(sorted(c) for c in communities([(0, 1, 0.9), (1, 2, 0.8), (0, 2, 0.7), (3, 4, 0.9)], seed=1))
[[0, 1, 2], [3, 4]]
"""

from __future__ import annotations

import networkx as nx

__all__ = ["communities", "MIN_CLUSTER"]

MIN_CLUSTER = 3  # two forums are a pair, reported as one; three or more are a cluster


def communities(weighted_pairs, seed: int = 42) -> list[frozenset]:
    """Louvain communities of the graph whose edges are ``(forum, forum, weight)``, largest first, then by their
    smallest member: stable for the same input (seeded)."""
    graph = nx.Graph()
    graph.add_weighted_edges_from(weighted_pairs)
    if graph.number_of_edges() == 0:
        return []
    found = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    return sorted((frozenset(c) for c in found), key=lambda c: (-len(c), min(c)))
