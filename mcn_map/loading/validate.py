"""Validated loading: raw sheets -> every problem found in one pass -> a :class:`~mcn_map.model.Landscape`.

Each check is vectorised over a whole column; problems name file, sheet, Excel row and column, say what is wrong,
how to fix it, and suggest the closest valid value for a typo. Repeats of one problem in one column are listed
for the first few rows and then summarised, so a million-row sheet gives a readable report.

Cells are read by :mod:`mcn_map.loading.cells`, problems gathered by :mod:`mcn_map.loading.problems`, and the case list's
identifiers keyed by :mod:`mcn_map.privacy.cohorts`; this module holds the sheet and cross-sheet checks.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ..privacy.scrub import without_control_characters
from .cells import DistinctText, distinct_text, parse_date, per_distinct
from ..errors import InputError, Problem
from ..model import Landscape, seat_attendance
from ..privacy.cohorts import key_cohorts
from ..privacy.pasted import pasted_layout_problem
from .problems import MAX_LISTED, Collector, suggest
from ..running.progress import Progress
from ..running.plan import Plan, no_gc_pauses
from .reading import RawSheet, Reading, start_reading
from .schema import FREQUENCY_DAYS, SHEETS, Column, Sheet, VOCABULARIES, canonical_token, vocabulary_lookup
from .scan import column_letters

__all__ = ["Loading", "start_loading", "load", "loaded", "check", "load_frames", "MAX_LISTED"]


# -- per-sheet checks ---------------------------------------------------------------------------------------------

def _personal(spec: Sheet) -> bool:
    """The cohorts sheet holds people's identifiers: whatever is in any of its cells is never echoed back, because
    with its columns in the wrong order (or its header row left off) any column may hold them."""
    return spec.name == "cohorts"


def _shown(value: str, spec: Sheet, column: str) -> str:
    return f"the {column} in this row" if _personal(spec) else f"'{value}'"


def _echo_reference(value: str, spec: Sheet, suggestion: str) -> bool:
    """On the cohorts sheet an unknown forum or agency id is shown only when it is plainly a typo of a real one
    (a close match was found) and is not shaped like an identifier (few digits): 'polic' yes, 'P0001' never."""
    if not _personal(spec):
        return True
    return suggestion != "." and sum(ch.isdigit() for ch in value) < 3 and len(value) <= 40


def _match_columns(raw: RawSheet, spec: Sheet, out: Collector) -> dict[str, str] | None:
    """Map canonical column name -> header as spelled. Reports missing required columns and repeated headers."""
    by_token, positions = {}, {}
    for position, header in enumerate(raw.table.columns, start=1):
        token = canonical_token(header).replace(" ", "_")
        if token:
            by_token.setdefault(token, header)
            positions.setdefault(token, []).append(position)
    repeated = {token: at for token, at in positions.items() if len(at) > 1}
    for token, at in repeated.items():
        letters = " and ".join(column_letters(n) for n in at)
        what = "the same header" if _personal(spec) else f"'{by_token[token]}'"
        out.add("error", f"columns {letters} are both headed {what} (headers are matched ignoring case and "
                "spaces), so mcn-map cannot tell which to use.", "Rename or delete one of the columns.",
                file=raw.file, sheet=raw.name, row=1, column=column_letters(at[1]))
    mapping = {c.name: by_token[c.name] for c in spec.columns if c.name in by_token}
    missing = [c for c in spec.required_columns if c not in mapping]
    for name in missing:
        headers = [h for h in raw.table.columns if h]
        if _personal(spec):
            # Row 1 may be data (a header row left off): say how many headers there are, never what they say.
            out.add("error", f"required column '{name}' is missing.",
                    f"Add a column headed '{name}' in row 1 (row 1 has {len(headers)} filled-in cell"
                    f"{'s' if len(headers) != 1 else ''}, none of them '{name}'; the header row must be row 1).",
                    file=raw.file, sheet=raw.name, row=1, column=name)
            continue
        out.add("error", f"required column '{name}' is missing{suggest(name, headers)}",
                f"Add a column headed '{name}' in row 1 (headers found: {', '.join(map(str, headers)) or 'none'}).",
                file=raw.file, sheet=raw.name, row=1, column=name)
    return None if missing or repeated else mapping


def _error_cells(raw: RawSheet, out: Collector) -> None:
    """Cells holding a spreadsheet error (#DIV/0!, #VALUE!, ...) read as blank: report them instead."""
    by_column: dict[int, list[tuple[int, str]]] = {}
    for row, column, text in raw.error_cells:
        by_column.setdefault(column, []).append((row, text))
    headers = list(raw.table.columns)
    for column, cells in sorted(by_column.items()):
        header = headers[column - 1] if 0 < column <= len(headers) and headers[column - 1] else column_letters(column)
        out.rows("error", [r for r, _ in cells],
                 lambda i: f"the cell holds a spreadsheet error ({cells[i][1] or 'an error value'}), not a value.",
                 "Fix the formula or type the value in; an error cell is not read as blank.",
                 file=raw.file, sheet=raw.name, column=header, what="error cells")


def _distinct_clean_text(values: pd.Series, header: str, raw: RawSheet, out: Collector) -> DistinctText:
    """A column as text, once per distinct cell. Control characters (vertical tab, ESC, BEL, ...) cannot go into a
    workbook or GraphML and would drive a terminal: each is removed, with a warning naming the rows."""
    text = distinct_text(values, raw.distinct_cells(header))
    found = text.control_characters()
    if found is None:
        return text
    out.rows("warning", raw.rows[text.per_row(found)].tolist(),
             lambda i: "a control character (such as a vertical tab or an escape code) was removed.",
             "Retype the cell's text; control characters usually come from pasting from another system.",
             file=raw.file, sheet=raw.name, column=header, what="control characters")
    return text.mapped(without_control_characters)


def _clean_sheet(raw: RawSheet, spec: Sheet, out: Collector) -> pd.DataFrame | None:
    """Convert one sheet's values to canonical form, reporting value-level problems. None if it cannot be used."""
    mapping = _match_columns(raw, spec, out)
    if mapping is None:
        return None
    table = raw.table
    file, sheet = raw.file, raw.name
    _error_cells(raw, out)
    # Unknown columns are kept, as text, under their own header.
    extras = [h for h in table.columns if h and h not in mapping.values()]
    # Columns are checked once per distinct cell (a case list repeats a few thousand values a million times).
    texts = {name: _distinct_clean_text(table[header], header, raw, out) for name, header in mapping.items()}
    extra_texts = {h: _distinct_clean_text(table[h], h, raw, out).mapped(str.strip) for h in extras}

    # Blank rows: every known cell empty. Dropped with a warning.
    stripped = {name: text.mapped(str.strip) for name, text in texts.items()}
    empty = {name: text.texts == "" for name, text in stripped.items()}  # per distinct cell
    blank = (np.logical_and.reduce([stripped[name].per_row(empty[name]) for name in stripped]) if stripped
             else np.zeros(0, bool))
    for h in extras:
        blank &= extra_texts[h].per_row(extra_texts[h].texts == "")
    rows = raw.rows
    if blank.any():
        # Trailing blank rows are just the end of the sheet; only blank rows between data are worth a word.
        data_rows = np.flatnonzero(~blank)
        interior = blank.copy()
        if len(data_rows):
            interior[data_rows[-1] + 1:] = False
        else:
            interior[:] = False
        if interior.any():
            out.rows("warning", rows[interior].tolist(), lambda i: "blank row; it was skipped.",
                     "Delete blank rows between entries.", file=file, sheet=sheet, column=None, what="blank rows")
    keep = ~blank
    if not keep.any():
        if not spec.required:  # an optional sheet left as the template made it is simply not used
            return _empty_table(spec)
        out.add("error", f"the '{spec.name}' sheet has no entries.", f"Add {spec.row_unit} below the header row.",
                file=file, sheet=sheet)
        return None
    rows = rows[keep].reset_index(drop=True)
    result = pd.DataFrame({"row": rows.to_numpy()})

    for column in spec.columns:
        if column.name not in mapping:
            result[column.name] = _default_column(column, len(result))
            continue
        header = mapping[column.name]
        raw_values = table[header][keep].reset_index(drop=True)
        text, stripped_text = texts[column.name], stripped[column.name]
        clean = stripped_text.column(keep=keep)
        loc = dict(file=file, sheet=sheet, column=header)

        if column.kind in ("id", "text", "ref") and column.name != "person_id":
            spaced = text.per_row((text.texts != stripped_text.texts) & ~empty[column.name], keep)
            if spaced.any():
                out.rows("warning", rows[spaced].tolist(),
                         lambda i, v=text.per_row(text.texts, keep)[spaced].tolist():
                             f"stray spaces around {_shown(v[i].strip(), spec, column.name)}; they were removed.",
                         "Delete the spaces before or after the text.", what="stray spaces", **loc)
        if column.required:
            blank_here = stripped_text.per_row(empty[column.name], keep)
            if blank_here.any():
                out.rows("error", rows[blank_here].tolist(), lambda i: f"'{column.name}' is blank.",
                         f"Fill in {column.name} (e.g. `{column.example}`) or delete the row.",
                         what=f"blank {column.name}", **loc)

        if column.kind in ("id", "text", "ref"):
            result[column.name] = clean
        elif column.kind == "list":
            result[column.name] = clean.map(lambda s: tuple(t.strip() for t in s.split("|") if t.strip()))
        elif column.kind == "enum":
            result[column.name] = _enum(column, clean, rows, out, loc)
        elif column.kind == "date":
            result[column.name] = _dates(column, raw_values, clean, rows, out, loc, spec)
        elif column.kind == "count":
            result[column.name] = _counts(column, raw_values, clean, rows, out, loc, raw.from_text)

    for header in extras:
        name = header if header not in result.columns else f"{header} (extra)"
        result[name] = extra_texts[header].column(keep=keep)
    return result


def _empty_table(spec: Sheet) -> pd.DataFrame:
    frame = pd.DataFrame({"row": pd.Series([], dtype=int)})
    for column in spec.columns:
        frame[column.name] = _default_column(column, 0)
    return frame


def _default_column(column: Column, n: int) -> pd.Series:
    if column.kind == "date":
        return pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
    if column.kind == "count":
        return pd.Series(pd.NA, index=range(n), dtype="Int64")
    if column.kind == "list":
        return pd.Series([()] * n, index=range(n), dtype=object)
    return pd.Series([column.default or ""] * n, index=range(n), dtype=object)


_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "twelve": 12}
_EVERY = re.compile(r"^(?:every|each|once every|meets every)?\s*(\d+|" + "|".join(_NUMBER_WORDS)
                    + r")\s*(day|week|month|year)s?$")
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30.4, "year": 365}


