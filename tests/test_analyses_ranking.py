"""Ranking, the roll-up digest and overlap clusters: pure functions over findings, tested on hand-made findings and
landscapes, and on the synthetic region."""

from __future__ import annotations

import sys
from pathlib import Path

from mcn_map.analyses.digest import roll_up
from mcn_map.analyses.duplication import cohort_overlap, overlap_cluster
from mcn_map.analyses.findings import make_finding, sort_findings, unique_ids
from mcn_map.analyses.ranking import headline, impact, rank, same_problem
from mcn_map.analyses.run import analyse
from test_analyses_world import case, config_with, forum, healthy_tables, landscape_of, link, run_rule, seat

ROOT = Path(__file__).resolve().parent.parent


def finding(rule="some_rule", subjects=("ops1",), severity="medium", category="weak_link", **evidence):
    return make_finding(category, rule, severity, subjects, f"{rule} about {', '.join(subjects)}.", evidence=evidence)


# -- impact ---------------------------------------------------------------------------------------------------

def test_impact_counts_people_forums_hours_and_gaps_in_guidance():
    forums = {"ops1", "ops2", "board"}
    assert impact(finding(people="15"), forums) == 25  # 15 people + one forum
    assert impact(finding(people="<8"), forums) == 14  # a suppressed count counts as 4, whatever it hides
    assert impact(finding(subjects=("ops1", "ops2")), forums) == 20
    assert impact(finding(subjects=("board",), operational_forums=["ops1", "ops2"]), forums) == 30
    assert impact(finding(subjects=("asc",), hours_per_month=30.5), forums) == 30.5
    gap = finding(category="missing_partner", sectors=["mental_health", "police"], guidance_sectors=["police"])
    assert impact(gap, forums) == 10 + 20 + 5


def test_a_rule_ranking_does_not_know_still_gets_a_score():
    assert impact(finding(rule="caseload_too_big", subjects=("team-a",), category="caseload"), {"ops1"}) == 1
    assert impact(finding(rule="journey", subjects=(), category="journeys", people="1,235"), set()) == 1235


def test_order_is_severity_then_impact_never_name():
    low = finding("a_rule", ("zz",), severity="low", people="500")
    small = finding("a_rule", ("aa",), severity="high", people="<8")
    big = finding("a_rule", ("zz-last-by-name",), severity="high", people="100")
    assert [f.subjects for f in rank([low, small, big])] == [("zz-last-by-name",), ("aa",), ("zz",)]


def test_ties_are_broken_by_id_not_by_subject_name():
    ties = [finding("same_rule", (name,)) for name in ("b", "a", "c")]
    ordered = sort_findings(ties)
    assert [f.id for f in ordered] == sorted(f.id for f in ties)


def test_unknown_categories_and_severities_sort_last_rather_than_fail():
    odd = make_finding("caseload", "caseload_too_big", "medium", ("x",), "m", impact=5)
    usual = make_finding("weak_link", "some_rule", "medium", ("y",), "m", impact=5)
    assert sort_findings([odd, usual])[-1] is odd


# -- headline -------------------------------------------------------------------------------------------------

def test_headline_skips_a_second_finding_about_the_same_problem():
    cluster = finding("overlap_cluster", ("a", "b", "c"), severity="high", category="duplication", people="40")
    pair = finding("cohort_overlap", ("a", "b"), severity="high", category="duplication", people="20")
    other = finding("cohort_overlap", ("c", "d"), severity="high", category="duplication", people="10")
    elsewhere = finding("missing_sector", ("a",), severity="high", category="missing_partner", sectors=["police"])
    ranked = rank([pair, other, elsewhere, cluster], {"a", "b", "c", "d"})
    chosen = headline(ranked, 10)
    assert [f.rule for f in chosen] == ["overlap_cluster", "cohort_overlap", "missing_sector"]
    assert chosen[1].subjects == ("c", "d")  # shares one forum with the cluster, but other people: a problem
    assert same_problem(cluster, pair) and not same_problem(cluster, elsewhere)
    assert len(headline(ranked, 2)) == 2


# -- roll-up --------------------------------------------------------------------------------------------------

