"""Options for the board: generated from the analysis, checked against the forum kinds, evaluated like whatif,
listed in the report with what each resolves, removes with the forum and loses."""

from __future__ import annotations

import pytest

from conftest import frames_of
from mcn_map import analyse, load, load_frames
from mcn_map.change.options import CAVEAT, area_options, barrier, board_options, candidate_scenarios
from mcn_map.kinds import KINDS
from mcn_map.render.report import render_report
from workbooks import sheets, write_xlsx

TWIN_AGENCIES = ["council", "police", "mh-trust", "asc"]


def twins(first: tuple[str, str], second: tuple[str, str], level: str = "strategic", people: int = 0,
          extra_forums=()):
    """Two forums (id, name) with identical membership at one level, optionally discussing the same ``people``."""
    data = sheets()
    for forum_id, name in (first, second, *extra_forums):
        data["forums"].append([forum_id, name, level, "", "council", "monthly", "active", "", "2026-10-01", "none",
                               "Northtown"])
        data["members"] += [[forum_id, a, "member", "service manager", f"{a} lead", 12, 11] for a in TWIN_AGENCIES]
    for i in range(people):
        for forum_id, _ in (first, second):
            data["cohorts"].append([forum_id, f"Q{i:04d}", "2026-09-01", "police"])
    return load_frames(frames_of(data), source="twins.xlsx")


STATUTORY = [("hwb", "Northtown Health and Wellbeing Board"), ("csp", "Northtown Community Safety Partnership"),
             ("sab", "Northtown Safeguarding Adults Board"), ("smb", "Northshire MAPPA Strategic Management Board")]


@pytest.mark.parametrize("statutory", STATUTORY, ids=[s[0] for s in STATUTORY])
@pytest.mark.parametrize("statutory_first", [True, False])
def test_a_statutory_forum_is_never_ended_or_merged_away(statutory, statutory_first):
    level = "operational" if statutory[0] == "channel" else "strategic"
    other = ("local-group", "Northtown Partnership Group")
    landscape = twins(*((statutory, other) if statutory_first else (other, statutory)), level=level)
    analysis = analyse(landscape)
    assert analysis.by_rule("similar_membership"), "the two must look alike for the test to mean anything"
    options = board_options(landscape, analysis)
    assert options, "folding the other group into the statutory one is still an option"
    for option in options:
        assert option.forums[0] == statutory[0] and statutory[0] not in option.ends
        assert option.title == f"Merge Northtown Partnership Group into {statutory[1]}: Northtown Partnership Group ends"
        kind = next(k for k in KINDS.values() if k.statutory and k.label in " ".join(option.statutory))
        assert kind.statute in option.statutory[0] and "statutory" in option.statutory[0]


@pytest.mark.parametrize("channel_first", [True, False])
def test_a_statutory_case_forum_takes_in_no_forum_of_unknown_purpose(channel_first):
    pair = (("channel", "Northtown Channel Panel"), ("prevent-group", "Northtown Partnership Group"))
    landscape = twins(*(pair if channel_first else pair[::-1]), level="operational")
    assert analyse(landscape).by_rule("similar_membership")
    options = board_options(landscape, analyse(landscape))
    assert list(options) == []
    assert "Counter-Terrorism and Security Act 2015, s.37" in options.ruled_out[0]["reason"]


def test_two_statutory_forums_are_never_merged_either_way():
    landscape = twins(("hwb", "Northtown Health and Wellbeing Board"),
                      ("csp", "Northtown Community Safety Partnership"))
    options = board_options(landscape, analyse(landscape))
    assert list(options) == []
    assert any("Crime and Disorder Act 1998, s.5" in r["reason"] or "Health and Social Care Act 2012, s.194"
               in r["reason"] for r in options.ruled_out)


def test_a_non_statutory_pair_is_still_proposed():  # must fire
    landscape = twins(("group-a", "Northtown Partnership Group"), ("group-b", "Northtown Steering Group"))
    options = board_options(landscape, analyse(landscape))
    assert [o.title for o in options] == ["Merge Northtown Steering Group into Northtown Partnership Group: "
                                          "Northtown Steering Group ends"]
    assert options[0].statutory == ()


def test_forums_with_different_national_purposes_are_not_proposed_and_the_report_says_why(example_landscape):
    analysis = analyse(example_landscape)
    options = board_options(example_landscape, analysis)
    assert not any({"marac", "matac"} <= set(o.forums) for o in options)
    reason = next(r["reason"] for r in options.ruled_out if set(r["forums"]) == {"marac", "matac"})
    assert "victims" in reason and "perpetrators" in reason and "different national purposes" in reason
    html = " ".join(render_report(example_landscape, analysis, include_map=False, options=options).split())
    assert "Not proposed" in html and "different national purposes" in html
    assert "would lose nothing" not in html


