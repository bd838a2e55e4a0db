"""Attendance: seats held but rarely filled, and forums few turn up to (feature 4: partners attending consistently)."""

from __future__ import annotations

import numpy as np

from ..config import Config
from ..loading.schema import FREQUENCY_PER_MONTH
from ..memo import Memo, memo_for
from ..model import Landscape
from .common import active_seats, name
from .findings import Finding, make_finding
from .partners import paper_only_seats

__all__ = ["low_seat_attendance", "low_forum_attendance", "meetings_against_frequency"]


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


MIN_FORUMS_FOR_PERIOD = 3  # the period the counts cover is read from the other forums: too few say nothing


def meetings_against_frequency(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """An active forum whose meetings held contradict its stated frequency. The counts cover one period for the
    whole mapping round, which the forums' own counts show (the median of held / meetings a month); a forum whose
    count implies a period ``frequency_tolerance`` times longer or shorter is flagged, with both figures."""
    seats = active_seats(landscape, memo=memo)
    held = seats[seats["meetings_held"].notna()].groupby("forum_id")["meetings_held"].max()
    frequency = dict(zip(landscape.forums["forum_id"], landscape.forums["frequency"]))
    months = {f: int(n) / FREQUENCY_PER_MONTH[frequency[f]] for f, n in held.items()
              if int(n) > 0 and frequency.get(f) in FREQUENCY_PER_MONTH and frequency.get(f) != "ad hoc"}
    if len(months) < MIN_FORUMS_FOR_PERIOD:
        return []
    period = float(np.median(list(months.values())))
    tolerance = config.attendance.frequency_tolerance
    findings = []
    for forum, implied in months.items():
        if period / tolerance <= implied <= period * tolerance:
            continue
        expected = period * FREQUENCY_PER_MONTH[frequency[forum]]
        findings.append(make_finding(
            "attendance", "meetings_against_frequency", "low", (forum,),
            f"{name(landscape, forum)} is recorded as meeting {frequency[forum]}, but its seats report "
            f"{int(held[forum])} meetings held; the other forums' counts cover about {period:.0f} months, in which a "
            f"{frequency[forum]} forum meets about {expected:.0f} times. One of the two figures is wrong.",
            evidence={"frequency": frequency[forum], "meetings_held": int(held[forum]),
                      "period_months": round(period, 1), "expected_meetings": round(expected, 1),
                      "tolerance": tolerance},
            meam=("feature 4",),
            suggestion="Check the forum's frequency and its meetings held with the chair; attendance shares and "
                       "meeting-hours rest on both."))
    return findings


RULES = (low_seat_attendance, low_forum_attendance, meetings_against_frequency)
