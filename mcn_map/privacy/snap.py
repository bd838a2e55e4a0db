"""'Play Snap!': each chair pseudonymises their own case list with the shared key; the analyst combines the lists.

A snapped list holds, per person discussed, only the forum, a keyed pseudonym (``snap-`` + HMAC-SHA256), the month
discussed (or the day, when the analyst asks for it: an exact date helps re-identification), the lead agency and the
lead worker's post when the list has them, plus the key's fingerprint so lists made with different keys are never
mixed. The cohorts loader recognises snapped pseudonyms and keeps them as they are, so the same person links
across every list snapped with the same key, and nothing links across different keys.

>>> import pandas as pd
>>> lists = [("a.csv", pd.DataFrame({"NHS number": ["999 000 0018"], "Date": ["03/09/2026"]}))]
>>> frame = snap_frames(lists, "marac", bytes(32)).frame
>>> frame.loc[0, "forum_id"], frame.loc[0, "person_id"].startswith("snap-"), frame.loc[0, "discussed_on"]
('marac', True, '2026-09')
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .._version import __version__
from ..errors import InputError, McnMapError, Problem
from ..writing.files import check_target, refuse_input_overwrite, replace_atomically, safe_text, workbook_bytes
from ..loading.cells import cell_text as _cell_text, parse_date as _parse_date, per_distinct as _per_distinct
from ..loading.problems import MAX_LISTED, Collector as _Collector, suggest
from ..loading.reading import RawSheet, read_csv_sheet, read_sheets
from ..loading.schema import canonical_token
from .identifiers import SNAP_PATTERN, SNAP_PREFIX, key_fingerprint, mask_identifier, nhs_digits, nhs_valid, \
    pseudonymise, snapped
from ..loading.schema import SHEETS
from .cohorts import check_nhs_numbers

__all__ = [
    "SNAP_COLUMNS",
    "COHORT_COLUMNS",
    "ID_COLUMN_GUESSES",
    "DATE_COLUMN_GUESSES",
    "LEAD_COLUMN_GUESSES",
    "POST_COLUMN_GUESSES",
    "DATE_PRECISIONS",
    "SnapSummary",
    "Snapped",
    "LandscapeNames",
    "landscape_names",
    "read_table",
    "snap_frames",
    "snap_files",
    "combine_files",
    "table_bytes",
    "write_table",
    "write_into",
    "write_private",
]

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
PERSONAL_DATA_NOTE = ("Pseudonymised personal data (UK GDPR): share only under your information sharing agreement, "
                      "never with the key.")


def _token(header) -> str:
    return re.sub(r"[^0-9a-z]+", "_", canonical_token(str(header))).strip("_")




@dataclass(frozen=True)
class SnapSummary:
    """What the chair (or the analyst) is shown before sending: nothing but counts and header names."""

    rows_read: int
    rows_written: int
    blank_rows: int
    duplicates: int
    columns_used: tuple[tuple[str, str], ...]  # (header as spelled, what it became)
    columns_dropped: tuple[str, ...]  # headers only, never a value
    sheets_skipped: tuple[str, ...]
    fingerprint: str
    date_precision: str = "month"
    files: tuple[str, ...] = ()
    combined: bool = False

    def lines(self) -> list[str]:
        def rows(n):
            return f"{n:,} row{'s' if n != 1 else ''}"

        lines = [f"Read {rows(self.rows_read)} from {', '.join(self.files)}; wrote {rows(self.rows_written)} "
                 f"({rows(self.duplicates)} repeated and {rows(self.blank_rows)} blank removed)."]
        if self.columns_used:
            lines.append("Columns kept: " + ", ".join(f"{h} ({what})" for h, what in self.columns_used) + ".")
        if self.columns_dropped:
            lines.append("Columns dropped, not shared: " + ", ".join(self.columns_dropped) + ".")
        if self.sheets_skipped:
            lines.append("Sheets with no identifier column, not shared: " + ", ".join(self.sheets_skipped) + ".")
        if self.fingerprint and self.combined:
            lines.append(f"Key fingerprint: {self.fingerprint[:8]}, the same on every list.")
        elif self.fingerprint:
            lines.append(f"Key fingerprint: {self.fingerprint[:8]}. Check it matches the fingerprint the lead gave "
                         "you before sending the file.")
        return lines


@dataclass(frozen=True)
class Snapped:
    frame: pd.DataFrame
    problems: list
    summary: SnapSummary


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
        at = None if raw is None else _find_column(raw.table, id_column, ())
        if at is None:
            raise InputError([Problem("error", f"has no '{sheet}' sheet with a {id_column} column, so the forum and "
                                      "lead agencies cannot be checked against it.",
                                      "Give the landscape workbook (made from `mcn-map template`).",
                                      file=path.name, sheet=sheet)], "cannot check against the landscape")
        texts = _column_texts(raw.table)
        name_at = _find_column(raw.table, "name", ())
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


def _find_column(table: pd.DataFrame, wanted: str | None, guesses) -> int | None:
    """The position of the first column whose header matches ``wanted`` (else the first of ``guesses`` found)."""
    by_token = {}
    for position, header in enumerate(table.columns):
        if header:
            by_token.setdefault(_token(header), position)
    for name in [wanted] if wanted else guesses:
        if _token(name) in by_token:
            return by_token[_token(name)]
    return None


def _column_texts(table: pd.DataFrame) -> list[pd.Series]:
    from ..loading.cells import as_text as _as_text

    # By position: a list may repeat a header.
    return [_as_text(table.iloc[:, i]).str.strip().reset_index(drop=True) for i in range(table.shape[1])]


def _blank_rows(texts: list[pd.Series], n: int):
    if not texts:
        return pd.Series(True, index=range(n)).to_numpy()
    return pd.concat(texts, axis=1).eq("").all(axis=1).to_numpy()


class _Problems(_Collector):
    """The loader's collector (same row listing and summaries), able to stop the snap when there are errors."""

    def raise_if_errors(self, summary: str) -> list[Problem]:
        if any(p.is_error for p in self.problems):
            raise InputError(self.problems, summary)
        return self.problems


