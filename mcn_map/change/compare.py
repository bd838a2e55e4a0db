"""What changed between two snapshots of a landscape: :func:`compare` and the :class:`Changes` value it returns.

A pure function of two (Landscape, Analysis) pairs. Forums, agencies, seats, posts and links are matched by id (a
seat by forum, agency and post); removed and added ids with the same or a very similar name are reported as likely
renames. Counts of people are compared only as counts per forum and pair of forums, never person by person (the
two snapshots' pseudonyms need not match), and pass through small-number suppression.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._version import __version__
from ..model import Landscape
from ..privacy.suppression import UNSUPPRESSED_STAMP, people_count, people_number
from ..loading.schema import SECTOR_LABELS, canonical_token
from .responses import carried_responses

__all__ = ["Changes", "compare", "comparison_warnings", "likely_replacements", "changes_document", "finding_changes", "link_changes", "post_changes", "ATTENDANCE_STEP", "RENAME_SIMILARITY", "FORUM_FIELDS"]

ATTENDANCE_STEP = 0.1  # attendance up or down by ten percentage points or more is worth a board's notice
RENAME_SIMILARITY = 0.85  # difflib ratio of folded names at or above which a removed and an added id look like one
RENAME_MEMBERS = 0.5  # and, for forums, the share of agencies they must have in common
# Forum fields whose change is reported, with the key each change is listed under.
FORUM_FIELDS = {"level": "level_changed", "chair_agency": "chair_changed", "frequency": "frequency_changed",
                "person_voice": "person_voice_changed", "name": "renamed"}


@dataclass(frozen=True)
class Changes:
    """Everything that changed, as plain data (the content of ``changes.json`` less its header)."""

    kind: str  # "compare" (two snapshots) or "whatif" (a baseline and a scenario)
    before: dict  # source, as_of, counts of the older landscape
    after: dict
    suppressed: bool
    forums: dict
    agencies: dict
    seats: dict
    posts: dict
    sectors: dict
    links: dict
    findings: dict
    cohorts: dict
    responses: list
    meeting_hours: dict | None = None
    scenario: dict | None = None
    knowledge: dict | None = None  # what the chairs know of each other, when either landscape records a round
    extra: dict = field(default_factory=dict)

    def counts(self) -> dict:
        """How many changes of each kind: the short summary a command prints and the page's headline."""
        return {
            "forums_added": len(self.forums["added"]), "forums_removed": len(self.forums["removed"]),
            "forums_status_changed": len(self.forums["status_changed"]),
            "seats_added": len(self.seats["added"]), "seats_removed": len(self.seats["removed"]),
            "posts_left": len(self.posts["left"]), "posts_joined": len(self.posts["joined"]),
            "links_added": len(self.links["added"]), "links_removed": len(self.links["removed"]),
            "findings_resolved": len(self.findings["resolved"]), "findings_new": len(self.findings["new"]),
            "findings_persisting": len(self.findings["persisting"]),
            "responses_closed": sum(1 for r in self.responses if r["state"] == "closed"),
        }


# -- small helpers ------------------------------------------------------------------------------------------------

def _text(value) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, tuple):
        return "|".join(value)
    return str(value)


def _forum_object(row) -> dict:
    return {"forum_id": row["forum_id"], "name": row["name"], "level": row["level"], "status": row["status"],
            "frequency": row["frequency"], "chair_agency": row["chair_agency"], "merged_into": row["merged_into"],
            "person_voice": row["person_voice"]}


def _folded(name: str) -> str:
    return re.sub(r"[^0-9a-z' ]+", "", canonical_token(name)).strip()


def likely_renames(removed: dict[str, str], added: dict[str, str], alike=None) -> list[dict]:
    """Pairs (removed id, added id) whose names are the same, or nearly, once case, spacing and punctuation are
    folded; ``alike(old_id, new_id)``, where given, must also hold (the same members, the same sector).

    >>> likely_renames({"mset": "Adult MSET"}, {"adult-mset": "Adult M.S.E.T.", "vip": "VIP"})
    [{'old_id': 'mset', 'new_id': 'adult-mset', 'old_name': 'Adult MSET', 'new_name': 'Adult M.S.E.T.', 'similarity': 1.0}]
    """
    pairs, taken = [], set()
    folded_added = {i: _folded(n) for i, n in added.items()}
    for old_id, old_name in removed.items():
        old = _folded(old_name)
        best, score = None, 0.0
        for new_id, new in folded_added.items():
            if new_id in taken or (alike is not None and not alike(old_id, new_id)):
                continue
            ratio = 1.0 if new == old else difflib.SequenceMatcher(None, old, new).ratio()
            if ratio > score:
                best, score = new_id, ratio
        if best is not None and score >= RENAME_SIMILARITY:
            taken.add(best)
            pairs.append({"old_id": old_id, "new_id": best, "old_name": old_name, "new_name": added[best],
                          "similarity": round(score, 2)})
    return pairs


