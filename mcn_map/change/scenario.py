"""What-if scenarios: a TOML file of changes to a landscape, checked like a workbook and applied as a pure function.

A scenario lists changes as arrays of tables, applied in this order whatever the order in the file::

    title = "Merge MARAC and MATAC"
    [[merge]]        forums = ["marac", "matac"], into = "marac" (name = "..." when into is a new forum)
    [[end]]          forum = "mcn-strategic", reroute_to = "hcsb" (optional: where its links go instead)
    [[set]]          forum = "cscc", person_voice = "representative" (any forum field but forum_id)
    [[remove_seat]]  forum = "drd", agency = "mh-trust" (post = "..." to remove one seat of several)
    [[add_seat]]     forum = "cscc", agency = "mh-trust", post = "...", seniority = "...", role = "..."
    [[add_link]]     from = "sacc", to = "mcn-tactical", type = "escalates_to", via_post = "..."

Every problem is reported in one pass (file, table and number, key, what is wrong, how to fix it, the nearest
forum or agency id for a typo), as :class:`~mcn_map.errors.InputError`, the same as an invalid workbook.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..model import Landscape, seat_attendance
from ..loading.problems import suggest
from ..loading.reading import require_regular_file
from ..loading.schema import SHEETS, VOCABULARIES, canonical_token, vocabulary_lookup

__all__ = ["Scenario", "ACTIONS", "read_scenario", "parse_scenario", "apply_scenario", "meeting_hours_change",
           "evaluate", "try_scenario"]

# Each action, in the order applied, with its keys: (required, optional).
ACTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "merge": (("forums", "into"), ("name",)),
    "end": (("forum",), ("reroute_to",)),
    "set": (("forum",), tuple(c for c in SHEETS["forums"].column_names if c != "forum_id")),
    "remove_seat": (("forum", "agency"), ("post",)),
    "add_seat": (("forum", "agency"), ("post", "seniority", "role")),
    "add_link": (("from", "to", "type"), ("via_post",)),
}
TOP_LEVEL = ("title", "description")
VOICE_ORDER = ("", "none", "representative", "person")  # the better voice a merged forum keeps


@dataclass(frozen=True)
class Step:
    action: str
    number: int  # 1-based position among this action's tables, as a person counts them in the file
    values: dict


@dataclass(frozen=True)
class Scenario:
    name: str  # the file's name, for messages and outputs
    title: str
    description: str
    steps: tuple[Step, ...]

    def as_dict(self) -> dict:
        document = {"name": self.name, "title": self.title, "description": self.description}
        for action in ACTIONS:
            tables = [step.values for step in self.steps if step.action == action]
            if tables:
                document[action] = copy.deepcopy(tables)
        return document

    def describe(self) -> list[str]:
        """One line per change, in plain English (forum ids as written)."""
        lines = []
        for step in self.steps:
            v = step.values
            if step.action == "merge":
                lines.append(f"merge {', '.join(v['forums'])} into {v['into']}")
            elif step.action == "end":
                lines.append(f"end {v['forum']}" + (f", its links re-routed to {v['reroute_to']}"
                                                     if v.get("reroute_to") else ""))
            elif step.action == "set":
                lines.append(f"set {', '.join(f'{k} = {val}' for k, val in v.items() if k != 'forum')} "
                             f"on {v['forum']}")
            elif step.action == "remove_seat":
                lines.append(f"remove {v['agency']}'s seat on {v['forum']}")
            elif step.action == "add_seat":
                lines.append(f"add a seat for {v['agency']} on {v['forum']}")
            elif step.action == "add_link":
                lines.append(f"add a link {v['from']} {v['type']} {v['to']}")
        return lines


MAX_PROBLEMS = 25  # problems listed one by one; a file naming thousands of unknown forums gets a count of the rest
MAX_SHOWN = 60  # characters of a value echoed in a message
MAX_SCENARIO_BYTES = 1024 * 1024  # a what-if is a few dozen lines; a megabyte is far more than any board's


class _Problems:
    """The problems found, the first :data:`MAX_PROBLEMS` listed and the rest counted, so the message stays short
    whatever the file holds."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.unlisted = 0

    @property
    def full(self) -> bool:
        return len(self.problems) >= MAX_PROBLEMS

    def add(self, where: str, message: str, fix: str) -> None:
        if self.full:
            self.unlisted += 1
            return
        self.problems.append(Problem("error", f"{where}: {message}" if where else message, fix, self.file))

    def raise_if_any(self, summary: str) -> None:
        if not self.problems:
            return
        listed = list(self.problems)
        if self.unlisted:
            listed.append(Problem("error", f"{self.unlisted:,} more problem{'s' if self.unlisted != 1 else ''} of "
                                  "the same kinds, not listed.", "Fix those listed above, then run it again to see "
                                  "the rest.", self.file))
        raise InputError(listed, summary)