def test_a_living_person_forum_is_never_merged_into_a_deaths_review():
    landscape = twins(("drd", "Drug Related Deaths Review"), ("complex", "Complex Case Group"), level="operational",
                      people=12)
    analysis = analyse(landscape)
    assert analysis.by_rule("cohort_overlap") or analysis.by_rule("overlap_cluster")
    options = board_options(landscape, analysis)
    assert list(options) == []
    assert "people who have died" in options.ruled_out[0]["reason"] or "died" in options.ruled_out[0]["reason"]


def test_forums_at_different_tiers_are_not_merged():
    data = sheets()
    landscape = load_frames(frames_of(data))
    assert "different tiers" in barrier(landscape, ("board", "marac"), "board")
    alike = twins(("group-a", "Northtown Partnership Group"), ("group-b", "Northtown Steering Group"))
    assert barrier(alike, ("group-a", "group-b"), "group-a") == ""  # boundary: one tier, no kinds in conflict


def test_resolved_is_kept_apart_from_what_ends_with_the_forum(example_landscape):
    analysis = analyse(example_landscape)
    option = next(o for o in board_options(example_landscape, analysis) if o.forums == ("maart", "sacc"))
    assert option.title == ("Merge Safeguarding Adults Review and Complex Case Group into Multi Agency Adult "
                            "Referral Team: Safeguarding Adults Review and Complex Case Group ends")
    resolved = {r["rule"] for r in option.resolved}
    removed = {r["rule"] for r in option.removed_with_forum}
    # The group's missing route up is gone with it, not fixed for the people it discussed; its missing person voice
    # is one of three forums' (a pattern), which carries on at the other two: neither resolved nor new.
    assert "no_route_to_strategic" in removed and not resolved & removed
    assert "no_person_voice" in {r["rule"] for r in option.moved} and "no_person_voice" not in resolved
    assert not [n for n in option.new if n["rule"] == "no_person_voice"]
    for finding in option.removed_with_forum:
        assert "sacc" in finding["subjects"]


def test_an_option_that_resolves_nothing_for_people_is_not_proposed(example_landscape):
    options = board_options(example_landscape, analyse(example_landscape))
    assert all(o.resolved for o in options)
    nothing = [r for r in options.ruled_out if r["reason"].startswith("tried on a copy, it would resolve nothing")]
    assert nothing and all(len(r["forums"]) >= 2 for r in nothing)


def test_meeting_time_freed_is_not_called_a_problem_resolved_for_people(example_landscape):
    """The example's mergers ease Probation's meeting load and fix nothing for anyone discussed: the card says so,
    and does not list the meeting-hours finding under "Resolved for the people concerned"."""
    from mcn_map.change.options import for_people

    analysis = analyse(example_landscape)
    options = board_options(example_landscape, analysis)
    assert options and all(not for_people(o) for o in options)
    assert all(any(r["category"] == "burden" for r in o.resolved) for o in options)
    html = " ".join(render_report(example_landscape, analysis, include_map=False, options=options).split())
    card = html[html.index("Options for the board"):html.index("Not proposed")]
    assert card.count("resolves 0 problems for people") == len(options)
    assert card.count("Meeting time, not a problem for people:") == len(options)
    people = card.split("Resolved for the people concerned:")[1].split("Meeting time, not a problem")[0]
    assert "Nothing the analyses can see." in people and "Probation" not in people


def test_a_specialist_forum_takes_in_no_forum_of_unknown_purpose(example_landscape):
    analysis = analyse(example_landscape)
    options = board_options(example_landscape, analysis)
    assert not any({"iom", "vip"} <= set(o.forums) for o in options)
    reason = next(r["reason"] for r in options.ruled_out if set(r["forums"]) == {"iom", "vip"})
    assert reason.startswith("Integrated Offender Management exists for offenders") and "set its kind" in reason


def test_every_option_reports_resolved_removed_and_lost_apart(example_landscape):
    analysis = analyse(example_landscape)
    for option in board_options(example_landscape, analysis):
        ids = [f["id"] for f in option.resolved + option.removed_with_forum + option.moved]
        assert len(ids) == len(set(ids))
        assert isinstance(option.loses, tuple)
        assert not set(option.ends) & {f for f, k in KINDS.items() if k.statutory}


