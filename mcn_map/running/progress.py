"""Stage lines on stderr for anything that can take more than a moment: quiet with --quiet, off when not a terminal."""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager

__all__ = ["Progress"]


class Progress:
    """Times named stages; prints a line per stage to stderr when enabled."""

    def __init__(self, enabled: bool | None = None, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = (self.stream.isatty() if hasattr(self.stream, "isatty") else False) if enabled is None else enabled
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str):
        if self.enabled:
            print(f"  {name}...", end="", file=self.stream, flush=True)
        start = time.perf_counter()
        try:
            yield
        finally:
            elapsed = time.perf_counter() - start
            self.timings[name] = self.timings.get(name, 0.0) + elapsed
            if self.enabled:
                print(f" {elapsed:.2f} s", file=self.stream, flush=True)

    def record(self, name: str, seconds: float, *, show: bool = True) -> None:
        """A stage timed elsewhere (in a second process): kept, and printed like the others unless not ``show``
        (work done inside another stage, whose line is still open)."""
        self.timings[name] = self.timings.get(name, 0.0) + seconds
        if self.enabled and show:
            print(f"  {name}... {seconds:.2f} s", file=self.stream, flush=True)
