"""Network measures alongside the rules: density, components, degree and betweenness; the system connectors.

Betweenness is exact on small graphs. Above ``config.measures.betweenness_exact_max_nodes`` nodes it is estimated
from ``betweenness_sample`` seeded source nodes (networkx's ``k``; see :mod:`.centrality`, which does it for all the
sources at once), which keeps a nation-sized landscape to a fraction of a second and gives the same numbers on every
run.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from ..config import Config
from ..graphs import agency_node, forum_node
from ..memo import Memo, memo_for
from ..model import Landscape
from .centrality import sampled_betweenness, sampled_betweenness_of
from .incidence import incidence, sharing_pairs
from .packing import run_starts, unique_rows

__all__ = ["measures", "shared_measures", "measures_key", "betweenness", "count_components"]

TOP_POSTS = 50  # posts can number tens of thousands; only the best-placed are reported


def betweenness(graph: nx.Graph, config: Config) -> tuple[dict, dict]:
    """Normalised betweenness, exact or sampled; returns (values, how it was computed)."""
    settings = config.measures
    n = graph.number_of_nodes()
    if n > settings.betweenness_exact_max_nodes and settings.betweenness_sample < n:
        values = sampled_betweenness(graph, settings.betweenness_sample, settings.seed)
        method = {"method": "sampled", "k": settings.betweenness_sample, "seed": settings.seed, "nodes": n}
    else:
        values = nx.betweenness_centrality(graph, normalized=True)
        method = {"method": "exact", "nodes": n}
    return values, method


def count_components(n: int, pairs) -> int:
    """Connected components of nodes 0..n-1 joined by ``pairs``: union-find (scipy's csgraph would cost every command
    a twentieth of a second to import, for one number)."""
    parent = list(range(n))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    count = n
    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[ra] = rb
            count -= 1
    return count


def _summary(nodes, edges) -> dict:
    """Size, density and connected components of an undirected simple graph given as node and edge lists."""
    index = {node: i for i, node in enumerate(dict.fromkeys(nodes))}
    pairs = [(index[a], index[b]) for a, b in edges if a in index and b in index]
    first, second = (np.array(c, dtype=np.int64) for c in zip(*pairs)) if pairs else (np.zeros(0, np.int64),) * 2
    return _summary_of(len(index), first, second)


def _summary_of(n: int, first: np.ndarray, second: np.ndarray) -> dict:
    """:func:`_summary` of nodes 0..n-1 joined by edges ``first[i]``–``second[i]`` (repeats and loops ignored)."""
    if n == 0:
        return {"nodes": 0, "edges": 0, "density": 0.0, "components": 0}
    apart = first != second
    low, high = np.minimum(first, second)[apart], np.maximum(first, second)[apart]
    low, high = unique_rows(low, high) if len(low) else (low, high)
    return {
        "nodes": n,
        "edges": len(low),
        "density": round(2 * len(low) / (n * (n - 1)), 4) if n > 1 else 0.0,
        "components": int(count_components(n, zip(low.tolist(), high.tolist()))),
    }


class _Edges:
    """A simple undirected graph as node labels (in the order networkx would hold them) and edges as two arrays of
    node positions: the measures' large graphs, which need degrees and betweenness, not a graph object."""

    def __init__(self, nodes: list, first_labels, second_labels):
        first_labels, second_labels = np.asarray(first_labels, dtype=object), np.asarray(second_labels, dtype=object)
        known = set(nodes)
        # networkx adds an edge's unknown ends as it meets them, first end first
        ends = pd.unique(np.column_stack([first_labels, second_labels]).ravel()) if len(first_labels) else []
        self.nodes = list(nodes) + [node for node in ends if node not in known]
        index = pd.Index(self.nodes)
        self.first, self.second = index.get_indexer(first_labels), index.get_indexer(second_labels)
        apart = self.first != self.second
        low, high = unique_rows(np.minimum(self.first, self.second)[apart], np.maximum(self.first, self.second)[apart])
        self._degree = np.bincount(np.concatenate([low, high]), minlength=len(self.nodes))
        self._position = {node: i for i, node in enumerate(self.nodes)}

    def degree(self, node) -> int:
        return int(self._degree[self._position[node]])

    def networkx(self) -> nx.Graph:
        graph = nx.Graph()
        graph.add_nodes_from(self.nodes)
        graph.add_edges_from(zip((self.nodes[i] for i in self.first), (self.nodes[i] for i in self.second)))
        return graph


