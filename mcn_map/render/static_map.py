"""A still picture of the forums and the links between them, as inline SVG, for the printed board paper.

The interactive map is a canvas, which neither prints nor reads well on paper; this draws the same layered layout
(tiers, link arrows, rings for findings, missing partners) as vector graphics.
"""

from __future__ import annotations

import math

from markupsafe import Markup, escape

from ..analyses.ranking import headline
from ..memo import Memo
from ..loading.schema import SECTOR_LABELS
from ..model import Landscape
from ..privacy.suppression import people_count, people_number
from .layout import BOX_WIDTH, layout
from .overview import RATES, area_figures, area_pairs, case_forums_missing, line_width, rate_colour, rate_steps
from .network import OVERVIEW_FORUMS, RINGED_FINDINGS as RINGED, badge_text, missing_partners, overlap_pairs, ringed_subjects
from .style import FADED, LEVEL_STYLE, LINK_STYLE, MISSING_COLOUR, OVERLAP_COLOUR, SEVERITY_COLOURS

__all__ = ["static_map_svg", "static_legend", "missing_key", "shared_lines", "overview_caption", "MAX_STATIC_FORUMS"]

MAX_STATIC_FORUMS = OVERVIEW_FORUMS  # beyond this a page of boxes is unreadable: the report points to map.html
BOX_W, BOX_H = BOX_WIDTH + 10, 84
FONT = 20  # about 9 pt when the map is fitted to the width of A4 landscape


def _wrap(text: str, width: int = 17, lines: int = 3) -> list[str]:
    words, out, current = str(text).split(), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        out.append(current)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1] + "…"
    return out or [""]


