"""The round trip, as a property: forms made from any landscape and returned unchanged collect into a landscape that
builds the same findings, with the same forums, agencies, seats and links."""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mcn_map.analyses.run import analyse
from mcn_map.forms.make import write_forms
from mcn_map.forms.run import collect_round
from mcn_map.loading.validate import load

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def _synth():
    spec = importlib.util.spec_from_file_location("synth", SCRIPTS / "synth.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("synth", module)
    spec.loader.exec_module(module)
    return module


synth = _synth()


def _same(before, after, table: str) -> bool:
    columns = [c for c in getattr(before, table).columns if c not in ("row", "reported_by")]
    old = getattr(before, table)[columns].astype(str).reset_index(drop=True)
    new = getattr(after, table)[columns].astype(str).reset_index(drop=True)
    return old.equals(new)


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10**6), forums=st.integers(3, 12), agencies=st.integers(4, 16),
       seats=st.integers(10, 60), people=st.integers(0, 300))
def test_forms_returned_unchanged_collect_into_the_same_findings(seed, forums, agencies, seats, people):
    size = synth.Size(forums=forums, agencies=agencies, seats=seats, cohort_rows=people)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        source = synth.write_xlsx(synth.landscape_frames(size, seed), folder / "area.xlsx")
        before = load(source)
        _, forms = write_forms(before, folder / "forms")
        report = collect_round(forms, source, folder / "collected.xlsx")
        after = load(report.written)
        assert report.collected.changes == [] and report.collected.conflicts == []
        for table in ("forums", "agencies", "seats", "links", "cohorts"):
            assert _same(before, after, table), table
        assert [(f.id, f.message) for f in analyse(after).findings] == \
            [(f.id, f.message) for f in analyse(before).findings]
