"""Dates as people type them, read the same way by every form and every command-line option:
dd/mm/yyyy first (what the screens show), and the ISO form scripts use."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from crm_tui.domain.counting import counted

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y", "%d %b %Y", "%d %B %Y")
HOW_TO_TYPE = "dd/mm/yyyy"
# A day and a time, said once by its example (the pattern and an example said the same twice).
TIME_EXAMPLE = "28/11/2026 09:30"
# No date this policy records (a contact, a letter, a referral, a decision) is older than
# this: a date before it is a slip of the year (0001, 1026) and is refused, as a day typed
# with digits other than 0-9 is (Arabic-Indic digits read as a date by strptime).
EARLIEST = date(1990, 1, 1)
_CHECK_THE_YEAR = "check the year"
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_SHOWN_DATE = re.compile(r"\b(\d{2})/(\d{2})/(\d{4})\b")
_TIME_AFTER = re.compile(r"[ T]\d{2}:\d{2}(:\d{2})?\b")


def digits_problem(text: str) -> str | None:
    """What is wrong with the digits of a typed date or time: only 0-9 are read."""
    if any(ch.isdigit() and not "0" <= ch <= "9" for ch in text):
        return (f"{quoted_cut(text.strip())} has digits other than 0-9: type it with the digits "
                f"0 to 9, like {TIME_EXAMPLE if ':' in text else '28/11/2026'}")
    return None


def too_early(day: date, typed: str = "") -> str | None:
    """A day before EARLIEST, said as typed: no record under this policy is that old."""
    if day < EARLIEST:
        return (f"{quoted_cut((typed or shown(day)).strip())} is before {shown(EARLIEST)}, the "
                f"earliest date recorded here: {_CHECK_THE_YEAR}")
    return None


def quoted(value: str) -> str:
    """A value typed, as a message quotes it: in double quotes, so that the capital a message
    starts with never changes what was typed ("V/tmp/x is not a date", found when tried, for
    v/tmp/x), and no later rewording of dates touches it (with_typed_dates). The one way every
    message quotes what was typed (round 11: a log sheet's 'Fax' beside "five"; found when
    tried: "31/02/2026 is not a date" beside '"abc" is not a whole number')."""
    return f'"{value}"'


# Of a refused date, quoted in its message, so many characters as typed; the rest cut with
# "…" and counted (b15a F4: 5,500 characters pasted in a date field were quoted whole, a
# message of 60 lines pushing the form out of sight).
DATE_SHOWN = 40


def quoted_cut(value: str, most: int = DATE_SHOWN) -> str:
    """A value quoted as quoted() does, cut after `most` characters with "…" and the count
    of all of them: a long value is named, not repeated."""
    if len(value) <= most:
        return quoted(value)
    # The count outside the quotes: it is not part of what was typed.
    return f"{quoted(value[:most] + '…')} ({counted(len(value), 'character', grouped=True)})"


def parse_date(text: str) -> date:
    """A date typed as 28/11/2026, 28/11/26, 28 Nov 2026 or 2026-11-28, with the digits 0-9,
    not before EARLIEST. A ValueError says, in the user's words, what was wrong ("31/02/2026
    is not a date: type it as dd/mm/yyyy")."""
    value = text.strip()
    wrong = digits_problem(value)
    if wrong:
        raise ValueError(wrong)
    early = None
    for fmt in DATE_FORMATS:
        try:
            day = datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        # 28/11/26 reads as the year 26 first, then as 2026: the first plausible reading.
        early = early or too_early(day, value)
        if not too_early(day):
            return day
    if early:
        raise ValueError(early)
    raise ValueError(f"{quoted_cut(value)} is not a date: type it as {HOW_TO_TYPE}"
                     if value else f"Type a date as {HOW_TO_TYPE}, like 28/11/2026")


