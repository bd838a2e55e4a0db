"""mcn-map: map the multi-agency meetings of a local health and care system.

The library a notebook uses, in the order of the work::

    import mcn_map
    problems = mcn_map.validate("landscape.xlsx")        # every problem, located; [] when clean
    landscape = mcn_map.load("landscape.xlsx")           # the model (raises InputError listing the errors)
    analysis = mcn_map.analyse(landscape)                # findings and measures
    mcn_map.findings_frame(analysis)                     # the findings as a pandas DataFrame
    mcn_map.measures_frame(analysis, "agencies")         # network measures as a DataFrame
    mcn_map.show_map(landscape, analysis)                # the interactive map, drawn inline in Jupyter
    mcn_map.build_outputs("landscape.xlsx", "outputs/")  # every output file, as `mcn-map build` writes them

These names are imported on first use (PEP 562), so ``import mcn_map`` and the command line start without pandas;
``from mcn_map import load`` works as it always has.
"""

from importlib import import_module

from ._version import __version__
from .errors import InputError, McnMapError, Problem

# public name -> (the module that defines it, its name there)
_LAZY = {
    "check": (".loading.validate", "check"),
    "load": (".loading.validate", "load"),
    "load_frames": (".loading.validate", "load_frames"),
    "Landscape": (".model", "Landscape"),
    "Analysis": (".analyses", "Analysis"),
    "analyse": (".analyses", "analyse"),
    "Finding": (".analyses.findings", "Finding"),
    "Config": (".config", "Config"),
    "load_config": (".config", "load_config"),
    "seat_graph": (".graphs", "seat_graph"),
    "links_graph": (".graphs", "links_graph"),
    "forum_projection": (".graphs", "forum_projection"),
    "agency_projection": (".graphs", "agency_projection"),
    "Map": (".notebook", "Map"),
    "findings_frame": (".notebook", "findings_frame"),
    "measures_frame": (".notebook", "measures_frame"),
    "show_map": (".notebook", "show_map"),
    "validate": (".notebook", "validate"),
    "render_map": (".render.map", "render_map"),
    "render_report": (".render.report", "render_report"),
    "build_outputs": (".build", "build"),
}

__all__ = ["__version__", "InputError", "McnMapError", "Problem", "Landscape", "check", "validate", "load",
           "load_frames", "Analysis", "Finding", "analyse", "findings_frame", "measures_frame", "Config", "load_config", "seat_graph",
           "links_graph", "forum_projection", "agency_projection", "Map", "show_map", "render_map", "render_report",
           "build_outputs"]


def __getattr__(name: str):
    if name in _LAZY:
        module, attribute = _LAZY[name]
        value = getattr(import_module(module, __name__), attribute)
        globals()[name] = value  # once imported, an ordinary attribute
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