def _betweenness(graph: _Edges, config: Config) -> tuple[dict, dict]:
    """:func:`betweenness` of an :class:`_Edges` graph: a networkx graph is made only for the exact figure."""
    settings = config.measures
    n = len(graph.nodes)
    if n > settings.betweenness_exact_max_nodes and settings.betweenness_sample < n:
        values = sampled_betweenness_of(graph.nodes, graph.first, graph.second, settings.betweenness_sample,
                                        settings.seed)
        return values, {"method": "sampled", "k": settings.betweenness_sample, "seed": settings.seed, "nodes": n}
    return betweenness(graph.networkx(), config)


def _lists(frame: pd.DataFrame, keys: list[str], value: str) -> dict:
    """key (a tuple when several) -> list of ``value`` in frame order, for a frame sorted by ``keys``: the grouping
    ``groupby(keys)[value].agg(list)`` gives, without a Python call per group."""
    if not len(frame):
        return {}
    columns = [frame[k].to_numpy() for k in keys]
    bounds = run_starts(*columns)
    values = frame[value].tolist()
    labels = list(zip(*(c[bounds[:-1]].tolist() for c in columns))) if len(keys) > 1 else columns[0][bounds[:-1]].tolist()
    return {label: values[a:b] for label, a, b in zip(labels, bounds[:-1].tolist(), bounds[1:].tolist())}


