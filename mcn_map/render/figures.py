"""Figures a reader checks with a pencil: every difference shown is the difference of the figures shown beside it.

Meeting-hours are shown to one decimal place, and without it when whole (``271 → 250.5 (20.5 freed)``), rounded
half up as a reader rounds, never half to even (Python's ``f"{250.5:.0f}"`` is ``250``).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["shown_hours", "hours_text", "hours_change"]

_TENTH = Decimal("0.1")


def shown_hours(value: float) -> Decimal:
    """``value`` as shown: to the tenth, half up (``Decimal`` so the sums of shown figures are exact)."""
    return Decimal(repr(float(value))).quantize(_TENTH, rounding=ROUND_HALF_UP)


def hours_text(value: float | Decimal) -> str:
    """271.0 -> '271', 250.5 -> '250.5', 1234.25 -> '1,234.3'."""
    shown = value if isinstance(value, Decimal) else shown_hours(value)
    shown = shown.quantize(_TENTH, rounding=ROUND_HALF_UP)
    return f"{shown:,.0f}" if shown == shown.to_integral_value() else f"{shown:,.1f}"


def hours_change(before: float, after: float) -> tuple[str, str, Decimal]:
    """The before and after as shown, and what was freed (before minus after) worked out from those two."""
    was, now = shown_hours(before), shown_hours(after)
    return hours_text(was), hours_text(now), was - now
