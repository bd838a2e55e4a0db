"""The digest: findings that share a rule and a pattern, rolled up into one finding a board can read.

When a rule (for missing partners: a rule, a sector and a tier) gives more than ``digest.rollup_above`` findings (pairs
of forums: more than ``digest.examples``), they become one finding: "Mental health has no seat at 34 of 110 active
operational forums (Area 2: 9, ...)"; a roll-up of pairs counts the people across them, each once. Its subjects are the first ``digest.subjects`` forums of its highest-ranked members, so the map rings those and not
every forum; the members themselves go into its evidence (the first few) and into findings.xlsx's "Detail" sheet (all).
A roll-up's id comes from its rule and pattern only, so it is stable for the same input and survives a change in
which forums are worst.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from ..config import Config
from ..memo import Memo, memo_for
from ..model import Landscape
from . import duplication, seniority, voice
from .common import active_ids, input_order, name, names, people, people_phrase
from .findings import SEVERITIES, Finding, finding_id

__all__ = ["roll_up", "PHRASES"]

# How a roll-up opens, per rule: {n} is the number of findings rolled up. A rule not listed here (a family added
# later) gets a plain sentence naming its rule.
PHRASES = {
    "cohort_overlap": "{n} pairs of forums discuss many of the same people: {people} discussed at both forums of "
                      "at least one pair",
    "contradictory_plans": "{people} discussed at two forums within {window} days under different lead agencies, "
                           "across {n} pairs of forums",
    "similar_membership": "{n} pairs of forums at the same tier have near-identical membership",
    "no_route_to_strategic": "{n} operational forums have no route to an active strategic group",
    "no_feedback": "{n} escalation or reporting links have nothing coming back the other way",
    "no_shared_seat": "{n} operational forums share no agency or post with the strategic group they escalate to",
    "strategic_winding_down": "{n} strategic forums have stopped or stalled while operational forums route to them",
    "strategic_unfed": "{n} strategic forums hear from no operational forum",
    "forum_not_meeting": "{n} forums listed as active have not met for over {not_met} times their interval",
    "no_person_voice": "{n} of {of} case forums hear no one in the room speaking for the people they discuss",
    "no_expert_by_experience": "{n} of {of} active strategic forums have no expert by experience at the table",
    "sole_tier_link": "{n} posts are each one of the only links between the tiers",
    "post_on_many_forums": "{n} posts each sit on many forums",
    "low_seat_attendance": "{n} seats attend under half of their forum's meetings",
    "low_forum_attendance": "{n} forums have low average attendance",
    "strategic_mostly_practitioners": "{n} strategic forums are mostly practitioners",
    "no_decision_maker": "{n} of {of} operational forums have no service manager or more senior seat",
    "no_chair": "{n} of {of} active forums record no chair",
    "meetings_against_frequency": "{n} forums report meetings held that contradict their stated frequency",
    "meeting_hours": "{n} agencies spend more than {hours:.0f} hours a month in multi-agency meetings",
    "overlap_cluster": "{n} clusters of forums discuss many of the same people",
    "post_caseloads": "{n} lead posts each lead more people than the guidance on caseloads suggests",
    "forum_flows": "{n} pairs of unlinked forums pass many of the same people from one to the other",
    "repeat_discussion": "{n} forums discuss the same people again and again",
}
PER_SECTOR = ("missing_sector", "paper_only_sector")
# A gap one forum at a time that is really one pattern: from ``digest.pattern_from`` forums it is one finding naming
# them all, out of the forums the rule asked ("9 of 10 case forums ...").
PATTERN_RULES = {
    "no_person_voice": voice.forums_asked_about_voice,
    "no_decision_maker": seniority.forums_with_known_seniority,
    "no_expert_by_experience": lambda landscape, memo=None: active_ids(landscape, "strategic"),
    "no_chair": seniority.forums_with_seats,
}
PEOPLE_ACROSS = ("cohort_overlap", "contradictory_plans")  # pair rules whose roll-up counts people, not pairs


def _pattern(finding: Finding, landscape: Landscape) -> list[tuple]:
    """The patterns a finding belongs to: its rule, and for missing partners each sector at the forum's tier."""
    if finding.rule in PER_SECTOR and finding.subjects:
        level = landscape.forum_level.get(finding.subjects[0], "")
        return [(finding.rule, sector, level) for sector in finding.evidence.get("sectors", [])] or [(finding.rule,)]
    return [(finding.rule,)]


