"""The map's "who knows whom" view as plain data: the forums of the latest mapping round, where the map draws them,
and a line for each chair who lists another meeting — confirmed both ways (solid), one-sided (an arrow from the
chair who knows), or towards a meeting whose chair did not reply (dotted: not evidence either way).

The network itself comes from :func:`mcn_map.analyses.knowledge.who_knows_whom`, the caption from its round's
:meth:`~mcn_map.analyses.knowledge.RoundState.sentence`; this module only says how to draw and list them. A
landscape without a round has no view (None), so its map is unchanged.
"""

from __future__ import annotations

from ..analyses.knowledge import Knowing, who_knows_whom
from ..graphs import forum_node
from ..model import Landscape
from .layout import BOX_WIDTH
from .style import FADED, FONT_FACE, FORUM_FONT, LEVEL_STYLE, MISSING_COLOUR

__all__ = ["KNOWING_STYLE", "knowing_view", "knowing_rows"]

KNOWING_STYLE = {
    "confirmed": {"colour": "#0b2545", "dashes": False, "width": 3, "label": "Both chairs list each other"},
    "one-sided": {"colour": "#B35C00", "dashes": [10, 6], "width": 3,
                  "label": "One-sided: only the chair at the tail lists the other"},
    "no reply": {"colour": "#767676", "dashes": [2, 6], "width": 2,
                 "label": "Listed by one chair; the other did not reply"},
}
UNLISTED_BORDER = 6
MAX_LABEL = 46


def _label(name: str, notes: list[str]) -> str:
    label = name if len(name) <= MAX_LABEL else name[:MAX_LABEL - 1].rsplit(" ", 1)[0] + "…"
    return "\n".join([label, *notes])


def _notes(landscape: Landscape, knowing: Knowing, forum: str) -> list[str]:
    status = landscape.forum_status.get(forum) or "active"
    notes = [] if status == "active" else [f"({status})"]
    if forum not in knowing.state.asked:
        notes.append("(not asked this round)")
    elif forum not in knowing.state.replied:
        notes.append("(no form returned)")
    if forum in knowing.unlisted:
        notes.append("no other chair lists it")
    return notes


def _node(landscape: Landscape, knowing: Knowing, forum: str, xy: tuple[float, float]) -> dict:
    level = landscape.forum_level.get(forum) or "operational"
    replied = forum in knowing.state.replied
    colours = LEVEL_STYLE.get(level, LEVEL_STYLE["operational"]) if replied else FADED
    unlisted = forum in knowing.unlisted
    border = MISSING_COLOUR if unlisted else colours["border"]
    width = UNLISTED_BORDER if unlisted else 1.5
    name = landscape.forum_name.get(forum, forum)
    notes = _notes(landscape, knowing, forum)
    node = {
        "id": forum_node(forum), "label": _label(name, notes), "title": "\n".join([name, *notes]),
        "shape": "box", "x": xy[0], "y": xy[1], "margin": 10,
        "widthConstraint": {"minimum": BOX_WIDTH, "maximum": BOX_WIDTH},
        "color": {"background": colours["background"], "border": border,
                  "highlight": {"background": colours["background"], "border": "#000000"},
                  "hover": {"background": colours["background"], "border": "#000000"}},
        "font": {"color": colours["font"], "size": FORUM_FONT.get(level, 22), "face": FONT_FACE},
        "borderWidth": width, "borderWidthSelected": width + 2,
    }
    if not replied:
        node["shapeProperties"] = {"borderDashes": [6, 4]}
    return node


def _tie_title(landscape: Landscape, knower: str, known: str, status: str) -> str:
    a, b = landscape.forum_name.get(knower, knower), landscape.forum_name.get(known, known)
    if status == "confirmed":
        return f"{a} and {b}: each chair lists the other meeting"
    if status == "one-sided":
        return f"{a}'s chair lists {b}; {b}'s chair returned a form without listing {a}"
    return f"{a}'s chair lists {b}; {b}'s chair did not return a form, so what they know is not known"


def _edge(landscape: Landscape, i: int, tie: tuple[str, str, str]) -> dict:
    knower, known, status = tie
    style = KNOWING_STYLE[status]
    arrow = {"enabled": True, "scaleFactor": 0.9}
    return {"id": f"knows:{i}", "from": forum_node(knower), "to": forum_node(known), "status": status,
            "arrows": {"to": arrow, "from": arrow} if status == "confirmed" else {"to": arrow},
            "width": style["width"], "dashes": style["dashes"],
            "color": {"color": style["colour"], "highlight": style["colour"], "hover": style["colour"]},
            "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.18},
            "title": _tie_title(landscape, knower, known, status)}


def knowing_rows(landscape: Landscape, knowing: Knowing) -> list[dict]:
    """One row per forum, the same facts as the drawing: whether its chair replied, the meetings known both ways,
    those its chair lists that do not list it back (or whose chairs did not reply), and those listing it only."""
    name = landscape.forum_name
    rows = []
    for forum in knowing.forums:
        row = {"id": forum_node(forum), "name": name.get(forum, forum), "both": [], "lists": [], "unanswered": [],
               "listed_by": [], "unlisted": forum in knowing.unlisted,
               "replied": ("yes" if forum in knowing.state.replied else
                           "no" if forum in knowing.state.asked else "not asked this round")}
        for a, b, status in knowing.ties:
            if forum not in (a, b):
                continue
            other = name.get(b if a == forum else a, b if a == forum else a)
            key = ("both" if status == "confirmed" else
                   "listed_by" if b == forum else "lists" if status == "one-sided" else "unanswered")
            row[key].append(other)
        rows.append(row)
    return rows


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _summary(knowing: Knowing) -> dict:
    counts = {status: sum(s == status for *_, s in knowing.ties) for status in KNOWING_STYLE}
    unlisted = len(knowing.unlisted)
    text = (f"{_plural(counts['confirmed'], 'pair', 'pairs')} of meetings whose chairs list each other; "
            f"{_plural(counts['one-sided'], 'meeting', 'meetings')} listed by one chair but not listing that chair's "
            f"meeting back; {counts['no reply']} listed by a chair whose counterpart did not reply; "
            f"{_plural(unlisted, 'meeting', 'meetings')} no other chair lists.")
    return {"confirmed": counts["confirmed"], "oneSided": counts["one-sided"], "noReply": counts["no reply"],
            "unlisted": unlisted, "forums": len(knowing.forums), "text": text}


def knowing_view(landscape: Landscape, data: dict) -> dict | None:
    """The view's data for the page (forums where the map draws them), or None when the landscape has no round or
    the map does not draw every forum (a focus view)."""
    knowing = who_knows_whom(landscape)
    if knowing is None or data["view"] == "focus":
        return None
    positions = {n["id"]: (n["x"], n["y"]) for n in data["nodes"] if n.get("kind") == "forum"}
    forums = [f for f in knowing.forums if forum_node(f) in positions]
    shown = set(forums)
    ties = [t for t in knowing.ties if t[0] in shown and t[1] in shown]
    return {
        "caption": knowing.state.sentence().strip("()"),
        "band": knowing.state.band,
        "summary": _summary(knowing),
        "nodes": [_node(landscape, knowing, f, positions[forum_node(f)]) for f in forums],
        "edges": [_edge(landscape, i, tie) for i, tie in enumerate(ties)],
        "details": {row["id"]: row for row in knowing_rows(landscape, knowing) if row["id"] in
                    {forum_node(f) for f in forums}},
        "legend": [{"key": k, **v} for k, v in KNOWING_STYLE.items()],
    }
