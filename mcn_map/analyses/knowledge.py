"""What the chairs know of each other, from a mapping round's forms (the ``replies`` and ``reports`` sheets and the
links' ``reported_by``): forums that share people while their chairs do not know each other meets, one-sided
escalation and feedback routes, forums no other chair knows, and poor contact between forums that share people.

Every finding here depends on who returned a form, so each carries the latest round's response rate and its
confidence band (high at 80% or more, moderate at 65-79%, caution below), in its evidence and its sentence. A blank
answer is no answer: a rule speaks only of what a chair said.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..config import Config
from ..memo import Memo
from ..model import Landscape
from .common import name, people_phrase
from .findings import Finding, make_finding

__all__ = ["RoundState", "round_state", "response_rate", "confidence_band", "band_phrase", "unknown_neighbours",
           "one_sided_route", "known_to_nobody", "poor_contact", "known_pairs", "Knowing", "who_knows_whom", "RULES"]

HIGH_CONFIDENCE, MODERATE_CONFIDENCE = 0.80, 0.65


def response_rate(replied: int, asked: int) -> float:
    """The share of chairs asked who returned a form (0 when nobody was asked).

    >>> response_rate(9, 12), response_rate(0, 0)
    (0.75, 0.0)
    """
    return replied / asked if asked else 0.0


def confidence_band(rate: float) -> str:
    """How far network results from a round can be trusted, by its response rate.

    >>> [confidence_band(r) for r in (0.8, 0.7, 0.5)]
    ['high', 'moderate', 'caution']
    """
    return "high" if rate >= HIGH_CONFIDENCE else "moderate" if rate >= MODERATE_CONFIDENCE else "caution"


def _latest(rounds) -> str:
    rounds = list(dict.fromkeys(rounds))
    numbered = [r for r in rounds if str(r).isdigit()]
    return max(numbered, key=int) if numbered else rounds[-1]


def band_phrase(band: str) -> str:
    """'high confidence', 'moderate confidence', 'low confidence: read with caution'."""
    return "low confidence: read with caution" if band == "caution" else f"{band} confidence"


@dataclass(frozen=True)
class RoundState:
    """The latest round: who was asked, who replied, and what each chair said about each other forum."""

    round: str
    asked: tuple[str, ...]
    replied: frozenset
    answers: dict  # (forum, about) -> {"knows", "contact", "value", "reliability"}

    @property
    def rate(self) -> float:
        return response_rate(len(self.replied), len(self.asked))

    @property
    def band(self) -> str:
        return confidence_band(self.rate)

    def evidence(self) -> dict:
        return {"round": self.round, "forms_returned": len(self.replied), "forms_sent": len(self.asked),
                "response_rate": round(self.rate, 3), "confidence": self.band}

    def sentence(self) -> str:
        """'(Forms returned by 9 of 12 chairs, 75%: moderate confidence.)'"""
        return (f"(Round {self.round}: forms returned by {len(self.replied)} of {len(self.asked)} chairs, "
                f"{self.rate:.0%}: {band_phrase(self.band)}.)")


def round_state(landscape: Landscape) -> RoundState | None:
    """The latest round's state, or None when the landscape records no round."""
    replies = landscape.replies
    if replies is None or not len(replies):
        return None
    round_ = _latest(replies["round"])
    latest = replies[replies["round"] == round_]
    reports = landscape.reports if landscape.reports is not None else pd.DataFrame(columns=["round"])
    mine = reports[reports["round"] == round_]
    answers = {(f, a): {"knows": k, "contact": c, "value": v, "reliability": r} for f, a, k, c, v, r in zip(
        mine["forum_id"], mine["about_forum"], mine["knows"], mine["contact"], mine["value"], mine["reliability"])}
    return RoundState(round_, tuple(latest["forum_id"]),
                      frozenset(latest.loc[latest["replied"] == "yes", "forum_id"]), answers)


# -- what each chair knows -------------------------------------------------------------------------------------------

def _reported_ties(landscape: Landscape) -> set[tuple[str, str]]:
    """(chair's forum, other forum) for every link a chair reported in a round: reporting a link is knowing."""
    known = set()
    for source, target, reported in zip(landscape.links["from_forum"], landscape.links["to_forum"],
                                        landscape.links["reported_by"]):
        for forum in reported or ():
            if forum in (source, target):
                known.add((forum, target if forum == source else source))
    return known


