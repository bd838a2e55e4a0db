"""Hostile and broken input: zip bombs and non-zips refused before parsing, XML entity attacks defused, random and
corrupted workbooks giving a model or a list of problems (never an unhandled exception), outputs written atomically
and never over an input."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

import openpyxl
import openpyxl.xml
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import mcn_map
import mcn_map.loading.reading
from mcn_map.build import build
from mcn_map.render.outputs import OUTPUTS
from mcn_map.errors import McnMapError, Problem
from mcn_map.writing.files import write_atomic
from workbooks import sheets, write_csv_folder, write_xlsx

# Modest by default so the suite stays quick; MCN_MAP_FUZZ_EXAMPLES=1000 for a deeper search. No shrinking: a
# failing workbook is reported as found, rather than after minutes spent minimising it.
FUZZ = settings(max_examples=int(os.environ.get("MCN_MAP_FUZZ_EXAMPLES", "40")), deadline=None,
                phases=[Phase.explicit, Phase.reuse, Phase.generate],
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def no_parsing(monkeypatch):
    """Fail the test if any workbook parser is reached."""
    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(pd, "read_excel", refuse)


_GOOD: list[bytes] = []


def good_workbook_bytes(tmp_path) -> bytes:
    """The little borough's workbook, made once so every generated example starts from the same bytes."""
    if not _GOOD:
        _GOOD.append(write_xlsx(tmp_path / "good.xlsx", sheets()).read_bytes())
    return _GOOD[0]


def assert_model_or_problems(result) -> None:
    landscape, problems = result
    assert isinstance(problems, list) and all(isinstance(p, Problem) for p in problems)
    if landscape is None:
        assert any(p.is_error for p in problems)
    else:
        assert isinstance(landscape, mcn_map.Landscape)


# -- refused before parsing --------------------------------------------------------------------------------------

def test_a_zip_bomb_is_refused_unopened(tmp_path, no_parsing):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))  # 60 MB of zeros: ~1000 to 1
    assert path.stat().st_size < 1024 * 1024
    landscape, problems = mcn_map.check(path)
    assert landscape is None and "zip bomb" in problems[0].message and "not opened" in problems[0].message


def test_a_workbook_over_the_documented_size_limit_is_refused(tmp_path, monkeypatch, no_parsing):
    path = tmp_path / "big.xlsx"
    path.write_bytes(good_workbook_bytes(tmp_path))
    monkeypatch.setattr(mcn_map.loading.unpacking, "MAX_UNCOMPRESSED_BYTES", 1000)
    landscape, problems = mcn_map.check(path)
    assert landscape is None and "over the limit" in problems[0].message


def test_the_readme_documents_the_size_limit():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"{mcn_map.loading.unpacking.MAX_UNCOMPRESSED_BYTES / 1024 ** 2:,.0f} MB" in readme
    assert f"{mcn_map.loading.unpacking.MAX_COMPRESSION_RATIO} to 1" in readme


def test_a_file_that_is_not_a_zip_is_refused_unopened(tmp_path, no_parsing):
    path = tmp_path / "area.xlsx"
    path.write_bytes(b"<html>not a workbook</html>")
    landscape, problems = mcn_map.check(path)
    assert landscape is None and "not an Excel workbook" in problems[0].message


def test_defusedxml_is_present_and_openpyxl_uses_it():
    import defusedxml  # noqa: F401

    assert openpyxl.xml.DEFUSEDXML is True


def test_an_entity_expansion_workbook_is_not_expanded(tmp_path):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE z [<!ENTITY a "aaaaaaaaaa">'
              + b"".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">'.encode() for p, c in zip("abcdefgh", "bcdefghi"))
              + b"]>")
    source = zipfile.ZipFile(io.BytesIO(good_workbook_bytes(tmp_path)))
    path = tmp_path / "laughs.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for name in source.namelist():
            data = source.read(name)
            if name.startswith("xl/worksheets/"):
                data = laughs + (data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data)
            archive.writestr(name, data)
    assert_model_or_problems(mcn_map.check(path))  # calamine ignores the DTD
    with pytest.raises(Exception):  # openpyxl, through defusedxml, refuses the DTD outright
        openpyxl.load_workbook(path)


