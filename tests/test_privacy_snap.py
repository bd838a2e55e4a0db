"""'Play Snap!': keygen, snapping each meeting's case list, combining the snapped lists, and loading the result."""

from __future__ import annotations

import csv
import datetime as dt
import os
import stat

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

import mcn_map
from mcn_map.cli import cli
from mcn_map.errors import InputError, McnMapError
from mcn_map.snap import snap_files
from mcn_map.privacy.identifiers import SNAP_PREFIX, key_fingerprint, pseudonym
from mcn_map.privacy.keys import read_key
from test_privacy_support import HOSTILE_FORUM, spaced, synthetic_nhs
from workbooks import sheets, write_csv_folder, write_xlsx

NHS = synthetic_nhs(12, start=5000)


def run(*args, **kwargs):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False, **kwargs)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def key_path(tmp_path):
    path = tmp_path / "keys" / "mcn-map.key"
    path.parent.mkdir()
    assert run("keygen", path).exit_code == 0
    return path


def write_case_csv(path, rows, header=("NHS Number", "Name", "Date discussed")):
    with open(path, "w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows([list(header), *rows])
    return path


def write_case_xlsx(path, sheets_rows):
    return write_xlsx(path, sheets_rows)


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as stream:
        return list(csv.DictReader(stream))


# -- keygen ------------------------------------------------------------------------------------------------------

def test_keygen_writes_a_private_key_and_says_how_to_share_it(tmp_path):
    path = tmp_path / "area.key"
    result = run("keygen", path)
    assert result.exit_code == 0 and "separate secure route" in result.output
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(read_key(path)) == 32
    assert path.read_text().strip() not in result.output


def test_keygen_never_overwrites(key_path):
    before = key_path.read_bytes()
    result = run("keygen", key_path)
    assert result.exit_code == 1 and "already exists" in result.output and key_path.read_bytes() == before


def test_two_keygens_make_different_keys(tmp_path):
    run("keygen", tmp_path / "a.key")
    run("keygen", tmp_path / "b.key")
    assert read_key(tmp_path / "a.key") != read_key(tmp_path / "b.key")


# -- snap --------------------------------------------------------------------------------------------------------

def test_snap_a_csv_case_list_writes_only_forum_pseudonym_month_and_fingerprint(tmp_path, key_path):
    case_list = write_case_csv(tmp_path / "marac.csv", [
        [NHS[0], "Alice Example", "03/09/2026"],
        [spaced(NHS[1]), "Bob Example", "2026-09-17"],
        [spaced(NHS[0], "-"), "Alice Example", "24/09/2026"],  # same person, same month: one row
        ["", "", ""],
    ])
    out = tmp_path / "shared" / "marac-snap.csv"
    result = run("snap", case_list, "--forum", "marac", "--key-file", key_path, "-o", out)
    assert result.exit_code == 0, result.output
    rows = read_csv(out)
    assert list(rows[0]) == ["forum_id", "person_id", "discussed_on", "lead_agency", "lead_post", "key_fingerprint"]
    key = read_key(key_path)
    assert sorted(r["person_id"] for r in rows) == sorted(SNAP_PREFIX + pseudonym(f"nhs:{n}", key) for n in NHS[:2])
    assert {r["discussed_on"] for r in rows} == {"2026-09"}
    assert {r["key_fingerprint"] for r in rows} == {key_fingerprint(key)}
    text = out.read_text(encoding="utf-8-sig")
    for secret in (NHS[0], NHS[1], "Alice", "03/09/2026", key_path.read_text().strip()):
        assert secret not in text


def test_snap_reads_every_sheet_of_an_xlsx_and_numbers_stored_as_numbers(tmp_path, key_path):
    case_list = write_case_xlsx(tmp_path / "vip.xlsx", {
        "September": [["NHS no", "Meeting date"], [int(NHS[2]), "2026-09-08"], [spaced(NHS[3]), None]],
        "October": [["NHS no", "Meeting date"], [NHS[2], "2026-10-06"]],
        "notes": [["Anything else"], ["not a case list"]],
    })
    out = tmp_path / "vip-snap.xlsx"
    result = run("snap", case_list, "--forum", "vip", "--key-file", key_path, "-o", out)
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames == ["cohorts", "about"]
    rows = list(book["cohorts"].values)
    assert rows[0] == ("forum_id", "person_id", "discussed_on", "lead_agency", "lead_post", "key_fingerprint")
    assert sorted((r[2] or "") for r in rows[1:]) == ["", "2026-09", "2026-10"]


def test_same_key_links_meetings_and_a_different_key_does_not(tmp_path, key_path):
    other_key = tmp_path / "other.key"
    run("keygen", other_key)
    write_case_csv(tmp_path / "a.csv", [[NHS[0], "", "2026-09-01"]])
    write_case_csv(tmp_path / "b.csv", [[spaced(NHS[0]), "", "2026-10-01"]])
    run("snap", tmp_path / "a.csv", "--forum", "marac", "--key-file", key_path, "-o", tmp_path / "a-snap.csv")
    run("snap", tmp_path / "b.csv", "--forum", "vip", "--key-file", key_path, "-o", tmp_path / "b-snap.csv")
    run("snap", tmp_path / "b.csv", "--forum", "vip", "--key-file", other_key, "-o", tmp_path / "c-snap.csv")
    a, b, c = (read_csv(tmp_path / f"{x}-snap.csv")[0]["person_id"] for x in "abc")
    assert a == b != c


def test_snap_refuses_invalid_nhs_numbers_naming_file_sheet_row_with_masked_ids(tmp_path, key_path):
    bad = NHS[4][:9] + str((int(NHS[4][9]) + 1) % 10)
    case_list = write_case_xlsx(tmp_path / "mset.xlsx", {
        "cases": [["NHS Number"], [NHS[5]], [spaced(bad)], ["12345678"], [f"{SNAP_PREFIX}{'a' * 20}"]]})
    out = tmp_path / "mset-snap.csv"
    result = run("snap", case_list, "--forum", "mset", "--key-file", key_path, "-o", out)
    assert result.exit_code == 1 and not out.exists()
    assert "mset.xlsx, sheet 'cases', row 3, column 'NHS Number'" in result.output
    assert f"*** *** *{bad[-3:]}" in result.output and "fails the check digit" in result.output
    assert "row 4" in result.output and "not a 10-digit NHS number" in result.output
    assert "row 5" in result.output and "already snapped" in result.output
    for whole in (bad, spaced(bad), "12345678"):
        assert whole not in result.output


def test_snap_needs_a_key_and_a_forum(tmp_path, key_path, monkeypatch):
    monkeypatch.delenv("MCN_MAP_KEY", raising=False)
    case_list = write_case_csv(tmp_path / "a.csv", [[NHS[0], "", ""]])
    result = run("snap", case_list, "--forum", "marac", "-o", tmp_path / "x.csv")
    assert result.exit_code == 1 and "needs the shared key" in result.output and "mcn-map keygen" in result.output
    result = run("snap", case_list, "--key-file", key_path, "-o", tmp_path / "x.csv")
    assert result.exit_code == 1 and "--forum" in result.output


def test_snap_takes_the_key_from_the_environment(tmp_path, key_path, monkeypatch):
    monkeypatch.setenv("MCN_MAP_KEY", key_path.read_text().strip())
    case_list = write_case_csv(tmp_path / "a.csv", [[NHS[0], "", ""]])
    result = run("snap", case_list, "--forum", "marac", "-o", tmp_path / "x.csv")
    assert result.exit_code == 0, result.output


def test_snap_names_a_missing_identifier_column_and_honours_id_and_date_column(tmp_path, key_path):
    case_list = write_case_csv(tmp_path / "a.csv", [[NHS[0], "2026-09-03"]], header=("Ref", "When"))
    result = run("snap", case_list, "--forum", "marac", "--key-file", key_path, "-o", tmp_path / "x.csv")
    assert result.exit_code == 1 and "--id-column" in result.output and "Ref" in result.output
    result = run("snap", case_list, "--forum", "marac", "--key-file", key_path, "-o", tmp_path / "x.csv",
                 "--id-column", "ref", "--date-column", "When")
    assert result.exit_code == 0, result.output
    assert read_csv(tmp_path / "x.csv")[0]["discussed_on"] == "2026-09"


def test_snap_never_writes_over_its_input_or_the_key(tmp_path, key_path):
    case_list = write_case_csv(tmp_path / "a.csv", [[NHS[0], "", ""]])
    before = case_list.read_bytes()
    for target in (case_list, key_path):
        result = run("snap", case_list, "--forum", "marac", "--key-file", key_path, "-o", target)
        assert result.exit_code == 1 and "refusing to write" in result.output
    assert case_list.read_bytes() == before and len(read_key(key_path)) == 32


def test_snap_output_must_be_xlsx_or_csv(tmp_path, key_path):
    case_list = write_case_csv(tmp_path / "a.csv", [[NHS[0], "", ""]])
    result = run("snap", case_list, "--forum", "marac", "--key-file", key_path, "-o", tmp_path / "x.json")
    assert result.exit_code == 1 and ".xlsx or .csv" in result.output


def test_hostile_forum_name_is_neutralised_in_snap_csv_and_xlsx(tmp_path, key_path):
    case_list = write_case_csv(tmp_path / "a.csv", [[NHS[0], "", ""]])
    run("snap", case_list, "--forum", HOSTILE_FORUM, "--key-file", key_path, "-o", tmp_path / "x.csv")
    assert read_csv(tmp_path / "x.csv")[0]["forum_id"] == "'" + HOSTILE_FORUM
    run("snap", case_list, "--forum", HOSTILE_FORUM, "--key-file", key_path, "-o", tmp_path / "x.xlsx")
    book = load_workbook(tmp_path / "x.xlsx")
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    assert book["cohorts"]["A2"].value == "'" + HOSTILE_FORUM


# -- combine and load --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_snap_combine_and_build_round_trip(tmp_path, key_path, suffix):
    write_case_csv(tmp_path / "marac.csv", [[n, "", "2026-09-03"] for n in NHS[:9]])
    write_case_xlsx(tmp_path / "vip.xlsx", {"list": [["NHS Number", "Date"]] + [[spaced(n), "2026-10-01"]
                                                                               for n in NHS[6:12]]})
    run("snap", tmp_path / "marac.csv", "--forum", "marac", "--key-file", key_path, "-o", tmp_path / f"m{suffix}")
    run("snap", tmp_path / "vip.xlsx", "--forum", "board", "--key-file", key_path, "-o", tmp_path / f"v{suffix}")
    area = write_csv_folder(tmp_path / "area", {k: v for k, v in sheets().items() if k != "cohorts"})
    result = run("snap", "--combine", tmp_path / f"m{suffix}", tmp_path / f"v{suffix}", "-o", area / "cohorts.csv")
    assert result.exit_code == 0, result.output
    assert "15 rows (2 forums)" in result.output
    landscape = mcn_map.load(area)  # no key needed: the pseudonyms are already keyed
    cohorts = landscape.cohorts
    assert landscape.pseudonymised and len(cohorts) == 15 and cohorts["person"].nunique() == 12
    both = cohorts.groupby("person")["forum_id"].nunique()
    assert (both == 2).sum() == 3  # NHS[6:9] discussed at both meetings
    assert set(cohorts["discussed_on"].dt.strftime("%Y-%m")) == {"2026-09", "2026-10"}
    # Loading with the key as well keeps the same people.
    assert mcn_map.load(area, key=read_key(key_path)).cohorts["person"].nunique() == 12


def test_combine_refuses_lists_snapped_with_different_keys(tmp_path, key_path):
    other_key = tmp_path / "other.key"
    run("keygen", other_key)
    write_case_csv(tmp_path / "a.csv", [[NHS[0], "", ""]])
    run("snap", tmp_path / "a.csv", "--forum", "marac", "--key-file", key_path, "-o", tmp_path / "a-snap.csv")
    run("snap", tmp_path / "a.csv", "--forum", "vip", "--key-file", other_key, "-o", tmp_path / "b-snap.xlsx")
    result = run("snap", "--combine", tmp_path / "a-snap.csv", tmp_path / "b-snap.xlsx", "-o", tmp_path / "c.csv")
    assert result.exit_code == 1 and "different keys" in result.output and not (tmp_path / "c.csv").exists()
    assert "a-snap.csv" in result.output and "b-snap.xlsx" in result.output


def test_combine_refuses_raw_identifiers(tmp_path):
    raw = tmp_path / "raw.csv"
    write_case_csv(raw, [["marac", NHS[0], "2026-09", "abc"]],
                   header=("forum_id", "person_id", "discussed_on", "key_fingerprint"))
    result = run("snap", "--combine", raw, "-o", tmp_path / "c.csv")
    assert result.exit_code == 1 and "not a snapped pseudonym" in result.output
    assert NHS[0] not in result.output and f"*** *** *{NHS[0][-3:]}" in result.output
    plain = write_case_csv(tmp_path / "plain.csv", [[NHS[0], "", ""]])
    result = run("snap", "--combine", plain, "-o", tmp_path / "c.csv")
    assert result.exit_code == 1 and "not a snapped case list" in result.output


def test_combine_rejects_snapping_options(tmp_path):
    result = run("snap", "--combine", tmp_path / "a.csv", "--forum", "marac", "-o", tmp_path / "c.csv")
    assert result.exit_code == 1 and "--combine merges files already snapped" in result.output


def test_combining_a_hostile_forum_does_not_stack_apostrophes(tmp_path, key_path):
    write_case_csv(tmp_path / "a.csv", [[NHS[0], "", ""]])
    run("snap", tmp_path / "a.csv", "--forum", HOSTILE_FORUM, "--key-file", key_path, "-o", tmp_path / "a-snap.csv")
    run("snap", "--combine", tmp_path / "a-snap.csv", "-o", tmp_path / "c.csv")
    assert read_csv(tmp_path / "c.csv")[0]["forum_id"] == "'" + HOSTILE_FORUM


def test_snap_outputs_are_byte_identical_across_runs(tmp_path, key_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    write_case_csv(tmp_path / "a.csv", [[n, "", "2026-09-03"] for n in NHS[:5]])
    for name in ("one", "two"):
        run("snap", tmp_path / "a.csv", "--forum", "marac", "--key-file", key_path, "-o", tmp_path / f"{name}.xlsx")
        run("snap", tmp_path / "a.csv", "--forum", "marac", "--key-file", key_path, "-o", tmp_path / f"{name}.csv")
    assert (tmp_path / "one.xlsx").read_bytes() == (tmp_path / "two.xlsx").read_bytes()
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "two.csv").read_bytes()


def test_rows_are_shared_in_pseudonym_order_not_the_lists_order(tmp_path, key_path):
    rows = [[n, "", "2026-09-03"] for n in NHS]
    write_case_csv(tmp_path / "a.csv", rows)
    write_case_csv(tmp_path / "b.csv", rows[::-1])
    run("snap", tmp_path / "a.csv", "--forum", "marac", "--key-file", key_path, "-o", tmp_path / "a-snap.csv")
    run("snap", tmp_path / "b.csv", "--forum", "marac", "--key-file", key_path, "-o", tmp_path / "b-snap.csv")
    assert (tmp_path / "a-snap.csv").read_bytes() == (tmp_path / "b-snap.csv").read_bytes()


# -- broken case lists -------------------------------------------------------------------------------------------

case_cells = st.one_of(
    st.none(), st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
    st.integers(min_value=-10**12, max_value=10**12), st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(), st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.sampled_from(NHS[:3] + [spaced(NHS[3]), "999 000 0017", "12345", "snap-" + "0" * 20, "2026-09", ""]),
)


@settings(max_examples=int(os.environ.get("MCN_MAP_FUZZ_EXAMPLES", "40")), deadline=None,
          phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(case_cells, min_size=2, max_size=2), max_size=8), st.booleans())
def test_random_case_lists_snap_or_give_problems(tmp_path, rows, as_csv):
    key = bytes(32)
    if as_csv:
        path = tmp_path / "list.csv"
        write_case_csv(path, [["" if v is None else str(v) for v in row] for row in rows], header=("NHS no", "Date"))
    else:
        path = write_case_xlsx(tmp_path / "list.xlsx", {"cases": [["NHS no", "Date"], *rows]})
    try:
        frame = snap_files([path], "marac", key).frame
    except McnMapError as exc:
        assert not isinstance(exc, InputError) or exc.problems
        return
    assert list(frame.columns) == ["forum_id", "person_id", "discussed_on", "lead_agency", "lead_post", "key_fingerprint"]
    assert frame["person_id"].str.fullmatch(r"snap-[0-9a-f]{20}").all()
    assert frame["discussed_on"].str.fullmatch(r"(\d{4}-\d{2})?").all()
