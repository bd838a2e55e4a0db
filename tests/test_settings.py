"""Settings have one source: suppression turned off (or on) by the config file, the command-line flag or a
notebook argument reaches every output alike: exact small counts and the stamp together, or neither."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from mcn_map.build import build
from mcn_map.cli import cli
from mcn_map.config import resolve_config
from mcn_map.privacy.suppression import UNSUPPRESSED_STAMP

EXAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "example_landscape.xlsx"
# "3 people", "4 people": a count under the small-number threshold, which only an unsuppressed output may show.
SMALL_COUNT = re.compile(r"(?<![\w.%<])(?<!than )[1-7] (?:of the same )?people\b")  # not "fewer than 3 people"


def _texts(folder: Path) -> dict[str, str]:
    """Every output's text; a workbook's as the text of all its parts."""
    texts = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                texts[path.name] = "\n".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())
        else:
            texts[path.name] = path.read_text(encoding="utf-8")
    return texts


def _assert_unsuppressed(folder: Path) -> None:
    texts = _texts(folder)
    assert json.loads(texts["summary.json"])["suppressed"] is False
    for name in ("summary.json", "findings.json", "report.html", "map.html", "findings.xlsx", "assessment.xlsx",
                 "kumu.json"):
        assert UNSUPPRESSED_STAMP in texts[name], name
    assert SMALL_COUNT.search(texts["report.html"]) and SMALL_COUNT.search(texts["findings.json"])


def _assert_suppressed(folder: Path) -> None:
    texts = _texts(folder)
    assert json.loads(texts["summary.json"])["suppressed"] is True
    for name, text in texts.items():
        assert UNSUPPRESSED_STAMP not in text, name
        assert not SMALL_COUNT.search(text), (name, SMALL_COUNT.search(text))


@pytest.fixture(scope="module")
def unsuppressing_config(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("config") / "mcn-map.toml"
    path.write_text("suppress = false\n", encoding="utf-8")
    return path


def test_the_config_file_turns_suppression_off_for_every_output(unsuppressing_config, tmp_path):
    result = CliRunner().invoke(cli, ["build", str(EXAMPLE), "-o", str(tmp_path), "--quiet",
                                      "--config", str(unsuppressing_config)])
    assert result.exit_code == 0, result.output
    assert "NOT suppressed" in result.output
    _assert_unsuppressed(tmp_path)


def test_the_flag_turns_suppression_off_for_every_output(tmp_path):
    result = CliRunner().invoke(cli, ["build", str(EXAMPLE), "-o", str(tmp_path), "--quiet", "--no-suppression"])
    assert result.exit_code == 0, result.output
    _assert_unsuppressed(tmp_path)


def test_a_notebook_argument_turns_suppression_off_and_on(unsuppressing_config, tmp_path):
    build(EXAMPLE, tmp_path / "off", suppress=False)
    _assert_unsuppressed(tmp_path / "off")
    build(EXAMPLE, tmp_path / "on", config=unsuppressing_config, suppress=True)  # the argument wins over the file
    _assert_suppressed(tmp_path / "on")


def test_by_default_every_output_is_suppressed(tmp_path):
    result = build(EXAMPLE, tmp_path)
    _assert_suppressed(tmp_path)
    assert result.config.suppress and result.analysis.suppress


def test_the_settings_are_resolved_once_and_recorded_in_the_outputs(unsuppressing_config, tmp_path):
    config = resolve_config(unsuppressing_config, as_of="2026-06-30")
    result = build(EXAMPLE, tmp_path, config=config)
    document = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    assert document["config"]["suppress"] is False and document["as_of"] == "2026-06-30"
    assert "parallel" not in document["config"]  # how the work was shared changes no output
    assert result.config is not config and result.config.as_dict() == config.as_dict()  # a copy: the caller's stays
