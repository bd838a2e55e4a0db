"""The map's "who knows whom" view in real headless Chromium: opened by its button or K, drawn offline, its caption
the round's response rate and band, reachable by keyboard, the same facts as a table; absent without a round."""

from __future__ import annotations

import pytest

from browser import canvas_ink, open_page, screenshot
from knowing_round import collected_round
from mcn_map.build import build

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def round_map(tmp_path_factory):
    root = tmp_path_factory.mktemp("knowing-map")
    return build(collected_round(root), root / "built").outdir / "map.html"


@pytest.fixture
def opened(browser, round_map):
    page = open_page(browser, round_map, width=1280, height=720)
    yield page
    page.page.context.close()


def _open(page):
    page.click("#knowing-toggle")
    page.wait_for_selector("#knowing-view[data-drawn='true']", state="attached")
    page.wait_for_timeout(150)


def test_the_button_draws_who_knows_whom_with_the_rounds_caption(opened):
    page = opened.page
    assert page.locator("#knowing-view").is_hidden()
    _open(page)
    assert page.locator("#knowing-view").is_visible()
    assert page.get_attribute("#knowing-toggle", "aria-pressed") == "true"
    assert canvas_ink(page, "#knowing-network canvas") > 0.02
    caption = page.locator("#knowing-caption").inner_text()
    assert "Round 1: forms returned by 18 of 20 chairs, 90%: high confidence." in caption
    assert page.locator("aside.side").is_hidden() and page.locator("#legend").is_hidden()  # the other map's
    edges = page.evaluate("window.mcnMap.knowing.network().body.data.edges.get()")
    one_sided = [(e["from"], e["to"]) for e in edges if e["status"] == "one-sided"]
    assert one_sided == [("forum:marac", "forum:csp-board")]
    nodes = {n["id"]: n["label"] for n in page.evaluate("window.mcnMap.knowing.network().body.data.nodes.get()")}
    assert "agency:police" not in nodes and all(i.startswith("forum:") for i in nodes)  # forums only
    assert "(no form returned)" in nodes["forum:vip"] and "(no form returned)" not in nodes["forum:marac"]
    assert opened.remote_requests == [] and opened.console_errors == [] and opened.page_errors == []
    screenshot(page, "map-who-knows-whom.png")
    page.click("#knowing-close")
    assert page.locator("#knowing-view").is_hidden() and page.locator("#legend").is_visible()
    assert page.get_attribute("#knowing-toggle", "aria-pressed") == "false"


def test_keyboard_opens_and_closes_it(opened):
    page = opened.page
    page.keyboard.press("k")
    page.wait_for_selector("#knowing-view[data-drawn='true']", state="attached")
    assert page.evaluate("document.activeElement.id") == "knowing-network"
    assert "18 of 20" in page.get_attribute("#knowing-network", "aria-label")
    page.keyboard.press("Escape")
    assert page.locator("#knowing-view").is_hidden()
    assert page.evaluate("document.activeElement.id") == "knowing-toggle"


def test_the_same_facts_as_a_table(opened):
    page = opened.page
    _open(page)
    page.click("#knowing-table-link")
    assert page.locator("#knowing-view").is_hidden() and page.locator("#table-view").is_visible()
    assert page.evaluate("document.activeElement.id") == "knowing-table-title"
    marac = page.locator("#knowing-table tr[data-node='forum:marac'] td").all_inner_texts()
    assert marac[0] == "yes" and marac[2] == "Community Safety Partnership Board"
    assert "VIP" in marac[3]
    vip = page.locator("#knowing-table tr[data-node='forum:vip'] td").all_inner_texts()
    assert vip[0] == "no" and vip[2] == vip[3] == "no form returned"
    csp = page.locator("#knowing-table tr[data-node='forum:csp-board'] td").all_inner_texts()
    assert csp[4] == "MARAC"
    flagged = page.locator("#knowing-table .flag").all_inner_texts()
    assert len(flagged) == 2
    assert "no other chair lists it" in page.locator("#knowing-table tr[data-node='forum:homelessness-board']").inner_text()


def test_clicking_a_forum_fills_the_details_panel(opened):
    page = opened.page
    _open(page)
    position = page.evaluate("""() => { const n = window.mcnMap.knowing.network();
        return n.canvasToDOM(n.getPositions(['forum:marac'])['forum:marac']); }""")
    box = page.locator("#knowing-network").bounding_box()
    page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
    panel = page.locator("#details-panel")
    assert panel.is_visible() and panel.locator("h3").inner_text() == "MARAC"
    text = panel.inner_text()
    assert "Its chair lists; not listed back (1)" in text and "Community Safety Partnership Board" in text


def test_the_explore_tree_tells_who_knows_whom_under_each_forum(opened):
    """The same facts for keyboard and screen reader users: a group under each forum in the Explore tree."""
    page = opened.page
    page.keyboard.press("e")
    tree = page.locator("#explore-tree")
    tree.locator("[role=treeitem][aria-level='1']", has_text="Operational forums").first.click()
    tree.locator("[role=treeitem][aria-level='2']", has_text="MARAC, ").first.click()
    group = tree.locator("[role=treeitem][aria-level='3']", has_text="Who knows whom")
    assert group.count() == 1
    assert "Who knows whom (mapping round), " in group.inner_text() and "form returned: yes" in group.inner_text()
    group.click()
    lists = group.locator("[role=treeitem][aria-level='4']", has_text="Its chair lists; not listed back")
    assert ": 1" in lists.inner_text()
    lists.click()
    assert "Community Safety Partnership Board, 1 of 1" in lists.locator("[aria-level='5']").inner_text()
    tree.locator("[role=treeitem][aria-level='2']", has_text="VIP").first.click()
    vip = tree.locator("[role=treeitem][aria-level='2']", has_text="VIP").first
    vip_group = vip.locator("[role=treeitem][aria-level='3']", has_text="Who knows whom")
    assert "form returned: no" in vip_group.inner_text()
    vip_group.click()
    assert "what they know is not known" in vip_group.inner_text()
    assert opened.page_errors == [] and opened.console_errors == []


def test_a_map_without_a_round_has_no_such_view(browser, example_build):
    opened = open_page(browser, example_build.outdir / "map.html", width=1280, height=720)
    page = opened.page
    try:
        assert page.locator("#knowing-toggle").count() == 0 and page.locator("#knowing-view").count() == 0
        page.keyboard.press("k")
        assert page.evaluate("window.mcnMap.knowing") is None
        assert opened.page_errors == []
    finally:
        page.context.close()


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["1280x720", "1920x1080"])
def test_no_axe_violations_open_or_as_a_table(browser, round_map, size):
    from board_pages import axe_violations

    opened = open_page(browser, round_map, width=size[0], height=size[1])
    page = opened.page
    try:
        assert axe_violations(page) == []
        _open(page)
        assert axe_violations(page) == []
        page.click("#knowing-table-link")
        assert axe_violations(page) == []
    finally:
        page.context.close()
