"""Run every rule and measure over a landscape: :func:`analyse` and the :class:`Analysis` it returns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from ..config import Config, resolve_config
from ..memo import Memo, memo_for
from ..model import Landscape
from ..running.parallel import Forked
from ..running.plan import plan_for
from . import (attendance, burden, caseloads, duplication, journeys, key_person, knowledge, links, partners,
               seniority, voice)
from .digest import roll_up
from .problems import one_per_problem, people_into_pairs
from .findings import CATEGORIES, SEVERITIES, Finding, unique_ids
from .ranking import board_headline, rank
from .measures import shared_measures

__all__ = ["Analysis", "analyse", "RULES", "SEAT_RULES", "seat_findings", "findings_key", "rule_findings", "digest"]

# Every rule, family by family, in the order the README lists them.
RULES = (duplication.RULES + partners.RULES + links.RULES + voice.RULES + key_person.RULES + attendance.RULES
         + seniority.RULES + burden.RULES + journeys.RULES + caseloads.RULES + knowledge.RULES)
# On a large landscape these rules (the case lists' journeys and caseloads, which share nothing with the others)
# and the network measures (unless a build worked them out while reading) run in a second process while this one
# runs the rest: about half the time each.
ALONGSIDE_RULES = journeys.RULES + caseloads.RULES
# Rules that read no case list and no date (so not the as-of date, which the case lists can move): a build runs
# them while a long case list is parsed, on the landscape of the other sheets (see seat_findings).
SEAT_RULES = (partners.RULES + attendance.RULES + key_person.RULES + seniority.RULES + burden.RULES
              + (duplication.similar_membership,))


@dataclass
class Analysis:
    """Everything the analyses found. DataFrames hold exact numbers; suppress people counts before showing them."""

    findings: list[Finding]
    measures: dict
    coverage: pd.DataFrame  # forum × sector: seats held
    overlap: pd.DataFrame  # forum × forum: people discussed in both (diagonal: cohort size); exact, unsuppressed
    similarity: pd.DataFrame  # forum × forum: Jaccard similarity of agency membership
    burden: pd.DataFrame  # per agency: forums, seats, meeting-hours per month
    config: Config
    as_of: dt.date | None
    source: str = ""
    suppress: bool = True
    extra: dict = field(default_factory=dict)
    detail: dict = field(default_factory=dict)  # roll-up id -> the findings it holds (findings.xlsx "Detail")
    headline: str = ""  # the one line a board reads first (ranking.board_headline), for the report and the map
    # The board's options (mcn_map.change.options), weighed in the build's analyse step; None when not weighed.
    options: list | None = None

    def __repr__(self) -> str:
        # One line at a prompt: findings_frame() and measures_frame() show the contents as tables.
        severity = self.counts()["by_severity"]
        return (f"<mcn_map.Analysis {self.source or 'in memory'!r}: {len(self.findings):,} findings ("
                + ", ".join(f"{n:,} {s}" for s, n in severity.items()) + f"), as of {self.as_of}>")

    def counts(self) -> dict:
        by_category = {c: 0 for c in CATEGORIES}
        by_severity = {s: 0 for s in SEVERITIES}
        for finding in self.findings:
            by_category[finding.category] = by_category.get(finding.category, 0) + 1
            by_severity[finding.severity] = by_severity.get(finding.severity, 0) + 1
        return {"total": len(self.findings), "by_category": by_category, "by_severity": by_severity}

    def by_rule(self, rule: str) -> list[Finding]:
        return [f for f in self.findings if f.rule == rule]


def analyse(landscape: Landscape, config: Config | str | Path | None = None, as_of=None, *,
            suppress: bool | None = None, parallel: bool | None = None, measures: bool = True,
            memo: Memo | None = None) -> Analysis:
    """Run every rule and measure. ``config`` is a Config or a TOML path (None: defaults); ``as_of``, ``suppress``
    and ``parallel``, where given, take the place of the config's own (see :func:`mcn_map.config.resolve_config`).
    The work is shared with a second process where the plan says so (:mod:`mcn_map.running.plan`); the analysis is
    the same either way. ``measures=False``: the findings alone, without the network measures (``Analysis.measures``
    is then empty and no finding carries a betweenness), for comparing many alternatives' findings, as the board's
    options do. ``memo``: work already done on this landscape (see :mod:`mcn_map.memo`), shared with the caller."""
    config = resolve_config(config, as_of=as_of, suppress=suppress, parallel=parallel)
    memo = memo_for(landscape, memo)
    resolved = pd.Timestamp(config.as_of) if config.as_of else landscape.latest_date
    in_two = plan_for(config).analyse_in_two(len(landscape.cohorts))
    network, found, flows, caseload = (_in_two if in_two else _in_one)(landscape, config, measures, memo)
    findings = [_with_measures(finding, network) for rule_findings in found for finding in rule_findings]
    findings, detail = digest(findings, landscape, config, memo)
    return Analysis(
        findings=findings,
        detail=detail,
        headline=board_headline(landscape, findings, config.suppress),
        measures=network,
        coverage=partners.coverage_matrix(landscape, memo),
        overlap=duplication.overlap_matrix(landscape, memo),
        similarity=duplication.membership_similarity(landscape, memo),
        burden=burden.agency_burden(landscape, config, memo),
        config=config,
        as_of=resolved.date() if resolved is not None else None,
        source=landscape.source,
        suppress=config.suppress,
        extra={"forum_names": dict(landscape.forum_name), "agency_names": dict(landscape.agency_name),
               "flows": flows, "caseloads": caseload},
    )


def findings_key(rule, config: Config) -> tuple:
    """Where a memo keeps one rule's findings under these settings (a build fills it while the case list is read)."""
    return ("findings", rule.__name__, repr(config))


