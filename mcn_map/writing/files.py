"""Writing outputs safely: atomically (temporary file, then rename), never into or over an input or the key, never
over anything but a regular file, and by one overwrite policy for every command.

The policy: a file mcn-map wrote earlier in the same folder (recorded in that folder's ``.mcn-map-written``) is
replaced; any other existing file is refused unless ``force`` is given (``--force`` on the command line). A build
then removes the outputs an earlier build wrote there and this one did not (marked ``build`` in the record), and
nothing else: a file another command wrote (``mcn-map map -o map-forums.html``) is never a build's to remove.
Every check runs before any work, so a refusal costs nothing and leaves nothing half-written.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path

from ..privacy.scrub import without_control_characters
from ..errors import McnMapError
from .jsontext import indented_json

__all__ = ["write_atomic", "replace_atomically", "write_private", "json_bytes", "refuse_input_overwrite",
           "check_target", "remove_stale", "written_here",
           "safe_text", "workbook_bytes", "output_timestamp", "MANIFEST"]

# Names of the files mcn-map wrote in a folder, one a line; the latest build's outputs are followed by a tab and
# BUILT: the only files a later build may remove.
MANIFEST = ".mcn-map-written"
BUILT = "build"


def json_bytes(data) -> bytes:
    """Stable JSON: sorted keys, two-space indent, UTF-8, trailing newline, so equal data gives equal bytes (the text
    of ``json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str)``, written faster)."""
    return (indented_json(data) + "\n").encode("utf-8")


def refuse_input_overwrite(target: Path, inputs: list[Path]) -> None:
    """Refuse ``target`` when it is, or is inside, one of ``inputs`` (the input workbook or folder, the key file)."""
    target = Path(target).resolve()
    for source in inputs:
        source = Path(source).resolve()
        same = target == source or (target.exists() and source.exists() and os.path.samefile(target, source))
        if same or (source.is_dir() and source in target.parents):
            raise McnMapError(f"refusing to write {target} over or inside the input {source}; choose another output.")


def written_here(folder: str | Path) -> set[str]:
    """The names of the files mcn-map recorded writing in ``folder``."""
    return set(_entries(folder))


def _entries(folder: str | Path) -> dict[str, str]:
    """The record: each name mcn-map wrote in ``folder``, with BUILT for the latest build's outputs, else ''."""
    try:
        text = (Path(folder) / MANIFEST).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    entries = {}
    for line in text.splitlines():
        name, _, tag = line.partition("\t")
        if name and "/" not in name and "\\" not in name:
            entries[name] = tag
    return entries


def _record(folder: Path, entries: dict[str, str]) -> None:
    data = "".join(f"{name}\t{entries[name]}\n" if entries[name] else f"{name}\n" for name in sorted(entries))
    _replace(folder / MANIFEST, data.encode("utf-8"))


def check_target(path: str | Path, *, inputs: list[Path] = (), force: bool = False) -> None:
    """Refuse to write ``path`` over an input, the key, a non-regular file (a device, a pipe, a link, a folder) or,
    without ``force``, a file mcn-map did not write. Raises McnMapError; writes nothing."""
    path = Path(path)
    refuse_input_overwrite(path, list(inputs))
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise McnMapError(f"cannot write {path}: {exc.strerror or exc}.") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a link" if stat.S_ISLNK(info.st_mode) else \
            "a device, pipe or socket"
        raise McnMapError(f"refusing to write {path}: it is {kind}, not a regular file; choose another output.")
    if not force and path.name not in written_here(path.parent):
        raise McnMapError(f"{path} already exists and was not written by mcn-map; choose another output, or give "
                          "--force to replace it.")


