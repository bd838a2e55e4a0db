"""Missing partners: sectors a forum should have at the table but does not, on paper or in practice.

Expectations come from the config per level, per theme and per forum, and, for a forum of a national kind (MARAC,
Health and Wellbeing Board, ...), from that kind's guidance (see :mod:`mcn_map.kinds`), which findings then cite. An
expected entry "a|b" is met by either. Ended and merged forums are never flagged.
"""

from __future__ import annotations

import pandas as pd

from ..config import Config
from ..memo import Memo, memo_for
from ..model import Landscape
from ..loading.schema import SECTORS
from .common import active_seats, forum_kinds, name, seats_with_sector
from .findings import Finding, make_finding

LIVED = "lived_experience"

__all__ = ["coverage_matrix", "missing_sector", "paper_only_sector", "paper_only_seats", "sector_absent",
           "sector_one_level"]


def coverage_matrix(landscape: Landscape, memo: Memo | None = None) -> pd.DataFrame:
    """Forum × sector: how many seats each sector holds on each forum (all forums, every sector in legend order)."""
    seats = seats_with_sector(landscape, memo)
    table = pd.crosstab(seats["forum_id"], seats["sector"]) if len(seats) else pd.DataFrame()
    table = table.reindex(index=list(landscape.forum_ids), columns=list(SECTORS), fill_value=0).fillna(0)
    table.index.name = "forum_id"
    table.columns.name = None
    return table.astype(int)


def _sector_presence(landscape: Landscape, config: Config, memo: Memo | None = None) -> dict[str, tuple[set, set]]:
    """Active forum -> (sectors with any seat, sectors with a seat that attends): paper seats are in the first only."""
    seats = active_seats(landscape, memo=memo)
    threshold = config.partners.paper_seat_attendance
    attends = ~(seats["attendance"] < threshold).fillna(False).to_numpy()  # unknown attendance counts as attending
    presence: dict[str, tuple[set, set]] = {f: (set(), set()) for f in landscape.active_forums["forum_id"]}
    expert = (seats["seniority"] == "expert by experience").to_numpy()
    for forum, sector, attending, is_expert in zip(seats["forum_id"], seats["sector"], attends, expert):
        on_paper, in_practice = presence[forum]
        # An expert by experience is lived experience at the table, whichever agency holds the seat.
        held = {sector, LIVED} if is_expert else {sector}
        on_paper.update(held)
        if attending:
            in_practice.update(held)
    return presence


def _label(landscape: Landscape, group: str) -> str:
    return " or ".join(landscape.sector_label(s).lower() for s in group.split("|"))


