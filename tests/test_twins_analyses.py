"""Every fast path of the analyses and the layout has its plain twin: shared intermediate results, whole-number
packing, the measures' graphs, incidence matrices, the options' lighter evaluation and the layout's sweeps."""

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


# -- shared intermediate results: computed once per landscape, the same findings as computed afresh ----------------

import importlib.util  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from mcn_map import load_frames  # noqa: E402
from mcn_map.analyses.run import analyse  # noqa: E402
from mcn_map.render.findings_json import findings_document  # noqa: E402
from mcn_map.change.options import board_options  # noqa: E402

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def _synth():
    spec = importlib.util.spec_from_file_location("synth", SCRIPTS / "synth.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("synth", module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_a_landscape_analysed_twice_or_afresh_gives_the_same_findings():
    frames = _synth().landscape_frames("borough", seed=3)
    landscape = load_frames(frames)
    first = findings_document(analyse(landscape))
    options = [o.title for o in board_options(landscape, analyse(landscape))]
    again = findings_document(analyse(landscape))  # every cached table reused
    fresh_landscape = load_frames(frames)
    fresh = findings_document(analyse(fresh_landscape))
    assert first == again == fresh
    assert options == [o.title for o in board_options(fresh_landscape, analyse(fresh_landscape))]
    assert first["findings"]  # the preset has problems to find



# -- components counted without scipy's csgraph ---------------------------------------------------------------------

from mcn_map.analyses.measures import count_components  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 30).flatmap(lambda n: st.tuples(st.just(n), st.lists(
    st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=40))))
def test_components_are_what_scipy_counts(graph):
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    n, pairs = graph
    rows = [a for a, _ in pairs]
    cols = [b for _, b in pairs]
    adjacency = sparse.coo_matrix(([1.0] * len(pairs), (rows, cols)), shape=(n, n))
    assert count_components(n, pairs) == connected_components(adjacency, directed=False)[0]



# -- whole-number columns packed into one key: the same rows, counts and pairs pandas gives ---------------------

import numpy as np  # noqa: E402

from mcn_map.analyses import packing  # noqa: E402

WHOLE = st.integers(-(2**40), 2**40)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 3).flatmap(lambda k: st.lists(st.tuples(*[st.one_of(st.integers(-3, 5), WHOLE)] * k),
                                                     max_size=40)), st.booleans())
def test_unique_rows_are_drop_duplicates_then_a_sort(rows, wide):
    k = len(rows[0]) if rows else 2
    frame = pd.DataFrame(rows or [], columns=list(range(k)), dtype=np.int64)
    if wide and len(frame):  # ranges so wide the columns are packed by rank, or not packed at all
        frame[0] = frame[0] * (2**20) + 2**60
    expected = frame.drop_duplicates().sort_values(list(range(k)), kind="stable")
    got = packing.unique_rows(*(frame[c].to_numpy() for c in range(k)))
    assert [c.tolist() for c in got] == [expected[c].tolist() for c in range(k)]
    if len(frame):
        values, counts = packing.counts(frame[0].to_numpy())
        assert dict(zip(values.tolist(), counts.tolist())) == frame[0].value_counts().to_dict()
        assert values.tolist() == sorted(set(frame[0])) == packing.distinct(frame[0].to_numpy()).tolist()


def test_columns_too_wide_even_by_rank_fall_back_to_numpy_rows(monkeypatch):
    monkeypatch.setattr(packing, "_LIMIT", 4)  # nothing packs: every column wide, even ranked
    columns = (np.array([3, 1, 3, 1, 2]), np.array([0, 5, 0, 4, 9]), np.array([1, 1, 1, 1, 1]))
    assert packing.pack(*columns) is None
    assert [c.tolist() for c in packing.unique_rows(*columns)] == [[1, 1, 2, 3], [4, 5, 9, 0], [1, 1, 1, 1]]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 9)), max_size=40))
def test_pairs_within_runs_are_the_self_join_pandas_makes(rows):
    frame = pd.DataFrame(rows or [], columns=["person", "forum"], dtype=np.int64).sort_values("person", kind="stable")
    frame = frame.reset_index(drop=True)
    bounds = packing.run_starts(frame["person"].to_numpy())
    starts, sizes = bounds[:-1], np.diff(bounds)
    a, b = packing.pairs_between(starts, sizes, starts, sizes) if len(frame) else (np.zeros(0, int),) * 2
    got = sorted(zip(frame["forum"].to_numpy()[a].tolist(), frame["forum"].to_numpy()[b].tolist(),
                     frame["person"].to_numpy()[a].tolist()))
    joined = frame.merge(frame, on="person")
    assert got == sorted(zip(joined["forum_x"], joined["forum_y"], joined["person"]))


