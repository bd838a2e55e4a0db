"""mcn-map: map the multi-agency meetings of a local health and care system.

The library a notebook uses, in the order of the work::

    import mcn_map
    problems = mcn_map.validate("landscape.xlsx")        # every problem, located; [] when clean
    landscape = mcn_map.load("landscape.xlsx")           # the model (raises InputError listing the errors)
    analysis = mcn_map.analyse(landscape)                # findings and measures
    mcn_map.findings_frame(analysis)                     # the findings as a pandas DataFrame
    mcn_map.show_map(landscape, analysis)                # the interactive map, drawn inline in Jupyter
    mcn_map.build_outputs("landscape.xlsx", "outputs/")  # every output file, as `mcn-map build` writes them
"""

from ._version import __version__
from .errors import InputError, McnMapError, Problem
from .loading import check, load, load_frames
from .model import Landscape
from .analyses import Analysis, analyse
from .analyses.findings import Finding
from .config import Config, load_config
from .graphs import agency_projection, forum_projection, links_graph, seat_graph
from .notebook import Map, findings_frame, show_map, validate
from .render.map import render_map
from .render.report import render_report
from .build import build as build_outputs

__all__ = ["__version__", "InputError", "McnMapError", "Problem", "Landscape", "check", "validate", "load",
           "load_frames", "Analysis", "Finding", "analyse", "findings_frame", "Config", "load_config", "seat_graph",
           "links_graph", "forum_projection", "agency_projection", "Map", "show_map", "render_map", "render_report",
           "build_outputs"]
