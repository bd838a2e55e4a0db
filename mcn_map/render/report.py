"""``report.html``: the board paper — headline figures, the top findings, the map (and the options) in a main part
that prints on at most four A4 landscape pages, then an appendix with every finding in plain English and three
charts drawn as inline SVG — one self-contained page.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
from markupsafe import Markup

from .._version import __version__
from ..analyses.findings import CATEGORIES, SEVERITIES
from ..analyses.ranking import headline
from ..memo import Memo
from ..model import Landscape
from ..privacy.suppression import UNSUPPRESSED_STAMP, people_count, people_number
from ..loading.schema import SECTOR_LABELS, VOCABULARIES
from .map import map_page, resolve_analysis, suppressed, template_env
from ..change.responses import response_summary
from .network import (CATEGORY_LABELS, LEVEL_STYLE, MAX_FULL_MAP_NODES, RINGED_FINDINGS, map_data, meam_label,
                      node_count, overlap_pairs)
from .options import options_section
from .svg import bar_chart, heatmap
from .flows import report_context as journeys_context
from .static_map import MAX_STATIC_FORUMS, missing_key, overview_caption, static_legend, static_map_svg

__all__ = ["render_report", "CATEGORY_WHY", "MAX_HEATMAP_ROWS", "MAX_BARS"]

MAX_HEATMAP_ROWS = 45
MAX_BARS = 20
MAX_FINDINGS_PER_CATEGORY = 25  # a board paper lists the most serious; findings.xlsx has them all

CATEGORY_WHY = {
    "duplication": "The same people discussed in several meetings, or meetings with near-identical membership: "
                   "duplicated effort, and plans that may contradict each other.",
    "missing_partner": "Sectors expected at the table but absent or absent in practice — most often mental health "
                       "and drug and alcohol services.",
    "weak_link": "Operational groups whose system issues have no route to a strategic group that can act on them, "
                 "or never hear back.",
    "person_voice": "Meetings that discuss people with no one in the room speaking for them: nothing about us "
                    "without us.",
    "key_person": "Links and expertise held by one or two posts, which die when the person in post leaves.",
    "attendance": "Seats held on paper but not taken in practice.",
    "seniority": "Whether the people at the table can commit their organisations and agree flexibility.",
    "burden": "Agencies carrying the most meeting-hours each month, and lead workers carrying more people than the guidance suggests: the capacity of senior stakeholders and of frontline staff.",
    "knowledge": "From the chairs' own forms: meetings that share people without knowing of each other, routes only "
                 "one side recognises, and contact that does not work. Each finding gives the round's response rate "
                 "and how far it can be trusted.",
}


def _headline(landscape: Landscape, findings, suppress: bool) -> list[dict]:
    forums = landscape.forums
    levels = forums["level"].value_counts()
    statuses = forums["status"].value_counts()
    level_text = " · ".join(f"{int(levels.get(lv, 0))} {lv}" for lv in VOCABULARIES["level"] if levels.get(lv, 0))
    inactive = int(statuses.get("ended", 0) + statuses.get("merged", 0) + statuses.get("paused", 0))
    figures = [
        {"value": f"{len(forums):,}", "label": "forums", "detail": level_text + (
            f"; {inactive} ended, merged or paused" if inactive else "")},
        {"value": f"{len(landscape.agencies):,}", "label": "agencies",
         "detail": f"{landscape.agencies['sector'].nunique()} sectors"},
        {"value": f"{len(landscape.seats):,}", "label": "seats", "detail": "an agency sitting on a forum"},
    ]
    cohorts = landscape.cohorts
    if len(cohorts):
        per_person = cohorts.drop_duplicates(["forum_id", "person"]).groupby("person").size()
        figures.append({"value": people_count(len(per_person), suppress), "label": "people discussed",
                        "detail": f"{people_count(int((per_person >= 2).sum()), suppress)} of them in two or more forums"})
    severities = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}
    figures.append({"value": f"{len(findings):,}", "label": "findings",
                    "detail": " · ".join(f"{n} {s}" for s, n in severities.items())})
    return figures


def _coverage_chart(landscape: Landscape, analysis, findings) -> tuple[Markup | None, str]:
    coverage = getattr(analysis, "coverage", None)
    if coverage is None or not len(coverage):
        pairs = landscape.seats_with_sector()
        coverage = pd.crosstab(pairs["forum_id"], pairs["sector"]) if len(pairs) else None
    if coverage is None or not len(coverage):
        return None, ""
    missing: dict[tuple[str, str], str] = {}
    for f in findings:
        if f.category == "missing_partner" and f.subjects and f.subjects[0] in landscape.forum_name:
            for sector in f.evidence.get("sectors", []) or []:
                missing[(f.subjects[0], sector)] = "seat held on paper only" if "paper" in f.rule else "expected but missing"
    forums = landscape.forums.copy()
    forums["order"] = forums["level"].map({lv: i for i, lv in enumerate(VOCABULARIES["level"])}).fillna(9)
    forums = forums.sort_values(["order", "name", "forum_id"])
    rows = [f for f in forums["forum_id"] if f in coverage.index]
    note = ""
    if len(rows) > MAX_HEATMAP_ROWS:
        flagged = {f for f, _ in missing}
        rows = [f for f in rows if f in flagged][:MAX_HEATMAP_ROWS] or rows[:MAX_HEATMAP_ROWS]
        note = (f"Showing {len(rows)} of {len(forums):,} forums (those missing an expected partner first); "
                "findings.xlsx has the full table.")
    missing_sectors = {sector for _, sector in missing}
    used = [s for s in SECTOR_LABELS if (s in coverage.columns and coverage[s].sum() > 0) or s in missing_sectors]
    table = coverage.reindex(index=rows, columns=used).fillna(0)
    values = table.to_numpy()
    names = [f"{landscape.forum_name.get(f, f)}" for f in rows]
    status = landscape.forum_status
    names = [n + (" (ended)" if status.get(f) == "ended" else " (merged)" if status.get(f) == "merged" else "")
             for n, f in zip(names, rows)]
    chart = heatmap(
        names, [SECTOR_LABELS[s] for s in used],
        lambda i, j: float(values[i, j]),
        cell_text=lambda i, j: str(int(values[i, j])) if values[i, j] else "",
        marked=lambda i, j: missing.get((rows[i], used[j])),
        cell_title=lambda i, j: f"{names[i]}: {int(values[i, j])} seat{'s' if values[i, j] != 1 else ''} held by "
                                f"{SECTOR_LABELS[used[j]].lower()}",
        title="Which sectors sit on which forums",
        description="Rows are forums (strategic first), columns are sectors; each cell counts the seats held; a red "
                    "outline marks a sector expected at that forum but missing.",
    )
    return chart, note


def _overlap_chart(landscape: Landscape, analysis, suppress: bool) -> tuple[Markup | None, str]:
    pairs = overlap_pairs(landscape, getattr(analysis, "overlap", None))
    if not pairs:
        return None, ""
    totals: dict[str, int] = defaultdict(int)
    for a, b, n in pairs:
        totals[a] += n
        totals[b] += n
    forums = sorted(totals, key=lambda f: (-totals[f], landscape.forum_name.get(f, f)))
    note = ""
    if len(forums) > MAX_HEATMAP_ROWS:
        note = f"Showing the {MAX_HEATMAP_ROWS} forums with the most shared people, of {len(forums):,}."
        forums = forums[:MAX_HEATMAP_ROWS]
    order = {lv: i for i, lv in enumerate(VOCABULARIES["level"])}
    forums.sort(key=lambda f: (order.get(landscape.forum_level.get(f, ""), 9), landscape.forum_name.get(f, f)))
    shared = {(a, b): n for a, b, n in pairs}
    sizes = landscape.cohorts.groupby("forum_id")["person"].nunique().to_dict() if len(landscape.cohorts) else {}

    def exact(i, j):
        a, b = forums[i], forums[j]
        if a == b:
            return sizes.get(a, 0)
        return shared.get((min(a, b), max(a, b)), 0)

    def shade(i, j):
        if i == j:
            return None  # the diagonal is each forum's own case list, greyed
        number = people_number(exact(i, j), suppress)
        return 4.0 if number is None else float(number)  # every suppressed cell shaded alike

    names = [landscape.forum_name.get(f, f) for f in forums]
    chart = heatmap(
        names, names, shade,
        cell_text=lambda i, j: people_count(exact(i, j), suppress) if exact(i, j) else "",
        cell_title=lambda i, j: (f"{names[i]}: {people_count(exact(i, j), suppress)} people on its case list" if i == j
                                 else f"{people_count(exact(i, j), suppress)} people discussed at both {names[i]} "
                                      f"and {names[j]}"),
        title="People discussed at more than one forum",
        description="Each cell counts the people discussed at both forums; the grey diagonal is each forum's own "
                    "case list. Counts of 1 to 7 show as <8 and larger counts are rounded to the nearest 5.",
        cell=30,
    )
    return chart, note


def _burden_chart(landscape: Landscape, analysis, findings) -> tuple[Markup | None, str]:
    burden = getattr(analysis, "burden", None)
    if burden is None or not len(burden) or "hours_per_month" not in burden:
        return None, ""
    table = burden.sort_values(["hours_per_month", "name"], ascending=[False, True]).head(MAX_BARS)
    table = table[table["hours_per_month"] > 0]
    if not len(table):
        return None, ""
    flagged = {s for f in findings if f.category == "burden" for s in f.subjects}
    threshold = getattr(getattr(getattr(analysis, "config", None), "burden", None), "hours_per_month", None)
    chart = bar_chart(
        [str(n) for n in table["name"]], [float(v) for v in table["hours_per_month"]],
        title="Meeting-hours each month, by agency", unit="hours a month",
        description="Estimated from each forum's frequency and a typical meeting length per tier; darker bars carry "
                    "a burden finding.",
        highlight=[a in flagged for a in table["agency_id"]],
        threshold=threshold, threshold_label=f"{threshold:g} hours a month" if threshold else "",
        notes=[f"{int(n)} forums" for n in table.get("forums", pd.Series([0] * len(table)))],
    )
    note = f"The {len(table)} agencies with the most meeting-hours, of {len(burden):,}." if len(burden) > MAX_BARS else ""
    return chart, note


def _why(category: str, landscape: Landscape) -> str:
    """The category's explanation; for the chairs' answers, with the round's response rate and confidence beside it."""
    why = CATEGORY_WHY.get(category, "")
    if category == "knowledge":
        from ..analyses.knowledge import round_state

        state = round_state(landscape)
        if state is not None:
            why = f"{why} {state.sentence()}"
    return why


