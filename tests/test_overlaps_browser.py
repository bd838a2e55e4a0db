"""Nothing on the map hides text, at projector size and on a large screen: the screen box of every forum, tier name,
agency name, badge, count on a line and overlay, measured in real Chromium on every map the toolkit writes."""

from __future__ import annotations

import pytest

from board_pages import SCREEN_BOXES, hidden_text, synthetic_landscape, write_compare, write_map, write_whatif
from browser import open_page, screenshot

pytestmark = pytest.mark.browser
SIZES = [(1280, 720), (1920, 1080)]


@pytest.fixture(scope="module")
def maps(tmp_path_factory, example_build, example_landscape):
    folder = tmp_path_factory.mktemp("overlaps")
    return {
        "example": example_build.outdir / "map.html",
        "forums": write_map(example_landscape, folder / "forums.html", view="forums"),
        "focus": write_map(example_landscape, folder / "focus.html", view="focus", focus="marac"),
        "borough": write_map(synthetic_landscape("borough"), folder / "borough.html"),
        "region": write_map(synthetic_landscape("region", cohort_rows=5000), folder / "region.html"),
        "compare": write_compare(folder / "compare.html"),
        "whatif": write_whatif(folder / "whatif.html"),
    }


def map_of(opened, name):
    """The frame that holds the map: the page itself, or the compare page's sandboxed frame, scrolled to."""
    page = opened.page
    if name in ("compare", "whatif"):
        page.locator("iframe.map-frame").scroll_into_view_if_needed()
        page.wait_for_timeout(200)
        return next(f for f in page.frames if f != page.main_frame)
    if name == "region":  # one area's own map, as opened from the overview
        page.evaluate("window.mcnMap.openArea([window.mcnMap.nodes.get('overview:0').areas[0]])")
        page.wait_for_timeout(600)
    return page


@pytest.mark.parametrize("size", SIZES, ids=["1280x720", "1920x1080"])
@pytest.mark.parametrize("name", ["example", "forums", "focus", "borough", "region", "compare", "whatif"])
def test_nothing_on_the_map_hides_text(browser, maps, name, size):
    opened = open_page(browser, maps[name], width=size[0], height=size[1])
    try:
        frame = map_of(opened, name)
        frame.wait_for_timeout(200)
        boxes = frame.evaluate(SCREEN_BOXES)
        kinds = {b["kind"] for b in boxes}
        assert "forum" in kinds and "badge" in kinds  # the measure sees the map
        if name in ("example", "borough"):
            assert "line-label" in kinds and "tier" in kinds
        assert hidden_text(boxes) == []
        # Nothing cut at the sides: every tier name, forum and badge wholly within the map's width.
        width = frame.evaluate("document.getElementById('network').clientWidth")
        cut = [f"{b['kind']} {b['id']}" for b in boxes
               if b["kind"] in ("tier", "forum", "badge") and (b["x1"] < -1 or b["x2"] > width + 1)]
        assert cut == []
        screenshot(opened.page, f"overlaps-{name}-{size[0]}x{size[1]}.png")
    finally:
        opened.page.context.close()


@pytest.mark.parametrize("size", SIZES, ids=["1280x720", "1920x1080"])
def test_presenting_hides_no_text_either(browser, maps, size):
    opened = open_page(browser, maps["example"], width=size[0], height=size[1])
    try:
        opened.page.click("#present")
        opened.page.wait_for_timeout(400)
        assert hidden_text(opened.page.evaluate(SCREEN_BOXES)) == []
    finally:
        opened.page.context.close()


def test_the_largest_count_on_a_line_is_drawn_clear_of_badges(browser, maps):
    opened = open_page(browser, maps["borough"], width=1280, height=720)
    try:
        page = opened.page
        counts = page.evaluate("window.mcnMap.counts().map(c => c.id)")
        edges = page.evaluate("window.mcnMap.edges.get({filter: e => !!e.count}).map(e => [e.id, e.count])")
        value = lambda text: 0 if text.startswith("<") else int(text.replace(",", ""))  # noqa: E731
        biggest = max(edges, key=lambda e: value(e[1]))[0]
        assert biggest in counts  # drawn, not dropped
    finally:
        opened.page.context.close()


def test_the_hint_never_covers_a_forum(browser, maps):
    opened = open_page(browser, maps["example"], width=1280, height=720)
    try:
        page = opened.page
        hint, network = page.locator("#hint").bounding_box(), page.locator("#network").bounding_box()
        assert page.locator("#hint").is_visible()
        apart = hint["x"] + hint["width"] <= network["x"] or hint["y"] >= network["y"] + network["height"]
        assert apart, "the hint sits off the canvas"
    finally:
        opened.page.context.close()


@pytest.mark.parametrize("size", SIZES, ids=["1280x720", "1920x1080"])
def test_the_tooltip_uses_the_page_font_and_never_covers_its_forum(browser, maps, size):
    opened = open_page(browser, maps["example"], width=size[0], height=size[1])
    try:
        page = opened.page
        box = page.locator("#network").bounding_box()
        for forum in ("forum:marac", "forum:hcsb", "forum:dual-dx"):
            centre = page.evaluate("(id) => window.mcnMap.nodePosition(id)", forum)
            page.mouse.move(box["x"] + centre["x"] + 3, box["y"] + centre["y"] + 2)
            page.mouse.move(box["x"] + centre["x"], box["y"] + centre["y"])
            tip = page.locator("div.vis-tooltip")
            tip.wait_for(state="visible", timeout=3000)
            page.wait_for_timeout(100)
            tip_box = tip.bounding_box()
            forum_box = page.evaluate("""(id) => { const n = window.mcnMap.network, b = n.getBoundingBox(id);
                const a = n.canvasToDOM({x: b.left, y: b.top}), z = n.canvasToDOM({x: b.right, y: b.bottom});
                return {x1: a.x, y1: a.y, x2: z.x, y2: z.y}; }""", forum)
            x1, y1 = tip_box["x"] - box["x"], tip_box["y"] - box["y"]
            x2, y2 = x1 + tip_box["width"], y1 + tip_box["height"]
            covers = x1 < forum_box["x2"] and forum_box["x1"] < x2 and y1 < forum_box["y2"] and forum_box["y1"] < y2
            assert not covers, f"the tooltip covers {forum}"
            font = page.evaluate("getComputedStyle(document.querySelector('div.vis-tooltip')).fontFamily")
            assert font == page.evaluate("getComputedStyle(document.body).fontFamily")
            page.mouse.move(5, 5)
            page.wait_for_timeout(150)
    finally:
        opened.page.context.close()