def _sheet_label(raw: RawSheet) -> str | None:
    # A CSV has no sheets: name none rather than repeat the file name.
    return None if raw.from_text else raw.name


_MONTH_TEXT = re.compile(r"^\d{4}-\d{2}$")


def _dates(values: pd.Series, rows: pd.Series, out: _Problems, where: dict, precision: str) -> pd.Series:
    """Dates (cells or text) to 'YYYY-MM' (month) or 'YYYY-MM-DD' (day); 'keep' keeps a snapped 'YYYY-MM' as a
    month and any other date as a day. Blank stays blank; unreadable dates are errors."""
    text = _per_distinct(values, _cell_text).str.strip()
    parsed = _per_distinct(values, _parse_date)
    month = precision == "month"
    shown = []
    for s, d in zip(text, parsed):
        if not s or d is None or d is pd.NaT:
            shown.append("")
        elif month or (precision == "keep" and _MONTH_TEXT.match(s)):
            shown.append(d.strftime("%Y-%m"))
        else:
            shown.append(d.strftime("%Y-%m-%d"))
    dates = pd.Series(shown, index=text.index, dtype=object)
    bad = (text != "") & (dates == "")
    if bad.any():
        # A date is not an identifier, but a cell in the date column may hold one: show none of them.
        out.rows("error", rows[bad].tolist(), lambda i: "this is not a date mcn-map can read.",
                 "Use a date cell, or write the date as YYYY-MM-DD or DD/MM/YYYY.", what="unreadable dates", **where)
    return dates


