"""'Play Snap!' as chairs and the analyst use it: usual headers, lead agencies, date precision, checks against the
landscape, the chair's summary, private files that are never overwritten, and combining into the workbook."""

from __future__ import annotations

import csv
import os
import stat
import sys

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import mcn_map
from mcn_map.cli import cli
from mcn_map.privacy.identifiers import key_fingerprint
from mcn_map.privacy.keys import read_key
from mcn_map.snap import COHORT_COLUMNS
from test_privacy_support import spaced, synthetic_nhs
from workbooks import sheets, write_xlsx

NHS = synthetic_nhs(20, start=7000)


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def key_path(tmp_path):
    path = tmp_path / "keys" / "area.key"
    path.parent.mkdir()
    assert run("keygen", path).exit_code == 0
    return path


@pytest.fixture
def area(tmp_path):
    """The little borough's workbook, with no case lists yet."""
    return write_xlsx(tmp_path / "area.xlsx", {k: v for k, v in sheets().items() if k != "cohorts"})


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows([list(header), *rows])
    return path


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as stream:
        return list(csv.DictReader(stream))


def snap(case_list, out, key_path, *extra, forum="marac"):
    return run("snap", case_list, "--forum", forum, "--key-file", key_path, "-o", out, *extra)


@pytest.mark.parametrize("id_header", ["NHS No.", "NHS Number", "NHS_NO", "nhs number"])
@pytest.mark.parametrize("date_header, lead_header", [("Date discussed", "Lead agency"), ("Meeting date", "Lead")])
def test_usual_headers_are_found_without_options(tmp_path, key_path, id_header, date_header, lead_header):
    case_list = write_csv(tmp_path / "list.csv", [id_header, "Name", date_header, lead_header],
                          [[NHS[0], "Alice Example", "03/09/2026", "police"]])
    result = snap(case_list, tmp_path / "out.csv", key_path)
    assert result.exit_code == 0, result.output
    (row,) = read_csv(tmp_path / "out.csv")
    assert row["discussed_on"] == "2026-09" and row["lead_agency"] == "police" and row["person_id"].startswith("snap-")
    assert f"Columns kept: {id_header} (pseudonymised), {date_header} (date discussed, kept to the month), " \
           f"{lead_header} (lead agency)." in result.output
    assert "Columns dropped, not shared: Name." in result.output


def test_lead_and_post_columns_by_option_and_day_precision(tmp_path, key_path):
    case_list = write_csv(tmp_path / "list.csv", ["Ref", "When", "Owner", "Coordinator post"],
                          [[NHS[1], "2026-09-03", "mh-trust", "MD coordinator 1"]])
    result = snap(case_list, tmp_path / "out.csv", key_path, "--id-column", "Ref", "--date-column", "When",
                  "--lead-column", "Owner", "--post-column", "Coordinator post", "--date-precision", "day")
    assert result.exit_code == 0, result.output
    (row,) = read_csv(tmp_path / "out.csv")
    assert (row["discussed_on"], row["lead_agency"], row["lead_post"]) == ("2026-09-03", "mh-trust", "MD coordinator 1")
    assert "kept to the day" in result.output