def _same_members(old: Landscape, new: Landscape):
    """Whether a removed forum and an added one share at least half their agencies (either may have no seats)."""
    before = old.seats.groupby("forum_id")["agency_id"].agg(set).to_dict()
    after = new.seats.groupby("forum_id")["agency_id"].agg(set).to_dict()

    def alike(old_id: str, new_id: str) -> bool:
        a, b = before.get(old_id, set()), after.get(new_id, set())
        return not a or not b or len(a & b) / len(a | b) >= RENAME_MEMBERS

    return alike


def _same_agency(old: Landscape, new: Landscape):
    """Whether a removed agency and an added one are of one sector and sit on at least half the same forums."""
    before = old.seats.groupby("agency_id")["forum_id"].agg(set).to_dict()
    after = new.seats.groupby("agency_id")["forum_id"].agg(set).to_dict()

    def alike(old_id: str, new_id: str) -> bool:
        if old.agency_sector[old_id] != new.agency_sector[new_id]:
            return False
        a, b = before.get(old_id, set()), after.get(new_id, set())
        return not a or not b or len(a & b) / len(a | b) >= RENAME_MEMBERS

    return alike


# -- sections -----------------------------------------------------------------------------------------------------

def _forums(old: Landscape, new: Landscape) -> dict:
    before = old.forums.set_index("forum_id", drop=False)
    after = new.forums.set_index("forum_id", drop=False)
    added = [i for i in after.index if i not in before.index]
    removed = [i for i in before.index if i not in after.index]
    both = [i for i in after.index if i in before.index]
    section = {
        "added": [_forum_object(after.loc[i]) for i in added],
        "removed": [_forum_object(before.loc[i]) for i in removed],
        "status_changed": [],
    }
    for name in FORUM_FIELDS.values():
        section[name] = []
    for forum_id in both:
        was, now = before.loc[forum_id], after.loc[forum_id]
        if was["status"] != now["status"] or was["merged_into"] != now["merged_into"]:
            section["status_changed"].append({"forum_id": forum_id, "name": now["name"], "from": was["status"],
                                              "to": now["status"], "merged_into": now["merged_into"]})
        for column, key in FORUM_FIELDS.items():
            if _text(was[column]) != _text(now[column]):
                section[key].append({"forum_id": forum_id, "name": now["name"], "from": _text(was[column]),
                                     "to": _text(now[column])})
    section["likely_renames"] = likely_renames({i: before.loc[i, "name"] for i in removed},
                                               {i: after.loc[i, "name"] for i in added}, _same_members(old, new))
    renamed = {r["old_id"] for r in section["likely_renames"]} | {r["new_id"] for r in section["likely_renames"]}
    section["likely_replacements"] = likely_replacements(
        old, new, [i for i in removed if i not in renamed], [i for i in added if i not in renamed])
    return section


REPLACEMENT_MEMBERS = 0.8  # agencies in common (Jaccard) for a new forum to look like an old one relaunched
REPLACEMENT_CASES = 0.25  # and its case list within this share of the old one's size


