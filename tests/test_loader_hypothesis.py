"""Random odd workbooks through the loader: control characters, Unicode digits, odd ids and duplicate names give
problems or a model, never an unhandled exception, and no cohort cell is ever echoed in a message."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mcn_map
from mcn_map.cli import print_problems
from workbooks import HEADERS, sheets, write_csv_folder

CONTROL = "".join(map(chr, [0, 1, 7, 8, 11, 12, 27, 127, 0x85, 0x9b]))
UNICODE_DIGITS = "\u0660\u0665\u0669\uff10\uff15\uff19\u0966\u096f"
ODD = "|<>&\"'`;,\t ./\\:=+-@#%!?*()[]{}é中🙂\u202e\u200b"
ALPHABET = string.ascii_letters + string.digits + CONTROL + UNICODE_DIGITS + ODD

cell = st.text(alphabet=ALPHABET, max_size=14)
sheet_names = st.sampled_from(["forums", "Forums", "forums ", "FORUMS", "agencies", "members", "cohorts", "links",
                               "Cohorts", "notes"])


@st.composite
def landscapes(draw):
    data = sheets()
    for _ in range(draw(st.integers(0, 6))):  # overwrite random cells with odd text
        name = draw(st.sampled_from(list(data)))
        rows = data[name]
        r = draw(st.integers(0, len(rows) - 1))
        c = draw(st.integers(0, len(rows[0]) - 1))
        rows[r][c] = draw(cell)
    if draw(st.booleans()):  # a repeated column, possibly spelled differently
        name = draw(st.sampled_from(list(HEADERS)))
        header = draw(st.sampled_from(HEADERS[name]))
        data[name] = [row + [draw(st.sampled_from([header, header.upper(), f" {header} "]))] if i == 0 else row + [""]
                      for i, row in enumerate(data[name])]
    if draw(st.booleans()):  # cohorts with ids in odd shapes
        ids = st.one_of(cell, st.text(alphabet="0123456789 " + UNICODE_DIGITS, min_size=9, max_size=13))
        data["cohorts"] = [HEADERS["cohorts"]] + [["marac", draw(ids), "2026-09-03", "police"] for _ in range(3)]
    files = {}
    for name, rows in data.items():
        files[draw(st.sampled_from([name, name.upper(), f"{name} "])) if draw(st.booleans()) else name] = rows
    return files


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(data=landscapes())
def test_odd_csv_folders_give_problems_or_a_model_never_an_exception(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("odd")
    try:
        write_csv_folder(folder, data)
    except (OSError, ValueError):  # a name the file system cannot hold is not the loader's to handle
        return
    landscape, problems = mcn_map.check(folder, key=bytes(32))
    assert landscape is not None or any(p.is_error for p in problems)
    text = "\n".join(str(p) for p in problems)
    assert not any(ch in text for ch in CONTROL.replace("\x85", "")), text
    cohort_ids = {row[1] for row in data.get("cohorts", [])[1:] if len(row) > 1 and len(str(row[1])) >= 5}
    for problem in problems:
        if problem.sheet and problem.sheet.strip().lower() == "cohorts":
            assert not any(i and i.strip() and len(i.strip()) >= 5 and i.strip() in problem.message for i in cohort_ids)
    print_problems(problems)  # prints without error whatever the problems hold


@settings(max_examples=60, deadline=None)
@given(frames=st.dictionaries(sheet_names, st.lists(st.lists(cell, min_size=1, max_size=5), min_size=1, max_size=4),
                              min_size=1, max_size=6))
def test_random_frames_never_raise_anything_but_input_error(frames):
    import pandas as pd

    tables = {}
    for name, rows in frames.items():
        width = max(len(r) for r in rows)
        tables[name] = pd.DataFrame([r + [""] * (width - len(r)) for r in rows],
                                    columns=[f"c{i}" if i else "forum_id" for i in range(width)])
    try:
        mcn_map.load_frames(tables)
    except mcn_map.InputError as error:
        assert error.problems