def test_a_lead_worker_column_is_never_guessed_as_the_post(tmp_path, key_path):
    case_list = write_csv(tmp_path / "list.csv", ["NHS Number", "Lead worker"], [[NHS[1], "Jo Bloggs"]])
    result = snap(case_list, tmp_path / "out.csv", key_path)
    assert result.exit_code == 0 and "Jo Bloggs" not in (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert "Columns dropped, not shared: Lead worker." in result.output


def test_a_named_lead_column_that_is_missing_is_an_error(tmp_path, key_path):
    case_list = write_csv(tmp_path / "list.csv", ["NHS Number"], [[NHS[1]]])
    result = snap(case_list, tmp_path / "out.csv", key_path, "--lead-column", "Agency")
    assert result.exit_code == 1 and "no column 'Agency' for the lead agency" in result.output


def test_summary_counts_rows_duplicates_blanks_and_names_dropped_columns_only(tmp_path, key_path):
    case_list = write_csv(tmp_path / "list.csv", ["NHS No.", "Name", "DOB", "Notes", "Date discussed"], [
        [NHS[0], "Alice Example", "01/02/1980", "Sensitive note", "03/09/2026"],
        [spaced(NHS[0]), "Alice Example", "01/02/1980", "", "17/09/2026"],  # same person and month: a repeat
        ["", "", "", "", ""],
        [NHS[1], "Bob Example", "05/06/1970", "", "01/10/2026"],
    ])
    result = snap(case_list, tmp_path / "out.csv", key_path)
    assert result.exit_code == 0, result.output
    assert "Read 4 rows from list.csv; wrote 2 rows (1 row repeated and 1 row blank removed)." in result.output
    assert "Columns dropped, not shared: Name, DOB, Notes." in result.output
    fingerprint = key_fingerprint(read_key(key_path))[:8]
    assert f"Key fingerprint: {fingerprint}." in result.output
    for secret in ("Alice", "Sensitive", "01/02/1980", NHS[0], NHS[1]):
        assert secret not in result.output


def test_forum_and_lead_agencies_are_checked_against_the_landscape_with_did_you_mean(tmp_path, key_path, area):
    case_list = write_csv(tmp_path / "list.csv", ["NHS Number", "Lead"],
                          [[NHS[0], "police"], [NHS[1], "mh-trst"], [NHS[2], "mh-trst"], [NHS[3], "Northtown Council"]])
    out = tmp_path / "out.csv"
    result = snap(case_list, out, key_path, "--landscape", area, forum="VIP-panel")
    assert result.exit_code == 1 and not out.exists()
    assert "forum `VIP-panel` is not in the forums sheet of area.xlsx" in result.output
    result = snap(case_list, out, key_path, "--landscape", area, forum="maracc")
    assert result.exit_code == 1 and "did you mean `marac`?" in result.output
    result = snap(case_list, out, key_path, "--landscape", area)
    assert result.exit_code == 1 and not out.exists()
    assert "agency `mh-trst` (2 rows) is not in the agencies sheet of area.xlsx; did you mean `mh-trust`?" in result.output
    assert result.output.count("mh-trst") == 1  # once per value, never a row each
    fixed = write_csv(tmp_path / "fixed.csv", ["NHS Number", "Lead"], [[NHS[0], "police"], [NHS[3], "Northtown Council"]])
    result = snap(fixed, out, key_path, "--landscape", area)
    assert result.exit_code == 0, result.output
    assert sorted(r["lead_agency"] for r in read_csv(out)) == ["council", "police"]  # a name becomes its id


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes; on Windows the folder's permissions apply")
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_snapped_and_combined_files_are_readable_by_their_owner_only(tmp_path, key_path, area, suffix):
    case_list = write_csv(tmp_path / "list.csv", ["NHS Number"], [[NHS[0]]])
    out = tmp_path / f"out{suffix}"
    assert snap(case_list, out, key_path).exit_code == 0
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    combined = tmp_path / f"combined{suffix}"
    assert run("snap", "--combine", out, "-o", combined).exit_code == 0
    assert stat.S_IMODE(os.stat(combined).st_mode) == 0o600
    into = tmp_path / "new.xlsx"
    assert run("snap", "--combine", out, "--into", area, "-o", into).exit_code == 0
    assert stat.S_IMODE(os.stat(into).st_mode) == 0o600


def test_an_existing_file_is_never_replaced_without_force(tmp_path, key_path):
    case_list = write_csv(tmp_path / "list.csv", ["NHS Number"], [[NHS[0]]])
    out = tmp_path / "out.csv"
    out.write_text("the chair's own file\n")
    result = snap(case_list, out, key_path)
    assert result.exit_code == 1 and "already exists; pass --force" in result.output
    assert out.read_text() == "the chair's own file\n"
    assert snap(case_list, out, key_path, "--force").exit_code == 0 and read_csv(out)
    combined = tmp_path / "combined.csv"
    combined.write_text("kept\n")
    result = run("snap", "--combine", out, "-o", combined)
    assert result.exit_code == 1 and combined.read_text() == "kept\n"
    assert run("snap", "--combine", out, "-o", combined, "--force").exit_code == 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_snap_is_never_written_over_a_pipe_or_a_link_even_with_force(tmp_path, key_path):
    case_list = write_csv(tmp_path / "list.csv", ["NHS Number"], [[NHS[0]]])
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    result = snap(case_list, pipe, key_path, "--force")
    assert result.exit_code == 1 and "not a regular file" in result.output
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    target = tmp_path / "elsewhere.csv"
    target.write_text("kept\n")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    result = snap(case_list, link, key_path, "--force")
    assert result.exit_code == 1 and target.read_text() == "kept\n" and link.is_symlink()


def test_combine_writes_exactly_the_cohorts_columns_in_the_template_order(tmp_path, key_path):
    a = write_csv(tmp_path / "a.csv", ["NHS Number", "Date discussed", "Lead agency"], [[NHS[0], "2026-09-03", "police"]])
    b = write_csv(tmp_path / "b.csv", ["NHS Number", "Meeting date"], [[NHS[0], "2026-10-08"]])
    snap(a, tmp_path / "a-snap.csv", key_path)
    snap(b, tmp_path / "b-snap.xlsx", key_path, "--date-precision", "day", forum="board")
    result = run("snap", "--combine", tmp_path / "a-snap.csv", tmp_path / "b-snap.xlsx", "-o", tmp_path / "c.csv")
    assert result.exit_code == 0, result.output
    rows = read_csv(tmp_path / "c.csv")
    assert tuple(rows[0]) == COHORT_COLUMNS == ("forum_id", "person_id", "discussed_on", "lead_agency", "lead_post")
    assert sorted(r["discussed_on"] for r in rows) == ["2026-09", "2026-10-08"]  # each list keeps its precision
    assert f"Key fingerprint: {key_fingerprint(read_key(key_path))[:8]}" in result.output


def test_combine_into_a_copy_of_the_workbook_never_changes_the_workbook(tmp_path, key_path, area):
    a = write_csv(tmp_path / "a.csv", ["NHS Number", "Date discussed", "Lead agency"],
                  [[n, "2026-09-03", "police"] for n in NHS[:4]])
    snap(a, tmp_path / "a-snap.csv", key_path)
    before = area.read_bytes()
    new = tmp_path / "area-with-cohorts.xlsx"
    result = run("snap", "--combine", tmp_path / "a-snap.csv", "--into", area, "-o", new)
    assert result.exit_code == 0, result.output
    assert area.read_bytes() == before and "a copy of area.xlsx" in result.output
    book = load_workbook(new)
    assert [c.value for c in book["cohorts"][1]] == list(COHORT_COLUMNS)
    assert set(book.sheetnames) >= {"forums", "agencies", "members", "cohorts", "links"}
    landscape = mcn_map.load(new)  # no key needed
    assert landscape.pseudonymised and landscape.cohorts["person"].nunique() == 4
    assert run("snap", "--combine", tmp_path / "a-snap.csv", "--into", area, "-o", area).exit_code == 1
    assert area.read_bytes() == before
    assert "ending .xlsx" in run("snap", "--combine", tmp_path / "a-snap.csv", "--into", area, "-o",
                                 tmp_path / "x.csv").output


def test_combine_into_checks_forums_and_lead_agencies_once_per_value(tmp_path, key_path, area):
    a = write_csv(tmp_path / "a.csv", ["NHS Number", "Lead agency"], [[n, "polic"] for n in NHS[:12]])
    snap(a, tmp_path / "a-snap.csv", key_path, forum="VIP-panel")
    result = run("snap", "--combine", tmp_path / "a-snap.csv", "--into", area, "-o", tmp_path / "new.xlsx")
    assert result.exit_code == 1 and not (tmp_path / "new.xlsx").exists()
    assert "forum `VIP-panel` (12 rows) is not in the forums sheet of area.xlsx" in result.output
    assert "agency `polic` (12 rows) is not in the agencies sheet of area.xlsx; did you mean `police`?" in result.output
    assert result.output.count("polic`") == 1


def test_into_and_landscape_belong_to_the_right_step(tmp_path, key_path, area):
    case_list = write_csv(tmp_path / "list.csv", ["NHS Number"], [[NHS[0]]])
    assert "--into belongs to --combine" in snap(case_list, tmp_path / "o.xlsx", key_path, "--into", area).output
    result = run("snap", "--combine", case_list, "--lead-column", "x", "-o", tmp_path / "c.csv")
    assert result.exit_code == 1 and "--combine merges files already snapped" in result.output


def test_an_nhs_number_in_the_lead_column_stops_the_snap_and_is_masked(tmp_path, key_path):
    case_list = write_csv(tmp_path / "list.csv", ["NHS Number", "Lead"], [[NHS[0], spaced(NHS[1])], [NHS[2], "police"]])
    out = tmp_path / "out.csv"
    result = snap(case_list, out, key_path)
    assert result.exit_code == 1 and not out.exists()
    assert "row 2, column 'Lead'" in result.output and "looks like an NHS number" in result.output
    assert NHS[1] not in result.output and spaced(NHS[1]) not in result.output


@pytest.fixture
def area_with_a_case_list(tmp_path):
    """The little borough with a case list already on its cohorts sheet: MARAC's two rows and MSET's one."""
    return write_xlsx(tmp_path / "area-listed.xlsx", sheets())


def _cohorts_on(path):
    sheet = load_workbook(path)["cohorts"]
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, row)) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_combine_into_adds_to_the_case_list_and_replaces_only_the_forums_it_brings(tmp_path, key_path,
                                                                                  area_with_a_case_list):
    a = write_csv(tmp_path / "a.csv", ["NHS Number", "Lead agency"], [[n, "police"] for n in NHS[:4]])
    assert snap(a, tmp_path / "a-snap.csv", key_path).exit_code == 0  # MARAC's list, snapped
    before = area_with_a_case_list.read_bytes()
    new = tmp_path / "new.xlsx"
    result = run("snap", "--combine", tmp_path / "a-snap.csv", "--into", area_with_a_case_list, "-o", new)
    assert result.exit_code == 0, result.output
    assert "Replaced 2 rows of the forums these lists bring; kept 1 row of other forums." in result.output
    rows = _cohorts_on(new)
    assert [(r["forum_id"], r["person_id"]) for r in rows if r["forum_id"] == "mset"] == [("mset", "P0001")]
    assert sum(r["forum_id"] == "marac" for r in rows) == 4
    assert all(r["person_id"].startswith("snap-") for r in rows if r["forum_id"] == "marac")
    assert area_with_a_case_list.read_bytes() == before
    # Kept raw rows need the key to load, as before; with it, every forum's people are there.
    landscape = mcn_map.load(new, key=read_key(key_path))
    assert sorted(landscape.cohorts["forum_id"].unique()) == ["marac", "mset"]

    result = run("snap", "--combine", tmp_path / "a-snap.csv", "--into", area_with_a_case_list, "-o",
                 tmp_path / "alone.xlsx", "--replace")
    assert result.exit_code == 0, result.output
    assert "Dropped 1 row of other forums (--replace)." in result.output
    assert {r["forum_id"] for r in _cohorts_on(tmp_path / "alone.xlsx")} == {"marac"}
    assert "--replace belongs to --combine --into" in run("snap", "--combine", tmp_path / "a-snap.csv", "-o",
                                                          tmp_path / "c.csv", "--replace").output


