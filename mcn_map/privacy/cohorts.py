"""Cohort keying: the case list's NHS numbers checked and every identifier replaced by its pseudonym.

This is where raw identifiers stop: after :func:`key_cohorts` the cohorts table holds pseudonyms (keyed) or
sequence codes (no key), and columns about people that the toolkit has no use for are gone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..loading.problems import MAX_LISTED, Collector
from ..loading.reading import RawSheet
from ..loading.schema import SHEETS
from .identifiers import key_fingerprint, mask_identifier, nhs_digits, nhs_valid, pseudonymise, snapped

__all__ = ["check_nhs_numbers", "key_cohorts"]


def check_nhs_numbers(ids: pd.Series, rows: pd.Series, out: Collector, loc: dict) -> pd.Series:
    """Report NHS-shaped ids that fail the Modulus 11 check (masked, never whole); return which rows are NHS-shaped.

    ``ids`` are stripped identifiers, ``rows`` their Excel rows (same index); ``loc`` names file, sheet and column.
    Each distinct id is checked once.
    """
    codes, distinct = pd.factorize(ids.to_numpy(dtype=object))
    shaped = _check_distinct(nhs_digits(pd.Series(distinct, dtype=object)), codes, rows, out, loc)
    return pd.Series(shaped, index=ids.index)


def _check_distinct(nhs: tuple[pd.Series, pd.Series], codes: np.ndarray, rows: pd.Series, out: Collector,
                    loc: dict) -> np.ndarray:
    distinct_shaped, distinct_digits = nhs
    shaped = distinct_shaped.to_numpy()[codes]
    if shaped.any():
        distinct_valid = nhs_valid(distinct_digits[distinct_shaped])
        distinct_invalid = np.zeros(len(distinct_shaped), dtype=bool)
        distinct_invalid[distinct_valid.index[~distinct_valid.to_numpy()]] = True
        invalid_rows = np.flatnonzero(distinct_invalid[codes])
        if len(invalid_rows):
            masked = [mask_identifier(distinct_digits.iat[codes[i]]) for i in invalid_rows[:MAX_LISTED]]
            out.rows("error", rows.iloc[invalid_rows].tolist(),
                     lambda i: f"'{masked[i]}' looks like an NHS number but fails the check digit.",
                     "Check the number against the patient record; NHS numbers have a Modulus 11 check digit.",
                     what="invalid NHS numbers", **loc)
    return shaped


def key_cohorts(cohorts: pd.DataFrame, raw: RawSheet, key: bytes | None, out: Collector) -> tuple[pd.DataFrame, bool]:
    """Check NHS numbers and replace every identifier by its pseudonym. Raw values are dropped here.

    Returns the cohorts and whether every identifier is now keyed (by ``key`` or earlier by `mcn-map snap`).
    """
    cohorts = _drop_other_columns(cohorts, raw, out)
    ids = cohorts["person_id"]
    # A million case-list rows hold a few hundred thousand people: check and key each distinct id once.
    id_codes, distinct = pd.factorize(ids.to_numpy(dtype=object))
    distinct = pd.Series(distinct, dtype=object)
    loc = dict(file=raw.file, sheet=raw.name, column="person_id")
    if "key_fingerprint" in cohorts:
        _check_fingerprints(cohorts["key_fingerprint"], key, out, loc)
        cohorts = cohorts.drop(columns="key_fingerprint")
    nhs = nhs_digits(distinct)
    shaped = _check_distinct(nhs, id_codes, cohorts["row"], out, loc)
    if shaped.any() and key is None:
        out.add("error", f"holds NHS numbers ({int(shaped.sum()):,} rows) and no key was given, so they cannot "
                "be pseudonymised.",
                "Make a key with `mcn-map keygen mcn-map.key`, share it only with the chairs who will run "
                "`mcn-map snap`, and pass `--key-file mcn-map.key` (or set MCN_MAP_KEY).", **loc)
    already = snapped(distinct)
    keyed = key is not None or bool(already.all())
    # Pseudonyms and codes follow first appearance, so keying the distinct ids gives what keying every row would.
    distinct_pseudonyms, distinct_codes = pseudonymise(distinct, key, nhs=nhs, keyed=already)
    cohorts = cohorts.copy()
    cohorts["person_id"] = pd.Series(distinct_pseudonyms.to_numpy()[id_codes], index=ids.index, dtype=object)
    cohorts["person"] = distinct_codes[id_codes]
    return cohorts, keyed


def _drop_other_columns(cohorts: pd.DataFrame, raw: RawSheet, out: Collector) -> pd.DataFrame:
    # Other columns on a case list (names, dates of birth, notes) are personal data the toolkit has no use for:
    # they are dropped here so they never reach the model or any output.
    known = {"row", "key_fingerprint", *SHEETS["cohorts"].column_names}
    dropped = [c for c in cohorts.columns if c not in known]
    if dropped:
        out.add("warning", f"column{'s' if len(dropped) != 1 else ''} {', '.join(repr(str(c)) for c in dropped)} "
                f"{'were' if len(dropped) != 1 else 'was'} ignored: the cohorts sheet keeps only "
                f"{', '.join(SHEETS['cohorts'].column_names)}, so other details about people never reach any output.",
                "Delete the other columns before sharing the workbook.", file=raw.file, sheet=raw.name)
        cohorts = cohorts.drop(columns=dropped)
    return cohorts


def _check_fingerprints(fingerprints: pd.Series, key: bytes | None, out: Collector, loc: dict) -> None:
    # Snapped lists carry their key's fingerprint: lists made with different keys can never link.
    prints = sorted(set(fingerprints) - {""})
    where = {**loc, "column": "key_fingerprint"}
    if len(prints) > 1:
        out.add("error", f"mixes case lists snapped with {len(prints)} different keys, so the same person would "
                "not be recognised across them.", "Ask every chair to snap their list again with the one shared "
                "key, then combine the lists with `mcn-map snap --combine`.", **where)
    elif prints and key is not None and prints[0] != key_fingerprint(key):
        out.add("error", "was snapped with a different key from the one given, so its people cannot be linked "
                "with the identifiers keyed here.", "Use the key the chairs snapped with, or snap every list "
                "with the key given.", **where)
