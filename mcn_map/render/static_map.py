"""A still picture of the forums and the links between them, as inline SVG, for the printed board paper.

The interactive map is a canvas, which neither prints nor reads well on paper; this draws the same layered layout
(tiers, link arrows, rings for findings, missing partners) as vector graphics.
"""

from __future__ import annotations

import math

from markupsafe import Markup, escape

from ..memo import Memo
from ..model import Landscape
from ..loading.schema import SECTOR_LABELS
from .layout import BOX_WIDTH, layout
from .network import OVERVIEW_FORUMS, missing_partners, ringed_subjects
from .style import FADED, LEVEL_STYLE, LINK_STYLE, MISSING_COLOUR, SEVERITY_COLOURS

__all__ = ["static_map_svg", "MAX_STATIC_FORUMS"]

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


def _overview_svg(landscape: Landscape, findings) -> Markup | None:
    """One circle per area, sized by its forums and coloured by its worst finding, as the interactive overview."""
    forums = landscape.forums
    area_of = dict(zip(forums["forum_id"], forums["area"].astype(str)))
    areas = sorted(set(area_of.values()) - {""})
    if len(areas) < 2 or len(areas) > 60:
        return None
    counts = forums["area"].astype(str).value_counts().to_dict()
    worst: dict[str, str] = {}
    order = ("high", "medium", "low")
    for f in findings:
        for area in {area_of[s] for s in f.subjects if s in area_of}:
            if area not in worst or order.index(f.severity) < order.index(worst[area]):
                worst[area] = f.severity
    columns = max(1, math.ceil(math.sqrt(len(areas) * 1.6)))
    rows = math.ceil(len(areas) / columns)
    biggest = max(counts.get(a, 0) for a in areas)
    width, height = columns * 260, rows * 230
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart static-map" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" style="font-family:\'Segoe UI\',Arial,Helvetica,sans-serif;max-width:100%;'
             'height:auto"><title>The areas: circles sized by forums, coloured by the worst finding</title>']
    for i, area in enumerate(areas):
        cx, cy = (i % columns) * 260 + 130, (i // columns) * 230 + 90
        radius = 25 + 45 * math.sqrt(counts.get(area, 0) / max(biggest, 1))
        fill = SEVERITY_COLOURS.get(worst.get(area, ""), "#2b6cb0")
        parts.append(f'<g><title>{escape(area)}</title><circle cx="{cx}" cy="{cy}" r="{radius:.1f}" fill="{fill}" '
                     f'stroke="#1b1b1b" stroke-width="2"/><text x="{cx}" y="{cy + 95}" font-size="{FONT}" '
                     f'text-anchor="middle" fill="#1b1b1b">{escape(area)}</text><text x="{cx}" y="{cy + 117}" '
                     f'font-size="15" text-anchor="middle" fill="#4a4a4a">{counts.get(area, 0)} forums'
                     f'{" · worst finding " + worst[area] if area in worst else ""}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))


def static_map_svg(landscape: Landscape, findings=(), memo: Memo | None = None) -> Markup | None:
    """The forums-only map as SVG; for a landscape too large to print as boxes, the overview of its areas; None when
    neither fits a page."""
    forums = landscape.forums
    if not len(forums):
        return None
    if len(forums) > MAX_STATIC_FORUMS:
        return _overview_svg(landscape, findings)
    positions = layout(landscape, memo).forum_xy
    worst = ringed_subjects(findings)  # rings only for the top findings, as on the interactive map
    missing = {f: m for f, m in missing_partners(findings).items() if f in positions}
    tiers = layout(landscape, memo).tier_xy or ()
    label_x = min(x for x, _ in positions.values()) - BOX_W / 2 - 14  # tier names end just left of the boxes
    xs = [x for x, _ in positions.values()] + [label_x - 150 + BOX_W / 2]
    ys = [y for _, y in positions.values()]
    pad = 20
    min_x, max_x = min(xs) - BOX_W / 2 - pad, max(xs) + BOX_W / 2 + pad
    min_y, max_y = min(ys) - BOX_H / 2 - 40 - pad, max(ys) + BOX_H / 2 + pad
    width, height = max_x - min_x, max_y - min_y
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart static-map" role="img" '
             f'viewBox="{min_x:.0f} {min_y:.0f} {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
             "style=\"font-family:'Segoe UI',Arial,Helvetica,sans-serif;max-width:100%;height:auto\">",
             "<title>The forums by tier, with the links between them</title><defs>"]
    for key, style in LINK_STYLE.items():
        parts.append(f'<marker id="arrow-{key}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
                     f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{style["colour"]}"/></marker>')
    parts.append("</defs>")
    for level, x, y in tiers:
        parts.append(f'<text x="{label_x:.1f}" y="{y + 6:.1f}" font-size="{FONT}" font-weight="700" fill="#4a5a6b" text-anchor="end" '
                     f'letter-spacing="1">{escape(LEVEL_STYLE[level]["label"].upper())}</text>')
    for link in landscape.links.to_dict("records"):
        a, b = link["from_forum"], link["to_forum"]
        if a not in positions or b not in positions or a == b:
            continue
        style = LINK_STYLE.get(link["type"], LINK_STYLE["refers_to"])
        (x1, y1), (x2, y2) = positions[a], positions[b]
        # Stop at the box edge, and bow the line so a link and its reverse do not overlap.
        dx, dy = x2 - x1, y2 - y1
        length = max((dx * dx + dy * dy) ** 0.5, 1.0)
        scale = min(BOX_W / 2 / max(abs(dx), 1e-6), BOX_H / 2 / max(abs(dy), 1e-6), 0.45) if length > 1 else 0
        sx, sy, ex, ey = x1 + dx * scale, y1 + dy * scale, x2 - dx * scale, y2 - dy * scale
        cx, cy = (sx + ex) / 2 - dy / length * 40, (sy + ey) / 2 + dx / length * 40
        dash = f' stroke-dasharray="{" ".join(map(str, style["dashes"]))}"' if style["dashes"] else ""
        parts.append(f'<path d="M{sx:.1f},{sy:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}" fill="none" '
                     f'stroke="{style["colour"]}" stroke-width="2.2"{dash} marker-end="url(#arrow-{link["type"]})">'
                     f"<title>{escape(landscape.forum_name.get(a, a))} {escape(style['label'].lower())} "
                     f"{escape(landscape.forum_name.get(b, b))}</title></path>")
    for r in forums.to_dict("records"):
        fid = r["forum_id"]
        x, y = positions[fid]
        level = r["level"] or "operational"
        faded = r["status"] in ("ended", "merged")
        colours = FADED if faded else LEVEL_STYLE.get(level, LEVEL_STYLE["operational"])
        ring = worst.get(fid)
        stroke = SEVERITY_COLOURS[ring] if ring else colours["border"]
        stroke_width = {"high": 5, "medium": 4, "low": 3}.get(ring, 1.2)
        dash = ' stroke-dasharray="6 4"' if faded else ""
        parts.append(f"<g><title>{escape(r['name'])}</title>")
        parts.append(f'<rect x="{x - BOX_W / 2:.1f}" y="{y - BOX_H / 2:.1f}" width="{BOX_W}" height="{BOX_H}" rx="4" '
                     f'fill="{colours["background"]}" stroke="{stroke}" stroke-width="{stroke_width}"{dash}/>')
        label = _wrap(r["name"]) + ([f"({r['status']})"] if r["status"] in ("ended", "merged", "paused") else [])
        label = label[:3]
        for k, line in enumerate(label):
            ty = y + (k - (len(label) - 1) / 2) * (FONT + 3) + FONT / 3
            parts.append(f'<text x="{x:.1f}" y="{ty:.1f}" font-size="{FONT}" text-anchor="middle" '
                         f'fill="{colours["font"]}">{escape(line)}</text>')
        parts.append("</g>")
        if fid in missing:
            gaps = missing[fid]
            prefix = "Missing: " if any(not paper for _, paper in gaps) else "On paper only: "
            text = prefix + ", ".join(SECTOR_LABELS.get(s, s).lower() + (" (paper)" if paper and prefix == "Missing: "
                                                                           else "") for s, paper in gaps[:2])
            text += f" +{len(gaps) - 2}" if len(gaps) > 2 else ""
            text = text if len(text) <= 26 else text[:25] + "…"
            parts.append(f'<g><rect x="{x - BOX_W / 2:.1f}" y="{y - BOX_H / 2 - 30:.1f}" width="{BOX_W}" height="26" '
                         f'rx="13" fill="{MISSING_COLOUR}"/>'
                         f'<text x="{x:.1f}" y="{y - BOX_H / 2 - 11.5:.1f}" font-size="15" font-weight="700" '
                         f'text-anchor="middle" fill="#ffffff">{escape(text)}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))