def _shown(value) -> str:
    """A value as echoed in a message: cut short, so a huge key or id never makes a huge message."""
    text = str(value)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"


def _suggest(value, choices, out: _Problems) -> str:
    """The nearest of ``choices`` for a typo, unless the problems are no longer listed or the value is too long to
    be a typo (difflib on it would only cost time)."""
    if out.full or len(str(value)) > 4 * MAX_SHOWN:
        return "."
    return suggest(value, choices)


def _where(step: Step, key: str | None = None) -> str:
    return f"[[{step.action}]] number {step.number}" + (f", key `{key}`" if key else "")


# -- reading ------------------------------------------------------------------------------------------------------

def parse_scenario(text: str, name: str = "scenario.toml") -> Scenario:
    """A scenario from TOML text; raises InputError listing every problem with its shape (not yet its ids)."""
    out = _Problems(name)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError([Problem("error", f"is not valid TOML: {_shown(exc)}.",
                                  "Check the line named: each change is a table such as `[[merge]]` followed by "
                                  "`key = \"value\"` lines, with text in double quotes.", name)],
                         f"{name} cannot be read") from None
    except RecursionError:  # arrays or inline tables nested thousands deep
        raise InputError([Problem("error", "nests arrays or tables too deeply to be a what-if file.",
                                  "Each change is a [[table]] of `key = \"value\"` lines; only `forums` and `themes` "
                                  "hold a list, of text.", name)], f"{name} cannot be read") from None
    steps: list[Step] = []
    for key, value in data.items():
        if key in TOP_LEVEL:
            if not isinstance(value, str):
                out.add(f"key `{key}`", "must be text.", f'Write it in double quotes, e.g. {key} = "..."')
            continue
        if key not in ACTIONS:
            hint = _suggest(key, list(ACTIONS) + list(TOP_LEVEL), out)
            out.add(f"`{_shown(key)}`", f"is not a change mcn-map knows{hint}",
                    f"Use one of: {', '.join(f'[[{a}]]' for a in ACTIONS)} (and title, description).")
            continue
        if isinstance(value, dict):
            value = [value]
            out.add(f"[{key}]", "is written with single brackets, so only one such change can be given.",
                    f"Write it as [[{key}]] (double brackets), once per change.")
            continue
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            out.add(f"`{key}`", "must be a list of tables.", f"Write each change as a [[{key}]] table.")
            continue
        for number, table in enumerate(value, start=1):
            steps.append(_check_shape(Step(key, number, dict(table)), out))
    out.raise_if_any(f"{name} cannot be used")
    order = list(ACTIONS)
    steps.sort(key=lambda s: (order.index(s.action), s.number))
    return Scenario(name, str(data.get("title", "")), str(data.get("description", "")), tuple(steps))


def _check_shape(step: Step, out: _Problems) -> Step:
    required, optional = ACTIONS[step.action]
    for key in required:
        if key not in step.values:
            example = '["forum_id", "forum_id"]' if key == "forums" else '"..."'
            out.add(_where(step), f"the key `{key}` is missing.", f"Add {key} = {example} to this table.")
    for key, value in step.values.items():
        if key not in required and key not in optional:
            hint = _suggest(key, required + optional, out)
            out.add(_where(step, _shown(key)), f"is not a key of [[{step.action}]]{hint}",
                    f"Use only: {', '.join(required + optional)}.")
        elif key == "forums":
            if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
                out.add(_where(step, key), "must be a list of forum ids.", 'Write e.g. forums = ["marac", "matac"].')
        elif key == "themes" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            continue
        elif not isinstance(value, str):
            out.add(_where(step, key), "must be text.", f'Write it in double quotes, e.g. {key} = "..."')
    return step


def read_scenario(path: str | Path) -> Scenario:
    """Read a scenario file; raises InputError (unreadable file, bad TOML, unknown changes or keys). A link, a
    device (/dev/zero never ends), a named pipe (it would wait for ever) or a file over :data:`MAX_SCENARIO_BYTES`
    is refused before it is opened."""
    path = Path(path)
    if path.is_symlink():
        raise InputError([Problem("error", "is a link; mcn-map reads a what-if file only from the file itself.",
                                  "Give the path of the saved .toml file, not a link to it.", path.name)],
                         f"{path.name} cannot be read")
    require_regular_file(path, path.name, limit=MAX_SCENARIO_BYTES, what="what-if file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError([Problem("error", "is not a UTF-8 text file.", "Save the scenario as plain text (UTF-8).",
                                  path.name)], f"{path.name} cannot be read") from None
    return parse_scenario(text, path.name)


