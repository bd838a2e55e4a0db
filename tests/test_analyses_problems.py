"""One finding per problem: a pair of forums, a group of forums alike, a group of people, a pattern across forums."""

from __future__ import annotations

import copy

from mcn_map.analyses.problems import facets_of
from mcn_map.analyses.run import analyse
from test_analyses_world import case, forum, healthy_tables, landscape_of, seat, set_forum


def alike(tables, *forum_ids):
    """``forum_ids`` as copies of ops1: the same agencies (ops2 loses its Jobcentre seat for a GP one)."""
    tables["members"] = [s for s in tables["members"] if s["forum_id"] not in forum_ids or s["forum_id"] == "ops1"]
    for forum_id in forum_ids:
        if forum_id == "ops1":
            continue
        if forum_id not in {f["forum_id"] for f in tables["forums"]}:
            tables["forums"].append(forum(forum_id, "operational", themes="housing"))
            tables["links"].append({"from_forum": forum_id, "to_forum": "board", "type": "escalates_to",
                                    "via_post": ""})
            tables["links"].append({"from_forum": "board", "to_forum": forum_id, "type": "feeds_back_to",
                                    "via_post": ""})
        tables["members"] += [{**copy.deepcopy(s), "forum_id": forum_id} for s in tables["members"]
                              if s["forum_id"] == "ops1"]
    return tables


def test_a_pair_sharing_people_and_membership_is_one_finding_with_every_facet():
    tables = alike(healthy_tables(), "ops1", "ops2")
    tables["cohorts"] += [case("ops2", f"P{i:03d}", lead="asc") for i in range(1, 11)]
    analysis = analyse(landscape_of(tables))
    about_pair = [f for f in analysis.findings if set(f.subjects) == {"ops1", "ops2"}]
    assert len(about_pair) == 1
    (pair,) = about_pair
    assert pair.rule == "cohort_overlap" and facets_of(pair) == ["cohort_overlap", "similar_membership"]
    (similar,) = pair.evidence["facets"]
    assert similar["rule"] == "similar_membership" and "near-identical membership" in similar["message"]
    assert similar["subjects"] == ["ops1", "ops2"]
    assert pair.severity == "high"  # the worst of its facets
    assert analysis.counts()["by_category"]["duplication"] == 1  # counts count problems


def test_a_pair_with_one_facet_is_left_as_it_is():
    tables = alike(healthy_tables(), "ops1", "ops2")
    analysis = analyse(landscape_of(tables))
    (pair,) = [f for f in analysis.findings if set(f.subjects) == {"ops1", "ops2"}]
    assert pair.rule == "similar_membership" and "facets" not in pair.evidence


def test_five_forums_alike_are_one_finding_naming_them_all():
    tables = alike(healthy_tables(), "ops1", "ops2", "ops3", "ops4", "ops5")
    analysis = analyse(landscape_of(tables))
    similar = analysis.by_rule("similar_membership")
    assert len(similar) == 1
    assert similar[0].message == "5 operational forums have identical membership: Ops1, Ops2, Ops3, Ops4 and Ops5."
    assert len(similar[0].evidence["pairs"]) == 10


def test_two_forums_alike_stay_a_pair():  # boundary: a group starts at three
    analysis = analyse(landscape_of(alike(healthy_tables(), "ops1", "ops2")))
    assert [len(f.subjects) for f in analysis.by_rule("similar_membership")] == [2]


def no_voice_at(n):
    tables = healthy_tables()
    tables["forums"].append(forum("ops3", "operational", themes="housing"))
    tables["members"] += [{**s, "forum_id": "ops3"} for s in tables["members"] if s["forum_id"] == "ops1"]
    tables["links"] += [{"from_forum": "ops3", "to_forum": "board", "type": "escalates_to", "via_post": ""},
                        {"from_forum": "board", "to_forum": "ops3", "type": "feeds_back_to", "via_post": ""}]
    tables["cohorts"] += [case("ops3", f"P{i:03d}") for i in range(30, 40)]
    for forum_id in ("ops1", "ops2", "ops3")[:n]:
        set_forum(tables, forum_id, person_voice="none")
    return analyse(landscape_of(tables))


def test_no_person_voice_at_three_forums_is_one_pattern():
    found = no_voice_at(3).by_rule("no_person_voice")
    assert len(found) == 1
    assert found[0].message.startswith("3 of 3 case forums hear no one in the room speaking for the people they "
                                       "discuss")
    assert "Ops1, Ops2 and Ops3" in found[0].message


def test_no_person_voice_at_two_forums_stays_two_findings():  # boundary: digest.pattern_from is 3
    found = no_voice_at(2).by_rule("no_person_voice")
    assert sorted(f.subjects for f in found) == [("ops1",), ("ops2",)]


def test_bouncing_cases_are_told_with_the_people_in_many_forums():
    tables = healthy_tables()
    tables["forums"].append(forum("ops3", "operational", themes="housing"))
    tables["members"] += [seat("ops3", "asc", seniority="service manager", post="ops3 chair")]
    for i in range(1, 11):
        tables["cohorts"] += [case("ops2", f"P{i:03d}", day="2026-09-10"), case("ops3", f"P{i:03d}", day="2026-09-20")]
    analysis = analyse(landscape_of(tables))
    rules = [r for f in analysis.findings for r in facets_of(f)]
    assert "bouncing_cases" in rules and not analysis.by_rule("bouncing_cases")
    assert rules.count("bouncing_cases") == 1
