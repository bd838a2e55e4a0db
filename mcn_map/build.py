"""The main job, top to bottom: read -> load -> analyse -> render -> write, every output into one folder.

:func:`build` is the whole flow in one screen. Each step lives in its room (``loading``, ``analyses``, ``change``,
``render``, ``writing``); the one resolved :class:`~mcn_map.config.Config` is made first and passed down, and the
concurrency plan (:mod:`mcn_map.running.plan`) is consulted where a step can share its work. Every output is listed,
with the one function that makes it, in :data:`mcn_map.render.outputs.OUTPUTS`.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from .analyses.measures import measures_key, shared_measures
from .analyses.run import Analysis, analyse, findings_key, seat_findings
from .config import Config, resolve_config
from .loading.validate import loaded, start_loading
from .memo import Memo
from .model import Landscape
from .render.layout import LAYOUT_KEY, layout
from .render.outputs import OUTPUTS, Built, Output
from .running.parallel import Alongside, Forked
from .running.plan import Plan, plan_for, write_share
from .running.progress import Progress
from .writing.files import check_target, remove_stale, write_atomic

__all__ = ["BuildResult", "build", "default_outdir", "weigh_options", "Weighing", "write_outputs", "SEAT_WORK_STAGE"]


@dataclass
class BuildResult:
    outdir: Path
    written: list[Path]
    timings: dict[str, float]
    landscape: Landscape
    removed: list[Path] = field(default_factory=list)  # outputs of an earlier build not made this time
    analysis: Analysis | None = None
    config: Config | None = None


def default_outdir(input_path: str | Path) -> Path:
    return Path("outputs") / Path(input_path).stem


def build(input_path: str | Path, outdir: str | Path | None = None, *, config: Config | str | Path | None = None,
          as_of=None, suppress: bool | None = None, parallel: bool | None = None, key: bytes | None = None,
          progress: Progress | None = None, outputs: list[Output] | None = None, protect: list[str | Path] = (),
          force: bool = False) -> BuildResult:
    """Run the whole job on ``input_path`` and write every output into ``outdir``. Raises InputError on bad input.

    ``config`` (a Config, or a TOML path) with ``as_of``, ``suppress`` and ``parallel`` in place of its own, where
    given, is resolved once here and every output follows it. Nothing is written over the input or the files in
    ``protect`` (the key file); an existing file mcn-map did not write is refused unless ``force``. Outputs an earlier
    build wrote in ``outdir`` and this one did not are removed (and listed in the result)."""
    config = resolve_config(config, as_of=as_of, suppress=suppress, parallel=parallel)
    plan = plan_for(config)
    progress = progress or Progress(enabled=False)
    input_path = Path(input_path)
    outdir = Path(outdir) if outdir is not None else default_outdir(input_path)
    chosen = outputs if outputs is not None else OUTPUTS
    protected = [input_path, *map(Path, protect)]
    for output in chosen:  # refuse before reading or writing anything, not halfway through
        check_target(outdir / output.filename, inputs=protected, force=force)

    loading = start_loading(input_path, key=key, progress=progress, plan=plan)  # read (a long case list: in a thread)
    early = seat_work(loading.seats, config, chosen, progress)  # meanwhile, what reads no case list
    landscape = loaded(loading)  # validate: the model, or InputError
    memo = Memo(landscape)

    def write(output: Output, data) -> Path:
        return write_atomic(outdir / output.filename, data, inputs=protected, force=force)

    made = early.carry_into(memo, config, landscape) if early is not None else {}
    # Written now, not held through the analysis (the GraphML of a national landscape is tens of megabytes).
    ready = {o.filename: write(o, made.pop(o.filename)) for o in chosen if o.filename in made}
    with progress.stage("analyse"):
        analysis = analyse(landscape, config, memo=memo)
    options = weigh_options(landscape, analysis, plan, wanted=any(o.needs_options for o in chosen))
    built = Built(landscape, analysis, config, memo)
    written = write_outputs(chosen, built, write, plan, progress, ready, options)
    # Only a full build knows which of the folder's earlier outputs are stale.
    removed = remove_stale(outdir, written) if outputs is None else []
    return BuildResult(outdir, written, dict(progress.timings), landscape, removed, options.analysis, config)


# -- the board's options, weighed in the analyse step -------------------------------------------------------------

def weigh_options(landscape: Landscape, analysis: Analysis, plan: Plan, *, wanted: bool = True) -> Weighing:
    """Start weighing the board's options for ``analysis`` (:func:`mcn_map.change.options.board_options`: scenarios
    re-analysed like ``mcn-map whatif``): in a second process where the plan says so, while the outputs that do not
    draw them are written. None when no output draws them.

    Weighed whole (up to ``MAX_OPTION_FORUMS`` forums) they are a dozen analyses of the landscape, worth a second
    process; above that they are weighed area by area, a few small analyses at most
    (:func:`mcn_map.change.options.area_options`), and the second process writes outputs instead."""
    from .change.options import MAX_OPTION_FORUMS, board_options

    if not wanted:
        return Weighing(analysis, None)
    task = lambda: board_options(landscape, analysis)  # noqa: E731
    weighed_whole = len(landscape.forums) <= MAX_OPTION_FORUMS
    return Weighing(analysis, Forked(task) if plan.options_in_two(weighed_whole) else _Later(task))


class Weighing:
    """The board's options being weighed; ``analysis`` is the analysis with them (waiting for them if need be)."""

    def __init__(self, analysis: Analysis, weighing):
        self._analysis, self._weighing = analysis, weighing
        self._done = weighing is None
        self.forked = isinstance(weighing, Forked)  # a second process is busy with them

    @property
    def analysis(self) -> Analysis:
        if not self._done:
            self._analysis = replace(self._analysis, options=self._weighing.result())
            self._done = True
        return self._analysis


