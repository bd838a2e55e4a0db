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


def test_a_filter_hides_agencies_and_re_fits(opened):
    page = opened.page
    ids = page.evaluate("window.mcnMap.visibleNodeIds()")
    assert any(i.startswith("agency:") for i in ids)
    page.uncheck("#toggle-agencies")
    ids = page.evaluate("window.mcnMap.visibleNodeIds()")
    assert ids and not any(i.startswith("agency:") for i in ids)
    before = page.evaluate("[window.mcnMap.network.getScale(), window.mcnMap.network.getViewPosition()]")
    page.select_option("#filter-category", "missing_partner")
    page.wait_for_timeout(600)  # the re-fit is animated
    forums = [i for i in page.evaluate("window.mcnMap.visibleNodeIds()") if i.startswith("forum:")]
    assert 0 < len(forums) < 18
    after = page.evaluate("[window.mcnMap.network.getScale(), window.mcnMap.network.getViewPosition()]")
    assert after != before  # the view moved to what the filter left
    assert all_inside(page, forums)


def test_clicking_a_forum_opens_its_panel_with_its_findings(opened):
    page = opened.page
    click_node(page, "forum:cscc")
    panel = page.locator("#details-panel")
    assert panel.is_visible()
    assert panel.locator("h3").inner_text() == "Community Safety Complex Cases"
    text = panel.inner_text()
    assert "Tier" in text and "Meets" in text and "Chair" in text and "Seats (" in text
    assert "Expected partners missing or present on paper only" in text and "Mental health" in text
    assert "has no seat for mental health" in text  # its findings, in plain English


def test_a_seat_held_on_paper_is_never_called_missing_from_the_table(opened):
    page = opened.page
    click_node(page, "forum:marac")
    text = page.locator("#details-panel").inner_text()
    assert "Probation (on paper only)" in text
    assert "Missing from the table" not in text


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
        path.write_text(render_map(example_landscape, [], view=view, focus=focus), encoding="utf-8")
        opened = open_page(browser, path)
        try:
            assert opened.remote_requests == [] and opened.console_errors == [] and opened.page_errors == []
            assert canvas_ink(opened.page) > 0.01
            screenshot(opened.page, f"map-{view}.png")
        finally:
            opened.page.context.close()


# -- a map a board can read from the back of the room (issue 12) ------------------------------------------------

@pytest.fixture
def projector(browser, example_map):
    page = open_page(browser, example_map, width=1280, height=720)
    yield page
    page.page.context.close()


FORUM_BOXES = """() => {
  const m = window.mcnMap;
  return m.visibleNodeIds().filter(id => id.startsWith('forum:')).map(id => {
    const b = m.network.getBoundingBox(id);
    const tl = m.network.canvasToDOM({x: b.left, y: b.top}), br = m.network.canvasToDOM({x: b.right, y: b.bottom});
    return {id, left: tl.x, top: tl.y, right: br.x, bottom: br.y, font: m.nodes.get(id).font.size * m.network.getScale()};
  });
}"""


def all_inside(page, ids=None):
    boxes = page.evaluate(FORUM_BOXES)
    size = page.evaluate("[document.getElementById('network').clientWidth, document.getElementById('network').clientHeight]")
    return all(-1 <= b["left"] and b["right"] <= size[0] + 1 and -1 <= b["top"] and b["bottom"] <= size[1] + 1
               for b in boxes if ids is None or b["id"] in ids)


def test_every_forum_label_is_legible_at_projector_size_and_the_whole_map_fits(projector):
    page = projector.page
    boxes = page.evaluate(FORUM_BOXES)
    assert len(boxes) == 21  # every forum of the shipped example
    smallest = min(b["font"] for b in boxes)
    assert smallest >= 12, f"smallest forum label {smallest:.1f} px"
    assert all_inside(page)  # fitted: every forum on screen at opening
    screenshot(page, "map-1280x720.png")


