"""``findings.json``: every finding, the measures and the settings that made them (see
``mcn_map/schemas/findings.schema.json``). No openpyxl here: a small build writes it before the workbooks' process
imports that."""

from __future__ import annotations

from .._version import __version__
from ..analyses.run import Analysis
from ..privacy.suppression import UNSUPPRESSED_STAMP
from ..writing.files import json_bytes

__all__ = ["findings_document", "findings_json_bytes"]


def findings_document(analysis: Analysis) -> dict:
    """The content of ``findings.json`` (see ``mcn_map/schemas/findings.schema.json``)."""
    document = {
        "tool": "mcn-map",
        "version": __version__,
        "source": analysis.source,
        "as_of": analysis.as_of.isoformat() if analysis.as_of else None,
        "suppressed": analysis.suppress,
        "config": analysis.config.as_dict(),
        "counts": analysis.counts(),
        "findings": [f.as_dict() for f in analysis.findings],
        "measures": analysis.measures,
    }
    if not analysis.suppress:
        document["stamp"] = UNSUPPRESSED_STAMP
    return document


def findings_json_bytes(analysis: Analysis) -> bytes:
    return json_bytes(findings_document(analysis))
