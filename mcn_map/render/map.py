"""``map.html``: one self-contained page — vis-network's JS and CSS (bundled with pyvis) inlined, the data embedded
as JSON, and the project's own template with autoescaping on. The page makes no request to any host.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from .._version import __version__
from ..memo import Memo
from ..model import Landscape
from ..privacy.suppression import UNSUPPRESSED_STAMP
from .knowing import knowing_view
from .network import MAX_FULL_MAP_NODES, map_data, node_count, table_rows

__all__ = ["render_map", "full_map_notice", "map_page", "script_json", "vis_assets", "template_env", "resolve_analysis", "suppressed", "VIEWS"]

VIS_VERSION = "vis-9.1.2"
VIEWS = ("system", "forums", "focus")


@lru_cache(maxsize=1)
def template_env() -> Environment:
    return Environment(loader=PackageLoader("mcn_map", "templates"), autoescape=True, trim_blocks=True,
                       lstrip_blocks=True, keep_trailing_newline=True)


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS as shipped inside pyvis; the source-map comment is dropped so nothing asks for it."""
    # Found without importing pyvis, whose import pulls in IPython (a third of a second at every start).
    from importlib.util import find_spec
    from pathlib import Path

    folder = Path(next(iter(find_spec("pyvis").submodule_search_locations))) / "templates" / "lib" / VIS_VERSION
    js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    css = (folder / "vis-network.css").read_text(encoding="utf-8")
    js = re.sub(r"//# sourceMappingURL=\S*", "", js)
    css = re.sub(r"/\*# sourceMappingURL=\S*\s*\*/", "", css)
    if "</script" in js.lower() or "</style" in css.lower():  # would end the inline block early
        raise RuntimeError("vis-network assets contain a closing tag and cannot be inlined")
    return js, css


@lru_cache(maxsize=8)
def _package_text(name: str) -> str:
    return (resources.files("mcn_map") / "templates" / name).read_text(encoding="utf-8")


