"""National forum kinds: the data file, inference from names, and forums judged against their kind's guidance."""

from __future__ import annotations

import pytest

from mcn_map.analyses.partners import missing_sector
from mcn_map.config import load_config
from mcn_map.errors import McnMapError
from mcn_map.kinds import KINDS, infer
from mcn_map.loading.schema import SECTOR_LABELS, SECTORS, VOCABULARIES, vocabulary_lookup
from test_analyses_world import healthy_tables, landscape_of, run_rule, seat, set_forum, without

SECTOR_LABELS_LOWER = {k: v.lower() for k, v in SECTOR_LABELS.items()}
REQUIRED = ["marac", "matac", "mappa", "channel", "iom", "hwb", "sab", "csp", "cdp", "drug_deaths_review",
            "safeguarding_adults_review", "high_intensity_use", "multiple_disadvantage_operational",
            "multiple_disadvantage_strategic", "homelessness_forum"]


def test_the_data_file_covers_the_national_kinds_with_real_sectors_and_a_source():
    assert set(REQUIRED) <= set(KINDS)
    for kind in KINDS.values():
        assert kind.source and kind.label
        for group in kind.expected:
            assert set(group.split("|")) <= set(SECTORS), (kind.key, group)
        assert set(kind.why) <= set(kind.expected), kind.key  # a reason is only given for an expected group
    assert KINDS["drug_deaths_review"].discusses_living is False
    assert KINDS["hwb"].case_forum is False and KINDS["marac"].case_forum is True
    assert not {"police", "probation"} & set(KINDS["hwb"].expected)


@pytest.mark.parametrize("name, level, kind", [
    ("Northtown MARAC", "operational", "marac"),
    ("MATAC", "operational", "matac"),
    ("MAPPA Level 2 meeting", "operational", "mappa"),
    ("Channel Panel", "operational", "channel"),
    ("Integrated Offender Management", "operational", "iom"),
    ("Health & Wellbeing Board", "strategic", "hwb"),
    ("Safeguarding Adults Board", "strategic", "sab"),
    ("Community Safety Partnership Board", "strategic", "csp"),
    ("Combating Drugs Partnership", "strategic", "cdp"),
    ("Drug Related Deaths Review", "operational", "drug_deaths_review"),
    ("Safeguarding Adults Review and Complex Case Group", "operational", "safeguarding_adults_review"),
    ("A&E Frequent Attenders", "operational", "high_intensity_use"),
    ("High Intensity Users Group", "operational", "high_intensity_use"),
    ("Multiple Disadvantage Operational Group", "operational", "multiple_disadvantage_operational"),
    ("Multiple and Complex Needs Strategic Group", "strategic", "multiple_disadvantage_strategic"),
    ("Homelessness Forum", "strategic", "homelessness_forum"),
])
def test_a_kind_is_inferred_from_a_typical_name(name, level, kind):
    assert infer(name, level) == kind


def test_names_that_are_no_national_kind_infer_nothing():
    for name, level in (("Health and Care System Board", "strategic"), ("Community Safety Complex Cases",
                        "operational"), ("Dual Diagnosis Panel", "operational"), ("Complex Needs Tactical Group",
                        "tactical"), ("Multiple disadvantage group", "tactical")):
        assert infer(name, level) == "", name


def test_the_kind_column_accepts_labels_and_synonyms():
    lookup = vocabulary_lookup("kind")
    assert set(VOCABULARIES["kind"]) == set(KINDS)
    assert lookup["health and wellbeing board"] == "hwb" and lookup["drd"] == "drug_deaths_review"


def _as_hwb(tables, **values):
    """ops2 becomes a Health and Wellbeing Board holding its statutory members, and no police or probation."""
    set_forum(tables, "ops2", name="Northtown Health and Wellbeing Board", level="strategic", **values)
    tables["members"] = [s for s in tables["members"] if s["forum_id"] != "ops2"]
    tables["agencies"] += [{"agency_id": "council", "name": "Council", "sector": "local_authority", "parent": ""},
                           {"agency_id": "csc", "name": "Children's Services", "sector": "childrens_services",
                            "parent": ""}]
    tables["members"] += [seat("ops2", a, seniority="executive") for a in ("council", "asc", "csc", "ph", "comm",
                                                                           "experts")]
    return tables


def test_a_health_and_wellbeing_board_is_not_asked_for_police_or_probation():
    assert [f for f in run_rule(missing_sector, _as_hwb(healthy_tables())) if f.subjects == ("ops2",)] == []


def test_a_health_and_wellbeing_board_without_public_health_cites_the_act():
    (finding,) = [f for f in run_rule(missing_sector, without(_as_hwb(healthy_tables()), "ops2", "ph"))
                  if f.subjects == ("ops2",)]
    assert finding.evidence["sectors"] == ["public_health"] and finding.evidence["kind"] == "hwb"
    assert finding.evidence["source"] == "Health and Social Care Act 2012, s.194"
    assert "Health and Social Care Act 2012 (s.194) requires the director of public health" in finding.message


