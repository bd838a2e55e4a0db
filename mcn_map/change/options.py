"""Options for the board: mergers suggested by the analysis, checked against what the analyses know, each evaluated
like any what-if.

Candidates come from the same findings a board reads: forums with near-identical membership
(``similar_membership``) and forums discussing many of the same people (``cohort_overlap`` pairs, and the clusters
they form). Before anything is evaluated, each candidate is checked against the national forum kinds
(:mod:`mcn_map.kinds`), and never proposed when it would

* end a statutory forum or merge it away into another body (a forum folded *into* a statutory one is proposed, and
  the option names the statute);
* merge forums whose national purposes differ (victims at MARAC, perpetrators at MATAC), or a forum about living
  people with one about people who have died;
* merge forums of different tiers (an operational case forum into a strategic board).

Each candidate left is applied to a copy, analysed and compared. What it would change is told in three parts:
**resolved** (the problem is fixed for the people concerned), **removed with the forum** (the forum that had the gap
is gone, which fixes nothing for its people) and **moved** (the problem is now the merged forum's); what the merged
forum would **lose** (a person's voice, a seniority level, a partner, a specialist purpose, links) is listed beside.
The merged forum's meeting-hours follow its case list (``[options] minutes_per_case``). Options that change the same
forum are alternatives, grouped as such. Options, not verdicts: see :data:`CAVEAT`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from ..analyses.common import forum_kinds
from ..loading.schema import FREQUENCY_PER_MONTH
from ..model import Landscape
from .scenario import VOICE_ORDER, Scenario, Step, try_scenario

__all__ = ["Option", "OptionList", "board_options", "candidate_scenarios", "barrier", "CAVEAT", "MAX_OPTIONS",
           "MAX_OPTION_FORUMS", "MAX_AREA_EVALUATIONS", "for_people"]

MAX_OPTIONS = 4  # a board weighs a handful of options, not a list
MAX_OPTION_FORUMS = 100  # above this the options are worked out area by area (the ``area`` column)
MAX_AREA_EVALUATIONS = 3  # at region scale: the most pressing candidate of this many areas is tried (each about
# two analyses of one area: the region build's budget), and every other area's is named, untried
CAVEAT = ("These are options, not verdicts. Merging or ending meetings changes the number of rooms, not how the "
          "system works: the borough review this toolkit follows warns that merging meetings alone does not fix a "
          "system built around professional concerns rather than the person.")
VOICE_WORDS = ("person", "representative")  # someone in the room for the person discussed
PAIR_RULES = ("similar_membership", "cohort_overlap")
# Findings about a group of people, whose subjects are the forums discussing most of them: after a merger the same
# people come back under other subjects (another id), which is the problem carried on, not resolved and new.
REGROUPED = ("people_in_many_forums", "overlap_cluster", "bouncing_cases", "long_running_cases")
SENIORITY_ORDER = ("practitioner", "service manager", "strategic lead", "executive")


@dataclass(frozen=True)
class Option:
    title: str  # says what happens: "Merge Dual Diagnosis into A&E Frequent Attenders: Dual Diagnosis ends"
    kind: str  # "merge"
    forums: tuple[str, ...]  # the kept forum first
    prompted_by: tuple[str, ...]  # ids of the findings that suggested it
    resolved: tuple[dict, ...]  # findings fixed for the people concerned
    removed_with_forum: tuple[dict, ...]  # findings about a forum that ends: gone with it, fixed for no one
    moved: tuple[dict, ...]  # findings that become the merged forum's (the same problem under the kept forum)
    new: tuple[dict, ...]  # findings that would appear and were not there before
    hours_freed: float
    hours: dict  # how the meeting-hours were worked out (before, after, discussions taken on, minutes per case)
    loses: tuple[str, ...]  # plain-English sentences
    statutory: tuple[str, ...] = ()  # what the law says about a forum this option touches
    alternatives: str = ""  # options sharing a forum share this label ("A", "B", ...): choose one of them
    area: str = ""
    scenario: Scenario | None = None

    @property
    def ends(self) -> tuple[str, ...]:
        return self.forums[1:]

    @property
    def resolves(self) -> tuple[dict, ...]:
        """What it fixes for people (the ``resolved`` part alone)."""
        return self.resolved


class OptionList(list):
    """The options, best first, with the candidates that were not proposed and why (``ruled_out``: a list of
    {"forums", "reason"}), so a partnership lead can say why an obvious merger is not on the list."""

    def __init__(self, options=(), ruled_out=(), note: str = "", untried=()) -> None:
        super().__init__(options)
        self.ruled_out = list(ruled_out)
        self.note = note
        self.untried = list(untried)  # at region scale: {"area", "title", "forums"} of each area's untried candidate


def _merge(forums, into, title) -> Scenario:
    return Scenario("board option", title, "", (Step("merge", 1, {"forums": list(forums), "into": into}),))


def _title(landscape: Landscape, lead: str, others) -> str:
    name = landscape.forum_name
    listed = _and([name.get(f, f) for f in others])
    verb = "ends" if len(others) == 1 else "end"
    return f"Merge {listed} into {name.get(lead, lead)}: {listed} {verb}"


def _and(words) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def barrier(landscape: Landscape, forums, lead: str, kinds: dict | None = None) -> str:
    """Why merging ``forums`` into ``lead`` is never proposed, in a sentence; "" when nothing rules it out.
    ``kinds``: the forums' kinds (:func:`~mcn_map.analyses.common.forum_kinds`), when the caller has them."""
    kinds = forum_kinds(landscape) if kinds is None else kinds
    name, level = landscape.forum_name, landscape.forum_level
    for forum in forums:
        kind = kinds.get(forum)
        if forum != lead and kind and kind.statutory:
            return (f"{name.get(forum, forum)} is a statutory {kind.label} ({kind.statute}): a local board can reshape "
                    "it within what the law requires, not end it or merge it away.")
    if len({level.get(f, "") for f in forums}) > 1:
        return "they sit at different tiers: " + "; ".join(f"{name.get(f, f)} is {level.get(f)}" for f in forums) + "."
    unknown = [f for f in forums if f not in kinds]
    specialist = [f for f in forums if f in kinds and kinds[f].specialist]
    if unknown and specialist:  # a narrow national purpose: only a forum known to share it may join
        forum = specialist[0]
        kind = kinds[forum]
        law = f", statutory under the {kind.statute}," if kind.statutory else ""
        return (f"{_called(landscape, forum, kind)}{law} exists for {kind.purpose}; nothing shows that "
                f"{_and([name.get(f, f) for f in unknown])} {'has' if len(unknown) == 1 else 'have'} that purpose "
                "(set its kind in the forums sheet if it does).")
    known = [(f, kinds[f]) for f in forums if f in kinds]
    for i, (a, kind_a) in enumerate(known):
        for b, kind_b in known[i + 1:]:
            if not kind_a.may_combine(kind_b):
                return (f"{_called(landscape, a, kind_a)} ({kind_a.purpose}) and {_called(landscape, b, kind_b)} "
                        f"({kind_b.purpose}) have different national purposes: the same agencies is not the same job.")
    deceased = [f for f, k in known if not k.discusses_living]
    if deceased and len(deceased) < len(forums):
        living = [f for f in forums if f not in deceased]
        return (f"{_and([name.get(f, f) for f in deceased])} reviews people who have died; "
                f"{_and([name.get(f, f) for f in living])} discuss{'es' if len(living) == 1 else ''} living people.")
    return ""


