"""Work shared between the steps that compute on one landscape (a graph, a matrix, a rule's findings), kept out of
the model: whoever computes makes a :class:`Memo`, passes it down, and drops it with the results.

>>> memo = Memo(landscape="one landscape")
>>> memo.get("answer", lambda: 6 * 7), memo.get("answer", lambda: 0)
(42, 42)
>>> memo_for("another landscape", memo) is memo   # a memo never serves a landscape it was not made for
False
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

__all__ = ["Memo", "memo_for"]


class Memo:
    """Values keyed by what they are (``("overlap",)``, ``("measures", settings)``), for one landscape."""

    def __init__(self, landscape: Any):
        self.landscape = landscape
        self._values: dict[Hashable, Any] = {}

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The value under ``key``, computed by ``compute()`` the first time it is asked for."""
        if key not in self._values:
            self._values[key] = compute()
        return self._values[key]

    def put(self, key: Hashable, value: Any) -> None:
        """Keep a value worked out elsewhere (a second process, or while the case list was read)."""
        self._values[key] = value

    def __contains__(self, key: Hashable) -> bool:
        return key in self._values

    def clear(self) -> None:
        self._values.clear()


def memo_for(landscape: Any, memo: Memo | None = None) -> Memo:
    """``memo`` if it was made for ``landscape``, else a new one (work done once for this call only)."""
    return memo if memo is not None and memo.landscape is landscape else Memo(landscape)