def _check_ids(ids: pd.Series, rows: pd.Series, out: _Problems, loc: dict) -> None:
    empty = ids == ""
    if empty.any():
        out.rows("error", rows[empty].tolist(), lambda i: "the person's identifier is blank.",
                 "Fill in the NHS number, or delete the row.", what="blank identifiers", **loc)
    shaped = check_nhs_numbers(ids, rows, out, loc)  # the loader's own check: one NHS-number check in privacy/
    # Digits only but not ten of them: a mistyped NHS number, which would silently never match anyone.
    numeric = ~shaped & ids.str.fullmatch(r"[\d \-]+", na=False)
    if numeric.any():
        masked = [mask_identifier(v) for v in ids[numeric].head(MAX_LISTED)]
        out.rows("error", rows[numeric].tolist(),
                 lambda i: f"'{masked[i]}' is a number but not a 10-digit NHS number.",
                 "Check the number against the patient record (10 digits, spaces allowed as 3-3-4).",
                 what="numbers that are not NHS numbers", **loc)
    already = snapped(ids)
    if already.any():
        out.rows("error", rows[already].tolist(), lambda i: "this list is already snapped (pseudonymised).",
                 "Send the snapped file as it is; snap only the meeting's own case list.",
                 what="already snapped identifiers", **loc)
    local = ~shaped & ~numeric & ~already & ~empty
    if local.any():
        n = int(local.sum())
        out.add("warning", f"{n:,} row{'s hold' if n != 1 else ' holds'} identifiers that are not NHS numbers; they "
                "are pseudonymised too, but will only match the same local identifier in other meetings' lists.",
                "Use NHS numbers where the person has one.", **loc)


def _refuse_identifiers(values: pd.Series, rows: pd.Series, out: _Problems, loc: dict) -> None:
    """The lead agency and post columns are shared as they are: an NHS number there (a column mix-up) must stop it."""
    found = values.str.contains(r"(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)", regex=True, na=False)
    if found.any():
        out.rows("error", rows[found].tolist(), lambda i: "this column is shared as it is, but holds what looks like "
                 "an NHS number.", "Check the column is the lead agency (or the lead worker's post label), or name "
                 "the right one with --lead-column / --post-column.", what="NHS numbers in a shared column", **loc)


def _snap_sheet(raw: RawSheet, at: dict, precision: str, out: _Problems) -> tuple[pd.DataFrame, int]:
    """One sheet's rows as (id, discussed_on, lead_agency, lead_post), and how many blank rows were skipped."""
    table = raw.table
    where = dict(file=raw.file, sheet=_sheet_label(raw))
    texts = _column_texts(table)
    keep = ~_blank_rows(texts, len(table))
    rows = raw.rows.reset_index(drop=True)[keep].reset_index(drop=True)

    def kept(position):
        return texts[position][keep].reset_index(drop=True)

    ids = kept(at["id"])
    _check_ids(ids, rows, out, dict(where, column=str(table.columns[at["id"]])))
    blank = pd.Series([""] * len(ids), dtype=object)
    if at.get("date") is not None:
        dates = _dates(table.iloc[:, at["date"]].reset_index(drop=True)[keep].reset_index(drop=True), rows, out,
                       dict(where, column=str(table.columns[at["date"]])), precision)
    else:
        dates = blank
    for part in ("lead", "post"):
        if at.get(part) is not None:
            _refuse_identifiers(kept(at[part]), rows, out, dict(where, column=str(table.columns[at[part]])))
    frame = pd.DataFrame({"id": ids.to_numpy(dtype=object), "discussed_on": dates.to_numpy(dtype=object),
                          "lead_agency": (kept(at["lead"]) if at.get("lead") is not None else blank).to_numpy(dtype=object),
                          "lead_post": (kept(at["post"]) if at.get("post") is not None else blank).to_numpy(dtype=object),
                          "row": rows.to_numpy(), "file": raw.file, "sheet": _sheet_label(raw) or ""})
    return frame, int((~keep).sum())


def _check_values(frame: pd.DataFrame, column: str, valid: dict, names: LandscapeNames, out: _Problems,
                  what: str) -> pd.Series:
    """Check one column's distinct values against a landscape's ids, once per value (never a flood of rows).

    An agency or forum written by its name, in any case or spacing, becomes its id."""
    lookup = {_token(i): i for i in valid} | {_token(n): i for i, n in valid.items() if _token(n) not in
                                              {_token(i) for i in valid}}
    values = frame[column]
    mapped = values.map(lambda v: lookup.get(_token(v), None) if v else "")
    bad = mapped.isna()
    for value in sorted(set(values[bad])):
        hits = frame[bad & (values == value)]
        first = hits.iloc[0]
        rows = f" ({len(hits):,} rows)" if len(hits) > 1 else ""
        out.add("error", f"{what} `{value}`{rows} is not in the {'forums' if column == 'forum_id' else 'agencies'} "
                f"sheet of {names.file}{suggest(value, list(valid) + list(valid.values()))}",
                f"Use {'a forum_id' if column == 'forum_id' else 'an agency_id'} from {names.file}, or ask the analyst "
                "to add it there.", file=first["file"], sheet=first["sheet"] or None, row=int(first["row"]),
                column=column)
    return mapped.fillna(values)


