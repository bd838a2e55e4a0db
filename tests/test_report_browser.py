"""The shipped example's report.html in real headless Chromium: offline, the embedded map works, it prints."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser import canvas_ink, open_page, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def opened(browser, example_build):
    page = open_page(browser, example_build.outdir / "report.html", wait_for_map=False)
    # Chromium does not draw an iframe below the fold until it is scrolled to; the headline and the top findings
    # decide where the map starts, so bring it into view rather than rely on it starting on the first screen.
    page.page.locator("iframe.map-frame").scroll_into_view_if_needed()
    frame = page.page.frame_locator("iframe.map-frame")
    frame.locator("html[data-map-ready='true']").wait_for(state="attached", timeout=30000)
    yield page
    page.page.context.close()


def map_frame(page):
    return next(f for f in page.frames if f.url == "about:srcdoc")


def settled_position(frame, node_id):
    """Where the node is drawn, once two looks a quarter of a second apart agree."""
    last = None
    for _ in range(80):
        position = frame.evaluate(f"window.mcnMap.nodePosition('{node_id}')")
        if position == last:
            return position
        last = position
        frame.wait_for_timeout(250)
    raise AssertionError(f"{node_id} never stood still")


def test_report_opens_offline_without_errors_and_draws_the_map(opened):
    page = opened.page
    page.wait_for_timeout(300)
    assert opened.remote_requests == []
    assert opened.console_errors == [] and opened.page_errors == []
    assert page.locator("h1").inner_text().startswith("Multi-agency meetings")
    assert page.locator("svg.heatmap").count() == 2 and page.locator("svg.bars").count() == 1
    screenshot(page, "report.png")
    page.locator("iframe.map-frame").scroll_into_view_if_needed()
    page.wait_for_timeout(200)
    assert canvas_ink(map_frame(page)) > 0.02
    screenshot(page, "report-map.png")


def test_embedded_map_search_filter_and_click(opened):
    page = opened.page
    frame = map_frame(page)
    frame.fill("#search", "marac")
    frame.locator("#search-results button").first.click()
    assert frame.locator("#details-panel h3").inner_text() == "MARAC"
    frame.uncheck("#toggle-agencies")
    assert not any(i.startswith("agency:") for i in frame.evaluate("window.mcnMap.visibleNodeIds()"))
    frame.check("#toggle-agencies")
    # The search zoomed in on MARAC; show every forum again. Click "fit" and listen for the end of its move in one
    # step (a listener set beforehand could hear the search's own move end), then wait until the forum stands still:
    # on a loaded machine the frames of a move can be far apart.
    frame.evaluate("window.__fitted = false; document.getElementById('fit').click(); "
                   "window.mcnMap.network.once('animationFinished', function () { window.__fitted = true; })")
    frame.wait_for_function("window.__fitted === true", timeout=20_000)
    position = settled_position(frame, "forum:drd")
    page.locator("iframe.map-frame").scroll_into_view_if_needed()
    box = frame.locator("#network").bounding_box()  # in the page's coordinates
    page.evaluate(f"window.scrollBy(0, {box['y'] + position['y']} - window.innerHeight / 2)")  # the forum in view
    # Look again once scrolled (a loaded machine may still be drawing), and only click where the map itself says the
    # forum is: the test is of the click, not of the timing.
    position = settled_position(frame, "forum:drd")
    assert frame.evaluate(f"window.mcnMap.network.getNodeAt({position})") == "forum:drd"
    box = frame.locator("#network").bounding_box()
    page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
    expect(frame.locator("#details-panel h3")).to_have_text("Drug Related Deaths Review", timeout=10_000)


def test_report_prints_to_a4_landscape(opened):
    pdf = opened.page.pdf(prefer_css_page_size=True, print_background=True)
    assert pdf.startswith(b"%PDF")
    assert b"/MediaBox [0 0 841.91998 594.95996]" in pdf or b"/MediaBox [0 0 842" in pdf  # A4 landscape, in points


def test_hostile_report_runs_nothing(browser, hostile_landscape, tmp_path):
    from mcn_map.render.report import render_report

    path = tmp_path / "hostile-report.html"
    path.write_text(render_report(hostile_landscape, []), encoding="utf-8")
    opened = open_page(browser, path, wait_for_map=False)
    try:
        opened.page.wait_for_timeout(1500)
        assert opened.dialogs == [] and opened.page_errors == [] and opened.remote_requests == []
        assert "<script>alert(1)</script>" in opened.page.locator("body").inner_text()  # shown as text
    finally:
        opened.page.context.close()


def pdf_pages(pdf: bytes) -> int:
    import re

    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_the_main_part_prints_on_at_most_four_a4_pages_with_the_rest_as_an_appendix(opened):
    page = opened.page
    full = page.pdf(prefer_css_page_size=True, print_background=True)
    page.add_style_tag(content="@media print { .appendix { display: none !important; } }")
    main = page.pdf(prefer_css_page_size=True, print_background=True)
    assert 1 <= pdf_pages(main) <= 4, f"main part: {pdf_pages(main)} pages"
    assert pdf_pages(full) > pdf_pages(main)  # the findings and charts follow as an appendix
    page.emulate_media(media="print")
    svg = page.locator(".static-map-wrap svg.static-map")
    assert svg.is_visible() and not page.locator("iframe.map-frame").is_visible()
    # Printed at the page's width, the static map's labels stay at 8 pt or more.
    width = svg.bounding_box()["width"]
    view_width = float(svg.get_attribute("viewBox").split()[2])
    assert 20 * width / view_width * 0.75 >= 8
    page.emulate_media(media="screen")
