"""Ranking and roll-up: pure functions over findings, run after the rules and before any renderer, so the report, the
map, the workbooks and ``compare`` all see the same order.

The impact score (documented in the README, "How findings are ranked") adds up what a finding touches:

* **people**: the people it concerns, as a board may see them (a suppressed "<8" counts as 4), one point each;
* **forums**: 10 points for every forum it names, in its subjects or in its evidence (forums cut off, forums a post
  sits on, operational forums routing to a stalled group);
* **meeting-hours**: one point per meeting-hour a month (burden);
* **gaps in guidance**: 10 points for every expected sector missing, and 5 more for each when national guidance for
  the forum's kind names it.

Findings are ordered by severity, then impact, then category and id, never by name. A rule this module does not know
still gets a score from whatever of these its evidence holds, and at least 1.
"""

from __future__ import annotations

from dataclasses import replace

from .findings import Finding, sort_findings

__all__ = ["headline", "board_headline", "impact", "rank", "same_problem", "SUPPRESSED_AS"]

SUPPRESSED_AS = 4  # "<8" in arithmetic: the middle of 1-7, the same for every suppressed count
PEOPLE_KEYS = ("people", "shared_people", "people_discussed")
FORUM_LIST_KEYS = ("forums", "operational_forums", "strategic_forums", "forums_involved", "cut_off")


def _number(value) -> float:
    if isinstance(value, bool):
        return 0.0
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).replace(",", "").strip()
    if text == "<8":
        return float(SUPPRESSED_AS)
    try:
        return float(text)
    except ValueError:
        return 0.0


def impact(finding: Finding, forum_ids=frozenset()) -> float:
    """The documented impact score of one finding (see the module docstring)."""
    evidence = finding.evidence
    people = max((_number(evidence[k]) for k in PEOPLE_KEYS if k in evidence), default=0.0)
    forums = {s for s in finding.subjects if s in forum_ids}
    for key in FORUM_LIST_KEYS:
        value = evidence.get(key)
        if isinstance(value, (list, tuple)):
            forums.update(v for v in value if isinstance(v, str) and (not forum_ids or v in forum_ids))
    hours = _number(evidence.get("hours_per_month", 0))
    gaps = 0.0
    if finding.category == "missing_partner":
        sectors = evidence.get("sectors") or []
        gaps = 10.0 * len(sectors) + 5.0 * len(evidence.get("guidance_sectors") or [])
    return round(max(1.0, people + 10.0 * len(forums) + hours + gaps), 1)


def rank(findings, forum_ids=frozenset()) -> list[Finding]:
    """Score every finding that has no impact yet and put them in rank order."""
    forum_ids = frozenset(forum_ids)
    scored = [f if f.impact else replace(f, impact=impact(f, forum_ids)) for f in findings]
    return sort_findings(scored)


def _forums(finding: Finding) -> frozenset:
    return frozenset(finding.subjects)


def same_problem(a: Finding, b: Finding) -> bool:
    """Two findings describe one problem: the same category and subjects, or duplication among forums one of which
    already covers (the same people in a cluster and in a pair inside it)."""
    if a.category != b.category:
        return False
    if _forums(a) == _forums(b):
        return True
    return a.category == "duplication" and (_forums(a) <= _forums(b) or _forums(b) <= _forums(a))


def headline(findings: list[Finding], n: int = 10) -> list[Finding]:
    """The first ``n`` distinct problems in rank order: what "What the board should know" lists and the map rings.

    ``findings`` must already be in rank order (as ``Analysis.findings`` is). A finding describing the same problem as
    one already chosen (see :func:`same_problem`) is skipped; the first, higher-ranked one is kept.
    """
    chosen: list[Finding] = []
    for finding in findings:
        if any(same_problem(finding, kept) for kept in chosen):
            continue
        chosen.append(finding)
        if len(chosen) == n:
            break
    return chosen


def _first_sentence(message: str) -> str:
    """The message up to its first full stop, semicolon or colon (or a roll-up's areas): the problem, without its
    list or its consequence."""
    ends = [i for i in (message.find(". "), message.find("; "), message.find(": "), message.find(" (by area"))
            if i > 0]
    return (message[:min(ends)] if ends else message.rstrip(".")).strip()


def board_headline(landscape, findings: list[Finding], suppress: bool = True) -> str:
    """The one line a board reads first: "14 active forums, 295 people discussed, 40 of them in two or more; the most
    urgent: ...". The counts are the report's own (the same suppression), the most urgent problem the first of
    :func:`headline`."""
    from ..privacy.suppression import people_count

    active = int((landscape.forums["status"] == "active").sum())
    parts = [f"{active:,} active forum{'s' if active != 1 else ''}"]
    cohorts = landscape.cohorts
    if len(cohorts):
        per_person = cohorts.drop_duplicates(["forum_id", "person"]).groupby("person").size()
        parts.append(f"{people_count(len(per_person), suppress)} people discussed, "
                     f"{people_count(int((per_person >= 2).sum()), suppress)} of them in two or more forums")
    top = headline(findings, 1)
    urgent = f"; the most urgent: {_mid_sentence(_first_sentence(top[0].message))}." if top else "; no findings."
    return ", ".join(parts) + urgent


def _mid_sentence(text: str) -> str:
    """A finding's sentence carried on after a colon: "The" and "A" lose their capital, names and acronyms keep it."""
    first, _, rest = text.partition(" ")
    return (first.lower() + " " + rest) if first in ("The", "A", "An") and rest else text
