"""The map's network as plain data: vis-network node and edge dicts plus the details the side panel shows.

pyvis's ``Network.add_edge`` searches every existing edge on each call (quadratic), so nodes and edges are built
here as dicts directly, in one pass over each table. Every count of people goes through
:func:`~mcn_map.privacy.suppression.people_count`. Tooltips are plain text; vis-network 9 shows string titles
with ``innerText``, never as HTML.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pandas as pd

from ..analyses.findings import CATEGORIES, SEVERITIES, Finding
from ..model import Landscape
from ..privacy.suppression import people_count, people_number
from ..schema import SECTOR_LABELS, VOCABULARIES
from .layout import focus_layout, layout

__all__ = [
    "MAX_FULL_MAP_NODES", "LARGE_MAP_NODES", "LEVEL_STYLE", "SECTOR_COLOURS", "LINK_STYLE", "SEVERITY_COLOURS", "CATEGORY_LABELS",
    "MEAM_LABELS", "map_data", "overlap_pairs", "meam_label",
]

# Above this many nodes the whole-system map is a hairball nobody can read (and slow to draw): show forums only.
MAX_FULL_MAP_NODES = 3000
MAX_PLACEHOLDERS = 1500
MAX_OVERLAP_EDGES_PER_FORUM = 3
LARGE_MAP_NODES = 1200  # above this: straight edges, unlabelled overlaps, overlaps hidden until asked for

# Tiers in one hue from dark to light: order reads as hierarchy in greyscale and to colour-blind eyes.
LEVEL_STYLE = {
    "strategic": {"background": "#08306b", "border": "#041c40", "font": "#ffffff", "label": "Strategic"},
    "tactical": {"background": "#4a89c8", "border": "#2b5f94", "font": "#ffffff", "label": "Tactical"},
    "operational": {"background": "#c6dbef", "border": "#6b9ac4", "font": "#0b1f33", "label": "Operational"},
}
FADED = {"background": "#eeeeee", "border": "#9a9a9a", "font": "#6b6b6b"}

# Okabe–Ito first (the eight colours most robust to colour-blindness), then Paul Tol's muted scheme, so the
# sectors most often missing (mental health, drug and alcohol, housing, police, probation) get the clearest colours.
_PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#332288", "#88CCEE",
            "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499", "#6B4C2A", "#7F7F7F",
            "#B3B3B3", "#2F4F4F", "#000000"]
SECTOR_COLOURS = dict(zip(SECTOR_LABELS, _PALETTE))

LINK_STYLE = {
    "escalates_to": {"colour": "#D55E00", "dashes": False, "label": "Escalates to"},
    "reports_to": {"colour": "#0072B2", "dashes": False, "label": "Reports to"},
    "feeds_back_to": {"colour": "#009E73", "dashes": [8, 5], "label": "Feeds back to"},
    "refers_to": {"colour": "#CC79A7", "dashes": [2, 5], "label": "Refers to"},
    "shares_case_list": {"colour": "#E69F00", "dashes": [12, 4, 2, 4], "label": "Shares case list"},
}
OVERLAP_COLOUR = "#882255"
SEAT_COLOUR = "#8c8c8c"
MISSING_COLOUR = "#B2182B"
SEVERITY_COLOURS = {"high": "#B2182B", "medium": "#E69F00", "low": "#7F7F7F"}
SEVERITY_WIDTH = {"high": 6, "medium": 5, "low": 4}

CATEGORY_LABELS = {
    "duplication": "Duplication",
    "missing_partner": "Missing partners",
    "weak_link": "Weak strategic–operational links",
    "person_voice": "The person's voice",
    "key_person": "Expertise held by a few people",
    "attendance": "Attendance",
    "seniority": "Seniority at the table",
    "burden": "Meeting burden",
}

# The eleven features and five challenges of effective partnerships, in a few words each.
MEAM_LABELS = {
    "feature 1": "shared understanding of multiple disadvantage",
    "feature 2": "strong strategic leadership",
    "feature 3": "strategic buy-in across sectors",
    "feature 4": "a wide range of partners attending consistently",
    "feature 5": "involvement of experts by experience",
    "feature 6": "partners senior enough to commit their organisations",
    "feature 7": "strong relationships between individuals",
    "feature 8": "constructive challenge",
    "feature 9": "continuous learning",
    "feature 10": "close connection between strategic and operational groups",
    "feature 11": "operational groups that surface system issues",
    "challenge 1": "engaging specific partners",
    "challenge 2": "limited capacity of senior stakeholders",
    "challenge 3": "the strategic group winding down",
    "challenge 4": "expertise held in one or two individuals",
    "challenge 5": "turnover of frontline staff",
}

FREQUENCY_WORDS = {"ad hoc": "as needed"}


def meam_label(code: str) -> str:
    """'feature 10' -> 'Feature 10: close connection between strategic and operational groups'."""
    text = MEAM_LABELS.get(str(code).strip().lower())
    return f"{str(code).capitalize()}: {text}" if text else str(code)


def _text(value) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value)


def overlap_pairs(landscape: Landscape, overlap: pd.DataFrame | None = None) -> list[tuple[str, str, int]]:
    """(forum a, forum b, shared persons) for every pair of forums that discuss someone in common, a < b.

    Uses the analyses' forum × forum overlap frame when given, else a sparse forum × person incidence product."""
    if overlap is not None and len(overlap):
        values = overlap.to_numpy(dtype=float, na_value=0.0)
        rows = np.asarray(overlap.index, dtype=object)
        cols = np.asarray(overlap.columns, dtype=object)
        i, j = np.nonzero(values > 0)
        return sorted((str(rows[a]), str(cols[b]), int(values[a, b])) for a, b in zip(i, j)
                      if str(rows[a]) < str(cols[b]))
    cohorts = landscape.cohorts
    if not len(cohorts):
        return []
    from scipy import sparse

    pairs = cohorts[["forum_id", "person"]].drop_duplicates()
    forum_codes, forums = pd.factorize(pairs["forum_id"])
    person_codes = pd.factorize(pairs["person"])[0]
    incidence = sparse.csr_matrix((np.ones(len(pairs)), (forum_codes, person_codes)))
    shared = sparse.triu(incidence @ incidence.T, k=1).tocoo()
    result = []
    for a, b, n in zip(shared.row, shared.col, shared.data):
        fa, fb = str(forums[a]), str(forums[b])
        result.append((min(fa, fb), max(fa, fb), int(n)))
    return sorted(result)


