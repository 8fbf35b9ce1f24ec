"""How a customer contacts the council: channels and directions of a log-sheet entry."""

from __future__ import annotations

from enum import StrEnum

from crm_tui.domain.numbers import read_whole
from crm_tui.domain.typed_dates import quoted_cut


class Channel(StrEnum):
    TELEPHONE = "telephone"
    EMAIL = "email"
    LETTER = "letter"
    WEB_FORM = "web_form"
    FACE_TO_FACE = "face_to_face"
    SOCIAL_MEDIA = "social_media"
    COUNCILLOR_ENQUIRY = "councillor_enquiry"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def electronic(self) -> bool:
        # The policy's extreme option blocks "telephone calls and electronic contact".
        return self in {Channel.TELEPHONE, Channel.EMAIL, Channel.WEB_FORM, Channel.SOCIAL_MEDIA}


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"

    @property
    def label(self) -> str:
        return "From customer" if self is Direction.INBOUND else "To customer"


def listed(channels: list[str]) -> str:
    """'letter', 'email and letter', 'telephone, email and letter'."""
    names = [Channel(c).label.lower() for c in channels]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


MAX_MINUTES = 24 * 60  # a contact's length: at most a day


def read_minutes(text: str) -> int:
    """How long a contact took, typed as a whole number of minutes with the digits 0 to 9
    (issue 16: "٣", an Arabic-Indic three, was read as 3 by int()); blank is 0 for a log
    sheet's column (the form asks for a number). ValueError says what is wrong, in words
    that follow the value."""
    value = text.strip()
    if not value:
        return 0
    return read_whole(value, unit="minutes", example="10", most=MAX_MINUTES,
                      beyond="minutes is more than a day")


def officer_name_problem(name: str) -> str | None:
    """A name with no letter in it ("7", "-") names no one who could answer for the contact:
    the form, the log sheet and the command line refuse it alike (None: a name)."""
    if any(c.isalpha() for c in name):
        return None
    return (f"{quoted_cut(name.strip())} is not a name: give the name of the officer who "
            "dealt with it")
