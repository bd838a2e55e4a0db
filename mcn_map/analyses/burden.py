"""Burden: meeting-hours per month each agency spends across forums (challenge 2: capacity of senior stakeholders)."""

from __future__ import annotations

import pandas as pd

from ..config import Config
from ..memo import Memo, memo_for
from ..model import Landscape
from ..loading.schema import FREQUENCY_PER_MONTH
from .common import active_seats
from .findings import Finding, make_finding

__all__ = ["agency_burden", "meeting_hours"]


def agency_burden(landscape: Landscape, config: Config, memo: Memo | None = None) -> pd.DataFrame:
    """Per agency: active forums, seats and meeting-hours per month (frequency × the level's meeting duration), by
    level, most hours first."""
    settings = config.burden
    key = ("burden", repr(settings))  # the rule and the Analysis both ask, with the same settings
    return memo_for(landscape, memo).get(key, lambda: _agency_burden(landscape, settings, memo=memo))


def _agency_burden(landscape: Landscape, settings, memo: Memo | None = None) -> pd.DataFrame:
    seats = active_seats(landscape, memo=memo)
    frequency = seats["forum_id"].map(dict(zip(landscape.forums["forum_id"], landscape.forums["frequency"])))
    per_month = frequency.replace("", settings.default_frequency).map(FREQUENCY_PER_MONTH).astype(float)
    hours = per_month * seats["level"].map(settings.duration_hours).fillna(0).astype(float)
    table = pd.DataFrame({"agency_id": seats["agency_id"], "forum_id": seats["forum_id"], "level": seats["level"],
                          "hours": hours})
    by_agency = table.groupby("agency_id").agg(forums=("forum_id", "nunique"), seats=("forum_id", "size"),
                                               hours_per_month=("hours", "sum"))
    by_level = table.pivot_table(index="agency_id", columns="level", values="hours", aggfunc="sum", fill_value=0.0)
    by_level = by_level.reindex(columns=["strategic", "tactical", "operational"], fill_value=0.0)
    by_level.columns = [f"{c}_hours" for c in by_level.columns]
    result = pd.DataFrame(index=pd.Index(list(landscape.agency_ids), name="agency_id"))
    result["name"] = result.index.map(landscape.agency_name)
    result["sector"] = result.index.map(landscape.agency_sector)
    result = result.join(by_agency).join(by_level)
    result[["forums", "seats"]] = result[["forums", "seats"]].fillna(0).astype(int)
    numbers = ["hours_per_month", "strategic_hours", "tactical_hours", "operational_hours"]
    result[numbers] = result[numbers].fillna(0.0).astype(float).round(2)
    result = result.reset_index()
    return result.sort_values(["hours_per_month", "agency_id"], ascending=[False, True], kind="stable").reset_index(
        drop=True)


def meeting_hours(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """Agencies at or above the configured meeting-hours per month."""
    settings = config.burden
    table = agency_burden(landscape, config, memo=memo)
    heavy = table[table["hours_per_month"] >= settings.hours_per_month]
    findings = []
    for rank, row in enumerate(heavy.itertuples(index=False), start=1):
        findings.append(make_finding(
            "burden", "meeting_hours", "medium" if row.hours_per_month >= settings.high_hours_per_month else "low",
            (row.agency_id,),
            f"{row.name} spends about {row.hours_per_month:.0f} hours a month in {row.forums} multi-agency "
            f"meetings ({row.seats} seats).",
            evidence={"hours_per_month": float(row.hours_per_month), "forums": int(row.forums), "seats": int(row.seats),
                      "rank": rank, "threshold": settings.hours_per_month,
                      "duration_hours": dict(settings.duration_hours)},
            meam=("challenge 2",),
            suggestion="Look for forums this agency could merge, attend by rota, or contribute to in writing."))
    return findings


RULES = (meeting_hours,)