def _frequency_suggestion(text: str) -> str:
    """A near-miss frequency ('every 4 weeks', '3 weekly') gets the nearest listed one suggested."""
    folded = canonical_token(text).replace("weekly", "week").replace("monthly", "month")
    found = _EVERY.match(folded)
    if not found:
        return ""
    count, unit = found.groups()
    days = (int(count) if count.isdigit() else _NUMBER_WORDS[count]) * _UNIT_DAYS[unit]
    # Less often than every four or five months is no listed rhythm: 'ad hoc'.
    nearest = "ad hoc" if days > 1.5 * FREQUENCY_DAYS["quarterly"] else min(
        (f for f in FREQUENCY_DAYS if f != "ad hoc"), key=lambda f: abs(FREQUENCY_DAYS[f] - days))
    return f"; did you mean `{nearest}` (the nearest listed frequency)?"


def _enum(column: Column, clean: pd.Series, rows: pd.Series, out: Collector, loc: dict) -> pd.Series:
    lookup = vocabulary_lookup(column.vocabulary)
    allowed = VOCABULARIES[column.vocabulary]
    uniques = pd.unique(clean)
    mapping = {u: lookup.get(canonical_token(u), None) if u else (column.default or "") for u in uniques}
    values = clean.map(mapping)
    bad = values.isna()
    if bad.any():
        bad_values = clean[bad].tolist()
        hints = {v: (column.vocabulary == "frequency" and _frequency_suggestion(v)) or suggest(v, allowed)
                 for v in dict.fromkeys(bad_values[:MAX_LISTED])}
        out.rows("error", rows[bad].tolist(),
                 lambda i: f"'{bad_values[i]}' is not a recognised {column.name.replace('_', ' ')}{hints[bad_values[i]]}",
                 f"Use one of: {', '.join(allowed)}.", what=f"unrecognised {column.name}", **loc)
        values = values.fillna("")
    return values.astype(object)


