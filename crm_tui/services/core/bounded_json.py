"""JSON from outside the app (an imported referral), read within limits: nesting no deeper
than any sound file needs, numbers no longer than a number in a referral can be, no text that
cannot be stored (a lone surrogate escape such as \\ud800). Each limit passed is refused as a
JsonLimit naming the line, never as a RecursionError or a ValueError from deep inside json."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any

from crm_tui.domain.counting import counted
from crm_tui.domain.typed_dates import quoted

MAX_DEPTH = 32  # a referral is four levels deep; nothing sound comes near this
MAX_NUMBER_CHARS = 30  # more digits than any count, reference or year a referral holds
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}\n]")


class JsonLimit(ValueError):
    """A limit passed: `line` (1-based, or None) and what it was, in words."""

    def __init__(self, message: str, line: int | None) -> None:
        self.message, self.line = message, line
        super().__init__(message)


def _too_deep(text: str) -> int | None:
    """The line where nesting first goes past MAX_DEPTH, or None. Strings are blanked out
    first (a bracket in quotes nests nothing); a file that is not sound JSON is left for
    json's own message."""
    depth, line = 0, 1
    for match in _BRACKET.finditer(_STRING.sub('""', text)):
        char = match.group()
        if char == "\n":
            line += 1
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        else:
            depth -= 1
    return None


def _line_of(text: str, part: str) -> int | None:
    at = text.find(part)
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def loads(text: str) -> Any:
    """json.loads within the limits; JsonLimit when one is passed, json.JSONDecodeError when
    the text is not JSON at all."""
    line = _too_deep(text)
    if line is not None:
        raise JsonLimit(f"brackets are nested more than {MAX_DEPTH} deep; a referral file "
                        "never needs more than a few levels", line)

    def number(kind: type[int] | type[float]) -> Any:
        def read(written: str) -> int | float:
            if len(written) > MAX_NUMBER_CHARS:
                raise JsonLimit(f"a number {counted(len(written), 'character', grouped=True)} "
                                "long; a referral's "
                                f"numbers are at most {MAX_NUMBER_CHARS}",
                                _line_of(text, written))
            value = kind(written)
            if not math.isfinite(value):  # 1e99999: infinity, which nothing can store
                raise JsonLimit(f"{written} is too large a number for a referral",
                                _line_of(text, written))
            return value
        return read

    def constant(written: str) -> Any:
        raise JsonLimit(f"{written} is not a number a referral can hold",
                        _line_of(text, written))

    def one_of_each(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        # A key given twice leaves which value is meant to chance (json keeps the last one
        # silently: found when tried, a referral recorded in the second service area named).
        kept: dict[str, Any] = {}
        for key, value in pairs:
            if key in kept:
                written = json.dumps(key)
                first = text.find(written)
                second = text.find(written, first + 1) if first >= 0 else -1
                raise JsonLimit(f"the key {quoted(key)} is given twice in one object: say it "
                                "once, with the value meant",
                                text.count("\n", 0, second) + 1 if second >= 0 else None)
            kept[key] = value
        return kept

    try:
        return json.loads(text, parse_int=number(int), parse_float=number(float),
                          parse_constant=constant, object_pairs_hook=one_of_each)
    except RecursionError:  # nested past what the limit counts (should not happen)
        raise JsonLimit("brackets are nested too deep", None) from None


def unstorable(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """The path of every key or text that cannot be stored as UTF-8 (a lone surrogate)."""
    if isinstance(value, str):
        if not _storable(value):
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            if not _storable(key):
                yield (*path, key.encode("utf-8", "replace").decode())
                continue
            yield from unstorable(item, (*path, key))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from unstorable(item, (*path, n))


def _storable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
