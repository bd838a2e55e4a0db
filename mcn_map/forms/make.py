"""`mcn-map forms`: one workbook per forum for its chair, pre-filled from the landscape, to fill in and send back.

A form asks about this meeting, who sits at its table (every known agency a row), every other meeting (does the
chair know it meets, how the two are linked, how often and how well they are in contact), anything missed, and how
many people were discussed (a count, never identifiers). Answers are pre-filled from the landscape and, in a later
round, from what the chair said last time, so a form returned unchanged changes nothing. Structure cells are
protected (no password) and the sheets cannot be moved or renamed without unprotecting the workbook; a hidden sheet
holds the form id (see :mod:`.layout`).
"""

from __future__ import annotations

import re
from copy import copy
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from ..errors import McnMapError
from ..loading.reading import read_sheets
from ..loading.schema import SECTOR_LABELS, VOCABULARIES, canonical_token
from ..loading.validate import load, load_frames
from ..model import Landscape
from ..running.parallel import Forked
from ..running.plan import plan_for
from ..writing.files import check_target, workbook_bytes, write_atomic
from .layout import (CASE_LIST_ANSWERS, IDENTITY_SHEET, LISTS_SHEET, MARKER, MEETING_QUESTIONS, NEITHER,
                     OTHER_COLUMNS, PEOPLE_QUESTIONS, SCORES, SEAT_COLUMNS, SHEET_NAMES, SPARE_SEAT_ROWS, TIE_ANSWERS,
                     WRITE_IN_COLUMNS, WRITE_IN_KINDS, WRITE_IN_LINKS, WRITE_IN_ROWS, BOTH, FormId, form_checksum,
                     landscape_fingerprint, tie_answer)

__all__ = ["asked_forums", "next_round", "load_roster", "form_workbook", "forms_bytes", "write_forms", "form_name",
           "Round", "chair_posts", "latest_round", "make_round"]

ANSWER_FILL = PatternFill("solid", fgColor="FFF2CC")  # the cells a chair fills in
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
REF_FONT = Font(color="808080", size=9)
OPEN = Protection(locked=False)
HEADER_ROW = 6  # rows 1-5 hold the sheet's title and instructions


@dataclass(frozen=True)
class Round:
    """One mapping round: its name, the landscape's fingerprint and the forums asked."""

    name: str
    fingerprint: str
    forums: tuple[str, ...]


def load_roster(path: str | Path, *, key: bytes | None = None) -> Landscape:
    """A landscape from a full workbook, or from a roster with just the forums and agencies sheets (no seats yet)."""
    raws = read_sheets(path)
    if "members" in raws:
        return load(path, key=key)
    frames = {name: raw.table for name, raw in raws.items() if name in ("forums", "agencies", "links")}
    if not all(name in frames and len(frames[name]) for name in ("forums", "agencies")):
        return load(path, key=key)  # the loader says what is missing
    # The loader needs a seat: one stands in while the forums and agencies are checked, then is taken out.
    first = [_first_id(frames["forums"], "forum_id"), _first_id(frames["agencies"], "agency_id")]
    frames["members"] = pd.DataFrame([first], columns=["forum_id", "agency_id"])
    landscape = load_frames(frames, key=key, source=Path(path).name)
    return replace(landscape, seats=landscape.seats.iloc[0:0], warnings=())


def _first_id(table: pd.DataFrame, column: str) -> str:
    """The first row's id, from the column headed ``column`` however it is spelled (else the first column)."""
    headers = [h for h in table.columns if canonical_token(h).replace(" ", "_") == column] or list(table.columns[:1])
    return str(table[headers[0]].iloc[0]).strip()


def asked_forums(landscape: Landscape) -> tuple[str, ...]:
    """The forums whose chairs are asked: those still meeting (active or paused), in the input's order."""
    forums = landscape.forums
    return tuple(forums.loc[forums["status"].isin(("active", "paused")), "forum_id"])


def next_round(landscape: Landscape) -> str:
    """The round after the latest one the landscape records ("1" for the first): a new round starts from the last
    collected landscape."""
    replies = landscape.replies
    if replies is None or not len(replies):
        return "1"
    latest = latest_round(replies)
    return str(int(latest) + 1) if latest.isdigit() else f"{latest} (next)"


