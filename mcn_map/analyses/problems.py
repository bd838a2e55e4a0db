"""One finding per problem: the rules' findings about one pair of forums, one group of people or one pattern of
forums, told once.

The rules are written one question at a time, so one problem can draw several findings: a pair of forums sharing
people, passing them between them unlinked and with near-identical membership drew three; the people discussed in
many forums and the cases bouncing between them are mostly the same people. This step, run after the rules and
before ranking, makes each such problem one finding:

* **a pair of forums**: the findings of ``PAIR_FACETS`` about the same two forums become one, carrying every rule's
  part as a facet (``evidence.facets``) and the most severe severity; its rule and id are the first facet's;
* **a group of forums with near-identical membership**: three or more forums joined by ``similar_membership`` pairs
  become one finding naming them all ("5 operational forums have near-identical membership: ...");
* **a pair inside an overlap cluster**: told as a facet of the cluster, whose people they are;
* **a post**: ``post_on_many_forums`` told inside ``sole_tier_link`` for the same post;
* **a group of people**: ``bouncing_cases`` (people at several forums within months) is told as a facet of
  ``people_in_many_forums`` (people at several forums at all), or of the ``overlap_cluster`` holding its forums;
  and once the digest has rolled up the pairs of forums sharing people, ``people_in_many_forums`` is told inside that
  roll-up when every forum it counts is in one of the pairs (:func:`people_into_pairs`): the same people, seen
  pair by pair and forum by forum.

A pattern across forums of one rule (no person voice at 9 of 10 case forums) is rolled up by the digest
(:mod:`.digest`, ``PATTERN_RULES``).
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from ..config import Config
from ..model import Landscape
from .common import input_order, names
from .findings import SEVERITIES, Finding, finding_id

__all__ = ["one_per_problem", "people_into_pairs", "PAIR_FACETS", "facets_of"]

PAIR_FACETS = ("cohort_overlap", "contradictory_plans", "forum_flows", "similar_membership")  # first: the finding's rule
PEOPLE_FACETS = ("people_in_many_forums", "overlap_cluster")  # what bouncing_cases folds into, in this order


def _worst(severities) -> str:
    return min(severities, key=lambda s: SEVERITIES.index(s) if s in SEVERITIES else len(SEVERITIES))


def _facet(finding: Finding) -> dict:
    return {"rule": finding.rule, "subjects": list(finding.subjects), "severity": finding.severity,
            "message": finding.message,
            # The network position is the primary finding's to carry (added, or not, by analyse).
            "evidence": {k: v for k, v in finding.evidence.items() if k != "betweenness"},
            "suggestion": finding.suggestion}


def facets_of(finding: Finding) -> list[str]:
    """Every rule a finding tells: its own and those folded into it."""
    return [finding.rule, *(f["rule"] for f in finding.evidence.get("facets", []))]


def _fold(primary: Finding, others: list[Finding], landscape: Landscape | None = None) -> Finding:  # noqa: ARG001
    """``primary`` carrying ``others`` as facets: one message, one severity, every rule's evidence."""
    if not others:
        return primary
    facets = [_facet(o) for o in others]
    # One message, the first facet's: the others are in evidence.facets (and findings.xlsx), so the board paper's
    # list of what matters most stays on its pages.
    message = primary.message
    evidence = {**primary.evidence, "facets": [*primary.evidence.get("facets", []), *facets]}
    for other in others:  # the people a facet counts, where the primary counts none
        if "people" in other.evidence and "people" not in evidence:
            evidence["people"] = other.evidence["people"]
    return Finding(primary.id, primary.category, primary.rule, _worst([primary.severity, *(o.severity for o in others)]),
                   primary.subjects, message, evidence, tuple(dict.fromkeys(primary.meam + sum((o.meam for o in others),
                                                                                                 ()))),
                   primary.suggestion, 0.0)  # each facet's own suggestion stays in evidence.facets


def _pair_key(finding: Finding, forum_ids) -> frozenset | None:
    forums = [s for s in finding.subjects if s in forum_ids]
    return frozenset(forums) if finding.rule in PAIR_FACETS and len(forums) == 2 == len(set(forums)) else None


def _pairs_as_one(findings: list[Finding], landscape: Landscape) -> list[Finding]:
    forum_ids = set(landscape.forum_ids)
    by_pair: dict[frozenset, list[Finding]] = defaultdict(list)
    for finding in findings:
        key = _pair_key(finding, forum_ids)
        if key is not None:
            by_pair[key].append(finding)
    out, done = [], set()
    for finding in findings:
        key = _pair_key(finding, forum_ids)
        if key is None:
            out.append(finding)
        elif key not in done:
            done.add(key)
            members = sorted(by_pair[key], key=lambda f: PAIR_FACETS.index(f.rule))
            out.append(_fold(members[0], members[1:], landscape))
    return out