def test_combine_into_a_case_list_with_no_forum_column_is_refused_not_dropped(tmp_path, key_path):
    data = sheets()
    data["cohorts"] = [["forum", "person"], ["marac", "P0001"]]  # not the template's headers
    area = write_xlsx(tmp_path / "odd.xlsx", data)
    a = write_csv(tmp_path / "a.csv", ["NHS Number"], [[NHS[0]]])
    snap(a, tmp_path / "a-snap.csv", key_path)
    result = run("snap", "--combine", tmp_path / "a-snap.csv", "--into", area, "-o", tmp_path / "new.xlsx")
    assert result.exit_code == 1 and "holds 1 rows but no forum_id column" not in result.output
    assert "no forum_id column" in result.output and "--replace" in result.output
    assert not (tmp_path / "new.xlsx").exists() and "P0001" not in result.output


PEOPLE = ["Perdita Quillfeather", "Osbert Lanyard-Vine", "Mary O'Halloran"]


@pytest.mark.parametrize("option", ["--post-column", "--lead-column"])
def test_a_column_of_names_is_refused_without_echoing_one(tmp_path, key_path, area, option):
    case_list = write_csv(tmp_path / "list.csv", ["NHS Number", "Worker"],
                          [[n, PEOPLE[i % 3]] for i, n in enumerate(NHS[:6])])
    out = tmp_path / "out.csv"
    for extra in ([], ["--landscape", area]):
        result = snap(case_list, out, key_path, option, "Worker", *extra)
        assert result.exit_code == 1 and not out.exists(), result.output
        assert "column 'Worker'" in result.output and "looks like people's names (3 of its 3" in result.output
        assert option in result.output
        assert not [name for name in PEOPLE for part in name.split() if part in result.output]