def _findings_by_category(findings, landscape: Landscape) -> list[dict]:
    names = {**landscape.agency_name, **landscape.forum_name}
    responses = response_summary(landscape, findings)["by_finding"]  # the partnership's decision, where recorded
    groups = []
    for category in CATEGORIES:
        items = [f for f in findings if f.category == category]
        if not items:
            continue
        groups.append({
            "key": category, "label": CATEGORY_LABELS.get(category, category), "why": _why(category, landscape),
            "counts": " · ".join(f"{n} {s}" for s in SEVERITIES if (n := sum(1 for f in items if f.severity == s))),
            "items": [{"severity": f.severity, "message": f.message, "suggestion": f.suggestion,
                       "meam": [meam_label(m) for m in f.meam],
                       "about": ", ".join(names.get(s, s) for s in f.subjects[:6])
                       + (f" and {len(f.subjects) - 6} more" if len(f.subjects) > 6 else ""),
                       "response": responses.get(f.id)}
                      for f in items[:MAX_FINDINGS_PER_CATEGORY]],
            "more": max(len(items) - MAX_FINDINGS_PER_CATEGORY, 0),
        })
    return groups


def _long_date(when: pd.Timestamp) -> str:
    """'3 March 2026': the day without a leading zero, built by hand: the strftime flag for that is not on Windows."""
    return f"{when.day} {when:%B %Y}"


