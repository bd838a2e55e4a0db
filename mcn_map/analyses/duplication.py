"""Duplication: the same people discussed in several rooms, and meetings with near-identical membership.

Cohort arithmetic is a forum × person incidence matrix (:mod:`.incidence`: a numpy array when small, else sparse):
its product with its transpose gives, for every pair of forums, how many people they share, with no Python loop
over people.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..config import Config
from ..memo import Memo, memo_for
from ..model import Landscape
from ..privacy.suppression import people_number
from .clusters import MIN_CLUSTER, communities
from .common import MAX_NAMED, forum_kinds, input_order, name, names, people, people_phrase
from .findings import Finding, make_finding
from .incidence import column_sums, gram, incidence, row_sums, shared_columns
from .packing import counts, distinct, pack, pairs_between, run_starts, unique_rows

if TYPE_CHECKING:
    from scipy import sparse

__all__ = [
    "cohort_incidence", "overlap_matrix", "membership_similarity", "forum_pairs", "overlap_clusters",
    "cohort_overlap", "overlap_cluster", "people_in_many_forums", "contradictory_plans", "similar_membership",
    "people_under_different_leads", "people_in_pairs", "lead_agencies", "leads_comparable", "varying_leads",
]

MEAM_CASES = ("feature 7",)  # the rooms do not know each other's work: relationships between individuals


def cohort_incidence(landscape: Landscape, memo: Memo | None = None) -> sparse.csr_matrix:
    """Forums (rows, in input order) × people (columns, by ``cohorts.person`` code): 1 where discussed."""
    memo = memo_for(landscape, memo)
    matrix = _cohort_incidence(landscape, memo)
    if not isinstance(matrix, np.ndarray):
        return matrix

    def as_sparse():
        from scipy import sparse

        return sparse.csr_matrix(matrix)

    return memo.get("sparse cohort incidence", as_sparse)  # one object, as the sparse matrix always was


def _cohort_incidence(landscape: Landscape, memo: Memo | None = None):
    """:func:`cohort_incidence` as the rules use it: a numpy array on a small landscape (see ``incidence``)."""
    def compute():
        cohorts = landscape.cohorts
        n_forums = len(landscape.forum_ids)
        n_people = int(cohorts["person"].max()) + 1 if len(cohorts) else 0
        rows = pd.Categorical(cohorts["forum_id"], categories=list(landscape.forum_ids)).codes
        # A person discussed twice in one forum counts once.
        return incidence(rows, cohorts["person"].to_numpy(), (n_forums, n_people))

    return memo_for(landscape, memo).get("cohort incidence", compute)


def overlap_matrix(landscape: Landscape, memo: Memo | None = None) -> pd.DataFrame:
    """Forum × forum: people discussed in both (diagonal: the forum's cohort size). Exact counts, not suppressed."""
    memo = memo_for(landscape, memo)

    def compute():
        shared = gram(_cohort_incidence(landscape, memo)).astype(np.int64)
        ids = list(landscape.forum_ids)
        return pd.DataFrame(shared, index=pd.Index(ids, name="forum_id"), columns=ids)

    return memo.get("overlap", compute)  # the rules and the Analysis share one


def membership_similarity(landscape: Landscape, memo: Memo | None = None) -> pd.DataFrame:
    """Forum × forum Jaccard similarity of the agencies holding seats (1.0 on the diagonal for forums with seats)."""
    return memo_for(landscape, memo).get("similarity", lambda: _membership_similarity(landscape))


def _membership_similarity(landscape: Landscape) -> pd.DataFrame:
    seats = landscape.seats[["forum_id", "agency_id"]].drop_duplicates()
    ids = list(landscape.forum_ids)
    rows = pd.Categorical(seats["forum_id"], categories=ids).codes
    cols = pd.Categorical(seats["agency_id"], categories=list(landscape.agency_ids)).codes
    both = gram(incidence(rows, cols, (len(ids), len(landscape.agency_ids)), np.float64))
    sizes = np.diag(both).copy()
    # In place: at national scale each forum x forum array is 32 MB, and the analysis's peak memory is made here.
    union = sizes[:, None] + sizes[None, :]
    union -= both
    np.divide(both, union, out=both, where=union > 0)  # where union is 0 both forums are empty: both stays 0
    np.round(both, 4, out=both)
    return pd.DataFrame(both, index=pd.Index(ids, name="forum_id"), columns=ids)


def _overlap(landscape: Landscape, memo: Memo | None = None) -> pd.DataFrame:
    return overlap_matrix(landscape, memo)


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


def _different_leads(landscape: Landscape, config: Config, memo: Memo | None = None) -> dict[tuple[int, int], int]:
    """(forum position, forum position) -> people discussed at both within the window under different lead agencies."""
    return _different_lead_pairs(landscape, config, memo)[0]


def _different_lead_pairs(landscape: Landscape, config: Config, memo: Memo | None = None
                          ) -> tuple[dict[tuple[int, int], int], pd.DataFrame | None]:
    """(:func:`_different_leads`, the table of (forum_a, forum_b, person) behind it, for counting people across
    pairs; None when no one is)."""
    window = config.duplication.contradictory_window_days
    memo = memo_for(landscape, memo)
    return memo.get(("different leads", window), lambda: _find_different_leads(landscape, window, memo))


def _find_different_leads(landscape: Landscape, window: int, memo: Memo
                          ) -> tuple[dict[tuple[int, int], int], pd.DataFrame | None]:
    result: dict = {}
    cohorts = landscape.cohorts
    cohorts = cohorts[(cohorts["lead_agency"] != "") & cohorts["discussed_on"].notna()]
    if cohorts.empty:
        return result, None
    # Only people seen in two or more forums can be in a pair; cut the table down before the self-join.
    spread = cohorts.drop_duplicates(["person", "forum_id"])["person"].value_counts()
    cohorts = cohorts[cohorts["person"].isin(spread.index[spread >= 2])]
    if cohorts.empty:
        return result, None
    # Whole numbers only (forum position, day number, lead code): the self-join is the costly step at scale.
    person, forum, day, lead = unique_rows(
        cohorts["person"].to_numpy().astype(np.int64),
        pd.Categorical(cohorts["forum_id"], categories=list(landscape.forum_ids)).codes.astype(np.int64),
        cohorts["discussed_on"].to_numpy().astype("datetime64[D]").astype(np.int64),
        pd.factorize(cohorts["lead_agency"])[0].astype(np.int64))  # sorted by person: each person's rows together
    found = [_pairs_under_different_leads(person[rows], forum[rows], day[rows], lead[rows], window)
             for rows in _person_blocks(person)]
    forum_a, forum_b, who = unique_rows(*(np.concatenate([f[k] for f in found]) for k in range(3)))
    # Different leads are evidence only where the data could show a shared one (see leads_comparable).
    comparable = _comparable_positions(landscape, forum_a, forum_b, memo)
    forum_a, forum_b, who = forum_a[comparable], forum_b[comparable], who[comparable]
    if len(who):
        keys, packing = pack(forum_a, forum_b)
        pairs, shared = counts(keys)
        result.update(zip(zip(*(c.tolist() for c in packing.unpack(pairs))), shared.tolist()))
        table = pd.DataFrame(  # for counting people across pairs
            {"forum_a": forum_a.astype(np.int32), "forum_b": forum_b.astype(np.int32), "person": who})
        return result, table
    return result, None


def lead_agencies(landscape: Landscape, memo: Memo | None = None) -> dict[str, frozenset]:
    """Forum id -> the lead agencies its case list records (worked out once per memo: a pass over the case list)."""
    return memo_for(landscape, memo).get(("lead agencies",), lambda: _lead_agencies(landscape))


def varying_leads(landscape: Landscape, memo: Memo | None = None) -> frozenset:
    """The forums where some person's lead agency varies from one discussion to another: their leads are recorded
    per person and per discussion, not fixed by the forum (worked out once per memo)."""
    return memo_for(landscape, memo).get(("varying leads",), lambda: _varying_leads(landscape))


def _varying_leads(landscape: Landscape) -> frozenset:
    cohorts = landscape.cohorts
    led = cohorts.loc[cohorts["lead_agency"] != "", ["forum_id", "person", "lead_agency"]].drop_duplicates()
    return frozenset(led.loc[led.duplicated(["forum_id", "person"]), "forum_id"])


def _lead_agencies(landscape: Landscape) -> dict[str, frozenset]:
    cohorts = landscape.cohorts
    cohorts = cohorts[cohorts["lead_agency"] != ""]
    return {f: frozenset(leads) for f, leads in cohorts.groupby("forum_id")["lead_agency"].agg(set).items()}


def leads_comparable(leads: dict[str, frozenset], varies: frozenset, a: str, b: str) -> bool:
    """Whether two forums' case lists could show a person under the same lead at both: when some person's lead varies
    within either forum (``varies``), or the same lead agency is recorded at both. Two forums each naming its own
    lead, or leads that never overlap (probation at one, the council at the other, whoever the person), make
    "different leads" automatic, not evidence that anyone's plans disagree."""
    return a in varies or b in varies or bool(leads.get(a, frozenset()) & leads.get(b, frozenset()))


def _comparable_positions(landscape: Landscape, forum_a: np.ndarray, forum_b: np.ndarray, memo: Memo) -> np.ndarray:
    """Which of these rows' forum pairs (positions) could show a person under the same lead at both: each pair
    asked once, the answer spread over its rows."""
    leads, varies, ids = lead_agencies(landscape, memo), varying_leads(landscape, memo), list(landscape.forum_ids)
    keys = forum_a.astype(np.int64) * len(ids) + forum_b
    ok = [key for key in distinct(keys).tolist()
          if leads_comparable(leads, varies, ids[key // len(ids)], ids[key % len(ids)])]
    return np.isin(keys, np.array(ok, dtype=np.int64))


SELF_JOIN_ROWS = 25_000  # rows of the case list joined with themselves at a time: the join grows as rows squared


def _person_blocks(person: np.ndarray):
    """Slices of the rows (sorted by person) in blocks of whole people, each of about ``SELF_JOIN_ROWS`` rows: the
    self-join is then made block by block, its peak memory a fraction of one join over everyone."""
    bounds = run_starts(person)
    cuts = np.searchsorted(bounds, np.arange(SELF_JOIN_ROWS, len(person), SELF_JOIN_ROWS))
    edges = np.unique(np.r_[0, bounds[np.minimum(cuts, len(bounds) - 1)], len(person)])
    for start, end in zip(edges[:-1], edges[1:]):
        yield slice(int(start), int(end))


def _pairs_under_different_leads(person, forum, day, lead, window: int) -> tuple[np.ndarray, ...]:
    """(forum_a, forum_b, person) of each person discussed at both forums within ``window`` days under different
    leads, from rows sorted by person, each such row once."""
    bounds = run_starts(person)
    starts, sizes = bounds[:-1], np.diff(bounds)
    several = sizes > 1
    a, b = pairs_between(starts[several], sizes[several], starts[several], sizes[several])
    keep = (forum[a] < forum[b]) & (lead[a] != lead[b]) & (np.abs(day[a] - day[b]) <= window)
    return unique_rows(forum[a[keep]], forum[b[keep]], person[a[keep]])  # repeats dropped block by block


def _positions(landscape: Landscape, forum_pairs) -> list[tuple[int, int]]:
    where = {f: i for i, f in enumerate(landscape.forum_ids)}
    return [tuple(sorted((where[a], where[b]))) for a, b in forum_pairs if a in where and b in where]


def people_under_different_leads(landscape: Landscape, config: Config, forum_pairs, memo: Memo | None = None) -> int:
    """Distinct people discussed within the window under different lead agencies at any of ``forum_pairs`` (pairs
    of forum ids): a person at three of the pairs counts once, so a roll-up can say how many people, not pairs."""
    table = _different_lead_pairs(landscape, config, memo=memo)[1]
    wanted = _positions(landscape, forum_pairs)
    if table is None or table.empty or not wanted:
        return 0
    wanted = pd.DataFrame(wanted, columns=["forum_a", "forum_b"]).astype(table["forum_a"].dtype)
    return int(table.merge(wanted, on=["forum_a", "forum_b"])["person"].nunique())


def people_in_pairs(landscape: Landscape, forum_pairs, memo: Memo | None = None) -> int:
    """Distinct people discussed at both forums of any of ``forum_pairs`` (pairs of forum ids)."""
    matrix = _cohort_incidence(landscape, memo=memo)
    seen = np.zeros(matrix.shape[1], dtype=bool)
    for i, j in _positions(landscape, forum_pairs):
        seen[shared_columns(matrix, i, j)] = True
    return int(seen.sum())


def _sharing_case_lists(landscape: Landscape) -> set[frozenset]:
    links = landscape.links
    shared = links[links["type"] == "shares_case_list"]
    return {frozenset((a, b)) for a, b in zip(shared["from_forum"], shared["to_forum"])}


def _pair_suggestion(sharing: bool, different_leads: int) -> str:
    if sharing and different_leads:
        return ("They already share case lists: agree which agency leads for each person both discuss, and keep "
                "one plan.")
    if sharing:
        return "They already share case lists: agree which forum leads for each shared person, and let the other step back."
    return "Ask both chairs to share case lists before each meeting and agree one lead plan per person."


def _leads_clause(n: int, window: int, config: Config, fixed: bool = False) -> str:
    if fixed:
        return (", but the two case lists never record the same lead agency (nor one person's lead changing), so "
                "they cannot show whether the plans differ")
    if not n:
        return ""
    return f", {people(n, config)} of them under different lead agencies within {window} days"


def _pair_finding(landscape: Landscape, config: Config, rule: str, pair, i: int, j: int, shared: int,
                  sizes, different_leads: int, sharing: bool, fixed: bool = False) -> Finding:
    """One finding for a pair of forums: the overlap, the contradictory-lead evidence and any case-list sharing."""
    settings = config.duplication
    window = settings.contradictory_window_days
    ids = list(landscape.forum_ids)
    smaller = int(min(sizes[i], sizes[j]))
    coefficient = shared / smaller if smaller else 0.0
    jaccard = shared / (sizes[i] + sizes[j] - shared) if shared else 0.0
    high = coefficient >= settings.overlap_high_coefficient or different_leads >= max(settings.overlap_min_shared, 1)
    if rule == "cohort_overlap":
        message = (f"{names(landscape, pair)} discuss {people(shared, config)} of the same people"
                   f"{_share_of_smaller(coefficient, shared, config)}{_leads_clause(different_leads, window, config, fixed)}: "
                   "plans may be made twice or contradict each other.")
    else:
        message = (f"{people_phrase(different_leads, config, 'were', 'was')} discussed at both {names(landscape, pair)} "
                   f"within {window} days under different lead agencies, so they may be getting contradictory "
                   "action plans.")
    return make_finding(
        "duplication", rule, "high" if high else "medium", pair, message,
        evidence={"shared_people": people(shared, config),
                  "people": people(shared if rule == "cohort_overlap" else different_leads, config),
                  "overlap_coefficient": _shown_ratio(coefficient, shared, config),
                  "jaccard": _shown_ratio(jaccard, shared, config),
                  "cohort_sizes": {ids[i]: people(sizes[i], config), ids[j]: people(sizes[j], config)},
                  "different_leads": people(different_leads, config), "window_days": window,
                  "shares_case_list": sharing, "leads_fixed_per_forum": fixed,
                  "thresholds": {"overlap_min_shared": settings.overlap_min_shared,
                                 "overlap_min_coefficient": settings.overlap_min_coefficient}},
        meam=MEAM_CASES, suggestion=_pair_suggestion(sharing, different_leads))


def forum_pairs(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[tuple]:
    """Every pair of forums worth a word, once: (rule, i, j, shared). A pair sharing at least ``overlap_min_shared``
    people and ``overlap_min_coefficient`` of the smaller list is a cohort overlap; below the coefficient, a pair with
    that many people under different leads is a risk of contradictory plans."""
    settings = config.duplication
    key = ("pairs", settings.overlap_min_shared, settings.overlap_min_coefficient, settings.contradictory_window_days)
    memo = memo_for(landscape, memo)
    return memo.get(key, lambda: _choose_pairs(landscape, config, memo))


def _choose_pairs(landscape: Landscape, config: Config, memo: Memo) -> list[tuple]:
    settings = config.duplication
    overlap = _overlap(landscape, memo=memo).to_numpy()
    sizes = np.diag(overlap)
    minimum = max(settings.overlap_min_shared, 1)
    leads = _different_leads(landscape, config, memo=memo)
    chosen = []
    first, second = np.nonzero(np.triu(overlap, k=1) >= minimum)
    for i, j in zip(first.tolist(), second.tolist()):
        shared = int(overlap[i, j])
        if shared / int(min(sizes[i], sizes[j])) >= settings.overlap_min_coefficient:
            chosen.append(("cohort_overlap", i, j, shared))
        elif leads.get((i, j), 0) >= minimum:
            chosen.append(("contradictory_plans", i, j, shared))
    return chosen


def overlap_clusters(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[frozenset]:
    """Groups of three or more forums (positions) joined by heavy case-list overlaps: Louvain communities of the
    graph of cohort_overlap pairs, weighted by the share of the smaller list."""
    settings = config.duplication
    key = ("clusters", settings.overlap_min_shared, settings.overlap_min_coefficient, settings.contradictory_window_days,
           config.measures.seed)
    memo = memo_for(landscape, memo)

    def compute():
        sizes = np.diag(_overlap(landscape, memo).to_numpy())
        edges = [(i, j, shared / int(min(sizes[i], sizes[j])))
                 for kind, i, j, shared in forum_pairs(landscape, config, memo) if kind == "cohort_overlap"]
        return [c for c in communities(edges, seed=config.measures.seed) if len(c) >= MIN_CLUSTER]

    return memo.get(key, compute)


def _cluster_of(clusters: list[frozenset]) -> dict[int, int]:
    """Forum position -> the index of its cluster (communities do not overlap, so a forum is in one at most)."""
    return {i: k for k, cluster in enumerate(clusters) for i in cluster}


def _pairs_by_cluster(landscape: Landscape, config: Config, clusters: list[frozenset], memo: Memo | None = None) -> list[list[tuple]]:
    """Each cluster's forum pairs (as :func:`forum_pairs` gives them, in its order): one pass over the pairs."""
    where = _cluster_of(clusters)
    grouped = [[] for _ in clusters]
    for pair in forum_pairs(landscape, config, memo=memo):
        k = where.get(pair[1])
        if k is not None and where.get(pair[2]) == k:
            grouped[k].append(pair)
    return grouped


def _pair_findings(landscape: Landscape, config: Config, rule: str, memo: Memo | None = None) -> list[Finding]:
    overlap = _overlap(landscape, memo=memo).to_numpy()
    sizes = np.diag(overlap)
    ids = list(landscape.forum_ids)
    leads = _different_leads(landscape, config, memo=memo)
    recorded, varies = lead_agencies(landscape, memo), varying_leads(landscape, memo)
    sharing = _sharing_case_lists(landscape)
    findings = []
    where = _cluster_of(overlap_clusters(landscape, config, memo=memo))
    for kind, i, j, shared in forum_pairs(landscape, config, memo=memo):
        if kind != rule or (i in where and where.get(j) == where[i]):  # a cluster's finding holds its pairs
            continue
        pair = input_order(landscape, (ids[i], ids[j]), memo=memo)
        fixed = (ids[i] in recorded and ids[j] in recorded and not leads_comparable(recorded, varies, ids[i], ids[j]))
        findings.append(_pair_finding(landscape, config, rule, pair, i, j, shared, sizes, leads.get((i, j), 0),
                                      frozenset((ids[i], ids[j])) in sharing, fixed))
    return findings


def cohort_overlap(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """Pairs of forums discussing many of the same people (Play Snap!): one finding per pair, carrying how many were
    discussed under different lead agencies and whether the forums already share case lists."""
    return _pair_findings(landscape, config, "cohort_overlap", memo=memo)


def _cluster_leads(pairs: list[dict], window: int) -> str:
    under = sum(p["different_leads"] != "0" for p in pairs)
    if not under:
        return ""
    return (f"; {under} of its {len(pairs)} pairs had different lead agencies within {window} days, risking "
            "contradictory action plans")


def overlap_cluster(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """Three or more forums whose case lists overlap heavily, found by community detection: one finding for the
    cluster, holding its pairs (which are not reported again one by one)."""
    settings = config.duplication
    clusters = overlap_clusters(landscape, config, memo=memo)
    if not clusters:
        return []
    overlap = _overlap(landscape, memo=memo).to_numpy()
    sizes = np.diag(overlap)
    ids = list(landscape.forum_ids)
    leads = _different_leads(landscape, config, memo=memo)
    sharing = _sharing_case_lists(landscape)
    matrix = _cohort_incidence(landscape, memo=memo)
    minimum = max(settings.overlap_min_shared, 1)
    findings = []
    for cluster, cluster_pairs in zip(clusters, _pairs_by_cluster(landscape, config, clusters, memo=memo)):
        members = input_order(landscape, [ids[i] for i in cluster], memo=memo)
        positions = sorted(cluster)
        per_person = column_sums(matrix, positions)
        in_two = int((per_person >= 2).sum())
        in_many = int((per_person >= config.duplication.many_forums).sum())
        absorbs = _absorbed_many(landscape, config, clusters, memo=memo) == frozenset(cluster)
        pairs, high = [], False
        for kind, i, j, shared in cluster_pairs:
            different = leads.get((i, j), 0)
            high |= shared / int(min(sizes[i], sizes[j])) >= settings.overlap_high_coefficient or different >= minimum
            pairs.append({"forums": list(input_order(landscape, (ids[i], ids[j]), memo=memo)), "shared_people": people(shared, config),
                          "different_leads": people(different, config),
                          "shares_case_list": frozenset((ids[i], ids[j])) in sharing})
        all_sharing = all(p["shares_case_list"] for p in pairs)
        findings.append(make_finding(
            "duplication", "overlap_cluster", "high" if high else "medium", members,
            f"These {len(members)} forums discuss many of the same people: {names(landscape, members)} "
            f"({people(in_two, config)} people are discussed in two or more of them"
            f"{_in_many_clause(in_many, config)})"
            f"{_cluster_leads(pairs, settings.contradictory_window_days)}.",  # what to do: the suggestion
            evidence={"forums": list(members), "people": people(in_two, config), "pairs": pairs,
                      "in_many_forums": {"people": people(in_many, config), "threshold": config.duplication.many_forums,
                                         "absorbs_people_in_many_forums": absorbs},
                      "method": "Louvain communities of the cohort-overlap graph (networkx), seeded",
                      "thresholds": {"overlap_min_shared": settings.overlap_min_shared,
                                     "overlap_min_coefficient": settings.overlap_min_coefficient}},
            meam=MEAM_CASES + ("challenge 2",),
            suggestion=("They already share case lists: agree one lead forum for each person and let the others "
                        "refer across, or merge them into one panel." if all_sharing else
                        "Share one case list (Play Snap!), then agree one lead forum per person, or one panel.")))
    return findings


def _in_many_clause(in_many: int, config: Config) -> str:
    if not in_many:
        return ""
    return f", {people(in_many, config)} in {config.duplication.many_forums} or more"


def _people_in_many(landscape: Landscape, config: Config, memo: Memo | None = None):
    """(people discussed in ``many_forums`` or more forums, their count per forum position), or None if nobody is."""
    memo = memo_for(landscape, memo)  # asked once per cluster: worked out once
    return memo.get(("people in many", config.duplication.many_forums),
                    lambda: _count_people_in_many(landscape, config, memo))


def _count_people_in_many(landscape: Landscape, config: Config, memo: Memo | None = None):
    matrix = _cohort_incidence(landscape, memo=memo)
    if matrix.shape[1] == 0:
        return None
    per_person = column_sums(matrix)
    many = per_person >= config.duplication.many_forums
    if not many.any():
        return None
    return per_person, many, row_sums(matrix, many)


def _absorbed_many(landscape: Landscape, config: Config, clusters: list[frozenset], memo: Memo | None = None) -> frozenset | None:
    """The cluster holding every forum at which people are discussed in ``many_forums`` or more forums, if one does:
    then "these people are in many forums" and "these forums share their case lists" are one problem, told once by
    the cluster."""
    found = _people_in_many(landscape, config, memo=memo)
    if found is None:
        return None
    involved = frozenset(np.flatnonzero(found[2]).tolist())
    return next((c for c in clusters if involved <= c), None)


def people_in_many_forums(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """People discussed in three (configurable) or more forums: one finding naming the forums involved, unless every
    one of those forums is in one overlap cluster, whose finding then says it (see ``overlap_cluster``)."""
    threshold = config.duplication.many_forums
    found = _people_in_many(landscape, config, memo=memo)
    if found is None or _absorbed_many(landscape, config, overlap_clusters(landscape, config, memo=memo), memo=memo) is not None:
        return []
    per_person, many, per_forum = found
    n = int(many.sum())
    ids = list(landscape.forum_ids)
    involved = input_order(landscape, [ids[i] for i in np.flatnonzero(per_forum)], memo=memo)
    # Across a region most forums are involved: the finding is about (and the map rings) those discussing most of
    # these people; every forum's count is in the evidence.
    busiest = sorted(np.flatnonzero(per_forum).tolist(), key=lambda i: (-per_forum[i], i))[:MAX_NAMED]
    subjects = input_order(landscape, [ids[i] for i in busiest], memo=memo)
    listed = (names(landscape, involved) if len(involved) <= MAX_NAMED else
              f"{len(involved):,} forums, most at {names(landscape, subjects)}")
    return [make_finding(
        "duplication", "people_in_many_forums", "high", subjects,
        f"{people_phrase(n, config)} each discussed in {threshold} or more forums ({listed}).",
        evidence={"people": people(n, config), "threshold": threshold, "forums_involved": len(involved),
                  "by_forum": {ids[i]: people(per_forum[i], config) for i in np.flatnonzero(per_forum)},
                  "most_forums_for_one_person": int(per_person.max())},
        meam=MEAM_CASES,
        suggestion="Agree which forum leads for each of these people and let the others step back, "
                   "referring across rather than discussing them in every room.")]


def contradictory_plans(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """A pair below the overlap threshold that still discusses ``overlap_min_shared`` or more people within the window
    under different lead agencies (a pair over the threshold says so in its cohort_overlap finding instead)."""
    return _pair_findings(landscape, config, "contradictory_plans", memo=memo)


def similar_membership(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """Active forums at the same level with near-identical agency membership, whatever their themes: merge or align.
    A shared theme raises the severity from low to medium."""
    threshold = config.duplication.membership_jaccard
    similarity = membership_similarity(landscape, memo=memo).to_numpy()
    forums = landscape.forums.set_index("forum_id")
    ids = list(landscape.forum_ids)
    active = (forums["status"] == "active").to_numpy()
    levels = forums["level"].to_numpy()
    themes = [frozenset(t.strip().lower() for t in themes) for themes in forums["themes"]]
    upper = np.triu(similarity, k=1) >= threshold
    upper &= active[:, None] & active[None, :] & (levels[:, None] == levels[None, :])
    kinds = forum_kinds(landscape, memo=memo)
    findings = []
    for i, j in zip(*np.nonzero(upper)):
        common = sorted(themes[i] & themes[j])
        pair = (ids[i], ids[j])
        themed = (f" and share the theme{'s' if len(common) > 1 else ''} {', '.join(common)}" if common
                  else ", though their themes differ")
        findings.append(make_finding(
            "duplication", "similar_membership", "medium" if common else "low", pair,
            f"{names(landscape, pair)} have near-identical membership ({similarity[i, j]:.0%} of agencies in common)"
            f"{themed}.",
            evidence={"jaccard": float(similarity[i, j]), "shared_themes": common, "level": str(levels[i]),
                      "threshold": threshold},
            meam=("feature 11", "challenge 2"),
            suggestion=_membership_suggestion(landscape, pair, bool(common), kinds)))
    return findings


def _membership_suggestion(landscape: Landscape, pair, themed: bool, kinds) -> str:
    """Merge where the forums do one job; where national guidance sets each up for a different job (MARAC for
    victims, MATAC for perpetrators), align them instead: the same agencies is not the same purpose."""
    first, second = (kinds.get(f) for f in pair)
    if first and second and first.key != second.key:
        def called(forum, kind):  # "Northtown Panel (Channel Panel)", but "MARAC", not "MARAC (MARAC)"
            label = name(landscape, forum)
            return label if kind.label.lower() in label.lower() else f"{label} ({kind.label})"
        return (f"{called(pair[0], first)} and {called(pair[1], second)} have different national purposes, so "
                "merging them is not the obvious answer: consider running them back to back with one membership, "
                "and sharing the case lists of people known to both.")
    if themed:
        return (f"Consider merging {name(landscape, pair[1])} into {name(landscape, pair[0])}, or running them back "
                "to back with one membership.")
    return ("The same agencies meet twice: consider one meeting with a standing agenda for each purpose, "
            "or back-to-back sessions.")


RULES = (overlap_cluster, cohort_overlap, people_in_many_forums, contradictory_plans, similar_membership)
