"""No whole NHS number ever appears in a message, a log line or a traceback, whichever check or bug produced it."""

from __future__ import annotations

import subprocess
import sys
import traceback

import pytest
from click.testing import CliRunner

import mcn_map.build
from mcn_map.cli import cli
from test_privacy_support import spaced, synthetic_nhs
from workbooks import sheets, write_xlsx

KEY_HEX = "33" * 32
GOOD = synthetic_nhs(3, start=7000)


def invalid_numbers(count: int) -> list[str]:
    """Numbers from the test range whose last digit is wrong."""
    return [n[:9] + str((int(n[9]) + 1) % 10) for n in synthetic_nhs(count, start=8000)]


BAD = invalid_numbers(8)  # more than the five listed one by one, so the summary line is exercised too


def forms(number: str) -> list[str]:
    return [number, spaced(number), spaced(number, "-")]


def assert_no_whole_number(text: str, numbers) -> None:
    for number in numbers:
        for form in forms(number):
            assert form not in text, form


def cohorts_workbook(tmp_path, rows):
    return write_xlsx(tmp_path / "area.xlsx", sheets(cohorts=[sheets()["cohorts"][0], *rows]))


@pytest.fixture
def key_file(tmp_path):
    path = tmp_path / "k.key"
    path.write_text(KEY_HEX)
    return path


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    text = result.output + (result.stderr if result.stderr_bytes is not None else "")
    return result, text


def test_validate_shows_invalid_nhs_numbers_masked_only(tmp_path, key_file):
    rows = [["marac", spaced(n, "-" if i % 2 else " ") if i % 3 else n, "2026-09-03", "police"]
            for i, n in enumerate(BAD)] + [["marac", GOOD[0], "2026-09-03", "police"]]
    path = cohorts_workbook(tmp_path, rows)
    result, text = run("validate", path, "--key-file", key_file)
    assert result.exit_code == 1 and "fails the check digit" in text
    assert f"*** *** *{BAD[0][-3:]}" in text and "3 more rows with invalid NHS numbers" in text
    assert_no_whole_number(text, BAD + GOOD)


def test_build_shows_invalid_nhs_numbers_masked_only(tmp_path, key_file):
    path = cohorts_workbook(tmp_path, [["marac", n, "2026-09-03", "police"] for n in BAD])
    result, text = run("build", path, "-o", tmp_path / "out", "--key-file", key_file)
    assert result.exit_code == 1 and "fails the check digit" in text
    assert_no_whole_number(text, BAD)


def test_nhs_numbers_in_the_wrong_columns_are_masked_in_every_message(tmp_path, key_file):
    rows = [[GOOD[0], GOOD[1], GOOD[2], spaced(BAD[0])]]  # forum_id, person_id, discussed_on, lead_agency
    path = cohorts_workbook(tmp_path, rows)
    for command in (["validate", path], ["build", path, "-o", tmp_path / "out"]):
        result, text = run(*command, "--key-file", key_file)
        assert result.exit_code == 1 and "is not in forums" in text and "is not a date" in text
        assert_no_whole_number(text, GOOD + BAD[:1])


def test_nhs_numbers_without_a_key_are_refused_without_showing_them(tmp_path, monkeypatch):
    monkeypatch.delenv("MCN_MAP_KEY", raising=False)
    path = cohorts_workbook(tmp_path, [["marac", n, "2026-09-03", "police"] for n in GOOD])
    result, text = run("build", path, "-o", tmp_path / "out")
    assert result.exit_code == 1 and "no key was given" in text and "mcn-map keygen" in text
    assert_no_whole_number(text, GOOD)


def test_snap_shows_invalid_nhs_numbers_masked_only(tmp_path, key_file):
    case_list = tmp_path / "list.csv"
    case_list.write_text("NHS number\n" + "\n".join(spaced(n) for n in BAD) + "\n")
    result, text = run("snap", case_list, "--forum", "marac", "--key-file", key_file, "-o", tmp_path / "s.csv")
    assert result.exit_code == 1 and "fails the check digit" in text
    assert_no_whole_number(text, BAD)


def test_a_bug_never_puts_an_nhs_number_in_a_traceback(tmp_path, key_file, monkeypatch):
    number = GOOD[0]

    def broken_build(*args, **kwargs):
        try:
            raise KeyError(number)
        except KeyError as exc:
            raise ValueError(f"could not handle {spaced(number)} in row 4") from exc

    monkeypatch.setattr(mcn_map.build, "build", broken_build)
    path = write_xlsx(tmp_path / "area.xlsx", sheets())
    result, text = run("build", path, "-o", tmp_path / "out", "--key-file", key_file)
    assert isinstance(result.exception, ValueError)
    shown = "".join(traceback.format_exception(result.exception)) + text
    assert "could not handle *** *** *" in shown and "row 4" in shown
    assert_no_whole_number(shown, [number])


def test_a_real_process_writes_no_whole_number_to_stdout_or_stderr(tmp_path, key_file):
    path = cohorts_workbook(tmp_path, [["marac", n, "2026-09-03", "police"] for n in BAD[:3]])
    for command in ("validate", "build"):
        process = subprocess.run([sys.executable, "-m", "mcn_map", command, str(path), "--key-file", str(key_file)],
                                 capture_output=True, text=True, cwd=tmp_path)
        assert process.returncode == 1 and "Traceback" not in process.stderr
        assert "fails the check digit" in process.stdout + process.stderr
        assert_no_whole_number(process.stdout + process.stderr, BAD[:3])
