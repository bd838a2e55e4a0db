"""A cohorts sheet pasted the wrong way round: recognised from what its columns hold, told in one message.

Pasting a snapped file's columns under the template's headers (its fourth column is ``key_fingerprint``, the
template's ``lead_agency``), or pasting columns in another order, would otherwise give a flood of per-row errors
("agency `d196c5aa284824d1` is not in agencies"). This looks at a sample of each column, decides what it holds, and
says which columns hold the wrong thing and how to fix it. It never echoes a cell, since a cell may be an identifier.
"""

from __future__ import annotations

import pandas as pd

from ..loading.cells import as_text, parse_date, per_distinct
from ..errors import Problem
from ..loading.reading import RawSheet
from ..loading.schema import SHEETS, canonical_token
from .identifiers import NHS_PATTERN, SNAP_PATTERN

__all__ = ["pasted_layout_problem"]

SAMPLE_ROWS = 5000  # what a column holds shows in its first few thousand rows
DOMINANT = 0.8  # a column holds X when this share of its non-blank sampled cells look like X
MIN_CELLS = 5  # fewer filled cells than this say too little: the row-by-row messages are clearer
KINDS = {  # what each kind is called in the message
    "fingerprints": "key fingerprints (the 16-character codes `mcn-map snap` adds)",
    "people": "person identifiers",
    "dates": "dates",
    "forums": "forum ids",
    "agencies": "agency ids",
}
EXPECTED = {"forum_id": "forums", "person_id": "people", "discussed_on": "dates", "lead_agency": "agencies"}


def _kinds(values: pd.Series, forum_ids: set, agency_ids: set) -> dict[str, float]:
    """The share of ``values`` (non-blank text) that looks like each kind."""
    if not len(values):
        return {}
    shares = {
        "fingerprints": values.str.fullmatch(r"[0-9a-f]{16}", na=False),
        "people": values.str.match(SNAP_PATTERN, na=False) | values.str.match(NHS_PATTERN, na=False),
        "dates": per_distinct(values, parse_date).notna(),
        "forums": values.isin(forum_ids),
        "agencies": values.isin(agency_ids),
    }
    return {kind: float(hit.mean()) for kind, hit in shares.items()}


def pasted_layout_problem(raw: RawSheet, forum_ids, agency_ids) -> Problem | None:
    """One error when the cohorts sheet's columns hold what other columns should (or key fingerprints), else None."""
    forum_ids, agency_ids = set(forum_ids), set(agency_ids)
    headers = {}
    for header in raw.table.columns:
        token = canonical_token(header).replace(" ", "_")
        if token in SHEETS["cohorts"].column_names and token not in headers:
            headers[token] = header
    misplaced = {}
    for name, header in headers.items():
        column = raw.table[header]
        if isinstance(column, pd.DataFrame):  # a repeated header: the loader reports it
            continue
        values = as_text(column.head(SAMPLE_ROWS)).str.strip()
        values = values[values != ""]
        if len(values) < MIN_CELLS:
            continue
        shares = _kinds(values, forum_ids, agency_ids)
        if not shares:
            continue
        expected = EXPECTED.get(name)
        if expected and shares[expected] >= 0.5:
            continue
        held = [kind for kind in KINDS if kind != expected and shares[kind] >= DOMINANT]
        # A person_id or lead_post holding local codes is fine; only a clear other kind is misplaced.
        if held and not (name == "lead_agency" and held[0] == "forums" and shares["agencies"] >= 0.5):
            misplaced[header] = held[0]
    if not misplaced:
        return None
    order = ", ".join(SHEETS["cohorts"].column_names)
    fix = ("Let mcn-map write the sheet: `mcn-map snap --combine SNAPPED... --into WORKBOOK -o NEW.xlsx` puts the "
           f"snapped lists' columns in the template's order ({order}). Or paste each column under its own header.")
    if set(misplaced.values()) == {"fingerprints"}:
        columns = " and ".join(f"'{h}'" for h in misplaced)
        return Problem("error", f"column {columns} holds key fingerprints, not what its header says: it looks as if a "
                       "snapped file was pasted under the template's headers, where the snapped file's "
                       "key_fingerprint column does not line up with the template's columns; no row was checked "
                       "further.", fix, file=raw.file, sheet=raw.name, row=1)
    said = "; ".join(f"column '{h}' holds {KINDS[kind]}" for h, kind in misplaced.items())
    return Problem("error", f"the columns are in the wrong order ({said}); no row was checked further.", fix,
                   file=raw.file, sheet=raw.name, row=1)
