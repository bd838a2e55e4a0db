"""One CliRunner test per command and per kind of error: plain messages, exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
from click.testing import CliRunner
from openpyxl import load_workbook

from mcn_map.cli import cli
from workbooks import sheets, write_xlsx

ROOT = Path(__file__).resolve().parent.parent


def run(*args, **kwargs):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False, **kwargs)
    assert "Traceback" not in result.output
    return result


def test_template_writes_a_workbook_with_dropdowns_and_frozen_headers(tmp_path):
    path = tmp_path / "blank.xlsx"
    result = run("template", path)
    assert result.exit_code == 0 and "Wrote a blank workbook" in result.output
    book = load_workbook(path)
    assert {"instructions", "forums", "agencies", "members", "cohorts", "links"} <= set(book.sheetnames)
    forums = book["forums"]
    assert forums.freeze_panes == "A2"
    assert [c.value for c in forums[1]][:3] == ["forum_id", "name", "level"]
    lists = [dv.formula1 for dv in forums.data_validations.dataValidation]
    assert any("lists!" in (f or "") for f in lists)
    sectors = [dv for dv in book["agencies"].data_validations.dataValidation if dv.type == "list"]
    assert sectors and "C2" in str(sectors[0].sqref)


def test_template_refuses_to_overwrite(tmp_path):
    path = tmp_path / "blank.xlsx"
    path.write_bytes(b"mine")
    result = run("template", path)
    assert result.exit_code == 1 and "already exists" in result.output and path.read_bytes() == b"mine"


def test_blank_template_validates_as_empty_not_broken(tmp_path):
    path = tmp_path / "blank.xlsx"
    run("template", path)
    result = run("validate", path)
    assert result.exit_code == 1
    assert "sheet 'forums': the 'forums' sheet has no entries" in result.output


def test_validate_a_good_workbook(tmp_path):
    path = write_xlsx(tmp_path / "area.xlsx", sheets())
    result = run("validate", path)
    assert result.exit_code == 0 and "area.xlsx is valid: 3 forums, 4 agencies, 6 seats." in result.output


def test_validate_reports_sheet_row_column_and_fix(tmp_path):
    data = sheets()
    data["members"][3][1] = "mh_trust"
    path = write_xlsx(tmp_path / "area.xlsx", data)
    result = run("validate", path)
    assert result.exit_code == 1
    assert ("error: area.xlsx, sheet 'members', row 4, column 'agency_id': agency `mh_trust` is not in agencies; "
            "did you mean `mh-trust`?") in result.output
    assert "Fix: " in result.output
    assert "1 error, 0 warnings." in result.output


def test_validate_missing_file(tmp_path):
    result = run("validate", tmp_path / "nowhere.xlsx")
    assert result.exit_code == 1 and "file not found" in result.output


def test_build_writes_summary_and_graphml(tmp_path):
    path = write_xlsx(tmp_path / "area.xlsx", sheets())
    out = tmp_path / "out"
    result = run("build", path, "-o", out, "--quiet")
    assert result.exit_code == 0, result.output
    assert f"to {out}/" in result.output
    summary = json.loads((out / "summary.json").read_text())
    counts = summary["counts"]
    assert counts["forums"] == 3 and counts["forums_by_level"] == {"strategic": 1, "operational": 2}
    assert counts["forums_by_status"] == {"active": 2, "merged": 1}
    assert counts["agencies_by_sector"]["adult_social_care"] == 1
    assert counts["seats"] == 6 and counts["links"] == 2
    assert counts["cohort_rows"] is None and counts["people"] is None  # 3 rows, 2 people: suppressed (<8)
    graph = nx.read_graphml(out / "graph.graphml")
    assert graph.nodes["forum:marac"]["kind"] == "forum"
    assert graph.number_of_edges() == 6


def test_build_bad_input_exits_1_without_traceback(tmp_path):
    data = sheets()
    data["forums"][1][2] = "strat"
    path = write_xlsx(tmp_path / "area.xlsx", data)
    result = run("build", path, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "Error: area.xlsx cannot be loaded:" in result.output
    assert "row 2, column 'level'" in result.output
    assert not (tmp_path / "out").exists()


def test_build_defaults_to_the_shipped_example(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "example"
    result = run("build", "-o", out, "--quiet")
    assert result.exit_code == 0, result.output
    counts = json.loads((out / "summary.json").read_text())["counts"]
    assert counts["forums"] >= 14 and counts["agencies"] >= 30 and counts["cohort_rows"] >= 200


def test_python_dash_m_runs_the_cli():
    result = subprocess.run([sys.executable, "-m", "mcn_map", "--help"], capture_output=True, text=True, check=True)
    assert "build" in result.stdout and "validate" in result.stdout


def test_validate_defaults_to_the_shipped_example(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = run("validate", "--quiet")
    assert result.exit_code == 0 and "example_landscape.xlsx is valid" in result.output


def test_analyse_and_map_never_write_over_the_key_file(tmp_path):
    path = write_xlsx(tmp_path / "area.xlsx", sheets())
    key = tmp_path / "mcn-map.key"
    run("keygen", key)
    before = key.read_bytes()
    for args in (("analyse", path, "--json", key), ("map", path, "-o", key)):
        result = run(*args, "--key-file", key, "--quiet")
        assert result.exit_code == 1 and "refusing to write" in result.output
    assert key.read_bytes() == before