def _called(landscape: Landscape, forum: str, kind) -> str:
    """"Northtown Panel (Channel Panel)", but "MARAC", not "MARAC (MARAC)"."""
    label = landscape.forum_name.get(forum, forum)
    return label if kind.label.lower() in label.lower() else f"{label} ({kind.label})"


def _lead(forums, sizes: dict, seats: dict, order: dict, kinds: dict) -> str:
    """The forum that carries on: a statutory one if there is one, else the largest case list, else most seats,
    else the first in the workbook."""
    return min(forums, key=lambda f: (not (f in kinds and kinds[f].statutory), -sizes.get(f, 0), -seats.get(f, 0),
                                      order.get(f, 0)))


def _seat_counts(landscape: Landscape) -> dict[str, int]:
    return landscape.seats["forum_id"].value_counts().to_dict()


def _order(landscape: Landscape) -> dict[str, int]:
    return {f: i for i, f in enumerate(landscape.forum_ids)}


def _groups(landscape: Landscape, analysis) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(forums, prompting finding ids) for each pair the rules flagged and each cluster those pairs form."""
    status = landscape.forum_status
    pairs: dict[frozenset, list[str]] = {}
    for finding in analysis.findings:
        if finding.rule in PAIR_RULES and len(finding.subjects) == 2:
            pairs.setdefault(frozenset(finding.subjects), []).append(finding.id)
        elif finding.rule in ("overlap_cluster", "similar_membership"):  # a group holds its pairs in its evidence
            for pair in finding.evidence.get("pairs", []):
                pairs.setdefault(frozenset(pair["forums"]), []).append(finding.id)
    level = landscape.forum_level
    # Only active forums at one tier are candidates: a case forum and a board are not one meeting.
    pairs = {p: ids for p, ids in pairs.items() if all(status.get(f) == "active" for f in p)
             and len({level.get(f) for f in p}) == 1}
    graph = nx.Graph()
    for pair, ids in pairs.items():
        graph.add_edge(*sorted(pair), findings=ids)
    order = _order(landscape)
    groups = [(tuple(sorted(p, key=order.get)), tuple(dict.fromkeys(ids))) for p, ids in pairs.items()]
    for component in nx.connected_components(graph):
        if len(component) > 2:
            ids = [i for _, _, d in graph.subgraph(component).edges(data=True) for i in d["findings"]]
            groups.append((tuple(sorted(component, key=order.get)), tuple(dict.fromkeys(ids))))
    return groups


def candidate_scenarios(landscape: Landscape, analysis):
    """(kind, forums with the kept forum first, prompting finding ids, scenario) for each candidate nothing rules
    out, the most pressing first, and the ruled-out ones as {"forums", "reason"}."""
    sizes = _case_list_sizes(analysis)
    weight = {f.id: (("high", "medium", "low").index(f.severity), -f.impact) for f in analysis.findings}
    candidates, ruled_out = [], []
    seats, order, kinds = _seat_counts(landscape), _order(landscape), forum_kinds(landscape)
    for forums, prompted in _groups(landscape, analysis):
        lead = _lead(forums, sizes, seats, order, kinds)
        group = (lead, *[f for f in forums if f != lead])
        reason = barrier(landscape, group, lead, kinds)
        if reason:
            ruled_out.append({"forums": list(group), "reason": reason})
            continue
        candidates.append(("merge", group, prompted, _merge(group, lead, _title(landscape, lead, group[1:]))))
    candidates.sort(key=lambda c: (min((weight.get(i, (3, 0)) for i in c[2]), default=(3, 0)), len(c[1]), c[1]))
    return candidates, ruled_out


def _case_list_sizes(analysis) -> dict[str, int]:
    if not len(analysis.overlap):
        return {}
    return dict(zip(analysis.overlap.index, analysis.overlap.to_numpy().diagonal().tolist()))


# -- what it changes ---------------------------------------------------------------------------------------------

# A merger moves these problems into the kept forum rather than fixing them: people discussed again and again are
# discussed as often there; seats that rarely attend attend as rarely (the kept forum's average only mixes in others).
CARRIED_WITH_PEOPLE_OR_SEATS = frozenset({"repeat_discussion", "low_forum_attendance", "low_seat_attendance"})


def _sorted_changes(landscape: Landscape, forums, changes, freed: float) -> dict[str, list[dict]]:
    """The resolved findings split into resolved / removed with the forum / moved, and the new ones less those moved.
    A meeting-hours finding counts as resolved only when the option frees hours once the merged forum's longer
    meetings are counted (``freed``); otherwise the time has moved, not gone."""
    lead, ends = forums[0], set(forums[1:])
    group = set(forums)
    ids = set(landscape.forum_ids)
    # The option changes these forums' seats, case lists and links only: a finding about none of them that appears
    # or disappears is the same problem told another way (a pair now told inside a cluster), not resolved or new.
    seated = set(landscape.seats.loc[landscape.seats["forum_id"].isin(group), "agency_id"])  # their loads change
    touched = lambda f: bool(set(f["subjects"]) & (group | seated))  # noqa: E731
    new = list(changes["findings"]["new"])
    resolved, removed, moved = [], [], []
    for finding in filter(touched, changes["findings"]["resolved"]):
        about = [s for s in finding["subjects"] if s in ids]
        regrouped = next((n for n in new if n["rule"] == finding["rule"] and n["rule"] in REGROUPED), None)
        if regrouped is not None:  # the same people, counted again over the merged forums: not fixed
            new.remove(regrouped)
            moved.append(finding)
        elif finding["category"] == "burden" and freed <= 0:
            moved.append(finding)
        elif finding["rule"] in CARRIED_WITH_PEOPLE_OR_SEATS and set(about) & group:
            moved.append(finding)  # the same people discussed as often, the same seats attending as before
        elif not set(about) & ends:
            resolved.append(finding)  # about the kept forum (or people at it), and gone
        elif finding["category"] == "duplication" and set(about) <= group:
            resolved.append(finding)  # the people are now discussed in one room
        else:
            _carried_or_removed(finding, lead, ends, new, moved, removed)
    return {"resolved": resolved, "removed": removed, "moved": moved, "new": [n for n in new if touched(n)]}


def _carried_or_removed(finding, lead, ends, new, moved, removed) -> None:
    """A finding about a forum that ends: the same problem under the kept forum (its twin among the new findings is
    then not new), the same people now shared with the kept forum, or gone with the forum."""
    mapped = {lead if s in ends else s for s in finding["subjects"]}
    twin = next((n for n in new if n["rule"] == finding["rule"] and set(n["subjects"]) == mapped), None)
    # A pattern across forums (no voice at 3 of 11) losing one forum splits into the others' own findings: they are
    # the same gaps, carried on, not new problems.
    parts = [n for n in new if n["rule"] == finding["rule"] and len(finding["subjects"]) > 1
             and set(n["subjects"]) < set(finding["subjects"]) | {lead}]
    if twin is not None or parts:
        for carried in ([twin] if twin is not None else []) + [p for p in parts if p is not twin]:
            new.remove(carried)
        moved.append(finding)
    elif finding["category"] == "duplication":
        moved.append(finding)  # the same people, now shared with the kept forum
    else:
        removed.append(finding)


def _discussions_per_month(landscape: Landscape, forums, as_of) -> float:
    """Discussions a month (a person discussed in a month counts once) across ``forums``, over the year to ``as_of``
    or the part of it the case lists cover."""
    cohorts = landscape.cohorts
    dated = cohorts[cohorts["discussed_on"].notna()]
    if dated.empty:
        return 0.0
    end = pd.Timestamp(as_of) if as_of is not None else dated["discussed_on"].max()
    start = max(end - pd.Timedelta(days=365), dated["discussed_on"].min() - pd.Timedelta(days=1))
    rows = dated[dated["forum_id"].isin(list(forums)) & (dated["discussed_on"] > start)
                 & (dated["discussed_on"] <= end)]
    if rows.empty:
        return 0.0
    months = max(1.0, (end - start).days / (365 / 12))
    person_months = pd.DataFrame({"p": rows["person"].to_numpy(),
                                  "m": rows["discussed_on"].dt.to_period("M").to_numpy()}).drop_duplicates()
    return float(len(person_months)) / months


def meeting_hours(landscape: Landscape, changed: Landscape, forums, analysis) -> dict:
    """Meeting-hours a month of everyone at ``forums`` before, and at the merged forum after, its meetings lengthened
    by ``minutes_per_case`` for each discussion a month it takes on (people discussed at both in a month: once)."""
    config = analysis.config
    lead = forums[0]
    frequency = dict(zip(landscape.forums["forum_id"], landscape.forums["frequency"]))

    def meeting(forum):  # hours per month of one seat at the forum as it is
        per_month = FREQUENCY_PER_MONTH.get(frequency.get(forum) or config.burden.default_frequency, 1.0)
        return per_month * float(config.burden.duration_hours.get(landscape.forum_level.get(forum), 0.0))

    seats_before = landscape.seats["forum_id"].value_counts()
    before = sum(seats_before.get(f, 0) * meeting(f) for f in forums)
    taken_on = max(0.0, _discussions_per_month(landscape, forums, analysis.as_of)
                   - _discussions_per_month(landscape, [lead], analysis.as_of))
    minutes = float(config.options.minutes_per_case)
    merged_meeting = meeting(lead) + taken_on * minutes / 60
    seats_after = int((changed.seats["forum_id"] == lead).sum())
    after = seats_after * merged_meeting
    before, after = float(before), float(after)
    return {"before": round(before, 1), "after": round(after, 1), "freed": round(before - after, 1),
            "discussions_taken_on_per_month": round(taken_on, 1), "minutes_per_case": minutes,
            "merged_forum_hours_per_month": round(merged_meeting, 2), "seats_after": seats_after}


def _losses(landscape: Landscape, forums: tuple[str, ...], changed: Landscape, changes) -> list[str]:
    return [*_lost_voice(landscape, forums), *_lost_seniority(landscape, forums), *_lost_partners(landscape, forums),
            *_lost_purpose(landscape, forums), *_lost_links(landscape, forums, changed, changes)]


def _lost_voice(landscape: Landscape, forums) -> list[str]:
    name, lead = landscape.forum_name, forums[0]
    voice = dict(zip(landscape.forums["forum_id"], landscape.forums["person_voice"]))
    rank = {v: i for i, v in enumerate(VOICE_ORDER)}
    better = [f for f in forums[1:] if voice.get(f) in VOICE_WORDS
              and rank.get(voice.get(f), 0) > rank.get(voice.get(lead), 0)]
    if not better:
        return []
    return [f"Person voice: {_and([name.get(f, f) for f in better])} ha{'s' if len(better) == 1 else 've'} the "
            f"person, or someone speaking for them, in the room and {name.get(lead, lead)} does not: the merged "
            "forum keeps that voice only if it takes it on."]


def _lost_seniority(landscape: Landscape, forums) -> list[str]:
    name, lead = landscape.forum_name, forums[0]
    seats = landscape.seats
    at_lead = set(seats.loc[seats["forum_id"] == lead, "seniority"]) - {""}
    lines = []
    for forum in forums[1:]:
        levels = [s for s in SENIORITY_ORDER if s in set(seats.loc[seats["forum_id"] == forum, "seniority"])
                  and s not in at_lead]
        if levels:
            lines.append(f"Seniority: {name.get(forum, forum)} has {_and(['a ' + s for s in levels])} in the room and "
                         f"{name.get(lead, lead)} has none at {'that level' if len(levels) == 1 else 'those levels'}: "
                         "decisions that need them would wait.")
    return lines


def _lost_partners(landscape: Landscape, forums) -> list[str]:
    name, agency = landscape.forum_name, landscape.agency_name
    seats = landscape.seats[landscape.seats["forum_id"].isin(forums)]
    on = seats.groupby("agency_id")["forum_id"].agg(lambda s: sorted(set(s)))
    single = [(a, f[0]) for a, f in on.items() if len(f) == 1]
    if not single:
        return []
    listed = "; ".join(f"{agency.get(a, a)} ({name.get(f, f)})" for a, f in single[:6])
    more = f" and {len(single) - 6} more" if len(single) > 6 else ""
    many = len(single) != 1
    return [f"Partners: {len(single)} partner{'s sit' if many else ' sits'} on only one of these forums and would "
            f"sit through the others' business, or step back: {listed}{more}."]


def _lost_purpose(landscape: Landscape, forums) -> list[str]:
    name, lead = landscape.forum_name, forums[0]
    kinds = forum_kinds(landscape)
    purposes = dict(zip(landscape.forums["forum_id"], landscape.forums["purpose"])) if "purpose" in landscape.forums \
        else {}
    lines = []
    for forum in forums[1:]:
        kind = kinds.get(forum)
        if kind and (lead not in kinds or kinds[lead].key != kind.key):
            lines.append(f"Specialist purpose: {name.get(forum, forum)} is a forum of the kind \"{kind.label}\" "
                         f"({kind.purpose}); in "
                         f"{name.get(lead, lead)} it becomes one item on a wider agenda.")
        elif purposes.get(forum) and purposes.get(forum) != purposes.get(lead):
            lines.append(f"Specialist purpose: {name.get(forum, forum)} is for {purposes[forum].rstrip('.')}; in "
                         f"{name.get(lead, lead)} it becomes one item on a wider agenda.")
    return lines


def _lost_links(landscape: Landscape, forums, changed: Landscape, changes) -> list[str]:
    """A link between the tiers is lost when it is removed and not re-pointed at the kept forum."""
    name, lead = landscape.forum_name, forums[0]
    kept = set(zip(changed.links["from_forum"], changed.links["to_forum"], changed.links["type"]))

    def repointed(x):
        a, b = (lead if f in forums else f for f in (x["from_forum"], x["to_forum"]))
        return a == b or (a, b, x["type"]) in kept

    tier_links = [x for x in changes["links"]["removed"] if not repointed(x)
                  and landscape.forum_level.get(x["from_forum"]) != landscape.forum_level.get(x["to_forum"])]
    via = changes["posts"]["links_via_posts_that_left"]
    if not (tier_links or via):
        return []
    n = len(tier_links) + len(via)
    listed = "; ".join(f"{name.get(x['from_forum'], x['from_forum'])} {x['type'].replace('_', ' ')} "
                       f"{name.get(x['to_forum'], x['to_forum'])}" + (f" via {x['via_post']}" if x.get("via_post")
                                                                     else "") for x in (tier_links + via)[:3])
    return [f"Links: {n} link{'s' if n != 1 else ''} between forums would have to be re-made or carried by another "
            f"post ({listed}{' ...' if n > 3 else ''})."]


def _statutory_notes(landscape: Landscape, forums) -> list[str]:
    kinds = forum_kinds(landscape)
    lead = forums[0]
    kind = kinds.get(lead)
    if not (kind and kind.statutory):
        return []
    name = landscape.forum_name
    note = (f"{name.get(lead, lead)} is a statutory {kind.label} ({kind.statute}): it carries on with the membership "
            f"the law requires, and {_and([name.get(f, f) for f in forums[1:]])} would become part of its business.")
    return [note + (f" The law allows a joint arrangement: {kind.joint}." if kind.joint else "")]


def _option(landscape: Landscape, analysis, kind, forums, prompted, scenario, area: str = "") -> Option:
    changed, _, changes = try_scenario(landscape, analysis, scenario)
    hours = meeting_hours(landscape, changed, forums, analysis)
    parts = _sorted_changes(landscape, forums, changes, hours["freed"])
    return Option(title=scenario.title, kind=kind, forums=forums, prompted_by=prompted,
                  resolved=tuple(parts["resolved"]), removed_with_forum=tuple(parts["removed"]),
                  moved=tuple(parts["moved"]), new=tuple(parts["new"]), hours_freed=hours["freed"], hours=hours,
                  loses=tuple(_losses(landscape, forums, changed, changes)),
                  statutory=tuple(_statutory_notes(landscape, forums)), area=area, scenario=scenario)


def for_people(option: Option) -> list[dict]:
    """The problems an option resolves for the people concerned: all it resolves but an agency's meeting load, which
    is time freed, not a problem fixed for anyone discussed."""
    return [f for f in option.resolved if f["category"] != "burden"]


def _with_alternatives(options: list[Option]) -> list[Option]:
    """Options changing the same forum are alternatives: each such group gets a letter, in the order listed."""
    from dataclasses import replace

    graph = nx.Graph()
    for i, option in enumerate(options):
        graph.add_node(i)
        for j in range(i):
            if set(option.forums) & set(options[j].forums):
                graph.add_edge(i, j)
    labels = {}
    for component in sorted((c for c in nx.connected_components(graph) if len(c) > 1), key=min):
        letter = chr(ord("A") + len(set(labels.values())))
        labels.update({i: letter for i in component})
    return [replace(o, alternatives=labels.get(i, "")) for i, o in enumerate(options)]


def _best(options: list[Option], limit: int) -> list[Option]:
    options.sort(key=lambda o: (-len(for_people(o)), len(o.new), -o.hours_freed, o.title))
    return _with_alternatives(options[:limit])


def board_options(landscape: Landscape, analysis, *, limit: int = MAX_OPTIONS) -> OptionList:
    """Evaluate the candidates nothing rules out and return up to ``limit`` options, those resolving most for people
    first, with the ruled-out candidates in ``.ruled_out``. Above ``MAX_OPTION_FORUMS`` forums the candidates are
    found and tried area by area (see :func:`area_options`).

    Pure: each option is applied to a copy and analysed with ``analysis``'s settings; nothing is written."""
    if len(landscape.forums) > MAX_OPTION_FORUMS:
        return area_options(landscape, analysis, limit=limit)
    candidates, ruled_out = candidate_scenarios(landscape, analysis)
    # Each evaluation is two analyses: the most pressing ``limit`` candidates are tried (the build's time budget).
    options = [_option(landscape, analysis, *candidate) for candidate in candidates[:limit]]
    return OptionList(_best(_fixing(options, ruled_out, landscape), limit), ruled_out)