def _dates(column: Column, raw_values: pd.Series, clean: pd.Series, rows, out: Collector, loc: dict,
           spec: Sheet) -> pd.Series:
    present = clean != ""
    parsed = pd.Series(pd.NaT, index=clean.index, dtype="datetime64[ns]")
    if present.any():
        # Dates repeat a lot in case lists: parse each distinct cell once.
        parsed_present = per_distinct(raw_values[present], parse_date)
        ok = parsed_present.notna()
        parsed.loc[parsed_present.index[ok]] = pd.DatetimeIndex(parsed_present[ok].to_numpy()).as_unit("ns")
        if (~ok).any():
            bad_index = parsed_present.index[~ok]
            bad_values = clean[bad_index].tolist()
            out.rows("error", rows[bad_index].tolist(),
                     lambda i: f"{_shown(bad_values[i], spec, column.name)} is not a date mcn-map can read.",
                     f"Use a date cell or write it as YYYY-MM-DD or DD/MM/YYYY (e.g. `{column.example}`).",
                     what=f"unreadable {column.name}", **loc)
    return parsed


def _counts(column, raw_values, clean, rows, out: Collector, loc: dict, from_text: bool) -> pd.Series:
    present = clean != ""
    numbers = pd.to_numeric(clean.where(present, None).str.replace(",", "", regex=False), errors="coerce")
    bad = present & numbers.isna()
    if bad.any():
        bad_values = clean[bad].tolist()
        out.rows("error", rows[bad].tolist(), lambda i: f"'{bad_values[i]}' is not a number.",
                 f"Write {column.name} as a whole number (e.g. `{column.example}`).", what=f"non-numeric {column.name}",
                 **loc)
    if not from_text:
        as_text = present & ~bad & raw_values.map(type).eq(str)
        if as_text.any():
            out.rows("warning", rows[as_text].tolist(), lambda i: "number stored as text; it was read as a number.",
                     "In Excel, select the column and use 'Convert to Number'.", what="numbers stored as text", **loc)
    negative = numbers < 0
    if negative.any():
        out.rows("error", rows[negative.fillna(False)].tolist(), lambda i: f"{column.name} cannot be negative.",
                 "Enter a count of 0 or more.", what=f"negative {column.name}", **loc)
    fractional = numbers.notna() & (numbers % 1 != 0)
    if fractional.any():
        out.rows("error", rows[fractional].tolist(), lambda i: f"{column.name} must be a whole number.",
                 "Round it to a whole number of meetings.", what=f"fractional {column.name}", **loc)
    huge = (numbers > 1e9).fillna(False) & ~fractional  # beyond any real count, and beyond what Int64 can hold
    if huge.any():
        out.rows("error", rows[huge].tolist(), lambda i: f"{column.name} is too large to be a count of meetings.",
                 f"Enter the number of meetings (e.g. `{column.example}`).", what=f"too large {column.name}", **loc)
    numbers = numbers.where(~(negative.fillna(False) | fractional | bad | huge))
    return numbers.round().astype("Int64")


