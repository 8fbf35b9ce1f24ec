"""A letter as it was issued, kept as JSON in the register, so that its preview and any copy
show what the customer was sent rather than what the record would say today.

The conversion is driven by the dataclass's own fields and type hints, so that a field added
to `content.Letter` round-trips without a change here: dates as ISO strings, enumerations by
value, nested dataclasses as objects, tuples and lists as arrays. A field missing from older
JSON takes its default; a field no longer in the dataclass is ignored."""

from __future__ import annotations

import dataclasses
import json
import types
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any, Union, get_args, get_origin, get_type_hints

from crm_tui.domain.errors import RequirementMissing
from crm_tui.letters.content import Letter, day, text


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):  # a datetime is a date too
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _typed(kind: Any, value: Any) -> Any:
    """`value` read from JSON, made the type `kind` names."""
    origin, args = get_origin(kind), get_args(kind)
    if origin in (Union, types.UnionType):
        if value is None:
            return None
        return _typed(next(a for a in args if a is not type(None)), value)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_typed(args[0], item) for item in value)
        return tuple(_typed(a, item) for a, item in zip(args, value, strict=True))
    if origin is list:
        return [_typed(args[0], item) for item in value]
    if origin is dict:
        return {key: _typed(args[1], item) for key, item in value.items()}
    if isinstance(kind, type):
        if dataclasses.is_dataclass(kind):
            return _build(kind, value)
        if issubclass(kind, Enum):
            return kind(value)
        if issubclass(kind, datetime):
            return datetime.fromisoformat(value)
        if issubclass(kind, date):
            return date.fromisoformat(value)
    return value


def _build(cls: type, data: dict[str, Any]) -> Any:
    hints = _hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    return cls(**{name: _typed(hints[name], value) for name, value in data.items()
                  if name in known})


def dumps(letter: Letter) -> str:
    """The letter as JSON, for the register."""
    return json.dumps(_plain(letter), ensure_ascii=False, sort_keys=True)


def loads(text: str, letter_id: int | None = None) -> Letter:
    """The letter kept by `dumps`, as it was. Text that is not such a letter (a damaged or
    edited register row) is RequirementMissing in one sentence, never a traceback."""
    try:
        found: Letter = _build(Letter, json.loads(text))
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        which = f"letter {letter_id}" if letter_id is not None else "the letter"
        raise RequirementMissing(
            f"the register's stored text of {which} is damaged (it is not the letter as "
            "issued) and cannot be shown; the signed PDF is the record: check it with "
            "`crm-tui audit verify`") from None
    return found


def copy_mark(sent_on: date) -> str:
    return f"Copy of the letter sent on {day(sent_on)}"


def as_text(letter: Letter) -> str:
    """The letter as plain text; a re-sent duplicate marked as the PDF marks it."""
    if letter.copy_of is None:
        return text(letter)
    return f"{copy_mark(letter.copy_of)}\n\n{text(letter)}"
