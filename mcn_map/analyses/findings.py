"""The findings model: what every rule returns, and the one order findings are listed in."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace

__all__ = ["CATEGORIES", "SEVERITIES", "Finding", "make_finding", "finding_id", "sort_findings"]

CATEGORIES = ("duplication", "missing_partner", "weak_link", "person_voice", "key_person", "attendance", "seniority",
              "burden", "knowledge")
SEVERITIES = ("high", "medium", "low")


@dataclass(frozen=True)
class Finding:
    id: str  # stable for the same input: derived from rule and subjects
    category: str
    rule: str
    severity: str
    subjects: tuple[str, ...]  # forum_ids, agency_ids or post labels, as spelled in the input
    message: str  # one plain-English sentence a board member understands
    evidence: dict = field(default_factory=dict)
    meam: tuple[str, ...] = ()  # e.g. ("feature 10", "challenge 1")
    suggestion: str = ""
    impact: float = 0.0  # how much it matters within its severity (see ranking.impact); filled in by analyse

    def as_dict(self) -> dict:
        data = asdict(self)
        data["subjects"] = list(self.subjects)
        data["meam"] = list(self.meam)
        return data


def finding_id(rule: str, subjects, key: str = "") -> str:
    """The rule plus a digest of its subjects (and ``key``, for a rule whose subjects alone do not tell its findings
    apart, such as a sector no forum has, whose subjects are that sector's agencies and may be none)."""
    identity = [rule, list(subjects)] + ([key] if key else [])
    digest = hashlib.sha256(json.dumps(identity).encode("utf-8")).hexdigest()[:10]
    return f"{rule}-{digest}"


def make_finding(category: str, rule: str, severity: str, subjects, message: str, *, evidence=None, meam=(),
                 suggestion: str = "", impact: float = 0.0, key: str = "") -> Finding:
    subjects = tuple(subjects)
    return Finding(finding_id(rule, subjects, key), category, rule, severity, subjects, message, dict(evidence or {}),
                   tuple(meam), suggestion, float(impact))


def _rank(values, value) -> int:
    return values.index(value) if value in values else len(values)  # a rule family added later sorts after ours


def sort_findings(findings) -> list[Finding]:
    """Most severe first, then most impact; ties broken by category and the stable id, never by name."""
    return sorted(findings, key=lambda f: (_rank(SEVERITIES, f.severity), -f.impact, _rank(CATEGORIES, f.category),
                                           f.id))


def unique_ids(findings) -> list[Finding]:
    """The findings with every id distinct: a repeat of an id already given (one rule, the same subjects) gets
    ``-2``, ``-3``, ... in the order given, so ``compare`` and the responses sheet can rely on ids being keys."""
    seen: dict[str, int] = {}
    out = []
    for finding in findings:
        n = seen.get(finding.id, 0) + 1
        seen[finding.id] = n
        out.append(finding if n == 1 else replace(finding, id=f"{finding.id}-{n}"))
    return out
