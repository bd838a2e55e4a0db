"""A small healthy partnership the analyses tests share, and the check that it really is healthy (no findings).

Each rule's tests take :func:`healthy_tables`, break one thing, and run the rule with :func:`run_rule`.
"""

from __future__ import annotations

import pandas as pd

import mcn_map
from mcn_map.analyses.run import RULES, analyse
from mcn_map.config import Config, load_config

HEADERS = {
    "forums": ["forum_id", "name", "level", "themes", "chair_agency", "frequency", "status", "merged_into", "last_met",
               "person_voice", "kind"],
    "agencies": ["agency_id", "name", "sector", "parent"],
    "members": ["forum_id", "agency_id", "role", "seniority", "post", "meetings_held", "meetings_attended"],
    "cohorts": ["forum_id", "person_id", "discussed_on", "lead_agency"],
    "links": ["from_forum", "to_forum", "type", "via_post"],
}

CORE = ["mh", "dap", "housing", "police", "probation", "asc"]


def forum(forum_id, level, *, themes="", frequency="monthly", status="active", merged_into="", last_met="2026-10-20",
          person_voice="representative", name=None, kind=""):
    return {"forum_id": forum_id, "name": name or forum_id.title(), "level": level, "themes": themes,
            "chair_agency": "", "frequency": frequency, "status": status, "merged_into": merged_into,
            "last_met": last_met, "person_voice": person_voice, "kind": kind}


def seat(forum_id, agency_id, *, seniority="practitioner", post="", held=12, attended=10, role="member"):
    return {"forum_id": forum_id, "agency_id": agency_id, "role": role, "seniority": seniority, "post": post,
            "meetings_held": held, "meetings_attended": attended}


def link(source, target, kind="escalates_to"):
    return {"from_forum": source, "to_forum": target, "type": kind, "via_post": ""}


def case(forum_id, person, day="2026-09-01", lead="asc"):
    return {"forum_id": forum_id, "person_id": person, "discussed_on": day, "lead_agency": lead}


def healthy_tables() -> dict[str, list[dict]]:
    """One strategic board and two operational forums, every expected partner present and attending, routes both
    ways, two navigator posts across the tiers, and case lists that do not overlap."""
    agencies = [
        ("mh", "Mental Health Trust", "mental_health"), ("dap", "Recovery Service", "drug_alcohol"),
        ("housing", "Housing Options", "housing"), ("police", "Police", "police"),
        ("probation", "Probation", "probation"), ("asc", "Adult Social Care", "adult_social_care"),
        ("experts", "Experts by Experience", "lived_experience"), ("ph", "Public Health", "public_health"),
        ("comm", "Commissioning", "commissioning"), ("gp", "Primary Care", "primary_care"),
        ("dwp", "Jobcentre", "welfare"), ("vcs", "Navigator Charity", "vcs"),
    ]
    members = [seat("board", a, seniority="strategic lead", post=f"{a} director", held=6, attended=5) for a in CORE]
    members += [seat("board", "experts", seniority="expert by experience", held=6, attended=6),
                seat("board", "ph", seniority="executive", held=6, attended=5, role="chair"),
                seat("board", "comm", seniority="strategic lead", held=6, attended=5),
                seat("board", "vcs", post="Navigator 1", held=6, attended=6),
                seat("board", "vcs", post="Navigator 2", held=6, attended=6)]
    for ops, extra in (("ops1", "gp"), ("ops2", "dwp")):
        members += [seat(ops, "asc", seniority="service manager", role="chair", post=f"{ops} chair")]
        members += [seat(ops, a, post=f"{ops} {a} worker") for a in CORE if a != "asc"]
        members += [seat(ops, extra), seat(ops, "vcs", post="Navigator 1"), seat(ops, "vcs", post="Navigator 2")]
    return {
        "forums": [forum("board", "strategic", frequency="bi-monthly", last_met="2026-10-01", person_voice=""),
                   forum("ops1", "operational", themes="housing"),
                   forum("ops2", "operational", themes="offending", last_met="2026-10-22")],
        "agencies": [{"agency_id": a, "name": n, "sector": s, "parent": ""} for a, n, s in agencies],
        "members": members,
        "cohorts": [case("ops1", f"P{i:03d}") for i in range(1, 11)]
        + [case("ops2", f"P{i:03d}", lead="probation") for i in range(11, 21)],
        "links": [link("ops1", "board"), link("board", "ops1", "feeds_back_to"),
                  link("ops2", "board", "reports_to"), link("board", "ops2", "feeds_back_to")],
    }


def without(tables, forum_id, agency_id):
    tables["members"] = [s for s in tables["members"] if not (s["forum_id"] == forum_id and s["agency_id"] == agency_id)]
    return tables


def set_forum(tables, forum_id, **values):
    for forum in tables["forums"]:
        if forum["forum_id"] == forum_id:
            forum.update(values)
    return tables


def stopped(tables, forum_id, last_met):
    """``forum_id`` last met on ``last_met``, and its case list says the same: no discussion after it (a forum that
    discusses people has met, so a stopped forum's case list stops too)."""
    set_forum(tables, forum_id, last_met=last_met)
    for row in tables["cohorts"]:
        if row["forum_id"] == forum_id and row["discussed_on"] > last_met:
            row["discussed_on"] = last_met
    return tables


def attendance(tables, forum_id, agency_id, attended, held=12):
    for s in tables["members"]:
        if s["forum_id"] == forum_id and s["agency_id"] == agency_id:
            s.update(meetings_held=held, meetings_attended=attended)
    return tables


def landscape_of(tables: dict[str, list[dict]]) -> mcn_map.Landscape:
    frames = {name: pd.DataFrame(rows, columns=HEADERS[name]).astype(object) for name, rows in tables.items()}
    return mcn_map.load_frames(frames, source="test")


def config_with(**sections) -> Config:
    """Defaults with overrides, e.g. config_with(duplication={"many_forums": 2}, suppress=False)."""
    return load_config(sections) if sections else Config()


def run_rule(rule, tables, **sections):
    return rule(landscape_of(tables), config_with(**sections))


def rule_fired(rule, tables, **sections) -> bool:
    return bool(run_rule(rule, tables, **sections))


def test_healthy_partnership_has_no_findings():
    analysis = analyse(landscape_of(healthy_tables()))
    assert [(f.rule, f.subjects) for f in analysis.findings] == []


def test_every_rule_is_a_pure_function_of_landscape_and_config():
    landscape, config = landscape_of(healthy_tables()), Config()
    for rule in RULES:
        assert rule(landscape, config) == rule(landscape, config) == [], rule.__name__


def test_bare_landscape_without_case_lists_links_or_counts_still_analyses():
    tables = healthy_tables()
    del tables["cohorts"], tables["links"]
    for s in tables["members"]:
        s.update(meetings_held="", meetings_attended="", seniority="", post="")
    for f in tables["forums"]:
        f.update(frequency="", last_met="")
    analysis = analyse(landscape_of(tables))
    assert analysis.as_of is None and analysis.overlap.to_numpy().sum() == 0
    assert {f.rule for f in analysis.findings} == {"no_route_to_strategic", "strategic_unfed"}