# -- the measures' graphs without networkx objects: its node order, degrees and summaries ------------------------

import networkx as nx  # noqa: E402

from mcn_map.analyses.measures import _Edges, _lists, _summary  # noqa: E402

LABEL = st.sampled_from(list("abcdefgh"))


@settings(max_examples=200, deadline=None)
@given(st.lists(LABEL, unique=True, max_size=5), st.lists(st.tuples(LABEL, LABEL), max_size=25))
def test_edges_hold_what_a_networkx_graph_holds(nodes, edges):
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    ours = _Edges(nodes, [a for a, _ in edges], [b for _, b in edges])
    assert ours.nodes == list(graph.nodes)
    assert {n: ours.degree(n) for n in ours.nodes} == {n: d - 2 * graph.has_edge(n, n) for n, d in graph.degree}
    assert nx.utils.graphs_equal(ours.networkx(), graph)
    summary = _summary(graph.nodes, graph.edges)
    from mcn_map.analyses.measures import _summary_of

    assert _summary_of(len(ours.nodes), ours.first, ours.second) == summary


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(LABEL, st.integers(0, 3), st.sampled_from(["operational", "strategic", "tactical"])),
                max_size=25))
def test_lists_by_key_are_groupby_agg_list(rows):
    frame = pd.DataFrame(rows or [], columns=["agency", "post", "level"]).sort_values(["agency", "post", "level"])
    expected = frame.groupby(["agency", "post"], sort=True)["level"].agg(list).to_dict() if len(frame) else {}
    assert _lists(frame, ["agency", "post"], "level") == expected
    single = frame.groupby("agency", sort=True)["level"].agg(list).to_dict() if len(frame) else {}
    assert _lists(frame, ["agency"], "level") == single


def test_forum_projection_summary_from_one_sparse_product_is_the_networkx_projections():
    from mcn_map.analyses.measures import _projection_pairs, _summary_of
    from mcn_map.graphs import forum_projection
    from mcn_map.loading.validate import load
    from test_analyses_world import healthy_tables, landscape_of, set_forum

    tables = healthy_tables()
    set_forum(tables, "ops2", status="ended")  # an inactive forum: its edges are not counted
    for landscape in (load(EXAMPLE), landscape_of(tables)):
        active = [f for f in landscape.forum_ids if f in set(landscape.active_forums["forum_id"])]
        assert _summary_of(len(active), *_projection_pairs(landscape, active)) == _summary(
            active, forum_projection(landscape).edges)



# -- the board's options: each scenario's findings without the network measures, the changes without pandas merges --

import gc  # noqa: E402
from types import SimpleNamespace  # noqa: E402

from mcn_map.change.compare import link_changes, post_changes  # noqa: E402
from mcn_map.change.options import candidate_scenarios  # noqa: E402
from mcn_map.change.scenario import apply_scenario, try_scenario  # noqa: E402
from mcn_map.cli import importing  # noqa: E402


def _without_position(finding: dict) -> dict:
    return {**finding, "evidence": {k: v for k, v in finding["evidence"].items() if k != "betweenness"}}


def test_findings_without_measures_are_the_findings_less_their_network_position():
    full = analyse(load(EXAMPLE))
    lite = analyse(load(EXAMPLE), measures=False)
    assert lite.measures == {} and full.measures
    assert [f.id for f in lite.findings] == [f.id for f in full.findings]
    assert [f.as_dict() for f in lite.findings] == [_without_position(f.as_dict()) for f in full.findings]
    assert any("betweenness" in f.evidence for f in full.findings)  # there was a position to leave out
    assert not any("betweenness" in f.evidence for f in lite.findings)
    assert lite.burden.equals(full.burden) and lite.overlap.equals(full.overlap)


def test_each_option_resolves_and_adds_what_a_full_analysis_of_its_scenario_finds():
    landscape = load(EXAMPLE)
    baseline = analyse(landscape)
    candidates, _ = candidate_scenarios(landscape, baseline)
    assert len(candidates) >= 2
    old_ids = {f.id for f in baseline.findings}
    for *_, scenario in candidates:
        _, after, changes = try_scenario(landscape, baseline, scenario)
        full = analyse(apply_scenario(landscape, scenario), baseline.config, baseline.as_of, suppress=baseline.suppress)
        new_ids = {f.id for f in full.findings}
        assert [f["id"] for f in changes["findings"]["resolved"]] == [
            f.id for f in baseline.findings if f.id not in new_ids]
        assert [f["id"] for f in changes["findings"]["new"]] == [f.id for f in full.findings if f.id not in old_ids]
        assert after.burden.equals(full.burden)


