"""Every example in the README runs as it is written: the library's Python, the thresholds file, and the chairs' and
analyst's commands of "Play Snap!" with the messages the README says they print. (The compare and whatif examples
are run in test_change_cli.py, the notebook example in a Jupyter kernel in test_notebook.py, the install line by
scripts/test.sh itself.)"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

import mcn_map
from mcn_map.cli import cli
from test_privacy_support import synthetic_nhs

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def python_block(after: str) -> str:
    start = README.index("```python\n", README.index(after)) + len("```python\n")
    return README[start:README.index("```", start)]


def test_the_library_examples_run_as_written(monkeypatch):
    monkeypatch.chdir(ROOT)  # the README's paths are the project folder's; nothing here writes a file
    namespace: dict = {}
    exec(compile(python_block("## Library"), "README.md (Library)", "exec"), namespace)
    analysis = namespace["analysis"]
    assert analysis.config.source == "example_config.toml" and analysis.config.duplication.overlap_min_shared == 5
    assert str(analysis.as_of) == "2026-10-31"
    exec(compile(python_block("Change over time and what-if are pure functions too"), "README.md (change)", "exec"),
         namespace)
    assert namespace["changes"].meeting_hours["freed"] > 0 and namespace["proposed"] is not namespace["landscape"]


def test_the_thresholds_example_is_the_shipped_config_file():
    start = README.index("```toml\n", README.index("**Changing the thresholds.**")) + len("```toml\n")
    assert README[start:README.index("```", start)] == (ROOT / "inputs/example_config.toml").read_text("utf-8")
    config = mcn_map.load_config(ROOT / "inputs/example_config.toml")
    assert config.journeys.bounce_days == 120 and config.caseloads.window_days == 60


def readme_command(pattern: str) -> list[str]:
    """The one README command matching ``pattern``, as its arguments (without the leading ``mcn-map``)."""
    (line,) = {m.strip() for m in re.findall(rf"(mcn-map {pattern}[^`\n]*)", README)}
    return shlex.split(line)[1:]


def run(*args):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def case_list(path: Path, numbers: list[str], lead: str) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["NHS No.", "Name", "Date discussed", "Lead agency"])
    for i, number in enumerate(numbers):
        sheet.append([number, f"Person {i}", f"0{1 + i % 9}/09/2026", lead])
    book.save(path)
    return path


def test_play_snap_as_the_readme_tells_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    area = load_workbook(ROOT / "inputs/example_landscape.xlsx")
    del area["cohorts"]  # the landscape the analyst sends the chairs: no one's details
    area.save("area.xlsx")
    people = synthetic_nhs(30, start=4000)
    # The key holder
    assert run(*readme_command("keygen area.key")).exit_code == 0
    # A chair: the README's command, and the typo the README shows
    case_list(tmp_path / "marac-cases.xlsx", people[:12], "police")
    snapped = run(*readme_command("snap marac-cases.xlsx"))
    assert snapped.exit_code == 0, snapped.output
    assert "Columns dropped, not shared: Name." in snapped.output
    typo = run(*[a if a != "marac" else "marak" for a in readme_command("snap marac-cases.xlsx")], "--force")
    (shown,) = re.findall(r"``(Error: forum `marak`[^`]*`marac`\?[^`]*)``", README)
    assert typo.exit_code == 1 and typo.output.strip() == shown
    # Two more chairs, then the analyst combines and builds as written
    case_list(tmp_path / "vip-cases.xlsx", people[6:20], "council-asc")
    case_list(tmp_path / "dual-dx-cases.xlsx", people[10:30], "mh-trust")
    for forum, out in (("vip", "vip-snap.csv"), ("dual-dx", "dual-dx-snap.xlsx")):
        result = run("snap", f"{forum}-cases.xlsx", "--forum", forum, "--key-file", "area.key", "--landscape", "area.xlsx",
                     "-o", out)
        assert result.exit_code == 0, result.output
    combined = run(*readme_command("snap --combine marac-snap.xlsx"))
    assert combined.exit_code == 0, combined.output
    cohorts = load_workbook("area-with-cohorts.xlsx")["cohorts"]
    assert [c.value for c in cohorts[1]] == ["forum_id", "person_id", "discussed_on", "lead_agency", "lead_post"]
    assert cohorts.max_row - 1 == 12 + 14 + 20
    built = run(*readme_command("build area-with-cohorts.xlsx"))
    assert built.exit_code == 0, built.output
    report = (tmp_path / "outputs/area-with-cohorts/report.html").read_text("utf-8")
    assert not any(number in report for number in people)
    shutil.rmtree(tmp_path / "outputs")
