"""The board report: one self-contained page with headline figures, the map, findings and three inline charts."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from conftest import HOSTILE_NAMES
from pathlib import Path

from mcn_map.analyses.findings import make_finding
from mcn_map.render.report import render_report
from mcn_map.render.svg import bar_chart, heatmap

EXTERNAL = re.compile(r"<(?:script|link|img|iframe|source|object|embed)\b[^>]*\b(?:src|href|data)\s*=", re.I)


@pytest.fixture(scope="module")
def example_analysis(example_landscape):
    from mcn_map import analyse

    return analyse(example_landscape)


def test_report_is_self_contained_and_prints_on_a4_landscape(example_landscape, example_analysis):
    html = render_report(example_landscape, example_analysis)
    assert html.startswith("<!DOCTYPE html>")
    # The map is embedded with srcdoc (escaped, so it holds no ">"), never loaded from a file or a host.
    assert EXTERNAL.search(re.sub(r'srcdoc="[^"]*"', "", html)) is None
    assert 'srcdoc="&lt;!DOCTYPE html&gt;' in html
    assert "@page { size: A4 landscape" in html
    assert html.count("<svg") >= 4  # the printable map and the three charts


def test_report_reads_as_a_board_paper(example_landscape, example_analysis):
    html = render_report(example_landscape, example_analysis)
    main, appendix = html.split('<div class="appendix" id="appendix">', 1)
    assert "What the board should know" in main and "The map" in main
    assert "Who sits where" in appendix and '<h2 id="h-findings">Findings</h2>' in appendix
    for heading in ("At a glance", "What the board should know", "The map", "Findings", "Who sits where",
                    "The same people in several forums", "Meeting burden on agencies"):
        assert heading in html
    for category in ("Duplication", "Missing partners", "Weak strategic–operational links",
                     "Workload: meetings and caseloads"):
        assert f"<h3>{category} " in html
    assert "Partnership Feature 3: strategic buy-in across sectors" in html  # MEAM feature in words
    assert "Next step:" in html


def test_people_counts_are_suppressed_unless_asked(little_borough):
    html = render_report(little_borough, [])
    assert ">&lt;8<" in html  # the one person MARAC and MSET share, in the overlap heat-map
    assert "not for circulation" not in html
    exact = render_report(little_borough, [], suppress=False)
    assert "Contains unsuppressed counts — not for circulation" in exact


def test_coverage_heatmap_outlines_a_missing_partner(little_borough):
    finding = make_finding("missing_partner", "missing_sector", "high", ("marac",), "MARAC has no seat for housing.",
                           evidence={"sectors": ["housing"]})
    html = render_report(little_borough, [finding])
    assert "MARAC: 0 seats held by housing — expected but missing" in html
    assert 'stroke="#b2182b" stroke-width="2.5"' in html


def test_hostile_names_are_escaped_everywhere(hostile_landscape):
    html = render_report(hostile_landscape, [])
    for name in HOSTILE_NAMES:
        assert name not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text


def test_svg_charts_escape_their_text():
    chart = str(heatmap(["<b>a</b>"], ["c&d"], lambda i, j: 1.0, cell_text=lambda i, j: "1", title="<t>"))
    assert "<b>" not in chart and "&lt;b&gt;a&lt;/b&gt;" in chart and "c&amp;d" in chart
    bars = str(bar_chart(["x</text><script>"], [3.0], title="t", threshold=2.0, threshold_label="2 hours"))
    assert "<script>" not in bars and "2 hours" in bars


def test_the_board_should_know_the_top_problems_the_map_rings(example_landscape, example_analysis):
    from markupsafe import escape

    from mcn_map.analyses.ranking import headline
    from mcn_map.render.network import RINGED_FINDINGS

    html = render_report(example_landscape, example_analysis)
    key = html.split("What the board should know", 1)[1].split("</ul>", 1)[0]
    top = headline(list(example_analysis.findings), RINGED_FINDINGS)
    assert key.count("<li>") == len(top)
    for finding in top:
        assert str(escape(finding.message))[:40] in key  # as Jinja escapes it: "<8" is "&lt;8"


@pytest.mark.parametrize("day, text", [("2026-03-03", "3 March 2026"), ("2026-11-30", "30 November 2026")])
def test_dates_are_written_without_platform_specific_formats(day, text):
    from mcn_map.render.report import _long_date

    assert _long_date(pd.Timestamp(day)) == text
    source = (Path(__file__).resolve().parent.parent / "mcn_map" / "render" / "report.py").read_text(encoding="utf-8")
    assert "%-d" not in source  # not on Windows


def test_the_printed_map_is_legible_on_a4(example_landscape, example_analysis):
    from mcn_map.render.static_map import FONT, static_map_svg

    svg = str(static_map_svg(example_landscape, example_analysis.findings))
    width = float(re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ', svg).group(1))
    printable_px = (297 - 24) / 25.4 * 96  # A4 landscape less the 12 mm margins, in CSS pixels
    assert FONT * min(1.0, printable_px / width) * 0.75 >= 8  # points, fitted to the page width
