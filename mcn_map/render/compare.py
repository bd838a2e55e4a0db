"""``compare.html`` and ``changes.xlsx``: what changed between two landscapes, drawn from a :class:`Changes` value.

The page is a one-page "what changed" summary a board can read, above the newer landscape's map (the public
:func:`~mcn_map.render.map.render_map` output, in a sandboxed frame) with added, changed and stopped forums marked
through the map's scripting hook ``window.mcnMap``. Forums that were removed cannot be drawn on the new map, so the
summary lists them.
"""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .._version import __version__
from ..analyses.knowledge import band_phrase
from ..change.compare import Changes
from ..graphs import agency_node, forum_node
from ..model import Landscape
from ..writing.files import safe_text, workbook_bytes
from ..writing.spreadsheet import finish_sheet
from ..privacy.suppression import UNSUPPRESSED_STAMP
from ..loading.schema import FREQUENCY_PER_MONTH
from .figures import hours_change, hours_text
from .map import render_map, script_json, template_env
from .static_map import missing_key, static_legend, static_map_svg

__all__ = ["render_compare", "changes_xlsx_bytes", "map_marks", "MARK_STYLE", "summary_lines", "MAX_LISTED",
           "knowledge_section", "round_text"]

MAX_LISTED = 8  # items per list on the one-page summary; changes.xlsx has them all
MARK_STYLE = {
    "added": {"colour": "#1a7f37", "tag": "NEW", "label": "Added since the earlier snapshot"},
    "changed": {"colour": "#0072b2", "tag": "CHANGED", "dashed": True, "label": "Changed: status, tier, chair, frequency, voice, seats or sectors"},
    "stopped": {"colour": "#6a3d9a", "tag": "STOPPED", "label": "Merged, ended or paused since the earlier snapshot"},
}
CAVEAT = ("Options, not verdicts: merging or ending meetings changes the number of rooms, not how the system works. "
          "As the borough review this toolkit follows warns, merging meetings alone does not fix a system built "
          "around professional concerns rather than the person.")


def map_marks(changes: Changes) -> dict[str, dict]:
    """Map node id -> {kind, reasons}: forums and agencies to mark on the newer map."""
    marks: dict[str, dict] = {}

    def mark(node: str, kind: str, reason: str) -> None:
        entry = marks.setdefault(node, {"kind": kind, "reasons": []})
        if kind == "added" or (kind == "stopped" and entry["kind"] == "changed"):
            entry["kind"] = kind
        entry["reasons"].append(reason)

    forums = changes.forums
    for item in forums["added"]:
        mark(forum_node(item["forum_id"]), "added", "new forum")
    for item in forums["status_changed"]:
        kind = "stopped" if item["to"] in ("merged", "ended", "paused") else "changed"
        mark(forum_node(item["forum_id"]), kind, f"status {item['from']} → {item['to']}")
    for key, what in (("level_changed", "tier"), ("chair_changed", "chair"), ("frequency_changed", "frequency"),
                      ("person_voice_changed", "person voice"), ("renamed", "name")):
        for item in forums[key]:
            mark(forum_node(item["forum_id"]), "changed", f"{what} {item['from'] or 'blank'} → {item['to'] or 'blank'}")
    for key, what in (("added", "seat added"), ("removed", "seat removed")):
        for item in changes.seats[key]:
            mark(forum_node(item["forum_id"]), "changed", f"{what}: {item['agency_id']}")
    for key, what in (("gained", "gained"), ("lost", "lost")):
        for item in changes.sectors[key]:
            mark(forum_node(item["forum_id"]), "changed", f"{what} {item['label'].lower()}")
    for item in changes.agencies["added"]:
        mark(agency_node(item["agency_id"]), "added", "new agency")
    return marks


