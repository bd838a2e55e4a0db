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
# Ten digits grouped 3-3-4, or any run of ten or more digits (a mistyped NHS number): what scrubbing masks.
_NHS_IN_TEXT = re.compile(r"(?<!\d)(?:\d{3}[ -]?\d{3}[ -]?\d{4}|\d{10,})(?!\d)")


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
    if not len(values) or values.map(lambda v: isinstance(v, str) and v.isascii()).all():
        return values
    return values.map(lambda v: _to_ascii_digits(v) if isinstance(v, str) and not v.isascii() else v)


def nhs_digits(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Return (is_nhs_shaped, digits-only ASCII string) for a Series of stripped identifiers."""
    values = ascii_digits(values)
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


def mask_identifier(value: str) -> str:
    """Show only the last three characters, never the whole identifier: '943 476 5919' -> '*** *** *919'."""
    text = str(value)
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) == 10:
        return "*** *** *" + digits[-3:]
    return "*" * max(len(text) - 3, 3) + text[-3:] if len(text) > 3 else "***"


def scrub_identifiers(text: str) -> str:
    """Mask every run of ten digits (plain or 3-3-4) in free text, so no message ever carries a whole NHS number.

    >>> scrub_identifiers("row 4: '999 000 0018' and 9990000018 fail")
    "row 4: '*** *** *018' and *** *** *018 fail"
    """
    if not isinstance(text, str) or not any(ch.isdigit() for ch in text):
        return text
    return _NHS_IN_TEXT.sub(lambda m: "*** *** *" + m.group(0)[-3:], text)


def scrub_exception(exc: BaseException | None) -> None:
    """Mask NHS numbers in an exception's message, and in every exception chained to it, before it is shown."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        try:
            exc.args = tuple(scrub_identifiers(a) if isinstance(a, str) else a for a in exc.args)
        except (AttributeError, TypeError):  # an exception type with read-only args
            pass
        for note_list in [getattr(exc, "__notes__", None)]:
            if isinstance(note_list, list):
                note_list[:] = [scrub_identifiers(n) for n in note_list]
        exc = exc.__cause__ or exc.__context__


def key_fingerprint(key: bytes) -> str:
    """A keyed value that says which key made a snapped list without revealing the key (compare, never invert)."""
    return hmac.new(key, b"mcn-map key fingerprint", hashlib.sha256).hexdigest()[:FINGERPRINT_LENGTH]


def snapped(ids: pd.Series) -> pd.Series:
    """True where an identifier is a pseudonym made by `mcn-map snap` (already keyed)."""
    return ids.str.match(SNAP_PATTERN, na=False)


def pseudonym(identifier: str, key: bytes) -> str:
    """The keyed pseudonym of one normalised identifier ('nhs:9990000018' or 'local:P0001')."""
    return hmac.new(key, identifier.encode("utf-8"), hashlib.sha256).hexdigest()[:PSEUDONYM_LENGTH]


def pseudonymise(ids: pd.Series, key: bytes | None) -> tuple[pd.Series, np.ndarray]:
    """Replace stripped identifiers by pseudonyms (keyed) or sequence codes (no key).

    Returns (pseudonyms, integer codes). Only unique values are keyed, so a million rows cost one HMAC per person.
    NHS numbers are normalised to their digits first, so '999 000 0018' and '9990000018' are the same person.
    Snapped pseudonyms ('snap-' + keyed part) pass through as their keyed part, so they link with each other and
    with raw identifiers keyed here under the same key.
    """
    shaped, digits = nhs_digits(ids)
    already = snapped(ids)
    normalised = ("local:" + ids).where(~shaped, "nhs:" + digits)
    normalised = normalised.where(~already, "keyed:" + ids.str.slice(len(SNAP_PREFIX)))
    codes, uniques = pd.factorize(normalised, sort=False)
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
    if already.any() and key is not None:
        # A raw id keyed here can equal a snapped one: one person, one code.
        codes, labels = pd.factorize(labels[codes], sort=False)
        labels = np.asarray(labels, dtype=object)
    return pd.Series(labels[codes] if len(codes) else [], index=ids.index, dtype=object), codes
