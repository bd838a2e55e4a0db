"""Workbooks whose zip entries or sheets say one size and hold another (issue 20, point 7).

A zip entry declares its size; the limits can only be checked against what is declared, so a part that holds more
than it declares is a zip bomb the limits cannot see (a 1.5 MB workbook peaked at 2.1 GB). A sheet's <dimension>
declares its range; other tools write it wrong in both directions, and a valid sheet must be read whatever it says.
Each case runs the real command in its own process, with its peak memory measured (tests/hostile.py).
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

import mcn_map
from hostile import run_cli
from mcn_map.loading.unpacking import parts_as_declared

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inputs" / "example_landscape.xlsx"
BOMB_BYTES = 1_200_000_000  # spaces hidden after a part's true bytes: 1.2 GB unpacked from about 1.2 MB


def _copy(target: Path, change, stored: str = "") -> Path:
    """The example, part by part, with ``change(name, data)`` applied to each part's bytes (``stored``: a part
    written as it is, not compressed)."""
    with zipfile.ZipFile(EXAMPLE) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            method = zipfile.ZIP_STORED if info.filename == stored else zipfile.ZIP_DEFLATED
            copy.writestr(info.filename, change(info.filename, source.read(info)), compress_type=method)
    return target


def _entry_offsets(raw: bytes, name: bytes) -> tuple[int, int]:
    """(local header, central directory entry) offsets of the part called ``name``."""
    central = raw.find(b"PK\x01\x02")
    while central != -1:
        length = struct.unpack_from("<H", raw, central + 28)[0]
        if raw[central + 46:central + 46 + length] == name:
            return struct.unpack_from("<I", raw, central + 42)[0], central
        central = raw.find(b"PK\x01\x02", central + 4)
    raise KeyError(name)


def _lying(target: Path, part: str, extra: int = BOMB_BYTES) -> Path:
    """The example with ``part`` followed, inside its deflate stream, by ``extra`` spaces, while its entries still
    declare the true part's size and check sum (so zipfile, stopping at the declared size, sees nothing wrong)."""
    with zipfile.ZipFile(EXAMPLE) as source:
        true = source.read(part)
    inflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    stream, block = [inflate.compress(true)], b" " * (1 << 24)
    for start in range(0, extra, len(block)):
        stream.append(inflate.compress(block[:min(len(block), extra - start)]))
    stream = b"".join(stream) + inflate.flush()
    marker = b"\xff" * 16
    _copy(target, lambda name, data: marker + b"\x00" * (len(stream) - 16) if name == part else data, stored=part)
    raw = bytearray(target.read_bytes())
    local, central = _entry_offsets(bytes(raw), part.encode())
    start = raw.index(marker, local)
    raw[start:start + len(stream)] = stream
    for at, fields in ((local + 8, local + 14), (central + 10, central + 16)):
        struct.pack_into("<H", raw, at, zipfile.ZIP_DEFLATED)
        struct.pack_into("<III", raw, fields, zlib.crc32(true), len(stream), len(true))
    target.write_bytes(bytes(raw))
    return target


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                                  "xl/worksheets/sheet3.xml"])
def test_a_part_holding_more_than_it_declares_is_refused_without_unpacking_it(tmp_path, part):
    bomb = _lying(tmp_path / "area.xlsx", part)
    assert bomb.stat().st_size < 3_000_000
    with zipfile.ZipFile(bomb) as archive, archive.open(part) as stream:
        # zipfile stops at the declared size, where the true part ends (read in small steps: read() whole, zipfile
        # itself inflates up to 2 GB before it cuts the part to size)
        assert stream.read(100_000) == zipfile.ZipFile(EXAMPLE).read(part)
    outcome = run_cli("build", bomb, "-o", tmp_path / "out")
    outcome.assert_handled()
    assert outcome.exit_code == 1 and "area.xlsx" in outcome.output
    assert outcome.peak_bytes < 400 * 1024**2, outcome.peak_bytes  # was 2.1 GB for the workbook's index
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_index_bomb_is_named_as_a_possible_zip_bomb_and_the_form_reader_refuses_it_too(tmp_path):
    bomb = _lying(tmp_path / "area.xlsx", "xl/workbook.xml", extra=5_000_000)
    landscape, problems = mcn_map.check(bomb)
    assert landscape is None and "zip bomb" in problems[0].message and "more, or less" in problems[0].message
    with zipfile.ZipFile(bomb) as archive:
        assert not parts_as_declared(archive)
    with zipfile.ZipFile(EXAMPLE) as archive:
        assert parts_as_declared(archive)
    from mcn_map.forms.read import read_form

    form = read_form(bomb)
    assert not form.usable and any("zip bomb" in p.message for p in form.problems)


def test_a_part_holding_less_than_it_declares_is_refused(tmp_path):
    path = _copy(tmp_path / "area.xlsx", lambda name, data: data)
    raw = bytearray(path.read_bytes())
    for at in _entry_offsets(bytes(raw), b"xl/workbook.xml"):
        offset = 22 if raw[at:at + 4] == b"PK\x03\x04" else 24
        struct.pack_into("<I", raw, at + offset, struct.unpack_from("<I", raw, at + offset)[0] + 1000)
    path.write_bytes(bytes(raw))
    landscape, problems = mcn_map.check(path)
    assert landscape is None and "zip bomb" in problems[0].message


def _declaring(ref: str):
    def change(name: str, data: bytes) -> bytes:
        if not name.startswith("xl/worksheets/"):
            return data
        if b"<dimension" in data:
            return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="%s"' % ref.encode(), data)
        return data.replace(b"<sheetData", b'<dimension ref="%s"/><sheetData' % ref.encode(), 1)
    return change


@pytest.mark.parametrize("ref", ["A1", "A1:B2", "A1:XFD1048576", "C3:D4"])
def test_a_sheet_is_read_whatever_its_dimension_declares(tmp_path, ref):
    """Files written by other tools under- or over-state the range; the guard counts the cells that are there."""
    path = _copy(tmp_path / "area.xlsx", _declaring(ref))
    landscape, problems = mcn_map.check(path)
    assert landscape is not None, [str(p) for p in problems if p.is_error]
    example = mcn_map.load(EXAMPLE)
    for table in ("forums", "agencies", "seats", "cohorts", "links"):
        assert getattr(landscape, table).equals(getattr(example, table)), table


def test_an_overstated_dimension_costs_no_memory(tmp_path):
    outcome = run_cli("validate", _copy(tmp_path / "area.xlsx", _declaring("A1:XFD1048576")))
    outcome.assert_handled()
    assert outcome.exit_code == 0 and outcome.peak_bytes < 300 * 1024**2, outcome.peak_bytes


def test_a_far_cell_is_still_refused_whatever_the_dimension_says(tmp_path):
    def far(name: str, data: bytes) -> bytes:
        data = _declaring("A1:M22")(name, data)
        if name == "xl/worksheets/sheet1.xml":
            data = data.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t>'
                                                 b'</is></c></row></sheetData>')
        return data
    landscape, problems = mcn_map.check(_copy(tmp_path / "area.xlsx", far))
    assert landscape is None and "cells" in problems[0].message and problems[0].sheet == "forums"