def _fixing(options: list[Option], ruled_out: list[dict], landscape: Landscape) -> list[Option]:
    """The options that resolve something for people; one that only makes gaps disappear with a forum is no advice,
    and is listed as not proposed, saying so."""
    kept = []
    for option in options:
        if option.resolved:
            kept.append(option)
            continue
        gone = len(option.removed_with_forum)
        ruled_out.append({"forums": list(option.forums), "reason": (
            "tried on a copy, it would resolve nothing for the people concerned"
            + (f"; {gone} finding{'s' if gone != 1 else ''} would only disappear with the forum" if gone else "")
            + ".")})
    return kept


def _area_landscape(landscape: Landscape, forums: list[str]) -> Landscape:
    from dataclasses import replace

    keep = set(forums)
    links = landscape.links
    return replace(landscape, forums=landscape.forums[landscape.forums["forum_id"].isin(keep)].reset_index(drop=True),
                   seats=landscape.seats[landscape.seats["forum_id"].isin(keep)].reset_index(drop=True),
                   cohorts=landscape.cohorts[landscape.cohorts["forum_id"].isin(keep)].reset_index(drop=True),
                   links=links[links["from_forum"].isin(keep) & links["to_forum"].isin(keep)].reset_index(drop=True),
                   source=landscape.source, warnings=())