MARK_SCRIPT = """<script>
(function () {
  "use strict";
  var marks = %(marks)s, styles = %(styles)s, tries = 0;
  function apply() {
    var api = window.mcnMap;
    if (!api || !api.network) { if (tries++ < 200) { setTimeout(apply, 25); } return; }
    var nodes = api.nodes || api.network.body.data.nodes;
    var updates = [];
    Object.keys(marks).forEach(function (id) {
      var node = nodes.get(id);
      if (!node) { return; }
      var style = styles[marks[id].kind];
      var colour = node.color;
      var background = typeof colour === "string" ? colour : (colour && colour.background) || "#ffffff";
      updates.push({ id: id, borderWidth: 5, borderWidthSelected: 6,
        color: { background: background, border: style.colour,
                 highlight: { background: background, border: style.colour },
                 hover: { background: background, border: style.colour } },
        shapeProperties: { borderDashes: style.dashed ? [8, 4] : false },
        label: String(node.label || "") + "\\n" + style.tag });
    });
    nodes.update(updates);
    document.documentElement.setAttribute("data-compare-marked", String(updates.length));
    try { window.parent.postMessage({ mcnCompare: "marked", count: updates.length }, "*"); } catch (e) { }
  }
  apply();
})();
</script>
"""


def _marked_map(landscape: Landscape, analysis, changes: Changes) -> str:
    html = render_map(landscape, analysis, suppress=changes.suppressed,
                      title="The newer landscape, with what changed marked")
    styles = {k: {"colour": v["colour"], "tag": v["tag"], "dashed": bool(v.get("dashed"))} for k, v in MARK_STYLE.items()}
    script = MARK_SCRIPT % {"marks": script_json(map_marks(changes)), "styles": script_json(styles)}
    head, sep, tail = html.rpartition("</body>")
    return head + script + sep + tail if sep else html + script


# -- the summary --------------------------------------------------------------------------------------------------

class _Names:
    def __init__(self, old: Landscape, new: Landscape) -> None:
        self.forums = {**old.forum_name, **new.forum_name}
        self.agencies = {**old.agency_name, **new.agency_name}

    def forum(self, forum_id: str) -> str:
        return self.forums.get(forum_id) or forum_id

    def agency(self, agency_id: str) -> str:
        return self.agencies.get(agency_id) or agency_id


def _listing(heading: str, items: list[str], note: str = "") -> dict | None:
    if not items:
        return None
    return {"heading": f"{heading} ({len(items)})", "items": items[:MAX_LISTED],
            "more": max(len(items) - MAX_LISTED, 0), "note": note}


def _seat_text(item: dict, names: _Names) -> str:
    post = f" ({item['post']})" if item.get("post") else ""
    return f"{names.agency(item['agency_id'])}{post} on {names.forum(item['forum_id'])}"


