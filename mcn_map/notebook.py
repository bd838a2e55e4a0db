"""The toolkit at a Jupyter prompt: findings and measures as DataFrames, problems as a list, maps that draw inline.

A :class:`Map` shows itself in a notebook through ``_repr_html_`` (and ``_repr_mimebundle_``): the page goes into an
``<iframe srcdoc>`` sandboxed without ``allow-same-origin``, so its script runs in a frame of its own and can touch
neither the notebook nor its cookies. Its text form, in a terminal or a log, is one line.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .analyses.run import Analysis, analyse
from .errors import Problem
from .loading.validate import check
from .model import Landscape
from .writing.files import write_atomic

__all__ = ["Map", "show_map", "validate", "findings_frame", "measures_frame", "FINDING_COLUMNS", "MEASURES"]

FINDING_COLUMNS = ["id", "severity", "category", "rule", "subjects", "message", "suggestion", "meam", "evidence"]


def validate(path: str | Path, *, key: bytes | None = None) -> list[Problem]:
    """Every problem in the workbook (or folder of CSVs) at ``path``: errors and warnings, located. [] when clean."""
    _, problems = check(path, key=key)
    return list(problems)


def findings_frame(analysis: Analysis) -> pd.DataFrame:
    """The findings as a DataFrame, one row each, most severe first (subjects and MEAM references as tuples).

    >>> import mcn_map
    >>> findings_frame(mcn_map.analyse(mcn_map.load("inputs/example_landscape.xlsx"))).columns[:3].tolist()
    ['id', 'severity', 'category']
    """
    rows = [{"id": f.id, "severity": f.severity, "category": f.category, "rule": f.rule, "subjects": f.subjects,
             "message": f.message, "suggestion": f.suggestion, "meam": f.meam, "evidence": f.evidence}
            for f in analysis.findings]
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


MEASURES = ("graphs", "forums", "agencies", "posts")


def measures_frame(analysis: Analysis, of: str = "forums") -> pd.DataFrame:
    """The network measures (as in findings.json) as a DataFrame: ``of`` is ``graphs`` (nodes, edges, density and
    components of each graph), ``forums`` or ``agencies`` (degree and betweenness, one row each, most between first)
    or ``posts`` (the best-placed posts).

    >>> import mcn_map
    >>> measures_frame(mcn_map.analyse(mcn_map.load("inputs/example_landscape.xlsx")), "graphs").index.tolist()
    ['seat_graph', 'forum_projection', 'links_graph']
    """
    if of not in MEASURES:
        raise ValueError(f"measures_frame takes of= one of {', '.join(MEASURES)}, not {of!r}.")
    measures = analysis.measures
    if of == "graphs":
        graphs = {name: measures[name] for name in ("seat_graph", "forum_projection", "links_graph") if name in measures}
        return pd.DataFrame.from_dict(graphs, orient="index")
    if of == "posts":
        return pd.DataFrame(measures.get("posts", []))
    names = analysis.extra.get("forum_names" if of == "forums" else "agency_names", {})
    rows = [{"id": key, "name": names.get(key, key), **values} for key, values in measures.get(of, {}).items()]
    frame = pd.DataFrame(rows)
    return frame.sort_values(["betweenness", "id"], ascending=[False, True], ignore_index=True) if rows else frame


@dataclass(frozen=True)
class Map:
    """An interactive map page: ``html`` is the whole self-contained page; shown inline in Jupyter.
    Its ``repr`` is one line saying what it shows (the page itself can be 1 MB)."""

    html: str
    height: int = 640
    view: str = "system"
    forums: int | None = None
    agencies: int | None = None
    findings: int | None = None

    def __repr__(self) -> str:
        counts = [f"{n:,} {what}" for n, what in ((self.forums, "forums"), (self.agencies, "agencies"),
                                                  (self.findings, "findings")) if n is not None]
        return (f"<mcn_map.Map: {self.view} view, {', '.join(counts) + ', ' if counts else ''}"
                f"{len(self.html) / 1e6:.1f} MB page>")

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/html": self._repr_html_(), "text/plain": repr(self)}

    def _repr_html_(self) -> str:
        # srcdoc holds the page as an attribute: escaped, quotes included. The sandbox lets the map's own script
        # run but gives it a unique origin (no allow-same-origin), so it cannot reach the notebook.
        return (f'<iframe srcdoc="{html.escape(self.html, quote=True)}" sandbox="allow-scripts allow-popups" '
                f'style="width:100%;height:{int(self.height)}px;border:1px solid #ccc" '
                'title="mcn-map interactive map" loading="lazy"></iframe>')

    def save(self, path: str | Path, *, force: bool = False) -> Path:
        """Write the page to ``path`` (the same overwrite policy as the command line)."""
        return write_atomic(path, self.html, force=force)


def show_map(landscape: Landscape, analysis: Analysis | None = None, *, view: str = "system",
             focus: str | None = None, suppress: bool | None = None, height: int = 640) -> Map:
    """The interactive map of ``landscape`` (views as ``mcn-map map``); analysed here if ``analysis`` is None.
    Counts of people are suppressed as the analysis was made (its config), unless ``suppress`` says otherwise."""
    from .render.map import render_map

    analysis = analysis if analysis is not None else analyse(landscape, suppress=suppress)
    return Map(render_map(landscape, analysis, view=view, focus=focus, suppress=suppress), height, view=view,
               forums=len(landscape.forums), agencies=len(landscape.agencies), findings=len(analysis.findings))
