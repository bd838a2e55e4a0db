"""compare.html in real headless Chromium: offline, no console errors, changes marked on the map, names inert."""

from __future__ import annotations

import pytest

from browser import canvas_ink, open_page, screenshot
from conftest import HOSTILE_NAMES, ROOT

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def compare_page(tmp_path_factory):
    from mcn_map import analyse, load
    from mcn_map.change import compare
    from mcn_map.render.compare import render_compare

    old, new = load(ROOT / "inputs" / "example_landscape.xlsx"), load(ROOT / "inputs" / "example_landscape_2027.xlsx")
    new_analysis = analyse(new)
    changes = compare(old, analyse(old), new, new_analysis)
    path = tmp_path_factory.mktemp("compare") / "compare.html"
    path.write_text(render_compare(old, new, new_analysis, changes), encoding="utf-8")
    return path


def map_frame(page):
    return next(f for f in page.frames if f != page.main_frame)


def test_opens_offline_and_marks_what_changed(browser, compare_page):
    opened = open_page(browser, compare_page, width=1280, height=720)
    page = opened.page
    try:
        page.wait_for_timeout(300)
        assert opened.remote_requests == [] and opened.console_errors == [] and opened.page_errors == []
        assert int(page.evaluate("document.documentElement.getAttribute('data-compare-marked')")) >= 10
        summary = page.locator("#summary").inner_text()
        assert "Forums started (2)" in summary and "Rough Sleeping Panel" in summary
        assert "Forums no longer listed (2)" in summary and "Adult Missing, Sexually Exploited and Trafficked" in summary
        assert "MATAC: merged into MARAC" in summary
        screenshot(page, "compare.png")
        frame = map_frame(page)
        added = frame.evaluate("window.mcnMap.nodes.get('forum:rough-sleeping')")
        stopped = frame.evaluate("window.mcnMap.nodes.get('forum:matac')")
        untouched = frame.evaluate("window.mcnMap.nodes.get('forum:hcsb')")
        assert added["borderWidth"] == 5 and added["label"].endswith("NEW")
        assert stopped["label"].endswith("STOPPED")
        assert not str(untouched.get("label", "")).endswith(("NEW", "CHANGED", "STOPPED"))
        page.locator("#map-frame").scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        assert canvas_ink(frame) > 0.02
        screenshot(page, "compare-map.png")
    finally:
        page.context.close()


def test_hostile_names_show_as_text_and_run_nothing(browser, hostile_landscape, little_borough, tmp_path):
    from mcn_map import analyse
    from mcn_map.change import compare
    from mcn_map.render.compare import render_compare

    new_analysis = analyse(hostile_landscape)
    changes = compare(little_borough, analyse(little_borough), hostile_landscape, new_analysis)
    path = tmp_path / "hostile-compare.html"
    path.write_text(render_compare(little_borough, hostile_landscape, new_analysis, changes), encoding="utf-8")
    opened = open_page(browser, path)
    page = opened.page
    try:
        page.wait_for_timeout(300)
        text = page.locator("#summary").inner_text()
        assert HOSTILE_NAMES[0] in text  # the board's new name, shown as text
        assert opened.dialogs == [] and opened.page_errors == [] and opened.remote_requests == []
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        assert map_frame(page).evaluate("document.querySelectorAll('img').length") == 0
        screenshot(page, "compare-hostile.png")
    finally:
        page.context.close()
