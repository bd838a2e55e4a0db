"""Who has replied in a round, from the returned forms alone: the response rate, its confidence band and the chairs
to remind (by post and forum, never by name)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..analyses.knowledge import band_phrase, confidence_band, response_rate
from ..errors import McnMapError
from .read import FormReturn, read_form

__all__ = ["RoundStatus", "round_status", "status_lines"]


@dataclass(frozen=True)
class RoundStatus:
    round: str
    asked: tuple[tuple[str, str, str], ...]  # forum_id, forum, chair post
    replied: frozenset
    unreadable: tuple[str, ...]  # files that are not forms of this round

    @property
    def rate(self) -> float:
        return response_rate(len(self.replied), len(self.asked))

    @property
    def band(self) -> str:
        return confidence_band(self.rate)

    @property
    def reminders(self) -> list[tuple[str, str]]:
        return [(forum, chair) for forum_id, forum, chair in self.asked if forum_id not in self.replied]


def round_status(forms: list[FormReturn]) -> RoundStatus:
    """The status of the round most of ``forms`` belong to (each form lists the whole round's forums)."""
    usable = [f for f in forms if f.usable and f.round_forums]
    if not usable:
        raise McnMapError("none of the files is a readable form from `mcn-map forms`, so the round is unknown.")
    # The round and the landscape most forms were made from: a form of the same round number made from another
    # landscape is not counted, as `collect` would set it aside.
    round_, fingerprint = Counter((f.form_id.round, f.form_id.fingerprint) for f in usable).most_common(1)[0][0]
    mine = [f for f in usable if (f.form_id.round, f.form_id.fingerprint) == (round_, fingerprint)]
    asked = tuple(tuple(entry) for entry in mine[0].round_forums)
    known = {entry[0] for entry in asked}
    replied = frozenset(f.form_id.forum_id for f in mine if f.form_id.forum_id in known)
    unreadable = tuple(f.file for f in forms if f not in mine)
    return RoundStatus(round_, asked, replied, unreadable)


def status_for(paths) -> RoundStatus:
    if not paths:
        raise McnMapError("give the returned forms.")
    return round_status([read_form(Path(p)) for p in paths])


def status_lines(status: RoundStatus) -> list[str]:
    lines = [f"Round {status.round}: {len(status.replied)} of {len(status.asked)} chairs have replied "
             f"({status.rate:.0%}): {band_phrase(status.band)}"
             + {"high": ".", "moderate": " (80% or more gives high confidence).",
                "caution": " (65% gives moderate confidence)."}[status.band]]
    if status.reminders:
        lines.append("Still to reply (remind by post, never by name):")
        lines += [f"  {forum}: {chair or 'chair not recorded'}" for forum, chair in status.reminders]
    if status.unreadable:
        lines.append(f"Not counted (not a readable form of round {status.round} made from the same landscape as the "
                     f"others): {', '.join(status.unreadable)}")
    return lines
