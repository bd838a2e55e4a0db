"""Write the shipped example's second snapshot and scenario: inputs/example_landscape_2027.xlsx (the same synthetic
borough a year on) and inputs/example_scenario.toml (a proposal to test with `mcn-map whatif`).

Made from the first snapshot's tables in scripts/make_example.py, changed as a year of a real partnership might:
each change below is one the README's `mcn-map compare` walk-through points to. Seeded and deterministic.

    python scripts/make_example_2027.py [OUTPUT] [SCENARIO]
"""

from __future__ import annotations

import copy
import random
import sys
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import make_example as first  # noqa: E402
from mcn_map.analyses.findings import make_finding  # noqa: E402
from mcn_map.writing.files import replace_atomically, workbook_bytes  # noqa: E402

SEED = 20271031
INPUTS = Path(__file__).resolve().parent.parent / "inputs"
OUTPUT = INPUTS / "example_landscape_2027.xlsx"
SCENARIO = INPUTS / "example_scenario.toml"
NEW_NAVIGATOR = "Multiple disadvantage coordinator 2"

SCENARIO_TEXT = '''\
# A proposal to test before the board meets: `mcn-map whatif inputs/example_landscape.xlsx inputs/example_scenario.toml`
title = "Merge MATAC into MARAC, close the wound-down strategic group, and give CSCC a voice"
description = "Options drawn from the 2026 map: MARAC and MATAC have near-identical membership; the MCN Strategic Group has not met since March."

[[merge]]
forums = ["marac", "matac"]
into = "marac"

[[end]]
forum = "mcn-strategic"
reroute_to = "hcsb"

[[set]]
forum = "cscc"
person_voice = "representative"

[[add_seat]]
forum = "cscc"
agency = "mh-trust"
post = "Community mental health nurse (CSCC)"
seniority = "practitioner"

[[remove_seat]]
forum = "drd"
agency = "mh-trust"

[[add_link]]
from = "sacc"
to = "mcn-tactical"
type = "escalates_to"
'''


def _shift(day: str) -> date:
    return date.fromisoformat(day) + timedelta(days=364)


def forums_2027() -> list[tuple]:
    rows = []
    for f in first.FORUMS:
        f = list(f)
        forum_id = f[0]
        if forum_id == "adult-mset":
            continue  # merged into MAART in 2025 and no longer listed
        if f[7] == "active":
            f[9] = _shift(f[9]).isoformat()
        if forum_id == "mcn-strategic":
            f[9] = "2027-09-14"  # restarted with senior members after the 2026 report
        if forum_id == "matac":
            f[7], f[8], f[9] = "merged", "marac", "2027-03-11"  # the board took the option
        if forum_id == "channel":
            f[0] = "channel-panel"  # re-keyed by a new analyst: a likely rename
        if forum_id == "cscc":
            f[10] = "representative"
        if forum_id == "vip":
            f[6] = "monthly"
        if forum_id == "dual-dx":
            f[5] = "dap"
        rows.append(tuple(f))
    rows.append(("rough-sleeping", "Rough Sleeping Panel", "operational", "Plans for people sleeping rough",
                 "homelessness|rough sleeping", "council-housing", "fortnightly", "active", "", "2027-10-26",
                 "person"))
    return rows


