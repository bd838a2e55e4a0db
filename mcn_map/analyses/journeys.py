"""Journeys: each pseudonymised person's path through the forums over time, from the dated case lists.

Four rules read the same table (one row per person, forum and day discussed): flows between forums with no agreed
route, cases bouncing between three or more forums in six months, repeat discussion at one forum (a cycle of crisis)
and long-running cases. Every window is found with sorted arrays and ``searchsorted``, so the cost grows with the
rows and the few discussions inside each window, never with pairs of people.

Nothing here ever names a group smaller than ``journeys.min_people``: a forum or a flow is only named when at least
that many people share it, so no finding, and no edge of the flow diagram, is one person's journey.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import Config
from ..memo import Memo, memo_for
from ..model import Landscape
from .common import MAX_NAMED, as_of_date, forum_kinds, input_order, names, people, people_phrase
from .findings import Finding, make_finding
from .packing import counts, distinct, pack, pairs_between, run_starts, unique_rows

__all__ = ["journey_table", "date_precision", "flow_table", "forum_flows", "bouncing_cases", "repeat_discussion",
           "long_running_cases", "RULES"]

MEAM_JOURNEYS = ("feature 7",)  # the rooms do not know each other's work
MEAM_LEARNING = ("feature 9",)  # a cycle the system is not learning from


def journey_table(landscape: Landscape, config: Config, memo: Memo | None = None) -> pd.DataFrame:
    """Dated discussions up to the as-of date: whole-number columns ``person``, ``forum`` (position in the forums
    sheet) and ``day`` (days since 1970), one row per person, forum and day, sorted by person, day and forum."""
    return memo_for(landscape, memo).get(("journeys", config.as_of), lambda: _journey_table(landscape, config))


def _journey_table(landscape: Landscape, config: Config) -> pd.DataFrame:
    cohorts = landscape.cohorts
    dated = cohorts[cohorts["discussed_on"].notna()] if len(cohorts) else cohorts
    as_of = as_of_date(landscape, config)
    if as_of is not None and len(dated):
        dated = dated[dated["discussed_on"] <= as_of]
    forum = pd.Categorical(dated["forum_id"], categories=list(landscape.forum_ids)).codes.astype(np.int32)
    person = dated["person"].to_numpy().astype(np.int64)
    day = dated["discussed_on"].to_numpy().astype("datetime64[D]").astype(np.int64)
    known = forum >= 0
    # Distinct rows in (person, day, forum) order: one sort of packed keys (see .packing).
    person, day, forum = unique_rows(person[known], day[known], forum[known])
    return pd.DataFrame({"person": person, "forum": forum.astype(np.int32), "day": day})


def date_precision(table: pd.DataFrame) -> str:
    """'month' when every date is the 1st of a month (as `mcn-map snap` writes by default), else 'day'."""
    if not len(table):
        return "day"
    days = pd.to_datetime(table["day"].drop_duplicates().to_numpy(), unit="D")
    return "month" if bool((days.day == 1).all()) else "day"


def _window_ends(groups: np.ndarray, days: np.ndarray, width: int) -> np.ndarray:
    """For rows sorted by (group, day): one past the last row of the same group within ``width`` days after each."""
    if not len(days):
        return np.zeros(0, dtype=np.int64)
    offset = days - days.min()
    span = int(offset.max()) + width + 1
    keys = groups.astype(np.int64) * span + offset
    return np.searchsorted(keys, keys + width, side="right")


def _expand(ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (row, later row in its window) pair, the row itself included: sum of window sizes, no more."""
    starts = np.arange(len(ends))
    sizes = ends - starts
    first = np.repeat(starts, sizes)
    step = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    return first, first + step


