"""Weak links between the tiers: operational groups cut off from strategic ones, and strategic groups winding down.

A route is a chain of ``escalates_to`` / ``reports_to`` links (configurable), through tactical groups if need be;
only active forums pass an issue on.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from ..config import Config
from ..memo import Memo, memo_for
from ..model import Landscape
from ..loading.schema import FREQUENCY_DAYS
from .common import active_ids, active_seats, as_of_date, input_order, name, names, route_graph
from .common import people as common_people
from .findings import Finding, make_finding

__all__ = ["last_activity", "any_link_chain", "no_route_to_strategic", "no_feedback", "no_shared_seat", "strategic_winding_down", "strategic_unfed",
           "forum_not_meeting", "strategic_reached"]


def strategic_reached(landscape: Landscape, config: Config, forum_id: str, memo: Memo | None = None) -> list[str]:
    """The strategic forums a forum's issues first reach along its routes (not looking past a strategic forum)."""
    graph = route_graph(landscape, config, memo=memo)
    level = landscape.forum_level
    reached, seen, frontier = [], {forum_id}, [forum_id]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph.successors(node)):
                if target in seen:
                    continue
                seen.add(target)
                if level.get(target) == "strategic":
                    reached.append(target)
                else:
                    following.append(target)
        frontier = following
    return list(input_order(landscape, reached, memo=memo))


def _routed_from_operational(landscape: Landscape, config: Config, forum_id: str, memo: Memo | None = None) -> list[str]:
    graph = route_graph(landscape, config, memo=memo)
    operational = set(active_ids(landscape, "operational"))
    return list(input_order(landscape, nx.ancestors(graph, forum_id) & operational, memo=memo))


def any_link_chain(landscape: Landscape, config: Config) -> nx.DiGraph:
    """Every link leaving an active forum but feedback (which runs down, not up): a forum that refers to another
    that reports to the board has a route up, if not one of its own."""
    graph = nx.DiGraph()
    graph.add_nodes_from(landscape.forum_ids)
    links = landscape.links
    links = links[~links["type"].isin(config.links.feedback_types)]
    status = landscape.forum_status
    graph.add_edges_from((a, b) for a, b in zip(links["from_forum"], links["to_forum"])
                         if status.get(a) == "active" and a != b)
    return graph


