"""The concurrency plan (mcn_map.running.plan): every step that shares its work gives what one process gives, a
failure in the second process is done again in the first, a real error surfaces as itself, and the staged read's
handles give the very sheets and problems a plain read gives."""

from __future__ import annotations

import dataclasses
import filecmp
import gc
import io
import os
import re
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

import mcn_map
from mcn_map import load
from mcn_map.analyses import run as analysis_run
from mcn_map.analyses.run import SEAT_RULES, findings_key, seat_findings
from mcn_map.build import SEAT_WORK_STAGE, build
from mcn_map.cli import importing
from mcn_map.config import resolve_config
from mcn_map.errors import InputError
from mcn_map.loading import reading
from mcn_map.loading import validate as loading
from mcn_map.memo import Memo
from mcn_map.render.findings_json import findings_document
from mcn_map.render.outputs import OUTPUTS, Output
from mcn_map.running import plan as plans
from mcn_map.running.plan import WRITE_SHARE, WRITE_SHARE_GRAPHML_READY, Plan, can_fork, should_fork, write_share
from mcn_map.running.progress import Progress

EXAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "example_landscape.xlsx"
SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
FINDINGS_JSON = next(o for o in OUTPUTS if o.filename == "findings.json")
needs_fork = pytest.mark.skipif(not can_fork(), reason="a second process is used on Linux only")


@pytest.fixture
def parse_ahead(monkeypatch):
    """Every workbook's largest sheet parsed in a thread, as a long case list is."""
    monkeypatch.setattr(plans, "PARSE_AHEAD_BYTES", 1)


def _document(analysis) -> str:
    import json

    return json.dumps(findings_document(analysis), sort_keys=True, default=str)


# -- the plan's answers ---------------------------------------------------------------------------------------------

def test_the_plan_shares_nothing_when_told_not_to_and_everything_it_can_when_told_to():
    never, always, unasked = Plan(False), Plan(True), Plan()
    for size in (0, 10**12):
        assert not never.scan_in_two(size) and not never.parse_ahead(size) and not never.analyse_in_two(size)
        assert always.scan_in_two(size) == always.analyse_in_two(size) == can_fork()
    assert not unasked.parse_ahead(plans.PARSE_AHEAD_BYTES - 1) and unasked.parse_ahead(plans.PARSE_AHEAD_BYTES)
    assert not unasked.analyse_in_two(plans.ANALYSE_IN_TWO_ROWS - 1)
    assert plans.plan_for(resolve_config(parallel=False)) == never and plans.plan_for() == unasked


def test_work_is_shared_unasked_only_in_a_process_with_one_thread():
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not should_fork()  # a notebook's kernel, or a test session with a browser open
        assert not Plan().analyse_in_two(10**9)
    finally:
        release.set()
        other.join()
    assert should_fork() == (can_fork() and threading.active_count() == 1)


def test_the_outputs_a_second_process_writes_depend_on_what_it_is_already_doing():
    always = Plan(True)
    if can_fork():
        assert write_share(always) == WRITE_SHARE
        assert write_share(always, ready={"graph.graphml"}) == WRITE_SHARE_GRAPHML_READY
    assert write_share(always, options_forked=True) == frozenset()  # it weighs the board's options instead
    assert write_share(Plan(False)) == frozenset()
    for share in (WRITE_SHARE, WRITE_SHARE_GRAPHML_READY):
        assert share <= {o.filename for o in OUTPUTS} and not any(o.needs_options for o in OUTPUTS
                                                                  if o.filename in share)


def test_options_weighed_area_by_area_leave_the_second_process_free_to_write(monkeypatch):
    """Weighed whole (up to MAX_OPTION_FORUMS forums) the options are a dozen analyses and get the second process;
    area by area they are a few small ones, done here, and the second process writes outputs (at national scale the
    findings workbook and the Kumu file: 20.4 s -> 16.8 s)."""
    from mcn_map.build import weigh_options
    from mcn_map.change import options as module

    landscape = load(EXAMPLE)
    analysis = mcn_map.analyse(landscape)
    whole = weigh_options(landscape, analysis, Plan(None))
    assert whole.forked == should_fork() and whole.analysis.options  # the example's 21 forums: weighed whole
    monkeypatch.setattr(module, "MAX_OPTION_FORUMS", 10)  # the same forums counted as a region's
    by_area = weigh_options(landscape, analysis, Plan(None))
    assert not by_area.forked and write_share(Plan(None), options_forked=by_area.forked) == (
        WRITE_SHARE if should_fork() else frozenset())
    assert by_area.analysis.options is not None
    assert not Plan(None).options_in_two(False) and not Plan(False).options_in_two(True)
    assert Plan(None).options_in_two(True) == should_fork() and Plan(True).options_in_two(False) == can_fork()