def test_meeting_hours_of_a_merged_forum_follow_its_case_list():
    landscape = twins(("group-a", "Northtown Partnership Group"), ("group-b", "Northtown Steering Group"),
                      level="operational", people=0)
    analysis = analyse(landscape)
    flat = board_options(landscape, analysis)[0]
    assert flat.hours["discussions_taken_on_per_month"] == 0  # boundary: no case list, no longer meetings
    assert flat.hours_freed == pytest.approx(4 * 1.5)  # four seats stop a second monthly 1.5-hour meeting
    # The second forum's 60 people move over: the kept forum's meetings lengthen by 10 minutes a discussion.
    data = sheets()
    for forum_id, name in (("group-a", "Northtown Partnership Group"), ("group-b", "Northtown Steering Group")):
        data["forums"].append([forum_id, name, "operational", "", "council", "monthly", "active", "", "2026-10-01",
                               "none", "Northtown"])
        data["members"] += [[forum_id, a, "member", "service manager", f"{a} lead", 12, 11] for a in TWIN_AGENCIES]
    data["cohorts"] += [["group-b", f"Q{i:04d}", f"2026-{1 + i % 9:02d}-05", "police"] for i in range(60)]
    busy = load_frames(frames_of(data))
    option = board_options(busy, analyse(busy))[0]
    assert option.forums == ("group-b", "group-a")  # the forum with the case list carries on
    assert board_options(busy, analyse(busy, as_of="2026-10-31"))[0].hours["discussions_taken_on_per_month"] == 0
    assert option.hours_freed == pytest.approx(flat.hours_freed)  # the other forum had no case list to bring


def test_a_merged_forum_taking_on_a_case_list_saves_less_than_its_seats_suggest():
    data = sheets()
    for forum_id, name in (("group-a", "Northtown Partnership Group"), ("group-b", "Northtown Steering Group")):
        data["forums"].append([forum_id, name, "operational", "", "council", "monthly", "active", "", "2026-10-01",
                               "none", "Northtown"])
        data["members"] += [[forum_id, a, "member", "service manager", f"{a} lead", 12, 11] for a in TWIN_AGENCIES]
    data["cohorts"] += [["group-a", f"A{i:04d}", f"2026-{1 + i % 9:02d}-05", "police"] for i in range(90)]
    data["cohorts"] += [["group-b", f"B{i:04d}", f"2026-{1 + i % 9:02d}-05", "police"] for i in range(60)]
    landscape = load_frames(frames_of(data))
    option = board_options(landscape, analyse(landscape))[0]
    assert option.hours["discussions_taken_on_per_month"] == pytest.approx(5.0)  # 60 discussions in the year
    assert option.hours_freed == pytest.approx(4 * 1.5 - 4 * 5 * 10 / 60, abs=0.1)  # fewer than the 6 seat-hours


def test_options_changing_the_same_forum_are_alternatives(example_landscape):
    options = board_options(example_landscape, analyse(example_landscape))
    groups: dict[str, list] = {}
    for option in options:
        if option.alternatives:
            groups.setdefault(option.alternatives, []).append(option)
    assert groups, [o.title for o in options]
    for members in groups.values():
        assert len(members) >= 2
        assert all(set(members[0].forums) & set(o.forums) or any(set(o.forums) & set(p.forums) for p in members
                                                                if p is not o) for o in members)
    solo = [o for o in options if not o.alternatives]
    for option in solo:
        assert all(not set(option.forums) & set(o.forums) for o in options if o is not option)


def test_a_partner_on_only_one_forum_is_named_as_a_loss(tmp_path):
    data = sheets()
    data["agencies"].append(["idva", "IDVA Service", "domestic_abuse", ""])
    for forum_id, name in (("ops-a", "Northtown Vulnerability Group"), ("ops-b", "Northtown Exploitation Group")):
        data["forums"].append([forum_id, name, "operational", "exploitation|safeguarding", "police", "monthly",
                               "active", "", "2026-10-09", "none", "Northtown"])
        data["members"] += [[forum_id, "police", "chair", "service manager", "Chair", 12, 12],
                            [forum_id, "mh-trust", "member", "practitioner", "MH rep", 12, 10],
                            [forum_id, "council", "member", "practitioner", "Housing officer", 12, 9],
                            [forum_id, "asc", "member", "practitioner", "Social worker", 12, 8]]
    data["members"].append(["ops-b", "idva", "member", "practitioner", "IDVA", 12, 11])
    landscape = load(write_xlsx(tmp_path / "b.xlsx", data))
    analysis = analyse(landscape)
    assert [f.subjects for f in analysis.by_rule("similar_membership")] == [("ops-a", "ops-b")]  # 4 of 5 agencies
    merge = board_options(landscape, analysis)[0]
    assert merge.title == ("Merge Northtown Vulnerability Group into Northtown Exploitation Group: Northtown "
                           "Vulnerability Group ends")  # the forum with more seats carries on
    assert any("1 partner sits on only one" in l and "IDVA Service (Northtown Exploitation Group)" in l
               for l in merge.loses), merge.loses
    assert any(r["rule"] == "similar_membership" for r in merge.resolved)


