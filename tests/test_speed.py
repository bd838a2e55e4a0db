"""Speed work that must not change a result: shortcuts give exactly what the long way gives (issue 14)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from mcn_map.loading.cells import DATE_FORMATS, parse_date


def _long_way(text: str):
    """Every format tried, no shortcut: what parse_date did before it learnt which texts cannot be dates."""
    for fmt in DATE_FORMATS:
        try:
            return pd.Timestamp(dt.datetime.strptime(text.strip(), fmt)).normalize()
        except ValueError:
            continue
    return None


DATE_LIKE = st.text(alphabet="0123456789-/.: \tTSsEePpJjAaNnOoVvDdBbMmRrYyLlGgUuCcHhIi", min_size=1, max_size=14)


@settings(max_examples=3000, deadline=None)
@given(st.one_of(DATE_LIKE, st.text(max_size=20),
                 st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)).flatmap(
                     lambda d: st.sampled_from([d.strftime(f) for f in DATE_FORMATS]))))
def test_the_date_shortcut_never_refuses_a_date_the_formats_read(text):
    if text.strip().replace(".", "", 1).isdigit():
        return  # numbers are Excel serials, read before any format
    expected = _long_way(text)
    got = parse_date(text)
    if expected is not None and not (pd.Timestamp("1678-01-01") <= expected <= pd.Timestamp("2262-04-01")):
        expected = None
    assert got == expected or (got is None and expected is None)


def test_every_format_still_reads_and_ids_do_not():
    day = dt.date(2026, 9, 3)
    for fmt in DATE_FORMATS:
        assert parse_date(day.strftime(fmt)) is not None, fmt
    for text in ("snap-0123456789abcdef0123", "d196c5aa284824d1", "F001", "Navigator 1", "mcn-strategic"):
        assert parse_date(text) is None


# -- graph.graphml: written straight to text, byte for byte what networkx writes ----------------------------------

import networkx as nx  # noqa: E402

from mcn_map.graphs import seat_graph  # noqa: E402
from mcn_map.render.graphml import graphml_text  # noqa: E402


def _networkx_graphml(graph) -> str:
    return "\n".join(nx.generate_graphml(nx.MultiGraph(graph) if graph.is_multigraph() else graph.copy(),
                                         prettyprint=True))


def test_graphml_of_the_example_is_what_networkx_writes(example_landscape, example_build):
    graph = seat_graph(example_landscape)
    assert graphml_text(graph) == _networkx_graphml(graph)
    written = (example_build.outdir / "graph.graphml").read_bytes()
    assert written == (_networkx_graphml(graph) + "\n").encode("utf-8")


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8)
VALUE = st.one_of(TEXT, st.integers(-10**12, 10**12), st.floats(allow_nan=True), st.booleans())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(TEXT, st.dictionaries(st.sampled_from(["name", "kind", "w", "é&<"]), VALUE, max_size=3)),
                max_size=5),
       st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4),
                          st.dictionaries(st.sampled_from(["role", "n", "x\"y"]), VALUE, max_size=3)), max_size=6),
       st.one_of(st.none(), TEXT), st.booleans())
def test_graphml_of_any_graph_is_what_networkx_writes(nodes, edges, name, multi):
    graph = (nx.MultiGraph if multi else nx.Graph)(**({} if name is None else {"name": name}))
    graph.add_nodes_from(nodes)
    ids = [n for n, _ in nodes] or ["only"]
    for a, b, data in edges:
        graph.add_edge(ids[a % len(ids)], ids[b % len(ids)], **data)
    assert graphml_text(graph) == _networkx_graphml(graph)


# -- shared intermediate results: computed once per landscape, the same findings as computed afresh ----------------

import importlib.util  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from mcn_map import load_frames  # noqa: E402
from mcn_map.analyses.run import analyse, findings_document  # noqa: E402
from mcn_map.change.options import board_options  # noqa: E402

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def _synth():
    spec = importlib.util.spec_from_file_location("synth", SCRIPTS / "synth.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("synth", module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_a_landscape_analysed_twice_or_afresh_gives_the_same_findings():
    frames = _synth().landscape_frames("borough", seed=3)
    landscape = load_frames(frames)
    first = findings_document(analyse(landscape))
    options = [o.title for o in board_options(landscape, analyse(landscape))]
    again = findings_document(analyse(landscape))  # every cached table reused
    fresh_landscape = load_frames(frames)
    fresh = findings_document(analyse(fresh_landscape))
    assert first == again == fresh
    assert options == [o.title for o in board_options(fresh_landscape, analyse(fresh_landscape))]
    assert first["findings"]  # the preset has problems to find


# -- a large build writes some outputs in a second process: the same files, and any failure handled as before --------

import dataclasses  # noqa: E402
import filecmp  # noqa: E402
import os  # noqa: E402

import pytest  # noqa: E402

from mcn_map.build import ALONGSIDE, ALONGSIDE_WITH_OPTIONS, OUTPUTS, Output, alongside_outputs, build  # noqa: E402
from mcn_map.running.parallel import can_fork  # noqa: E402

EXAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "example_landscape.xlsx"
FINDINGS_JSON = next(o for o in OUTPUTS if o.filename == "findings.json")
needs_fork = pytest.mark.skipif(not can_fork(), reason="a second process is used on Linux only")


@needs_fork
def test_outputs_written_alongside_are_the_files_a_sequential_build_writes(tmp_path):
    one = build(EXAMPLE, tmp_path / "one", parallel=False)
    two = build(EXAMPLE, tmp_path / "two", parallel=True)
    assert [p.name for p in one.written] == [p.name for p in two.written] == [o.filename for o in OUTPUTS]
    for path in one.written:
        assert filecmp.cmp(path, tmp_path / "two" / path.name, shallow=False), path.name
    assert any(stage.endswith("(alongside)") for stage in two.timings)
    assert not any(stage.endswith("(alongside)") for stage in one.timings)


def test_the_second_process_takes_the_report_where_it_weighs_options_and_the_exports_at_scale():
    from mcn_map.change.options import MAX_OPTION_FORUMS

    small = load(EXAMPLE)
    assert len(small.forums) <= MAX_OPTION_FORUMS and alongside_outputs(small) == ALONGSIDE_WITH_OPTIONS
    large = dataclasses.replace(small, forums=pd.concat([small.forums] * 6, ignore_index=True))
    assert len(large.forums) > MAX_OPTION_FORUMS and alongside_outputs(large) == ALONGSIDE
    # the GraphML made while a long case list was read: the Kumu blueprint goes with the findings workbook instead
    ready = alongside_outputs(large, ready={"graph.graphml"})
    assert ready == {"findings.xlsx", "kumu.json"} and alongside_outputs(small, ready={"graph.graphml"}) == \
        ALONGSIDE_WITH_OPTIONS
    for chosen in (ALONGSIDE, ALONGSIDE_WITH_OPTIONS, ready):
        assert chosen <= {o.filename for o in OUTPUTS}


@needs_fork
def test_an_output_failing_in_the_second_process_is_written_by_the_first(tmp_path):
    parent = os.getpid()

    def only_here(context):  # fails in the forked process, works in this one
        if os.getpid() != parent:
            raise RuntimeError("boom")
        return b"made here\n"

    name = sorted(ALONGSIDE_WITH_OPTIONS)[0]  # what the example's build writes alongside
    outputs = [FINDINGS_JSON, Output(name, only_here, "x")]
    result = build(EXAMPLE, tmp_path, outputs=outputs, parallel=True)
    assert (tmp_path / name).read_bytes() == b"made here\n"
    assert [p.name for p in result.written] == ["findings.json", name]


@needs_fork
def test_a_real_error_in_an_output_surfaces_as_in_a_sequential_build(tmp_path):
    def broken(context):
        raise ValueError("a bug in an output")

    outputs = [FINDINGS_JSON, Output(sorted(ALONGSIDE_WITH_OPTIONS)[0], broken, "x")]
    with pytest.raises(ValueError, match="a bug in an output"):
        build(EXAMPLE, tmp_path, outputs=outputs, parallel=True)


# -- a large analysis shares its rules with a second process: the same analysis, and failures handled as before -----

from mcn_map import load  # noqa: E402
from mcn_map.analyses import run as analysis_run  # noqa: E402


def _document(analysis) -> str:
    import json

    return json.dumps(analysis_run.findings_document(analysis), sort_keys=True, default=str)


@needs_fork
def test_the_analysis_shared_with_a_second_process_is_the_sequential_one():
    one = analysis_run.analyse(load(EXAMPLE), parallel=False)
    two = analysis_run.analyse(load(EXAMPLE), parallel=True)
    assert _document(one) == _document(two) and one.detail.keys() == two.detail.keys()
    for name in ("flows", "caseloads"):
        assert one.extra[name].equals(two.extra[name])
    assert one.overlap.equals(two.overlap) and one.burden.equals(two.burden)


@needs_fork
def test_a_rule_failing_in_the_second_process_is_run_in_the_first(monkeypatch):
    parent = os.getpid()
    calls = []

    def only_here(landscape, config):  # fails in the forked process, works in this one
        if os.getpid() != parent:
            raise RuntimeError("boom")
        calls.append(True)
        return []

    monkeypatch.setattr(analysis_run, "RULES", analysis_run.RULES + (only_here,))
    monkeypatch.setattr(analysis_run, "ALONGSIDE_RULES", analysis_run.ALONGSIDE_RULES + (only_here,))
    shared = analysis_run.analyse(load(EXAMPLE), parallel=True)
    assert calls == [True]  # the whole share was run again here, once
    assert _document(shared) == _document(analysis_run.analyse(load(EXAMPLE), parallel=False))


@needs_fork
def test_a_real_error_in_a_rule_of_the_second_process_surfaces(monkeypatch):
    def broken(landscape, config):
        raise ValueError("a bug in a rule")

    monkeypatch.setattr(analysis_run, "RULES", analysis_run.RULES + (broken,))
    monkeypatch.setattr(analysis_run, "ALONGSIDE_RULES", analysis_run.ALONGSIDE_RULES + (broken,))
    with pytest.raises(ValueError, match="a bug in a rule"):
        analysis_run.analyse(load(EXAMPLE), parallel=True)


# -- reading: python-calamine's cells turned into pandas' frames once per distinct value ---------------------------

from openpyxl import Workbook  # noqa: E402
from pandas._libs.parsers import STR_NA_VALUES  # noqa: E402

from mcn_map.loading.reading import NA_TEXTS, read_grids  # noqa: E402


def _same_cells(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    assert a.shape == b.shape and list(a.columns) == list(b.columns) and a.index.equals(b.index)
    for column in a.columns:
        for x, y in zip(a[column].to_numpy(object), b[column].to_numpy(object)):
            assert type(x) is type(y), (column, x, y)
            assert x == y or (x != x and y != y), (column, x, y)
    return True


def test_missing_value_texts_are_pandas_own():
    assert NA_TEXTS == frozenset(STR_NA_VALUES)


# Cells that read differently one way and another: missing-value texts, True beside 1, huge and odd numbers, dates.
ODD_ROWS = [["a", "b", "c"], ["NA", "N/A", 3.0], [None, None, None], ["", "null", 2.5],
            [dt.date(2026, 1, 2), dt.datetime(2026, 1, 2, 10, 0), True], ["nan", "#N/A", "-nan"],
            [None, "x", None], [1, True, False], [0, 1.0, "1"], [" NA", "None", 12345678901234567890],
            [float("inf"), -0.0, 1e300], [dt.time(10, 30), "9990000018", 9990000018]]


def _odd_book(title: str, rows: list[list]) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    return book


def test_read_grids_gives_the_frames_read_excel_gives(tmp_path):
    book = _odd_book("mixed", ODD_ROWS)
    one = book.create_sheet("one column")
    for value in ["h", None, "x", "", "NA", 3.0]:
        one.append([value])
    book.create_sheet("empty")
    path = tmp_path / "edge.xlsx"
    book.save(path)
    for workbook in (path, EXAMPLE, EXAMPLE.with_name("example_landscape_2027.xlsx")):
        expected = pd.read_excel(workbook, sheet_name=None, header=None, engine="calamine", dtype=object)
        got = read_grids(workbook)
        assert list(got) == list(expected)
        for name in expected:
            assert _same_cells(got[name], expected[name]), name


def test_cells_the_reader_grouped_read_as_text_as_cells_grouped_afresh(tmp_path):
    from mcn_map.loading.cells import as_text, distinct_text
    from mcn_map.loading.reading import read_sheets

    book = _odd_book("forums", ODD_ROWS + [[None, "x"], ["x y", " a ", 3]])  # a short row, stray spaces
    path = tmp_path / "grouped.xlsx"
    book.save(path)
    for workbook in (path, EXAMPLE):
        for raw in read_sheets(workbook).values():
            assert len(raw.distinct) == len(raw.table.columns)
            for header in raw.table.columns:
                values = raw.table[header]
                grouped = raw.distinct_cells(header)
                expected = as_text(values).tolist()
                assert distinct_text(values, grouped).column().tolist() == expected, (raw.name, header)
                assert distinct_text(values).column().tolist() == expected, (raw.name, header)


# -- components counted without scipy's csgraph ---------------------------------------------------------------------

from mcn_map.analyses.measures import count_components  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 30).flatmap(lambda n: st.tuples(st.just(n), st.lists(
    st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=40))))
def test_components_are_what_scipy_counts(graph):
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    n, pairs = graph
    rows = [a for a, _ in pairs]
    cols = [b for _, b in pairs]
    adjacency = sparse.coo_matrix(([1.0] * len(pairs), (rows, cols)), shape=(n, n))
    assert count_components(n, pairs) == connected_components(adjacency, directed=False)[0]


# -- identifiers: NHS numbers and snapped pseudonyms found in one search of the joined texts -----------------------

from mcn_map.privacy.identifiers import NHS_PATTERN, SNAP_PATTERN, nhs_digits, snapped  # noqa: E402

ID_LIKE = st.text(alphabet="0123456789 -snap\nabcdef\u0663\uff19P", max_size=24)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(ID_LIKE, st.sampled_from(["999 000 0018", "9990000018", "999-000-0018", "snap-" + "a" * 20,
                                                    "snap-" + "a" * 20 + "\n", "9990000018\n"]),
                          st.none()), max_size=12))
def test_identifier_shapes_are_found_as_one_match_per_id_finds_them(values):
    ids = pd.Series(values, dtype=object)
    shaped, digits = nhs_digits(ids)
    from mcn_map.privacy.identifiers import ascii_digits

    plain = ascii_digits(ids)
    assert shaped.tolist() == plain.str.match(NHS_PATTERN, na=False).astype(bool).tolist()
    assert digits.tolist() == [v.replace(" ", "").replace("-", "") if ok else "" for v, ok in zip(plain, shaped)]
    assert snapped(ids).tolist() == ids.str.match(SNAP_PATTERN, na=False).astype(bool).tolist()


def test_work_is_shared_unasked_only_in_a_process_with_one_thread():
    import threading

    from mcn_map.running.parallel import should_fork

    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not should_fork()  # a notebook's kernel, or a test session with a browser open
    finally:
        release.set()
        other.join()
    assert should_fork() == (can_fork() and threading.active_count() == 1)


# -- the largest sheet parsed in a thread while the others are read: the same sheets, the same errors ----------------

def test_sheets_read_with_the_largest_parsed_ahead_are_the_sheets_read_in_turn(tmp_path, monkeypatch):
    from mcn_map.loading import reading

    for workbook in (EXAMPLE, EXAMPLE.with_name("example_landscape_2027.xlsx")):
        in_turn = reading.read_sheets(workbook)
        monkeypatch.setattr(reading, "PARSE_AHEAD_BYTES", 1)  # every workbook's largest sheet goes ahead
        ahead = reading.read_sheets(workbook)
        monkeypatch.undo()
        assert list(ahead) == list(in_turn)
        for key, raw in in_turn.items():
            assert _same_cells(ahead[key].table, raw.table) and ahead[key].rows.equals(raw.rows), key
            assert ahead[key].error_cells == raw.error_cells


def test_a_broken_sheet_parsed_ahead_is_reported_as_in_turn(tmp_path, monkeypatch):
    import zipfile

    import mcn_map
    from mcn_map.loading import reading

    good = tmp_path / "good.xlsx"
    Workbook().save(good)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.endswith("sheet1.xml"):
                data = data.replace(b"<sheetData", b"<sheetData><row r='1'><c r='A1' t='n'><v>x</v></c></row><broken")
            target.writestr(info, data)
    _, in_turn = mcn_map.check(broken)
    monkeypatch.setattr(reading, "PARSE_AHEAD_BYTES", 1)
    _, ahead = mcn_map.check(broken)
    assert [p.message for p in ahead] == [p.message for p in in_turn] and ahead


def test_work_given_to_do_meanwhile_runs_once_while_the_largest_sheet_is_parsed(monkeypatch):
    from mcn_map.loading import reading

    calls = []
    meanwhile = lambda ready, parsing: calls.append((ready, parsing))  # noqa: E731
    reading.read_sheets(EXAMPLE, meanwhile=meanwhile)
    assert calls == []  # nothing is parsed ahead in a small workbook, so nothing runs meanwhile
    monkeypatch.setattr(reading, "PARSE_AHEAD_BYTES", 1)
    sheets = reading.read_sheets(EXAMPLE, meanwhile=meanwhile)
    assert len(calls) == 1 and "cohorts" in sheets
    ready, parsing = calls[0]  # the sheets read while the largest (the case list) was parsed: the very ones returned
    assert parsing == "cohorts"
    assert set(ready) == set(sheets) - {"cohorts"} and all(ready[k] is sheets[k] for k in ready)


def test_an_error_in_the_work_done_meanwhile_is_raised_as_itself(monkeypatch):
    from mcn_map.loading import reading

    monkeypatch.setattr(reading, "PARSE_AHEAD_BYTES", 1)

    def broken(ready, parsing):
        raise ZeroDivisionError("a bug in the caller")

    with pytest.raises(ZeroDivisionError):  # not "could not be read as a workbook"
        reading.read_sheets(EXAMPLE, meanwhile=broken)


def _workbooks_to_check(tmp_path):
    """The example, and copies of it with errors and warnings in the sheets checked while the case list is read."""
    from openpyxl import load_workbook

    paths = [EXAMPLE]
    for name, change in (("bad-seat", lambda b: b["members"].cell(3, 2, "no-such-agency")),
                         ("bad-forum", lambda b: b["forums"].cell(4, 1, b["forums"].cell(3, 1).value)),
                         ("bad-case", lambda b: b["cohorts"].cell(3, 1, "no-such-forum")),
                         ("no-members", lambda b: b.remove(b["members"]))):
        book = load_workbook(EXAMPLE)
        change(book)
        book.save(tmp_path / f"{name}.xlsx")
        paths.append(tmp_path / f"{name}.xlsx")
    return paths


def test_checking_the_other_sheets_while_the_case_list_is_read_finds_the_same(monkeypatch, tmp_path):
    from mcn_map.loading import reading, validate as loading

    for path in _workbooks_to_check(tmp_path):
        plain, plain_problems = loading.check(path)
        seen = []
        monkeypatch.setattr(reading, "PARSE_AHEAD_BYTES", 1)
        staged, staged_problems = loading.check(path, meanwhile=seen.append)
        monkeypatch.setattr(reading, "PARSE_AHEAD_BYTES", 32 * 1024 * 1024)
        assert staged_problems == plain_problems, path.name
        assert (plain is None) == (staged is None), path.name
        assert len(seen) == 1, path.name  # called once whatever the sheets hold (a build imports then)
        if plain is not None:
            for name in ("forums", "agencies", "seats", "cohorts", "links", "responses"):
                pd.testing.assert_frame_equal(getattr(staged, name), getattr(plain, name))
            assert seen[0].cohorts.empty and seen[0].seats is staged.seats  # the landscape of the other sheets
        else:  # no landscape of sheets that hold an error, or lack one
            assert (seen[0] is None) == (path.name != "bad-case.xlsx"), path.name


def test_a_build_that_works_on_the_seats_while_reading_writes_the_same_files(monkeypatch, tmp_path):
    from mcn_map.loading import reading
    from mcn_map.running.progress import Progress

    first = build(EXAMPLE, tmp_path / "plain")
    monkeypatch.setattr(reading, "PARSE_AHEAD_BYTES", 1)
    progress = Progress(enabled=False)
    staged = build(EXAMPLE, tmp_path / "staged", progress=progress)
    from mcn_map.build import SEAT_WORK_STAGE

    assert progress.timings[SEAT_WORK_STAGE] > 0
    import io
    import re

    shown = io.StringIO()
    build(EXAMPLE, tmp_path / "shown", progress=Progress(enabled=True, stream=shown))
    lines = shown.getvalue().splitlines()
    assert lines and all(re.fullmatch(r"  [a-zA-Z(), -]+\.\.\. \d+\.\d\d s", line) for line in lines), lines
    assert not any(SEAT_WORK_STAGE in line for line in lines)  # work inside "read" is not a line of its own
    for path in first.written:
        assert (tmp_path / "staged" / path.name).read_bytes() == path.read_bytes(), path.name
    assert staged.context.cache["analysis"].measures == first.context.cache["analysis"].measures


def test_work_on_the_seats_that_fails_while_reading_is_done_again_after(monkeypatch, tmp_path):
    from mcn_map.loading import reading
    from mcn_map.render import layout as layouts

    first = build(EXAMPLE, tmp_path / "plain")
    monkeypatch.setattr(reading, "PARSE_AHEAD_BYTES", 1)
    real, calls = layouts._compute, []

    def fails_once(landscape):
        calls.append(landscape)
        if len(calls) == 1:
            raise RuntimeError("while reading")
        return real(landscape)

    monkeypatch.setattr(layouts, "_compute", fails_once)
    build(EXAMPLE, tmp_path / "again")
    assert len(calls) == 2
    for path in first.written:
        assert (tmp_path / "again" / path.name).read_bytes() == path.read_bytes(), path.name


def test_a_build_imports_no_networkx_before_it_reads():
    import subprocess
    import sys

    code = "import sys, mcn_map.build; print('networkx' in sys.modules, 'openpyxl' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


# -- whole-number columns packed into one key: the same rows, counts and pairs pandas gives ---------------------

import numpy as np  # noqa: E402

from mcn_map.analyses import packing  # noqa: E402

WHOLE = st.integers(-(2**40), 2**40)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 3).flatmap(lambda k: st.lists(st.tuples(*[st.one_of(st.integers(-3, 5), WHOLE)] * k),
                                                     max_size=40)), st.booleans())
def test_unique_rows_are_drop_duplicates_then_a_sort(rows, wide):
    k = len(rows[0]) if rows else 2
    frame = pd.DataFrame(rows or [], columns=list(range(k)), dtype=np.int64)
    if wide and len(frame):  # ranges so wide the columns are packed by rank, or not packed at all
        frame[0] = frame[0] * (2**20) + 2**60
    expected = frame.drop_duplicates().sort_values(list(range(k)), kind="stable")
    got = packing.unique_rows(*(frame[c].to_numpy() for c in range(k)))
    assert [c.tolist() for c in got] == [expected[c].tolist() for c in range(k)]
    if len(frame):
        values, counts = packing.counts(frame[0].to_numpy())
        assert dict(zip(values.tolist(), counts.tolist())) == frame[0].value_counts().to_dict()
        assert values.tolist() == sorted(set(frame[0])) == packing.distinct(frame[0].to_numpy()).tolist()


def test_columns_too_wide_even_by_rank_fall_back_to_numpy_rows(monkeypatch):
    monkeypatch.setattr(packing, "_LIMIT", 4)  # nothing packs: every column wide, even ranked
    columns = (np.array([3, 1, 3, 1, 2]), np.array([0, 5, 0, 4, 9]), np.array([1, 1, 1, 1, 1]))
    assert packing.pack(*columns) is None
    assert [c.tolist() for c in packing.unique_rows(*columns)] == [[1, 1, 2, 3], [4, 5, 9, 0], [1, 1, 1, 1]]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 9)), max_size=40))
def test_pairs_within_runs_are_the_self_join_pandas_makes(rows):
    frame = pd.DataFrame(rows or [], columns=["person", "forum"], dtype=np.int64).sort_values("person", kind="stable")
    frame = frame.reset_index(drop=True)
    bounds = packing.run_starts(frame["person"].to_numpy())
    starts, sizes = bounds[:-1], np.diff(bounds)
    a, b = packing.pairs_between(starts, sizes, starts, sizes) if len(frame) else (np.zeros(0, int),) * 2
    got = sorted(zip(frame["forum"].to_numpy()[a].tolist(), frame["forum"].to_numpy()[b].tolist(),
                     frame["person"].to_numpy()[a].tolist()))
    joined = frame.merge(frame, on="person")
    assert got == sorted(zip(joined["forum_x"], joined["forum_y"], joined["person"]))


# -- the measures' graphs without networkx objects: its node order, degrees and summaries ------------------------

import networkx as nx  # noqa: E402

from mcn_map.analyses.measures import _Edges, _lists, _summary  # noqa: E402

LABEL = st.sampled_from(list("abcdefgh"))


@settings(max_examples=200, deadline=None)
@given(st.lists(LABEL, unique=True, max_size=5), st.lists(st.tuples(LABEL, LABEL), max_size=25))
def test_edges_hold_what_a_networkx_graph_holds(nodes, edges):
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    ours = _Edges(nodes, [a for a, _ in edges], [b for _, b in edges])
    assert ours.nodes == list(graph.nodes)
    assert {n: ours.degree(n) for n in ours.nodes} == {n: d - 2 * graph.has_edge(n, n) for n, d in graph.degree}
    assert nx.utils.graphs_equal(ours.networkx(), graph)
    summary = _summary(graph.nodes, graph.edges)
    from mcn_map.analyses.measures import _summary_of

    assert _summary_of(len(ours.nodes), ours.first, ours.second) == summary


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(LABEL, st.integers(0, 3), st.sampled_from(["operational", "strategic", "tactical"])),
                max_size=25))
def test_lists_by_key_are_groupby_agg_list(rows):
    frame = pd.DataFrame(rows or [], columns=["agency", "post", "level"]).sort_values(["agency", "post", "level"])
    expected = frame.groupby(["agency", "post"], sort=True)["level"].agg(list).to_dict() if len(frame) else {}
    assert _lists(frame, ["agency", "post"], "level") == expected
    single = frame.groupby("agency", sort=True)["level"].agg(list).to_dict() if len(frame) else {}
    assert _lists(frame, ["agency"], "level") == single


def test_forum_projection_summary_from_one_sparse_product_is_the_networkx_projections():
    from mcn_map.analyses.measures import _projection_pairs, _summary_of
    from mcn_map.graphs import forum_projection
    from mcn_map.loading.validate import load
    from test_analyses_world import healthy_tables, landscape_of, set_forum

    tables = healthy_tables()
    set_forum(tables, "ops2", status="ended")  # an inactive forum: its edges are not counted
    for landscape in (load(EXAMPLE), landscape_of(tables)):
        active = [f for f in landscape.forum_ids if f in set(landscape.active_forums["forum_id"])]
        assert _summary_of(len(active), *_projection_pairs(landscape, active)) == _summary(
            active, forum_projection(landscape).edges)


# -- indented JSON through the C encoder: the text json.dumps(indent=2) writes ------------------------------------

import datetime as _dt  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
from pathlib import PurePosixPath  # noqa: E402

from mcn_map.writing.jsontext import indented_json  # noqa: E402

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True),
                    st.text(max_size=8), st.sampled_from([math.inf, -math.inf, _dt.date(2026, 12, 1),
                                                          PurePosixPath("a/b"), 1e16, -0.0, 5e-324]))
KEYS = st.one_of(st.text(max_size=5), st.integers(-5, 5).map(str))
JSONISH = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.lists(inner, max_size=3).map(tuple),
    st.dictionaries(KEYS, inner, max_size=4)), max_leaves=25)


def _standard(data) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str)


@settings(max_examples=1500, deadline=None)
@given(JSONISH)
def test_indented_json_is_the_standard_librarys_text(data):
    assert indented_json(data) == _standard(data)


@pytest.mark.parametrize("data", [{1: "a", 2: [1]}, {1.5: [], 2.5: {}}, {True: [{}], False: []},
                                  {None: [{}]}, {"x": {2: 1, 3: [2]}}, {math.nan: [1]}])
def test_indented_json_writes_number_and_constant_keys_as_json_does(data):
    assert indented_json(data) == _standard(data)


def test_indented_json_refuses_keys_json_refuses():
    for bad in ({(1, 2): [1]}, {"a": 1, 2: [3]}):  # a tuple key; keys that cannot be sorted together
        with pytest.raises(TypeError):
            _standard(bad)
        with pytest.raises(TypeError):
            indented_json(bad)


def test_the_seat_rules_find_the_same_without_the_case_lists(monkeypatch, tmp_path):
    """SEAT_RULES run on the landscape of every sheet but the case list (while it is parsed): each must find on it
    exactly what it finds on the whole landscape, with as-of dates and suppression set or not."""
    monkeypatch.syspath_prepend(str(SCRIPTS))
    import synth

    from mcn_map.loading import reading, validate as loading
    from mcn_map.analyses.run import SEAT_RULES, analysis_config, seat_findings

    borough = tmp_path / "borough.xlsx"
    synth.write_xlsx(synth.landscape_frames("borough", 3), borough)
    monkeypatch.setattr(reading, "PARSE_AHEAD_BYTES", 1)
    fired = set()
    for path in (EXAMPLE, EXAMPLE.with_name("example_landscape_2027.xlsx"), borough):
        seen = []
        whole, _ = loading.check(path, meanwhile=seen.append)
        for config in (analysis_config(), analysis_config(None, "2026-01-31", suppress=False)):
            seat_findings(seen[0], config)
            for rule in SEAT_RULES:
                early = seen[0].cache[("_findings", rule.__name__, repr(config))]
                assert [f.as_dict() for f in early] == [f.as_dict() for f in rule(whole, config)], rule.__name__
                fired |= {rule.__name__} if early else set()
    assert len(fired) >= 8  # most of them find something somewhere, so the comparison means something


def test_an_analysis_uses_seat_findings_only_for_the_settings_they_were_found_with():
    from mcn_map.analyses.run import analyse, analysis_config, seat_findings
    from mcn_map.loading.validate import load

    landscape = load(EXAMPLE)
    seat_findings(landscape, analysis_config())
    key = next(k for k in landscape.cache if isinstance(k, tuple) and k[0] == "_findings")
    landscape.cache[key] = ()  # a sentinel: taken when the settings match, never otherwise
    other = analyse(landscape, suppress=False)
    assert any(f.rule == key[1] for f in other.findings)
    same = analyse(landscape)
    assert not any(f.rule == key[1] for f in same.findings)


def _links_largest(tmp_path, keep_cases: bool):
    """The example with its links sheet made the largest (so it is the one parsed in the thread)."""
    from openpyxl import load_workbook

    book = load_workbook(EXAMPLE)
    links = book["links"]
    first = [c.value for c in links[2]]
    for _ in range(6000):
        links.append(first)  # the same link again and again: warned about alike with or without the thread
    if not keep_cases:
        book.remove(book["cohorts"])
    path = tmp_path / ("links-largest.xlsx" if keep_cases else "links-largest-no-cases.xlsx")
    book.save(path)
    return path


@pytest.mark.parametrize("keep_cases", [True, False])
def test_no_seat_work_is_kept_when_the_sheet_parsed_meanwhile_is_not_the_case_list(monkeypatch, tmp_path, keep_cases):
    from mcn_map.loading import reading
    from mcn_map.build import SEAT_WORK_STAGE
    from mcn_map.running.progress import Progress

    path = _links_largest(tmp_path, keep_cases)
    plain = build(path, tmp_path / "plain")
    monkeypatch.setattr(reading, "PARSE_AHEAD_BYTES", 1)
    progress = Progress(enabled=False)
    build(path, tmp_path / "threaded", progress=progress)
    assert SEAT_WORK_STAGE not in progress.timings  # the links were still being read: nothing to work on yet
    for written in plain.written:
        assert (tmp_path / "threaded" / written.name).read_bytes() == written.read_bytes(), written.name


def test_two_sheets_read_as_one_are_reported_before_an_error_of_the_work_done_meanwhile(monkeypatch, tmp_path):
    from openpyxl import load_workbook

    from mcn_map.loading import reading
    from mcn_map.errors import InputError

    book = load_workbook(EXAMPLE)
    book.create_sheet("Forums ")  # reads as 'forums' too
    book.save(tmp_path / "twice.xlsx")
    monkeypatch.setattr(reading, "PARSE_AHEAD_BYTES", 1)

    def broken(ready, parsing):
        raise ZeroDivisionError("a bug in the caller")

    with pytest.raises(InputError, match="both read as the 'forums' sheet"):
        reading.read_sheets(tmp_path / "twice.xlsx", meanwhile=broken)


@needs_fork
def test_outputs_made_while_reading_are_written_in_the_order_a_one_process_build_writes_them(monkeypatch, tmp_path):
    from mcn_map.loading import reading
    from mcn_map.analyses import run

    def fails(*args, **kwargs):
        raise RuntimeError("the analysis fails")

    monkeypatch.setattr(run, "analyse", fails)
    with pytest.raises(RuntimeError):
        build(EXAMPLE, tmp_path / "one", parallel=False)  # GraphML comes before findings.json in OUTPUTS
    monkeypatch.setattr(reading, "PARSE_AHEAD_BYTES", 1)
    with pytest.raises(RuntimeError):
        build(EXAMPLE, tmp_path / "two", parallel=True)  # made while reading, written before the analysis too
    for folder in ("one", "two"):
        assert (tmp_path / folder / "graph.graphml").exists() and not (tmp_path / folder / "findings.json").exists()


# -- the board's options: each scenario's findings without the network measures, the changes without pandas merges --

import gc  # noqa: E402
from types import SimpleNamespace  # noqa: E402

from mcn_map.change.compare import link_changes, post_changes  # noqa: E402
from mcn_map.change.options import candidate_scenarios  # noqa: E402
from mcn_map.change.scenario import apply_scenario, try_scenario  # noqa: E402
from mcn_map.cli import importing  # noqa: E402


def _without_position(finding: dict) -> dict:
    return {**finding, "evidence": {k: v for k, v in finding["evidence"].items() if k != "betweenness"}}


def test_findings_without_measures_are_the_findings_less_their_network_position():
    full = analyse(load(EXAMPLE))
    lite = analyse(load(EXAMPLE), measures=False)
    assert lite.measures == {} and full.measures
    assert [f.id for f in lite.findings] == [f.id for f in full.findings]
    assert [f.as_dict() for f in lite.findings] == [_without_position(f.as_dict()) for f in full.findings]
    assert any("betweenness" in f.evidence for f in full.findings)  # there was a position to leave out
    assert not any("betweenness" in f.evidence for f in lite.findings)
    assert lite.burden.equals(full.burden) and lite.overlap.equals(full.overlap)


def test_each_option_resolves_and_adds_what_a_full_analysis_of_its_scenario_finds():
    landscape = load(EXAMPLE)
    baseline = analyse(landscape)
    candidates, _ = candidate_scenarios(landscape, baseline)
    assert len(candidates) >= 2
    old_ids = {f.id for f in baseline.findings}
    for *_, scenario in candidates:
        _, after, changes = try_scenario(landscape, baseline, scenario)
        full = analyse(apply_scenario(landscape, scenario), baseline.config, baseline.as_of, suppress=baseline.suppress)
        new_ids = {f.id for f in full.findings}
        assert [f["id"] for f in changes["findings"]["resolved"]] == [
            f.id for f in baseline.findings if f.id not in new_ids]
        assert [f["id"] for f in changes["findings"]["new"]] == [f.id for f in full.findings if f.id not in old_ids]
        assert after.burden.equals(full.burden)


def _merged_link_changes(old, new) -> dict:
    """link_changes as it was: two pandas merges with an indicator."""
    key = ["from_forum", "to_forum", "type"]

    def objects(frame):
        return [{"from_forum": r.from_forum, "to_forum": r.to_forum, "type": r.type, "via_post": r.via_post}
                for r in frame.itertuples(index=False)]

    before, after = old.links.drop_duplicates(key), new.links.drop_duplicates(key)
    removed = before.merge(after[key], on=key, how="left", indicator=True)
    added = after.merge(before[key], on=key, how="left", indicator=True)
    return {"added": objects(added[added["_merge"] == "left_only"]),
            "removed": objects(removed[removed["_merge"] == "left_only"])}


def _grouped_posts(landscape) -> list:
    """post_changes' posts as they were: a groupby of the seats with a post, forums sorted, in first-seen order."""
    seats = landscape.seats[landscape.seats["post"] != ""]
    table = seats.groupby(["agency_id", "post"], sort=False)["forum_id"].agg(lambda s: sorted(set(s))).reset_index()
    return [{"agency_id": a, "post": p, "forums": f} for a, p, f in table.itertuples(index=False)]


