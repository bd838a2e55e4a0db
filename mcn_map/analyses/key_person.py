"""Key people: expertise and connections held in one or two posts rather than the system (challenge 4)."""

from __future__ import annotations

import re

import pandas as pd

from ..config import Config
from ..memo import Memo, memo_for
from ..model import Landscape
from .common import active_seats, input_order
from .findings import Finding, make_finding

__all__ = ["post_seats", "one_post", "sole_tier_link", "post_on_many_forums"]

# A label ending in a number ("Navigator 1") names one post held by one person; the README asks for this.
NUMBERED = re.compile(r"\d+\s*$")


def post_seats(landscape: Landscape, memo: Memo | None = None) -> pd.DataFrame:
    """Seats on active forums that name one post. A post is the pair (agency, post label): two agencies' 'Team
    manager' are different people. The same label with different seniority or roles in different forums is a role
    several people hold ("Housing officer"), not one post, so its seats are left out."""
    memo = memo_for(landscape, memo)  # several rules and the measures ask
    return memo.get("post seats", lambda: _post_seats(landscape, memo))


def _post_seats(landscape: Landscape, memo: Memo) -> pd.DataFrame:
    seats = active_seats(landscape, memo)
    seats = seats[seats["post"] != ""]
    keys = [seats["agency_id"], seats["post"]]
    seniority = seats["seniority"].where(seats["seniority"] != "")  # blank seniority does not make a post vary
    varied = ((seniority.groupby(keys, sort=False).transform("nunique") > 1)
              | (seats["role"].groupby(keys, sort=False).transform("nunique") > 1))
    return seats[~varied.to_numpy()]


def one_post(post: str) -> bool:
    """Whether the label itself says one person holds it (it is numbered), so wording may say "person"."""
    return bool(NUMBERED.search(post))


def _holder(post: str) -> str:
    return "this person" if one_post(post) else "whoever holds this post"


def _agencies_clause(agencies: int) -> str:
    """Agencies on both tiers through different posts: the agencies still span the tiers, one person does not."""
    if agencies < 2:
        return ""
    return f" ({agencies} agencies sit on both tiers, but through different posts)"


def _tier_seats(landscape: Landscape, memo: Memo | None = None) -> pd.DataFrame:
    """Seats on active operational and strategic forums naming a post, however its seniority or role is recorded:
    for the ties between the tiers, a label recorded as a practitioner in one room and a coordinator in another is
    still one label that may be one person."""
    seats = active_seats(landscape, memo=memo)
    return seats[(seats["post"] != "") & seats["level"].isin(["operational", "strategic"])]


def _recorded_alike(seats: pd.DataFrame) -> bool:
    seniority = set(seats["seniority"]) - {""}
    return len(seniority) <= 1 and seats["role"].nunique() <= 1


def sole_tier_link(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """A post that is one of the only (default: the only) ties between the operational and strategic tiers. A post
    recorded with different seniority or roles in different rooms still counts; unless its label is numbered (one
    person) the finding then asks whether one person holds it, since the data cannot show it."""
    tiers = _tier_seats(landscape, memo)
    levels = tiers.groupby(["agency_id", "post"], sort=True)["level"].nunique()
    bridging = levels[levels == 2].index.tolist()
    if not bridging or len(bridging) > config.key_person.max_bridging_posts:
        return []
    both_agencies = int((tiers.groupby("agency_id")["level"].nunique() == 2).sum())
    return [_tie_finding(landscape, config, tiers, agency, post, bridging, both_agencies, memo)
            for agency, post in bridging]


def _tie_finding(landscape, config, tiers, agency, post, bridging, both_agencies, memo=None) -> Finding:
    forums = tiers[(tiers["agency_id"] == agency) & (tiers["post"] == post)]
    strategic = input_order(landscape, forums.loc[forums["level"] == "strategic", "forum_id"], memo=memo)
    operational = input_order(landscape, forums.loc[forums["level"] == "operational", "forum_id"], memo=memo)
    only = "the only post" if len(bridging) == 1 else f"one of only {len(bridging)} posts"
    who = "no one" if len(bridging) == 1 else "fewer people"
    agency_name = landscape.agency_name.get(agency, agency)
    alike = _recorded_alike(forums)
    if alike or one_post(post):
        message = (f"The {post} ({agency_name}) is {only} on both operational and strategic forums: if "
                   f"{_holder(post)} leaves, {who} who sits at both tables will carry issues up and feedback down"
                   f"{_agencies_clause(both_agencies)}.")
    else:
        recorded = ", ".join(sorted(set(forums["seniority"]) - {""})) or "different roles"
        message = (f"Is the {post} ({agency_name}) one person? The label is recorded as {recorded} in different "
                   f"rooms; if one person holds it, it is {only} on both operational and strategic forums, and if "
                   f"they leave {who} who sits at both tables will carry issues up and feedback down"
                   f"{_agencies_clause(both_agencies)}.")
    return make_finding(
        "key_person", "sole_tier_link", "high" if alike or one_post(post) else "medium", (agency, post), message,
        evidence={"agency": agency, "strategic_forums": list(strategic), "operational_forums": list(operational),
                  "bridging_posts": len(bridging), "agencies_on_both_tiers": both_agencies,
                  "recorded_alike": alike, "seniority_recorded": sorted(set(forums["seniority"]) - {""}),
                  "threshold": config.key_person.max_bridging_posts},
        meam=("challenge 4", "feature 10"),
        suggestion="Give a second post a seat on both tiers, and write down what this post carries up and down."
        + ("" if alike or one_post(post) else " First check whether one person holds this post everywhere."))


def post_on_many_forums(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """A post sitting on many active forums (default five or more): expertise held in an individual."""
    threshold = config.key_person.many_forums
    seats = post_seats(landscape, memo=memo)
    forums_of = seats.drop_duplicates(["agency_id", "post", "forum_id"]).groupby(["agency_id", "post"], sort=True)[
        "forum_id"].agg(list)
    counts = forums_of.map(len)
    findings = []
    for (agency, post), n in counts[counts >= threshold].items():
        forums = input_order(landscape, forums_of[(agency, post)], memo=memo)
        findings.append(make_finding(
            "key_person", "post_on_many_forums", "medium", (agency, post),
            f"The {post} ({landscape.agency_name.get(agency, agency)}) sits on {int(n)} forums: a lot of the "
            f"system's knowledge rests with {'one person' if one_post(post) else 'one post'}.",
            evidence={"agency": agency, "forums": list(forums), "count": int(n), "threshold": threshold},
            meam=("challenge 4", "challenge 2"),
            suggestion="Share these seats across the team, with deputies and written handovers."))
    return findings


RULES = (sole_tier_link, post_on_many_forums)
