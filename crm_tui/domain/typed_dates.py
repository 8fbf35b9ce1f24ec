"""Dates as people type them, read the same way by every form and every command-line option:
dd/mm/yyyy first (what the screens show), and the ISO form scripts use."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y", "%d %b %Y", "%d %B %Y")
HOW_TO_TYPE = "dd/mm/yyyy"
# A day and a time, said once by its example (the pattern and an example said the same twice).
TIME_EXAMPLE = "28/11/2026 09:30"
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_SHOWN_DATE = re.compile(r"\b(\d{2})/(\d{2})/(\d{4})\b")


def parse_date(text: str) -> date:
    """A date typed as 28/11/2026, 28/11/26, 28 Nov 2026 or 2026-11-28. A ValueError says,
    in the user's words, what was wrong ("31/02/2026 is not a date: type it as dd/mm/yyyy")."""
    value = text.strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{value} is not a date: type it as {HOW_TO_TYPE}"
                     if value else f"Type a date as {HOW_TO_TYPE}, like 28/11/2026")


def parse_time(text: str) -> datetime:
    """A day and a time typed as 28/11/2026 09:30 (the day as parse_date reads it, then
    hh:mm). A ValueError says what was wrong, quoting the text as typed."""
    value = text.strip()
    day, _, time_of_day = value.rpartition(" ")
    try:
        return datetime.combine(parse_date(day), datetime.strptime(time_of_day, "%H:%M").time())
    except ValueError:
        raise ValueError(f"{value} is not a date and time: type it like {TIME_EXAMPLE}"
                         if value else f"Type the day and time, like {TIME_EXAMPLE}") from None


def time_problem(text: str, *, latest: datetime | None = None) -> str | None:
    """What is wrong with a typed day and time, or None: not one, or after `latest` (now)."""
    try:
        when = parse_time(text)
    except ValueError as exc:
        return str(exc)
    if latest is not None and when > latest:
        return f"{text.strip()} is in the future: give a time up to now"
    return None


def shown(day: date) -> str:
    """A date as the forms show it and as it is typed back."""
    return f"{day:%d/%m/%Y}"


def date_problem(text: str, *, blank: str | None = f"Type a date as {HOW_TO_TYPE}",
                 latest: date | None = None, latest_is: str = "today",
                 earliest: date | None = None, earliest_is: str = "") -> str | None:
    """What is wrong with a typed date, or None: not a date, after `latest` (a day that has
    not come yet, when `latest` is today) or before `earliest` (`earliest_is` names it: "the
    decision appealed against"). The services refuse the same dates; a form asks here first
    so that a date's problem is shown with every other field's."""
    if not text.strip():
        return blank
    try:
        day = parse_date(text)
    except ValueError as exc:
        return str(exc)
    typed = text.strip()  # quoted as typed: "3/12/2026", not "03/12/2026"
    if latest is not None and day > latest:
        if latest_is == "today":
            return f"{typed} is in the future: give a day up to today"
        return f"{typed} is after {latest_is} ({shown(latest)})"
    if earliest is not None and day < earliest:
        return f"{typed} is before {earliest_is or shown(earliest)} ({shown(earliest)})"
    return None


def typed_days(texts: Iterable[str]) -> dict[date, str]:
    """Each date among `texts` (what was typed in a form's fields, or given to a command's
    options) -> the text it was typed as; texts that are no date are left out."""
    found: dict[date, str] = {}
    for text in texts:
        if text.strip():
            try:
                found.setdefault(parse_date(text), text.strip())
            except ValueError:
                continue
    return found


def with_typed_dates(message: str, typed: Mapping[date, str] | None = None) -> str:
    """A message with its ISO dates (as services write them) as users type them: as the user
    typed that very day when `typed` has it ("3/12/2026"), else as dd/mm/yyyy."""
    typed = typed or {}

    def say(year: str, month: str, day: str) -> str:
        try:
            return typed.get(date(int(year), int(month), int(day)), f"{day}/{month}/{year}")
        except ValueError:
            return f"{day}/{month}/{year}"

    message = _ISO_DATE.sub(lambda m: say(m[1], m[2], m[3]), message)
    return _SHOWN_DATE.sub(lambda m: say(m[3], m[2], m[1]), message) if typed else message