def _many_operational(count, missing_mh=True):
    """``count`` more operational forums across two areas, each without mental health (or with it)."""
    tables = healthy_tables()
    for i in range(count):
        tables["forums"].append(dict(forum(f"extra{i:02d}", "operational"), area=f"Area {i % 2 + 1}"))
        sectors = [a for a in ("dap", "housing", "police", "probation", "asc") + (() if missing_mh else ("mh",))]
        tables["members"] += [seat(f"extra{i:02d}", a, seniority="service manager" if a == "asc" else "practitioner")
                              for a in sectors]
        tables["links"] += [link(f"extra{i:02d}", "board"), link("board", f"extra{i:02d}", "feeds_back_to")]
    return tables


def test_more_than_the_limit_of_one_pattern_becomes_one_roll_up():
    analysis = analyse(landscape_of(_many_operational(13)))
    rolled = analysis.by_rule("missing_sector")
    (mental_health,) = [f for f in rolled if f.evidence["sectors"] == ["mental_health"]]
    assert mental_health.message.startswith("Mental health has no seat at 13 of 15 active operational forums")
    assert mental_health.evidence["rolled_up"] == 13 and mental_health.severity == "high"
    assert len(mental_health.subjects) == 5  # only the top examples: the map rings these, not all 13
    assert len(analysis.detail[mental_health.id]) == 13
    assert {f.id for f in analysis.detail[mental_health.id]}.isdisjoint({f.id for f in analysis.findings})


def test_at_the_limit_nothing_is_rolled_up():
    analysis = analyse(landscape_of(_many_operational(12)))
    assert len(analysis.by_rule("missing_sector")) == 12
    assert not [k for k in analysis.detail if k.startswith("missing_sector")]
    assert len(analyse(landscape_of(_many_operational(12)), config_with(digest={"rollup_above": 11}))
               .by_rule("missing_sector")) == 1


def test_roll_up_ids_are_stable_and_do_not_depend_on_which_forums_are_worst():
    first = analyse(landscape_of(_many_operational(13)))
    again = analyse(landscape_of(_many_operational(13)))
    assert [f.id for f in first.findings] == [f.id for f in again.findings]
    more = analyse(landscape_of(_many_operational(20)))
    ids = {f.id for f in first.by_rule("missing_sector")}
    assert ids == {f.id for f in more.by_rule("missing_sector")}


def test_a_rule_the_digest_does_not_know_is_rolled_up_in_plain_words():
    from mcn_map.config import Config

    landscape = landscape_of(_many_operational(13))
    findings = rank([make_finding("caseload", "caseload_too_big", "medium", (f"extra{i:02d}",), "m") for i in range(13)],
                    set(landscape.forum_ids))
    (rolled,), detail = roll_up(findings, landscape, Config())
    assert rolled.message.startswith("13 findings of the rule caseload too big")
    assert rolled.category == "caseload" and len(detail[rolled.id]) == 13


# -- clusters -------------------------------------------------------------------------------------------------

def _three_sharing(tables, also=True):
    """ops1, ops2 and a third forum ops3 discuss the same six people; ``also=False`` leaves ops3 out."""
    tables["forums"].append(forum("ops3", "operational"))
    tables["members"] += [dict(s, forum_id="ops3") for s in tables["members"] if s["forum_id"] == "ops1"]
    tables["links"] += [link("ops3", "board"), link("board", "ops3", "feeds_back_to")]
    tables["cohorts"] += [case("ops2", f"P{i:03d}", lead="asc") for i in range(1, 7)]
    if also:
        tables["cohorts"] += [case("ops3", f"P{i:03d}", lead="asc") for i in range(1, 7)]
    else:
        tables["cohorts"] += [case("ops3", f"Q{i:03d}", lead="asc") for i in range(1, 7)]
    return tables


def test_three_forums_sharing_their_case_lists_are_one_cluster():
    tables = _three_sharing(healthy_tables())
    (cluster,) = run_rule(overlap_cluster, tables)
    assert cluster.subjects == ("ops1", "ops2", "ops3") and cluster.severity == "high"
    assert len(cluster.evidence["pairs"]) == 3 and cluster.suggestion.endswith("or one panel.")
    assert run_rule(cohort_overlap, tables) == []  # the pairs are in the cluster, not reported again


def test_two_forums_are_a_pair_not_a_cluster():
    tables = _three_sharing(healthy_tables(), also=False)
    assert run_rule(overlap_cluster, tables) == []
    (pair,) = run_rule(cohort_overlap, tables)
    assert pair.subjects == ("ops1", "ops2")


def test_a_third_forum_under_the_overlap_threshold_does_not_join():
    tables = _three_sharing(healthy_tables(), also=False)
    tables["cohorts"] += [case("ops3", "P001", lead="asc")]  # one person: under the minimum for a pair
    assert run_rule(overlap_cluster, tables) == []


