"""'Play Snap!': each chair pseudonymises their own case list with the shared key; the analyst combines the lists.

A snapped list holds, per person discussed, only the forum, a keyed pseudonym (``snap-`` + HMAC-SHA256) and the month
discussed (an exact date helps re-identification), plus the key's fingerprint so lists made with different keys are
never mixed. The cohorts loader recognises snapped pseudonyms and keeps them as they are, so the same person links
across every list snapped with the same key, and nothing links across different keys.

>>> import pandas as pd
>>> lists = [("a.csv", pd.DataFrame({"NHS number": ["999 000 0018"], "Date": ["03/09/2026"]}))]
>>> frame, _ = snap_frames(lists, "marac", bytes(32))
>>> frame.loc[0, "forum_id"], frame.loc[0, "person_id"].startswith("snap-"), frame.loc[0, "discussed_on"]
('marac', True, '2026-09')
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from .._version import __version__
from ..errors import InputError, McnMapError, Problem
from ..outputs import refuse_input_overwrite, safe_text, workbook_bytes, write_atomic
from ..cells import cell_text as _cell_text, parse_date as _parse_date, per_distinct as _per_distinct
from ..problems import MAX_LISTED, Collector as _Collector
from ..reading import RawSheet, read_csv_sheet, read_sheets
from ..schema import canonical_token
from .identifiers import SNAP_PATTERN, SNAP_PREFIX, key_fingerprint, mask_identifier, nhs_digits, nhs_valid, \
    pseudonymise, snapped

__all__ = [
    "SNAP_COLUMNS",
    "ID_COLUMN_GUESSES",
    "DATE_COLUMN_GUESSES",
    "read_table",
    "snap_frames",
    "snap_files",
    "combine_files",
    "table_bytes",
    "write_table",
]

SNAP_COLUMNS = ("forum_id", "person_id", "discussed_on", "key_fingerprint")
# Headers a chair's own list is likely to use, tried in order when --id-column / --date-column are not given.
ID_COLUMN_GUESSES = ("person_id", "nhs_number", "nhs_no", "nhs", "nhs_num")
DATE_COLUMN_GUESSES = ("discussed_on", "date_discussed", "meeting_date", "date_of_meeting", "date", "discussed")
PERSONAL_DATA_NOTE = ("Pseudonymised personal data (UK GDPR): share only under your information sharing agreement, "
                      "never with the key.")


def _token(header) -> str:
    return canonical_token(str(header)).replace(" ", "_")


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
    from ..cells import as_text as _as_text

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


def _months(values: pd.Series, rows: pd.Series, out: _Problems, where: dict) -> pd.Series:
    """Dates (cells or text) to 'YYYY-MM'; blank stays blank; unreadable dates are errors."""
    text = _per_distinct(values, _cell_text).str.strip()
    parsed = _per_distinct(values, _parse_date)
    months = pd.Series([d.strftime("%Y-%m") if s and d is not None and d is not pd.NaT else ""
                        for s, d in zip(text, parsed)], index=text.index, dtype=object)
    bad = (text != "") & (months == "")
    if bad.any():
        shown = text[bad].tolist()
        out.rows("error", rows[bad].tolist(), lambda i: f"'{shown[i]}' is not a date mcn-map can read.",
                 "Use a date cell, or write the date as YYYY-MM-DD or DD/MM/YYYY.", what="unreadable dates", **where)
    return months


def _snap_sheet(raw: RawSheet, id_at: int, date_at: int | None, out: _Problems) -> pd.DataFrame:
    table = raw.table
    where = dict(file=raw.file, sheet=_sheet_label(raw))
    texts = _column_texts(table)
    keep = ~_blank_rows(texts, len(table))
    ids = texts[id_at][keep].reset_index(drop=True)
    rows = raw.rows.reset_index(drop=True)[keep].reset_index(drop=True)
    loc = dict(where, column=str(table.columns[id_at]))

    empty = ids == ""
    if empty.any():
        out.rows("error", rows[empty].tolist(), lambda i: "the person's identifier is blank.",
                 "Fill in the NHS number, or delete the row.", what="blank identifiers", **loc)
    shaped, digits = nhs_digits(ids)
    if shaped.any():
        valid = nhs_valid(digits[shaped])
        invalid = valid.index[~valid.to_numpy()]
        if len(invalid):
            masked = [mask_identifier(v) for v in digits[invalid[:MAX_LISTED]]]
            out.rows("error", rows[invalid].tolist(),
                     lambda i: f"'{masked[i]}' looks like an NHS number but fails the check digit.",
                     "Check the number against the patient record; NHS numbers have a Modulus 11 check digit.",
                     what="invalid NHS numbers", **loc)
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

    if date_at is not None:
        months = _months(table.iloc[:, date_at].reset_index(drop=True)[keep].reset_index(drop=True), rows, out,
                         dict(where, column=str(table.columns[date_at])))
    else:
        months = pd.Series([""] * len(ids), dtype=object)
    return pd.DataFrame({"id": ids.to_numpy(dtype=object), "discussed_on": months.to_numpy(dtype=object)})


def snap_frames(case_lists, forum_id: str, key: bytes, *, id_column: str | None = None,
                date_column: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Snap case lists given as (file name, table) pairs; see :func:`snap_files`."""
    raws = []
    for name, table in case_lists:
        table = table.reset_index(drop=True).astype(object)
        raws.append(RawSheet(Path(name).stem, table, pd.Series(range(2, 2 + len(table))), str(name),
                             from_text=str(name).lower().endswith(".csv")))
    return _snap_raws(raws, forum_id, key, id_column, date_column)


