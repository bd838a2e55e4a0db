"""Seniority: are the people at each table senior enough to commit their organisations (feature 6)?"""

from __future__ import annotations

from ..config import Config
from ..memo import Memo, memo_for
from ..model import Landscape
from .common import active_ids, active_seats, name
from .findings import Finding, make_finding

__all__ = ["strategic_mostly_practitioners", "no_decision_maker", "forums_with_known_seniority", "no_chair",
           "forums_with_seats"]


def strategic_mostly_practitioners(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """An active strategic forum where more than half (configurable) of the seats of known seniority are practitioners."""
    threshold = config.seniority.strategic_practitioner_share
    seats = active_seats(landscape, memo=memo)
    seats = seats[(seats["level"] == "strategic") & (seats["seniority"] != "")]
    shares = (seats["seniority"] == "practitioner").groupby(seats["forum_id"]).agg(["mean", "size"])
    findings = []
    for forum in active_ids(landscape, "strategic"):
        if forum not in shares.index:
            continue
        share, size = float(shares.at[forum, "mean"]), int(shares.at[forum, "size"])
        if share <= threshold:
            continue
        findings.append(make_finding(
            "seniority", "strategic_mostly_practitioners", "medium", (forum,),
            f"{share:.0%} of the seats on {name(landscape, forum)} are held by practitioners, so it may not be able to "
            "change commissioning or pathways.",
            evidence={"practitioner_share": round(share, 3), "seats": size, "threshold": threshold},
            meam=("feature 6", "feature 2"),
            suggestion="Ask each partner to send someone who can commit their organisation's resources."))
    return findings


def forums_with_known_seniority(landscape: Landscape, memo: Memo | None = None) -> list[str]:
    """Active operational forums with at least one seat of known seniority: those asked for a decision maker."""
    seats = active_seats(landscape, memo=memo)
    known = set(seats.loc[(seats["level"] == "operational") & (seats["seniority"] != ""), "forum_id"])
    return [f for f in active_ids(landscape, "operational") if f in known]


def no_decision_maker(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """An active operational forum with no service manager (or more senior) seat: no one can agree flexibility."""
    decision = set(config.seniority.decision_makers)
    seats = active_seats(landscape, memo=memo)
    seats = seats[(seats["level"] == "operational") & (seats["seniority"] != "")]
    has_decision_maker = seats["seniority"].isin(decision).groupby(seats["forum_id"]).any()
    known = seats.groupby("forum_id")["seniority"].agg(lambda s: sorted(set(s)))
    seat_counts = seats["forum_id"].value_counts()
    findings = []
    for forum in active_ids(landscape, "operational"):
        if forum not in known.index or has_decision_maker[forum]:
            continue
        findings.append(make_finding(
            "seniority", "no_decision_maker", "medium", (forum,),
            f"No one on {name(landscape, forum)} is a service manager or more senior, so no one at the table can agree "
            "to bend a service's rules for a person.",
            evidence={"seats": int(seat_counts[forum]), "seniority": known[forum]},
            meam=("feature 6",),
            suggestion="Invite a service manager from the lead agencies, at least for cases that are stuck."))
    return findings


def forums_with_seats(landscape: Landscape, memo: Memo | None = None) -> list[str]:
    """Active forums with at least one seat: those asked who chairs them."""
    held = set(active_seats(landscape, memo=memo)["forum_id"])
    return [f for f in active_ids(landscape) if f in held]


def no_chair(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """An active forum with seats whose chair is recorded nowhere: no ``chair_agency`` and no seat with the role
    chair. Someone runs the meeting; a board asking who can change it needs to know who."""
    chairs = set(landscape.forums.loc[landscape.forums["chair_agency"] != "", "forum_id"])
    seats = active_seats(landscape, memo=memo)
    chairs |= set(seats.loc[seats["role"] == "chair", "forum_id"])
    findings = []
    for forum in forums_with_seats(landscape, memo):
        if forum in chairs:
            continue
        findings.append(make_finding(
            "seniority", "no_chair", "medium", (forum,),
            f"No chair is recorded for {name(landscape, forum)}: neither its chair_agency nor any seat's role says "
            "who runs it.",
            evidence={"chair_agency": "", "seats": int((seats["forum_id"] == forum).sum())},
            meam=("feature 2",),
            suggestion="Record the chair (the chair_agency column, and the chair's seat with role chair), so the "
                       "board knows whom to ask about the forum."))
    return findings


RULES = (strategic_mostly_practitioners, no_decision_maker, no_chair)
