"""Start-up: the command line and the package import only what a command uses (see issue 14 and the README)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("pandas", "numpy", "networkx", "scipy", "openpyxl", "python_calamine", "jinja2")


def _imported(code: str) -> dict:
    """Which of the heavy modules are loaded after running ``code`` in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps({{m: m in sys.modules for m in {HEAVY!r}}}))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.parametrize("code", ["import mcn_map.cli", "import mcn_map",
                                  "from mcn_map.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"])
def test_start_up_imports_nothing_heavy(code):
    loaded = _imported(code)
    assert not any(loaded.values()), [m for m, on in loaded.items() if on]


def test_public_api_is_unchanged_and_imports_on_first_use():
    import mcn_map
    from mcn_map.analyses.run import Analysis, analyse
    from mcn_map.loading.validate import check, load, load_frames
    from mcn_map.model import Landscape
    from mcn_map.render.map import render_map
    from mcn_map.render.report import render_report

    expected = {"Analysis": Analysis, "analyse": analyse, "check": check, "load": load, "load_frames": load_frames,
                "Landscape": Landscape, "render_map": render_map, "render_report": render_report}
    for name, value in expected.items():
        assert getattr(mcn_map, name) is value
        assert name in mcn_map.__all__ and name in dir(mcn_map)
    with pytest.raises(AttributeError):
        mcn_map.no_such_name  # noqa: B018
    assert _imported("from mcn_map import load")["pandas"]


def test_error_scrubbing_needs_no_pandas():
    loaded = _imported("from mcn_map.privacy.scrub import scrub_identifiers\n"
                       "assert scrub_identifiers('9990000018') == '*** *** *018'")
    assert not loaded["pandas"]
    from mcn_map.privacy import identifiers, scrub
    assert identifiers.scrub_identifiers is scrub.scrub_identifiers  # the old import path still works
