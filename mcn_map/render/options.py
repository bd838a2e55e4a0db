"""The report's "Options for the board" and "The partnership's responses" sections, drawn from evaluated options
(:func:`mcn_map.change.options.board_options`) and the responses sheet."""

from __future__ import annotations

from markupsafe import Markup

from ..change.options import CAVEAT, MAX_OPTION_FORUMS, Option, for_people
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
        return f"adds about {hours_text(-freed)} meeting-hours a month (the kept forum meets more often or for longer)"
    return "about the same meeting-hours"


def _hours_basis(hours: dict) -> str:
    taken = hours.get("discussions_taken_on_per_month", 0)
    if not taken:
        return ""
    return (f"The kept forum would take on about {taken:.0f} discussions a month at {hours['minutes_per_case']:.0f} "
            f"minutes each, so its meetings lengthen to about {hours['merged_forum_hours_per_month']:.1f} hours a month "
            "for every seat.")


def _short(message: str, most: int = 220) -> str:
    """A carried finding in a sentence or two: the board has read it in full above."""
    if len(message) <= most:
        return message
    cut = message.rfind(". ", 0, most)
    return message[:cut + 1] if cut > 0 else message[:most].rsplit(" ", 1)[0] + " ..."


def _shown(option: Option) -> dict:
    people = for_people(option)
    return {"title": option.title, "hours": _hours(option.hours_freed), "hours_basis": _hours_basis(option.hours),
            "resolves": [r["message"] for r in people],
            "eases": [r["message"] for r in option.resolved if r not in people],
            "removed": [r["message"] for r in option.removed_with_forum],
            "moved": [_short(r["message"]) for r in option.moved], "new": [r["message"] for r in option.new],
            "loses": list(option.loses), "statutory": list(option.statutory), "alternatives": option.alternatives,
            "area": option.area, "toml": option_toml(option)}


def options_section(landscape: Landscape, findings, options: list[Option] | None) -> Markup:
    """The two sections as HTML for the report. ``options`` None: none were evaluated, and for a landscape too large
    to evaluate them the section says so; otherwise the options section is left out."""
    note = getattr(options, "note", "")
    if options is None and len(landscape.forums) > MAX_OPTION_FORUMS:
        note = (f"Options are generated for landscapes of up to {MAX_OPTION_FORUMS} forums, and above that area by "
                "area; for anything else, test a proposal with `mcn-map whatif`.")
    summary = response_summary(landscape, findings)
    messages = {f.id: f.message for f in findings}
    summary["open"] = [{**r, "message": messages.get(r["finding_id"], r["finding_id"])} for r in summary["rows"]
                       if r["state"] == "open"]
    shown = [_shown(o) for o in options or []]
    return Markup(template_env().get_template("options.html.j2").render(
        caveat=CAVEAT, note=note, options=shown, show_options=options is not None or bool(note),
        ruled_out=getattr(options, "ruled_out", []), untried=getattr(options, "untried", []), names=landscape.forum_name, responses=summary))