def _findings_by_subject(findings) -> dict[str, list[Finding]]:
    index: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        for subject in finding.subjects:
            index[subject].append(finding)
    return index


def _worst(findings: list[Finding]) -> str | None:
    if not findings:
        return None
    return min((f.severity for f in findings), key=lambda s: SEVERITIES.index(s) if s in SEVERITIES else 9)


def _finding_record(finding: Finding, node_of: dict[str, str], suggestions: dict[str, int]) -> dict:
    """A finding for the page; suggestions (often repeated word for word) are stored once and referred to by index."""
    return {
        "id": finding.id,
        "category": finding.category,
        "severity": finding.severity,
        "message": finding.message,
        "suggestion": suggestions.setdefault(finding.suggestion, len(suggestions)),
        "meam": [str(m).lower() for m in finding.meam],
        "nodes": [node_of[s] for s in finding.subjects if s in node_of],
    }


def _attendance_text(attended, held) -> str:
    if pd.isna(held) or pd.isna(attended) or not held:
        return "attendance not recorded"
    return f"attended {int(attended)} of {int(held)} ({round(100 * int(attended) / int(held))}%)"


def _seat_rows(landscape: Landscape) -> dict[str, list[list]]:
    """Each forum's seats for the side panel, built in one pass over the seats table:
    [agency_id, role, seniority, post, meetings attended or null, meetings held or null]. Agency names and sectors
    are stored once, in the page's ``agencies`` table."""
    seats = landscape.seats
    if not len(seats):
        return {}
    def numbers(column):
        values = seats[column].astype("Float64")
        return [None if v is pd.NA else int(v) for v in values.tolist()]
    columns = zip(seats["forum_id"], seats["agency_id"], seats["role"], seats["seniority"], seats["post"],
                  numbers("meetings_attended"), numbers("meetings_held"))
    rows: dict[str, list[list]] = defaultdict(list)
    for forum, *row in columns:
        rows[forum].append(row)
    return rows


