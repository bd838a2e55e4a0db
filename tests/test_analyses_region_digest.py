"""The region digest: roll-ups say where a gap clusters, name their grouping, and list the top items by the figure
they name."""

from __future__ import annotations

from mcn_map.analyses.digest import roll_up
from mcn_map.analyses.findings import make_finding
from mcn_map.analyses.run import analyse
from test_analyses_world import config_with, forum, healthy_tables, landscape_of, seat


def areas_without_drug_services(whole_areas):
    """Four areas of two operational forums; drug and alcohol missing from every forum of ``whole_areas`` and from
    one forum of each other area."""
    tables = healthy_tables()
    tables["forums"] = [dict(f, area="Central") for f in tables["forums"]]
    for area in ("Area 1", "Area 2", "Area 3", "Area 4"):
        for k in (1, 2):
            forum_id = f"{area[-1]}-ops{k}"
            tables["forums"].append(dict(forum(forum_id, "operational"), area=area))
            agencies = ["mh", "housing", "police", "probation", "asc"]
            if area not in whole_areas and k == 1:
                agencies.append("dap")
            tables["members"] += [seat(forum_id, a, seniority="service manager", role="chair" if a == "asc"
                                       else "member") for a in agencies]
    return tables


def with_areas(tables):
    """landscape_of, keeping the forums' area column."""
    import pandas as pd

    import mcn_map
    from test_analyses_world import HEADERS

    columns = dict(HEADERS, forums=HEADERS["forums"] + ["area"])
    frames = {name: pd.DataFrame(rows, columns=columns[name]).astype(object) for name, rows in tables.items()}
    return mcn_map.load_frames(frames, source="test")


def test_a_gap_covering_whole_areas_says_so():
    analysis = analyse(with_areas(areas_without_drug_services({"Area 1", "Area 3"})),
                       config_with(digest={"rollup_above": 2}))
    (rolled,) = [f for f in analysis.findings if f.rule == "missing_sector" and "Drug and alcohol" in f.message]
    assert "(by area: " in rolled.message
    assert rolled.message.endswith("; every active operational forum in Area 1 and Area 3 lacks it.")


def test_a_scattered_gap_names_no_whole_area():  # must not fire
    analysis = analyse(with_areas(areas_without_drug_services(set())), config_with(digest={"rollup_above": 2}))
    (rolled,) = [f for f in analysis.findings if f.rule == "missing_sector" and "Drug and alcohol" in f.message]
    assert "every active operational forum" not in rolled.message


def test_the_pairs_with_most_people_are_listed_by_people_not_impact():
    landscape = landscape_of(healthy_tables())
    config = config_with(digest={"rollup_above": 1, "examples": 1})
    small = make_finding("duplication", "cohort_overlap", "high", ("ops1", "ops2"), "small",
                         evidence={"shared_people": "10"}, impact=500.0)
    large = make_finding("duplication", "cohort_overlap", "medium", ("board", "ops1"), "large",
                         evidence={"shared_people": "40"}, impact=50.0)
    rolled, _ = roll_up([small, large], landscape, config)
    (finding,) = rolled
    assert "the 1 pairs with most people: Board and Ops1" in finding.message
