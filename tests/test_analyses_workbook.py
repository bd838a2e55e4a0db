"""findings.xlsx and assessment.xlsx beyond the example: large landscapes, unsuppressed counts, formula-looking text."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from mcn_map.render import findings_workbook as workbook
from mcn_map.render.assessment_workbook import assessment_xlsx_bytes
from mcn_map.analyses.run import analyse
from mcn_map.privacy.suppression import UNSUPPRESSED_STAMP
from test_analyses_world import case, healthy_tables, landscape_of, set_forum, without


def broken_tables():
    tables = set_forum(without(healthy_tables(), "ops1", "mh"), "ops2", person_voice="none", name="=SUM(A1)")
    tables["cohorts"] += [case("ops2", f"P{i:03d}", lead="probation") for i in range(1, 10)]
    return tables


def read(data):
    return load_workbook(io.BytesIO(data))


def test_many_forums_become_pair_lists_and_many_findings_are_capped(monkeypatch):
    monkeypatch.setattr(workbook, "MATRIX_MAX_FORUMS", 2)
    monkeypatch.setattr(workbook, "MAX_FINDING_ROWS", 2)
    analysis = analyse(landscape_of(broken_tables()), suppress=False)
    book = read(workbook.findings_xlsx_bytes(analysis))
    findings = book["Findings"]
    assert findings["A1"].value == UNSUPPRESSED_STAMP
    assert f"first 2 of {len(analysis.findings)} findings" in findings["A3"].value
    assert findings.max_row == 6  # stamp, blank, note, header and two findings
    overlap = book["Cohort overlap"]
    assert [c.value for c in overlap[4]] == ["forum_id", "other_forum_id", "value"]
    assert [c.value for c in overlap[5]] == ["ops1", "ops2", 9]


def test_suppressed_overlap_grid_and_text_that_looks_like_a_formula():
    analysis = analyse(landscape_of(broken_tables()))
    book = read(workbook.findings_xlsx_bytes(analysis))
    grid = book["Cohort overlap"]
    assert [c.value for c in grid[2]][:5] == ["forum_id", "forum", "board", "ops1", "ops2"]
    assert grid["E4"].value == grid["D5"].value == "10" and grid["E5"].value == "20" and grid["C3"].value == "0"
    assert grid["B5"].value == "'=SUM(A1)"  # the forum's name, neutralised
    assessment = read(assessment_xlsx_bytes(analysis))["Self-assessment"]
    assert assessment["A1"].value.startswith("Healthy partnerships")
