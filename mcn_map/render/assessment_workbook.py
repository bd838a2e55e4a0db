"""``assessment.xlsx``: the MEAM Healthy Partnerships self-assessment, pre-filled from the findings and measures.

One row per key feature (11) and key challenge (5) of effective multiple-disadvantage partnerships: why it matters,
what this workbook's data shows, a suggested red/amber/green, and blank columns for the partnership's own view.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from ..writing.files import safe_text, workbook_bytes
from ..writing.spreadsheet import finish_sheet
from ..privacy.suppression import UNSUPPRESSED_STAMP
from ..analyses.run import Analysis

__all__ = ["ASSESSMENT_ROWS", "assessment_rows", "assessment_xlsx_bytes", "RAG_FILLS", "NO_DATA"]

NO_DATA = "No data in this workbook: the inputs cannot speak to this. Use the partnership's own evidence."
RAG_FILLS = {"red": "F4B6B6", "amber": "FFE699", "green": "C6E0B4", "not assessed": "E7E6E6"}

# (reference, area, title, why it matters, whether the inputs can speak to it)
ASSESSMENT_ROWS = (
    ("feature 1", "Shared purpose", "A shared understanding of multiple disadvantage",
     "Partners who see the same people and problems the same way agree priorities and stop passing people between "
     "services.", False),
    ("feature 2", "Leadership", "Strong strategic leadership",
     "Someone has to own the system's problems and the authority to change pathways and commissioning.", True),
    ("feature 3", "Leadership", "Strategic buy-in across sectors",
     "Change sticks only when every sector that touches people's lives has signed up to it at a senior level.", True),
    ("feature 4", "Representation", "A wide range of partners attending consistently",
     "Plans made without a sector in the room fall apart when that sector is needed; empty seats are missing "
     "partners in practice.", True),
    ("feature 5", "Representation", "Meaningful involvement of experts by experience, at strategic level too",
     "Nothing about us without us: people with lived experience see the gaps services cannot see.", True),
    ("feature 6", "Representation", "Partners senior enough to commit their organisations",
     "Meetings stall when no one present can agree resources or bend a rule.", True),
    ("feature 7", "Culture", "Strong relationships between individuals",
     "Trust between people in different agencies is what gets a person seen quickly and once, not in several rooms.",
     True),
    ("feature 8", "Culture", "Constructive challenge",
     "Partners who can challenge each other safely find and fix what is not working.", False),
    ("feature 9", "Culture", "Continuous learning",
     "Reviewing what happened, including deaths and near misses, is how the system improves.", False),
    ("feature 10", "Integration", "Close connection between strategic and operational groups, with feedback both ways",
     "Operational groups see the blockages; strategic groups can remove them. Without a route both ways, neither can "
     "act.", True),
    ("feature 11", "Integration", "Operational groups that also surface system issues, not only cases",
     "Cases reveal patterns; if no one gathers them, the same problems are solved person by person for ever.", True),
    ("challenge 1", "Challenges", "Engaging specific partners (mental health, drug and alcohol, large health bodies)",
     "The partners most often missing are the ones people with multiple needs most often need.", True),
    ("challenge 2", "Challenges", "Limited capacity of senior stakeholders",
     "Senior people sit on too many meetings; duplicated forums use up the time they have.", True),
    ("challenge 3", "Challenges", "The strategic group winding down",
     "When operational work runs smoothly a strategic group can stop meeting, leaving no one to change the system.",
     True),
    ("challenge 4", "Challenges", "Expertise and motivation held in one or two individuals",
     "When the one person who links everything leaves, the links leave with them.", True),
    ("challenge 5", "Challenges", "Turnover of frontline staff",
     "Relationships and know-how are lost with every change of staff.", False),
)

MAX_LISTED = 4  # findings quoted per row; the rest are counted


def _context(reference: str, analysis: Analysis) -> str:
    """A sentence from the measures that bears on a row, where there is one."""
    measures = analysis.measures
    if reference == "feature 7":
        projection = measures.get("forum_projection", {})
        connectors = measures.get("connectors", {}).get("agencies", [])
        names = ", ".join(c["name"] for c in connectors[:3])
        text = f"Forums sharing at least one agency: network density {projection.get('density', 0):.2f}."
        return text + (f" Best-placed system connectors: {names}." if names else "")
    if reference == "feature 10":
        posts = measures.get("connectors", {}).get("posts", [])
        if posts:
            return "Posts sitting across tiers, best placed first: " + ", ".join(p["post"] for p in posts[:3]) + "."
        return "No post sits on more than one tier."
    if reference == "challenge 2" and len(analysis.burden):
        top = analysis.burden.iloc[0]
        return f"Most meeting-hours: {top['name']}, about {top['hours_per_month']:.0f} hours a month."
    return ""


def assessment_rows(analysis: Analysis) -> list[dict]:
    """Each row of the self-assessment with its evidence and suggested RAG, as plain data."""
    rows = []
    for reference, area, title, why, speaks in ASSESSMENT_ROWS:
        related = [f for f in analysis.findings if reference in f.meam]
        context = _context(reference, analysis)
        if not speaks and not related:
            shows, rag = NO_DATA, "not assessed"
        elif not related:
            shows, rag = "No concerns found in this workbook." + (f" {context}" if context else ""), "green"
        else:
            high = sum(f.severity == "high" for f in related)
            lead = (f"{len(related)} finding{'s' if len(related) != 1 else ''}"
                    f"{f' ({high} high)' if high else ''}:")
            lines = [lead] + [f"• {f.message}" for f in related[:MAX_LISTED]]
            if len(related) > MAX_LISTED:
                lines.append(f"• and {len(related) - MAX_LISTED} more (see findings.xlsx).")
            if context:
                lines.append(context)
            shows, rag = "\n".join(lines), "red" if high else "amber"
        rows.append({"reference": reference, "area": area, "title": title, "why": why, "shows": shows, "rag": rag,
                     "findings": [f.id for f in related]})
    return rows


def assessment_xlsx_bytes(analysis: Analysis) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = "Self-assessment"
    row = 1
    if not analysis.suppress:
        ws.cell(row=row, column=1, value=UNSUPPRESSED_STAMP).font = Font(bold=True, color="C00000")
        row += 2
    ws.cell(row=row, column=1, value="Healthy partnerships self-assessment (pre-filled by mcn-map)").font = Font(
        bold=True, size=14)
    ws.cell(row=row + 1, column=1, value=safe_text(
        f"Source: {analysis.source or 'unknown'}; data as of {analysis.as_of.isoformat() if analysis.as_of else 'unknown'}; "
        f"thresholds: {analysis.config.source}. The suggested rating is a starting point for discussion, not a "
        "verdict."))
    headers = ["Ref", "Area", "Feature or challenge", "Why it matters", "What the data shows", "Suggested RAG",
               "What is our partnership doing well?", "Next steps"]
    header_row = row + 3
    for column, title in enumerate(headers, start=1):
        cell = ws.cell(row=header_row, column=column, value=title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for offset, item in enumerate(assessment_rows(analysis), start=1):
        values = [item["reference"], item["area"], item["title"], item["why"], item["shows"], item["rag"], None, None]
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=header_row + offset, column=column, value=safe_text(value))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row=header_row + offset, column=6).fill = PatternFill("solid", fgColor=RAG_FILLS[item["rag"]])
    # As wide as A4 landscape holds at 8 pt in any client (mcn_map.writing.spreadsheet); the text wraps
    for letter, width in zip("ABCDEFGH", (10, 11, 17, 24, 36, 10, 17, 17)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=4)
    finish_sheet(ws, analysis.source, analysis.as_of)  # row heights and page set-up (mcn_map.writing.spreadsheet)
    return workbook_bytes(book)
