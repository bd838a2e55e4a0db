"""The shape of a chair's form, shared by the writer (:mod:`.make`) and the reader (:mod:`.read`).

Every table on a form has a protected ``Ref`` column naming what its row is about (a question, an agency, a forum);
rows are matched by it and columns by their headers, so a form whose rows or columns were moved still reads. The
hidden ``form`` sheet holds the form id: the forum, the round and the landscape it was made from, with a checksum.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import pandas as pd

from ..loading.schema import VOCABULARIES

__all__ = ["SHEET_NAMES", "IDENTITY_SHEET", "LISTS_SHEET", "MARKER", "MEETING_QUESTIONS", "PEOPLE_QUESTIONS",
           "SEAT_COLUMNS", "OTHER_COLUMNS", "WRITE_IN_COLUMNS", "TIE_ANSWERS", "TIE_COLUMNS", "CASE_LIST_ANSWERS",
           "WRITE_IN_KINDS", "WRITE_IN_LINKS", "SCORES", "FormId", "form_checksum", "landscape_fingerprint",
           "tie_answer", "ties_from_answer"]

# The visible sheets, in order, by the key the reader uses for each.
SHEET_NAMES = {
    "start": "Start here",
    "meeting": "This meeting",
    "seats": "Who sits at the table",
    "others": "Other meetings",
    "missed": "Anything we missed",
    "people": "People discussed",
}
IDENTITY_SHEET = "form"
LISTS_SHEET = "lists"
MARKER = "mcn-map form"  # cell A1 of the identity sheet

# This meeting: (ref, question, forum column, vocabulary or None). The answers are pre-filled from the landscape.
MEETING_QUESTIONS = (
    ("name", "The meeting's name", "name", None),
    ("purpose", "What it is for, in one line", "purpose", None),
    ("level", "Tier: strategic, tactical or operational", "level", "level"),
    ("kind", "National kind, if any (e.g. marac, channel)", "kind", "kind"),
    ("frequency", "How often it meets", "frequency", "frequency"),
    ("status", "Does it still meet?", "status", "status"),
    ("chair_agency", "The agency that chairs it", "chair_agency", "agencies"),
    ("last_met", "Date it last met (DD/MM/YYYY)", "last_met", None),
    ("person_voice", "Is the person discussed, or someone speaking for them, in the room?", "person_voice",
     "person_voice"),
)
PEOPLE_QUESTIONS = (
    ("people_discussed", "How many different people did your meeting discuss in the last 12 months? "
                         "A number only: never names or NHS numbers."),
)

# Column headers of each table: (key, header, width).
SEAT_COLUMNS = (
    ("ref", "Ref", 16), ("agency", "Agency", 38), ("sector", "Sector", 22), ("seat", "Seat at your meeting?", 14),
    ("role", "Role", 12), ("seniority", "Seniority", 20), ("post", "Post (never a person's name)", 34),
    ("meetings_held", "Meetings held (last 12 months)", 14), ("meetings_attended", "Meetings attended", 12),
)
OTHER_COLUMNS = (
    ("ref", "Ref", 16), ("meeting", "Meeting", 46), ("tier", "Tier", 12),
    ("knows", "Do you know it meets?", 12), ("escalation", "Escalation", 20), ("reporting", "Reporting", 18),
    ("feedback", "Feedback", 20), ("referral", "Referral", 18), ("case_lists", "Share case lists?", 12),
    ("contact", "How often in contact?", 16), ("value", "How useful (1-4)", 10),
    ("reliability", "How reliable (1-4)", 10),
)
WRITE_IN_COLUMNS = (
    ("ref", "Ref", 6), ("what", "What is it?", 26), ("name", "Name", 36), ("sector", "Sector (an agency)", 24),
    ("tier", "Tier (a meeting)", 14), ("post", "Post at your meeting (an agency)", 30),
    ("link", "How your meeting is linked (a meeting)", 26),
)
WRITE_IN_ROWS = 15
SPARE_SEAT_ROWS = 8

# The link columns of "Other meetings": each answer names a direction, or none.
TIE_ANSWERS = {
    "escalation": ("escalates_to", "we escalate to it", "it escalates to us"),
    "reporting": ("reports_to", "we report to it", "it reports to us"),
    "feedback": ("feeds_back_to", "we feed back to it", "it feeds back to us"),
    "referral": ("refers_to", "we refer to it", "it refers to us"),
}
TIE_COLUMNS = tuple(TIE_ANSWERS)
BOTH, NEITHER = "both ways", "neither"
CASE_LIST_ANSWERS = VOCABULARIES["answer"]
SCORES = ("1", "2", "3", "4")
WRITE_IN_KINDS = ("an agency at our meeting", "another meeting")
WRITE_IN_LINKS = ("we escalate to it", "it escalates to us", "we report to it", "it reports to us",
                  "we feed back to it", "it feeds back to us", "we refer to it", "it refers to us",
                  "we share case lists", "we only know of it")


def tie_answer(column: str, outgoing: bool, incoming: bool) -> str:
    """The pre-filled answer for a link column: the direction(s) the landscape records, or blank."""
    _, ours, theirs = TIE_ANSWERS[column]
    return BOTH if outgoing and incoming else ours if outgoing else theirs if incoming else ""


def ties_from_answer(column: str, answer: str) -> tuple[bool, bool] | None:
    """(outgoing, incoming) for an answer; None when it is not one of the column's answers."""
    _, ours, theirs = TIE_ANSWERS[column]
    return {ours: (True, False), theirs: (False, True), BOTH: (True, True), NEITHER: (False, False)}.get(answer)


@dataclass(frozen=True)
class FormId:
    """What ties a form to its forum, round and landscape."""

    forum_id: str
    round: str
    fingerprint: str  # of the landscape the form was made from
    checksum: str

    @property
    def text(self) -> str:
        return f"{self.round}/{self.forum_id}/{self.fingerprint}/{self.checksum}"

    @property
    def intact(self) -> bool:
        return self.checksum == form_checksum(self.forum_id, self.round, self.fingerprint)


def form_checksum(forum_id: str, round: str, fingerprint: str) -> str:
    """A checksum of the form id's parts: an edited id no longer matches (it guards against accidents, not forgery:
    anyone with the forms could recompute it, and nothing on a form is secret)."""
    text = json.dumps(["mcn-map form", forum_id, round, fingerprint])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def landscape_fingerprint(forums: pd.DataFrame, agencies: pd.DataFrame) -> str:
    """A short digest of the forums and agencies a round asks about (ids and names), so a form made from another
    landscape is refused. It survives a re-save in another program: it is computed from the loaded values."""
    parts = [sorted(zip(forums["forum_id"], forums["name"])), sorted(zip(agencies["agency_id"], agencies["name"]))]
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()[:16]
