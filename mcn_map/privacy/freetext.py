"""Free text checked like the case list: an NHS number, an email address or a phone number typed into a note, an
owner, a post or a purpose is found, withheld from every output, and told by sheet, row and column, never by value;
and a column of people's names is told from a column of post labels, so snap never shares names.

Only the standard library and numpy: each check runs once per distinct text, after one search of them all has
found that any text needs it (most columns: none does).
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["WITHHELD", "IDENTIFIER_KINDS", "identifier_kinds", "withhold_identifiers", "texts_with_identifiers",
           "looks_like_a_name", "name_share"]

WITHHELD = "[withheld]"

# An NHS number (ten digits, grouped 3-3-4 or not, or a longer run, as the message scrubber masks them); an email
# address; a UK phone number (0 or +44, then nine or ten more digits, grouped by spaces or hyphens). Separators are
# spaces and hyphens only, so one search of many texts joined by line breaks never matches across two of them.
IDENTIFIER_KINDS = (  # a phone number first: one beginning 0 or +44 is not also taken for an NHS number
    ("a phone number", re.compile(r"(?<![\d+])(?:\+44[ ]?(?:\(0\)[ ]?)?|\(?0)\d{2,4}\)?(?:[ -]?\d){6,8}(?!\d)")),
    ("an NHS number", re.compile(r"(?<![\d+])(?:\d{3}[ -]?\d{3}[ -]?\d{4}|\d{10,})(?!\d)")),
    ("an email address", re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")),
)


def identifier_kinds(text: str) -> list[str]:
    """What ``text`` holds that looks like a person's identifier or contact details ([] for nothing).

    >>> identifier_kinds("Case 999 314 1577 to go to MARAC; ring 0161 496 0000 or j.doe@example.org")
    ['a phone number', 'an NHS number', 'an email address']
    """
    found = []
    for kind, pattern in IDENTIFIER_KINDS:
        if pattern.search(text):
            found.append(kind)
            text = pattern.sub(" ", text)  # an NHS number is not also a phone number
    return found


def withhold_identifiers(text: str) -> str:
    """``text`` with each identifier replaced by :data:`WITHHELD`.

    >>> withhold_identifiers("Case 999 314 1577 to go to MARAC first")
    'Case [withheld] to go to MARAC first'
    """
    for _, pattern in IDENTIFIER_KINDS:
        text = pattern.sub(WITHHELD, text)
    return text


def texts_with_identifiers(texts: np.ndarray) -> np.ndarray | None:
    """Whether each of ``texts`` (distinct texts) holds an identifier; None when none does (one search of all)."""
    if not len(texts):
        return None
    joined = "\n".join(str(t) for t in texts)
    if not any(pattern.search(joined) for _, pattern in IDENTIFIER_KINDS):
        return None
    return np.array([bool(identifier_kinds(str(t))) for t in texts])


# A person's name as lists write them: two or three capitalised words of letters ('Jane Smith', "Mary O'Neill",
# 'Anne-Marie Jones'), or 'Smith, Jane'. A post label or an agency has a word of its trade, a number or an acronym.
_WORD = r"[A-Z][A-Za-z'\u2019-]*[a-z]"  # Smith, O'Neill, McDonald, Anne-Marie; not MH or IDVA
# Unicode's format characters that show nothing: zero-width spaces and joiners, direction marks and overrides, the
# word joiner and the byte-order mark.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_NAME = re.compile(rf"^(?:{_WORD}(?: {_WORD}){{1,2}}|{_WORD}, {_WORD})$")
_TRADE_WORDS = frozenset("""
    worker lead leader coordinator co-ordinator manager officer nurse navigator team adviser advisor liaison
    practitioner chair police council trust service services care health housing probation social mental support
    panel board unit hub partnership community safety agency director head clinician doctor consultant therapist
    keyworker key caseworker case clinical specialist senior principal assistant deputy administrator admin
    outreach recovery drug drugs alcohol substance misuse homeless homelessness domestic abuse safeguarding adult
    adults children childrens family families youth justice offender offending prison prisons victim victims
    hospital ambulance fire rescue midwife visitor school education employment jobcentre benefits welfare
    authority county borough city district north south east west northern southern eastern western central
    partner partners network forum group national local regional integrated primary secondary acute emergency
    department directorate public protection liaison nhs foundation ltd limited charity project programme
    navigators coordinators workers officers nurses managers leads volunteer peer mentor advocate advocacy
""".split())


def looks_like_a_name(text: str) -> bool:
    """Whether ``text`` is shaped like a person's name rather than a post or an agency.

    >>> [looks_like_a_name(t) for t in ("Jane Smith", "Smith, Jane", "Social Worker", "MD coordinator 1", "Police")]
    [True, True, False, False, False]

    Invisible characters (a zero-width space, a direction override) hide nothing: they count as spaces.

    >>> looks_like_a_name("Jane\u202eSmith"), looks_like_a_name("Dr\u200bPriya Patel")
    (True, True)
    """
    text = " ".join(_INVISIBLE.sub(" ", text).split())
    if not _NAME.match(text):
        return False
    words = {w.strip(",").lower() for w in re.split(r"[ -]", text)}
    return not words & _TRADE_WORDS


def name_share(values) -> tuple[int, int]:
    """(how many of the distinct non-blank ``values`` look like names, how many there are)."""
    distinct = {str(v).strip() for v in values if isinstance(v, str) and v.strip()}
    return sum(looks_like_a_name(v) for v in distinct), len(distinct)
