"""Ranking and roll-up: pure functions over findings, run after the rules and before any renderer, so the report, the
map, the workbooks and ``compare`` all see the same order."""

from __future__ import annotations

from .findings import Finding

__all__ = ["headline"]


def headline(findings: list[Finding], n: int = 10) -> list[Finding]:
    """The first ``n`` distinct problems in rank order: what "What the board should know" lists and the map rings.

    ``findings`` must already be in rank order (as ``Analysis.findings`` is). Two findings about the same subjects in
    the same category count as one problem; the first (higher-ranked) is kept.
    """
    seen: set = set()
    chosen: list[Finding] = []
    for finding in findings:
        problem = (finding.category, frozenset(finding.subjects))
        if problem in seen:
            continue
        seen.add(problem)
        chosen.append(finding)
        if len(chosen) == n:
            break
    return chosen
