"""WCAG 2.2 A/AA with axe-core on every page the toolkit writes, and the map walked as a tree by keyboard alone."""

from __future__ import annotations

import pytest

from board_pages import axe_violations, synthetic_landscape, write_compare, write_map, write_whatif
from browser import open_page, screenshot

pytestmark = pytest.mark.browser
SIZES = [(1280, 720), (1920, 1080)]


@pytest.fixture(scope="module")
def pages(tmp_path_factory, example_build, example_landscape):
    folder = tmp_path_factory.mktemp("a11y")
    return {
        "map": example_build.outdir / "map.html",
        "forums": write_map(example_landscape, folder / "forums.html", view="forums"),
        "focus": write_map(example_landscape, folder / "focus.html", view="focus", focus="marac"),
        "report": example_build.outdir / "report.html",
        "borough": write_map(synthetic_landscape("borough"), folder / "borough.html"),
        "region": write_map(synthetic_landscape("region", cohort_rows=5000), folder / "region.html"),
        "compare": write_compare(folder / "compare.html"),
        "whatif": write_whatif(folder / "whatif.html"),
    }


@pytest.mark.parametrize("size", SIZES, ids=["1280x720", "1920x1080"])
@pytest.mark.parametrize("name", ["map", "forums", "focus", "report", "borough", "region", "compare", "whatif"])
def test_no_axe_violations(browser, pages, name, size):
    opened = open_page(browser, pages[name], width=size[0], height=size[1], wait_for_map=name not in ("report",))
    try:
        assert axe_violations(opened.page) == []
    finally:
        opened.page.context.close()


def test_the_open_tree_the_table_and_presentation_have_no_axe_violations(browser, pages):
    opened = open_page(browser, pages["map"], width=1280, height=720)
    page = opened.page
    try:
        page.keyboard.press("e")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowDown")
        assert axe_violations(page) == []
        page.keyboard.press("Escape")
        page.click("#table-toggle")
        assert axe_violations(page) == []
        page.keyboard.press("Escape")
        page.click("#present")
        assert axe_violations(page) == []
    finally:
        page.context.close()


def focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement; return {
        role: e.getAttribute('role'), level: e.getAttribute('aria-level'), pos: e.getAttribute('aria-posinset'),
        size: e.getAttribute('aria-setsize'), expanded: e.getAttribute('aria-expanded'),
        name: document.getElementById(e.getAttribute('aria-labelledby') || '') ?
              document.getElementById(e.getAttribute('aria-labelledby')).textContent : '' }; }""")


def selected(page) -> list[str]:
    return page.evaluate("window.mcnMap.network.getSelectedNodes()")


@pytest.mark.parametrize("size", SIZES, ids=["1280x720", "1920x1080"])
def test_the_network_is_a_tree_walked_by_keyboard(browser, pages, size):
    opened = open_page(browser, pages["map"], width=size[0], height=size[1])
    page = opened.page
    try:
        page.focus("#network")
        page.keyboard.press("Enter")  # from the canvas into the tree
        tier = focused(page)
        assert tier["role"] == "treeitem" and tier["level"] == "1" and tier["expanded"] == "false"
        assert tier["name"].startswith("Strategic forums, 1 of 4: 5 forums")
        page.keyboard.press("ArrowRight")  # opens
        assert focused(page)["expanded"] == "true"
        page.keyboard.press("ArrowRight")  # into the first forum
        forum = focused(page)
        assert forum["level"] == "2" and forum["pos"] == "1" and forum["size"] == "5"
        assert ", 1 of 5: " in forum["name"] and " seats, " in forum["name"] and " finding" in forum["name"]
        forum_id = selected(page)
        assert len(forum_id) == 1 and forum_id[0].startswith("forum:")  # the canvas highlights the item in focus
        page.keyboard.press("ArrowDown")
        assert selected(page) != forum_id and ", 2 of 5: " in focused(page)["name"]
        page.keyboard.press("ArrowUp")
        assert selected(page) == forum_id
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")  # the forum's first group: its seats
        seats = focused(page)
        assert seats["level"] == "3" and seats["name"].startswith("Seats, 1 of ")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")  # the first agency at the table
        agency = focused(page)
        assert agency["level"] == "4" and "sits on " in agency["name"]
        assert selected(page)[0].startswith("agency:")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")  # the forums this agency sits on: one of them is where we came from
        here = focused(page)
        assert here["level"] == "5" and "Enter goes to this forum" in here["name"]
        page.keyboard.press("Enter")  # jumps to that forum in its tier
        assert focused(page)["level"] == "2" and selected(page)[0].startswith("forum:")
        if focused(page)["expanded"] == "true":
            page.keyboard.press("ArrowLeft")  # closes the forum we came from
        page.keyboard.press("ArrowLeft")  # up to its tier
        assert focused(page)["level"] == "1"
        screenshot(page, f"map-tree-{size[0]}x{size[1]}.png")
        assert opened.page_errors == [] and opened.console_errors == []
    finally:
        page.context.close()


def test_an_agency_is_reachable_from_every_forum_it_sits_on(browser, pages):
    opened = open_page(browser, pages["map"], width=1280, height=720)
    page = opened.page
    try:
        page.keyboard.press("e")
        # Open every tier, every forum and every forum's seats, by keyboard (Right opens, Down moves).
        for _ in range(400):
            state = focused(page)
            if state["expanded"] == "false" and int(state["level"]) <= 2 or state["name"].startswith("Seats,") and state["expanded"] == "false":
                page.keyboard.press("ArrowRight")
            before = page.evaluate("document.activeElement.id + document.activeElement.getAttribute('aria-labelledby')")
            page.keyboard.press("ArrowDown")
            if page.evaluate("document.activeElement.id + document.activeElement.getAttribute('aria-labelledby')") == before:
                break
        reached = page.evaluate("""() => {
            const out = {};
            document.querySelectorAll('#explore-tree [role=treeitem][aria-level="4"]').forEach(li => {
                const forum = li.parentNode.closest('[aria-level="2"]');
                const name = li.firstChild.textContent.split(' (')[0];
                (out[name] = out[name] || new Set()).add(forum.firstChild.textContent.split(',')[0]);
            });
            return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.size]));
        }""")
        expected = page.evaluate("""() => {
            const d = JSON.parse(document.getElementById('map-data').textContent), out = {};
            d.edges.filter(e => e.kind === 'seat').forEach(e => {
                const name = d.agencies[e.to.slice(7)][0]; out[name] = (out[name] || 0) + 1; });
            return out;
        }""")
        assert reached == expected  # every agency, from each forum it sits on
    finally:
        page.context.close()
