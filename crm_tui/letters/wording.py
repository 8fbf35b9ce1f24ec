"""The words a letter is made of: dates, durations, counts and times in plain English, the
salutation, and each restriction told to the customer in the second person with the facts
they need to keep to it (who, when, which number). Pure: the service gathers the facts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from crm_tui.domain.contact import Channel
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.domain.wording import TITLES, said, wording_problems

NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
           "eleven", "twelve")
DAYS = {"mon": "Mondays", "tue": "Tuesdays", "wed": "Wednesdays", "thu": "Thursdays",
        "fri": "Fridays", "sat": "Saturdays", "sun": "Sundays"}
# The channels a letter may offer the customer; the rest are closed by default in letters.
OFFERED = (Channel.LETTER.value, Channel.EMAIL.value, Channel.TELEPHONE.value)


def day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def number(n: int) -> str:
    return NUMBERS[n] if 0 <= n < len(NUMBERS) else str(n)


def times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{number(n)} times")


def listed(items: list[str], joiner: str = "and") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {joiner} {items[-1]}"


def days_listed(values: Iterable[date]) -> str:
    """Days in order, each month and year said once: "3 and 7 November 2026", "28 October,
    3 and 7 November 2026"."""
    ds = sorted(set(values))
    items = []
    for d, after in zip(ds, [*ds[1:], None], strict=True):
        if after is None or after.year != d.year:
            items.append(day(d))
        elif after.month != d.month:
            items.append(f"{d.day} {d:%B}")
        else:
            items.append(str(d.day))
    return listed(items)


