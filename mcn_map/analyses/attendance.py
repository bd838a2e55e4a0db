"""Attendance: seats held but rarely filled, and forums few turn up to (feature 4: partners attending consistently)."""

from __future__ import annotations

import numpy as np

from ..config import Config
from ..memo import Memo, memo_for
from ..model import Landscape
from .common import active_seats, name
from .findings import Finding, make_finding
from .partners import paper_only_seats

__all__ = ["low_seat_attendance", "low_forum_attendance"]


def _measured(landscape: Landscape, config: Config, memo: Memo | None = None):
    seats = active_seats(landscape, memo=memo)
    held = seats["meetings_held"].fillna(0).astype(int)
    return seats[(held >= config.attendance.min_meetings_held) & seats["attendance"].notna()]


def low_seat_attendance(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """A seat attending less than half (configurable) of the meetings held."""
    threshold = config.attendance.seat_min
    seats = _measured(landscape, config, memo=memo)
    seats = seats[seats["attendance"] < threshold]
    # A seat whose sector is present on paper only at that forum is told by paper_only_sector, with its meetings.
    told = paper_only_seats(landscape, config, memo=memo)
    seats = seats[np.array([key not in told for key in zip(seats["forum_id"], seats["agency_id"], seats["post"])],
                           dtype=bool)]
    findings = []
    for forum, agency, post, held, attended, rate in zip(
            seats["forum_id"], seats["agency_id"], seats["post"], seats["meetings_held"], seats["meetings_attended"],
            seats["attendance"]):
        who = landscape.agency_name.get(agency, agency) + (f" ({post})" if post else "")
        findings.append(make_finding(
            "attendance", "low_seat_attendance", "medium" if rate < threshold / 2 else "low",
            (forum, agency) + ((post,) if post else ()),
            f"{who} attended {int(attended)} of {int(held)} meetings of {name(landscape, forum)} ({rate:.0%}).",
            evidence={"meetings_held": int(held), "meetings_attended": int(attended), "attendance": round(float(rate), 3),
                      "threshold": threshold},
            meam=("feature 4",),
            suggestion="Ask the agency whether a deputy can attend, or whether the seat is still needed."))
    return findings


def low_forum_attendance(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """A forum whose seats attend, on average, less than the configured share of meetings."""
    threshold = config.attendance.forum_average_min
    seats = _measured(landscape, config, memo=memo)
    averages = seats.groupby("forum_id", sort=False)["attendance"].agg(["mean", "size"])
    findings = []
    for forum, row in averages[averages["mean"] < threshold].iterrows():
        findings.append(make_finding(
            "attendance", "low_forum_attendance", "medium", (forum,),
            f"Seats on {name(landscape, forum)} attend only {row['mean']:.0%} of meetings on average.",
            evidence={"average_attendance": round(float(row["mean"]), 3), "seats_measured": int(row["size"]),
                      "threshold": threshold},
            meam=("feature 4",),
            suggestion="Review the forum's timing, length and purpose with its members; consider meeting less often."))
    return findings


RULES = (low_seat_attendance, low_forum_attendance)