# -- writing in two processes -------------------------------------------------------------------------------------

@needs_fork
def test_a_build_in_two_processes_writes_the_files_one_process_writes(tmp_path):
    one = build(EXAMPLE, tmp_path / "one", parallel=False)
    two = build(EXAMPLE, tmp_path / "two", parallel=True)
    assert [p.name for p in one.written] == [p.name for p in two.written] == [o.filename for o in OUTPUTS]
    for path in one.written:
        assert filecmp.cmp(path, tmp_path / "two" / path.name, shallow=False), path.name
    assert two.analysis.options == one.analysis.options and one.analysis.options  # weighed in the second process


@needs_fork
def test_outputs_without_the_options_share_the_writing(tmp_path):
    chosen = [o for o in OUTPUTS if not o.needs_options]
    result = build(EXAMPLE, tmp_path, outputs=chosen, parallel=True)
    assert any(stage.endswith("(alongside)") for stage in result.timings)
    assert result.analysis.options is None  # no output drew them, so they were not weighed


@needs_fork
def test_an_output_failing_in_the_second_process_is_written_by_the_first(tmp_path):
    parent = os.getpid()

    def only_here(built):  # fails in the forked process, works in this one
        if os.getpid() != parent:
            raise RuntimeError("boom")
        return b"made here\n"

    name = sorted(WRITE_SHARE)[0]
    result = build(EXAMPLE, tmp_path, outputs=[FINDINGS_JSON, Output(name, only_here, "x")], parallel=True)
    assert (tmp_path / name).read_bytes() == b"made here\n"
    assert [p.name for p in result.written] == ["findings.json", name]


@needs_fork
def test_a_real_error_in_an_output_surfaces_as_in_one_process(tmp_path):
    def broken(built):
        raise ValueError("a bug in an output")

    with pytest.raises(ValueError, match="a bug in an output"):
        build(EXAMPLE, tmp_path, outputs=[FINDINGS_JSON, Output(sorted(WRITE_SHARE)[0], broken, "x")], parallel=True)


# -- analysing in two processes -----------------------------------------------------------------------------------

@needs_fork
def test_the_analysis_shared_with_a_second_process_is_the_one_process_one():
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

    def only_here(landscape, config, memo=None):  # fails in the forked process, works in this one
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
    def broken(landscape, config, memo=None):
        raise ValueError("a bug in a rule")

    monkeypatch.setattr(analysis_run, "RULES", analysis_run.RULES + (broken,))
    monkeypatch.setattr(analysis_run, "ALONGSIDE_RULES", analysis_run.ALONGSIDE_RULES + (broken,))
    with pytest.raises(ValueError, match="a bug in a rule"):
        analysis_run.analyse(load(EXAMPLE), parallel=True)


# -- the staged read: the largest sheet parsed in a thread while the others are read and checked --------------------

