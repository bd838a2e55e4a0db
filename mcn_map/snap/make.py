"""Play Snap!, making the lists: a chair's case lists pseudonymised with the shared key (:func:`snap_files`), and
the analyst's snapped lists combined into one cohorts table (:func:`combine_files`). Read with :mod:`.read`, checked
with :mod:`.check`; nothing half-checked is returned."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import InputError, McnMapError, Problem
from ..loading.problems import MAX_LISTED, suggest
from ..loading.reading import RawSheet
from ..privacy.identifiers import SNAP_PATTERN, SNAP_PREFIX, key_fingerprint, mask_identifier, pseudonymise
from .check import SnapProblems, check_ids, check_values, refuse_identifiers, refuse_names, snap_dates
from .read import (COHORT_COLUMNS, DATE_COLUMN_GUESSES, DATE_PRECISIONS, ID_COLUMN_GUESSES, LEAD_COLUMN_GUESSES,
                   POST_COLUMN_GUESSES, SNAP_COLUMNS, LandscapeNames, blank_rows, column_texts, find_column,
                   read_table, sheet_label)

__all__ = ["SnapSummary", "Snapped", "snap_frames", "snap_files", "combine_files"]

MAX_HEADERS_LISTED = 20  # a list with a thousand columns is summarised, not printed header by header


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
            listed = [h if len(h) <= 60 else h[:60] + "…" for h in self.columns_dropped[:MAX_HEADERS_LISTED]]
            rest = len(self.columns_dropped) - len(listed)
            lines.append("Columns dropped, not shared: " + ", ".join(listed)
                         + (f" and {rest:,} more" if rest else "") + ".")
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



def _snap_sheet(raw: RawSheet, at: dict, precision: str, out: SnapProblems) -> tuple[pd.DataFrame, int]:
    """One sheet's rows as (id, discussed_on, lead_agency, lead_post), and how many blank rows were skipped."""
    table = raw.table
    where = dict(file=raw.file, sheet=sheet_label(raw))
    texts = column_texts(table)
    keep = ~blank_rows(texts, len(table))
    rows = raw.rows.reset_index(drop=True)[keep].reset_index(drop=True)

    def kept(position):
        return texts[position][keep].reset_index(drop=True)

    ids = kept(at["id"])
    check_ids(ids, rows, out, dict(where, column=str(table.columns[at["id"]])))
    blank = pd.Series([""] * len(ids), dtype=object)
    if at.get("date") is not None:
        dates = snap_dates(table.iloc[:, at["date"]].reset_index(drop=True)[keep].reset_index(drop=True), rows, out,
                       dict(where, column=str(table.columns[at["date"]])), precision)
    else:
        dates = blank
    for part, option, what in (("lead", "--lead-column", "the lead agency"),
                                ("post", "--post-column", "the lead worker's post")):
        if at.get(part) is not None:
            loc = dict(where, column=str(table.columns[at[part]]))
            if not refuse_names(kept(at[part]), out, loc, option, what):
                refuse_identifiers(kept(at[part]), rows, out, loc)
    frame = pd.DataFrame({"id": ids.to_numpy(dtype=object), "discussed_on": dates.to_numpy(dtype=object),
                          "lead_agency": (kept(at["lead"]) if at.get("lead") is not None else blank).to_numpy(dtype=object),
                          "lead_post": (kept(at["post"]) if at.get("post") is not None else blank).to_numpy(dtype=object),
                          "row": rows.to_numpy(), "file": raw.file, "sheet": sheet_label(raw) or ""})
    return frame, int((~keep).sum())


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


def _columns(raw: RawSheet, options: dict, out: SnapProblems) -> dict | None:
    """Where each wanted column is in one sheet (None: the sheet has no identifier column)."""
    at = {"id": find_column(raw.table, options.get("id_column"), ID_COLUMN_GUESSES)}
    if at["id"] is None:
        return None
    for part, option, guesses, what in (("date", "date_column", DATE_COLUMN_GUESSES, "the date discussed"),
                                        ("lead", "lead_column", LEAD_COLUMN_GUESSES, "the lead agency"),
                                        ("post", "post_column", POST_COLUMN_GUESSES, "the lead worker's post")):
        wanted = options.get(option)
        at[part] = find_column(raw.table, wanted, guesses)
        if wanted and at[part] is None:
            out.add("error", f"has no column '{wanted}' for {what}.",
                    f"Headers found: {', '.join(str(h) for h in raw.table.columns if h) or 'none'}.",
                    file=raw.file, sheet=sheet_label(raw), row=1, column=wanted)
    return at


_WHAT = {"id": "pseudonymised", "date": "date discussed", "lead": "lead agency", "post": "lead worker's post"}


