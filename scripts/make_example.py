"""Write the shipped example, inputs/example_landscape.xlsx: an illustrative borough, entirely synthetic.

Seeded and deterministic: running it twice gives byte-identical files. Every analysis rule has at least one planted
instance here (listed in README.md under "The shipped example"), and some things are deliberately fine so the
analyses can be seen not to flag them.

    python scripts/make_example.py [OUTPUT]
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from mcn_map.writing.files import replace_atomically, safe_text, workbook_bytes  # noqa: E402

SEED = 20261031
OUTPUT = Path(__file__).resolve().parent.parent / "inputs" / "example_landscape.xlsx"

AGENCIES = [
    # agency_id, name, sector, parent
    ("council", "Northtown Borough Council", "local_authority", ""),
    ("council-asc", "Adult Social Care", "adult_social_care", "council"),
    ("council-csc", "Children's Social Care", "childrens_services", "council"),
    ("council-housing", "Housing Options", "housing", "council"),
    ("council-cs", "Community Safety Team", "local_authority", "council"),
    ("council-ph", "Public Health", "public_health", "council"),
    ("council-prevent", "Prevent Team", "local_authority", "council"),
    ("council-edu", "Education Safeguarding", "education", "council"),
    ("commissioning", "Joint Commissioning Team", "commissioning", "council"),
    ("icb", "Northshire Integrated Care Board", "commissioning", ""),
    ("mh-trust", "Northtown Mental Health Trust", "mental_health", ""),
    ("mh-crisis", "Crisis Resolution Team", "mental_health", "mh-trust"),
    ("dap", "Northtown Recovery Partnership", "drug_alcohol", ""),
    ("police", "Northshire Police", "police", ""),
    ("police-iom", "IOM Police Team", "police", "police"),
    ("probation", "Probation Service", "probation", ""),
    ("liaison", "Liaison and Diversion", "criminal_justice", ""),
    ("prison", "HMP Northtown", "criminal_justice", ""),
    ("hospital", "Northtown General Hospital", "acute_health", ""),
    ("ae", "Emergency Department", "acute_health", "hospital"),
    ("alcohol-care", "Alcohol Care Team", "drug_alcohol", "hospital"),
    ("hospital-sw", "Hospital Social Work Team", "adult_social_care", "council-asc"),
    ("ambulance", "Northshire Ambulance Service", "ambulance", ""),
    ("fire", "Northshire Fire and Rescue", "fire", ""),
    ("gp-pcn", "Northtown Primary Care Network", "primary_care", ""),
    ("idva", "IDVA Service", "domestic_abuse", ""),
    ("refuge", "Northtown Women's Refuge", "domestic_abuse", ""),
    ("dwp", "Jobcentre Plus", "welfare", ""),
    ("homes", "Northtown Homes", "housing", ""),
    ("hostel", "St Anne's Supported Housing", "housing", ""),
    ("mcn-vcs", "Fulfilling Futures Northtown", "vcs", ""),
    ("advocacy", "Northtown Advocacy", "vcs", ""),
    ("mind", "Northtown Mind", "vcs", ""),
    ("experts", "Experts by Experience Panel", "lived_experience", ""),
]

FORUMS = [
    # forum_id, name, level, purpose, themes, chair, frequency, status, merged_into, last_met, person_voice
    ("hcsb", "Health and Care System Board", "strategic", "Oversight of health and care across the borough",
     "health|care|integration", "icb", "bi-monthly", "active", "", "2026-10-06", ""),
    ("mcn-strategic", "Multiple and Complex Needs Strategic Group", "strategic",
     "Change pathways and commissioning for people with multiple and complex needs",
     "multiple disadvantage", "council-asc", "bi-monthly", "active", "", "2026-03-10", ""),
    ("csp-board", "Community Safety Partnership Board", "strategic", "Statutory community safety partnership",
     "community safety|domestic abuse|offending", "council-cs", "quarterly", "active", "", "2026-09-15", ""),
    ("homelessness-board", "Homelessness Reduction Board", "strategic", "Homelessness and rough sleeping strategy",
     "homelessness", "council-housing", "quarterly", "active", "", "2026-09-01", ""),
    ("mcn-tactical", "Complex Needs Tactical Group", "tactical",
     "Unblock cases and gather system issues from operational groups", "multiple disadvantage", "commissioning",
     "monthly", "active", "", "2026-10-20", ""),
    ("da-delivery", "Domestic Abuse Delivery Group", "tactical", "Delivers the domestic abuse strategy",
     "domestic abuse", "council-cs", "quarterly", "active", "", "2026-10-08", ""),
    ("ae-fa", "A&E Frequent Attenders", "operational", "Plans for people attending A&E most often",
     "frequent attendance|mental health|alcohol", "ae", "monthly", "active", "", "2026-10-22", "representative"),
    ("adult-mset", "Adult Missing, Sexually Exploited and Trafficked", "operational",
     "Adults at risk of exploitation (now part of MAART)", "exploitation", "council-asc", "monthly", "merged", "maart",
     "2025-11-12", "representative"),
    ("channel", "Channel Panel", "operational", "Support for people at risk of radicalisation", "radicalisation",
     "council-prevent", "monthly", "active", "", "2026-10-14", "representative"),
    ("cscc", "Community Safety Complex Cases", "operational", "Antisocial behaviour cases with vulnerability",
     "antisocial behaviour|community safety", "council-cs", "monthly", "active", "", "2026-10-16", "none"),
    ("drd", "Drug Related Deaths Review", "operational", "Learning from drug-related deaths",
     "drug deaths|substance use", "council-ph", "quarterly", "active", "", "2026-09-24", "representative"),
    ("dual-dx", "Dual Diagnosis Panel", "operational", "People with co-occurring mental ill health and substance use",
     "mental health|substance use", "mh-trust", "monthly", "active", "", "2026-10-21", "representative"),
    ("iom", "Integrated Offender Management", "operational", "Managing people who reoffend most",
     "offending|substance use", "police-iom", "fortnightly", "active", "", "2026-10-27", "representative"),
    ("maart", "Multi Agency Adult Referral Team", "operational", "Adults at risk with multiple needs",
     "safeguarding|exploitation|multiple disadvantage", "council-asc", "weekly", "active", "", "2026-10-29",
     "person"),
    ("marac", "MARAC", "operational", "Risk plans for high-risk victims of domestic abuse", "domestic abuse",
     "police", "fortnightly", "active", "", "2026-10-23", "representative"),
    ("matac", "MATAC", "operational", "Tackling serial perpetrators of domestic abuse", "domestic abuse|offending",
     "police", "monthly", "active", "", "2026-10-09", "representative"),
    ("sacc", "Safeguarding Adults Review and Complex Case Group", "operational",
     "Complex safeguarding cases and review referrals", "safeguarding|self-neglect", "council-asc", "monthly",
     "active", "", "2026-10-13", "none"),
    ("vip", "VIP (Vulnerability, Intelligence, Problem solving)", "operational",
     "Problem-solving vulnerable people and places", "vulnerability|antisocial behaviour", "police", "fortnightly",
     "active", "", "2026-10-28", "none"),
]

NAVIGATOR = "Multiple disadvantage coordinator 1"

# Seats: forum -> list of (agency_id, role, seniority, post, held, attended). Held is filled from frequency.
SEATS: dict[str, list[tuple]] = {
    "hcsb": [
        ("icb", "chair", "executive", "ICB chief executive", None, 10),
        ("council", "member", "executive", "Council chief executive", None, 9),
        ("council-asc", "member", "executive", "Director of adult social services", None, 10),
        ("council-ph", "member", "executive", "Director of public health", None, 9),
        ("hospital", "member", "executive", "Hospital chief operating officer", None, 8),
        ("mh-trust", "member", "executive", "Mental health trust director of operations", None, 9),
        ("dap", "member", "strategic lead", "Recovery partnership service director", None, 7),
        ("police", "member", "executive", "Police superintendent", None, 8),
        ("council-housing", "member", "strategic lead", "Head of housing", None, 9),
    ],
    "mcn-strategic": [
        ("council-asc", "chair", "strategic lead", "Head of adult safeguarding", None, 3),
        ("mcn-vcs", "member", "practitioner", NAVIGATOR, None, 4),
        ("experts", "member", "expert by experience", "Expert by experience representative", None, 4),
        ("mh-trust", "member", "practitioner", "Dual diagnosis nurse", None, 3),
        ("dap", "member", "practitioner", "Outreach worker", None, 3),
        ("council-housing", "member", "practitioner", "Housing options officer", None, 3),
        ("police", "member", "practitioner", "Neighbourhood sergeant", None, 2),
        ("commissioning", "member", "service manager", "Commissioning manager", None, 3),
    ],
    "csp-board": [
        ("council-cs", "chair", "strategic lead", "Head of community safety", None, 4),
        ("police", "member", "executive", "Police chief inspector", None, 4),
        ("council-ph", "member", "strategic lead", "Public health consultant", None, 3),
        ("council-asc", "member", "strategic lead", "Assistant director adults", None, 3),
        ("council-housing", "member", "strategic lead", "Housing strategy lead", None, 3),
        ("mh-trust", "member", "strategic lead", "Mental health associate director", None, 3),
        ("dap", "member", "strategic lead", "Recovery partnership head of service", None, 4),
        ("fire", "member", "strategic lead", "Fire station manager", None, 3),
    ],
    "homelessness-board": [
        ("council-housing", "chair", "strategic lead", "Homelessness lead", None, 4),
        ("homes", "member", "executive", "Housing association director", None, 4),
        ("hostel", "member", "strategic lead", "Supported housing operations lead", None, 3),
        ("commissioning", "member", "strategic lead", "Housing commissioner", None, 4),
        ("mh-trust", "member", "strategic lead", "Mental health housing lead", None, 3),
        ("dap", "member", "strategic lead", "Recovery partnership housing lead", None, 3),
        ("police", "member", "strategic lead", "Police partnerships inspector", None, 3),
        ("council-asc", "member", "strategic lead", "Adults commissioning lead", None, 3),
        ("experts", "member", "expert by experience", "Lived experience adviser", None, 4),
    ],
    "mcn-tactical": [
        ("commissioning", "chair", "service manager", "Complex needs commissioning manager", None, 11),
        ("council-asc", "member", "service manager", "Safeguarding team manager", None, 10),
        ("mh-trust", "member", "service manager", "Community mental health team manager", None, 9),
        ("dap", "member", "service manager", "Recovery service manager", None, 10),
        ("council-housing", "member", "service manager", "Housing options manager", None, 9),
        ("probation", "member", "service manager", "Probation senior officer", None, 8),
        ("police", "member", "service manager", "Vulnerability inspector", None, 8),
    ],
    "da-delivery": [
        ("council-cs", "chair", "service manager", "Domestic abuse coordinator", None, 8),
        ("idva", "member", "service manager", "IDVA service manager", None, 8),
        ("refuge", "member", "service manager", "Refuge manager", None, 7),
        ("police", "member", "service manager", "Domestic abuse inspector", None, 7),
        ("council-csc", "member", "service manager", "Early help manager", None, 6),
    ],
    "ae-fa": [
        # Teams inside the board's member organisations, but none of the board's members themselves: planted.
        ("ae", "chair", "service manager", "ED matron", None, 11),
        ("ambulance", "member", "practitioner", "High intensity user paramedic", None, 10),
        ("gp-pcn", "member", "practitioner", "PCN social prescriber", None, 9),
        ("mh-crisis", "member", "practitioner", "Crisis team nurse", None, 10),
        ("alcohol-care", "member", "practitioner", "Alcohol care team nurse", None, 11),
        ("hostel", "member", "practitioner", "Hostel hospital discharge worker", None, 9),
        ("hospital-sw", "member", "practitioner", "Hospital social worker", None, 10),
        ("mcn-vcs", "member", "practitioner", NAVIGATOR, None, 10),
    ],
    "adult-mset": [
        ("council-asc", "chair", "service manager", "Exploitation lead", 10, 9),
        ("police", "member", "practitioner", "Exploitation detective", 10, 8),
        ("dwp", "member", "practitioner", "Jobcentre safeguarding lead", 10, 6),
    ],
    "channel": [
        ("council-prevent", "chair", "service manager", "Prevent coordinator", None, 12),
        ("police", "member", "practitioner", "Counter terrorism case officer", None, 12),
        ("mh-trust", "member", "practitioner", "Prevent mental health lead", None, 10),
        ("council-asc", "member", "practitioner", "Adult safeguarding practitioner", None, 9),
        ("council-csc", "member", "practitioner", "Children's social worker", None, 10),
        ("council-edu", "member", "practitioner", "Designated safeguarding officer", None, 9),
    ],
    "cscc": [
        ("council-cs", "chair", "service manager", "Antisocial behaviour manager", None, 11),
        ("police", "member", "practitioner", "Neighbourhood beat manager", None, 10),
        ("homes", "member", "practitioner", "Tenancy sustainment officer", None, 10),
        ("council-housing", "member", "practitioner", "Housing enforcement officer", None, 9),
        ("dap", "member", "practitioner", "Criminal justice recovery worker", None, 9),
        ("probation", "member", "practitioner", "Community probation officer", None, 8),
        ("council-asc", "member", "practitioner", "Community social worker", None, 9),
        ("fire", "member", "practitioner", "Fire safety officer", None, 8),
    ],
    "drd": [
        ("council-ph", "chair", "service manager", "Drug deaths lead", None, 4),
        ("dap", "member", "service manager", "Recovery clinical lead", None, 4),
        ("mh-trust", "member", "practitioner", "Mental health liaison nurse", None, 1),
        ("police", "member", "practitioner", "Drugs intelligence officer", None, 3),
        ("council-housing", "member", "practitioner", "Housing options officer (DRD)", None, 3),
        ("probation", "member", "practitioner", "Probation substance misuse lead", None, 3),
        ("council-asc", "member", "practitioner", "Safeguarding adults officer", None, 3),
        ("mcn-vcs", "member", "practitioner", NAVIGATOR, None, 4),
    ],
    "dual-dx": [
        ("mh-trust", "chair", "service manager", "Dual diagnosis lead", None, 12),
        ("dap", "member", "practitioner", "Dual diagnosis recovery worker", None, 11),
        ("council-housing", "member", "practitioner", "Housing first officer", None, 10),
        ("probation", "member", "practitioner", "Probation mental health link", None, 9),
        ("council-asc", "member", "practitioner", "Mental health social worker", None, 10),
        ("police", "member", "practitioner", "Street triage officer", None, 9),
        ("mind", "member", "practitioner", "Peer support worker", None, 11),
        ("mcn-vcs", "member", "practitioner", NAVIGATOR, None, 11),
    ],
    "iom": [
        ("police-iom", "chair", "practitioner", "IOM sergeant", None, 24),
        ("probation", "member", "practitioner", "IOM probation officer", None, 23),
        ("dap", "member", "practitioner", "Criminal justice drug worker", None, 22),
        ("council-housing", "member", "practitioner", "Offender housing officer", None, 20),
        ("mh-trust", "member", "practitioner", "Criminal justice mental health nurse", None, 18),
        ("council-asc", "member", "practitioner", "Adult social worker (IOM)", None, 16),
        ("prison", "member", "practitioner", "Prison resettlement officer", None, 15),
        ("liaison", "member", "practitioner", "Liaison and diversion practitioner", None, 20),
    ],
    "maart": [
        ("council-asc", "chair", "service manager", "MAART manager", None, 50),
        ("police", "member", "practitioner", "MASH detective constable", None, 48),
        ("mh-trust", "member", "practitioner", "MAART mental health practitioner", None, 45),
        ("dap", "member", "practitioner", "MAART recovery worker", None, 44),
        ("council-housing", "member", "practitioner", "MAART housing officer", None, 46),
        ("probation", "member", "practitioner", "MAART probation officer", None, 40),
        ("idva", "member", "practitioner", "MAART IDVA", None, 42),
        ("advocacy", "member", "practitioner", "Independent advocate", None, 38),
        ("mcn-vcs", "member", "practitioner", NAVIGATOR, None, 47),
    ],
    "marac": [
        ("police", "chair", "service manager", "MARAC chair (detective inspector)", None, 25),
        ("idva", "member", "practitioner", "Senior IDVA", None, 26),
        ("refuge", "member", "practitioner", "Refuge outreach worker", None, 22),
        ("mh-trust", "member", "practitioner", "MARAC mental health representative", None, 20),
        ("dap", "member", "practitioner", "MARAC recovery representative", None, 21),
        ("council-housing", "member", "practitioner", "MARAC housing officer", None, 24),
        ("probation", "member", "practitioner", "MARAC probation officer", None, 6),
        ("council-asc", "member", "practitioner", "MARAC adult social worker", None, 22),
        ("council-csc", "member", "practitioner", "MARAC children's social worker", None, 23),
    ],
    "matac": [
        ("police", "chair", "service manager", "MATAC chair (detective inspector)", None, 12),
        ("idva", "member", "practitioner", "IDVA (MATAC)", None, 11),
        ("refuge", "member", "practitioner", "Refuge perpetrator liaison", None, 10),
        ("mh-trust", "member", "practitioner", "MATAC mental health representative", None, 10),
        ("dap", "member", "practitioner", "MATAC recovery representative", None, 10),
        ("council-housing", "member", "practitioner", "MATAC housing officer", None, 11),
        ("probation", "member", "practitioner", "MATAC probation officer", None, 11),
        ("council-asc", "member", "practitioner", "MATAC adult social worker", None, 10),
        ("council-csc", "member", "practitioner", "MATAC children's social worker", None, 10),
    ],
    "sacc": [
        ("council-asc", "chair", "service manager", "Safeguarding adults manager", None, 12),
        ("mh-trust", "member", "practitioner", "Safeguarding adults nurse", None, 11),
        ("dap", "member", "practitioner", "Safeguarding recovery worker", None, 10),
        ("council-housing", "member", "practitioner", "Safeguarding housing officer", None, 10),
        ("police", "member", "practitioner", "Adult safeguarding detective", None, 9),
        ("probation", "member", "practitioner", "Safeguarding probation officer", None, 8),
        ("gp-pcn", "member", "practitioner", "GP safeguarding lead", None, 7),
        ("mcn-vcs", "member", "practitioner", NAVIGATOR, None, 11),
    ],
    "vip": [
        # Every seat attends at least half the meetings, but the average is low: planted.
        ("police", "chair", "service manager", "Neighbourhood inspector", None, 15),
        ("council-cs", "member", "practitioner", "Community safety officer", None, 13),
        ("mh-trust", "member", "practitioner", "VIP mental health practitioner", None, 14),
        ("dap", "member", "practitioner", "VIP outreach worker", None, 13),
        ("council-housing", "member", "practitioner", "VIP housing officer", None, 14),
        ("probation", "member", "practitioner", "VIP probation officer", None, 13),
        ("council-asc", "member", "practitioner", "VIP social worker", None, 13),
        ("mcn-vcs", "member", "practitioner", NAVIGATOR, None, 16),
        ("fire", "member", "practitioner", "Fire prevention officer", None, 13),
    ],
}

# Meetings held in the year to the end of October 2026.
HELD = {"weekly": 50, "fortnightly": 26, "monthly": 12, "6-weekly": 9, "bi-monthly": 6, "quarterly": 4}
# MCN strategic group: held 4 before it stopped meeting in March.
# Domestic Abuse Delivery Group: recorded as quarterly, but its seats report the 9 meetings a 6-weekly group holds
# (meetings_against_frequency).
HELD_OVERRIDE = {"mcn-strategic": 4, "da-delivery": 9}

LINKS = [
    # from, to, type, via_post
    ("mcn-strategic", "hcsb", "reports_to", ""),
    ("hcsb", "mcn-strategic", "feeds_back_to", ""),
    ("mcn-tactical", "mcn-strategic", "escalates_to", "Complex needs commissioning manager"),
    ("mcn-strategic", "mcn-tactical", "feeds_back_to", ""),
    ("da-delivery", "csp-board", "reports_to", ""),
    ("csp-board", "da-delivery", "feeds_back_to", ""),
    ("maart", "mcn-tactical", "escalates_to", NAVIGATOR),
    ("mcn-tactical", "maart", "feeds_back_to", NAVIGATOR),
    ("dual-dx", "mcn-tactical", "escalates_to", NAVIGATOR),  # no feedback route back: planted
    ("drd", "mcn-strategic", "reports_to", ""),
    ("mcn-strategic", "drd", "feeds_back_to", ""),
    ("vip", "mcn-tactical", "escalates_to", NAVIGATOR),
    ("mcn-tactical", "vip", "feeds_back_to", ""),
    ("ae-fa", "hcsb", "escalates_to", ""),  # no agency or post on both: planted
    ("hcsb", "ae-fa", "feeds_back_to", ""),
    ("marac", "da-delivery", "escalates_to", ""),
    ("da-delivery", "marac", "feeds_back_to", ""),
    ("matac", "da-delivery", "escalates_to", ""),
    ("da-delivery", "matac", "feeds_back_to", ""),
    ("cscc", "csp-board", "escalates_to", ""),
    ("csp-board", "cscc", "feeds_back_to", ""),
    ("iom", "csp-board", "reports_to", ""),
    ("csp-board", "iom", "feeds_back_to", ""),
    ("channel", "csp-board", "reports_to", ""),
    ("csp-board", "channel", "feeds_back_to", ""),
    ("adult-mset", "mcn-tactical", "escalates_to", ""),
    ("marac", "matac", "refers_to", ""),
    ("maart", "sacc", "refers_to", ""),
    ("dual-dx", "ae-fa", "shares_case_list", ""),
    ("ae-fa", "dual-dx", "shares_case_list", ""),
    # sacc has no route upward at all: planted.
]


# -- Forum kinds, stopped forums and validate warnings (issue 9) ---------------------------------------------------
# A Health and Wellbeing Board (kind inferred from its name) with its statutory members and no police or probation:
# judged against the Health and Social Care Act 2012, s.194, so not flagged for either. A drug-related deaths review
# (kind given in the kind column) with no person voice: the people it reviews have died, so no person-voice finding.
# An operational forum still listed as active that last met 19 months ago (it meets bi-monthly): planted. A paused
# forum with no seats and an agency on no forum: validate warns about both.
KIND_COLUMN = {"drd": "Drug-related deaths review"}
VOICE_OVERRIDE = {"drd": "none"}
FORUMS += [
    ("hwb", "Northtown Health and Wellbeing Board", "strategic", "Statutory health and wellbeing board",
     "health|wellbeing", "council", "quarterly", "active", "", "2026-09-30", ""),
    ("hoarding", "Hoarding and Self-Neglect Panel", "operational", "People at risk from hoarding and self-neglect",
     "self-neglect|hoarding", "", "bi-monthly", "active", "", "2025-03-18", "representative"),
    ("street-drinking", "Street Drinking Task Group", "operational", "Paused while the council reviews it",
     "alcohol|antisocial behaviour", "council-cs", "monthly", "paused", "", "2026-01-20", ""),
]
AGENCIES += [("food-bank", "Northtown Food Bank", "vcs", "")]
SEATS.update({
    "hwb": [
        ("council", "chair", "executive", "Council leader", None, 4),
        ("council-asc", "member", "executive", "Director of adult social services (HWB)", None, 4),
        ("council-csc", "member", "executive", "Director of children's services", None, 3),
        ("council-ph", "member", "executive", "Director of public health (HWB)", None, 4),
        ("icb", "member", "executive", "ICB place director", None, 4),
        ("experts", "member", "expert by experience", "Healthwatch representative", None, 4),
    ],
    "hoarding": [
        ("council-asc", "member", "service manager", "Self-neglect lead", None, 5),  # no chair recorded (no_chair)
        ("mh-trust", "member", "practitioner", "Older adults mental health nurse", None, 5),
        ("dap", "member", "practitioner", "Alcohol outreach worker", None, 4),
        ("homes", "member", "practitioner", "Tenancy officer (hoarding)", None, 5),
        ("police", "member", "practitioner", "Neighbourhood officer (hoarding)", None, 4),
        ("probation", "member", "practitioner", "Probation duty officer", None, 4),
        ("fire", "member", "practitioner", "Home fire safety officer", None, 5),
    ],
})
LINKS_ADDED = [
    ("hcsb", "hwb", "reports_to", ""),
    ("hwb", "hcsb", "feeds_back_to", ""),
    ("hoarding", "mcn-tactical", "escalates_to", ""),
    ("mcn-tactical", "hoarding", "feeds_back_to", ""),
]


def cohorts(rng: random.Random) -> list[tuple]:
    """Case lists with deliberate overlaps. Returns (forum_id, person_id, discussed_on, lead_agency)."""
    start = date(2026, 4, 1)
    rows: list[tuple] = []
    people = iter(f"P{i:04d}" for i in range(1, 10000))

    def day(lo=0, hi=210) -> date:
        return start + timedelta(days=rng.randint(lo, hi))

    leads = {
        "ae-fa": ["ae", "mh-crisis", "alcohol-care"], "channel": ["council-prevent"], "cscc": ["council-cs", "homes"],
        "drd": ["council-ph"], "dual-dx": ["mh-trust"], "iom": ["police-iom", "probation"],
        "maart": ["council-asc"], "marac": ["idva"], "matac": ["police"], "sacc": ["council-asc"],
        "vip": ["police", "council-cs"],
    }
    sizes = {"ae-fa": 14, "channel": 12, "cscc": 16, "drd": 9, "dual-dx": 12, "iom": 25, "maart": 40,
             "marac": 45, "matac": 14, "sacc": 14, "vip": 18}
    for forum, size in sizes.items():
        for _ in range(size):
            rows.append((forum, next(people), day(), rng.choice(leads[forum])))

    # The same twelve people in MAART, the Safeguarding Adults group and Dual Diagnosis (three or more forums), and
    # some of them at A&E Frequent Attenders too, under different lead agencies within weeks.
    for i in range(12):
        person = next(people)
        first = rng.randint(0, 150)
        rows.append(("maart", person, day(first, first), "council-asc"))
        rows.append(("sacc", person, day(first + 10, first + 20), "council-asc"))
        rows.append(("dual-dx", person, day(first + 20, first + 40), "mh-trust"))
        if i < 9:
            rows.append(("ae-fa", person, day(first + 5, first + 30), "ae"))
    # IOM and VIP share a group of people; VIP's lead differs from IOM's.
    for _ in range(10):
        person = next(people)
        first = rng.randint(0, 170)
        rows.append(("iom", person, day(first, first), "probation"))
        rows.append(("vip", person, day(first + 7, first + 35), "council-cs"))
    # A few MARAC victims also come to MAART within weeks, under other leads: a pair under the overlap threshold
    # (3 of 48) but at the minimum number of people for a pair, so a risk of contradictory plans.
    for _ in range(3):
        person = next(people)
        first = rng.randint(0, 170)
        rows.append(("marac", person, day(first, first), "idva"))
        rows.append(("maart", person, day(first + 7, first + 30), "council-asc"))
    rng.shuffle(rows)
    return sorted(rows, key=lambda r: (r[2], r[0], r[1]))


# -- journeys and caseloads (issue 11) ----------------------------------------------------------------------------
# Kept apart from cohorts() so the rows above, and every finding they plant, stay exactly as they were.

def repeat_victims() -> list[tuple]:
    """Four MARAC victims discussed again and again since June 2025: repeat discussion and long-running cases."""
    months = [date(2025, 6, 11), date(2026, 5, 13), date(2026, 7, 8), date(2026, 8, 12), date(2026, 10, 14)]
    return [("marac", f"P{5000 + i}", when, "idva") for i in range(4) for when in months]


def with_lead_posts(rows: list[tuple]) -> list[tuple]:
    """Add ``lead_post``: in the last 90 days the navigator leads twelve people (over ten), a second coordinator
    nine (over eight), a housing first worker five; everyone else has no lead post recorded."""
    as_of = max(r[2] for r in rows)
    recent = sorted({r[1] for r in rows if (as_of - r[2]).days < 90 and r[0] in ("maart", "sacc", "cscc", "vip")})
    posts = {}
    for post, n in ((NAVIGATOR, 12), ("Multiple disadvantage coordinator 2", 9), ("Housing first worker 1", 5)):
        for person in recent[:n]:
            posts[person] = post
        recent = recent[n:]
    return [(*row, posts.get(row[1], "")) for row in rows]


def add_sheet(book: Workbook, title: str, header: list, rows, *, first: bool = False) -> None:
    """One sheet of an example workbook: bold frozen headers, formula-safe cells, columns as wide as their text."""
    ws = book.active if first else book.create_sheet()
    ws.title = title
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([safe_text(v) for v in row])
    ws.freeze_panes = "A2"
    for column, name in zip(ws.columns, header):
        width = max(len(str(name)), *(len(str(c.value or "")) for c in column))
        ws.column_dimensions[column[0].column_letter].width = min(width + 2, 60)


def build_workbook() -> Workbook:
    rng = random.Random(SEED)
    book = Workbook()

    def sheet(title, header, rows, first=False):
        add_sheet(book, title, header, rows, first=first)

    frequency = {f[0]: f[6] for f in FORUMS}
    sheet("forums", ["forum_id", "name", "level", "purpose", "themes", "chair_agency", "frequency", "status",
                     "merged_into", "last_met", "person_voice", "area", "kind"],
          [list(f[:9]) + [date.fromisoformat(f[9]), VOICE_OVERRIDE.get(f[0], f[10]), "Northtown",
                          KIND_COLUMN.get(f[0], "")] for f in FORUMS], first=True)
    sheet("agencies", ["agency_id", "name", "sector", "parent"], AGENCIES)
    members = []
    for forum, seats in SEATS.items():
        for agency, role, seniority, post, held, attended in seats:
            held = held or HELD_OVERRIDE.get(forum) or HELD[frequency[forum]]
            members.append((forum, agency, role, seniority, post, held, min(attended, held)))
    sheet("members", ["forum_id", "agency_id", "role", "seniority", "post", "meetings_held", "meetings_attended"],
          members)
    case_lists = cohorts(rng)
    case_lists = with_lead_posts(sorted(case_lists + repeat_victims(), key=lambda r: (r[2], r[0], r[1])))
    sheet("cohorts", ["forum_id", "person_id", "discussed_on", "lead_agency", "lead_post"], case_lists)
    sheet("links", ["from_forum", "to_forum", "type", "via_post"], LINKS + LINKS_ADDED)
    return book


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    target = Path(argv[0]) if argv else OUTPUT
    replace_atomically(target, workbook_bytes(build_workbook()))  # the script owns these files: no overwrite check
    print(f"Wrote {target}")
    if not argv:
        # The same borough a year on, and a scenario to test: made from the tables above (see that script).
        import make_example_2027

        make_example_2027.main([])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