# -- applying -----------------------------------------------------------------------------------------------------

def _blank_like(frame: pd.DataFrame, values: dict) -> pd.DataFrame:
    """One new row with ``frame``'s columns and dtypes: given values, else the blank each column holds."""
    row = {}
    for column in frame.columns:
        if column in values:
            row[column] = [values[column]]
        elif pd.api.types.is_datetime64_any_dtype(frame[column]):
            row[column] = [pd.NaT]
        elif str(frame[column].dtype) == "Int64":
            row[column] = [pd.NA]
        elif pd.api.types.is_float_dtype(frame[column]):
            row[column] = [np.nan]
        elif pd.api.types.is_integer_dtype(frame[column]):
            row[column] = [0]
        else:
            row[column] = [""]
    new = pd.DataFrame(row)
    for column in frame.columns:
        try:
            new[column] = new[column].astype(frame[column].dtype)
        except (TypeError, ValueError):
            pass
    return new


def _append(frame: pd.DataFrame, values: dict) -> pd.DataFrame:
    return pd.concat([frame, _blank_like(frame, values)], ignore_index=True)


class _State:
    """The tables being changed, and the checks every change shares."""

    def __init__(self, landscape: Landscape, out: _Problems) -> None:
        self.forums = landscape.forums.copy()
        self.seats = landscape.seats.copy()
        self.cohorts = landscape.cohorts.copy()
        self.links = landscape.links.copy()
        self.agencies = set(landscape.agency_ids)
        self.source = landscape.source or "the input"
        self.out = out

    @property
    def forum_ids(self) -> list[str]:
        return list(self.forums["forum_id"])

    def forum(self, step: Step, key: str, value: str | None = None) -> bool:
        value = step.values[key] if value is None else value
        if value in self.forum_ids:
            return True
        self.out.add(_where(step, key), f"forum `{_shown(value)}` is not in the forums sheet of {self.source}"
                     f"{_suggest(value, self.forum_ids, self.out)}", "Use a forum_id from the forums sheet.")
        return False

    def agency(self, step: Step, key: str) -> bool:
        value = step.values[key]
        if value in self.agencies:
            return True
        self.out.add(_where(step, key), f"agency `{_shown(value)}` is not in the agencies sheet of {self.source}"
                     f"{_suggest(value, sorted(self.agencies), self.out)}", "Use an agency_id from the agencies sheet.")
        return False

    def vocabulary(self, step: Step, key: str, vocabulary: str) -> str | None:
        value = step.values[key]
        found = vocabulary_lookup(vocabulary).get(canonical_token(value))
        if found is None:
            allowed = VOCABULARIES[vocabulary]
            self.out.add(_where(step, key), f"'{_shown(value)}' is not a recognised {vocabulary.replace('_', ' ')}"
                         f"{_suggest(value, allowed, self.out)}", f"Use one of: {', '.join(allowed)}.")
        return found

    def reroute(self, old: list[str], new: str) -> None:
        links = self.links.copy()
        for column in ("from_forum", "to_forum"):
            links.loc[links[column].isin(old), column] = new
        links = links[links["from_forum"] != links["to_forum"]]
        self.links = links.drop_duplicates(["from_forum", "to_forum", "type"]).reset_index(drop=True)


def _merge(state: _State, step: Step) -> None:
    forums, into = step.values["forums"], step.values["into"]
    ok = all([state.forum(step, "forums", f) for f in forums])
    if into not in state.forum_ids:
        if "name" not in step.values:
            state.out.add(_where(step, "into"), f"forum `{_shown(into)}` is not in the forums sheet of {state.source}"
                          f"{_suggest(into, state.forum_ids, state.out)}",
                          "Use one of the forums being merged, or give name = \"...\" to make a new forum.")
            return
        if not ok:
            return
        first = state.forums[state.forums["forum_id"] == forums[0]].iloc[0].to_dict()
        state.forums = _append(state.forums, {**first, "forum_id": into, "name": step.values["name"],
                                              "status": "active", "merged_into": ""})
    if not ok:
        return
    sources = [f for f in dict.fromkeys(forums) if f != into]
    if not sources:
        state.out.add(_where(step, "forums"), "lists no forum other than the one merged into.",
                      "List at least one other forum to merge.")
        return
    forums_table = state.forums
    merged = forums_table["forum_id"].isin(sources)
    group = forums_table[forums_table["forum_id"].isin([into, *sources])]
    voice = max(group["person_voice"], key=lambda v: VOICE_ORDER.index(v) if v in VOICE_ORDER else 0)
    forums_table.loc[merged, "status"] = "merged"
    forums_table.loc[merged, "merged_into"] = into
    forums_table.loc[forums_table["forum_id"] == into, "person_voice"] = voice
    # Seats unite: the target's own seats first, then each agency's first seat on the merged forums; an agency on
    # several of them keeps one seat, which is where meeting-hours are freed.
    seats = state.seats
    moving = seats[seats["forum_id"].isin(sources)].copy()
    moving["forum_id"] = into
    moving.loc[moving["role"] == "chair", "role"] = "member"
    kept = seats[seats["forum_id"] == into]
    moving = moving[~moving["agency_id"].isin(set(kept["agency_id"]))].drop_duplicates("agency_id")
    state.seats = pd.concat([seats[~seats["forum_id"].isin(sources)], _at_host_meetings(moving, kept)],
                            ignore_index=True)
    state.cohorts.loc[state.cohorts["forum_id"].isin(sources), "forum_id"] = into
    state.reroute(sources, into)


