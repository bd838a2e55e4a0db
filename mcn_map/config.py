"""Every threshold the analyses use, in one place, with built-in defaults a TOML file can override.

A config file only needs the keys it changes::

    [partners.expected]
    operational = ["mental_health", "drug_alcohol", "housing", "police"]

    [partners.expected_by_theme]
    "radicalisation" = ["police", "local_authority", "mental_health"]

    [burden]
    hours_per_month = 12

An expected sector written ``"commissioning|public_health"`` is satisfied by either. The config actually used is
recorded in ``findings.json`` (see :meth:`Config.as_dict`), so a board paper can always say which thresholds made it.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import math
import os
import stat
import tomllib
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from pathlib import Path

from .errors import McnMapError
from .kinds import KINDS
from .loading.schema import SECTORS, VOCABULARIES

__all__ = ["Config", "load_config", "resolve_config", "parse_as_of", "config_keys", "DEFAULT_CORE_SECTORS", "RANGES", "EARLIEST_AS_OF",
           "LATEST_AS_OF"]

# The sectors reviews most often find missing from multiple-disadvantage partnerships.
DEFAULT_CORE_SECTORS = ["mental_health", "drug_alcohol", "housing", "police", "probation", "adult_social_care"]


@dataclass
class Duplication:
    overlap_min_shared: int = 3  # people two forums must share before the pair is worth a word
    overlap_min_coefficient: float = 0.2  # shared / smaller cohort
    overlap_high_coefficient: float = 0.5  # at or above: high severity
    many_forums: int = 3  # a person discussed in this many forums or more
    contradictory_window_days: int = 90  # two forums discussing a person this close together...
    # ...under different lead agencies risk contradictory action plans
    membership_jaccard: float = 0.8  # same-level forums with agency Jaccard at or above this and a shared theme


@dataclass
class Partners:
    # Sectors each level expects; "a|b" is satisfied by either.
    expected: dict = field(default_factory=lambda: {
        "operational": list(DEFAULT_CORE_SECTORS),
        "strategic": list(DEFAULT_CORE_SECTORS) + ["lived_experience", "commissioning|public_health"],
        "tactical": [],
    })
    # A forum with one of these themes expects these sectors instead of its level's list (union over its themes).
    expected_by_theme: dict = field(default_factory=lambda: {
        "radicalisation": ["police", "local_authority", "mental_health", "adult_social_care", "childrens_services",
                           "education"],
        "domestic abuse": ["police", "domestic_abuse", "mental_health", "drug_alcohol", "housing", "probation",
                           "adult_social_care", "childrens_services"],
    })
    theme_levels: list = field(default_factory=lambda: ["operational"])  # levels whose forums use theme lists
    # A forum of a national kind (mcn_map/data/forum_kinds.toml) expects its kind's list; this replaces it per kind.
    expected_by_kind: dict = field(default_factory=dict)
    # Most specific: a forum_id's own list.
    expected_by_forum: dict = field(default_factory=dict)
    high_severity_sectors: list = field(default_factory=lambda: ["mental_health", "drug_alcohol"])
    paper_seat_attendance: float = 0.5  # a sector whose seats all attend less than this is missing in practice
    # Sectors the whole system should have at some active table.
    system_expected: list = field(default_factory=lambda: list(DEFAULT_CORE_SECTORS) + [
        "lived_experience", "primary_care", "public_health", "commissioning", "welfare"])


@dataclass
class Links:
    winding_down_factor: float = 2.0  # not met for more than this many frequency intervals = winding down
    not_met_factor: float = 2.0  # any active forum not met for more than this many of its intervals has stopped
    route_types: list = field(default_factory=lambda: ["escalates_to", "reports_to"])
    feedback_types: list = field(default_factory=lambda: ["feeds_back_to"])


@dataclass
class KeyPerson:
    many_forums: int = 5  # a post on this many active forums or more
    max_bridging_posts: int = 1  # this few posts or fewer tying the tiers together: each is a single point of failure


@dataclass
class Attendance:
    seat_min: float = 0.5  # a seat attending less than this share of meetings
    forum_average_min: float = 0.65  # a forum whose seats average less than this
    min_meetings_held: int = 3  # fewer meetings than this say too little about attendance
    frequency_tolerance: float = 2.0  # meetings held implying a period this many times longer or shorter than the
    # other forums' contradict the stated frequency


@dataclass
class Seniority:
    strategic_practitioner_share: float = 0.5  # strategic forums with more than this share of practitioner seats
    decision_makers: list = field(default_factory=lambda: ["service manager", "strategic lead", "executive"])


@dataclass
class Burden:
    hours_per_month: float = 24.0  # an agency at or above this many meeting-hours a month (three days) is flagged
    high_hours_per_month: float = 40.0  # ...and at or above this, medium severity
    duration_hours: dict = field(default_factory=lambda: {"strategic": 2.0, "tactical": 1.5, "operational": 1.5})
    default_frequency: str = "monthly"  # assumed where a forum's frequency is blank


@dataclass
class Measures:
    betweenness_exact_max_nodes: int = 300  # above this many nodes, betweenness is estimated from a sample
    betweenness_sample: int = 24  # source nodes sampled (networkx ``k``), seeded: stable, and seconds at nation scale
    seed: int = 42
    connectors: int = 5  # system connectors listed


@dataclass
class Digest:
    rollup_above: int = 12  # a rule (and pattern) with more findings than this becomes one roll-up finding
    examples: int = 10  # forums or pairs a roll-up names, worst first; the rest are in findings.xlsx "Detail"
    subjects: int = 5  # forums a roll-up is about (and the map rings): those of its highest-ranked members
    pattern_from: int = 3  # a gap one forum at a time (no person voice, no decision maker) at this many forums or more
    # is one pattern: one finding naming them all


@dataclass
class Journeys:
    min_people: int = 3  # no group smaller than this is named (a forum, a flow): never one person's journey
    flow_days: int = 90  # discussed at A, then at B within this many days: a flow from A to B
    flow_finding_people: int = 8  # a flow this large between two unlinked forums is a finding
    bounce_forums: int = 3  # this many different forums or more...
    bounce_days: int = 183  # ...within this many days (six months): a case bouncing between meetings
    repeat_times: int = 4  # the same forum this many times or more...
    repeat_days: int = 365  # ...within this many days (twelve months): a cycle of crisis
    long_running_days: int = 365  # first to last discussion longer than this: a long-running case


@dataclass
class Caseloads:
    window_days: int = 90  # a person discussed in this many days up to the as-of date is on the lead post's caseload
    amber_above: int = 8  # the MEAM Approach: many areas find eight clients per coordinator better...
    flag_above: int = 10  # ...and recommend no more than ten


@dataclass
class Options:
    # A case forum spends about this long on each person it discusses: a merged forum's meetings lengthen by this
    # for each discussion a month it takes on from the forums merged into it (people discussed in both, once).
    minutes_per_case: float = 10.0


@dataclass
class Knowledge:
    """What the chairs know of each other, from a mapping round's forms (see mcn_map.analyses.knowledge)."""

    min_shared_people: int = 3  # forums sharing this many people should know of each other
    min_answers: int = 3  # 'no' answers needed before a forum is called known to nobody
    poor_score: int = 2  # a usefulness or reliability score at or below this (of 4) is poor