def latest_round(table: pd.DataFrame) -> str:
    """The latest round named in a replies or reports table: the highest number, else the last listed."""
    rounds = list(dict.fromkeys(table["round"]))
    numbered = [r for r in rounds if str(r).isdigit()]
    return max(numbered, key=int) if numbered else rounds[-1]


def form_name(forum_id: str) -> str:
    """The form's file name: the forum id made safe for any file system."""
    return "form-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", forum_id).strip("-") or "forum") + ".xlsx"


# -- what the form is pre-filled with -------------------------------------------------------------------------------

def _text(value) -> str:
    if value is None or (not isinstance(value, (tuple, list, str)) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _previous_reports(landscape: Landscape, forum_id: str) -> dict[str, dict]:
    """What this chair said about each other forum in the latest round, for pre-filling."""
    reports = landscape.reports
    if reports is None or not len(reports):
        return {}
    mine = reports[reports["forum_id"] == forum_id]
    if not len(mine):
        return {}
    mine = mine[mine["round"] == latest_round(mine)]  # the chair's own latest answers, if they missed a round
    return {row["about_forum"]: row for _, row in mine.iterrows()}


def _ties(landscape: Landscape, forum_id: str, own_only: bool = False) -> dict[str, dict[str, set]]:
    """Per other forum, per link type: the directions ('out', 'in') the landscape records. ``own_only``: for a chair
    who answered before, only the links they reported themselves (a link the other chair reported, or one this chair
    said "neither" to, is not put in their mouth: returned unchanged, the form would confirm it)."""
    ties: dict[str, dict[str, set]] = {}
    links = landscape.links
    for source, target, kind, reported in zip(links["from_forum"], links["to_forum"], links["type"],
                                              links["reported_by"]):
        if own_only and reported and forum_id not in reported:
            continue
        if source == forum_id:
            ties.setdefault(target, {}).setdefault(kind, set()).add("out")
        elif target == forum_id:
            ties.setdefault(source, {}).setdefault(kind, set()).add("in")
    return ties


def other_rows(landscape: Landscape, forum_id: str, asked: tuple[str, ...]) -> list[list]:
    previous = _previous_reports(landscape, forum_id)
    ties = _ties(landscape, forum_id, own_only=bool(previous))
    rows = []
    for other in asked:
        if other == forum_id:
            continue
        mine, said = ties.get(other, {}), previous.get(other)
        answers = [tie_answer(column, "out" in mine.get(kind, ()), "in" in mine.get(kind, ()))
                   for column, (kind, _, _) in TIE_ANSWERS.items()]
        shares = "yes" if mine.get("shares_case_list") else ""
        knows = "yes" if mine else _text(said["knows"]) if said is not None else ""
        scores = [_text(said[c]) if said is not None else "" for c in ("contact", "value", "reliability")]
        rows.append([other, landscape.forum_name[other], landscape.forum_level[other], knows, *answers, shares, *scores])
    return rows


def seat_rows(landscape: Landscape, forum_id: str) -> list[list]:
    """One row per seat on this forum (Ref ``agency`` or ``agency#2`` for a second seat), then every other agency."""
    seats = landscape.seats[landscape.seats["forum_id"] == forum_id]
    rows, seen = [], {}
    for _, seat in seats.iterrows():
        agency = seat["agency_id"]
        seen[agency] = seen.get(agency, 0) + 1
        ref = agency if seen[agency] == 1 else f"{agency}#{seen[agency]}"
        rows.append([ref, landscape.agency_name.get(agency, agency), _sector(landscape, agency), "yes",
                     seat["role"], seat["seniority"], seat["post"], _text(seat["meetings_held"]),
                     _text(seat["meetings_attended"])])
    for agency in landscape.agency_ids:
        if agency not in seen:
            rows.append([agency, landscape.agency_name[agency], _sector(landscape, agency)] + [""] * 6)
    return rows


def _sector(landscape: Landscape, agency: str) -> str:
    return SECTOR_LABELS.get(landscape.agency_sector.get(agency, ""), "")


def meeting_answers(landscape: Landscape, forum_id: str) -> list[list]:
    forum = landscape.forums.set_index("forum_id").loc[forum_id]
    answers = []
    for ref, question, column, _ in MEETING_QUESTIONS:
        value = _text(forum[column])
        if column == "chair_agency":
            value = landscape.agency_name.get(value, value)
        answers.append([ref, question, value])
    return answers


def people_answers(landscape: Landscape, forum_id: str) -> list[list]:
    replies = landscape.replies
    count = ""
    if replies is not None and len(replies):
        mine = replies[(replies["forum_id"] == forum_id) & (replies["round"] == latest_round(replies))]
        count = _text(mine["people_discussed"].iloc[0]) if len(mine) else ""
    return [[ref, question, count] for ref, question in PEOPLE_QUESTIONS]


# -- the workbook ---------------------------------------------------------------------------------------------------

def _lists(book: Workbook, landscape: Landscape) -> dict[str, str]:
    """A hidden sheet of drop-down values (a list of 400 agencies is too long to write into the drop-down itself)."""
    sheet = book.create_sheet(LISTS_SHEET)
    columns = {
        "answer": CASE_LIST_ANSWERS, "level": VOCABULARIES["level"], "frequency": VOCABULARIES["frequency"],
        "status": VOCABULARIES["status"], "person_voice": VOCABULARIES["person_voice"], "kind": VOCABULARIES["kind"],
        "role": VOCABULARIES["role"], "seniority": VOCABULARIES["seniority"], "contact": VOCABULARIES["contact"],
        "score": SCORES, "sector": tuple(SECTOR_LABELS.values()), "what": WRITE_IN_KINDS, "link": WRITE_IN_LINKS,
        "agencies": tuple(landscape.agencies["name"]),
        **{column: (ours, theirs, BOTH, NEITHER) for column, (_, ours, theirs) in TIE_ANSWERS.items()},
    }
    ranges = {}
    for index, (name, values) in enumerate(columns.items(), start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=name)
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=index, value=value)
        ranges[name] = f"{LISTS_SHEET}!${letter}$2:${letter}${max(len(values), 1) + 1}"
    sheet.sheet_state = "veryHidden"
    return ranges


