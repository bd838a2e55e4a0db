"""Secret keys for pseudonyms: made by `mcn-map keygen`, read from --key-file or the MCN_MAP_KEY environment variable."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from ..errors import McnMapError

__all__ = ["KEY_ENV", "make_key", "read_key", "resolve_key"]

KEY_ENV = "MCN_MAP_KEY"
MIN_KEY_BYTES = 16


def make_key() -> str:
    """A new random key as 64 hex characters (256 bits)."""
    return secrets.token_hex(32)


def _parse(text: str, where: str) -> bytes:
    text = text.strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise McnMapError(f"the key in {where} is not a hexadecimal key; make one with `mcn-map keygen KEYFILE`.") from None
    if len(key) < MIN_KEY_BYTES:
        raise McnMapError(f"the key in {where} is too short ({len(key)} bytes; at least {MIN_KEY_BYTES} needed); "
                          "make one with `mcn-map keygen KEYFILE`.")
    return key


def read_key(path: str | Path) -> bytes:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise McnMapError(f"cannot read the key file {path}: {exc.strerror or exc}.") from None
    return _parse(text, str(path))


def resolve_key(key_file: str | Path | None) -> bytes | None:
    """The key from --key-file if given, else from MCN_MAP_KEY, else None."""
    if key_file:
        return read_key(key_file)
    value = os.environ.get(KEY_ENV)
    return _parse(value, f"the {KEY_ENV} environment variable") if value else None