def _sections(changes: Changes, names: _Names) -> list[dict]:
    f, s, p = changes.forums, changes.seats, changes.posts
    status_words = {"merged": "merged", "ended": "ended", "paused": "paused", "active": "active again"}
    sections = [
        _listing("Forums started", [x["name"] for x in f["added"]]),
        _listing("Forums no longer listed", [x["name"] for x in f["removed"]]),
        _listing("Forums merged, ended or restarted", [
            f"{x['name']}: {status_words.get(x['to'], x['to'])}"
            + (f" into {names.forum(x['merged_into'])}" if x["to"] == "merged" and x["merged_into"] else "")
            for x in f["status_changed"]]),
        _listing("Likely renamed", [f"{x['old_name']} ({x['old_id']}) → {x['new_name']} ({x['new_id']})"
                                    for x in f["likely_renames"] + changes.agencies["likely_renames"]],
                 "A removed id and an added one with the same or a very similar name: check they are one body."),
        _listing("Renamed", [f"{x['from']} → {x['to']}" for x in f["renamed"]]),
        _listing("Tier, chair, frequency or voice changed", [
            f"{x['name']}: {what} {x['from'] or 'blank'} → {x['to'] or 'blank'}"
            for key, what in (("level_changed", "tier"), ("chair_changed", "chair"),
                              ("frequency_changed", "meets"), ("person_voice_changed", "person voice"))
            for x in f[key]]),
        _listing("Seats added", [_seat_text(x, names) for x in s["added"]]),
        _listing("Seats removed", [_seat_text(x, names) for x in s["removed"]]),
        _listing("Attendance up or down by 10 points or more", [
            f"{names.agency(x['agency_id'])} at {names.forum(x['forum_id'])}: {x['before']:.0%} → {x['after']:.0%}"
            for x in s["attendance_down"] + s["attendance_up"]]),
        _listing("Posts that left", [f"{x['post']} ({names.agency(x['agency_id'])})" for x in p["left"]]),
        _listing("Posts that joined", [f"{x['post']} ({names.agency(x['agency_id'])})" for x in p["joined"]]),
        _listing("Links that depended on a post that left", [
            f"{names.forum(x['from_forum'])} {x['type'].replace('_', ' ')} {names.forum(x['to_forum'])} "
            f"via {x['via_post']}" + (" — still listed: check who carries it now" if x["still_listed"] else "")
            for x in p["links_via_posts_that_left"]]),
        _listing("People discussed in two or more forums of a cluster", [
            f"{', '.join(names.forum(f) for f in x['forums'])}: {x['before_shown']} → {x['after_shown']}"
            for x in changes.cohorts.get("clusters", [])],
            "Forums sharing many of the same people in either snapshot; counts compared, never people."),
        _listing("Sectors gained", [f"{names.forum(x['forum_id'])}: {x['label']}" for x in changes.sectors["gained"]]),
        _listing("Sectors lost", [f"{names.forum(x['forum_id'])}: {x['label']}" for x in changes.sectors["lost"]]),
        _listing("Links added", [f"{names.forum(x['from_forum'])} {x['type'].replace('_', ' ')} "
                                 f"{names.forum(x['to_forum'])}" for x in changes.links["added"]]),
        _listing("Links removed", [f"{names.forum(x['from_forum'])} {x['type'].replace('_', ' ')} "
                                   f"{names.forum(x['to_forum'])}" for x in changes.links["removed"]]),
    ]
    return [section for section in sections if section]


def _findings_sections(changes: Changes) -> list[dict]:
    def items(findings):
        return [{"severity": x["severity"], "message": x["message"]} for x in findings]

    result = []
    for key, heading in (("resolved", "Resolved: no longer found"), ("new", "New"), ("persisting", "Still found")):
        found = changes.findings[key]
        if found:
            result.append({"key": key, "heading": f"{heading} ({len(found)})", "items": items(found[:MAX_LISTED]),
                           "more": max(len(found) - MAX_LISTED, 0)})
    return result


def _figures(changes: Changes) -> list[dict]:
    c = changes.counts()
    people = changes.cohorts["in_two_or_more_forums"]
    figures = [
        {"label": "forums", "value": f"{changes.before['forums']} → {changes.after['forums']}",
         "detail": f"{c['forums_added']} started, {c['forums_removed']} gone, {c['forums_status_changed']} status changes"},
        {"label": "seats", "value": f"{changes.before['seats']} → {changes.after['seats']}",
         "detail": f"{c['seats_added']} added, {c['seats_removed']} removed"},
        {"label": "posts", "value": f"{c['posts_left']} left · {c['posts_joined']} joined",
         "detail": f"{len(changes.posts['links_via_posts_that_left'])} links depended on a post that left"},
        {"label": "findings", "value": f"{changes.before['findings']} → {changes.after['findings']}",
         "detail": f"{c['findings_resolved']} resolved, {c['findings_new']} new, {c['findings_persisting']} still found"},
        {"label": "people discussed in two or more forums",
         "value": f"{people['before_shown']} → {people['after_shown']}",
         "detail": "counts of 1 to 7 show as <8; others rounded to 5" if changes.suppressed else "exact counts"},
    ]
    if changes.meeting_hours is not None:
        before, after, freed = hours_change(changes.meeting_hours["before"], changes.meeting_hours["after"])
        figures.append({"label": "meeting-hours a month", "value": f"{before} → {after}",
                        "detail": f"{hours_text(freed)} hours a month freed across all agencies"
                        if freed >= 0 else f"{hours_text(-freed)} more hours a month"})
    return figures


