"""Options for the board: candidate scenarios generated from the analysis, each evaluated like any what-if.

Candidates come from forums with near-identical membership (``similar_membership``: merge the second into the first,
as its suggestion says) and from clusters of forums discussing many of the same people (``cohort_overlap`` pairs
joined into groups: bring their case discussions into one lead forum, the one with the largest case list). Each is
applied, analysed and compared, and reported with what it would resolve, the meeting-hours it would free and what it
would lose. Options, not verdicts: see :data:`CAVEAT`.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from ..model import Landscape
from .scenario import Scenario, Step, try_scenario

__all__ = ["Option", "board_options", "candidate_scenarios", "CAVEAT", "MAX_OPTIONS", "MAX_OPTION_FORUMS"]

MAX_OPTIONS = 4  # a board weighs a handful of options, not a list
MAX_OPTION_FORUMS = 100  # above this each evaluation re-runs every analysis on a large landscape: use `whatif`
CAVEAT = ("These are options, not verdicts. Merging or ending meetings changes the number of rooms, not how the "
          "system works: the borough review this toolkit follows warns that merging meetings alone does not fix a "
          "system built around professional concerns rather than the person.")
VOICE_WORDS = ("person", "representative")  # someone in the room for the person discussed


@dataclass(frozen=True)
class Option:
    title: str
    kind: str  # "merge" | "lead forum"
    forums: tuple[str, ...]  # the lead (kept) forum first
    prompted_by: tuple[str, ...]  # ids of the findings that suggested it
    resolves: tuple[dict, ...]  # finding objects that would no longer be found
    new: tuple[dict, ...]  # finding objects that would appear
    hours_freed: float
    loses: tuple[str, ...]  # plain-English sentences
    scenario: Scenario


def _merge(forums, into, title) -> Scenario:
    return Scenario("board option", title, "", (Step("merge", 1, {"forums": list(forums), "into": into}),))


def candidate_scenarios(landscape: Landscape, analysis) -> list[tuple[str, tuple[str, ...], tuple[str, ...], Scenario]]:
    """(kind, forums with the lead first, prompting finding ids, scenario) for each candidate, most specific first."""
    name = landscape.forum_name
    candidates, seen = [], set()
    for finding in analysis.by_rule("similar_membership"):
        lead, other = finding.subjects[0], finding.subjects[1]
        group = (lead, other)
        seen.add(frozenset(group))
        candidates.append(("merge", group, (finding.id,),
                           _merge(group, lead, f"Merge {name.get(other, other)} into {name.get(lead, lead)}")))
    overlap = [f for f in analysis.by_rule("cohort_overlap") if len(f.subjects) == 2]
    graph = nx.Graph()
    for finding in overlap:
        graph.add_edge(*finding.subjects, finding=finding.id)
    for finding in analysis.by_rule("overlap_cluster"):  # a cluster holds its pairs in its evidence
        for pair in finding.evidence.get("pairs", []):
            graph.add_edge(*pair["forums"], finding=finding.id)
    sizes = analysis.overlap.to_numpy().diagonal() if len(analysis.overlap) else []
    size = dict(zip(analysis.overlap.index, sizes))
    status = landscape.forum_status
    for component in sorted(nx.connected_components(graph), key=lambda c: (-len(c), sorted(c))):
        forums = [f for f in landscape.forum_ids if f in component and status.get(f) == "active"]
        if len(forums) < 2 or frozenset(forums) in seen:
            continue
        seen.add(frozenset(forums))
        lead = max(forums, key=lambda f: (size.get(f, 0), -forums.index(f)))
        group = (lead, *[f for f in forums if f != lead])
        ids = tuple(dict.fromkeys(d["finding"] for a, b, d in graph.subgraph(component).edges(data=True)))
        others = ", ".join(name.get(f, f) for f in group[1:])
        candidates.append(("lead forum", group, ids, _merge(
            group, lead, f"One lead forum for the people {name.get(lead, lead)} shares with {others}")))
    return candidates


def _losses(landscape: Landscape, forums: tuple[str, ...], changed: Landscape, changes) -> list[str]:
    name, agency = landscape.forum_name, landscape.agency_name
    seats = landscape.seats[landscape.seats["forum_id"].isin(forums)]
    on = seats.groupby("agency_id")["forum_id"].agg(lambda s: sorted(set(s)))
    losses = []
    single = [(a, f[0]) for a, f in on.items() if len(f) == 1]
    if single:
        listed = "; ".join(f"{agency.get(a, a)} ({name.get(f, f)})" for a, f in single[:6])
        more = f" and {len(single) - 6} more" if len(single) > 6 else ""
        many = len(single) != 1
        losses.append(f"{len(single)} partner{'s sit' if many else ' sits'} on only one of these forums and would "
                      f"sit through the others' business, or step back: {listed}{more}.")
    voice = landscape.forums.set_index("forum_id")["person_voice"]
    present = {f: voice.get(f, "") for f in forums}
    with_voice = [f for f, v in present.items() if v in VOICE_WORDS]
    without = [f for f, v in present.items() if v not in VOICE_WORDS]
    if with_voice and without:
        losses.append(f"{', '.join(name.get(f, f) for f in with_voice)} "
                      f"ha{'s' if len(with_voice) == 1 else 've'} the person, or someone speaking for them, in the "
                      f"room; {', '.join(name.get(f, f) for f in without)} "
                      f"do{'es' if len(without) == 1 else ''} not: that voice is lost unless the merged forum keeps it.")
    # A link between the tiers is lost when it is removed and not re-pointed at the lead forum.
    lead = forums[0]
    kept = set(zip(changed.links["from_forum"], changed.links["to_forum"], changed.links["type"]))

    def repointed(x):
        a, b = (lead if f in forums else f for f in (x["from_forum"], x["to_forum"]))
        return a == b or (a, b, x["type"]) in kept

    tier_links = [x for x in changes["links"]["removed"] if not repointed(x)
                  and landscape.forum_level.get(x["from_forum"]) != landscape.forum_level.get(x["to_forum"])]
    via = changes["posts"]["links_via_posts_that_left"]
    if tier_links or via:
        n = len(tier_links) + len(via)
        losses.append(f"{n} link{'s' if n != 1 else ''} between forums would have to be re-made or carried by "
                      "another post (" + "; ".join(
                          f"{name.get(x['from_forum'], x['from_forum'])} {x['type'].replace('_', ' ')} "
                          f"{name.get(x['to_forum'], x['to_forum'])}" + (f" via {x['via_post']}" if x.get("via_post")
                                                                        else "") for x in (tier_links + via)[:3])
                      + (" ..." if n > 3 else "") + ").")
    purposes = landscape.forums.set_index("forum_id")["purpose"] if "purpose" in landscape.forums else None
    if purposes is not None and len({purposes.get(f, "") for f in forums} - {""}) > 1:
        losses.append("Their purposes differ (" + "; ".join(
            f"{name.get(f, f)}: {purposes.get(f)}" for f in forums if purposes.get(f)) + "): one agenda would have to "
            "hold them all.")
    weak = [f for f in changes["findings"]["new"] if f["category"] in ("weak_link", "key_person", "person_voice",
                                                                   "missing_partner")]
    for finding in weak[:3]:
        losses.append(f"New problem: {finding['message']}")
    return losses


def board_options(landscape: Landscape, analysis, *, limit: int = MAX_OPTIONS) -> list[Option]:
    """Evaluate the candidate scenarios and return up to ``limit`` options, those resolving most first.

    Pure: each option is applied to a copy and analysed with ``analysis``'s settings; nothing is written."""
    if len(landscape.forums) > MAX_OPTION_FORUMS:
        return []
    options = []
    for kind, forums, prompted, scenario in candidate_scenarios(landscape, analysis)[: limit * 2]:
        changed, _, changes = try_scenario(landscape, analysis, scenario)
        options.append(Option(
            title=scenario.title, kind=kind, forums=forums, prompted_by=prompted,
            resolves=tuple(changes["findings"]["resolved"]), new=tuple(changes["findings"]["new"]),
            hours_freed=float(changes["meeting_hours"]["freed"]), loses=tuple(_losses(landscape, forums, changed, changes)),
            scenario=scenario))
    options.sort(key=lambda o: (-len(o.resolves), -o.hours_freed, o.title))
    return options[:limit]