def _snap_raws(raws, forum_id, key, *, id_column=None, date_column=None, lead_column=None, post_column=None,
               date_precision="month", landscape: LandscapeNames | None = None) -> Snapped:
    forum_id = _snap_request(forum_id, key, date_precision, landscape)
    options = dict(id_column=id_column, date_column=date_column, lead_column=lead_column, post_column=post_column)
    out = SnapProblems()
    gathered = _gather(raws, options, date_precision, out)
    if not gathered.parts and not out.problems:
        wanted = id_column or " / ".join(ID_COLUMN_GUESSES)
        headers = sorted({str(h) for raw in raws for h in raw.table.columns if h})
        raise InputError([Problem(
            "error", f"no sheet has an identifier column ({wanted}).",
            f"Name the column with --id-column (headers found: {', '.join(headers) or 'none'}).",
            file=", ".join(sorted({raw.file for raw in raws})))], "no case list found")
    people = pd.concat(gathered.parts, ignore_index=True) if gathered.parts else pd.DataFrame(
        {c: [] for c in ("id", "discussed_on", "lead_agency", "lead_post", "row", "file", "sheet")})
    if landscape is not None and len(people):
        people["lead_agency"] = check_values(people, "lead_agency", landscape.agencies, landscape, out, "agency")
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
    read, blank = gathered.read, gathered.blank
    summary = SnapSummary(read, len(frame), blank, read - blank - len(frame), tuple(gathered.used),
                          tuple(gathered.dropped), tuple(gathered.skipped), key_fingerprint(key), date_precision,
                          tuple(sorted({raw.file for raw in raws})))
    return Snapped(frame, out.problems, summary)


def _snap_request(forum_id, key, date_precision: str, landscape: LandscapeNames | None) -> str:
    """The forum id, stripped, once the key, the forum and the precision asked for are usable."""
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
    return forum_id


@dataclass
class _Gathered:
    """Every sheet's rows, and what the summary says about the columns and sheets."""

    parts: list = field(default_factory=list)
    used: list = field(default_factory=list)  # (header, what it became)
    dropped: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    blank: int = 0
    read: int = 0


def _gather(raws, options: dict, date_precision: str, out: SnapProblems) -> _Gathered:
    """Each sheet holding the identifier column, checked and cut to the snapped columns (stops adding rows once
    there are errors, but goes on finding the columns of the sheets left)."""
    gathered = _Gathered()
    for raw in raws:
        at = _columns(raw, options, out)
        if at is None:
            gathered.skipped.append(raw.name if not raw.from_text else raw.file)
            continue
        if any(p.is_error for p in out.problems):
            continue
        part, blanks = _snap_sheet(raw, at, date_precision, out)
        gathered.parts.append(part)
        gathered.read, gathered.blank = gathered.read + len(raw.table), gathered.blank + blanks
        for name, position in at.items():
            if position is not None:
                entry = (str(raw.table.columns[position]), _WHAT[name] + (
                    f", kept to the {date_precision}" if name == "date" else ""))
                if entry not in gathered.used:
                    gathered.used.append(entry)
        taken = {p for p in at.values() if p is not None}
        for position, header in enumerate(raw.table.columns):
            if position not in taken and str(header) and str(header) not in gathered.dropped:
                gathered.dropped.append(str(header))
    return gathered


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    # One row per person per date per forum and lead, sorted so the list's original order (often by name) is not shared.
    frame = frame.astype(object).drop_duplicates()
    return frame.sort_values(["forum_id", "discussed_on", "person_id", "lead_agency", "lead_post"],
                             kind="stable").reset_index(drop=True)


# Undo our own formula neutralisation, so writing again does not stack apostrophes.
def _unneutralised(texts: pd.Series) -> pd.Series:
    return texts.str.replace(r"^'(?=[=+\-@\t\r])", "", regex=True)


def _combine_sheet(raw: RawSheet, out: SnapProblems, prints: dict) -> pd.DataFrame | None:
    at = {c: find_column(raw.table, c, ()) for c in SNAP_COLUMNS}
    headers = {c: str(raw.table.columns[i]) for c, i in at.items() if i is not None}
    if "person_id" not in headers:
        return None
    where = dict(file=raw.file, sheet=sheet_label(raw))
    missing = [c for c in ("forum_id", "key_fingerprint") if c not in headers]
    if missing:
        out.add("error", f"has no {' or '.join(missing)} column, so it was not made by `mcn-map snap`.",
                "Ask the chair to run `mcn-map snap` on the meeting's case list and send that file.", row=1, **where)
        return pd.DataFrame()
    texts = column_texts(raw.table)
    keep = ~blank_rows(texts, len(raw.table))
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
        dates = snap_dates(raw.table.iloc[:, at["discussed_on"]].reset_index(drop=True)[keep].reset_index(drop=True),
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
        "row": rows.to_numpy(), "file": raw.file, "sheet": sheet_label(raw) or ""})


def combine_files(paths, *, landscape: LandscapeNames | None = None) -> Snapped:
    """Merge snapped lists into one cohorts table with exactly :data:`COHORT_COLUMNS`, in the template's order.

    Refuses raw identifiers and lists made with different keys; with ``landscape``, checks every forum and lead
    agency against it (once per value, with did-you-mean)."""
    out = SnapProblems()
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
        frame["forum_id"] = check_values(frame, "forum_id", landscape.forums, landscape, out, "forum")
        frame["lead_agency"] = check_values(frame, "lead_agency", landscape.agencies, landscape, out, "agency")
    out.raise_if_errors("the snapped lists cannot be combined")
    kept = int(sum(len(p) for p in parts))
    combined = _tidy(frame[list(COHORT_COLUMNS)])
    fingerprint = next(iter(prints), "")
    summary = SnapSummary(read, len(combined), read - kept, kept - len(combined), (), (), (), fingerprint, "",
                          tuple(sorted({Path(p).name for p in paths})), combined=True)
    return Snapped(combined, out.problems, summary)
