"""The shipped example: every planted instance is found, what is fine is not flagged, and the outputs hold up."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import mcn_map
from mcn_map.render.assessment_workbook import ASSESSMENT_ROWS
from mcn_map.analyses.problems import facets_of
from mcn_map.analyses.run import RULES
from mcn_map.render.findings_workbook import SHEETS
from mcn_map.build import build
from mcn_map.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inputs" / "example_landscape.xlsx"

# (rule, subjects) planted in scripts/make_example.py and listed in the README's "The shipped example".
PLANTED = [
    # The four pairs among ae-fa, dual-dx, maart and sacc are one cluster now, each pair in its evidence
    # (see test_the_cluster_holds_its_pairs).
    ("overlap_cluster", ("ae-fa", "dual-dx", "maart", "sacc")),
    ("cohort_overlap", ("iom", "vip")),
    # people_in_many_forums: every forum where someone is in three or more is in that cluster, so the cluster's
    # finding says it (see test_people_in_many_forums_is_told_once_by_the_cluster).
    # ae-fa/dual-dx and iom/vip were planted as contradictory plans too: that is now evidence on their
    # cohort_overlap finding (one finding per pair; see test_a_pair_is_one_finding_with_its_different_leads).
    # maart/marac: three MARAC victims are at MAART within weeks, but each list names only its own lead agency, so
    # "different leads" would be automatic: no contradictory_plans claim (see test_a_fixed_lead_pair_claims_nothing).
    ("similar_membership", ("marac", "matac")),
    ("missing_sector", ("cscc",)),
    ("missing_sector", ("ae-fa",)),
    ("missing_sector", ("hcsb",)),
    ("missing_sector", ("csp-board",)),
    ("paper_only_sector", ("drd",)),
    ("paper_only_sector", ("marac",)),
    ("sector_absent", ("dwp",)),
    ("sector_one_level", ("probation",)),
    ("no_route_to_strategic", ("sacc",)),
    ("no_feedback", ("dual-dx", "mcn-tactical")),
    ("no_shared_seat", ("ae-fa", "hcsb")),
    ("strategic_winding_down", ("mcn-strategic",)),
    ("strategic_unfed", ("homelessness-board",)),
    ("no_person_voice", ("cscc", "sacc", "vip")),  # a pattern across forums: one finding
    ("no_expert_by_experience", ("hcsb",)),
    ("no_expert_by_experience", ("csp-board",)),
    ("sole_tier_link", ("mcn-vcs", "Multiple disadvantage coordinator 1")),  # a post is its agency and label
    ("post_on_many_forums", ("mcn-vcs", "Multiple disadvantage coordinator 1")),
    # low_seat_attendance at MARAC (probation) and the Drug Related Deaths Review (mental health): each is the only
    # seat of an expected sector, so paper_only_sector tells it, with its meetings (see
    # test_a_seat_on_paper_only_is_told_once_with_its_meetings).
    ("low_forum_attendance", ("vip",)),
    ("strategic_mostly_practitioners", ("mcn-strategic",)),
    ("no_decision_maker", ("iom",)),
    ("forum_not_meeting", ("hoarding",)),
    ("meeting_hours", ("council-asc",)),
    ("meeting_hours", ("police",)),
    ("forum_flows", ("iom", "vip")),
    ("forum_flows", ("sacc", "dual-dx")),
    ("bouncing_cases", ("ae-fa", "dual-dx", "maart", "sacc")),
    ("repeat_discussion", ("marac",)),
    ("long_running_cases", ("marac",)),
    ("post_caseloads", ("Multiple disadvantage coordinator 1",)),
    ("post_caseloads", ("Multiple disadvantage coordinator 2",)),
]


@pytest.fixture(scope="module")
def example_analysis(example_landscape):  # example_landscape and example_build come from conftest.py
    return mcn_map.analyse(example_landscape)


def found(analysis):
    """(rule, subjects) of every finding and of every facet folded into one (one finding per problem)."""
    return ({(f.rule, f.subjects) for f in analysis.findings}
            | {(facet["rule"], tuple(facet["subjects"])) for f in analysis.findings
               for facet in f.evidence.get("facets", [])})


@pytest.mark.parametrize("rule, subjects", PLANTED)
def test_every_planted_instance_is_found(example_analysis, rule, subjects):
    assert (rule, subjects) in found(example_analysis)


def test_every_rule_fires_on_the_example(example_analysis):
    # Told by another finding (next tests); contradictory_plans is claimed only where leads can be compared, and the
    # example's one candidate pair names a fixed lead per forum.
    absorbed = {"people_in_many_forums", "low_seat_attendance", "contradictory_plans"}
    from mcn_map.analyses.knowledge import RULES as NEED_A_ROUND  # the example records no mapping round

    absorbed |= {rule.__name__ for rule in NEED_A_ROUND}
    told = {rule for f in example_analysis.findings for rule in facets_of(f)}
    assert {rule.__name__ for rule in RULES} - absorbed == told


def test_a_seat_on_paper_only_is_told_once_with_its_meetings(example_analysis):
    assert not example_analysis.by_rule("low_seat_attendance")
    paper = {f.subjects: f for f in example_analysis.by_rule("paper_only_sector")}
    assert "(Probation Service (MARAC probation officer) attended 6 of 26 meetings)" in paper[("marac",)].message
    assert ("(Northtown Mental Health Trust (Mental health liaison nurse) attended 1 of 4 meetings)"
            in paper[("drd",)].message)


def test_people_in_many_forums_is_told_once_by_the_cluster(example_analysis):
    (cluster,) = example_analysis.by_rule("overlap_cluster")
    assert not example_analysis.by_rule("people_in_many_forums")
    assert cluster.evidence["in_many_forums"] == {"people": "10", "threshold": 3,
                                                  "absorbs_people_in_many_forums": True}
    assert "10 people are discussed in two or more of them, 10 in 3 or more" in cluster.message


def test_what_is_fine_is_not_flagged(example_analysis):
    about = {f.subjects for f in example_analysis.findings if f.category == "missing_partner"}
    assert ("maart",) not in about  # every expected sector
    assert ("channel",) not in about  # every sector its theme expects
    flagged_forums = {s for f in example_analysis.findings for s in f.subjects}
    assert "adult-mset" not in flagged_forums  # merged
    assert ("no_feedback", ("marac", "da-delivery")) not in found(example_analysis)
    assert example_analysis.overlap.loc["channel"].drop("channel").sum() == 0
    assert not [f for f in example_analysis.findings if f.rule == "similar_membership" and f.subjects != ("marac", "matac")]


def test_a_fixed_lead_pair_claims_nothing(example_analysis):
    about = [f for f in example_analysis.findings if {"maart", "marac"} <= set(f.subjects)]
    assert about == []
    assert not any("different lead" in f.message and "MARAC" in f.message for f in example_analysis.findings)


def test_no_two_of_the_first_ten_findings_are_one_problem(example_analysis):
    from mcn_map.analyses.ranking import same_problem

    first = example_analysis.findings[:10]
    subjects = [frozenset(f.subjects) for f in first]
    assert len(set(subjects)) == len(subjects)
    assert not [(a.id, b.id) for i, a in enumerate(first) for b in first[i + 1:] if same_problem(a, b)]
    people_rules = {"overlap_cluster", "people_in_many_forums", "bouncing_cases"}
    assert sum(f.rule in people_rules for f in first) <= 1  # one group of people, one finding


def test_a_pair_whose_leads_never_overlap_claims_no_contradiction(example_analysis):
    """IOM records its police team or probation as lead, VIP the community safety team or the police: no one could
    be shown under the same lead at both, so "different leads" would be automatic. One finding, about the shared
    people."""
    (finding,) = [f for f in example_analysis.findings if f.rule in ("cohort_overlap", "contradictory_plans")
                  and f.subjects == ("iom", "vip")]
    assert finding.rule == "cohort_overlap" and finding.evidence["different_leads"] == "0"
    assert finding.evidence["leads_fixed_per_forum"] is True and "cannot show whether the plans differ" in (
        finding.message) and "under different lead agencies" not in finding.message
    assert finding.evidence["shares_case_list"] is False
    assert finding.suggestion.startswith("Ask both chairs")


def test_the_cluster_holds_its_pairs(example_analysis):
    (cluster,) = example_analysis.by_rule("overlap_cluster")
    pairs = {tuple(p["forums"]): p for p in cluster.evidence["pairs"]}
    assert {("dual-dx", "maart"), ("dual-dx", "sacc"), ("maart", "sacc"), ("ae-fa", "dual-dx")} <= set(pairs)
    assert pairs[("ae-fa", "dual-dx")]["shares_case_list"] is True  # the links sheet says they already do
    assert pairs[("ae-fa", "dual-dx")]["different_leads"] == "0"  # their lead agencies never overlap
    inside = {frozenset(p) for p in pairs}
    assert not [f for f in example_analysis.findings if f.rule in ("cohort_overlap", "contradictory_plans")
                and frozenset(f.subjects) in inside]  # not reported again pair by pair


def test_forums_judged_against_their_kind(example_analysis):
    about = {(f.rule, f.subjects) for f in example_analysis.findings}
    flagged = {s for f in example_analysis.findings for s in f.subjects}
    assert "hwb" not in flagged  # no police or probation, which the 2012 Act does not ask of it
    assert ("no_person_voice", ("drd",)) not in about  # a deaths review, with person_voice 'none'
    (marac,) = [f for f in example_analysis.findings if (f.rule, f.subjects) == ("missing_sector", ("marac",))]
    assert marac.evidence["kind"] == "marac" and "SafeLives" in marac.evidence["source"]
    assert "SafeLives lists" in marac.message


def test_what_the_board_should_know_is_five_different_problems_in_impact_order(example_analysis):
    from mcn_map.analyses.findings import SEVERITIES
    from mcn_map.analyses.ranking import headline, same_problem

    first = headline(example_analysis.findings, 5)
    assert len(first) == 5
    assert not [(a.id, b.id) for i, a in enumerate(first) for b in first[i + 1:] if same_problem(a, b)]
    assert len({frozenset(f.subjects) for f in first}) == 5
    keys = [(SEVERITIES.index(f.severity), -f.impact) for f in first]
    assert keys == sorted(keys) and all(f.impact >= 1 for f in first)


def test_the_report_opens_with_the_headline(example_build, example_analysis):
    from mcn_map.analyses.ranking import headline

    page = (example_build.outdir / "report.html").read_text("utf-8")
    section = page[page.index("What the board should know"):page.index('aria-labelledby="h-map"')]
    import html as html_module

    text = html_module.unescape(section)
    positions = [text.find(f.message) for f in headline(example_analysis.findings, 5)]
    assert -1 not in positions and positions == sorted(positions)


def test_example_cohorts_use_local_pseudonyms_only():
    from openpyxl import load_workbook as read

    sheet = read(EXAMPLE, read_only=True)["cohorts"]
    ids = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert ids and all(str(i).startswith("P") and len(str(i)) == 5 for i in ids)


def test_example_script_is_deterministic(tmp_path):
    import runpy

    module = runpy.run_path(str(ROOT / "scripts" / "make_example.py"))
    module["main"]([str(tmp_path / "again.xlsx")])
    assert (tmp_path / "again.xlsx").read_bytes() == EXAMPLE.read_bytes()
    module["main"]([str(tmp_path / "again.xlsx")])  # regenerating over its own file works (no overwrite refusal)
    assert (tmp_path / "again.xlsx").read_bytes() == EXAMPLE.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again.xlsx"]  # and leaves no record file beside it


def test_build_writes_the_three_analysis_files(example_build):
    names = {p.name for p in example_build.written}
    assert {"findings.json", "findings.xlsx", "assessment.xlsx"} <= names


def test_findings_json_validates_against_the_shipped_schema(example_build):
    schema = json.loads(resources.files("mcn_map").joinpath("schemas/findings.schema.json").read_text("utf-8"))
    document = json.loads((example_build.outdir / "findings.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(document, schema, format_checker=jsonschema.FormatChecker())
    assert document["counts"]["total"] == len(document["findings"]) > 30
    assert document["as_of"] == "2026-10-29" and document["suppressed"] is True
    assert "P0" not in json.dumps(document["findings"])  # no person identifiers


def test_two_runs_give_byte_identical_findings(example_build, tmp_path):
    again = build(EXAMPLE, tmp_path)
    for name in ("findings.json", "findings.xlsx", "assessment.xlsx"):
        assert (again.outdir / name).read_bytes() == (example_build.outdir / name).read_bytes(), name


def test_findings_workbook_reads_back_with_its_sheets(example_build, example_analysis):
    book = load_workbook(example_build.outdir / "findings.xlsx")
    assert book.sheetnames == list(SHEETS)
    findings = book["Findings"]
    assert findings.freeze_panes == "A2" and findings.auto_filter.ref.startswith("A1:J")
    assert findings["A2"].value == "high" and findings["A2"].fill.fgColor.rgb.endswith("F4B6B6")
    assert findings.max_row == len(example_analysis.findings) + 1
    assert book["Cohort overlap"]["C3"].value is not None
    assert book["Agency burden"]["A1"].value == "agency_id"


def test_assessment_reads_back_with_a_row_per_feature_and_challenge(example_build):
    sheet = load_workbook(example_build.outdir / "assessment.xlsx")["Self-assessment"]
    rows = [r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]]
    assert [r[0] for r in rows] == [r[0] for r in ASSESSMENT_ROWS]
    by_ref = {r[0]: r for r in rows}
    assert by_ref["feature 1"][4].startswith("No data in this workbook") and by_ref["feature 1"][5] == "not assessed"
    assert by_ref["challenge 3"][5] == "red" and "has not met since" in by_ref["challenge 3"][4]
    assert all(r[6] is None and r[7] is None for r in rows)  # left for the partnership


def test_analyse_command_prints_counts_and_high_findings(tmp_path):
    result = CliRunner().invoke(cli, ["analyse", str(EXAMPLE), "--json", str(tmp_path / "f.json"),
                                      "--xlsx", str(tmp_path / "f.xlsx")])
    assert result.exit_code == 0, result.output
    assert "By severity: high" in result.output and "By category: duplication" in result.output
    assert "High severity:" in result.output and "has not met since 10 March 2026" in result.output
    assert (tmp_path / "f.json").exists() and (tmp_path / "f.xlsx").exists()


def test_analyse_command_bad_config_and_date_are_messages(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("[duplication]\nmany_forum = 2\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["analyse", str(EXAMPLE), "--config", str(config)])
    assert result.exit_code == 1 and "Error: unknown config key 'duplication.many_forum'" in result.output
    result = CliRunner().invoke(cli, ["analyse", str(EXAMPLE), "--as-of", "31/13/2026"])
    assert result.exit_code == 1 and "Error: --as-of must be a date such as 2026-10-31" in result.output
    result = CliRunner().invoke(cli, ["analyse", str(EXAMPLE), "--as-of", "9999-12-31"])
    assert result.exit_code == 1 and "between 1900 and 2199" in result.output and "Traceback" not in result.output


def test_build_command_passes_config_and_as_of(tmp_path):
    config = tmp_path / "mcn-map.toml"
    config.write_text("[burden]\nhours_per_month = 100\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(EXAMPLE), "-o", str(tmp_path / "out"), "--config", str(config),
                                      "--as-of", "2026-04-01", "-q"])
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "out" / "findings.json").read_text("utf-8"))
    assert document["as_of"] == "2026-04-01" and document["config"]["source"] == "mcn-map.toml"
    rules = {f["rule"] for f in document["findings"]}
    assert "meeting_hours" not in rules and "strategic_winding_down" not in rules
