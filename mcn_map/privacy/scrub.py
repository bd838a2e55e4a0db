"""Text made safe to show: identifiers masked and control characters removed. The floor every message stands on
(:class:`mcn_map.errors.Problem` scrubs with it): nothing but the standard library, so the command line can load it at
start-up without importing pandas."""

from __future__ import annotations

import re

__all__ = ["mask_identifier", "scrub_identifiers", "scrub_exception", "without_control_characters", "safe_to_show",
           "CONTROL_CHARACTERS"]

# C0 and C1 control characters but tab, newline and carriage return: an escape sequence from a cell or a sheet name
# would drive the terminal it is printed on, and XML cannot hold them.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Direction overrides and isolates: in a message they would make the terminal show text in another order than it is
# written (a value echoed back could appear to say something else). Names keep them; messages do not need them.
_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def without_control_characters(text: str) -> str:
    """``text`` with its control characters removed.

    >>> without_control_characters("MARAC\x1b[31m\x07")
    'MARAC[31m'
    """
    return CONTROL_CHARACTERS.sub("", text)

# Ten digits grouped 3-3-4, or any run of ten or more digits (a mistyped NHS number): what scrubbing masks.
_NHS_IN_TEXT = re.compile(r"(?<!\d)(?:\d{3}[ -]?\d{3}[ -]?\d{4}|\d{10,})(?!\d)")


def safe_to_show(text: str) -> str:
    """``text`` as a message may print it: no control characters, no direction overrides.

    >>> safe_to_show("'Jane\u202eSmith'\x07")
    "'JaneSmith'"
    """
    return _DIRECTION_CONTROLS.sub("", without_control_characters(text))


def mask_identifier(value: str) -> str:
    """Show only the last three characters, never the whole identifier: '943 476 5919' -> '*** *** *919'."""
    text = str(value)
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) == 10:
        return "*** *** *" + digits[-3:]
    return "*" * max(len(text) - 3, 3) + text[-3:] if len(text) > 3 else "***"


def scrub_identifiers(text: str) -> str:
    """Mask every run of ten digits (plain or 3-3-4) in free text, so no message ever carries a whole NHS number.

    >>> scrub_identifiers("row 4: '999 000 0018' and 9990000018 fail")
    "row 4: '*** *** *018' and *** *** *018 fail"
    """
    if not isinstance(text, str) or not any(ch.isdigit() for ch in text):
        return text
    return _NHS_IN_TEXT.sub(lambda m: "*** *** *" + m.group(0)[-3:], text)


def scrub_exception(exc: BaseException | None) -> None:
    """Mask NHS numbers in an exception's message, and in every exception chained to it, before it is shown."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        try:
            exc.args = tuple(scrub_identifiers(a) if isinstance(a, str) else a for a in exc.args)
        except (AttributeError, TypeError):  # an exception type with read-only args
            pass
        for note_list in [getattr(exc, "__notes__", None)]:
            if isinstance(note_list, list):
                note_list[:] = [scrub_identifiers(n) for n in note_list]
        exc = exc.__cause__ or exc.__context__