# -- cross-sheet checks -------------------------------------------------------------------------------------------

def _unique(frame: pd.DataFrame, spec: Sheet, raw: RawSheet, out: Collector) -> None:
    ids = frame[spec.key]
    repeated = ids.duplicated(keep="first") & (ids != "")
    if repeated.any():
        first_row = frame.drop_duplicates(spec.key).set_index(spec.key)["row"]
        values = ids[repeated].tolist()
        out.rows("error", frame["row"][repeated].tolist(),
                 lambda i: f"{spec.key} '{values[i]}' is used again (first in row {first_row[values[i]]}).",
                 f"Give each {spec.key} a different value, or merge the two rows.", file=raw.file, sheet=raw.name,
                 column=spec.key, what=f"repeated {spec.key}")


def _references(frames: dict[str, pd.DataFrame], raws: dict[str, RawSheet], out: Collector, sheets=None) -> None:
    """Ids that name no forum or agency, in the frames of ``sheets`` (all of them when None)."""
    for sheet_name, frame in frames.items():
        if sheets is not None and sheet_name not in sheets:
            continue
        spec = SHEETS[sheet_name]
        for column in spec.columns:
            if column.kind != "ref" or column.references is None:
                continue
            target_sheet, target_column = column.references
            if target_sheet not in frames:
                continue
            valid = frames[target_sheet][target_column]
            valid_set = set(valid)
            values = frame[column.name]
            dangling = (values != "") & ~values.isin(valid_set)
            if dangling.any():
                bad = values[dangling].tolist()
                # Only the rows listed one by one get a did-you-mean: 5,000 unknown ids must not mean 5,000 searches.
                choices = sorted(valid_set)
                suggestions = {v: suggest(v, choices) for v in dict.fromkeys(bad[:MAX_LISTED])}
                target_word = "forums" if target_sheet == "forums" else "agencies"
                noun = target_column.replace('_id', '')
                out.rows("error", frame["row"][dangling].tolist(),
                         lambda i: (f"{noun} `{bad[i]}` is not in {target_word}"
                                    if _echo_reference(bad[i], spec, suggestions[bad[i]]) else
                                    f"the {column.name} in this row is not in {target_word}") + suggestions[bad[i]],
                         f"Use {'an' if target_column[0] in 'aeiou' else 'a'} {target_column} from the '{target_sheet}' sheet, "
                         f"or add the missing one there.",
                         file=raws[sheet_name].file, sheet=raws[sheet_name].name, column=column.name,
                         what=f"unknown {target_column}")


