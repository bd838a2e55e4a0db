"""Betweenness estimated from a sample of source nodes, every source at once (Brandes' algorithm, vectorised).

networkx walks the graph from each sampled source in Python: seconds at nation scale. Here the breadth-first search
and the accumulation of dependencies run level by level for all sources together, as sparse matrix products, with the
same sources (drawn as networkx draws them from the same seed) and the same scaling as networkx 3.6, so the figures
do not depend on the installed networkx.
"""

from __future__ import annotations

import math
import random

import networkx as nx
import numpy as np

__all__ = ["sampled_betweenness", "sampled_betweenness_of", "sample_sources"]


def sample_sources(graph: nx.Graph, k: int, seed: int) -> list:
    """The ``k`` source nodes networkx's ``betweenness_centrality(graph, k=k, seed=seed)`` uses."""
    return random.Random(seed).sample(list(graph.nodes()), k)


def _adjacency(n: int, first: np.ndarray, second: np.ndarray):
    from scipy.sparse import csr_matrix

    loops = first == second
    first, second = first[~loops], second[~loops]
    rows = np.concatenate([first, second])
    columns = np.concatenate([second, first])
    matrix = csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(n, n))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0  # a simple graph: one step between neighbours, whatever the edge list repeats
    return matrix


def _dependencies(adjacency, sources: np.ndarray) -> np.ndarray:
    """Each node's dependency on each source (n x k): Brandes' delta, the source's own entry left at 0."""
    n, k = adjacency.shape[0], len(sources)
    columns = np.arange(k)
    distance = np.full((n, k), -1, dtype=np.int32)
    sigma = np.zeros((n, k))  # shortest paths from each source, as floats (networkx counts them so too)
    distance[sources, columns] = 0
    sigma[sources, columns] = 1.0
    frontier, level = sigma.copy(), 0
    while True:  # breadth first, one level for every source at a time
        reached = adjacency @ frontier
        new = (reached > 0) & (distance < 0)
        if not new.any():
            break
        level += 1
        distance[new] = level
        frontier = np.where(new, reached, 0.0)
        sigma += frontier
    delta = np.zeros((n, k))
    for depth in range(level, 0, -1):  # then back up, deepest level first
        here = distance == depth
        share = np.where(here, (1.0 + delta) / np.where(here, sigma, 1.0), 0.0)
        delta += np.where(distance == depth - 1, sigma * (adjacency @ share), 0.0)
    delta[sources, columns] = 0.0
    return delta


def sampled_betweenness(graph: nx.Graph, k: int, seed: int) -> dict:
    """Normalised betweenness of an undirected graph estimated from ``k`` seeded sources: the values
    ``networkx.betweenness_centrality(graph, k=k, seed=seed, normalized=True)`` gives (networkx 3.6)."""
    nodes = list(graph.nodes())
    index = {node: i for i, node in enumerate(nodes)}
    pairs = np.array([(index[u], index[v]) for u, v in graph.edges()], dtype=np.int64).reshape(-1, 2)
    return sampled_betweenness_of(nodes, pairs[:, 0], pairs[:, 1], k, seed)


def sampled_betweenness_of(nodes: list, first: np.ndarray, second: np.ndarray, k: int, seed: int) -> dict:
    """:func:`sampled_betweenness` of the graph with ``nodes`` (in the order networkx would hold them) and an edge
    from ``nodes[first[i]]`` to ``nodes[second[i]]`` for each i: no graph object is built."""
    n = len(nodes)
    if n == 0:
        return {}
    chosen = random.Random(seed).sample(range(n), k)  # the positions of sample_sources' nodes
    sources = np.array(chosen, dtype=np.int64)
    totals = _dependencies(_adjacency(n, np.asarray(first), np.asarray(second)), sources).sum(axis=1)
    pairs = n - 1  # endpoints excluded: a node is never counted as a path's target
    if pairs < 2:
        return dict(zip(nodes, totals.tolist()))
    scale_source = 1 / ((k - 1) * (pairs - 1)) if k > 1 else math.nan
    scale_other = 1 / (k * (pairs - 1))
    scale = np.full(n, scale_other)
    scale[sources] = scale_source
    return dict(zip(nodes, (totals * scale).tolist()))
