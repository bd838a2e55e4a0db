"""The main job: load, validate, model, analyse, and write every output into one folder.

Each output is an :class:`Output`: a file name and a function from the build context to the file's bytes. Writing is
separate from producing, atomic, and timed per stage so ``scripts/bench.py`` can report where the time goes.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .loading.cells import CONTROL_CHARACTERS, without_control_characters
from .loading.validate import load
from .model import Landscape
from .writing.files import check_target, json_bytes, remove_stale, write_atomic
from .running.parallel import Alongside, can_fork, should_fork
from .privacy.suppression import UNSUPPRESSED_STAMP, people_number
from .running.progress import Progress
from .render import produce as _render

__all__ = ["BuildContext", "BuildResult", "Output", "OUTPUTS", "build", "default_outdir", "summary", "graphml_bytes",
           "alongside_outputs"]


@dataclass
class BuildContext:
    """What every output is produced from. Analyses are computed once, on first use, and shared."""

    landscape: Landscape
    options: dict = field(default_factory=dict)
    cache: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Output:
    filename: str
    produce: Callable[[BuildContext], bytes | str]
    stage: str = ""


@dataclass
class BuildResult:
    outdir: Path
    written: list[Path]
    timings: dict[str, float]
    landscape: Landscape
    removed: list[Path] = field(default_factory=list)  # outputs of an earlier build not made this time
    context: BuildContext | None = None  # what the outputs were produced from (the analysis is in its cache)


def default_outdir(input_path: str | Path) -> Path:
    return Path("outputs") / Path(input_path).stem


def summary(context: BuildContext) -> bytes:
    landscape = context.landscape
    suppress = context.options.get("suppress", True)
    counts = landscape.counts()
    # Counts of people (and of case-list rows, which bound them) follow the small-number rule: null means "<8".
    for name in ("people", "cohort_rows"):
        counts[name] = people_number(counts[name], suppress)
    data = {
        "source": landscape.source,
        "counts": counts,
        "warnings": len(landscape.warnings),
        "pseudonymised": landscape.pseudonymised,
        "suppressed": suppress,
    }
    if not suppress:
        data["notice"] = UNSUPPRESSED_STAMP
    return json_bytes(data)


def _xml_safe(data: dict) -> None:
    for name, value in data.items():
        if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
            data[name] = without_control_characters(value)


def graphml_bytes(context: BuildContext) -> bytes:
    from .graphs import seat_graph  # networkx: imported while the case list is parsed (see _import_ahead)
    from .render.graphml import graphml_text  # networkx's bytes, written without an XML tree

    graph = seat_graph(context.landscape)
    # The loader removes control characters; a landscape made in a notebook may still hold them, and XML cannot.
    if _holds_control_characters(graph):
        import networkx as nx

        graph = nx.MultiGraph(graph)
        for _, data in graph.nodes(data=True):
            _xml_safe(data)
        for _, _, data in graph.edges(data=True):
            _xml_safe(data)
        _xml_safe(graph.graph)
    return graphml_text(graph).encode("utf-8") + b"\n"


def _holds_control_characters(graph) -> bool:
    values = [graph.graph.values()] + [d.values() for _, d in graph.nodes(data=True)] + [
        d.values() for _, _, d in graph.edges(data=True)]
    return any(isinstance(v, str) and CONTROL_CHARACTERS.search(v) for group in values for v in group)


def findings_json(context: BuildContext) -> bytes:
    from .analyses.run import analysis_for, findings_document  # not via analyses.workbook: that imports openpyxl,
    # which only the process writing the workbooks needs (a small build imports it after the fork)

    return json_bytes(findings_document(analysis_for(context)))


def findings_xlsx(context: BuildContext) -> bytes:
    from .analyses.run import analysis_for
    from .render.findings_workbook import findings_xlsx_bytes

    return findings_xlsx_bytes(analysis_for(context))


def assessment_xlsx(context: BuildContext) -> bytes:
    from .render.assessment_workbook import assessment_xlsx_bytes
    from .analyses.run import analysis_for

    return assessment_xlsx_bytes(analysis_for(context))


# Builds write these in a second process while the first writes the rest (see mcn_map/parallel.py): together about
# as long as the map, the report and the other exports. Where the report weighs the board's options (up to
# MAX_OPTION_FORUMS forums), re-running the analysis for each, the report alone takes as long as everything else.
ALONGSIDE = frozenset({"graph.graphml", "findings.xlsx"})
ALONGSIDE_WITH_OPTIONS = frozenset({"report.html"})
# With the GraphML made while the case list was read (a long one), the findings workbook and the Kumu blueprint.
ALONGSIDE_GRAPHML_READY = frozenset({"findings.xlsx", "kumu.json"})


def alongside_outputs(landscape: Landscape, ready: set[str] = frozenset()) -> frozenset[str]:
    """The outputs a build writes in its second process, for this landscape (``ready``: outputs already made)."""
    from .change.options import MAX_OPTION_FORUMS

    if len(landscape.forums) <= MAX_OPTION_FORUMS:
        return ALONGSIDE_WITH_OPTIONS
    return ALONGSIDE_GRAPHML_READY if "graph.graphml" in ready else ALONGSIDE

# Later stages register here, in the order they are written.
OUTPUTS: list[Output] = [
    Output("summary.json", summary, "summary"),
    Output("graph.graphml", graphml_bytes, "graphml"),
    Output("findings.json", findings_json, "analyse"),
    Output("findings.xlsx", findings_xlsx, "findings workbook"),
    Output("assessment.xlsx", assessment_xlsx, "self-assessment"),
    Output("map.html", _render.map_html, "map"),
    Output("report.html", _render.report_html, "board report"),
    Output("graph.gexf", _render.graph_gexf, "gexf"),
    Output("kumu.json", _render.kumu_json, "kumu"),
]


def build(
    input_path: str | Path,
    outdir: str | Path | None = None,
    *,
    key: bytes | None = None,
    options: dict | None = None,
    progress: Progress | None = None,
    outputs: list[Output] | None = None,
    protect: list[str | Path] = (),
    force: bool = False,
    parallel: bool | None = None,
) -> BuildResult:
    """Run the whole job on ``input_path`` and write every output into ``outdir``. Raises InputError on bad input.

    Nothing is written over the input or the files in ``protect`` (the key file); an existing file mcn-map did not
    write is refused unless ``force``. Outputs an earlier build wrote in ``outdir`` and this one did not are removed.
    ``parallel``: write some outputs in a second process (Linux; default: where that is safe, see
    :func:`mcn_map.running.parallel.should_fork`); the files are the same either way.
    """
    progress = progress or Progress(enabled=False)
    input_path = Path(input_path)
    outdir = Path(outdir) if outdir is not None else default_outdir(input_path)
    outputs = outputs if outputs is not None else OUTPUTS
    protected = [input_path, *map(Path, protect)]
    for output in outputs:  # refuse before reading or writing anything, not halfway through
        check_target(outdir / output.filename, inputs=protected, force=force)
    options = dict(options or {})
    early: dict = {}
    wanted = {output.filename for output in outputs}

    def while_reading(seats: Landscape | None) -> None:
        _import_ahead()
        _seat_work(seats, options, wanted, early, progress)

    landscape = load(input_path, key=key, progress=progress, meanwhile=while_reading)  # "read", "validate"
    context = BuildContext(landscape, options)
    ready = _adopt(early, landscape)
    early.clear()

    def write(output: Output, data) -> Path:
        return write_atomic(outdir / output.filename, data, inputs=protected, force=force)

    if parallel is None:
        parallel = should_fork()
    done = _alongside(outputs, context, write, progress, ready) if parallel and can_fork() else {}
    written = []
    for output in outputs:
        if output.filename in done:
            if done[output.filename] is not None:
                written.append(done[output.filename])
            continue
        with progress.stage(output.stage or output.filename):
            data = ready.pop(output.filename) if output.filename in ready else output.produce(context)
            if data is None:  # an output may decline (e.g. a map too large to be useful), having said why
                continue
            written.append(write(output, data))
    # Only a full build knows which of the folder's earlier outputs are stale.
    removed = remove_stale(outdir, written) if outputs is OUTPUTS else []
    return BuildResult(outdir, written, dict(progress.timings), landscape, removed, context)


def _import_ahead() -> None:
    """Import the analyses and renderers (networkx, scipy, openpyxl, Jinja) while python-calamine parses a long case
    list in another thread: a fraction of a second of start-up the build would otherwise spend later, on its own."""
    import importlib

    for name in ("mcn_map.graphs", "mcn_map.analyses.run", "mcn_map.render.findings_workbook", "mcn_map.render.assessment_workbook",
                 "mcn_map.render.map", "mcn_map.render.report", "mcn_map.render.exports", "mcn_map.change.options"):
        try:
            importlib.import_module(name)
        except ImportError:  # the real import, later, says what is wrong
            pass


SEAT_WORK_STAGE = "while reading: layout, measures, seat rules, graphml"


def _seat_work(seats: Landscape | None, options: dict, wanted: set[str], early: dict, progress: Progress) -> None:
    """While a long case list is parsed: the work that reads no case list, on the landscape of the other sheets
    (see :func:`mcn_map.loading.validate.check`): the layout, the network measures, the seat rules' findings and the
    GraphML. If any of it fails it is left to be done again after the load, in the usual order, where its error is
    reported as usual."""
    if seats is None:
        return
    from .analyses.measures import cached_measures
    from .analyses.run import analysis_config, seat_findings
    from .render.layout import layout

    started = time.perf_counter()
    try:
        config = analysis_config(options.get("config"), options.get("as_of"), options.get("suppress"))
        early["tables"], early["source"] = _tables(seats), seats.source
        early["layout"] = layout(seats)
        cached_measures(seats, config)
        seat_findings(seats, config)
        early["cache"] = {k: v for k, v in seats.cache.items()  # what reads no case list, to keep
                          if isinstance(k, tuple) and k[0] in ("_measures", "_findings")}
        if "graph.graphml" in wanted:
            early["graph.graphml"] = graphml_bytes(BuildContext(seats, options))
    except Exception:  # noqa: BLE001 - done again after the load, where the error surfaces
        early.clear()
        return
    finally:
        # The seat graph behind the GraphML is a cycle of objects (a networkx graph and its views): freed now, while
        # the case list is still in python-calamine's hands, not left for later to add to the build's peak memory.
        seats.cache.clear()
        gc.collect()
    progress.record(SEAT_WORK_STAGE, time.perf_counter() - started, show=False)  # inside "read"


def _tables(landscape: Landscape) -> tuple:
    return landscape.forums, landscape.agencies, landscape.seats, landscape.links


def _adopt(early: dict, landscape: Landscape) -> dict[str, bytes]:
    """Put what :func:`_seat_work` made into the loaded landscape's cache; return the outputs it made. Only if the
    landscape holds the very tables that work read (the loader checked them while the case list was parsed)."""
    if not early or early["source"] != landscape.source or any(
            a is not b for a, b in zip(early["tables"], _tables(landscape))):
        return {}
    landscape.cache.setdefault("layout", early["layout"])
    for key, value in early["cache"].items():
        landscape.cache.setdefault(key, value)
    return {name: early[name] for name in ("graph.graphml",) if name in early}


def _alongside(outputs, context, write, progress, ready: dict[str, bytes]) -> dict:
    """Write the analysis, then the outputs :func:`alongside_outputs` names in a second process while this one
    writes the rest; returns filename -> path (None: declined) for those the second process wrote. ``ready``:
    outputs already made (while the case list was read), written here first."""
    # Written first, as a one-process build writes GraphML before findings.json: not kept through the analysis.
    made = set(ready)
    done = {o.filename: write(o, ready.pop(o.filename)) for o in outputs if o.filename in ready}
    first = [o for o in outputs if o.filename == "findings.json"]
    for output in first:  # the analysis every output shares, computed before the fork so both processes have it
        with progress.stage(output.stage or output.filename):
            data = output.produce(context)
        first_path = write(output, data)
    done.update({o.filename: first_path for o in first})
    chosen = alongside_outputs(context.landscape, ready=made)
    share = [o for o in outputs if o.filename in chosen and o.filename not in done]
    if not share:
        return done
    from .render.layout import layout

    layout(context.landscape)  # the map, the report and the exports all draw it: laid out once, before the fork
    worker = Alongside(share, context, write)
    for output in outputs:
        if output.filename in done or output in share:
            continue
        with progress.stage(output.stage or output.filename):
            data = output.produce(context)
            done[output.filename] = None if data is None else write(output, data)
    for name, (path, seconds) in worker.collect().items():
        done[name] = path
        stage = next(o.stage or o.filename for o in share if o.filename == name)
        progress.record(f"{stage} (alongside)", seconds)
    # Anything the second process did not finish is left out of ``done`` and written by the caller, in order.
    return done