def _drop_down(sheet, formula: str, cells: str, title: str) -> None:
    """A drop-down that stops other text in Excel (the reader still checks: another program may not)."""
    check = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                           errorTitle=title[:32], error="Please choose from the list, or leave the cell blank.")
    check.add(cells)
    sheet.add_data_validation(check)


def _whole_number(sheet, cells: str, low: int, high: int | None = None) -> None:
    check = DataValidation(type="whole", operator="between" if high else "greaterThanOrEqual", formula1=str(low),
                           formula2=str(high) if high else None, allow_blank=True, showErrorMessage=True,
                           error=f"Please enter a whole number{f' from {low} to {high}' if high else ''}.")
    check.add(cells)
    sheet.add_data_validation(check)


def _sheet(book: Workbook, key: str, title: str, lines: list[str], columns) -> object:
    """A sheet with its title, instructions, header row (``HEADER_ROW``), column widths and print set-up."""
    sheet = book.create_sheet(SHEET_NAMES[key])
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=14)
    for row, line in enumerate(lines, start=2):
        sheet.cell(row=row, column=1, value=line).alignment = Alignment(wrap_text=False)
    for index, (_, header, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[HEADER_ROW].height = 48  # three lines of a wrapped heading
    sheet.freeze_panes = f"B{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.center.text = "&A: page &P of &N"
    sheet.protection.sheet = True  # no password: it guards against accidents, and a chair may still unprotect it
    return sheet


def _fill(sheet, rows: list[list], open_from: int, open_to: int) -> int:
    """Write ``rows`` under the header; columns ``open_from``..``open_to`` (1-based) are the answers. Returns the
    last row written. Each style is made once and copied (a region's form has some thousands of cells, and openpyxl
    otherwise looks every assigned style up again)."""
    ref_style = answer_style = None
    row_number = HEADER_ROW
    for row_number, values in enumerate(rows, start=HEADER_ROW + 1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=column, value=value if value != "" else None)
            if column == 1:
                if ref_style is None:
                    cell.font = REF_FONT
                    ref_style = cell
                else:
                    cell._style = copy(ref_style._style)
            elif open_from <= column <= open_to:
                if answer_style is None:
                    cell.protection, cell.fill = OPEN, ANSWER_FILL
                    answer_style = cell
                else:
                    cell._style = copy(answer_style._style)
    return row_number


def _start(book: Workbook, landscape: Landscape, forum_id: str, round_name: str, due: str) -> None:
    sheet = book.active
    sheet.title = SHEET_NAMES["start"]
    name = landscape.forum_name[forum_id]
    lines = [
        (f"Mapping our meetings: a form for the chair of {name}", True),
        (f"Round {round_name}." + (f" Please return it by {due}." if due else ""), False),
        ("", False),
        ("Why we are asking", True),
        ("We are mapping the meetings that discuss people with multiple and complex needs, to see who meets, who "
         "sits at each table and how the meetings know of each other.", False),
        ("Every chair gets a form like this one. What you tell us is put together with the other chairs' answers.",
         False),
        ("", False),
        ("How to fill it in", True),
        ("1. Work through the sheets in order, using the tabs at the bottom: This meeting, Who sits at the table, "
         "Other meetings, Anything we missed, People discussed.", False),
        ("2. Type only in the yellow cells. Most have a drop-down list: please choose from it.", False),
        ("3. We have filled in what we already know. Correct anything that is wrong; leave it if it is right.", False),
        ("4. A blank cell means 'no answer', not 'no'. To say no, choose 'no' or 'neither'.", False),
        ("5. Use posts and roles (e.g. 'Housing officer 1'), never a person's name, email address or phone number.",
         False),
        ("6. Never write anything about the people your meeting discusses, only how many there were.", False),
        ("7. Please do not add, delete, rename or move the sheets. Save the file and send it back as it is.", False),
        ("", False),
        ("Scores from 1 to 4: 1 = not at all, 2 = a little, 3 = quite, 4 = very.", False),
        ("This form can be printed: each sheet fits the width of a landscape A4 page.", False),
    ]
    for row, (text, bold) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font = Font(bold=bold, size=14 if row == 1 else 11)
    sheet.column_dimensions["A"].width = 120
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.protection.sheet = True


def _meeting(book: Workbook, landscape: Landscape, forum_id: str, lists: dict[str, str]) -> None:
    columns = (("ref", "Ref", 14), ("question", "Question", 60), ("answer", "Your answer", 44))
    sheet = _sheet(book, "meeting", "This meeting", [
        "Check each answer and correct it if it is wrong. Yellow cells are yours to change.",
        "The chair agency is chosen from the list of agencies; if yours is missing, add it on 'Anything we missed'."],
        columns)
    last = _fill(sheet, meeting_answers(landscape, forum_id), 3, 3)
    for row, (_, _, _, vocabulary) in zip(range(HEADER_ROW + 1, last + 1), MEETING_QUESTIONS):
        if vocabulary:
            _drop_down(sheet, lists[vocabulary], f"C{row}", "Choose from the list")
        sheet.cell(row=row, column=3).alignment = Alignment(wrap_text=True)


def _seats(book: Workbook, landscape: Landscape, forum_id: str, lists: dict[str, str]) -> None:
    sheet = _sheet(book, "seats", f"Who sits at the table: {landscape.forum_name[forum_id]}", [
        "Every agency we know of has a row. For each one that has a seat at your meeting, choose 'yes' and check the "
        "details; for one that has left, choose 'no'.",
        "Post: a role label such as 'Housing officer 1', never a person's name. Meetings: held and attended in the "
        "last 12 months.",
        f"To add a second seat for an agency already listed, use the blank rows at the bottom (choose the agency)."],
        SEAT_COLUMNS)
    rows = seat_rows(landscape, forum_id)
    last = _fill(sheet, rows + [[""] * len(SEAT_COLUMNS)] * SPARE_SEAT_ROWS, 4, 9)
    first, spare = HEADER_ROW + 1, last - SPARE_SEAT_ROWS + 1
    for row in range(spare, last + 1):
        cell = sheet.cell(row=row, column=2)
        cell.protection, cell.fill = OPEN, ANSWER_FILL
    _drop_down(sheet, lists["agencies"], f"B{spare}:B{last}", "Choose an agency")
    _drop_down(sheet, lists["answer"], f"D{first}:D{last}", "Choose yes or no")
    _drop_down(sheet, lists["role"], f"E{first}:E{last}", "Choose a role")
    _drop_down(sheet, lists["seniority"], f"F{first}:F{last}", "Choose a seniority")
    _whole_number(sheet, f"H{first}:I{last}", 0)


def _others(book: Workbook, landscape: Landscape, forum_id: str, asked, lists: dict[str, str]) -> None:
    sheet = _sheet(book, "others", "Other meetings", [
        "Every other meeting we know of has a row. Do you know it meets? How are your meetings linked?",
        "Escalation, reporting, feedback and referral: choose the direction, 'both ways', or 'neither'. "
        "Share case lists: do the two meetings compare who they discuss?",
        "How often in contact, and, if you can say, how useful and how reliable that contact is "
        "(1 = not at all, 2 = a little, 3 = quite, 4 = very)."],
        OTHER_COLUMNS)
    last = _fill(sheet, other_rows(landscape, forum_id, asked), 4, 12)
    first = HEADER_ROW + 1
    if last < first:
        return
    _drop_down(sheet, lists["answer"], f"D{first}:D{last}", "Choose yes or no")
    for letter, column in zip("EFGH", TIE_ANSWERS):
        _drop_down(sheet, lists[column], f"{letter}{first}:{letter}{last}", "Choose from the list")
    _drop_down(sheet, lists["answer"], f"I{first}:I{last}", "Choose yes or no")
    _drop_down(sheet, lists["contact"], f"J{first}:J{last}", "Choose from the list")
    _whole_number(sheet, f"K{first}:L{last}", 1, 4)


def _missed(book: Workbook, lists: dict[str, str]) -> None:
    sheet = _sheet(book, "missed", "Anything we missed", [
        "An agency at your meeting, or another meeting you know of, that the other sheets do not list: one a row.",
        "For an agency give its sector and the post that attends; for a meeting its tier and how you are linked.",
        "Names of organisations and meetings only: never a person's name or contact details."],
        WRITE_IN_COLUMNS)
    last = _fill(sheet, [[""] * len(WRITE_IN_COLUMNS)] * WRITE_IN_ROWS, 2, 7)
    first = HEADER_ROW + 1
    for letter, name in (("B", "what"), ("D", "sector"), ("E", "level"), ("G", "link")):
        _drop_down(sheet, lists[name], f"{letter}{first}:{letter}{last}", "Choose from the list")


def _people(book: Workbook, landscape: Landscape, forum_id: str) -> None:
    columns = (("ref", "Ref", 18), ("question", "Question", 70), ("answer", "Your answer", 16))
    sheet = _sheet(book, "people", "People discussed", [
        "A count only. Never write names, NHS numbers or anything else about the people discussed."], columns)
    last = _fill(sheet, people_answers(landscape, forum_id), 3, 3)
    _whole_number(sheet, f"C{HEADER_ROW + 1}:C{last}", 0)
    for row in range(HEADER_ROW + 1, last + 1):
        sheet.cell(row=row, column=2).alignment = Alignment(wrap_text=True)
        sheet.row_dimensions[row].height = 32


def _identity(book: Workbook, landscape: Landscape, forum_id: str, round_: Round) -> FormId:
    """The hidden sheet tying the form to its forum, round and landscape, and listing the round's forums with each
    chair's post (never a name), so ``collect --status`` can say who is still to reply from the forms alone."""
    form_id = FormId(forum_id, round_.name, round_.fingerprint, form_checksum(forum_id, round_.name, round_.fingerprint))
    sheet = book.create_sheet(IDENTITY_SHEET)
    for row, values in enumerate([[MARKER, form_id.text], ["forum_id", forum_id], ["round", round_.name],
                                  ["fingerprint", round_.fingerprint], ["checksum", form_id.checksum],
                                  ["forums in round", len(round_.forums)], [], ["forum_id", "forum", "chair post"]],
                                 start=1):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value)
    chairs = chair_posts(landscape)
    for row, forum in enumerate(round_.forums, start=9):
        sheet.cell(row=row, column=1, value=forum)
        sheet.cell(row=row, column=2, value=landscape.forum_name[forum])
        sheet.cell(row=row, column=3, value=chairs.get(forum, ""))
    sheet.sheet_state = "veryHidden"
    sheet.protection.sheet = True
    return form_id


