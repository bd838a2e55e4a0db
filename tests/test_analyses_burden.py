"""Burden rule on hand-made landscapes: fires, does not fire, and the boundary."""

from __future__ import annotations

from mcn_map.analyses.burden import agency_burden, meeting_hours
from test_analyses_world import config_with, healthy_tables, landscape_of, run_rule, set_forum


def test_meeting_hours_are_frequency_times_duration_by_level():
    table = agency_burden(landscape_of(healthy_tables()), config_with()).set_index("agency_id")
    # Adult social care: the bi-monthly board (0.5 × 2 h) and two monthly operational forums (1.5 h each).
    assert table.loc["asc", "hours_per_month"] == 4.0
    assert table.loc["asc", "strategic_hours"] == 1.0 and table.loc["asc", "operational_hours"] == 3.0
    assert table.loc["asc", "forums"] == 3 and table.loc["dwp", "forums"] == 1


def test_blank_frequency_uses_the_default_and_durations_are_configurable():
    tables = set_forum(healthy_tables(), "ops1", frequency="")
    table = agency_burden(landscape_of(tables), config_with(burden={"default_frequency": "weekly",
                                                                     "duration_hours": {"operational": 1.0}}))
    assert table.set_index("agency_id").loc["asc", "hours_per_month"] == round(1.0 + 52 / 12 + 1.0, 2)


def test_agency_over_the_threshold_is_flagged_at_the_boundary_only():
    assert run_rule(meeting_hours, healthy_tables()) == []
    # The navigator charity has two seats on each forum: 2 × (1 + 1.5 + 1.5) = 8 hours, the most of anyone.
    flagged = run_rule(meeting_hours, healthy_tables(), burden={"hours_per_month": 8.0})
    assert [f.subjects for f in flagged] == [("vcs",)]
    assert flagged[0].evidence["hours_per_month"] == 8.0 and flagged[0].evidence["rank"] == 1
    assert run_rule(meeting_hours, healthy_tables(), burden={"hours_per_month": 8.01}) == []


def test_weekly_meetings_make_a_heavy_burden():
    tables = set_forum(set_forum(healthy_tables(), "ops1", frequency="weekly"), "ops2", frequency="weekly")
    flagged = run_rule(meeting_hours, tables, burden={"hours_per_month": 12, "high_hours_per_month": 13})
    assert {f.subjects[0] for f in flagged} >= {"asc", "vcs"}
    assert {f.severity for f in flagged if f.subjects == ("vcs",)} == {"medium"}  # two navigators: 2 + 26 h
