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


def synthetic_landscape(preset: str, cohort_rows: int | None = None, shared_between_areas: int = 0):
    """A synthetic landscape of a preset's size; ``shared_between_areas`` people of the first area's case lists are
    also discussed at a forum of each of the next two areas (the synthetic areas otherwise share no one)."""
    import pandas as pd

    from mcn_map import load_frames

    s = synth()
    size = s.PRESETS[preset]
    frames = s.landscape_frames(s.Size(size.forums, size.agencies, size.seats, cohort_rows or size.cohort_rows), 0)
    if shared_between_areas:
        forums, cohorts = frames["forums"], frames["cohorts"]
        areas = sorted(forums["area"].unique())
        first = cohorts[cohorts["forum_id"].isin(forums.loc[forums["area"] == areas[0], "forum_id"])]
        people = first.drop_duplicates("person_id").head(shared_between_areas)
        extra = [people.assign(forum_id=forums.loc[forums["area"] == area, "forum_id"].iloc[0], lead_agency="",
                               lead_post="") for area in areas[1:3]]
        frames["cohorts"] = pd.concat([cohorts, *extra], ignore_index=True)
    return load_frames(frames, source=f"{preset}.xlsx")


def write_map(landscape, path: Path, **view) -> Path:
    """map.html of the landscape; ``view`` as render_map takes it (view="forums", or view="focus", focus=ID)."""
    from mcn_map import analyse
    from mcn_map.render.map import render_map

    path.write_text(render_map(landscape, analyse(landscape), **view), encoding="utf-8")
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


def pdf_pages_as_png(pdf: bytes, folder: Path, dpi: int = 50) -> list[Path]:
    """Each page of a PDF as a PNG (poppler's pdftoppm), in page order: kept for a person to look at."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("page-*.png"):  # an earlier, longer print would leave pages behind
        old.unlink()
    source = folder / "printed.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source), str(folder / "page")], check=True)
    return sorted(folder.glob("page-*.png"))


def pdf_page_ink(pdf: bytes, folder: Path, dpi: int = 20) -> list[float]:
    """The share of non-white pixels on each page (pdftoppm's greyscale PGM, read by hand): a blank page is 0."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "printed-ink.pdf"
    source.write_bytes(pdf)
    for old in folder.glob("ink-*.pgm"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(source), str(folder / "ink")], check=True)
    shares = []
    for path in sorted(folder.glob("ink-*.pgm")):
        raw = path.read_bytes()
        fields, at = [], 0
        while len(fields) < 4:  # P5, width, height, maxval, separated by whitespace
            while raw[at:at + 1].isspace():
                at += 1
            end = at
            while not raw[end:end + 1].isspace():
                end += 1
            fields.append(raw[at:end])
            at = end
        pixels = raw[at + 1:]
        shares.append(sum(1 for b in pixels if b < 200) / max(len(pixels), 1))
    return shares


def words(text: str) -> str:
    """Letters and digits only, single-spaced: PDF text and page text compared without punctuation or layout."""
    return " ".join("".join(c if c.isalnum() else " " for c in text).split()).lower()


def pdf_text_pages(pdf: bytes, folder: Path, layout: bool = False) -> list[str]:
    """The text of each page (poppler's pdftotext: in reading order, or line by line as laid out), split at form
    feeds."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "printed-text.pdf"
    source.write_bytes(pdf)
    command = ["pdftotext", *(["-layout"] if layout else []), str(source), "-"]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


# The screen box (CSS px inside #network) of everything on the map that carries text: forums, tier names, agency
# names when shown, badges, the counts on lines, and the page's own overlays (breadcrumb, tooltip).
SCREEN_BOXES = """() => {
  const m = window.mcnMap, net = m.network, body = net.body, box = document.getElementById('network').getBoundingClientRect();
  const out = [];
  const dom = (l, t, r, b) => { const a = net.canvasToDOM({x: l, y: t}), z = net.canvasToDOM({x: r, y: b});
    return {x1: a.x, y1: a.y, x2: z.x, y2: z.y}; };
  const visible = new Set(m.visibleNodeIds());
  visible.forEach(id => {
    const n = m.nodes.get(id), node = body.nodes[id];
    if (!n || !node) return;
    if (n.kind === 'forum' || n.kind === 'tier' || n.kind === 'overview') {
      const b = net.getBoundingBox(id);
      out.push({kind: n.kind, id, ...dom(b.left, b.top, b.right, b.bottom)});
    } else if (n.kind === 'agency') {
      const s = node.labelModule.size, colour = (n.font && n.font.color) || '';
      const shown = n.label && s && s.width > 0 && colour !== 'rgba(0,0,0,0)' && (n.opacity === undefined || n.opacity > 0.5);
      if (shown) out.push({kind: 'agency-label', id, ...dom(s.left, s.top, s.left + s.width, s.top + s.height)});
    }
  });
  if (m.state.mode !== 'overview') m.badges().forEach(b => out.push({kind: 'badge', id: b.id, ...dom(b.left, b.top, b.right, b.bottom)}));
  if (m.state.mode !== 'overview') m.counts().forEach(b => out.push({kind: 'line-label', id: b.id, ...dom(b.left, b.top, b.right, b.bottom)}));
  m.visibleEdgeIds().forEach(id => {  // any label vis-network itself draws on a line
    const e = body.edges[id];
    if (!e || !e.options.label || !e.labelModule.size || !e.labelModule.size.width) return;
    const s = e.labelModule.size;
    out.push({kind: 'line-label', id, ...dom(s.left, s.top, s.left + s.width, s.top + s.height)});
  });
  document.querySelectorAll('#breadcrumb, .vis-tooltip').forEach(el => {
    const r = el.getBoundingClientRect();
    if (el.hidden || r.width === 0 || getComputedStyle(el).visibility === 'hidden' || getComputedStyle(el).display === 'none') return;
    out.push({kind: 'overlay', id: el.id || el.className, x1: r.left - box.left, y1: r.top - box.top, x2: r.right - box.left, y2: r.bottom - box.top});
  });
  // Only what is on screen.
  return out.filter(b => b.x2 > 0 && b.y2 > 0 && b.x1 < box.width && b.y1 < box.height);
}"""

# Which kinds may not cover which: each pair hides text (a label, a count, a badge) if they meet.
HIDING = {frozenset(p) for p in [
    ("forum",), ("badge",), ("line-label",), ("agency-label",), ("overview",),
    ("forum", "badge"), ("forum", "line-label"), ("forum", "tier"), ("forum", "agency-label"), ("forum", "overlay"),
    ("badge", "line-label"), ("badge", "tier"), ("badge", "agency-label"), ("badge", "overlay"),
    ("line-label", "tier"), ("line-label", "agency-label"), ("line-label", "overlay"),
    ("agency-label", "tier"), ("agency-label", "overlay"), ("tier", "overlay"), ("overview", "overlay"),
]}


def hidden_text(boxes: list[dict], slack: float = 1.0) -> list[tuple[str, str]]:
    """Every pair of boxes that meet where one would hide the other's text (a badge on its own forum is allowed)."""
    clashes = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if frozenset((a["kind"], b["kind"])) not in HIDING:
                continue
            if {a["kind"], b["kind"]} == {"forum", "badge"} and a["id"] == b["id"]:
                continue
            if a["x1"] + slack < b["x2"] and b["x1"] + slack < a["x2"] and a["y1"] + slack < b["y2"] and b["y1"] + slack < a["y2"]:
                clashes.append((f"{a['kind']} {a['id']}", f"{b['kind']} {b['id']}"))
    return clashes
