"""`mcn-map collect`: returned forms merged into a copy of the landscape, with everything reconciled.

Seats and a forum's facts come from its own chair. A link between two forums is kept with the chairs who reported
it: **confirmed** when both ends report it, **one-sided** when one does; a "no" from one end against a "yes" from the
other is a conflict, kept and listed. A blank answer is no answer, never a "no", so a form returned unchanged changes
nothing, and a forum whose chair did not reply keeps its previous data, marked as not replied. Write-ins are matched
to known agencies and meetings (the match listed for approval) or added as new. What every chair said about the
other meetings is kept on the ``reports`` sheet, who replied on ``replies``. The input is never modified.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import InputError, McnMapError, Problem
from ..loading.cells import parse_date
from ..loading.problems import closest
from ..loading.schema import SECTOR_LABELS, SHEETS, canonical_token
from ..model import Landscape
from ..writing.files import output_timestamp
from .approvals import check_decisions, read_approvals
from .layout import WRITE_IN_KINDS, landscape_fingerprint
from .make import asked_forums, chair_posts, next_round
from .read import FormReturn, read_form

__all__ = ["Collected", "collect_forms", "merge_returns", "landscape_tables"]

# A write-in's phrase for how the meetings are linked -> (link type, outgoing from the chair's forum).
WRITE_IN_TIES = {
    "we escalate to it": ("escalates_to", True), "it escalates to us": ("escalates_to", False),
    "we report to it": ("reports_to", True), "it reports to us": ("reports_to", False),
    "we feed back to it": ("feeds_back_to", True), "it feeds back to us": ("feeds_back_to", False),
    "we refer to it": ("refers_to", True), "it refers to us": ("refers_to", False),
    "we share case lists": ("shares_case_list", True),
}


@dataclass
class Collected:
    """The merged landscape's sheets (as text tables), and the reconciliation of every return."""

    tables: dict[str, pd.DataFrame]
    round: str
    asked: tuple[str, ...]
    replied: tuple[str, ...]
    changes: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)
    write_ins: list[dict] = field(default_factory=list)
    not_replied: list[dict] = field(default_factory=list)
    returns: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def set_aside(self) -> list[dict]:
        return [r for r in self.returns if r["status"] == "set aside"]


# -- the landscape as text tables ------------------------------------------------------------------------------------

