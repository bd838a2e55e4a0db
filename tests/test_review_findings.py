"""Findings a sceptical chair can read: roll-ups that count people, not pairs; no finding that repeats another;
wording that claims no more than the data shows. Must fire, must not fire and the boundary for each."""

from __future__ import annotations

from mcn_map.analyses.duplication import people_in_pairs, people_under_different_leads
from mcn_map.analyses.run import analyse
from test_analyses_world import case, config_with, forum, healthy_tables, landscape_of, link, seat

SPOKES = ("s1", "s2", "s3", "s4")


def _hub_and_spokes(shared=9, spokes=SPOKES):
    """ops1 (lead: adult social care) shares its first ``shared`` people with every spoke (lead: probation) within
    90 days: one contradictory pair per spoke, but the same people at every pair. A spoke's own people are led by
    probation or housing, and one of them by each at different discussions: its leads are recorded per person and
    discussion, so a lead differing from ops1's is evidence, not each list naming itself."""
    tables = healthy_tables()
    for s in spokes:
        tables["forums"].append(forum(s, "operational"))
        tables["members"] += [dict(m, forum_id=s) for m in tables["members"] if m["forum_id"] == "ops2"]
        tables["links"] += [link(s, "board"), link("board", s, "feeds_back_to")]
        tables["cohorts"] += [case(s, f"{s}-{i:03d}", lead="probation" if i % 2 else "housing") for i in range(20)]
        tables["cohorts"].append(case(s, f"{s}-000", day="2026-08-01", lead="probation"))  # was housing: it varies
        tables["cohorts"] += [case(s, f"P{i:03d}", day="2026-09-15", lead="probation") for i in range(1, shared + 1)]
    return tables


BELOW = {"overlap_min_coefficient": 0.95}  # 9 of ops1's 10 is below it: each pair is a contradictory-plans pair


def test_contradictory_plans_roll_up_counts_people_not_pairs():
    analysis = analyse(landscape_of(_hub_and_spokes()), config_with(duplication=BELOW, digest={"rollup_above": 3},
                                                                     suppress=False))
    (rolled,) = analysis.by_rule("contradictory_plans")
    assert rolled.evidence["rolled_up"] == 4
    assert rolled.message.startswith("9 people were discussed at two forums within 90 days under different lead "
                                     "agencies, across 4 pairs of forums")  # not 36: each person counts once
    assert "the 4 pairs with most people: " in rolled.message
    assert rolled.evidence["people"] == "9"


def test_contradictory_plans_roll_up_count_follows_the_small_number_rule():
    suppressed = analyse(landscape_of(_hub_and_spokes()), config_with(duplication=BELOW, digest={"rollup_above": 3}))
    (rolled,) = suppressed.by_rule("contradictory_plans")
    assert rolled.message.startswith("10 people were discussed")  # 9 rounded to the nearest 5
    few = analyse(landscape_of(_hub_and_spokes(shared=3)),
                  config_with(duplication={"overlap_min_coefficient": 0.95}, digest={"rollup_above": 3}))
    (rolled,) = few.by_rule("contradictory_plans")
    assert rolled.message.startswith("<8 people were discussed") and rolled.evidence["people"] == "<8"


def test_contradictory_plans_at_the_limit_stay_pair_by_pair():
    analysis = analyse(landscape_of(_hub_and_spokes()), config_with(duplication=BELOW, digest={"rollup_above": 4}))
    pairs = analysis.by_rule("contradictory_plans")
    assert len(pairs) == 4 and all("rolled_up" not in f.evidence for f in pairs)


def test_people_across_pairs_counts_each_person_once():
    landscape = landscape_of(_hub_and_spokes())
    config = config_with(duplication=BELOW)
    assert people_under_different_leads(landscape, config, [("ops1", "s1")]) == 9
    assert people_under_different_leads(landscape, config, [("ops1", s) for s in SPOKES]) == 9
    assert people_under_different_leads(landscape, config, [("s1", "s2")]) == 0  # the same lead at both
    assert people_in_pairs(landscape, [("s1", "ops1"), ("s1", "s2"), ("ops1", "s3")]) == 9
    assert people_in_pairs(landscape, [("ops1", "ops2")]) == 0


