"""Writing outputs safely: atomically (temporary file, then rename) and never into or over an input."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .errors import McnMapError

__all__ = ["write_atomic", "json_bytes", "refuse_input_overwrite", "safe_text", "workbook_bytes", "output_timestamp"]


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
        # mkstemp makes 0600 files; give the output the permissions any new file would get.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise
    return path


# Text a spreadsheet would run as a formula (CSV/formula injection): neutralised with a leading apostrophe.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    """Make a value safe for a spreadsheet cell: text starting =, +, -, @, tab or CR is prefixed with '.

    Numbers (including negative ones) pass through untouched; only text is neutralised.

    >>> safe_text("=HYPERLINK(1)"), safe_text(-3), safe_text("MARAC")
    ("'=HYPERLINK(1)", -3, 'MARAC')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def output_timestamp():
    """The timestamp stamped into outputs: SOURCE_DATE_EPOCH when set (reproducible builds), else a fixed epoch."""
    import datetime as dt

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch and epoch.strip().isdigit() else 315532800  # 1980-01-01, the zip format's first day
    return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc).replace(tzinfo=None)


def workbook_bytes(book) -> bytes:
    """Save an openpyxl workbook to bytes that are identical for identical content.

    openpyxl stamps the current time into docProps and every zip entry; both are replaced by :func:`output_timestamp`.
    """
    import io
    import zipfile

    stamp = output_timestamp()
    book.properties.created = stamp
    book.properties.modified = stamp
    book.properties.creator = "mcn-map"
    first = io.BytesIO()
    book.save(first)
    first.seek(0)
    result = io.BytesIO()
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    with zipfile.ZipFile(first) as source, zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl writes 'modified' as now regardless of the property; pin it.
                import re

                data = re.sub(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>",
                              lambda m: b"<dcterms:modified" + m.group(1) + b">"
                              + stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + b"</dcterms:modified>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, data)
    return result.getvalue()
