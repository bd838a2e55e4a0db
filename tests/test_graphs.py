"""The graphs built from a landscape: seats as edges, links as arcs, projections weighted by what is shared."""

from __future__ import annotations

import mcn_map
from mcn_map.graphs import agency_projection, forum_projection, links_graph, seat_graph
from workbooks import sheets, write_xlsx


def little_borough(tmp_path):
    return mcn_map.load(write_xlsx(tmp_path / "area.xlsx", sheets()))


def test_seat_graph_has_one_edge_per_seat_with_attributes(tmp_path):
    landscape = little_borough(tmp_path)
    graph = seat_graph(landscape)
    assert graph.number_of_nodes() == 3 + 4 and graph.number_of_edges() == 6
    (attrs,) = graph.get_edge_data("forum:marac", "agency:asc").values()
    assert attrs["role"] == "member" and attrs["post"] == "Social worker" and attrs["attendance"] == 0.25
    assert graph.nodes["agency:asc"]["sector"] == "adult_social_care"
    from mcn_map.memo import Memo

    memo = Memo(landscape)
    assert seat_graph(landscape, memo) is seat_graph(landscape, memo)  # built once per memo and shared


def test_links_graph_keeps_type_and_direction(tmp_path):
    graph = links_graph(little_borough(tmp_path))
    assert graph.has_edge("marac", "board") and graph.has_edge("board", "marac")
    assert {d["type"] for _, _, d in graph.edges(data=True)} == {"escalates_to", "feeds_back_to"}


def test_projections_count_what_is_shared(tmp_path):
    landscape = little_borough(tmp_path)
    forums = forum_projection(landscape)
    assert forums["board"]["marac"]["weight"] == 1  # mh-trust sits on both
    assert forums["marac"]["mset"]["weight"] == 1  # police
    assert not forums.has_edge("board", "mset")
    agencies = agency_projection(landscape)
    assert agencies["mh-trust"]["police"]["weight"] == 1
    assert set(agencies.nodes) == {"council", "police", "mh-trust", "asc"}
