"""Small hand-made workbooks for tests: a valid little borough, and ways to break it."""

from __future__ import annotations

import copy
from pathlib import Path

from openpyxl import Workbook

HEADERS = {
    "forums": ["forum_id", "name", "level", "themes", "chair_agency", "frequency", "status", "merged_into", "last_met",
               "person_voice", "area"],
    "agencies": ["agency_id", "name", "sector", "parent"],
    "members": ["forum_id", "agency_id", "role", "seniority", "post", "meetings_held", "meetings_attended"],
    "cohorts": ["forum_id", "person_id", "discussed_on", "lead_agency"],
    "links": ["from_forum", "to_forum", "type", "via_post"],
}

ROWS = {
    "forums": [
        ["board", "Health and Care System Board", "strategic", "system", "council", "bi-monthly", "active", "",
         "2026-10-01", "representative", "Northtown"],
        ["marac", "MARAC", "operational", "domestic abuse|safeguarding", "police", "monthly", "active", "",
         "2026-10-14", "representative", "Northtown"],
        ["mset", "Adult MSET", "operational", "exploitation", "police", "monthly", "merged", "marac", "2025-03-01",
         "none", "Northtown"],
    ],
    "agencies": [
        ["council", "Northtown Council", "local_authority", ""],
        ["police", "Northshire Police", "police", ""],
        ["mh-trust", "Northtown Mental Health Trust", "mental_health", ""],
        ["asc", "Adult Social Care", "ASC", "council"],
    ],
    "members": [
        ["board", "council", "chair", "executive", "Chief executive", 6, 6],
        ["board", "mh-trust", "member", "strategic lead", "Director of operations", 6, 5],
        ["marac", "police", "chair", "service manager", "DA lead", 12, 12],
        ["marac", "mh-trust", "member", "practitioner", "MH liaison", 12, 9],
        ["marac", "asc", "member", "practitioner", "Social worker", 12, 3],
        ["mset", "police", "chair", "service manager", "Exploitation lead", 4, 4],
    ],
    "cohorts": [
        ["marac", "P0001", "2026-09-03", "police"],
        ["marac", "P0002", "2026-09-03", "mh-trust"],
        ["mset", "P0001", "2025-02-01", "police"],
    ],
    "links": [
        ["marac", "board", "escalates_to", "DA lead"],
        ["board", "marac", "feeds_back_to", ""],
    ],
}


def sheets(**changes) -> dict[str, list[list]]:
    """The little borough as {sheet: [header, *rows]}; keyword arguments replace whole sheets' rows."""
    data = {name: [list(HEADERS[name])] + copy.deepcopy(ROWS[name]) for name in HEADERS}
    for name, rows in changes.items():
        data[name] = rows
    return data


def write_xlsx(path: Path, data: dict[str, list[list]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in data.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def write_csv_folder(folder: Path, data: dict[str, list[list]]) -> Path:
    import csv

    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in data.items():
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as stream:
            csv.writer(stream).writerows(rows)
    return folder
