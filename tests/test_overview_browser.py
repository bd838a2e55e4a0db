"""The region overview tells areas apart: coloured by a measured rate named in the legend, sized by people, lines
between areas sized by the people discussed in both (none under the small-number threshold), a figure per area."""

from __future__ import annotations

import pytest

from board_pages import SCREEN_BOXES, hidden_text, synthetic_landscape, write_map
from browser import open_page, screenshot


@pytest.fixture(scope="module")
def region_shared():
    return synthetic_landscape("region", cohort_rows=5000, shared_between_areas=40)


def overview_data(landscape):
    from mcn_map import analyse
    from mcn_map.render.network import map_data

    data = map_data(landscape, analyse(landscape).findings)
    return data, [n for n in data["nodes"] if n["kind"] == "overview"], [e for e in data["edges"] if e["kind"] == "areas"]


def test_areas_are_coloured_by_a_named_rate_and_sized_by_people(region_shared):
    data, areas, lines = overview_data(region_shared)
    assert len(areas) == 10
    assert len({a["color"]["background"] for a in areas}) >= 3  # the colours tell areas apart
    legend = data["legend"]["overview"]
    assert "two or more" in legend["name"] and len(legend["steps"]) == 5
    assert {a["color"]["background"] for a in areas} <= {s["colour"] for s in legend["steps"]}
    # Darker means a higher rate.
    order = [s["colour"] for s in legend["steps"]]
    by_rate = sorted(areas, key=lambda a: a["rate"])
    assert [order.index(a["color"]["background"]) for a in by_rate] == sorted(order.index(a["color"]["background"]) for a in by_rate)
    assert len({a["size"] for a in areas}) >= 5  # sized by people discussed
    for area in areas:  # a one-line figure under each name
        name, figure = area["label"].split("\n")
        assert " people · " in figure and "% in 2+ forums" in figure
    assert lines and all(int(e["label"].replace(",", "")) >= 8 for e in lines)
    # The 40 people of the first area also discussed in the next two: in both of each pair of the three.
    assert {(e["from"], e["to"]) for e in lines} == {("overview:0", "overview:1"), ("overview:0", "overview:2"),
                                                   ("overview:1", "overview:2")}


def test_no_line_joins_areas_sharing_fewer_than_eight_people():
    _, areas, lines = overview_data(synthetic_landscape("region", cohort_rows=5000, shared_between_areas=5))
    assert areas and lines == []


@pytest.mark.browser
@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["1280x720", "1920x1080"])
def test_the_overview_on_screen(browser, region_shared, tmp_path, size):
    opened = open_page(browser, write_map(region_shared, tmp_path / "region.html"), width=size[0], height=size[1])
    page = opened.page
    try:
        assert page.evaluate("window.mcnMap.view()") == "overview"
        legend = page.locator("#legend")
        assert legend.get_by_text("Share of the area's people discussed in two or more of its forums (%)").is_visible()
        assert not legend.get_by_text("Escalates to").is_visible()  # the forums' language waits for a forum map
        assert len(page.evaluate("window.mcnMap.counts()")) == 3  # every line carries its count
        boxes = page.evaluate(SCREEN_BOXES)
        assert hidden_text(boxes) == []
        font = page.evaluate("window.mcnMap.nodes.get('overview:0').font.size * window.mcnMap.network.getScale()")
        assert font >= 11
        screenshot(page, f"map-region-overview-{size[0]}x{size[1]}.png")
        page.evaluate("window.mcnMap.openArea([window.mcnMap.nodes.get('overview:1').areas[0]])")
        page.wait_for_timeout(400)
        assert legend.get_by_text("Escalates to").is_visible()
        assert not legend.get_by_text("Share of the area's people discussed in two or more of its forums (%)").is_visible()
        assert opened.console_errors == [] and opened.page_errors == []
    finally:
        page.context.close()