# -- missing partners: wording a board reads one way ---------------------------------------------------------------

def test_a_missing_either_or_group_cannot_be_read_two_ways():
    from mcn_map.analyses.partners import _none_for  # noqa: PLC2701 - the phrase itself is the behaviour under test

    assert _none_for(["probation"]) == "probation"
    assert _none_for(["probation", "commissioning"]) == "probation or commissioning"
    assert (_none_for(["primary care or acute health", "education"])
            == "education, and none for either primary care or acute health")
    assert _none_for(["primary care or acute health"]) == "either primary care or acute health"


def test_a_marac_missing_two_groups_cites_guidance_in_one_plain_sentence():
    tables = healthy_tables()
    tables["forums"].append(forum("marac", "operational", name="MARAC", kind="marac"))
    tables["members"] += [seat("marac", a) for a in ("police", "probation", "mh", "dap", "housing", "asc")]
    tables["links"] += [link("marac", "board"), link("board", "marac", "feeds_back_to")]
    (finding,) = [f for f in analyse(landscape_of(tables)).by_rule("missing_sector") if f.subjects == ("marac",)]
    assert "(and " not in finding.message and "included," not in finding.message
    assert "; the same guidance names " in finding.message
    assert "none for either primary care or acute health" in finding.message
    assert finding.suggestion.endswith("education and one of primary care or acute health to take a standing seat, "
                                       "with a named deputy.")
    assert "named_labels" not in finding.evidence and finding.evidence["because"]


def test_a_missing_sector_roll_up_suggests_inviting_that_sector_only():
    from test_analyses_ranking import _many_operational

    tables = _many_operational(13)
    for m in tables["members"]:
        if m["forum_id"] == "extra00" and m["agency_id"] == "housing":
            m["agency_id"] = "gp"  # extra00 also lacks housing: its own suggestion names both
    rolled = analyse(landscape_of(tables)).by_rule("missing_sector")
    (mental_health,) = [f for f in rolled if f.evidence.get("sectors") == ["mental_health"]]
    assert mental_health.suggestion.startswith("Invite mental health to take a standing seat at these forums")
    assert "housing" not in mental_health.suggestion


# -- one problem, told once: people in many forums and the cluster that holds them -----------------------------------

def _cluster_of_three(outsider=False):
    """ops1, ops2 and s1 each share P001-P005 (a cluster of three); with ``outsider``, P001 is also at s2, which
    shares nobody else and so is outside the cluster."""
    tables = _hub_and_spokes(shared=0, spokes=("s1", "s2"))
    tables["cohorts"] += [case("ops2", f"P{i:03d}", lead="probation") for i in range(1, 6)]
    tables["cohorts"] += [case("s1", f"P{i:03d}", lead="probation") for i in range(1, 6)]
    if outsider:
        tables["cohorts"].append(case("s2", "P001", lead="probation"))
    return tables


def test_people_in_many_forums_all_inside_one_cluster_is_said_by_the_cluster():
    analysis = analyse(landscape_of(_cluster_of_three()), config_with(suppress=False))
    (cluster,) = analysis.by_rule("overlap_cluster")
    assert set(cluster.subjects) == {"ops1", "ops2", "s1"}
    assert not analysis.by_rule("people_in_many_forums")
    assert "5 people are discussed in two or more of them, 5 in 3 or more" in cluster.message
    assert cluster.evidence["in_many_forums"]["absorbs_people_in_many_forums"] is True
    assert cluster.message.startswith("These 3 forums discuss many of the same people")  # not "share much of"


def test_people_in_many_forums_reaching_outside_the_cluster_stays_its_own_finding():
    analysis = analyse(landscape_of(_cluster_of_three(outsider=True)), config_with(suppress=False))
    (cluster,) = analysis.by_rule("overlap_cluster")
    (many,) = analysis.by_rule("people_in_many_forums")
    assert "s2" in many.subjects and "s2" not in cluster.subjects
    assert cluster.evidence["in_many_forums"]["absorbs_people_in_many_forums"] is False


