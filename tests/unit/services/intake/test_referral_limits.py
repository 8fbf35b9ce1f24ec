"""A referral file made to break the reader is refused with its line, and nothing is stored
(issue 16: JSON nested thousands deep raised RecursionError, a 5,001-digit number ValueError,
and a lone surrogate escape reached the database)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crm_tui.domain.roles import Actor, Role
from crm_tui.services.intake.referral_import import ImportProblem, import_referral
from tests import dumps
from tests.unit.services.intake.test_inbox_services import SAMPLE


def _sample_text(**changes: str) -> str:
    """The sample referral as text, with fields replaced by raw JSON text."""
    data = {**SAMPLE, "evidence": []}
    for key in changes:
        data[key] = f"@@{key}@@"
    text = json.dumps(data, indent=2)
    for key, raw in changes.items():
        text = text.replace(f'"@@{key}@@"', raw)
    return text


@pytest.mark.parametrize(("raw", "said"), [
    ("[" * 5_000 + "]" * 5_000, "brackets are nested more than 32 deep"),
    ("9" * 5_001, "a number 5,001 characters long; a referral's numbers are at most 30"),
    ("1e99999", "1e99999 is too large a number for a referral"),  # infinity, to json
    ("NaN", "NaN is not a number a referral can hold"),
    ('"Council tax \\ud800 team"',
     '("other_departments"): holds a character that is not text'),
])
def test_a_file_past_a_limit_is_refused_with_its_line_and_nothing_is_stored(
        actors: dict[Role, Actor], tmp_path: Path, raw: str, said: str) -> None:
    path = tmp_path / "referral.json"
    path.write_text(_sample_text(other_departments=raw), encoding="utf-8")
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1)
                if "other_departments" in text)
    before = dumps.dump()
    with pytest.raises(ImportProblem) as problem:
        import_referral(actors[Role.CRM], path)
    assert said in str(problem.value)
    assert problem.value.line == line, str(problem.value)
    assert str(problem.value).startswith(f"referral.json, line {line}")
    assert dumps.dump() == before


def test_a_lone_surrogate_in_a_field_name_is_refused_too(actors: dict[Role, Actor],
                                                         tmp_path: Path) -> None:
    path = tmp_path / "referral.json"
    path.write_text(_sample_text().replace('"other_departments"', '"other\\udfffdepartments"'),
                    encoding="utf-8")
    with pytest.raises(ImportProblem, match="holds a character that is not text"):
        import_referral(actors[Role.CRM], path)


def test_a_key_given_twice_is_refused_with_its_second_line(actors: dict[Role, Actor],
                                                           tmp_path: Path) -> None:
    """Found when tried: `"service_area"` twice in one object recorded the referral in the
    second area named, without a word; which one was meant is the sender's to say."""
    text = _sample_text()
    area = f'  "service_area": {json.dumps(SAMPLE["service_area"])},\n'
    assert area in text
    text = text.replace(area, '  "service_area": "Planning and Building Control",\n' + area)
    path = tmp_path / "referral.json"
    path.write_text(text, encoding="utf-8")
    line = 1 + next(n for n, row in enumerate(text.splitlines(), 1) if "service_area" in row)
    before = dumps.dump()
    with pytest.raises(ImportProblem) as problem:
        import_referral(actors[Role.CRM], path)
    said = str(problem.value)
    assert said.startswith(f"referral.json, line {line}"), said
    assert 'the key "service_area" is given twice in one object' in said
    assert dumps.dump() == before


def test_a_file_too_large_is_refused_naming_the_limit(actors: dict[Role, Actor],
                                                      tmp_path: Path) -> None:
    """b16c F12: "big.json is too large for a referral file" did not say how large it may be."""
    path = tmp_path / "big.json"
    path.write_text(_sample_text() + " " * 2_000_001, encoding="utf-8")
    with pytest.raises(ImportProblem, match=r"too large for a referral file \(at most 2 MB\)"):
        import_referral(actors[Role.CRM], path)
