"""Small helpers the rule families share: names, active forums, routes between tiers, people counts."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from ..config import Config
from ..kinds import KINDS, Kind, infer
from ..memo import Memo, memo_for
from ..model import Landscape
from ..privacy.suppression import people_count

__all__ = ["name", "names", "active_ids", "seats_with_sector", "active_seats", "route_graph", "people", "as_of_date", "input_order",
           "forum_kinds"]


def name(landscape: Landscape, forum_id: str) -> str:
    return landscape.forum_name.get(forum_id, forum_id) or forum_id


MAX_NAMED = 6  # a sentence naming more forums than this stops being readable


def names(landscape: Landscape, forum_ids) -> str:
    """'A', 'A and B', 'A, B and C' with forum names; past MAX_NAMED, 'A, B, ... and 12 other forums'."""
    forum_ids = list(forum_ids)
    labels = [name(landscape, f) for f in forum_ids[:MAX_NAMED]]
    if len(forum_ids) > MAX_NAMED:
        return ", ".join(labels) + f" and {len(forum_ids) - MAX_NAMED:,} other forums"
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def input_order(landscape: Landscape, forum_ids, memo: Memo | None = None) -> tuple[str, ...]:
    """Forum ids in the order the input lists them, so subjects read the way the workbook does."""
    position = memo_for(landscape, memo).get("forum position", lambda: {f: i for i, f in enumerate(landscape.forum_ids)})
    return tuple(sorted(set(forum_ids), key=lambda f: (position.get(f, len(position)), f)))


def active_ids(landscape: Landscape, level: str | None = None) -> list[str]:
    forums = landscape.active_forums
    if level is not None:
        forums = forums[forums["level"] == level]
    return list(forums["forum_id"])


def seats_with_sector(landscape: Landscape, memo: Memo | None = None) -> pd.DataFrame:
    """Seats with the agency's sector and the forum's level and status, made once per memo."""
    return memo_for(landscape, memo).get("seats with sector", landscape.seats_with_sector)


def active_seats(landscape: Landscape, memo: Memo | None = None) -> pd.DataFrame:
    """Seats on active forums, with sector and level."""
    memo = memo_for(landscape, memo)
    seats = seats_with_sector(landscape, memo)
    return memo.get("active seats", lambda: seats[seats["status"] == "active"])


def route_graph(landscape: Landscape, config: Config, memo: Memo | None = None) -> nx.DiGraph:
    """Escalation and reporting routes. Only active forums pass an issue on, so edges leave active forums only."""
    key = ("route graph", tuple(config.links.route_types))
    return memo_for(landscape, memo).get(key, lambda: _route_graph(landscape, config))


def _route_graph(landscape: Landscape, config: Config) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(landscape.forum_ids)
    links = landscape.links
    links = links[links["type"].isin(config.links.route_types)]
    status = landscape.forum_status
    graph.add_edges_from((a, b) for a, b in zip(links["from_forum"], links["to_forum"])
                         if status.get(a) == "active" and a != b)
    return graph


def people(n: int, config: Config) -> str:
    """A count of people as a board may see it."""
    return people_count(int(n), config.suppress)


def people_phrase(n: int, config: Config, plural_verb: str = "are", singular_verb: str = "is") -> str:
    """'<8 people are', '15 people are', or, unsuppressed, '1 person is'."""
    shown = people(n, config)
    return f"1 person {singular_verb}" if shown == "1" else f"{shown} people {plural_verb}"


def as_of_date(landscape: Landscape, config: Config) -> pd.Timestamp | None:
    if config.as_of:
        return pd.Timestamp(config.as_of)
    return landscape.latest_date


def forum_kinds(landscape: Landscape, memo: Memo | None = None) -> dict[str, Kind]:
    """Forum id -> its national kind: the ``kind`` column where filled in, else inferred from the name and tier.
    Forums of no known kind are absent."""
    return memo_for(landscape, memo).get("forum kinds", lambda: _forum_kinds(landscape))


def _forum_kinds(landscape: Landscape) -> dict[str, Kind]:
    forums = landscape.forums
    given = forums["kind"] if "kind" in forums else [""] * len(forums)
    kinds = {}
    for forum, forum_name, level, kind in zip(forums["forum_id"], forums["name"], forums["level"], given):
        key = kind or infer(forum_name, level)
        if key in KINDS:
            kinds[forum] = KINDS[key]
    return kinds