def snap_frames(case_lists, forum_id: str, key: bytes, **options) -> Snapped:
    """Snap case lists given as (file name, table) pairs; see :func:`snap_files`."""
    raws = []
    for name, table in case_lists:
        table = table.reset_index(drop=True).astype(object)
        raws.append(RawSheet(Path(name).stem, table, pd.Series(range(2, 2 + len(table))), str(name),
                             from_text=str(name).lower().endswith(".csv")))
    return _snap_raws(raws, forum_id, key, **options)


def snap_files(paths, forum_id: str, key: bytes, **options) -> Snapped:
    """Pseudonymise a meeting's case lists: the shareable table with :data:`SNAP_COLUMNS`, warnings and a summary.

    Options: ``id_column``, ``date_column``, ``lead_column``, ``post_column`` (headers; default: the usual ones),
    ``date_precision`` ('month' or 'day') and ``landscape`` (a :class:`LandscapeNames` to check the forum and lead
    agencies against). Every sheet holding the identifier column is read. Raises InputError naming file, sheet and
    row (showing only masked identifiers) when any identifier is invalid, so nothing half-checked is ever shared.
    """
    raws = []
    for path in paths:
        raws.extend(read_table(path))
    return _snap_raws(raws, forum_id, key, **options)


def _columns(raw: RawSheet, options: dict, out: _Problems) -> dict | None:
    """Where each wanted column is in one sheet (None: the sheet has no identifier column)."""
    at = {"id": _find_column(raw.table, options.get("id_column"), ID_COLUMN_GUESSES)}
    if at["id"] is None:
        return None
    for part, option, guesses, what in (("date", "date_column", DATE_COLUMN_GUESSES, "the date discussed"),
                                        ("lead", "lead_column", LEAD_COLUMN_GUESSES, "the lead agency"),
                                        ("post", "post_column", POST_COLUMN_GUESSES, "the lead worker's post")):
        wanted = options.get(option)
        at[part] = _find_column(raw.table, wanted, guesses)
        if wanted and at[part] is None:
            out.add("error", f"has no column '{wanted}' for {what}.",
                    f"Headers found: {', '.join(str(h) for h in raw.table.columns if h) or 'none'}.",
                    file=raw.file, sheet=_sheet_label(raw), row=1, column=wanted)
    return at


_WHAT = {"id": "pseudonymised", "date": "date discussed", "lead": "lead agency", "post": "lead worker's post"}


