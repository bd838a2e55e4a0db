"""National forum kinds (MARAC, Health and Wellbeing Board, ...): data, not code.

Each kind's expected partners, the source they come from, whether the forum discusses living people and whether it
is a case forum or a board live in ``mcn_map/data/forum_kinds.toml``; this module reads that file once and answers
questions about it. Rules ask it; they hold no lists of their own.

>>> infer("Northtown MARAC", "operational")
'marac'
>>> infer("Drug Related Deaths Review", "operational")
'drug_deaths_review'
>>> KINDS["hwb"].case_forum
False
>>> KINDS["hwb"].statutory, KINDS["hwb"].statute
(True, 'Health and Social Care Act 2012, s.194')
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources

__all__ = ["Kind", "KINDS", "KIND_KEYS", "infer", "kind_synonyms"]


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    source: str
    expected: tuple[str, ...]  # sector groups; empty: no national list, so the tier defaults apply
    why: dict = field(default_factory=dict)  # sector group -> the plain words a finding cites
    discusses_living: bool = True
    case_forum: bool = True
    synonyms: tuple[str, ...] = ()
    names: tuple[re.Pattern, ...] = ()
    levels: tuple[str, ...] = ()
    notes: str = ""
    statutory: bool = False  # the law requires it: reshaped within what the law asks, never ended or merged away
    statute: str = ""  # the section that requires it
    joint: str = ""  # what the statute allows by way of a joint arrangement, where it does
    purpose: str = ""  # what it is for: kinds with different purposes are not interchangeable
    combines_with: tuple[str, ...] = ()  # kinds it may sensibly combine with
    specialist: bool = False  # a narrow national purpose: merged only with a forum known to combine with it

    def may_combine(self, other: "Kind") -> bool:
        """Whether one forum of this kind and one of ``other`` may sensibly become one: the same kind, or either
        lists the other; never a forum about living people with one about people who have died.

        >>> KINDS["marac"].may_combine(KINDS["matac"]), KINDS["high_intensity_use"].may_combine(KINDS["multiple_disadvantage_operational"])
        (False, True)
        """
        if self.discusses_living != other.discusses_living:
            return False
        return self.key == other.key or other.key in self.combines_with or self.key in other.combines_with

    def because(self, group: str) -> str:
        """Why this kind expects a sector group, in words a board reads."""
        return self.why.get(group) or f"{self.source} expects it"


def _read() -> dict[str, Kind]:
    text = resources.files("mcn_map").joinpath("data/forum_kinds.toml").read_text(encoding="utf-8")
    kinds = {}
    for key, entry in tomllib.loads(text).items():
        kinds[key] = Kind(
            key=key, label=entry["label"], source=entry["source"], expected=tuple(entry.get("expected", ())),
            why=dict(entry.get("why", {})), discusses_living=bool(entry.get("discusses_living", True)),
            case_forum=bool(entry.get("case_forum", True)), synonyms=tuple(entry.get("synonyms", ())),
            names=tuple(re.compile(p, re.IGNORECASE) for p in entry.get("names", ())),
            levels=tuple(entry.get("levels", ())), notes=entry.get("notes", ""),
            statutory=bool(entry.get("statutory", False)), statute=entry.get("statute", ""),
            joint=entry.get("joint", ""), purpose=entry.get("purpose", ""),
            combines_with=tuple(entry.get("combines_with", ())), specialist=bool(entry.get("specialist", False)))
    return kinds


KINDS: dict[str, Kind] = _read()
KIND_KEYS: tuple[str, ...] = tuple(KINDS)


def kind_synonyms() -> dict[str, str]:
    """Every spelling the kind column accepts beyond the key: labels and synonyms -> key."""
    table = {}
    for kind in KINDS.values():
        table[kind.label] = kind.key
        for synonym in kind.synonyms:
            table[synonym] = kind.key
    return table


def infer(name: str, level: str = "") -> str:
    """The kind a forum's name says it is ("" when none does); the first kind in the data file that matches wins."""
    for kind in KINDS.values():
        if kind.levels and level not in kind.levels:
            continue
        if any(pattern.search(name or "") for pattern in kind.names):
            return kind.key
    return ""
