"""whatif: each scenario change applied to a real workbook, and invalid scenarios reported like invalid workbooks."""

from __future__ import annotations

import pytest

from mcn_map import analyse, load
from mcn_map.change.scenario import apply_scenario, evaluate, parse_scenario, read_scenario
from mcn_map.errors import InputError
from workbooks import sheets, write_xlsx


def with_matac(data):
    """MATAC beside MARAC: police and mental health on both, its own case list and route to the board."""
    data["forums"].append(["matac", "MATAC", "operational", "domestic abuse", "police", "monthly", "active", "",
                           "2026-10-09", "none", "Northtown"])
    data["members"] += [["matac", "police", "chair", "service manager", "MATAC chair", 12, 12],
                        ["matac", "mh-trust", "member", "practitioner", "MATAC MH rep", 12, 10],
                        ["matac", "council", "member", "practitioner", "Housing officer", 12, 9]]
    data["cohorts"] += [["matac", "P0002", "2026-09-10", "police"], ["matac", "P0009", "2026-09-10", "police"]]
    data["links"] += [["matac", "board", "escalates_to", ""], ["matac", "marac", "refers_to", ""]]
    return data


@pytest.fixture
def borough(tmp_path):
    path = write_xlsx(tmp_path / "borough.xlsx", with_matac(sheets()))
    landscape = load(path)
    return landscape, analyse(landscape)


def run(borough, text):
    landscape, analysis = borough
    return evaluate(landscape, analysis, parse_scenario(text, "scenario.toml"))


def problems(borough, text) -> list[str]:
    landscape, _ = borough
    with pytest.raises(InputError) as caught:
        apply_scenario(landscape, parse_scenario(text, "scenario.toml"))
    return [str(p) for p in caught.value.problems]


def test_merge_unites_seats_case_lists_and_links(borough):
    before, _ = borough
    changed, after, changes = run(borough, '[[merge]]\nforums = ["marac", "matac"]\ninto = "marac"\n')
    status = dict(zip(changed.forums["forum_id"], changed.forums["status"]))
    assert status["matac"] == "merged" and status["marac"] == "active"
    assert changed.forums.set_index("forum_id").loc["matac", "merged_into"] == "marac"
    marac = changed.seats[changed.seats["forum_id"] == "marac"]
    # Police and mental health sat on both: they keep MARAC's seat; the council's seat moves across as a member.
    assert sorted(marac["agency_id"]) == ["asc", "council", "mh-trust", "police"]
    assert marac.set_index("agency_id").loc["police", "post"] == "DA lead"
    assert marac.set_index("agency_id").loc["council", "role"] == "member"
    assert not (changed.seats["forum_id"] == "matac").any()
    assert set(changed.cohorts.loc[changed.cohorts["forum_id"] == "marac", "person_id"]) >= set(
        before.cohorts.loc[before.cohorts["forum_id"] == "matac", "person_id"])
    routes = set(zip(changed.links["from_forum"], changed.links["to_forum"], changed.links["type"]))
    assert ("marac", "board", "escalates_to") in routes
    assert not any("matac" in (a, b) for a, b, _ in routes) and ("marac", "marac", "refers_to") not in routes
    assert changes.forums["status_changed"][0]["to"] == "merged"
    assert changes.kind == "whatif" and changes.scenario["merge"][0]["into"] == "marac"


def test_merge_frees_meeting_hours_for_agencies_on_both(borough):
    _, analysis = borough
    _, _, changes = run(borough, '[[merge]]\nforums = ["marac", "matac"]\ninto = "marac"\n')
    hours = changes.meeting_hours
    by_agency = {a["agency_id"]: a for a in hours["by_agency"]}
    # MATAC meets monthly; an operational meeting lasts the configured hours: police and mental health save it.
    duration = analysis.config.burden.duration_hours["operational"]
    assert by_agency["police"]["change"] == pytest.approx(-duration)
    assert by_agency["mh-trust"]["change"] == pytest.approx(-duration)
    assert "council" not in by_agency  # its seat moved: same hours, a different room
    assert hours["before"] - hours["after"] == pytest.approx(2 * duration, abs=0.11)
    assert hours["freed"] == pytest.approx(2 * duration, abs=0.11)


