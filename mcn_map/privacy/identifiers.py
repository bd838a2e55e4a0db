"""Person identifiers: NHS number checks and keyed pseudonyms, applied as the cohort sheet is read.

A plain or salted hash of an NHS number is not a pseudonym (there are under 10^9 candidates), so identifiers are
replaced by HMAC-SHA256 under a secret key. Raw values never reach the model.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

import numpy as np
import pandas as pd

from .scrub import mask_identifier, scrub_exception, scrub_identifiers

__all__ = [
    "NHS_PATTERN",
    "SNAP_PREFIX",
    "SNAP_PATTERN",
    "ascii_digits",
    "nhs_digits",
    "nhs_valid",
    "nhs_check_digit",
    "mask_identifier",
    "scrub_identifiers",
    "scrub_exception",
    "pseudonym",
    "pseudonymise",
    "snapped",
    "key_fingerprint",
]

# 10 digits, optionally grouped 3-3-4 with spaces or dashes.
NHS_PATTERN = r"^\d{3}[ -]?\d{3}[ -]?\d{4}$"
_WEIGHTS = np.arange(10, 1, -1)
PSEUDONYM_LENGTH = 20  # hex characters: 80 bits, collisions negligible at a million people
# A pseudonym made by `mcn-map snap` is already keyed: the loader recognises the prefix and keeps the keyed part as
# it is, so lists snapped in different meetings (and raw ids keyed at load with the same key) link up.
SNAP_PREFIX = "snap-"
SNAP_PATTERN = rf"^{SNAP_PREFIX}[0-9a-f]{{{PSEUDONYM_LENGTH}}}$"
FINGERPRINT_LENGTH = 16


def _to_ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.decimal(ch)) if not ch.isascii() and unicodedata.decimal(ch, None) is not None
                   else ch for ch in text)


def ascii_digits(values: pd.Series) -> pd.Series:
    """Identifiers with any Unicode decimal digits written as ASCII ones, so an NHS number typed in full-width or
    Arabic-Indic digits is checked and keyed as the same number.

    >>> ascii_digits(pd.Series(["\uff19\uff19\uff19 000 0018", "P0001"])).tolist()
    ['999 000 0018', 'P0001']
    """
    values = values.astype(object)
    if not len(values) or _joined(values).isascii() or values.map(lambda v: isinstance(v, str) and v.isascii()).all():
        return values
    return values.map(lambda v: _to_ascii_digits(v) if isinstance(v, str) and not v.isascii() else v)


def _joined(values: pd.Series) -> str:
    """The texts one per line; "" when some value is not text (the caller then takes the long way)."""
    try:
        return "\n".join(values.tolist())
    except TypeError:
        return ""


def _matching(values: pd.Series, pattern: str) -> pd.Series:
    """``values.str.match(pattern, na=False)`` for a ``^...$`` pattern that no line break can match, in one search
    of the texts joined line by line (a million ids, each matched in turn, took most of a second)."""
    text = _joined(values)
    if not text or text.count("\n") != len(values) - 1:  # a value that is not text, or holds a line break
        return values.str.match(pattern, na=False).astype(bool)
    pattern = _LINE_PATTERNS.get(pattern) or _LINE_PATTERNS.setdefault(pattern, re.compile(pattern, re.MULTILINE))
    starts = np.zeros(len(values), dtype=np.int64)
    starts[1:] = np.cumsum(np.fromiter(map(len, values), dtype=np.int64, count=len(values)) + 1)[:-1]
    found = np.fromiter((m.start() for m in pattern.finditer(text)), dtype=np.int64)
    result = np.zeros(len(values), dtype=bool)
    result[np.searchsorted(starts, found)] = True
    return pd.Series(result, index=values.index)


_LINE_PATTERNS: dict[str, re.Pattern] = {}


def nhs_digits(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Return (is_nhs_shaped, digits-only ASCII string) for a Series of stripped identifiers."""
    values = ascii_digits(values)
    shaped = _matching(values, NHS_PATTERN)
    digits = pd.Series("", index=values.index, dtype=object)
    if shaped.any():
        digits[shaped] = values[shaped].str.replace(r"[ -]", "", regex=True)
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


def nhs_check_digit(first_nine: str) -> int | None:
    """The Modulus 11 check digit for nine digits, or None when no valid number starts with them.

    >>> nhs_check_digit("999000001")
    8
    """
    remainder = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1))) % 11
    check = 11 - remainder
    if check == 11:
        return 0
    return None if check == 10 else check


def key_fingerprint(key: bytes) -> str:
    """A keyed value that says which key made a snapped list without revealing the key (compare, never invert)."""
    return hmac.new(key, b"mcn-map key fingerprint", hashlib.sha256).hexdigest()[:FINGERPRINT_LENGTH]


def snapped(ids: pd.Series) -> pd.Series:
    """True where an identifier is a pseudonym made by `mcn-map snap` (already keyed)."""
    return _matching(ids, SNAP_PATTERN)


def pseudonym(identifier: str, key: bytes) -> str:
    """The keyed pseudonym of one normalised identifier ('nhs:9990000018' or 'local:P0001')."""
    return hmac.new(key, identifier.encode("utf-8"), hashlib.sha256).hexdigest()[:PSEUDONYM_LENGTH]


def pseudonymise(ids: pd.Series, key: bytes | None, *, nhs: tuple[pd.Series, pd.Series] | None = None,
                 keyed: pd.Series | None = None) -> tuple[pd.Series, np.ndarray]:
    """Replace stripped identifiers by pseudonyms (keyed) or sequence codes (no key).

    Returns (pseudonyms, integer codes). Only unique values are keyed, so a million rows cost one HMAC per person.
    NHS numbers are normalised to their digits first, so '999 000 0018' and '9990000018' are the same person.
    Snapped pseudonyms ('snap-' + keyed part) pass through as their keyed part, so they link with each other and
    with raw identifiers keyed here under the same key. ``nhs`` and ``keyed``: what ``nhs_digits(ids)`` and
    ``snapped(ids)`` give, if already known.
    """
    shaped, digits = nhs if nhs is not None else nhs_digits(ids)
    already = snapped(ids) if keyed is None else keyed
    any_snapped = bool(already.any())
    normalised = ("local:" + ids).where(~shaped, "nhs:" + digits)
    if any_snapped:
        normalised = normalised.where(~already, "keyed:" + ids.str.slice(len(SNAP_PREFIX)))
    codes, uniques = pd.factorize(normalised, sort=False)
    if not any_snapped:  # a code per person in order of appearance, or a keyed pseudonym: no loop to tell them apart
        labels = ([f"p{n:06d}" for n in range(1, len(uniques) + 1)] if key is None
                  else [pseudonym(u, key) for u in uniques])
    else:
        labels, n = [], 0
        for u in uniques:
            if u.startswith("keyed:"):
                labels.append(u[len("keyed:"):])
            elif key is None:
                n += 1
                labels.append(f"p{n:06d}")
            else:
                labels.append(pseudonym(u, key))
    labels = np.array(labels, dtype=object)
    if any_snapped and key is not None:
        # A raw id keyed here can equal a snapped one: one person, one code.
        codes, labels = pd.factorize(labels[codes], sort=False)
        labels = np.asarray(labels, dtype=object)
    return pd.Series(labels[codes] if len(codes) else [], index=ids.index, dtype=object), codes
