"""Writing some of a large build's outputs in a second process, so both cores work (Linux only).

The build forks once its one analysis is computed: the child inherits the landscape and the analysis as they are
(nothing is pickled), writes its share of the outputs, and reports back only file names and timings. Anything
unusual (no fork, a child that fails or dies) falls back to the parent writing those outputs itself, in order, so a
real error surfaces exactly as in a sequential build. The written files are byte for byte the same either way.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
import traceback
from pathlib import Path

__all__ = ["can_fork", "Alongside"]


def can_fork() -> bool:
    """Fork is safe and cheap on Linux; macOS and Windows build one output after another."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _child(outputs, context, write, sender) -> None:
    report = []
    try:
        for output in outputs:
            start = time.perf_counter()
            data = output.produce(context)
            path = None if data is None else str(write(output, data))
            report.append((output.filename, path, time.perf_counter() - start))
        sender.send(("ok", report))
    except BaseException:  # the parent writes the rest again itself and shows the real error
        sender.send(("failed", report, traceback.format_exc(limit=1)))
    finally:
        sender.close()
        os._exit(0)  # no atexit handlers, no flushing of the parent's buffers twice


class Alongside:
    """``outputs`` produced and written in a forked child while the caller carries on; :meth:`collect` waits."""

    def __init__(self, outputs, context, write):
        self.outputs = list(outputs)
        self.context, self.write = context, write
        fork = multiprocessing.get_context("fork")
        self.receiver, sender = fork.Pipe(duplex=False)
        self.process = fork.Process(target=_child, args=(self.outputs, context, write, sender), daemon=True)
        self.process.start()
        sender.close()

    def collect(self) -> dict[str, tuple[Path | None, float]]:
        """filename -> (path written or None when the output declined, seconds) for every output the child did."""
        try:
            message = self.receiver.recv()
        except (EOFError, OSError):  # the child died without a word
            message = ("failed", [])
        finally:
            self.receiver.close()
            self.process.join()
        return {name: (Path(path) if path else None, seconds) for name, path, seconds in message[1]}