def _into_clusters(findings: list[Finding], landscape: Landscape) -> list[Finding]:
    """A pair inside an overlap cluster is part of the cluster's problem: told as a facet of the cluster."""
    clusters = [f for f in findings if f.rule == "overlap_cluster"]
    if not clusters:
        return findings
    forum_ids = set(landscape.forum_ids)
    hosts = [(c, frozenset(c.evidence.get("forums", c.subjects))) for c in clusters]
    inside: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        key = _pair_key(finding, forum_ids)
        host = next((c for c, forums in hosts if key <= forums), None) if key else None
        if host is not None:
            inside[host.id].append(finding)
    folded = {f.id for members in inside.values() for f in members}
    return [_fold(f, inside[f.id], landscape) if f.id in inside else f for f in findings if f.id not in folded]


def _membership_groups(findings: list[Finding], landscape: Landscape) -> list[Finding]:
    """Three or more forums joined by near-identical membership: one finding naming them all."""
    similar = [f for f in findings if f.rule == "similar_membership" and len(f.subjects) == 2]
    graph = nx.Graph()
    for finding in similar:
        graph.add_edge(*finding.subjects, finding=finding)
    groups = [c for c in nx.connected_components(graph) if len(c) >= 3]
    if not groups:
        return findings
    grouped = {f.id for c in groups for _, _, d in graph.subgraph(c).edges(data=True) for f in [d["finding"]]}
    out = [f for f in findings if f.id not in grouped]
    for component in groups:
        forums = input_order(landscape, component)
        members = [d["finding"] for _, _, d in graph.subgraph(component).edges(data=True)]
        level = landscape.forum_level.get(forums[0], "")
        low = min(f.evidence.get("jaccard", 1.0) for f in members)
        identical = low >= 1.0
        out.append(Finding(
            finding_id("similar_membership", forums), "duplication", "similar_membership",
            _worst(f.severity for f in members), forums,
            f"{len(forums)} {level} forums have {'identical' if identical else 'near-identical'} membership"
            f"{'' if identical else f' (at least {low:.0%} of agencies in common, pair by pair)'}: "
            f"{names(landscape, forums)}.",
            {"forums": list(forums), "level": level, "jaccard": low,
             "pairs": [{"forums": list(f.subjects), "jaccard": f.evidence.get("jaccard"),
                        "shared_themes": f.evidence.get("shared_themes", [])} for f in members]},
            members[0].meam,
            "The same agencies meet several times: consider one meeting with a standing agenda for each purpose, "
            "or back-to-back sessions, checking first what each forum is for (see the board's options).", 0.0))
    return out


def _people_as_one(findings: list[Finding], landscape: Landscape) -> list[Finding]:
    """Bouncing cases told inside the finding about people in many forums (or the cluster holding its forums)."""
    bouncing = [f for f in findings if f.rule == "bouncing_cases"]
    if not bouncing:
        return findings
    host = next((f for f in findings if f.rule == "people_in_many_forums"), None)
    if host is None:
        named = {s for f in bouncing for s in f.subjects}
        host = next((f for f in findings if f.rule == "overlap_cluster"
                     and named <= set(f.evidence.get("forums", f.subjects))), None)
    if host is None:
        return findings
    return [_fold(host, bouncing, landscape) if f is host else f for f in findings if f.rule != "bouncing_cases"]


def _posts_as_one(findings: list[Finding]) -> list[Finding]:
    """A post that is the only tie between the tiers and also sits on many forums: one key-person problem."""
    sole = {f.subjects: f for f in findings if f.rule == "sole_tier_link"}
    many = {f.subjects: f for f in findings if f.rule == "post_on_many_forums" and f.subjects in sole}
    if not many:
        return findings
    return [_fold(f, [many[f.subjects]]) if f.rule == "sole_tier_link" and f.subjects in many else f
            for f in findings if not (f.rule == "post_on_many_forums" and f.subjects in many)]


def one_per_problem(findings: list[Finding], landscape: Landscape, config: Config) -> list[Finding]:
    """The rules' findings with each problem told once (see the module docstring); impact is left to ranking."""
    findings = _membership_groups(list(findings), landscape)
    findings = _into_clusters(_pairs_as_one(findings, landscape), landscape)
    return _posts_as_one(_people_as_one(findings, landscape))


def people_into_pairs(findings: list[Finding], detail: dict) -> list[Finding]:
    """After the digest: the people discussed in many forums told inside the roll-up of pairs sharing people, when
    every forum they are counted at is in one of its pairs; the roll-up's message adds their count. ``detail``: the
    digest's {roll-up id: the findings it holds}."""
    many = next((f for f in findings if f.rule == "people_in_many_forums"), None)
    pairs = next((f for f in findings if f.rule == "cohort_overlap" and f.id in detail), None)
    if many is None or pairs is None:
        return findings
    paired = {s for member in detail[pairs.id] for s in member.subjects}
    if not set(many.evidence.get("by_forum", many.subjects)) <= paired:
        return findings
    folded = _fold(pairs, [many])
    said = (f" {many.evidence.get('people', 'Some')} people are each discussed in "
            f"{many.evidence.get('threshold', 'several')} or more of the {len(paired):,} forums in these pairs.")
    folded = Finding(folded.id, folded.category, folded.rule, folded.severity, folded.subjects,
                     folded.message + said, folded.evidence, folded.meam, folded.suggestion, pairs.impact)
    return [folded if f is pairs else f for f in findings if f is not many]
