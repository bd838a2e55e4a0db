"""The printed board papers: report.html, compare.html and the what-if page printed to A4 by Chromium, rendered with
poppler (pdftoppm, pdftotext) and measured: page count, no blank page, no box cut by a page break, no heading left
at the foot of a page without its content, and a printed map that carries what the screen shows."""

from __future__ import annotations

import re

import pytest

from board_pages import pdf_page_ink, pdf_pages_as_png, pdf_text_pages, words, write_compare, write_whatif
from browser import SCREENSHOTS, open_page

pytestmark = pytest.mark.browser

VISIBLE_TEXTS = """(selector) => Array.from(document.querySelectorAll(selector))
    .filter(e => e.getClientRects().length > 0).map(e => e.innerText)"""


@pytest.fixture(scope="module")
def printed(browser, example_build, tmp_path_factory):
    """{name: (pdf bytes, page)} for the report, compare and what-if pages, printed as a reader would."""
    folder = tmp_path_factory.mktemp("printed")
    paths = {"report": example_build.outdir / "report.html", "compare": write_compare(folder / "compare.html"),
             "whatif": write_whatif(folder / "whatif.html")}
    out = {}
    for name, path in paths.items():
        opened = open_page(browser, path, wait_for_map=name != "report")
        if name == "report":
            frame = opened.page.frame_locator("iframe.map-frame")
            frame.locator("html[data-map-ready='true']").wait_for(state="attached", timeout=30000)
        pdf = opened.page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
        opened.page.emulate_media(media="print")
        out[name] = (pdf, opened.page)
        pdf_pages_as_png(pdf, SCREENSHOTS / f"printed-{name}")  # for a person to look at
    yield out
    for _, page in out.values():
        page.context.close()


BOXES = {"report": ".figure, ul.key > li, ol.findings:not(.options) > li, table.caseloads tr, ol.options ul > li",
         "compare": ".figure, .changes > div, .findings li, tr",
         "whatif": ".figure, .changes > div, .findings li, tr"}
PAGES = {"report": (4, 40), "compare": (3, 10), "whatif": (3, 10)}


@pytest.mark.parametrize("name", ["report", "compare", "whatif"])
def test_page_count_and_no_blank_page(printed, name, tmp_path):
    pdf, _ = printed[name]
    ink = pdf_page_ink(pdf, tmp_path)
    low, high = PAGES[name]
    assert low <= len(ink) <= high
    assert min(ink) > 0.002, f"a blank page: {[round(i, 4) for i in ink]}"


@pytest.mark.parametrize("name", ["report", "compare", "whatif"])
def test_no_box_is_cut_by_a_page_break(printed, name, tmp_path):
    pdf, page = printed[name]
    # Page by page, line by line as printed: a box's first words open one of its page's lines, and its last words
    # are on that same page.
    pages = [words(p) for p in pdf_text_pages(pdf, tmp_path, layout=True)]
    cut = []
    for text in page.evaluate(VISIBLE_TEXTS, BOXES[name]):
        # A severity badge runs into the text in innerText ("HIGH10 people"): the printed page spaces it.
        lines = [words(re.sub(r"^(HIGH|MEDIUM|LOW)", "", line)) for line in text.split("\n")]
        lines = [line for line in lines if line]
        if len(lines) < 2:
            continue
        head, tail = " ".join(lines[0].split()[:3]), lines[-1].split()[-3:]
        if not any(head in p and all(w in p.split() for w in tail) for p in pages):
            cut.append(text[:80])
    assert cut == []


@pytest.mark.parametrize("name", ["report", "compare", "whatif"])
def test_no_heading_is_orphaned_at_the_foot_of_a_page(printed, name, tmp_path):
    pdf, page = printed[name]
    pages = [words(p) for p in pdf_text_pages(pdf, tmp_path)]
    headings = {words(h) for h in page.evaluate(VISIBLE_TEXTS, "h2, h3, .next, ol.options > li > strong") if words(h)}
    orphaned = [(i + 1, h) for i, text in enumerate(pages[:-1]) for h in headings if text.endswith(h)]
    assert orphaned == []


@pytest.mark.parametrize("name", ["report", "compare", "whatif"])
def test_the_printed_map_is_a_faithful_small_copy(printed, name, tmp_path):
    pdf, page = printed[name]
    pages = [words(p) for p in pdf_text_pages(pdf, tmp_path)]
    figure = ".static-map-wrap" if name == "report" else ".printed-map"
    assert page.locator(f"{figure} svg.static-map").is_visible()  # printed: the SVG, not the canvas
    labels = [words(t) for t in page.evaluate("(s) => Array.from(document.querySelectorAll(s + ' svg.static-map text'))"
                                               ".map(t => t.textContent)", figure)]
    map_pages = [p for p in pages if all(label in p for label in labels)]
    assert len(map_pages) == 1, "every label of the printed map on one page"
    on_map = map_pages[0]
    # Status drawn and labelled; "missing" apart from "on paper only"; the full legend; the badges' names in a key.
    assert "paused" in on_map and ("merged" in on_map or "ended" in on_map)
    assert "on paper only" in on_map and "missing" in on_map
    for entry in ("shares case list", "feeds back to", "refers to", "escalates to", "reports to", "same people at both"):
        assert entry in on_map
    assert "expected partners by forum" in on_map
    # The shared-people lines of the top findings, each with its count.
    counts = page.evaluate("(s) => Array.from(document.querySelectorAll(s + ' g.shared-count text'))"
                           ".map(t => t.textContent)", figure)
    assert counts and all(c == "<8" or c.replace(",", "").isdigit() for c in counts)
    # Badges fit: none is cut to "…".
    badges = page.evaluate("(s) => Array.from(document.querySelectorAll(s + ' g.gap-count text')).map(t => t.textContent)", figure)
    assert badges and not any("…" in b for b in badges)


def test_the_whatif_page_names_its_scenario(printed):
    _, page = printed["whatif"]
    scenario = page.locator("#summary p", has_text="The scenario:").inner_text()
    assert "Northtown Mental Health Trust" in scenario and "Community Safety Complex Cases" in scenario
    assert "mh-trust" not in scenario and " cscc" not in scenario
