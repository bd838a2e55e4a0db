"""The partnership's responses to findings (the optional ``responses`` sheet): which findings it has discussed, who
owns each, and which responses are closed because their finding no longer appears."""

from __future__ import annotations

import pandas as pd

from ..model import Landscape

__all__ = ["RESPONSE_STATUSES", "responses_of", "response_rows", "carried_responses", "response_summary"]

RESPONSE_STATUSES = ("accepted", "in hand", "disagree")


def responses_of(landscape: Landscape) -> pd.DataFrame:
    """The landscape's responses sheet (empty when the workbook has none)."""
    frame = getattr(landscape, "responses", None)
    if frame is None:
        return pd.DataFrame(columns=["finding_id", "status", "owner", "note", "review_date"])
    return frame


def _date(value) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def response_rows(landscape: Landscape, findings, *, carried: bool = False) -> list[dict]:
    """Each response with its state: ``open`` while its finding is among ``findings``, else ``closed``."""
    present = {f.id if hasattr(f, "id") else f["id"] for f in findings}
    rows = []
    for r in responses_of(landscape).itertuples(index=False):
        rows.append({"finding_id": r.finding_id, "status": r.status, "owner": r.owner, "note": r.note,
                     "review_date": _date(r.review_date), "state": "open" if r.finding_id in present else "closed",
                     "carried": carried})
    return rows


def carried_responses(old: Landscape, new: Landscape, new_analysis) -> list[dict]:
    """The newer snapshot's responses, and the older one's that it does not repeat, carried across; each is open or
    closed against the newer snapshot's findings."""
    current = response_rows(new, new_analysis.findings)
    recorded = {r["finding_id"] for r in current}
    earlier = [r for r in response_rows(old, new_analysis.findings, carried=True) if r["finding_id"] not in recorded]
    return current + earlier


def response_summary(landscape: Landscape, findings) -> dict:
    """For the report: responses by status, how many findings have one, and the closed ones."""
    rows = response_rows(landscape, findings)
    open_rows = [r for r in rows if r["state"] == "open"]
    return {
        "rows": rows,
        "by_status": {s: sum(1 for r in open_rows if r["status"] == s) for s in RESPONSE_STATUSES},
        "with_response": len({r["finding_id"] for r in open_rows}),
        "without_response": len({f.id for f in findings} - {r["finding_id"] for r in open_rows}),
        "closed": [r for r in rows if r["state"] == "closed"],
        "by_finding": {r["finding_id"]: r for r in open_rows},
    }
