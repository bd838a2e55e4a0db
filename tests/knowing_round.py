"""A mapping round on the shipped example for the "who knows whom" view: most chairs return their forms (some say
which other meetings they know, or do not), VIP's and MATAC's chairs do not reply. Shared by the map and compare tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from formfill import fill
from mcn_map.forms.make import write_forms
from mcn_map.forms.run import collect_round
from mcn_map.loading.validate import load

EXAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "example_landscape.xlsx"
SILENT = ("vip", "matac")  # chairs who do not return their forms

ANSWERS = {
    "ae-fa": [("others", "maart", "Do you know it meets?", "no"), ("others", "sacc", "Do you know it meets?", "yes")],
    "sacc": [("others", "ae-fa", "Do you know it meets?", "yes"), ("others", "maart", "Do you know it meets?", "yes")],
    "marac": [("others", "csp-board", "Escalation", "we escalate to it"),
              ("others", "vip", "Do you know it meets?", "yes")],
    "cscc": [("others", "homelessness-board", "Do you know it meets?", "no")],
    "drd": [("others", "homelessness-board", "Do you know it meets?", "no")],
    "channel": [("others", "homelessness-board", "Do you know it meets?", "no")],
}


def collected_round(root: Path, into: Path = EXAMPLE, answers: dict | None = None, silent=SILENT) -> Path:
    """Forms made from ``into``, answered as ``answers`` says, collected: the path of the collected workbook."""
    _, sent = write_forms(load(into), root / "sent")
    forms = {p.stem.removeprefix("form-"): Path(shutil.copy(p, root / p.name)) for p in sent}
    for forum, filled in (ANSWERS if answers is None else answers).items():
        fill(forms[forum], filled)
    returned = [p for forum, p in forms.items() if forum not in silent]
    return collect_round(returned, into, root / "collected" / "round.xlsx").written
