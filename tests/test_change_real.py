"""Change that is real: a relaunched forum paired, a seat's seniority or role change reported, a relabelled post not
counted as resolved and new, and a warning when both snapshots have the same date."""

from __future__ import annotations

from conftest import frames_of
from mcn_map import analyse, load, load_frames
from mcn_map.change.compare import compare
from mcn_map.render.compare import summary_lines
from workbooks import sheets


def landscape(data):
    return load_frames(frames_of(data), source="snapshot.xlsx")


def changes_between(old_data, new_data, old_as_of="2026-10-31", new_as_of="2027-10-31"):
    old, new = landscape(old_data), landscape(new_data)
    return compare(old, analyse(old, as_of=old_as_of), new, analyse(new, as_of=new_as_of))


def with_panel(forum_id, name):
    data = sheets()
    data["forums"].append([forum_id, name, "operational", "mental health", "mh-trust", "monthly", "active", "",
                           "2026-10-10", "representative", "Northtown"])
    data["members"] += [[forum_id, a, "member", "practitioner", f"{a} worker", 12, 10]
                        for a in ("police", "mh-trust", "asc", "council")]
    data["cohorts"] += [[forum_id, f"P{i:04d}", "2026-09-15", "mh-trust"] for i in range(10, 30)]
    return data


def test_a_forum_relaunched_under_a_new_id_and_name_is_paired_not_ended_and_begun():
    changes = changes_between(with_panel("dual-dx", "Dual Diagnosis Panel"), with_panel("dn-group", "Dual Needs Group"))
    (pair,) = changes.forums["likely_replacements"]
    assert (pair["old_id"], pair["new_id"], pair["members_in_common"]) == ("dual-dx", "dn-group", 1.0)
    assert changes.forums["likely_renames"] == []  # the names are not alike: only the seats and case list say so
    assert any(line.startswith("Likely relaunched") and "dual-dx → dn-group" in line for line in summary_lines(changes))


def test_a_new_forum_with_other_members_is_not_a_relaunch():  # must not fire
    new = with_panel("dn-group", "Dual Needs Group")
    new["members"] = [m for m in new["members"] if not (m[0] == "dn-group" and m[1] in ("asc", "council"))]
    changes = changes_between(with_panel("dual-dx", "Dual Diagnosis Panel"), new)
    assert changes.forums["likely_replacements"] == []


def test_a_relaunch_with_a_case_list_far_larger_is_not_paired():  # boundary: case lists within a quarter
    new = with_panel("dn-group", "Dual Needs Group")
    new["cohorts"] += [["dn-group", f"P{i:04d}", "2026-09-20", "mh-trust"] for i in range(30, 40)]
    assert changes_between(with_panel("dual-dx", "Dual Diagnosis Panel"), new).forums["likely_replacements"] == []


def test_a_seat_whose_seniority_changed_is_reported():
    new = sheets()
    new["members"][4][3] = "executive"  # MARAC's mental health seat (row 0 is the header), a practitioner before
    changes = changes_between(sheets(), new)
    assert changes.seats["changed"] == [{"forum_id": "marac", "agency_id": "mh-trust", "post": "MH liaison",
                                         "field": "seniority", "from": "practitioner", "to": "executive"}]
    assert changes.seats["added"] == [] and changes.seats["removed"] == []
    assert "Seats whose seniority or role changed: 1." in summary_lines(changes)


def test_unchanged_seats_report_no_change():  # must not fire
    assert changes_between(sheets(), sheets()).seats["changed"] == []


def test_a_relabelled_post_is_neither_resolved_nor_new(example_landscape):
    from conftest import ROOT

    newer = load(ROOT / "inputs" / "example_landscape_2027.xlsx")
    changes = compare(example_landscape, analyse(example_landscape), newer, analyse(newer))
    (relabel,) = [r for r in changes.findings["relabelled"] if r["rule"] == "sole_tier_link"]
    assert (relabel["from"], relabel["to"]) == ("Multiple disadvantage coordinator 1",
                                                "Multiple disadvantage coordinator 2")
    assert relabel["old_id"] not in {f["id"] for f in changes.findings["resolved"]}
    assert relabel["new_id"] not in {f["id"] for f in changes.findings["new"]}
    assert relabel["new_id"] in {f["id"] for f in changes.findings["persisting"]}


def test_snapshots_of_the_same_date_draw_a_warning():
    changes = changes_between(sheets(), sheets(), "2026-10-31", "2026-10-31")
    assert changes.extra["warnings"] and "Both snapshots are as of 2026-10-31" in changes.extra["warnings"][0]
    assert summary_lines(changes)[0].startswith("Warning: Both snapshots are as of 2026-10-31")


def test_snapshots_a_day_apart_draw_no_warning():  # boundary
    assert changes_between(sheets(), sheets(), "2026-10-30", "2026-10-31").extra["warnings"] == []
