"""Caseloads: how many people each lead worker's post is leading, from the optional ``lead_post`` column.

Intensive coordination works with small cohorts: the MEAM Approach recommends no more than ten clients per
coordinator, and many areas find eight better. A person counts on a post's caseload when they were discussed within
``caseloads.window_days`` up to the as-of date with that post as lead (their latest such discussion decides).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import Config
from ..memo import Memo, memo_for
from ..model import Landscape
from ..privacy.suppression import people_number
from .common import as_of_date, people
from .findings import Finding, make_finding
from .packing import run_starts

__all__ = ["MEAM_GUIDANCE", "caseload_table", "caseload_status", "post_caseloads", "RULES"]

MEAM_GUIDANCE = ("The MEAM Approach recommends no more than ten clients per coordinator; many areas find eight "
                 "works better.")


def caseload_status(n: int, config: Config) -> str:
    """'flagged' above ``flag_above``, 'amber' above ``amber_above``, else 'within guidance'."""
    settings = config.caseloads
    if n > settings.flag_above:
        return "flagged"
    return "amber" if n > settings.amber_above else "within guidance"


def caseload_table(landscape: Landscape, config: Config, memo: Memo | None = None) -> pd.DataFrame:
    """Per lead post: ``post``, ``people`` (exact; suppress before showing), ``lead_agencies`` and ``status``,
    largest caseload first. Empty when no dated row names a lead post."""
    memo = memo_for(landscape, memo)
    key = ("caseloads", config.as_of, repr(config.caseloads))  # the rule and the Analysis both ask
    return memo.get(key, lambda: _caseload_table(landscape, config))


def _caseload_table(landscape: Landscape, config: Config) -> pd.DataFrame:
    columns = ["post", "people", "lead_agencies", "status"]
    cohorts = landscape.cohorts
    as_of = as_of_date(landscape, config)
    if "lead_post" not in cohorts or not len(cohorts) or as_of is None:
        return pd.DataFrame(columns=columns)
    start = as_of - pd.Timedelta(days=config.caseloads.window_days)
    active = cohorts[(cohorts["lead_post"] != "") & (cohorts["discussed_on"] > start)
                     & (cohorts["discussed_on"] <= as_of)]
    if not len(active):
        return pd.DataFrame(columns=columns)
    latest = active.groupby("person")["discussed_on"].transform("max")
    current = active[active["discussed_on"] == latest].drop_duplicates(["person", "lead_post"])
    counts = current.groupby("lead_post")["person"].nunique()
    table = pd.DataFrame({"post": counts.index.astype(object), "people": counts.to_numpy(),
                          "lead_agencies": _lead_agencies(current, counts.index)})
    table["status"] = [caseload_status(int(n), config) for n in table["people"]]
    return table.sort_values(["people", "post"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _lead_agencies(current: pd.DataFrame, posts: pd.Index) -> np.ndarray:
    """For each post, the sorted distinct agencies named as leading with it (blanks left out), as a tuple: one sort
    of the distinct pairs, not a Python function per post."""
    named = current.loc[current["lead_agency"] != "", ["lead_post", "lead_agency"]].drop_duplicates()
    named = named.sort_values(["lead_post", "lead_agency"], kind="stable")
    post, agency = named["lead_post"].to_numpy(), named["lead_agency"].to_numpy()
    bounds = run_starts(post)
    grouped = {post[a]: tuple(agency[a:b]) for a, b in zip(bounds[:-1], bounds[1:])}
    out = np.empty(len(posts), dtype=object)
    out[:] = [grouped.get(post, ()) for post in posts]
    return out


def _over(n: int, threshold: int, config: Config) -> str:
    shown = people(n, config)
    if shown == str(n):
        return f"{n} people (more than {threshold})"
    # A rounded figure at or under the threshold ("more than 10 people (10 after rounding)") reads as a contradiction:
    # give it only when it is itself over the threshold.
    rounded = people_number(n, config.suppress)
    if rounded is not None and rounded > threshold:
        return f"about {shown} people (more than {threshold})"
    return f"more than {threshold} people"


def post_caseloads(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """A lead post carrying more than ``amber_above`` people (medium) or more than ``flag_above`` (high)."""
    settings = config.caseloads
    table = caseload_table(landscape, config, memo=memo)
    findings = []
    for post, n, agencies, status in table.itertuples(index=False, name=None):
        if status == "within guidance":
            continue
        n = int(n)
        flagged = status == "flagged"
        threshold = settings.flag_above if flagged else settings.amber_above
        findings.append(make_finding(
            "burden", "post_caseloads", "high" if flagged else "medium", (post,),
            f"{post} is the lead worker for {_over(n, threshold, config)} discussed in the last "
            f"{settings.window_days} days, "
            + ("above the MEAM Approach's guidance of no more than ten clients per coordinator." if flagged else
               "above the eight clients per coordinator many areas find works best (the MEAM Approach recommends "
               "no more than ten)."),
            evidence={"people": people(n, config), "status": status, "lead_agencies": list(agencies),
                      "window_days": settings.window_days,
                      "thresholds": {"amber_above": settings.amber_above, "flag_above": settings.flag_above},
                      "guidance": MEAM_GUIDANCE},
            meam=("challenge 5",),
            suggestion="Ask the lead agency to share the caseload with another worker or step some people down "
                       "to a lighter-touch forum, so each person keeps a worker with time to coordinate their plan."))
    return findings


RULES = (post_caseloads,)
