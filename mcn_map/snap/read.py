"""Play Snap!, reading: a chair's case lists (every sheet of a workbook, or a CSV), the columns wanted in them, and
the forum and agency ids of a landscape to check snapped values against. Nothing here interprets a value."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import InputError, Problem
from ..loading.cells import as_text
from ..loading.reading import RawSheet, read_csv_sheet, read_sheets
from ..loading.schema import SHEETS, canonical_token

__all__ = ["COHORT_COLUMNS", "SNAP_COLUMNS", "ID_COLUMN_GUESSES", "DATE_COLUMN_GUESSES", "LEAD_COLUMN_GUESSES",
           "POST_COLUMN_GUESSES", "DATE_PRECISIONS", "header_token", "LandscapeNames", "landscape_names",
           "read_table", "find_column", "column_texts", "blank_rows", "sheet_label"]

# The combined list is pasted (or written) into the cohorts sheet: exactly its columns, in the template's order.
COHORT_COLUMNS = SHEETS["cohorts"].column_names
SNAP_COLUMNS = (*COHORT_COLUMNS, "key_fingerprint")
# Headers a chair's own list is likely to use, tried in order when --id-column / --date-column / --lead-column are
# not given (compared without case, spaces or punctuation: "NHS No." is nhs_no).
ID_COLUMN_GUESSES = ("person_id", "nhs_number", "nhs_no", "nhs", "nhs_num", "nhs_id")
DATE_COLUMN_GUESSES = ("discussed_on", "date_discussed", "meeting_date", "date_of_meeting", "date", "discussed",
                       "date_of_discussion")
LEAD_COLUMN_GUESSES = ("lead_agency", "lead", "lead_organisation", "lead_service")
# Never guessed from "Lead worker" or "Keyworker": those columns usually hold a person's name, not a post.
POST_COLUMN_GUESSES = ("lead_post", "lead_worker_post")
DATE_PRECISIONS = ("month", "day")


def header_token(header) -> str:
    """A header compared without case, spaces or punctuation: "NHS No." is nhs_no."""
    return re.sub(r"[^0-9a-z]+", "_", canonical_token(str(header))).strip("_")


@dataclass(frozen=True)
class LandscapeNames:
    """The forum and agency ids (with their names) of a landscape workbook, to check snapped values against."""

    file: str
    forums: dict
    agencies: dict


def landscape_names(path: str | Path) -> LandscapeNames:
    """Read only the forums and agencies sheets' ids and names (the cohorts sheet is never interpreted here)."""
    path = Path(path)
    raws = read_sheets(path)
    found = {}
    for sheet, id_column in (("forums", "forum_id"), ("agencies", "agency_id")):
        raw = raws.get(sheet)
        at = None if raw is None else find_column(raw.table, id_column, ())
        if at is None:
            raise InputError([Problem("error", f"has no '{sheet}' sheet with a {id_column} column, so the forum and "
                                      "lead agencies cannot be checked against it.",
                                      "Give the landscape workbook (made from `mcn-map template`).",
                                      file=path.name, sheet=sheet)], "cannot check against the landscape")
        texts = column_texts(raw.table)
        name_at = find_column(raw.table, "name", ())
        ids = texts[at]
        labels = texts[name_at] if name_at is not None else ids
        found[sheet] = {i: n for i, n in zip(ids, labels) if i}
    return LandscapeNames(path.name, found["forums"], found["agencies"])


def read_table(path: str | Path) -> list[RawSheet]:
    """Every sheet of an .xlsx (zip checked before parsing) or the one sheet of a .csv. Raises InputError."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        if not path.is_file():
            raise InputError([Problem("error", "file not found.", "Check the path.", file=str(path))])
        return [read_csv_sheet(path)]
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return list(read_sheets(path).values())
    raise InputError([Problem(
        "error", f"is not a case list mcn-map reads (it ends '{path.suffix or '(nothing)'}').",
        "Save the case list from Excel as an .xlsx workbook or a .csv file.", file=path.name or str(path))])


def find_column(table: pd.DataFrame, wanted: str | None, guesses) -> int | None:
    """The position of the first column whose header matches ``wanted`` (else the first of ``guesses`` found)."""
    by_token = {}
    for position, header in enumerate(table.columns):
        if header:
            by_token.setdefault(header_token(header), position)
    for name in [wanted] if wanted else guesses:
        if header_token(name) in by_token:
            return by_token[header_token(name)]
    return None


def column_texts(table: pd.DataFrame) -> list[pd.Series]:
    """Each column's cells as stripped text, by position: a list may repeat a header."""
    return [as_text(table.iloc[:, i]).str.strip().reset_index(drop=True) for i in range(table.shape[1])]


def blank_rows(texts: list[pd.Series], n: int):
    """True for each of the ``n`` rows whose every cell is blank."""
    if not texts:
        return pd.Series(True, index=range(n)).to_numpy()
    return pd.concat(texts, axis=1).eq("").all(axis=1).to_numpy()


def sheet_label(raw: RawSheet) -> str | None:
    """The sheet to name in a message; a CSV has no sheets: name none rather than repeat the file name."""
    return None if raw.from_text else raw.name