def test_merge_into_a_new_forum(borough):
    changed, _, changes = run(borough, '[[merge]]\nforums = ["marac", "matac"]\ninto = "da-mdt"\n'
                                       'name = "Domestic Abuse MDT"\n')
    forums = changed.forums.set_index("forum_id")
    assert forums.loc["da-mdt", "name"] == "Domestic Abuse MDT" and forums.loc["da-mdt", "status"] == "active"
    assert set(forums.loc[["marac", "matac"], "status"]) == {"merged"}
    assert [f["forum_id"] for f in changes.forums["added"]] == ["da-mdt"]
    assert sorted(changed.seats.loc[changed.seats["forum_id"] == "da-mdt", "agency_id"]) == [
        "asc", "council", "mh-trust", "police"]


def test_the_baseline_is_untouched(borough):
    before, _ = borough
    forums, seats, links = before.forums.copy(), before.seats.copy(), before.links.copy()
    run(borough, '[[merge]]\nforums = ["marac", "matac"]\ninto = "marac"\n[[end]]\nforum = "board"\n')
    assert before.forums.equals(forums) and before.seats.equals(seats) and before.links.equals(links)


def test_end_reroutes_its_links_where_the_scenario_says(borough):
    changed, _, changes = run(borough, '[[end]]\nforum = "matac"\nreroute_to = "marac"\n')
    assert changed.forum_status["matac"] == "ended"
    routes = set(zip(changed.links["from_forum"], changed.links["to_forum"], changed.links["type"]))
    assert ("marac", "board", "escalates_to") in routes and not any("matac" in r for r in routes)
    assert changes.forums["status_changed"] == [
        {"forum_id": "matac", "name": "MATAC", "from": "active", "to": "ended", "merged_into": ""}]


def test_end_without_reroute_keeps_the_links_of_a_forum_that_no_longer_meets(borough):
    changed, _, changes = run(borough, '[[end]]\nforum = "matac"\n')
    assert changed.forum_status["matac"] == "ended"
    assert changes.links["removed"] == []


def test_add_and_remove_seat(borough):
    changed, _, changes = run(borough, '[[add_seat]]\nforum = "board"\nagency = "police"\npost = "Chief constable"\n'
                                       'seniority = "Executive"\n[[remove_seat]]\nforum = "marac"\nagency = "asc"\n')
    added = changed.seats[(changed.seats["forum_id"] == "board") & (changed.seats["agency_id"] == "police")]
    assert added[["role", "seniority", "post"]].values.tolist() == [["member", "executive", "Chief constable"]]
    assert [(s["forum_id"], s["agency_id"]) for s in changes.seats["added"]] == [("board", "police")]
    assert [(s["forum_id"], s["agency_id"]) for s in changes.seats["removed"]] == [("marac", "asc")]
    assert any(f["rule"] == "paper_only_sector" for f in changes.findings["resolved"])  # the seat that rarely came


def test_remove_one_post_of_several(borough):
    text = '[[add_seat]]\nforum = "marac"\nagency = "police"\npost = "DA officer"\n'
    changed, _, _ = run(borough, text + '[[remove_seat]]\nforum = "marac"\nagency = "police"\npost = "DA lead"\n')
    posts = changed.seats.loc[(changed.seats["forum_id"] == "marac") & (changed.seats["agency_id"] == "police"), "post"]
    assert list(posts) == ["DA officer"]


def test_add_link_and_set(borough):
    changed, _, changes = run(borough, '[[add_link]]\nfrom = "matac"\nto = "board"\ntype = "reports to"\n'
                                       '[[set]]\nforum = "matac"\nperson_voice = "lead practitioner"\n'
                                       'frequency = "fortnightly"\n')
    assert [(l["from_forum"], l["to_forum"], l["type"]) for l in changes.links["added"]] == [
        ("matac", "board", "reports_to")]
    forums = changed.forums.set_index("forum_id")
    assert forums.loc["matac", "person_voice"] == "representative" and forums.loc["matac", "frequency"] == "fortnightly"
    assert [(c["from"], c["to"]) for c in changes.forums["person_voice_changed"]] == [("none", "representative")]
    assert changes.meeting_hours["after"] > changes.meeting_hours["before"]  # meeting more often costs hours


