"""Attendance rules on hand-made landscapes: fires, does not fire, and the boundary."""

from __future__ import annotations

from mcn_map.analyses.attendance import low_forum_attendance, low_seat_attendance
from mcn_map.analyses.partners import paper_only_sector
from test_analyses_world import attendance, healthy_tables, run_rule, seat


# The GP seat: primary care is not expected at an operational forum, so no paper_only_sector finding tells it first.

def test_seat_under_half_its_meetings():
    (finding,) = run_rule(low_seat_attendance, attendance(healthy_tables(), "ops1", "gp", 5))
    assert finding.subjects == ("ops1", "gp") and finding.severity == "low"
    assert finding.evidence == {"meetings_held": 12, "meetings_attended": 5, "attendance": 0.417, "threshold": 0.5}


def test_seat_under_a_quarter_is_medium():
    (finding,) = run_rule(low_seat_attendance, attendance(healthy_tables(), "ops1", "gp", 2))
    assert finding.severity == "medium"


def test_seat_boundary_and_too_few_meetings():
    assert run_rule(low_seat_attendance, attendance(healthy_tables(), "ops1", "gp", 6)) == []
    assert run_rule(low_seat_attendance, attendance(healthy_tables(), "ops1", "gp", 0, held=2)) == []


def test_the_only_seat_of_an_expected_sector_is_told_once_by_paper_only_sector():
    tables = attendance(healthy_tables(), "ops1", "mh", 5)  # ops1's one mental health seat
    assert run_rule(low_seat_attendance, tables) == []
    (paper,) = run_rule(paper_only_sector, tables)
    assert paper.subjects == ("ops1",)
    assert "(Mental Health Trust (ops1 mh worker) attended 5 of 12 meetings)" in paper.message


def test_a_rare_seat_beside_one_that_attends_is_still_its_own_finding():
    tables = attendance(healthy_tables(), "ops1", "mh", 5)
    tables["members"].append(seat("ops1", "mh", post="ops1 second mh worker"))  # attends 10 of 12
    assert run_rule(paper_only_sector, tables) == []
    (finding,) = run_rule(low_seat_attendance, tables)
    assert finding.subjects == ("ops1", "mh", "ops1 mh worker")


def _every_seat(tables, forum_id, attended):
    for s in tables["members"]:
        if s["forum_id"] == forum_id:
            s.update(meetings_held=12, meetings_attended=attended)
    return tables


def test_forum_whose_seats_mostly_stay_away():
    (finding,) = run_rule(low_forum_attendance, _every_seat(healthy_tables(), "ops1", 7))
    assert finding.subjects == ("ops1",) and finding.evidence["average_attendance"] == 0.583


def test_forum_average_boundary():
    assert run_rule(low_forum_attendance, _every_seat(healthy_tables(), "ops1", 8)) == []
    tables = _every_seat(healthy_tables(), "ops1", 6)
    assert run_rule(low_forum_attendance, tables, attendance={"forum_average_min": 0.5}) == []
    assert run_rule(low_forum_attendance, tables, attendance={"forum_average_min": 0.51})