def likely_replacements(old: Landscape, new: Landscape, removed: list[str], added: list[str]) -> list[dict]:
    """A forum no longer listed and a new one whose names differ but whose seats are the same agencies and whose case
    lists are about the same size, at the same tier: one forum relaunched, not one ended and another begun. People
    are compared as counts only (the two snapshots' pseudonyms need not match)."""
    before = old.seats.groupby("forum_id")["agency_id"].agg(set).to_dict()
    after = new.seats.groupby("forum_id")["agency_id"].agg(set).to_dict()
    size_before = old.cohorts.drop_duplicates(["forum_id", "person"])["forum_id"].value_counts().to_dict()
    size_after = new.cohorts.drop_duplicates(["forum_id", "person"])["forum_id"].value_counts().to_dict()
    pairs, taken = [], set()
    for old_id in removed:
        a = before.get(old_id, set())
        best, score = None, 0.0
        for new_id in added:
            b = after.get(new_id, set())
            if new_id in taken or not a or not b or old.forum_level.get(old_id) != new.forum_level.get(new_id):
                continue
            n_old, n_new = size_before.get(old_id, 0), size_after.get(new_id, 0)
            if abs(n_old - n_new) > REPLACEMENT_CASES * max(n_old, n_new, 1):
                continue
            jaccard = len(a & b) / len(a | b)
            if jaccard >= REPLACEMENT_MEMBERS and jaccard > score:
                best, score = new_id, jaccard
        if best is not None:
            taken.add(best)
            pairs.append({"old_id": old_id, "new_id": best, "old_name": old.forum_name[old_id],
                          "new_name": new.forum_name[best], "members_in_common": round(score, 2),
                          "case_lists": [int(size_before.get(old_id, 0)), int(size_after.get(best, 0))]})
    return pairs


def _agencies(old: Landscape, new: Landscape) -> dict:
    def obj(landscape, agency_id):
        return {"agency_id": agency_id, "name": landscape.agency_name[agency_id],
                "sector": landscape.agency_sector[agency_id]}

    added = [a for a in new.agency_ids if a not in old.agency_name]
    removed = [a for a in old.agency_ids if a not in new.agency_name]
    return {"added": [obj(new, a) for a in added], "removed": [obj(old, a) for a in removed],
            "likely_renames": likely_renames({a: old.agency_name[a] for a in removed},
                                             {a: new.agency_name[a] for a in added},
                                             _same_agency(old, new))}


SEAT_KEY = ["forum_id", "agency_id", "post"]


def _seat_objects(seats: pd.DataFrame) -> list[dict]:
    return [{"forum_id": r.forum_id, "agency_id": r.agency_id, "post": r.post, "role": r.role,
             "seniority": r.seniority} for r in seats.itertuples(index=False)]


def _seats(old: Landscape, new: Landscape) -> dict:
    before = old.seats.drop_duplicates(SEAT_KEY)
    after = new.seats.drop_duplicates(SEAT_KEY)
    keyed = before.merge(after[SEAT_KEY], on=SEAT_KEY, how="left", indicator=True)
    removed = keyed[keyed["_merge"] == "left_only"]
    keyed = after.merge(before[SEAT_KEY], on=SEAT_KEY, how="left", indicator=True)
    added = keyed[keyed["_merge"] == "left_only"]
    return {"added": _seat_objects(added), "removed": _seat_objects(removed), **_attendance(old, new),
            "changed": _seat_changes(before, after)}


def _seat_changes(before: pd.DataFrame, after: pd.DataFrame) -> list[dict]:
    """Seats in both snapshots whose seniority or role changed (a police seat from practitioner to executive)."""
    both = before[SEAT_KEY + ["seniority", "role"]].merge(after[SEAT_KEY + ["seniority", "role"]], on=SEAT_KEY,
                                                          suffixes=("_was", "_now"))
    changes = []
    for row in both.itertuples(index=False):
        for column in ("seniority", "role"):
            was, now = getattr(row, f"{column}_was"), getattr(row, f"{column}_now")
            if was != now:
                changes.append({"forum_id": row.forum_id, "agency_id": row.agency_id, "post": row.post,
                                "field": column, "from": was, "to": now})
    return changes


def _attendance_rates(landscape: Landscape) -> pd.Series:
    seats = landscape.seats
    known = seats[seats["meetings_held"].fillna(0) > 0]
    totals = known.groupby(["forum_id", "agency_id"])[["meetings_attended", "meetings_held"]].sum(min_count=1)
    return (totals["meetings_attended"].astype(float) / totals["meetings_held"].astype(float)).dropna()