def _hours_rows(by_agency: list[dict]) -> list[dict]:
    """Each agency's hours as shown, its change the difference of the two figures shown beside it."""
    rows = []
    for row in by_agency:
        before, after, freed = hours_change(row["before"], row["after"])
        rows.append({"name": row["name"], "before": before, "after": after,
                     "change": ("+" if freed < 0 else "−" if freed > 0 else "") + hours_text(abs(freed))})
    return rows


def render_compare(old: Landscape, new: Landscape, new_analysis, changes: Changes, *, title: str | None = None,
                   description: str = "") -> str:
    """``compare.html``: the summary and the marked map of ``new``, as one self-contained page."""
    names = _Names(old, new)
    whatif = changes.kind == "whatif"
    if title is None:
        title = (f"What if: {changes.scenario.get('title') or changes.scenario['name']}" if whatif
                 else "What changed between two snapshots")
    hours = changes.meeting_hours
    responses = changes.responses
    return template_env().get_template("compare.html.j2").render(
        title=title, description=description or (changes.scenario or {}).get("description", ""),
        before=changes.before, after=changes.after, whatif=whatif, version=__version__,
        stamp="" if changes.suppressed else UNSUPPRESSED_STAMP,
        figures=_figures(changes), sections=_sections(changes, names), findings=_findings_sections(changes),
        hours=hours, hours_rows=_hours_rows((hours or {}).get("by_agency", [])[:MAX_LISTED]),
        hours_more=max(len((hours or {}).get("by_agency", [])) - MAX_LISTED, 0),
        scenario_lines=_scenario_lines(changes, names) if whatif else [],
        caveat=CAVEAT if whatif else "",
        responses=responses, responses_closed=[r for r in responses if r["state"] == "closed"],
        knowledge=knowledge_section(changes.knowledge, names),
        marks=[{"kind": k, **v} for k, v in MARK_STYLE.items()],
        map_srcdoc=_marked_map(new, new_analysis, changes),
        static_map=_printed_map(new, new_analysis, changes), static_legend=static_legend(),
        static_key=missing_key(new, list(new_analysis.findings)),
    )


def _printed_map(landscape: Landscape, analysis, changes: Changes):
    """The newer map as SVG for the printed page, with the same marks (outline and word) as the interactive one."""
    marks = {}
    for node, entry in map_marks(changes).items():
        if node.startswith("forum:"):
            style = MARK_STYLE[entry["kind"]]
            marks[node[len("forum:"):]] = {"colour": style["colour"], "tag": style["tag"], "dashed": bool(style.get("dashed"))}
    return static_map_svg(landscape, list(analysis.findings), overlap=getattr(analysis, "overlap", None),
                          suppress=changes.suppressed, marks=marks)


def _scenario_lines(changes: Changes, names: "_Names") -> list[str]:
    """One line per step of the scenario, in plain English, naming forums and agencies as the workbook does."""
    from ..change.scenario import ACTIONS

    document, lines = changes.scenario or {}, []
    forum, agency = names.forum, names.agency
    for action in ACTIONS:
        for v in document.get(action, []):
            if action == "merge":
                lines.append(f"merge {', '.join(forum(f) for f in v['forums'] if f != v['into'])} into {forum(v['into'])}")
            elif action == "end":
                lines.append(f"end {forum(v['forum'])}" + (f", its links re-routed to {forum(v['reroute_to'])}"
                                                            if v.get("reroute_to") else ""))
            elif action == "set":
                settings = ", ".join(f"{k.replace('_', ' ')} to {val}" for k, val in v.items() if k != "forum")
                lines.append(f"set {settings} on {forum(v['forum'])}")
            elif action == "remove_seat":
                lines.append(f"remove {agency(v['agency'])}'s seat on {forum(v['forum'])}")
            elif action == "add_seat":
                lines.append(f"add a seat for {agency(v['agency'])} on {forum(v['forum'])}")
            elif action == "add_link":
                lines.append(f"add a link: {forum(v['from'])} {v['type'].replace('_', ' ')} {forum(v['to'])}")
    return lines


_LINK_WORDS = {"escalates_to": "escalates to", "reports_to": "reports to", "feeds_back_to": "feeds back to",
               "refers_to": "refers to", "shares_case_list": "shares case lists with"}


