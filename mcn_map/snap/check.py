"""Play Snap!, checking: what a chair's list must not share (a raw identifier where a label goes, people's names, a
note in a label column), dates it cannot read, identifiers that will never match, and values unknown to the landscape.
Problems name file, sheet, row and column, and never echo an identifier."""

from __future__ import annotations

import re

import pandas as pd

from ..errors import InputError, Problem
from ..loading.cells import cell_text, parse_date, per_distinct
from ..loading.problems import MAX_LISTED, Collector, suggest
from ..privacy.cohorts import check_nhs_numbers
from ..privacy.freetext import identifier_kinds, looks_like_a_name, name_share
from ..privacy.identifiers import mask_identifier, snapped
from .read import LandscapeNames, header_token

__all__ = ["SnapProblems", "snap_dates", "check_ids", "refuse_identifiers", "refuse_names", "check_values",
           "MAX_SHARED_TEXT"]


class SnapProblems(Collector):
    """The loader's collector (same row listing and summaries), able to stop the snap when there are errors."""

    def raise_if_errors(self, summary: str) -> list[Problem]:
        if any(p.is_error for p in self.problems):
            raise InputError(self.problems, summary)
        return self.problems


_MONTH_TEXT = re.compile(r"^\d{4}-\d{2}$")


def snap_dates(values: pd.Series, rows: pd.Series, out: SnapProblems, where: dict, precision: str) -> pd.Series:
    """Dates (cells or text) to 'YYYY-MM' (month) or 'YYYY-MM-DD' (day); 'keep' keeps a snapped 'YYYY-MM' as a
    month and any other date as a day. Blank stays blank; unreadable dates are errors."""
    text = per_distinct(values, cell_text).str.strip()
    parsed = per_distinct(values, parse_date)
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


def check_ids(ids: pd.Series, rows: pd.Series, out: SnapProblems, loc: dict) -> None:
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


MAX_SHARED_TEXT = 200  # characters in a lead agency or post label: a longer cell is a note or worse, not a label


def refuse_identifiers(values: pd.Series, rows: pd.Series, out: SnapProblems, loc: dict) -> None:
    """The lead agency and post columns are shared as they are: an NHS number, an email address or a phone number
    there (a column mix-up, or contact details in a post), or a cell far longer than a label, must stop it."""
    long = values.str.len().fillna(0).astype(int) > MAX_SHARED_TEXT
    if long.any():
        out.rows("error", rows[long].tolist(), lambda i: f"this column is shared as it is, but the cell holds over "
                 f"{MAX_SHARED_TEXT} characters: more like a note than a lead agency or post label.",
                 "Check the column is the lead agency (or the lead worker's post label), or name the right one with "
                 "--lead-column / --post-column.", what="long cells in a shared column", **loc)
    kinds = {v: " or ".join(identifier_kinds(v)) for v in pd.unique(values) if isinstance(v, str) and v}
    found = values.map(lambda v: bool(kinds.get(v))).astype(bool)
    if found.any():
        said = values[found].map(kinds).tolist()
        out.rows("error", rows[found].tolist(), lambda i: "this column is shared as it is, but holds what looks like "
                 f"{said[i]}.", "Check the column is the lead agency (or the lead worker's post label), or name "
                 "the right one with --lead-column / --post-column.", what="identifiers in a shared column", **loc)


NAME_SAMPLE = 5000  # distinct values looked at to tell a column of names from one of posts or agencies


def refuse_names(values: pd.Series, out: SnapProblems, loc: dict, option: str, what: str) -> bool:
    """A lead agency or post column that holds people's names (half or more of its different values shaped like a
    name) is refused whole, without echoing one: names are never shared. True when refused."""
    named, distinct = name_share(pd.unique(values)[:NAME_SAMPLE])
    if not named or named * 2 < distinct:
        return False
    out.add("error", f"this column looks like people's names ({named:,} of its {distinct:,} different values are "
            f"shaped like a first name and surname), not {what}; names are never shared, so nothing was written.",
            f"Point {option} at the column holding {what} (a post label such as 'MD coordinator 1', never a "
            f"name), or leave {option} out to share no {what}.", row=1, **loc)
    return True


def check_values(frame: pd.DataFrame, column: str, valid: dict, names: LandscapeNames, out: SnapProblems,
                  what: str) -> pd.Series:
    """Check one column's distinct values against a landscape's ids, once per value (never a flood of rows).

    An agency or forum written by its name, in any case or spacing, becomes its id."""
    lookup = {header_token(i): i for i in valid} | {header_token(n): i for i, n in valid.items() if header_token(n) not in
                                              {header_token(i) for i in valid}}
    values = frame[column]
    mapped = values.map(lambda v: lookup.get(header_token(v), None) if v else "")
    bad = mapped.isna()
    sheet = 'forums' if column == 'forum_id' else 'agencies'
    fix = (f"Use {'a forum_id' if column == 'forum_id' else 'an agency_id'} from {names.file}, or ask the analyst "
           "to add it there.")
    unshown = []
    for value in sorted(set(values[bad])):
        hits = frame[bad & (values == value)]
        first = hits.iloc[0]
        rows = f" ({len(hits):,} rows)" if len(hits) > 1 else ""
        hint = suggest(value, list(valid) + list(valid.values()))
        where = dict(file=first["file"], sheet=first["sheet"] or None, row=int(first["row"]), column=column)
        if column == "forum_id" or _echoed(value, hint):
            out.add("error", f"{what} `{value}`{rows} is not in the {sheet} sheet of {names.file}{hint}", fix, **where)
        else:
            unshown.append((hits, where))
    for hits, where in unshown[:MAX_LISTED]:
        rows = f" ({len(hits):,} rows)" if len(hits) > 1 else ""
        out.add("error", f"a lead {what}{rows} is not in the {sheet} sheet of {names.file} (the value is not shown: "
                "it is no near miss of one there, and could be a person's name).", fix, **where)
    if len(unshown) > MAX_LISTED:
        rest = unshown[MAX_LISTED:]
        out.add("error", f"{len(rest):,} more lead {what} values ({sum(len(h) for h, _ in rest):,} rows) are not in "
                f"the {sheet} sheet of {names.file}.", fix, file=rest[0][1]["file"], column=column)
    return mapped.fillna(values)


def _echoed(value: str, hint: str) -> bool:
    """An unknown lead agency is shown only when it is plainly a typo of one in the landscape (a close match was
    found) and is neither shaped like a name nor like an identifier: 'polic' yes, 'Jane Smith' or 'P0001' never."""
    return hint != "." and not looks_like_a_name(value) and sum(ch.isdigit() for ch in value) < 3 and len(value) <= 40
