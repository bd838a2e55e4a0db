"""The concurrency plan: where a run shares its work, and every threshold that decides it, in one place.

A small landscape is done one step after another. A large one keeps both cores busy at five points, each a question
the flow asks the plan (the results are the same either way; ``scripts/same_outputs.py`` and the tests hold them so):

=====================  =========================================================  ================================
step                   shared how                                                  when
=====================  =========================================================  ================================
scan (``loading``)     a sheet's XML scanned by two processes                      unpacked sheet >= 64 MiB
read (``loading``)     the largest sheet parsed in a thread (python-calamine       unpacked sheet >= 32 MiB
                       releases the GIL) while the rest are read and checked, and
                       the build works out what reads no case list
analyse                journeys, caseloads and the network measures in a second     case list >= 50,000 rows
                       process while this one runs the other rules
options (``build``)    the board's options weighed in a second process while the    up to 100 forums (weighed whole;
                       outputs that do not draw them are written                   above, area by area: a few small
                                                                                   analyses, done in this process)
write                  some outputs made and written in a second process           wherever the options are not
                                                                                   weighed in one
forms (``forms``)      half a mapping round's forms made in a second process       24 forms or more
=====================  =========================================================  ================================

A second process is forked (Linux; never beside other threads, as in a notebook's kernel, where a child could wait
for ever on a lock one of them held). ``Config.parallel`` turns sharing off (False) or on wherever fork works (True).
"""

from __future__ import annotations

import gc
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass

__all__ = ["Plan", "plan_for", "write_share", "WRITE_SHARE", "WRITE_SHARE_GRAPHML_READY", "can_fork", "should_fork", "no_gc_pauses", "SCAN_IN_TWO_BYTES", "PARSE_AHEAD_BYTES",
           "ANALYSE_IN_TWO_ROWS", "FORMS_IN_TWO"]

SCAN_IN_TWO_BYTES = 64 * 1024 * 1024
PARSE_AHEAD_BYTES = 32 * 1024 * 1024
ANALYSE_IN_TWO_ROWS = 50_000
FORMS_IN_TWO = 24  # a mapping round's forms (issue 24): below this many, forking costs more than it saves


def can_fork() -> bool:
    """Fork is cheap on Linux; macOS and Windows do one thing after another."""
    import multiprocessing

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def should_fork() -> bool:
    """Whether to share work unasked: where fork is cheap, and only in a process with one thread."""
    return can_fork() and threading.active_count() == 1


@dataclass(frozen=True)
class Plan:
    """The answers to "share this step?" for one run. ``parallel``: the config's setting (None: where worth it)."""

    parallel: bool | None = None

    def forks(self, worth_it: bool = True) -> bool:
        """Whether a step worth sharing (``worth_it``) runs partly in a second process."""
        if self.parallel is None:
            return worth_it and should_fork()
        return self.parallel and can_fork()

    def scan_in_two(self, unpacked_bytes: int) -> bool:
        return self.forks(unpacked_bytes >= SCAN_IN_TWO_BYTES)

    def parse_ahead(self, unpacked_bytes: int) -> bool:
        """A thread, not a process: worth it on every platform for a long sheet."""
        return self.parallel is not False and unpacked_bytes >= PARSE_AHEAD_BYTES

    def analyse_in_two(self, cohort_rows: int) -> bool:
        return self.forks(cohort_rows >= ANALYSE_IN_TWO_ROWS)

    def options_in_two(self, weighed_whole: bool) -> bool:
        """The board's options: worth a second process when weighed whole (a dozen analyses of the landscape), not
        when weighed area by area (a few small ones), where the second process writes outputs instead."""
        return self.forks(weighed_whole)

    def write_in_two(self) -> bool:
        return self.forks()

    def forms_in_two(self, forms: int) -> bool:
        """A mapping round's forms, half made in a second process."""
        return self.forks(forms >= FORMS_IN_TWO)


# What a build makes in its second process while this one makes the rest: together about as long as the map, the
# report and the other exports. With the GraphML made while the case list was read, the workbook and the Kumu file.
WRITE_SHARE = frozenset({"graph.graphml", "findings.xlsx"})
WRITE_SHARE_GRAPHML_READY = frozenset({"findings.xlsx", "kumu.json"})


def write_share(plan: Plan, *, ready: set[str] = frozenset(), options_forked: bool = False) -> frozenset[str]:
    """The outputs a build makes in its second process (``ready``: made already). None while the board's options are
    weighed in one: as long as everything else on a landscape small enough to weigh them."""
    if options_forked or not plan.write_in_two():
        return frozenset()
    return WRITE_SHARE_GRAPHML_READY if "graph.graphml" in ready else WRITE_SHARE


def plan_for(config=None) -> Plan:
    """The plan for a run with this config (a :class:`~mcn_map.config.Config`; None: the defaults)."""
    return Plan(getattr(config, "parallel", None))


@contextmanager
def no_gc_pauses():
    """Pause the cyclic garbage collector: reading and validating make millions of cells and row tuples (none
    cyclic), and the collector rescanning them all along costs as much as the work itself. The one place the run
    switches the collector, apart from the command line's start (``cli.importing``) and a fork (``parallel``)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
