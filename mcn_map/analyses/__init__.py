"""The analyses: rules over the model that return findings, plus network measures.

Public entry point: :func:`analyse` (implemented in :mod:`mcn_map.analyses.run`).
"""

from .findings import CATEGORIES, SEVERITIES, Finding, make_finding, sort_findings
from .run import Analysis, analyse

__all__ = ["CATEGORIES", "SEVERITIES", "Finding", "make_finding", "sort_findings", "Analysis", "analyse"]
