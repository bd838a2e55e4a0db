"""A collection from start to finish: read the returns, merge them, write the new landscape and the reconciliation
workbook, and check that the new landscape loads. The library half of `mcn-map collect`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..analyses.knowledge import band_phrase, confidence_band, response_rate
from ..errors import InputError, McnMapError, Problem
from ..loading.validate import check
from ..writing.files import check_target, refuse_input_overwrite
from .collect import Collected, collect_forms
from .workbooks import write_collected, write_reconciliation

__all__ = ["CollectReport", "collect_round", "reconciliation_path", "summary_lines"]


@dataclass
class CollectReport:
    collected: Collected
    written: Path
    reconciliation: Path
    problems: list[Problem]
    lines: list[str]

    @property
    def set_aside(self) -> list[dict]:
        return self.collected.set_aside


def reconciliation_path(output: str | Path) -> Path:
    output = Path(output)
    return output.with_name(f"{output.stem}-reconciliation.xlsx")


def summary_lines(collected: Collected) -> list[tuple[str, str]]:
    asked, replied = len(collected.asked), len([f for f in collected.replied if f in collected.asked])
    rate = response_rate(replied, asked)
    counts = {status: sum(r["status"] == status for r in collected.returns) for status in
              ("used", "superseded", "set aside")}
    return [
        ("Round", collected.round),
        ("Forms returned", f"{replied} of {asked} chairs ({rate:.0%})"),
        ("Confidence", f"{band_phrase(confidence_band(rate))} (high at 80% or more, moderate at 65-79%, low "
                       "below)"),
        ("Files", f"{counts['used']} used, {counts['superseded']} superseded by a later copy, "
                  f"{counts['set aside']} set aside"),
        ("Changes", str(len(collected.changes))),
        ("Conflicts", str(len(collected.conflicts))),
        ("Write-ins", str(len(collected.write_ins))),
        ("Not replied", str(len(collected.not_replied))),
    ]


def collect_round(paths, into, output, *, reconciliation=None, round_name=None, key=None, inputs=(),
                  force: bool = False, approvals=None) -> CollectReport:
    """Collect ``paths`` into a copy of ``into`` written to ``output``, with the reconciliation workbook;
    ``approvals``: a reconciliation workbook with the commissioner's decisions on write-ins, applied."""
    output = Path(output)
    if output.suffix.lower() != ".xlsx":
        raise McnMapError(f"collect writes a workbook: give -o a file ending .xlsx, not '{output.name}'.")
    reconciliation = Path(reconciliation) if reconciliation else reconciliation_path(output)
    protected = [Path(into), *map(Path, inputs), *map(Path, paths), *([Path(approvals)] if approvals else [])]
    for target in (output, reconciliation):
        refuse_input_overwrite(target, protected)
        check_target(target, inputs=protected, force=True)
    if output.exists() and not force:
        raise McnMapError(f"{output} already exists; pass --force to replace it, or choose another file name.")
    check_target(reconciliation, inputs=protected, force=force)
    _, collected = collect_forms(paths, into, round_name=round_name, key=key, approvals=approvals)
    output.parent.mkdir(parents=True, exist_ok=True)
    written = write_collected(collected, into, output, inputs=protected, force=force)
    loaded, problems = check(written, key=key)
    if loaded is None:  # a bug, not bad input: say so plainly rather than leave a workbook that will not load
        raise InputError(problems, f"the collected workbook {written.name} does not load; please report this")
    summary = summary_lines(collected)
    recon = write_reconciliation(collected, summary, reconciliation, inputs=protected, force=force)
    lines = [f"{label}: {value}" for label, value in summary]
    lines.append(f"Wrote the new landscape to {written} (readable only by you) and the reconciliation to {recon}.")
    if collected.set_aside:
        lines.append(f"{len(collected.set_aside)} file(s) set aside: see the problems above and the 'Returns' "
                     "sheet; nothing from them was used.")
    lines.append("Check the reconciliation workbook, then run `mcn-map build` on the new landscape.")
    return CollectReport(collected, written, recon, collected.problems, lines)
