"""Issue 21's promises on the `borough` preset (the shipped example has its own tests): no option ends a statutory
forum or merges across purposes or tiers; no two of the first ten findings are about the same people or the same
pair; every option shows what it resolves, what ends with the forum and what is lost, apart."""

from __future__ import annotations

import pytest

from board_pages import synthetic_landscape
from mcn_map import analyse
from mcn_map.analyses.common import forum_kinds
from mcn_map.analyses.ranking import same_problem
from mcn_map.change.options import barrier, board_options


@pytest.fixture(scope="module")
def borough():
    landscape = synthetic_landscape("borough")
    analysis = analyse(landscape)
    return landscape, analysis, board_options(landscape, analysis)


def test_the_borough_gets_options_and_none_ends_a_statutory_forum_or_crosses_a_purpose(borough):
    landscape, _, options = borough
    statutory = {forum for forum, kind in forum_kinds(landscape).items() if kind.statutory}
    assert options and statutory, "the preset must hold options and statutory forums for this to mean anything"
    for option in options:
        assert not set(option.ends) & statutory, option.title
        assert barrier(landscape, option.forums, option.forums[0]) == "", option.title
        assert option.title.startswith("Merge ") and option.title.endswith(" ends")
    assert any("statutory" in r["reason"] for r in options.ruled_out)  # tried, and ruled out with the law named


def test_every_borough_option_keeps_resolved_removed_and_lost_apart(borough):
    for option in borough[2]:
        ids = [f["id"] for f in option.resolved + option.removed_with_forum + option.moved]
        assert len(ids) == len(set(ids)) and option.resolved
        assert isinstance(option.loses, tuple)


def test_no_two_of_the_first_ten_borough_findings_are_one_problem(borough):
    first = borough[1].findings[:10]
    assert len(first) == 10
    assert not [(a.id, b.id) for i, a in enumerate(first) for b in first[i + 1:] if same_problem(a, b)]
    assert len({frozenset(f.subjects) for f in first}) == 10


def test_people_in_many_forums_are_told_inside_the_pairs_that_share_them(borough):
    analysis = borough[1]
    assert not analysis.by_rule("people_in_many_forums")  # folded, not dropped:
    (pairs,) = [f for f in analysis.findings if f.rule == "cohort_overlap" and "rolled_up" in f.evidence]
    (many,) = [facet for facet in pairs.evidence["facets"] if facet["rule"] == "people_in_many_forums"]
    assert pairs.message.endswith(f" {many['evidence']['people']} people are each discussed in 3 or more of the "
                                  f"{pairs.evidence['forums_involved']} forums in these pairs.")


def _pairs_and_people(counted_at):
    from mcn_map.analyses.findings import make_finding

    members = [make_finding("duplication", "cohort_overlap", "high", pair, f"{' and '.join(pair)} share people.",
                            evidence={"people": "10"}) for pair in (("a", "b"), ("b", "c"))]
    rolled = make_finding("duplication", "cohort_overlap", "high", ("a", "b", "c"), "2 pairs of forums share people.",
                          evidence={"rolled_up": 2, "forums_involved": 3, "people": "15"}, impact=20.0)
    many = make_finding("duplication", "people_in_many_forums", "medium", tuple(counted_at),
                        "9 people are each discussed in 3 or more forums.",
                        evidence={"people": "9", "threshold": 3, "by_forum": {f: "9" for f in counted_at}})
    return [rolled, many], {rolled.id: members}


def test_the_fold_happens_only_when_every_forum_counted_is_in_a_pair():
    from mcn_map.analyses.problems import people_into_pairs

    findings, detail = _pairs_and_people("abc")  # must fold
    (one,) = people_into_pairs(findings, detail)
    assert one.message == ("2 pairs of forums share people. 9 people are each discussed in 3 or more of the 3 forums "
                           "in these pairs.")
    assert one.severity == "high" and one.impact == 20.0 and one.evidence["facets"][0]["rule"] == "people_in_many_forums"
    findings, detail = _pairs_and_people("abd")  # d is in no pair: two problems, told apart
    assert people_into_pairs(findings, detail) == findings
    findings, _ = _pairs_and_people("abc")  # the pairs were not rolled up: nothing to fold into
    assert people_into_pairs(findings, {}) == findings


def test_an_option_claims_only_what_touches_its_forums(borough):
    """A merger changes its forums' seats, case lists and links: a finding about none of them (nor an agency seated
    at them) that appears or disappears is the same problem told another way, never resolved or new."""
    landscape, _, options = borough
    for option in options:
        seated = set(landscape.seats.loc[landscape.seats["forum_id"].isin(option.forums), "agency_id"])
        for finding in option.resolved + option.new + option.removed_with_forum + option.moved:
            assert set(finding["subjects"]) & (set(option.forums) | seated), (option.title, finding["message"])


def test_merged_seats_attend_the_kept_forums_meetings_at_their_own_rate(borough):
    """Merging a fortnightly forum into a monthly one does not make the monthly one report 26 meetings held (was a
    "new problem: recorded monthly, but its seats report 26 meetings"), nor raise its attendance by averaging."""
    from mcn_map.change.scenario import Scenario, Step, try_scenario

    landscape, analysis, options = borough
    merge = Step("merge", 1, {"forums": ["ae-frequent", "rough-sleeping"], "into": "ae-frequent"})
    scenario = Scenario("t", "t", "", (merge,))
    changed, _, changes = try_scenario(landscape, analysis, scenario)
    seats = changed.seats[changed.seats["forum_id"] == "ae-frequent"]
    assert set(seats["meetings_held"].dropna()) == {12}
    before = landscape.seats[landscape.seats["forum_id"] == "rough-sleeping"].set_index("agency_id")
    moved = seats[seats["agency_id"].isin(before.index)
                  & ~seats["agency_id"].isin(landscape.seats.loc[landscape.seats["forum_id"] == "ae-frequent",
                                                                 "agency_id"])].set_index("agency_id")
    rates = (before["meetings_attended"] / before["meetings_held"]).reindex(moved.index).dropna()
    assert len(rates) >= 3
    for agency, rate in rates.items():
        assert moved.loc[agency, "meetings_attended"] == round(rate * 12), agency
    assert "meetings_against_frequency" not in {f["rule"] for f in changes["findings"]["new"]}
    for option in options:
        assert not any(f["rule"] == "meetings_against_frequency" for f in option.new), option.title
        assert not any(f["rule"] in ("low_forum_attendance", "repeat_discussion") for f in option.resolved)
