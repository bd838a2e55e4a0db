"""The map's network as plain data: vis-network node and edge dicts plus the details the side panel shows.

One small builder per element of the map (forums, tier and area labels, agencies, seats, links, shared people,
missing-partner badges, the overview of areas, findings, legend, filters, the accessible table), each reading a
:class:`Scene` — what is drawn and where. Colours and shapes come from :mod:`mcn_map.render.style`; node ids from
:func:`mcn_map.graphs.forum_node` and :func:`~mcn_map.graphs.agency_node`. Edge ids are positional, so any printable
character in a forum or agency id is safe. Every count of people goes through
:func:`~mcn_map.privacy.suppression.people_count`. Tooltips are plain text; vis-network 9 shows string titles
with ``innerText``, never as HTML.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..analyses.findings import CATEGORIES, SEVERITIES, Finding
from ..analyses.ranking import headline
from ..change.responses import response_summary
from ..graphs import agency_node, forum_node
from ..kinds import KINDS, infer as infer_kind
from ..memo import Memo, memo_for
from ..model import Landscape
from ..privacy.suppression import people_count, people_number
from ..loading.schema import SECTOR_LABELS, VOCABULARIES
from .layout import BOX_WIDTH, focus_layout, layout
from .overview import (RATE_COLOURS, RATES, area_figures, area_pairs, case_forums_missing, line_width, rate_colour,
                       rate_steps)
from .style import (AGENCY_FONT, FADED, FLOW_COLOUR, FONT_FACE, FORUM_FONT, LEVEL_STYLE, LINK_STYLE, MISSING_COLOUR, OVERLAP_COLOUR,
                    SEAT_COLOUR, SEAT_HIGHLIGHT, SECTOR_COLOURS, SECTOR_FAMILIES, SECTOR_SHAPES, SEVERITY_COLOURS,
                    SEVERITY_WIDTH, family_of)

__all__ = [
    "MAX_FULL_MAP_NODES", "LARGE_MAP_NODES", "OVERVIEW_FORUMS", "MAX_OVERVIEW_ELEMENTS", "RINGED_FINDINGS",
    "LEVEL_STYLE", "SECTOR_COLOURS", "LINK_STYLE", "SEVERITY_COLOURS", "FADED", "MISSING_COLOUR", "CATEGORY_LABELS",
    "MEAM_LABELS", "map_data", "overlap_pairs", "meam_label", "node_count", "ringed_subjects", "missing_partners", "partner_gaps", "badge_text",
    "table_rows",
]

# Above this many nodes the whole-system map is a hairball nobody can read (and slow to draw): show forums only.
MAX_FULL_MAP_NODES = 3000
MAX_OVERLAP_EDGES_PER_FORUM = 3
LARGE_MAP_NODES = 1200  # above this: straight edges, unlabelled overlaps, overlaps hidden until asked for
OVERVIEW_FORUMS = 40  # more forums than this, in more than one area: the map opens on an overview of areas
MAX_OVERVIEW_ELEMENTS = 60
FORUM_MARGIN = 10
MAX_OVERLAPS_SHOWN = 60  # more shared-people lines than this start hidden (a tick box shows them)
TIER_FONT = 26  # tier names at the left of each tier, in canvas pixels
RINGED_FINDINGS = 6  # rings mark the forums in this many top findings (ranking.headline), and no others

CATEGORY_LABELS = {
    "duplication": "Duplication",
    "missing_partner": "Missing partners",
    "weak_link": "Weak strategic–operational links",
    "person_voice": "The person's voice",
    "key_person": "Expertise held by a few people",
    "attendance": "Attendance",
    "seniority": "Seniority at the table",
    "burden": "Workload: meetings and caseloads",
    "knowledge": "What the chairs know of each other",
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




def ringed_subjects(findings, n: int = RINGED_FINDINGS) -> dict[str, str]:
    """{subject id: worst severity} over the top ``n`` findings (:func:`mcn_map.analyses.ranking.headline`)."""
    ringed: dict[str, str] = {}
    for finding in headline(list(findings), n):
        for subject in finding.subjects:
            if subject not in ringed or SEVERITIES.index(finding.severity) < SEVERITIES.index(ringed[subject]):
                ringed[subject] = finding.severity
    return ringed


def partner_gaps(missing: list[tuple[str, bool]]) -> list[str]:
    """Each expected partner a forum lacks, labelled: "Mental health", or "Probation (on paper only)" for a seat that
    is held but not attended — never called missing from the table."""
    return [SECTOR_LABELS.get(s, s) + (" (on paper only)" if paper else "") for s, paper in missing]


def badge_text(missing: list[tuple[str, bool]]) -> str:
    """The badge on a forum's box: "✕ 3 missing", "✕ 2 missing, 1 on paper" or "✕ 1 on paper only"."""
    paper = sum(1 for _, on_paper in missing if on_paper)
    absent = len(missing) - paper
    if not absent:
        return f"\u2715 {paper} on paper only"
    return f"\u2715 {absent} missing" + (f", {paper} on paper" if paper else "")


