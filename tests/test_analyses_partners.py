"""Missing-partner rules on hand-made landscapes: fires, does not fire, and the boundary."""

from __future__ import annotations

from mcn_map.analyses.partners import (
    coverage_matrix, missing_sector, paper_only_sector, sector_absent, sector_one_level)
from mcn_map.loading.schema import SECTORS
from test_analyses_world import attendance, healthy_tables, landscape_of, run_rule, seat, set_forum, without


def test_forum_without_mental_health_is_high_severity_with_sector_keys():
    (finding,) = run_rule(missing_sector, without(healthy_tables(), "ops1", "mh"))
    assert finding.subjects == ("ops1",) and finding.severity == "high"
    assert finding.evidence["sectors"] == ["mental_health"]
    assert finding.category == "missing_partner"


def test_forum_without_housing_is_medium():
    (finding,) = run_rule(missing_sector, without(healthy_tables(), "ops2", "housing"))
    assert finding.severity == "medium" and finding.evidence["sectors"] == ["housing"]


def test_ended_and_merged_forums_are_never_flagged():
    for status, merged_into in (("ended", ""), ("merged", "ops2")):
        tables = set_forum(without(healthy_tables(), "ops1", "mh"), "ops1", status=status, merged_into=merged_into)
        assert run_rule(missing_sector, tables) == []


def test_either_sector_of_an_alternative_will_do():
    tables = without(healthy_tables(), "board", "comm")  # public health still there
    assert run_rule(missing_sector, tables) == []
    (finding,) = run_rule(missing_sector, without(tables, "board", "ph"))
    assert finding.evidence["sectors"] == ["commissioning", "public_health"]
    assert "commissioning or public health" in finding.message


def test_theme_expectations_replace_the_level_list_for_operational_forums():
    tables = set_forum(healthy_tables(), "ops1", themes="radicalisation")
    (finding,) = run_rule(missing_sector, tables)  # the Channel Panel list wants local authority, children, education
    assert set(finding.evidence["sectors"]) == {"local_authority", "childrens_services", "education"}
    assert run_rule(missing_sector, tables, partners={"expected_by_theme": {"radicalisation": ["police"]}}) == []


def test_a_forums_own_list_wins():
    tables = without(healthy_tables(), "ops1", "mh")
    assert run_rule(missing_sector, tables, partners={"expected_by_forum": {"ops1": ["police", "housing"]}}) == []


def test_seat_on_paper_only_counts_as_missing_in_practice():
    tables = attendance(healthy_tables(), "ops1", "mh", 5)
    (finding,) = run_rule(paper_only_sector, tables)
    assert finding.subjects == ("ops1",) and finding.severity == "high"
    assert finding.evidence["sectors"] == ["mental_health"]
    assert "on paper only" in finding.message
    assert run_rule(missing_sector, tables) == []


def test_paper_seat_boundary_is_half_the_meetings():
    assert run_rule(paper_only_sector, attendance(healthy_tables(), "ops1", "mh", 6)) == []


def test_a_second_seat_that_attends_keeps_the_sector_present():
    tables = attendance(healthy_tables(), "ops1", "mh", 2)
    tables["members"].append(seat("ops1", "mh", post="Second nurse", attended=11))
    assert run_rule(paper_only_sector, tables) == []


def test_sector_absent_from_the_whole_system():
    (finding,) = run_rule(sector_absent, without(healthy_tables(), "ops2", "dwp"))
    assert finding.subjects == ("dwp",) and finding.evidence["sectors"] == ["welfare"]


def test_sector_sitting_only_on_an_ended_forum_is_absent():
    tables = without(healthy_tables(), "ops2", "dwp")
    tables["forums"].append({**tables["forums"][1], "forum_id": "old", "name": "Old", "status": "ended"})
    tables["members"].append(seat("old", "dwp"))
    assert [f.subjects for f in run_rule(sector_absent, tables)] == [("dwp",)]


def test_sector_present_at_only_one_level():
    (finding,) = run_rule(sector_one_level, without(healthy_tables(), "board", "probation"))
    assert finding.subjects == ("probation",)
    assert finding.evidence["present_at"] == "operational" and finding.evidence["sectors"] == ["probation"]


def test_sector_at_both_levels_is_fine():
    assert run_rule(sector_one_level, healthy_tables()) == []


def test_coverage_matrix_has_every_forum_and_sector():
    coverage = coverage_matrix(landscape_of(healthy_tables()))
    assert list(coverage.index) == ["board", "ops1", "ops2"] and list(coverage.columns) == list(SECTORS)
    assert coverage.loc["board", "vcs"] == 2 and coverage.loc["ops1", "welfare"] == 0
