"""A deterministic layered layout, computed once per build and shared by every view.

Forums sit in horizontal tiers — strategic at the top, tactical in the middle, operational below — grouped into one
block per area. Within each tier, forums are ordered by barycentre sweeps (down, then up, several times) over the
links between tiers, and the order with the fewest link crossings is kept. Each agency sits in a band just below the
lowest tier it has a seat in, at the mean position of its forums, so it lands near the meetings it attends. Boxes
are one width, so forums in a row never overlap. Everything is vectorised: 2,000 forums and 6,000 agencies lay out
in well under a second. Coordinates are vis-network pixels (y grows downwards).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..memo import Memo, memo_for
from ..model import Landscape

__all__ = ["Layout", "layout", "LAYOUT_KEY", "focus_layout", "crossings", "LEVEL_ORDER", "FORUM_DX", "ROW_DY", "BOX_WIDTH"]

LEVEL_ORDER = {"strategic": 0, "tactical": 1, "operational": 2}
level_names = {i: name for name, i in LEVEL_ORDER.items()}
BOX_WIDTH = 200  # every forum box is this wide (vis-network widthConstraint), so spacing alone prevents overlaps
FORUM_DX = 250  # horizontal spacing of forum boxes: a box (with its margins) and a clear gap
ROW_DY = 176  # spacing of wrapped rows within a tier (a four-line box and its missing-partner badge)
BOX_HALF = 72  # half the height of a four-line box
AGENCY_DX = 118  # room for an agency's label when zoomed in far enough to show it
AGENCY_DY = 40  # room for a two-line label under each dot
AGENCY_DROP = 36  # from a tier's last box to its agency band
MAX_AGENCY_ROWS = 6
MAX_PER_ROW = 8  # at most this many forums per row within one area's tier before wrapping
BLOCK_GAP = 2  # empty forum slots between area blocks
SWEEPS = 3


@dataclass(frozen=True)
class Layout:
    forum_xy: dict[str, tuple[float, float]]
    agency_xy: dict[str, tuple[float, float]]
    area_xy: dict[str, tuple[float, float]] = None  # where to write each area's name, above its block
    tier_xy: tuple[tuple[str, float, float], ...] = ()  # (level, x, y): tier names at the left of each tier
    crossings: int = 0  # link crossings between tiers in this order


LAYOUT_KEY = "layout"  # where a memo keeps it (a build lays out while a long case list is parsed)


def layout(landscape: Landscape, memo: Memo | None = None) -> Layout:
    """The layout of every forum and agency, worked out once per memo (the map, the report and the exports share it)."""
    return memo_for(landscape, memo).get(LAYOUT_KEY, lambda: _compute(landscape))


def _level_index(levels: pd.Series) -> np.ndarray:
    return levels.map(LEVEL_ORDER).fillna(2).astype(int).to_numpy()


def _agency_band_rows(landscape: Landscape, per_block_width: float, blocks: int) -> dict[int, int]:
    """How many staggered rows of agencies sit below each tier (0 where no agency's lowest tier is that one)."""
    seats = landscape.seats
    if not len(seats):
        return {}
    level = seats["forum_id"].map(landscape.forum_level).map(LEVEL_ORDER).fillna(2)
    lowest = level.groupby(seats["agency_id"].to_numpy()).max()
    per_row = max(1.0, per_block_width / AGENCY_DX)
    return {int(lv): int(np.clip(np.ceil(n / max(blocks, 1) / per_row), 1, MAX_AGENCY_ROWS))
            for lv, n in lowest.value_counts().items()}


@dataclass(frozen=True)
class _Tiers:
    """Everything about where forums go that does not depend on their order within a tier: each forum's tier (area
    and level), its row length, its block's centre and its tier's top and bottom. Worked out once; each barycentre
    sweep then only sorts (see :func:`_placed`)."""

    sort_columns: tuple  # (area, level, name, id) as sortable codes, for the order within a tier
    group_start: np.ndarray  # per forum: how many forums sort into earlier tiers (area, level)
    counts: np.ndarray  # per forum: forums in its tier
    per_row: np.ndarray  # per forum: boxes per row in its tier
    centre_x: np.ndarray  # per forum: its area block's centre
    tops: np.ndarray  # per forum: its tier's top y
    bottoms: np.ndarray  # per forum: its tier's last row's y
    extra: tuple  # (area labels, tier labels, widest block, blocks)


def _codes(values: np.ndarray) -> np.ndarray:
    """Whole-number codes that sort as the values do (pandas sorts an object column by its sorted categories, and a
    missing value last)."""
    codes = pd.factorize(values, sort=True)[0]
    missing = codes < 0
    if missing.any():
        codes[missing] = codes.max() + 1
    return codes


def _tiers(forums: pd.DataFrame, band_rows: dict[int, int] | None = None) -> _Tiers:
    n = len(forums)
    area = forums["area"].where(forums["area"] != "", "~").to_numpy(dtype=object)
    level = _level_index(forums["level"])
    area_codes = _codes(area)
    tier = pd.DataFrame({"area": area, "level": level})
    counts = tier.groupby(["area", "level"])["level"].transform("size").to_numpy()
    ordered = np.lexsort((level, area_codes))
    group_start = np.empty(n, dtype=np.int64)
    within = tier.iloc[ordered].groupby(["area", "level"], sort=False).cumcount().to_numpy()
    group_start[ordered] = np.arange(n) - within
    # Wrap long tiers so the map is roughly as tall as it is wide and labels stay readable when fitted to a screen.
    per_row = np.clip(np.ceil(np.sqrt(2.5 * counts)), 5, MAX_PER_ROW)
    per_row = np.ceil(counts / np.ceil(counts / per_row)).astype(int)  # rows of even length: 14 is 5, 5, 4
    last_row = (counts - 1) // per_row  # the row of a tier's last box, whatever the order

    areas = sorted(set(area))
    tier["per_row"], tier["count"] = per_row, counts
    block_width = tier.groupby("area")["per_row"].max().combine(tier.groupby("area")["count"].max(), min)
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
    band_rows = band_rows or {}

    # Rows per (grid row, level): the tallest block decides, so every tier starts at the same height. The gap below
    # a tier holds its agency band.
    tier["grid_row"], tier["last_row"] = tier["area"].map(area_grid_row).to_numpy(), last_row
    rows_needed = tier.groupby(["grid_row", "level"])["last_row"].max() + 1
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
    tops = np.array([level_top[(g, lv)] for g, lv in zip(tier["grid_row"], tier["level"])])
    rows_of = np.array([rows_needed.get((g, lv), 1) for g, lv in zip(tier["grid_row"], tier["level"])])
    bottoms = tops + (rows_of - 1) * ROW_DY
    first_top = {g: level_top.get((g, 0), 0.0) for g in set(grid_row.tolist())}
    labels = {a: (centre_x[a], first_top[area_grid_row[a]] - 170.0) for a in areas if a != "~"}
    centres = tier["area"].map(centre_x).to_numpy(dtype=float)
    # The leftmost box is the leftmost first box of a row, which is where it is whatever the order.
    first_offset = -(np.minimum(counts, per_row) - 1) / 2
    left = float((centres + first_offset * FORUM_DX).min()) - BOX_WIDTH / 2 - 95 if n else 0.0
    tiers = tuple((level_names[lv], left, float(level_top[(g, lv)]))
                  for (g, lv) in sorted(rows_needed.index.tolist()))
    sort_columns = (area_codes, level, _codes(forums["name"].to_numpy(dtype=object)),
                    _codes(forums["forum_id"].to_numpy(dtype=object)))
    return _Tiers(sort_columns, group_start, counts, per_row, centres, tops, bottoms,
                  (labels, tiers, int(block_width.max()) if n_blocks else 1, n_blocks))


def _placed(tiers: _Tiers, order_key: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple]:
    """x, y and tier-bottom y for forums, given a sort key within each tier (area, level; then name and id)."""
    area, level, name, forum = tiers.sort_columns
    order = np.lexsort((forum, name, order_key, level, area))  # stable, as pandas' sort_values on these columns
    index = np.empty(len(order), dtype=np.int64)
    index[order] = np.arange(len(order))
    index -= tiers.group_start
    per_row, counts = tiers.per_row, tiers.counts
    row, col = index // per_row, index % per_row
    in_row = np.minimum(counts - row * per_row, per_row)
    offset = col - (in_row - 1) / 2  # centre each row on its block
    return tiers.centre_x + offset * FORUM_DX, tiers.tops + row * ROW_DY, tiers.bottoms, tiers.extra


def _link_pairs(landscape: Landscape) -> tuple[np.ndarray, np.ndarray]:
    """Forum positions (row numbers in the forums table) at both ends of every link between two forums."""
    forums = landscape.forums
    links = landscape.links
    if not len(links):
        return np.zeros(0, int), np.zeros(0, int)
    index = pd.Series(np.arange(len(forums)), index=forums["forum_id"].to_numpy(dtype=object))
    a = links["from_forum"].map(index).to_numpy(dtype=float)
    b = links["to_forum"].map(index).to_numpy(dtype=float)
    ok = ~(np.isnan(a) | np.isnan(b)) & (a != b)
    return a[ok].astype(int), b[ok].astype(int)


def _barycentre_keys(landscape: Landscape, x: np.ndarray, upward: bool) -> np.ndarray:
    """For each forum, the mean x of the forums it links with (either direction) in the tiers above (``upward``) or
    below: the sort key that puts an operational group beneath the board it escalates to. Forums with no such link
    keep their position."""
    key = x.copy()
    a, b = _link_pairs(landscape)
    if not len(a):
        return key
    level = _level_index(landscape.forums["level"])
    child = np.concatenate([a, b])
    other = np.concatenate([b, a])
    keep = level[other] < level[child] if upward else level[other] > level[child]
    child, other = child[keep], other[keep]
    if not len(child):
        return key
    sums = np.bincount(child, weights=x[other], minlength=len(x))
    counts = np.bincount(child, minlength=len(x))
    has = counts > 0
    key[has] = sums[has] / counts[has]
    return key


def crossings(landscape: Landscape, forum_xy: dict[str, tuple[float, float]] | None = None) -> int:
    """How many pairs of links between forums cross, for links joining different rows (counted per pair of rows)."""
    a, b = _link_pairs(landscape)
    if not len(a):
        return 0
    forum_xy = forum_xy if forum_xy is not None else layout(landscape).forum_xy
    ids = landscape.forums["forum_id"].to_numpy(dtype=object)
    xy = np.array([forum_xy[f] for f in ids])
    top = np.where(xy[a, 1] <= xy[b, 1], a, b)
    bottom = np.where(xy[a, 1] <= xy[b, 1], b, a)
    frame = pd.DataFrame({"ty": xy[top, 1], "by": xy[bottom, 1], "tx": xy[top, 0], "bx": xy[bottom, 0]})
    frame = frame[frame["ty"] != frame["by"]]
    total = 0
    for _, group in frame.groupby(["ty", "by"]):
        tx, bx = group["tx"].to_numpy(), group["bx"].to_numpy()
        if len(tx) > 3000:  # too many to compare pairwise: not counted
            continue
        dt = np.sign(tx[:, None] - tx[None, :])
        db = np.sign(bx[:, None] - bx[None, :])
        total += int(np.triu(dt * db < 0, k=1).sum())
    return total


def _compute(landscape: Landscape) -> Layout:
    forums = landscape.forums
    n = len(forums)
    if not n:
        return Layout({}, {}, {})
    ids = forums["forum_id"].to_numpy(dtype=object)
    _, _, widest, blocks = _tiers(forums).extra  # the agency bands' height depends on how wide the blocks are
    band_rows = _agency_band_rows(landscape, widest * FORUM_DX, blocks)
    tiers = _tiers(forums, band_rows)
    x, y, bottom, extra = _placed(tiers, np.zeros(n))
    best = (crossings(landscape, dict(zip(ids, zip(x, y)))), x, y, bottom, extra)
    # Barycentre sweeps: each tier beneath the forums it links up to, then above those it links down to.
    for sweep in range(SWEEPS * 2):
        x, y, bottom, extra = _placed(tiers, _barycentre_keys(landscape, x, upward=sweep % 2 == 0))
        count = crossings(landscape, dict(zip(ids, zip(x, y))))
        if count < best[0]:
            best = (count, x, y, bottom, extra)
    count, x, y, bottom, (labels, tiers, _, _) = best
    forum_xy = {f: (float(a), float(b)) for f, a, b in zip(ids, x, y)}
    areas = {a: (float(px), float(py)) for a, (px, py) in labels.items()} if len(labels) > 1 else {}
    return Layout(forum_xy, _place_agencies(landscape, x, bottom), areas, tiers, count)


def _spread(x: np.ndarray, gap: float) -> np.ndarray:
    """Push sorted positions apart so neighbours are at least ``gap`` apart, keeping the group's centre.

    x'_i = max(x_i, x'_{i-1} + gap) is a running maximum once each position is shifted by i * gap."""
    steps = np.arange(len(x)) * gap
    spread = np.maximum.accumulate(x - steps) + steps
    return spread - (spread.mean() - x.mean())


def _place_agencies(landscape: Landscape, forum_x: np.ndarray, forum_bottom: np.ndarray) -> dict:
    agencies = landscape.agencies
    m = len(agencies)
    if not m:
        return {}
    forum_index = pd.Series(np.arange(len(landscape.forums)), index=landscape.forums["forum_id"].to_numpy(dtype=object))
    agency_index = pd.Series(np.arange(m), index=agencies["agency_id"].to_numpy(dtype=object))
    pairs = landscape.seats[["forum_id", "agency_id"]].drop_duplicates()
    f = pairs["forum_id"].map(forum_index).to_numpy()
    a = pairs["agency_id"].map(agency_index).to_numpy()
    seats = np.bincount(a, minlength=m)
    x = np.bincount(a, weights=forum_x[f], minlength=m) / np.maximum(seats, 1)
    band_top = np.full(m, -np.inf)
    np.maximum.at(band_top, a, forum_bottom[f])
    # Agencies with no seat: a row of their own beneath everything.
    unseated = seats == 0
    lowest = float(forum_bottom.max()) if len(forum_bottom) else 0.0
    band_top[unseated] = lowest + BOX_HALF + MAX_AGENCY_ROWS * AGENCY_DY
    x[unseated] = float(forum_x.min()) if len(forum_x) else 0.0
    y = band_top + BOX_HALF + AGENCY_DROP
    # Within a band: sort by x, push apart; a crowded band folds into up to four staggered sub-rows.
    order = np.lexsort((agencies["agency_id"].to_numpy(dtype=object).astype(str), x, y))
    out_x = np.empty(m)
    out_y = np.empty(m)
    ys = y[order]
    boundaries = np.flatnonzero(np.diff(ys)) + 1
    span = max(float(np.ptp(forum_x)) + FORUM_DX if len(forum_x) else 0.0, FORUM_DX * 3)
    for group in np.split(order, boundaries):
        gx = x[group]
        if unseated[group[0]]:
            out_x[group] = gx[0] + np.arange(len(group)) * AGENCY_DX
            out_y[group] = y[group]
            continue
        # Enough staggered sub-rows that the band is no wider than the forums above it (at most six).
        rows = int(np.clip(np.ceil(len(group) * AGENCY_DX / span), 1, MAX_AGENCY_ROWS))
        sub = np.arange(len(group)) % rows
        for r in range(rows):
            members = group[sub == r]
            out_x[members] = _spread(x[members], AGENCY_DX) + (r % 2) * AGENCY_DX / 2 * (rows > 1)
            out_y[members] = y[members] + r * AGENCY_DY
    ids = agencies["agency_id"].to_numpy(dtype=object)
    return {i: (float(px), float(py)) for i, px, py in zip(ids, out_x, out_y)}


def focus_layout(landscape: Landscape, forum_id: str, forum_ids, agency_ids) -> dict[str, tuple[float, float]]:
    """A small local layout for one forum's neighbourhood: the forum in the middle, forums of higher tiers above,
    lower below, the same tier to the sides, and its agencies in an arc beneath it. Keys are node ids
    (``forum:...``, ``agency:...``)."""
    level = landscape.forum_level
    centre = LEVEL_ORDER.get(level.get(forum_id, ""), 2)
    positions = {f"forum:{forum_id}": (0.0, 0.0)}
    rows: dict[int, list[str]] = {}
    for other in sorted(forum_ids, key=lambda f: (landscape.forum_name.get(f, ""), f)):
        if other == forum_id:
            continue
        tier = LEVEL_ORDER.get(level.get(other, ""), 2) - centre
        rows.setdefault(int(np.sign(tier)), []).append(other)
    for tier, members in rows.items():
        if tier == 0:
            for i, other in enumerate(members):
                side = -1 if i % 2 else 1
                positions[f"forum:{other}"] = (side * FORUM_DX * (i // 2 + 1) * 1.3, 0.0)
        else:
            offsets = (np.arange(len(members)) - (len(members) - 1) / 2) * FORUM_DX
            for off, other in zip(offsets, members):
                positions[f"forum:{other}"] = (float(off), tier * 420.0)
    agency_ids = sorted(agency_ids, key=lambda a: (landscape.agency_sector.get(a, ""), landscape.agency_name.get(a, ""), a))
    k = len(agency_ids)
    radius = 0.0
    if k:
        # A half-ring under the forum, long enough that neighbouring dots and their labels do not touch.
        radius = max(230.0, k * 75 / np.pi)
        angles = np.linspace(np.pi * 0.08, np.pi * 0.92, k) if k > 1 else np.array([np.pi / 2])
        for i, (agency, angle) in enumerate(zip(agency_ids, angles)):
            stagger = 28.0 if i % 2 else 0.0  # alternate labels up and down a little
            positions[f"agency:{agency}"] = (float(-np.cos(angle) * radius * 1.5), float(np.sin(angle) * radius + 40 + stagger))
    # Lower tiers go beneath the ring of agencies.
    for key, (x, y) in list(positions.items()):
        if key.startswith("forum:") and y > 0:
            positions[key] = (x, max(y, radius + 220.0))
    return positions
