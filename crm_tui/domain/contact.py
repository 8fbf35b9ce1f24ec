"""How a customer contacts the council: channels and directions of a log-sheet entry."""

from __future__ import annotations

from enum import StrEnum


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