def known_pairs(landscape: Landscape) -> set[tuple[str, str]]:
    """(chair's forum, other forum) for every forum a chair said, in the latest round, they know meets."""
    state = round_state(landscape)
    if state is None:
        return set()
    said = {pair for pair, answer in state.answers.items() if answer.get("knows") == "yes"}
    return said | {pair for pair in _reported_ties(landscape) if pair[0] in state.replied}


@dataclass(frozen=True)
class Knowing:
    """Who knows whom in the latest round: each forum asked (or named by a chair), and each tie between two forums.

    A tie is ``(knower, known, status)``: ``confirmed`` when each chair lists the other (once, knower < known),
    ``one-sided`` when the other chair returned a form without listing the knower, ``no reply`` when the other chair
    did not return one (so nothing can be said of what they know)."""

    state: RoundState
    forums: tuple[str, ...]
    ties: tuple[tuple[str, str, str], ...]

    def listed_by(self, forum: str) -> list[str]:
        """The other forums whose chairs list ``forum``."""
        return [a if b == forum else b for a, b, s in self.ties if b == forum or (s == "confirmed" and a == forum)]

    @property
    def unlisted(self) -> tuple[str, ...]:
        """Forums no other chair lists."""
        return tuple(f for f in self.forums if not self.listed_by(f))


def who_knows_whom(landscape: Landscape) -> Knowing | None:
    """The "who knows whom" network of the latest round (from :func:`known_pairs`), or None without a round."""
    state = round_state(landscape)
    if state is None:
        return None
    pairs = known_pairs(landscape)
    ties = []
    for a, b in sorted(pairs):
        if (b, a) in pairs:
            if a < b:
                ties.append((a, b, "confirmed"))
        else:
            ties.append((a, b, "one-sided" if b in state.replied else "no reply"))
    named = set(state.asked) | {f for a, b, _ in ties for f in (a, b)}
    order = [f for f in landscape.forum_ids if f in named]
    return Knowing(state, tuple(order + sorted(named - set(order))), tuple(ties))


def _knows(state: RoundState, ties: set, forum: str, other: str) -> str:
    """'yes', 'no' or '' (no answer) for whether ``forum``'s chair knows ``other`` meets."""
    if (forum, other) in ties:
        return "yes"
    return state.answers.get((forum, other), {}).get("knows", "")


def _shared(landscape: Landscape, config: Config, memo: Memo | None) -> list[tuple[str, str, int]]:
    """Pairs of forums that discuss at least ``min_shared_people`` of the same people."""
    if not len(landscape.cohorts):
        return []
    from .duplication import overlap_matrix

    overlap = overlap_matrix(landscape, memo)
    values = overlap.to_numpy()
    ids = list(overlap.index)
    rows, cols = (values >= config.knowledge.min_shared_people).nonzero()
    return [(ids[r], ids[c], int(values[r, c])) for r, c in zip(rows, cols) if r < c]


def _finding(state: RoundState, rule: str, severity: str, subjects, message: str, evidence: dict, suggestion: str,
             meam=("feature 7", "feature 10")) -> Finding:
    return make_finding("knowledge", rule, severity, subjects, f"{message} {state.sentence()}",
                        evidence={**evidence, **state.evidence()}, meam=meam, suggestion=suggestion)


