"""Network measures alongside the rules: density, components, degree and betweenness; the system connectors.

Betweenness is exact on small graphs. Above ``config.measures.betweenness_exact_max_nodes`` nodes it is estimated
from ``betweenness_sample`` seeded source nodes (networkx's ``k``; see :mod:`.centrality`, which does it for all the
sources at once), which keeps a nation-sized landscape to a fraction of a second and gives the same numbers on every
run.
"""

from __future__ import annotations

import networkx as nx

from ..config import Config
from ..graphs import agency_node, forum_node, forum_projection
from ..model import Landscape
from .centrality import sampled_betweenness

__all__ = ["measures", "betweenness", "count_components"]

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
    pairs = {(min(index[a], index[b]), max(index[a], index[b])) for a, b in edges if a != b and a in index and b in index}
    n = len(index)
    if n == 0:
        return {"nodes": 0, "edges": 0, "density": 0.0, "components": 0}
    components = count_components(n, pairs)
    return {
        "nodes": n,
        "edges": len(pairs),
        "density": round(2 * len(pairs) / (n * (n - 1)), 4) if n > 1 else 0.0,
        "components": int(components),
    }


def measures(landscape: Landscape, config: Config) -> dict:
    """Measures of the active landscape, as plain JSON-ready data."""
    active = set(landscape.active_forums["forum_id"])
    seats = landscape.seats
    seats = seats[seats["forum_id"].isin(active)]
    level = landscape.forum_level

    # Forums and agencies: the seat graph (one edge per forum–agency pair) over active forums.
    seat_graph = nx.Graph()
    seat_graph.add_nodes_from(forum_node(f) for f in landscape.forum_ids if f in active)
    seat_graph.add_nodes_from(agency_node(a) for a in landscape.agency_ids)
    pairs = seats[["forum_id", "agency_id"]].drop_duplicates()
    seat_graph.add_edges_from(zip(pairs["forum_id"].map(forum_node), pairs["agency_id"].map(agency_node)))
    seat_between, seat_method = betweenness(seat_graph, config)

    # Posts: forum–post graph, a post being (agency, post label). A post on one forum only never lies between two
    # others, so its betweenness is 0 and it is left out of the graph: at scale most posts are like that.
    named = seats[seats["post"] != ""][["forum_id", "agency_id", "post"]].drop_duplicates()
    post_degree = named.groupby(["agency_id", "post"], sort=True).size()
    linking = named.set_index(["agency_id", "post"]).index.isin(post_degree.index[post_degree > 1])
    post_graph = nx.Graph()
    post_graph.add_nodes_from(forum_node(f) for f in landscape.forum_ids if f in active)
    post_keys = [f"post:{a}\x1f{p}" for a, p in zip(named["agency_id"][linking], named["post"][linking])]
    post_graph.add_edges_from(zip(named["forum_id"][linking].map(forum_node), post_keys))
    post_between, post_method = betweenness(post_graph, config)
    post_method["posts_on_one_forum_left_out"] = int((post_degree == 1).sum())

    forums = {}
    for forum in landscape.forum_ids:
        if forum in active:
            node = forum_node(forum)
            forums[forum] = {"degree": seat_graph.degree(node), "betweenness": round(seat_between.get(node, 0.0), 6)}

    agency_levels = pairs.assign(level=pairs["forum_id"].map(level))[["agency_id", "level"]].drop_duplicates()
    agency_levels = agency_levels.sort_values(["agency_id", "level"]).groupby("agency_id")["level"].agg(list)
    agencies = {}
    for agency in landscape.agency_ids:
        node = agency_node(agency)
        agencies[agency] = {"degree": seat_graph.degree(node), "betweenness": round(seat_between.get(node, 0.0), 6),
                            "levels": list(agency_levels.get(agency, []))}

    # Only posts on several forums can rank among the best placed; levels are worked out for those alone.
    several = named[linking]
    post_levels = several.assign(level=several["forum_id"].map(level))[["agency_id", "post", "level"]]
    post_levels = post_levels.drop_duplicates().sort_values(["agency_id", "post", "level"]).groupby(
        ["agency_id", "post"], sort=True)["level"].agg(list)
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
        "seat_graph": _summary(seat_graph.nodes, seat_graph.edges),
        "forum_projection": _summary(active_order, forum_projection(landscape).edges),
        "links_graph": _summary(active_order, zip(links["from_forum"], links["to_forum"])),
        "betweenness": {"forums_agencies": seat_method, "posts": post_method},
        "forums": forums,
        "agencies": agencies,
        "posts": posts[:TOP_POSTS],
        "posts_total": int(len(post_degree)),
        "connectors": {"agencies": agency_connectors, "posts": post_connectors},
    }