def missing_partners(findings) -> dict[str, list[tuple[str, bool]]]:
    """{forum_id: [(sector, held on paper only), ...]} from the missing-partner findings, in finding order."""
    missing: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for finding in findings:
        if finding.category != "missing_partner" or not finding.subjects:
            continue
        forum = finding.subjects[0]
        for sector in finding.evidence.get("sectors", []) or []:
            if sector not in {s for s, _ in missing[forum]}:
                missing[forum].append((sector, "paper" in finding.rule))
    return dict(missing)


@dataclass
class Scene:
    """What one map draws and where: the landscape, its findings, the forums and agencies shown, their positions."""

    landscape: Landscape
    findings: list
    view: str
    focus: str | None
    suppress: bool
    shown_forums: set
    shown_agencies: set
    positions: dict
    overlaps: list
    flows: list = field(default_factory=list)  # (from forum, to forum, people): people discussed at one, then the other
    by_subject: dict = field(default_factory=dict)
    ringed: dict = field(default_factory=dict)
    missing: dict = field(default_factory=dict)
    memo: Memo | None = None  # the build's: the layout is worked out once
    overview_groups: list = field(default_factory=list)  # the areas each overview element stands for
    overview_rate: str = "people"  # what the overview's colours measure (mcn_map.render.overview.RATES)
    overview_steps: tuple = ()  # where its colours change


def _scene(landscape: Landscape, findings, *, overlap, view, focus, suppress, show_overlap, flows=(),
           memo: Memo | None = None) -> Scene:
    forum_name = landscape.forum_name
    seats = landscape.seats
    overlaps = overlap_pairs(landscape, overlap) if show_overlap else []
    if view == "focus":
        if focus not in forum_name:
            from ..errors import McnMapError

            known = ", ".join(sorted(forum_name)[:10])
            raise McnMapError(f"forum '{focus}' is not in the forums sheet (forum_ids include: {known}).")
        links = landscape.links
        shown_forums = {focus}
        shown_forums |= set(links.loc[links["from_forum"] == focus, "to_forum"])
        shown_forums |= set(links.loc[links["to_forum"] == focus, "from_forum"])
        shown_forums |= {b for a, b, _ in overlaps if a == focus} | {a for a, b, _ in overlaps if b == focus}
        shown_forums &= set(forum_name)
        shown_agencies = set(seats.loc[seats["forum_id"] == focus, "agency_id"])
        positions = focus_layout(landscape, focus, shown_forums, shown_agencies)
    else:
        shown_forums = set(forum_name)
        shown_agencies = set(landscape.agency_ids) if view == "system" else set()
        grid = layout(landscape, memo)
        positions = {forum_node(f): xy for f, xy in grid.forum_xy.items()}
        positions.update({agency_node(a): xy for a, xy in grid.agency_xy.items()})
    return Scene(landscape, findings, view, focus, suppress, shown_forums, shown_agencies, positions, overlaps,
                 flows=list(flows), by_subject=_findings_by_subject(findings), ringed=ringed_subjects(findings),
                 missing={f: m for f, m in missing_partners(findings).items() if f in shown_forums}, memo=memo)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


# -- forums ----------------------------------------------------------------------------------------------------

MAX_LABEL = 46  # about four lines in a forum box; the full name is in the tooltip, the details and the table


def _forum_label(scene: Scene, r: dict, n_agencies: int) -> str:
    name = str(r["name"])
    label = name if len(name) <= MAX_LABEL else name[:MAX_LABEL - 1].rsplit(" ", 1)[0] + "…"
    status = r["status"] or "active"
    if status in ("ended", "merged", "paused"):
        label += f"\n({status})"
    if scene.view == "forums":
        label += f"\n{n_agencies} agenc{'y' if n_agencies == 1 else 'ies'}"
    return label


def _forum_title(scene: Scene, r: dict, n_agencies: int, own: list) -> str:
    style = LEVEL_STYLE.get(r["level"] or "operational", LEVEL_STYLE["operational"])
    status = r["status"] or "active"
    lines = [r["name"], f"{style['label']} forum" + ("" if status == "active" else f" — {status}")]
    if status == "merged" and r["merged_into"]:
        lines[-1] += f" into {scene.landscape.forum_name.get(r['merged_into'], r['merged_into'])}"
    if r["frequency"]:
        lines.append(f"Meets {FREQUENCY_WORDS.get(r['frequency'], r['frequency'])}")
    lines.append(f"{n_agencies} agenc{'y' if n_agencies == 1 else 'ies'} at the table")
    missing = scene.missing.get(r["forum_id"], [])
    if missing:
        lines.append("Missing: " + ", ".join(partner_gaps(missing)))
    if own:
        lines.append(f"{_plural(len(own), 'finding')} — click for details")
    return "\n".join(lines)