def _forum_checks(forums: pd.DataFrame, raw: RawSheet, out: Collector) -> None:
    loc = dict(file=raw.file, sheet=raw.name)
    no_target = (forums["status"] == "merged") & (forums["merged_into"] == "")
    out.rows("warning", forums["row"][no_target].tolist(), lambda i: "status is 'merged' but merged_into is blank.",
             "Enter the forum_id of the forum it merged into.", column="merged_into", what="no merged_into", **loc)
    stray = (forums["status"] != "merged") & (forums["merged_into"] != "")
    out.rows("warning", forums["row"][stray].tolist(),
             lambda i: "merged_into is filled in but status is not 'merged'.",
             "Set status to 'merged', or clear merged_into.", column="status", what="merged_into but not merged", **loc)
    self_merge = (forums["merged_into"] != "") & (forums["merged_into"] == forums["forum_id"])
    out.rows("error", forums["row"][self_merge].tolist(), lambda i: "a forum cannot be merged into itself.",
             "Enter the forum it merged into.", column="merged_into", what="merged into itself", **loc)


def _seat_checks(seats: pd.DataFrame, raw: RawSheet, out: Collector) -> None:
    loc = dict(file=raw.file, sheet=raw.name)
    over = (seats["meetings_attended"] > seats["meetings_held"]).fillna(False)
    if over.any():
        pairs = seats.loc[over, ["meetings_attended", "meetings_held"]].astype(int).values.tolist()
        out.rows("error", seats["row"][over].tolist(),
                 lambda i: f"meetings_attended ({pairs[i][0]}) is more than meetings_held ({pairs[i][1]}).",
                 "Check both counts: a seat cannot attend more meetings than were held.", column="meetings_attended",
                 what="attended more than held", **loc)
    repeated = seats.duplicated(["forum_id", "agency_id", "post"], keep="first")
    if repeated.any():
        out.rows("warning", seats["row"][repeated].tolist(),
                 lambda i: "the same agency and post appear twice on this forum.",
                 "Delete the repeated seat, or give each seat its own post label.", column="agency_id",
                 what="repeated seats", **loc)


