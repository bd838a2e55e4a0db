"""Person voice ("nothing about us without us"): is the person discussed, or someone speaking for them, in the room?"""

from __future__ import annotations

from ..config import Config
from ..memo import Memo, memo_for
from ..model import Landscape
from .common import active_ids, active_seats, forum_kinds, name
from .findings import Finding, make_finding

__all__ = ["no_person_voice", "no_expert_by_experience", "forums_asked_about_voice"]


def forums_asked_about_voice(landscape: Landscape, memo: Memo | None = None) -> list[str]:
    """Active forums that discuss living individuals (a case list, or an operational case forum): those asked whether
    the person is in the room. A kind that reviews deaths is never asked; a board only if it keeps a case list."""
    discussed = set(landscape.cohorts["forum_id"])
    kinds = forum_kinds(landscape, memo=memo)
    forums = landscape.active_forums
    asked = []
    for forum, level in zip(forums["forum_id"], forums["level"]):
        kind = kinds.get(forum)
        if kind is not None and not kind.discusses_living:
            continue
        if forum in discussed or (level == "operational" and (kind is None or kind.case_forum)):
            asked.append(forum)
    return asked


def no_person_voice(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """An active forum asked about voice (see :func:`forums_asked_about_voice`) with person_voice 'none'."""
    discussed = set(landscape.cohorts["forum_id"])
    voice_of = dict(zip(landscape.forums["forum_id"], landscape.forums["person_voice"]))
    findings = []
    for forum in forums_asked_about_voice(landscape, memo):
        voice = voice_of.get(forum, "")
        if voice != "none":
            continue
        findings.append(make_finding(
            "person_voice", "no_person_voice", "medium", (forum,),
            f"{name(landscape, forum)} discusses people without them, or anyone speaking for them, in the room.",
            evidence={"person_voice": voice, "has_case_list": forum in discussed},
            meam=("feature 5",),
            suggestion="Ask a lead practitioner or expert by relationship to represent each person discussed, "
                       "and tell people when they are being discussed."))
    return findings


def no_expert_by_experience(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """An active strategic forum with no expert-by-experience seat (by seniority or a lived-experience agency)."""
    seats = active_seats(landscape, memo=memo)
    experts = seats[(seats["seniority"] == "expert by experience") | (seats["sector"] == "lived_experience")]
    with_experts = set(experts["forum_id"])
    seat_counts = seats["forum_id"].value_counts()
    kinds = forum_kinds(landscape, memo=memo)
    findings = []
    for forum in active_ids(landscape, "strategic"):
        if forum in with_experts:
            continue
        # missing_sector leaves lived experience at a strategic forum to this rule, so the guidance is cited here.
        kind = kinds.get(forum)
        why = kind.why.get("lived_experience", "") if kind is not None and "lived_experience" in kind.expected else ""
        cited = {"kind": kind.key, "source": kind.source, "because": [why]} if why else {}
        findings.append(make_finding(
            "person_voice", "no_expert_by_experience", "medium", (forum,),
            f"{name(landscape, forum)} has no expert by experience at the table, so decisions about services are made "
            "without the people who use them." + (f" {why[0].upper()}{why[1:]}." if why else ""),
            evidence={"seats": int(seat_counts.get(forum, 0)), **cited},
            meam=("feature 5",),
            suggestion="Offer paid, supported seats to experts by experience, with preparation before each meeting."))
    return findings


RULES = (no_person_voice, no_expert_by_experience)