def script_json(data) -> Markup:
    """JSON safe inside a ``<script>`` element: ``<``, ``>``, ``&`` and the JavaScript line separators are escaped,
    so a name such as ``</script>`` stays text."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False, allow_nan=False)
    text = (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return Markup(text)


def resolve_analysis(analysis=None, findings=None):
    """(findings, overlap frame, analysis) from what the caller gives: an Analysis, or a list of findings.

    Renderers draw what they are given and never run the analyses themselves: run ``mcn_map.analyse(landscape)``
    first (or pass ``[]`` for a map with no findings)."""
    if analysis is not None and not hasattr(analysis, "findings") and findings is None:
        findings, analysis = list(analysis), None  # a plain list of findings passed positionally
    if analysis is None and findings is None:
        raise TypeError("give the Analysis to draw (mcn_map.analyse(landscape)) or a list of findings; "
                        "renderers do not run the analyses themselves")
    if analysis is not None:
        found = list(analysis.findings) if findings is None else list(findings)
        return found, getattr(analysis, "overlap", None), analysis
    return list(findings), None, None


def suppressed(analysis, suppress: bool | None = None) -> bool:
    """Whether counts of people are suppressed on a page: ``suppress`` where the caller says, else as the analysis was
    made (its config's one setting), else yes."""
    if suppress is not None:
        return bool(suppress)
    return bool(getattr(analysis, "suppress", True))


def _subtitle(landscape: Landscape, data: dict, findings) -> str:
    parts = [landscape.source] if landscape.source and landscape.source != "memory" else []
    parts.append(f"{len(landscape.forums):,} forums")
    parts.append(f"{len(landscape.agencies):,} agencies")
    parts.append(f"{len(landscape.seats):,} seats")
    parts.append(f"{len(findings):,} finding{'s' if len(findings) != 1 else ''}")
    return " · ".join(parts)


def _knowing_parts(knowing: dict | None) -> dict:
    """The "who knows whom" view's data, script and style for the template; nothing at all without a round, so a
    map without one is exactly as it was."""
    if knowing is None:
        return {"knowing": None}
    return {"knowing": knowing, "knowing_json": script_json(knowing), "knowing_rows": list(knowing["details"].values()),
            "knowing_js": Markup(_package_text("knowing.js")), "knowing_css": Markup(_package_text("knowing.css"))}


def map_page(landscape: Landscape, data: dict, findings, *, suppress: bool = True, message: str = "",
             title: str | None = None, headline: str = "", knowing: dict | None = None) -> str:
    """Fill the template with already-built map data; ``headline``: the board's one line
    (:func:`mcn_map.analyses.ranking.board_headline`), shown under the title; ``knowing``: the "who knows whom"
    view's data (:func:`mcn_map.render.knowing.knowing_view`), when the landscape records a round."""
    js, css = vis_assets()
    if title is None:
        title = "Map of multi-agency meetings"
        if data["view"] == "forums":
            title += " — forums only"
        elif data["view"] == "focus":
            title += f" — {landscape.forum_name.get(data['focus'], data['focus'])} and its neighbourhood"
    aria = (f"Network map of {data['counts']['forums']} forums and {data['counts']['agencies']} agencies. "
            "Press Enter to walk it as a tree (tiers, forums, seats, links, findings); the table view (press T, or "
            "the Table button) lists the same forums, seats, missing partners and findings as text.")
    return template_env().get_template("map.html.j2").render(
        title=title, subtitle=_subtitle(landscape, data, findings), version=__version__,
        stamp="" if suppress else UNSUPPRESSED_STAMP, message=message, aria_label=aria,
        vis_js=Markup(js), vis_css=Markup(css), map_css=Markup(_package_text("map.css")),
        map_js=Markup(_package_text("map.js")), data_json=script_json(data),
        forum_rows=table_rows(landscape, data), overview=data["defaults"]["overview"], headline=headline,
        **_knowing_parts(knowing),
    )


def too_large_message(landscape: Landscape, nodes: int) -> str:
    return (f"This landscape has {len(landscape.forums):,} forums and {len(landscape.agencies):,} agencies "
            f"({nodes:,} points to draw): too many for one readable map, so this page shows the forums only, with "
            "each forum's agencies folded into a count. To see one forum with its agencies, run "
            "`mcn-map map INPUT --view focus --focus FORUM_ID`.")


def full_map_notice(landscape: Landscape, findings=()) -> str:
    """Why the whole-system map would be drawn as forums only, or "" when it is drawn in full."""
    nodes = node_count(landscape, findings)
    return too_large_message(landscape, nodes) if nodes > MAX_FULL_MAP_NODES else ""


def render_map(landscape: Landscape, analysis=None, *, findings=None, view: str = "system", focus: str | None = None,
               suppress: bool | None = None, title: str | None = None, memo: Memo | None = None) -> str:
    """The interactive map as one self-contained HTML page.

    ``analysis`` is an Analysis (its findings and cohort overlap are used) or a list of findings; the renderer
    never runs the analyses itself. ``view``: ``system`` (forums and agencies), ``forums`` (agencies folded into
    counts) or ``focus`` (the forum ``focus`` and its neighbourhood). A whole-system map of more than
    :data:`MAX_FULL_MAP_NODES` nodes is not drawn: the forums-only view is returned with a message saying why.
    When the landscape records a mapping round, the page can also show who knows whom (see ``render/knowing.py``).
    """
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}: use one of {', '.join(VIEWS)}")
    found, overlap, analysis = resolve_analysis(analysis, findings)
    suppress = suppressed(analysis, suppress)
    message = full_map_notice(landscape, found) if view == "system" else ""
    if message:
        view = "forums"
    flows = getattr(analysis, "extra", {}).get("flows") if analysis is not None else None
    data = map_data(landscape, found, overlap=overlap, view=view, focus=focus, suppress=suppress, flows=flows,
                    memo=memo)
    headline = getattr(analysis, "headline", "") if analysis is not None and view != "focus" else ""
    return map_page(landscape, data, found, suppress=suppress, message=message, title=title, headline=headline,
                    knowing=knowing_view(landscape, data))
