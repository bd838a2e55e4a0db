"""Problem collection: every problem a check finds, with repeats in one column listed a few times then summarised.

A million-row sheet with one mistake repeated all the way down gives a readable report: the first few rows one by
one, then a single line with how many more and where they run to.
"""

from __future__ import annotations

import difflib

from ..errors import Problem
from .schema import canonical_token

__all__ = ["MAX_LISTED", "Collector", "closest", "suggest", "did_you_mean"]

MAX_LISTED = 5  # rows listed one by one for the same problem in the same column, before a summary line


class Collector:
    """Gathers problems; caps repeats of the same kind in the same column."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, severity, message, fix="", *, file="", sheet=None, row=None, column=None) -> None:
        self.problems.append(Problem(severity, message, fix, file, sheet, None if row is None else int(row), column))

    def rows(self, severity, rows, message_for, fix, *, file, sheet, column, what) -> None:
        """Report a problem on each of ``rows`` (Excel row numbers) with a per-row message, summarising repeats."""
        rows = list(rows)
        for i, row in enumerate(rows[:MAX_LISTED]):
            self.add(severity, message_for(i), fix, file=file, sheet=sheet, row=row, column=column)
        if len(rows) > MAX_LISTED:
            rest = len(rows) - MAX_LISTED
            self.add(severity, f"{rest:,} more row{'s' if rest != 1 else ''} with {what} (rows {rows[MAX_LISTED]}"
                     f"{'' if rest == 1 else f' to {rows[-1]}'}).", fix, file=file, sheet=sheet, column=column)


def closest(value: str, choices, limit: int | None = None) -> str | None:
    """The closest of ``choices`` (the first ``limit`` of them, so a long list never costs a quadratic search) to a
    mistyped ``value``: as spelled first, then with case, spaces, underscores and hyphens folded. None if none is near.

    >>> closest("forums", ["forum", "agencies"])
    'forum'
    """
    choices = [str(c) for c in (list(choices) if limit is None else list(choices)[:limit]) if c]
    match = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
    if match:
        return match[0]
    folded = {canonical_token(c): c for c in choices}
    match = difflib.get_close_matches(canonical_token(value), list(folded), n=1, cutoff=0.6)
    return folded[match[0]] if match else None


def suggest(value: str, choices) -> str:
    """'; did you mean `x`?' for the closest of ``choices`` to a mistyped ``value``, else '.' (ends a message).

    >>> suggest("forums", ["forum", "agencies"])
    '; did you mean `forum`?'
    """
    match = closest(value, choices)
    return f"; did you mean `{match}`?" if match else "."


def did_you_mean(value: str, choices, limit: int = 5000) -> str:
    """' Did you mean `x`?' for the closest of ``choices`` (at most ``limit`` compared: never quadratic), else ''
    (follows a whole sentence, where :func:`suggest` ends one).

    >>> did_you_mean("marac2", ["marac", "matac"])
    ' Did you mean `marac`?'
    """
    match = closest(value, choices, limit)
    return f" Did you mean `{match}`?" if match else ""
