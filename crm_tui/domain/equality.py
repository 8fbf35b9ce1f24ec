"""The equality check a decision cannot skip. A customer's recorded contact needs (their
reasonable adjustments, in a form the rules can read) are set beside each restriction; where a
restriction closes a way of contact the customer needs, that clash must be resolved (change the
restriction) or justified in writing before the CRM can decide."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from crm_tui.domain.contact import Channel, listed
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.domain.typed_dates import quoted


class ContactNeed(StrEnum):
    TELEPHONE = "telephone"
    EMAIL = "email"
    FACE_TO_FACE = "face_to_face"
    REPRESENTATIVE = "representative"
    LARGE_PRINT = "large_print"
    PLAIN_ENGLISH = "plain_english"
    INTERPRETER = "interpreter"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def channel(self) -> Channel | None:
        """The way of contact this need depends on, if any."""
        return _CHANNELS.get(self)


_LABELS = {
    ContactNeed.TELEPHONE: "Needs to be able to telephone",
    ContactNeed.EMAIL: "Needs email (e.g. accessible documents)",
    ContactNeed.FACE_TO_FACE: "Needs face-to-face contact or home visits",
    ContactNeed.REPRESENTATIVE: "Contacts through a representative or advocate",
    ContactNeed.LARGE_PRINT: "Letters in large print",
    ContactNeed.PLAIN_ENGLISH: "Short letters in plain English",
    ContactNeed.INTERPRETER: "Needs an interpreter",
}
_CHANNELS = {ContactNeed.TELEPHONE: Channel.TELEPHONE, ContactNeed.EMAIL: Channel.EMAIL,
             ContactNeed.FACE_TO_FACE: Channel.FACE_TO_FACE}


def parse_needs(text: str) -> tuple[ContactNeed, ...]:
    """Needs as stored: names separated by commas."""
    needs = []
    for name in (n.strip() for n in text.split(",")):
        if not name:
            continue
        try:
            needs.append(ContactNeed(name))
        except ValueError:
            known = ", ".join(n.value for n in ContactNeed)
            raise ValidationError("contact_needs", f"unknown need {quoted(name)}; known: {known}") \
                from None
    return tuple(n for n in ContactNeed if n in needs)


LARGE_PRINT_DEFAULT = 16  # points: large print where the customer's size is not recorded


def print_size(recorded_pt: int | None, contact_needs: str) -> int | None:
    """The body size in points a customer's documents are printed in: their recorded size,
    else the usual large print where they need large print; None for the standard size.
    Letters and the subject access PDF both follow it, so one person is never sent two
    sizes."""
    if recorded_pt:
        return int(recorded_pt)
    return LARGE_PRINT_DEFAULT if ContactNeed.LARGE_PRINT in parse_needs(contact_needs) else None


def need_labels(contact_needs: str) -> str:
    """Needs as stored, in the screens' words ("Letters in large print"), never the codes."""
    return ", ".join(n.label for n in parse_needs(contact_needs))


def store_needs(needs: Iterable[ContactNeed]) -> str:
    chosen = set(needs)
    return ",".join(n.value for n in ContactNeed if n in chosen)


@dataclass(frozen=True)
class Clash:
    need: ContactNeed
    explanation: str


def clashes(kind: RestrictionKind, params: dict[str, Any],
            needs: Iterable[ContactNeed]) -> list[Clash]:
    """Where a restriction closes or narrows a way of contact the customer needs."""
    found = []
    for need in needs:
        channel = need.channel
        if channel is None:
            continue
        if kind is RestrictionKind.FORM_OF_CONTACT and channel.value not in params["channels"]:
            found.append(Clash(need, f"{need.label.lower()}, but this restriction accepts "
                                     f"contact only by {listed(params['channels'])}"))
        elif kind is RestrictionKind.BLOCK_ELECTRONIC and channel.electronic:
            found.append(Clash(need, f"{need.label.lower()}, but this restriction blocks "
                                     "telephone and electronic contact"))
        elif kind is RestrictionKind.TELEPHONE_TIMES and need is ContactNeed.TELEPHONE:
            found.append(Clash(need, f"{need.label.lower()}, but this restriction limits "
                                     "calls to set days and times"))
    return found
