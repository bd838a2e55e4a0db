"""Exports for people who carry on in other tools: ``graph.gexf`` for Gephi and a Kumu JSON blueprint.

Both hold forums, agencies, seats and forum-to-forum links — no people and no counts of people — with the map's
layout and colours, so the picture opens in Gephi or Kumu looking like the map.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

import networkx as nx
import pandas as pd

from .._version import __version__
from ..graphs import agency_node, forum_attributes, forum_node, record_attributes as _attrs, seat_key
from ..memo import Memo
from ..model import Landscape
from ..writing.files import json_bytes, output_timestamp
from ..loading.schema import SECTOR_LABELS
from .layout import layout
from .network import FADED, LEVEL_STYLE, LINK_STYLE, SECTOR_COLOURS

__all__ = ["gexf_bytes", "kumu_blueprint", "kumu_bytes"]


def _rgb(colour: str) -> dict:
    colour = colour.lstrip("#")
    return {"r": int(colour[0:2], 16), "g": int(colour[2:4], 16), "b": int(colour[4:6], 16), "a": 1.0}


def _findings_by_subject(findings) -> dict[str, list]:
    index: dict[str, list] = {}
    for f in findings:
        for s in f.subjects:
            index.setdefault(s, []).append(f)
    return index


def gexf_graph(landscape: Landscape, findings=(), memo: Memo | None = None) -> nx.MultiDiGraph:
    """Forums and agencies with their attributes, positions and colours; seats (agency → forum) and links."""
    grid = layout(landscape, memo)
    by_subject = _findings_by_subject(findings)
    graph = nx.MultiDiGraph(name=landscape.source or "mcn-map")
    for r in landscape.forums.to_dict("records"):
        fid = r["forum_id"]
        style = FADED if r["status"] in ("ended", "merged") else LEVEL_STYLE.get(r["level"], LEVEL_STYLE["operational"])
        x, y = grid.forum_xy.get(fid, (0.0, 0.0))
        attrs = forum_attributes(r)  # the national kind as forum_kind: kind says "forum"
        attrs.update(label=r["name"], findings=len(by_subject.get(fid, [])),
                     viz={"position": {"x": x, "y": -y, "z": 0.0}, "color": _rgb(style["background"]), "size": 14.0})
        graph.add_node(forum_node(fid), **attrs)
    for r in landscape.agencies.to_dict("records"):
        aid = r["agency_id"]
        x, y = grid.agency_xy.get(aid, (0.0, 0.0))
        attrs = _attrs(r)
        attrs.update(kind="agency", label=r["name"], sector_label=SECTOR_LABELS.get(r["sector"], r["sector"]),
                     findings=len(by_subject.get(aid, [])),
                     viz={"position": {"x": x, "y": -y, "z": 0.0}, "color": _rgb(SECTOR_COLOURS.get(r["sector"], "#7f7f7f")),
                          "size": 8.0})
        graph.add_node(agency_node(aid), **attrs)
    for i, r in enumerate(landscape.seats.to_dict("records")):
        attrs = _attrs(r, skip=("row", "forum_id", "agency_id"))
        attendance = r["attendance"]
        weight = float(attendance) if attendance == attendance and attendance is not None else 0.5
        attrs.update(kind="seat", weight=round(0.5 + weight, 3))
        graph.add_edge(agency_node(r['agency_id']), forum_node(r['forum_id']), key=seat_key(i), **attrs)
    for i, r in enumerate(landscape.links.to_dict("records")):
        attrs = _attrs(r, skip=("row", "from_forum", "to_forum"))
        colour = LINK_STYLE.get(r["type"], LINK_STYLE["refers_to"])["colour"]
        attrs.update(kind="link", weight=2.0, viz={"color": _rgb(colour)})
        graph.add_edge(forum_node(r['from_forum']), forum_node(r['to_forum']), key=f"link-{i}", **attrs)
    return graph


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")

NODE_ATTRIBUTES = [("kind", "string"), ("forum_kind", "string"), ("level", "string"), ("status", "string"), ("frequency", "string"),
                   ("area", "string"), ("themes", "string"), ("chair_agency", "string"), ("person_voice", "string"),
                   ("sector", "string"), ("sector_label", "string"), ("parent", "string"), ("findings", "integer")]
EDGE_ATTRIBUTES = [("kind", "string"), ("type", "string"), ("role", "string"), ("seniority", "string"),
                   ("post", "string"), ("attendance", "double"), ("via_post", "string")]


def _attr(value) -> str:
    """Text as an XML attribute value: escaped, and without the control characters XML 1.0 forbids."""
    return _quoted(value if type(value) is str else str(value))


@lru_cache(maxsize=65_536)  # kinds, statuses, roles and sectors repeat on every one of tens of thousands of seats
def _quoted(text: str) -> str:
    return quoteattr(_XML_INVALID.sub("", text))


def _attvalues(values: dict, names: list[tuple[str, str]]) -> str:
    parts = []
    for index, (name, kind) in enumerate(names):
        value = values.get(name)
        if value is None or value == "" or (isinstance(value, float) and value != value):
            continue
        if kind == "double":
            value = f"{float(value):.4g}"
        parts.append(f"<attvalue for=\"{index}\" value={_attr(value)}/>")
    return f"<attvalues>{''.join(parts)}</attvalues>" if parts else ""


def gexf_bytes(landscape: Landscape, findings=(), memo: Memo | None = None) -> bytes:
    """``graph.gexf`` for Gephi (GEXF 1.2): forums and agencies with attributes, the map's positions and colours;
    seats (agency to forum) and forum-to-forum links. Written directly, in one pass: networkx's writer takes tens of
    seconds at national scale. Reproducible: the date is the build's timestamp."""
    graph = gexf_graph(landscape, findings, memo)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:viz="http://www.gexf.net/1.2draft/viz" version="1.2">',
           f'  <meta lastmodifieddate="{output_timestamp().date().isoformat()}">',
           f"    <creator>mcn-map {__version__}</creator>",
           f"    <description>{escape(_XML_INVALID.sub('', landscape.source or 'meeting landscape'))}</description>",
           "  </meta>",
           '  <graph defaultedgetype="directed" mode="static">']
    for cls, names in (("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)):
        out.append(f'    <attributes class="{cls}">')
        out.extend(f'      <attribute id="{i}" title="{name}" type="{kind}"/>' for i, (name, kind) in enumerate(names))
        out.append("    </attributes>")
    out.append("    <nodes>")
    for node, data in graph.nodes(data=True):
        viz = data.get("viz", {})
        colour, position = viz.get("color", {}), viz.get("position", {})
        out.append(
            f"      <node id={_attr(node)} label={_attr(data.get('label', node))}>"
            + _attvalues(data, NODE_ATTRIBUTES)
            + (f'<viz:color r="{colour["r"]}" g="{colour["g"]}" b="{colour["b"]}"/>' if colour else "")
            + (f'<viz:position x="{position["x"]:.1f}" y="{position["y"]:.1f}" z="0.0"/>' if position else "")
            + f'<viz:size value="{viz.get("size", 5.0)}"/></node>')
    out.append("    </nodes>")
    out.append("    <edges>")
    for source, target, key, data in graph.edges(keys=True, data=True):  # ids as in graph.graphml: seat-0, link-0
        colour = data.get("viz", {}).get("color")
        out.append(
            f'      <edge id="{key}" source={_attr(source)} target={_attr(target)} weight="{data.get("weight", 1.0)}">'
            + _attvalues(data, EDGE_ATTRIBUTES)
            + (f'<viz:color r="{colour["r"]}" g="{colour["g"]}" b="{colour["b"]}"/>' if colour else "")
            + "</edge>")
    out.append("    </edges>")
    out.append("  </graph>")
    out.append("</gexf>")
    return ("\n".join(out) + "\n").encode("utf-8")


def _short(text: str, limit: int = 300) -> str:
    """A finding's message for an element's card; a message listing hundreds of forums is cut short."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _unique_labels(names: list[tuple[str, str]]) -> dict[str, str]:
    """Kumu joins connections to elements by label: make every label unique, adding the id where two clash
    ('MARAC (marac)'), the kind too where a forum and an agency share an id and a name ('Hub (forum hub)'), and a
    number in the rare case that still clashes. Control characters are removed."""
    names = [(key, _XML_INVALID.sub("", str(label)) or key.split(":", 1)[1]) for key, label in names]
    counts = pd.Series([label for _, label in names], dtype=object).value_counts()
    labels: dict[str, str] = {}
    taken = {label for _, label in names if counts[label] == 1}
    pairs = Counter((label, key.split(":", 1)[1]) for key, label in names)
    for key, label in names:
        if counts[label] == 1:
            labels[key] = label
            continue
        kind, ident = key.split(":", 1)
        with_id = f"{label} ({ident})"
        candidate, n = (with_id if pairs[(label, ident)] == 1 else f"{label} ({kind} {ident})"), 2
        while candidate in taken:
            candidate, n = f"{label} ({kind} {ident}, {n})", n + 1
        taken.add(candidate)
        labels[key] = candidate
    return labels


def kumu_blueprint(landscape: Landscape, findings=()) -> dict:
    """Kumu's JSON import: ``elements`` (forums and agencies) and ``connections`` (seats and links).

    Kumu's rule: when elements have an ``id``, connections join them by it. Ids are namespaced (``forum:housing``,
    ``agency:housing``) so a forum and an agency that share an id stay two elements; labels are unique too, for the
    people reading the map."""
    by_subject = _findings_by_subject(findings)
    names = [(forum_node(f), n) for f, n in landscape.forum_name.items()]
    names += [(agency_node(a), n) for a, n in landscape.agency_name.items()]
    labels = _unique_labels(names)
    elements = []
    for r in landscape.forums.to_dict("records"):
        fid = r["forum_id"]
        tags = [r["level"], r["status"]] + list(r["themes"] or ())
        elements.append({
            "id": forum_node(fid), "label": labels[forum_node(fid)], "type": "Forum",
            "description": r.get("purpose", "") or "",
            "tags": [t for t in tags if t],
            "level": r["level"], "status": r["status"], "frequency": r["frequency"], "area": r["area"],
            "chair": landscape.agency_name.get(r["chair_agency"], r["chair_agency"]),
            "person voice": r["person_voice"],
            "findings": [_short(f.message) for f in by_subject.get(fid, [])[:10]],
        })
    for r in landscape.agencies.to_dict("records"):
        aid = r["agency_id"]
        elements.append({
            "id": agency_node(aid), "label": labels[agency_node(aid)], "type": "Agency",
            "tags": [SECTOR_LABELS.get(r["sector"], r["sector"])],
            "sector": SECTOR_LABELS.get(r["sector"], r["sector"]),
            "findings": [_short(f.message) for f in by_subject.get(aid, [])[:10]],
        })
    connections = []
    for r in landscape.seats.to_dict("records"):
        attendance = r["attendance"]
        connection = {
            "from": agency_node(r["agency_id"]), "to": forum_node(r["forum_id"]), "type": "Seat",
            "direction": "directed", "role": r["role"], "seniority": r["seniority"], "post": r["post"],
        }
        if attendance == attendance and attendance is not None:
            connection["attendance"] = round(float(attendance), 3)
        connections.append(connection)
    for r in landscape.links.to_dict("records"):
        connections.append({
            "from": forum_node(r["from_forum"]), "to": forum_node(r["to_forum"]),
            "type": LINK_STYLE.get(r["type"], {"label": r["type"]})["label"], "direction": "directed",
            "via post": r["via_post"],
        })
    return {"elements": elements, "connections": connections}


def kumu_bytes(landscape: Landscape, findings=()) -> bytes:
    return json_bytes(kumu_blueprint(landscape, findings))