def duration(start: date, end: date) -> str:
    """'one year', '18 months', 'two years'; '' where it is not a whole number of months (the
    letter then gives only the dates)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months < 1 or end.day != start.day:
        return ""
    if months % 12 == 0:
        years = months // 12
        return f"{number(years)} year{'s' if years != 1 else ''}"
    return f"{number(months)} month{'s' if months != 1 else ''}"


def salutation_name(name: str, form_of_address: str = "") -> str:
    """'Mr Penhaligon' for 'Mr Thaddeus Penhaligon'; the customer's own form of address where
    they gave one; the full name where it carries no title we recognise."""
    if form_of_address.strip():
        return form_of_address.strip()
    words = name.split()
    if len(words) >= 2 and words[0].rstrip(".") in TITLES:
        return f"{words[0].rstrip('.')} {words[-1]}"
    return name.strip()


def sentence(text: str) -> str:
    """Staff-written words made into a sentence: trimmed, capitalised, with a full stop."""
    text = " ".join(text.split())
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".?!" else f"{text}."


def clause(text: str) -> str:
    """Staff-written words to sit inside a sentence: no final full stop, and a lower-case
    first letter unless the first word is an acronym or a name-like capital pair."""
    text = " ".join(text.split()).rstrip(".")
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        text = text[0].lower() + text[1:]
    return text


def clock_time(hhmm: str) -> str:
    """'10:00' -> '10am', '12:00' -> '12 noon', '14:30' -> '2.30pm'."""
    hours, minutes = (int(x) for x in hhmm.split(":"))
    if (hours, minutes) == (12, 0):
        return "12 noon"
    suffix = "am" if hours < 12 else "pm"
    shown = hours % 12 or 12
    return f"{shown}{f'.{minutes:02d}' if minutes else ''}{suffix}"


def window(text: str) -> str:
    start, end = text.split("-")
    return f"between {clock_time(start)} and {clock_time(end)}"


@dataclass(frozen=True)
class Person:
    """Someone the customer is told to contact, with their direct details (may be empty)."""

    name: str
    title: str = ""
    telephone: str = ""
    email: str = ""

    @property
    def named(self) -> str:
        """The name with the job title, to sit between commas in a sentence."""
        return f"{self.name}, {self.title}" if self.title else self.name


@dataclass(frozen=True)
class Ways:
    """What the restrictions leave open: the channels, and where each one goes."""

    channels: frozenset[str] = frozenset(OFFERED)
    email_address: str = ""  # the one email address accepted, where a restriction names it
    telephone: str = ""  # the number to ring
    telephone_times: str = ""  # "on Tuesdays and Thursdays between 10am and 12 noon"
    officer: Person | None = None  # all contact goes through them

    def open(self, channel: str) -> bool:
        return channel in self.channels


@dataclass(frozen=True)
class Rule:
    """One restriction, with the facts the customer needs to keep to it."""

    kind: RestrictionKind
    parameters: Mapping[str, Any]
    officer: Person | None = None  # named officer
    deputy: Person | None = None
    telephone: str = ""  # the number to ring in a telephone window


def _channel_words(channel: str, email_address: str) -> str:
    return {Channel.LETTER.value: "by letter",
            Channel.EMAIL.value: f"by email to {email_address}" if email_address
            else "by email",
            Channel.TELEPHONE.value: "by telephone",
            Channel.WEB_FORM.value: "through the online form on our website",
            Channel.FACE_TO_FACE.value: "in person at our offices",
            Channel.SOCIAL_MEDIA.value: "through social media",
            Channel.COUNCILLOR_ENQUIRY.value: "through your local councillor",
            }.get(channel, "in the way we have agreed with you")


def direct(person: Person, ways: Ways) -> str:
    """How to reach a named person directly, by the channels left open; '' if none is
    recorded for an open channel."""
    parts = []
    if person.telephone and ways.open(Channel.TELEPHONE.value):
        parts.append(f"telephone {person.name} on {person.telephone}"
                     + (f" {ways.telephone_times}" if ways.telephone_times else ""))
    if person.email and ways.open(Channel.EMAIL.value) and not ways.email_address:
        parts.append(f"email {person.email}")
    return f"You can {listed(parts, 'or')}." if parts else ""


def describe(rule: Rule, ways: Ways) -> list[str]:
    """The restriction as the customer is told it: full sentences, second person."""
    p = rule.parameters
    if rule.kind is RestrictionKind.FORM_OF_CONTACT:
        channels = [_channel_words(c, str(p.get("email_address", "")))
                    for c in p.get("channels", [])]
        return [f"You can contact us only {listed(channels, 'or')}. We will still read "
                "anything you send in another way, but we will not reply to it."]
    if rule.kind is RestrictionKind.NAMED_OFFICER:
        officer = rule.officer or Person(str(p.get("officer", "")))
        lines = [f"You can contact the council only through {officer.named}, who will deal "
                 "with everything you raise with us."]
        if rule.deputy is not None or p.get("deputy"):
            deputy = rule.deputy or Person(str(p.get("deputy", "")))
            lines.append(f"If {officer.name} is away, {deputy.named}"
                         f"{',' if deputy.title else ''} will deal with your contact instead.")
        reach = direct(officer, ways)
        if reach:
            lines.append(reach)
        return lines
    if rule.kind is RestrictionKind.TELEPHONE_TIMES:
        days = listed([DAYS[d] for d in p.get("days", [])])
        hours = listed([window(w) for w in p.get("windows", [])], "or")
        ring = f" The number to ring is {rule.telephone}." if rule.telephone else ""
        return [f"You can telephone us only on {days}, {hours}.{ring} We will not take calls "
                "from you at other times."]
    if rule.kind is RestrictionKind.SIGNIFICANT_QUERIES_ONLY:
        return [f"We will answer only significant and serious queries. By this we mean "
                f"{clause(str(p.get('definition', '')))}. We will read everything you send, "
                "but we will not reply to other queries."]
    if rule.kind is RestrictionKind.NEW_ISSUES_ONLY:
        issues = [f"“{' '.join(str(i).split()).rstrip('.')}”" for i in p.get("closed_issues", [])]
        which = "this matter" if len(issues) == 1 else "these matters"
        return [f"We have already dealt fully with {which}: {listed(issues)}. We will not "
                "reply to you again about "
                f"{'it' if len(issues) == 1 else 'them'}. We will deal with any new matter "
                "in the usual way."]
    return ["We will not accept telephone calls, emails, online forms or social media messages "
            "from you. You can contact us only by letter. We will still read your letters."]


def how_to_reach(ways: Ways, address: tuple[str, ...], council_email: str) -> list[str]:
    """'How you can still contact us': only the channels the restrictions leave open."""
    lines = []
    to = f"to {ways.officer.name}" if ways.officer is not None else "to us"
    if ways.open(Channel.LETTER.value):
        lines.append(f"You can write {to} at {', '.join(address)}.")
    if ways.open(Channel.EMAIL.value):
        where = ways.email_address or (ways.officer.email if ways.officer is not None
                                       and ways.officer.email else council_email)
        lines.append(f"You can email {where}.")
    if ways.open(Channel.TELEPHONE.value) and ways.telephone:
        who = ways.officer.name if ways.officer is not None else "us"
        when = f" {ways.telephone_times}" if ways.telephone_times else ""
        lines.append(f"You can telephone {who} on {ways.telephone}{when}.")
    lines.append("If someone's life or safety is at risk, call 999.")
    return lines


def reply_ways(ways: Ways, address: tuple[str, ...], council_email: str) -> str:
    """Where a reply (comments, an appeal) can be sent, by the open written channels; through
    the named officer where all contact goes through them (found when tried: a letter said
    "only through Tomasz Nowak" and then gave the council's general email for the appeal)."""
    parts = []
    officer = ways.officer
    if ways.open(Channel.LETTER.value) or not ways.open(Channel.EMAIL.value):
        parts.append(f"write to {officer.name} at {', '.join(address)}" if officer else
                     f"write to us at {', '.join(address)}")
    if ways.open(Channel.EMAIL.value):
        if officer is not None:
            if officer.email:
                parts.append(f"email {officer.name} at {officer.email}")
        else:
            parts.append(f"email {ways.email_address or council_email}")
    return listed(parts, "or")


def help_offer(language: str, interpreter: bool, ways: Ways, address: tuple[str, ...]) -> str:
    """The offer of a translation or an interpreter, by a channel that is open."""
    if not language and not interpreter:
        return ""
    want = (f"If you would like this letter in {language}, or would like an interpreter"
            if language else "If you would like an interpreter")
    if ways.open(Channel.TELEPHONE.value) and ways.telephone:
        when = f" {ways.telephone_times}" if ways.telephone_times else ""
        return f"{want}, call us on {ways.telephone}{when}."
    if ways.open(Channel.LETTER.value):
        return f"{want}, write to us at {', '.join(address)}."
    return f"{want}, tell us and we will arrange it."


def matter_title_problem(title: str) -> str | None:
    """Why a matter's title could not be printed in a letter, or None. A closed matter is
    named to the customer by its title (restriction 5), so the title is read, in the sentence
    the letter prints it in, with the rules the letter checker reads that sentence with: a
    title the decision's letter would refuse is refused when it is given (found when tried:
    a title with "[" was accepted, and found only inside the decision form)."""
    rule = Rule(RestrictionKind.NEW_ISSUES_ONLY, {"closed_issues": [title]})
    found = [said(wording_problems(p)) for p in describe(rule, Ways())]
    problems = sorted({one for each in found for one in each})
    if not problems:
        return None
    return ("cannot be printed in a letter to the customer, who is told which matters were "
            "dealt with by their titles: " + "; ".join(problems))
