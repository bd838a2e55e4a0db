"""Figures a reader adds up: every "a → b (c freed)" is worked out from the rounded figures it shows."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

import mcn_map
from mcn_map.change.options import board_options
from mcn_map.change.scenario import evaluate, meeting_hours_change, read_scenario
from mcn_map.render.compare import render_compare, summary_lines
from mcn_map.render.figures import hours_change, hours_text
from mcn_map.render.options import options_section

ROOT = Path(__file__).resolve().parent.parent
# A total of 271.0 hours becoming 250.5: Python's f"{250.5:.0f}" is "250" (half to even), and "271 → 250 (20 freed)"
# does not add up.
HOURS = {"before": 271.0, "after": 250.5, "freed": 20.5,
         "by_agency": [{"agency_id": "police", "name": "Police", "before": 3.25, "after": 1.0, "change": -2.25},
                       {"agency_id": "probation", "name": "Probation", "before": 10.05, "after": 12.5, "change": 2.45}]}


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("−", "-").replace("+", ""))


@pytest.fixture(scope="module")
def whatif(example_landscape):
    analysis = mcn_map.analyse(example_landscape)
    landscape, after, changes = evaluate(example_landscape, analysis, read_scenario(ROOT / "inputs/example_scenario.toml"))
    return landscape, after, replace(changes, meeting_hours=HOURS)


def test_the_printed_summary_adds_up(whatif):
    *_, changes = whatif
    (line,) = [x for x in summary_lines(changes) if x.startswith("Meeting-hours")]
    assert line == "Meeting-hours a month: 271 → 250.5 (20.5 freed)."


def test_the_page_adds_up_agency_by_agency(whatif):
    landscape, after, changes = whatif
    page = render_compare(landscape, landscape, after, changes)
    assert "271 → 250.5" in page and "20.5 hours a month freed" in page
    rows = re.findall(r'<td>(Police|Probation)</td><td class="num">([^<]+)</td>\s*<td class="num">([^<]+)</td>'
                      r'<td class="num">([^<]+)</td>', page)
    assert [r[0] for r in rows] == ["Police", "Probation"]
    for _, before, after, change in rows:
        assert _number(after) - _number(before) == _number(change)
    assert rows[0][1:] == ("3.3", "1", "−2.3")  # 3.25 shown half up, as a reader rounds


@given(st.floats(0, 1e6), st.floats(0, 1e6))
def test_what_is_freed_is_the_difference_of_what_is_shown(before, after):
    shown_before, shown_after, freed = hours_change(before, after)
    assert _number(shown_before) - _number(shown_after) == freed
    assert _number(hours_text(freed)) == freed


def test_the_changes_document_adds_up(whatif, example_landscape):
    landscape, after, _ = whatif
    hours = meeting_hours_change(mcn_map.analyse(example_landscape), after)
    assert Decimal(str(hours["before"])) - Decimal(str(hours["after"])) == Decimal(str(hours["freed"]))
    for row in hours["by_agency"]:
        assert Decimal(str(row["after"])) - Decimal(str(row["before"])) == Decimal(str(row["change"]))


def test_the_board_options_show_what_whatif_would_print(example_landscape):
    analysis = mcn_map.analyse(example_landscape)
    options = board_options(example_landscape, analysis)
    html = str(options_section(example_landscape, analysis.findings, options))
    for option in options:
        if abs(option.hours_freed) >= 1:
            assert f"about {hours_text(abs(option.hours_freed))} meeting-hours" in html
