"""The main job: load, validate, model, analyse, and write every output into one folder.

Each output is an :class:`Output`: a file name and a function from the build context to the file's bytes. Writing is
separate from producing, atomic, and timed per stage so ``scripts/bench.py`` can report where the time goes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from .graphs import seat_graph
from .loading import load
from .model import Landscape
from .outputs import json_bytes, write_atomic
from .progress import Progress

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
    return json_bytes({
        "source": landscape.source,
        "counts": landscape.counts(),
        "warnings": len(landscape.warnings),
        "pseudonymised": landscape.pseudonymised,
    })


def graphml_bytes(context: BuildContext) -> bytes:
    graph = nx.MultiGraph(seat_graph(context.landscape))
    return "\n".join(nx.generate_graphml(graph, prettyprint=True)).encode("utf-8") + b"\n"


# Later stages register here, in the order they are written.
OUTPUTS: list[Output] = [
    Output("summary.json", summary, "summary"),
    Output("graph.graphml", graphml_bytes, "graphml"),
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
    with progress.stage("read and validate"):
        landscape = load(input_path, key=key)
    context = BuildContext(landscape, dict(options or {}))
    written = []
    for output in outputs if outputs is not None else OUTPUTS:
        with progress.stage(output.stage or output.filename):
            data = output.produce(context)
            if data is None:  # an output may decline (e.g. a map too large to be useful), having said why
                continue
            written.append(write_atomic(outdir / output.filename, data, inputs=[input_path]))
    return BuildResult(outdir, written, dict(progress.timings), landscape)