def chair_posts(landscape: Landscape) -> dict[str, str]:
    """Each forum's chair as a post and agency ('Detective inspector, Northtown Police'), never a name."""
    seats = landscape.seats[landscape.seats["role"] == "chair"]
    posts = {}
    for forum, agency, post in zip(seats["forum_id"], seats["agency_id"], seats["post"]):
        label = ", ".join(p for p in (post, landscape.agency_name.get(agency, agency)) if p)
        posts.setdefault(forum, label)
    for forum, agency in zip(landscape.forums["forum_id"], landscape.forums["chair_agency"]):
        if forum not in posts and agency:
            posts[forum] = f"Chair, {landscape.agency_name.get(agency, agency)}"
    return posts


def form_workbook(landscape: Landscape, forum_id: str, round_: Round, due: str = "") -> Workbook:
    """The form for ``forum_id``'s chair, as an openpyxl workbook."""
    book = Workbook()
    _start(book, landscape, forum_id, round_.name, due)
    lists = _lists(book, landscape)
    _meeting(book, landscape, forum_id, lists)
    _seats(book, landscape, forum_id, lists)
    _others(book, landscape, forum_id, round_.forums, lists)
    _missed(book, lists)
    _people(book, landscape, forum_id)
    _identity(book, landscape, forum_id, round_)
    book.move_sheet(LISTS_SHEET, offset=len(book.sheetnames))  # the hidden sheets last, after the chair's
    book.active = 0
    book.security = WorkbookProtection(lockStructure=True)  # sheets cannot be added, moved or renamed by accident
    return book