# -- random and corrupted input ----------------------------------------------------------------------------------

@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes_as_a_workbook_give_problems(tmp_path, data):
    path = tmp_path / "random.xlsx"
    path.write_bytes(data)
    landscape, problems = mcn_map.check(path)
    assert landscape is None and problems


@FUZZ
@given(st.data())
def test_truncated_or_corrupted_workbooks_give_a_model_or_problems(tmp_path, data):
    good = good_workbook_bytes(tmp_path)
    cut = data.draw(st.integers(min_value=0, max_value=len(good)))
    corrupted = bytearray(good[:cut] if data.draw(st.booleans()) else good)
    for _ in range(data.draw(st.integers(min_value=0, max_value=8))):
        if corrupted:
            at = data.draw(st.integers(min_value=0, max_value=len(corrupted) - 1))
            corrupted[at] = data.draw(st.integers(min_value=0, max_value=255))
    path = tmp_path / "corrupted.xlsx"
    path.write_bytes(bytes(corrupted))
    assert_model_or_problems(mcn_map.check(path))


cell_values = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30),
    st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.sampled_from(["marac", "board", "police", "mh-trust", "operational", "monthly", "=1+1", "999 000 0018",
                     "9990000017", "2026-09", "P0001", " ", "|", "merged"]),
)


@FUZZ
@given(st.data())
def test_random_cell_values_in_a_real_workbook_give_a_model_or_problems(tmp_path, data):
    workbook = sheets()
    for name in ("forums", "members", "cohorts", "links"):
        rows = workbook[name]
        for _ in range(data.draw(st.integers(min_value=0, max_value=6))):
            r = data.draw(st.integers(min_value=1, max_value=len(rows) - 1))
            c = data.draw(st.integers(min_value=0, max_value=len(rows[0]) - 1))
            rows[r][c] = data.draw(cell_values)
        if data.draw(st.booleans()):
            rows.append([data.draw(cell_values) for _ in rows[0]])
    path = write_xlsx(tmp_path / "random_cells.xlsx", workbook)
    assert_model_or_problems(mcn_map.check(path, key=bytes(32)))


@FUZZ
@given(st.data())
def test_random_csvs_give_a_model_or_problems(tmp_path, data):
    folder = write_csv_folder(tmp_path / f"area{data.draw(st.integers(0, 10**9))}", sheets())
    for name in data.draw(st.lists(st.sampled_from(["forums", "agencies", "members", "cohorts", "links"]),
                                   min_size=1, max_size=3, unique=True)):
        content = data.draw(st.one_of(
            st.binary(max_size=300),
            st.lists(st.sampled_from(list(',"\n\r x=9-|\ufeff') + ["marac", "police", "forum_id", "agency_id"]),
                     max_size=80).map("".join),
        ))
        (folder / f"{name}.csv").write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    assert_model_or_problems(mcn_map.check(folder, key=bytes(32)))


# -- writing -----------------------------------------------------------------------------------------------------

def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "summary.json"
    target.write_text("old")

    def failing_replace(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError):
        write_atomic(target, "new", force=True)
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["summary.json"]


def test_build_never_writes_into_a_csv_input_folder(tmp_path):
    folder = write_csv_folder(tmp_path / "area", sheets())
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with pytest.raises(McnMapError, match="refusing to write"):
        build(folder, folder)
    with pytest.raises(McnMapError, match="refusing to write"):
        build(folder, folder / "outputs")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_build_never_writes_over_an_input_named_like_an_output(tmp_path):
    name = OUTPUTS[-1].filename
    if not name.endswith(".xlsx"):  # an input must be a workbook; use the first workbook output's name if any
        name = next((o.filename for o in OUTPUTS if o.filename.endswith(".xlsx")), None)
        if name is None:
            pytest.skip("no .xlsx output registered yet")
    path = write_xlsx(tmp_path / name, sheets())
    before = path.read_bytes()
    with pytest.raises(McnMapError, match="refusing to write"):
        build(path, tmp_path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # nothing written before the refusal


def test_build_beside_an_input_workbook_leaves_it_untouched(tmp_path):
    path = write_xlsx(tmp_path / "area.xlsx", sheets())
    before = path.read_bytes()
    build(path, tmp_path)
    assert path.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