def rule_findings(rule, landscape: Landscape, config: Config, memo: Memo) -> tuple[Finding, ...]:
    """One rule's findings, worked out once per memo and settings."""
    return memo.get(findings_key(rule, config), lambda: tuple(rule(landscape, config, memo=memo)))


def seat_findings(landscape: Landscape, config: Config, memo: Memo | None = None) -> dict:
    """The ``SEAT_RULES``' findings (rule -> findings): they read no case list and no date, so a build works them
    out on the landscape of the other sheets while a long case list is parsed."""
    memo = memo_for(landscape, memo)
    return {rule: rule_findings(rule, landscape, config, memo) for rule in SEAT_RULES}


def _in_one(landscape: Landscape, config: Config, measures: bool, memo: Memo):
    network = shared_measures(landscape, config, memo) if measures else {}
    found = [list(rule_findings(rule, landscape, config, memo)) for rule in RULES]
    return (network, found, journeys.flow_table(landscape, config, memo),
            caseloads.caseload_table(landscape, config, memo))


def _in_two(landscape: Landscape, config: Config, measures: bool, memo: Memo):
    """The measures and ``ALONGSIDE_RULES`` (with the flow and caseload tables they make) in a second process, the
    other rules here; each rule's findings in ``RULES`` order, as :func:`_in_one` gives them."""
    there = Forked(lambda: _alongside_share(landscape, config, measures, memo))
    here = {i: list(rule_findings(rule, landscape, config, memo))
            for i, rule in enumerate(RULES) if rule not in ALONGSIDE_RULES}
    network, found, flows, caseload = there.result()
    found.update(here)
    return network, [found[i] for i in range(len(RULES))], flows, caseload


def _alongside_share(landscape: Landscape, config: Config, measures: bool, memo: Memo):
    found = {i: list(rule_findings(rule, landscape, config, memo))
             for i, rule in enumerate(RULES) if rule in ALONGSIDE_RULES}
    network = shared_measures(landscape, config, memo) if measures else {}
    return (network, found, journeys.flow_table(landscape, config, memo),
            caseloads.caseload_table(landscape, config, memo))


def digest(findings, landscape: Landscape, config: Config, memo: Memo | None = None) -> tuple[list[Finding], dict]:
    """Tell each problem once (see ``problems.one_per_problem``), score and rank, then roll up long runs of one
    pattern (see ``digest.roll_up``): the one order and digest every renderer and ``compare`` sees. Rules added
    elsewhere can pass their findings through here."""
    forum_ids = frozenset(landscape.forum_ids)
    findings = one_per_problem(findings, landscape, config)  # one finding per pair, group of people, or of forums
    rolled, detail = roll_up(rank(findings, forum_ids), landscape, config, memo=memo)
    return unique_ids(rank(people_into_pairs(rolled, detail), forum_ids)), detail


def _with_measures(finding: Finding, measures: dict) -> Finding:
    """Add the network position of the agency or post a finding is about, where the measures bear on it."""
    if not measures:
        return finding
    if finding.category == "burden":
        agency = measures["agencies"].get(finding.subjects[0])
        if agency:
            return replace(finding, evidence={**finding.evidence, "betweenness": agency["betweenness"]})
    if finding.category == "key_person":
        for post in measures["posts"]:
            if post["post"] == finding.subjects[-1] and post["agency"] == finding.evidence.get("agency"):
                return replace(finding, evidence={**finding.evidence, "betweenness": post["betweenness"]})
    return finding
