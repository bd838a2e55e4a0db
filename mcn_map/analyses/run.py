"""Run every rule and measure over a landscape: :func:`analyse` and the :class:`Analysis` it returns."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from .._version import __version__
from ..config import Config, load_config, parse_as_of
from ..errors import McnMapError
from ..model import Landscape
from ..running.parallel import Forked, should_fork
from ..privacy.suppression import UNSUPPRESSED_STAMP
from . import attendance, burden, caseloads, duplication, journeys, key_person, links, partners, seniority, voice
from .digest import roll_up
from .problems import one_per_problem
from .findings import CATEGORIES, SEVERITIES, Finding, unique_ids
from .ranking import board_headline, rank
from .measures import cached_measures

__all__ = ["Analysis", "analyse", "analysis_config", "analysis_for", "RULES", "SEAT_RULES", "seat_findings",
           "findings_document"]

# Every rule, family by family, in the order the README lists them.
RULES = (duplication.RULES + partners.RULES + links.RULES + voice.RULES + key_person.RULES + attendance.RULES
         + seniority.RULES + burden.RULES + journeys.RULES + caseloads.RULES)
# On a large landscape these rules (the case lists' journeys and caseloads, which share nothing with the others)
# and the network measures (unless a build worked them out while reading) run in a second process while this one
# runs the rest: about half the time each.
ALONGSIDE_RULES = journeys.RULES + caseloads.RULES
PARALLEL_MIN_COHORT_ROWS = 50_000
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

    def counts(self) -> dict:
        by_category = {c: 0 for c in CATEGORIES}
        by_severity = {s: 0 for s in SEVERITIES}
        for finding in self.findings:
            by_category[finding.category] = by_category.get(finding.category, 0) + 1
            by_severity[finding.severity] = by_severity.get(finding.severity, 0) + 1
        return {"total": len(self.findings), "by_category": by_category, "by_severity": by_severity}

    def by_rule(self, rule: str) -> list[Finding]:
        return [f for f in self.findings if f.rule == rule]


def _as_of(value) -> str:
    return parse_as_of(value)  # the workbook's date forms, range-checked (config.parse_as_of)


def analyse(landscape: Landscape, config: Config | str | Path | None = None, as_of=None, *,
            suppress: bool | None = None, parallel: bool | None = None, measures: bool = True) -> Analysis:
    """Run every rule and measure. ``config`` is a Config or a TOML path (None: defaults); ``as_of`` a date (None:
    the config's, else the latest date in the data); ``suppress`` overrides the config's people-count suppression.
    ``parallel``: share the work with a second process (Linux; default: when the case lists reach
    ``PARALLEL_MIN_COHORT_ROWS`` rows and :func:`mcn_map.running.parallel.should_fork`); the analysis is the same either way.
    ``measures=False``: the findings alone, without the network measures (``Analysis.measures`` is then empty and
    no finding carries a betweenness), for comparing many alternatives' findings, as the board's options do."""
    config = analysis_config(config, as_of, suppress)
    resolved = pd.Timestamp(config.as_of) if config.as_of else landscape.latest_date
    if parallel is None:
        parallel = len(landscape.cohorts) >= PARALLEL_MIN_COHORT_ROWS and should_fork()
    network, found = (_in_two if parallel else _in_one)(landscape, config, measures)
    findings = [_with_measures(finding, network) for rule_findings in found for finding in rule_findings]
    findings, detail = digest(findings, landscape, config)
    return Analysis(
        findings=findings,
        detail=detail,
        headline=board_headline(landscape, findings, config.suppress),
        measures=network,
        coverage=partners.coverage_matrix(landscape),
        overlap=duplication.overlap_matrix(landscape),
        similarity=duplication.membership_similarity(landscape),
        burden=burden.agency_burden(landscape, config),
        config=config,
        as_of=resolved.date() if resolved is not None else None,
        source=landscape.source,
        suppress=config.suppress,
        extra={"forum_names": dict(landscape.forum_name), "agency_names": dict(landscape.agency_name),
               "flows": journeys.flow_table(landscape, config), "caseloads": caseloads.caseload_table(landscape, config)},
    )


def analysis_config(config: Config | str | Path | None = None, as_of=None, suppress: bool | None = None) -> Config:
    """The settings :func:`analyse` runs with: ``config`` (a Config, copied, or a TOML path; None: the defaults)
    with ``as_of`` and ``suppress``, when given, in place of its own."""
    config = copy.deepcopy(config) if isinstance(config, Config) else load_config(config)
    if as_of is not None:
        config.as_of = _as_of(as_of)
    if suppress is not None:
        config.suppress = bool(suppress)
    return config


def _found(rule, landscape: Landscape, config: Config) -> list[Finding]:
    """A rule's findings, from the cache where :func:`seat_findings` put them (the same settings) or worked out."""
    cached = landscape.cache.get(("_findings", rule.__name__, repr(config)))
    return list(cached) if cached is not None else list(rule(landscape, config))


def seat_findings(landscape: Landscape, config: Config) -> None:
    """Run the ``SEAT_RULES`` and keep their findings in the landscape's cache for :func:`analyse` with the same
    ``config``: a build does this on the landscape of every sheet but the case list, while that is parsed."""
    for rule in SEAT_RULES:
        landscape.cache[("_findings", rule.__name__, repr(config))] = tuple(rule(landscape, config))


def _measured(landscape: Landscape, config: Config, measures: bool) -> dict:
    return cached_measures(landscape, config)[1] if measures else {}


def _in_one(landscape: Landscape, config: Config, measures: bool) -> tuple[dict, list[list[Finding]]]:
    return _measured(landscape, config, measures), [_found(rule, landscape, config) for rule in RULES]


def _in_two(landscape: Landscape, config: Config, measures: bool) -> tuple[dict, list[list[Finding]]]:
    """The measures and ``ALONGSIDE_RULES`` in a second process, the other rules here; each rule's findings in
    ``RULES`` order, as :func:`_in_one` gives them. What the second process caches on the landscape (the
    journeys, the flows) is brought back, for the outputs that use it."""
    there = Forked(lambda: _alongside_share(landscape, config, measures))
    here = {i: _found(rule, landscape, config) for i, rule in enumerate(RULES) if rule not in ALONGSIDE_RULES}
    network, found, cached = there.result()
    for key, value in cached.items():
        landscape.cache.setdefault(key, value)
    found.update(here)
    return network, [found[i] for i in range(len(RULES))]


def _alongside_share(landscape: Landscape, config: Config, measures: bool
                     ) -> tuple[dict, dict[int, list[Finding]], dict]:
    before = set(landscape.cache)
    found = {i: _found(rule, landscape, config) for i, rule in enumerate(RULES) if rule in ALONGSIDE_RULES}
    network = _measured(landscape, config, measures)
    return network, found, {k: v for k, v in landscape.cache.items() if k not in before}


def digest(findings, landscape: Landscape, config: Config) -> tuple[list[Finding], dict]:
    """Tell each problem once (see ``problems.one_per_problem``), score and rank, then roll up long runs of one pattern (see ``digest.roll_up``): the one
    order and digest every renderer and ``compare`` sees. Rules added elsewhere can pass their findings through here."""
    forum_ids = frozenset(landscape.forum_ids)
    findings = one_per_problem(findings, landscape, config)  # one finding per pair, group of people, or of forums
    rolled, detail = roll_up(rank(findings, forum_ids), landscape, config)
    return unique_ids(rank(rolled, forum_ids)), detail


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


def findings_document(analysis: Analysis) -> dict:
    """The content of ``findings.json`` (see ``mcn_map/schemas/findings.schema.json``)."""
    document = {
        "tool": "mcn-map",
        "version": __version__,
        "source": analysis.source,
        "as_of": analysis.as_of.isoformat() if analysis.as_of else None,
        "suppressed": analysis.suppress,
        "config": analysis.config.as_dict(),
        "counts": analysis.counts(),
        "findings": [f.as_dict() for f in analysis.findings],
        "measures": analysis.measures,
    }
    if not analysis.suppress:
        document["stamp"] = UNSUPPRESSED_STAMP
    return document


def analysis_for(context) -> Analysis:
    """The build's analysis, computed once and shared by every output (options: config, as_of, suppress)."""
    if "analysis" not in context.cache:
        options = context.options
        context.cache["analysis"] = analyse(context.landscape, options.get("config"), options.get("as_of"),
                                            suppress=options.get("suppress"))
    return context.cache["analysis"]
