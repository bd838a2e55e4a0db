"""The report's journeys section: the flow diagram and the caseload table, counts suppressed, in a real browser."""

from __future__ import annotations

import pandas as pd
import pytest

from browser import open_page, screenshot
from mcn_map.render.flows import MAX_FLOWS, caseload_rows, flow_diagram

NAMES = {"a": "Forum A", "b": "Forum B", "c": "<Forum & C>"}


def flows(*rows):
    return pd.DataFrame(rows, columns=["from_forum", "to_forum", "people"])


def test_flow_diagram_draws_one_band_per_flow_with_suppressed_labels_and_escaped_names():
    svg, note = flow_diagram(flows(("a", "b", 23), ("b", "c", 3)), NAMES, flagged={("a", "b")})
    text = str(svg)
    assert text.count("<path") == 2 and note == ""
    assert "25 people discussed at Forum A then at Forum B (no link between them)" in text
    assert "&lt;8 people discussed at Forum B then at &lt;Forum &amp; C&gt;" in text
    assert ">23<" not in text and ">3<" not in text and "<Forum & C>" not in text
    assert "#B2182B" in text and "#4292c6" in text


def test_unsuppressed_flows_show_exact_counts():
    text = str(flow_diagram(flows(("a", "b", 23)), NAMES, suppress=False)[0])
    assert "23 people discussed" in text


def test_no_flows_no_diagram_and_too_many_are_cut_with_a_note():
    assert flow_diagram(flows(), NAMES) == (None, "")
    many = flows(*[(f"f{i}", f"g{i}", 10) for i in range(MAX_FLOWS + 5)])
    svg, note = flow_diagram(many, {})
    assert str(svg).count("<path") == MAX_FLOWS and f"of {MAX_FLOWS + 5}" in note


def test_caseload_rows_are_suppressed_and_name_agencies():
    table = pd.DataFrame({"post": ["MD coordinator 1", "Outreach 2"], "people": [11, 3],
                          "lead_agencies": [("council",), ()], "status": ["flagged", "within guidance"]})
    rows, note = caseload_rows(table, {"council": "Northtown Council"})
    assert rows == [{"post": "MD coordinator 1", "people": "10", "status": "flagged", "agencies": "Northtown Council"},
                    {"post": "Outreach 2", "people": "<8", "status": "within guidance", "agencies": ""}]
    assert note == ""


def test_the_example_report_shows_the_journeys_section(example_build):
    report = (example_build.outdir / "report.html").read_text(encoding="utf-8")
    assert 'id="h-journeys"' in report and "svg" in report and "Caseloads of lead workers" in report
    assert "Multiple disadvantage coordinator 1" in report and "over ten" in report


@pytest.mark.browser
def test_journeys_section_is_drawn_in_chromium(browser, example_build):
    opened = open_page(browser, example_build.outdir / "report.html", wait_for_map=False, width=1280, height=720)
    page = opened.page
    try:
        section = page.locator("#h-journeys")
        section.scroll_into_view_if_needed()
        box = page.locator("svg.flows").bounding_box()
        assert box and box["width"] > 600 and box["height"] > 150
        assert page.locator("svg.flows path").count() >= 2
        assert page.locator("table.caseloads tbody tr").count() == 3
        assert opened.remote_requests == [] and opened.page_errors == []
        screenshot(page, "report-journeys.png")
    finally:
        page.context.close()