# Missing values too (None, NaN): a landscape made in a notebook may hold them, where the loader writes "".
_MISSING = [None, float("nan")]
_FORUM = st.sampled_from(["a", "b", "c", "d", *_MISSING])
_LINKS = st.lists(st.tuples(_FORUM, _FORUM, st.sampled_from(["escalates_to", "reports_to", *_MISSING]),
                            st.sampled_from(["", "chair", "lead", *_MISSING])), max_size=12)
_SEATS = st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(["police", "nhs", *_MISSING]),
                            st.sampled_from(["", "chair", "lead", "dsl", *_MISSING])), max_size=12)


def _snapshot(links, seats):
    return SimpleNamespace(
        links=pd.DataFrame(links, columns=["from_forum", "to_forum", "type", "via_post"], dtype=object),
        seats=pd.DataFrame(seats, columns=["forum_id", "agency_id", "post"], dtype=object))


@settings(max_examples=300, deadline=None)
@given(_LINKS, _LINKS, _SEATS, _SEATS)
def test_link_and_post_changes_are_what_the_pandas_merges_gave(old_links, new_links, old_seats, new_seats):
    old, new = _snapshot(old_links, old_seats), _snapshot(new_links, new_seats)
    assert _same(link_changes(old, new), _merged_link_changes(old, new))
    changes = post_changes(old, new)
    before, after = _grouped_posts(old), _grouped_posts(new)
    assert _same(changes["left"], [p for p in before if (p["agency_id"], p["post"]) not in
                                   {(q["agency_id"], q["post"]) for q in after}])
    assert _same(changes["joined"], [p for p in after if (p["agency_id"], p["post"]) not in
                                     {(q["agency_id"], q["post"]) for q in before}])


