"""Sharing a large run between two processes, so both cores work (Linux only); :mod:`.plan` decides when.

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
import time
import traceback
from pathlib import Path

from .plan import can_fork

__all__ = ["Alongside", "Forked"]


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
        self.process, self.receiver = _fork(_child, self.outputs, context, write)

    def collect(self) -> dict[str, tuple[Path | None, float]]:
        """filename -> (path written or None when the output declined, seconds) for every output the child did."""
        message = _receive(self.process, self.receiver, ("failed", []))
        return {name: (Path(path) if path else None, seconds) for name, path, seconds in message[1]}


def _fork(target, *args):
    """Start ``target(*args, sender)`` in a forked child; (the process, the end of the pipe its message comes by)."""
    gc.freeze()  # the child then leaves the parent's objects alone: fewer pages copied, no collector passes
    fork = multiprocessing.get_context("fork")
    receiver, sender = fork.Pipe(duplex=False)
    process = fork.Process(target=target, args=(*args, sender), daemon=True)
    process.start()
    sender.close()
    return process, receiver


def _receive(process, receiver, died):
    """The child's one message, or ``died`` if it ended without a word; the child is then waited for."""
    try:
        return receiver.recv()
    except (EOFError, OSError):
        return died
    finally:
        receiver.close()
        process.join()


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
        if can_fork():
            self.process, self.receiver = _fork(_run_task, task)

    def result(self):
        if self.process is None:
            return self.task()
        status, value = _receive(self.process, self.receiver, ("failed", None))
        self.process = None
        return value if status == "ok" else self.task()