def _unseated_checks(frames: dict[str, pd.DataFrame], raws: dict[str, RawSheet], out: Collector) -> None:
    """Forums with no seats and agencies on no forum: allowed, but the map and analyses can say little about them."""
    seated = frames["members"]
    for sheet, column, held, what, fix in (
            ("forums", "forum_id", set(seated["forum_id"]), "forum has no seats on the members sheet",
             "Add a row to 'members' for each agency that sits on it, or delete the forum if it does not meet."),
            ("agencies", "agency_id", set(seated["agency_id"]), "agency holds no seat on any forum",
             "Add its seats to 'members', or delete the agency if it takes no part.")):
        frame = frames[sheet]
        empty = ~frame[column].isin(held)
        if empty.any():
            out.rows("warning", frame["row"][empty].tolist(), lambda i, what=what: f"this {what}.", fix,
                     file=raws[sheet].file, sheet=raws[sheet].name, column=column, what=what.split(" ", 1)[1])


def _shared_ids(frames: dict[str, pd.DataFrame], raws: dict[str, RawSheet], out: Collector) -> None:
    """An agency whose id is also a forum's: allowed (graphs and exports keep them apart as ``agency:x`` and
    ``forum:x``), but a tool joining the two sheets by id, or a reader, would take them for one thing."""
    forums, agencies = frames["forums"], frames["agencies"]
    forum_row = forums.drop_duplicates("forum_id").set_index("forum_id")["row"]
    shared = agencies["agency_id"].isin(set(forum_row.index)) & (agencies["agency_id"] != "")
    if shared.any():
        ids = agencies["agency_id"][shared].tolist()
        out.rows("warning", agencies["row"][shared].tolist(),
                 lambda i: (f"agency_id '{ids[i]}' is also a forum_id ({raws['forums'].name} row "
                            f"{forum_row[ids[i]]}); the exports keep them apart as agency:{ids[i]} and "
                            f"forum:{ids[i]}."),
                 "Give the agency or the forum a different id (for example add '-service' or '-panel'), so no one "
                 "takes them for one thing.", file=raws["agencies"].file, sheet=raws["agencies"].name,
                 column="agency_id", what="agency ids that are also forum ids")


def _link_checks(links: pd.DataFrame, raw: RawSheet, out: Collector) -> None:
    loop = (links["from_forum"] == links["to_forum"]) & (links["from_forum"] != "")
    out.rows("warning", links["row"][loop].tolist(), lambda i: "a link from a forum to itself.",
             "Point to_forum at a different forum.", file=raw.file, sheet=raw.name, column="to_forum",
             what="links from a forum to itself")


def _report_checks(reports: pd.DataFrame, raw: RawSheet, out: Collector) -> None:
    """The 1-4 scores a chair gives the contact between two forums."""
    for column in ("value", "reliability"):
        outside = ((reports[column] < 1) | (reports[column] > 4)).fillna(False)
        out.rows("error", reports["row"][outside].tolist(), lambda i, c=column: f"{c} must be from 1 to 4.",
                 "Use 1 (not at all), 2 (a little), 3 (quite) or 4 (very), or leave it blank.", file=raw.file,
                 sheet=raw.name, column=column, what=f"{column} outside 1 to 4")


CASE_LIST = "cohorts"  # the one sheet whose checks wait for the others: a long case list is parsed while they run