def _attendance(old: Landscape, new: Landscape) -> dict:
    """Share of meetings attended by each agency on each forum, where both snapshots record it."""
    joined = pd.concat({"before": _attendance_rates(old), "after": _attendance_rates(new)}, axis=1).dropna()
    joined["change"] = joined["after"] - joined["before"]
    result = {"attendance_up": [], "attendance_down": []}
    for (forum_id, agency_id), row in joined.iterrows():
        if abs(row["change"]) < ATTENDANCE_STEP - 1e-9:
            continue
        item = {"forum_id": forum_id, "agency_id": agency_id, "before": round(float(row["before"]), 2),
                "after": round(float(row["after"]), 2), "change": round(float(row["change"]), 2)}
        result["attendance_up" if row["change"] > 0 else "attendance_down"].append(item)
    return result


def _post_forums(landscape: Landscape) -> dict[tuple[str, str], list[str]]:
    """(agency, post) -> the sorted forums it sits on, posts in the order they first appear in the seats."""
    seats = landscape.seats
    # A blank post names no one; a missing agency or post (a landscape made in a notebook) is no post either.
    named = seats["agency_id"].notna().to_numpy() & seats["post"].notna().to_numpy()
    named[named] = (seats["post"][named] != "").to_numpy(dtype=bool)
    seats = seats[named]
    held: dict[tuple[str, str], set[str]] = {}
    for forum, agency, post in zip(seats["forum_id"], seats["agency_id"], seats["post"]):
        held.setdefault((agency, post), set()).add(forum)
    return {key: sorted(forums) for key, forums in held.items()}


def post_changes(old: Landscape, new: Landscape) -> dict:
    """Post turnover: posts (an agency's post label) that left or joined, posts now held by another agency, and the
    links between forums that a post which left used to carry."""
    before, after = _post_forums(old), _post_forums(new)
    left = [{"agency_id": a, "post": p, "forums": f} for (a, p), f in before.items() if (a, p) not in after]
    joined = [{"agency_id": a, "post": p, "forums": f} for (a, p), f in after.items() if (a, p) not in before]
    new_holders = {}
    for item in joined:
        new_holders.setdefault(item["post"], item["agency_id"])
    changed_holder = [{"post": item["post"], "from_agency": item["agency_id"], "to_agency": new_holders[item["post"]]}
                      for item in left if item["post"] in new_holders]
    still_held = {post for _, post in after}
    gone = {item["post"] for item in left if item["post"] not in still_held}
    links = old.links
    depending = links[links["via_post"].isin(gone)]
    current = set(zip(new.links["from_forum"], new.links["to_forum"], new.links["type"], new.links["via_post"]))
    at_risk = [{"from_forum": r.from_forum, "to_forum": r.to_forum, "type": r.type, "via_post": r.via_post,
                "still_listed": (r.from_forum, r.to_forum, r.type, r.via_post) in current}
               for r in depending.itertuples(index=False)]
    return {"left": left, "joined": joined, "changed_holder": changed_holder, "links_via_posts_that_left": at_risk}


def _sectors(old: Landscape, new: Landscape) -> dict:
    def by_forum(landscape):
        seats = landscape.seats_with_sector()
        return seats.groupby("forum_id")["sector"].agg(lambda s: set(s) - {""}).to_dict()

    before, after = by_forum(old), by_forum(new)
    gained, lost = [], []
    for forum_id in new.forum_ids:
        # A forum that has stopped meeting loses its seats as a matter of course: that is its status change.
        if forum_id not in old.forum_name or new.forum_status.get(forum_id) != "active":
            continue
        was, now = before.get(forum_id, set()), after.get(forum_id, set())
        for sector in sorted(now - was, key=list(SECTOR_LABELS).index):
            gained.append({"forum_id": forum_id, "sector": sector, "label": SECTOR_LABELS[sector]})
        for sector in sorted(was - now, key=list(SECTOR_LABELS).index):
            lost.append({"forum_id": forum_id, "sector": sector, "label": SECTOR_LABELS[sector]})
    return {"gained": gained, "lost": lost}


def _links_by_key(links: pd.DataFrame) -> dict[tuple, dict]:
    """(from, to, type) -> the first link listed with that key, as an object, in the sheet's order."""
    key = links[["from_forum", "to_forum", "type"]]
    if key.isna().to_numpy().any():  # one missing value matches another, as in a pandas merge (notebook landscapes)
        key = key.astype(object).where(key.notna(), None)
    keyed: dict[tuple, dict] = {}
    for k, a, b, kind, via in zip(zip(key["from_forum"], key["to_forum"], key["type"]), links["from_forum"],
                                  links["to_forum"], links["type"], links["via_post"]):
        keyed.setdefault(k, {"from_forum": a, "to_forum": b, "type": kind, "via_post": via})
    return keyed