def round_text(state: dict | None) -> str:
    """'Round 2: 15 of 20 chairs returned their forms (75%): moderate confidence', or that there was no round."""
    if state is None:
        return "no mapping round recorded"
    return (f"Round {state['round']}: {state['forms_returned']} of {state['forms_sent']} chairs returned their forms "
            f"({state['response_rate']:.0%}): {band_phrase(state['confidence'])}")


def _link_text(link: dict, names: "_Names") -> str:
    return (f"{names.forum(link['from_forum'])} {_LINK_WORDS.get(link['type'], link['type'].replace('_', ' '))} "
            f"{names.forum(link['to_forum'])}")


_LINK_BEFORE = {"confirmed": "confirmed by both", "unconfirmed": "waiting for the other chair"}  # else as recorded


def knowledge_section(knowledge: dict | None, names: "_Names") -> dict | None:
    """The compare page's 'What the chairs know of each other': each round's response rate and band, and what the
    chairs now list, no longer list, and which links are now confirmed or one-sided, in plain words."""
    if knowledge is None:
        return None
    forum = names.forum
    gone = knowledge["no_longer_known"]
    sections = [
        _listing("Chairs who now list a meeting", [f"{forum(x['forum_id'])}'s chair now lists {forum(x['knows'])}"
                                                   for x in knowledge["now_known"]]),
        _listing("Chairs who no longer list a meeting", [
            f"{forum(x['forum_id'])}'s chair no longer lists {forum(x['knows'])}" for x in gone if x.get("replied", True)]),
        _listing("Not known this round", [
            f"{forum(x['forum_id'])}'s chair listed {forum(x['knows'])} before" for x in gone if not x.get("replied", True)],
            "Their chair did not return this round's form: not evidence that they no longer know it."),
        _listing("Links now confirmed by both chairs", [
            f"{_link_text(x, names)} (before: {_LINK_BEFORE.get(x['before'], x['before'])})"
            for x in knowledge.get("links_now_confirmed", [])]),
        _listing("Links now reported by one chair only", [
            f"{_link_text(x, names)} (before: confirmed by both)" for x in knowledge.get("links_now_one_sided", [])],
            "One chair reports the link and the other, who replied, does not: ask both how it works now."),
        _listing("Links waiting for the other chair", [
            f"{_link_text(x, names)} (before: {_LINK_BEFORE.get(x['before'], x['before'])})"
            for x in knowledge.get("links_awaiting_reply", [])],
            "One chair reports the link; the chair at the other end did not return this round's form, so it is "
            "neither confirmed nor denied."),
    ]
    return {"before": round_text(knowledge["before"]), "after": round_text(knowledge["after"]),
            "sections": [section for section in sections if section]}


def _knowledge_line(knowledge: dict) -> str:
    rounds = " → ".join(f"round {r['round']} ({r['forms_returned']} of {r['forms_sent']} forms, {r['confidence']})"
                        if r else "no round" for r in (knowledge["before"], knowledge["after"]))
    gone = knowledge["no_longer_known"]
    silent = sum(not x.get("replied", True) for x in gone)
    known = len(knowledge["now_known"])
    return (f"What the chairs know of each other: {rounds}; {known} time{'s' if known != 1 else ''} a chair now knows "
            f"another meeting, {len(gone) - silent} no longer" + (f" ({silent} more not known: their chair did not "
                                                                  "reply)." if silent else "."))