def forum_element(scene: Scene, r: dict, n_agencies: int) -> dict:
    """One forum: a box coloured by tier, one width, ringed only when it is in the top findings."""
    fid = r["forum_id"]
    level = r["level"] or "operational"
    status = r["status"] or "active"
    style = LEVEL_STYLE.get(level, LEVEL_STYLE["operational"])
    faded = status in ("ended", "merged")
    colours = FADED if faded else style
    own = scene.by_subject.get(fid, [])
    ring = scene.ringed.get(fid)
    x, y = scene.positions.get(forum_node(fid), (0.0, 0.0))
    node = {
        "id": forum_node(fid), "label": _forum_label(scene, r, n_agencies), "title": _forum_title(scene, r, n_agencies, own),
        "shape": "box", "x": x, "y": y,
        "color": {"background": colours["background"], "border": SEVERITY_COLOURS[ring] if ring else colours["border"],
                  "highlight": {"background": colours["background"], "border": "#000000"},
                  "hover": {"background": colours["background"], "border": "#000000"}},
        "font": {"color": colours["font"], "size": FORUM_FONT.get(level, 22), "face": FONT_FACE},
        "borderWidth": SEVERITY_WIDTH[ring] if ring else 1.5,
        "borderWidthSelected": (SEVERITY_WIDTH[ring] if ring else 1.5) + 2,
        "widthConstraint": {"minimum": BOX_WIDTH, "maximum": BOX_WIDTH},  # one width: spacing prevents overlaps
        "margin": FORUM_MARGIN,
        "kind": "forum", "level": level, "status": status, "area": _text(r["area"]),
        "cats": sorted({f.category for f in own}),
    }
    if ring:
        node["ring"] = ring
    missing = scene.missing.get(fid)
    if missing:  # drawn as a badge on the box by map.js
        node["missing"] = partner_gaps(missing)
        node["badge"] = badge_text(missing)
    if faded:
        node["shapeProperties"] = {"borderDashes": [6, 4]}
        node["opacity"] = 0.8
    return node


def national_kind(r: dict) -> str:
    """The forum's national kind as people read it ("MARAC"), from the kind column or inferred from its name; ""
    for a local forum."""
    key = r.get("kind") or infer_kind(r["name"], r["level"] or "")
    return KINDS[key].label if key in KINDS else ""


def forum_detail(scene: Scene, r: dict, seat_rows: list, cohort_sizes: dict) -> dict:
    landscape = scene.landscape
    forum_name, agency_name = landscape.forum_name, landscape.agency_name
    fid = r["forum_id"]
    status = r["status"] or "active"
    level = r["level"] or "operational"
    detail = {
        "kind": "forum", "name": r["name"], "level": LEVEL_STYLE.get(level, LEVEL_STYLE["operational"])["label"],
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
        "people": people_count(cohort_sizes.get(fid, 0), scene.suppress) if fid in cohort_sizes else "no case list",
        "seats": seat_rows,
        "findings": [f.id for f in scene.by_subject.get(fid, [])],
        "nationalKind": national_kind(r),
    }
    if fid in scene.missing:
        detail["missing"] = partner_gaps(scene.missing[fid])
    return detail


def forum_elements(scene: Scene) -> tuple[list[dict], dict]:
    landscape = scene.landscape
    seat_rows = _seat_rows(landscape)
    per_forum = landscape.seats.groupby("forum_id")["agency_id"].nunique().to_dict()
    cohorts = landscape.cohorts
    cohort_sizes = cohorts.groupby("forum_id")["person"].nunique().to_dict() if len(cohorts) else {}
    nodes, details = [], {}
    for r in landscape.forums.to_dict("records"):
        if r["forum_id"] not in scene.shown_forums:
            continue
        node = forum_element(scene, r, int(per_forum.get(r["forum_id"], 0)))
        nodes.append(node)
        details[node["id"]] = forum_detail(scene, r, seat_rows.get(r["forum_id"], []), cohort_sizes)
    return nodes, details


def tier_labels(scene: Scene) -> list[dict]:
    """Tier names at the left of each tier."""
    if scene.view == "focus":
        return []
    # vis-network centres a text node on x: the name is moved left by half its width (upper case at about 0.7 em a
    # letter), so it ends a clear gap left of the first box whatever its length.
    return [{"id": f"tier:{i}", "label": label, "shape": "text", "x": x + 80 - 0.36 * TIER_FONT * len(label), "y": y,
             "kind": "tier", "level": level, "cats": [],
             "font": {"size": TIER_FONT, "color": "#4a5a6b", "face": FONT_FACE}}
            for i, (level, x, y) in enumerate(layout(scene.landscape, scene.memo).tier_xy or ())
            for label in [LEVEL_STYLE[level]["label"].upper()]]


def area_labels(scene: Scene) -> list[dict]:
    """Area names above their blocks, when there is more than one area."""
    if scene.view == "focus":
        return []
    return [{"id": f"area:{i}", "label": area, "shape": "text", "x": x, "y": y, "kind": "area", "area": area,
             "font": {"size": 60, "color": "#0b2545", "face": FONT_FACE}, "cats": []}
            for i, (area, (x, y)) in enumerate(sorted((layout(scene.landscape, scene.memo).area_xy or {}).items()))]


# -- agencies --------------------------------------------------------------------------------------------------

AGENCY_LABEL_WIDTH = 104