def link_changes(old: Landscape, new: Landscape) -> dict:
    """Links (one per from, to and type) in the new landscape and not the old, and the other way round."""
    before, after = _links_by_key(old.links), _links_by_key(new.links)
    return {"added": [link for key, link in after.items() if key not in before],
            "removed": [link for key, link in before.items() if key not in after]}


def finding_changes(old_analysis, new_analysis) -> dict:
    """Findings matched by their stable id (rule and subjects, plus a key where the subjects alone do not tell a
    rule's findings apart; unique within an analysis): resolved, new and persisting, in rank order."""
    old_ids = {f.id for f in old_analysis.findings}
    new_ids = {f.id for f in new_analysis.findings}
    resolved = [f for f in old_analysis.findings if f.id not in new_ids]
    new = [f for f in new_analysis.findings if f.id not in old_ids]
    relabelled = _relabelled(resolved, new)
    gone = {r["old_id"] for r in relabelled} | {r["new_id"] for r in relabelled}
    persisting = {f.id for f in new_analysis.findings if f.id in old_ids} | {r["new_id"] for r in relabelled}
    return {
        "resolved": [f.as_dict() for f in resolved if f.id not in gone],
        "new": [f.as_dict() for f in new if f.id not in gone],
        "persisting": [f.as_dict() for f in new_analysis.findings if f.id in persisting],
        "relabelled": relabelled,
    }


def _where(finding) -> tuple:
    """What a post finding is about, less the post's label: its rule, agency and forums."""
    evidence = finding.evidence
    lists = [evidence.get(k) for k in ("forums", "strategic_forums", "operational_forums")]
    forums = tuple(sorted({f for value in lists if isinstance(value, list) for f in value}))
    return finding.rule, evidence.get("agency", ""), forums, finding.subjects[:-1]


def _relabelled(resolved, new) -> list[dict]:
    """A post finding resolved and one new that differ only in the post's label (the same rule, agency and forums:
    "MD coordinator 1" became "MD coordinator 2"): the same problem, relabelled, neither resolved nor new."""
    posts = ("key_person", "burden")
    waiting = {}
    for finding in new:
        if finding.category in posts and finding.subjects:
            waiting.setdefault(_where(finding), []).append(finding)
    pairs = []
    for finding in resolved:
        if finding.category not in posts or not finding.subjects:
            continue
        match = waiting.get(_where(finding))
        if match and _where(finding)[2]:  # only where the forums show it is the same seat-holder's problem
            twin = match.pop(0)
            pairs.append({"old_id": finding.id, "new_id": twin.id, "rule": finding.rule,
                          "from": finding.subjects[-1], "to": twin.subjects[-1]})
    return pairs


def _people_in_many(landscape: Landscape) -> int:
    cohorts = landscape.cohorts
    if not len(cohorts):
        return 0
    per_person = cohorts.drop_duplicates(["forum_id", "person"]).groupby("person").size()
    return int((per_person >= 2).sum())


def _shown(n, suppress: bool) -> dict:
    return {"number": None if n is None else people_number(n, suppress),
            "shown": "" if n is None else people_count(n, suppress)}


def _figure(before, after, suppress: bool) -> dict:
    was, now = _shown(before, suppress), _shown(after, suppress)
    return {"before": was["number"], "after": now["number"], "before_shown": was["shown"], "after_shown": now["shown"]}


def _pairs(analysis) -> dict[tuple[str, str], int]:
    overlap = analysis.overlap
    ids = list(overlap.index)
    values = overlap.to_numpy()
    first, second = np.nonzero(np.triu(values, k=1))  # only the pairs sharing someone, without a loop over all pairs
    return {tuple(sorted((ids[i], ids[j]))): int(values[i, j]) for i, j in zip(first.tolist(), second.tolist())}