def write_atomic(path: str | Path, data: bytes | str, *, inputs: list[Path] = (), force: bool = False) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same folder, so a reader never sees half a file.

    Follows the overwrite policy (see the module's docstring) and records the file as written by mcn-map."""
    path = Path(path)
    check_target(path, inputs=list(inputs), force=force)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    _replace(path, data)
    entries = _entries(path.parent)
    if path.name not in entries:
        _record(path.parent, entries | {path.name: ""})
    return path


def remove_stale(folder: str | Path, keep: list[Path]) -> list[Path]:
    """Delete the files an earlier build wrote in ``folder`` that this build (which wrote ``keep``) did not; return
    what was removed, for the caller to say. Files other commands wrote, and anyone else's, are left alone."""
    folder = Path(folder)
    kept = {Path(p).name for p in keep}
    entries = _entries(folder)
    removed = []
    for name in sorted(n for n, tag in entries.items() if tag == BUILT and n not in kept):
        stale = folder / name
        try:
            if stat.S_ISREG(os.lstat(stale).st_mode):
                stale.unlink()
                removed.append(stale)
        except FileNotFoundError:
            pass
    gone = {p.name for p in removed}
    _record(folder, {n: "" for n in entries if n not in gone} | {n: BUILT for n in kept})
    return removed


def replace_atomically(path: str | Path, data: bytes, *, mode: int | None = None) -> Path:
    """Put ``data`` at ``path`` through a temporary file in the same folder and a rename: a reader sees the old
    file or the new one, never half of one; a failure leaves the old file and no temporary one. ``mode`` (e.g.
    0o600 for a file of pseudonymised data) defaults to what any new file would get. No policy checks: see
    :func:`write_atomic`."""
    path = Path(path)
    _replace(path, data, mode)
    return path


def write_private(out: str | Path, data: bytes, *, inputs=(), force: bool = False) -> Path:
    """Write atomically, readable by the owner only (0600; on Windows the file gets its folder's permissions, so
    keep it in a folder only you can open), never over an input, the key or anything but a regular file, and never
    over an existing file unless ``force`` (stricter than other outputs: a snapped list or a collected landscape is
    personal data)."""
    out = Path(out)
    check_target(out, inputs=[Path(p) for p in inputs], force=True)
    if out.exists() and not force:
        raise McnMapError(f"{out} already exists; pass --force to replace it, or choose another file name.")
    out.parent.mkdir(parents=True, exist_ok=True)
    return replace_atomically(out, data, mode=0o600)


def _replace(path: Path, data: bytes, mode: int | None = None) -> None:
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # 0600 from the start
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        if mode is None:  # give the output the permissions any new file would get
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise


# Text a spreadsheet would run as a formula (CSV/formula injection): neutralised with a leading apostrophe.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    """Make a value safe for a spreadsheet cell: text starting =, +, -, @, tab or CR is prefixed with '.

    Numbers (including negative ones) pass through untouched; only text is neutralised. Control characters, which
    a workbook cannot hold, are removed.

    >>> safe_text("=HYPERLINK(1)"), safe_text(-3), safe_text("MARAC")
    ("'=HYPERLINK(1)", -3, 'MARAC')
    """
    if isinstance(value, str):
        value = without_control_characters(value)  # a workbook cannot hold them (openpyxl refuses the cell)
        if value.startswith(_FORMULA_STARTS):
            return "'" + value
    return value


def output_timestamp():
    """The timestamp stamped into outputs: SOURCE_DATE_EPOCH when set (reproducible builds), else a fixed epoch."""
    import datetime as dt

    epoch = (os.environ.get("SOURCE_DATE_EPOCH") or "").strip()
    if not epoch:
        seconds = _ZIP_FIRST
    elif not (epoch.isascii() and epoch.isdigit()) or not _ZIP_FIRST <= int(epoch) <= _ZIP_LAST:
        # A zip entry's date runs from 1980 to 2107: outside that no workbook can be stamped.
        raise McnMapError(f"SOURCE_DATE_EPOCH must be whole seconds from {_ZIP_FIRST} (1980) to {_ZIP_LAST} (2107), "
                          f"not {epoch[:30]!r}; unset it to use the fixed default.")
    else:
        seconds = int(epoch)
    return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc).replace(tzinfo=None)


_ZIP_FIRST, _ZIP_LAST = 315532800, 4354819199


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