def summary_lines(changes: Changes) -> list[str]:
    """The short summary each command prints."""
    c = changes.counts()
    people = changes.cohorts["in_two_or_more_forums"]
    lines = [f"Warning: {w}" for w in changes.extra.get("warnings", [])] + [
        f"Forums: {c['forums_added']} started, {c['forums_removed']} no longer listed, "
        f"{c['forums_status_changed']} changed status ({changes.before['forums']} → {changes.after['forums']}).",
        f"Seats: {c['seats_added']} added, {c['seats_removed']} removed. Posts: {c['posts_left']} left, "
        f"{c['posts_joined']} joined.",
        f"Links: {c['links_added']} added, {c['links_removed']} removed.",
        f"Findings: {c['findings_resolved']} resolved, {c['findings_new']} new, {c['findings_persisting']} still found.",
        f"People discussed in two or more forums: {people['before_shown']} → {people['after_shown']}.",
    ]
    renames = changes.forums["likely_renames"] + changes.agencies["likely_renames"]
    if renames:
        lines.append(f"Likely renames: {len(renames)} (" + "; ".join(
            f"{r['old_id']} → {r['new_id']}" for r in renames[:3]) + (")" if len(renames) <= 3 else "; ...)"))
    replaced = changes.forums.get("likely_replacements", [])
    if replaced:
        lines.append(f"Likely relaunched (same agencies and case list, new id and name): {len(replaced)} (" + "; ".join(
            f"{r['old_id']} → {r['new_id']}" for r in replaced[:3]) + (")" if len(replaced) <= 3 else "; ...)"))
    if changes.seats.get("changed"):
        lines.append(f"Seats whose seniority or role changed: {len(changes.seats['changed'])}.")
    if changes.findings.get("relabelled"):
        lines.append(f"Findings relabelled (the same post under a new label, neither resolved nor new): "
                     f"{len(changes.findings['relabelled'])}.")
    if changes.meeting_hours is not None:
        before, after, freed = hours_change(changes.meeting_hours["before"], changes.meeting_hours["after"])
        lines.append(f"Meeting-hours a month: {before} → {after} "
                     + (f"({hours_text(freed)} freed)." if freed >= 0 else f"({hours_text(-freed)} more)."))
    if changes.knowledge is not None:
        lines.append(_knowledge_line(changes.knowledge))
    if changes.responses:
        closed = c["responses_closed"]
        lines.append(f"Responses: {len(changes.responses)} recorded, {closed} closed (their finding no longer appears).")
    return lines


# -- changes.xlsx -------------------------------------------------------------------------------------------------

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
WRAP = Alignment(vertical="top", wrap_text=True)


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list], stamp: str, changes: Changes) -> None:
    sheet = book.create_sheet(title)
    if stamp:
        sheet.append([stamp])
        sheet["A1"].font = Font(bold=True, color="B2182B")
    sheet.append(header)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    for row in rows:
        sheet.append([safe_text(v) for v in row])
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    for i, name in enumerate(header, start=1):
        width = max([len(str(name))] + [len(str(r[i - 1])) for r in rows[:500] if i - 1 < len(r)])
        sheet.column_dimensions[get_column_letter(i)].width = min(width + 2, 70)
        if width > 70:  # long sentences wrap; styling every cell of every column would cost seconds at scale
            for cell in sheet[get_column_letter(i)][header_row:]:
                cell.alignment = WRAP
    before, after = changes.before, changes.after
    as_of = after.get("as_of")
    finish_sheet(sheet, f"{before['source']} and {after['source']}",  # print set-up: mcn_map.writing.spreadsheet
                 dt.date.fromisoformat(as_of) if as_of else None)


