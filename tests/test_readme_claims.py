"""README claims that were false, corrected, each with a test that would catch it going false again."""

from __future__ import annotations

import re
from pathlib import Path

import mcn_map
from conftest import frames_of
from workbooks import sheets, write_xlsx

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_folder_in_the_project_layout_exists():
    layout = README.split("## Project layout", 1)[1]
    folders = re.findall(r"^\| `([\w./-]+/)` \|", layout, re.M)
    assert "tests/" in folders and "tests/data/" not in README
    for folder in folders:
        assert (ROOT / folder).is_dir(), folder


def test_ended_forums_are_not_checked_for_their_own_gaps_but_a_routed_to_ended_strategic_forum_is_flagged():
    claim = "the one exception is a strategic forum that has ended or paused"
    assert claim in README
    data = sheets()
    data["forums"][1][6] = "ended"  # the board (strategic) ends; MARAC still escalates to it
    data["forums"].append(["old-panel", "Old panel", "operational", "", "police", "monthly", "ended", "",
                           "2024-01-01", "", ""])
    data["members"].append(["old-panel", "police", "chair", "service manager", "Old lead", 4, 1])
    analysis = mcn_map.analyse(mcn_map.load_frames(frames_of(data)))
    about_old = [f for f in analysis.findings if "old-panel" in f.subjects]
    assert about_old == []  # no missing partners, no poor attendance for an ended forum
    assert [f.rule for f in analysis.findings if f.subjects == ("board",)] == ["strategic_winding_down"]


def test_a_problem_repeated_down_a_column_lists_five_rows_and_summarises_the_rest(tmp_path):
    assert "the first five rows are listed and the rest summarised" in README
    data = sheets()
    data["links"] += [["marac", "marac", "escalates_to", ""] for _ in range(8)]
    _, problems = mcn_map.check(write_xlsx(tmp_path / "area.xlsx", data))
    loops = [p for p in problems if p.column == "to_forum"]
    assert len(loops) == 6 and loops[-1].message == "3 more rows with links from a forum to itself (rows 9 to 11)."