class _Later:
    """:class:`Forked`'s twin for one process: the task runs when its result is asked for."""

    def __init__(self, task):
        self.task = task

    def result(self):
        return self.task()


# -- writing every output -----------------------------------------------------------------------------------------

def write_outputs(outputs: list[Output], built: Built, write, plan: Plan, progress: Progress,
                  ready: dict[str, Path], options: Weighing) -> list[Path]:
    """Make and write each output, in order, those drawing the options last; where the plan says so, a share of
    them in a second process (:func:`mcn_map.running.plan.write_share`). ``ready``: outputs already written."""
    done: dict[str, Path | None] = dict(ready)
    names = write_share(plan, ready=set(done), options_forked=options.forked)
    share = [o for o in outputs if o.filename in names and o.filename not in done]
    worker = None
    if share:
        layout(built.landscape, built.memo)  # the map, the report and the exports all draw it: laid out once, first
        worker = Alongside(share, built, write)
    later = [o for o in outputs if o.needs_options]
    for output in [o for o in outputs if not o.needs_options] + later:
        if output.filename in done or output in share:
            continue
        if output.needs_options:
            built = replace(built, analysis=options.analysis)
        done[output.filename] = _make(output, built, write, progress)
    if worker is not None:
        for name, (path, seconds) in worker.collect().items():
            done[name] = path
            progress.record(f"{next(o.stage or o.filename for o in share if o.filename == name)} (alongside)", seconds)
        for output in share:  # anything the second process did not finish is made here, as in one process
            if output.filename not in done:
                done[output.filename] = _make(output, built, write, progress)
    return [done[o.filename] for o in outputs if done.get(o.filename) is not None]


def _make(output: Output, built: Built, write, progress: Progress) -> Path | None:
    """Produce one output and write it; None where it declined, having said why."""
    with progress.stage(output.stage or output.filename):
        data = output.produce(built)
        return None if data is None else write(output, data)


# -- while a long case list is parsed -----------------------------------------------------------------------------

SEAT_WORK_STAGE = "while reading: layout, measures, seat rules, graphml"


@dataclass
class SeatWork:
    """What a build works out on the landscape of every sheet but the case list while that is parsed."""

    tables: tuple
    layout: object
    measures: dict
    findings: dict  # rule -> its findings
    graphml: bytes | None

    def carry_into(self, memo: Memo, config: Config, landscape: Landscape) -> dict[str, bytes]:
        """Put this work into the loaded landscape's memo; return the outputs made. Only if the landscape holds the
        very tables this work read (the loader checked them while the case list was parsed)."""
        if any(a is not b for a, b in zip(self.tables, _tables(landscape))):
            return {}
        memo.put(LAYOUT_KEY, self.layout)
        memo.put(measures_key(config), self.measures)
        for rule, found in self.findings.items():
            memo.put(findings_key(rule, config), found)
        return {"graph.graphml": self.graphml} if self.graphml is not None else {}


def seat_work(seats: Landscape | None, config: Config, outputs: list[Output], progress: Progress) -> SeatWork | None:
    """The layout, the network measures, the seat rules' findings and the GraphML: all that reads no case list, done
    while a long one is parsed (``seats``: the loader's landscape of the other sheets; None: nothing to do). If any
    of it fails it is done again after the load, in the usual order, where its error is reported as usual."""
    if seats is None:
        return None
    from .render.graphml import graphml_bytes

    started = time.perf_counter()
    memo = Memo(seats)
    try:
        work = SeatWork(_tables(seats), layout(seats, memo), shared_measures(seats, config, memo),
                        seat_findings(seats, config, memo),
                        graphml_bytes(seats, memo) if any(o.filename == "graph.graphml" for o in outputs) else None)
    except Exception:  # noqa: BLE001 - done again after the load, where the error surfaces
        work = None
    # The seat graph behind the GraphML is a cycle of objects (a networkx graph and its views): freed now, while the
    # case list is still in python-calamine's hands, not left for later to add to the build's peak memory.
    del memo
    gc.collect()
    progress.record(SEAT_WORK_STAGE, time.perf_counter() - started, show=False)  # inside "read"
    return work


def _tables(landscape: Landscape) -> tuple:
    return landscape.forums, landscape.agencies, landscape.seats, landscape.links