def _cohorts(old: Landscape, old_analysis, new: Landscape, new_analysis, suppress: bool) -> dict:
    """People discussed in two or more forums, overall and by pair of forums; case-list sizes by forum. Compared as
    counts: no person is matched across the snapshots."""
    before, after = _pairs(old_analysis), _pairs(new_analysis)
    pairs = []
    for pair in sorted(set(before) | set(after)):
        pairs.append({"forums": list(pair), **_figure(before.get(pair, 0), after.get(pair, 0), suppress)})
    sizes_before = old.cohorts.groupby("forum_id")["person"].nunique().to_dict() if len(old.cohorts) else {}
    sizes_after = new.cohorts.groupby("forum_id")["person"].nunique().to_dict() if len(new.cohorts) else {}
    case_lists = [{"forum_id": f, **_figure(sizes_before.get(f, 0), sizes_after.get(f, 0), suppress)}
                  for f in dict.fromkeys([*old.forum_ids, *new.forum_ids]) if sizes_before.get(f) or sizes_after.get(f)]
    section = {"in_two_or_more_forums": _figure(_people_in_many(old), _people_in_many(new), suppress),
               "pairs": pairs, "case_lists": case_lists}
    section["clusters"] = _cluster_figures(old, old_analysis, new, new_analysis, suppress)
    return section


def _people_in_many_of(landscape: Landscape, forums: set[str]) -> int:
    cohorts = landscape.cohorts
    cohorts = cohorts[cohorts["forum_id"].isin(forums)]
    if not len(cohorts):
        return 0
    return int((cohorts.drop_duplicates(["forum_id", "person"]).groupby("person").size() >= 2).sum())


def _cluster_figures(old: Landscape, old_analysis, new: Landscape, new_analysis, suppress: bool) -> list[dict]:
    """Clusters: forums joined by a cohort-overlap finding in either snapshot. For each, the people discussed in
    two or more of its forums, before and after."""
    import networkx as nx

    graph = nx.Graph()
    for analysis in (old_analysis, new_analysis):
        for finding in analysis.by_rule("cohort_overlap"):
            if len(finding.subjects) == 2:
                graph.add_edge(*finding.subjects)
    order = {f: i for i, f in enumerate(dict.fromkeys([*old.forum_ids, *new.forum_ids]))}
    clusters = sorted((sorted(c, key=lambda f: order.get(f, len(order))) for c in nx.connected_components(graph)),
                      key=lambda c: (-len(c), c))
    return [{"forums": c, **_figure(_people_in_many_of(old, set(c)), _people_in_many_of(new, set(c)), suppress)}
            for c in clusters]


def _round(landscape: Landscape) -> dict | None:
    from ..analyses.knowledge import round_state

    state = round_state(landscape)
    return None if state is None else {"round": state.round, "forms_sent": len(state.asked),
                                       "forms_returned": len(state.replied), "response_rate": round(state.rate, 3),
                                       "confidence": state.band}


def _link_status(landscape: Landscape) -> dict[tuple[str, str, str], str]:
    """(from, to, type) -> 'confirmed' (both ends' chairs reported it), 'one-sided' (one did; the other replied
    without reporting it) or 'unconfirmed' (the other did not reply), for the links a mapping round reported."""
    from ..analyses.knowledge import round_state

    state = round_state(landscape)
    replied = state.replied if state is not None else frozenset()
    status = {}
    for source, target, kind, reported in zip(landscape.links["from_forum"], landscape.links["to_forum"],
                                              landscape.links["type"], landscape.links["reported_by"]):
        ends = {f for f in (reported or ()) if f in (source, target)}
        if len(ends) == 2:
            status[(source, target, kind)] = "confirmed"
        elif ends:
            silent = target if source in ends else source
            status[(source, target, kind)] = "one-sided" if silent in replied else "unconfirmed"
    return status


def _link_shifts(old: Landscape, new: Landscape) -> dict:
    """Links whose chairs now both report them, links one chair no longer reports, and links one chair now reports
    that wait for the other end's chair, who did not reply to the newer round (neither confirmed nor denied)."""
    before, after = _link_status(old), _link_status(new)
    as_object = lambda key, s: {"from_forum": key[0], "to_forum": key[1], "type": key[2], "before": s}  # noqa: E731
    confirmed = [as_object(k, before.get(k, "not reported")) for k, s in sorted(after.items())
                 if s == "confirmed" and before.get(k) != "confirmed"]
    one_sided = [as_object(k, "confirmed") for k, s in sorted(after.items())
                 if s == "one-sided" and before.get(k) == "confirmed"]
    waiting = [as_object(k, before.get(k, "not reported")) for k, s in sorted(after.items())
               if s == "unconfirmed" and before.get(k) != "unconfirmed"]
    return {"links_now_confirmed": confirmed, "links_now_one_sided": one_sided, "links_awaiting_reply": waiting}


