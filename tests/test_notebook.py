"""The library at a notebook prompt: the README's example runs, and a map draws inline in a sandboxed frame."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import mcn_map

ROOT = Path(__file__).resolve().parent.parent


def _readme_notebook_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### From a notebook", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def _cells(code: str) -> list[str]:
    """The example as a notebook: one cell per paragraph, as the README says."""
    return [cell.strip() for cell in code.split("\n\n") if cell.strip()]


def test_the_readme_notebook_example_runs_in_a_jupyter_kernel(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    (tmp_path / "inputs").mkdir()
    shutil.copy(ROOT / "inputs" / "example_landscape.xlsx", tmp_path / "inputs")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in _cells(_readme_notebook_example())])
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [cell.outputs for cell in notebook.cells]
    assert not [o for cell in outputs for o in cell if o.output_type == "error"]
    printed = "".join(o.get("text", "") for cell in outputs for o in cell if o.output_type == "stream")
    assert "0 errors" in printed and "files written" in printed
    values = [o.data for cell in outputs for o in cell if o.output_type == "execute_result"]
    tables = [v for v in values if "<table" in v.get("text/html", "")]
    assert len(tables) == 2  # the findings and the measures, drawn as DataFrames
    (shown,) = [v for v in values if v.get("text/html", "").startswith("<iframe srcdoc=")]
    assert "\n" not in shown["text/plain"] and shown["text/plain"].startswith("<mcn_map.Map: forums view, 21 forums")
    assert (tmp_path / "forums-map.html").exists() and (tmp_path / "example-outputs" / "report.html").exists()
    # Small: the one map's page (vis-network and the data, escaped into srcdoc) is nearly all of the notebook.
    size, page = len(nbformat.writes(notebook).encode("utf-8")), len(shown["text/html"].encode("utf-8"))
    assert size < 1.5e6 and page / size > 0.9, (size, page)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`{shown['text/plain']}`" in readme  # the one line the README shows is the one a terminal prints
    assert f"the executed example above is about {size / 1e6:.1f} MB" in readme


def test_the_public_names_are_documented():
    for name in mcn_map.__all__:
        if name.startswith("__"):
            continue
        assert getattr(mcn_map, name).__doc__, name


def test_findings_come_as_objects_and_as_a_frame(example_landscape):
    analysis = mcn_map.analyse(example_landscape)
    table = mcn_map.findings_frame(analysis)
    assert list(table.columns) == mcn_map.notebook.FINDING_COLUMNS
    assert table["id"].tolist() == [f.id for f in analysis.findings]
    assert all(isinstance(f, mcn_map.Finding) for f in analysis.findings)
    assert table.loc[0, "severity"] == "high" and isinstance(table.loc[0, "subjects"], tuple)


def test_graphs_are_frozen_so_one_caller_cannot_change_anothers(example_landscape):
    graph = mcn_map.seat_graph(example_landscape)
    with pytest.raises(nx.NetworkXError):
        graph.add_edge("forum:x", "agency:y")
    copy = nx.MultiGraph(graph)
    copy.add_edge("forum:x", "agency:y")
    assert not mcn_map.seat_graph(example_landscape).has_edge("forum:x", "agency:y")


def test_validate_lists_problems_as_objects(tmp_path):
    from workbooks import sheets, write_xlsx

    data = sheets()
    data["members"][1][1] = "mh_trust"
    problems = mcn_map.validate(write_xlsx(tmp_path / "area.xlsx", data))
    assert [p.column for p in problems if p.is_error] == ["agency_id"]


def test_a_map_shows_itself_in_an_isolated_frame(example_landscape):
    shown = mcn_map.show_map(example_landscape, view="forums")._repr_html_()
    assert shown.startswith("<iframe srcdoc=\"") and 'sandbox="allow-scripts allow-popups"' in shown
    assert "allow-same-origin" not in shown
    assert "<script" not in shown.split('srcdoc="', 1)[1].split('"', 1)[0]  # the page is escaped inside the attribute


def test_the_inline_map_draws_in_chromium(browser, example_landscape, tmp_path):
    from browser import canvas_ink, screenshot

    notebook = tmp_path / "notebook.html"
    cell = mcn_map.show_map(example_landscape, height=700)._repr_html_()
    notebook.write_text(f"<!doctype html><html><body><h1>In [1]:</h1>{cell}<p id=after>next cell</p></body></html>",
                        encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(notebook.as_uri())
    frame = page.frames[1]
    frame.wait_for_selector("#network canvas", timeout=30000)
    page.wait_for_timeout(1500)
    assert canvas_ink(frame) > 0.02 and errors == []
    # The frame has a unique origin: its script cannot reach the notebook page.
    assert frame.evaluate("() => { try { return window.parent.document.title, 'reached'; } catch (e) { return 'blocked'; } }") == "blocked"
    assert page.locator("#after").is_visible()
    screenshot(page, "notebook-map.png")
    context.close()


def test_a_map_a_landscape_and_an_analysis_are_one_line_as_text(example_landscape):
    analysis = mcn_map.analyse(example_landscape)
    shown = mcn_map.show_map(example_landscape, analysis, view="forums")
    text = repr(shown)
    assert text == (f"<mcn_map.Map: forums view, 21 forums, 35 agencies, {len(analysis.findings)} findings, "
                    f"{len(shown.html) / 1e6:.1f} MB page>")
    bundle = shown._repr_mimebundle_()
    assert bundle == {"text/html": shown._repr_html_(), "text/plain": text}
    assert repr(example_landscape) == ("<mcn_map.Landscape 'example_landscape.xlsx': 21 forums, 35 agencies, "
                                       "152 seats, 34 links>")
    assert repr(analysis).startswith(f"<mcn_map.Analysis 'example_landscape.xlsx': {len(analysis.findings)} findings (")
    assert all("\n" not in line and len(line) < 200 for line in (text, repr(example_landscape), repr(analysis)))


def test_the_measures_come_as_frames(example_landscape):
    analysis = mcn_map.analyse(example_landscape)
    graphs = mcn_map.measures_frame(analysis, "graphs")
    assert graphs.loc["seat_graph", "edges"] == analysis.measures["seat_graph"]["edges"]
    forums = mcn_map.measures_frame(analysis)
    assert list(forums.columns[:4]) == ["id", "name", "degree", "betweenness"]
    assert forums["betweenness"].is_monotonic_decreasing and len(forums) == len(analysis.measures["forums"])
    assert forums.loc[forums["id"] == "marac", "name"].item() == "MARAC"
    assert "<table" in mcn_map.measures_frame(analysis, "agencies")._repr_html_()
    assert len(mcn_map.measures_frame(analysis, "posts")) == len(analysis.measures["posts"])
    with pytest.raises(ValueError, match="one of graphs, forums, agencies, posts"):
        mcn_map.measures_frame(analysis, "people")
