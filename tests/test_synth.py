"""scripts/synth.py: presets give the stated counts, load without errors, and are deterministic per seed."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mcn_map import load, load_frames
from mcn_map.privacy.identifiers import nhs_valid
from mcn_map.loading.schema import SHEETS

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


synth = _script("synth")
TINY = synth.Size(forums=6, agencies=12, seats=30, cohort_rows=120)


@pytest.fixture(scope="module")
def borough_frames():
    return synth.landscape_frames("borough", seed=0)


def test_borough_preset_has_the_stated_counts(borough_frames):
    size = synth.PRESETS["borough"]
    assert len(borough_frames["forums"]) == size.forums == 15
    assert len(borough_frames["agencies"]) == size.agencies == 40
    assert len(borough_frames["members"]) == size.seats == 200
    assert len(borough_frames["cohorts"]) == size.cohort_rows == 2_000
    assert len(borough_frames["links"]) > 0


def test_stated_sizes_of_the_larger_presets():
    assert synth.PRESETS["region"] == synth.Size(forums=150, agencies=400, seats=3_000, cohort_rows=100_000)
    assert synth.PRESETS["nation"] == synth.Size(forums=2_000, agencies=6_000, seats=40_000, cohort_rows=1_000_000)


def test_borough_frames_use_the_input_columns_and_load_without_warnings(borough_frames):
    for sheet in ("forums", "agencies", "members", "cohorts", "links"):
        assert tuple(borough_frames[sheet].columns) == SHEETS[sheet].column_names
    landscape = load_frames(borough_frames)
    assert landscape.warnings == ()
    assert set(landscape.forums["level"]) == {"strategic", "tactical", "operational"}
    assert landscape.forums["chair_agency"].ne("").all()


def test_borough_has_structure_worth_analysing(borough_frames):
    cohorts = borough_frames["cohorts"]
    per_person = cohorts.groupby("person_id")["forum_id"].nunique()
    assert (per_person > 1).sum() > 20  # people discussed in several forums
    repeats = cohorts["person_id"].value_counts()
    assert repeats.iloc[0] >= 5 * repeats.median()  # a few people discussed far more than most
    assert {"escalates_to", "reports_to", "feeds_back_to"} <= set(borough_frames["links"]["type"])
    assert borough_frames["agencies"]["sector"].nunique() >= 12


def test_same_seed_same_tables_and_another_seed_differs():
    first = synth.landscape_frames(TINY, seed=4)
    again = synth.landscape_frames(TINY, seed=4)
    other = synth.landscape_frames(TINY, seed=5)
    for sheet in first:
        pd.testing.assert_frame_equal(first[sheet], again[sheet])
    assert not first["cohorts"].equals(other["cohorts"])


def test_tiny_custom_size_round_trips_through_xlsx_and_csv(tmp_path):
    frames = synth.landscape_frames(TINY, seed=1)
    workbook = synth.write_landscape(frames, tmp_path / "tiny.xlsx")
    folder = synth.write_landscape(frames, tmp_path / "tiny")
    for path in (workbook, folder):
        landscape = load(path)
        assert landscape.warnings == ()
        assert (len(landscape.forums), len(landscape.agencies), len(landscape.seats), len(landscape.cohorts)) == (
            6, 12, 30, 120)
        pd.testing.assert_series_equal(landscape.cohorts["discussed_on"],
                                       frames["cohorts"]["discussed_on"].astype("datetime64[ns]"), check_names=False)


def test_xlsx_bytes_are_deterministic_and_every_engine_reads_the_same(tmp_path):
    frames = synth.landscape_frames(TINY, seed=2)
    one = synth.write_xlsx(frames, tmp_path / "one.xlsx").read_bytes()
    two = synth.write_xlsx(frames, tmp_path / "two.xlsx").read_bytes()
    assert one == two
    direct = load(tmp_path / "one.xlsx")
    via_openpyxl = load(synth.write_xlsx(frames, tmp_path / "openpyxl.xlsx", engine="openpyxl"))
    for table in ("forums", "agencies", "seats", "cohorts", "links"):
        pd.testing.assert_frame_equal(getattr(direct, table), getattr(via_openpyxl, table))


def test_nhs_numbers_come_from_the_test_range_with_valid_check_digits():
    numbers = synth.nhs_test_numbers(500, np.random.default_rng(0))
    assert len(set(numbers)) == 500
    assert all(n.startswith("999") and len(n) == 10 for n in numbers)
    assert nhs_valid(pd.Series(numbers)).all()


def test_nhs_numbers_load_only_with_a_key():
    frames = synth.landscape_frames(TINY, seed=3, nhs_numbers=True)
    assert frames["cohorts"]["person_id"].str.fullmatch(r"999\d{7}").all()
    landscape = load_frames(frames, key=b"k" * 32)
    assert landscape.pseudonymised
    assert not landscape.cohorts["person_id"].str.startswith("999").any()


def test_cli_writes_a_preset(tmp_path, capsys):
    assert synth.main(["--preset", "borough", "--cohort-rows", "50", "-o", str(tmp_path / "b.xlsx")]) == 0
    assert "15 forums" in capsys.readouterr().err
    assert len(load(tmp_path / "b.xlsx").cohorts) == 50