def _at_host_meetings(moving: pd.DataFrame, kept: pd.DataFrame) -> pd.DataFrame:
    """Seats moving to the kept forum attend its meetings, at their own rate: a weekly forum's seats would otherwise
    bring 52 meetings held into a monthly one (the merged forum then reads as "recorded monthly, but 52 meetings
    held", a problem of the simulation, not of the data)."""
    held = pd.to_numeric(kept["meetings_held"], errors="coerce").dropna()
    if not len(held) or not len(moving):
        return moving
    host = int(held.max())
    moving = moving.copy()
    own = pd.to_numeric(moving["meetings_held"], errors="coerce")
    rate = pd.to_numeric(moving["meetings_attended"], errors="coerce") / own
    moving.loc[own.notna(), "meetings_held"] = host
    known = (own > 0) & rate.notna()
    moving.loc[known, "meetings_attended"] = (rate[known] * host).round().astype("int64")
    return moving


def _end(state: _State, step: Step) -> None:
    if not state.forum(step, "forum"):
        return
    forum = step.values["forum"]
    state.forums.loc[state.forums["forum_id"] == forum, "status"] = "ended"
    target = step.values.get("reroute_to")
    if target and state.forum(step, "reroute_to"):
        state.reroute([forum], target)


def _set(state: _State, step: Step) -> None:
    if not state.forum(step, "forum"):
        return
    where = state.forums["forum_id"] == step.values["forum"]
    spec = SHEETS["forums"]
    for key, value in step.values.items():
        if key == "forum":
            continue
        column = spec.column(key)
        if column.kind == "enum":
            value = state.vocabulary(step, key, column.vocabulary)
        elif column.kind == "ref":
            if value and not (state.forum(step, key) if column.references[0] == "forums" else state.agency(step, key)):
                value = None
        elif column.kind == "list":
            value = tuple(t.strip() for t in (value if isinstance(value, list) else value.split("|")) if t.strip())
        elif column.kind == "date":
            try:
                value = pd.Timestamp(value) if value else pd.NaT
            except ValueError:
                state.out.add(_where(step, key), f"'{_shown(value)}' is not a date.", "Write it as YYYY-MM-DD.")
                value = None
        if value is None:
            continue
        if column.kind == "list":
            state.forums.loc[where, key] = pd.Series([value] * int(where.sum()), index=state.forums.index[where])
        else:
            state.forums.loc[where, key] = value


def _remove_seat(state: _State, step: Step) -> None:
    if not (state.forum(step, "forum") & state.agency(step, "agency")):
        return
    seats = state.seats
    match = (seats["forum_id"] == step.values["forum"]) & (seats["agency_id"] == step.values["agency"])
    if "post" in step.values:
        match &= seats["post"] == step.values["post"]
    if not match.any():
        posts = sorted(set(seats.loc[(seats["forum_id"] == step.values["forum"])
                                     & (seats["agency_id"] == step.values["agency"]), "post"]))
        state.out.add(_where(step, "post" if "post" in step.values else "agency"),
                      "no seat on that forum matches" + (f"{_suggest(step.values['post'], posts, state.out)}"
                                                         if "post" in step.values and posts else "."),
                      "Check the members sheet: remove_seat names a seat that is there.")
        return
    state.seats = seats[~match].reset_index(drop=True)


