"""The customer's first contact with the council, as this policy counts it (issue 16: "dates
are plausible: not before the customer's first contact with the council, not in the
future").

The first contact is the earliest day the team's records show the customer dealing with the
council: their earliest logged contact (on any file), or the day a service area's local
resolution with them began (it answers contact that came before it), whichever is earlier.
Those records are what defines it, so they are bounded only by EARLIEST (typed_dates) and
today: a contact may predate the customer's record and the referral.

What follows contact with the council cannot come before it: a warning given, a referral
received, an appeal received, the customer's comments received. With no contact logged and no
local resolution, there is no first contact to hold them to."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from crm_tui.domain.typed_dates import in_prose

# How a message names it, once.
FIRST_CONTACT = "the customer's first contact with the council"


def first_contact(days: Iterable[date | None]) -> date | None:
    """The earliest of the days given (their logged contacts, their local resolutions'
    starts); None if there is none."""
    known = [day for day in days if day is not None]
    return min(known) if known else None


def before_first_contact(day: date, first: date | None, what: str) -> str | None:
    """Why `day` cannot be the date of `what` ("a warning", "a referral"), or None. The day is
    written as ISO (the services' form), which forms and commands say back as it was typed."""
    if first is None or day >= first:
        return None
    return (f"{day.isoformat()} is before {FIRST_CONTACT}, on {in_prose(first)} (their "
            f"earliest logged contact or the start of local resolution): {what} cannot come "
            "before it")