def _by_area(landscape: Landscape, forum_ids) -> dict[str, int]:
    if "area" not in landscape.forums:
        return {}
    area = dict(zip(landscape.forums["forum_id"], landscape.forums["area"]))
    counts = Counter(area.get(f, "") for f in forum_ids)
    counts.pop("", None)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _area_text(by_area: dict[str, int]) -> str:
    if len(by_area) < 2:
        return ""
    shown = list(by_area.items())[:5]
    more = ", ..." if len(by_area) > 5 else ""
    return " (by area: " + ", ".join(f"{area}: {n}" for area, n in shown) + more + ")"


def _whole_areas(landscape: Landscape, forums, level: str) -> list[str]:
    """Areas where every active forum at ``level`` is among ``forums``: where a gap is not scattered but total."""
    if "area" not in landscape.forums or not level:
        return []
    active = landscape.active_forums
    active = active[(active["level"] == level) & (active["area"] != "")]
    flagged = set(forums)
    whole = [area for area, ids in active.groupby("area")["forum_id"] if set(ids) <= flagged]
    return sorted(whole, key=lambda a: (len(a), a))  # "Area 2" before "Area 10"


def _cluster_text(landscape: Landscape, pattern: tuple, forums) -> str:
    """ "; every operational forum in Area 1, Area 3 and Area 5 lacks it", where areas are whole (two or more)."""
    if pattern[0] not in PER_SECTOR:
        return ""
    whole = _whole_areas(landscape, forums, pattern[2])
    if len(whole) < 2:
        return ""
    shown = whole[:8] + ([f"{len(whole) - 8} more areas"] if len(whole) > 8 else [])
    listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    what = "lacks it" if pattern[0] == "missing_sector" else "has it on paper only"
    return f"; every active {pattern[2]} forum in {listed} {what}"


def _forums_of(findings: list[Finding], landscape: Landscape) -> list[str]:
    seen = dict.fromkeys(s for f in findings for s in f.subjects if s in landscape.forum_name)
    return list(seen)


def _opening(pattern: tuple, members: list[Finding], landscape: Landscape, config: Config, memo: Memo | None = None) -> str:
    rule, n = pattern[0], len(members)
    if rule in PER_SECTOR:
        _, sector, level = pattern
        active = landscape.active_forums
        tier = int((active["level"] == level).sum()) if level else len(active)
        label = landscape.sector_label(sector)
        where = f"{n:,} of {tier:,} active {level + ' ' if level else ''}forums"
        if rule == "missing_sector":
            return f"{label} has no seat at {where}"
        return f"{label} holds a seat on paper only (attending under half the meetings) at {where}"
    phrase = PHRASES.get(rule)
    if phrase is None:
        return f"{n:,} findings of the rule {rule.replace('_', ' ')}"
    asked = PATTERN_RULES.get(rule)
    of = f"{len(asked(landscape, memo)):,}" if asked else ""
    text = phrase.format(n=f"{n:,}", of=of, window=config.duplication.contradictory_window_days, people="{people}",
                         not_met=f"{config.links.not_met_factor:g}", hours=config.burden.hours_per_month)
    if "{people}" in text:
        text = text.replace("{people}", people_phrase(_people_across(rule, members, landscape, config, memo=memo), config,
                                                      "were" if rule == "contradictory_plans" else "are",
                                                      "was" if rule == "contradictory_plans" else "is"))
    return text


def _pairs_of(members: list[Finding], landscape: Landscape) -> list[tuple[str, str]]:
    return [tuple(f.subjects[:2]) for f in members if len(f.subjects) >= 2
            and all(s in landscape.forum_name for s in f.subjects[:2])]


def _people_across(rule: str, members: list[Finding], landscape: Landscape, config: Config, memo: Memo | None = None) -> int:
    """The distinct people across a roll-up of pairs: a person at several of the pairs counts once."""
    pairs = _pairs_of(members, landscape)
    if rule == "contradictory_plans":
        return duplication.people_under_different_leads(landscape, config, pairs, memo=memo)
    return duplication.people_in_pairs(landscape, pairs, memo=memo)


def _people_of(finding: Finding) -> float:
    """The people a pair finding names, as a number ("<8" as 4, the ranking's reading)."""
    value = str(finding.evidence.get("shared_people", finding.evidence.get("people", "0"))).replace(",", "")
    return 4.0 if value == "<8" else float(value) if value.replace(".", "").isdigit() else 0.0


def _example_text(members: list[Finding], landscape: Landscape, examples: int) -> str:
    if members and members[0].rule in PEOPLE_ACROSS:  # "the pairs with most" people: by people, not impact
        members = sorted(members, key=lambda f: (-_people_of(f), f.id))
    labels = []
    for finding in members[:examples]:
        forums = [s for s in finding.subjects if s in landscape.forum_name]
        if len(forums) >= 2:
            labels.append(" and ".join(name(landscape, f) for f in forums))
        elif forums:
            labels.append(name(landscape, forums[0]))
        else:
            labels.append(", ".join(finding.subjects))
    if not labels:
        return ""
    if members[0].rule in PEOPLE_ACROSS:
        return f"; the {len(labels)} pairs with most people: " + "; ".join(labels)
    return f"; the {len(labels)} with most impact: " + "; ".join(labels)