class _SeatStage:
    """The checks of every sheet but the case list, and their cleaned frames: all the validation that can be done
    while python-calamine parses a long case list (see :func:`check`)."""

    def __init__(self, raws: dict[str, RawSheet], source: str):
        self.out = out = Collector()
        self.frames = frames = {}
        for sheet_name, spec in SHEETS.items():
            if spec.required and sheet_name not in raws:
                found = [r.name for r in raws.values()]
                out.add("error", f"required sheet '{sheet_name}' is missing{suggest(sheet_name, found)}",
                        f"Add a sheet named '{sheet_name}' (sheets found: {', '.join(found) or 'none'}); "
                        "`mcn-map template` makes a blank workbook with every sheet.", file=source, sheet=sheet_name)
        for sheet_name, spec in SHEETS.items():
            if sheet_name in raws and sheet_name != CASE_LIST:
                frame = _clean_sheet(raws[sheet_name], spec, out)
                if frame is not None:
                    frames[sheet_name] = frame
                    if spec.key:
                        _unique(frame, spec, raws[sheet_name], out)
        _references(frames, raws, out)
        if "forums" in frames:
            _forum_checks(frames["forums"], raws["forums"], out)
        if "members" in frames:
            _seat_checks(frames["members"], raws["members"], out)
        if "links" in frames and len(frames["links"]):
            _link_checks(frames["links"], raws["links"], out)
        if "reports" in frames and len(frames["reports"]):
            _report_checks(frames["reports"], raws["reports"], out)
        self.complete = all(name in frames for name in ("forums", "agencies", "members"))
        if self.complete:
            _unseated_checks(frames, raws, out)
            _shared_ids(frames, raws, out)
        self.ok = self.complete and not any(p.is_error for p in out.problems)
        if self.ok:  # counts that passed their checks: each seat's share of meetings attended
            seats = frames["members"]
            seats["attendance"] = seat_attendance(seats)
        self.source = source

    def landscape(self, cohorts: pd.DataFrame | None = None, problems=(), pseudonymised: bool = False) -> Landscape:
        """The landscape of these sheets, with ``cohorts`` (None: an empty case list)."""
        if cohorts is None or "person" not in cohorts:
            cohorts = _empty_table(SHEETS["cohorts"])
            cohorts["person"] = pd.Series([], dtype=np.int64)
        frames = self.frames
        return Landscape(
            forums=frames["forums"], agencies=frames["agencies"], seats=frames["members"], cohorts=cohorts,
            links=frames.get("links", _empty_table(SHEETS["links"])), source=self.source, warnings=tuple(problems),
            pseudonymised=pseudonymised and len(cohorts) > 0,
            responses=frames.get("responses", _empty_table(SHEETS["responses"])),
            replies=frames.get("replies", _empty_table(SHEETS["replies"])),
            reports=frames.get("reports", _empty_table(SHEETS["reports"])))

    def seat_landscape(self) -> Landscape | None:
        """The landscape with no case list, for work that reads no case list (the seat graph, the layout), or None
        when these sheets already hold an error."""
        return self.landscape() if self.ok else None


def _assemble(raws: dict[str, RawSheet], key: bytes | None, source: str,
              stage: _SeatStage | None = None) -> tuple[Landscape | None, list[Problem]]:
    """Every check, then the landscape. ``stage``: the checks of the sheets other than the case list, already made
    on these same sheets while it was parsed."""
    stage = stage or _SeatStage(raws, source)
    out, frames = stage.out, dict(stage.frames)
    if CASE_LIST in raws:
        frame = _clean_sheet(raws[CASE_LIST], SHEETS[CASE_LIST], out)
        if frame is not None:
            frames[CASE_LIST] = frame
            if SHEETS[CASE_LIST].key:
                _unique(frame, SHEETS[CASE_LIST], raws[CASE_LIST], out)
    if CASE_LIST in frames and len(frames[CASE_LIST]):
        # A pasted snapped file or columns out of order: one message instead of a flood of per-row errors.
        pasted = pasted_layout_problem(raws[CASE_LIST], frames.get("forums", {}).get("forum_id", ()),
                                       frames.get("agencies", {}).get("agency_id", ()))
        if pasted is not None:
            out.problems[:] = [p for p in out.problems if p.sheet != raws[CASE_LIST].name] + [pasted]
            del frames[CASE_LIST]
    _references(frames, raws, out, sheets=(CASE_LIST,))
    keyed = key is not None
    if CASE_LIST in frames and len(frames[CASE_LIST]):
        frames[CASE_LIST], keyed = key_cohorts(frames[CASE_LIST], raws[CASE_LIST], key, out)

    order = {name: i for i, name in enumerate(SHEETS)}
    canonical = {raw.name: name for name, raw in raws.items()}
    problems = sorted(out.problems, key=lambda p: (
        order.get(canonical.get(p.sheet, p.sheet), -1), p.row if p.row is not None else 10**9))
    if any(p.is_error for p in problems) or not stage.ok:
        return None, problems
    return stage.landscape(frames.get(CASE_LIST), problems, keyed), problems