def test_a_cluster_with_nobody_in_three_of_its_forums_says_nothing_about_many():
    analysis = analyse(landscape_of(_cluster_of_three()), config_with(suppress=False, duplication={"many_forums": 4}))
    (cluster,) = analysis.by_rule("overlap_cluster")
    assert " or more)" not in cluster.message and cluster.evidence["in_many_forums"]["people"] == "0"


# -- lived experience at a strategic forum: no_expert_by_experience says it, missing_sector does not repeat it -------

def _board_without(tables, agency_ids):
    tables["members"] = [m for m in tables["members"] if not (m["forum_id"] == "board" and m["agency_id"] in agency_ids)]
    return tables


def test_a_board_without_experts_is_told_once_not_twice():
    analysis = analyse(landscape_of(_board_without(healthy_tables(), {"experts"})))
    assert [f.subjects for f in analysis.by_rule("no_expert_by_experience")] == [("board",)]
    assert not [f for f in analysis.by_rule("missing_sector") if "lived_experience" in f.evidence["sectors"]]


def test_a_board_missing_probation_and_experts_names_only_probation_as_a_missing_seat():
    analysis = analyse(landscape_of(_board_without(healthy_tables(), {"experts", "probation"})))
    (missing,) = [f for f in analysis.by_rule("missing_sector") if f.subjects == ("board",)]
    assert missing.evidence["sectors"] == ["probation"] and "lived experience" not in missing.message
    assert analysis.by_rule("no_expert_by_experience")


def test_an_expert_by_experience_from_another_agency_is_lived_experience_at_the_table():
    tables = _board_without(healthy_tables(), {"experts"})
    tables["members"].append(seat("board", "vcs", seniority="expert by experience", post="Expert by experience 1"))
    analysis = analyse(landscape_of(tables))
    assert not analysis.by_rule("no_expert_by_experience")
    assert not [f for f in analysis.by_rule("missing_sector") if "lived_experience" in f.evidence["sectors"]]


def test_lived_experience_expected_at_an_operational_forum_is_still_a_missing_seat():
    tables = healthy_tables()
    analysis = analyse(landscape_of(tables), config_with(partners={"expected_by_forum": {
        "ops1": ["mental_health", "lived_experience"]}}))
    (missing,) = [f for f in analysis.by_rule("missing_sector") if f.subjects == ("ops1",)]
    assert missing.evidence["sectors"] == ["lived_experience"]


def test_a_combating_drugs_partnership_without_experts_cites_its_guidance():
    tables = healthy_tables()
    tables["forums"].append(forum("cdp", "strategic", name="Combating Drugs Partnership", kind="cdp",
                                  frequency="quarterly", person_voice=""))
    tables["members"] += [dict(m, forum_id="cdp") for m in tables["members"]
                          if m["forum_id"] == "board" and m["agency_id"] != "experts"]
    tables["links"] += [link("ops1", "cdp"), link("cdp", "ops1", "feeds_back_to")]
    (finding,) = [f for f in analyse(landscape_of(tables)).by_rule("no_expert_by_experience") if f.subjects == ("cdp",)]
    assert "Combating Drugs Partnership guidance names people with lived experience" in finding.message
    assert finding.evidence["kind"] == "cdp"


# -- a stalled strategic group: forums that have stopped meeting themselves are not "still routing issues" ----------

def _stalled_board(last_met):
    from test_analyses_world import set_forum, stopped

    return stopped(set_forum(healthy_tables(), "board", last_met="2026-05-01"), "ops2", last_met)


def test_winding_down_counts_only_feeding_forums_that_still_meet():
    from mcn_map.analyses.links import forum_not_meeting, strategic_winding_down
    from test_analyses_world import run_rule

    tables = _stalled_board(last_met="2026-08-01")  # ops2, monthly, has not met for 82 days
    (finding,) = run_rule(strategic_winding_down, tables)
    assert "yet 1 operational forum still routes issues to it (and 1 more that has not met lately either)" in (
        finding.message)
    assert finding.evidence["operational_forums"] == ["ops1", "ops2"]
    assert finding.evidence["not_meeting_themselves"] == ["ops2"]
    assert [f.subjects for f in run_rule(forum_not_meeting, tables)] == [("ops2",)]  # the same threshold


