"""Duplication rules on hand-made landscapes: fires, does not fire, and the boundary."""

from __future__ import annotations

import json

from mcn_map.analyses.duplication import (
    contradictory_plans, cohort_overlap, overlap_matrix, people_in_many_forums, similar_membership)
from mcn_map.analyses.run import analyse
from test_analyses_world import case, config_with, healthy_tables, landscape_of, link, run_rule


def shared_with_ops2(tables, count, day="2026-09-01", lead="probation"):
    """The first `count` of ops1's people are also discussed at ops2. One of ops2's own people is led by housing at
    one discussion and by another agency at the next: ops2 records a lead per person and per discussion, so a lead
    differing from ops1's is evidence, not each list naming only itself."""
    tables["cohorts"] += [case("ops2", f"P{i:03d}", day=day, lead=lead) for i in range(1, count + 1)]
    own = next(row for row in tables["cohorts"] if row["forum_id"] == "ops2" and row["person_id"] == "P020")
    tables["cohorts"].append({**own, "lead_agency": "housing", "discussed_on": "2026-07-01"})
    return tables


def test_forums_sharing_many_people_are_flagged_with_suppressed_counts():
    (finding,) = run_rule(cohort_overlap, shared_with_ops2(healthy_tables(), 4, lead="asc"))
    assert finding.subjects == ("ops1", "ops2") and finding.severity == "medium"
    assert finding.evidence["shared_people"] == "<8"
    assert finding.evidence["overlap_coefficient"] is None  # a ratio would give the suppressed count back
    assert "P00" not in json.dumps(finding.as_dict())


def test_exact_counts_when_suppression_is_off():
    (finding,) = run_rule(cohort_overlap, shared_with_ops2(healthy_tables(), 4), suppress=False)
    assert finding.evidence["shared_people"] == "4"
    assert finding.evidence["overlap_coefficient"] == 0.4  # 4 of the smaller list of 10
    assert "4 of the same people" in finding.message


def test_two_shared_people_are_below_the_threshold():
    assert run_rule(cohort_overlap, shared_with_ops2(healthy_tables(), 2)) == []


def test_overlap_boundary_is_inclusive():
    tables = shared_with_ops2(healthy_tables(), 3)
    assert run_rule(cohort_overlap, tables, duplication={"overlap_min_coefficient": 0.3})
    assert not run_rule(cohort_overlap, tables, duplication={"overlap_min_coefficient": 0.31})


def test_half_the_smaller_case_list_is_high_severity():
    (finding,) = run_rule(cohort_overlap, shared_with_ops2(healthy_tables(), 5))
    assert finding.severity == "high"


def test_overlap_matrix_counts_each_person_once_per_forum():
    tables = shared_with_ops2(healthy_tables(), 4)
    tables["cohorts"].append(case("ops1", "P001", day="2026-09-20"))  # discussed twice at ops1
    overlap = overlap_matrix(landscape_of(tables))
    assert overlap.loc["ops1", "ops2"] == overlap.loc["ops2", "ops1"] == 4
    assert overlap.loc["ops1", "ops1"] == 10 and overlap.loc["ops2", "ops2"] == 14
    assert overlap.loc["board", "board"] == 0


def test_person_in_three_forums_is_flagged_without_naming_them():
    tables = shared_with_ops2(healthy_tables(), 1)
    tables["cohorts"].append(case("board", "P001"))
    (finding,) = run_rule(people_in_many_forums, tables)
    assert finding.subjects == ("board", "ops1", "ops2")
    assert finding.evidence["people"] == "<8"
    assert "P001" not in json.dumps(finding.as_dict())


def test_person_in_two_forums_is_not_many_unless_configured():
    tables = shared_with_ops2(healthy_tables(), 1)
    assert run_rule(people_in_many_forums, tables) == []
    assert run_rule(people_in_many_forums, tables, duplication={"many_forums": 2})


BELOW_OVERLAP = {"overlap_min_coefficient": 0.5}  # 3 or 4 shared of ten: under the overlap threshold


def test_different_leads_within_ninety_days_risk_contradictory_plans():
    tables = shared_with_ops2(healthy_tables(), 3, day="2026-11-30")  # 90 days after ops1's discussions
    (finding,) = run_rule(contradictory_plans, tables, duplication=BELOW_OVERLAP)
    assert finding.subjects == ("ops1", "ops2") and finding.severity == "high"
    assert finding.evidence["different_leads"] == "<8" and finding.evidence["shares_case_list"] is False
    assert "Ask both chairs to share case lists" in finding.suggestion


def test_contradictory_plans_boundary_and_same_lead():
    below = dict(duplication=BELOW_OVERLAP)
    assert run_rule(contradictory_plans, shared_with_ops2(healthy_tables(), 3, day="2026-12-01"), **below) == []
    assert run_rule(contradictory_plans, shared_with_ops2(healthy_tables(), 3, lead="asc"), **below) == []