def area_options(landscape: Landscape, analysis, *, limit: int = MAX_OPTIONS) -> OptionList:
    """Options for a landscape too large to evaluate whole: each candidate (found from the whole analysis) whose
    forums all lie in one area is tried on that area alone, the most pressing candidate of each area, at most
    ``MAX_AREA_EVALUATIONS`` areas; the best ``limit`` overall are returned, each naming its area."""
    from ..analyses.run import analyse

    if "area" not in landscape.forums:
        return OptionList([], [], "No area column: options are generated per area above "
                                  f"{MAX_OPTION_FORUMS} forums; test a proposal with `mcn-map whatif`.")
    area_of = dict(zip(landscape.forums["forum_id"], landscape.forums["area"]))
    candidates, ruled_out = candidate_scenarios(landscape, analysis)
    first: dict[str, tuple] = {}
    for candidate in candidates:
        areas = {area_of.get(f, "") for f in candidate[1]}
        if len(areas) == 1 and "" not in areas:
            first.setdefault(areas.pop(), candidate)
    options = []
    tried = list(first.items())[:MAX_AREA_EVALUATIONS]
    for area, candidate in tried:
        part = _area_landscape(landscape, [f for f, a in area_of.items() if a == area])
        baseline = analyse(part, analysis.config, analysis.as_of, suppress=analysis.suppress, measures=False)
        options.append(_option(part, baseline, *candidate, area=area))
    options = _fixing(options, ruled_out, landscape)
    untried = [{"area": area, "title": c[3].title, "forums": list(c[1])} for area, c in
               list(first.items())[MAX_AREA_EVALUATIONS:]]
    areas = len(set(area_of.values()) - {""})
    note = (f"{len(landscape.forums):,} forums in {areas} areas: each area's most pressing merger was found from the "
            f"whole analysis; the {len(tried)} most pressing were tried on their area alone and are shown below"
            + (f"; the other {len(untried)} areas' are named under \"Not yet tried\", to test with "
               "`mcn-map whatif`" if untried else "") + ".")
    return OptionList(_best(options, limit), ruled_out, note, untried)
