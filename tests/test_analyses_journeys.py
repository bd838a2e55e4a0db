"""Journeys: flows between forums, bouncing cases, repeat discussion and long-running cases; and caseloads."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from mcn_map.analyses.caseloads import caseload_table, post_caseloads
from mcn_map.analyses.journeys import (bouncing_cases, date_precision, flow_table, forum_flows, journey_table,
                                       long_running_cases, repeat_discussion)
from mcn_map.analyses.run import analyse
from mcn_map.config import load_config
from mcn_map.errors import McnMapError
from mcn_map.loading.validate import load_frames

FORUMS = ["a", "b", "c", "d"]
START = dt.date(2026, 1, 5)


def landscape(rows, links=(), forums=FORUMS):
    """Active operational forums (four unless given); ``rows`` are (forum, person, day offset from START[, lead_agency, lead_post])."""
    cohorts = []
    for row in rows:
        forum, person, offset, *rest = row
        lead, post = (list(rest) + ["", ""])[:2]
        day = "" if offset is None else (START + dt.timedelta(days=offset)).isoformat()
        cohorts.append({"forum_id": forum, "person_id": person, "discussed_on": day, "lead_agency": lead,
                        "lead_post": post})
    return load_frames({
        "forums": pd.DataFrame({"forum_id": forums, "name": [f"Forum {f.upper()}" for f in forums],
                                "level": "operational", "status": "active"}),
        "agencies": pd.DataFrame({"agency_id": ["police", "council"], "name": ["Police", "Council"],
                                  "sector": ["police", "local_authority"]}),
        "members": pd.DataFrame({"forum_id": forums, "agency_id": "police"}),
        "cohorts": pd.DataFrame(cohorts, columns=["forum_id", "person_id", "discussed_on", "lead_agency", "lead_post"]),
        "links": pd.DataFrame(list(links), columns=["from_forum", "to_forum", "type"]),
    })


def config(**journeys):
    return load_config({"journeys": journeys}) if journeys else load_config()


def people(n, prefix="P"):
    return [f"{prefix}{i:03d}" for i in range(n)]


# -- the journey table ------------------------------------------------------------------------------------------

def test_journey_table_drops_undated_rows_repeats_and_anything_after_as_of():
    land = landscape([("a", "P1", 0), ("a", "P1", 0), ("b", "P1", None), ("c", "P1", 400)])
    table = journey_table(land, load_config({"as_of": "2026-06-01"}))
    assert table[["forum", "day"]].values.tolist() == [[0, (pd.Timestamp(START) - pd.Timestamp(0)).days]]


def test_date_precision_says_month_only_when_every_date_is_a_first():
    assert date_precision(journey_table(landscape([("a", "P1", -4), ("b", "P1", 27)]), config())) == "month"
    assert date_precision(journey_table(landscape([("a", "P1", 0)]), config())) == "day"


# -- flows ------------------------------------------------------------------------------------------------------

def flows_of(n, gap, back=False):
    rows = []
    for p in people(n):
        rows += [("a", p, 0), ("b", p, gap)]
        if back:
            rows.append(("a", p, gap + 10))
    return rows


def test_flows_count_people_discussed_at_a_then_b_within_the_window():
    table = flow_table(landscape(flows_of(9, 90, back=True)), config())
    assert table.values.tolist() == [["a", "b", 9], ["b", "a", 9]]


def test_flows_stop_at_the_window_boundary_and_on_the_same_day():
    assert flow_table(landscape(flows_of(9, 91)), config()).empty
    assert flow_table(landscape(flows_of(9, 0)), config()).empty  # no order within a day


def test_no_flow_is_shown_below_min_people_so_never_one_journey():
    assert flow_table(landscape(flows_of(2, 10)), config()).empty
    assert flow_table(landscape(flows_of(3, 10)), config())["people"].tolist() == [3]
    assert flow_table(landscape(flows_of(1, 10)), config(min_people=2)).empty
    with pytest.raises(McnMapError, match="never shown for one person"):
        config(min_people=1)


def test_a_flow_follows_the_next_discussion_only():
    # a, then c, then b: flows a->c and c->b, never a->b.
    rows = [r for p in people(9) for r in (("a", p, 0), ("c", p, 10), ("b", p, 20))]
    assert {(f, t) for f, t, _ in flow_table(landscape(rows), config()).values.tolist()} == {("a", "c"), ("c", "b")}


def test_forum_flows_fires_for_a_large_flow_between_unlinked_forums_only():
    findings = forum_flows(landscape(flows_of(9, 30)), config())
    assert [f.subjects for f in findings] == [("a", "b")]
    assert findings[0].evidence["people"] == "10" and "no link between" in findings[0].message
    assert forum_flows(landscape(flows_of(9, 30), links=[("b", "a", "refers_to")]), config()) == []
    assert forum_flows(landscape(flows_of(7, 30)), config()) == []  # below flow_finding_people (8)
    assert len(forum_flows(landscape(flows_of(8, 30)), config())) == 1


# -- bouncing ---------------------------------------------------------------------------------------------------

def bouncers(n, span, forums=("a", "b", "c")):
    return [(forum, p, round(span * i / (len(forums) - 1))) for p in people(n) for i, forum in enumerate(forums)]


def test_bouncing_fires_for_three_forums_within_six_months_and_names_the_forums():
    findings = bouncing_cases(landscape(bouncers(9, 183)), config())
    assert len(findings) == 1 and findings[0].severity == "high"
    finding = findings[0]
    assert finding.subjects == ("a", "b", "c") and finding.evidence["people"] == "10"
    assert "bouncing from meeting to meeting" in finding.message and "Forum A, Forum B and Forum C" in finding.message


def test_bouncing_boundary_one_day_over_six_months_does_not_fire():
    assert bouncing_cases(landscape(bouncers(9, 184)), config()) == []


def test_two_forums_back_and_forth_is_not_bouncing_between_three():
    rows = [(f, p, d) for p in people(9) for f, d in (("a", 0), ("b", 20), ("a", 40), ("b", 60))]
    assert bouncing_cases(landscape(rows), config()) == []


def test_bouncing_within_a_later_window_of_a_long_journey():
    rows = [("a", "P1", 0), ("b", "P1", 300), ("c", "P1", 400), ("d", "P1", 450)]
    assert bouncing_cases(landscape(rows), config())[0].evidence["people"] == "<8"


def test_one_bouncing_person_is_counted_as_under_8_and_no_forum_is_named():
    (finding,) = bouncing_cases(landscape(bouncers(1, 30)), config())
    assert finding.subjects == () and finding.evidence["by_forum"] == {}
    assert finding.evidence["people"] == "<8" and "too few at any one forum to name it" in finding.message
    assert "Forum A" not in finding.message


def test_bouncing_names_only_forums_shared_by_min_people():
    rows = bouncers(3, 30) + [("d", "P000", 40)]
    (finding,) = bouncing_cases(landscape(rows), config())
    assert finding.subjects == ("a", "b", "c") and finding.evidence["other_forums"] == 1
    assert "1 other forum)" in finding.message


def test_bouncing_names_only_the_busiest_few_forums_so_the_map_rings_where_it_happens():
    forums = [f"f{i}" for i in range(10)]
    # Group i (3 + i people) bounces between f<i>, f<i+1> and f<i+2>: forum counts 26, 19, 12, 15, 18, 21, 24, 27,
    # 30 and 33, so the six busiest are f0 and f5 to f9.
    rows = [(forums[(i + k) % 10], p, 20 * k) for i in range(10) for p in people(3 + i, f"G{i}-") for k in range(3)]
    (finding,) = bouncing_cases(landscape(rows, forums=forums), config())
    assert finding.subjects == ("f0", "f5", "f6", "f7", "f8", "f9")
    assert finding.evidence["other_forums"] == 4 and "and 4 other forums)" in finding.message
    assert len(finding.evidence["by_forum"]) == 10  # the detail keeps every forum shared by enough people


def test_bouncing_threshold_comes_from_the_config():
    assert bouncing_cases(landscape(bouncers(9, 30)), config(bounce_forums=4)) == []
    assert bouncing_cases(landscape(bouncers(9, 300)), config(bounce_days=300))


# -- repeat discussion ------------------------------------------------------------------------------------------

def repeats(n, times, span, forum="a"):
    return [(forum, p, round(span * i / (times - 1))) for p in people(n) for i in range(times)]


def test_repeat_discussion_fires_at_four_times_in_twelve_months_per_forum():
    (finding,) = repeat_discussion(landscape(repeats(9, 4, 365)), config())
    assert finding.subjects == ("a",) and finding.severity == "medium" and "cycle of crisis" in finding.message
    assert finding.evidence["people"] == "10"


def test_repeat_discussion_boundaries():
    assert repeat_discussion(landscape(repeats(9, 4, 366)), config()) == []
    assert repeat_discussion(landscape(repeats(9, 3, 100)), config()) == []
    # Two rows on the same day are one discussion.
    rows = repeats(9, 3, 100) + [("a", p, 100) for p in people(9)]
    assert repeat_discussion(landscape(rows), config()) == []


def test_repeat_discussion_at_a_forum_with_few_such_people_is_not_named():
    (finding,) = repeat_discussion(landscape(repeats(2, 5, 200, forum="b")), config())
    assert finding.subjects == () and finding.severity == "low" and "Forum B" not in finding.message
    assert finding.evidence["people"] == "<8"


# -- long-running -----------------------------------------------------------------------------------------------

def test_long_running_fires_over_twelve_months_first_to_last_across_forums():
    rows = [r for p in people(9) for r in (("a", p, 0), ("b", p, 366))]
    (finding,) = long_running_cases(landscape(rows), config())
    assert finding.subjects == ("a", "b") and "more than 12 months" in finding.message


def test_long_running_boundary_exactly_twelve_months_does_not_fire():
    rows = [r for p in people(9) for r in (("a", p, 0), ("b", p, 365))]
    assert long_running_cases(landscape(rows), config()) == []


def test_no_dates_no_journeys():
    land = landscape([(f, p, None) for p in people(9) for f in FORUMS])
    for rule in (forum_flows, bouncing_cases, repeat_discussion, long_running_cases):
        assert rule(land, config()) == []


def test_unsuppressed_counts_are_exact():
    (finding,) = bouncing_cases(landscape(bouncers(1, 30)), load_config({"suppress": False}))
    assert finding.evidence["people"] == "1" and finding.message.startswith("1 person was")


# -- caseloads --------------------------------------------------------------------------------------------------

def caseload(n, post="MD coordinator 1", offset=300, lead="council"):
    return [("a", f"{post[:2]}{i:03d}", offset, lead, post) for i in range(n)]


def test_caseloads_flag_above_ten_amber_above_eight_and_cite_the_meam_guidance():
    rows = caseload(11) + caseload(9, post="MD coordinator 2") + caseload(8, post="Outreach worker")
    findings = {f.subjects[0]: f for f in post_caseloads(landscape(rows), config())}
    assert set(findings) == {"MD coordinator 1", "MD coordinator 2"}
    assert findings["MD coordinator 1"].severity == "high" and findings["MD coordinator 2"].severity == "medium"
    assert "no more than ten clients per coordinator" in findings["MD coordinator 1"].message
    assert "eight clients per coordinator" in findings["MD coordinator 2"].message
    # 11 and 9 both round to 10: the message gives the bound, not a rounded figure that seems to contradict it
    assert "lead worker for more than 10 people discussed" in findings["MD coordinator 1"].message
    assert "lead worker for about 10 people (more than 8) discussed" in findings["MD coordinator 2"].message
    assert "after rounding" not in findings["MD coordinator 1"].message + findings["MD coordinator 2"].message
    assert findings["MD coordinator 1"].evidence["lead_agencies"] == ["council"]


def test_a_caseload_whose_rounded_figure_is_over_the_threshold_gives_it():
    (finding,) = post_caseloads(landscape(caseload(38)), config())
    assert "lead worker for about 40 people (more than 10) discussed" in finding.message


def test_caseload_boundaries_ten_is_amber_and_eight_is_within_guidance():
    statuses = dict(caseload_table(landscape(caseload(10) + caseload(8, post="Other post")), config())[
        ["post", "status"]].values.tolist())
    assert statuses == {"MD coordinator 1": "amber", "Other post": "within guidance"}


def test_caseload_counts_only_people_discussed_in_the_window_and_their_latest_post():
    rows = caseload(11, offset=0) + [("a", "X", 300, "", "Other post")]  # as of START + 300: the 11 are stale
    assert post_caseloads(landscape(rows), config()) == []
    handed_over = caseload(11, offset=250) + [("b", f"MD{i:03d}", 290, "council", "MD coordinator 2") for i in range(5)]
    table = caseload_table(landscape(handed_over), config()).set_index("post")["people"].to_dict()
    assert table == {"MD coordinator 1": 6, "MD coordinator 2": 5}


def test_caseload_window_comes_from_the_config_and_unsuppressed_is_exact():
    rows = caseload(11, offset=0) + [("a", "X", 300, "", "Other post")]
    cfg = load_config({"caseloads": {"window_days": 400}, "suppress": False})
    (finding,) = post_caseloads(landscape(rows), cfg)
    assert "11 people (more than 10)" in finding.message


def test_no_lead_post_no_caseloads():
    assert post_caseloads(landscape([("a", p, 0) for p in people(20)]), config()) == []


def test_analyse_carries_flows_and_caseloads_for_the_renderers():
    result = analyse(landscape(flows_of(9, 30) + caseload(11)))
    assert result.extra["flows"]["people"].tolist() == [9]
    assert result.extra["caseloads"]["post"].tolist() == ["MD coordinator 1"]
    from mcn_map.analyses.problems import facets_of

    assert {"forum_flows", "post_caseloads"} <= {rule for f in result.findings for rule in facets_of(f)}


def _with_forum_a(land, **values):
    import dataclasses

    forums = land.forums.copy()
    for column, value in values.items():
        forums.loc[forums["forum_id"] == "a", column] = value
    return dataclasses.replace(land, forums=forums)


def test_repeat_discussion_is_not_a_cycle_of_crisis_at_a_deaths_review_or_a_forum_that_has_stopped():
    """Going back over a death is a deaths review's work; an ended or merged forum's case list is history."""
    land = landscape(repeats(9, 4, 365))
    assert repeat_discussion(_with_forum_a(land, name="Drug Related Deaths Review"), config()) == []
    assert repeat_discussion(_with_forum_a(land, status="merged", merged_into="b"), config()) == []
    assert repeat_discussion(_with_forum_a(land, status="ended"), config()) == []
    (finding,) = repeat_discussion(_with_forum_a(land, name="Dual Diagnosis Panel"), config())  # must fire: living
    assert finding.subjects == ("a",)
