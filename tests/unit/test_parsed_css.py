"""The suite's stylesheets parsed once per process (tests/parsed_css.py): the same text with
the same variables is parsed once, and a change of either is parsed again, never given the
rules of another theme."""

from __future__ import annotations

from textual.css.stylesheet import Stylesheet

from tests import parsed_css

CSS = "Label { color: $accent; }"


def _rules(accent: str) -> list[object]:
    sheet = Stylesheet(variables={"accent": accent})
    sheet.add_source(CSS, read_from=("tests/unit/test_parsed_css.py", "CSS"))
    sheet.parse()
    return list(sheet.rules)


def test_a_second_app_takes_the_rules_already_parsed() -> None:
    assert Stylesheet._parse_rules is parsed_css._parsed_once  # installed for the whole run
    first, again = _rules("#ff0000"), _rules("#ff0000")
    assert [id(rule) for rule in again] == [id(rule) for rule in first]


def test_other_variables_are_parsed_again_with_their_own_values() -> None:
    red, blue = _rules("#ff0000"), _rules("#0000ff")
    assert [id(rule) for rule in red] != [id(rule) for rule in blue]
    colours = [rule.styles.color.hex for rule in (*red, *blue)]  # type: ignore[attr-defined]
    assert colours == ["#FF0000", "#0000FF"]