@dataclass
class Config:
    duplication: Duplication = field(default_factory=Duplication)
    partners: Partners = field(default_factory=Partners)
    links: Links = field(default_factory=Links)
    key_person: KeyPerson = field(default_factory=KeyPerson)
    attendance: Attendance = field(default_factory=Attendance)
    seniority: Seniority = field(default_factory=Seniority)
    burden: Burden = field(default_factory=Burden)
    measures: Measures = field(default_factory=Measures)
    digest: Digest = field(default_factory=Digest)
    journeys: Journeys = field(default_factory=Journeys)
    caseloads: Caseloads = field(default_factory=Caseloads)
    options: Options = field(default_factory=Options)
    knowledge: Knowledge = field(default_factory=Knowledge)
    as_of: str = ""  # ISO date the analysis is as of; blank = the latest date in the data
    suppress: bool = True  # counts of people pass through small-number suppression
    # Share the work with a second process (None: where the plan finds it worth it, see mcn_map.running.plan).
    parallel: bool | None = None
    source: str = "built-in defaults"

    def as_dict(self) -> dict:
        """The settings that shape the outputs, as recorded in them (how the work was shared shapes none of them)."""
        settings = asdict(self)
        del settings["parallel"]
        return settings

    def expected_for(self, forum_id: str, level: str, themes, kind: str = "") -> list[str]:
        """The expected sector groups for one forum: its own list, else its kind's (the config's, else national
        guidance's), else its themes' lists, else its level's."""
        by_forum = self.partners.expected_by_forum
        if forum_id in by_forum:
            return list(by_forum[forum_id])
        if kind in self.partners.expected_by_kind:
            return list(self.partners.expected_by_kind[kind])
        if kind in KINDS and KINDS[kind].expected:
            return list(KINDS[kind].expected)
        by_theme = {_fold(k): v for k, v in self.partners.expected_by_theme.items()}
        chosen: list[str] = []
        for theme in themes if level in self.partners.theme_levels else ():
            for group in by_theme.get(_fold(theme), ()):
                if group not in chosen:
                    chosen.append(group)
        return chosen if chosen else list(self.partners.expected.get(level, []))


