"""The legend is always within reach: whole, unscrolled, at projector size and on a large screen, presenting or not."""

from __future__ import annotations

import pytest

from browser import open_page, screenshot

pytestmark = pytest.mark.browser
LINE_STYLES = ["Escalates to", "Reports to", "Feeds back to", "Refers to", "Shares case list", "Same people at both"]


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["1280x720", "1920x1080"])
@pytest.mark.parametrize("presenting", [False, True], ids=["normal", "presenting"])
def test_the_whole_legend_shows_without_scrolling(browser, example_build, size, presenting):
    opened = open_page(browser, example_build.outdir / "map.html", width=size[0], height=size[1])
    page = opened.page
    try:
        if presenting:
            page.keyboard.press("p")
            page.wait_for_timeout(300)
        legend = page.locator("#legend")
        sizes = page.evaluate("(() => { const l = document.getElementById('legend'); "
                              "return [l.scrollHeight, l.clientHeight, l.scrollWidth, l.clientWidth]; })()")
        assert sizes[0] <= sizes[1] and sizes[2] <= sizes[3], "nothing in the legend needs scrolling"
        box = legend.bounding_box()
        assert box["y"] + box["height"] <= size[1] + 0.5  # on screen, not below the fold
        for label in LINE_STYLES:  # the line styles, presenting too
            item = legend.get_by_text(label, exact=True)
            assert item.is_visible()
            b = item.bounding_box()
            assert b["y"] + b["height"] <= size[1] + 0.5 and b["x"] + b["width"] <= size[0] + 0.5
        assert box["height"] <= 0.16 * size[1]  # compact: the map keeps the screen
        screenshot(page, f"legend-{'presenting' if presenting else 'normal'}-{size[0]}x{size[1]}.png")
    finally:
        page.context.close()
