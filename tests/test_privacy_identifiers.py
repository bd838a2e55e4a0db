"""NHS number checks, masking and keyed pseudonyms: raw identifiers never reach the model."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mcn_map
from mcn_map.privacy.identifiers import (
    SNAP_PREFIX,
    key_fingerprint,
    mask_identifier,
    nhs_check_digit,
    nhs_digits,
    nhs_valid,
    pseudonym,
    pseudonymise,
    scrub_identifiers,
)
from test_privacy_support import reference_check_digit, spaced, synthetic_nhs
from workbooks import sheets

KEY = bytes.fromhex("11" * 32)
OTHER_KEY = bytes.fromhex("22" * 32)


def valid(*numbers):
    return nhs_valid(pd.Series(list(numbers))).tolist()


def test_known_valid_and_invalid_nhs_numbers():
    # 999 000 0018: 9*10+9*9+9*8+1*2 = 245; 245 mod 11 = 3; 11-3 = 8.
    assert valid("9990000018", "9990000026", "9990000107") == [True, True, True]
    assert valid("9990000017", "9990000019", "9990000108") == [False, False, False]


def test_check_digit_of_ten_is_never_valid():
    # 999 000 014: the check digit would be 10, so no number starting with these nine digits is valid.
    assert nhs_check_digit("999000014") is None
    assert valid(*[f"999000014{d}" for d in range(10)]) == [False] * 10


def test_remainder_zero_gives_check_digit_zero():
    first_nine = next(f"999{n:06d}" for n in range(1, 10_000) if reference_check_digit(f"999{n:06d}") == 0)
    assert nhs_check_digit(first_nine) == 0 and valid(first_nine + "0") == [True]


def test_spaces_and_dashes_in_3_3_4_are_nhs_shaped():
    shaped, digits = nhs_digits(pd.Series(["999 000 0018", "999-000-0018", "9990000018", "99 9000 0018", "P0001"]))
    assert shaped.tolist() == [True, True, True, False, False]
    assert digits.tolist()[:3] == ["9990000018"] * 3


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=999_999))
def test_every_number_in_the_test_range_with_a_computed_check_digit_validates(serial):
    first_nine = f"999{serial:06d}"
    check = reference_check_digit(first_nine)
    assert nhs_check_digit(first_nine) == check
    if check is not None:
        assert valid(first_nine + str(check)) == [True]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=999_999), st.integers(min_value=0, max_value=9),
       st.integers(min_value=1, max_value=9))
def test_changing_one_digit_invalidates(serial, position, change):
    first_nine = f"999{serial:06d}"
    check = reference_check_digit(first_nine)
    if check is None:
        return
    digits = list(first_nine + str(check))
    digits[position] = str((int(digits[position]) + change) % 10)
    assert valid("".join(digits)) == [False]


def test_vectorised_check_matches_the_reference_on_a_block():
    numbers = [f"999123{n:03d}{d}" for n in range(200) for d in range(10)]
    expected = [reference_check_digit(n[:9]) == int(n[9]) for n in numbers]
    assert valid(*numbers) == expected


def test_masking_shows_only_the_last_three_digits():
    assert mask_identifier("999 000 0018") == "*** *** *018"
    assert mask_identifier("9990000018") == "*** *** *018"
    assert mask_identifier("MOSAIC-4471203") == "***********203"
    assert mask_identifier("P1") == "***"


def test_scrubbing_masks_every_nhs_number_in_free_text():
    text = "rows 9990000018, 999 000 0026 and 999-000-0034 (and 99900000181) but not 2026-09-03 or 12 people"
    scrubbed = scrub_identifiers(text)
    for whole in ("9990000018", "999 000 0026", "999-000-0034", "99900000181"):
        assert whole not in scrubbed
    assert "*** *** *018" in scrubbed and "2026-09-03" in scrubbed and "12 people" in scrubbed


def test_same_key_same_pseudonym_different_key_different():
    assert pseudonym("nhs:9990000018", KEY) == pseudonym("nhs:9990000018", KEY)
    assert pseudonym("nhs:9990000018", KEY) != pseudonym("nhs:9990000018", OTHER_KEY)
    assert pseudonym("nhs:9990000018", KEY) != pseudonym("nhs:9990000026", KEY)


def test_pseudonym_is_not_a_plain_hash():
    value = pseudonym("nhs:9990000018", KEY)
    for plain in ("9990000018", "nhs:9990000018"):
        assert hashlib.sha256(plain.encode()).hexdigest()[:len(value)] != value


def test_spacing_does_not_change_the_person():
    ids = pd.Series(["999 000 0018", "9990000018", "999-000-0018", "P0001"])
    pseudonyms, codes = pseudonymise(ids, KEY)
    assert len(set(pseudonyms[:3])) == 1 and pseudonyms[3] != pseudonyms[0]
    assert codes.tolist() == [0, 0, 0, 1]


def test_key_fingerprint_is_keyed_and_reveals_nothing_of_the_key():
    assert key_fingerprint(KEY) == key_fingerprint(KEY) != key_fingerprint(OTHER_KEY)
    assert KEY.hex()[:8] not in key_fingerprint(KEY)


def _cohort_frames(person_ids, dates=None):
    data = sheets()
    frames = {name: pd.DataFrame(rows[1:], columns=rows[0]) for name, rows in data.items()}
    frames["cohorts"] = pd.DataFrame({
        "forum_id": ["marac"] * len(person_ids), "person_id": person_ids,
        "discussed_on": dates or ["2026-09-03"] * len(person_ids), "lead_agency": ["police"] * len(person_ids)})
    return frames


def test_raw_identifiers_never_reach_the_model():
    numbers = synthetic_nhs(3)
    raw = [numbers[0], spaced(numbers[1]), spaced(numbers[2], "-"), "MOSAIC-4471203"]
    landscape = mcn_map.load_frames(_cohort_frames(raw), key=KEY)
    assert landscape.pseudonymised
    text = landscape.cohorts.to_csv() + repr(landscape.cohorts.to_dict())
    for table in (landscape.forums, landscape.agencies, landscape.seats, landscape.links):
        text += table.to_csv()
    for value in raw + numbers + ["4471203"]:
        assert value not in text
    assert landscape.cohorts["person_id"].tolist()[0] == pseudonym("nhs:" + numbers[0], KEY)


def test_nhs_numbers_without_a_key_are_refused_with_how_to_make_one():
    with pytest.raises(mcn_map.InputError) as caught:
        mcn_map.load_frames(_cohort_frames(synthetic_nhs(2)))
    problem = [p for p in caught.value.problems if "no key" in p.message][0]
    assert "mcn-map keygen" in problem.fix and "--key-file" in problem.fix and "MCN_MAP_KEY" in problem.fix


def test_invalid_nhs_number_is_an_error_naming_the_row_and_masking_it():
    good = synthetic_nhs(1)[0]
    with pytest.raises(mcn_map.InputError) as caught:
        mcn_map.load_frames(_cohort_frames([good, "999 000 0017"]), key=KEY)
    problem = [p for p in caught.value.problems if p.is_error][0]
    assert (problem.sheet, problem.row, problem.column) == ("cohorts", 3, "person_id")
    assert "*** *** *017" in problem.message and "9990000017" not in str(caught.value)
    assert "000 0017" not in str(caught.value)


def test_local_ids_without_a_key_become_sequence_codes():
    landscape = mcn_map.load_frames(_cohort_frames(["P0001", "P0002", "P0001"]))
    assert landscape.cohorts["person_id"].tolist() == ["p000001", "p000002", "p000001"]
    assert not landscape.pseudonymised


def test_snapped_pseudonyms_load_as_they_are_and_link_with_raw_ids_keyed_alike():
    number, other = synthetic_nhs(2)
    snapped_id = SNAP_PREFIX + pseudonym("nhs:" + number, KEY)
    landscape = mcn_map.load_frames(_cohort_frames([snapped_id, spaced(number), other]), key=KEY)
    cohorts = landscape.cohorts
    assert cohorts["person"].tolist() == [0, 0, 1]
    assert cohorts["person_id"].iloc[0] == cohorts["person_id"].iloc[1] == snapped_id[len(SNAP_PREFIX):]


def test_snapped_only_cohorts_need_no_key_and_count_as_pseudonymised():
    ids = [SNAP_PREFIX + pseudonym(f"nhs:{n}", KEY) for n in synthetic_nhs(3)]
    landscape = mcn_map.load_frames(_cohort_frames(ids + ids[:1], ["2026-09", "2026-10", "Sep-26", "2026-09"]))
    assert landscape.pseudonymised
    assert landscape.cohorts["person"].tolist() == [0, 1, 2, 0]
    assert landscape.cohorts["discussed_on"].dt.strftime("%Y-%m-%d").tolist() == [
        "2026-09-01", "2026-10-01", "2026-09-01", "2026-09-01"]


def test_cohorts_mixing_key_fingerprints_are_refused():
    frames = _cohort_frames([SNAP_PREFIX + "a" * 20, SNAP_PREFIX + "b" * 20])
    frames["cohorts"]["key_fingerprint"] = [key_fingerprint(KEY), key_fingerprint(OTHER_KEY)]
    with pytest.raises(mcn_map.InputError) as caught:
        mcn_map.load_frames(frames)
    assert "different keys" in str(caught.value)


def test_cohorts_snapped_with_another_key_than_the_one_given_are_refused():
    frames = _cohort_frames([SNAP_PREFIX + "a" * 20])
    frames["cohorts"]["key_fingerprint"] = [key_fingerprint(OTHER_KEY)]
    with pytest.raises(mcn_map.InputError) as caught:
        mcn_map.load_frames(frames, key=KEY)
    assert "different key" in str(caught.value)
    landscape = mcn_map.load_frames(frames, key=OTHER_KEY)
    assert "key_fingerprint" not in landscape.cohorts


def test_the_privacy_modules_examples_run():
    import doctest

    from mcn_map import snap
    from mcn_map.privacy import identifiers, suppression

    for module in (identifiers, snap, suppression):
        assert doctest.testmod(module).failed == 0, module.__name__


def test_other_columns_on_a_case_list_are_dropped_with_a_warning():
    frames = _cohort_frames(["P0001", "P0002"])
    frames["cohorts"]["Name"] = ["Zebedee Quaxworth", "Ottoline Fenwhistle"]
    frames["cohorts"]["Date of birth"] = ["1980-01-01", "1975-05-05"]
    landscape = mcn_map.load_frames(frames)
    assert list(landscape.cohorts.columns) == ["row", "forum_id", "person_id", "discussed_on", "lead_agency",
                                              "lead_post", "person"]
    assert "Zebedee" not in landscape.cohorts.to_csv()
    warning = [w for w in landscape.warnings if "ignored" in w.message][0]
    assert "'Name', 'Date of birth'" in warning.message and "Zebedee" not in str(warning)