def _snap_raws(raws, forum_id, key, *, id_column=None, date_column=None, lead_column=None, post_column=None,
               date_precision="month", landscape: LandscapeNames | None = None) -> Snapped:
    if key is None:
        raise McnMapError("snapping needs the shared key: pass --key-file KEY (or set MCN_MAP_KEY). The lead makes "
                          "one with `mcn-map keygen KEY` and gives it to each chair by a separate, secure route.")
    forum_id = str(forum_id or "").strip()
    if not forum_id:
        raise McnMapError("give the forum the case list belongs to with --forum FORUM_ID (its forum_id in the "
                          "forums sheet).")
    if date_precision not in DATE_PRECISIONS:
        raise McnMapError(f"--date-precision must be month or day, not '{date_precision}'.")
    if landscape is not None and forum_id not in landscape.forums:
        raise McnMapError(f"forum `{forum_id}` is not in the forums sheet of {landscape.file}"
                          f"{suggest(forum_id, landscape.forums)} Give --forum the meeting's forum_id.")
    options = dict(id_column=id_column, date_column=date_column, lead_column=lead_column, post_column=post_column)
    out = _Problems()
    parts, used, dropped, skipped, blank, read = [], [], [], [], 0, 0
    for raw in raws:
        at = _columns(raw, options, out)
        if at is None:
            skipped.append(raw.name if not raw.from_text else raw.file)
            continue
        if any(p.is_error for p in out.problems):
            continue
        part, blanks = _snap_sheet(raw, at, date_precision, out)
        parts.append(part)
        read, blank = read + len(raw.table), blank + blanks
        for name, position in at.items():
            if position is not None:
                entry = (str(raw.table.columns[position]), _WHAT[name] + (
                    f", kept to the {date_precision}" if name == "date" else ""))
                if entry not in used:
                    used.append(entry)
        taken = {p for p in at.values() if p is not None}
        for position, header in enumerate(raw.table.columns):
            if position not in taken and str(header) and str(header) not in dropped:
                dropped.append(str(header))
    if not parts and not out.problems:
        wanted = id_column or " / ".join(ID_COLUMN_GUESSES)
        headers = sorted({str(h) for raw in raws for h in raw.table.columns if h})
        raise InputError([Problem(
            "error", f"no sheet has an identifier column ({wanted}).",
            f"Name the column with --id-column (headers found: {', '.join(headers) or 'none'}).",
            file=", ".join(sorted({raw.file for raw in raws})))], "no case list found")
    people = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        {c: [] for c in ("id", "discussed_on", "lead_agency", "lead_post", "row", "file", "sheet")})
    if landscape is not None and len(people):
        people["lead_agency"] = _check_values(people, "lead_agency", landscape.agencies, landscape, out, "agency")
    out.raise_if_errors("the case list cannot be snapped")
    pseudonyms, _ = pseudonymise(people["id"].astype(object), key)
    frame = pd.DataFrame({
        "forum_id": forum_id,
        "person_id": (SNAP_PREFIX + pseudonyms.astype(str)).to_numpy(dtype=object),
        "discussed_on": people["discussed_on"].to_numpy(dtype=object),
        "lead_agency": people["lead_agency"].to_numpy(dtype=object),
        "lead_post": people["lead_post"].to_numpy(dtype=object),
        "key_fingerprint": key_fingerprint(key),
    }, columns=list(SNAP_COLUMNS))
    frame = _tidy(frame)
    summary = SnapSummary(read, len(frame), blank, read - blank - len(frame), tuple(used), tuple(dropped),
                          tuple(skipped), key_fingerprint(key), date_precision,
                          tuple(sorted({raw.file for raw in raws})))
    return Snapped(frame, out.problems, summary)


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    # One row per person per date per forum and lead, sorted so the list's original order (often by name) is not shared.
    frame = frame.astype(object).drop_duplicates()
    return frame.sort_values(["forum_id", "discussed_on", "person_id", "lead_agency", "lead_post"],
                             kind="stable").reset_index(drop=True)


# Undo our own formula neutralisation, so writing again does not stack apostrophes.
def _unneutralised(texts: pd.Series) -> pd.Series:
    return texts.str.replace(r"^'(?=[=+\-@\t\r])", "", regex=True)