def test_a_pair_needs_the_minimum_number_of_people():
    below = dict(duplication=BELOW_OVERLAP)
    assert run_rule(contradictory_plans, shared_with_ops2(healthy_tables(), 2), **below) == []
    assert run_rule(cohort_overlap, shared_with_ops2(healthy_tables(), 2)) == []
    assert run_rule(contradictory_plans, shared_with_ops2(healthy_tables(), 2),
                    duplication={"overlap_min_coefficient": 0.5, "overlap_min_shared": 2})


def test_one_finding_per_pair_carrying_the_different_leads():
    tables = shared_with_ops2(healthy_tables(), 5)  # over the overlap threshold, all under different leads
    landscape = landscape_of(tables)
    analysis = analyse(landscape, config_with(suppress=False))
    pair = [f for f in analysis.findings if f.category == "duplication" and f.subjects == ("ops1", "ops2")]
    assert [f.rule for f in pair] == ["cohort_overlap"]
    (finding,) = pair
    assert finding.severity == "high" and finding.evidence["different_leads"] == "5"
    assert "5 of them under different lead agencies within 90 days" in finding.message


def test_a_pair_already_sharing_case_lists_is_told_what_is_left_to_do():
    tables = shared_with_ops2(healthy_tables(), 5)
    tables["links"].append(link("ops1", "ops2", "shares_case_list"))
    (finding,) = run_rule(cohort_overlap, tables)
    assert finding.evidence["shares_case_list"] is True
    assert finding.suggestion.startswith("They already share case lists")
    assert "Ask both chairs to share case lists" not in finding.suggestion


def _same_agencies_as_ops1(tables, themes="housing", level="operational"):
    tables["members"] = [s for s in tables["members"] if s["forum_id"] != "ops2"]
    tables["members"] += [dict(s, forum_id="ops2") for s in tables["members"] if s["forum_id"] == "ops1"]
    for forum in tables["forums"]:
        if forum["forum_id"] == "ops2":
            forum.update(themes=themes, level=level)
    return tables


def test_same_level_same_members_shared_theme_is_a_merge_candidate():
    (finding,) = run_rule(similar_membership, _same_agencies_as_ops1(healthy_tables()))
    assert finding.subjects == ("ops1", "ops2") and finding.evidence["jaccard"] == 1.0
    assert finding.evidence["shared_themes"] == ["housing"]


def test_same_members_whatever_the_themes_are_reported_at_lower_severity():
    (finding,) = run_rule(similar_membership, _same_agencies_as_ops1(healthy_tables(), themes="offending"))
    assert finding.severity == "low" and finding.evidence["shared_themes"] == []
    assert "themes differ" in finding.message
    (themed,) = run_rule(similar_membership, _same_agencies_as_ops1(healthy_tables()))
    assert themed.severity == "medium"


def test_similar_membership_needs_the_same_level():
    assert run_rule(similar_membership, _same_agencies_as_ops1(healthy_tables(), level="tactical")) == []


def test_similar_membership_boundary():
    tables = healthy_tables()  # ops1 and ops2 share 7 of 9 agencies
    for forum in tables["forums"]:
        forum["themes"] = "housing" if forum["level"] == "operational" else forum["themes"]
    assert run_rule(similar_membership, tables) == []
    assert run_rule(similar_membership, tables, duplication={"membership_jaccard": 7 / 9})


def _kinds(tables, first, second):
    for forum in tables["forums"]:
        if forum["forum_id"] == "ops1":
            forum["kind"] = first
        if forum["forum_id"] == "ops2":
            forum["kind"] = second
    return tables


def test_forums_of_different_national_kinds_are_aligned_not_merged():
    (finding,) = run_rule(similar_membership, _kinds(_same_agencies_as_ops1(healthy_tables()), "marac", "matac"))
    assert "different national purposes" in finding.suggestion and "merging" in finding.suggestion
    assert "Consider merging" not in finding.suggestion


def test_forums_of_one_kind_or_none_are_still_merge_candidates():
    for first, second in (("marac", "marac"), ("", "")):
        (finding,) = run_rule(similar_membership, _kinds(_same_agencies_as_ops1(healthy_tables()), first, second))
        assert finding.suggestion.startswith("Consider merging")


def test_the_different_leads_self_join_in_blocks_of_people_counts_as_one_join(monkeypatch):
    """Blocks hold whole people, so joining block by block finds every pair, each once."""
    from mcn_map.analyses import duplication
    from board_pages import synthetic_landscape
    from mcn_map.config import load_config

    config = load_config(None)
    whole, a = duplication._different_lead_pairs(synthetic_landscape("borough"), config)
    assert whole  # the borough has people under different leads
    monkeypatch.setattr(duplication, "SELF_JOIN_ROWS", 7)  # many small blocks
    again, b = duplication._different_lead_pairs(synthetic_landscape("borough"), config)
    assert again == whole
    assert sorted(map(tuple, a.to_numpy().tolist())) == sorted(map(tuple, b.to_numpy().tolist()))
