"""The table view: the whole screen when open, the map's facts in sortable columns, at 1280x720 and 1920x1080."""

from __future__ import annotations

import pytest

from browser import open_page, screenshot

pytestmark = pytest.mark.browser
SIZES = [(1280, 720), (1920, 1080)]
COLUMNS = ["Forum", "Tier", "Kind", "Chair", "Meets", "Last met", "Person's voice", "Seats", "People discussed",
           "Missing partners", "Findings"]


def column(page, n: int) -> list[str]:
    return page.locator(f"#forum-table tbody tr > :nth-child({n})").all_inner_texts()


@pytest.mark.parametrize("size", SIZES, ids=["1280x720", "1920x1080"])
def test_the_table_fills_the_screen_with_the_facts_of_the_map(browser, example_build, size):
    opened = open_page(browser, example_build.outdir / "map.html", width=size[0], height=size[1])
    page = opened.page
    try:
        page.click("#table-toggle")
        table = page.locator("#table-view").bounding_box()
        assert table["width"] >= 0.97 * size[0]  # panels folded away
        assert table["y"] + table["height"] >= size[1] - 2  # down to the foot of the screen: no legend below
        assert not page.locator("aside.side").is_visible() and not page.locator("#legend").is_visible()
        heads = [h.strip(" ▲▼") for h in page.locator("#forum-table thead th").all_inner_texts()]
        assert heads == COLUMNS
        # Several forums to a screen, not one.
        rows = page.locator("#forum-table tbody tr")
        on_screen = sum(1 for b in (rows.nth(i).bounding_box() for i in range(rows.count())) if b["y"] + b["height"] <= size[1])
        assert on_screen >= 5
        # The same facts as the canvas: every forum, its seats and findings counted as in the details.
        facts = page.evaluate("""() => { const d = JSON.parse(document.getElementById('map-data').textContent);
            return Object.fromEntries(d.nodes.filter(n => n.kind === 'forum').map(n =>
              [n.id, [d.details[n.id].seats.length, d.details[n.id].findings.length, d.details[n.id].chair]])); }""")
        shown = page.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll('#forum-table tbody tr')).map(r =>
            [r.dataset.node, [Number(r.dataset.seats), Number(r.dataset.findings), r.dataset.chair]]))""")
        assert shown == facts
        screenshot(page, f"map-table-{size[0]}x{size[1]}.png")
        page.keyboard.press("Escape")
        assert page.locator("#legend").is_visible() and page.locator("aside.side").is_visible()
    finally:
        page.context.close()


def test_each_column_sorts_both_ways_by_keyboard(browser, example_build):
    opened = open_page(browser, example_build.outdir / "map.html", width=1280, height=720)
    page = opened.page
    try:
        page.keyboard.press("t")
        assert column(page, 2)[0] == "Strategic"  # tier order at opening
        page.focus("#forum-table thead th:nth-child(11) button")
        page.keyboard.press("Enter")
        findings = [int(t.split()[0]) if t.split()[0].isdigit() else 0 for t in column(page, 11)]
        assert findings == sorted(findings)
        assert page.get_attribute("#forum-table thead th:nth-child(11)", "aria-sort") == "ascending"
        page.keyboard.press("Enter")
        findings = [int(t.split()[0]) if t.split()[0].isdigit() else 0 for t in column(page, 11)]
        assert findings == sorted(findings, reverse=True) and findings[0] > findings[-1]
        assert page.get_attribute("#forum-table thead th:nth-child(11)", "aria-sort") == "descending"
        page.click("#forum-table thead th:nth-child(1) button")
        names = column(page, 1)
        assert names == sorted(names, key=str.lower)
        page.click("#forum-table thead th:nth-child(4) button")
        chairs = column(page, 4)
        assert chairs == sorted(chairs, key=str.lower)
    finally:
        page.context.close()
