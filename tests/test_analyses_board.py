"""What a board expects: a one-line headline, a chair for every forum, meetings that match the stated frequency, and
the post that alone ties the tiers."""

from __future__ import annotations

from mcn_map.analyses.run import analyse
from mcn_map.render.report import render_report
from test_analyses_world import forum, healthy_tables, landscape_of, seat, set_forum


def test_the_headline_counts_forums_people_and_names_the_most_urgent_problem():
    tables = healthy_tables()
    set_forum(tables, "ops2", person_voice="none")
    landscape = landscape_of(tables)
    analysis = analyse(landscape, suppress=False)
    assert analysis.headline == ("3 active forums, 20 people discussed, 0 of them in two or more forums; the most "
                                 "urgent: Ops2 discusses people without them, or anyone speaking for them, in the room.")
    html = render_report(landscape, analysis, include_map=False, suppress=False)
    assert analysis.headline in html


def test_the_headline_follows_suppression_like_the_report_figures():
    analysis = analyse(landscape_of(healthy_tables()))
    assert analysis.headline == "3 active forums, 20 people discussed, 0 of them in two or more forums; no findings."
    html = render_report(landscape_of(healthy_tables()), analysis, include_map=False)
    assert "20 people discussed" in analysis.headline and ">20<" in html.replace(" ", "")


def chairless(n):
    tables = healthy_tables()
    for s in tables["members"]:
        if s["role"] == "chair" and s["forum_id"] in ("board", "ops1", "ops2")[:n]:
            s["role"] = "member"
    return analyse(landscape_of(tables))


def test_a_forum_with_no_chair_recorded_is_a_finding():
    (finding,) = chairless(1).by_rule("no_chair")
    assert finding.subjects == ("board",) and "No chair is recorded for Board" in finding.message


def test_a_chair_agency_is_a_chair_recorded():  # must not fire
    tables = healthy_tables()
    for s in tables["members"]:
        if s["forum_id"] == "board" and s["role"] == "chair":
            s["role"] = "member"
    set_forum(tables, "board", chair_agency="ph")
    assert not analyse(landscape_of(tables)).by_rule("no_chair")


def test_no_forum_recording_a_chair_is_one_pattern():
    (finding,) = chairless(3).by_rule("no_chair")
    assert finding.message.startswith("3 of 3 active forums record no chair")


def frequencies(ops1, ops2, held=12, forums=("board", "ops1", "ops2")):
    tables = healthy_tables()
    set_forum(tables, "ops1", frequency=ops1)
    set_forum(tables, "ops2", frequency=ops2)
    set_forum(tables, "board", frequency="monthly")
    for s in tables["members"]:
        s.update(meetings_held=held, meetings_attended=min(held, 10))
    tables["forums"] += [forum(f"ops{k}", "operational", themes="housing") for k in (3, 4)]
    tables["members"] += [seat(f"ops{k}", "asc", seniority="service manager", role="chair", post=f"ops{k} chair")
                          for k in (3, 4)]
    return analyse(landscape_of(tables)).by_rule("meetings_against_frequency")


def test_a_weekly_and_a_quarterly_forum_both_holding_12_meetings_are_flagged():
    found = {f.subjects[0]: f for f in frequencies("weekly", "quarterly")}
    assert set(found) == {"ops1", "ops2"}
    assert ("Ops1 is recorded as meeting weekly, but its seats report 12 meetings held; the other forums' counts "
            "cover about 12 months, in which a weekly forum meets about 52 times") in found["ops1"].message


def test_counts_that_fit_the_frequencies_are_not_flagged():
    assert frequencies("monthly", "monthly") == []


def test_a_fortnightly_forum_within_the_tolerance_is_not_flagged():  # boundary: 12 held over 12 months x2.2
    assert [f.subjects for f in frequencies("fortnightly", "monthly")] == [("ops1",)]  # 26 expected: over twice
    assert frequencies("6-weekly", "monthly") == []  # 8.7 expected: within twice


def tied_by(post_seniorities, post="MEAM coordinator"):
    """One post on the board and both operational forums, with these seniorities (board first)."""
    tables = healthy_tables()
    tables["members"] = [s for s in tables["members"] if s["post"] not in ("Navigator 1", "Navigator 2")]
    for forum_id, seniority in zip(("board", "ops1", "ops2"), post_seniorities):
        tables["members"].append(seat(forum_id, "vcs", seniority=seniority, post=post))
    return analyse(landscape_of(tables)).by_rule("sole_tier_link")


def test_the_only_post_between_the_tiers_is_found_however_its_seniority_is_recorded():
    (finding,) = tied_by(["service manager", "practitioner", "practitioner"])
    assert finding.message.startswith("Is the MEAM coordinator (Navigator Charity) one person? The label is recorded "
                                      "as practitioner, service manager in different rooms")
    assert finding.severity == "medium" and finding.evidence["recorded_alike"] is False


def test_the_only_post_recorded_alike_is_stated_not_asked():  # the claim the data can prove
    (finding,) = tied_by(["practitioner"] * 3)
    assert finding.message.startswith("The MEAM coordinator (Navigator Charity) is the only post on both")
    assert finding.severity == "high"


def test_a_numbered_post_is_one_person_however_its_seniority_is_recorded():
    (finding,) = tied_by(["service manager", "practitioner", "practitioner"], post="MD coordinator 1")
    assert "if this person leaves" in finding.message


def test_a_generic_label_in_one_tier_stays_silent():
    tables = healthy_tables()
    tables["members"] += [seat("ops1", "housing", post="Housing officer"),
                          seat("ops2", "housing", post="Housing officer", seniority="coordinator")]
    assert not any(f.subjects[-1] == "Housing officer" for f in analyse(landscape_of(tables)).findings)


def test_the_map_opens_with_the_same_headline_as_the_report():
    from mcn_map.analyses.findings import make_finding
    from mcn_map.render.map import render_map

    tables = healthy_tables()
    set_forum(tables, "ops2", person_voice="none", name="Ops <2> & co")
    landscape = landscape_of(tables)
    analysis = analyse(landscape)
    assert "Ops <2> & co discusses people" in analysis.headline
    html = render_map(landscape, analysis)
    escaped = analysis.headline.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert f'<p class="headline" id="headline" title="{escaped}">{escaped}</p>' in html
    # About the whole system: not on a map of one forum's neighbourhood, nor where no analysis was given.
    assert 'id="headline"' not in render_map(landscape, analysis, view="focus", focus="ops2")
    finding = make_finding("governance", "no_chair", "medium", ["ops1"], "No chair is recorded for Ops1.")
    assert 'id="headline"' not in render_map(landscape, [finding])


def test_the_headline_carries_the_most_urgent_problem_on_mid_sentence():
    """After "the most urgent:", "The post ..." reads "the post ..."; a name or an acronym keeps its capital."""
    from mcn_map.analyses.ranking import _mid_sentence

    assert _mid_sentence("The Multiple disadvantage coordinator 1 is the only post") == (
        "the Multiple disadvantage coordinator 1 is the only post")
    assert _mid_sentence("A forum has no chair") == "a forum has no chair"
    assert _mid_sentence("MARAC has not met") == "MARAC has not met"
    assert _mid_sentence("Theale Panel has not met") == "Theale Panel has not met"
    assert _mid_sentence("The") == "The"