def no_route_to_strategic(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """An active operational forum with no chain of links (of any type but feedback, through any forums) to an
    active strategic forum. A forum reaching one only through a link that is not a route (``refers_to``) is not
    flagged: its route runs through another forum, and the chain is in no finding to contradict."""
    graph = route_graph(landscape, config, memo=memo)
    chains = any_link_chain(landscape, config)
    strategic = set(active_ids(landscape, "strategic"))
    findings = []
    for forum in active_ids(landscape, "operational"):
        if nx.descendants(graph, forum) & strategic or nx.descendants(chains, forum) & strategic:
            continue
        checked = sorted(set(nx.descendants(chains, forum)))
        through = f" (its links reach only {names(landscape, input_order(landscape, checked))})" if checked else ""
        findings.append(make_finding(
            "weak_link", "no_route_to_strategic", "high", (forum,),
            f"{name(landscape, forum)} has no chain of links to an active strategic group{through}, so the system "
            "issues it sees have nowhere to go.",
            evidence={"routes_checked": list(config.links.route_types), "links_checked": "every type but feedback",
                      "links_out": sorted(graph.successors(forum)), "reached": checked},
            meam=("feature 10", "feature 11"),
            suggestion="Agree which strategic group it escalates to, and record the route in the links sheet."))
    return findings


def no_feedback(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """An escalation or reporting link with no feedback link back the other way."""
    links = landscape.links
    status = landscape.forum_status
    routes = links[links["type"].isin(config.links.route_types)]
    feedback = links[links["type"].isin(config.links.feedback_types)]
    # Feedback may come back directly or through a tactical group: any chain of feedback links will do.
    back = nx.DiGraph()
    back.add_edges_from(zip(feedback["from_forum"], feedback["to_forum"]))
    findings, seen = [], set()
    for source, target, kind in zip(routes["from_forum"], routes["to_forum"], routes["type"]):
        if (source, target) in seen or status.get(source) != "active" or status.get(target) != "active":
            continue
        seen.add((source, target))
        if target in back and source in back and nx.has_path(back, target, source):
            continue
        findings.append(make_finding(
            "weak_link", "no_feedback", "medium", (source, target),
            f"{name(landscape, source)} {kind.replace('_', ' ')} "
            f"{name(landscape, target)}, but nothing comes back the other way.",
            evidence={"link": kind, "feedback_types": list(config.links.feedback_types)},
            meam=("feature 10",),
            suggestion=f"Agree how {name(landscape, target)} reports decisions back (a standing item or a note "
                       "after each meeting) and record it as feeds_back_to."))
    return findings


def no_shared_seat(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """An operational forum and the strategic forum it escalates to with no agency or post sitting on both."""
    seats = active_seats(landscape, memo=memo)
    agencies = seats.groupby("forum_id")["agency_id"].agg(set).to_dict()
    posts = seats[seats["post"] != ""].groupby("forum_id")["post"].agg(set).to_dict()
    findings = []
    for forum in active_ids(landscape, "operational"):
        for target in strategic_reached(landscape, config, forum, memo=memo):
            if landscape.forum_status.get(target) != "active":
                continue
            if agencies.get(forum, set()) & agencies.get(target, set()) or posts.get(forum, set()) & posts.get(target, set()):
                continue
            findings.append(make_finding(
                "weak_link", "no_shared_seat", "medium", (forum, target),
                f"No agency or post sits on both {name(landscape, forum)} and {name(landscape, target)}, the strategic "
                "group it escalates to, so escalations depend on paperwork alone.",
                evidence={"operational_agencies": len(agencies.get(forum, ())),
                          "strategic_agencies": len(agencies.get(target, ()))},
                meam=("feature 10",),
                suggestion="Give a coordinator or service manager a seat on both, to carry issues up and "
                           "feedback down."))
    return findings


def last_activity(landscape: Landscape, as_of, memo: Memo | None = None) -> dict[str, tuple[pd.Timestamp, str]]:
    """Forum id -> (its latest sign of meeting up to ``as_of``, where it comes from): the later of ``last_met`` and
    the latest date its case list records a discussion, since a forum discussing people has met. Worked out once per
    memo: three rules ask, and a national case list is millions of rows."""
    return memo_for(landscape, memo).get(("last activity", as_of), lambda: _last_activity(landscape, as_of))


def _last_activity(landscape: Landscape, as_of) -> dict[str, tuple[pd.Timestamp, str]]:
    cohorts = landscape.cohorts
    dated = cohorts[cohorts["discussed_on"].notna()]
    if as_of is not None:
        dated = dated[dated["discussed_on"] <= as_of]
    discussed = dated.groupby("forum_id")["discussed_on"].max().to_dict() if len(dated) else {}
    latest = {}
    for forum, last_met in zip(landscape.forums["forum_id"], landscape.forums["last_met"]):
        seen = discussed.get(forum)
        if seen is not None and (pd.isna(last_met) or seen > last_met):
            latest[forum] = (seen, "case list")
        elif pd.notna(last_met):
            latest[forum] = (last_met, "last_met")
    return latest


def _overdue(landscape: Landscape, config: Config, factor: float, level: str | None,
             memo: Memo | None = None) -> dict[str, str]:
    """Active forums (at ``level``, or any) with no sign of meeting (``last_met`` or a case-list discussion) for more
    than ``factor`` of their intervals, with the reason."""
    as_of = as_of_date(landscape, config)
    reasons = {}
    if as_of is None:
        return reasons
    latest = last_activity(landscape, as_of, memo)
    for forum, status, frequency in zip(*(landscape.forums[c] for c in ("forum_id", "status", "frequency"))):
        if level is not None and landscape.forum_level[forum] != level:
            continue
        if status == "active" and forum in latest and frequency in FREQUENCY_DAYS:
            last, where = latest[forum]
            gap = (as_of - last).days
            if gap > factor * FREQUENCY_DAYS[frequency]:
                what = "met" if where == "last_met" else "met or discussed anyone (by its case list)"
                reasons[forum] = f"has not {what} since {last.day} {last:%B %Y} ({gap} days; it meets {frequency})"
    return reasons


def _winding_down(landscape: Landscape, config: Config, memo: Memo | None = None) -> dict[str, str]:
    """Strategic forums that have stopped or stalled, with the reason in words."""
    reasons = {forum: f"is {status}" for forum, status in landscape.forum_status.items()
               if landscape.forum_level.get(forum) == "strategic" and status in ("paused", "ended")}
    reasons.update(_overdue(landscape, config, config.links.winding_down_factor, "strategic", memo))
    return {forum: reasons[forum] for forum in landscape.forum_ids if forum in reasons}


def _still_routing(landscape: Landscape, meeting: list[str], stalled: int) -> str:
    if not meeting:
        return (f"{stalled} operational forum{'s are' if stalled != 1 else ' is'} recorded as routing issues to it, "
                f"though {'they have' if stalled != 1 else 'it has'} not met lately either")
    text = (f"{len(meeting)} operational forum{'s still route' if len(meeting) != 1 else ' still routes'} issues to it")
    if stalled:
        text += f" (and {stalled} more that {'have' if stalled != 1 else 'has'} not met lately either)"
    return text


def strategic_winding_down(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """A strategic forum paused, ended or not met for over twice its interval while operational forums route to it."""
    findings = []
    as_of = as_of_date(landscape, config)
    stalled = _overdue(landscape, config, config.links.not_met_factor, "operational", memo)
    for forum, reason in _winding_down(landscape, config, memo).items():
        feeding = _routed_from_operational(landscape, config, forum, memo=memo)
        if not feeding:
            continue
        # A feeding forum that has itself stopped meeting (forum_not_meeting says so) is not "still routing issues".
        meeting = [f for f in feeding if f not in stalled]
        findings.append(make_finding(
            "weak_link", "strategic_winding_down", "high", (forum,),
            f"{name(landscape, forum)} {reason}, yet {_still_routing(landscape, meeting, len(feeding) - len(meeting))}.",
            evidence={"reason": reason, "operational_forums": feeding,
                      "not_meeting_themselves": [f for f in feeding if f in stalled],
                      "as_of": as_of.date().isoformat() if as_of is not None else None,
                      "winding_down_factor": config.links.winding_down_factor},
            meam=("challenge 3", "feature 2"),
            suggestion="Re-establish the group with a smaller remit, or route these forums to a group that "
                       "meets, so someone can still change the system."))
    return findings


def strategic_unfed(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """An active strategic forum that no operational forum routes to."""
    findings = []
    for forum in active_ids(landscape, "strategic"):
        if _routed_from_operational(landscape, config, forum, memo=memo):
            continue
        findings.append(make_finding(
            "weak_link", "strategic_unfed", "medium", (forum,),
            f"No operational forum routes issues to {name(landscape, forum)}, so it hears nothing from the front line.",
            evidence={"routes_checked": list(config.links.route_types)},
            meam=("feature 10", "feature 11"),
            suggestion="Agree which operational groups report to it, and what they bring."))
    return findings


def forum_not_meeting(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """Any active forum not met for more than ``not_met_factor`` of its intervals before the as-of date (a strategic
    forum operational forums still route to is reported as winding down instead: one finding per problem)."""
    as_of = as_of_date(landscape, config)
    factor = config.links.not_met_factor
    winding = {f.subjects[0] for f in strategic_winding_down(landscape, config, memo=memo)}
    people = landscape.cohorts.drop_duplicates(["forum_id", "person"])["forum_id"].value_counts()
    findings = []
    for forum, reason in _overdue(landscape, config, factor, None, memo).items():
        if forum in winding:
            continue
        findings.append(make_finding(
            "weak_link", "forum_not_meeting", "medium", (forum,),
            f"{name(landscape, forum)} is listed as active but {reason}.",
            evidence={"reason": reason, "as_of": as_of.date().isoformat(), "not_met_factor": factor,
                      "level": landscape.forum_level.get(forum, ""),
                      "people_discussed": common_people(int(people.get(forum, 0)), config)},
            meam=("challenge 3",),
            suggestion="Ask the chair whether it still meets: record its status as paused or ended, or its latest "
                       "meeting date, and say where its work has gone."))
    return findings


RULES = (no_route_to_strategic, no_feedback, no_shared_seat, strategic_winding_down, strategic_unfed,
         forum_not_meeting)