class Loading:
    """A workbook being loaded (see :func:`start_loading`). ``seats``: while a long case list is still parsed in a
    thread, the landscape of every other sheet, already checked, with an empty case list, for work that reads no case
    list (None when no case list is being parsed, or the other sheets hold an error). :meth:`finish` waits for the
    case list, checks it, and returns (the landscape, or None when there are errors; every problem found)."""

    def __init__(self, reading: Reading | None, source: str, key: bytes | None, progress: Progress,
                 problems: list[Problem] | None = None, read_seconds: float = 0.0):
        self.reading, self.source, self.key, self.progress = reading, source, key, progress
        self._read_seconds = read_seconds  # reading's first part, in start_loading: one "read" line for both parts
        self._problems = problems  # set when the reading itself failed
        self._stage: _SeatStage | None = None
        self.seats: Landscape | None = None
        early = reading.early if reading is not None else None
        if early is not None and reading.parsing == CASE_LIST and all(
                n in early for n, s in SHEETS.items() if s.required):
            self._stage = _SeatStage(early, source)
            self.seats = self._stage.seat_landscape()

    def finish(self) -> tuple[Landscape | None, list[Problem]]:
        if self._problems is not None:
            return None, list(self._problems)
        started = time.perf_counter()
        reading, stage, self.reading, self._stage = self.reading, self._stage, None, None  # once: nothing kept
        try:
            raws = reading.finish()
        except InputError as exc:
            return None, list(exc.problems)
        finally:
            self.progress.record("read", self._read_seconds + time.perf_counter() - started)
        if stage is not None and not (set(raws) - set(reading.early) <= {CASE_LIST}
                                      and all(raws.get(k) is raw for k, raw in reading.early.items())):
            stage = None  # not the sheets read in the end: check them again
        del reading
        with self.progress.stage("validate"), no_gc_pauses():
            return _assemble(raws, self.key, self.source, stage)


def start_loading(path: str | Path, *, key: bytes | None = None, progress: Progress | None = None,
                  plan: Plan | None = None) -> Loading:
    """Start loading ``path``: the sheets are read (a long case list, where the plan says so, still being parsed in
    a thread) and the others checked; see :class:`Loading`. ``progress`` times "read" and "validate"."""
    progress = progress or Progress(enabled=False)
    source = Path(path).name
    started = time.perf_counter()
    try:
        reading = start_reading(path, plan=plan)
    except InputError as exc:
        progress.record("read", time.perf_counter() - started)
        return Loading(None, source, key, progress, problems=list(exc.problems))
    return Loading(reading, source, key, progress, read_seconds=time.perf_counter() - started)


def check(path: str | Path, *, key: bytes | None = None, progress: Progress | None = None,
          plan: Plan | None = None) -> tuple[Landscape | None, list[Problem]]:
    """Read and validate ``path``: (landscape or None when there are errors, every problem found)."""
    return start_loading(path, key=key, progress=progress, plan=plan).finish()


def load(path: str | Path, *, key: bytes | None = None, progress: Progress | None = None,
         plan: Plan | None = None) -> Landscape:
    """Load a landscape from an .xlsx workbook or a folder of .csv files; raise InputError listing every error."""
    return loaded(start_loading(path, key=key, progress=progress, plan=plan))


def loaded(loading: Loading) -> Landscape:
    """The landscape :meth:`Loading.finish` gives, or InputError listing every error."""
    landscape, problems = loading.finish()
    if landscape is None:
        raise InputError(problems, f"{loading.source} cannot be loaded")
    return landscape


def load_frames(frames: Mapping[str, pd.DataFrame], *, key: bytes | None = None, source: str = "memory") -> Landscape:
    """Load from in-memory tables keyed by sheet name (handy for tests and notebooks). Raises InputError."""
    raws = {}
    for name, frame in frames.items():
        table = frame.reset_index(drop=True).astype(object)
        raws[name.strip().lower().replace(" ", "_")] = RawSheet(
            name, table, pd.Series(range(2, 2 + len(table))), source, from_text=False)
    landscape, problems = _assemble(raws, key, source)
    if landscape is None:
        raise InputError(problems, f"{source} cannot be loaded")
    return landscape