def map_data(landscape: Landscape, findings=(), *, overlap: pd.DataFrame | None = None, view: str = "system",
             focus: str | None = None, suppress: bool = True, show_overlap: bool = True) -> dict:
    """Everything the map page needs, as JSON-ready data: nodes, edges, panel details, findings, legend, filters.

    ``view`` is ``system`` (forums and agencies), ``forums`` (agencies folded into counts) or ``focus`` (one forum
    and its neighbourhood; ``focus`` is its forum_id)."""
    if view not in ("system", "forums", "focus"):
        raise ValueError(f"unknown view {view!r}: use system, forums or focus")
    findings = list(findings)
    # map.html and report.html draw the same map in one build: compute it once.
    key = (view, focus, suppress, show_overlap, id(overlap), tuple(f.id for f in findings))
    cache = landscape.cache.setdefault("map_data", {})
    if key not in cache:
        cache.clear()  # keep only the latest, so a long session does not pile up maps
        cache[key] = _map_data(landscape, findings, overlap=overlap, view=view, focus=focus, suppress=suppress,
                               show_overlap=show_overlap)
    return cache[key]


def _map_data(landscape: Landscape, findings, *, overlap, view, focus, suppress, show_overlap) -> dict:
    forums = landscape.forums
    seats = landscape.seats
    findings = list(findings)
    by_subject = _findings_by_subject(findings)
    agency_name = landscape.agency_name
    sector_of = landscape.agency_sector
    forum_name = landscape.forum_name
    overlaps = overlap_pairs(landscape, overlap) if show_overlap else []

    # -- which forums and agencies are drawn -------------------------------------------------------------------
    if view == "focus":
        if focus not in forum_name:
            from ..errors import McnMapError

            known = ", ".join(sorted(forum_name)[:10])
            raise McnMapError(f"forum '{focus}' is not in the forums sheet (forum_ids include: {known}).")
        shown_forums = {focus}
        links = landscape.links
        shown_forums |= set(links.loc[links["from_forum"] == focus, "to_forum"])
        shown_forums |= set(links.loc[links["to_forum"] == focus, "from_forum"])
        shown_forums |= {b for a, b, _ in overlaps if a == focus} | {a for a, b, _ in overlaps if b == focus}
        shown_forums &= set(forum_name)
        shown_agencies = set(seats.loc[seats["forum_id"] == focus, "agency_id"])
        positions = focus_layout(landscape, focus, shown_forums, shown_agencies)
    else:
        shown_forums = set(forum_name)
        shown_agencies = set(landscape.agency_ids) if view == "system" else set()
        grid = layout(landscape)
        positions = {f"forum:{f}": xy for f, xy in grid.forum_xy.items()}
        positions.update({f"agency:{a}": xy for a, xy in grid.agency_xy.items()})

    node_of = {f: f"forum:{f}" for f in forum_name}
    node_of.update({a: f"agency:{a}" for a in agency_name if a not in node_of})

    # -- forums ------------------------------------------------------------------------------------------------
    seat_rows_by_forum = _seat_rows(landscape)
    agencies_per_forum = seats.groupby("forum_id")["agency_id"].nunique().to_dict()
    cohort_sizes = landscape.cohorts.groupby("forum_id")["person"].nunique().to_dict() if len(landscape.cohorts) else {}
    forum_records = forums.to_dict("records")
    nodes: list[dict] = []
    details: dict[str, dict] = {}
    areas = sorted({_text(r["area"]) for r in forum_records if _text(r["area"])})
    for r in forum_records:
        fid = r["forum_id"]
        if fid not in shown_forums:
            continue
        node_id = f"forum:{fid}"
        level = r["level"] or "operational"
        status = r["status"] or "active"
        style = LEVEL_STYLE.get(level, LEVEL_STYLE["operational"])
        faded = status in ("ended", "merged")
        colours = FADED if faded else style
        own = by_subject.get(fid, [])
        worst = _worst(own)
        n_agencies = int(agencies_per_forum.get(fid, 0))
        label = r["name"]
        if status == "merged":
            target = forum_name.get(r["merged_into"], r["merged_into"])
            label += f"\n(merged into {target})" if target else "\n(merged)"
        elif status in ("ended", "paused"):
            label += f"\n({status})"
        if view == "forums":
            label += f"\n{n_agencies} agenc{'y' if n_agencies == 1 else 'ies'}"
        title_lines = [r["name"], f"{style['label']} forum" + ("" if status == "active" else f" — {status}")]
        if r["frequency"]:
            title_lines.append(f"Meets {FREQUENCY_WORDS.get(r['frequency'], r['frequency'])}")
        title_lines.append(f"{n_agencies} agenc{'y' if n_agencies == 1 else 'ies'} at the table")
        if own:
            title_lines.append(f"{len(own)} finding{'s' if len(own) != 1 else ''} — click for details")
        x, y = positions.get(node_id, (0.0, 0.0))
        node = {
            "id": node_id, "label": label, "title": "\n".join(title_lines), "shape": "box", "x": x, "y": y,
            "color": {"background": colours["background"], "border": SEVERITY_COLOURS[worst] if worst else colours["border"],
                      "highlight": {"background": colours["background"], "border": "#000000"}},
            "font": {"color": colours["font"], "size": 20 if level == "strategic" else 18},
            "borderWidth": SEVERITY_WIDTH[worst] if worst else 1.5,
            "widthConstraint": {"maximum": 200},
            "margin": 9,
            "kind": "forum", "level": level, "status": status, "area": _text(r["area"]),
            "cats": sorted({f.category for f in own}),
        }
        if faded:
            node["shapeProperties"] = {"borderDashes": [6, 4]}
            node["opacity"] = 0.75
        if fid == focus:
            node["font"]["size"] = 18
        nodes.append(node)
        details[node_id] = {
            "kind": "forum", "name": r["name"], "level": style["label"],
            "status": status.capitalize() + (f" (into {forum_name.get(r['merged_into'], r['merged_into'])})"
                                              if status == "merged" and r["merged_into"] else ""),
            "frequency": FREQUENCY_WORDS.get(r["frequency"], r["frequency"]) or "not recorded",
            "chair": agency_name.get(r["chair_agency"], r["chair_agency"]) or "not recorded",
            "area": _text(r["area"]) or "not recorded",
            "purpose": _text(r.get("purpose", "")),
            "themes": ", ".join(r["themes"]) if isinstance(r["themes"], tuple) else _text(r["themes"]),
            "voice": {"none": "No — the person is not represented", "representative": "Represented by someone speaking for them",
                      "person": "The person attends"}.get(r["person_voice"], "not recorded"),
            "lastMet": r["last_met"].date().isoformat() if pd.notna(r["last_met"]) else "not recorded",
            "people": people_count(cohort_sizes.get(fid, 0), suppress) if fid in cohort_sizes else "no case list",
            "seats": seat_rows_by_forum.get(fid, []),
            "findings": [f.id for f in own],
        }

    # Tier names at the left of each tier, and area names above their blocks when there is more than one area.
    if view != "focus":
        for i, (level, x, y) in enumerate(layout(landscape).tier_xy or ()):
            nodes.append({"id": f"tier:{i}", "label": LEVEL_STYLE[level]["label"].upper(), "shape": "text", "x": x,
                          "y": y, "kind": "tier", "level": level, "cats": [],
                          "font": {"size": 22, "color": "#5a6b7d", "face": "Segoe UI, Arial, sans-serif"}})
        for area, (x, y) in sorted((layout(landscape).area_xy or {}).items()):
            nodes.append({"id": f"area:{area}", "label": area, "shape": "text", "x": x, "y": y, "kind": "area",
                          "area": area, "font": {"size": 64, "color": "#0b2545", "face": "Segoe UI, Arial, sans-serif"},
                          "cats": []})

    # -- agencies ----------------------------------------------------------------------------------------------
    agency_forums: dict[str, list] = defaultdict(list)
    for s in seats[["agency_id", "forum_id", "role"]].itertuples(index=False):
        agency_forums[s.agency_id].append((s.forum_id, s.role))
    sectors_present = []
    forum_area = {r["forum_id"]: _text(r["area"]) for r in forum_records}
    for r in landscape.agencies.to_dict("records"):
        aid = r["agency_id"]
        sector = r["sector"]
        if sector and sector not in sectors_present:
            sectors_present.append(sector)
        if aid not in shown_agencies:
            continue
        node_id = f"agency:{aid}"
        own = by_subject.get(aid, [])
        worst = _worst(own)
        colour = SECTOR_COLOURS.get(sector, "#7F7F7F")
        sits = agency_forums.get(aid, [])
        x, y = positions.get(node_id, (0.0, 0.0))
        title = [r["name"], SECTOR_LABELS.get(sector, sector),
                 f"Sits on {len({f for f, _ in sits})} forum{'s' if len({f for f, _ in sits}) != 1 else ''}"]
        if own:
            title.append(f"{len(own)} finding{'s' if len(own) != 1 else ''} — click for details")
        nodes.append({
            "id": node_id, "label": r["name"], "title": "\n".join(title), "shape": "dot",
            "size": 10 + min(len(sits), 12), "x": x, "y": y,
            "color": {"background": colour, "border": SEVERITY_COLOURS[worst] if worst else "#ffffff",
                      "highlight": {"background": colour, "border": "#000000"}},
            "borderWidth": 4 if worst else 1.5,
            "font": {"size": 13, "color": "#333333", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "widthConstraint": {"maximum": 112},  # wrap long names so neighbouring labels do not run together
            "kind": "agency", "sector": sector, "cats": sorted({f.category for f in own}),
            "areas": sorted({forum_area.get(f, "") for f, _ in sits} - {""}),
        })
        details[node_id] = {
            "kind": "agency", "name": r["name"], "sector": SECTOR_LABELS.get(sector, sector),
            "parent": agency_name.get(r["parent"], r["parent"]) or "",
            "forums": [{"forum": forum_name.get(f, f), "forumNode": f"forum:{f}", "role": role} for f, role in sits],
            "findings": [f.id for f in own],
        }

    # -- edges -------------------------------------------------------------------------------------------------
    edges: list[dict] = []
    if shown_agencies:
        seat_forums = {focus} if view == "focus" else shown_forums  # a neighbour's seats would only add clutter
        shown_seats = seats[seats["forum_id"].isin(seat_forums) & seats["agency_id"].isin(shown_agencies)]
        for i, s in enumerate(shown_seats.to_dict("records")):
            attendance = s["attendance"]
            known = attendance == attendance and attendance is not None
            width = 1 + 5 * float(attendance) if known else 1
            edges.append({
                "id": f"seat:{i}", "from": f"forum:{s['forum_id']}", "to": f"agency:{s['agency_id']}",
                "kind": "seat", "width": round(width, 2),
                "color": {"color": SEAT_COLOUR, "opacity": 0.4}, "dashes": not known,
                "title": f"{agency_name.get(s['agency_id'], s['agency_id'])} on {forum_name.get(s['forum_id'], s['forum_id'])}"
                         f" as {s['role'] or 'member'}: {_attendance_text(s['meetings_attended'], s['meetings_held'])}",
            })
    for i, link in enumerate(landscape.links.to_dict("records")):
        a, b = link["from_forum"], link["to_forum"]
        if a not in shown_forums or b not in shown_forums or a == b:
            continue
        style = LINK_STYLE.get(link["type"], LINK_STYLE["refers_to"])
        via = f" (via {link['via_post']})" if link["via_post"] else ""
        edges.append({
            "id": f"link:{i}", "from": f"forum:{a}", "to": f"forum:{b}", "kind": "link", "linkType": link["type"],
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.8}}, "width": 2.5,
            "color": {"color": style["colour"], "opacity": 0.95}, "dashes": style["dashes"],
            "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.18},
            "title": f"{forum_name.get(a, a)} {style['label'].lower()} {forum_name.get(b, b)}{via}",
        })
    if overlaps:
        kept = [p for p in overlaps if p[0] in shown_forums and p[1] in shown_forums]
        if view != "focus" and len(kept) > MAX_OVERLAP_EDGES_PER_FORUM * max(len(shown_forums), 1):
            # Keep the strongest overlaps so a large landscape stays legible.
            kept = sorted(kept, key=lambda p: (-p[2], p[0], p[1]))[:MAX_OVERLAP_EDGES_PER_FORUM * len(shown_forums)]
        for a, b, n in kept:
            shown = people_count(n, suppress)
            number = people_number(n, suppress)
            width = 1.5 if number is None else 1.5 + min(6.0, 1.2 * math.log2(1 + number))
            edges.append({
                "id": f"overlap:{a}|{b}", "from": f"forum:{a}", "to": f"forum:{b}", "kind": "overlap",
                "width": round(width, 2), "label": shown,
                "font": {"size": 14, "color": OVERLAP_COLOUR, "strokeWidth": 3, "strokeColor": "#ffffff"},
                "color": {"color": OVERLAP_COLOUR, "opacity": 0.6}, "dashes": False,
                "smooth": {"enabled": True, "type": "curvedCCW", "roundness": 0.25},
                "title": f"{shown} people discussed at both {forum_name.get(a, a)} and {forum_name.get(b, b)}",
            })

    large = len(nodes) > LARGE_MAP_NODES
    if large:  # curves and edge labels cost far more to lay out and draw than plain lines on a large map
        for edge in edges:
            if "smooth" in edge:
                edge["smooth"] = False
            if edge["kind"] == "overlap":
                edge.pop("label", None)
                edge.pop("font", None)

    # -- missing partners: dashed placeholders beside the forums that lack them ---------------------------------
    placeholders = 0
    missing_by_forum: dict[str, list[str]] = defaultdict(list)
    paper_only: set[tuple[str, str]] = set()
    for finding in findings:
        if finding.category != "missing_partner" or not finding.subjects:
            continue
        fid = finding.subjects[0]
        if fid not in shown_forums:
            continue
        for sector in finding.evidence.get("sectors", []) or []:
            if sector not in missing_by_forum[fid]:
                missing_by_forum[fid].append(sector)
            if "paper" in finding.rule:  # a seat held on paper only: missing in practice
                paper_only.add((fid, sector))
    total_missing = sum(len(v) for v in missing_by_forum.values())
    draw_placeholders = total_missing <= MAX_PLACEHOLDERS
    if draw_placeholders:
        for fid in sorted(missing_by_forum):
            fx, fy = positions.get(f"forum:{fid}", (0.0, 0.0))
            sectors = missing_by_forum[fid]
            for k, sector in enumerate(sectors[:4]):
                label = f"{SECTOR_LABELS.get(sector, sector)} — missing"
                reason = "is expected at {forum} but has no seat"
                if (fid, sector) in paper_only:
                    label += " in practice"
                    reason = "holds a seat at {forum} on paper only (attends under half the meetings)"
                if k == 3 and len(sectors) > 4:
                    label, reason = f"and {len(sectors) - 3} more missing", "are missing from {forum}"
                node_id = f"missing:{fid}:{sector}"
                nodes.append({
                    "id": node_id, "label": label, "shape": "box", "x": fx + 8, "y": fy - 62 - 30 * k,
                    "title": f"{label.split(' — ')[0]} {reason.format(forum=forum_name.get(fid, fid))}",
                    "color": {"background": "#ffffff", "border": MISSING_COLOUR,
                              "highlight": {"background": "#fff5f5", "border": MISSING_COLOUR}},
                    "font": {"color": MISSING_COLOUR, "size": 14}, "borderWidth": 1.5,
                    "shapeProperties": {"borderDashes": [4, 3]}, "margin": 4,
                    "kind": "missing", "sector": sector, "forum": fid, "cats": ["missing_partner"],
                })
                edges.append({
                    "id": f"missing-edge:{fid}:{sector}", "from": f"forum:{fid}", "to": node_id, "kind": "missing",
                    "dashes": [4, 3], "width": 1, "color": {"color": MISSING_COLOUR, "opacity": 0.7},
                    "title": f"{SECTOR_LABELS.get(sector, sector)} missing from {forum_name.get(fid, fid)}",
                })
                placeholders += 1
    for fid, sectors in missing_by_forum.items():
        if f"forum:{fid}" in details:
            details[f"forum:{fid}"]["missing"] = [SECTOR_LABELS.get(s, s) for s in sectors]

    # -- findings, legend and filters --------------------------------------------------------------------------
    suggestions: dict[str, int] = {}
    finding_records = [_finding_record(f, node_of, suggestions) for f in findings]
    shown_nodes = {n["id"] for n in nodes}
    for record in finding_records:
        record["nodes"] = [n for n in record["nodes"] if n in shown_nodes]
    if view == "focus":  # only what bears on the forum and its neighbours
        finding_records = [r for r in finding_records if r["nodes"]]
        findings = [f for f in findings if any(node_of.get(s) in shown_nodes for s in f.subjects)]
    levels_present = [lv for lv in VOCABULARIES["level"] if (forums["level"] == lv).any()]
    link_types = [t for t in VOCABULARIES["link_type"] if (landscape.links["type"] == t).any()]
    categories_present = [c for c in CATEGORIES if any(f.category == c for f in findings)]
    if view == "focus":
        sectors_present = [sector_of.get(a, "") for a in shown_agencies]
    sectors_ordered = [s for s in SECTOR_LABELS if s in sectors_present]
    return {
        "view": view,
        "focus": focus,
        "nodes": nodes,
        "edges": edges,
        "details": details,
        "findings": finding_records,
        "agencies": {aid: [name, SECTOR_LABELS.get(sector_of.get(aid, ""), "")] for aid, name in agency_name.items()},
        "suggestions": list(suggestions),
        "meamLabels": {code: meam_label(code) for code in sorted({m for r in finding_records for m in r["meam"]})},
        "categoryLabels": CATEGORY_LABELS,
        "legend": {
            "levels": [{"key": lv, "label": LEVEL_STYLE[lv]["label"], **{k: LEVEL_STYLE[lv][k] for k in ("background", "border", "font")}}
                       for lv in levels_present],
            "faded": FADED,
            "sectors": [{"key": s, "label": SECTOR_LABELS[s], "colour": SECTOR_COLOURS[s]} for s in sectors_ordered],
            "links": [{"key": t, "label": LINK_STYLE[t]["label"], "colour": LINK_STYLE[t]["colour"],
                       "dashes": LINK_STYLE[t]["dashes"]} for t in link_types],
            "severities": [{"key": s, "label": s.capitalize(), "colour": SEVERITY_COLOURS[s]} for s in SEVERITIES],
            "overlap": OVERLAP_COLOUR, "seat": SEAT_COLOUR, "missing": MISSING_COLOUR,
            "hasOverlap": any(e["kind"] == "overlap" for e in edges),
            "hasMissing": placeholders > 0,
            "hasAgencies": bool(shown_agencies),
        },
        "filters": {
            "levels": levels_present, "sectors": sectors_ordered, "areas": areas,
            "categories": [{"key": c, "label": CATEGORY_LABELS[c]} for c in categories_present],
        },
        # On a large map the shared-people edges start hidden (a tick box shows them): drawing thousands of extra
        # edges would double the time before the map can be used.
        "defaults": {"overlap": not large},
        "counts": {"forums": len(shown_forums), "agencies": len(shown_agencies), "placeholders": placeholders,
                   "missingNotDrawn": 0 if draw_placeholders else total_missing},
    }


def node_count(landscape: Landscape, findings=()) -> int:
    """How many nodes the whole-system view would draw (forums, agencies, missing-partner placeholders)."""
    missing = sum(len(f.evidence.get("sectors", []) or []) for f in findings if f.category == "missing_partner")
    return len(landscape.forums) + len(landscape.agencies) + min(missing, MAX_PLACEHOLDERS)