def _label_box(name: str, x: float, y: float, size: float, font: float = AGENCY_FONT) -> tuple[float, float, float, float]:
    """Roughly where vis-network writes an agency's label: wrapped under its shape, about half an em a character."""
    per_line = max(1, int(AGENCY_LABEL_WIDTH / (font * 0.52)))
    lines = max(1, math.ceil(len(str(name)) / per_line))
    width = min(AGENCY_LABEL_WIDTH, len(str(name)) * font * 0.52)
    top = y + size + 2
    return (x - width / 2, top, x + width / 2, top + lines * font * 1.25)


def unlabelled_agencies(records: list[dict], positions: dict, sizes: dict, font: float = AGENCY_FONT) -> set[str]:
    """Agencies whose label would overlap one already placed (busiest agencies placed first): these show their
    name on hover or selection only, so labels never draw on top of each other."""
    placed: list[tuple[float, float, float, float]] = []
    crowded: set[str] = set()
    for r in sorted(records, key=lambda r: (-sizes.get(r["agency_id"], 0), str(r["name"]), r["agency_id"])):
        x, y = positions.get(agency_node(r["agency_id"]), (0.0, 0.0))
        box = _label_box(r["name"], x, y, sizes.get(r["agency_id"], 8), font)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
            crowded.add(r["agency_id"])
        else:
            placed.append(box)
    return crowded

def agency_elements(scene: Scene) -> tuple[list[dict], dict, list[str]]:
    """Agencies as small shapes — colour and shape by sector family — labelled only when zoomed in (map.js)."""
    landscape = scene.landscape
    forum_name, agency_name = landscape.forum_name, landscape.agency_name
    sits: dict[str, list] = defaultdict(list)
    for s in landscape.seats[["agency_id", "forum_id", "role"]].itertuples(index=False):
        sits[s.agency_id].append((s.forum_id, s.role))
    forum_area = dict(zip(landscape.forums["forum_id"], landscape.forums["area"].map(_text)))
    nodes, details, sectors_present = [], {}, []
    records = landscape.agencies.to_dict("records")
    sizes = {aid: 8 + min(len({f for f, _ in sat}), 8) for aid, sat in sits.items()}
    shown = [r for r in records if r["agency_id"] in scene.shown_agencies]
    font = AGENCY_FONT * (1.5 if scene.view == "focus" else 1)  # few agencies in a focus view: larger names
    crowded = unlabelled_agencies(shown, scene.positions, sizes, font) if len(shown) <= 3000 else set()
    for r in records:
        aid, sector = r["agency_id"], r["sector"]
        if sector and sector not in sectors_present:
            sectors_present.append(sector)
        if aid not in scene.shown_agencies:
            continue
        own = scene.by_subject.get(aid, [])
        ring = scene.ringed.get(aid)
        colour = SECTOR_COLOURS.get(sector, "#999999")
        forums = {f for f, _ in sits.get(aid, [])}
        x, y = scene.positions.get(agency_node(aid), (0.0, 0.0))
        title = [r["name"], SECTOR_LABELS.get(sector, sector), f"Sits on {_plural(len(forums), 'forum')}"]
        if own:
            title.append(f"{_plural(len(own), 'finding')} — click for details")
        nodes.append({
            "id": agency_node(aid), "label": r["name"], "title": "\n".join(title),
            "shape": SECTOR_SHAPES.get(sector, "hexagon"), "size": sizes.get(aid, 8), "x": x, "y": y,
            "color": {"background": colour, "border": SEVERITY_COLOURS[ring] if ring else "#333333",
                      "highlight": {"background": colour, "border": "#000000"},
                      "hover": {"background": colour, "border": "#000000"}},
            "borderWidth": 4 if ring else 1,
            "font": {"size": font, "color": "#1b1b1b", "strokeWidth": 4,
                     "strokeColor": "#ffffff", "face": FONT_FACE},
            "widthConstraint": {"maximum": 104},  # wrap long names so neighbouring labels do not run together
            "kind": "agency", "sector": sector, "family": family_of(sector), "cats": sorted({f.category for f in own}),
            "labelled": aid not in crowded,
            "areas": sorted({forum_area.get(f, "") for f in forums} - {""}),
        })
        details[agency_node(aid)] = {
            "kind": "agency", "name": r["name"], "sector": SECTOR_LABELS.get(sector, sector),
            "parent": agency_name.get(r["parent"], r["parent"]) or "",
            "forums": [{"forum": forum_name.get(f, f), "forumNode": forum_node(f), "role": role}
                       for f, role in sits.get(aid, [])],
            "findings": [f.id for f in own],
        }
    return nodes, details, sectors_present


# -- edges -----------------------------------------------------------------------------------------------------