def test_winding_down_with_every_feeding_forum_meeting_says_so_plainly():
    from mcn_map.analyses.links import strategic_winding_down
    from test_analyses_world import run_rule

    (finding,) = run_rule(strategic_winding_down, _stalled_board(last_met="2026-10-01"))
    assert finding.message.endswith("yet 2 operational forums still route issues to it.")
    assert finding.evidence["not_meeting_themselves"] == []


def test_winding_down_when_no_feeding_forum_meets_either():
    from mcn_map.analyses.links import strategic_winding_down
    from test_analyses_world import run_rule, set_forum

    from test_analyses_world import stopped

    tables = stopped(_stalled_board(last_met="2026-08-01"), "ops1", "2026-08-01")
    (finding,) = run_rule(strategic_winding_down, tables, as_of="2026-10-22")
    assert finding.message.endswith("yet 2 operational forums are recorded as routing issues to it, though they have "
                                    "not met lately either.")


# -- pairs roll up once there are more than a roll-up names ---------------------------------------------------------

ELEVEN = tuple(f"s{i:02d}" for i in range(11))


def test_eleven_contradictory_pairs_become_one_roll_up_naming_ten():
    analysis = analyse(landscape_of(_hub_and_spokes(spokes=ELEVEN)), config_with(duplication=BELOW))
    (rolled,) = analysis.by_rule("contradictory_plans")
    assert rolled.evidence["rolled_up"] == 11 and len(analysis.detail[rolled.id]) == 11
    assert rolled.message.startswith("10 people were discussed at two forums within 90 days under different lead "
                                     "agencies, across 11 pairs of forums")
    assert "the 10 pairs with most people: " in rolled.message and len(rolled.subjects) <= 5


def test_ten_contradictory_pairs_stay_pair_by_pair():
    analysis = analyse(landscape_of(_hub_and_spokes(spokes=ELEVEN[:10])), config_with(duplication=BELOW))
    assert len(analysis.by_rule("contradictory_plans")) == 10
    assert not [k for k in analysis.detail if k.startswith("contradictory_plans")]


def test_other_rules_keep_their_own_limit():
    from test_analyses_ranking import _many_operational

    analysis = analyse(landscape_of(_many_operational(11)))  # 11 forums without mental health: under 12
    assert len(analysis.by_rule("missing_sector")) == 11


# -- one post across the tiers: the agencies may still span them, through different people ---------------------------

def _one_navigator(tables):
    tables["members"] = [s for s in tables["members"] if s["post"] != "Navigator 2"]
    return tables


def test_the_sole_tier_link_says_which_agencies_still_span_the_tiers():
    from mcn_map.analyses.key_person import sole_tier_link
    from test_analyses_world import run_rule

    (finding,) = run_rule(sole_tier_link, _one_navigator(healthy_tables()))
    assert ("if this person leaves, no one who sits at both tables will carry issues up and feedback down "
            "(7 agencies sit on both tiers, but through different posts).") in finding.message
    assert "the link between the tiers goes" not in finding.message  # seven agencies still span them
    assert finding.evidence["agencies_on_both_tiers"] == 7


def test_the_sole_tier_link_with_no_other_agency_on_both_tiers_says_nothing_of_agencies():
    from mcn_map.analyses.key_person import sole_tier_link
    from test_analyses_world import run_rule

    tables = _one_navigator(healthy_tables())
    tables["members"] = [s for s in tables["members"] if s["forum_id"] != "board" or s["agency_id"] in
                         ("vcs", "experts", "ph", "comm")]
    (finding,) = run_rule(sole_tier_link, tables)
    assert finding.message.endswith("will carry issues up and feedback down.")
    assert finding.evidence["agencies_on_both_tiers"] == 1
