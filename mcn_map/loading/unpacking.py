"""An .xlsx is a zip archive: checked before any parser opens it.

It must be a zip, unpack within :data:`MAX_UNCOMPRESSED_BYTES` (and, above 50 MB, within
:data:`MAX_COMPRESSION_RATIO` to 1), and every part a parser reads whole must unpack to exactly the size its entry
declares. The limits can only be checked against declared sizes, so a part that lies about its size is how a small
file asks for gigabytes: python-calamine reads the workbook's index and relationships to their end, whatever they
declare (a 1.5 MB file peaked at 2.1 GB). Those parts are inflated here, never past their declared size plus one
byte. Worksheets are not: the scan streams them (zipfile stops at the declared size) and python-calamine refuses a
worksheet that runs past it, so the largest parts are inflated no more often than before.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

from ..errors import InputError, Problem

__all__ = ["MAX_UNCOMPRESSED_BYTES", "MAX_COMPRESSION_RATIO", "check_workbook", "parts_as_declared"]

MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200

_CHUNK = 1 << 20
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, then the lengths of the name and the extra field
_BAD_ZIP = (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError)  # NotImplemented: zip version


def check_workbook(path: Path, display: str) -> None:
    """Refuse ``path`` unless it is a zip within the limits whose parts unpack as declared. Raises InputError."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            unpacked = sum(i.file_size for i in infos)
            packed = max(sum(i.compress_size for i in infos), 1)
            too_big = unpacked > MAX_UNCOMPRESSED_BYTES or (
                unpacked > 50 * 1024 * 1024 and unpacked / packed > MAX_COMPRESSION_RATIO)
            honest = too_big or parts_as_declared(archive)  # a workbook over the limits is not inflated at all
    except _BAD_ZIP:
        raise InputError([Problem(
            "error", "is not an Excel workbook (.xlsx files are zip archives; this one is not).",
            "Open it in Excel and save it as 'Excel Workbook (.xlsx)', or give a folder of .csv files.", file=display,
        )]) from None
    if too_big:
        raise InputError([Problem(
            "error",
            f"unpacks to {unpacked / 1024**2:,.0f} MB, over the limit of {MAX_UNCOMPRESSED_BYTES / 1024**2:,.0f} MB "
            f"(or {MAX_COMPRESSION_RATIO}x compression); it was not opened, in case it is a zip bomb.",
            "Split the workbook, or save the cohorts sheet as .csv files in a folder.", file=display,
        )])
    if not honest:
        raise InputError([Problem(
            "error", "has a part that unpacks to more, or less, than the archive says it holds; it was not opened, "
            "in case it is a zip bomb.", "Open it in Excel and save it again as an .xlsx workbook; if it came from "
            "outside your organisation, ask for it to be sent again.", file=display,
        )])


def parts_as_declared(archive: zipfile.ZipFile) -> bool:
    """Whether every part but the worksheets unpacks to the size its entry declares (inflating none past it)."""
    with open(archive.filename, "rb") as handle:  # type: ignore[arg-type]
        return all(_inflated_size(handle, info) == info.file_size for info in archive.infolist()
                   if not info.filename.startswith("xl/worksheets/") and not info.is_dir())


def _inflated_size(handle, info: zipfile.ZipInfo) -> int:
    """The bytes the part unpacks to, counted no further than its declared size plus one; -1 when it cannot be
    unpacked (a damaged stream, an unknown method, an encrypted part)."""
    handle.seek(info.header_offset)
    signature, name_length, extra_length = _LOCAL_HEADER.unpack(handle.read(_LOCAL_HEADER.size))
    if signature != b"PK\x03\x04" or info.flag_bits & 0x1:
        return -1
    handle.seek(info.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
    if info.compress_type == zipfile.ZIP_STORED:
        return info.compress_size
    if info.compress_type != zipfile.ZIP_DEFLATED:
        return -1
    cap, total, left = info.file_size + 1, 0, info.compress_size
    inflate = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        while left > 0 and not inflate.eof and total < cap:
            data = handle.read(min(_CHUNK, left))
            if not data:
                return -1
            left -= len(data)
            while data and total < cap:  # max_length bounds each step: a bomb's output is never held whole
                total += len(inflate.decompress(data, min(_CHUNK, cap - total)))
                data = inflate.unconsumed_tail
    except zlib.error:
        return -1
    return total
