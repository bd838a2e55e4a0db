"""Every file a build writes, in one registry: its name, the stage its time is shown under, and the one function that
makes its bytes from what the build made (:class:`Built`). Renderers only render: each producer reads the landscape,
the analysis (with the board's options, weighed in the analyse step) and the config, and never analyses.

To add an output: write a producer here (``def my_output(built) -> bytes | str | None``), add an :class:`Output` to
:data:`OUTPUTS`, and test it. Heavy libraries are imported inside the producers, so a build imports only what the
outputs it writes need (openpyxl only in the process that writes the workbooks).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..analyses.run import Analysis
from ..config import Config
from ..memo import Memo
from ..model import Landscape
from ..privacy.suppression import UNSUPPRESSED_STAMP, people_number
from ..writing.files import json_bytes

__all__ = ["Built", "Output", "OUTPUTS", "summary_document"]


@dataclass(frozen=True)
class Built:
    """What every output is made from: the landscape, its analysis, the one resolved config, and the build's memo
    (work the renderers share, such as the layout)."""

    landscape: Landscape
    analysis: Analysis
    config: Config
    memo: Memo | None = None


@dataclass(frozen=True)
class Output:
    filename: str
    produce: Callable[[Built], bytes | str | None]  # None: declined (having said why)
    stage: str = ""
    needs_options: bool = False  # drawn from the board's options, so made once they are weighed


def summary_document(landscape: Landscape, config: Config) -> dict:
    """``summary.json``: the headline counts, under the small-number rule unless the config turns it off."""
    suppress = config.suppress
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
    return data


def summary_json(built: Built) -> bytes:
    return json_bytes(summary_document(built.landscape, built.config))


def graph_graphml(built: Built) -> bytes:
    from .graphml import graphml_bytes  # networkx

    return graphml_bytes(built.landscape, built.memo)


def findings_json(built: Built) -> bytes:
    from .findings_json import findings_json_bytes

    return findings_json_bytes(built.analysis)


def findings_xlsx(built: Built) -> bytes:
    from .findings_workbook import findings_xlsx_bytes

    return findings_xlsx_bytes(built.analysis)


def assessment_xlsx(built: Built) -> bytes:
    from .assessment_workbook import assessment_xlsx_bytes

    return assessment_xlsx_bytes(built.analysis)


def map_html(built: Built) -> str:
    from .map import render_map

    return render_map(built.landscape, built.analysis, memo=built.memo)


def report_html(built: Built) -> str:
    from .report import render_report

    return render_report(built.landscape, built.analysis, memo=built.memo)


def graph_gexf(built: Built) -> bytes:
    from .exports import gexf_bytes

    return gexf_bytes(built.landscape, built.analysis.findings, built.memo)


def kumu_json(built: Built) -> bytes:
    from .exports import kumu_blueprint

    blueprint = kumu_blueprint(built.landscape, built.analysis.findings)
    if not built.config.suppress:  # its finding texts then carry exact counts: stamped like every page and sheet
        blueprint["notice"] = UNSUPPRESSED_STAMP
    return json_bytes(blueprint)


# In the order they are written.
OUTPUTS: list[Output] = [
    Output("summary.json", summary_json, "summary"),
    Output("graph.graphml", graph_graphml, "graphml"),
    Output("findings.json", findings_json, "analyse"),
    Output("findings.xlsx", findings_xlsx, "findings workbook"),
    Output("assessment.xlsx", assessment_xlsx, "self-assessment"),
    Output("map.html", map_html, "map"),
    Output("report.html", report_html, "board report", needs_options=True),
    Output("graph.gexf", graph_gexf, "gexf"),
    Output("kumu.json", kumu_json, "kumu"),
]