def unknown_neighbours(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """Two forums that discuss many of the same people while neither chair says they know the other meets (at
    least one said 'no'; both returned their forms)."""
    state = round_state(landscape)
    if state is None:
        return []
    ties, findings = _reported_ties(landscape), []
    for a, b, n in _shared(landscape, config, memo):
        if a not in state.replied or b not in state.replied:
            continue
        a_knows, b_knows = _knows(state, ties, a, b), _knows(state, ties, b, a)
        if "yes" in (a_knows, b_knows) or "no" not in (a_knows, b_knows):
            continue
        shared = people_phrase(n, config, "are", "is").split(" ", 1)
        if a_knows == b_knows == "no":
            said = "neither chair knows the other meets"
        else:
            sure, unsure = (a, b) if a_knows == "no" else (b, a)
            said = (f"{name(landscape, sure)}'s chair says they do not know {name(landscape, unsure)} meets, and "
                    f"{name(landscape, unsure)}'s chair did not say they know {name(landscape, sure)}")
        findings.append(_finding(
            state, "unknown_neighbours", "high" if a_knows == b_knows == "no" else "medium", (a, b),
            f"{name(landscape, a)} and {name(landscape, b)} discuss {shared[0]} of the same "
            f"{'person' if shared[0] == '1' else 'people'}, but {said}.",
            {"shared_people": people_phrase(n, config).split(" ")[0], "knows": {a: a_knows, b: b_knows}},
            "Introduce the two chairs, and agree how the meetings will tell each other about the people they share."))
    return findings


_VERBS = {"escalates_to": "escalates to", "reports_to": "reports to", "feeds_back_to": "feeds back to"}


def one_sided_route(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """An escalation, reporting or feedback link one chair reports and the other, who returned a form, does not."""
    state = round_state(landscape)
    if state is None:
        return []
    kinds = set(config.links.route_types) | set(config.links.feedback_types)
    findings = []
    for source, target, kind, reported in zip(landscape.links["from_forum"], landscape.links["to_forum"],
                                              landscape.links["type"], landscape.links["reported_by"]):
        reporters = [f for f in (reported or ()) if f in (source, target)]
        if kind not in kinds or len(set(reporters)) != 1:
            continue
        silent = target if reporters[0] == source else source
        if silent not in state.replied:
            continue
        verb = _VERBS.get(kind, kind.replace("_", " "))
        route = "route" if kind != "feeds_back_to" else "feedback"
        said = (f"{name(landscape, source)}'s chair says it {verb} {name(landscape, target)}"
                if reporters[0] == source else
                f"{name(landscape, target)}'s chair says {name(landscape, source)} {verb} it")
        findings.append(_finding(
            state, "one_sided_route", "medium", (source, target),
            f"{said}; {name(landscape, silent)}'s chair does not list this {route}.",
            {"type": kind, "reported_by": reporters[0], "not_reported_by": silent},
            "Ask both chairs how issues pass between the two meetings, and write the route into both terms of "
            "reference so it does not depend on one person.", meam=("feature 10",)))
    return findings


def known_to_nobody(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """An active forum that no other chair says they know, where at least ``min_answers`` of them said 'no'."""
    state = round_state(landscape)
    if state is None:
        return []
    ties, findings = _reported_ties(landscape), []
    for forum in landscape.active_forums["forum_id"]:
        answers = [_knows(state, ties, other, forum) for other in state.replied if other != forum]
        noes = answers.count("no")
        if "yes" in answers or noes < config.knowledge.min_answers:
            continue
        findings.append(_finding(
            state, "known_to_nobody", "medium", (forum,),
            f"None of the {noes} chairs who answered about {name(landscape, forum)} knows it meets.",
            {"answered_no": noes, "answered": len([a for a in answers if a])},
            "Tell the other chairs what this meeting is for and who it discusses, or ask whether it is still needed."))
    return findings


def poor_contact(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """A chair rates contact with a forum that shares people with theirs as of little use or unreliable."""
    state = round_state(landscape)
    if state is None:
        return []
    low = config.knowledge.poor_score
    shared = {}
    for a, b, n in _shared(landscape, config, memo):
        shared[(a, b)] = shared[(b, a)] = n
    findings = []
    for (forum, other), said in state.answers.items():
        n = shared.get((forum, other))
        scores = {k: said[k] for k in ("value", "reliability") if pd.notna(said[k]) and int(said[k]) <= low}
        if not n or not scores:
            continue
        words = " and ".join(f"{'of little use' if k == 'value' else 'unreliable'} ({int(v)} of 4)"
                             for k, v in scores.items())
        findings.append(_finding(
            state, "poor_contact", "medium" if min(int(v) for v in scores.values()) == 1 else "low", (forum, other),
            f"{name(landscape, forum)}'s chair rates contact with {name(landscape, other)} as {words}, though the "
            f"two discuss {people_phrase(n, config).split(' ')[0]} of the same people.",
            {"scores": {k: int(v) for k, v in scores.items()}, "shared_people": people_phrase(n, config).split(" ")[0]},
            "Ask both chairs what would make the contact useful, such as a named link post or a shared case list."))
    return findings


RULES = (unknown_neighbours, one_sided_route, known_to_nobody, poor_contact)
