"""The analysis config: defaults, TOML overrides, clear errors naming the key, and the record in findings.json."""

from __future__ import annotations

import json

import pytest

from mcn_map.analyses.run import analyse
from mcn_map.render.findings_json import findings_json_bytes
from mcn_map.config import Config, load_config
from mcn_map.errors import McnMapError
from test_analyses_world import healthy_tables, landscape_of


def write(tmp_path, text):
    path = tmp_path / "mcn-map.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_gives_the_documented_defaults():
    config = load_config(None)
    assert config.duplication.many_forums == 3 and config.key_person.many_forums == 5
    assert config.attendance.seat_min == 0.5 and config.links.winding_down_factor == 2.0
    assert "mental_health" in config.partners.expected["operational"]
    assert "commissioning|public_health" in config.partners.expected["strategic"]
    assert config.source == "built-in defaults"


def test_a_toml_file_overrides_only_what_it_names(tmp_path):
    config = load_config(write(tmp_path, """
as_of = 2026-09-30
[duplication]
overlap_min_shared = 5
[partners.expected_by_theme]
"drug deaths" = ["drug_alcohol", "public_health"]
[burden.duration_hours]
operational = 2
"""))
    assert config.duplication.overlap_min_shared == 5 and config.duplication.many_forums == 3
    assert config.partners.expected_by_theme["drug deaths"] == ["drug_alcohol", "public_health"]
    assert "radicalisation" in config.partners.expected_by_theme  # other themes kept
    assert config.burden.duration_hours == {"strategic": 2.0, "tactical": 1.5, "operational": 2}
    assert config.as_of == "2026-09-30" and config.source == "mcn-map.toml"


@pytest.mark.parametrize("text, named", [
    ("[duplication]\noverlap_min_sharde = 5\n", "duplication.overlap_min_sharde"),
    ("[dupliction]\nmany_forums = 2\n", "dupliction"),
    ("[partners.expected]\nboard = ['police']\n", "partners.expected.board"),
    ("[partners.expected]\noperational = ['polce']\n", "polce"),
    ("[attendance]\nseat_min = 'half'\n", "attendance.seat_min"),
    ("as_of = 'last tuesday'\n", "as_of"),
])
def test_a_mistake_in_the_file_names_the_key(tmp_path, text, named):
    with pytest.raises(McnMapError, match=named.replace(".", r"\.")):
        load_config(write(tmp_path, text))


def test_missing_or_broken_file_is_a_clear_error(tmp_path):
    with pytest.raises(McnMapError, match="not found"):
        load_config(tmp_path / "nope.toml")
    with pytest.raises(McnMapError, match="not valid TOML"):
        load_config(write(tmp_path, "[duplication\n"))


def test_themes_only_change_expectations_at_their_levels():
    config = Config()
    assert "education" in config.expected_for("channel", "operational", ("Radicalisation",))
    assert config.expected_for("board", "strategic", ("radicalisation",)) == config.partners.expected["strategic"]


def test_the_config_used_is_recorded_in_findings_json(tmp_path):
    config = load_config(write(tmp_path, "[duplication]\noverlap_min_shared = 7\n"))
    document = json.loads(findings_json_bytes(analyse(landscape_of(healthy_tables()), config, as_of="2026-10-31")))
    assert document["config"]["duplication"]["overlap_min_shared"] == 7
    assert document["config"]["source"] == "mcn-map.toml"
    assert document["as_of"] == "2026-10-31" and document["config"]["as_of"] == "2026-10-31"


def test_analyse_accepts_a_path_and_leaves_the_callers_config_alone(tmp_path):
    config = Config()
    analysis = analyse(landscape_of(healthy_tables()), config, as_of="2026-01-01", suppress=False)
    assert config.as_of == "" and config.suppress is True
    assert analysis.config.as_of == "2026-01-01" and analysis.suppress is False
    path = write(tmp_path, "[key_person]\nmany_forums = 2\n")
    assert analyse(landscape_of(healthy_tables()), path).by_rule("post_on_many_forums")