def _named(landscape: Landscape, per_forum: pd.Series, config: Config, memo: Memo | None = None) -> tuple[tuple[str, ...], dict, int]:
    """The busiest forums (at most MAX_NAMED) shared by at least ``min_people`` of the people, the others folded into
    a count, and the counts at every forum shared by that many (evidence, for the detail)."""
    ids = landscape.forum_ids
    shown = per_forum[per_forum >= config.journeys.min_people]
    # Name the busiest few, so the finding (and the map's rings) point at where most of the bouncing happens.
    busiest = sorted(shown.index, key=lambda i: (-int(shown[i]), i))[:MAX_NAMED]
    subjects = input_order(landscape, [ids[i] for i in busiest], memo=memo)
    by_forum = {ids[i]: people(int(shown[i]), config) for i in sorted(shown.index, key=lambda i: (-int(shown[i]), i))}
    return subjects, by_forum, int(len(per_forum) - len(subjects))


def _people_per_forum(person: np.ndarray, forum: np.ndarray) -> pd.Series:
    """Distinct people per forum position, by forum (as ``groupby("forum").size()`` of the distinct pairs)."""
    forum, _ = unique_rows(forum, person)
    forums, people_at = counts(forum)
    return pd.Series(people_at.astype(np.int64), index=forums)


def _where(landscape: Landscape, subjects, folded: int) -> str:
    if not subjects:
        return " (too few at any one forum to name it)"
    if not folded:
        return f" (at {names(landscape, subjects)})"
    return f" (most often at {names(landscape, subjects)}, and {folded:,} other forum{'s' if folded != 1 else ''})"


# -- flows --------------------------------------------------------------------------------------------------------

def flow_table(landscape: Landscape, config: Config, memo: Memo | None = None) -> pd.DataFrame:
    memo = memo_for(landscape, memo)
    key = ("flows", config.as_of, config.journeys.flow_days, config.journeys.min_people)
    return memo.get(key, lambda: _flow_table(landscape, config, memo))


def _flow_table(landscape: Landscape, config: Config, memo: Memo | None = None) -> pd.DataFrame:
    """People discussed at one forum and then, at their next discussion, at another within ``flow_days``.

    Columns ``from_forum``, ``to_forum``, ``people`` (exact; suppress before showing), for flows of at least
    ``min_people`` people, largest first. Discussions on the same day (or, at month precision, in the same month)
    have no order, so they make no flow.
    """
    table = journey_table(landscape, config, memo=memo)
    empty = pd.DataFrame({"from_forum": pd.Series([], dtype=object), "to_forum": pd.Series([], dtype=object),
                          "people": pd.Series([], dtype=np.int64)})
    if not len(table):
        return empty
    person, day, forum = (table[c].to_numpy() for c in ("person", "day", "forum"))
    # Blocks of one person's discussions on one day (the table is sorted by person, then day); each block flows
    # into the person's next block, when that is within flow_days.
    bounds = run_starts(person, day)
    starts, sizes = bounds[:-1], np.diff(bounds)
    head_person, head_day = person[starts], day[starts]
    flows = np.flatnonzero((head_person[1:] == head_person[:-1])
                           & (head_day[1:] - head_day[:-1] <= config.journeys.flow_days))
    # Every forum of a block paired with every forum of the next.
    left, right = pairs_between(starts[flows], sizes[flows], starts[flows + 1], sizes[flows + 1])
    forum_a, forum_b, who = forum[left], forum[right], person[left]
    moved = forum_a != forum_b
    if not moved.any():
        return empty
    forum_a, forum_b, _ = unique_rows(forum_a[moved], forum_b[moved], who[moved])  # each person once a flow
    keys, packing = pack(forum_a, forum_b)
    pairs, flow_people = counts(keys)
    forum_a, forum_b = packing.unpack(pairs)
    shown = np.flatnonzero(flow_people >= config.journeys.min_people)
    order = shown[np.argsort(-flow_people[shown], kind="stable")]  # largest first; ties in (from, to) order
    ids = np.array(landscape.forum_ids, dtype=object)
    return pd.DataFrame({"from_forum": ids[forum_a[order]], "to_forum": ids[forum_b[order]],
                         "people": flow_people[order].astype(np.int64)})