def parse_time(text: str) -> datetime:
    """A day and a time typed as 28/11/2026 09:30 (the day as parse_date reads it, then
    hh:mm). A ValueError says what was wrong, quoting the text as typed."""
    value = text.strip()
    day, _, time_of_day = value.rpartition(" ")
    wrong = digits_problem(value)
    if wrong:
        raise ValueError(wrong)
    try:
        on = parse_date(day)
    except ValueError as exc:
        if str(exc).endswith(_CHECK_THE_YEAR):  # a day too early: said with its time
            raise ValueError(f"{quoted(value)} is {str(exc).partition(' is ')[2]}") from None
        on = None
    try:
        if on is None:
            raise ValueError(value)
        return datetime.combine(on, datetime.strptime(time_of_day, "%H:%M").time())
    except ValueError:
        raise ValueError(f"{quoted_cut(value)} is not a date and time: type it like "
                         f"{TIME_EXAMPLE}"
                         if value else f"Type the day and time, like {TIME_EXAMPLE}") from None


def time_problem(text: str, *, latest: datetime | None = None) -> str | None:
    """What is wrong with a typed day and time, or None: not one, or after `latest` (now)."""
    try:
        when = parse_time(text)
    except ValueError as exc:
        return str(exc)
    if latest is not None and when > latest:
        return f"{quoted(text.strip())} is in the future: give a time up to now"
    return None


def shown(day: date) -> str:
    """A date as the forms show it and as it is typed back (the year in four digits, as
    strftime does not write the year 1)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def in_prose(day: date, *, full_month: bool = False) -> str:
    """A date a message names that nobody typed (the decision's, a limit's): "5 Dec 2026",
    never the dd/mm/yyyy of the fields, which a message keeps for what was typed. The one
    form of a day in a sentence (round 12: "closed 07 Sep 2025" beside "5 Dec 2026"): no
    leading zero; "5 December 2026" with full_month. Only table columns keep a two-digit
    day, for alignment."""
    return f"{day.day} {day:%B %Y}" if full_month else f"{day.day} {day:%b %Y}"


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
    typed = quoted(text.strip())  # as typed: "3/12/2026", not "03/12/2026"
    if latest is not None and day > latest:
        if latest_is == "today":
            return f"{typed} is in the future: give a day up to today"
        return f"{typed} is after {latest_is} ({in_prose(latest)})"
    if earliest is not None and day < earliest:
        if earliest_is:
            return f"{typed} is before {earliest_is} ({in_prose(earliest)})"
        return f"{typed} is before {in_prose(earliest)}"
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
    typed that very day when `typed` has it ("3/12/2026"), else as dd/mm/yyyy. What a
    message quotes ("2026-13-01") is what was typed, and stays as it is: so does a day no
    calendar has, which no service writes (found when tried: a refused 2026-13-01 was said
    as "01/13/2026", a day in US order nobody typed)."""
    typed = typed or {}

    def say(found: re.Match[str], year: str, month: str, day: str) -> str:
        try:
            return typed.get(date(int(year), int(month), int(day)), f"{day}/{month}/{year}")
        except ValueError:
            return found[0]

    def outside_quotes(text: str) -> str:
        text = _ISO_DATE.sub(lambda m: say(m, m[1], m[2], m[3]), text)
        return _SHOWN_DATE.sub(lambda m: say(m, m[3], m[2], m[1]), text) if typed else text

    # The day a service's refusal starts with is the value refused: quoted, as the forms'
    # own checks quote it ("3/12/2026" is in the future), whichever refused it first.
    first = _ISO_DATE.match(message) or (_SHOWN_DATE.match(message) if typed else None)
    if first is not None:
        end = first.end()
        at = _TIME_AFTER.match(message, end)  # a day and its time are one value
        end = at.end() if at else end
        message = quoted(outside_quotes(message[:end])) + message[end:]
    # The odd pieces between double quotes are values quoted as typed: left alone.
    pieces = message.split('"')
    return '"'.join(piece if i % 2 else outside_quotes(piece) for i, piece in enumerate(pieces))
