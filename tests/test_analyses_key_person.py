"""Key-person rules on hand-made landscapes: fires, does not fire, and the boundary."""

from __future__ import annotations

from mcn_map.analyses.key_person import post_on_many_forums, sole_tier_link
from test_analyses_world import forum, healthy_tables, link, run_rule, seat


def only_one_navigator(tables):
    tables["members"] = [s for s in tables["members"] if s["post"] != "Navigator 2"]
    return tables


def test_the_only_post_on_both_tiers_is_a_single_point_of_failure():
    (finding,) = run_rule(sole_tier_link, only_one_navigator(healthy_tables()))
    assert finding.subjects == ("vcs", "Navigator 1") and finding.severity == "high"
    assert finding.evidence["operational_forums"] == ["ops1", "ops2"]


def test_two_posts_on_both_tiers_are_fine_unless_configured():
    assert run_rule(sole_tier_link, healthy_tables()) == []
    flagged = run_rule(sole_tier_link, healthy_tables(), key_person={"max_bridging_posts": 2})
    assert sorted(f.subjects for f in flagged) == [("vcs", "Navigator 1"), ("vcs", "Navigator 2")]


def test_the_same_label_in_another_agency_is_another_post():
    tables = only_one_navigator(healthy_tables())
    tables["members"] += [seat("board", "gp", post="Navigator 1"), seat("ops1", "dwp", post="Navigator 1")]
    (finding,) = run_rule(sole_tier_link, tables)  # gp's and dwp's "Navigator 1" are two other people
    assert finding.evidence["agency"] == "vcs"


def _more_forums(tables, count):
    for i in range(count):
        tables["forums"].append(forum(f"extra{i}", "operational"))
        tables["members"].append(seat(f"extra{i}", "vcs", post="Navigator 1"))
        tables["links"].append(link(f"extra{i}", "board"))
    return tables


def test_post_on_five_forums_holds_too_much():
    (finding,) = run_rule(post_on_many_forums, _more_forums(healthy_tables(), 2))
    assert finding.subjects == ("vcs", "Navigator 1") and finding.evidence["count"] == 5


def test_post_on_four_forums_is_fine_and_boundary_is_inclusive():
    assert run_rule(post_on_many_forums, _more_forums(healthy_tables(), 1)) == []
    assert len(run_rule(post_on_many_forums, healthy_tables(), key_person={"many_forums": 3})) == 2


def _generic_label(tables, count, seniorities):
    """An unnumbered label ('Housing officer') held at Housing Options on ``count`` forums."""
    for i in range(count):
        tables["forums"].append(forum(f"extra{i}", "operational"))
        tables["members"].append(seat(f"extra{i}", "housing", post="Housing officer",
                                      seniority=seniorities[i % len(seniorities)]))
        tables["links"].append(link(f"extra{i}", "board"))
    return tables


def test_a_label_with_different_seniority_across_forums_is_a_role_not_one_post():
    tables = _generic_label(healthy_tables(), 6, ["practitioner", "service manager"])
    assert [f for f in run_rule(post_on_many_forums, tables) if f.subjects[0] == "housing"] == []


def test_a_label_with_different_roles_across_forums_is_a_role_not_one_post():
    tables = _generic_label(healthy_tables(), 6, ["practitioner"])
    tables["members"][-1]["role"] = "chair"
    assert [f for f in run_rule(post_on_many_forums, tables) if f.subjects[0] == "housing"] == []


def test_an_unnumbered_label_held_the_same_way_everywhere_says_post_not_person():
    tables = _generic_label(healthy_tables(), 5, ["practitioner"])
    (finding,) = [f for f in run_rule(post_on_many_forums, tables) if f.subjects[0] == "housing"]
    assert "rests with one post" in finding.message and "person" not in finding.message
    (navigator,) = run_rule(post_on_many_forums, _more_forums(healthy_tables(), 2))
    assert "rests with one person" in navigator.message  # "Navigator 1": the label names one post-holder


def test_blank_seniority_does_not_count_as_a_difference():
    tables = _generic_label(healthy_tables(), 5, ["practitioner", ""])
    assert [f for f in run_rule(post_on_many_forums, tables) if f.subjects[0] == "housing"]
