"""Secret keys for pseudonyms: made by `mcn-map keygen`, read from --key-file or the MCN_MAP_KEY environment variable."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from ..errors import McnMapError

__all__ = ["KEY_ENV", "make_key", "write_key", "read_key", "resolve_key"]

KEY_ENV = "MCN_MAP_KEY"
MIN_KEY_BYTES = 16


def make_key() -> str:
    """A new random key as 64 hex characters (256 bits)."""
    return secrets.token_hex(32)


def write_key(path: str | Path) -> Path:
    """Write a new key to ``path``, readable by its owner only (mode 0600); never overwrites an existing file."""
    path = Path(path)
    if path.exists():
        raise McnMapError(f"{path} already exists; a key is never overwritten (lists snapped with it would no longer "
                          "link). Choose another file name, or delete the old key deliberately.")
    if path.parent != Path("") and not path.parent.is_dir():
        raise McnMapError(f"the folder {path.parent} does not exist; create it first.")
    try:
        # O_EXCL: fail rather than overwrite if the file appears meanwhile; 0600 from the start, never world-readable.
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise McnMapError(f"{path} already exists; a key is never overwritten.") from None
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(make_key() + "\n")
    os.chmod(path, 0o600)  # in case a umask or file system widened it
    return path


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


MAX_KEY_FILE_BYTES = 4096  # a key is 65 bytes; anything much larger is the wrong file (or /dev/zero)


def read_key(path: str | Path) -> bytes:
    path = Path(path)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise McnMapError(f"the key file {path} is not a regular file; give the file `mcn-map keygen` made.")
        if info.st_size > MAX_KEY_FILE_BYTES:
            raise McnMapError(f"the key file {path} is {info.st_size:,} bytes, far larger than a key; give the file "
                              "`mcn-map keygen` made.")
        with open(path, encoding="utf-8") as stream:
            text = stream.read(MAX_KEY_FILE_BYTES + 1)
    except OSError as exc:
        raise McnMapError(f"cannot read the key file {path}: {exc.strerror or exc}.") from None
    except UnicodeDecodeError:
        raise McnMapError(f"the key file {path} is not a text key; make one with `mcn-map keygen KEYFILE`.") from None
    return _parse(text, str(path))


def resolve_key(key_file: str | Path | None) -> bytes | None:
    """The key from --key-file if given, else from MCN_MAP_KEY, else None."""
    if key_file:
        return read_key(key_file)
    value = os.environ.get(KEY_ENV)
    return _parse(value, f"the {KEY_ENV} environment variable") if value else None
