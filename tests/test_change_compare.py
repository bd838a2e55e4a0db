"""compare() on hand-made pairs of workbooks: real .xlsx files written and read, one kind of change per test."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from mcn_map import analyse, load
from mcn_map.change import changes_document, compare
from mcn_map.writing.files import json_bytes
from workbooks import sheets, write_xlsx


def snapshots(tmp_path, change=None, *, before=None, suppress=True):
    """The little borough as 2026, and as 2027 after ``change(data)``; both written as .xlsx and loaded."""
    old_data = sheets()
    if before:
        before(old_data)
    new_data = sheets()
    if before:
        before(new_data)
    if change:
        change(new_data)
    old = load(write_xlsx(tmp_path / "borough-2026.xlsx", old_data))
    new = load(write_xlsx(tmp_path / "borough-2027.xlsx", new_data))
    return compare(old, analyse(old, suppress=suppress), new, analyse(new, suppress=suppress))


def forum_row(forum_id, name, level="operational", **fields):
    row = dict(forum_id=forum_id, name=name, level=level, themes="", chair_agency="", frequency="monthly",
               status="active", merged_into="", last_met="2026-10-01", person_voice="", area="Northtown")
    row.update(fields)
    return list(row.values())


def schema():
    return json.loads(resources.files("mcn_map").joinpath("schemas/changes.schema.json").read_text("utf-8"))


def test_the_same_snapshot_twice_changes_nothing(tmp_path):
    changes = snapshots(tmp_path)
    counts = changes.counts()
    assert {k: v for k, v in counts.items() if k != "findings_persisting"} == {
        k: 0 for k in counts if k != "findings_persisting"}
    assert counts["findings_persisting"] == changes.after["findings"] > 0


def test_a_forum_started_is_added_with_its_seats(tmp_path):
    def start_iom(data):
        data["forums"].append(forum_row("iom", "Integrated Offender Management", chair_agency="police"))
        data["members"].append(["iom", "police", "chair", "practitioner", "IOM sergeant", 12, 11])

    changes = snapshots(tmp_path, start_iom)
    assert [f["forum_id"] for f in changes.forums["added"]] == ["iom"]
    assert changes.forums["added"][0]["name"] == "Integrated Offender Management"
    assert changes.forums["removed"] == []
    assert [(s["forum_id"], s["agency_id"], s["post"]) for s in changes.seats["added"]] == [
        ("iom", "police", "IOM sergeant")]


def test_a_forum_no_longer_listed_is_removed(tmp_path):
    def drop_mset(data):
        data["forums"] = [r for r in data["forums"] if r[0] != "mset"]
        data["members"] = [r for r in data["members"] if r[0] != "mset"]
        data["cohorts"] = [r for r in data["cohorts"] if r[0] != "mset"]

    changes = snapshots(tmp_path, drop_mset)
    assert [f["forum_id"] for f in changes.forums["removed"]] == ["mset"]
    assert changes.forums["added"] == [] and changes.forums["likely_renames"] == []


def test_a_merged_forum_changes_status_and_names_where_it_went(tmp_path):
    def add_matac(data):
        data["forums"].append(forum_row("matac", "MATAC", themes="domestic abuse", chair_agency="police"))
        data["members"].append(["matac", "police", "chair", "service manager", "MATAC chair", 12, 12])

    def merge_matac(data):
        data["forums"][-1][6:8] = ["merged", "marac"]

    changes = snapshots(tmp_path, merge_matac, before=add_matac)
    assert changes.forums["status_changed"] == [
        {"forum_id": "matac", "name": "MATAC", "from": "active", "to": "merged", "merged_into": "marac"}]
    assert changes.forums["added"] == changes.forums["removed"] == []


def test_level_chair_and_frequency_changes(tmp_path):
    def change(data):
        marac = data["forums"][2]
        marac[2], marac[4], marac[5] = "tactical", "mh-trust", "fortnightly"

    changes = snapshots(tmp_path, change)
    assert [(c["from"], c["to"]) for c in changes.forums["level_changed"]] == [("operational", "tactical")]
    assert [(c["from"], c["to"]) for c in changes.forums["chair_changed"]] == [("police", "mh-trust")]
    assert [(c["from"], c["to"]) for c in changes.forums["frequency_changed"]] == [("monthly", "fortnightly")]
    assert {c["forum_id"] for c in changes.forums["level_changed"] + changes.forums["chair_changed"]} == {"marac"}
    assert changes.forums["status_changed"] == []


def test_seats_added_and_removed_and_sectors_gained_and_lost(tmp_path):
    def change(data):
        data["members"] = [r for r in data["members"] if not (r[0] == "marac" and r[1] == "asc")]
        data["members"].append(["marac", "council", "member", "practitioner", "Housing officer", 12, 10])

    changes = snapshots(tmp_path, change)
    assert [(s["forum_id"], s["agency_id"]) for s in changes.seats["added"]] == [("marac", "council")]
    assert [(s["forum_id"], s["agency_id"], s["post"]) for s in changes.seats["removed"]] == [
        ("marac", "asc", "Social worker")]
    assert [(s["forum_id"], s["sector"]) for s in changes.sectors["gained"]] == [("marac", "local_authority")]
    assert [(s["forum_id"], s["sector"]) for s in changes.sectors["lost"]] == [("marac", "adult_social_care")]


def test_attendance_up_and_down_by_ten_points_or_more_and_not_less(tmp_path):
    def change(data):
        rows = {(r[0], r[1]): r for r in data["members"][1:]}
        rows[("marac", "asc")][6] = 9  # 3 of 12 -> 9 of 12: up 50 points
        rows[("board", "mh-trust")][6] = 2  # 5 of 6 -> 2 of 6: down 50 points
        rows[("marac", "mh-trust")][6] = 8  # 9 of 12 -> 8 of 12: down 8 points, not reported
        rows[("board", "council")][5:7] = [10, 9]  # 6 of 6 -> 9 of 10: exactly 10 points down, reported

    changes = snapshots(tmp_path, change)
    up = {(a["forum_id"], a["agency_id"]): (a["before"], a["after"]) for a in changes.seats["attendance_up"]}
    down = {(a["forum_id"], a["agency_id"]): (a["before"], a["after"]) for a in changes.seats["attendance_down"]}
    assert up == {("marac", "asc"): (0.25, 0.75)}
    assert down == {("board", "mh-trust"): (0.83, 0.33), ("board", "council"): (1.0, 0.9)}


def test_a_post_that_changed_holder_and_the_tier_link_that_depended_on_it(tmp_path):
    def change(data):
        for row in data["members"][1:]:
            if row[4] == "DA lead":  # the post carrying MARAC's escalation to the board leaves
                row[4] = "DA coordinator"
            if row[4] == "MH liaison":  # the same post, now held by adult social care
                row[1] = "asc"
                row[4] = "MH liaison"
        data["members"] = [r for r in data["members"] if not (r[0] == "marac" and r[4] == "Social worker")]

    changes = snapshots(tmp_path, change)
    left = {(p["agency_id"], p["post"]) for p in changes.posts["left"]}
    joined = {(p["agency_id"], p["post"]) for p in changes.posts["joined"]}
    assert ("police", "DA lead") in left and ("police", "DA coordinator") in joined
    assert changes.posts["changed_holder"] == [{"post": "MH liaison", "from_agency": "mh-trust", "to_agency": "asc"}]
    assert changes.posts["links_via_posts_that_left"] == [
        {"from_forum": "marac", "to_forum": "board", "type": "escalates_to", "via_post": "DA lead",
         "still_listed": True}]


def test_a_post_that_stays_is_not_turnover(tmp_path):
    def change(data):
        data["members"][3][6] = 10  # attendance only

    changes = snapshots(tmp_path, change)
    assert changes.posts == {"left": [], "joined": [], "changed_holder": [], "links_via_posts_that_left": []}


def test_links_added_and_removed(tmp_path):
    def change(data):
        data["links"] = [data["links"][0], data["links"][1], ["marac", "board", "reports_to", ""]]

    changes = snapshots(tmp_path, change)
    assert [(l["from_forum"], l["to_forum"], l["type"]) for l in changes.links["added"]] == [
        ("marac", "board", "reports_to")]
    assert [(l["from_forum"], l["to_forum"], l["type"]) for l in changes.links["removed"]] == [
        ("board", "marac", "feeds_back_to")]


def test_findings_resolved_new_and_persisting_are_full_finding_objects(tmp_path):
    def change(data):
        rows = {(r[0], r[1]): r for r in data["members"][1:]}
        rows[("marac", "asc")][6] = 11  # resolves the paper-only seat (which tells its low attendance too)
        data["members"] = [r for r in data["members"] if not (r[0] == "board" and r[1] == "mh-trust")]

    old = load(write_xlsx(tmp_path / "a.xlsx", sheets()))
    data = sheets()
    change(data)
    new = load(write_xlsx(tmp_path / "b.xlsx", data))
    old_analysis, new_analysis = analyse(old), analyse(new)
    changes = compare(old, old_analysis, new, new_analysis)
    resolved = {f["rule"] for f in changes.findings["resolved"]}
    assert "paper_only_sector" in resolved  # which also told the seat's low attendance
    assert any(f["rule"] == "sector_one_level" and "Mental health" in f["message"] for f in changes.findings["new"])
    # The board's missing-sector finding is the same finding (same rule and subject), now naming mental health too.
    board = [f for f in changes.findings["persisting"] if f["rule"] == "missing_sector" and f["subjects"] == ["board"]]
    assert len(board) == 1 and "mental health" in board[0]["message"]
    assert changes.findings["resolved"][0] == next(
        f.as_dict() for f in old_analysis.findings if f.id == changes.findings["resolved"][0]["id"])
    keys = set(old_analysis.findings[0].as_dict())
    assert all(set(f) == keys for group in changes.findings.values() for f in group)
    total = len(changes.findings["resolved"]) + len(changes.findings["persisting"])
    assert total == len(old_analysis.findings)
    assert len(changes.findings["new"]) + len(changes.findings["persisting"]) == len(new_analysis.findings)


def test_findings_sharing_one_id_are_told_apart_by_message(tmp_path):
    def change(data):
        data["agencies"].append(["homes", "Northtown Homes", "housing", ""])
        data["members"].append(["marac", "homes", "member", "practitioner", "Housing officer", 12, 10])

    changes = snapshots(tmp_path, change)
    resolved = [f["message"] for f in changes.findings["resolved"] if f["rule"] == "sector_absent"]
    assert resolved == ["No active forum has a housing seat."]
    assert not any(f["rule"] == "sector_absent" for f in changes.findings["new"])


def test_cohort_figures_before_and_after_are_suppressed(tmp_path):
    def change(data):
        data["cohorts"] = [data["cohorts"][0]] + [
            [forum, f"P{i:04d}", "2026-09-03", "police"] for i in range(100, 112) for forum in ("marac", "board")]

    changes = snapshots(tmp_path, change)
    figure = changes.cohorts["in_two_or_more_forums"]
    assert figure == {"before": None, "after": 10, "before_shown": "<8", "after_shown": "10"}
    pairs = {tuple(p["forums"]): (p["before_shown"], p["after_shown"]) for p in changes.cohorts["pairs"]}
    assert pairs == {("marac", "mset"): ("<8", "0"), ("board", "marac"): ("0", "10")}
    assert changes.cohorts["clusters"] == [
        {"forums": ["board", "marac"], "before": 0, "after": 10, "before_shown": "0", "after_shown": "10"}]
    text = json_bytes(changes_document(changes)).decode()
    assert '"after": 12' not in text and "P0100" not in text


def test_cohort_figures_unsuppressed_are_exact_and_stamped(tmp_path):
    changes = snapshots(tmp_path, suppress=False)
    assert changes.cohorts["in_two_or_more_forums"]["before"] == 1
    assert "stamp" in changes_document(changes)


def _rename(data, old: str, new: str, columns) -> None:
    """``old`` becomes ``new`` wherever it stands in the given (sheet, column) places."""
    for sheet, column in columns:
        for row in data[sheet][1:]:
            if row[column] == old:
                row[column] = new


def test_likely_renames_by_name(tmp_path):
    def change(data):
        _rename(data, "mset", "adult-mset", (("forums", 0), ("members", 0), ("cohorts", 0)))
        data["forums"][3][1] = "Adult  M.S.E.T"

    changes = snapshots(tmp_path, change)
    assert [(r["old_id"], r["new_id"]) for r in changes.forums["likely_renames"]] == [("mset", "adult-mset")]


def test_unrelated_names_are_not_renames(tmp_path):
    def change(data):
        data["forums"][3][0] = "vip"
        data["forums"][3][1] = "VIP Panel"
        data["forums"][3][7] = ""
        data["forums"][3][6] = "active"
        for sheet in ("members", "cohorts"):
            data[sheet] = [r for r in data[sheet] if r[0] != "mset"]

    changes = snapshots(tmp_path, change)
    assert changes.forums["likely_renames"] == []
    assert [f["forum_id"] for f in changes.forums["added"]] == ["vip"]


def test_changes_json_validates_against_its_schema(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")

    def change(data):
        data["forums"][2][5] = "fortnightly"
        data["members"].append(["board", "police", "member", "executive", "Chief constable", 6, 4])
        data["links"].append(["mset", "board", "reports_to", "Exploitation lead"])

    document = json.loads(json_bytes(changes_document(snapshots(tmp_path, change))))
    jsonschema.Draft202012Validator(schema()).validate(document)
    document["forums"]["added"] = [{"name": "no id"}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema()).validate(document)


def test_a_similar_name_with_other_members_is_not_a_rename(tmp_path):
    def change(data):
        # MSET goes; a "Adult MSET Group" starts with none of its agencies: another body, not a rename.
        data["forums"][3] = forum_row("mset-group", "Adult MSET Group", chair_agency="council")
        data["members"] = [r for r in data["members"] if r[0] != "mset"]
        data["members"].append(["mset-group", "council", "chair", "service manager", "Lead", 4, 4])
        data["cohorts"] = [r for r in data["cohorts"] if r[0] != "mset"]

    changes = snapshots(tmp_path, change)
    assert changes.forums["likely_renames"] == []


def test_an_agency_renamed_with_its_seats_is_a_likely_rename(tmp_path):
    def change(data):
        _rename(data, "mh-trust", "nt-mh-trust", (("agencies", 0), ("members", 1), ("forums", 4), ("cohorts", 3)))
        data["agencies"][3][1] = "Northtown Mental Health NHS Trust"

    changes = snapshots(tmp_path, change)
    assert [(r["old_id"], r["new_id"]) for r in changes.agencies["likely_renames"]] == [("mh-trust", "nt-mh-trust")]
