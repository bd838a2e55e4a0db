"""The compare and whatif commands: files written, a short summary printed, plain messages and exit 1 on bad input."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from mcn_map.cli import cli
from workbooks import sheets, write_xlsx

ROOT = Path(__file__).resolve().parent.parent
OLD, NEW = ROOT / "inputs" / "example_landscape.xlsx", ROOT / "inputs" / "example_landscape_2027.xlsx"
SCENARIO = ROOT / "inputs" / "example_scenario.toml"


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_compare_writes_changes_and_prints_a_summary(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    result = run("compare", OLD, NEW, "-o", tmp_path / "out", "--json", tmp_path / "elsewhere.json", "-q")
    assert result.exit_code == 0, result.output
    assert "Forums: 2 started, 2 no longer listed, 1 changed status (21 → 21)." in result.output
    assert "Likely renames: 1 (channel → channel-panel)" in result.output
    assert "Findings: " in result.output and "resolved" in result.output
    for name in ("changes.json", "changes.xlsx", "compare.html"):
        assert (tmp_path / "out" / name).stat().st_size > 0
    document = json.loads((tmp_path / "out" / "changes.json").read_text("utf-8"))
    assert (tmp_path / "elsewhere.json").read_text("utf-8") == (tmp_path / "out" / "changes.json").read_text("utf-8")
    schema = json.loads(resources.files("mcn_map").joinpath("schemas/changes.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(document)
    assert document["kind"] == "compare" and "meeting_hours" not in document
    assert {f["forum_id"] for f in document["forums"]["added"]} == {"rough-sleeping", "channel-panel"}
    assert document["forums"]["status_changed"][0]["merged_into"] == "marac"
    book = load_workbook(tmp_path / "out" / "changes.xlsx")
    assert book.sheetnames == ["Summary", "Forums", "Seats", "Posts", "Sectors", "Links", "Findings", "Cohorts",
                               "Responses"]
    assert book["Findings"].max_row - 1 == sum(len(document["findings"][k]) for k in ("resolved", "new", "persisting"))
    assert len(document["findings"]["relabelled"]) == 1  # the coordinator post, relabelled: told once, as persisting


def test_compare_outputs_are_reproducible(tmp_path):
    for folder in ("a", "b"):
        assert run("compare", OLD, NEW, "-o", tmp_path / folder, "-q").exit_code == 0
    for name in ("changes.json", "changes.xlsx", "compare.html"):
        assert digest(tmp_path / "a" / name) == digest(tmp_path / "b" / name), name


def test_whatif_on_the_shipped_example_and_scenario(tmp_path):
    result = run("whatif", OLD, SCENARIO, "-o", tmp_path, "-q")
    assert result.exit_code == 0, result.output
    assert "Meeting-hours a month: 268.1 → " in result.output and "freed" in result.output
    document = json.loads((tmp_path / "changes.json").read_text("utf-8"))
    assert document["kind"] == "whatif" and document["scenario"]["merge"] == [{"forums": ["marac", "matac"],
                                                                               "into": "marac"}]
    assert document["meeting_hours"]["freed"] > 0
    assert "Meeting hours" in load_workbook(tmp_path / "changes.xlsx").sheetnames


def test_an_invalid_scenario_is_a_plain_message_and_nothing_is_written(tmp_path):
    scenario = tmp_path / "bad.toml"
    scenario.write_text('[[merge]]\nforums = ["marak", "matac"]\ninto = "marac"\n', encoding="utf-8")
    before = digest(scenario), digest(OLD)
    result = run("whatif", OLD, scenario, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "Error: bad.toml cannot be applied to example_landscape.xlsx:" in result.output
    assert "[[merge]] number 1, key `forums`: forum `marak` is not in the forums sheet of example_landscape.xlsx; " \
           "did you mean `marac`?" in result.output
    assert not (tmp_path / "out").exists()
    assert (digest(scenario), digest(OLD)) == before


def test_compare_reports_an_invalid_workbook_like_validate(tmp_path):
    data = sheets()
    data["forums"][2][2] = "operashunal"
    bad = write_xlsx(tmp_path / "bad.xlsx", data)
    good = write_xlsx(tmp_path / "good.xlsx", sheets())
    result = run("compare", good, bad, "-o", tmp_path / "out")
    assert result.exit_code == 1 and "Error: bad.xlsx cannot be loaded:" in result.output
    assert "'operashunal' is not a recognised level; did you mean `operational`?" in result.output


def test_compare_refuses_to_write_over_an_input(tmp_path):
    old = write_xlsx(tmp_path / "old.xlsx", sheets())
    new = write_xlsx(tmp_path / "new.xlsx", sheets())
    before = digest(old)
    result = run("compare", old, new, "-o", tmp_path / "out", "--json", old)
    assert result.exit_code == 1 and "refusing to write" in result.output
    assert digest(old) == before and not (tmp_path / "out").exists()


def readme_block(command: str) -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    block = text[text.index(f"$ {command}\n") + len(command) + 3:]
    return block[:block.index("```")].strip().splitlines()


def test_the_readme_shows_what_compare_and_whatif_print_on_the_shipped_example(tmp_path):
    result = run("compare", OLD, NEW, "-o", tmp_path / "c", "-q")
    shown = readme_block("mcn-map compare inputs/example_landscape.xlsx inputs/example_landscape_2027.xlsx")
    assert result.output.splitlines()[:len(shown)] == shown
    result = run("whatif", OLD, SCENARIO, "-o", tmp_path / "w", "-q")
    shown = readme_block("mcn-map whatif inputs/example_landscape.xlsx inputs/example_scenario.toml")
    assert result.output.splitlines()[:len(shown)] == shown


def test_the_readme_library_example_for_change_runs(monkeypatch):
    text = (ROOT / "README.md").read_text("utf-8")
    start = text.index("Change over time and what-if are pure functions too")
    code = text[text.index("```python\n", start) + 10:text.index("```", text.index("```python\n", start) + 10)]
    monkeypatch.chdir(ROOT)
    import mcn_map

    namespace = {"mcn_map": mcn_map}
    exec("landscape = mcn_map.load('inputs/example_landscape.xlsx')\nanalysis = mcn_map.analyse(landscape)\n" + code,
         namespace)
    assert namespace["changes"].meeting_hours["freed"] > 0


@pytest.mark.parametrize("command", [("compare", OLD, NEW), ("whatif", OLD, SCENARIO)])
def test_compare_and_whatif_follow_the_one_overwrite_policy(tmp_path, command):
    """A file mcn-map did not write is refused before any work, replaced with --force; its own are replaced."""
    out = tmp_path / "out"
    out.mkdir()
    theirs = out / "compare.html"
    theirs.write_text("someone's page")
    refused = run(*command, "-o", out)
    assert refused.exit_code == 1 and "--force" in refused.output and len(refused.output.strip().splitlines()) == 1
    assert theirs.read_text() == "someone's page" and not (out / "changes.json").exists()
    assert run(*command, "-o", out, "-q", "--force").exit_code == 0
    assert theirs.read_text() != "someone's page"
    assert run(*command, "-o", out, "-q").exit_code == 0  # now its own: replaced without --force
