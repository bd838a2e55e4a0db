"""The commissioner's decisions on write-ins, read back from a reconciliation workbook (``collect --approvals``).

`collect` lists every write-in on the reconciliation workbook's *Write-ins* sheet, with how it was matched. In the
*decision* column the commissioner chooses **approve** (keep the match), **reject** (not that one: add what the
chair wrote as new) or **correct** (use the agency or meeting named in *use instead*); blank leaves the match as
`collect` made it. Running `collect` again with ``--approvals`` that workbook applies the decisions. Anything that
cannot be read is a located problem (sheet, row, column, what is wrong, how to fix it), and no cell's text is ever
repeated in a message: a pasted identifier stays where it was typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, McnMapError, Problem

__all__ = ["DECISIONS", "APPROVAL_HEADERS", "Decision", "read_approvals", "check_decisions"]

SHEET = "Write-ins"
DECISIONS = ("approve", "reject", "correct")
APPROVAL_HEADERS = ("written by", "kind", "as written", "decision", "use instead")
KINDS = ("agency", "meeting")


@dataclass(frozen=True)
class Decision:
    """What the commissioner decided for one write-in, and where they wrote it."""

    decision: str  # approve, reject or correct
    use_instead: str  # correct: a known agency or meeting, by name or id
    row: int
    file: str

    def problem(self, message: str, fix: str, column: str = "use instead") -> Problem:
        return Problem("error", message, fix, file=self.file, sheet=SHEET, row=self.row, column=column)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _header(sheet) -> tuple[int, dict[str, int]]:
    """The header row (within the first five) and each approval column's position."""
    for row in sheet.iter_rows(min_row=1, max_row=5):
        found = {_text(c.value).lower(): c.column - 1 for c in row if _text(c.value)}
        if "as written" in found:
            return row[0].row, found
    return 0, {}


def _open(path: Path):
    from openpyxl import load_workbook

    if not path.exists():
        raise McnMapError(f"the approvals workbook {path.name} does not exist: give the reconciliation workbook you "
                          "saved with your decisions.")
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise McnMapError(f"{path.name} is not an Excel workbook (.xlsx): give the reconciliation workbook that "
                          "`mcn-map collect` wrote, saved with your decisions.") from None


def _row_decision(values: tuple, at: dict[str, int], row: int, file: str, problems: list) -> tuple | None:
    cell = lambda name: _text(values[at[name]]) if at[name] < len(values) else ""  # noqa: E731
    decision, instead = cell("decision").lower(), cell("use instead")
    if not decision and not instead:
        return None
    where = {"file": file, "sheet": SHEET, "row": row}
    if decision not in DECISIONS:
        problems.append(Problem("error", "the decision is not one mcn-map knows." if decision else
                                "'use instead' is filled in but the decision is blank.",
                                f"Choose {', '.join(DECISIONS)} from the list (or leave both cells blank).",
                                column="decision", **where))
        return None
    if decision == "correct" and not instead:
        problems.append(Problem("error", "'correct' needs the agency or meeting to use instead.",
                                "Write its name as on the agencies or forums sheet in 'use instead'.",
                                column="use instead", **where))
        return None
    if decision != "correct" and instead:
        problems.append(Problem("error", f"'use instead' is only read with 'correct', not '{decision}'.",
                                "Choose 'correct', or clear 'use instead'.", column="decision", **where))
        return None
    kind = cell("kind").lower()
    if kind not in KINDS or not cell("written by") or not cell("as written"):
        problems.append(Problem("error", "this row's 'written by', 'kind' or 'as written' was changed or cleared, so "
                                "the write-in it decides cannot be found.",
                                "Put them back as collect wrote them.", column="as written", **where))
        return None
    return (cell("written by"), kind, cell("as written")), Decision(decision, instead, row, file)


def read_approvals(path: str | Path) -> dict[tuple[str, str, str], Decision]:
    """(written by, kind, as written) -> the decision, from the reconciliation workbook at ``path``; an InputError
    listing every problem when any row cannot be used."""
    path = Path(path)
    book = _open(path)
    try:
        if SHEET not in book.sheetnames:
            raise InputError([Problem("error", f"there is no '{SHEET}' sheet.", "Give the reconciliation workbook "
                                      "`mcn-map collect` wrote, with its sheets as they were.", file=path.name)],
                             "the approvals workbook cannot be used")
        sheet = book[SHEET]
        header, at = _header(sheet)
        missing = [h for h in APPROVAL_HEADERS if h not in at]
        if missing:
            raise InputError([Problem("error", f"the columns {', '.join(missing)} are missing.",
                                      "Use a reconciliation workbook written by this version of `mcn-map collect`, "
                                      "and keep its headings as they were.", file=path.name, sheet=SHEET,
                                      row=header or None)], "the approvals workbook cannot be used")
        decisions, problems, seen = {}, [], {}
        for row, values in enumerate(sheet.iter_rows(min_row=header + 1, values_only=True), start=header + 1):
            found = _row_decision(values, at, row, path.name, problems)
            if found is None:
                continue
            key, decision = found
            if key in seen and (seen[key].decision, seen[key].use_instead) != (decision.decision, decision.use_instead):
                problems.append(decision.problem(f"the same write-in is decided differently on row {seen[key].row}.",
                                                 "Keep one decision for it.", column="decision"))
            seen[key] = decisions[key] = decision
    finally:
        book.close()
    if problems:
        raise InputError(problems, "the approvals workbook has decisions that cannot be used")
    return decisions


def check_decisions(decisions: dict, used: set) -> None:
    """Every decision must decide a write-in in the returned forms: an InputError for those that do not."""
    unused = [d for key, d in decisions.items() if key not in used]
    if unused:
        raise InputError([d.problem("no returned form has this write-in, so the decision was not used.",
                                    "Check the row against the forms being collected, or delete the decision.",
                                    column="as written") for d in unused],
                         "the approvals workbook decides write-ins the returned forms do not have")
