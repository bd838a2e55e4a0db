"""The toolkit at a Jupyter prompt: findings as a DataFrame, problems as a list, and maps that draw inline.

A :class:`Map` shows itself in a notebook through ``_repr_html_``: the page goes into an ``<iframe srcdoc>``
sandboxed without ``allow-same-origin``, so its script runs in a frame of its own and can touch neither the
notebook nor its cookies.
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

__all__ = ["Map", "show_map", "validate", "findings_frame", "FINDING_COLUMNS"]

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


@dataclass(frozen=True)
class Map:
    """An interactive map page: ``html`` is the whole self-contained page; shown inline in Jupyter."""

    html: str
    height: int = 640

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
    return Map(render_map(landscape, analysis, view=view, focus=focus, suppress=suppress), height)