# -- scale ----------------------------------------------------------------------------------------------------

def test_the_region_preset_digests_to_a_few_hundred_findings_at_most():
    sys.path.insert(0, str(ROOT / "scripts"))
    import mcn_map
    import synth

    landscape = mcn_map.load_frames(synth.landscape_frames("region", 0), source="region")
    analysis = analyse(landscape)
    assert 0 < len(analysis.findings) <= 500
    assert sum(len(v) for v in analysis.detail.values()) > len(analysis.findings)  # the detail is kept, not lost
    top = headline(analysis.findings, 10)
    ringed = {s for f in top for s in f.subjects if s in landscape.forum_name}
    assert len(ringed) < len(landscape.forums)  # the map can ring the top problems without ringing everything
    # Only a cluster is about more than a handful of forums: roll-ups and system-wide findings name their worst few.
    assert all(len(f.subjects) <= 6 for f in top if "rolled_up" in f.evidence or f.rule == "people_in_many_forums")


def test_the_detail_sheet_holds_every_rolled_up_finding_under_its_roll_up():
    import io

    from openpyxl import load_workbook

    from mcn_map.render.findings_workbook import findings_xlsx_bytes

    analysis = analyse(landscape_of(_many_operational(13)))
    book = load_workbook(io.BytesIO(findings_xlsx_bytes(analysis)))
    rows = list(book["Detail"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == sum(len(v) for v in analysis.detail.values())
    (mental_health,) = [f for f in analysis.by_rule("missing_sector") if f.evidence["sectors"] == ["mental_health"]]
    assert sum(1 for r in rows if r[0] == mental_health.id) == 13
    findings_rows = list(book["Findings"].iter_rows(min_row=2, values_only=True))
    assert len(findings_rows) == len(analysis.findings) and findings_rows[0][9] == analysis.findings[0].impact


def test_a_roll_up_of_missing_partners_still_names_its_sectors_for_the_schema():
    from mcn_map.config import Config

    landscape = landscape_of(_many_operational(13))
    members = [make_finding("missing_partner", "sector_absent", "medium", (f"agency{i}",), "m",
                            evidence={"sectors": [f"s{i % 3}"]}) for i in range(13)]
    (rolled,), _ = roll_up(rank(members), landscape, Config())
    assert sorted(rolled.evidence["sectors"]) == ["s0", "s1", "s2"]


def test_findings_json_of_a_digest_validates_against_the_schema():
    import json
    from importlib import resources

    import jsonschema

    from mcn_map.render.findings_json import findings_document

    document = json.loads(json.dumps(findings_document(analyse(landscape_of(_many_operational(13))))))
    schema = json.loads(resources.files("mcn_map").joinpath("schemas/findings.schema.json").read_text("utf-8"))
    jsonschema.validate(document, schema)
    assert any("rolled_up" in f["evidence"] for f in document["findings"])


def test_a_repeated_id_is_made_distinct_in_order_and_a_unique_one_left_alone():
    twin = make_finding("missing_partner", "sector_absent", "high", (), "Mental health sits on no forum.")
    other = make_finding("missing_partner", "sector_absent", "high", (), "Housing sits on no forum.")
    alone = make_finding("weak_link", "no_feedback", "medium", ("a", "b"), "No feedback.")
    ids = [f.id for f in unique_ids([twin, alone, other, twin])]
    assert ids == [twin.id, alone.id, f"{twin.id}-2", f"{twin.id}-3"]
    assert len(set(ids)) == len(ids)


def test_ids_are_unique_on_the_shipped_examples():
    import mcn_map

    root = Path(__file__).resolve().parent.parent / "inputs"
    for name in ("example_landscape.xlsx", "example_landscape_2027.xlsx"):
        ids = [f.id for f in analyse(mcn_map.load(root / name)).findings]
        assert len(ids) == len(set(ids)), name


def test_a_key_tells_apart_findings_of_one_rule_with_the_same_subjects_and_keeps_other_ids():
    housing = make_finding("missing_partner", "sector_absent", "high", (), "No housing seat.", key="housing")
    mental = make_finding("missing_partner", "sector_absent", "high", (), "No mental health seat.", key="mental_health")
    plain = make_finding("missing_partner", "sector_absent", "high", (), "No seat.")
    assert len({housing.id, mental.id, plain.id}) == 3
    assert housing.id == make_finding("missing_partner", "sector_absent", "medium", (), "Other words.", key="housing").id
