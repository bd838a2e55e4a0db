"""Duplication: the same people discussed in several rooms, and meetings with near-identical membership.

Cohort arithmetic is a sparse forum × person incidence matrix: its product with its transpose gives, for every pair
of forums, how many people they share, with no Python loop over people.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from ..config import Config
from ..model import Landscape
from ..privacy.suppression import people_number
from .common import input_order, name, names, people, people_phrase
from .findings import Finding, make_finding

__all__ = [
    "cohort_incidence", "overlap_matrix", "membership_similarity",
    "cohort_overlap", "people_in_many_forums", "contradictory_plans", "similar_membership",
]

MEAM_CASES = ("feature 7",)  # the rooms do not know each other's work: relationships between individuals


def cohort_incidence(landscape: Landscape) -> sparse.csr_matrix:
    """Forums (rows, in input order) × people (columns, by ``cohorts.person`` code): 1 where discussed."""
    if "_cohort_incidence" not in landscape.cache:
        cohorts = landscape.cohorts
        n_forums = len(landscape.forum_ids)
        n_people = int(cohorts["person"].max()) + 1 if len(cohorts) else 0
        rows = pd.Categorical(cohorts["forum_id"], categories=list(landscape.forum_ids)).codes
        matrix = sparse.csr_matrix((np.ones(len(cohorts), dtype=np.int32), (rows, cohorts["person"].to_numpy())),
                                   shape=(n_forums, n_people))
        matrix.data[:] = 1  # duplicates were summed: a person discussed twice in one forum counts once
        landscape.cache["_cohort_incidence"] = matrix
    return landscape.cache["_cohort_incidence"]


def overlap_matrix(landscape: Landscape) -> pd.DataFrame:
    """Forum × forum: people discussed in both (diagonal: the forum's cohort size). Exact counts, not suppressed."""
    matrix = cohort_incidence(landscape)
    shared = (matrix @ matrix.T).toarray().astype(np.int64)
    ids = list(landscape.forum_ids)
    return pd.DataFrame(shared, index=pd.Index(ids, name="forum_id"), columns=ids)


def membership_similarity(landscape: Landscape) -> pd.DataFrame:
    """Forum × forum Jaccard similarity of the agencies holding seats (1.0 on the diagonal for forums with seats)."""
    seats = landscape.seats[["forum_id", "agency_id"]].drop_duplicates()
    ids = list(landscape.forum_ids)
    rows = pd.Categorical(seats["forum_id"], categories=ids).codes
    cols = pd.Categorical(seats["agency_id"], categories=list(landscape.agency_ids)).codes
    matrix = sparse.csr_matrix((np.ones(len(seats)), (rows, cols)), shape=(len(ids), len(landscape.agency_ids)))
    both = (matrix @ matrix.T).toarray()
    sizes = np.diag(both)
    union = sizes[:, None] + sizes[None, :] - both
    with np.errstate(divide="ignore", invalid="ignore"):
        jaccard = np.where(union > 0, both / union, 0.0)
    return pd.DataFrame(np.round(jaccard, 4), index=pd.Index(ids, name="forum_id"), columns=ids)


def _overlap(landscape: Landscape) -> pd.DataFrame:
    if "_overlap" not in landscape.cache:
        landscape.cache["_overlap"] = overlap_matrix(landscape)
    return landscape.cache["_overlap"]


def _shown_ratio(value: float, shared: int, config: Config) -> float | None:
    """A ratio of people as a board may see it. An exact ratio next to a rounded case-list size gives the exact count
    back (3 of 20 is 15%), so under suppression it is coarsened to one decimal, and dropped when the count is <8."""
    if not config.suppress:
        return round(float(value), 3)
    return None if people_number(shared) is None else round(float(value), 1)


def _share_of_smaller(coefficient: float, shared: int, config: Config) -> str:
    ratio = _shown_ratio(coefficient, shared, config)
    if ratio is None:
        return ""
    return f" ({ratio:.0%} of the smaller case list)"


def cohort_overlap(landscape: Landscape, config: Config) -> list[Finding]:
    """Pairs of forums discussing many of the same people (Play Snap!): shared, Jaccard and overlap coefficient."""
    settings = config.duplication
    overlap = _overlap(landscape).to_numpy()
    ids = list(landscape.forum_ids)
    sizes = np.diag(overlap)
    findings = []
    first, second = np.nonzero(np.triu(overlap, k=1) >= max(settings.overlap_min_shared, 1))
    for i, j in zip(first.tolist(), second.tolist()):
        shared = int(overlap[i, j])
        smaller = int(min(sizes[i], sizes[j]))
        coefficient = shared / smaller
        if coefficient < settings.overlap_min_coefficient:
            continue
        jaccard = shared / (sizes[i] + sizes[j] - shared)
        high = coefficient >= settings.overlap_high_coefficient
        pair = input_order(landscape, (ids[i], ids[j]))
        findings.append(make_finding(
            "duplication", "cohort_overlap", "high" if high else "medium", pair,
            f"{names(landscape, pair)} discuss {people(shared, config)} of the same people"
            f"{_share_of_smaller(coefficient, shared, config)}, so plans may be made twice or contradict each other.",
            evidence={"shared_people": people(shared, config),
                      "overlap_coefficient": _shown_ratio(coefficient, shared, config),
                      "jaccard": _shown_ratio(jaccard, shared, config),
                      "cohort_sizes": {ids[i]: people(sizes[i], config), ids[j]: people(sizes[j], config)},
                      "thresholds": {"overlap_min_shared": settings.overlap_min_shared,
                                     "overlap_min_coefficient": settings.overlap_min_coefficient}},
            meam=MEAM_CASES,
            suggestion="Ask both chairs to share case lists before each meeting and agree one lead plan per person."))
    return findings


def people_in_many_forums(landscape: Landscape, config: Config) -> list[Finding]:
    """People discussed in three (configurable) or more forums: one finding naming the forums involved."""
    threshold = config.duplication.many_forums
    matrix = cohort_incidence(landscape)
    if matrix.shape[1] == 0:
        return []
    per_person = np.asarray(matrix.sum(axis=0)).ravel()
    many = per_person >= threshold
    n = int(many.sum())
    if n == 0:
        return []
    per_forum = np.asarray(matrix[:, many].sum(axis=1)).ravel()
    ids = list(landscape.forum_ids)
    involved = input_order(landscape, [ids[i] for i in np.flatnonzero(per_forum)])
    return [make_finding(
        "duplication", "people_in_many_forums", "high", involved,
        f"{people_phrase(n, config)} each discussed in {threshold} or more forums "
        f"({names(landscape, involved)}).",
        evidence={"people": people(n, config), "threshold": threshold,
                  "by_forum": {ids[i]: people(per_forum[i], config) for i in np.flatnonzero(per_forum)},
                  "most_forums_for_one_person": int(per_person.max())},
        meam=MEAM_CASES,
        suggestion="Agree which forum leads for each of these people and let the others step back, "
                   "referring across rather than discussing them in every room.")]


def contradictory_plans(landscape: Landscape, config: Config) -> list[Finding]:
    """People discussed in two forums within the window under different lead agencies: risk of conflicting plans."""
    window = config.duplication.contradictory_window_days
    cohorts = landscape.cohorts
    cohorts = cohorts[(cohorts["lead_agency"] != "") & cohorts["discussed_on"].notna()]
    if cohorts.empty:
        return []
    # Only people seen in two or more forums can be in a pair; cut the table down before the self-join.
    counts = cohorts.drop_duplicates(["person", "forum_id"])["person"].value_counts()
    cohorts = cohorts[cohorts["person"].isin(counts.index[counts >= 2])]
    if cohorts.empty:
        return []
    # Whole numbers only (forum position, day number, lead code): the self-join is the costly step at scale.
    table = pd.DataFrame({
        "person": cohorts["person"].to_numpy(),
        "forum": pd.Categorical(cohorts["forum_id"], categories=list(landscape.forum_ids)).codes.astype(np.int32),
        "day": cohorts["discussed_on"].to_numpy().astype("datetime64[D]").astype(np.int64),
        "lead": pd.factorize(cohorts["lead_agency"])[0].astype(np.int32)}).drop_duplicates()
    pairs = table.merge(table, on="person", suffixes=("_a", "_b"))
    pairs = pairs[(pairs["forum_a"].to_numpy() < pairs["forum_b"].to_numpy())
                  & (pairs["lead_a"].to_numpy() != pairs["lead_b"].to_numpy())
                  & (np.abs(pairs["day_a"].to_numpy() - pairs["day_b"].to_numpy()) <= window)]
    if pairs.empty:
        return []
    shared = pairs.groupby(["forum_a", "forum_b"])["person"].nunique()
    ids = list(landscape.forum_ids)
    findings = []
    for (a, b), n in shared.items():
        pair = (ids[a], ids[b])
        findings.append(make_finding(
            "duplication", "contradictory_plans", "high", pair,
            f"{people_phrase(n, config, 'were', 'was')} discussed at both {names(landscape, pair)} within {window} days under "
            f"different lead agencies, so they may be getting contradictory action plans.",
            evidence={"people": people(n, config), "window_days": window},
            meam=MEAM_CASES,
            suggestion="Agree a single lead agency and one shared plan for people both forums are discussing."))
    return findings


def similar_membership(landscape: Landscape, config: Config) -> list[Finding]:
    """Active forums at the same level with near-identical agency membership and a shared theme: merge or align."""
    threshold = config.duplication.membership_jaccard
    similarity = membership_similarity(landscape).to_numpy()
    forums = landscape.forums.set_index("forum_id")
    ids = list(landscape.forum_ids)
    active = (forums["status"] == "active").to_numpy()
    levels = forums["level"].to_numpy()
    themes = [frozenset(t.strip().lower() for t in themes) for themes in forums["themes"]]
    upper = np.triu(similarity, k=1) >= threshold
    upper &= active[:, None] & active[None, :] & (levels[:, None] == levels[None, :])
    findings = []
    for i, j in zip(*np.nonzero(upper)):
        common = sorted(themes[i] & themes[j])
        if not common:
            continue
        pair = (ids[i], ids[j])
        findings.append(make_finding(
            "duplication", "similar_membership", "medium", pair,
            f"{names(landscape, pair)} have near-identical membership ({similarity[i, j]:.0%} of agencies in common) "
            f"and share the theme{'s' if len(common) > 1 else ''} {', '.join(common)}.",
            evidence={"jaccard": float(similarity[i, j]), "shared_themes": common, "level": str(levels[i]),
                      "threshold": threshold},
            meam=("feature 11", "challenge 2"),
            suggestion=f"Consider merging {name(landscape, pair[1])} into {name(landscape, pair[0])}, or running "
                       "them back to back with one membership."))
    return findings


RULES = (cohort_overlap, people_in_many_forums, contradictory_plans, similar_membership)