def _projection_pairs(landscape: Landscape, active_order: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Edges of the forum projection (forums sharing an agency) among active forums, as positions in
    ``active_order``: one product of the forum × agency incidence, where ``graphs.forum_projection`` builds a
    weighted networkx graph. The pairs come in no particular order (the summary sorts them)."""
    seats = landscape.seats
    where = pd.Index(active_order).get_indexer(seats["forum_id"])
    agency = pd.factorize(seats["agency_id"])[0]
    keep = where >= 0
    if not keep.any():
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return sharing_pairs(incidence(where[keep], agency[keep], (len(active_order), int(agency.max()) + 1), np.float64))


def shared_measures(landscape: Landscape, config: Config, memo: Memo | None = None) -> dict:
    """:func:`measures`, worked out once per memo and measures settings. They read no case list, so a build works
    them out while a long one is parsed."""
    return memo_for(landscape, memo).get(measures_key(config), lambda: measures(landscape, config))


def measures_key(config: Config) -> tuple:
    """Where a memo keeps the measures under these settings (a build fills it while the case list is read)."""
    return ("measures", repr(config.measures))


def measures(landscape: Landscape, config: Config) -> dict:
    """Measures of the active landscape, as plain JSON-ready data."""
    active = set(landscape.active_forums["forum_id"])
    seats = landscape.seats
    seats = seats[seats["forum_id"].isin(active)]
    level = landscape.forum_level
    forum_nodes = [forum_node(f) for f in landscape.forum_ids if f in active]

    # Forums and agencies: the seat graph (one edge per forum–agency pair) over active forums.
    pairs = seats[["forum_id", "agency_id"]].drop_duplicates()
    seat_graph = _Edges(forum_nodes + [agency_node(a) for a in landscape.agency_ids],
                        pairs["forum_id"].map(forum_node), pairs["agency_id"].map(agency_node))
    seat_between, seat_method = _betweenness(seat_graph, config)

    # Posts: forum–post graph, a post being (agency, post label). A post on one forum only never lies between two
    # others, so its betweenness is 0 and it is left out of the graph: at scale most posts are like that.
    named = seats[seats["post"] != ""][["forum_id", "agency_id", "post"]].drop_duplicates()
    post_degree = named.groupby(["agency_id", "post"], sort=True).size()
    linking = named.set_index(["agency_id", "post"]).index.isin(post_degree.index[post_degree > 1])
    post_keys = [f"post:{a}\x1f{p}" for a, p in zip(named["agency_id"][linking], named["post"][linking])]
    post_graph = _Edges(forum_nodes, named["forum_id"][linking].map(forum_node), post_keys)
    post_between, post_method = _betweenness(post_graph, config)
    post_method["posts_on_one_forum_left_out"] = int((post_degree == 1).sum())

    forums = {}
    for forum in landscape.forum_ids:
        if forum in active:
            node = forum_node(forum)
            forums[forum] = {"degree": seat_graph.degree(node), "betweenness": round(seat_between.get(node, 0.0), 6)}

    agency_levels = pairs.assign(level=pairs["forum_id"].map(level))[["agency_id", "level"]].drop_duplicates()
    agency_levels = _lists(agency_levels.sort_values(["agency_id", "level"]), ["agency_id"], "level")
    agencies = {}
    for agency in landscape.agency_ids:
        node = agency_node(agency)
        agencies[agency] = {"degree": seat_graph.degree(node), "betweenness": round(seat_between.get(node, 0.0), 6),
                            "levels": list(agency_levels.get(agency, []))}

    # Only posts on several forums can rank among the best placed; levels are worked out for those alone.
    several = named[linking]
    post_levels = several.assign(level=several["forum_id"].map(level))[["agency_id", "post", "level"]]
    post_levels = _lists(post_levels.drop_duplicates().sort_values(["agency_id", "post", "level"]),
                         ["agency_id", "post"], "level")
    posts = []
    for (agency, post), levels in post_levels.items():
        key = f"post:{agency}\x1f{post}"
        posts.append({"post": post, "agency": agency, "degree": post_graph.degree(key),
                      "betweenness": round(post_between.get(key, 0.0), 6), "levels": list(levels)})
    posts.sort(key=lambda p: (-p["betweenness"], -p["degree"], p["agency"], p["post"]))
    if len(posts) < TOP_POSTS:  # a small landscape: list single-forum posts too, for completeness
        singles = named[~linking]
        posts += [{"post": p, "agency": a, "degree": 1, "betweenness": 0.0, "levels": [level[f]]}
                  for f, a, p in sorted(zip(singles["forum_id"], singles["agency_id"], singles["post"]),
                                        key=lambda t: (t[1], t[2]))][: TOP_POSTS - len(posts)]

    def connectors(items):
        """Best placed to carry issues between tiers: on more than one level, highest betweenness first."""
        chosen = [i for i in items if len(i[1]["levels"]) > 1 and i[1]["betweenness"] > 0]
        chosen.sort(key=lambda i: (-i[1]["betweenness"], -i[1]["degree"], i[0]))
        return chosen[: config.measures.connectors]

    agency_connectors = [{"agency": a, "name": landscape.agency_name.get(a, a), **v}
                         for a, v in connectors(list(agencies.items()))]
    post_connectors = [p for _, p in connectors([(f"{p['agency']}\x1f{p['post']}", p) for p in posts])]

    active_order = [f for f in landscape.forum_ids if f in active]
    links = landscape.links
    return {
        "seat_graph": _summary_of(len(seat_graph.nodes), seat_graph.first, seat_graph.second),
        "forum_projection": _summary_of(len(active_order), *_projection_pairs(landscape, active_order)),
        "links_graph": _summary(active_order, zip(links["from_forum"], links["to_forum"])),
        "betweenness": {"forums_agencies": seat_method, "posts": post_method},
        "forums": forums,
        "agencies": agencies,
        "posts": posts[:TOP_POSTS],
        "posts_total": int(len(post_degree)),
        "connectors": {"agencies": agency_connectors, "posts": post_connectors},
    }
