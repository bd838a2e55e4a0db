"""The one model of a loaded landscape. Analyses and renderers read this and nothing else.

Tables are pandas DataFrames with canonical columns (see :mod:`mcn_map.loading.schema`):

* text and id columns hold ``str`` ("" where blank), vocabulary columns hold the canonical value ("" where blank),
* ``themes`` holds a tuple of theme strings,
* dates are ``datetime64`` (NaT where blank), counts are nullable ``Int64``,
* ``seats`` gains ``attendance`` (attended / held, NaN where unknown) and ``row`` (the Excel row),
* ``cohorts.person_id`` never holds a raw identifier: it is a keyed pseudonym, or, with no key, a sequence code
  (``p000001``...), and ``cohorts.person`` is the same thing as a dense integer code for fast arithmetic.

Derived things (graphs, layout) are computed on first use and cached in ``cache``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from .errors import Problem
from .loading.schema import SECTOR_LABELS

__all__ = ["Landscape"]


@dataclass(frozen=True, eq=False)
class Landscape:
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
    cache: dict = field(default_factory=dict, repr=False)

    # -- lookups -------------------------------------------------------------------------------------------------
    @cached_property
    def forum_ids(self) -> tuple[str, ...]:
        return tuple(self.forums["forum_id"])

    @cached_property
    def agency_ids(self) -> tuple[str, ...]:
        return tuple(self.agencies["agency_id"])

    @cached_property
    def forum_name(self) -> dict[str, str]:
        return dict(zip(self.forums["forum_id"], self.forums["name"]))

    @cached_property
    def forum_level(self) -> dict[str, str]:
        return dict(zip(self.forums["forum_id"], self.forums["level"]))

    @cached_property
    def forum_status(self) -> dict[str, str]:
        return dict(zip(self.forums["forum_id"], self.forums["status"]))

    @cached_property
    def agency_name(self) -> dict[str, str]:
        return dict(zip(self.agencies["agency_id"], self.agencies["name"]))

    @cached_property
    def agency_sector(self) -> dict[str, str]:
        return dict(zip(self.agencies["agency_id"], self.agencies["sector"]))

    @cached_property
    def active_forums(self) -> pd.DataFrame:
        return self.forums[self.forums["status"] == "active"]

    @cached_property
    def seats_with_sector(self) -> pd.DataFrame:
        """Seats joined with the agency's sector and the forum's level and status."""
        seats = self.seats.copy()
        seats["sector"] = seats["agency_id"].map(self.agency_sector)
        seats["level"] = seats["forum_id"].map(self.forum_level)
        seats["status"] = seats["forum_id"].map(self.forum_status)
        return seats

    @cached_property
    def latest_date(self) -> pd.Timestamp | None:
        """The latest date anywhere in the data: the default 'as of' for analyses."""
        dates = [self.forums["last_met"].max()]
        if len(self.cohorts):
            dates.append(self.cohorts["discussed_on"].max())
        dates = [d for d in dates if pd.notna(d)]
        return max(dates) if dates else None

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
