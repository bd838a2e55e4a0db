"""Shared helpers for the privacy tests: synthetic NHS numbers, a landscape full of identifiers, an output scanner.

Only synthetic NHS numbers from the test range 999 000 0000 - 999 999 9999 are ever used.
"""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

from workbooks import sheets

HOSTILE_FORUM = '=HYPERLINK("http://example.invalid/x","click")'


def reference_check_digit(first_nine: str) -> int | None:
    """Modulus 11 written straight from the specification, independently of the package."""
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, [10, 9, 8, 7, 6, 5, 4, 3, 2]))
    check = 11 - total % 11
    return {11: 0, 10: None}.get(check, check)


def synthetic_nhs(count: int, start: int = 1) -> list[str]:
    """``count`` valid NHS numbers from the test range, in order."""
    numbers, serial = [], start
    while len(numbers) < count:
        first_nine = f"999{serial:06d}"
        check = reference_check_digit(first_nine)
        if check is not None:
            numbers.append(first_nine + str(check))
        serial += 1
    return numbers


def spaced(number: str, sep: str = " ") -> str:
    return f"{number[:3]}{sep}{number[3:6]}{sep}{number[6:]}"


# Forty people: enough for rounded counts (>= 8) in one forum and suppressed ones (< 8) in others.
NHS_NUMBERS = synthetic_nhs(40, start=1234)
LOCAL_IDS = ["MOSAIC-4471203", "CASE/77120-B", "LCR0099817"]
NAMES = ["Zebedee Quaxworth", "Ottoline Fenwhistle", "Barnaby Crumplehorn"]


def identifier_landscape() -> dict[str, list[list]]:
    """The little borough with a hostile forum name and cohorts holding NHS numbers (3-3-4 and plain) and local ids."""
    data = sheets()
    data["forums"].append([HOSTILE_FORUM, HOSTILE_FORUM, "operational", "=cmd|' /C calc'!A0", "police", "monthly",
                           "active", "", "2026-10-01", "none", "@SUM(1+1)"])
    data["members"].append([HOSTILE_FORUM, "police", "chair", "practitioner", "+Coordinator", 10, 9])
    data["members"].append([HOSTILE_FORUM, "mh-trust", "member", "practitioner", "-MH worker", 10, 2])
    cohorts = [data["cohorts"][0]]
    for i, number in enumerate(NHS_NUMBERS):
        shown = number if i % 3 == 0 else spaced(number, " " if i % 3 == 1 else "-")
        cohorts.append(["marac", shown, f"2026-09-{1 + i % 28:02d}", "police"])
        if i % 4 == 0:  # ten people also discussed at the hostile forum: duplication across forums
            cohorts.append([HOSTILE_FORUM, number, "2026-09-20", "mh-trust"])
        if i < 3:  # three at the merged forum: a suppressed count
            cohorts.append(["mset", spaced(number), "2025-02-01", "police"])
    for local in LOCAL_IDS:
        cohorts.append(["marac", local, "2026-09-05", "police"])
        cohorts.append(["mset", local, "2025-02-02", "police"])
    # A chair's list often carries names too: they must be dropped, never reach an output.
    cohorts[0] = cohorts[0] + ["Name"]
    for i, row in enumerate(cohorts[1:]):
        row.append(NAMES[i % len(NAMES)])
    data["cohorts"] = cohorts
    return copy.deepcopy(data)


def write_text_xlsx(path: Path, data: dict[str, list[list]]) -> Path:
    """Like workbooks.write_xlsx, but text starting '=' is stored as text (as Excel does for a typed-in "'=..."),
    not as a formula, so hostile names reach the loader as they would from a real workbook."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in data.items():
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"
    book.save(path)
    return path


def forbidden_strings() -> list[str]:
    """Every identifier in :func:`identifier_landscape`, whole and in each 3-3-4 form."""
    found = []
    for number in NHS_NUMBERS:
        found += [number, spaced(number), spaced(number, "-")]
    return found + LOCAL_IDS + NAMES


def output_texts(folder: Path):
    """(name, text) for every file under ``folder``; zip files (xlsx) yield each member's XML."""
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    yield f"{path.name}:{member}", archive.read(member).decode("utf-8", "replace")
        else:
            yield path.name, data.decode("utf-8", "replace")


def leaks(folder: Path, forbidden) -> list[tuple[str, str]]:
    return [(name, value) for name, text in output_texts(folder) for value in forbidden if value in text]