def _combine_sheet(raw: RawSheet, out: _Problems, prints: dict) -> pd.DataFrame | None:
    at = {c: _find_column(raw.table, c, ()) for c in SNAP_COLUMNS}
    headers = {c: str(raw.table.columns[i]) for c, i in at.items() if i is not None}
    if "person_id" not in headers:
        return None
    where = dict(file=raw.file, sheet=_sheet_label(raw))
    missing = [c for c in ("forum_id", "key_fingerprint") if c not in headers]
    if missing:
        out.add("error", f"has no {' or '.join(missing)} column, so it was not made by `mcn-map snap`.",
                "Ask the chair to run `mcn-map snap` on the meeting's case list and send that file.", row=1, **where)
        return pd.DataFrame()
    texts = _column_texts(raw.table)
    keep = ~_blank_rows(texts, len(raw.table))
    rows = raw.rows.reset_index(drop=True)[keep].reset_index(drop=True)
    cells = {c: texts[at[c]][keep].reset_index(drop=True) for c in headers}
    person = cells["person_id"]
    raw_ids = ~person.str.match(SNAP_PATTERN, na=False)
    if raw_ids.any():
        masked = [mask_identifier(v) for v in person[raw_ids].head(MAX_LISTED)]
        out.rows("error", rows[raw_ids].tolist(),
                 lambda i: f"'{masked[i]}' is not a snapped pseudonym; raw identifiers are never combined.",
                 "Ask the chair to snap the list with `mcn-map snap` and send the snapped file.",
                 what="identifiers that are not snapped", column=headers["person_id"], **where)
    forum = _unneutralised(cells["forum_id"])
    blank_forum = forum == ""
    if blank_forum.any():
        out.rows("error", rows[blank_forum].tolist(), lambda i: "forum_id is blank.",
                 "Snap the list again with --forum FORUM_ID.", what="blank forum_id", column=headers["forum_id"],
                 **where)
    for value in sorted(set(cells["key_fingerprint"])):
        prints.setdefault(value, []).append(raw.file)
    if "discussed_on" in headers:
        dates = _dates(raw.table.iloc[:, at["discussed_on"]].reset_index(drop=True)[keep].reset_index(drop=True),
                       rows, out, dict(where, column=headers["discussed_on"]), "keep")
    else:
        dates = pd.Series([""] * len(person), dtype=object)
    blank = pd.Series([""] * len(person), dtype=object)
    return pd.DataFrame({
        "forum_id": forum.to_numpy(dtype=object), "person_id": person.to_numpy(dtype=object),
        "discussed_on": dates.to_numpy(dtype=object),
        "lead_agency": _unneutralised(cells.get("lead_agency", blank)).to_numpy(dtype=object),
        "lead_post": _unneutralised(cells.get("lead_post", blank)).to_numpy(dtype=object),
        "key_fingerprint": cells["key_fingerprint"].to_numpy(dtype=object),
        "row": rows.to_numpy(), "file": raw.file, "sheet": _sheet_label(raw) or ""})


def combine_files(paths, *, landscape: LandscapeNames | None = None) -> Snapped:
    """Merge snapped lists into one cohorts table with exactly :data:`COHORT_COLUMNS`, in the template's order.

    Refuses raw identifiers and lists made with different keys; with ``landscape``, checks every forum and lead
    agency against it (once per value, with did-you-mean)."""
    out = _Problems()
    parts, prints, read = [], {}, 0
    for path in paths:
        found = False
        for raw in read_table(path):
            part = _combine_sheet(raw, out, prints)
            if part is None:
                continue
            found = True
            read += len(raw.table)
            parts.append(part)
        if not found:
            out.add("error", "has no person_id column, so it is not a snapped case list.",
                    "Combine only the files `mcn-map snap` writes.", file=Path(path).name)
    if len(prints) > 1 or "" in prints:
        groups = "; ".join(f"{', '.join(sorted(set(files)))} with key {value[:8] or '(none)'}…"
                           for value, files in sorted(prints.items()))
        out.add("error", f"the lists were snapped with different keys ({groups}), so the same person would not be "
                "recognised across them; they were not combined.",
                "Give every chair the same key and ask them to snap their lists again.")
    columns = [*SNAP_COLUMNS, "row", "file", "sheet"]
    frame = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else \
        pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    if landscape is not None and len(frame) and not any(p.is_error for p in out.problems):
        frame["forum_id"] = _check_values(frame, "forum_id", landscape.forums, landscape, out, "forum")
        frame["lead_agency"] = _check_values(frame, "lead_agency", landscape.agencies, landscape, out, "agency")
    out.raise_if_errors("the snapped lists cannot be combined")
    kept = int(sum(len(p) for p in parts))
    combined = _tidy(frame[list(COHORT_COLUMNS)])
    fingerprint = next(iter(prints), "")
    summary = SnapSummary(read, len(combined), read - kept, kept - len(combined), (), (), (), fingerprint, "",
                          tuple(sorted({Path(p).name for p in paths})), combined=True)
    return Snapped(combined, out.problems, summary)


# -- writing ------------------------------------------------------------------------------------------------------

