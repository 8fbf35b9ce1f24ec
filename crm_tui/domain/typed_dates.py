"""Dates as people type them, read the same way by every form and every command-line option:
dd/mm/yyyy first (what the screens show), and the ISO form scripts use."""

from __future__ import annotations

import re
from datetime import date, datetime

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y", "%d %b %Y", "%d %B %Y")
HOW_TO_TYPE = "dd/mm/yyyy"
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


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
    if latest is not None and day > latest:
        if latest_is == "today":
            return f"{shown(day)} is in the future: give a day up to today"
        return f"{shown(day)} is after {latest_is} ({shown(latest)})"
    if earliest is not None and day < earliest:
        return f"{shown(day)} is before {earliest_is or shown(earliest)} ({shown(earliest)})"
    return None


def with_typed_dates(message: str) -> str:
    """A message with its ISO dates (as services write them) as users type them."""
    return _ISO_DATE.sub(lambda m: f"{m[3]}/{m[2]}/{m[1]}", message)