def overlapping(boxes):
    return [(a["id"], b["id"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if not (a["right"] <= b["left"] or b["right"] <= a["left"] or a["bottom"] <= b["top"] or b["bottom"] <= a["top"])]


def test_no_two_forum_boxes_overlap_in_either_mode(projector):
    page = projector.page
    assert overlapping(page.evaluate(FORUM_BOXES)) == []
    page.click("#present")  # larger labels, wider boxes
    page.wait_for_timeout(300)
    assert overlapping(page.evaluate(FORUM_BOXES)) == []


def test_agency_labels_appear_only_when_they_can_be_read(projector):
    page = projector.page
    labelled = page.evaluate("window.mcnMap.nodes.get({filter: n => n.kind === 'agency' && n.labelled})[0].id")
    colour = f"window.mcnMap.nodes.get('{labelled}').font.color"
    assert page.evaluate("window.mcnMap.network.getScale()") * 15 < 11
    assert page.evaluate(colour) == "rgba(0,0,0,0)"  # at the opening zoom: a shape, with its name on hover
    page.evaluate("window.mcnMap.network.moveTo({scale: 1.2}); window.mcnMap.network.emit('zoom', {})")
    assert page.evaluate(colour) == "#1b1b1b"


def test_the_headline_reads_in_the_header_at_projector_size_clear_of_the_tools(projector, example_build):
    page = projector.page
    line = page.locator("#headline")
    report = (example_build.outdir / "report.html").read_text(encoding="utf-8")
    assert line.is_visible() and f">{line.inner_text()}<" in report.replace("<strong>", ">").replace("</strong>", "<")
    header, box = page.locator("header").bounding_box(), line.bounding_box()
    assert header["y"] <= box["y"] and box["y"] + box["height"] <= header["y"] + header["height"]
    for other in ("h1", ".toolbar", ".search"):
        near = page.locator(f"header {other}").bounding_box()
        assert box["y"] >= near["y"] + near["height"], f"the headline meets {other}"
    assert page.evaluate("getComputedStyle(document.getElementById('headline')).fontSize") == "13px"
    assert box["height"] < 24 and line.get_attribute("title") == line.inner_text()  # one line; the whole as its title
    page.click("#present")  # still there when presenting: it is what the board should read first
    page.wait_for_timeout(300)
    assert line.is_visible()
    page.click("#present")


def test_presentation_mode_hides_the_panels_by_button_and_key(projector):
    page = projector.page
    assert page.locator("aside.side").is_visible() and page.locator("section.panel").is_visible()
    font = "window.mcnMap.nodes.get('forum:marac').font.size"
    normal = page.evaluate(font)
    page.click("#present")
    page.wait_for_timeout(300)
    assert not page.locator("aside.side").is_visible() and not page.locator("section.panel").is_visible()
    assert page.locator("#legend").is_visible() and page.get_attribute("#present", "aria-pressed") == "true"
    assert page.evaluate(font) > normal  # labels enlarged
    assert min(b["font"] for b in page.evaluate(FORUM_BOXES)) >= 12
    screenshot(page, "map-presenting-1280x720.png")
    page.keyboard.press("p")
    page.wait_for_timeout(300)
    assert page.locator("aside.side").is_visible()
    assert page.evaluate(font) == normal
    page.focus("#network")
    page.keyboard.press("p")
    page.wait_for_timeout(300)
    assert not page.locator("section.panel").is_visible()
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert page.locator("section.panel").is_visible()


def test_save_picture_writes_a_slide_sized_png_from_the_page(projector):
    page = projector.page
    picture = page.evaluate("""async () => {
        const url = window.mcnMap.picture();
        const image = new Image();
        await new Promise(done => { image.onload = done; image.src = url; });
        const canvas = document.createElement('canvas');
        canvas.width = image.width; canvas.height = image.height;
        const ctx = canvas.getContext('2d');
        ctx.drawImage(image, 0, 0);
        const pixels = ctx.getImageData(0, 0, image.width, image.height).data;
        let inked = 0, sampled = 0;
        for (let i = 0; i < pixels.length; i += 4 * 101) {
            sampled++;
            if (pixels[i] < 235 || pixels[i + 1] < 235 || pixels[i + 2] < 235) inked++;
        }
        return {url: url.slice(0, 22), width: image.width, height: image.height, ink: inked / sampled};
    }""")
    assert picture["url"] == "data:image/png;base64,"
    assert (picture["width"], picture["height"]) == (1920, 1080)
    assert picture["ink"] > 0.03  # not blank
    with page.expect_download() as download:
        page.click("#save-picture")
    assert download.value.suggested_filename == "map.png"
    with open(download.value.path(), "rb") as saved:
        assert saved.read(8) == b"\x89PNG\r\n\x1a\n"
    assert projector.remote_requests == []


def test_the_table_view_is_reachable_by_keyboard(projector):
    page = projector.page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "skip-table"
    page.keyboard.press("Enter")
    table = page.locator("#table-view")
    assert table.is_visible() and page.evaluate("document.activeElement.id") == "table-view"
    assert page.evaluate("window.mcnMap.view()") == "table"
    text = table.inner_text()
    assert "21 forums" in text and "Community Safety Complex Cases" in text and "Mental health" in text
    page.keyboard.press("Escape")
    assert not table.is_visible()
    page.focus("#network")
    page.keyboard.press("t")
    assert table.is_visible()


def test_reset_restores_the_opening_view_exactly(projector):
    page = projector.page
    opening = page.evaluate("""() => { const m = window.mcnMap; return {positions: m.network.getPositions(),
        scale: m.network.getScale(), view: m.network.getViewPosition()}; }""")
    position = page.evaluate("window.mcnMap.nodePosition('forum:marac')")
    box = page.locator("#network").bounding_box()
    page.mouse.move(box["x"] + position["x"], box["y"] + position["y"])
    page.mouse.down()
    page.mouse.move(box["x"] + position["x"] + 120, box["y"] + position["y"] + 60, steps=6)
    page.mouse.up()
    page.mouse.wheel(0, -400)
    page.select_option("#filter-category", "duplication")
    page.wait_for_timeout(500)
    moved = page.evaluate("window.mcnMap.network.getPositions(['forum:marac'])['forum:marac']")
    assert moved != opening["positions"]["forum:marac"]  # the drag did move it
    page.click("#reset")
    after = page.evaluate("""() => { const m = window.mcnMap; return {positions: m.network.getPositions(),
        scale: m.network.getScale(), view: m.network.getViewPosition()}; }""")
    assert after["positions"] == opening["positions"]
    assert after["scale"] == pytest.approx(opening["scale"]) and after["view"] == pytest.approx(opening["view"])
    assert page.input_value("#filter-category") == ""


def test_window_mcnmap_is_the_scripting_hook(projector):
    page = projector.page
    assert page.evaluate("typeof window.mcnMap.network.getPositions") == "function"
    assert page.evaluate("window.mcnMap.view()") == "map"
    assert page.evaluate("window.mcnMap.dataView") == "system"


def test_large_screen_screenshot(browser, example_map):
    opened = open_page(browser, example_map, width=1920, height=1080)
    try:
        assert min(b["font"] for b in opened.page.evaluate(FORUM_BOXES)) >= 12
        screenshot(opened.page, "map-1920x1080.png")
        opened.page.click("#present")
        opened.page.wait_for_timeout(300)
        screenshot(opened.page, "map-presenting-1920x1080.png")
    finally:
        opened.page.context.close()


@pytest.fixture(scope="module")
def region_map(tmp_path_factory):
    import importlib.util
    import sys
    from pathlib import Path

    from mcn_map import analyse, load_frames
    from mcn_map.render.map import render_map

    spec = importlib.util.spec_from_file_location("synth", Path(__file__).resolve().parent.parent / "scripts" / "synth.py")
    synth = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("synth", synth)
    spec.loader.exec_module(synth)
    size = synth.PRESETS["region"]
    frames = synth.landscape_frames(synth.Size(size.forums, size.agencies, size.seats, 5000), 0)
    landscape = load_frames(frames, source="region.xlsx")
    path = tmp_path_factory.mktemp("region") / "map.html"
    path.write_text(render_map(landscape, analyse(landscape)), encoding="utf-8")
    return path


def test_the_region_opens_on_an_overview_and_an_area_opens_on_click(browser, region_map):
    opened = open_page(browser, region_map, width=1280, height=720)
    page = opened.page
    try:
        drawn = page.evaluate("window.mcnMap.visibleNodeIds().length + window.mcnMap.visibleEdgeIds().length")
        assert 0 < drawn <= 60
        assert page.evaluate("window.mcnMap.view()") == "overview"
        assert page.locator("#breadcrumb").is_visible()
        page.wait_for_timeout(200)
        screenshot(page, "map-region-overview.png")
        click_node(page, "overview:0")
        page.wait_for_timeout(500)
        assert page.evaluate("window.mcnMap.view()") == "map"
        area = page.evaluate("window.mcnMap.nodes.get('overview:0').areas[0]")
        assert page.locator("#crumb-here").inner_text() == area
        forums = [i for i in page.evaluate("window.mcnMap.visibleNodeIds()") if i.startswith("forum:")]
        assert forums and all(page.evaluate("(id) => window.mcnMap.nodes.get(id).area", f) == area for f in forums)
        assert min(b["font"] for b in page.evaluate(FORUM_BOXES)) >= 12
        screenshot(page, "map-region-area.png")
        page.click("#crumb-all")
        assert page.evaluate("window.mcnMap.view()") == "overview"
        assert opened.page_errors == [] and opened.console_errors == []
    finally:
        page.context.close()


def test_where_people_go_next_appears_only_when_asked_and_reset_hides_it(opened):
    page = opened.page
    flows = lambda: [e for e in page.evaluate("window.mcnMap.visibleEdgeIds()") if e.startswith("flow:")]  # noqa: E731
    assert flows() == []
    page.check("#toggle-flows")
    assert flows(), "no onward-path arrows after ticking the box"
    page.click("#reset")
    assert flows() == [] and not page.is_checked("#toggle-flows")