def _merged_link_changes(old, new) -> dict:
    """link_changes as it was: two pandas merges with an indicator."""
    key = ["from_forum", "to_forum", "type"]

    def objects(frame):
        return [{"from_forum": r.from_forum, "to_forum": r.to_forum, "type": r.type, "via_post": r.via_post}
                for r in frame.itertuples(index=False)]

    before, after = old.links.drop_duplicates(key), new.links.drop_duplicates(key)
    removed = before.merge(after[key], on=key, how="left", indicator=True)
    added = after.merge(before[key], on=key, how="left", indicator=True)
    return {"added": objects(added[added["_merge"] == "left_only"]),
            "removed": objects(removed[removed["_merge"] == "left_only"])}


def _grouped_posts(landscape) -> list:
    """post_changes' posts as they were: a groupby of the seats with a post, forums sorted, in first-seen order."""
    seats = landscape.seats[landscape.seats["post"] != ""]
    table = seats.groupby(["agency_id", "post"], sort=False)["forum_id"].agg(lambda s: sorted(set(s))).reset_index()
    return [{"agency_id": a, "post": p, "forums": f} for a, p, f in table.itertuples(index=False)]


# Missing values too (None, NaN): a landscape made in a notebook may hold them, where the loader writes "".
_MISSING = [None, float("nan")]
_FORUM = st.sampled_from(["a", "b", "c", "d", *_MISSING])
_LINKS = st.lists(st.tuples(_FORUM, _FORUM, st.sampled_from(["escalates_to", "reports_to", *_MISSING]),
                            st.sampled_from(["", "chair", "lead", *_MISSING])), max_size=12)
_SEATS = st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(["police", "nhs", *_MISSING]),
                            st.sampled_from(["", "chair", "lead", "dsl", *_MISSING])), max_size=12)


def _snapshot(links, seats):
    return SimpleNamespace(
        links=pd.DataFrame(links, columns=["from_forum", "to_forum", "type", "via_post"], dtype=object),
        seats=pd.DataFrame(seats, columns=["forum_id", "agency_id", "post"], dtype=object))


@settings(max_examples=300, deadline=None)
@given(_LINKS, _LINKS, _SEATS, _SEATS)
def test_link_and_post_changes_are_what_the_pandas_merges_gave(old_links, new_links, old_seats, new_seats):
    old, new = _snapshot(old_links, old_seats), _snapshot(new_links, new_seats)
    assert _same(link_changes(old, new), _merged_link_changes(old, new))
    changes = post_changes(old, new)
    before, after = _grouped_posts(old), _grouped_posts(new)
    assert _same(changes["left"], [p for p in before if (p["agency_id"], p["post"]) not in
                                   {(q["agency_id"], q["post"]) for q in after}])
    assert _same(changes["joined"], [p for p in after if (p["agency_id"], p["post"]) not in
                                     {(q["agency_id"], q["post"]) for q in before}])


