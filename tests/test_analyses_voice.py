"""Person-voice rules on hand-made landscapes: fires, does not fire, and the boundary."""

from __future__ import annotations

from mcn_map.analyses.voice import no_expert_by_experience, no_person_voice
from test_analyses_world import case, healthy_tables, run_rule, seat, set_forum, without


def test_operational_forum_discussing_people_without_their_voice():
    (finding,) = run_rule(no_person_voice, set_forum(healthy_tables(), "ops1", person_voice="none"))
    assert finding.subjects == ("ops1",) and finding.category == "person_voice"


def test_representative_or_unrecorded_voice_is_not_flagged():
    assert run_rule(no_person_voice, set_forum(healthy_tables(), "ops1", person_voice="representative")) == []
    assert run_rule(no_person_voice, set_forum(healthy_tables(), "ops1", person_voice="")) == []


def test_strategic_forum_only_flagged_when_it_discusses_individuals():
    tables = set_forum(healthy_tables(), "board", person_voice="none")
    assert run_rule(no_person_voice, tables) == []
    tables["cohorts"].append(case("board", "P001"))
    assert [f.subjects for f in run_rule(no_person_voice, tables)] == [("board",)]


def test_strategic_forum_without_an_expert_by_experience():
    (finding,) = run_rule(no_expert_by_experience, without(healthy_tables(), "board", "experts"))
    assert finding.subjects == ("board",)


def test_expert_by_experience_seat_from_any_agency_counts():
    tables = without(healthy_tables(), "board", "experts")
    tables["members"].append(seat("board", "vcs", seniority="expert by experience", post="Peer lead"))
    assert run_rule(no_expert_by_experience, tables) == []


def test_a_deaths_review_is_never_asked_for_the_persons_voice():
    tables = set_forum(healthy_tables(), "ops1", person_voice="none", name="Drug Related Deaths Review")
    assert run_rule(no_person_voice, tables) == []
    given = set_forum(healthy_tables(), "ops1", person_voice="none", kind="Drug-related deaths review")
    assert run_rule(no_person_voice, given) == []


def test_a_case_forum_of_a_known_kind_is_still_asked():
    tables = set_forum(healthy_tables(), "ops1", person_voice="none", name="Northtown MARAC")
    (finding,) = run_rule(no_person_voice, tables)
    assert finding.subjects == ("ops1",)
