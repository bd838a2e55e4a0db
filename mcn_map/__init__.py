"""mcn-map: map the multi-agency meetings of a local health and care system."""

from ._version import __version__
from .errors import InputError, McnMapError, Problem
from .loading import check, load, load_frames
from .model import Landscape
from .analyses import Analysis, analyse
from .render.map import render_map
from .render.report import render_report

__all__ = ["__version__", "InputError", "McnMapError", "Problem", "Landscape", "check", "load", "load_frames", "Analysis", "analyse",
           "render_map", "render_report"]