def _overview_svg(landscape: Landscape, findings, suppress: bool = True) -> Markup | None:
    """One circle per area as on the interactive overview: coloured by the measured rate (darker is higher, the
    steps in the caption), sized by people discussed, lines between areas with the people discussed in both."""
    forums = landscape.forums
    areas = sorted(set(forums["area"].astype(str)) - {""})
    if len(areas) < 2 or len(areas) > 60:
        return None
    groups = [[a] for a in areas]
    text = str
    missing = set(missing_partners(findings))
    kind, figures = area_figures(landscape, groups, case_forums_missing(landscape, groups, missing, text), text, suppress)
    steps = rate_steps([f["rate"] for f in figures])
    counts = forums["area"].astype(str).value_counts().to_dict()
    sizes = [f["people_shown"] or 0 for f in figures] if kind == "people" else [counts.get(a, 0) for a in areas]
    biggest = max(sizes + [1])
    columns = max(1, math.ceil(math.sqrt(len(areas) * 1.6)))
    rows = math.ceil(len(areas) / columns)
    width, height = columns * 300, rows * 240
    centre = {i: ((i % columns) * 300 + 150, (i // columns) * 240 + 90) for i in range(len(areas))}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart static-map" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" style="font-family:\'Segoe UI\',Arial,Helvetica,sans-serif;max-width:100%;'
             f'height:auto"><title>The areas: {escape(RATES[kind]["name"])}</title>']
    for a, b, n in area_pairs(landscape, groups, text):
        (x1, y1), (x2, y2) = centre[a], centre[b]
        shown = people_count(n, suppress)
        parts.append(f'<g><title>{escape(shown)} people discussed in both {escape(areas[a])} and {escape(areas[b])}</title>'
                     f'<path d="M{x1},{y1} Q{(x1 + x2) / 2 - (y2 - y1) * 0.3:.1f},{(y1 + y2) / 2 + (x2 - x1) * 0.3:.1f} '
                     f'{x2},{y2}" fill="none" stroke="{OVERLAP_COLOUR}" stroke-opacity="0.6" '
                     f'stroke-width="{line_width(people_number(n, suppress))}"/></g>')
    for i, (area, figure) in enumerate(zip(areas, figures)):
        cx, cy = centre[i]
        radius = 22 + 40 * math.sqrt(sizes[i] / biggest)
        parts.append(f'<g><title>{escape(area)}: {escape(figure["figure"])}</title><circle cx="{cx}" cy="{cy}" '
                     f'r="{radius:.1f}" fill="{rate_colour(figure["rate"], steps)}" stroke="#1b1b1b" stroke-width="2"/>'
                     f'<text x="{cx}" y="{cy + 88}" font-size="{FONT}" text-anchor="middle" fill="#1b1b1b">'
                     f'{escape(area)}</text><text x="{cx}" y="{cy + 110}" font-size="15" text-anchor="middle" '
                     f'fill="#3a3a3a">{escape(figure["figure"])}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))


def overview_caption(landscape: Landscape, findings, suppress: bool = True) -> str:
    """What the printed overview's colours measure, with its steps, for the caption under it."""
    areas = sorted(set(landscape.forums["area"].astype(str)) - {""})
    groups = [[a] for a in areas]
    kind, figures = area_figures(landscape, groups, case_forums_missing(landscape, groups, set(missing_partners(findings)), str),
                                 str, suppress)
    steps = rate_steps([f["rate"] for f in figures])
    bounds = ", ".join([f"under {steps[0]}"] + [f"{a} to {b}" for a, b in zip(steps, steps[1:])] + [f"{steps[-1]} or more"]) if steps else ""
    return (f"Each circle is an area, coloured by {RATES[kind]['name'][0].lower() + RATES[kind]['name'][1:]}"
            f"{' (lightest to darkest: ' + bounds + ')' if bounds else ''}, sized by the people discussed there; "
            "lines join areas that discuss 8 or more of the same people. map.html opens each area's own map.")


STATUS_WORDS = {"paused": "paused", "ended": "ended", "merged": "merged"}
PAUSED_BORDER = "#1b1b1b"  # a paused forum keeps its tier colour, with a heavy dotted outline
SHARED_LINE = 6  # the shared-people lines of the top findings: thick, so they read on paper


def _header(min_x, min_y, width, height, title: str) -> list[str]:
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart static-map" role="img" '
             f'viewBox="{min_x:.0f} {min_y:.0f} {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
             "style=\"font-family:'Segoe UI',Arial,Helvetica,sans-serif;max-width:100%;height:auto\">",
             f"<title>{escape(title)}</title><defs>"]
    for key, style in LINK_STYLE.items():
        parts.append(f'<marker id="arrow-{key}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
                     f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{style["colour"]}"/></marker>')
    parts.append("</defs>")
    return parts


def _edge_points(a, b, bow: float):
    """A curve from box edge to box edge, bowed sideways so a pair of lines between the same forums stay apart."""
    (x1, y1), (x2, y2) = a, b
    dx, dy = x2 - x1, y2 - y1
    length = max((dx * dx + dy * dy) ** 0.5, 1.0)
    scale = min(BOX_W / 2 / max(abs(dx), 1e-6), BOX_H / 2 / max(abs(dy), 1e-6), 0.45) if length > 1 else 0
    sx, sy, ex, ey = x1 + dx * scale, y1 + dy * scale, x2 - dx * scale, y2 - dy * scale
    cx, cy = (sx + ex) / 2 - dy / length * bow, (sy + ey) / 2 + dx / length * bow
    return sx, sy, cx, cy, ex, ey


def _link_paths(landscape: Landscape, positions) -> list[str]:
    parts = []
    for link in landscape.links.to_dict("records"):
        a, b = link["from_forum"], link["to_forum"]
        if a not in positions or b not in positions or a == b:
            continue
        style = LINK_STYLE.get(link["type"], LINK_STYLE["refers_to"])
        sx, sy, cx, cy, ex, ey = _edge_points(positions[a], positions[b], 40)
        dash = f' stroke-dasharray="{" ".join(map(str, style["dashes"]))}"' if style["dashes"] else ""
        parts.append(f'<path d="M{sx:.1f},{sy:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}" fill="none" '
                     f'stroke="{style["colour"]}" stroke-width="2.2"{dash} marker-end="url(#arrow-{link["type"]})">'
                     f"<title>{escape(landscape.forum_name.get(a, a))} {escape(style['label'].lower())} "
                     f"{escape(landscape.forum_name.get(b, b))}</title></path>")
    return parts


def shared_lines(landscape: Landscape, findings, overlap=None, suppress: bool = True) -> list[tuple[str, str, str]]:
    """(forum, forum, count as shown) for each pair of forums named together in a top finding about shared people,
    with the people they share: the lines the printed map draws, so the first finding can be seen on paper."""
    top = [f for f in headline(list(findings), RINGED) if f.category == "duplication"]
    if not top:
        return []
    wanted = set()
    for f in top:
        forums = [s for s in f.subjects if s in landscape.forum_name]
        wanted |= {(min(a, b), max(a, b)) for i, a in enumerate(forums) for b in forums[i + 1:]}
    return [(a, b, people_count(n, suppress)) for a, b, n in overlap_pairs(landscape, overlap) if (a, b) in wanted and n]


def _clear_point(curve, boxes):
    """The point of a quadratic curve nearest its middle that lies in no forum's box, for the line's count."""
    sx, sy, cx, cy, ex, ey = curve
    for step in (0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6, 7, -7):
        u = 0.5 + step * 0.06
        x = (1 - u) ** 2 * sx + 2 * (1 - u) * u * cx + u * u * ex
        y = (1 - u) ** 2 * sy + 2 * (1 - u) * u * cy + u * u * ey
        if not any(abs(x - bx) < BOX_W / 2 + 26 and abs(y - by) < BOX_H / 2 + 16 for bx, by in boxes):
            return x, y
    return (sx + 2 * cx + ex) / 4, (sy + 2 * cy + ey) / 4


def _shared_paths(landscape: Landscape, positions, lines) -> tuple[list[str], list[str]]:
    """The shared-people lines (drawn under the boxes) and their counts (drawn over everything, clear of the boxes)."""
    paths, labels = [], []
    boxes = list(positions.values())
    for a, b, shown in lines:
        if a not in positions or b not in positions:
            continue
        curve = _edge_points(positions[a], positions[b], -30 - 0.12 * abs(positions[a][0] - positions[b][0]))
        sx, sy, cx, cy, ex, ey = curve
        mx, my = _clear_point(curve, boxes)
        title = (f'<title>{escape(shown)} people discussed at both {escape(landscape.forum_name.get(a, a))} and '
                 f'{escape(landscape.forum_name.get(b, b))}</title>')
        paths.append(f'<path d="M{sx:.1f},{sy:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}" fill="none" '
                     f'stroke="{OVERLAP_COLOUR}" stroke-opacity="0.8" stroke-width="{SHARED_LINE}">{title}</path>')
        labels.append(f'<g class="shared-count">{title}<rect x="{mx - 24:.1f}" y="{my - 14:.1f}" width="48" height="26" '
                      f'rx="13" fill="#ffffff" stroke="{OVERLAP_COLOUR}" stroke-width="2"/><text x="{mx:.1f}" '
                      f'y="{my + 5:.1f}" font-size="16" font-weight="700" text-anchor="middle" '
                      f'fill="{OVERLAP_COLOUR}">{escape(shown)}</text></g>')
    return paths, labels


def _badge(x: float, y: float, gaps: list[tuple[str, bool]]) -> str:
    """A count above the box, as on screen: filled red for partners missing, outlined for seats held on paper only."""
    text = badge_text(gaps)
    paper_only = all(paper for _, paper in gaps)
    if 20 + 9.6 * len(text) > BOX_W:  # wider than the box: the counts alone, the names are in the key
        paper = sum(1 for _, on_paper in gaps if on_paper)
        text = f"\u2715 {len(gaps) - paper} + {paper} on paper"
    width = min(BOX_W, 20 + 9.6 * len(text))
    fill, colour = ("#ffffff", MISSING_COLOUR) if paper_only else (MISSING_COLOUR, "#ffffff")
    return (f'<g class="gap-count"><rect x="{x + BOX_W / 2 - width:.1f}" y="{y - BOX_H / 2 - 30:.1f}" width="{width:.1f}" '
            f'height="26" rx="13" fill="{fill}" stroke="{MISSING_COLOUR}" stroke-width="2"/>'
            f'<text x="{x + BOX_W / 2 - width / 2:.1f}" y="{y - BOX_H / 2 - 11:.1f}" font-size="17.5" font-weight="700" '
            f'text-anchor="middle" fill="{colour}">{escape(text)}</text></g>')


def _forum_box(r: dict, x: float, y: float, ring: str | None) -> list[str]:
    level = r["level"] or "operational"
    status = r["status"] if r["status"] in STATUS_WORDS else ""
    faded = status in ("ended", "merged")
    colours = FADED if faded else LEVEL_STYLE.get(level, LEVEL_STYLE["operational"])
    stroke = SEVERITY_COLOURS[ring] if ring else (PAUSED_BORDER if status == "paused" else colours["border"])
    stroke_width = {"high": 5, "medium": 4, "low": 3}.get(ring, 3 if status else 1.2)
    dash = ' stroke-dasharray="6 4"' if faded else (' stroke-dasharray="3 3"' if status == "paused" else "")
    parts = [f"<g><title>{escape(r['name'])}{' (' + status + ')' if status else ''}</title>",
             f'<rect x="{x - BOX_W / 2:.1f}" y="{y - BOX_H / 2:.1f}" width="{BOX_W}" height="{BOX_H}" rx="4" '
             f'fill="{colours["background"]}" stroke="{stroke}" stroke-width="{stroke_width}"{dash}/>']
    # The status is never cut: the name gives way to it.
    label = _wrap(r["name"], lines=2 if status else 3) + ([f"({status})"] if status else [])
    for k, line in enumerate(label):
        ty = y + (k - (len(label) - 1) / 2) * (FONT + 3) + FONT / 3
        weight = ' font-weight="700"' if status and k == len(label) - 1 else ""
        parts.append(f'<text x="{x:.1f}" y="{ty:.1f}" font-size="{FONT}" text-anchor="middle"{weight} '
                     f'fill="{colours["font"]}">{escape(line)}</text>')
    parts.append("</g>")
    return parts


def static_map_svg(landscape: Landscape, findings=(), memo: Memo | None = None, *, overlap=None, suppress: bool = True,
                   marks: dict | None = None) -> Markup | None:
    """The forums-only map as SVG; for a landscape too large to print as boxes, the overview of its areas; None when
    neither fits a page. ``overlap`` (the analyses' forum x forum frame) gives the shared-people lines of the top
    findings their counts; ``marks`` ({forum id: {colour, tag, dashed}}) outlines and names what a comparison marks."""
    forums = landscape.forums
    if not len(forums):
        return None
    if len(forums) > MAX_STATIC_FORUMS:
        return _overview_svg(landscape, findings, suppress)
    positions = layout(landscape, memo).forum_xy
    worst = ringed_subjects(findings)  # rings only for the top findings, as on the interactive map
    missing = {f: m for f, m in missing_partners(findings).items() if f in positions}
    tiers = layout(landscape, memo).tier_xy or ()
    label_x = min(x for x, _ in positions.values()) - BOX_W / 2 - 14  # tier names end just left of the boxes
    xs = [x for x, _ in positions.values()] + [label_x - 150 + BOX_W / 2]
    ys = [y for _, y in positions.values()]
    pad = 20
    min_x, max_x = min(xs) - BOX_W / 2 - pad, max(xs) + BOX_W / 2 + pad
    min_y, max_y = min(ys) - BOX_H / 2 - 40 - pad, max(ys) + BOX_H / 2 + pad + (30 if marks else 0)  # room for a mark's word
    parts = _header(min_x, min_y, max_x - min_x, max_y - min_y, "The forums by tier, with the links between them")
    for level, x, y in tiers:
        parts.append(f'<text x="{label_x:.1f}" y="{y + 6:.1f}" font-size="{FONT}" font-weight="700" fill="#4a5a6b" text-anchor="end" '
                     f'letter-spacing="1">{escape(LEVEL_STYLE[level]["label"].upper())}</text>')
    parts += _link_paths(landscape, positions)
    shared, counts = _shared_paths(landscape, positions, shared_lines(landscape, findings, overlap, suppress))
    parts += shared
    for r in forums.to_dict("records"):
        x, y = positions[r["forum_id"]]
        parts += _forum_box(r, x, y, worst.get(r["forum_id"]))
        if marks and r["forum_id"] in marks:  # a comparison's mark: an outer outline and its word, never colour alone
            mark = marks[r["forum_id"]]
            dash = ' stroke-dasharray="8 4"' if mark.get("dashed") else ""
            parts.append(f'<rect x="{x - BOX_W / 2 - 7:.1f}" y="{y - BOX_H / 2 - 7:.1f}" width="{BOX_W + 14}" '
                         f'height="{BOX_H + 14}" rx="6" fill="none" stroke="{mark["colour"]}" stroke-width="4"{dash}/>'
                         f'<text x="{x - BOX_W / 2:.1f}" y="{y + BOX_H / 2 + 24:.1f}" font-size="15" font-weight="700" '
                         f'fill="{mark["colour"]}">{escape(mark["tag"])}</text>')
    parts += counts  # over the boxes' edges, never on a box: each count must be read
    for fid, gaps in missing.items():
        parts.append(_badge(*positions[fid], gaps))
    parts.append("</svg>")
    return Markup("".join(parts))


def missing_key(landscape: Landscape, findings=()) -> list[dict]:
    """The names behind each badge, for the key under the printed map: forum, partners missing, seats on paper only."""
    if len(landscape.forums) > MAX_STATIC_FORUMS:
        return []
    rows = []
    for fid, gaps in missing_partners(findings).items():
        if fid not in landscape.forum_name:
            continue
        rows.append({"forum": landscape.forum_name[fid],
                     "missing": ", ".join(SECTOR_LABELS.get(s, s) for s, paper in gaps if not paper),
                     "paper": ", ".join(SECTOR_LABELS.get(s, s) for s, paper in gaps if paper)})
    return sorted(rows, key=lambda r: r["forum"].lower())


def _line_sample(colour: str, dashes, width: float = 2.5, arrow: bool = True) -> str:
    dash = f' stroke-dasharray="{" ".join(map(str, dashes))}"' if dashes else ""
    head = f'<path d="M30,2 L38,7 L30,12 z" fill="{colour}"/>' if arrow else ""
    return (f'<svg width="40" height="14" aria-hidden="true"><line x1="2" y1="7" x2="{30 if arrow else 38}" y2="7" '
            f'stroke="{colour}" stroke-width="{width}"{dash}/>{head}</svg>')


def _box_sample(fill: str, stroke: str, width: float = 1.5, dash: str = "") -> str:
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<svg width="26" height="16" aria-hidden="true"><rect x="2" y="2" width="22" height="12" rx="2" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{width}"{dashes}/></svg>')


def static_legend() -> list[dict]:
    """Every mark the printed map uses, with a small picture of it: the same language as the interactive legend."""
    items = [{"picture": Markup(_box_sample(s["background"], s["border"])), "label": s["label"] + " forum"}
             for s in LEVEL_STYLE.values()]
    items += [
        {"picture": Markup(_box_sample("#dbe8f6", PAUSED_BORDER, 2.5, "3 3")), "label": "Paused (labelled)"},
        {"picture": Markup(_box_sample(FADED["background"], FADED["border"], 1.5, "4 3")), "label": "Ended or merged (labelled)"},
        {"picture": Markup(_box_sample("#ffffff", SEVERITY_COLOURS["high"], 4)), "label": "Outline: in the top findings"},
        {"picture": Markup(f'<span class="pill missing">{escape(badge_text([("x", False), ("y", False)]))}</span>'),
         "label": "Expected partners missing (named below)"},
        {"picture": Markup(f'<span class="pill paper">{escape(badge_text([("x", True)]))}</span>'),
         "label": "Seat held but rarely attended"},
    ]
    items += [{"picture": Markup(_line_sample(s["colour"], s["dashes"])), "label": s["label"]} for s in LINK_STYLE.values()]
    items.append({"picture": Markup(_line_sample(OVERLAP_COLOUR, None, SHARED_LINE, arrow=False)),
                  "label": "Same people at both (top findings; count of people)"})
    return items
