"""The shipped example's map.html in real headless Chromium: offline, drawn, searchable, filterable, clickable."""

from __future__ import annotations

import pytest

from browser import canvas_ink, open_page, screenshot
from conftest import HOSTILE_NAMES

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def example_map(example_build):
    return example_build.outdir / "map.html"


@pytest.fixture
def opened(browser, example_map):
    page = open_page(browser, example_map)
    yield page
    page.page.context.close()


def click_node(page, node_id):
    position = page.evaluate("(id) => window.mcnMap.nodePosition(id)", node_id)
    box = page.locator("#network").bounding_box()
    page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])


def test_opens_offline_without_errors_and_draws_the_network(opened):
    page = opened.page
    page.wait_for_timeout(300)
    assert opened.remote_requests == []
    assert opened.console_errors == [] and opened.page_errors == []
    assert canvas_ink(page) > 0.02  # the canvas is not blank
    assert page.locator("#legend").inner_text().count("Strategic") == 1  # the legend is on screen
    assert page.locator("#legend").is_visible()
    screenshot(page, "map.png")


def test_search_finds_a_forum_and_opens_its_panel(opened):
    page = opened.page
    page.fill("#search", "marac")
    results = page.locator("#search-results button")
    assert results.first.inner_text().startswith("MARAC")
    results.first.click()
    panel = page.locator("#details-panel")
    assert panel.is_visible()
    assert panel.locator("h3").inner_text() == "MARAC"
    assert "Seats (" in panel.inner_text()


def test_keyboard_alone_reaches_a_forum(opened):
    page = opened.page
    page.focus("#search")
    page.keyboard.type("Dual Diagnosis")
    page.keyboard.press("Enter")
    assert page.locator("#details-panel h3").inner_text() == "Dual Diagnosis Panel"


def test_a_filter_hides_agencies(opened):
    page = opened.page
    ids = page.evaluate("window.mcnMap.visibleNodeIds()")
    assert any(i.startswith("agency:") for i in ids)
    page.uncheck("#toggle-agencies")
    ids = page.evaluate("window.mcnMap.visibleNodeIds()")
    assert ids and not any(i.startswith("agency:") for i in ids)
    page.select_option("#filter-category", "missing_partner")
    forums = [i for i in page.evaluate("window.mcnMap.visibleNodeIds()") if i.startswith("forum:")]
    assert 0 < len(forums) < 18


def test_clicking_a_forum_opens_its_panel_with_its_findings(opened):
    page = opened.page
    click_node(page, "forum:cscc")
    panel = page.locator("#details-panel")
    assert panel.is_visible()
    assert panel.locator("h3").inner_text() == "Community Safety Complex Cases"
    text = panel.inner_text()
    assert "Tier" in text and "Meets" in text and "Chair" in text and "Seats (" in text
    assert "Missing from the table" in text and "Mental health" in text
    assert "has no seat for mental health" in text  # its findings, in plain English


def test_clicking_a_finding_focuses_its_subjects(opened):
    page = opened.page
    page.locator("#findings-list button.finding").first.click()
    selected = page.evaluate("window.mcnMap.network.getSelectedNodes()")
    assert selected and all(s.startswith(("forum:", "agency:")) for s in selected)
    assert page.locator("#details-panel").is_visible()


def test_hostile_names_show_as_text_and_run_nothing(browser, hostile_landscape, tmp_path):
    from mcn_map.render.map import render_map

    path = tmp_path / "hostile.html"
    path.write_text(render_map(hostile_landscape, []), encoding="utf-8")
    opened = open_page(browser, path)
    page = opened.page
    try:
        page.fill("#search", "<script>")
        page.locator("#search-results button").first.click()
        assert page.locator("#details-panel h3").inner_text() == HOSTILE_NAMES[0]
        page.fill("#search", "onerror")
        page.locator("#search-results button").first.click()
        assert page.locator("#details-panel h3").inner_text() == HOSTILE_NAMES[1]
        page.wait_for_timeout(300)
        assert opened.dialogs == []
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        assert opened.remote_requests == [] and opened.page_errors == []
        screenshot(page, "map-hostile.png")
    finally:
        page.context.close()


def test_the_request_recorder_would_catch_a_remote_request(browser, tmp_path):
    # Guards the zero-requests assertions above against passing vacuously.
    path = tmp_path / "leaky.html"
    path.write_text('<!DOCTYPE html><img src="http://example.invalid/pixel.png">', encoding="utf-8")
    opened = open_page(browser, path, wait_for_map=False)
    try:
        opened.page.wait_for_timeout(300)
        assert opened.remote_requests == ["http://example.invalid/pixel.png"]
    finally:
        opened.page.context.close()


def test_focus_and_forums_views_draw(browser, example_landscape, tmp_path):
    from mcn_map.render.map import render_map

    for view, focus in (("forums", None), ("focus", "marac")):
        path = tmp_path / f"{view}.html"
        path.write_text(render_map(example_landscape, view=view, focus=focus), encoding="utf-8")
        opened = open_page(browser, path)
        try:
            assert opened.remote_requests == [] and opened.console_errors == [] and opened.page_errors == []
            assert canvas_ink(opened.page) > 0.01
            screenshot(opened.page, f"map-{view}.png")
        finally:
            opened.page.context.close()