def _same(a, b) -> bool:
    """Equal, a missing value (None or NaN) matching any missing value, as pandas matches them."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
        return False
    return bool(pd.isna(a) and pd.isna(b)) or a == b


def test_a_commands_imports_run_without_the_collector_which_then_resumes():
    assert gc.isenabled()
    with importing():
        assert not gc.isenabled()
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    assert frozen > 0  # what was imported is left out of later passes
    gc.disable()
    try:
        with importing():
            pass
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()
        gc.unfreeze()


# -- the layout's sweeps: the tiers' geometry once, then one sort per sweep ---------------------------------------------

from mcn_map.render.layout import (  # noqa: E402
    AGENCY_DROP, AGENCY_DY, BLOCK_GAP, BOX_HALF, BOX_WIDTH, FORUM_DX, MAX_PER_ROW, ROW_DY, _level_index, _placed,
    _tiers, level_names)


def _placed_the_long_way(forums: pd.DataFrame, order_key: np.ndarray, band_rows: dict[int, int] | None = None
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple]:
    """The placement as it was, one pandas sort and groupby per sweep: what _tiers and _placed must give."""
    n = len(forums)
    area = forums["area"].where(forums["area"] != "", "~").to_numpy(dtype=object)
    level = _level_index(forums["level"])
    frame = pd.DataFrame({"area": area, "level": level, "key": order_key, "name": forums["name"].to_numpy(dtype=object),
                          "id": forums["forum_id"].to_numpy(dtype=object), "pos": np.arange(n)})
    frame = frame.sort_values(["area", "level", "key", "name", "id"], kind="stable")
    frame["index"] = frame.groupby(["area", "level"], sort=False).cumcount().to_numpy()
    counts = frame.groupby(["area", "level"])["id"].transform("size").to_numpy()
    # Wrap long tiers so the map is roughly as tall as it is wide and labels stay readable when fitted to a screen.
    per_row = np.clip(np.ceil(np.sqrt(2.5 * counts)), 5, MAX_PER_ROW)
    per_row = np.ceil(counts / np.ceil(counts / per_row)).astype(int)  # rows of even length: 14 is 5, 5, 4
    frame["row"] = frame["index"].to_numpy() // per_row
    frame["col"] = frame["index"].to_numpy() % per_row
    in_row = np.minimum(counts - frame["row"].to_numpy() * per_row, per_row)
    frame["offset"] = frame["col"].to_numpy() - (in_row - 1) / 2  # centre each row on its block

    areas = sorted(set(area))
    frame["per_row"] = per_row
    block_width = frame.groupby("area")["per_row"].max().combine(frame.groupby("area")["index"].max() + 1, min)
    n_blocks = len(areas)
    columns = max(1, int(np.ceil(np.sqrt(n_blocks))))  # blocks are about as tall as wide: a square-ish grid
    block_of = {a: i for i, a in enumerate(areas)}
    grid_col = np.array([block_of[a] % columns for a in areas])
    grid_row = np.array([block_of[a] // columns for a in areas])
    # Blocks in one grid column share that column's widest block, so tiers line up across areas.
    widths = block_width.reindex(areas).to_numpy()
    col_width = np.zeros(columns)
    np.maximum.at(col_width, grid_col, widths)
    col_start = np.concatenate([[0.0], np.cumsum(col_width + BLOCK_GAP)[:-1]])
    centre_x = {a: (col_start[grid_col[i]] + col_width[grid_col[i]] / 2) * FORUM_DX for i, a in enumerate(areas)}
    area_grid_row = dict(zip(areas, grid_row))
    if band_rows is None:
        band_rows = {}

    # Rows per (grid row, level): the tallest block decides, so every tier starts at the same height. The gap below
    # a tier holds its agency band.
    frame["grid_row"] = frame["area"].map(area_grid_row).to_numpy()
    rows_needed = frame.groupby(["grid_row", "level"])["row"].max() + 1
    level_top = {}
    y = 0.0
    for g in range(int(grid_row.max()) + 1 if n_blocks else 0):
        for lv in range(3):
            level_top[(g, lv)] = y
            rows = int(rows_needed.get((g, lv), 0))
            if rows:
                band = band_rows.get(lv, 0)
                gap = 2 * BOX_HALF + 40 + (AGENCY_DROP + band * AGENCY_DY if band else 0)
                y += (rows - 1) * ROW_DY + gap
        y += 260.0  # room for the next grid row's area name
    tops = np.array([level_top[(g, lv)] for g, lv in zip(frame["grid_row"], frame["level"])])
    xs = frame["area"].map(centre_x).to_numpy(dtype=float) + frame["offset"].to_numpy() * FORUM_DX
    ys = tops + frame["row"].to_numpy() * ROW_DY
    bottoms = tops + (np.array([rows_needed.get((g, lv), 1) for g, lv in zip(frame["grid_row"], frame["level"])]) - 1) * ROW_DY
    out_x = np.empty(n)
    out_y = np.empty(n)
    out_bottom = np.empty(n)
    pos = frame["pos"].to_numpy()
    out_x[pos], out_y[pos], out_bottom[pos] = xs, ys, bottoms
    first_top = {g: level_top.get((g, 0), 0.0) for g in set(grid_row.tolist())}
    labels = {a: (centre_x[a], first_top[area_grid_row[a]] - 170.0) for a in areas if a != "~"}
    left = float(xs.min()) - BOX_WIDTH / 2 - 95 if n else 0.0
    tiers = tuple((level_names[lv], left, float(level_top[(g, lv)]))
                  for (g, lv) in sorted(rows_needed.index.tolist()))
    return out_x, out_y, out_bottom, (labels, tiers, int(block_width.max()) if n_blocks else 1, n_blocks)



_TIERED_FORUMS = st.lists(st.tuples(st.sampled_from(["", "North", "South", "East", "Ward 9"]),
                                    st.sampled_from(["strategic", "tactical", "operational", "other"]),
                                    st.sampled_from(["Board", "Panel", "MARAC", "A", "b", "Zed", None]),
                                    st.integers(-3, 3)), min_size=1, max_size=40)


@settings(max_examples=300, deadline=None)
@given(_TIERED_FORUMS, st.dictionaries(st.integers(0, 2), st.integers(0, 6), max_size=3))
def test_forums_placed_from_the_tiers_worked_out_once_are_placed_as_by_a_sort_per_sweep(rows, band_rows):
    forums = pd.DataFrame({"area": [r[0] for r in rows], "level": [r[1] for r in rows],
                           "name": [r[2] for r in rows], "forum_id": [f"f{i:02d}" for i in range(len(rows))][::-1]})
    key = np.array([r[3] / 2 for r in rows], dtype=float)  # ties, halves and negatives, as barycentres give
    new, old = _placed(_tiers(forums, band_rows), key), _placed_the_long_way(forums, key, band_rows)
    for a, b in zip(new[:3], old[:3]):
        assert np.array_equal(a, b)
    assert new[3] == old[3]


# -- incidence matrices: numpy arrays when small, scipy's when large; the same figures either way --------------------

from mcn_map.analyses import incidence as incidences  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 6), st.integers(1, 9), st.lists(st.tuples(st.integers(0, 5), st.integers(0, 8)), max_size=40))
def test_a_small_incidence_as_an_array_gives_what_the_sparse_one_gives(n_rows, n_cols, cells):
    rows = np.array([r % n_rows for r, _ in cells], dtype=np.int64)
    cols = np.array([c % n_cols for _, c in cells], dtype=np.int64)
    dense = incidences.incidence(rows, cols, (n_rows, n_cols))
    assert isinstance(dense, np.ndarray)
    limits = incidences.DENSE_CELLS
    incidences.DENSE_CELLS = 0
    try:
        sparse = incidences.incidence(rows, cols, (n_rows, n_cols))
    finally:
        incidences.DENSE_CELLS = limits
    assert not isinstance(sparse, np.ndarray)
    assert np.array_equal(dense, sparse.toarray())
    assert np.array_equal(incidences.gram(dense), incidences.gram(sparse))
    assert sorted(zip(*incidences.sharing_pairs(dense))) == sorted(zip(*incidences.sharing_pairs(sparse)))
    assert np.array_equal(incidences.column_sums(dense), incidences.column_sums(sparse))
    assert np.array_equal(incidences.column_sums(dense, [0]), incidences.column_sums(sparse, [0]))
    mask = np.arange(n_cols) % 2 == 0
    assert np.array_equal(incidences.row_sums(dense, mask), incidences.row_sums(sparse, mask))
    for i in range(n_rows):
        for j in range(n_rows):
            assert np.array_equal(incidences.shared_columns(dense, i, j), incidences.shared_columns(sparse, i, j))


def test_a_negative_position_is_refused_as_scipy_refuses_it():
    with pytest.raises(ValueError):
        incidences.incidence(np.array([0, -1]), np.array([0, 1]), (2, 2))
    with pytest.raises(ValueError):
        incidences.incidence(np.array([0, 2]), np.array([0, 1]), (2, 2))  # outside the shape


def test_positions_that_are_not_whole_numbers_are_left_to_scipy():
    matrix = incidences.incidence(np.array([0, 1]), np.array([0.0, 2.0]), (3, 4))
    assert not isinstance(matrix, np.ndarray) and matrix.toarray()[1, 2] == 1


def test_the_public_cohort_incidence_is_one_sparse_matrix_per_landscape():
    from mcn_map.analyses.duplication import cohort_incidence

    landscape = load(EXAMPLE)
    first = cohort_incidence(landscape)
    assert not isinstance(first, np.ndarray) and first is cohort_incidence(landscape)
    assert first.toarray().sum() == len(landscape.cohorts[["forum_id", "person"]].drop_duplicates())


def test_analyses_on_array_incidences_are_the_analyses_on_sparse_ones(monkeypatch):
    frames = _synth().landscape_frames("borough", seed=5)
    small = analyse(load_frames(frames))
    small_example = analyse(load(EXAMPLE))
    monkeypatch.setattr(incidences, "DENSE_CELLS", 0)
    large = analyse(load_frames(frames))
    large_example = analyse(load(EXAMPLE))
    for a, b in ((small, large), (small_example, large_example)):
        assert findings_document(a) == findings_document(b)
        assert a.overlap.equals(b.overlap) and a.similarity.equals(b.similarity)
    assert small.findings and small_example.measures["forum_projection"]["edges"] > 0


def test_a_small_build_imports_no_scipy(tmp_path):
    import subprocess

    code = ("import sys; from mcn_map.build import build; from mcn_map.running.progress import Progress; "
            f"build({str(EXAMPLE)!r}, sys.argv[1], progress=Progress(enabled=False), parallel=False); "
            "print('scipy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    assert result.stdout.split()[-1] == "False"
