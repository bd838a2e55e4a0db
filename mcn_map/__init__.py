"""mcn-map: map the multi-agency meetings of a local health and care system.

The public names below are imported on first use (PEP 562), so ``import mcn_map`` and the command line start without
pandas; ``from mcn_map import load`` works as before.
"""

from importlib import import_module

from ._version import __version__
from .errors import InputError, McnMapError, Problem

# public name -> the module that defines it
_LAZY = {
    "check": ".loading",
    "load": ".loading",
    "load_frames": ".loading",
    "Landscape": ".model",
    "Analysis": ".analyses",
    "analyse": ".analyses",
    "render_map": ".render.map",
    "render_report": ".render.report",
}

__all__ = ["__version__", "InputError", "McnMapError", "Problem", "Landscape", "check", "load", "load_frames", "Analysis", "analyse",
           "render_map", "render_report"]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value  # once imported, an ordinary attribute
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