def knowledge_changes(old: Landscape, new: Landscape) -> dict | None:
    """Between two mapping rounds: the forums a chair now says they know meet, and those no longer said (with
    whether that chair replied to the newer round: if not, their silence is not evidence); links now confirmed by
    both chairs, and links now reported by one chair only."""
    from ..analyses.knowledge import known_pairs, round_state

    before, after = _round(old), _round(new)
    if before is None and after is None:
        return None
    old_pairs, new_pairs = known_pairs(old), known_pairs(new)
    state = round_state(new)
    replied = state.replied if state is not None else frozenset()
    as_objects = lambda pairs: [{"forum_id": a, "knows": b} for a, b in sorted(pairs)]  # noqa: E731
    return {"before": before, "after": after, "now_known": as_objects(new_pairs - old_pairs),
            "no_longer_known": [{**o, "replied": o["forum_id"] in replied} for o in as_objects(old_pairs - new_pairs)],
            **_link_shifts(old, new)}


def _snapshot(landscape: Landscape, analysis) -> dict:
    counts = landscape.counts()
    return {"source": landscape.source, "as_of": analysis.as_of.isoformat() if analysis.as_of else None,
            "forums": counts["forums"], "agencies": counts["agencies"], "seats": counts["seats"],
            "links": counts["links"], "findings": len(analysis.findings)}


def compare(old: Landscape, old_analysis, new: Landscape, new_analysis, *, suppress: bool | None = None,
            kind: str = "compare") -> Changes:
    """What changed from ``old`` to ``new``, each with its Analysis. Pure: nothing is written.

    ``suppress`` defaults to the newer analysis's setting; counts of people follow it."""
    suppress = new_analysis.suppress if suppress is None else bool(suppress)
    return Changes(
        kind=kind,
        before=_snapshot(old, old_analysis), after=_snapshot(new, new_analysis), suppressed=suppress,
        forums=_forums(old, new), agencies=_agencies(old, new), seats=_seats(old, new), posts=post_changes(old, new),
        sectors=_sectors(old, new), links=link_changes(old, new), findings=finding_changes(old_analysis, new_analysis),
        cohorts=_cohorts(old, old_analysis, new, new_analysis, suppress),
        responses=carried_responses(old, new, new_analysis), knowledge=knowledge_changes(old, new),
        extra={"warnings": comparison_warnings(old_analysis, new_analysis, kind)},
    )


def comparison_warnings(old_analysis, new_analysis, kind: str = "compare") -> list[str]:
    """What a reader must know before trusting a comparison of two snapshots: both dated the same day (the same
    round entered twice, or one not updated?)."""
    if kind != "compare" or old_analysis.as_of is None or old_analysis.as_of != new_analysis.as_of:
        return []
    return [f"Both snapshots are as of {old_analysis.as_of.isoformat()}: check that the newer one is a later round, "
            "not the same one saved twice, before reading anything below as change."]


def changes_document(changes: Changes) -> dict:
    """The content of ``changes.json`` (see ``mcn_map/schemas/changes.schema.json``)."""
    document = {
        "tool": "mcn-map", "version": __version__, "kind": changes.kind, "suppressed": changes.suppressed,
        "before": changes.before, "after": changes.after, "counts": changes.counts(),
        "forums": changes.forums, "agencies": changes.agencies, "seats": changes.seats, "posts": changes.posts,
        "sectors": changes.sectors, "links": changes.links, "findings": changes.findings,
        "cohorts": changes.cohorts, "responses": changes.responses,
    }
    if changes.extra.get("warnings"):
        document["warnings"] = list(changes.extra["warnings"])
    if changes.meeting_hours is not None:
        document["meeting_hours"] = changes.meeting_hours
    if changes.scenario is not None:
        document["scenario"] = changes.scenario
    if changes.knowledge is not None:
        document["knowledge"] = changes.knowledge
    if not changes.suppressed:
        document["stamp"] = UNSUPPRESSED_STAMP
    return document