def render_report(landscape: Landscape, analysis=None, *, findings=None, suppress: bool | None = None,
                  title: str | None = None, include_map: bool = True, options=None, memo: Memo | None = None) -> str:
    """The board report as one self-contained HTML page (A4 landscape when printed).

    ``analysis`` is an Analysis or a list of findings; the renderer never runs the analyses itself.
    ``options``: the evaluated options for the board (:func:`mcn_map.change.options.board_options`), listed with the
    partnership's responses; None when they were not evaluated."""
    found, overlap, analysis = resolve_analysis(analysis, findings)
    suppress = suppressed(analysis, suppress)
    if options is None and analysis is not None:  # the options the analyse step weighed, if it did
        options = getattr(analysis, "options", None)
    as_of = getattr(analysis, "as_of", None) or landscape.latest_date
    as_of_text = _long_date(pd.Timestamp(as_of)) if as_of is not None and pd.notna(as_of) else ""
    map_srcdoc = ""
    map_note = ""
    if include_map:
        nodes = node_count(landscape, found)
        if nodes > MAX_FULL_MAP_NODES:
            # Embedding a map this large would make the paper itself slow to open: point to map.html instead.
            map_note = (f"This landscape is too large to draw inside the report ({nodes:,} points): open map.html, "
                        "which shows the forums only, with each forum's agencies folded into a count.")
        else:
            data = map_data(landscape, found, overlap=overlap, view="system", suppress=suppress, memo=memo)
            map_srcdoc = map_page(landscape, data, found, suppress=suppress)
    coverage, coverage_note = _coverage_chart(landscape, analysis, found)
    overlap_chart, overlap_note = _overlap_chart(landscape, analysis, suppress)
    burden, burden_note = _burden_chart(landscape, analysis, found)
    top = headline(found, RINGED_FINDINGS)  # the same problems the map rings
    static = static_map_svg(landscape, found, memo=memo, overlap=overlap, suppress=suppress)  # the printed map
    return template_env().get_template("report.html.j2").render(
        title=title or "Multi-agency meetings: report to the board",
        source=landscape.source if landscape.source != "memory" else "",
        as_of=as_of_text, version=__version__, stamp="" if suppress else UNSUPPRESSED_STAMP,
        headline=_headline(landscape, found, suppress),
        one_line=getattr(analysis, "headline", "") if analysis is not None else "",
        key_findings=[{"severity": f.severity, "category": CATEGORY_LABELS.get(f.category, f.category),
                       "message": f.message, "suggestion": f.suggestion} for f in top],
        more_findings=len(found) > len(top), total_findings=len(found),
        map_srcdoc=map_srcdoc, map_note=map_note, static_map=static,
        static_legend=static_legend(), static_key=missing_key(landscape, found),
        static_overview=overview_caption(landscape, found, suppress) if len(landscape.forums) > MAX_STATIC_FORUMS else "",
        groups=_findings_by_category(found, landscape),
        coverage=coverage, coverage_note=coverage_note,
        overlap=overlap_chart, overlap_note=overlap_note,
        burden=burden, burden_note=burden_note,
        levels=[{"label": LEVEL_STYLE[lv]["label"], "colour": LEVEL_STYLE[lv]["background"]} for lv in VOCABULARIES["level"]],
        suppress=suppress, warnings=len(landscape.warnings),
        config_source=getattr(getattr(analysis, "config", None), "source", "") if analysis is not None else "",
        **journeys_context(landscape, analysis, found, suppress),
        board_options=options_section(landscape, found, options),
    )