def test_a_marac_without_an_idva_is_told_what_safelives_says():
    tables = set_forum(healthy_tables(), "ops1", name="MARAC")
    (finding,) = run_rule(missing_sector, tables)
    assert "domestic_abuse" in finding.evidence["sectors"]
    assert "SafeLives lists an IDVA among MARAC's core agencies" in finding.message
    assert "domestic_abuse" in finding.evidence["guidance_sectors"]


def test_the_kind_column_wins_over_the_name():
    tables = set_forum(healthy_tables(), "ops1", name="MARAC", kind="hwb", level="strategic")
    (finding,) = [f for f in run_rule(missing_sector, tables) if f.subjects == ("ops1",)]
    assert finding.evidence["kind"] == "hwb"


def test_the_config_can_replace_a_kinds_list():
    tables = set_forum(healthy_tables(), "ops1", name="MARAC")
    assert run_rule(missing_sector, tables, partners={"expected_by_kind": {"marac": ["police"]}}) == []
    (finding,) = run_rule(missing_sector, without(tables, "ops1", "police"),
                          partners={"expected_by_kind": {"marac": ["police"]}})
    assert "source" not in finding.evidence  # the config's list, not guidance's: nothing to cite


def test_a_kind_without_a_national_list_keeps_the_tier_defaults():
    tables = set_forum(without(healthy_tables(), "ops1", "mh"), "ops1", name="A&E Frequent Attenders")
    (finding,) = run_rule(missing_sector, tables)
    assert finding.evidence["sectors"] == ["mental_health"] and "source" not in finding.evidence


def test_unknown_kinds_in_the_config_are_errors():
    with pytest.raises(McnMapError, match="partners.expected_by_kind.marc"):
        load_config({"partners": {"expected_by_kind": {"marc": ["police"]}}})
    with pytest.raises(McnMapError, match="unknown sector 'polce'"):
        load_config({"partners": {"expected_by_kind": {"marac": ["polce"]}}})


def test_an_unknown_kind_in_the_workbook_is_a_clear_message():
    import pandas as pd

    import mcn_map
    from test_analyses_world import HEADERS

    tables = set_forum(healthy_tables(), "ops1", kind="Marrac")
    frames = {name: pd.DataFrame(rows, columns=HEADERS[name]).astype(object) for name, rows in tables.items()}
    with pytest.raises(McnMapError) as caught:
        mcn_map.load_frames(frames, source="test")
    assert "sheet 'forums', row 3, column 'kind'" in str(caught.value) and "did you mean `marac`" in str(caught.value)


def test_the_readme_kinds_table_matches_the_data_file():
    from test_docs import table_after

    rows = {r[0].strip("`"): r for r in table_after("### Forum kinds")}
    assert set(rows) == set(KINDS)
    for key, kind in KINDS.items():
        row = rows[key]
        assert row[1] == kind.label and row[3] == kind.source, key
        assert row[4] == ("yes" if kind.discusses_living else "no") and row[5] == ("case forum" if kind.case_forum
                                                                                 else "board"), key
        for group in kind.expected:
            for sector in group.split("|"):
                assert SECTOR_LABELS_LOWER[sector] in row[2], (key, sector)
        assert row[6] == kind.purpose, key
        assert row[7] == (f"no: statutory ({kind.statute})" if kind.statutory else "yes"), key


STATUTES = {"hwb": "Health and Social Care Act 2012, s.194", "csp": "Crime and Disorder Act 1998, s.5",
            "sab": "Care Act 2014, s.43 and Sch. 2", "channel": "Counter-Terrorism and Security Act 2015, s.37",
            "mappa_smb": "Criminal Justice Act 2003, s.325-326"}


def test_the_statutory_kinds_name_their_legal_source():
    for key, statute in STATUTES.items():
        assert KINDS[key].statutory and KINDS[key].statute == statute
    assert not KINDS["marac"].statutory and not KINDS["matac"].statutory  # guidance, not statute
    assert infer("Northshire MAPPA Strategic Management Board", "strategic") == "mappa_smb"
    assert infer("MAPPA level 2 meeting", "operational") == "mappa"


def test_purposes_say_which_kinds_may_combine():
    assert not KINDS["marac"].may_combine(KINDS["matac"])  # victims and perpetrators
    assert not KINDS["drug_deaths_review"].may_combine(KINDS["safeguarding_adults_review"])  # died and living
    assert KINDS["high_intensity_use"].may_combine(KINDS["multiple_disadvantage_operational"])
    assert KINDS["marac"].may_combine(KINDS["marac"])
    for kind in KINDS.values():
        assert kind.purpose, kind.key
        assert set(kind.combines_with) <= set(KINDS), kind.key


def test_the_readme_documents_every_rule_in_the_findings_table():
    from mcn_map.analyses.run import RULES
    from test_docs import table_after

    documented = {r[1].strip("`") for r in table_after("## Findings") if len(r) > 1}
    assert {rule.__name__ for rule in RULES} <= documented