def _same(a, b) -> bool:
    """Equal, a missing value (None or NaN) matching any missing value, as pandas matches them."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
        return False
    return bool(pd.isna(a) and pd.isna(b)) or a == b



# -- the layout's sweeps: the tiers' geometry once, then one sort per sweep ---------------------------------------------

from mcn_map.render.layout import (  # noqa: E402
    AGENCY_DROP, AGENCY_DY, BLOCK_GAP, BOX_HALF, BOX_WIDTH, FORUM_DX, MAX_PER_ROW, ROW_DY, _level_index, _placed,
    _tiers, level_names)


def _placed_the_long_way(forums: pd.DataFrame, order_key: np.ndarray, band_rows: dict[int, int] | None = None
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple]:
    """The placement as it was, one pandas sort and groupby per sweep: what _tiers and _placed must give."""
    n = len(forums)
    area = forums["area"].where(forums["area"] != "", "~").to_numpy(dtype=object)
    level = _level_index(forums["level"])
    frame = pd.DataFrame({"area": area, "level": level, "key": order_key, "name": forums["name"].to_numpy(dtype=object),
                          "id": forums["forum_id"].to_numpy(dtype=object), "pos": np.arange(n)})
    frame = frame.sort_values(["area", "level", "key", "name", "id"], kind="stable")
    frame["index"] = frame.groupby(["area", "level"], sort=False).cumcount().to_numpy()
    counts = frame.groupby(["area", "level"])["id"].transform("size").to_numpy()
    # Wrap long tiers so the map is roughly as tall as it is wide and labels stay readable when fitted to a screen.
    per_row = np.clip(np.ceil(np.sqrt(2.5 * counts)), 5, MAX_PER_ROW)
    per_row = np.ceil(counts / np.ceil(counts / per_row)).astype(int)  # rows of even length: 14 is 5, 5, 4
    frame["row"] = frame["index"].to_numpy() // per_row
    frame["col"] = frame["index"].to_numpy() % per_row
    in_row = np.minimum(counts - frame["row"].to_numpy() * per_row, per_row)
    frame["offset"] = frame["col"].to_numpy() - (in_row - 1) / 2  # centre each row on its block

    areas = sorted(set(area))
    frame["per_row"] = per_row
    block_width = frame.groupby("area")["per_row"].max().combine(frame.groupby("area")["index"].max() + 1, min)
    n_blocks = len(areas)
    columns = max(1, int(np.ceil(np.sqrt(n_blocks))))  # blocks are about as tall as wide: a square-ish grid
    block_of = {a: i for i, a in enumerate(areas)}
    grid_col = np.array([block_of[a] % columns for a in areas])
    grid_row = np.array([block_of[a] // columns for a in areas])
    # Blocks in one grid column share that column's widest block, so tiers line up across areas.
    widths = block_width.reindex(areas).to_numpy()
    col_width = np.zeros(columns)
    np.maximum.at(col_width, grid_col, widths)
    col_start = np.concatenate([[0.0], np.cumsum(col_width + BLOCK_GAP)[:-1]])
    centre_x = {a: (col_start[grid_col[i]] + col_width[grid_col[i]] / 2) * FORUM_DX for i, a in enumerate(areas)}
    area_grid_row = dict(zip(areas, grid_row))
    if band_rows is None:
        band_rows = {}

    # Rows per (grid row, level): the tallest block decides, so every tier starts at the same height. The gap below
    # a tier holds its agency band.
    frame["grid_row"] = frame["area"].map(area_grid_row).to_numpy()
    rows_needed = frame.groupby(["grid_row", "level"])["row"].max() + 1
    level_top = {}
    y = 0.0
    for g in range(int(grid_row.max()) + 1 if n_blocks else 0):
        for lv in range(3):
            level_top[(g, lv)] = y
            rows = int(rows_needed.get((g, lv), 0))
            if rows:
                band = band_rows.get(lv, 0)
                gap = 2 * BOX_HALF + 40 + (AGENCY_DROP + band * AGENCY_DY if band else 0)
                y += (rows - 1) * ROW_DY + gap
        y += 260.0  # room for the next grid row's area name
    tops = np.array([level_top[(g, lv)] for g, lv in zip(frame["grid_row"], frame["level"])])
    xs = frame["area"].map(centre_x).to_numpy(dtype=float) + frame["offset"].to_numpy() * FORUM_DX
    ys = tops + frame["row"].to_numpy() * ROW_DY
    bottoms = tops + (np.array([rows_needed.get((g, lv), 1) for g, lv in zip(frame["grid_row"], frame["level"])]) - 1) * ROW_DY
    out_x = np.empty(n)
    out_y = np.empty(n)
    out_bottom = np.empty(n)
    pos = frame["pos"].to_numpy()
    out_x[pos], out_y[pos], out_bottom[pos] = xs, ys, bottoms
    first_top = {g: level_top.get((g, 0), 0.0) for g in set(grid_row.tolist())}
    labels = {a: (centre_x[a], first_top[area_grid_row[a]] - 170.0) for a in areas if a != "~"}
    left = float(xs.min()) - BOX_WIDTH / 2 - 95 if n else 0.0
    tiers = tuple((level_names[lv], left, float(level_top[(g, lv)]))
                  for (g, lv) in sorted(rows_needed.index.tolist()))
    return out_x, out_y, out_bottom, (labels, tiers, int(block_width.max()) if n_blocks else 1, n_blocks)



_TIERED_FORUMS = st.lists(st.tuples(st.sampled_from(["", "North", "South", "East", "Ward 9"]),
                                    st.sampled_from(["strategic", "tactical", "operational", "other"]),
                                    st.sampled_from(["Board", "Panel", "MARAC", "A", "b", "Zed", None]),
                                    st.integers(-3, 3)), min_size=1, max_size=40)


@settings(max_examples=300, deadline=None)
@given(_TIERED_FORUMS, st.dictionaries(st.integers(0, 2), st.integers(0, 6), max_size=3))
def test_forums_placed_from_the_tiers_worked_out_once_are_placed_as_by_a_sort_per_sweep(rows, band_rows):
    forums = pd.DataFrame({"area": [r[0] for r in rows], "level": [r[1] for r in rows],
                           "name": [r[2] for r in rows], "forum_id": [f"f{i:02d}" for i in range(len(rows))][::-1]})
    key = np.array([r[3] / 2 for r in rows], dtype=float)  # ties, halves and negatives, as barycentres give
    new, old = _placed(_tiers(forums, band_rows), key), _placed_the_long_way(forums, key, band_rows)
    for a, b in zip(new[:3], old[:3]):
        assert np.array_equal(a, b)
    assert new[3] == old[3]


# -- incidence matrices: numpy arrays when small, scipy's when large; the same figures either way --------------------

from mcn_map.analyses import incidence as incidences  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 6), st.integers(1, 9), st.lists(st.tuples(st.integers(0, 5), st.integers(0, 8)), max_size=40))
def test_a_small_incidence_as_an_array_gives_what_the_sparse_one_gives(n_rows, n_cols, cells):
    rows = np.array([r % n_rows for r, _ in cells], dtype=np.int64)
    cols = np.array([c % n_cols for _, c in cells], dtype=np.int64)
    dense = incidences.incidence(rows, cols, (n_rows, n_cols))
    assert isinstance(dense, np.ndarray)
    limits = incidences.DENSE_CELLS
    incidences.DENSE_CELLS = 0
    try:
        sparse = incidences.incidence(rows, cols, (n_rows, n_cols))
    finally:
        incidences.DENSE_CELLS = limits
    assert not isinstance(sparse, np.ndarray)
    assert np.array_equal(dense, sparse.toarray())
    assert np.array_equal(incidences.gram(dense), incidences.gram(sparse))
    assert sorted(zip(*incidences.sharing_pairs(dense))) == sorted(zip(*incidences.sharing_pairs(sparse)))
    assert np.array_equal(incidences.column_sums(dense), incidences.column_sums(sparse))
    assert np.array_equal(incidences.column_sums(dense, [0]), incidences.column_sums(sparse, [0]))
    mask = np.arange(n_cols) % 2 == 0
    assert np.array_equal(incidences.row_sums(dense, mask), incidences.row_sums(sparse, mask))
    for i in range(n_rows):
        for j in range(n_rows):
            assert np.array_equal(incidences.shared_columns(dense, i, j), incidences.shared_columns(sparse, i, j))


def test_a_negative_position_is_refused_as_scipy_refuses_it():
    with pytest.raises(ValueError):
        incidences.incidence(np.array([0, -1]), np.array([0, 1]), (2, 2))
    with pytest.raises(ValueError):
        incidences.incidence(np.array([0, 2]), np.array([0, 1]), (2, 2))  # outside the shape


def test_positions_that_are_not_whole_numbers_are_left_to_scipy():
    matrix = incidences.incidence(np.array([0, 1]), np.array([0.0, 2.0]), (3, 4))
    assert not isinstance(matrix, np.ndarray) and matrix.toarray()[1, 2] == 1


def test_the_public_cohort_incidence_is_one_sparse_matrix_per_memo():
    from mcn_map.analyses.duplication import cohort_incidence
    from mcn_map.memo import Memo

    landscape = load(EXAMPLE)
    memo = Memo(landscape)
    first = cohort_incidence(landscape, memo)
    assert not isinstance(first, np.ndarray) and first is cohort_incidence(landscape, memo)
    assert first.toarray().sum() == len(landscape.cohorts[["forum_id", "person"]].drop_duplicates())


def test_analyses_on_array_incidences_are_the_analyses_on_sparse_ones(monkeypatch):
    frames = _synth().landscape_frames("borough", seed=5)
    small = analyse(load_frames(frames))
    small_example = analyse(load(EXAMPLE))
    monkeypatch.setattr(incidences, "DENSE_CELLS", 0)
    large = analyse(load_frames(frames))
    large_example = analyse(load(EXAMPLE))
    for a, b in ((small, large), (small_example, large_example)):
        assert findings_document(a) == findings_document(b)
        assert a.overlap.equals(b.overlap) and a.similarity.equals(b.similarity)
    assert small.findings and small_example.measures["forum_projection"]["edges"] > 0