def test_no_similar_forums_no_options(little_borough):
    assert list(board_options(little_borough, analyse(little_borough))) == []


def test_options_and_responses_appear_in_the_report(example_landscape):
    analysis = analyse(example_landscape)
    options = board_options(example_landscape, analysis)
    html = " ".join(render_report(example_landscape, analysis, options=options).split())
    assert "Options for the board" in html and options[0].title.replace("&", "&amp;") in html
    assert "merging meetings alone does not fix a system built around professional concerns" in CAVEAT
    assert "merging meetings alone does not fix a system built around professional concerns" in html
    assert "Resolved for the people concerned" in html and "Removed with the forum, not fixed" in html
    assert "What it would lose" in html and "meeting-hours a month" in html
    assert "alternative A" in html


def test_candidates_are_ruled_out_before_they_are_evaluated(example_landscape):
    candidates, ruled_out = candidate_scenarios(example_landscape, analyse(example_landscape))
    assert all(not barrier(example_landscape, c[1], c[1][0]) for c in candidates)
    assert all(r["reason"] for r in ruled_out)


def test_a_large_landscape_gets_options_area_by_area():
    data = sheets()
    for area in ("Northtown", "Southtown"):
        slug = area.lower()
        for forum_id, name in ((f"{slug}-a", f"{area} Partnership Group"), (f"{slug}-b", f"{area} Steering Group")):
            data["forums"].append([forum_id, name, "operational", "", "council", "monthly", "active", "",
                                   "2026-10-01", "none", area])
            data["members"] += [[forum_id, a, "member", "service manager", f"{a} lead", 12, 11]
                                for a in TWIN_AGENCIES]
    landscape = load_frames(frames_of(data))
    options = area_options(landscape, analyse(landscape))
    assert {o.area for o in options} == {"Northtown", "Southtown"}  # both tried: within MAX_AREA_EVALUATIONS
    assert all(o.title.startswith(f"Merge {o.area} Steering Group into {o.area} Partnership Group") for o in options)
    assert "in 2 areas" in options.note and options.untried == []


def test_areas_beyond_the_evaluation_budget_are_named_untried(monkeypatch):
    from mcn_map.change import options as module

    monkeypatch.setattr(module, "MAX_AREA_EVALUATIONS", 1)
    data = sheets()
    for area in ("Northtown", "Southtown"):
        slug = area.lower()
        for forum_id, name in ((f"{slug}-a", f"{area} Partnership Group"), (f"{slug}-b", f"{area} Steering Group")):
            data["forums"].append([forum_id, name, "operational", "", "council", "monthly", "active", "",
                                   "2026-10-01", "none", area])
            data["members"] += [[forum_id, a, "member", "service manager", f"{a} lead", 12, 11]
                                for a in TWIN_AGENCIES]
    landscape = load_frames(frames_of(data))
    options = area_options(landscape, analyse(landscape))
    assert len(options) == 1 and len(options.untried) == 1
    assert options.untried[0]["area"] != options[0].area
    html = " ".join(render_report(landscape, analyse(landscape), include_map=False, options=options).split())
    assert "Not yet tried" in html and options.untried[0]["title"] in html


def test_the_built_report_counts_responses_apart(tmp_path):
    from conftest import ROOT
    from mcn_map.build import build

    result = build(ROOT / "inputs" / "example_landscape_2027.xlsx", tmp_path)
    html = " ".join((tmp_path / "report.html").read_text("utf-8").split())
    assert "The partnership&#39;s responses" in html or "The partnership's responses" in html
    assert "1 finding already has a response (0 accepted, 1 in hand, 0 disagree)" in html
    assert "4 responses closed: the finding no longer appears." in html
    assert result.written


def test_a_finding_with_a_response_is_shown_as_such_in_the_findings_list(tmp_path):
    data = sheets()
    data["responses"] = [["finding_id", "status", "owner", "note", "review_date"],
                         ["paper_only_sector-aa012cf7af", "in hand", "ASC head of service", "Rota agreed",
                          "2027-01-31"]]
    landscape = load(write_xlsx(tmp_path / "r.xlsx", data))
    html = " ".join(render_report(landscape, analyse(landscape), include_map=False).split())
    assert ("<strong>Response: in hand</strong> (ASC head of service): Rota agreed; review by 2027-01-31" in html)
    assert html.count("Response: ") == 1


def test_options_left_out_when_not_evaluated(little_borough):
    assert "Options for the board" not in render_report(little_borough, analyse(little_borough), include_map=False)
    assert "Options for the board" in render_report(little_borough, analyse(little_borough), include_map=False,
                                                    options=[])
