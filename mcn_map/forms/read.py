"""Reading one returned form: its id, and every answer, with located problems for anything that cannot be used.

A form comes back from a busy chair by email, perhaps through LibreOffice or Google Sheets. Sheets are found by name,
or by their header row when renamed; rows by their ``Ref``, columns by their header, so moved rows and columns still
read. A value outside a drop-down's list, a formula, or free text that looks like an identifier, an email address
or a telephone number is refused with its sheet, row and column (and never echoed); the rest of the form is used.
Nothing here knows the landscape: :mod:`.collect` matches answers to it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from python_calamine import CalamineWorkbook

from ..errors import Problem
from ..loading.reading import require_regular_file
from ..loading.unpacking import parts_as_declared
from ..loading.schema import VOCABULARIES, canonical_token
from ..loading.schema import vocabulary_lookup as schema_lookup
from ..loading.problems import suggest
from ..privacy.freetext import looks_like_a_name
from ..privacy.scrub import scrub_identifiers
from .layout import (IDENTITY_SHEET, MARKER, MEETING_QUESTIONS, OTHER_COLUMNS, PEOPLE_QUESTIONS, SEAT_COLUMNS,
                     SHEET_NAMES, TIE_ANSWERS, WRITE_IN_COLUMNS, WRITE_IN_KINDS, WRITE_IN_LINKS, FormId,
                     ties_from_answer)

__all__ = ["FormReturn", "read_form", "MAX_FORM_BYTES"]

MAX_FORM_BYTES = 20 * 1024 * 1024  # a form is tens of kilobytes; anything this size is not one
_MAX_UNPACKED = 200 * 1024 * 1024
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"(?<!\d)(?:\+44\s?|0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)")
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@functools.lru_cache(maxsize=None)
def vocabulary_lookup(vocabulary: str) -> dict[str, str]:
    """The loader's spellings for a vocabulary, built once (a region's forms ask for them a quarter of a million
    times)."""
    return schema_lookup(vocabulary)


@dataclass
class FormReturn:
    """One returned form: who it is from and what it says. Blank answers are left out: a blank is no answer."""

    file: str
    form_id: FormId | None = None
    saved: dt.datetime | None = None
    meeting: dict[str, str] = field(default_factory=dict)  # question ref -> answer
    seats: list[dict] = field(default_factory=list)  # ref, agency (name as written), seat, role, ..., row
    others: dict[str, dict] = field(default_factory=dict)  # forum ref -> its answers
    write_ins: list[dict] = field(default_factory=list)
    people: dict[str, str] = field(default_factory=dict)
    round_forums: list[tuple[str, str, str]] = field(default_factory=list)  # forum_id, name, chair post
    problems: list[Problem] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        """A form is used when its id is intact; problems in single cells only set those answers aside."""
        return self.form_id is not None and self.form_id.intact

    def problem(self, severity, message, fix="", sheet=None, row=None, column=None) -> None:
        self.problems.append(Problem(severity, message, fix, self.file, sheet, row, column))


# -- the file -----------------------------------------------------------------------------------------------------

def _open(path: Path, form: FormReturn) -> CalamineWorkbook | None:
    """The workbook, or None with a problem: not a regular file, too large, not an .xlsx, a zip bomb."""
    from ..errors import InputError

    try:
        require_regular_file(path, form.file, limit=MAX_FORM_BYTES, what="form")
    except InputError as exc:
        form.problems.extend(exc.problems)
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
            names = set(archive.namelist())
            honest = unpacked > _MAX_UNPACKED or parts_as_declared(archive)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        form.problem("error", "is not an Excel workbook (.xlsx), so it cannot be a returned form.",
                     "Ask the chair to save it as 'Excel Workbook (.xlsx)' and send it again (in LibreOffice: "
                     "File, Save As, 'Excel 2007-365'; in Google Sheets: File, Download, Microsoft Excel).")
        return None
    if unpacked > _MAX_UNPACKED or "xl/workbook.xml" not in names:
        form.problem("error", "is not a form mcn-map made (it is not a normal Excel workbook, or unpacks to "
                     f"more than {_MAX_UNPACKED // 1024**2} MB).", "Send the chair a fresh form.")
        return None
    if not honest:
        form.problem("error", "is damaged: a part of it unpacks to more, or less, than the file says it holds, so "
                     "it was not opened (in case it is a zip bomb).", "Ask the chair to save it again.")
        return None
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception:  # python-calamine raises its own error types for a damaged workbook
        form.problem("error", "is damaged and cannot be read as a workbook.", "Ask the chair to save it again.")
        return None


def _sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name -> its part in the zip, from the workbook's relationships."""
    with zipfile.ZipFile(path) as archive:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = {}
    for sheet in book.iter(f"{_MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        target = target.lstrip("/")
        parts[sheet.get("name")] = target if target.startswith("xl/") else f"xl/{target}"
    return parts


_FORMULA_CELL = re.compile(rb'<(?:\w+:)?c r="([A-Z]+)(\d+)"[^>]*?(?<!/)>(?:(?!</(?:\w+:)?c>).)*?<(?:\w+:)?f[ >/]',
                           re.S)


def _formula_cells(path: Path, sheet: str, parts: dict[str, str]) -> set[tuple[int, int]]:
    """(row, column) of every formula on ``sheet``: a chair types answers; a formula is refused, not evaluated."""
    part = parts.get(sheet)
    if not part:
        return set()
    try:
        with zipfile.ZipFile(path) as archive:
            data = archive.read(part)
    except (KeyError, OSError, zipfile.BadZipFile):
        return set()
    cells = set()
    for letters, row in _FORMULA_CELL.findall(data):
        column = 0
        for ch in letters.decode():
            column = column * 26 + ord(ch) - 64
        cells.add((int(row), column))
    return cells


def _saved(path: Path) -> dt.datetime | None:
    """When the form was last saved, from the workbook's own properties (file times do not survive email)."""
    try:
        with zipfile.ZipFile(path) as archive:
            core = archive.read("docProps/core.xml").decode("utf-8", "replace")
    except (KeyError, OSError, zipfile.BadZipFile):
        return None
    found = re.search(r"<dcterms:modified[^>]*>([^<]+)<", core)
    if not found:
        return None
    try:
        return dt.datetime.fromisoformat(found.group(1).strip().replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return None


# -- cells ----------------------------------------------------------------------------------------------------------

def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def personal_text(text: str) -> bool:
    """Free text that looks like an NHS number (or any run of ten digits), an email address or a telephone number."""
    return scrub_identifiers(text) != text or bool(_EMAIL.search(text)) or bool(_PHONE.search(text))


@dataclass
class _Table:
    """A sheet's table: header row found, columns by key, data rows as (Excel row, {key: text})."""

    sheet: str
    rows: list[tuple[int, dict[str, str]]]


def _header_map(row: list, columns) -> dict[str, int]:
    wanted = {canonical_token(header): key for key, header, _ in columns}
    found = {}
    for index, value in enumerate(row):
        key = wanted.get(canonical_token(_cell_text(value)))
        if key and key not in found:
            found[key] = index
    return found


def _find_header(grid: list[list], columns) -> tuple[int, dict[str, int]] | None:
    """The first of the top 40 rows holding the Ref header and at least half the others."""
    for index, row in enumerate(grid[:40]):
        found = _header_map(row, columns)
        if "ref" in found and len(found) >= max(2, len(columns) // 2):
            return index, found
    return None


def _table(book: CalamineWorkbook, key: str, columns, form: FormReturn, visible: list[str], path: Path,
           parts: dict[str, str]) -> _Table | None:
    """Find the sheet by name (or, renamed, by its header row), then read its rows."""
    expected = SHEET_NAMES[key]
    by_token = {canonical_token(n): n for n in visible}
    candidates = [by_token[canonical_token(expected)]] if canonical_token(expected) in by_token else []
    candidates += [n for n in visible if n not in candidates]
    for name in candidates:
        grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        header = _find_header(grid, columns)
        if header is None:
            continue
        if name != expected:
            form.problem("warning", f"the sheet '{expected}' was renamed; its answers were read from it.",
                         "Keep the sheet names as they were sent.", sheet=name)
        return _rows(grid, header, columns, form, name, _formula_cells(path, name, parts))
    form.problem("error", f"the sheet '{expected}' is missing, or its header row was changed, so its answers "
                 "could not be read.", "Put the sheet back as it was sent (or send the chair a fresh form) and "
                 "collect again.", sheet=expected)
    return None


def _rows(grid, header, columns, form: FormReturn, sheet: str, formulas) -> _Table:
    index, found = header
    headers = {key: title for key, title, _ in columns}
    for key, title, _ in columns:
        if key not in found:
            form.problem("error", f"the column '{title}' is missing or its heading was changed; its answers were "
                         "not read.", "Put the heading back as it was sent.", sheet=sheet, row=index + 1)
    rows = []
    for offset, row in enumerate(grid[index + 1:], start=index + 2):
        values = {}
        for key, column in found.items():
            value = row[column] if column < len(row) else None
            if (offset, column + 1) in formulas:
                form.problem("error", "the cell holds a formula, not an answer; it was not used.",
                             "Type the answer itself (a formula's result can change when the file is opened).",
                             sheet=sheet, row=offset, column=headers[key])
                continue
            values[key] = _cell_text(value)
        if any(values.values()):
            rows.append((offset, values))
    return _Table(sheet, rows)


# -- answers --------------------------------------------------------------------------------------------------------

def _choice(text: str, allowed, lookup: dict | None, form: FormReturn, where: dict, what: str) -> str:
    """A drop-down's answer: one of ``allowed`` (synonyms accepted), else a located error and no answer."""
    if not text:
        return ""
    found = (lookup or {}).get(canonical_token(text)) or {canonical_token(a): a for a in allowed}.get(
        canonical_token(text))
    if found:
        return found
    # A wrong choice is shown back to help (a frequency, a tier), never when it may be about a person.
    shown = "" if personal_text(text) or looks_like_a_name(text) or len(text) > 60 else f"'{text}' "
    hint = suggest(text, allowed) if shown else "."
    form.problem("error", f"{shown or 'the answer '}is not one of the choices for {what}{hint} It was not used.",
                 f"Choose from the drop-down list: {', '.join(allowed)}.", **where)
    return ""


def _number(text: str, form: FormReturn, where: dict, low: int, high: int | None = None) -> str:
    if not text:
        return ""
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        number = None
    if number is None or not number.is_integer() or number < low or (high is not None and number > high):
        span = f"from {low} to {high}" if high is not None else f"of {low} or more"
        form.problem("error", f"the answer is not a whole number {span}; it was not used.",
                     f"Type a whole number {span}, or leave it blank.", **where)
        return ""
    return str(int(number))


def _free_text(text: str, form: FormReturn, where: dict) -> str:
    """Free text, unless it looks like an identifier or contact details: then refused, and never echoed."""
    if text and personal_text(text):
        form.problem("error", "the text looks like it holds an NHS number, an email address or a telephone number; "
                     "it was not used and is not repeated here.",
                     "Use a post or role label (e.g. 'Housing officer 1'), never a person's name or contact "
                     "details, and nothing about the people discussed.", **where)
        return ""
    return text[:300]


def _identity(book: CalamineWorkbook, names: list[str], form: FormReturn) -> None:
    sheet = next((n for n in names if canonical_token(n) == IDENTITY_SHEET), None)
    grid = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False) if sheet else []
    if not grid or _cell_text(grid[0][0] if grid[0] else None) != MARKER:
        form.problem("error", "has no mcn-map form id: it is not a form made by `mcn-map forms`, or its hidden "
                     "'form' sheet was deleted, so it cannot be tied to a meeting.",
                     "Send the chair a fresh form made by `mcn-map forms` and ask them to fill that in.")
        return
    fields = {_cell_text(row[0]): _cell_text(row[1]) for row in grid[1:6] if len(row) > 1}
    form_id = FormId(fields.get("forum_id", ""), fields.get("round", ""), fields.get("fingerprint", ""),
                     fields.get("checksum", ""))
    if not form_id.intact or form_id.text != _cell_text(grid[0][1] if len(grid[0]) > 1 else None):
        form.problem("error", "its form id has been changed, so it cannot be tied to a meeting with confidence.",
                     "Send the chair a fresh form, or copy their answers into one.", sheet=IDENTITY_SHEET)
        return
    form.form_id = form_id
    form.round_forums = [(_cell_text(r[0]), _cell_text(r[1]) if len(r) > 1 else "",
                          _cell_text(r[2]) if len(r) > 2 else "") for r in grid[8:] if r and _cell_text(r[0])]


def _meeting(table: _Table, form: FormReturn) -> None:
    questions = {ref: (column, vocabulary) for ref, _, column, vocabulary in MEETING_QUESTIONS}
    for row, values in table.rows:
        ref, answer = values.get("ref", ""), values.get("answer", "")
        where = dict(sheet=table.sheet, row=row, column="Your answer")
        if ref not in questions:
            if answer:
                form.problem("warning", "an answer in a row with no question of ours; it was not used.",
                             "Answer in the yellow cells beside our questions.", **where)
            continue
        vocabulary = questions[ref][1]
        if vocabulary and vocabulary != "agencies":
            answer = _choice(answer, VOCABULARIES[vocabulary], vocabulary_lookup(vocabulary), form, where,
                             ref.replace("_", " "))
        else:
            answer = _free_text(answer, form, where)
        if answer:
            form.meeting[ref] = answer


def _seats(table: _Table, form: FormReturn) -> None:
    for row, values in table.rows:
        where = lambda column: dict(sheet=table.sheet, row=row, column=column)  # noqa: E731
        seat = {"ref": values.get("ref", ""), "agency": _free_text(values.get("agency", ""), form, where("Agency")),
                "row": row, "sheet": table.sheet,
                "seat": _choice(values.get("seat", ""), VOCABULARIES["answer"], vocabulary_lookup("answer"), form,
                                where("Seat at your meeting?"), "a seat"),
                "role": _choice(values.get("role", ""), VOCABULARIES["role"], vocabulary_lookup("role"), form,
                                where("Role"), "role"),
                "seniority": _choice(values.get("seniority", ""), VOCABULARIES["seniority"],
                                     vocabulary_lookup("seniority"), form, where("Seniority"), "seniority"),
                "post": _free_text(values.get("post", ""), form, where("Post (never a person's name)")),
                "meetings_held": _number(values.get("meetings_held", ""), form, where("Meetings held"), 0),
                "meetings_attended": _number(values.get("meetings_attended", ""), form, where("Meetings attended"), 0)}
        form.seats.append(seat)


def _others(table: _Table, form: FormReturn) -> None:
    yes_no = VOCABULARIES["answer"]
    for row, values in table.rows:
        where = lambda column: dict(sheet=table.sheet, row=row, column=column)  # noqa: E731
        answers = {"row": row, "sheet": table.sheet, "meeting": _free_text(values.get("meeting", ""), form,
                                                                            where("Meeting")),
                   "knows": _choice(values.get("knows", ""), yes_no, vocabulary_lookup("answer"), form,
                                    where("Do you know it meets?"), "knowing it meets"),
                   "case_lists": _choice(values.get("case_lists", ""), yes_no, vocabulary_lookup("answer"), form,
                                         where("Share case lists?"), "sharing case lists"),
                   "contact": _choice(values.get("contact", ""), VOCABULARIES["contact"], vocabulary_lookup("contact"),
                                      form, where("How often in contact?"), "contact"),
                   "value": _number(values.get("value", ""), form, where("How useful (1-4)"), 1, 4),
                   "reliability": _number(values.get("reliability", ""), form, where("How reliable (1-4)"), 1, 4),
                   "ties": {}}
        for column, (kind, ours, theirs) in TIE_ANSWERS.items():
            title = dict((k, t) for k, t, _ in OTHER_COLUMNS)[column]
            answer = _choice(values.get(column, ""), (ours, theirs, "both ways", "neither"), None, form,
                             where(title), title.lower())
            if answer:
                answers["ties"][kind] = ties_from_answer(column, answer)
        ref = values.get("ref", "")
        if ref and ref in form.others:
            form.problem("error", "this meeting's row appears twice; the second was not used.",
                         "Delete the repeated row.", **where("Ref"))
            continue
        if ref:
            form.others[ref] = answers
        elif any(v for k, v in answers.items() if k not in ("row", "sheet", "ties")) or answers["ties"]:
            form.write_ins.append({"what": WRITE_IN_KINDS[1], "name": answers["meeting"], "row": row,
                                   "sheet": table.sheet, "tier": "", "link": "", "answers": answers})


def _missed(table: _Table, form: FormReturn) -> None:
    for row, values in table.rows:
        where = lambda column: dict(sheet=table.sheet, row=row, column=column)  # noqa: E731
        entry = {"row": row, "sheet": table.sheet,
                 "what": _choice(values.get("what", ""), WRITE_IN_KINDS, None, form, where("What is it?"),
                                 "what it is"),
                 "name": _free_text(values.get("name", ""), form, where("Name")),
                 "sector": values.get("sector", ""),
                 "tier": _choice(values.get("tier", ""), VOCABULARIES["level"], vocabulary_lookup("level"), form,
                                 where("Tier (a meeting)"), "tier"),
                 "post": _free_text(values.get("post", ""), form, where("Post at your meeting (an agency)")),
                 "link": _choice(values.get("link", ""), WRITE_IN_LINKS, None, form,
                                 where("How your meeting is linked (a meeting)"), "how your meeting is linked")}
        if entry["sector"]:
            entry["sector"] = _choice(entry["sector"], VOCABULARIES["sector"], vocabulary_lookup("sector"), form,
                                      where("Sector (an agency)"), "sector")
        if not entry["name"]:
            if any(entry[k] for k in ("what", "sector", "tier", "post", "link")):
                form.problem("warning", "a row with no name; it was not used.", "Give the agency's or meeting's "
                             "name.", **where("Name"))
            continue
        if not any(entry[k] for k in ("what", "sector", "tier", "post", "link")):  # nothing says which it is
            form.problem("warning", "a name with no answer to 'What is it?' (an agency or a meeting); it was not "
                         "used.", "Choose 'an agency at our meeting' or 'another meeting' from the drop-down.",
                         **where("What is it?"))
            continue
        form.write_ins.append(entry)


def _people(table: _Table, form: FormReturn) -> None:
    refs = {ref for ref, _ in PEOPLE_QUESTIONS}
    for row, values in table.rows:
        ref = values.get("ref", "")
        if ref in refs:
            answer = _number(values.get("answer", ""), form, dict(sheet=table.sheet, row=row, column="Your answer"),
                             0)
            if answer:
                form.people[ref] = answer


def read_form(path: str | Path) -> FormReturn:
    """Read one returned form. Never raises for a bad file: its problems say what is wrong and where."""
    path = Path(path)
    form = FormReturn(file=path.name)
    book = _open(path, form)
    if book is None:
        return form
    try:
        names = list(book.sheet_names)
        _identity(book, names, form)
        if not form.usable:
            return form
        form.saved = _saved(path)
        parts = _sheet_parts(path)
        visible = [n for n in names if canonical_token(n) not in (IDENTITY_SHEET, "lists")]
        meeting_columns = (("ref", "Ref", 0), ("question", "Question", 0), ("answer", "Your answer", 0))
        for key, columns, reader in (("meeting", meeting_columns, _meeting), ("seats", SEAT_COLUMNS, _seats),
                                     ("others", OTHER_COLUMNS, _others), ("missed", WRITE_IN_COLUMNS, _missed)):
            table = _table(book, key, columns, form, visible, path, parts)
            if table is not None:
                reader(table, form)
        people = _table(book, "people", meeting_columns, form, visible, path, parts)
        if people is not None:
            _people(people, form)
    except (OSError, KeyError, ValueError, ElementTree.ParseError, IndexError):
        form.problem("error", "is damaged: part of the workbook could not be read.", "Ask the chair to save it "
                     "again, or send a fresh form.")
    finally:
        book.close()
    return form