def test_the_shipped_scenario_applies_to_the_shipped_example(example_landscape):
    from conftest import ROOT

    scenario = read_scenario(ROOT / "inputs" / "example_scenario.toml")
    _, _, changes = evaluate(example_landscape, analyse(example_landscape), scenario)
    assert changes.meeting_hours["freed"] > 0
    assert changes.findings["resolved"]
    assert {s.action for s in scenario.steps} == {"merge", "end", "set", "add_seat", "remove_seat", "add_link"}


# -- invalid scenarios --------------------------------------------------------------------------------------------

def test_a_forum_typo_is_located_and_the_nearest_id_suggested(borough):
    found = problems(borough, '[[merge]]\nforums = ["marak", "matac"]\ninto = "marac"\n')
    assert found == ["error: scenario.toml: [[merge]] number 1, key `forums`: forum `marak` is not in the forums "
                     "sheet of borough.xlsx; did you mean `marac`? Fix: Use a forum_id from the forums sheet."]


def test_every_problem_is_reported_in_one_pass(borough):
    found = problems(borough, '[[end]]\nforum = "board"\nreroute_to = "nowhere"\n'
                              '[[add_seat]]\nforum = "cscc"\nagency = "mh-trsut"\nrole = "boss"\n'
                              '[[add_seat]]\nforum = "marac"\nagency = "police"\n'
                              '[[remove_seat]]\nforum = "board"\nagency = "police"\n'
                              '[[add_link]]\nfrom = "marac"\nto = "board"\ntype = "escalate"\n'
                              '[[set]]\nforum = "marac"\nlevel = "strat"\n')
    text = "\n".join(found)
    assert "[[end]] number 1, key `reroute_to`: forum `nowhere` is not in the forums sheet" in text
    assert "[[add_seat]] number 1, key `forum`: forum `cscc` is not" in text
    assert "[[add_seat]] number 1, key `agency`: agency `mh-trsut` is not in the agencies sheet of borough.xlsx; " \
           "did you mean `mh-trust`?" in text
    assert "[[add_seat]] number 1, key `role`: 'boss' is not a recognised role" in text
    assert "[[remove_seat]] number 1, key `agency`: no seat on that forum matches." in text
    assert "[[add_link]] number 1, key `type`: 'escalate' is not a recognised link type; did you mean `escalates_to`?" in text
    assert "[[set]] number 1, key `level`: 'strat' is not a recognised level" in text
    assert "number 2" not in text  # the valid seat is not blamed
    assert len(found) == 7


@pytest.mark.parametrize("text, expected", [
    ('[[merj]]\nforums = ["a"]\ninto = "a"\n', "`merj`: is not a change mcn-map knows; did you mean `merge`?"),
    ('[merge]\nforums = ["marac"]\ninto = "marac"\n', "[merge]: is written with single brackets"),
    ('[[merge]]\nforums = "marac"\ninto = "marac"\n', "[[merge]] number 1, key `forums`: must be a list of forum ids."),
    ('[[merge]]\nforums = ["marac"]\n', "[[merge]] number 1: the key `into` is missing."),
    ('[[end]]\nforum = "marac"\nrerout_to = "board"\n', "key `rerout_to`: is not a key of [[end]]; did you mean `reroute_to`?"),
    ('[[set]]\nforum = "marac"\nfrequency = 12\n', "[[set]] number 1, key `frequency`: must be text."),
    ('[[merge]\nforums = 3', "is not valid TOML: Expected ']]' at the end of an array declaration (at line 1"),
])
def test_badly_shaped_scenarios(text, expected):
    with pytest.raises(InputError) as caught:
        parse_scenario(text, "scenario.toml")
    assert any(expected in str(p) for p in caught.value.problems), [str(p) for p in caught.value.problems]
    assert all(p.fix for p in caught.value.problems)


def test_merging_a_forum_into_itself_alone_is_refused(borough):
    found = problems(borough, '[[merge]]\nforums = ["marac"]\ninto = "marac"\n')
    assert found == ["error: scenario.toml: [[merge]] number 1, key `forums`: lists no forum other than the one "
                     "merged into. Fix: List at least one other forum to merge."]


def test_a_new_forum_needs_a_name(borough):
    found = problems(borough, '[[merge]]\nforums = ["marac", "matac"]\ninto = "marak"\n')
    assert "did you mean `marac`?" in found[0] and 'give name = "..."' in found[0]
