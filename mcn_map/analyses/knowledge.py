"""What the chairs know of each other, from a mapping round's forms (the ``replies`` and ``reports`` sheets and the
links' ``reported_by``): forums that share people while their chairs do not know each other meets, one-sided
escalation and feedback routes, forums no other chair knows, and poor contact between forums that share people.

Every finding here depends on who returned a form, so each carries the latest round's response rate and its
confidence band (high at 80% or more, moderate at 65-79%, caution below), in its evidence and its sentence. A blank
answer is no answer: a rule speaks only of what a chair said.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..config import Config
from ..model import Landscape
from .common import name, people_phrase
from .findings import Finding, make_finding

__all__ = ["RoundState", "round_state", "confidence_band", "band_phrase", "unknown_neighbours", "one_sided_routes",
           "known_to_nobody", "poor_contact", "RULES"]

HIGH_CONFIDENCE, MODERATE_CONFIDENCE = 0.80, 0.65


def confidence_band(rate: float) -> str:
    """How far network results from a round can be trusted, by its response rate.

    >>> [confidence_band(r) for r in (0.8, 0.7, 0.5)]
    ['high', 'moderate', 'caution']
    """
    return "high" if rate >= HIGH_CONFIDENCE else "moderate" if rate >= MODERATE_CONFIDENCE else "caution"


def _latest(rounds) -> str:
    rounds = list(dict.fromkeys(rounds))
    numbered = [r for r in rounds if str(r).isdigit()]
    return max(numbered, key=int) if numbered else rounds[-1]


def band_phrase(band: str) -> str:
    """'high confidence', 'moderate confidence', 'low confidence: read with caution'."""
    return "low confidence: read with caution" if band == "caution" else f"{band} confidence"


@dataclass(frozen=True)
class RoundState:
    """The latest round: who was asked, who replied, and what each chair said about each other forum."""

    round: str
    asked: tuple[str, ...]
    replied: frozenset
    answers: dict  # (forum, about) -> {"knows", "contact", "value", "reliability"}

    @property
    def rate(self) -> float:
        return len(self.replied) / len(self.asked) if self.asked else 0.0

    @property
    def band(self) -> str:
        return confidence_band(self.rate)

    def evidence(self) -> dict:
        return {"round": self.round, "forms_returned": len(self.replied), "forms_sent": len(self.asked),
                "response_rate": round(self.rate, 3), "confidence": self.band}

    def sentence(self) -> str:
        """'(Forms returned by 9 of 12 chairs, 75%: moderate confidence.)'"""
        return (f"(Round {self.round}: forms returned by {len(self.replied)} of {len(self.asked)} chairs, "
                f"{self.rate:.0%}: {band_phrase(self.band)}.)")


def round_state(landscape: Landscape) -> RoundState | None:
    """The latest round's state, or None when the landscape records no round."""
    replies = landscape.replies
    if replies is None or not len(replies):
        return None
    round_ = _latest(replies["round"])
    latest = replies[replies["round"] == round_]
    reports = landscape.reports if landscape.reports is not None else pd.DataFrame(columns=["round"])
    mine = reports[reports["round"] == round_]
    answers = {(f, a): {"knows": k, "contact": c, "value": v, "reliability": r} for f, a, k, c, v, r in zip(
        mine["forum_id"], mine["about_forum"], mine["knows"], mine["contact"], mine["value"], mine["reliability"])}
    return RoundState(round_, tuple(latest["forum_id"]),
                      frozenset(latest.loc[latest["replied"] == "yes", "forum_id"]), answers)
