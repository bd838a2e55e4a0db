"""The main job: load, validate, model, analyse, and write every output into one folder.

Each output is an :class:`Output`: a file name and a function from the build context to the file's bytes. Writing is
separate from producing, atomic, and timed per stage so ``scripts/bench.py`` can report where the time goes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .graphs import seat_graph
from .loading import load
from .model import Landscape
from .outputs import json_bytes, refuse_input_overwrite, write_atomic
from .privacy.suppression import UNSUPPRESSED_STAMP, people_number
from .progress import Progress
from .render import produce as _render

__all__ = ["BuildContext", "BuildResult", "Output", "OUTPUTS", "build", "default_outdir", "summary", "graphml_bytes"]


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


def graphml_bytes(context: BuildContext) -> bytes:
    from .render.graphml import graphml_text  # networkx's bytes, written without an XML tree

    return graphml_text(seat_graph(context.landscape)).encode("utf-8") + b"\n"


def findings_json(context: BuildContext) -> bytes:
    from .analyses.run import analysis_for
    from .analyses.workbook import findings_json_bytes

    return findings_json_bytes(analysis_for(context))


def findings_xlsx(context: BuildContext) -> bytes:
    from .analyses.run import analysis_for
    from .analyses.workbook import findings_xlsx_bytes

    return findings_xlsx_bytes(analysis_for(context))


def assessment_xlsx(context: BuildContext) -> bytes:
    from .analyses.assessment import assessment_xlsx_bytes
    from .analyses.run import analysis_for

    return assessment_xlsx_bytes(analysis_for(context))


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
) -> BuildResult:
    """Run the whole job on ``input_path`` and write every output into ``outdir``. Raises InputError on bad input."""
    progress = progress or Progress(enabled=False)
    input_path = Path(input_path)
    outdir = Path(outdir) if outdir is not None else default_outdir(input_path)
    outputs = outputs if outputs is not None else OUTPUTS
    for output in outputs:  # refuse before writing anything, not halfway through
        refuse_input_overwrite(outdir / output.filename, [input_path])
    landscape = load(input_path, key=key, progress=progress)  # stages "read" and "validate"
    context = BuildContext(landscape, dict(options or {}))
    written = []
    for output in outputs:
        with progress.stage(output.stage or output.filename):
            data = output.produce(context)
            if data is None:  # an output may decline (e.g. a map too large to be useful), having said why
                continue
            written.append(write_atomic(outdir / output.filename, data, inputs=[input_path]))
    return BuildResult(outdir, written, dict(progress.timings), landscape)