def _rolled(pattern: tuple, members: list[Finding], landscape: Landscape, config: Config, memo: Memo | None = None) -> Finding:
    examples = config.digest.examples
    top = members[:examples]
    forums = _forums_of(members, landscape)
    by_area = _by_area(landscape, forums)
    if pattern[0] in PER_SECTOR or pattern[0] in PATTERN_RULES:
        message = _opening(pattern, members, landscape, config, memo=memo) + _area_text(by_area)
        if len(forums) <= examples:
            message += f": {names(landscape, input_order(landscape, forums, memo=memo))}"
        message += _cluster_text(landscape, pattern, forums) + "."
    else:
        message = (_opening(pattern, members, landscape, config, memo=memo) + _area_text(by_area)
                   + _example_text(members, landscape, examples) + ".")
    limit = config.digest.subjects
    subjects = input_order(landscape, _forums_of(top, landscape)[:limit], memo=memo) or tuple(dict.fromkeys(
        s for f in top for s in f.subjects))[:limit]
    evidence = {
        "rolled_up": len(members), "forums_involved": len(forums), "by_area": by_area,
        "items": [{"id": f.id, "subjects": list(f.subjects), "severity": f.severity, "impact": f.impact,
                   "message": f.message} for f in top],
        "detail": "findings.xlsx, sheet Detail",
    }
    if pattern[0] in PEOPLE_ACROSS:
        evidence["people"] = people(_people_across(pattern[0], members, landscape, config, memo=memo), config)
    if pattern[0] in PER_SECTOR:
        evidence["sectors"] = [pattern[1]]
        evidence["level"] = pattern[2]
    elif members[0].category == "missing_partner":  # the schema asks every missing-partner finding for its sectors
        evidence["sectors"] = list(dict.fromkeys(s for f in members for s in f.evidence.get("sectors", [])))
    first = members[0]
    suggestion = first.suggestion
    if pattern[0] == "missing_sector":  # the first forum's suggestion names its other missing sectors too
        suggestion = (f"Invite {landscape.sector_label(pattern[1]).lower()} to take a standing seat at these forums, "
                      "with a named deputy; findings.xlsx lists every forum.")
    severity = min((f.severity for f in members), key=lambda s: SEVERITIES.index(s) if s in SEVERITIES else 9)
    if pattern[0] in PER_SECTOR:  # a forum missing two sectors is as severe as the worse: judge each sector alone
        severity = "high" if pattern[1] in config.partners.high_severity_sectors else "medium"
    return Finding(
        id=finding_id(first.rule, ["roll-up", *pattern[1:]]), category=first.category, rule=first.rule,
        severity=severity, subjects=tuple(subjects), message=message, evidence=evidence, meam=first.meam,
        suggestion=suggestion, impact=round(sum(f.impact for f in members), 1))


def _limit(rule: str, config: Config) -> int:
    """Pairs of forums roll up once there are more than a roll-up names (``digest.examples``): eleven near-identical
    pair findings say less than one that counts the people across them and names the ten worst pairs."""
    limit = config.digest.rollup_above
    if rule in PATTERN_RULES:
        return min(limit, config.digest.pattern_from - 1)
    return min(limit, config.digest.examples) if rule in PEOPLE_ACROSS else limit


def roll_up(findings: list[Finding], landscape: Landscape, config: Config, memo: Memo | None = None) -> tuple[list[Finding], dict]:
    """Findings in rank order -> (the digest, {roll-up id: the findings it holds, in rank order}).

    Findings whose every pattern stays within its limit (``digest.rollup_above``; for pairs of forums, no more than
    ``digest.examples``) pass through unchanged."""
    groups: dict[tuple, list[Finding]] = defaultdict(list)
    for finding in findings:
        for pattern in _pattern(finding, landscape):
            groups[pattern].append(finding)
    # A rule is rolled up when any of its patterns is too long: a rule is digested whole or not at all, so no
    # finding is both listed and rolled up.
    rolled_rules = {pattern[0] for pattern, members in groups.items() if len(members) > _limit(pattern[0], config)}
    kept = [f for f in findings if f.rule not in rolled_rules]
    detail = {}
    for pattern, members in groups.items():
        if pattern[0] not in rolled_rules:
            continue
        finding = _rolled(pattern, members, landscape, config, memo=memo)
        kept.append(finding)
        detail[finding.id] = members
    return kept, detail
