"""``json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str)``, the same text, several times faster.

With ``indent`` set, the standard library encodes in pure Python, one generator step per value: about a second for a
nation's 15 MB Kumu blueprint. Its C encoder takes any separators but no indent. Here each container whose values
are all scalars (nearly every one: a node's attributes, a finding's evidence) goes to the C encoder with ",\\n" and
the indent as its item separator, which is exactly how the indented form lays out such a container; only the
containers holding other containers are walked in Python. ``tests/test_speed.py`` checks the text is identical.
"""

from __future__ import annotations

import json
from json.encoder import c_make_encoder, encode_basestring

__all__ = ["indented_json"]

INDENT = "  "
_CONTAINERS = (dict, list, tuple)
_FLAT_ENCODERS: dict = {}


def indented_json(data) -> str:
    """The text of ``json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str)``."""
    if c_make_encoder is None:  # a Python without the json module's C part: the standard library's own way
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    return _text(data, "")


def _flat(pad: str):
    """The C encoder for a container of scalars whose items sit at indent ``pad``: called with a value, it returns
    the value's text in pieces (what ``JSONEncoder.encode`` joins, without making a new encoder each call)."""
    if pad not in _FLAT_ENCODERS:
        _FLAT_ENCODERS[pad] = c_make_encoder(None, str, encode_basestring, None, ": ", ",\n" + pad, True, False, True)
    return _FLAT_ENCODERS[pad]


def _flat_text(value, pad: str) -> str:
    if isinstance(value, str):  # the C encoder takes containers; a string alone is escaped directly
        return encode_basestring(value)
    return "".join(_flat(pad)(value, 0))


def _key(key) -> str:
    """A dict key as the json module writes it (str, float, bool, None and int keys; anything else is an error)."""
    if isinstance(key, str):
        return key
    if isinstance(key, float) or key is True or key is False or key is None or isinstance(key, int):
        return json.dumps(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _text(value, pad: str) -> str:
    """``value`` written with its closing bracket at indent ``pad``."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = pad + INDENT
        parts, run = [], {}
        # Scalars between containers go to the C encoder together: a run of sorted items keeps its order there.
        for key, item in sorted(value.items()):
            if isinstance(item, _CONTAINERS):
                if run:
                    parts.append(_flat_text(run, inner)[1:-1])
                    run = {}
                parts.append(encode_basestring(_key(key)) + ": " + _text(item, inner))
            else:
                run[key] = item
        if run:
            parts.append(_flat_text(run, inner)[1:-1])
        return "{\n" + inner + (",\n" + inner).join(parts) + "\n" + pad + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        inner = pad + INDENT
        parts, run = [], []
        for item in value:
            if isinstance(item, _CONTAINERS):
                if run:
                    parts.append(_flat_text(run, inner)[1:-1])
                    run = []
                parts.append(_text(item, inner))
            else:
                run.append(item)
        if run:
            parts.append(_flat_text(run, inner)[1:-1])
        return "[\n" + inner + (",\n" + inner).join(parts) + "\n" + pad + "]"
    return _flat_text(value, pad)
