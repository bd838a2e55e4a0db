"""Change and what-if at the edges: random scenarios give problems, never exceptions; CSV folders; unsuppressed
stamps; spreadsheet formulas and page script in names stay inert."""

from __future__ import annotations

import json
import re

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