def _same_cells(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    assert a.shape == b.shape and list(a.columns) == list(b.columns) and a.index.equals(b.index)
    for column in a.columns:
        for x, y in zip(a[column].to_numpy(object), b[column].to_numpy(object)):
            assert type(x) is type(y) and (x == y or (x != x and y != y)), (column, x, y)
    return True


def test_sheets_read_with_the_largest_parsed_ahead_are_the_sheets_read_in_turn(monkeypatch):
    for workbook in (EXAMPLE, EXAMPLE.with_name("example_landscape_2027.xlsx")):
        in_turn = reading.read_sheets(workbook)
        monkeypatch.setattr(plans, "PARSE_AHEAD_BYTES", 1)
        ahead = reading.read_sheets(workbook)
        monkeypatch.undo()
        assert list(ahead) == list(in_turn)
        for key, raw in in_turn.items():
            assert _same_cells(ahead[key].table, raw.table) and ahead[key].rows.equals(raw.rows), key
            assert ahead[key].error_cells == raw.error_cells


def test_a_broken_sheet_parsed_ahead_is_reported_as_in_turn(tmp_path, monkeypatch):
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
    monkeypatch.setattr(plans, "PARSE_AHEAD_BYTES", 1)
    _, ahead = mcn_map.check(broken)
    assert [p.message for p in ahead] == [p.message for p in in_turn] and ahead


def test_the_sheets_read_early_are_the_very_sheets_the_reading_ends_with(monkeypatch):
    small = reading.start_reading(EXAMPLE)
    assert small.early is None and small.parsing is None  # nothing parsed ahead in a small workbook
    monkeypatch.setattr(plans, "PARSE_AHEAD_BYTES", 1)
    staged = reading.start_reading(EXAMPLE)
    early, parsing = staged.early, staged.parsing
    sheets = staged.finish()
    assert parsing == "cohorts" and set(early) == set(sheets) - {"cohorts"}
    assert all(early[k] is sheets[k] for k in early)
    assert reading.start_reading(EXAMPLE, plan=Plan(False)).early is None  # the config can turn the thread off


def test_two_sheets_read_as_one_are_reported_when_the_reading_ends(tmp_path, parse_ahead):
    book = load_workbook(EXAMPLE)
    book.create_sheet("Forums ")  # reads as 'forums' too
    book.save(tmp_path / "twice.xlsx")
    staged = reading.start_reading(tmp_path / "twice.xlsx")
    assert staged.early is None  # no landscape of the other sheets to work on
    with pytest.raises(InputError, match="both read as the 'forums' sheet"):
        staged.finish()


def _workbooks_to_check(tmp_path):
    """The example, and copies of it with errors and warnings in the sheets checked while the case list is read."""
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
    for path in _workbooks_to_check(tmp_path):
        plain, plain_problems = loading.check(path)
        monkeypatch.setattr(plans, "PARSE_AHEAD_BYTES", 1)
        staged = loading.start_loading(path)
        seats = staged.seats
        landscape, problems = staged.finish()
        monkeypatch.undo()
        assert problems == plain_problems, path.name
        assert (plain is None) == (landscape is None), path.name
        if plain is not None:
            for name in ("forums", "agencies", "seats", "cohorts", "links", "responses"):
                pd.testing.assert_frame_equal(getattr(landscape, name), getattr(plain, name))
            assert seats.cohorts.empty and seats.seats is landscape.seats  # the landscape of the other sheets
        else:  # no landscape of sheets that hold an error, or lack one
            assert (seats is None) == (path.name != "bad-case.xlsx"), path.name


# -- a build's work on the other sheets while a long case list is parsed ---------------------------------------------

def test_a_build_that_works_on_the_seats_while_reading_writes_the_same_files(monkeypatch, tmp_path):
    first = build(EXAMPLE, tmp_path / "plain")
    monkeypatch.setattr(plans, "PARSE_AHEAD_BYTES", 1)
    progress = Progress(enabled=False)
    staged = build(EXAMPLE, tmp_path / "staged", progress=progress)
    assert progress.timings[SEAT_WORK_STAGE] > 0
    shown = io.StringIO()
    build(EXAMPLE, tmp_path / "shown", progress=Progress(enabled=True, stream=shown))
    lines = shown.getvalue().splitlines()
    assert lines and all(re.fullmatch(r"  [a-zA-Z(), -]+\.\.\. \d+\.\d\d s", line) for line in lines), lines
    assert not any(SEAT_WORK_STAGE in line for line in lines)  # work inside "read" is not a line of its own
    assert sum(line.startswith("  read...") for line in lines) == 1
    for path in first.written:
        assert (tmp_path / "staged" / path.name).read_bytes() == path.read_bytes(), path.name
    assert staged.analysis.measures == first.analysis.measures


def test_work_on_the_seats_that_fails_while_reading_is_done_again_after(monkeypatch, tmp_path):
    from mcn_map.render import layout as layouts

    first = build(EXAMPLE, tmp_path / "plain")
    monkeypatch.setattr(plans, "PARSE_AHEAD_BYTES", 1)
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


def test_the_seat_rules_find_the_same_without_the_case_lists(monkeypatch, tmp_path, parse_ahead):
    """SEAT_RULES run on the landscape of every sheet but the case list (while it is parsed): each must find on it
    exactly what it finds on the whole landscape, with as-of dates and suppression set or not."""
    monkeypatch.syspath_prepend(str(SCRIPTS))
    import synth

    borough = tmp_path / "borough.xlsx"
    synth.write_xlsx(synth.landscape_frames("borough", 3), borough)
    fired = set()
    for path in (EXAMPLE, EXAMPLE.with_name("example_landscape_2027.xlsx"), borough):
        staged = loading.start_loading(path)
        seats = staged.seats
        whole, _ = staged.finish()
        for config in (resolve_config(), resolve_config(as_of="2026-01-31", suppress=False)):
            early = seat_findings(seats, config)
            for rule in SEAT_RULES:
                assert [f.as_dict() for f in early[rule]] == [f.as_dict() for f in rule(whole, config)], rule.__name__
                fired |= {rule.__name__} if early[rule] else set()
    assert len(fired) >= 8  # most of them find something somewhere, so the comparison means something


def test_an_analysis_takes_findings_from_its_memo_only_for_the_settings_they_were_found_with():
    landscape = load(EXAMPLE)
    memo = Memo(landscape)
    rule = next(r for r in SEAT_RULES if any(f.rule == r.__name__ for f in analysis_run.analyse(landscape).findings))
    memo.put(findings_key(rule, resolve_config()), ())  # a sentinel: taken when the settings match, never otherwise
    other = analysis_run.analyse(landscape, suppress=False, memo=memo)
    assert any(f.rule == rule.__name__ for f in other.findings)
    same = analysis_run.analyse(landscape, memo=memo)
    assert not any(f.rule == rule.__name__ for f in same.findings)
    elsewhere = analysis_run.analyse(load(EXAMPLE), memo=memo)  # a memo never serves another landscape
    assert any(f.rule == rule.__name__ for f in elsewhere.findings)


def _links_largest(tmp_path, keep_cases: bool):
    """The example with its links sheet made the largest (so it is the one parsed in the thread)."""
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
def test_no_seat_work_is_done_when_the_sheet_parsed_meanwhile_is_not_the_case_list(monkeypatch, tmp_path, keep_cases):
    path = _links_largest(tmp_path, keep_cases)
    plain = build(path, tmp_path / "plain")
    monkeypatch.setattr(plans, "PARSE_AHEAD_BYTES", 1)
    progress = Progress(enabled=False)
    build(path, tmp_path / "threaded", progress=progress)
    assert SEAT_WORK_STAGE not in progress.timings  # the links were still being read: nothing to work on yet
    for written in plain.written:
        assert (tmp_path / "threaded" / written.name).read_bytes() == written.read_bytes(), written.name


@needs_fork
def test_outputs_made_while_reading_are_written_before_the_analysis_as_in_one_process(monkeypatch, tmp_path):
    import mcn_map.build as builds

    def fails(*args, **kwargs):
        raise RuntimeError("the analysis fails")

    monkeypatch.setattr(builds, "analyse", fails)
    with pytest.raises(RuntimeError):
        build(EXAMPLE, tmp_path / "one", parallel=False)
    assert not (tmp_path / "one" / "graph.graphml").exists()  # one process: nothing is written before the analysis
    monkeypatch.setattr(plans, "PARSE_AHEAD_BYTES", 1)
    with pytest.raises(RuntimeError):
        build(EXAMPLE, tmp_path / "two", parallel=True)
    assert not (tmp_path / "two" / "findings.json").exists()


# -- imports and the collector ----------------------------------------------------------------------------------------

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


def test_importing_the_build_imports_no_workbook_writer():
    code = "import sys, mcn_map.build; print('openpyxl' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False"]  # only the process that writes the workbooks imports openpyxl


def test_a_small_build_imports_no_scipy(tmp_path):
    code = ("import sys; from mcn_map.build import build; from mcn_map.running.progress import Progress; "
            f"build({str(EXAMPLE)!r}, sys.argv[1], progress=Progress(enabled=False), parallel=False); "
            "print('scipy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    assert result.stdout.split()[-1] == "False"


def test_a_landscape_keeps_no_cache():
    landscape = load(EXAMPLE)
    analysis_run.analyse(landscape)
    assert "cache" not in {f.name for f in dataclasses.fields(landscape)}
    assert not any(isinstance(v, dict) and v and "layout" in v for v in vars(landscape).values())
