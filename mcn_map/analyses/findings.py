"""The findings model: what every rule returns, and the one order findings are listed in."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

__all__ = ["CATEGORIES", "SEVERITIES", "Finding", "make_finding", "sort_findings"]

CATEGORIES = ("duplication", "missing_partner", "weak_link", "person_voice", "key_person", "attendance", "seniority",
              "burden")
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

    def as_dict(self) -> dict:
        data = asdict(self)
        data["subjects"] = list(self.subjects)
        data["meam"] = list(self.meam)
        return data


def make_finding(category: str, rule: str, severity: str, subjects, message: str, *, evidence=None, meam=(),
                 suggestion: str = "") -> Finding:
    subjects = tuple(subjects)
    digest = hashlib.sha256(json.dumps([rule, subjects]).encode("utf-8")).hexdigest()[:10]
    return Finding(f"{rule}-{digest}", category, rule, severity, subjects, message, dict(evidence or {}),
                   tuple(meam), suggestion)


def sort_findings(findings) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITIES.index(f.severity), CATEGORIES.index(f.category), f.subjects,
                                           f.rule, f.id))
