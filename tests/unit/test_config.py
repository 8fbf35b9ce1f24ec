"""Configuration: defaults, a good file, and bad values named with key and file."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_tui.config import Config, ConfigError, load


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_defaults(tmp_path: Path) -> None:
    config = load(tmp_path / "missing.toml")
    assert config == Config()
    assert config.review_period_months == 12
    assert config.safe_working_procedure == (  # the policy's own words
        "Safe Working Procedure- Incident List "
        "(http://staffinfo.southampton.gov.uk/health-safety/safety-information/)")


def test_good_file(tmp_path: Path) -> None:
    path = _write(tmp_path, """
review_period_months = 6
appeal_period_days = 21
service_areas = ["Housing", "Parks"]
working_day_deadlines = ["reply_by"]
safe_working_procedure = "Lone Working Procedure (https://intranet.example/lone-working)"
[council]
name = "Eastmarch Borough Council"
address = ["Town Hall", "EM1 1AA"]
""")
    config = load(path)
    assert config.review_period_months == 6
    assert config.council.name == "Eastmarch Borough Council"
    assert config.council.address == ("Town Hall", "EM1 1AA")
    assert config.service_areas == ("Housing", "Parks")
    assert config.safe_working_procedure == \
        "Lone Working Procedure (https://intranet.example/lone-working)"
    assert config.source == path


@pytest.mark.parametrize(("text", "key"), [
    ("review_period_months = 18", "review_period_months"),
    ("review_period_months = 'twelve'", "review_period_months"),
    ("appeal_period_days = 0", "appeal_period_days"),
    ("retention_years = true", "retention_years"),
    ("service_areas = []", "service_areas"),
    ("service_areas = ['', 'x']", "service_areas"),
    ("working_day_deadlines = ['lunch']", "working_day_deadlines"),
    ("colour = 'blue'", "colour"),
    ("[council]\nname = ''", "council.name"),
    ("safe_working_procedure = ''", "safe_working_procedure"),
    ("safe_working_procedure = 3", "safe_working_procedure"),
    ("[council]\nmotto = 'x'", "council.motto"),
])
def test_bad_value_names_key_and_file(tmp_path: Path, text: str, key: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load(path)
    assert key in str(error.value)
    assert str(path) in str(error.value)


def test_bad_toml_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "review_period_months = = 3")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load(path)


@pytest.mark.parametrize(("text", "key", "words"), [
    ('[council]\nname = "North\\u0000mere City Council"', "council.name", "NUL"),
    ('[council]\nname = "Northmere\\u001b[31m City Council"', "council.name", "U+001B"),
    ('[council]\nname = "Northmere City\\u202e Council"', "council.name", "U+202E"),
    ('[council]\nname = "Northmere\\u0085 City Council"', "council.name", "U+0085"),
    ('[council]\naddress = ["Civic Centre", "North\\u200bmere"]', "council.address",
     "invisible mark"),
    ('service_areas = ["Housing\\u001b Services"]', "service_areas", "U+001B"),
    ('safe_working_procedure = "Incident list\\u2066"', "safe_working_procedure", "U+2066"),
])
def test_control_characters_in_text_are_refused_naming_key_and_file(
        tmp_path: Path, text: str, key: str, words: str) -> None:
    """b16e F5: they went into the app's title bar and every PDF."""
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load(path)
    said = str(error.value)
    assert said.startswith(f'{path}: "{key}" contains'), said
    assert words in said


def test_service_areas_differing_only_by_case_are_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, 'service_areas = ["Housing Services", "housing services"]')
    with pytest.raises(ConfigError, match="differ only by case") as error:
        load(path)
    assert str(path) in str(error.value) and "service_areas" in str(error.value)