def _add_seat(state: _State, step: Step) -> None:
    ok = state.forum(step, "forum") & state.agency(step, "agency")
    role = state.vocabulary(step, "role", "role") if "role" in step.values else "member"
    seniority = state.vocabulary(step, "seniority", "seniority") if "seniority" in step.values else ""
    if not ok or role is None or seniority is None:
        return
    state.seats = _append(state.seats, {"forum_id": step.values["forum"], "agency_id": step.values["agency"],
                                        "role": role, "seniority": seniority, "post": step.values.get("post", ""),
                                        "row": 0})


def _add_link(state: _State, step: Step) -> None:
    ok = state.forum(step, "from") & state.forum(step, "to")
    kind = state.vocabulary(step, "type", "link_type")
    if not ok or kind is None:
        return
    if step.values["from"] == step.values["to"]:
        state.out.add(_where(step, "to"), "a link from a forum to itself.", "Point `to` at a different forum.")
        return
    state.links = _append(state.links, {"from_forum": step.values["from"], "to_forum": step.values["to"],
                                        "type": kind, "via_post": step.values.get("via_post", ""), "row": 0})


APPLY = {"merge": _merge, "end": _end, "set": _set, "remove_seat": _remove_seat, "add_seat": _add_seat,
         "add_link": _add_link}


def apply_scenario(landscape: Landscape, scenario: Scenario) -> Landscape:
    """A new Landscape with the scenario's changes made; the given one is untouched. Raises InputError listing
    every change that names a forum, agency, seat or value that is not there."""
    out = _Problems(scenario.name)
    state = _State(landscape, out)
    for step in scenario.steps:
        APPLY[step.action](state, step)
    out.raise_if_any(f"{scenario.name} cannot be applied to {landscape.source or 'the input'}")
    seats = state.seats.reset_index(drop=True)
    seats["attendance"] = seat_attendance(seats)
    return replace(landscape, forums=state.forums.reset_index(drop=True), seats=seats,
                   cohorts=state.cohorts.reset_index(drop=True), links=state.links.reset_index(drop=True),
                   source=f"{landscape.source} with {scenario.name}", warnings=())


# -- evaluating ---------------------------------------------------------------------------------------------------

def meeting_hours_change(before, after) -> dict:
    """Monthly meeting-hours in total before and after, and the change per agency (largest saving first)."""
    was = before.burden.set_index("agency_id")
    now = after.burden.set_index("agency_id")
    table = pd.DataFrame({"name": was["name"], "before": was["hours_per_month"],
                          "after": now["hours_per_month"].reindex(was.index).fillna(0.0)})
    # Each difference is worked out from the rounded figures written beside it, so a reader's sum agrees.
    table["before"], table["after"] = table["before"].round(2), table["after"].round(2)
    table["change"] = (table["after"] - table["before"]).round(2)
    changed = table[table["change"].abs() >= 0.005].sort_values(["change", "name"])
    total_before = round(float(was["hours_per_month"].sum()), 1)
    total_after = round(float(now["hours_per_month"].sum()), 1)
    return {
        "before": total_before, "after": total_after,
        "freed": round(total_before - total_after, 1),
        "by_agency": [{"agency_id": a, "name": r["name"], "before": round(float(r["before"]), 2),
                       "after": round(float(r["after"]), 2), "change": round(float(r["change"]), 2)}
                      for a, r in changed.iterrows()],
    }


def evaluate(landscape: Landscape, analysis, scenario: Scenario):
    """Apply ``scenario``, analyse the result with the baseline's settings and date, and compare: returns (the new
    Landscape, its Analysis, the Changes from baseline to scenario, with meeting-hours)."""
    from ..analyses.run import analyse
    from .compare import compare

    changed = apply_scenario(landscape, scenario)
    after = analyse(changed, analysis.config, analysis.as_of)
    changes = compare(landscape, analysis, changed, after, kind="whatif")
    changes = replace(changes, meeting_hours=meeting_hours_change(analysis, after), scenario=scenario.as_dict())
    return changed, after, changes


def try_scenario(landscape: Landscape, analysis, scenario: Scenario):
    """The lighter evaluation the board's options need: (the new Landscape, its Analysis, and a dict of the
    finding, link and post changes and meeting-hours), without the rest of a full comparison. The Analysis has the
    findings without the network measures (``analyse(..., measures=False)``): the options compare findings, and
    the measures were a fifth of each evaluation. (So it is no ``findings.json`` document: use :func:`evaluate`.)"""
    from ..analyses.run import analyse
    from .compare import finding_changes, link_changes, post_changes

    changed = apply_scenario(landscape, scenario)
    after = analyse(changed, analysis.config, analysis.as_of, measures=False)
    return changed, after, {"findings": finding_changes(analysis, after), "links": link_changes(landscape, changed),
                            "posts": post_changes(landscape, changed),
                            "meeting_hours": meeting_hours_change(analysis, after)}
