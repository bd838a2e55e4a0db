"""What the chairs do not know about each other: the knowledge rules on the example after a mapping round, and the
end-to-end round (forms, five chairs' answers changed, collect, build) with every output scanned for identifiers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from formfill import fill, write_in
from mcn_map.analyses.knowledge import band_phrase, confidence_band, round_state
from mcn_map.analyses.run import analyse
from mcn_map.build import build
from mcn_map.forms.layout import FormId, form_checksum
from mcn_map.forms.make import write_forms
from mcn_map.forms.run import collect_round
from mcn_map.loading.validate import load
from test_privacy_support import leaks, output_texts

EXAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "example_landscape.xlsx"
PASTED_NHS = "999 000 0018"  # synthetic, valid check digit
PASTED_EMAIL = "jo.bloggs@example.org"


def test_confidence_bands():
    assert [confidence_band(r) for r in (1.0, 0.8, 0.79, 0.65, 0.64, 0.0)] == [
        "high", "high", "moderate", "moderate", "caution", "caution"]
    assert band_phrase("caution") == "low confidence: read with caution"


def _unknown_forum(path: Path, out: Path) -> Path:
    """A reply whose (intact) form id names a forum the landscape does not list."""
    book = load_workbook(path)
    sheet = book["form"]
    round_, fingerprint = sheet["B3"].value, sheet["B4"].value
    form_id = FormId("night-shelter", round_, fingerprint, form_checksum("night-shelter", round_, fingerprint))
    sheet["A1"].value, sheet["B1"].value = "mcn-map form", form_id.text
    sheet["B2"].value, sheet["B5"].value = "night-shelter", form_id.checksum
    book.save(out)
    return out


@pytest.fixture(scope="module")
def round_one(tmp_path_factory):
    """The example's first round: five chairs change their answers, one chair does not reply."""
    root = tmp_path_factory.mktemp("round")
    _, sent = write_forms(load(EXAMPLE), root / "sent")
    forms = {p.stem.removeprefix("form-"): Path(shutil.copy(p, root / p.name)) for p in sent}
    # 1 a new seat, and an NHS number and an email pasted into free text (refused, never echoed)
    fill(forms["maart"], [("seats", "probation", "Seat at your meeting?", "yes"),
                          ("seats", "probation", "Post (never a person's name)", "Probation officer 3"),
                          ("meeting", "purpose", "Your answer", f"Contact {PASTED_EMAIL} or {PASTED_NHS}"),
                          ("others", "ae-fa", "Do you know it meets?", "no")])
    # 2 a write-in meeting, and neither chair of A&E Frequent Attenders and MAART knows the other
    write_in(forms["ae-fa"], [{"What is it?": "another meeting", "Name": "Hospital Discharge Huddle",
                               "Tier (a meeting)": "operational",
                               "How your meeting is linked (a meeting)": "we refer to it"}])
    fill(forms["ae-fa"], [("others", "maart", "Do you know it meets?", "no")])
    # 3 a one-sided link: MARAC says it escalates to the CSP board, which does not list MARAC
    fill(forms["marac"], [("others", "csp-board", "Escalation", "we escalate to it")])
    # 4 poor contact between forums that share people
    fill(forms["dual-dx"], [("others", "sacc", "How useful (1-4)", 2), ("others", "sacc", "How reliable (1-4)", 1)])
    # nobody else knows the Homelessness Reduction Board meets
    for forum in ("cscc", "drd", "channel"):
        fill(forms[forum], [("others", "homelessness-board", "Do you know it meets?", "no")])
    # 5 a reply for a forum the landscape does not list; and VIP does not reply
    _unknown_forum(forms["iom"], root / "form-night-shelter.xlsx")
    returned = [p for forum, p in forms.items() if forum != "vip"] + [root / "form-night-shelter.xlsx"]
    report = collect_round(returned, EXAMPLE, root / "collected" / "round1.xlsx")
    built = build(report.written, root / "built")
    return report, built


def test_the_new_findings_appear(round_one):
    report, built = round_one
    analysis = analyse(built.landscape)
    by_rule = {}
    for finding in analysis.findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    neighbours = {f.subjects: f for f in by_rule["unknown_neighbours"]}
    assert "neither chair knows the other meets" in neighbours[("ae-fa", "maart")].message
    routes = {f.subjects: f for f in by_rule["one_sided_route"]}
    assert routes[("marac", "csp-board")].message.startswith(
        "MARAC's chair says it escalates to Community Safety Partnership Board; Community Safety Partnership "
        "Board's chair does not list this route.")
    nobody = {f.subjects: f for f in by_rule["known_to_nobody"]}
    assert nobody[("homelessness-board",)].message.startswith(
        "None of the 3 chairs who answered about Homelessness Reduction Board knows it meets.")
    contact = {f.subjects: f for f in by_rule["poor_contact"]}
    assert "unreliable (1 of 4)" in contact[("dual-dx", "sacc")].message
    for finding in analysis.findings:
        if finding.category == "knowledge":
            assert "forms returned by 19 of 20 chairs, 95%: high confidence" in finding.message
            assert finding.evidence["confidence"] == "high" and finding.evidence["forms_sent"] == 20


def test_the_round_is_recorded(round_one):
    report, built = round_one
    landscape = built.landscape
    state = round_state(landscape)
    assert state.round == "1" and "vip" not in state.replied and len(state.asked) == 20
    seats = landscape.seats
    assert ((seats["forum_id"] == "maart") & (seats["agency_id"] == "probation")).any()
    assert "hospital-discharge-huddle" in set(landscape.forum_ids)
    purpose = landscape.forums.set_index("forum_id").loc["maart", "purpose"]
    assert PASTED_EMAIL not in purpose  # the pasted text was refused; the previous purpose kept
    returns = {r["file"]: r for r in report.collected.returns}
    assert returns["form-night-shelter.xlsx"]["status"] == "set aside"
    assert "night-shelter" in returns["form-night-shelter.xlsx"]["why"]
    assert report.set_aside


def test_no_identifier_in_any_output_of_the_round(round_one):
    report, built = round_one
    forbidden = [PASTED_NHS, PASTED_NHS.replace(" ", ""), PASTED_EMAIL] + \
        [f"P{n}" for n in range(5000, 5010)]  # the example's own person ids
    assert leaks(report.reconciliation.parent, forbidden[:3]) == []  # the new landscape and reconciliation
    assert leaks(built.outdir, forbidden) == []
    assert any(name.endswith(".xml") for name, _ in output_texts(built.outdir))
    messages = " ".join(str(p) for p in report.problems)
    assert "NHS number, an email address or a telephone number" in messages
    assert PASTED_EMAIL not in messages and "0018" not in messages


def test_without_a_round_no_knowledge_findings():
    assert not [f for f in analyse(load(EXAMPLE)).findings if f.category == "knowledge"]


def test_report_and_map_show_the_response_rate_beside_the_findings(round_one):
    _, built = round_one
    report = (built.outdir / "report.html").read_text(encoding="utf-8")
    assert "What the chairs know of each other" in report
    assert "forms returned by 19 of 20 chairs, 95%: high confidence" in report
    page = (built.outdir / "map.html").read_text(encoding="utf-8")
    assert "does not list this route" in page and "19 of 20 chairs" in page