def changes_xlsx_bytes(changes: Changes) -> bytes:
    """``changes.xlsx``: one sheet per kind of change, every row (the page lists the first few)."""
    book = Workbook()
    book.remove(book.active)
    stamp = "" if changes.suppressed else UNSUPPRESSED_STAMP
    counts = changes.counts()
    summary = [["before", changes.before["source"]], ["after", changes.after["source"]],
               ["kind", changes.kind]] + [[k.replace("_", " "), v] for k, v in counts.items()]
    if changes.meeting_hours is not None:
        summary += [["meeting-hours a month before", changes.meeting_hours["before"]],
                    ["meeting-hours a month after", changes.meeting_hours["after"]]]
    _sheet(book, "Summary", ["what", "value"], summary, stamp, changes)
    f = changes.forums
    forum_rows = [["added", x["forum_id"], x["name"], "", "", ""] for x in f["added"]]
    forum_rows += [["removed", x["forum_id"], x["name"], "", "", ""] for x in f["removed"]]
    forum_rows += [["status", x["forum_id"], x["name"], x["from"], x["to"], x["merged_into"]] for x in f["status_changed"]]
    for key in ("level_changed", "chair_changed", "frequency_changed", "person_voice_changed", "renamed"):
        forum_rows += [[key.replace("_changed", ""), x["forum_id"], x["name"], x["from"], x["to"], ""] for x in f[key]]
    forum_rows += [["likely rename", f"{x['old_id']} → {x['new_id']}", x["new_name"], x["old_name"], x["new_name"],
                    ""] for x in f["likely_renames"] + changes.agencies["likely_renames"]]
    _sheet(book, "Forums", ["change", "forum_id", "name", "from", "to", "merged_into"], forum_rows, stamp, changes)
    s = changes.seats
    seat_rows = [[k, x["forum_id"], x["agency_id"], x["post"], x.get("role", ""), x.get("seniority", ""), "", ""]
                 for k in ("added", "removed") for x in s[k]]
    seat_rows += [[k.replace("_", " "), x["forum_id"], x["agency_id"], "", "", "", x["before"], x["after"]]
                  for k in ("attendance_up", "attendance_down") for x in s[k]]
    _sheet(book, "Seats", ["change", "forum_id", "agency_id", "post", "role", "seniority", "attendance before",
                           "attendance after"], seat_rows, stamp, changes)
    p = changes.posts
    post_rows = [[k, x["agency_id"], x["post"], ", ".join(x["forums"]), ""] for k in ("left", "joined") for x in p[k]]
    post_rows += [["changed holder", f"{x['from_agency']} → {x['to_agency']}", x["post"], "", ""]
                  for x in p["changed_holder"]]
    post_rows += [["link depended on it", "", x["via_post"], f"{x['from_forum']} {x['type']} {x['to_forum']}",
                   "yes" if x["still_listed"] else "no"] for x in p["links_via_posts_that_left"]]
    _sheet(book, "Posts", ["change", "agency_id", "post", "forums or link", "link still listed"], post_rows, stamp, changes)
    _sheet(book, "Sectors", ["change", "forum_id", "sector"],
           [[k, x["forum_id"], x["label"]] for k in ("gained", "lost") for x in changes.sectors[k]], stamp, changes)
    _sheet(book, "Links", ["change", "from_forum", "to_forum", "type", "via_post"],
           [[k, x["from_forum"], x["to_forum"], x["type"], x["via_post"]] for k in ("added", "removed")
            for x in changes.links[k]], stamp, changes)
    _sheet(book, "Findings", ["change", "id", "severity", "category", "message", "suggestion"],
           [[k, x["id"], x["severity"], x["category"], x["message"], x["suggestion"]]
            for k in ("resolved", "new", "persisting") for x in changes.findings[k]], stamp, changes)
    cohorts = changes.cohorts
    people = cohorts["in_two_or_more_forums"]
    cohort_rows = [["people in two or more forums", "", people["before_shown"], people["after_shown"]]]
    cohort_rows += [["pair", " and ".join(x["forums"]), x["before_shown"], x["after_shown"]] for x in cohorts["pairs"]]
    cohort_rows += [["cluster", ", ".join(x["forums"]), x["before_shown"], x["after_shown"]]
                    for x in cohorts.get("clusters", [])]
    cohort_rows += [["case list", x["forum_id"], x["before_shown"], x["after_shown"]] for x in cohorts["case_lists"]]
    _sheet(book, "Cohorts", ["figure", "forums", "before", "after"], cohort_rows, stamp, changes)
    _sheet(book, "Responses", ["finding_id", "status", "owner", "note", "review_date", "state", "carried"],
           [[r["finding_id"], r["status"], r["owner"], r["note"], r["review_date"] or "", r["state"],
             "yes" if r["carried"] else "no"] for r in changes.responses], stamp, changes)
    if changes.meeting_hours is not None:
        _sheet(book, "Meeting hours", ["agency_id", "name", "before", "after", "change"],
               [[x["agency_id"], x["name"], x["before"], x["after"], x["change"]]
                for x in changes.meeting_hours["by_agency"]], stamp, changes)
    return workbook_bytes(book)
