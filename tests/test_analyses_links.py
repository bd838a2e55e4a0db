"""Weak-link rules on hand-made landscapes: fires, does not fire, and the boundary."""

from __future__ import annotations

from mcn_map.analyses.links import (
    no_feedback, no_route_to_strategic, no_shared_seat, strategic_unfed, strategic_winding_down)
from test_analyses_world import forum, healthy_tables, link, run_rule, seat, set_forum, stopped


def drop_links(tables, *pairs):
    tables["links"] = [l for l in tables["links"] if (l["from_forum"], l["to_forum"]) not in pairs]
    return tables


def test_operational_forum_with_no_route_up():
    (finding,) = run_rule(no_route_to_strategic, drop_links(healthy_tables(), ("ops1", "board")))
    assert finding.subjects == ("ops1",) and finding.severity == "high"


def test_route_through_a_tactical_group_counts():
    tables = drop_links(healthy_tables(), ("ops1", "board"))
    tables["forums"].append(forum("tac", "tactical"))
    tables["links"] += [link("ops1", "tac"), link("tac", "board", "reports_to")]
    assert run_rule(no_route_to_strategic, tables) == []
    assert run_rule(no_route_to_strategic, set_forum(tables, "tac", status="paused"))  # a paused group passes nothing on


def test_route_to_an_ended_strategic_group_is_no_route():
    tables = set_forum(healthy_tables(), "board", status="ended")
    assert {f.subjects for f in run_rule(no_route_to_strategic, tables)} == {("ops1",), ("ops2",)}


def test_escalation_with_no_feedback():
    (finding,) = run_rule(no_feedback, drop_links(healthy_tables(), ("board", "ops1")))
    assert finding.subjects == ("ops1", "board")


def test_feedback_through_a_tactical_group_counts():
    tables = drop_links(healthy_tables(), ("board", "ops1"))
    tables["forums"].append(forum("tac", "tactical"))
    tables["links"] += [link("board", "tac", "feeds_back_to"), link("tac", "ops1", "feeds_back_to")]
    assert run_rule(no_feedback, tables) == []


def test_feedback_both_ways_and_ended_forums_are_fine():
    assert run_rule(no_feedback, healthy_tables()) == []
    tables = set_forum(drop_links(healthy_tables(), ("board", "ops1")), "ops1", status="ended")
    assert run_rule(no_feedback, tables) == []


def _second_board(tables, seats):
    tables["forums"].append(forum("board2", "strategic", frequency="quarterly", last_met="2026-10-01"))
    tables["members"] += seats
    tables["links"] = [l for l in tables["links"] if "ops2" not in (l["from_forum"], l["to_forum"])]
    tables["links"] += [link("ops2", "board2"), link("board2", "ops2", "feeds_back_to")]
    return tables


def test_no_agency_or_post_on_both_tiers():
    tables = _second_board(healthy_tables(), [seat("board2", "experts"), seat("board2", "ph")])
    (finding,) = run_rule(no_shared_seat, tables)
    assert finding.subjects == ("ops2", "board2")


def test_a_shared_agency_or_a_shared_post_is_a_connection():
    shared_agency = _second_board(healthy_tables(), [seat("board2", "police")])
    assert run_rule(no_shared_seat, shared_agency) == []
    shared_post = _second_board(healthy_tables(), [seat("board2", "comm", post="ops2 chair")])
    assert run_rule(no_shared_seat, shared_post) == []


def test_strategic_group_that_stopped_meeting_while_operational_forums_route_to_it():
    tables = set_forum(healthy_tables(), "board", last_met="2026-05-01")  # data runs to 2026-10-22
    (finding,) = run_rule(strategic_winding_down, tables)
    assert finding.subjects == ("board",) and finding.severity == "high"
    assert finding.evidence["operational_forums"] == ["ops1", "ops2"]


def test_winding_down_boundary_is_twice_the_interval():
    # bi-monthly is 61 days: 122 days since the last meeting is still fine, 123 is not.
    assert run_rule(strategic_winding_down, set_forum(healthy_tables(), "board", last_met="2026-06-22")) == []
    assert run_rule(strategic_winding_down, set_forum(healthy_tables(), "board", last_met="2026-06-21"))


def test_as_of_date_changes_what_counts_as_stale():
    tables = set_forum(healthy_tables(), "board", last_met="2026-05-01")
    assert run_rule(strategic_winding_down, tables, as_of="2026-08-01") == []


def test_paused_strategic_group_with_routes_in_is_winding_down_and_without_is_not():
    assert run_rule(strategic_winding_down, set_forum(healthy_tables(), "board", status="paused"))
    tables = drop_links(set_forum(healthy_tables(), "board", status="paused"), ("ops1", "board"), ("ops2", "board"))
    assert run_rule(strategic_winding_down, tables) == []


def test_strategic_group_nothing_operational_feeds():
    tables = healthy_tables()
    tables["forums"].append(forum("board2", "strategic", frequency="quarterly"))
    (finding,) = run_rule(strategic_unfed, tables)
    assert finding.subjects == ("board2",)
    tables["links"].append(link("ops1", "board2"))
    assert run_rule(strategic_unfed, tables) == []


def test_an_operational_forum_that_stopped_meeting_is_reported():
    from mcn_map.analyses.links import forum_not_meeting

    # ops1 meets monthly (30.4 days): the data runs to 2026-10-22.
    (finding,) = run_rule(forum_not_meeting, stopped(healthy_tables(), "ops1", "2025-03-20"))
    assert finding.subjects == ("ops1",) and finding.rule == "forum_not_meeting"
    assert "has not met since 20 March 2025" in finding.message
    assert finding.evidence["level"] == "operational"


def test_not_meeting_boundary_is_the_configured_multiple_of_the_interval():
    from mcn_map.analyses.links import forum_not_meeting

    # 2 x 30.4 = 60.8 days: 60 days before 2026-10-22 is fine, 61 is not.
    assert run_rule(forum_not_meeting, stopped(healthy_tables(), "ops1", "2026-08-23")) == []
    assert run_rule(forum_not_meeting, stopped(healthy_tables(), "ops1", "2026-08-22"))
    assert run_rule(forum_not_meeting, stopped(healthy_tables(), "ops1", "2026-08-22"),
                    links={"not_met_factor": 3.0}) == []


def test_paused_forums_and_a_strategic_group_already_winding_down_are_not_reported_twice():
    from mcn_map.analyses.links import forum_not_meeting

    stale = set_forum(healthy_tables(), "ops1", last_met="2025-03-20", status="paused")
    assert run_rule(forum_not_meeting, stale) == []
    board = set_forum(healthy_tables(), "board", last_met="2025-03-20")
    assert run_rule(strategic_winding_down, board) and run_rule(forum_not_meeting, board) == []
    unfed = drop_links(set_forum(healthy_tables(), "board", last_met="2025-03-20"), ("ops1", "board"),
                       ("ops2", "board"))
    (finding,) = run_rule(forum_not_meeting, unfed)  # no one routes to it: not winding down, but not meeting
    assert finding.subjects == ("board",)
