"""The question "Post today" asks before the print pack is made and the posting recorded:
whom the letters go to, each letter by number and kind, the day in words, the class of post
(and the recorded-delivery numbers), and who acts (t15d F4: it named only the case reference,
once per letter, and "by first class"). With many letters, from several cases at once, it
stays readable: a few named in each case and the rest counted."""

from __future__ import annotations

from datetime import date

from crm_tui.domain.counting import counted
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.posting import PostClass, tracking_number
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.letters.posting import UnpostedLetter

# So many letters of a case, of cases, of recorded-delivery numbers are named; the rest counted.
NAMED = 3
NUMBERS_NAMED = 6
_HOW = {PostClass.FIRST: "first class post", PostClass.SECOND: "second class post",
        PostClass.RECORDED: "recorded delivery"}


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"


def _letter(u: UnpostedLetter) -> str:
    copy = f", a copy of letter {u.duplicate_of}" if u.duplicate_of else ""
    return f"letter {u.id} ({u.kind.short}{copy})"


def _case(letters: list[UnpostedLetter]) -> str:
    """One case's letters and whom they go to."""
    first = letters[0]
    who = f"{first.customer or 'the customer'} ({first.reference})"
    named = [_letter(u) for u in letters[:NAMED]]
    if len(letters) <= NAMED:
        return f"{_listed(named)} to {who}"
    return (f"{counted(len(letters), 'letter')} to {who}: {', '.join(named)} and "
            f"{len(letters) - NAMED} more")


def _number(typed: str) -> str:
    """A recorded-delivery number as it is recorded ("AB 1234 5678 5 GB" as AB123456785GB);
    as typed if it is none (the service refuses it before the question is asked)."""
    try:
        return tracking_number(typed)
    except ValidationError:
        return typed.strip()


def _how(klass: PostClass, numbers: dict[int, str], going: list[UnpostedLetter]) -> str:
    said = _HOW[klass]
    given = [_number(numbers[u.id]) for u in going if numbers.get(u.id, "").strip()]
    if klass is PostClass.RECORDED and given:
        more = len(given) - NUMBERS_NAMED
        said += f" ({', '.join(given[:NUMBERS_NAMED])}{f' and {more} more' if more > 0 else ''})"
    return said


def posting_question(going: list[UnpostedLetter], day: date, klass: PostClass,
                     numbers: dict[int, str], acting: str) -> str:
    """"Record letter 18 (Appeal outcome) and letter 19 (…) to Mrs … (UPV-2026-0011) as
    posted on 6 December 2026 by recorded delivery (AB123456785GB, EB000717595GB), as Ceri
    Hughes, Complaints Resolution Manager? …" `acting`: who acts, as acting_as says it."""
    cases: dict[str, list[UnpostedLetter]] = {}
    for u in going:
        cases.setdefault(u.reference, []).append(u)
    groups = list(cases.values())
    what = "; ".join(_case(g) for g in groups[:NAMED])
    if len(groups) > 1:
        rest = groups[NAMED:]
        if rest:
            what += (f"; and {counted(sum(len(g) for g in rest), 'letter')} on "
                     f"{counted(len(rest), 'more case')}")
        what = f"{counted(len(going), 'letter')} on {counted(len(groups), 'case')} — {what} —"
    return (f"Record {what} as posted on {in_prose(day, full_month=True)} by "
            f"{_how(klass, numbers, going)}, as {acting}? The print pack is made for the print "
            "room.")