def snap_files(paths, forum_id: str, key: bytes, *, id_column: str | None = None,
               date_column: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Pseudonymise a meeting's case lists: (shareable table with :data:`SNAP_COLUMNS`, warnings).

    Every sheet holding the identifier column is read. Raises InputError naming file, sheet and row (showing only
    masked identifiers) when any identifier is invalid, so nothing half-checked is ever shared.
    """
    raws = []
    for path in paths:
        raws.extend(read_table(path))
    return _snap_raws(raws, forum_id, key, id_column, date_column)


def _snap_raws(raws, forum_id, key, id_column, date_column):
    if key is None:
        raise McnMapError("snapping needs the shared key: pass --key-file KEY (or set MCN_MAP_KEY). The lead makes "
                          "one with `mcn-map keygen KEY` and gives it to each chair by a separate, secure route.")
    forum_id = str(forum_id or "").strip()
    if not forum_id:
        raise McnMapError("give the forum the case list belongs to with --forum FORUM_ID (its forum_id in the "
                          "forums sheet).")
    out = _Problems()
    parts = []
    for raw in raws:
        id_at = _find_column(raw.table, id_column, ID_COLUMN_GUESSES)
        if id_at is None:
            continue
        date_at = _find_column(raw.table, date_column, DATE_COLUMN_GUESSES)
        if date_column and date_at is None:
            out.add("error", f"has no column '{date_column}' for the date discussed.",
                    f"Headers found: {', '.join(str(h) for h in raw.table.columns if h) or 'none'}.",
                    file=raw.file, sheet=_sheet_label(raw), row=1, column=date_column)
            continue
        parts.append(_snap_sheet(raw, id_at, date_at, out))
    if not parts and not out.problems:
        wanted = id_column or " / ".join(ID_COLUMN_GUESSES)
        headers = sorted({str(h) for raw in raws for h in raw.table.columns if h})
        raise InputError([Problem(
            "error", f"no sheet has an identifier column ({wanted}).",
            f"Name the column with --id-column (headers found: {', '.join(headers) or 'none'}).",
            file=", ".join(sorted({raw.file for raw in raws})))], "no case list found")
    out.raise_if_errors("the case list cannot be snapped")
    people = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({"id": [], "discussed_on": []})
    pseudonyms, _ = pseudonymise(people["id"].astype(object), key)
    frame = pd.DataFrame({
        "forum_id": forum_id,
        "person_id": (SNAP_PREFIX + pseudonyms.astype(str)).to_numpy(dtype=object),
        "discussed_on": people["discussed_on"].to_numpy(dtype=object),
        "key_fingerprint": key_fingerprint(key),
    }, columns=list(SNAP_COLUMNS))
    return _tidy(frame), out.problems


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    # One row per person per month per forum, sorted so the list's original order (often by name) is not shared.
    frame = frame.astype(object).drop_duplicates()
    return frame.sort_values(["forum_id", "discussed_on", "person_id"], kind="stable").reset_index(drop=True)


def combine_files(paths) -> tuple[pd.DataFrame, list[Problem]]:
    """Merge snapped lists into one cohorts table; refuses raw identifiers and lists made with different keys."""
    out = _Problems()
    parts, prints = [], {}
    for path in paths:
        found = False
        for raw in read_table(path):
            at = {c: _find_column(raw.table, c, ()) for c in SNAP_COLUMNS}
            headers = {c: str(raw.table.columns[i]) for c, i in at.items() if i is not None}
            if "person_id" not in headers:
                continue
            found = True
            where = dict(file=raw.file, sheet=_sheet_label(raw))
            missing = [c for c in ("forum_id", "key_fingerprint") if c not in headers]
            if missing:
                out.add("error", f"has no {' or '.join(missing)} column, so it was not made by `mcn-map snap`.",
                        "Ask the chair to run `mcn-map snap` on the meeting's case list and send that file.",
                        row=1, **where)
                continue
            texts = _column_texts(raw.table)
            keep = ~_blank_rows(texts, len(raw.table))
            cells = {c: texts[at[c]] for c in headers}
            rows = raw.rows.reset_index(drop=True)[keep].reset_index(drop=True)
            person = cells["person_id"][keep].reset_index(drop=True)
            raw_ids = ~person.str.match(SNAP_PATTERN, na=False)
            if raw_ids.any():
                masked = [mask_identifier(v) for v in person[raw_ids].head(MAX_LISTED)]
                out.rows("error", rows[raw_ids].tolist(),
                         lambda i: f"'{masked[i]}' is not a snapped pseudonym; raw identifiers are never combined.",
                         "Ask the chair to snap the list with `mcn-map snap` and send the snapped file.",
                         what="identifiers that are not snapped", column=headers["person_id"], **where)
            # Undo our own formula neutralisation, so writing again does not stack apostrophes.
            forum = cells["forum_id"][keep].reset_index(drop=True).str.replace(r"^'(?=[=+\-@\t\r])", "", regex=True)
            blank_forum = forum == ""
            if blank_forum.any():
                out.rows("error", rows[blank_forum].tolist(), lambda i: "forum_id is blank.",
                         "Snap the list again with --forum FORUM_ID.", what="blank forum_id",
                         column=headers["forum_id"], **where)
            fingerprint = cells["key_fingerprint"][keep].reset_index(drop=True)
            for value in sorted(set(fingerprint)):
                prints.setdefault(value, []).append(raw.file)
            if "discussed_on" in headers:
                months = _months(raw.table.iloc[:, at["discussed_on"]].reset_index(drop=True)[keep]
                                 .reset_index(drop=True), rows, out,
                                 dict(where, column=headers["discussed_on"]))
            else:
                months = pd.Series([""] * len(person), dtype=object)
            parts.append(pd.DataFrame({"forum_id": forum.to_numpy(dtype=object), "person_id": person.to_numpy(dtype=object),
                                       "discussed_on": months.to_numpy(dtype=object),
                                       "key_fingerprint": fingerprint.to_numpy(dtype=object)}))
        if not found:
            out.add("error", "has no person_id column, so it is not a snapped case list.",
                    "Combine only the files `mcn-map snap` writes.", file=Path(path).name)
    if len(prints) > 1 or "" in prints:
        groups = "; ".join(f"{', '.join(sorted(set(files)))} with key {value[:8] or '(none)'}…"
                           for value, files in sorted(prints.items()))
        out.add("error", f"the lists were snapped with different keys ({groups}), so the same person would not be "
                "recognised across them; they were not combined.",
                "Give every chair the same key and ask them to snap their lists again.")
    out.raise_if_errors("the snapped lists cannot be combined")
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(SNAP_COLUMNS))
    return _tidy(frame[list(SNAP_COLUMNS)]), out.problems


def table_bytes(frame: pd.DataFrame, suffix: str) -> bytes:
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

        book = Workbook()
        sheet = book.active
        sheet.title = "cohorts"
        sheet.append(columns)
        for record in records:
            sheet.append(record)
        sheet.freeze_panes = "A2"
        about = book.create_sheet("about")
        forums = sorted(set(frame["forum_id"])) if len(frame) else []
        prints = sorted(set(frame["key_fingerprint"])) if "key_fingerprint" in frame and len(frame) else []
        for line in (["What this is", "A case list snapped by mcn-map " + __version__],
                     ["Handling", PERSONAL_DATA_NOTE],
                     ["Forums", ", ".join(forums)],
                     ["Rows", len(frame)],
                     ["Key fingerprint", ", ".join(prints)]):
            about.append([safe_text(v) for v in line])
        return workbook_bytes(book)
    raise McnMapError(f"cannot write '{suffix or '(no suffix)'}' files; give an output ending .xlsx or .csv.")


def write_table(frame: pd.DataFrame, out: str | Path, *, inputs=()) -> Path:
    """Write atomically, by OUT's suffix, never over an input (the case lists or the key)."""
    out = Path(out)
    inputs = [Path(p) for p in inputs]
    refuse_input_overwrite(out, inputs)
    return write_atomic(out, table_bytes(frame, out.suffix), inputs=inputs)