def _listing(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _none_for(labels: list[str]) -> str:
    """'probation or commissioning'; an either-or group goes last, after 'and none for either', so "no seat for
    primary care or acute health and education" cannot be read two ways."""
    single = [label for label in labels if " or " not in label]
    either = [label for label in labels if " or " in label]
    text = (single[0] if len(single) == 1 else ", ".join(single[:-1]) + " or " + single[-1]) if single else ""
    for label in either:
        text += (", and none for either " if text else "either ") + label
    return text


def _invite(labels: list[str]) -> str:
    """'probation and commissioning'; an either-or group as 'one of primary care or acute health'."""
    single = [label for label in labels if " or " not in label]
    return _listing(single + [f"one of {label}" for label in labels if " or " in label])


def _severity(groups: list[str], config: Config) -> str:
    high = set(config.partners.high_severity_sectors)
    return "high" if any(set(g.split("|")) & high for g in groups) else "medium"


def _expected(landscape: Landscape, config: Config, memo: Memo | None = None) -> dict[str, list[str]]:
    forums = landscape.active_forums
    kinds = forum_kinds(landscape, memo=memo)
    return {forum: config.expected_for(forum, level, themes, kinds[forum].key if forum in kinds else "")
            for forum, level, themes in zip(forums["forum_id"], forums["level"], forums["themes"])}


def _guidance(landscape: Landscape, config: Config, forum: str, missing: list[str], memo: Memo | None = None) -> dict:
    """What national guidance says about the missing groups, when the forum is judged against its kind's list."""
    kind = forum_kinds(landscape, memo=memo).get(forum)
    if (kind is None or not kind.expected or forum in config.partners.expected_by_forum
            or kind.key in config.partners.expected_by_kind):
        return {}
    named = [g for g in missing if g in kind.expected]
    return {"kind": kind.key, "source": kind.source, "guidance_sectors": _keys(named),
            "because": [kind.because(g) for g in named], "named_labels": [_label(landscape, g) for g in named]}


def _citing(guidance: dict) -> str:
    """' SafeLives lists an IDVA among MARAC's core agencies.' for the first reason; the others by name (every reason
    is in the evidence)."""
    reasons = guidance.get("because") or []
    if not reasons:
        return ""
    others = guidance.get("named_labels", [])[1:]
    more = f"; the same guidance names {_listing(others)}" if others else ""
    return f" {reasons[0][0].upper()}{reasons[0][1:]}{more}."


def _cited(guidance: dict) -> dict:
    return {k: v for k, v in guidance.items() if k != "named_labels"}


def _gaps(landscape: Landscape, config: Config, in_practice: bool, memo: Memo | None = None) -> list[tuple[str, list[str]]]:
    presence = _sector_presence(landscape, config, memo=memo)
    level = dict(zip(landscape.forums["forum_id"], landscape.forums["level"]))
    gaps = []
    for forum, groups in _expected(landscape, config, memo=memo).items():
        on_paper, attending = presence[forum]
        missing = []
        for group in groups:
            if group == LIVED and not in_practice and level.get(forum) == "strategic":
                continue  # no_expert_by_experience says it, with a suggestion fit for it: one problem, told once
            options = set(group.split("|"))
            absent = not options & on_paper
            if (not in_practice and absent) or (in_practice and not absent and not options & attending):
                missing.append(group)
        if missing:
            gaps.append((forum, missing))
    return gaps


def _keys(groups: list[str]) -> list[str]:
    return [s for g in groups for s in g.split("|")]


def missing_sector(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """An active forum with no seat at all from a sector expected at its level (or for its themes)."""
    findings = []
    expected = _expected(landscape, config, memo=memo)
    for forum, missing in _gaps(landscape, config, in_practice=False, memo=memo):
        labels = [_label(landscape, g) for g in missing]
        guidance = _guidance(landscape, config, forum, missing, memo=memo)
        findings.append(make_finding(
            "missing_partner", "missing_sector", _severity(missing, config), (forum,),
            f"{name(landscape, forum)} has no seat for {_none_for(labels)}.{_citing(guidance)}",
            evidence={"sectors": _keys(missing), "expected": expected[forum], **_cited(guidance)},
            meam=("feature 3", "feature 4", "challenge 1"),
            suggestion=f"Invite {_invite(labels)} to take a standing seat, with a named deputy."))
    return findings


def _paper_seats(landscape: Landscape, config: Config, memo: Memo | None = None):
    """(gaps, the active seats of the sectors held on paper only, forum by forum)."""
    memo = memo_for(landscape, memo)  # two rules ask: paper_only_sector, and low_seat_attendance
    return memo.get(("paper seats", repr(config.partners)), lambda: _find_paper_seats(landscape, config, memo))


def _find_paper_seats(landscape: Landscape, config: Config, memo: Memo):
    seats = active_seats(landscape, memo)
    gaps = _gaps(landscape, config, in_practice=True, memo=memo)
    if not gaps:
        return gaps, {}
    wanted = pd.MultiIndex.from_tuples([(f, s) for f, missing in gaps for s in _keys(missing)],
                                       names=["forum_id", "sector"])
    held = seats[pd.MultiIndex.from_arrays([seats["forum_id"], seats["sector"]]).isin(wanted)]
    by_forum = dict(iter(held.groupby("forum_id", sort=False)))
    return gaps, {forum: by_forum.get(forum, held.iloc[:0]) for forum, _ in gaps}


def paper_only_seats(landscape: Landscape, config: Config, memo: Memo | None = None) -> set[tuple[str, str, str]]:
    """(forum, agency, post) of every seat a ``paper_only_sector`` finding tells, so ``low_seat_attendance`` does not
    tell it again."""
    _, seats = _paper_seats(landscape, config, memo=memo)
    return {(f, a, p) for here in seats.values() for f, a, p in zip(here["forum_id"], here["agency_id"], here["post"])}


def _attended(landscape: Landscape, here) -> str:
    """' (Probation Service (MARAC probation officer) attended 6 of 26 meetings)' where the counts are known."""
    parts = []
    for agency, post, held, attended in zip(here["agency_id"], here["post"], here["meetings_held"],
                                            here["meetings_attended"]):
        if pd.isna(held) or pd.isna(attended) or not held:
            continue
        who = landscape.agency_name.get(agency, agency) + (f" ({post})" if post else "")
        parts.append(f"{who} attended {int(attended)} of {int(held)} meetings")
    return f" ({'; '.join(parts)})" if parts else ""


def paper_only_sector(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """An expected sector whose seats on a forum all attend less than the threshold: missing in practice."""
    threshold = config.partners.paper_seat_attendance
    gaps, seats = _paper_seats(landscape, config, memo=memo)
    findings = []
    for forum, missing in gaps:
        keys = _keys(missing)
        here = seats[forum]
        labels = [_label(landscape, g) for g in missing]
        guidance = _guidance(landscape, config, forum, missing, memo=memo)
        findings.append(make_finding(
            "missing_partner", "paper_only_sector", _severity(missing, config), (forum,),
            f"{name(landscape, forum)}'s {_listing(labels)} seat{'s are' if len(labels) > 1 else ' is'} on paper "
            f"only, attending under {threshold:.0%} of meetings{_attended(landscape, here)}."
            f"{_citing(guidance)}",
            evidence={"sectors": [s for s in keys if s in set(here["sector"])],
                      "attendance": {f"{a} ({p})" if p else a: round(float(v), 3)
                                     for a, p, v in zip(here["agency_id"], here["post"], here["attendance"])},
                      "threshold": threshold, **_cited(guidance)},
            meam=("feature 4", "challenge 1"),
            suggestion="Ask the agency's lead whether the seat can be filled reliably or by a named deputy."))
    return findings


def _expected_system(config: Config) -> list[str]:
    return list(dict.fromkeys(config.partners.system_expected))


def sector_absent(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """An expected sector with no seat on any active forum in the whole system."""
    present = set(active_seats(landscape, memo=memo)["sector"])
    agencies = landscape.agencies
    findings = []
    for sector in _expected_system(config):
        if sector in present:
            continue
        holders = tuple(agencies.loc[agencies["sector"] == sector, "agency_id"])
        where = (" although " + ", ".join(landscape.agency_name[a] for a in holders) +
                 (" is" if len(holders) == 1 else " are") + " in the agencies list") if holders else ""
        findings.append(make_finding(
            "missing_partner", "sector_absent", "high" if sector in config.partners.high_severity_sectors else "medium",
            holders, f"No active forum has a {landscape.sector_label(sector).lower()} seat{where}.",
            evidence={"sectors": [sector], "scope": "system", "agencies": list(holders)}, key=sector,
            meam=("feature 3", "challenge 1"),
            suggestion=f"Agree which forum {landscape.sector_label(sector).lower()} should join first, "
                       "and who will invite them."))
    return findings


def sector_one_level(landscape: Landscape, config: Config, memo: Memo | None = None) -> list[Finding]:
    """A sector expected at both operational and strategic level that sits at only one of them."""
    expected = config.partners.expected
    both = [g for g in expected.get("operational", []) if "|" not in g and g in expected.get("strategic", [])]
    seats = active_seats(landscape, memo=memo)
    findings = []
    for sector in both:
        levels = set(seats.loc[seats["sector"] == sector, "level"]) & {"operational", "strategic"}
        if len(levels) != 1:
            continue
        (level,) = levels
        missing_level = "strategic" if level == "operational" else "operational"
        holders = tuple(dict.fromkeys(seats.loc[(seats["sector"] == sector), "agency_id"]))
        label = landscape.sector_label(sector).lower()
        findings.append(make_finding(
            "missing_partner", "sector_one_level", "medium", holders,
            f"{landscape.sector_label(sector)} sits on {level} forums but on no {missing_level} forum, "
            f"so {'system issues it sees cannot be raised where decisions are made' if level == 'operational' else 'its decisions do not reach the operational tables'}.",
            evidence={"sectors": [sector], "scope": "system", "present_at": level, "absent_at": missing_level},
            meam=("feature 3", "feature 10"),
            suggestion=f"Invite {label} to the {missing_level} group(s) as well."))
    return findings


RULES = (missing_sector, paper_only_sector, sector_absent, sector_one_level)