def make_round(landscape: Landscape, round_name: str | None = None) -> Round:
    asked = asked_forums(landscape)
    if not asked:
        raise McnMapError("no forum is active or paused, so there is no chair to send a form to.")
    return Round(str(round_name or next_round(landscape)).strip(), landscape_fingerprint(landscape.forums,
                                                                                         landscape.agencies), asked)


def write_forms(landscape: Landscape, folder: str | Path, *, round_name: str | None = None, due: str = "",
                inputs=(), force: bool = False) -> tuple[Round, list[Path]]:
    """Write one form per asked forum into ``folder`` (every target checked before any is written)."""
    folder = Path(folder)
    round_ = make_round(landscape, round_name)
    if not round_.name or len(round_.name) > 40:
        raise McnMapError("give --round a short name, such as 2 or 2027-spring.")
    targets = {forum: folder / form_name(forum) for forum in round_.forums}
    if len(set(targets.values())) != len(targets):
        raise McnMapError("two forum ids give the same form file name; make the forum ids differ by more than "
                          "punctuation.")
    for target in targets.values():
        check_target(target, inputs=[Path(p) for p in inputs], force=force)
    folder.mkdir(parents=True, exist_ok=True)
    data = forms_bytes(landscape, round_, due)
    written = [write_atomic(target, data[forum], inputs=[Path(p) for p in inputs], force=force)
               for forum, target in targets.items()]
    return round_, written


def forms_bytes(landscape: Landscape, round_: Round, due: str = "", *, parallel: bool | None = None
                ) -> dict[str, bytes]:
    """Every form of the round as bytes, by forum. A region's 150 forms take some seconds each core: on Linux half
    are made in a forked child (the same bytes either way)."""
    forums = list(round_.forums)

    def make(share) -> list[bytes]:
        return [workbook_bytes(form_workbook(landscape, forum, round_, due)) for forum in share]

    if parallel is None:
        parallel = plan_for(None).forms_in_two(len(forums))
    half = len(forums) // 2 if parallel else len(forums)
    there = Forked(lambda: make(forums[half:])) if parallel else None
    made = make(forums[:half]) + (there.result() if there is not None else [])
    return dict(zip(forums, made))