def table_bytes(frame: pd.DataFrame, suffix: str, *, fingerprint: str = "") -> bytes:
    """A snapped or combined table as .xlsx or .csv bytes, every text cell neutralised, identical for equal input."""
    suffix = suffix.lower()
    columns = list(frame.columns)
    records = [[safe_text(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    if suffix == ".csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows(records)
        return buffer.getvalue().encode("utf-8-sig")  # Excel reads UTF-8 CSV only with the byte-order mark
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import Workbook

        from ..writing.spreadsheet import finish_sheet

        book = Workbook()
        sheet = book.active
        sheet.title = "cohorts"
        sheet.append(columns)
        for record in records:
            sheet.append(record)
        sheet.freeze_panes = "A2"
        about = book.create_sheet("about")
        forums = sorted(set(frame["forum_id"])) if len(frame) else []
        prints = sorted(set(frame["key_fingerprint"])) if "key_fingerprint" in frame and len(frame) else \
            [fingerprint] if fingerprint else []
        for line in (["What this is", "A case list snapped by mcn-map " + __version__],
                     ["Handling", PERSONAL_DATA_NOTE],
                     ["Forums", ", ".join(forums)],
                     ["Rows", len(frame)],
                     ["Key fingerprint", ", ".join(prints)]):
            about.append([safe_text(v) for v in line])
        about.column_dimensions["B"].width = 80
        for sheet in book.worksheets:
            finish_sheet(sheet, "case list snapped by mcn-map")  # print set-up: mcn_map.writing.spreadsheet
        return workbook_bytes(book)
    raise McnMapError(f"cannot write '{suffix or '(no suffix)'}' files; give an output ending .xlsx or .csv.")


def write_private(out: str | Path, data: bytes, *, inputs=(), force: bool = False) -> Path:
    """Write atomically, readable by the owner only (0600; on Windows the file gets its folder's permissions, so
    keep it in a folder only you can open), never over an input, the key or anything but a regular file, and never
    over an existing file unless ``force`` (stricter than other outputs: a snapped list is personal data)."""
    out = Path(out)
    check_target(out, inputs=[Path(p) for p in inputs], force=True)
    if out.exists() and not force:
        raise McnMapError(f"{out} already exists; pass --force to replace it, or choose another file name.")
    out.parent.mkdir(parents=True, exist_ok=True)
    return replace_atomically(out, data, mode=0o600)


def write_table(frame: pd.DataFrame, out: str | Path, *, inputs=(), force: bool = False, fingerprint: str = "") -> Path:
    """Write by OUT's suffix (see :func:`write_private`)."""
    out = Path(out)
    refuse_input_overwrite(out, [Path(p) for p in inputs])  # before anything else, so the refusal is what is said
    return write_private(out, table_bytes(frame, out.suffix, fingerprint=fingerprint), inputs=inputs, force=force)


def write_into(frame: pd.DataFrame, workbook: str | Path, out: str | Path, *, inputs=(), force: bool = False) -> Path:
    """Write a copy of the landscape ``workbook`` to ``out`` whose cohorts sheet holds ``frame`` (its columns, in the
    template's order, replacing what the sheet held). The workbook itself is never modified."""
    from openpyxl import load_workbook

    workbook, out = Path(workbook), Path(out)
    if out.suffix.lower() != ".xlsx":
        raise McnMapError(f"--into writes a workbook: give -o a file ending .xlsx, not '{out.name}'.")
    read_sheets(workbook)  # checks it is a real, reasonably sized .xlsx before openpyxl touches it
    book = load_workbook(workbook)
    existing = [name for name in book.sheetnames if _token(name) == "cohorts"]
    if existing:
        sheet = book[existing[0]]
        if sheet.max_row > 1:
            sheet.delete_rows(2, sheet.max_row - 1)
        for column in range(1, max(sheet.max_column, len(COHORT_COLUMNS)) + 1):
            sheet.cell(row=1, column=column).value = None
    else:
        sheet = book.create_sheet("cohorts")
    for column, name in enumerate(COHORT_COLUMNS, start=1):
        sheet.cell(row=1, column=column).value = name
    for record in frame[list(COHORT_COLUMNS)].itertuples(index=False, name=None):
        sheet.append([safe_text(v) for v in record])
    return write_private(out, workbook_bytes(book), inputs=[workbook, *inputs], force=force)
