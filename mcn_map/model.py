"""The one model of a loaded landscape. Analyses and renderers read this and nothing else.

Tables are pandas DataFrames with canonical columns (see :mod:`mcn_map.loading.schema`):

* text and id columns hold ``str`` ("" where blank), vocabulary columns hold the canonical value ("" where blank),
* ``themes`` holds a tuple of theme strings,
* dates are ``datetime64`` (NaT where blank), counts are nullable ``Int64``,
* ``seats`` gains ``attendance`` (attended / held, NaN where unknown) and ``row`` (the Excel row),
* ``cohorts.person_id`` never holds a raw identifier: it is a keyed pseudonym, or, with no key, a sequence code
  (``p000001``...), and ``cohorts.person`` is the same thing as a dense integer code for fast arithmetic.

Derived lookups (names, levels, sectors) are made with the landscape; graphs, layouts and other shared
work live in a :class:`~mcn_map.memo.Memo`, never here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .errors import Problem
from .loading.schema import SECTOR_LABELS

__all__ = ["Landscape", "seat_attendance"]


def seat_attendance(seats: pd.DataFrame) -> pd.Series:
    """Each seat's share of its forum's meetings attended (attended / held; NaN where unknown or none held): the
    ``attendance`` column the loader, and a what-if scenario, give ``seats``."""
    held = seats["meetings_held"].astype("Float64")
    return (seats["meetings_attended"].astype("Float64") / held.where(held > 0)).astype(float)


@dataclass(frozen=True, eq=False)
class Landscape:
    """The loaded tables and the lookups derived from them when the landscape is made: data only, never a cache
    (work shared between analyses lives in a :class:`~mcn_map.memo.Memo` owned by whoever computes)."""

    forums: pd.DataFrame
    agencies: pd.DataFrame
    seats: pd.DataFrame
    cohorts: pd.DataFrame
    links: pd.DataFrame
    source: str = ""
    warnings: tuple[Problem, ...] = ()
    pseudonymised: bool = False  # True when person ids were keyed with HMAC
    # The optional responses sheet: the partnership's decisions on findings (finding_id, status, owner, ...).
    responses: pd.DataFrame | None = None
    # The optional sheets of a mapping round (see mcn_map.forms): who returned a form, and what each chair reported.
    replies: pd.DataFrame | None = None
    reports: pd.DataFrame | None = None

    def __repr__(self) -> str:
        # One line at a prompt or in a log (no count of people: it may be pasted anywhere); the tables are .forums...
        return (f"<mcn_map.Landscape {self.source or 'in memory'!r}: {len(self.forums):,} forums, "
                f"{len(self.agencies):,} agencies, {len(self.seats):,} seats, {len(self.links):,} links>")

    # -- lookups, derived once from the tables above ---------------------------------------------------------------
    forum_ids: tuple[str, ...] = field(init=False, repr=False)
    agency_ids: tuple[str, ...] = field(init=False, repr=False)
    forum_name: dict[str, str] = field(init=False, repr=False)
    forum_level: dict[str, str] = field(init=False, repr=False)
    forum_status: dict[str, str] = field(init=False, repr=False)
    agency_name: dict[str, str] = field(init=False, repr=False)
    agency_sector: dict[str, str] = field(init=False, repr=False)
    active_forums: pd.DataFrame = field(init=False, repr=False)
    # The latest date anywhere in the data: the default 'as of' for analyses.
    latest_date: pd.Timestamp | None = field(init=False, repr=False)

    def __post_init__(self):
        forums, agencies = self.forums, self.agencies
        derived = {
            "forum_ids": tuple(forums["forum_id"]),
            "agency_ids": tuple(agencies["agency_id"]),
            "forum_name": dict(zip(forums["forum_id"], forums["name"])),
            "forum_level": dict(zip(forums["forum_id"], forums["level"])),
            "forum_status": dict(zip(forums["forum_id"], forums["status"])),
            "agency_name": dict(zip(agencies["agency_id"], agencies["name"])),
            "agency_sector": dict(zip(agencies["agency_id"], agencies["sector"])),
            "active_forums": forums[forums["status"] == "active"],
        }
        dates = [forums["last_met"].max()]
        if len(self.cohorts):
            dates.append(self.cohorts["discussed_on"].max())
        dates = [d for d in dates if pd.notna(d)]
        derived["latest_date"] = max(dates) if dates else None
        for name, value in derived.items():  # a frozen dataclass: set once, here
            object.__setattr__(self, name, value)

    def seats_with_sector(self) -> pd.DataFrame:
        """The seats joined with the agency's sector and the forum's level and status (a new table each time: callers
        that ask often keep it in their memo, see ``analyses.common.seats_with_sector``)."""
        seats = self.seats.copy()
        seats["sector"] = seats["agency_id"].map(self.agency_sector)
        seats["level"] = seats["forum_id"].map(self.forum_level)
        seats["status"] = seats["forum_id"].map(self.forum_status)
        return seats

    def sector_label(self, sector: str) -> str:
        return SECTOR_LABELS.get(sector, sector)

    def counts(self) -> dict:
        """The headline counts written to ``summary.json``."""
        def tally(series: pd.Series, order) -> dict[str, int]:
            counts = series.value_counts()
            return {k: int(counts.get(k, 0)) for k in order if counts.get(k, 0)} | {
                k: int(v) for k, v in counts.items() if k not in order
            }

        from .loading.schema import VOCABULARIES

        return {
            "forums": int(len(self.forums)),
            "forums_by_level": tally(self.forums["level"], VOCABULARIES["level"]),
            "forums_by_status": tally(self.forums["status"], VOCABULARIES["status"]),
            "agencies": int(len(self.agencies)),
            "agencies_by_sector": tally(self.agencies["sector"], VOCABULARIES["sector"]),
            "seats": int(len(self.seats)),
            "cohort_rows": int(len(self.cohorts)),
            "people": int(self.cohorts["person"].nunique()) if len(self.cohorts) else 0,
            "links": int(len(self.links)),
            "links_by_type": tally(self.links["type"], VOCABULARIES["link_type"]),
        }
