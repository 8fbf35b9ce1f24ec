"""Posting a signed letter: who posts, the classes of post, and the recorded-delivery number.

Letters go in the council's post by first class, second class or recorded delivery (Royal
Mail's "Signed For"). A recorded-delivery item carries a tracking number in the Universal
Postal Union's S10 form (two letters, eight digits, a check digit, the country: AB123456785GB);
the check digit catches a mistyped number before it is put on the customer's record."""

from __future__ import annotations

import re
from enum import StrEnum

from crm_tui.domain.errors import PermissionDenied, ValidationError
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.typed_dates import quoted


class PostClass(StrEnum):
    FIRST = "first"
    SECOND = "second"
    RECORDED = "recorded"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {PostClass.FIRST: "first class", PostClass.SECOND: "second class",
           PostClass.RECORDED: "recorded delivery"}

# The Complaints Resolution Team sends the letters out: the CRM and its officers.
POSTERS = frozenset({Role.CRM, Role.OFFICER})

_S10 = re.compile(r"[A-Z]{2}([0-9]{8})([0-9])[A-Z]{2}")
_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def require_poster(actor: Actor) -> None:
    if actor.role not in POSTERS:
        raise PermissionDenied(f"{actor.role.label} may not post letters: the Complaints "
                               "Resolution Team (the CRM and its officers) posts them")


def post_class(value: str) -> PostClass:
    try:
        return PostClass(value.strip().lower())
    except ValueError:
        raise ValidationError("class", f"{quoted(value)} is not a class of post: first, second or "
                                       "recorded") from None


def s10_check_digit(serial: str) -> int:
    """The UPU S10 check digit of an eight-digit serial number."""
    remainder = 11 - sum(int(d) * w for d, w in zip(serial, _WEIGHTS, strict=True)) % 11
    return {10: 0, 11: 5}.get(remainder, remainder)


def tracking_number(value: str) -> str:
    """A recorded-delivery number as typed (spaces and case do not matter), checked and
    written the one way: 'AB123456785GB'."""
    number = re.sub(r"\s+", "", value).upper()
    match = _S10.fullmatch(number)
    if match is None:
        raise ValidationError("tracking", f"{quoted(value.strip())} is not a recorded-delivery "
                                          "number: two letters, nine digits and two letters, "
                                          "as AB123456785GB")
    if s10_check_digit(match.group(1)) != int(match.group(2)):
        raise ValidationError("tracking", f"{number} is not a recorded-delivery number: its "
                                          "check digit does not match (mistyped?)")
    return number
