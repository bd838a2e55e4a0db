"""The template helps people type the right thing without stopping them typing a synonym; near-miss frequencies
get the nearest listed one suggested."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

import mcn_map
from mcn_map.loading.template import write_template
from workbooks import sheets, write_xlsx


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return load_workbook(write_template(tmp_path_factory.mktemp("t") / "blank.xlsx"))


def _validations(ws):
    return {str(dv.sqref).split(":")[0][0]: dv for dv in ws.data_validations.dataValidation}


def test_forum_and_agency_ids_are_offered_from_named_ranges(template):
    assert template.defined_names["forum_ids"].attr_text == "forums!$A$2:$A$5000"
    assert template.defined_names["agency_ids"].attr_text == "agencies!$A$2:$A$5000"
    members = _validations(template["members"])
    assert (members["A"].formula1, members["B"].formula1) == ("forum_ids", "agency_ids")
    links = _validations(template["links"])
    assert links["A"].formula1 == links["B"].formula1 == "forum_ids"
    assert _validations(template["cohorts"])["D"].formula1 == "agency_ids"


def test_list_validations_warn_so_synonyms_can_be_typed(template):
    for ws in (template["forums"], template["members"], template["links"]):
        for dv in ws.data_validations.dataValidation:
            if dv.type == "list":
                assert dv.errorStyle == "warning" and dv.showErrorMessage, (ws.title, dv.sqref)


def test_key_columns_prompt_when_selected(template):
    forums = _validations(template["forums"])
    assert forums["A"].showInputMessage and "Example:" in forums["A"].prompt and forums["A"].promptTitle == "forum_id"
    assert all(len(dv.prompt or "") <= 255 for ws in template.worksheets for dv in ws.data_validations.dataValidation)


def test_a_typed_synonym_in_a_filled_template_loads(tmp_path):
    data = sheets()
    data["forums"][2][5] = "every two weeks"  # a documented synonym the drop-down only warns about
    landscape = mcn_map.load(write_xlsx(tmp_path / "area.xlsx", data))
    assert landscape.forums.set_index("forum_id").loc["marac", "frequency"] == "fortnightly"


@pytest.mark.parametrize("typed, nearest", [("every 4 weeks", "monthly"), ("Every 3 weeks", "fortnightly"),
                                            ("8 weekly", "bi-monthly"), ("every twelve weeks", "quarterly"),
                                            ("every 1 year", "ad hoc"), ("every 12 days", "fortnightly")])
def test_a_near_miss_frequency_gets_the_nearest_listed_one(tmp_path, typed, nearest):
    data = sheets()
    data["forums"][2][5] = typed
    _, problems = mcn_map.check(write_xlsx(tmp_path / "area.xlsx", data))
    (error,) = [p for p in problems if p.is_error]
    assert error.column == "frequency" and error.row == 3
    assert f"did you mean `{nearest}` (the nearest listed frequency)?" in error.message


def test_a_frequency_with_no_rhythm_gets_the_ordinary_suggestion(tmp_path):
    data = sheets()
    data["forums"][2][5] = "monthy"
    _, problems = mcn_map.check(write_xlsx(tmp_path / "area.xlsx", data))
    assert "did you mean `monthly`?" in [p for p in problems if p.is_error][0].message
