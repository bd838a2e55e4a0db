"""Docs that cannot drift: the README's input tables match the schema, and every command is documented."""

from __future__ import annotations

import re
from pathlib import Path

from mcn_map.cli import cli
from mcn_map.loading.schema import SECTOR_LABELS, SHEETS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def table_after(heading: str) -> list[list[str]]:
    start = README.index(heading)
    rows = []
    for line in README[start:].splitlines()[1:]:
        if line.startswith("#"):
            break
        if line.startswith("|") and not line.startswith("|---"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            rows.append(cells)
    return rows[1:]  # without the header row


def test_every_sheet_and_column_is_documented_in_order():
    for sheet in SHEETS.values():
        heading = f"### Sheet `{sheet.name}` ({'required' if sheet.required else 'optional'})"
        rows = table_after(heading)
        assert [r[0].strip("`") for r in rows] == list(sheet.column_names), sheet.name
        for row, column in zip(rows, sheet.columns):
            assert row[1] == ("yes" if column.required else "no"), (sheet.name, column.name)
            assert row[3].replace("\\|", "|") == f"`{column.example}`", (sheet.name, column.name)


def test_sector_table_matches_vocabulary():
    rows = table_after("### Sectors")
    assert {r[0].strip("`"): r[1] for r in rows} == SECTOR_LABELS


def test_every_command_appears_in_the_readme():
    for name in cli.commands:
        assert f"`mcn-map {name}" in README, name
