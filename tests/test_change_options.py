"""Options for the board: generated from the analysis, evaluated like whatif, listed in the report."""

from __future__ import annotations

from mcn_map import analyse, load
from mcn_map.change.options import CAVEAT, board_options, candidate_scenarios
from mcn_map.render.report import render_report
from test_change_scenario import with_matac
from workbooks import sheets, write_xlsx


def test_near_identical_membership_suggests_a_merge_with_what_it_resolves_frees_and_loses(example_landscape):
    analysis = analyse(example_landscape)
    options = board_options(example_landscape, analysis)
    merge = next(o for o in options if o.kind == "merge" and set(o.forums) == {"marac", "matac"})
    assert merge.title == "Merge MATAC into MARAC"
    assert any(r["rule"] == "similar_membership" for r in merge.resolves)
    assert merge.hours_freed > 10  # nine agencies stop attending a second monthly meeting
    assert any("purposes differ" in l for l in merge.loses)
    assert merge.prompted_by == tuple(f.id for f in analysis.by_rule("similar_membership"))


def test_a_cluster_of_shared_case_lists_suggests_one_lead_forum(example_landscape):
    analysis = analyse(example_landscape)
    lead = [c for c in candidate_scenarios(example_landscape, analysis) if c[0] == "lead forum"]
    groups = {c[1] for c in lead}
    assert ("maart", "ae-fa", "dual-dx", "sacc") in groups  # MAART has the largest case list, so it leads
    assert ("iom", "vip") in groups
    option = next(o for o in board_options(example_landscape, analysis) if o.forums[0] == "maart")
    assert any("partners sit on only one of these forums" in l for l in option.loses)
    assert any("voice is lost" in l for l in option.loses)  # the Safeguarding Adults group has no one for the person
    assert option.hours_freed < 0  # MAART meets weekly: bringing others' people there costs hours


def test_a_partner_on_only_one_forum_is_named_as_a_loss(tmp_path):
    data = with_matac(sheets())
    data["forums"][-1][3] = "domestic abuse|safeguarding"  # shares MARAC's themes
    data["agencies"].append(["idva", "IDVA Service", "domestic_abuse", ""])
    data["members"] += [["marac", "council", "member", "practitioner", "Housing officer", 12, 10],
                        ["matac", "asc", "member", "practitioner", "Social worker", 12, 8],
                        ["matac", "idva", "member", "practitioner", "IDVA", 12, 11]]
    landscape = load(write_xlsx(tmp_path / "b.xlsx", data))
    analysis = analyse(landscape)
    assert [f.subjects for f in analysis.by_rule("similar_membership")] == [("marac", "matac")]  # 4 of 5 agencies
    merge = board_options(landscape, analysis)[0]
    assert merge.title == "Merge MATAC into MARAC"
    assert any("1 partner sits on only one" in l and "IDVA Service (MATAC)" in l for l in merge.loses), merge.loses
    assert any(r["rule"] == "similar_membership" for r in merge.resolves)


def test_no_similar_forums_no_options(little_borough):
    assert board_options(little_borough, analyse(little_borough)) == []


def test_options_and_responses_appear_in_the_report(example_landscape):
    analysis = analyse(example_landscape)
    html = render_report(example_landscape, analysis, options=board_options(example_landscape, analysis))
    assert "Options for the board" in html and "Merge MATAC into MARAC" in html
    assert "merging meetings alone does not fix a system built around professional concerns" in CAVEAT
    assert "merging meetings alone does not fix a system built around professional concerns" in html
    assert "What it would lose" in html and "meeting-hours a month" in html


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
    from workbooks import sheets, write_xlsx

    data = sheets()
    data["responses"] = [["finding_id", "status", "owner", "note", "review_date"],
                         ["paper_only_sector-aa012cf7af", "in hand", "ASC head of service", "Rota agreed",
                          "2027-01-31"]]
    landscape = load(write_xlsx(tmp_path / "r.xlsx", data))
    html = " ".join(render_report(landscape, analyse(landscape), include_map=False).split())
    assert ("<strong>Response: in hand</strong> (ASC head of service): Rota agreed; review by 2027-01-31" in html)
    assert html.count("Response: ") == 1


def test_options_left_out_when_not_evaluated_and_explained_when_too_large(little_borough):
    from mcn_map.render.options import options_section

    assert "Options for the board" not in render_report(little_borough, analyse(little_borough), include_map=False)
    assert "Options for the board" in render_report(little_borough, analyse(little_borough), include_map=False,
                                                    options=[])
    data = sheets()
    data["forums"] += [[f"f{i}", f"Forum {i}", "operational", "", "", "monthly", "active", "", "", "", ""]
                       for i in range(101)]
    from conftest import frames_of
    from mcn_map import load_frames

    large = load_frames(frames_of(data))
    assert "up to 100 forums" in options_section(large, [], None)