def forum_flows(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """Flows of ``flow_finding_people`` or more people between two forums with no link between them either way."""
    flows = flow_table(landscape, config, memo=memo)
    settings = config.journeys
    flows = flows[flows["people"] >= max(settings.flow_finding_people, settings.min_people)]
    if not len(flows):
        return []
    links = landscape.links
    linked = set(zip(links["from_forum"], links["to_forum"])) | set(zip(links["to_forum"], links["from_forum"]))
    precision = date_precision(journey_table(landscape, config, memo=memo))
    findings = []
    for a, b, n in flows.itertuples(index=False, name=None):
        if (a, b) in linked:
            continue
        findings.append(make_finding(
            "duplication", "forum_flows", "medium", (a, b),
            f"{people_phrase(int(n), config, 'were', 'was')} discussed at {names(landscape, [a])} and then at "
            f"{names(landscape, [b])} within {settings.flow_days} days, but there is no link between the two forums.",
            evidence={"people": people(int(n), config), "from_forum": a, "to_forum": b,
                      "flow_days": settings.flow_days, "date_precision": precision,
                      "thresholds": {"flow_finding_people": settings.flow_finding_people,
                                     "min_people": settings.min_people}},
            meam=MEAM_JOURNEYS,
            suggestion="Ask both chairs whether this is a referral route: if so, record it as a link and agree what "
                       "the second forum is told, so the person's plan travels with them."))
    return findings


# -- bouncing -----------------------------------------------------------------------------------------------------

def bouncing_cases(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """People discussed at ``bounce_forums`` or more different forums within ``bounce_days``: one finding."""
    settings = config.journeys
    table = journey_table(landscape, config, memo=memo)
    if not len(table):
        return []
    person, forum, day = (table[c].to_numpy() for c in ("person", "forum", "day"))
    # Only people seen at enough forums at all can bounce: cut the table down first.
    seen, _ = unique_rows(person, forum)
    spread_people, spread = counts(seen)
    keep = np.isin(person, spread_people[spread >= settings.bounce_forums])
    if not keep.any():
        return []
    person, forum, day = person[keep], forum[keep], day[keep]
    first, later = _expand(_window_ends(person, day, settings.bounce_days))
    start, window_forum = unique_rows(first, forum[later])  # the distinct forums in each row's window
    starts, forums_seen = counts(start)
    starts = starts[forums_seen >= settings.bounce_forums]
    if not len(starts):
        return []
    bouncing = distinct(person[starts])
    in_bounce = np.isin(start, starts)
    per_forum = _people_per_forum(person[start[in_bounce]], window_forum[in_bounce])
    subjects, by_forum, folded = _named(landscape, per_forum, config, memo=memo)
    months = round(settings.bounce_days / 30.44)
    return [make_finding(
        "duplication", "bouncing_cases", "high", subjects,
        f"{people_phrase(len(bouncing), config, 'were', 'was')} each discussed at {settings.bounce_forums} or more "
        f"different forums within {months} months{_where(landscape, subjects, folded)}: cases that may be bouncing "
        "from meeting to meeting.",
        evidence={"people": people(len(bouncing), config), "by_forum": by_forum, "other_forums": folded,
                  "bounce_forums": settings.bounce_forums, "bounce_days": settings.bounce_days,
                  "date_precision": date_precision(journey_table(landscape, config, memo=memo))},
        meam=MEAM_JOURNEYS,
        suggestion="Ask the chairs of these forums to compare snapped lists and agree, for each person, one forum "
                   "that holds the plan and one lead practitioner; the others refer to it rather than start again.")]


# -- repeat discussion --------------------------------------------------------------------------------------------

def repeat_discussion(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """People discussed at the same forum ``repeat_times`` or more times within ``repeat_days``: one finding per
    forum with at least ``min_people`` of them, and one unnamed finding for the rest."""
    settings = config.journeys
    table = journey_table(landscape, config, memo=memo)
    if not len(table):
        return []
    precision = date_precision(table)
    person, forum, day = unique_rows(*(table[c].to_numpy() for c in ("person", "forum", "day")))
    bounds = run_starts(person, forum)  # each person's discussions at one forum, by day
    group = np.repeat(np.arange(len(bounds) - 1), np.diff(bounds))
    ends = _window_ends(group, day, settings.repeat_days)
    hit = (ends - np.arange(len(day))) >= settings.repeat_times
    hit &= _cycles_to_ask_about(landscape, memo)[forum]
    if not hit.any():
        return []
    hit_forum, hit_person = unique_rows(forum[hit], person[hit])
    per_forum = _people_per_forum(hit_person, hit_forum)
    ids = landscape.forum_ids
    months = round(settings.repeat_days / 30.44)
    evidence = {"repeat_times": settings.repeat_times, "repeat_days": settings.repeat_days,
                "date_precision": precision}
    findings = []
    named = per_forum[per_forum >= settings.min_people]
    for position, n in named.items():
        forum_id = ids[position]
        findings.append(make_finding(
            "duplication", "repeat_discussion", "medium", (forum_id,),
            f"{people_phrase(int(n), config, 'were', 'was')} each discussed at {names(landscape, [forum_id])} "
            f"{settings.repeat_times} or more times within {months} months: a cycle of crisis the plans made there "
            "may not be breaking.",
            evidence={"people": people(int(n), config), **evidence}, meam=MEAM_LEARNING,
            suggestion="Ask the chair to review these cases together: what has changed since the first discussion, "
                       "and whether a longer-term plan with one lead practitioner, or another forum, would serve "
                       "them better."))
    rest = len(distinct(hit_person[~np.isin(hit_forum, named.index.to_numpy())]))
    if rest:
        findings.append(make_finding(
            "duplication", "repeat_discussion", "low", (),
            f"{people_phrase(int(rest), config, 'were', 'was')} each discussed at one forum {settings.repeat_times} or "
            f"more times within {months} months, at forums with too few such people to name.",
            evidence={"people": people(int(rest), config), **evidence}, meam=MEAM_LEARNING,
            suggestion="Ask each chair to look for people their forum keeps coming back to."))
    return findings


def _cycles_to_ask_about(landscape: Landscape, memo: Memo | None) -> np.ndarray:
    """By forum position: whether a person discussed there again and again may be in a cycle of crisis. Not at a
    review of people who have died (going back over a death is its work), nor at a forum that has ended or merged
    (its case list is history)."""
    kinds = forum_kinds(landscape, memo)
    return np.array([status == "active" and (forum not in kinds or kinds[forum].discusses_living)
                     for forum, status in zip(landscape.forum_ids, landscape.forums["status"])], dtype=bool)


# -- long-running cases -------------------------------------------------------------------------------------------

def long_running_cases(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """People whose first and last discussion (at any forum) are more than ``long_running_days`` apart."""
    settings = config.journeys
    table = journey_table(landscape, config, memo=memo)
    if not len(table):
        return []
    person, forum, day = (table[c].to_numpy() for c in ("person", "forum", "day"))
    bounds = run_starts(person)  # sorted by person, then day: each person's first and last discussion
    span = day[bounds[1:] - 1] - day[bounds[:-1]]
    long_running = person[bounds[:-1]][span > settings.long_running_days]
    if not len(long_running):
        return []
    chosen = np.isin(person, long_running)
    per_forum = _people_per_forum(person[chosen], forum[chosen])
    subjects, by_forum, folded = _named(landscape, per_forum, config, memo=memo)
    months = round(settings.long_running_days / 30.44)
    return [make_finding(
        "duplication", "long_running_cases", "medium", subjects,
        f"{people_phrase(len(long_running), config, 'have', 'has')} been discussed for more than {months} months "
        f"from first to last discussion{_where(landscape, subjects, folded)}.",
        evidence={"people": people(len(long_running), config), "by_forum": by_forum, "other_forums": folded,
                  "long_running_days": settings.long_running_days, "date_precision": date_precision(table)},
        meam=MEAM_LEARNING,
        suggestion="Ask the forums involved to review these long-running cases together with the person or someone "
                   "speaking for them: what is keeping the crisis going, and what the system could do differently.")]


RULES = (forum_flows, bouncing_cases, repeat_discussion, long_running_cases)
