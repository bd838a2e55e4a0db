"""Seniority rules on hand-made landscapes: fires, does not fire, and the boundary."""

from __future__ import annotations

from mcn_map.analyses.seniority import no_decision_maker, strategic_mostly_practitioners
from test_analyses_world import healthy_tables, run_rule, without


def practitioners_on_board(tables, agencies):
    for s in tables["members"]:
        if s["forum_id"] == "board" and s["agency_id"] in agencies:
            s["seniority"] = "practitioner"
    return tables


def test_strategic_group_of_practitioners():
    tables = practitioners_on_board(healthy_tables(), {"mh", "dap", "housing", "police"})  # 6 of 11
    (finding,) = run_rule(strategic_mostly_practitioners, tables)
    assert finding.subjects == ("board",) and finding.evidence["practitioner_share"] == 0.545


def test_half_practitioners_is_the_boundary():
    tables = without(practitioners_on_board(healthy_tables(), {"mh", "dap", "housing"}), "board", "comm")  # 5 of 10
    assert run_rule(strategic_mostly_practitioners, tables) == []
    assert run_rule(strategic_mostly_practitioners, healthy_tables()) == []


def test_operational_forum_with_no_one_who_can_agree_flexibility():
    tables = healthy_tables()
    for s in tables["members"]:
        if s["forum_id"] == "ops1" and s["role"] == "chair":
            s["seniority"] = "practitioner"
    (finding,) = run_rule(no_decision_maker, tables)
    assert finding.subjects == ("ops1",)


def test_unknown_seniority_is_not_flagged_and_a_strategic_lead_counts():
    tables = healthy_tables()
    for s in tables["members"]:
        if s["forum_id"] == "ops1":
            s["seniority"] = ""
    assert run_rule(no_decision_maker, tables) == []
    for s in tables["members"]:
        if s["forum_id"] == "ops1":
            s["seniority"] = "strategic lead" if s["role"] == "chair" else "practitioner"
    assert run_rule(no_decision_maker, tables) == []
