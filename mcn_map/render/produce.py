"""The build's producers for the map, the board report and the exports (registered in :data:`mcn_map.build.OUTPUTS`).

Each takes the :class:`~mcn_map.build.BuildContext`, shares the build's one analysis, and returns the file's text.
"""

from __future__ import annotations

__all__ = ["map_html", "report_html", "graph_gexf", "kumu_json"]


def _analysis(context):
    from ..analyses.run import analysis_for

    return analysis_for(context)


def _suppress(context) -> bool:
    return bool(context.options.get("suppress", True))


def map_html(context) -> str:
    from .map import render_map

    return render_map(context.landscape, _analysis(context), suppress=_suppress(context))


def report_html(context) -> str:
    from .report import render_report

    from ..change.options import board_options

    analysis = _analysis(context)
    # The board's options are scenarios evaluated like `mcn-map whatif` (area by area on a large landscape):
    # computed here, drawn by the report.
    options = board_options(context.landscape, analysis)
    return render_report(context.landscape, analysis, suppress=_suppress(context), options=options)


def graph_gexf(context) -> bytes:
    from .exports import gexf_bytes

    return gexf_bytes(context.landscape, _analysis(context).findings)


def kumu_json(context) -> bytes:
    from ..writing.files import json_bytes
    from ..privacy.suppression import UNSUPPRESSED_STAMP
    from .exports import kumu_blueprint

    blueprint = kumu_blueprint(context.landscape, _analysis(context).findings)
    if not _suppress(context):  # its finding texts then carry exact counts: stamped like every page and sheet
        blueprint["notice"] = UNSUPPRESSED_STAMP
    return json_bytes(blueprint)
