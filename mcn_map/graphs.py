"""The one place that turns a :class:`~mcn_map.model.Landscape` into networkx graphs.

Node keys carry their kind (``forum:marac``, ``agency:police``) so a forum and an agency may share an id.
Pass a :class:`~mcn_map.memo.Memo` to build each graph once and share it; shared graphs are frozen (read-only).
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from .memo import Memo, memo_for
from .model import Landscape

__all__ = [
    "forum_node",
    "agency_node",
    "seat_graph",
    "forum_attributes",
    "seat_key",
    "links_graph",
    "forum_projection",
    "agency_projection",
]


def forum_node(forum_id: str) -> str:
    return f"forum:{forum_id}"


def agency_node(agency_id: str) -> str:
    return f"agency:{agency_id}"


def _shared(landscape: Landscape, memo: Memo | None, name: str, build):
    # Frozen: the graph is shared by every caller, so one that added an edge would change the next's answer.
    return memo_for(landscape, memo).get(("graph", name), lambda: nx.freeze(build()))


def _plain(value):
    """GraphML takes str, int, float and bool only: blanks and NaN become absent attributes."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, tuple):
        return "|".join(value)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float) and value != value:
        return None
    if value is pd.NA:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value if value != "" else None


def _attrs(record: dict, skip=("row",)) -> dict:
    return {k: v for k, v in ((k, _plain(v)) for k, v in record.items() if k not in skip) if v is not None}


def record_attributes(record: dict, skip=("row",)) -> dict:
    """A model row as graph attributes: plain Python values, blanks and ``skip`` left out (exports use it too)."""
    return _attrs(record, skip)


def forum_attributes(record: dict) -> dict:
    """A forums-sheet row as node attributes: ``kind`` says what the node is (``forum``), so the forum's national
    kind (``marac``, ``drug_deaths_review``) is ``forum_kind``; filtering on ``kind == "forum"`` finds every forum."""
    attributes = _attrs(record)
    national = attributes.pop("kind", None)
    return {"kind": "forum", **attributes, **({"forum_kind": national} if national is not None else {})}


def seat_key(index: int) -> str:
    """A seat edge's key, unique in the whole graph (GraphML writes it as the edge's ``id``, which must be unique)."""
    return f"seat-{index}"


def seat_graph(landscape: Landscape, memo: Memo | None = None) -> nx.MultiGraph:
    """Forums and agencies as nodes (``kind`` attribute ``forum`` or ``agency``; a forum's national kind as
    ``forum_kind``); one edge per seat, keyed ``seat-0``, ``seat-1``..., with role, seniority, post, attendance."""

    def build() -> nx.MultiGraph:
        graph = nx.MultiGraph(name=landscape.source)
        graph.add_nodes_from(
            (forum_node(r["forum_id"]), forum_attributes(r)) for r in landscape.forums.to_dict("records"))
        graph.add_nodes_from(
            (agency_node(r["agency_id"]), {**_attrs(r), "kind": "agency"})
            for r in landscape.agencies.to_dict("records"))
        graph.add_edges_from(
            (forum_node(r["forum_id"]), agency_node(r["agency_id"]), seat_key(i),
             _attrs(r, skip=("row", "forum_id", "agency_id")))
            for i, r in enumerate(landscape.seats.to_dict("records")))
        return graph

    return _shared(landscape, memo, "seat_graph", build)


def links_graph(landscape: Landscape, memo: Memo | None = None) -> nx.MultiDiGraph:
    """Forums as nodes (by forum_id) and one directed edge per row of the links sheet, with ``type`` and ``via_post``."""

    def build() -> nx.MultiDiGraph:
        graph = nx.MultiDiGraph()
        graph.add_nodes_from((r["forum_id"], _attrs(r)) for r in landscape.forums.to_dict("records"))
        graph.add_edges_from(
            (r["from_forum"], r["to_forum"], _attrs(r, skip=("row", "from_forum", "to_forum")))
            for r in landscape.links.to_dict("records"))
        return graph

    return _shared(landscape, memo, "links_graph", build)


def _projection(landscape: Landscape, by: str, other: str) -> nx.Graph:
    """Nodes of column ``by`` joined when they share a value of ``other``; ``weight`` = how many they share."""
    pairs = landscape.seats[[by, other]].drop_duplicates()
    joined = pairs.merge(pairs, on=other, suffixes=("_a", "_b"))
    joined = joined[joined[f"{by}_a"] < joined[f"{by}_b"]]
    weights = joined.groupby([f"{by}_a", f"{by}_b"]).size()
    graph = nx.Graph()
    ids = landscape.forum_ids if by == "forum_id" else landscape.agency_ids
    graph.add_nodes_from(ids)
    graph.add_weighted_edges_from((a, b, int(w)) for (a, b), w in weights.items())
    return graph


def forum_projection(landscape: Landscape, memo: Memo | None = None) -> nx.Graph:
    """Forum–forum graph; ``weight`` is the number of agencies that sit on both."""
    return _shared(landscape, memo, "forum_projection", lambda: _projection(landscape, "forum_id", "agency_id"))


def agency_projection(landscape: Landscape, memo: Memo | None = None) -> nx.Graph:
    """Agency–agency graph; ``weight`` is the number of forums both sit on."""
    return _shared(landscape, memo, "agency_projection", lambda: _projection(landscape, "agency_id", "forum_id"))
