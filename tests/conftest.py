"""Shared fixtures: the shipped example (loaded and built once per session) and a headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inputs" / "example_landscape.xlsx"


@pytest.fixture(scope="session")
def example_landscape():
    from mcn_map import load

    return load(EXAMPLE)


@pytest.fixture(scope="session")
def example_build(tmp_path_factory):
    """Every output of ``mcn-map build`` on the shipped example, written once for the whole session."""
    from mcn_map.build import build

    return build(EXAMPLE, tmp_path_factory.mktemp("example-build"))


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (installed with apt where it is missing)."""
    from browser import chromium

    with chromium() as launched:
        yield launched


HOSTILE_NAMES = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "</script>")


def frames_of(data: dict[str, list[list]]):
    """{sheet: [header, *rows]} (as tests/workbooks.py builds) -> DataFrames for ``mcn_map.load_frames``."""
    import pandas as pd

    return {name: pd.DataFrame(rows[1:], columns=rows[0]) for name, rows in data.items()}


@pytest.fixture
def little_borough():
    """The little borough of tests/workbooks.py: a board, MARAC and a merged MSET sharing one person."""
    from mcn_map import load_frames
    from workbooks import sheets

    return load_frames(frames_of(sheets()), source="little-borough.xlsx")


@pytest.fixture
def hostile_landscape():
    """A landscape whose forum, agency, post, area and theme names try to run script in a page."""
    from mcn_map import load_frames
    from workbooks import sheets

    data = sheets()
    script, image, close = HOSTILE_NAMES
    data["forums"][1][1] = script  # the board's name
    data["forums"][2][1] = image  # MARAC's name
    data["forums"][2][3] = close + "|domestic abuse"
    data["forums"][2][10] = image  # area
    data["agencies"][2][1] = close + " Trust\u2028& co"
    data["members"][4][4] = script  # a post label
    data["links"][1][3] = image  # via_post
    return load_frames(frames_of(data), source="hostile.xlsx")
