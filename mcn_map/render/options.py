"""The report's "Options for the board" and "The partnership's responses" sections, drawn from evaluated options
(:func:`mcn_map.change.options.board_options`) and the responses sheet."""

from __future__ import annotations

from markupsafe import Markup

from ..change.options import CAVEAT, MAX_OPTION_FORUMS, Option
from ..change.responses import response_summary
from ..model import Landscape
from .figures import hours_text
from .map import template_env

__all__ = ["options_section", "option_toml"]


def option_toml(option: Option) -> str:
    step = option.scenario.steps[0].values
    forums = ", ".join(f'"{f}"' for f in step["forums"])
    return f'[[merge]] forums = [{forums}] into = "{step["into"]}"'


def _hours(freed: float) -> str:
    # The figure whatif prints for the same merge: to the tenth, half up (see render/figures.py)
    if freed >= 1:
        return f"frees about {hours_text(freed)} meeting-hours a month"
    if freed <= -1:
        return f"adds about {hours_text(-freed)} meeting-hours a month (the lead forum meets more often)"
    return "about the same meeting-hours"


def options_section(landscape: Landscape, findings, options: list[Option] | None) -> Markup:
    """The two sections as HTML for the report. ``options`` None: none were evaluated, and for a landscape too large
    to evaluate them the section says so; otherwise the options section is left out."""
    note = ""
    if options is None and len(landscape.forums) > MAX_OPTION_FORUMS:
        note = (f"Options are generated for landscapes of up to {MAX_OPTION_FORUMS} forums; for a larger one, test a "
                "proposal with `mcn-map whatif`.")
    summary = response_summary(landscape, findings)
    messages = {f.id: f.message for f in findings}
    summary["open"] = [{**r, "message": messages.get(r["finding_id"], r["finding_id"])} for r in summary["rows"]
                       if r["state"] == "open"]
    shown = [{"title": o.title, "hours": _hours(o.hours_freed), "resolves": [r["message"] for r in o.resolves],
              "new": len(o.new), "loses": list(o.loses), "toml": option_toml(o)} for o in options or []]
    return Markup(template_env().get_template("options.html.j2").render(
        caveat=CAVEAT, note=note, options=shown, show_options=options is not None or bool(note),
        responses=summary))