def _cell(value) -> str:
    if isinstance(value, tuple):
        return "|".join(value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def landscape_tables(landscape: Landscape) -> dict[str, pd.DataFrame]:
    """The landscape's sheets (all but the case list) as text, in the schema's columns, extra columns kept."""
    frames = {"forums": landscape.forums, "agencies": landscape.agencies, "members": landscape.seats,
              "links": landscape.links, "responses": landscape.responses, "replies": landscape.replies,
              "reports": landscape.reports}
    tables = {}
    for name, frame in frames.items():
        spec = SHEETS[name]
        if frame is None:
            frame = pd.DataFrame(columns=list(spec.column_names))
        extras = [c for c in frame.columns if c not in spec.column_names and c not in ("row", "attendance")]
        columns = list(spec.column_names) + extras
        tables[name] = pd.DataFrame({c: [_cell(v) for v in frame[c]] if c in frame else [""] * len(frame)
                                     for c in columns}, columns=columns)
    return tables


# -- matching names ------------------------------------------------------------------------------------------------

def _folded(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", canonical_token(text).replace("&", " and ")).strip()


class _Names:
    """Known agencies or forums by id and by folded name, with a did-you-mean for a write-in."""

    def __init__(self, ids, names):
        self.ids = list(ids)
        self.by_id = set(self.ids)
        self.by_name = {_folded(n): i for i, n in zip(ids, names) if n}
        self.names = dict(zip(ids, names))

    def exact(self, text: str) -> str | None:
        return text if text in self.by_id else self.by_name.get(_folded(text))

    def likely(self, text: str) -> str | None:
        match = closest(_folded(text), list(self.by_name), 5000)
        return self.by_name[match] if match else None

    def new_id(self, name: str) -> str:
        base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40].strip("-") or "new"
        candidate, n = base, 1
        while candidate in self.by_id:
            n += 1
            candidate = f"{base}-{n}"
        self.by_id.add(candidate)
        self.ids.append(candidate)
        self.by_name[_folded(name)] = candidate
        self.names[candidate] = name
        return candidate


# -- which returns count ---------------------------------------------------------------------------------------------

def _saved_text(form: FormReturn) -> str:
    return form.saved.strftime("%Y-%m-%d %H:%M") if form.saved else ""


def _choose(forms: list[FormReturn], landscape: Landscape, round_name: str | None) -> tuple[str, dict, list[dict]]:
    """The round collected, the form used for each forum (the newest where one came back twice) and a line per file."""
    fingerprint = landscape_fingerprint(landscape.forums, landscape.agencies)
    matching = [f for f in forms if f.usable and f.form_id.fingerprint == fingerprint]
    rounds = Counter(f.form_id.round for f in matching)
    round_ = round_name or (rounds.most_common(1)[0][0] if rounds else next_round(landscape))
    returns, candidates = [], {}
    for form in forms:
        line = {"file": form.file, "forum_id": form.form_id.forum_id if form.usable else "",
                "round": form.form_id.round if form.usable else "", "saved": _saved_text(form), "status": "used",
                "why": ""}
        why = _refusal(form, fingerprint, round_, landscape)
        if why:
            line.update(status="set aside", why=why)
            form.problem("error", why.split(": ", 1)[-1], "Send the chair a fresh form from this round, or collect "
                         "this one with the landscape and round it was made for.")
        else:
            candidates.setdefault(form.form_id.forum_id, []).append((form, line))
        returns.append(line)
    chosen = {}
    for forum, group in candidates.items():
        group.sort(key=lambda pair: (pair[0].saved is not None, pair[0].saved or 0, pair[0].file))
        newest = group[-1][0]
        tied = [(form, line) for form, line in group if form.saved == newest.saved]
        if len({_said(form) for form, _ in tied}) > 1:  # different answers, and nothing says which came later
            _undecided(tied)
            continue
        chosen[forum] = newest
        for form, line in group[:-1]:
            line.update(status="superseded", why=f"{newest.file} for the same meeting " + (
                "was saved later and was used instead." if form.saved != newest.saved else
                "says the same and was used instead."))
    return round_, chosen, returns


def _said(form: FormReturn) -> str:
    """Everything a form answers, as one comparable text (two copies that say the same are one return)."""
    return repr((form.meeting, form.seats, form.others, form.write_ins, form.people))


def _undecided(tied: list) -> None:
    """Copies of one form that differ and record no different saving times: none is chosen over the others."""
    when = "says it was saved at the same time" if tied[0][0].saved else "does not record when it was saved"
    for form, line in tied:
        others = ", ".join(f.file for f, _ in tied if f is not form)
        why = (f"another copy of this meeting's form ({others}) answers differently, and each {when}, so "
               "neither was used.")
        line.update(status="set aside", why=why)
        form.problem("error", why, "Collect again with the one copy the chair wants to send (remove or rename the "
                     "others), or ask the chair which is right.")


def _refusal(form: FormReturn, fingerprint: str, round_: str, landscape: Landscape) -> str:
    if not form.usable:
        return "not a readable form: " + (next((p.message for p in form.problems if p.is_error), "no form id."))
    form_id = form.form_id
    if form_id.fingerprint != fingerprint:
        return ("from another landscape: it was made from a workbook whose forums or agencies differ from this one "
                "(or they were changed after the forms were sent).")
    if form_id.round != round_:
        return f"from round {form_id.round}, not round {round_}: it was made for another round."
    if form_id.forum_id not in set(landscape.forum_ids):
        return f"for a forum ({form_id.forum_id}) this landscape does not list."
    return ""


# -- merging ---------------------------------------------------------------------------------------------------------

_MEETING_COLUMNS = {"name", "purpose", "level", "kind", "frequency", "status", "chair_agency", "last_met",
                    "person_voice"}
_SEAT_FIELDS = ("role", "seniority", "post", "meetings_held", "meetings_attended")


class _Merge:
    """One collection: the previous landscape's tables changed by each chosen form, everything noted."""

    def __init__(self, landscape: Landscape, round_: str, chosen: dict[str, FormReturn], result: Collected,
                 decisions: dict | None = None):
        self.landscape, self.round, self.chosen, self.out = landscape, round_, chosen, result
        self.decisions, self.decided, self.decision_problems = decisions or {}, set(), []
        self.tables = result.tables
        self.agencies = _Names(landscape.agency_ids, landscape.agencies["name"])
        self.forums = _Names(landscape.forum_ids, landscape.forums["name"])
        self.ties: dict[tuple, dict[str, bool]] = {}  # (from, to, type) -> reporting forum -> yes/no
        self.reports: list[dict] = []

    def change(self, forum: str, sheet: str, what: str, before: str, after: str, by: str) -> None:
        self.out.changes.append({"forum_id": forum, "sheet": sheet, "what": what, "before": before, "after": after,
                                 "reported_by": by})

    # this meeting
    def meeting(self, forum: str, form: FormReturn) -> None:
        forums = self.tables["forums"]
        at = forums.index[forums["forum_id"] == forum][0]
        for column, answer in form.meeting.items():
            if column not in _MEETING_COLUMNS:
                continue
            if column == "chair_agency":
                answer = self._agency(answer, form, "The agency that chairs it")
            elif column == "last_met":
                stamp = parse_date(answer)
                if stamp is None:
                    form.problem("error", "the date it last met is not a date mcn-map can read; it was not used.",
                                 "Write it as DD/MM/YYYY.", sheet="This meeting", column="Your answer")
                    continue
                answer = stamp.strftime("%Y-%m-%d")
            before = forums.at[at, column]
            if answer and answer != before:
                forums.at[at, column] = answer
                self.change(forum, "forums", column, before, answer, forum)

    def _agency(self, text: str, form: FormReturn, where: str) -> str:
        found = self.agencies.exact(text)
        if found is None:
            likely = self.agencies.likely(text)
            hint = f"; did you mean '{self.agencies.names[likely]}'?" if likely else "."
            form.problem("warning", f"'{text}' is not a known agency{hint} The previous answer was kept.",
                         "Choose the agency from the list, or add it on 'Anything we missed'.", sheet="This meeting",
                         column=where)
            return ""
        return found

    # who sits at the table
    def seats(self, forum: str, form: FormReturn) -> list[dict]:
        """The forum's seats after its chair's answers: a "no" removes a seat, a blank keeps what was there."""
        members = self.tables["members"]
        previous = members[members["forum_id"] == forum].to_dict("records")
        by_ref, counts = {}, Counter()
        for seat in previous:
            counts[seat["agency_id"]] += 1
            n = counts[seat["agency_id"]]
            by_ref[seat["agency_id"] if n == 1 else f"{seat['agency_id']}#{n}"] = seat
        kept = {id(seat): seat for seat in previous}
        added = []
        for answer in form.seats:
            agency, seat = self._seat_agency(answer, form, by_ref)
            if agency is None:
                continue
            if answer["seat"] == "no" and seat is not None:
                kept.pop(id(seat), None)
                self.change(forum, "members", f"seat removed: {self.agencies.names.get(agency, agency)}",
                            seat["post"] or seat["role"], "", forum)
            elif answer["seat"] == "yes":
                self._seat_yes(forum, agency, seat, answer, added)
            elif seat is None and any(answer[f] for f in _SEAT_FIELDS):
                form.problem("warning", "seat details were given but 'Seat at your meeting?' is blank; they were "
                             "not used.", "Choose 'yes' if the agency has a seat.", sheet=answer["sheet"],
                             row=answer["row"], column="Seat at your meeting?")
        for entry in form.write_ins:
            if entry["what"] == WRITE_IN_KINDS[0] or (not entry["what"] and (entry["sector"] or entry["post"])):
                self._agency_write_in(forum, entry, added)
        return [seat for seat in previous if id(seat) in kept] + added

    def _seat_agency(self, answer: dict, form: FormReturn, by_ref: dict) -> tuple[str | None, dict | None]:
        ref = answer["ref"]
        if ref:
            agency = ref.split("#")[0]
            if agency not in self.agencies.by_id:
                form.problem("error", "this row's Ref is not one mcn-map wrote, so the row was not used.",
                             "Put the Ref back as it was sent, or use a blank row at the bottom.",
                             sheet=answer["sheet"], row=answer["row"], column="Ref")
                return None, None
            return agency, by_ref.get(ref)
        if not answer["agency"]:
            if answer["seat"] or any(answer[f] for f in _SEAT_FIELDS):
                form.problem("warning", "a seat with no agency; it was not used.", "Choose the agency from the list.",
                             sheet=answer["sheet"], row=answer["row"], column="Agency")
            return None, None
        agency = self.agencies.exact(answer["agency"])
        if agency is None:
            form.problem("warning", "the agency is not one of the listed agencies; the row was not used.",
                         "Choose it from the list, or add it on 'Anything we missed'.", sheet=answer["sheet"],
                         row=answer["row"], column="Agency")
        return agency, None

    def _seat_yes(self, forum: str, agency: str, seat: dict | None, answer: dict, added: list) -> None:
        name = self.agencies.names.get(agency, agency)
        if seat is None:
            seat = {c: "" for c in self.tables["members"].columns} | {"forum_id": forum, "agency_id": agency,
                                                                       "role": "member"}
            added.append(seat)
            self.change(forum, "members", f"seat added: {name}", "", answer["post"] or answer["role"] or "member",
                        forum)
        for column in _SEAT_FIELDS:
            if answer[column] and answer[column] != seat[column]:
                if seat not in added:
                    self.change(forum, "members", f"{column} of {name}'s seat", seat[column], answer[column], forum)
                seat[column] = answer[column]

    def _agency_write_in(self, forum: str, entry: dict, added: list) -> None:
        agency, how, decided = self._decide(self.agencies, forum, "agency", entry["name"])
        near = None
        if agency is not None and not decided["decision"] and how.startswith("did you mean"):
            # A name that is only near a known agency is not that agency when the chair gives another sector
            # ("Samaritans of Northtown", voluntary sector, is not "HMP Northtown").
            agencies = self.tables["agencies"]
            known = agencies.loc[agencies["agency_id"] == agency, "sector"]
            if entry["sector"] and len(known) and known.iloc[0] and known.iloc[0] != entry["sector"]:
                near, agency = self.agencies.names.get(agency, agency), None
        if agency is None:
            agency = self.agencies.new_id(entry["name"])
            sector = entry["sector"] or "other"
            self.tables["agencies"] = pd.concat([self.tables["agencies"], pd.DataFrame(
                [{c: "" for c in self.tables["agencies"].columns} | {"agency_id": agency, "name": entry["name"],
                                                                      "sector": sector}])], ignore_index=True)
            how = (f"added as a new agency ({SECTOR_LABELS.get(sector, sector)}); check its sector"
                   + ("; the match was rejected" if decided["decision"] == "reject" else "")
                   + (f"; not taken for '{near}', whose sector differs" if near else ""))
        self.out.write_ins.append({"forum_id": forum, "kind": "agency", "written": entry["name"],
                                   "matched": self.agencies.names.get(agency, agency), "id": agency, "how": how,
                                   **decided})
        answer = {"post": entry["post"], "role": "", "seniority": "", "meetings_held": "", "meetings_attended": ""}
        self._seat_yes(forum, agency, None, answer, added)

    def _decide(self, names: _Names, forum: str, kind: str, text: str) -> tuple[str | None, str, dict]:
        """The known agency or meeting a write-in is, by the commissioner's decision where they made one (from
        ``collect --approvals``), else by name: (id or None for new, how, the decision to list beside it)."""
        forums = self.tables["forums"]
        written_by = forums.loc[forums["forum_id"] == forum, "name"]
        key = (written_by.iloc[0] if len(written_by) else forum, kind, text.strip())
        decision = self.decisions.get(key)
        if decision is None:
            return (*self._match(names, text), {"decision": "", "use_instead": ""})
        self.decided.add(key)
        listed = {"decision": decision.decision, "use_instead": decision.use_instead}
        if decision.decision == "reject":
            return None, "", listed
        if decision.decision == "correct":
            found = names.exact(decision.use_instead)
            if found is not None:
                return found, "corrected by the commissioner", listed
            what = "agency on the agencies sheet" if kind == "agency" else "meeting on the forums sheet"
            self.decision_problems.append(decision.problem(
                f"'use instead' is not the name or id of a known {what}.",
                f"Write the name exactly as on the {'agencies' if kind == 'agency' else 'forums'} sheet, or its id."))
            return (*self._match(names, text), listed)
        found, how = self._match(names, text)
        return found, (how.replace("Matched: check and approve", "approved") if found else how), listed

    @staticmethod
    def _match(names: _Names, text: str) -> tuple[str | None, str]:
        exact = names.exact(text)
        if exact is not None:
            return exact, "the same name as a listed one"
        likely = names.likely(text)
        if likely is not None:
            return likely, f"did you mean '{names.names[likely]}'? Matched: check and approve"
        return None, ""

    # other meetings
    def others(self, forum: str, form: FormReturn) -> None:
        for ref, answers in form.others.items():
            if ref not in self.forums.by_id or ref == forum:
                form.problem("error", "this row's Ref is not one mcn-map wrote, so the row was not used.",
                             "Put the Ref back as it was sent.", sheet=answers["sheet"], row=answers["row"],
                             column="Ref")
                continue
            self._answers(forum, ref, answers, form)
        for entry in form.write_ins:
            if entry["what"] == WRITE_IN_KINDS[1] or (not entry["what"] and (entry["tier"] or entry["link"])):
                self._meeting_write_in(forum, entry)

    def _answers(self, forum: str, other: str, answers: dict, form: FormReturn | None = None) -> None:
        said_yes = any(o or i for o, i in answers["ties"].values()) or answers["case_lists"] == "yes"
        if said_yes and answers["knows"] == "no" and form is not None:
            # Two answers that cannot both be true: the chair's "no" is kept, the link is not put in their mouth.
            form.problem("warning", "the chair says they do not know this meeting meets, yet the same row reports a "
                         "link or a shared case list with it: 'no' was kept, and the link was not counted as "
                         "reported by this chair.", "Ask the chair which is right, and correct the form.",
                         sheet=answers.get("sheet"), row=answers.get("row"), column="Do you know it meets?")
            knows = "no"
        else:
            for kind, (outgoing, incoming) in answers["ties"].items():
                self._tie(forum, (forum, other, kind), outgoing)
                self._tie(forum, (other, forum, kind), incoming)
            if answers["case_lists"]:
                self._tie(forum, (forum, other, "shares_case_list"), answers["case_lists"] == "yes")
            knows = "yes" if said_yes else answers["knows"]
        row = {"round": self.round, "forum_id": forum, "about_forum": other, "knows": knows,
               "contact": answers["contact"], "value": answers["value"], "reliability": answers["reliability"]}
        if any(row[c] for c in ("knows", "contact", "value", "reliability")):
            self.reports.append(row)

    def _tie(self, reporter: str, key: tuple, said: bool | None) -> None:
        if said is None:  # not said either way (a write-in names one direction only)
            return
        key = self._key(key)
        self.ties.setdefault(key, {})[reporter] = said

    def _meeting_write_in(self, forum: str, entry: dict) -> None:
        other, how, decided = self._decide(self.forums, forum, "meeting", entry["name"])
        if other == forum:
            return
        if other is None:
            other = self.forums.new_id(entry["name"])
            level = entry["tier"] or "operational"
            self.tables["forums"] = pd.concat([self.tables["forums"], pd.DataFrame(
                [{c: "" for c in self.tables["forums"].columns} | {"forum_id": other, "name": entry["name"],
                                                                    "level": level, "status": "active"}])],
                ignore_index=True)
            how = (f"added as a new forum ({level}); no chair has been asked about it yet"
                   + ("; the match was rejected" if decided["decision"] == "reject" else ""))
        self.out.write_ins.append({"forum_id": forum, "kind": "meeting", "written": entry["name"],
                                   "matched": self.forums.names.get(other, other), "id": other, "how": how,
                                   **decided})
        answers = entry.get("answers") or {"ties": {}, "case_lists": "", "knows": "yes", "contact": "", "value": "",
                                           "reliability": ""}
        answers = {**answers, "ties": dict(answers["ties"]), "knows": answers.get("knows") or "yes"}
        tie = WRITE_IN_TIES.get(entry.get("link", ""))
        if tie and tie[0] == "shares_case_list":
            answers["case_lists"] = "yes"
        elif tie:
            answers["ties"][tie[0]] = (True, None) if tie[1] else (None, True)
        self._answers(forum, other, answers)

    # links: who reported what
    def links(self) -> pd.DataFrame:
        """Every link after the round: reported by either end (with who reported it), or as it was where neither
        chair answered about it; removed only where a chair said 'neither' or 'no' and no one said yes."""
        table = self.tables["links"]
        records = table.to_dict("records")
        keys = [self._key((r["from_forum"], r["to_forum"], r["type"])) for r in records]
        previous = set(keys)  # a case-list link may be recorded once each way: both kept, in the sheet's order
        decided: dict[tuple, str | None] = {}  # key -> reported_by to write, or None: removed
        for key in list(dict.fromkeys(keys)) + [k for k in self.ties if k not in previous]:
            said = self.ties.get(key, {})
            yes = [f for f in key[:2] if said.get(f) is True]
            no = [f for f in key[:2] if said.get(f) is False]
            if yes:
                decided[key] = "|".join(yes)
                if key not in previous:
                    self.change(key[0], "links", f"link added: {self._link_text(key)}", "", decided[key], decided[key])
                if no:
                    self.out.conflicts.append(self._conflict(key, yes, no))
            elif no and key in previous:
                decided[key] = None
                self.change(key[0], "links", f"link removed: {self._link_text(key)}", "", "", "|".join(no))
        rows = [dict(r, reported_by=decided[k]) if decided.get(k) else r
                for r, k in zip(records, keys) if k not in decided or decided[k] is not None]
        rows += [{c: "" for c in table.columns} | dict(zip(("from_forum", "to_forum", "type"), k)) | {"reported_by": by}
                 for k, by in decided.items() if k not in previous and by]
        self._type_disagreements()
        return pd.DataFrame(rows, columns=table.columns)

    @staticmethod
    def _key(key: tuple) -> tuple:
        """A case-list link is one link either way: the two meetings compare lists."""
        return (*sorted(key[:2]), key[2]) if key[2] == "shares_case_list" else key

    def _link_text(self, key: tuple) -> str:
        words = {"escalates_to": "escalates to", "reports_to": "reports to", "feeds_back_to": "feeds back to",
                 "refers_to": "refers to", "shares_case_list": "shares case lists with"}
        return f"{self.forums.names.get(key[0], key[0])} {words.get(key[2], key[2])} {self.forums.names.get(key[1], key[1])}"

    def _conflict(self, key: tuple, yes: list, no: list) -> dict:
        return {"link": self._link_text(key), "from_forum": key[0], "to_forum": key[1], "type": key[2],
                "says_yes": "|".join(yes), "says_no": "|".join(no),
                "what": "one chair reports the link and the other says there is none; kept as one-sided"}

    def _type_disagreements(self) -> None:
        """Both chairs describe a link between them, but not the same one (a type or direction only one reports)."""
        by_pair: dict[tuple, dict[str, list]] = {}
        for key, said in self.ties.items():
            reporters = [f for f in key[:2] if said.get(f) is True]
            if len(reporters) == 1:
                by_pair.setdefault(tuple(sorted(key[:2])), {}).setdefault(reporters[0], []).append(key)
        for pair, sides in by_pair.items():
            if len(sides) == 2:
                a, b = pair
                self.out.conflicts.append({
                    "link": f"{self.forums.names.get(a, a)} and {self.forums.names.get(b, b)}", "from_forum": a,
                    "to_forum": b, "type": "", "says_yes": "", "says_no": "",
                    "what": "the two chairs describe the link differently: " + "; ".join(
                        f"{self.forums.names.get(f, f)}'s chair says " + ", ".join(self._link_text(k) for k in keys)
                        for f, keys in sides.items()) + "; both kept as one-sided"})

    # the round's own sheets
    def round_sheets(self, people: dict[str, str], saved: dict[str, str]) -> None:
        replied = set(self.chosen)
        reports = self.tables["reports"]
        reports = reports[~((reports["round"] == self.round) & reports["forum_id"].isin(replied))]
        self.tables["reports"] = pd.concat([reports, pd.DataFrame(self.reports, columns=reports.columns)],
                                           ignore_index=True)
        replies = self.tables["replies"]
        replies = replies[replies["round"] != self.round]
        rows = [{"round": self.round, "forum_id": forum, "replied": "yes" if forum in replied else "no",
                 "returned_on": saved.get(forum, ""), "people_discussed": people.get(forum, "")}
                for forum in dict.fromkeys([*self.out.asked, *sorted(replied)])]
        self.tables["replies"] = pd.concat([replies, pd.DataFrame(rows, columns=replies.columns)], ignore_index=True)
        chairs = chair_posts(self.landscape)
        self.out.not_replied = [{"forum_id": f, "forum": self.forums.names.get(f, f), "chair": chairs.get(f, ""),
                                 "kept": "previous data kept, not confirmed this round"}
                                for f in self.out.asked if f not in replied]

    def members(self, seats_by_forum: dict[str, list[dict]]) -> pd.DataFrame:
        """The seats, each replying forum's in place of its old ones (the sheet's order otherwise kept)."""
        members = self.tables["members"]
        rows, done = [], set()
        for row in members.to_dict("records"):
            forum = row["forum_id"]
            if forum in seats_by_forum:
                if forum not in done:
                    rows.extend(seats_by_forum[forum])
                    done.add(forum)
                continue
            rows.append(row)
        for forum, seats in seats_by_forum.items():
            if forum not in done:
                rows.extend(seats)
        return pd.DataFrame(rows, columns=members.columns)


def merge_returns(landscape: Landscape, forms: list[FormReturn], *, round_name: str | None = None,
                  decisions: dict | None = None) -> Collected:
    """Merge returned forms into the landscape's tables (nothing is written; see :func:`collect_forms`).

    ``decisions`` (from :func:`mcn_map.forms.approvals.read_approvals`) decide write-ins' matches; one that cannot be
    applied, or decides a write-in no form has, is an InputError."""
    round_, chosen, returns = _choose(forms, landscape, round_name)
    asked = asked_forums(landscape)
    result = Collected(tables=landscape_tables(landscape), round=round_, asked=asked, replied=tuple(chosen),
                       returns=returns)
    merge = _Merge(landscape, round_, chosen, result, decisions)
    seats, people, saved = {}, {}, {}
    stamp = output_timestamp()
    for forum, form in chosen.items():
        merge.meeting(forum, form)
        seats[forum] = merge.seats(forum, form)
        merge.others(forum, form)
        people[forum] = form.people.get("people_discussed", "")
        saved[forum] = form.saved.strftime("%Y-%m-%d") if form.saved and form.saved != stamp else ""
    merge.tables["members"] = merge.members(seats)
    merge.tables["links"] = merge.links()
    merge.round_sheets(people, saved)
    result.problems = [p for form in forms for p in form.problems]
    if merge.decision_problems:
        raise InputError(merge.decision_problems, "the approvals workbook has decisions that cannot be used")
    check_decisions(merge.decisions, merge.decided)
    return result


def collect_forms(paths, into: str | Path, *, round_name: str | None = None, key: bytes | None = None,
                  approvals: str | Path | None = None) -> tuple[Landscape, Collected]:
    """Read every returned form and merge them into the landscape ``into`` (loaded, never modified), applying the
    commissioner's decisions on write-ins from the reconciliation workbook ``approvals``."""
    from .make import load_roster

    if not paths:
        raise McnMapError("give the returned forms to collect.")
    decisions = read_approvals(approvals) if approvals else None
    landscape = load_roster(into, key=key)
    forms = [read_form(path) for path in paths]
    return landscape, merge_returns(landscape, forms, round_name=round_name, decisions=decisions)