def test_posts_and_agencies_are_not_taken_for_names(tmp_path, key_path, area):
    case_list = write_csv(tmp_path / "list.csv", ["NHS Number", "Lead", "Post"],
                          [[NHS[0], "Northshire Police", "MD coordinator 1"],
                           [NHS[1], "Adult Social Care", "Social Worker"]])
    result = snap(case_list, tmp_path / "out.csv", key_path, "--post-column", "Post")
    assert result.exit_code == 0, result.output


def test_an_unknown_lead_that_could_be_a_name_is_never_echoed(tmp_path, key_path, area):
    case_list = write_csv(tmp_path / "list.csv", ["NHS Number", "Lead"],
                          [[NHS[0], "police"], [NHS[1], "Jane Quillfeather"], [NHS[2], "polic"]])
    result = snap(case_list, tmp_path / "out.csv", key_path, "--landscape", area)
    assert result.exit_code == 1
    assert "Quillfeather" not in result.output and "Jane" not in result.output
    assert "a lead agency is not in the agencies sheet of area.xlsx (the value is not shown" in result.output
    assert "row 3, column 'lead_agency'" in result.output
    assert "agency `polic` is not in the agencies sheet of area.xlsx; did you mean `police`?" in result.output


def test_contact_details_in_the_post_column_stop_the_snap(tmp_path, key_path):
    case_list = write_csv(tmp_path / "list.csv", ["NHS Number", "Lead worker post"],
                          [[NHS[0], "Navigator 1 (0161 496 0018)"], [NHS[1], "nav1@northtown.example.org"]])
    out = tmp_path / "out.csv"
    result = snap(case_list, out, key_path)
    assert result.exit_code == 1 and not out.exists()
    assert "looks like a phone number" in result.output and "looks like an email address" in result.output
    assert "496 0018" not in result.output and "nav1@" not in result.output
