"""The input workbook's format: sheets, columns, vocabularies.

This module is the single source of truth for the format. The loader validates against it, the template writer
builds drop-downs from it, and ``tests/test_docs.py`` checks the README's tables against it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..kinds import KIND_KEYS, kind_synonyms

__all__ = [
    "Column",
    "Sheet",
    "SHEETS",
    "VOCABULARIES",
    "SECTORS",
    "SECTOR_LABELS",
    "FREQUENCY_PER_MONTH",
    "FREQUENCY_DAYS",
    "canonical_token",
    "vocabulary_lookup",
]


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # id | text | enum | date | count | list | ref
    required: bool = False
    description: str = ""
    vocabulary: str | None = None  # key into VOCABULARIES
    references: tuple[str, str] | None = None  # (sheet, column) a value must exist in
    default: str | None = None
    example: str = ""


@dataclass(frozen=True)
class Sheet:
    name: str
    required: bool
    description: str
    columns: tuple[Column, ...]
    key: str | None = None  # column whose values must be unique
    row_unit: str = ""

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


# Sector keys with the label people read, in the order the map's legend uses.
SECTOR_LABELS: dict[str, str] = {
    "mental_health": "Mental health",
    "drug_alcohol": "Drug and alcohol",
    "housing": "Housing",
    "police": "Police",
    "probation": "Probation",
    "criminal_justice": "Criminal justice",
    "adult_social_care": "Adult social care",
    "childrens_services": "Children's services",
    "primary_care": "Primary care",
    "acute_health": "Acute health",
    "ambulance": "Ambulance",
    "fire": "Fire and rescue",
    "public_health": "Public health",
    "local_authority": "Local authority",
    "welfare": "Welfare and benefits",
    "vcs": "Voluntary and community sector",
    "lived_experience": "Lived experience",
    "domestic_abuse": "Domestic abuse",
    "commissioning": "Commissioning",
    "education": "Education",
    "other": "Other",
}
SECTORS: tuple[str, ...] = tuple(SECTOR_LABELS)

# Words people actually type for a sector, beyond its key and label.
SECTOR_SYNONYMS: dict[str, tuple[str, ...]] = {
    "mental_health": ("mh", "mental health trust", "mental health services", "nhs mental health", "cmht"),
    "drug_alcohol": (
        "substance misuse", "substance use", "drugs and alcohol", "drug & alcohol", "drugs & alcohol",
        "drugs", "alcohol", "addiction", "treatment service", "d&a",
    ),
    "housing": ("homelessness", "housing options", "homeless", "housing association"),
    "police": ("constabulary", "police service"),
    "probation": ("probation service", "nps", "crc"),
    "criminal_justice": ("cjs", "courts", "prison", "prisons", "youth justice", "liaison and diversion"),
    "adult_social_care": ("asc", "social care", "adult services", "adults social care"),
    "childrens_services": ("children's social care", "childrens social care", "csc", "children services", "children"),
    "primary_care": ("gp", "gps", "general practice", "pcn"),
    "acute_health": ("acute", "hospital", "acute trust", "a&e", "nhs acute", "emergency department"),
    "ambulance": ("ambulance service",),
    "fire": ("fire service", "fire and rescue service", "fire & rescue"),
    "public_health": ("ph",),
    "local_authority": ("la", "council", "community safety", "local government"),
    "welfare": ("dwp", "benefits", "jobcentre", "jobcentre plus", "welfare rights"),
    "vcs": ("voluntary sector", "vcse", "charity", "third sector", "voluntary and community", "voluntary"),
    "lived_experience": ("expert by experience", "experts by experience", "lived experience group", "peer"),
    "domestic_abuse": ("idva", "idva service", "domestic violence", "da service", "refuge"),
    "commissioning": ("commissioner", "commissioners", "icb", "integrated care board", "ccg"),
    "education": ("school", "schools", "college", "university"),
    "other": (),
}

VOCABULARIES: dict[str, tuple[str, ...]] = {
    "level": ("strategic", "tactical", "operational"),
    "status": ("active", "paused", "ended", "merged"),
    "frequency": ("weekly", "fortnightly", "monthly", "6-weekly", "bi-monthly", "quarterly", "ad hoc"),
    "person_voice": ("none", "representative", "person"),
    "role": ("chair", "member", "attendee", "invited"),
    "seniority": ("executive", "strategic lead", "service manager", "practitioner", "expert by experience"),
    "link_type": ("escalates_to", "reports_to", "feeds_back_to", "refers_to", "shares_case_list"),
    "sector": SECTORS,
    "kind": KIND_KEYS,  # national forum kinds: mcn_map/data/forum_kinds.toml
    "response_status": ("accepted", "in hand", "disagree"),
    "answer": ("yes", "no"),  # a chair's answer on a mapping round's form; blank is no answer, never a "no"
    "contact": ("weekly or more", "monthly", "quarterly", "less often", "never"),
}

_SYNONYMS: dict[str, dict[str, str]] = {
    "frequency": {
        "every week": "weekly", "2-weekly": "fortnightly", "every two weeks": "fortnightly", "biweekly": "fortnightly",
        "every month": "monthly", "4-weekly": "monthly", "six-weekly": "6-weekly", "every 6 weeks": "6-weekly",
        "every six weeks": "6-weekly", "bimonthly": "bi-monthly", "every two months": "bi-monthly",
        "every 2 months": "bi-monthly", "2-monthly": "bi-monthly", "every three months": "quarterly",
        "3-monthly": "quarterly", "adhoc": "ad hoc", "as needed": "ad hoc", "as required": "ad hoc",
    },
    "status": {"live": "active", "running": "active", "stopped": "ended", "closed": "ended", "on hold": "paused"},
    "person_voice": {
        "no": "none", "neither": "none", "lead practitioner": "representative", "advocate": "representative",
        "expert by relationship": "representative", "yes": "person", "attends": "person",
    },
    "role": {"vice chair": "member", "co-chair": "chair", "deputy chair": "member", "guest": "invited"},
    "seniority": {
        "exec": "executive", "director": "executive", "senior leader": "strategic lead", "head of service": "strategic lead",
        "manager": "service manager", "team manager": "service manager", "frontline": "practitioner",
        "worker": "practitioner", "coordinator": "practitioner", "lived experience": "expert by experience",
        "peer": "expert by experience",
    },
    "link_type": {
        "escalates to": "escalates_to", "escalation": "escalates_to", "reports to": "reports_to", "reporting": "reports_to",
        "feeds back to": "feeds_back_to", "feedback": "feeds_back_to", "refers to": "refers_to", "referral": "refers_to",
        "shares case list": "shares_case_list", "play snap": "shares_case_list",
    },
    "level": {"operations": "operational", "strategy": "strategic", "board": "strategic"},
    "kind": kind_synonyms(),
    "response_status": {"agreed": "accepted", "accept": "accepted", "in progress": "in hand", "underway": "in hand",
                        "disagreed": "disagree", "rejected": "disagree", "not accepted": "disagree"},
    "answer": {"y": "yes", "true": "yes", "n": "no", "false": "no"},
    "contact": {"weekly": "weekly or more", "more than weekly": "weekly or more", "every month": "monthly",
                "every three months": "quarterly", "less than quarterly": "less often", "rarely": "less often",
                "none": "never", "no contact": "never"},
}

# How often a forum meets, for meeting-hours and "has it stopped meeting?".
FREQUENCY_PER_MONTH: dict[str, float] = {
    "weekly": 52 / 12, "fortnightly": 26 / 12, "monthly": 1.0, "6-weekly": 52 / 6 / 12,
    "bi-monthly": 0.5, "quarterly": 1 / 3, "ad hoc": 0.25,
}
FREQUENCY_DAYS: dict[str, float] = {
    "weekly": 7, "fortnightly": 14, "monthly": 30.4, "6-weekly": 42, "bi-monthly": 61, "quarterly": 91, "ad hoc": 182,
}


def canonical_token(value: str) -> str:
    """Fold case, spacing, underscores and hyphens so 'Bi monthly', 'bi_monthly' and 'BI-MONTHLY' compare equal."""
    return re.sub(r"[\s_\-]+", " ", str(value).strip().lower()).replace("’", "'")


def vocabulary_lookup(vocabulary: str) -> dict[str, str]:
    """Every accepted spelling (folded by :func:`canonical_token`) mapped to its canonical value."""
    table: dict[str, str] = {}
    for value in VOCABULARIES[vocabulary]:
        table[canonical_token(value)] = value
    if vocabulary == "sector":
        for key, label in SECTOR_LABELS.items():
            table[canonical_token(label)] = key
            for synonym in SECTOR_SYNONYMS[key]:
                table[canonical_token(synonym)] = key
        table[canonical_token("drugs and alcohol")] = "drug_alcohol"
        table[canonical_token("children's services")] = "childrens_services"
        table[canonical_token("childrens services")] = "childrens_services"
    for spelling, value in _SYNONYMS.get(vocabulary, {}).items():
        table[canonical_token(spelling)] = value
    return table


def _c(name, kind, required=False, description="", **kw) -> Column:
    return Column(name=name, kind=kind, required=required, description=description, **kw)


SHEETS: dict[str, Sheet] = {
    "forums": Sheet(
        name="forums",
        required=True,
        key="forum_id",
        row_unit="one row per forum (meeting or board)",
        description="The multi-agency meetings and boards.",
        columns=(
            _c("forum_id", "id", True, "Short unique id used everywhere else.", example="marac"),
            _c("name", "text", True, "The name people use for the meeting.", example="MARAC"),
            _c("level", "enum", True, "Tier of the forum.", vocabulary="level", example="operational"),
            _c("purpose", "text", False, "One line on what it is for.", example="Risk plans for high-risk domestic abuse victims"),
            _c("themes", "list", False, "Themes, separated by `|`.", example="domestic abuse|safeguarding"),
            _c("chair_agency", "ref", False, "The agency that chairs it.", references=("agencies", "agency_id"), example="police"),
            _c("frequency", "enum", False, "How often it meets.", vocabulary="frequency", example="monthly"),
            _c("status", "enum", False, "Whether it still meets.", vocabulary="status", default="active", example="active"),
            _c("merged_into", "ref", False, "For a merged forum, the forum it became part of.",
               references=("forums", "forum_id"), example="maart"),
            _c("last_met", "date", False, "Date of the latest meeting.", example="2026-10-14"),
            _c("person_voice", "enum", False, "Whether the person discussed, or someone speaking for them, is in the room.",
               vocabulary="person_voice", example="representative"),
            _c("area", "text", False, "Borough, district or place the forum covers.", example="Northtown"),
            _c("kind", "enum", False, "National forum kind (see Forum kinds); blank: inferred from the name.",
               vocabulary="kind", example="marac"),
        ),
    ),
    "agencies": Sheet(
        name="agencies",
        required=True,
        key="agency_id",
        row_unit="one row per agency, service or team",
        description="The organisations and teams that take seats.",
        columns=(
            _c("agency_id", "id", True, "Short unique id.", example="mh-trust"),
            _c("name", "text", True, "The agency's name.", example="Northtown Mental Health Trust"),
            _c("sector", "enum", True, "Sector: a key or label from the sector list (common synonyms accepted).",
               vocabulary="sector", example="mental_health"),
            _c("parent", "ref", False, "For a team inside an organisation, the organisation's agency_id.",
               references=("agencies", "agency_id"), example="council"),
        ),
    ),
    "members": Sheet(
        name="members",
        required=True,
        row_unit="one row per seat: an agency sitting on a forum",
        description="Who sits on each forum.",
        columns=(
            _c("forum_id", "ref", True, "The forum.", references=("forums", "forum_id"), example="marac"),
            _c("agency_id", "ref", True, "The agency holding the seat.", references=("agencies", "agency_id"), example="police"),
            _c("role", "enum", False, "Role on the forum.", vocabulary="role", default="member", example="member"),
            _c("seniority", "enum", False, "Seniority of whoever takes the seat.", vocabulary="seniority", example="practitioner"),
            _c("post", "text", False, "A post or role label, never a person's name; number a post one person holds "
               "(Navigator 1) so key-person findings can tell it from a role many hold.",
               example="Multiple disadvantage coordinator 1"),
            _c("meetings_held", "count", False, "Meetings held in the period.", example="12"),
            _c("meetings_attended", "count", False, "Meetings this seat attended in the period.", example="9"),
        ),
    ),
    "cohorts": Sheet(
        name="cohorts",
        required=False,
        row_unit="one row per person per forum (case lists)",
        description="Who each forum discusses; pseudonymise before sharing (see Handling personal data).",
        columns=(
            _c("forum_id", "ref", True, "The forum that discussed the person.", references=("forums", "forum_id"), example="marac"),
            _c("person_id", "id", True, "A local pseudonym or an NHS number (keyed before use).", example="P0001"),
            _c("discussed_on", "date", False, "When the person was discussed.", example="2026-09-03"),
            _c("lead_agency", "ref", False, "The agency leading the person's plan.", references=("agencies", "agency_id"),
               example="mh-trust"),
            _c("lead_post", "text", False, "The post of the person's lead worker (a post label, never a name).",
               example="MD coordinator 1"),
        ),
    ),
    "links": Sheet(
        name="links",
        required=False,
        row_unit="one row per relation between two forums",
        description="How forums connect: escalation, reporting, feedback, referral, shared case lists.",
        columns=(
            _c("from_forum", "ref", True, "The forum the relation starts from.", references=("forums", "forum_id"), example="marac"),
            _c("to_forum", "ref", True, "The forum it goes to.", references=("forums", "forum_id"), example="csp-board"),
            _c("type", "enum", True, "Kind of relation.", vocabulary="link_type", example="escalates_to"),
            _c("via_post", "text", False, "The post that carries it (e.g. a coordinator who sits on both).",
               example="Multiple disadvantage coordinator 1"),
            _c("reported_by", "list", False, "From a mapping round: the forums whose chairs reported the link, "
               "separated by `|` (both ends: confirmed; one: one-sided); blank: not from a round.",
               example="marac|csp-board"),
        ),
    ),
    "responses": Sheet(
        name="responses",
        required=False,
        key="finding_id",
        row_unit="one row per finding the partnership has discussed",
        description="The partnership's decisions on findings, carried from one snapshot to the next.",
        columns=(
            _c("finding_id", "id", True, "The finding's id, as in findings.xlsx or findings.json.",
               example="similar_membership-0123456789"),
            _c("status", "enum", True, "What the partnership decided.", vocabulary="response_status",
               example="in hand"),
            _c("owner", "text", False, "The post or group that owns the response, never a person's name.",
               example="Community safety manager"),
            _c("note", "text", False, "One line on what is being done, or why the partnership disagrees.",
               example="Merger of MARAC and MATAC to be proposed to the CSP board"),
            _c("review_date", "date", False, "When the partnership will look at it again.", example="2027-03-31"),
        ),
    ),
    "replies": Sheet(
        name="replies",
        required=False,
        row_unit="one row per forum asked in a mapping round",
        description="Which chairs returned their form in each mapping round (written by `mcn-map collect`).",
        columns=(
            _c("round", "text", True, "The mapping round.", example="1"),
            _c("forum_id", "ref", True, "The forum whose chair was sent a form.", references=("forums", "forum_id"),
               example="marac"),
            _c("replied", "enum", True, "Whether the chair returned the form.", vocabulary="answer", example="yes"),
            _c("returned_on", "date", False, "When the form was saved by the chair.", example="2026-11-20"),
            _c("people_discussed", "count", False, "The chair's count of people discussed in the period; never "
               "identifiers.", example="40"),
        ),
    ),
    "reports": Sheet(
        name="reports",
        required=False,
        row_unit="one row per forum per other forum its chair answered about",
        description="What each chair reported about the other meetings in a mapping round (blank: no answer).",
        columns=(
            _c("round", "text", True, "The mapping round.", example="1"),
            _c("forum_id", "ref", True, "The forum whose chair answered.", references=("forums", "forum_id"),
               example="marac"),
            _c("about_forum", "ref", True, "The other forum the answer is about.", references=("forums", "forum_id"),
               example="csp-board"),
            _c("knows", "enum", False, "Whether the chair knows the other forum meets.", vocabulary="answer",
               example="yes"),
            _c("contact", "enum", False, "How often the two are in contact.", vocabulary="contact",
               example="monthly"),
            _c("value", "count", False, "How useful that contact is, from 1 (not at all) to 4 (very).", example="3"),
            _c("reliability", "count", False, "How reliable that contact is, from 1 (not at all) to 4 (very).",
               example="2"),
        ),
    ),
}
