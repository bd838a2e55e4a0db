"""Claims the data supports: each finding's wording tried on a workbook where the claim is false."""

from __future__ import annotations

from mcn_map.analyses.run import analyse
from test_analyses_world import case, healthy_tables, landscape_of, link, set_forum


def sharing_people(tables, ops2_lead="probation"):
    """ops2 discusses the ten people ops1 does (ops1's rows all name Adult Social Care as lead)."""
    tables["cohorts"] += [case("ops2", f"P{i:03d}", day="2026-09-05", lead=ops2_lead) for i in range(1, 11)]
    return tables


def pair_finding(tables):
    analysis = analyse(landscape_of(tables))
    (finding,) = [f for f in analysis.findings if set(f.subjects) == {"ops1", "ops2"}]
    return finding


def test_leads_fixed_per_forum_are_not_evidence_of_contradictory_plans():
    finding = pair_finding(sharing_people(healthy_tables()))
    assert "under different lead agencies" not in finding.message
    assert "never record the same lead agency" in finding.message
    assert finding.evidence["leads_fixed_per_forum"] is True and finding.evidence["different_leads"] == "0"


def test_leads_that_vary_between_people_but_never_overlap_are_not_evidence():
    """Each forum names several leads, one per person, but never one the other names (probation or police at one,
    adult social care or housing at the other): no person could be shown under the same lead at both."""
    tables = sharing_people(healthy_tables())
    for row in tables["cohorts"]:
        if row["forum_id"] == "ops1" and row["person_id"] in ("P001", "P002"):
            row["lead_agency"] = "housing"
        if row["forum_id"] == "ops2" and row["person_id"] in ("P003", "P004"):
            row["lead_agency"] = "police"
    finding = pair_finding(tables)
    assert "under different lead agencies" not in finding.message and finding.evidence["leads_fixed_per_forum"]


def test_one_persons_lead_changing_within_a_forum_makes_different_leads_evidence():  # must fire
    tables = sharing_people(healthy_tables())
    tables["cohorts"].append(case("ops2", "P001", day="2026-08-01", lead="housing"))  # P001's lead at ops2 changed
    finding = pair_finding(tables)
    assert "under different lead agencies within 90 days" in finding.message
    assert finding.evidence["leads_fixed_per_forum"] is False


def test_a_lead_that_varies_within_a_forum_makes_different_leads_evidence():  # must fire
    tables = sharing_people(healthy_tables())
    tables["cohorts"][0]["lead_agency"] = "probation"  # one of ops1's people is led by probation there too
    finding = pair_finding(tables)
    assert "under different lead agencies within 90 days" in finding.message
    assert finding.evidence["leads_fixed_per_forum"] is False


def test_the_same_lead_at_both_forums_makes_different_leads_evidence():  # boundary: one shared lead agency
    tables = sharing_people(healthy_tables(), ops2_lead="asc")
    tables["cohorts"][-1]["lead_agency"] = "probation"
    finding = pair_finding(tables)
    assert "never record the same lead agency" not in finding.message


def stalled(tables, discussed_on=None):
    set_forum(tables, "ops2", last_met="2026-03-01")
    if discussed_on:
        tables["cohorts"].append(case("ops2", "P099", day=discussed_on, lead="probation"))
    return analyse(landscape_of(tables), as_of="2026-10-31")


def test_a_forum_whose_case_list_is_recent_has_met():
    assert not stalled(healthy_tables(), discussed_on="2026-10-15").by_rule("forum_not_meeting")


def test_a_forum_silent_in_both_last_met_and_case_list_is_not_meeting():  # must fire
    tables = healthy_tables()
    tables["cohorts"] = [c for c in tables["cohorts"] if c["forum_id"] != "ops2"]
    (finding,) = stalled(tables).by_rule("forum_not_meeting")
    assert "has not met since 1 March 2026" in finding.message


def test_the_case_list_date_is_named_when_it_is_the_later():  # boundary: the case list is later, but still old
    tables = healthy_tables()
    tables["cohorts"] = [c for c in tables["cohorts"] if c["forum_id"] != "ops2"]
    (finding,) = stalled(tables, discussed_on="2026-05-20").by_rule("forum_not_meeting")
    assert "has not met or discussed anyone (by its case list) since 20 May 2026" in finding.message


def test_a_route_up_through_another_forum_is_a_route():
    tables = healthy_tables()
    tables["links"] = [l for l in tables["links"] if l["from_forum"] != "ops2"]
    tables["links"].append(link("ops2", "ops1", "refers_to"))  # ops2 refers to ops1, which escalates to the board
    assert not analyse(landscape_of(tables)).by_rule("no_route_to_strategic")


def test_a_forum_with_no_chain_up_is_told_what_its_links_reach():  # must fire
    tables = healthy_tables()
    tables["links"] = [l for l in tables["links"] if "ops2" not in (l["from_forum"], l["to_forum"])]
    tables["links"].append(link("ops1", "ops2", "refers_to"))
    (finding,) = analyse(landscape_of(tables)).by_rule("no_route_to_strategic")
    assert finding.subjects == ("ops2",) and "has no chain of links to an active strategic group" in finding.message
