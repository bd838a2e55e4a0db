"""Change and what-if at the edges: random scenarios give problems, never exceptions; CSV folders; unsuppressed
stamps; spreadsheet formulas and page script in names stay inert; and the hostile corpus of what-if files, compare
and responses, each run as a user would run it and measured."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from mcn_map import analyse, load, load_frames
from mcn_map.change import compare
from mcn_map.change.scenario import ACTIONS, apply_scenario, parse_scenario
from mcn_map.cli import cli
from mcn_map.errors import InputError
from mcn_map.privacy.suppression import UNSUPPRESSED_STAMP
from mcn_map.render.compare import changes_xlsx_bytes, render_compare
from conftest import frames_of
from hostile import digests, run_cli
from test_privacy_support import leaks, spaced, synthetic_nhs
from workbooks import sheets, write_csv_folder, write_xlsx

KEYS = sorted({k for required, optional in ACTIONS.values() for k in required + optional} | {"junk"})
WORDS = ["marac", "board", "mset", "police", "mh-trust", "asc", "council", "nowhere", "member", "chair",
         "escalates_to", "monthly", "person", "strategic", "=1+1", "", "<b>"]


def toml_value(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(json.dumps(v) for v in value) + "]"
    return json.dumps(value)


scenario_text = st.lists(st.tuples(
    st.sampled_from(list(ACTIONS) + ["mergee"]),
    st.dictionaries(st.sampled_from(KEYS), st.one_of(st.sampled_from(WORDS), st.integers(0, 3),
                                                      st.lists(st.sampled_from(WORDS), max_size=3)), max_size=5)),
    max_size=5).map(lambda tables: "".join(
        f"[[{action}]]\n" + "".join(f"{k} = {toml_value(v)}\n" for k, v in values.items()) for action, values in tables))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=scenario_text)
def test_random_scenarios_give_problems_never_exceptions(little_borough, text):
    try:
        changed = apply_scenario(little_borough, parse_scenario(text, "random.toml"))
    except InputError as exc:
        assert exc.problems and all(p.message and p.fix and p.file == "random.toml" for p in exc.problems)
        return
    analyse(changed)  # whatever applied can be analysed


def test_compare_reads_a_csv_folder_against_a_workbook(tmp_path):
    data = sheets()
    data["forums"][2][5] = "fortnightly"
    old = write_xlsx(tmp_path / "2026.xlsx", sheets())
    new = write_csv_folder(tmp_path / "2027", data)
    a, b = load(old), load(new)
    changes = compare(a, analyse(a), b, analyse(b))
    assert [(c["forum_id"], c["to"]) for c in changes.forums["frequency_changed"]] == [("marac", "fortnightly")]


def test_unsuppressed_outputs_are_stamped(tmp_path):
    old = write_xlsx(tmp_path / "a.xlsx", sheets())
    result = CliRunner().invoke(cli, ["compare", str(old), str(old), "-o", str(tmp_path / "out"), "-q",
                                      "--no-suppression"])
    assert result.exit_code == 0 and UNSUPPRESSED_STAMP in result.output
    assert json.loads((tmp_path / "out" / "changes.json").read_text("utf-8"))["stamp"] == UNSUPPRESSED_STAMP
    assert UNSUPPRESSED_STAMP in (tmp_path / "out" / "compare.html").read_text("utf-8")
    assert load_workbook(tmp_path / "out" / "changes.xlsx")["Summary"]["A1"].value == UNSUPPRESSED_STAMP


def test_formulas_in_names_are_neutralised_in_changes_xlsx(tmp_path, little_borough):
    data = sheets()
    data["forums"].append(["evil", "=HYPERLINK(\"http://x\")", "operational", "", "", "monthly", "active", "", "", "",
                           ""])
    later = load_frames(frames_of(data), source="later.xlsx")
    changes = compare(little_borough, analyse(little_borough), later, analyse(later))
    path = tmp_path / "changes.xlsx"
    path.write_bytes(changes_xlsx_bytes(changes))
    names = [row[2] for row in load_workbook(path)["Forums"].iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(\"http://x\")" in names


def test_a_hostile_scenario_title_is_text(little_borough):
    text = 'title = "</script><script>alert(1)</script>"\n[[set]]\nforum = "marac"\nfrequency = "weekly"\n'
    from mcn_map.change.scenario import evaluate

    changed, changed_analysis, changes = evaluate(little_borough, analyse(little_borough),
                                                  parse_scenario(text, "hostile.toml"))
    html = render_compare(little_borough, changed, changed_analysis, changes)
    outside_frame = re.sub(r'srcdoc="[^"]*"', "", html)
    assert "<script>alert(1)" not in outside_frame and "&lt;script&gt;alert(1)" in outside_frame


# -- the hostile corpus, grown to the newer commands: each a short clear message (or a success), no traceback, ----
# -- nothing identifying echoed or written, inputs unchanged, within a minute and a gibibyte ----------------------




posix_only = pytest.mark.skipif(sys.platform == "win32", reason="devices, pipes and os.wait4 are POSIX")
LOW_ATTENDANCE = "paper_only_sector-aa012cf7af"


@pytest.fixture(scope="module")
def borough_file(tmp_path_factory):
    return write_xlsx(tmp_path_factory.mktemp("borough") / "borough.xlsx", sheets())


def _whatif(borough, scenario, tmp_path):
    before = digests(borough, scenario)
    outcome = run_cli("whatif", borough, scenario, "-o", tmp_path / "out", "-q")
    assert digests(borough, scenario) == before  # inputs unchanged
    return outcome


def _unknown_forums(count: int) -> str:
    merges = "".join(f'[[merge]]\nforums = ["nowhere-{i}", "marac"]\ninto = "marac"\n' for i in range(count // 2))
    ends = "".join(f'[[end]]\nforum = "gone-{i}"\n' for i in range(count // 2))
    return merges + ends


HOSTILE_SCENARIOS = {
    "thousands of unknown forums": (lambda: _unknown_forums(6000), "more problems of the same kinds"),
    "one merge listing thousands": (lambda: '[[merge]]\ninto = "marac"\nforums = ['
                                    + ", ".join(f'"x{i}"' for i in range(20000)) + "]\n",
                                    "more problems of the same kinds"),
    "arrays nested thousands deep": (lambda: "title = " + "[" * 5000 + "]" * 5000 + "\n", "too deeply"),
    "tables nested thousands deep": (lambda: "x = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n", "too deeply"),
    "a megabyte key": (lambda: f'[[set]]\nforum = "marac"\n{"k" * 900_000} = "x"\n', "is not a key of [[set]]"),
    "a megabyte forum id": (lambda: f'[[end]]\nforum = "{"f" * 900_000}"\n', "is not in the forums sheet"),
    "merged into itself": (lambda: '[[merge]]\nforums = ["marac"]\ninto = "marac"\n',
                           "lists no forum other than the one merged into"),
    "a link to itself": (lambda: '[[add_link]]\nfrom = "marac"\nto = "marac"\ntype = "escalates_to"\n',
                         "a link from a forum to itself"),
    "not TOML at all": (lambda: "\x00\x01PK\x03\x04 [[[ = =\n", "is not valid TOML"),
}


@posix_only
@pytest.mark.parametrize("case", list(HOSTILE_SCENARIOS))
def test_a_hostile_whatif_file_gets_a_short_clear_message(borough_file, tmp_path, case):
    make, said = HOSTILE_SCENARIOS[case]
    scenario = tmp_path / "plan.toml"
    scenario.write_text(make(), encoding="utf-8")
    outcome = _whatif(borough_file, scenario, tmp_path)
    outcome.assert_handled()
    assert outcome.exit_code == 1 and said in outcome.output, outcome.output[:3000]
    assert not (tmp_path / "out").exists()


@posix_only
def test_a_rerouting_onto_itself_is_applied_or_refused_never_a_crash(borough_file, tmp_path):
    scenario = tmp_path / "plan.toml"
    scenario.write_text('[[end]]\nforum = "marac"\nreroute_to = "marac"\n', encoding="utf-8")
    outcome = _whatif(borough_file, scenario, tmp_path)
    outcome.assert_handled()
    assert outcome.exit_code in (0, 1)


@posix_only
@pytest.mark.parametrize("kind", ["device", "pipe", "link", "folder", "too large"])
def test_a_whatif_path_that_is_no_plain_file_is_refused_before_reading(borough_file, tmp_path, kind):
    scenario = tmp_path / "plan.toml"
    if kind == "device":
        scenario = "/dev/zero"
    elif kind == "pipe":
        os.mkfifo(scenario)  # a reader would wait for ever
    elif kind == "link":
        target = tmp_path / "real.toml"
        target.write_text('[[end]]\nforum = "marac"\n', encoding="utf-8")
        scenario.symlink_to(target)
    elif kind == "folder":
        scenario.mkdir()
    else:
        scenario.write_text("# " + "x" * (2 * 1024 * 1024) + "\n", encoding="utf-8")
    outcome = run_cli("whatif", borough_file, scenario, "-o", tmp_path / "out", "-q", timeout=60)
    outcome.assert_handled()
    assert outcome.exit_code == (2 if kind == "folder" else 1) and outcome.seconds < 30  # 2: click's usage error
    expected = {"device": "device, pipe or socket", "pipe": "device, pipe or socket", "link": "is a link",
                "folder": "is a directory", "too large": "over the limit"}[kind]
    assert expected in outcome.output, outcome.output


@posix_only
def test_compare_of_a_broken_and_a_good_workbook_says_what_is_broken(borough_file, tmp_path):
    not_a_workbook = tmp_path / "2027.xlsx"
    not_a_workbook.write_bytes(b"PK\x03\x04 not really a zip" * 100)
    data = sheets()
    data["members"][2][1] = "mh_trust"
    invalid = write_xlsx(tmp_path / "invalid.xlsx", data)
    for old, new in ((borough_file, not_a_workbook), (invalid, borough_file)):
        before = digests(old, new)
        outcome = run_cli("compare", old, new, "-o", tmp_path / "out", "-q")
        outcome.assert_handled()
        assert outcome.exit_code == 1 and Path(new if new != borough_file else old).name in outcome.output
        assert digests(old, new) == before and not (tmp_path / "out").exists()


NHS_IN_NOTES = synthetic_nhs(2, start=2718)


@posix_only
def test_responses_with_unknown_ids_far_dates_formulas_and_identifiers(tmp_path):
    data = sheets()
    data["responses"] = [["finding_id", "status", "owner", "note", "review_date"],
                         ["no_such_finding-0000000000", "accepted", "CSP", "Closed long ago", "2026-01-01"],
                         [LOW_ATTENDANCE, "in hand", '=HYPERLINK("http://example.org","owner")',
                          f"+cmd|' /C calc'!A0 then case {spaced(NHS_IN_NOTES[0])}, ring 07700 900461", "2027-03-31"]]
    workbook = write_xlsx(tmp_path / "responses.xlsx", data)
    before = digests(workbook)
    outcome = run_cli("build", workbook, "-o", tmp_path / "out", "-q")
    outcome.assert_handled(forbidden=[NHS_IN_NOTES[0], spaced(NHS_IN_NOTES[0]), "900461"])
    assert outcome.exit_code == 0, outcome.output
    assert digests(workbook) == before
    assert leaks(tmp_path / "out", [NHS_IN_NOTES[0], spaced(NHS_IN_NOTES[0]), "07700 900461"]) == []
    findings = load_workbook(tmp_path / "out" / "findings.xlsx")
    cells = [c.value for sheet in findings for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [c for c in cells if c.startswith(("=", "+cmd"))]  # formula text stays text

    data["responses"].append([LOW_ATTENDANCE.replace("aa", "bb"), "disagree", "CSP", "far", "31/12/9999"])
    far = write_xlsx(tmp_path / "far.xlsx", data)
    outcome = run_cli("validate", far)
    outcome.assert_handled()
    assert outcome.exit_code == 1 and "a date outside the years mcn-map reads" in outcome.output


@posix_only
@pytest.mark.parametrize("kind", ["device", "pipe", "nested"])
def test_a_config_path_that_is_no_plain_file_or_nests_too_deep_is_refused(borough_file, tmp_path, kind):
    config = tmp_path / "mcn-map.toml"
    if kind == "device":
        config = "/dev/zero"
    elif kind == "pipe":
        os.mkfifo(config)
    else:
        config.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    outcome = run_cli("analyse", borough_file, "--config", config, timeout=60)
    outcome.assert_handled()
    assert outcome.exit_code == 1 and outcome.seconds < 30
    assert ("too deeply" if kind == "nested" else "not a regular file") in outcome.output, outcome.output
