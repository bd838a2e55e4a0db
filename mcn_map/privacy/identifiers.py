"""Person identifiers: NHS number checks and keyed pseudonyms, applied as the cohort sheet is read.

A plain or salted hash of an NHS number is not a pseudonym (there are under 10^9 candidates), so identifiers are
replaced by HMAC-SHA256 under a secret key. Raw values never reach the model.
"""

from __future__ import annotations

import hashlib
import hmac

import numpy as np
import pandas as pd

__all__ = [
    "NHS_PATTERN",
    "nhs_digits",
    "nhs_valid",
    "mask_identifier",
    "pseudonym",
    "pseudonymise",
]

# 10 digits, optionally grouped 3-3-4 with spaces or dashes.
NHS_PATTERN = r"^\d{3}[ -]?\d{3}[ -]?\d{4}$"
_WEIGHTS = np.arange(10, 1, -1)
PSEUDONYM_LENGTH = 20  # hex characters: 80 bits, collisions negligible at a million people


def nhs_digits(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Return (is_nhs_shaped, digits-only string) for a Series of stripped identifiers."""
    shaped = values.str.match(NHS_PATTERN, na=False)
    digits = values.where(shaped, "").str.replace(r"[ -]", "", regex=True)
    return shaped, digits


def nhs_valid(digits: pd.Series) -> pd.Series:
    """Modulus 11 check on 10-digit strings (vectorised): weights 10..2, 11 -> 0, 10 -> never valid.

    >>> nhs_valid(pd.Series(["9990000018", "9990000017"])).tolist()
    [True, False]
    """
    if len(digits) == 0:
        return pd.Series([], dtype=bool, index=digits.index)
    arr = np.frombuffer("".join(digits).encode("ascii"), dtype=np.uint8).reshape(-1, 10) - ord("0")
    remainder = (arr[:, :9] * _WEIGHTS).sum(axis=1) % 11
    check = 11 - remainder
    check = np.where(check == 11, 0, check)
    return pd.Series((check != 10) & (check == arr[:, 9]), index=digits.index)


def mask_identifier(value: str) -> str:
    """Show only the last three characters, never the whole identifier: '943 476 5919' -> '*** *** *919'."""
    text = str(value)
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) == 10:
        return "*** *** *" + digits[-3:]
    return "*" * max(len(text) - 3, 3) + text[-3:] if len(text) > 3 else "***"


def pseudonym(identifier: str, key: bytes) -> str:
    """The keyed pseudonym of one normalised identifier ('nhs:9990000018' or 'local:P0001')."""
    return hmac.new(key, identifier.encode("utf-8"), hashlib.sha256).hexdigest()[:PSEUDONYM_LENGTH]


def pseudonymise(ids: pd.Series, key: bytes | None) -> tuple[pd.Series, np.ndarray]:
    """Replace stripped identifiers by pseudonyms (keyed) or sequence codes (no key).

    Returns (pseudonyms, integer codes). Only unique values are keyed, so a million rows cost one HMAC per person.
    NHS numbers are normalised to their digits first, so '999 000 0018' and '9990000018' are the same person.
    """
    shaped, digits = nhs_digits(ids)
    normalised = ("local:" + ids).where(~shaped, "nhs:" + digits)
    codes, uniques = pd.factorize(normalised, sort=False)
    if key is None:
        labels = np.array([f"p{i + 1:06d}" for i in range(len(uniques))], dtype=object)
    else:
        labels = np.array([pseudonym(u, key) for u in uniques], dtype=object)
    return pd.Series(labels[codes] if len(codes) else [], index=ids.index, dtype=object), codes
