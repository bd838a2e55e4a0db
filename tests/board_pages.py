"""The pages the toolkit writes, built once for the browser tests of issue 22, and the helpers that check them:
axe-core (bundled in the ``axe-playwright-python`` wheel, injected from disk: no network) and PDF rendering."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@lru_cache(maxsize=1)
def axe_source() -> str:
    return (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page) -> list[str]:
    """Every WCAG 2.2 A/AA violation axe-core finds on the page, as "rule: target" lines."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA)
    return [f"{v['id']}: {n['target']}" for v in result["violations"] for n in v["nodes"]]


def synth():
    spec = importlib.util.spec_from_file_location("synth", ROOT / "scripts" / "synth.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("synth", module)
    spec.loader.exec_module(module)
    return module


def synthetic_landscape(preset: str, cohort_rows: int | None = None):
    from mcn_map import load_frames

    s = synth()
    size = s.PRESETS[preset]
    frames = s.landscape_frames(s.Size(size.forums, size.agencies, size.seats, cohort_rows or size.cohort_rows), 0)
    return load_frames(frames, source=f"{preset}.xlsx")


def write_map(landscape, path: Path) -> Path:
    from mcn_map import analyse
    from mcn_map.render.map import render_map

    path.write_text(render_map(landscape, analyse(landscape)), encoding="utf-8")
    return path


def write_compare(path: Path) -> Path:
    from mcn_map import analyse, load
    from mcn_map.change import compare
    from mcn_map.render.compare import render_compare

    old, new = load(ROOT / "inputs" / "example_landscape.xlsx"), load(ROOT / "inputs" / "example_landscape_2027.xlsx")
    new_analysis = analyse(new)
    path.write_text(render_compare(old, new, new_analysis, compare(old, analyse(old), new, new_analysis)), encoding="utf-8")
    return path


def write_whatif(path: Path) -> Path:
    from mcn_map import analyse, load
    from mcn_map.change.scenario import evaluate, read_scenario
    from mcn_map.render.compare import render_compare

    baseline = load(ROOT / "inputs" / "example_landscape.xlsx")
    changed, changed_analysis, changes = evaluate(baseline, analyse(baseline), read_scenario(ROOT / "inputs" / "example_scenario.toml"))
    path.write_text(render_compare(baseline, changed, changed_analysis, changes), encoding="utf-8")
    return path


def pdf_pages_as_png(pdf: bytes, folder: Path, dpi: int = 40) -> list[Path]:
    """Each page of a PDF as a PNG (poppler's pdftoppm), in page order."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "printed.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source), str(folder / "page")], check=True)
    return sorted(folder.glob("page-*.png"))


def pdf_text_pages(pdf: bytes, folder: Path) -> list[str]:
    """The text of each page (poppler's pdftotext, layout kept), split at form feeds."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "printed-text.pdf"
    source.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(source), "-"], check=True, capture_output=True, text=True).stdout
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages
