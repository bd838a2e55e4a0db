"""The overview of areas that a large landscape opens on: one circle per area (or group of neighbouring areas),
coloured by a measured rate a board can compare between areas, sized by the people discussed there, with lines
between areas sized by the people discussed in both, and a one-line figure under each.

The rate is people discussed in two or more forums of the area, per 100 people discussed there (the duplication a
shared case list would show); a landscape with no case lists is coloured by the share of its case forums with an
expected partner missing. Every count of people follows the small-number rule.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..kinds import KINDS, infer
from ..model import Landscape
from ..privacy.suppression import SUPPRESSION_THRESHOLD, people_count, people_number

__all__ = ["RATES", "RATE_COLOURS", "area_figures", "area_pairs", "case_forums_missing", "rate_colour", "rate_steps", "line_width"]

# Five steps of one hue, light to dark: the order reads in greyscale, and every label sits under its circle.
RATE_COLOURS = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")
RATES = {
    "people": {"name": "Share of the area's people discussed in two or more of its forums (%)",
               "short": "in 2+ forums"},
    "missing": {"name": "Share of the area's case forums with an expected partner missing (%)",
                "short": "of case forums miss a partner"},
}


def rate_steps(rates) -> tuple[int, ...]:
    """Four whole-number cut points spread evenly over the areas' range (to the nearest 5 outside it), so the
    colours tell these areas apart; the legend names each step."""
    known = [r for r in rates if r is not None]
    if not known:
        return ()
    low, high = 5 * math.floor(min(known) / 5), 5 * math.ceil(max(known) / 5)
    high = max(high, low + 5)
    return tuple(sorted({round(low + (high - low) * k / 5) for k in range(1, 5)}))


def rate_colour(rate: float | None, steps: tuple[int, ...]) -> str:
    if rate is None:
        return "#ffffff"
    return RATE_COLOURS[sum(rate >= s for s in steps)]


def _group_of(forums: pd.DataFrame, groups: list[list[str]], text) -> pd.Series:
    index = {area: i for i, group in enumerate(groups) for area in group}
    return pd.Series([index.get(text(a), -1) for a in forums["area"]], index=forums["forum_id"].to_numpy())


def _people(landscape: Landscape, group_of: pd.Series, n: int):
    """Per group: people discussed, people discussed in two or more of its forums; and the group x person matrix."""
    from scipy import sparse

    cohorts = landscape.cohorts
    rows = cohorts[["forum_id", "person"]].drop_duplicates()
    groups = rows["forum_id"].map(group_of).fillna(-1).astype(int).to_numpy()
    keep = groups >= 0
    rows, groups = rows[keep], groups[keep]
    persons = pd.factorize(rows["person"])[0]
    per = pd.DataFrame({"g": groups, "p": persons})
    forums_each = per.groupby(["g", "p"]).size()
    people = np.bincount(forums_each.index.get_level_values(0), minlength=n)
    repeated = forums_each[forums_each >= 2]
    in_two = np.bincount(repeated.index.get_level_values(0), minlength=n)
    pairs = forums_each.index.to_frame(index=False)
    incidence = sparse.csr_matrix((np.ones(len(pairs)), (pairs["g"], pairs["p"])), shape=(n, max(persons.max() + 1, 1)))
    return people, in_two, incidence


def area_figures(landscape: Landscape, groups: list[list[str]], case_forums_missing: dict[int, tuple[int, int]],
                 text, suppress: bool = True) -> tuple[str, list[dict]]:
    """(rate kind, one figure per group): people discussed, the rate, the colour and the one-line figure."""
    n = len(groups)
    group_of = _group_of(landscape.forums, groups, text)
    if len(landscape.cohorts):
        people, in_two, _ = _people(landscape, group_of, n)
        kind, out = "people", []
        for g in range(n):
            shown_two = people_number(int(in_two[g]), suppress)
            rate = None if not people[g] or (shown_two is None and suppress) else 100 * in_two[g] / people[g]
            figure = (f"{people_count(int(people[g]), suppress)} people · "
                      + (f"{rate:.0f}% {RATES[kind]['short']}" if rate is not None
                         else ("<8 in 2+ forums" if people[g] else "no case lists")))
            out.append({"people": int(people[g]), "people_shown": people_number(int(people[g]), suppress),
                        "rate": rate, "figure": figure})
        return kind, out
    kind, out = "missing", []
    for g in range(n):
        missing, total = case_forums_missing.get(g, (0, 0))
        rate = 100 * missing / total if total else None
        figure = f"{missing} of {total} case forums miss a partner" if total else "no case forums"
        out.append({"people": 0, "people_shown": 0, "rate": rate, "figure": figure})
    return kind, out


def area_pairs(landscape: Landscape, groups: list[list[str]], text, per_area: int = 3) -> list[tuple[int, int, int]]:
    """(group, group, people discussed in both) for the largest ``per_area`` pairs of each group, never a pair of
    fewer than the small-number threshold (those lines are not drawn at all)."""
    if not len(landscape.cohorts) or len(groups) < 2:
        return []
    _, _, incidence = _people(landscape, _group_of(landscape.forums, groups, text), len(groups))
    both = (incidence @ incidence.T).toarray()
    np.fill_diagonal(both, 0)
    kept = set()
    for g in range(len(groups)):
        order = np.argsort(-both[g], kind="stable")[:per_area]
        kept |= {(min(g, h), max(g, h)) for h in order if both[g, h] >= SUPPRESSION_THRESHOLD}
    return sorted((a, b, int(both[a, b])) for a, b in kept)


def line_width(n: int | None) -> float:
    return 1.5 if n is None else round(1.5 + min(9.0, 1.3 * math.log2(1 + n / 10)), 2)


def case_forums_missing(landscape: Landscape, groups: list[list[str]], missing: set, text) -> dict[int, tuple[int, int]]:
    """{group: (case forums with an expected partner missing, case forums)}, for a landscape with no case lists: a
    forum of a national kind counts when that kind discusses people; a local one when it is operational."""
    index = {a: g for g, group in enumerate(groups) for a in group}
    out: dict[int, list[int]] = {}
    for r in landscape.forums.to_dict("records"):
        key = r.get("kind") or infer(r["name"], r["level"] or "")
        case = KINDS[key].case_forum if key in KINDS else r["level"] == "operational"
        g = index.get(text(r["area"]))
        if not case or g is None:
            continue
        counts = out.setdefault(g, [0, 0])
        counts[1] += 1
        counts[0] += r["forum_id"] in missing
    return {g: (m, total) for g, (m, total) in out.items()}