def seat_edges(scene: Scene) -> list[dict]:
    """Seats: light lines (thicker = attends more) brought forward when their forum or agency is hovered or selected."""
    if not scene.shown_agencies:
        return []
    landscape = scene.landscape
    forum_name, agency_name = landscape.forum_name, landscape.agency_name
    seats = landscape.seats
    seat_forums = {scene.focus} if scene.view == "focus" else scene.shown_forums  # a neighbour's seats: clutter
    shown = seats[seats["forum_id"].isin(seat_forums) & seats["agency_id"].isin(scene.shown_agencies)]
    edges = []
    for i, s in enumerate(shown.to_dict("records")):
        attendance = s["attendance"]
        known = attendance == attendance and attendance is not None
        edges.append({
            "id": f"seat:{i}", "from": forum_node(s["forum_id"]), "to": agency_node(s["agency_id"]),
            "kind": "seat", "width": round(0.6 + 3 * float(attendance), 2) if known else 0.6,
            "color": {"color": SEAT_COLOUR, "highlight": SEAT_HIGHLIGHT, "hover": SEAT_HIGHLIGHT, "inherit": False},
            "dashes": not known,
            "title": f"{agency_name.get(s['agency_id'], s['agency_id'])} on {forum_name.get(s['forum_id'], s['forum_id'])}"
                     f" as {s['role'] or 'member'}: {_attendance_text(s['meetings_attended'], s['meetings_held'])}",
        })
    return edges


def link_edges(scene: Scene) -> list[dict]:
    """Links between forums: arrows styled by type (colour and dash pattern)."""
    forum_name = scene.landscape.forum_name
    edges = []
    for i, link in enumerate(scene.landscape.links.to_dict("records")):
        a, b = link["from_forum"], link["to_forum"]
        if a not in scene.shown_forums or b not in scene.shown_forums or a == b:
            continue
        style = LINK_STYLE.get(link["type"], LINK_STYLE["refers_to"])
        via = f" (via {link['via_post']})" if link["via_post"] else ""
        edges.append({
            "id": f"link:{i}", "from": forum_node(a), "to": forum_node(b), "kind": "link", "linkType": link["type"],
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.9}}, "width": 3,
            "color": {"color": style["colour"], "highlight": style["colour"], "hover": style["colour"], "opacity": 0.9},
            "dashes": style["dashes"],
            "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.15},
            "title": f"{forum_name.get(a, a)} {style['label'].lower()} {forum_name.get(b, b)}{via}",
        })
    return edges


def _strongest(scene: Scene, pairs, *, keep_all: bool = False) -> list:
    """The (forum, forum, people) pairs between shown forums; past a few per forum, the largest (people, then ids)."""
    kept = [p for p in pairs if p[0] in scene.shown_forums and p[1] in scene.shown_forums]
    limit = MAX_OVERLAP_EDGES_PER_FORUM * max(len(scene.shown_forums), 1)
    if keep_all or len(kept) <= limit:
        return kept
    return sorted(kept, key=lambda p: (-p[2], p[0], p[1]))[:limit]


def overlap_edges(scene: Scene) -> list[dict]:
    """People discussed at two forums: the strongest few per forum, counted under the small-number rule."""
    forum_name = scene.landscape.forum_name
    kept = _strongest(scene, scene.overlaps, keep_all=scene.view == "focus")
    edges = []
    for i, (a, b, n) in enumerate(kept):
        shown = people_count(n, scene.suppress)
        number = people_number(n, scene.suppress)
        width = 1.5 if number is None else 1.5 + min(6.0, 1.2 * math.log2(1 + number))
        edges.append({
            "id": f"overlap:{i}", "from": forum_node(a), "to": forum_node(b), "kind": "overlap",
            "width": round(width, 2), "label": shown,
            "font": {"size": 16, "color": OVERLAP_COLOUR, "strokeWidth": 4, "strokeColor": "#ffffff"},
            "color": {"color": OVERLAP_COLOUR, "highlight": OVERLAP_COLOUR, "hover": OVERLAP_COLOUR, "opacity": 0.55},
            "dashes": False, "smooth": {"enabled": True, "type": "curvedCCW", "roundness": 0.25},
            "title": f"{shown} people discussed at both {forum_name.get(a, a)} and {forum_name.get(b, b)}",
        })
    return edges


def flow_edges(scene: Scene) -> list[dict]:
    """Where people go next (from the dated case lists): the largest few flows per forum, as arrows drawn only when
    the viewer asks for them. Each flow already holds at least ``journeys.min_people`` people (no one's journey)."""
    forum_name = scene.landscape.forum_name
    kept = _strongest(scene, scene.flows)
    edges = []
    for i, (a, b, n) in enumerate(kept):
        shown = people_count(n, scene.suppress)
        number = people_number(n, scene.suppress)
        edges.append({
            "id": f"flow:{i}", "from": forum_node(a), "to": forum_node(b), "kind": "flow",
            "width": round(1.5 if number is None else 1.5 + min(5.0, math.log2(1 + number)), 2), "label": shown,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.8}},
            "font": {"size": 15, "color": FLOW_COLOUR, "strokeWidth": 4, "strokeColor": "#ffffff"},
            "color": {"color": FLOW_COLOUR, "highlight": FLOW_COLOUR, "hover": FLOW_COLOUR, "opacity": 0.7},
            "dashes": [3, 3], "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.2},
            "title": f"{shown} people discussed at {forum_name.get(a, a)} and next at {forum_name.get(b, b)}",
        })
    return edges


