"""Writing outputs safely: atomically (temporary file, then rename) and never into or over an input."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .errors import McnMapError

__all__ = ["write_atomic", "json_bytes", "refuse_input_overwrite"]


def json_bytes(data) -> bytes:
    """Stable JSON: sorted keys, two-space indent, UTF-8, trailing newline, so equal data gives equal bytes."""
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n").encode("utf-8")


def refuse_input_overwrite(target: Path, inputs: list[Path]) -> None:
    target = Path(target).resolve()
    for source in inputs:
        source = Path(source).resolve()
        if target == source or (source.is_dir() and source in target.parents):
            raise McnMapError(f"refusing to write {target} over or inside the input {source}; choose another output.")


def write_atomic(path: str | Path, data: bytes | str, *, inputs: list[Path] = ()) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same folder, so a reader never sees half a file."""
    path = Path(path)
    refuse_input_overwrite(path, list(inputs))
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise
    return path
