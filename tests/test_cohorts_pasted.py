"""A cohorts sheet pasted the wrong way round gets one message saying so and how to fix it, never a row each."""

from __future__ import annotations

from click.testing import CliRunner

from mcn_map.cli import cli
from test_privacy_support import synthetic_nhs
from workbooks import sheets, write_xlsx

NHS = synthetic_nhs(98, start=8100)
PSEUDONYMS = [f"snap-{i:020x}" for i in range(98)]
FINGERPRINT = "d196c5aa284824d1"
HEADER = ["forum_id", "person_id", "discussed_on", "lead_agency"]


def validate(tmp_path, cohort_rows):
    path = write_xlsx(tmp_path / "area.xlsx", sheets(cohorts=[HEADER, *cohort_rows]))
    result = CliRunner().invoke(cli, ["validate", str(path)], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def errors(result):
    return [line for line in result.output.splitlines() if line.strip().startswith("error")]


def test_a_snapped_file_pasted_under_the_template_headers_gives_one_message(tmp_path):
    result = validate(tmp_path, [["marac", p, "2026-09", FINGERPRINT] for p in PSEUDONYMS])
    assert result.exit_code == 1
    (error,) = errors(result)
    assert "sheet 'cohorts', row 1" in error and "column 'lead_agency' holds key fingerprints" in error
    assert "mcn-map snap --combine" in error and "--into WORKBOOK" in error
    assert FINGERPRINT not in result.output and "is not in agencies" not in result.output


def test_columns_in_the_wrong_order_give_one_message_naming_what_each_holds(tmp_path):
    result = validate(tmp_path, [[n, "marac", "police", "2026-09-03"] for n in NHS])
    assert result.exit_code == 1
    (error,) = errors(result)
    assert "the columns are in the wrong order" in error
    assert "column 'forum_id' holds person identifiers" in error and "column 'person_id' holds forum ids" in error
    assert "column 'discussed_on' holds agency ids" in error and "column 'lead_agency' holds dates" in error
    for number in NHS[:5]:
        assert number not in result.output and number[-3:] not in result.output


def test_a_right_way_round_sheet_with_one_typo_still_gets_its_row_message(tmp_path):
    rows = [["marac", p, "2026-09", "police"] for p in PSEUDONYMS[:20]] + [["marac", PSEUDONYMS[20], "2026-09", "polic"]]
    result = validate(tmp_path, rows)
    assert result.exit_code == 1
    (error,) = errors(result)
    assert "agency `polic` is not in agencies; did you mean `police`?" in error and "wrong order" not in error


def test_a_right_way_round_sheet_loads(tmp_path):
    result = validate(tmp_path, [["marac", p, "2026-09", "police"] for p in PSEUDONYMS])
    assert result.exit_code == 0, result.output
    assert "wrong order" not in result.output and "fingerprints" not in result.output
