"""The report's journeys section: a flow diagram of people moving between forums (inline SVG) and the caseload
table, drawn from what the analyses computed (``analysis.extra['flows']`` and ``['caseloads']``), never recomputed.

Every count shown passes through small-number suppression; a flow smaller than ``journeys.min_people`` never
reaches here (the analyses leave it out), so no band is ever one person's journey.
"""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup, escape

from ..privacy.suppression import people_count, people_number
from .svg import FONT

__all__ = ["flow_diagram", "caseload_rows", "report_context", "MAX_FLOWS", "MAX_CASELOAD_ROWS"]

MAX_FLOWS = 20
MAX_CASELOAD_ROWS = 15
UNLINKED_COLOUR = "#B2182B"  # a flow with a finding: no link between the two forums
LINKED_COLOUR = "#4292c6"
LABEL_WIDTH = 250
GAP = 12


def _clip(text: str, limit: int = 34) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _blocks(order: list[str], totals: dict[str, float], scale: float, top: int) -> dict[str, float]:
    """The top y of each forum's block in one column."""
    y, at = top, {}
    for forum in order:
        at[forum] = y
        y += totals[forum] * scale + GAP
    return at


def flow_diagram(flows: pd.DataFrame, forum_name: dict, *, suppress: bool = True, flagged=frozenset(),
                 limit: int = MAX_FLOWS) -> tuple[Markup | None, str]:
    """A two-column flow diagram: forums people were discussed at (left) to the forum of their next discussion
    (right), each band as wide as the people in it (counts under 8 drawn alike, as '<8'). ``flagged`` holds
    (from, to) pairs with a finding, drawn in red. Returns (SVG or None, a note when flows were left out)."""
    if flows is None or not len(flows):
        return None, ""
    shown = flows.head(limit)
    note = (f"The {limit} largest flows are drawn, of {len(flows):,}; findings.json lists those with a finding."
            if len(flows) > limit else "")
    widths = {}
    for a, b, n in shown[["from_forum", "to_forum", "people"]].itertuples(index=False, name=None):
        number = people_number(int(n), suppress)
        widths[(a, b)] = 4.0 if number is None else float(number)  # every suppressed flow drawn alike
    # Scale so the taller column fits in about 420 px; every band stays at least 2 px wide, so it can be seen.
    people_out, people_in = {}, {}
    for (a, b), w in widths.items():
        people_out[a] = people_out.get(a, 0) + w
        people_in[b] = people_in.get(b, 0) + w
    usable = max(420 - GAP * max(len(people_out), len(people_in)), 120)
    scale = min(6.0, usable / max(sum(people_out.values()), sum(people_in.values())))
    bands = {pair: max(w * scale, 2.0) for pair, w in widths.items()}
    out_total, in_total = {}, {}
    for (a, b), band in bands.items():
        out_total[a] = out_total.get(a, 0) + band
        in_total[b] = in_total.get(b, 0) + band
    left = sorted(out_total, key=lambda f: (-out_total[f], forum_name.get(f, f)))
    right = sorted(in_total, key=lambda f: (-in_total[f], forum_name.get(f, f)))
    top = 34
    left_y, right_y = _blocks(left, out_total, 1.0, top), _blocks(right, in_total, 1.0, top)
    height = int(max(max(left_y[f] + out_total[f] for f in left), max(right_y[f] + in_total[f] for f in right))) + 16
    width = 2 * LABEL_WIDTH + 360
    x0, x1 = LABEL_WIDTH + 10, width - LABEL_WIDTH - 10
    title = "Where people go next: flows between forums"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart flows" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" style="{FONT};max-width:100%;height:auto">',
             f"<title>{escape(title)}</title>",
             f"<desc>{escape('Each band joins the forum where people were discussed (left) to the forum of their next discussion (right); its width is the number of people, rounded to 5, with counts under 8 drawn alike.')}</desc>",
             f'<text x="{x0 - 10}" y="18" text-anchor="end" font-size="13" font-weight="600" fill="#0b2545">'
             f'Discussed at</text>',
             f'<text x="{x1 + 10}" y="18" font-size="13" font-weight="600" fill="#0b2545">then at</text>']
    out_used = {f: 0.0 for f in left}
    in_used = {f: 0.0 for f in right}
    for (a, b), band in sorted(bands.items(), key=lambda item: (left.index(item[0][0]), right.index(item[0][1]))):
        ya, yb = left_y[a] + out_used[a], right_y[b] + in_used[b]
        out_used[a] += band
        in_used[b] += band
        middle = (x0 + x1) / 2
        colour = UNLINKED_COLOUR if (a, b) in flagged else LINKED_COLOUR
        n = int(shown[(shown["from_forum"] == a) & (shown["to_forum"] == b)]["people"].iloc[0])
        label = (f"{people_count(n, suppress)} people discussed at {forum_name.get(a, a)} then at "
                 f"{forum_name.get(b, b)}" + (" (no link between them)" if (a, b) in flagged else ""))
        parts.append(
            f'<path d="M{x0},{ya:.1f} C{middle},{ya:.1f} {middle},{yb:.1f} {x1},{yb:.1f} L{x1},{yb + band:.1f} '
            f'C{middle},{yb + band:.1f} {middle},{ya + band:.1f} {x0},{ya + band:.1f} Z" fill="{colour}" '
            f'fill-opacity="0.45" stroke="{colour}" stroke-width="0.5"><title>{escape(label)}</title></path>')
        if band >= 12:
            parts.append(f'<text x="{x1 - 6}" y="{yb + band / 2 + 4:.1f}" text-anchor="end" font-size="11" '
                         f'fill="#1b1b1b">{escape(people_count(n, suppress))}</text>')
    for column, order, y_of, totals in (("left", left, left_y, out_total), ("right", right, right_y, in_total)):
        x = x0 - 6 if column == "left" else x1
        for forum in order:
            h = totals[forum]
            parts.append(f'<rect x="{x}" y="{y_of[forum]:.1f}" width="6" height="{h:.1f}" fill="#0b2545"/>')
            tx, anchor = (x - 6, "end") if column == "left" else (x + 12, "start")
            parts.append(f'<text x="{tx}" y="{y_of[forum] + h / 2 + 4:.1f}" text-anchor="{anchor}" font-size="12" '
                         f'fill="#1b1b1b"><title>{escape(forum_name.get(forum, forum))}</title>'
                         f'{escape(_clip(forum_name.get(forum, forum)))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts)), note


def caseload_rows(caseloads: pd.DataFrame, agency_name: dict, *, suppress: bool = True,
                  limit: int = MAX_CASELOAD_ROWS) -> tuple[list[dict], str]:
    """The caseload table's rows (largest first), counts suppressed, and a note when rows were left out."""
    if caseloads is None or not len(caseloads):
        return [], ""
    rows = [{"post": post, "people": people_count(int(n), suppress), "status": status,
             "agencies": ", ".join(agency_name.get(a, a) for a in agencies)}
            for post, n, agencies, status in caseloads.head(limit).itertuples(index=False, name=None)]
    note = f"The {limit} largest caseloads, of {len(caseloads):,} posts." if len(caseloads) > limit else ""
    return rows, note


def report_context(landscape, analysis, findings, suppress: bool = True) -> dict:
    """What the report's journeys section needs: the flow diagram, the caseload table and their notes."""
    from ..analyses.caseloads import MEAM_GUIDANCE

    extra = getattr(analysis, "extra", None) or {}
    flagged = {tuple(f.subjects) for f in findings if f.rule == "forum_flows"}
    diagram, flows_note = flow_diagram(extra.get("flows"), landscape.forum_name, suppress=suppress, flagged=flagged)
    rows, caseloads_note = caseload_rows(extra.get("caseloads"), landscape.agency_name, suppress=suppress)
    config = getattr(analysis, "config", None)
    return {"flows": diagram, "flows_note": flows_note, "caseloads": rows, "caseloads_note": caseloads_note,
            "caseload_guidance": MEAM_GUIDANCE,
            "flow_days": getattr(getattr(config, "journeys", None), "flow_days", 90),
            "min_people": getattr(getattr(config, "journeys", None), "min_people", 3),
            "caseload_window": getattr(getattr(config, "caseloads", None), "window_days", 90)}