def _fold(text: str) -> str:
    return " ".join(str(text).strip().lower().replace("_", " ").replace("-", " ").split())


def _merge(target, data: dict, path: str) -> None:
    """Apply ``data`` onto the dataclass ``target``; unknown keys and wrong types are errors naming the key."""
    known = {f.name: f for f in fields(target) if f.name not in ("source", "parallel")}  # parallel: not a file setting
    for key, value in data.items():
        where = f"{path}.{key}" if path else key
        if key not in known:
            match = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
            hint = f" Did you mean '{f'{path}.' if path else ''}{match[0]}'?" if match else ""
            raise McnMapError(f"unknown config key '{where}'.{hint} Known keys here: {', '.join(sorted(known))}.")
        current = getattr(target, key)
        if isinstance(current, str) and isinstance(value, dt.date):  # TOML has a date type: as_of = 2026-10-31
            value = value.isoformat()
        if is_dataclass(current):
            if not isinstance(value, dict):
                raise McnMapError(f"config key '{where}' must be a table ([{where}]).")
            _merge(current, value, where)
        elif isinstance(current, dict):
            if not isinstance(value, dict):
                raise McnMapError(f"config key '{where}' must be a table of lists.")
            merged = dict(current)
            merged.update(value)
            setattr(target, key, merged)
        elif isinstance(current, list):
            if not isinstance(value, list):
                raise McnMapError(f"config key '{where}' must be a list.")
            setattr(target, key, list(value))
        elif isinstance(current, bool) or isinstance(current, str):
            if not isinstance(value, type(current)):
                raise McnMapError(f"config key '{where}' must be {type(current).__name__}, not {value!r}.")
            setattr(target, key, value)
        else:  # numbers
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise McnMapError(f"config key '{where}' must be a number, not {value!r}.")
            if isinstance(current, int) and not float(value).is_integer():
                raise McnMapError(f"config key '{where}' must be a whole number, not {value!r}.")
            setattr(target, key, float(value) if isinstance(current, float) else int(value))


# (lowest, highest) each number may take; a share is 0 to 1. Out of range is an error naming the key, so a typo such
# as ``betweenness_sample = -1`` is caught before the analyses run.
RANGES = {
    "duplication.overlap_min_shared": (1, 1_000_000),
    "duplication.overlap_min_coefficient": (0.0, 1.0),
    "duplication.overlap_high_coefficient": (0.0, 1.0),
    "duplication.many_forums": (2, 10_000),
    "duplication.contradictory_window_days": (0, 3650),
    "duplication.membership_jaccard": (0.0, 1.0),
    "partners.paper_seat_attendance": (0.0, 1.0),
    "links.winding_down_factor": (1.0, 100.0),
    "key_person.many_forums": (1, 10_000),
    "key_person.max_bridging_posts": (0, 10_000),
    "attendance.seat_min": (0.0, 1.0),
    "attendance.forum_average_min": (0.0, 1.0),
    "attendance.min_meetings_held": (0, 10_000),
    "attendance.frequency_tolerance": (1.0, 100.0),
    "seniority.strategic_practitioner_share": (0.0, 1.0),
    "burden.hours_per_month": (0.0, 744.0),
    "burden.high_hours_per_month": (0.0, 744.0),
    "measures.betweenness_exact_max_nodes": (0, 1_000_000),
    "measures.betweenness_sample": (1, 100_000),
    "measures.seed": (0, 2**32 - 1),
    "measures.connectors": (0, 10_000),
    "options.minutes_per_case": (0.0, 600.0),
    "digest.pattern_from": (2, 1_000_000),
}
EARLIEST_AS_OF, LATEST_AS_OF = dt.date(1900, 1, 1), dt.date(2199, 12, 31)


