"""Sharing a large build between two processes, so both cores work (Linux only).

A child is forked when its share can start: it inherits the landscape (and the analysis) as they are, nothing is
pickled on the way in. :class:`Forked` runs one task there and pickles back its value (the analysis's share of the
rules, a few megabytes); :class:`Alongside` writes a share of the outputs and reports back only file names and
timings. Anything unusual (no fork, a child that fails or dies) falls back to the parent doing that work itself, so
a real error surfaces exactly as in a sequential build, and the results are the same either way.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
import time
import traceback
from pathlib import Path

__all__ = ["can_fork", "should_fork", "Alongside", "Forked"]


def can_fork() -> bool:
    """Fork is cheap on Linux; macOS and Windows do one thing after another."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def should_fork() -> bool:
    """Whether to share work unasked: where fork is cheap, and only in a process with one thread (a notebook's
    kernel has several, and a child forked beside them could wait for ever on a lock one of them held)."""
    return can_fork() and threading.active_count() == 1


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
        gc.freeze()  # the child then leaves the parent's objects alone: fewer pages copied, no collector passes
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


def _run_task(task, sender) -> None:
    try:
        value = task()
        sender.send(("ok", value))
    except BaseException:  # the parent runs the task again itself and shows the real error
        try:
            sender.send(("failed", None))
        except BaseException:
            pass
    finally:
        sender.close()
        os._exit(0)


class Forked:
    """``task()`` run in a forked child while the caller carries on; :meth:`result` waits for its value.

    Where fork is not available, or the child fails or dies, :meth:`result` runs ``task()`` here instead.
    """

    def __init__(self, task):
        self.task = task
        self.process = self.receiver = None
        if not can_fork():
            return
        gc.freeze()  # the child then leaves the parent's objects alone: fewer pages copied, no collector passes
        fork = multiprocessing.get_context("fork")
        self.receiver, sender = fork.Pipe(duplex=False)
        self.process = fork.Process(target=_run_task, args=(task, sender), daemon=True)
        self.process.start()
        sender.close()

    def result(self):
        if self.process is None:
            return self.task()
        try:
            status, value = self.receiver.recv()
        except (EOFError, OSError):  # the child died without a word
            status, value = "failed", None
        finally:
            self.receiver.close()
            self.process.join()
            self.process = None
        return value if status == "ok" else self.task()
