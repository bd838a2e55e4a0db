"""validate warns about forums with no seats and agencies on no forum: allowed, but worth a word."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from mcn_map.cli import cli
from test_analyses_world import healthy_tables, landscape_of

EXAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "example_landscape.xlsx"


def messages(landscape):
    return [(p.sheet, p.column, p.message) for p in landscape.warnings]


def test_a_forum_with_no_seats_and_an_agency_on_no_forum_are_warned_about():
    tables = healthy_tables()
    tables["forums"].append(dict(tables["forums"][1], forum_id="empty", name="Empty Panel"))
    tables["agencies"].append({"agency_id": "idle", "name": "Idle Trust", "sector": "vcs", "parent": ""})
    found = messages(landscape_of(tables))
    assert ("forums", "forum_id", "this forum has no seats on the members sheet.") in found
    assert ("agencies", "agency_id", "this agency holds no seat on any forum.") in found
    assert not [m for m in found if "Empty" in m[2] or "idle" in m[2]]  # rows are named, identifiers are not echoed


def test_every_forum_and_agency_seated_gives_no_such_warning():
    assert [m for m in messages(landscape_of(healthy_tables())) if "no seat" in m[2]] == []


def test_validate_prints_the_warnings_with_rows_and_still_passes():
    result = CliRunner().invoke(cli, ["validate", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "sheet 'forums', row 22, column 'forum_id': this forum has no seats" in result.output
    assert "sheet 'agencies', row 36, column 'agency_id': this agency holds no seat on any forum" in result.output