def parse_as_of(value, where: str = "--as-of") -> str:
    """An as-of date in any form the workbook accepts (a date, 2026-10-31, 31/10/2026, 31 Oct 2026) as ISO text;
    blank stays blank. Raises McnMapError for an unreadable date or one outside 1900-2199.

    >>> parse_as_of("31/10/2026"), parse_as_of(dt.date(2026, 10, 31)), parse_as_of("")
    ('2026-10-31', '2026-10-31', '')
    """
    from .loading.cells import parse_date

    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    try:  # an ISO date pandas cannot hold (year 1000, 9999) is still a date: say it is out of range
        day = dt.date.fromisoformat(str(value).strip()) if not isinstance(value, dt.date) else value
    except ValueError:
        stamp = None if isinstance(value, (int, float)) else parse_date(value)
        if stamp is None:
            raise McnMapError(f"{where} must be a date such as 2026-10-31 or 31/10/2026, not {str(value)[:40]!r}.") \
                from None
        day = stamp.date()
    if isinstance(day, dt.datetime):
        day = day.date()
    if not EARLIEST_AS_OF <= day <= LATEST_AS_OF:
        raise McnMapError(f"{where} must be a date between {EARLIEST_AS_OF:%Y} and {LATEST_AS_OF:%Y}, not "
                          f"{day.isoformat()}.")
    return day.isoformat()


def config_keys(config: Config | None = None) -> list[str]:
    """Every key a config file may set, dotted ('burden.hours_per_month'), for messages and did-you-mean."""
    config = config or Config()
    keys = []
    for f in fields(config):
        value = getattr(config, f.name)
        if f.name in ("source", "parallel"):
            continue
        keys.extend(f"{f.name}.{inner.name}" for inner in fields(value)) if is_dataclass(value) else keys.append(f.name)
    return keys


def _check_ranges(config: Config) -> None:
    for key, (lowest, highest) in RANGES.items():
        section, name = key.split(".")
        value = getattr(getattr(config, section), name)
        if not (isinstance(value, (int, float)) and math.isfinite(value) and lowest <= value <= highest):
            raise McnMapError(f"config key '{key}' must be between {lowest} and {highest}, not {value!r}.")
    for level, hours in config.burden.duration_hours.items():
        if isinstance(hours, bool) or not isinstance(hours, (int, float)) or not 0 < hours <= 24:
            raise McnMapError(f"config key 'burden.duration_hours.{level}' must be a number of hours above 0 and "
                              f"at most 24, not {hours!r}.")


