"""Small-number suppression for every count of people a board sees (NHS sub-national rule).

0 stays 0, 1-7 shows as "<8", larger counts are rounded to the nearest 5. With suppression off the analyst sees
exact counts, and every page and sheet carries :data:`UNSUPPRESSED_STAMP`.
"""

from __future__ import annotations

__all__ = ["SUPPRESSION_THRESHOLD", "UNSUPPRESSED_STAMP", "people_count", "people_number"]

SUPPRESSION_THRESHOLD = 8
UNSUPPRESSED_STAMP = "Contains unsuppressed counts — not for circulation"


def people_number(n: int, suppress: bool = True) -> int | None:
    """The count to use in arithmetic or charts: None when it is suppressed (1-7), else rounded to 5.

    >>> [people_number(n) for n in (0, 3, 8, 12, 13)]
    [0, None, 10, 10, 15]
    """
    n = int(n)
    if not suppress or n == 0:
        return n
    if n < SUPPRESSION_THRESHOLD:
        return None
    return int(5 * ((n + 2.5) // 5))


def people_count(n: int, suppress: bool = True) -> str:
    """The count as shown: '0', '<8', or the rounded number with thousands separators.

    >>> [people_count(n) for n in (0, 1, 7, 8, 1234)]
    ['0', '<8', '<8', '10', '1,235']
    """
    shown = people_number(n, suppress)
    return "<8" if shown is None else f"{shown:,}"
