"""The optional responses sheet: read and checked like any sheet, open or closed against the findings, carried
across snapshots by compare."""

from __future__ import annotations

import pytest

from mcn_map import analyse, check, load
from mcn_map.change import compare
from mcn_map.change.responses import response_summary
from workbooks import sheets, write_xlsx

HEADER = ["finding_id", "status", "owner", "note", "review_date"]
LOW_ATTENDANCE = "paper_only_sector-aa012cf7af"  # adult social care at MARAC, 3 of 12 meetings: on paper only


def borough(tmp_path, name, responses=None, change=None):
    data = sheets()
    if responses is not None:
        data["responses"] = [HEADER] + responses
    if change:
        change(data)
    return load(write_xlsx(tmp_path / name, data))


def test_responses_are_read_with_their_status_folded(tmp_path):
    landscape = borough(tmp_path, "r.xlsx", [[LOW_ATTENDANCE, "In progress", "ASC head of service", "Rota agreed",
                                              "2027-01-31"]])
    row = landscape.responses.iloc[0]
    assert (row["finding_id"], row["status"], row["owner"]) == (LOW_ATTENDANCE, "in hand", "ASC head of service")
    assert str(row["review_date"].date()) == "2027-01-31"


def test_a_workbook_without_responses_has_an_empty_table(tmp_path):
    assert len(borough(tmp_path, "none.xlsx").responses) == 0


def test_a_bad_status_and_a_repeated_finding_are_located(tmp_path):
    data = sheets()
    data["responses"] = [HEADER, [LOW_ATTENDANCE, "acepted", "", "", ""], [LOW_ATTENDANCE, "accepted", "", "", ""]]
    landscape, problems = check(write_xlsx(tmp_path / "bad.xlsx", data))
    assert landscape is None
    text = [str(p) for p in problems if p.is_error]
    assert any("sheet 'responses', row 2, column 'status': 'acepted' is not a recognised status; did you mean "
               "`accepted`?" in t for t in text), text
    assert any("row 3, column 'finding_id'" in t and "is used again" in t for t in text), text


def test_findings_with_a_response_are_counted_apart_and_a_gone_finding_is_closed(tmp_path):
    landscape = borough(tmp_path, "r.xlsx", [[LOW_ATTENDANCE, "accepted", "", "", ""],
                                             ["cohort_overlap-0000000000", "disagree", "", "", ""]])
    analysis = analyse(landscape)
    summary = response_summary(landscape, analysis.findings)
    assert summary["with_response"] == 1
    assert summary["without_response"] == len({f.id for f in analysis.findings}) - 1
    assert summary["by_status"] == {"accepted": 1, "in hand": 0, "disagree": 0}
    assert [r["finding_id"] for r in summary["closed"]] == ["cohort_overlap-0000000000"]


def test_compare_carries_responses_across_and_closes_resolved_ones(tmp_path):
    def better_attendance(data):
        for row in data["members"][1:]:
            if row[0] == "marac" and row[1] == "asc":
                row[6] = 11

    old = borough(tmp_path, "2026.xlsx", [[LOW_ATTENDANCE, "in hand", "ASC", "Rota agreed", "2027-01-31"],
                                          ["missing_sector-16b0d694fd", "accepted", "", "", ""]])
    new = borough(tmp_path, "2027.xlsx", [["missing_sector-16b0d694fd", "in hand", "CSP", "Recruiting", ""]],
                  change=better_attendance)
    changes = compare(old, analyse(old), new, analyse(new))
    by_id = {r["finding_id"]: r for r in changes.responses}
    assert by_id[LOW_ATTENDANCE]["carried"] is True and by_id[LOW_ATTENDANCE]["state"] == "closed"
    assert by_id["missing_sector-16b0d694fd"] == {
        "finding_id": "missing_sector-16b0d694fd", "status": "in hand", "owner": "CSP", "note": "Recruiting",
        "review_date": None, "state": "open", "carried": False}  # the newer snapshot's response wins
    assert changes.counts()["responses_closed"] == 1


@pytest.mark.parametrize("status", ["accepted", "in hand", "disagree"])
def test_each_status_is_accepted(tmp_path, status):
    landscape = borough(tmp_path, f"{status}.xlsx", [[LOW_ATTENDANCE, status, "", "", ""]])
    assert list(landscape.responses["status"]) == [status]
