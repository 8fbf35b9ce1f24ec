"""Textual's stylesheets parsed once per test process, not once per app.

Every Pilot test starts an app, and every app parses every widget's CSS again (Textual keeps
what it parsed per stylesheet, and makes a new stylesheet each time the theme's variables are
set): the same text parsed to the same rules hundreds of times a run. Here what a stylesheet
parses is kept for the process, by the text, where it was read from and the variables it was
parsed with, as Textual keeps it for one stylesheet. The rules are only read once parsed
(Textual hands the same ones to every parse of one stylesheet, and nothing changes them).
Measured: an app started on the demo and shown five areas took 1.8 CPU seconds, 1.4 with this
(the figures and how they were taken: the commit that brought this in)."""

from __future__ import annotations

from typing import Any

from textual.css.stylesheet import Stylesheet

_parse_rules = Stylesheet._parse_rules
_parsed: dict[tuple[Any, ...], Any] = {}


def _parsed_once(self: Stylesheet, css: str, read_from: Any, is_default_rules: bool = False,
                 tie_breaker: int = 0, scope: str = "") -> Any:
    key = (css, read_from, is_default_rules, tie_breaker, scope,
           frozenset(self._variables.items()))
    rules = _parsed.get(key)
    if rules is None:  # a parse that fails raises here each time, as Textual's own does
        rules = _parsed[key] = _parse_rules(self, css, read_from, is_default_rules,
                                            tie_breaker, scope)
    return rules


def parse_once() -> None:
    Stylesheet._parse_rules = _parsed_once  # type: ignore[method-assign]