def _straighten(edges: list[dict]) -> None:
    """Curves and edge labels cost far more to lay out and draw than plain lines on a large map."""
    for edge in edges:
        if "smooth" in edge:
            edge["smooth"] = False
        if edge["kind"] in ("overlap", "flow"):
            edge.pop("label", None)
            edge.pop("font", None)


# -- the overview of areas -------------------------------------------------------------------------------------

def overview_elements(scene: Scene) -> list[dict]:
    """One element per area (or per group of neighbouring areas when there are more than fit), coloured by a
    measured rate (:mod:`mcn_map.render.overview`), sized by the people discussed there, labelled with a one-line
    figure; [] when the landscape is small enough to read at once."""
    forums = scene.landscape.forums
    areas = sorted({_text(a) for a in forums["area"]} - {""})
    if scene.view == "focus" or len(forums) <= OVERVIEW_FORUMS or len(areas) < 2:
        return []
    per_group = math.ceil(len(areas) / MAX_OVERVIEW_ELEMENTS)
    groups = [areas[i:i + per_group] for i in range(0, len(areas), per_group)]
    area_of = dict(zip(forums["forum_id"], forums["area"].map(_text)))
    severities: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(SEVERITIES, 0))
    for finding in scene.findings:
        for area in {area_of[s] for s in finding.subjects if s in area_of}:
            severities[area][finding.severity] += 1
    counts = forums["area"].map(_text).value_counts().to_dict()
    kind, figures = area_figures(scene.landscape, groups, case_forums_missing(scene.landscape, groups, set(scene.missing), _text),
                                 _text, scene.suppress)
    biggest = max([f["people_shown"] or 0 for f in figures] + [1])
    steps = rate_steps([f["rate"] for f in figures])
    columns = max(1, math.ceil(math.sqrt(len(groups) * 1.6)))
    nodes = []
    for i, (group, figure) in enumerate(zip(groups, figures)):
        n_forums = sum(counts.get(a, 0) for a in group)
        by_severity = {s: sum(severities[a][s] for a in group) for s in SEVERITIES}
        name = group[0] if len(group) == 1 else f"{group[0]} to {group[-1]}"
        summary = ", ".join(f"{n} {s}" for s, n in by_severity.items() if n) or "no findings"
        fill = rate_colour(figure["rate"], steps)
        size = 24 + 46 * math.sqrt((figure["people_shown"] or 0) / biggest) if kind == "people" else \
            24 + 46 * math.sqrt(n_forums / max(counts.values()))
        nodes.append({
            "id": f"overview:{i}", "label": f"{name}\n{figure['figure']}",
            "title": f"{name}: {_plural(n_forums, 'forum')}; {figure['figure']}; findings: {summary}. Click to open.",
            "shape": "dot", "size": round(size, 1), "x": (i % columns) * 440.0, "y": (i // columns) * 330.0,
            "color": {"background": fill, "border": "#1b1b1b", "highlight": {"background": fill, "border": "#000000"},
                      "hover": {"background": fill, "border": "#000000"}},
            "borderWidth": 2, "font": {"size": 28, "color": "#1b1b1b", "face": FONT_FACE, "strokeWidth": 4,
                                       "strokeColor": "#ffffff"},
            "kind": "overview", "areas": group, "forums": n_forums, "rate": figure["rate"], "cats": [],
        })
    scene.overview_groups, scene.overview_rate, scene.overview_steps = groups, kind, steps
    return nodes


def overview_edges(scene: Scene) -> list[dict]:
    """Lines between areas, sized by the people discussed in both; a pair under the small-number threshold is not
    drawn at all."""
    groups = scene.overview_groups
    if not groups:
        return []
    edges = []
    for i, (a, b, n) in enumerate(area_pairs(scene.landscape, groups, _text)):
        shown = people_count(n, scene.suppress)
        names = [g[0] if len(g) == 1 else f"{g[0]} to {g[-1]}" for g in (groups[a], groups[b])]
        edges.append({
            "id": f"areas:{i}", "from": f"overview:{a}", "to": f"overview:{b}", "kind": "areas", "label": shown,
            "width": line_width(people_number(n, scene.suppress)),
            "color": {"color": OVERLAP_COLOUR, "highlight": OVERLAP_COLOUR, "hover": OVERLAP_COLOUR, "opacity": 0.6},
            "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.3},  # around, not through, the areas between
            "title": f"{shown} people discussed in both {names[0]} and {names[1]}",
        })
    return edges


def _worst_text(by_severity: dict[str, int]) -> str:
    worst = next((s for s in SEVERITIES if by_severity[s]), None)
    return f"{by_severity[worst]} {worst} finding{'s' if by_severity[worst] != 1 else ''}" if worst else "no findings"


# -- findings, legend, filters, table --------------------------------------------------------------------------

def finding_records(scene: Scene, shown_nodes: set) -> tuple[list[dict], list[str]]:
    node_of = {f: forum_node(f) for f in scene.landscape.forum_name}
    node_of.update({a: agency_node(a) for a in scene.landscape.agency_name if a not in node_of})
    suggestions: dict[str, int] = {}
    records = [_finding_record(f, node_of, suggestions) for f in scene.findings]
    ringed = {f.id for f in headline(list(scene.findings), RINGED_FINDINGS)}
    responses = response_summary(scene.landscape, scene.findings)["by_finding"]
    for record in records:
        record["nodes"] = [n for n in record["nodes"] if n in shown_nodes]
        record["top"] = record["id"] in ringed
        if record["id"] in responses:  # the partnership's decision, from the responses sheet
            r = responses[record["id"]]
            record["response"] = {"status": r["status"], "owner": _text(r["owner"]), "review": r["review_date"] or ""}
    if scene.view == "focus":  # only what bears on the forum and its neighbours
        records = [r for r in records if r["nodes"]]
    return records, list(suggestions)


def legend(scene: Scene, edges: list[dict], sectors: list[str]) -> dict:
    landscape = scene.landscape
    levels = [lv for lv in VOCABULARIES["level"] if (landscape.forums["level"] == lv).any()]
    link_types = [t for t in VOCABULARIES["link_type"] if (landscape.links["type"] == t).any()]
    families = [k for k in SECTOR_FAMILIES if any(family_of(s) == k for s in sectors)]
    return {
        "levels": [{"key": lv, "label": LEVEL_STYLE[lv]["label"], **{k: LEVEL_STYLE[lv][k] for k in ("background", "border", "font")}}
                   for lv in levels],
        "faded": FADED,
        "sectors": [{"key": s, "label": SECTOR_LABELS[s], "colour": SECTOR_COLOURS[s], "shape": SECTOR_SHAPES[s],
                     "family": family_of(s)} for s in sectors],
        "families": [{"key": k, "label": SECTOR_FAMILIES[k]["label"], "colour": SECTOR_FAMILIES[k]["colour"],
                      "shape": SECTOR_FAMILIES[k]["shape"]} for k in families],
        "links": [{"key": t, "label": LINK_STYLE[t]["label"], "colour": LINK_STYLE[t]["colour"],
                   "dashes": LINK_STYLE[t]["dashes"]} for t in link_types],
        "severities": [{"key": s, "label": s.capitalize(), "colour": SEVERITY_COLOURS[s]} for s in SEVERITIES],
        "overlap": OVERLAP_COLOUR, "seat": SEAT_HIGHLIGHT, "missing": MISSING_COLOUR,
        "hasOverlap": any(e["kind"] == "overlap" for e in edges),
        "hasFlows": any(e["kind"] == "flow" for e in edges), "flow": FLOW_COLOUR,
        "hasMissing": bool(scene.missing),
        "hasAgencies": bool(scene.shown_agencies),
        "ringed": RINGED_FINDINGS,
    }


def table_rows(landscape: Landscape, data: dict) -> list[dict]:
    """The accessible alternative to the canvas, and the same facts: one row per forum (tier order, then as drawn)
    with its tier, kind, chair, frequency, last meeting, person's voice, seats, people discussed, missing partners
    and findings, as plain values for an HTML table."""
    findings = {f["id"]: f for f in data["findings"]}
    agencies = data["agencies"]
    rows = []
    for order, level in enumerate(VOCABULARIES["level"]):
        for node in data["nodes"]:
            if node.get("kind") != "forum" or node["level"] != level:
                continue
            d = data["details"][node["id"]]
            seats, attended, held = [], 0, 0
            for agency_id, role, _seniority, _post, went, of in d["seats"]:
                seats.append(f"{agencies.get(agency_id, [agency_id])[0]} ({role or 'member'})")
                if went is not None and of:
                    attended, held = attended + went, held + of
            people = d["people"]
            rows.append({
                "id": node["id"], "name": d["name"], "status": d["status"], "tier": d["level"], "tier_order": order,
                "kind": d.get("nationalKind", ""), "chair": d["chair"], "frequency": d["frequency"],
                "last_met": d["lastMet"], "voice": VOICE_SHORT.get(d["voice"], d["voice"]), "seats": seats,
                "people": people, "people_order": _people_order(people),
                "attendance": f"{round(100 * attended / held)}% attended" if held else "attendance not recorded",
                "missing": d.get("missing", []),
                "findings": [findings[f]["message"] for f in d["findings"] if f in findings],
            })
    return rows


VOICE_SHORT = {"No — the person is not represented": "not represented",
               "Represented by someone speaking for them": "represented", "The person attends": "attends"}


def _people_order(shown: str) -> int:
    """A sort key for a people count as shown ("<8", "1,235", "no case list")."""
    if shown.startswith("<"):
        return 1
    digits = shown.replace(",", "")
    return int(digits) if digits.isdigit() else -1


def _digest(findings, overlaps, flows=()) -> str:
    """Everything the map draws from the findings, the shared people and the flows, so a change is a new map."""
    text = repr([(f.id, f.category, f.rule, f.severity, f.subjects, f.message, f.suggestion, f.meam,
                  sorted((k, repr(v)) for k, v in f.evidence.items())) for f in findings]) + repr(overlaps) + repr(flows)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def map_data(landscape: Landscape, findings=(), *, overlap: pd.DataFrame | None = None, view: str = "system",
             focus: str | None = None, suppress: bool = True, show_overlap: bool = True,
             flows: pd.DataFrame | None = None, memo: Memo | None = None) -> dict:
    """Everything the map page needs, as JSON-ready data: nodes, edges, panel details, findings, legend, filters.

    ``view`` is ``system`` (forums and agencies), ``forums`` (agencies folded into counts) or ``focus`` (one forum
    and its neighbourhood; ``focus`` is its forum_id). ``flows`` (the analysis's ``extra["flows"]``: people discussed
    at one forum and next at another) become arrows the viewer can turn on. Worked out once per memo, keyed on
    everything drawn (map.html and report.html draw the same map in one build)."""
    if view not in ("system", "forums", "focus"):
        raise ValueError(f"unknown view {view!r}: use system, forums or focus")
    findings = list(findings)
    overlaps = overlap_pairs(landscape, overlap) if show_overlap else []
    # map.html and report.html draw the same map in one build: compute it once.
    flow_list = ([] if flows is None else
                 list(zip(flows["from_forum"], flows["to_forum"], (int(n) for n in flows["people"]))))
    key = ("map data", view, focus, suppress, show_overlap, _digest(findings, overlaps, flow_list))
    memo = memo_for(landscape, memo)
    return memo.get(key, lambda: _build(_scene(landscape, findings, overlap=overlap, view=view, focus=focus,
                                               suppress=suppress, show_overlap=show_overlap, flows=flow_list, memo=memo)))


def _build(scene: Scene) -> dict:
    landscape = scene.landscape
    forum_nodes, details = forum_elements(scene)
    agency_nodes, agency_details, sectors_present = agency_elements(scene)
    details.update(agency_details)
    overview = overview_elements(scene)
    nodes = forum_nodes + tier_labels(scene) + area_labels(scene) + agency_nodes + overview
    edges = seat_edges(scene) + link_edges(scene) + overlap_edges(scene) + flow_edges(scene) + overview_edges(scene)
    large = len(nodes) > LARGE_MAP_NODES
    if large:
        _straighten(edges)
    records, suggestions = finding_records(scene, {n["id"] for n in nodes})
    if scene.view == "focus":
        sectors_present = [landscape.agency_sector.get(a, "") for a in scene.shown_agencies]
    sectors = [s for s in SECTOR_LABELS if s in sectors_present]
    findings = scene.findings
    if scene.view == "focus":
        shown = {n["id"] for n in nodes}
        findings = [f for f in findings if any(forum_node(s) in shown or agency_node(s) in shown for s in f.subjects)]
    categories = [c for c in CATEGORIES if any(f.category == c for f in findings)]
    areas = sorted({_text(a) for a in landscape.forums["area"]} - {""})
    levels = [lv for lv in VOCABULARIES["level"] if (landscape.forums["level"] == lv).any()]
    return {
        "view": scene.view,
        "focus": scene.focus,
        "nodes": nodes,
        "edges": edges,
        "details": details,
        "findings": records,
        "agencies": {aid: [name, SECTOR_LABELS.get(landscape.agency_sector.get(aid, ""), "")]
                     for aid, name in landscape.agency_name.items()},
        "suggestions": suggestions,
        "meamLabels": {code: meam_label(code) for code in sorted({m for r in records for m in r["meam"]})},
        "categoryLabels": CATEGORY_LABELS,
        "legend": {**legend(scene, edges, sectors), "overview": _overview_legend(scene) if overview else None},
        "filters": {"levels": levels, "sectors": sectors, "areas": areas,
                    "categories": [{"key": c, "label": CATEGORY_LABELS[c]} for c in categories]},
        # On a large map the shared-people edges start hidden (a tick box shows them): drawing thousands of extra
        # edges would double the time before the map can be used, and hundreds of them hide everything else.
        "defaults": {"overlap": not large and sum(e["kind"] == "overlap" for e in edges) <= MAX_OVERLAPS_SHOWN,
                     "overview": bool(overview)},
        "counts": {"forums": len(scene.shown_forums), "agencies": len(scene.shown_agencies),
                   "missing": sum(len(v) for v in scene.missing.values()), "overview": len(overview)},
    }


def _overview_legend(scene: Scene) -> dict:
    """What the overview's colours measure, step by step, for the legend."""
    kind, steps = scene.overview_rate, scene.overview_steps
    bounds = ([f"under {steps[0]}"] + [f"{a} to {b}" for a, b in zip(steps, steps[1:])] + [f"{steps[-1]} or more"]
              if steps else [])
    return {"name": RATES[kind]["name"], "steps": [{"label": label, "colour": colour}
                                                   for label, colour in zip(bounds, RATE_COLOURS)],
            "lines": "People discussed in both areas (8 or more)" if kind == "people" else ""}


def node_count(landscape: Landscape, findings=()) -> int:
    """How many nodes the whole-system view would draw (forums and agencies; missing partners are badges)."""
    return len(landscape.forums) + len(landscape.agencies)