def _check(config: Config) -> None:
    """Sector keys and levels named in the config must be real ones."""
    def sectors(groups, where):
        if not isinstance(groups, list):
            raise McnMapError(f"config key '{where}' must be a list of sector keys.")
        for group in groups:
            for sector in str(group).split("|"):
                if sector not in SECTORS:
                    raise McnMapError(f"config key '{where}' names an unknown sector '{sector}'; "
                                      f"use one of: {', '.join(SECTORS)}.")

    partners = config.partners
    for level, groups in partners.expected.items():
        if level not in VOCABULARIES["level"]:
            raise McnMapError(f"unknown config key 'partners.expected.{level}'; levels are "
                              f"{', '.join(VOCABULARIES['level'])}.")
        sectors(groups, f"partners.expected.{level}")
    for theme, groups in partners.expected_by_theme.items():
        sectors(groups, f"partners.expected_by_theme.{theme}")
    for forum, groups in partners.expected_by_forum.items():
        sectors(groups, f"partners.expected_by_forum.{forum}")
    for kind, groups in partners.expected_by_kind.items():
        if kind not in KINDS:
            raise McnMapError(f"unknown config key 'partners.expected_by_kind.{kind}'; forum kinds are "
                              f"{', '.join(KINDS)}.")
        sectors(groups, f"partners.expected_by_kind.{kind}")
    for level in partners.theme_levels:
        if level not in VOCABULARIES["level"]:
            raise McnMapError(f"config key 'partners.theme_levels' names an unknown level '{level}'.")
    sectors(partners.high_severity_sectors, "partners.high_severity_sectors")
    sectors(partners.system_expected, "partners.system_expected")
    for level in config.burden.duration_hours:
        if level not in VOCABULARIES["level"]:
            raise McnMapError(f"unknown config key 'burden.duration_hours.{level}'.")
    config.as_of = parse_as_of(config.as_of, "config key 'as_of'")
    _check_ranges(config)
    if config.burden.default_frequency not in VOCABULARIES["frequency"]:
        raise McnMapError(f"config key 'burden.default_frequency' must be one of "
                          f"{', '.join(VOCABULARIES['frequency'])}.")
    if config.journeys.min_people < 2:
        raise McnMapError("config key 'journeys.min_people' must be 2 or more: a journey is never shown for one person.")
    if config.caseloads.amber_above > config.caseloads.flag_above:
        raise McnMapError("config key 'caseloads.amber_above' must not be more than 'caseloads.flag_above'.")
    for key in ("route_types", "feedback_types"):
        for value in getattr(config.links, key):
            if value not in VOCABULARIES["link_type"]:
                raise McnMapError(f"config key 'links.{key}' names an unknown link type '{value}'.")


def resolve_config(config: Config | str | Path | dict | None = None, *, as_of=None, suppress: bool | None = None,
                   parallel: bool | None = None) -> Config:
    """The one resolved config a run uses, made once at the boundary (command line, notebook, build) and passed down:
    ``config`` (a Config, copied; a TOML path or dict; None: the defaults) with ``as_of``, ``suppress`` and
    ``parallel``, where given, in place of its own. Every output takes its settings (suppression above all) from it.

    >>> resolve_config(suppress=False).suppress, resolve_config({"suppress": False}).suppress
    (False, False)
    """
    config = copy.deepcopy(config) if isinstance(config, Config) else load_config(config)
    if as_of is not None:
        config.as_of = parse_as_of(as_of)
    if suppress is not None:
        config.suppress = bool(suppress)
    if parallel is not None:
        config.parallel = bool(parallel)
    return config


MAX_CONFIG_BYTES = 1024 * 1024  # a config is a few dozen lines


def _refuse_odd_config_path(path: Path) -> None:
    """A device (/dev/zero never ends), a named pipe (it would wait for ever) or a huge file is refused before it
    is opened, as a what-if file is."""
    import os
    import stat

    try:
        info = os.stat(path)
    except FileNotFoundError:
        return  # said below, as before
    except OSError as exc:
        raise McnMapError(f"config file {path} cannot be read ({exc.strerror or exc}).") from None
    if not stat.S_ISREG(info.st_mode):
        raise McnMapError(f"config file {path} is not a regular file (a folder, device, pipe or socket); give the "
                          "path of a saved .toml file.")
    if info.st_size > MAX_CONFIG_BYTES:
        raise McnMapError(f"config file {path} is {info.st_size / 1024**2:,.0f} MB, over the limit of "
                          f"{MAX_CONFIG_BYTES / 1024**2:,.0f} MB for a config file; check it is the file you meant.")


def load_config(path: str | Path | dict | None = None) -> Config:
    """The built-in defaults, overridden by a TOML file (or an already-parsed dict). Raises McnMapError."""
    config = Config()
    if path is None:
        return config
    if isinstance(path, dict):
        data, config.source = copy.deepcopy(path), "overrides"
    else:
        path = Path(path)
        _refuse_odd_config_path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise McnMapError(f"config file {path} not found.") from None
        except tomllib.TOMLDecodeError as exc:
            raise McnMapError(f"config file {path} is not valid TOML: {str(exc)[:200]}.") from None
        except RecursionError:  # arrays or tables nested thousands deep
            raise McnMapError(f"config file {path} nests arrays or tables too deeply to be a config file.") from None
        except UnicodeDecodeError:
            raise McnMapError(f"config file {path} is not a UTF-8 text file.") from None
        config.source = path.name
    _merge(config, data, "")
    _check(config)
    return config