def seats_2027() -> dict[str, list[tuple]]:
    seats = copy.deepcopy(first.SEATS)
    seats.pop("adult-mset")
    seats["channel-panel"] = seats.pop("channel")
    for forum, rows in seats.items():
        seats[forum] = [(a, r, s, NEW_NAVIGATOR if p == first.NAVIGATOR else p, h, att) for a, r, s, p, h, att in rows]
    seats["mcn-strategic"] = [
        ("council-asc", "chair", "executive", "Director of adult social services", None, 5),
        ("mcn-vcs", "member", "practitioner", NEW_NAVIGATOR, None, 6),
        ("experts", "member", "expert by experience", "Expert by experience representative", None, 6),
        ("mh-trust", "member", "strategic lead", "Mental health associate director", None, 5),
        ("dap", "member", "strategic lead", "Recovery partnership head of service", None, 5),
        ("council-housing", "member", "strategic lead", "Head of housing", None, 5),
        ("probation", "member", "strategic lead", "Head of probation delivery unit", None, 4),
        ("commissioning", "member", "service manager", "Commissioning manager", None, 6),
    ]
    seats["cscc"].append(("mh-trust", "member", "practitioner", "Community mental health nurse (CSCC)", None, 10))
    seats["drd"] = [(a, r, s, p, h, 4 if a == "mh-trust" else att) for a, r, s, p, h, att in seats["drd"]]
    seats["vip"] = [(a, r, s, p, h, max(att // 3, 2) if a in ("probation", "fire") else att // 2)
                    for a, r, s, p, h, att in seats["vip"]]
    seats["marac"] = seats["marac"] + [("police", "member", "practitioner", "Perpetrator tasking officer", None, 24)]
    seats["matac"] = [row for row in seats["matac"] if row[0] == "police"]
    seats["rough-sleeping"] = [
        ("council-housing", "chair", "service manager", "Rough sleeping coordinator", None, 24),
        ("hostel", "member", "practitioner", "Outreach worker", None, 22),
        ("dap", "member", "practitioner", "Street outreach recovery worker", None, 20),
        ("mh-trust", "member", "practitioner", "Homeless mental health nurse", None, 18),
        ("experts", "member", "expert by experience", "Peer mentor", None, 20),
    ]
    return seats


def links_2027() -> list[tuple]:
    links = []
    for a, b, kind, via in first.LINKS + first.LINKS_ADDED:
        a = {"channel": "channel-panel", "matac": "marac"}.get(a, a)
        b = {"channel": "channel-panel", "matac": "marac"}.get(b, b)
        if "adult-mset" in (a, b) or a == b:
            continue
        if via == first.NAVIGATOR and a != "vip":
            via = NEW_NAVIGATOR  # re-pointed at the new post, except VIP's, still listed under the post that left
        links.append((a, b, kind, via))
    links = list(dict.fromkeys(links))
    links += [("rough-sleeping", "homelessness-board", "escalates_to", ""),
              ("homelessness-board", "rough-sleeping", "feeds_back_to", ""),
              ("sacc", "mcn-strategic", "escalates_to", "")]
    return links


def cohorts_2027(rng: random.Random) -> list[tuple]:
    rename = {"matac": "marac", "channel": "channel-panel"}
    rows = []
    for forum, person, day, lead in first.cohorts(rng):
        rows.append((rename.get(forum, forum), person, day + timedelta(days=364), lead))
    extra = iter(f"P{i:04d}" for i in range(5000, 5100))
    for _ in range(15):
        person = next(extra)
        rows.append(("rough-sleeping", person, date(2027, 6, 1) + timedelta(days=rng.randint(0, 120)), "council-housing"))
        if rng.random() < 0.6:
            rows.append(("maart", person, date(2027, 7, 1) + timedelta(days=rng.randint(0, 90)), "council-asc"))
    # The repeat MARAC victims are still being discussed a year on.
    rows += first.repeat_victims() + [(f, p, d + timedelta(days=364), lead) for f, p, d, lead in first.repeat_victims()]
    rows = sorted(rows, key=lambda r: (r[2], r[0], r[1]))
    # Lead posts as in 2026, held by the new coordinator posts.
    posts = {first.NAVIGATOR: NEW_NAVIGATOR, "Multiple disadvantage coordinator 2": "Multiple disadvantage coordinator 3"}
    return [(*row[:4], posts.get(row[4], row[4])) for row in first.with_lead_posts(rows)]


def finding_id(rule: str, *subjects: str) -> str:
    """The id the analyses give a finding (rule and subjects), as the board copied it from the 2026 findings.xlsx."""
    return make_finding("duplication", rule, "low", subjects, "").id


def responses_2027() -> list[tuple]:
    """The board's responses to the 2026 report: some findings since resolved (closed), some still open."""
    return [
        (finding_id("similar_membership", "marac", "matac"), "accepted", "Community safety manager",
         "MATAC to merge into MARAC from March 2027", date(2027, 3, 31)),
        (finding_id("missing_sector", "cscc"), "in hand", "Mental health trust associate director",
         "A community mental health nurse to join CSCC", date(2027, 1, 31)),
        (finding_id("sole_tier_link", first.NAVIGATOR), "in hand", "MCN Strategic Group",
         "A second coordinator post to share the link between the tiers", date(2027, 6, 30)),
        (finding_id("meeting_hours", "probation"), "disagree", "Head of probation delivery unit",
         "Probation attends by rota; the hours are shared across the team", date(2027, 9, 30)),
        (finding_id("cohort_overlap", "iom", "vip"), "in hand", "VIP chair",
         "IOM and VIP to share case lists before each meeting", date(2027, 12, 31)),
    ]


def build_workbook() -> Workbook:
    rng = random.Random(SEED)
    book = Workbook()

    def sheet(title, header, rows, first_sheet=False):
        first.add_sheet(book, title, header, rows, first=first_sheet)

    forums = forums_2027()
    frequency = {f[0]: f[6] for f in forums}
    sheet("forums", ["forum_id", "name", "level", "purpose", "themes", "chair_agency", "frequency", "status",
                     "merged_into", "last_met", "person_voice", "area"],
          [list(f[:9]) + [date.fromisoformat(f[9]), f[10], "Northtown"] for f in forums], first_sheet=True)
    sheet("agencies", ["agency_id", "name", "sector", "parent"], first.AGENCIES)
    members = []
    for forum, seats in seats_2027().items():
        for agency, role, seniority, post, held, attended in seats:
            held = held or first.HELD[frequency[forum]]
            members.append((forum, agency, role, seniority, post, held, min(attended, held)))
    sheet("members", ["forum_id", "agency_id", "role", "seniority", "post", "meetings_held", "meetings_attended"],
          members)
    sheet("cohorts", ["forum_id", "person_id", "discussed_on", "lead_agency", "lead_post"], cohorts_2027(rng))
    sheet("links", ["from_forum", "to_forum", "type", "via_post"], links_2027())
    sheet("responses", ["finding_id", "status", "owner", "note", "review_date"], responses_2027())
    return book


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    target = Path(argv[0]) if argv else OUTPUT
    scenario = Path(argv[1]) if len(argv) > 1 else SCENARIO
    replace_atomically(target, workbook_bytes(build_workbook()))  # the script owns these files: no overwrite check
    replace_atomically(scenario, SCENARIO_TEXT.encode("utf-8"))
    print(f"Wrote {target} and {scenario}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
