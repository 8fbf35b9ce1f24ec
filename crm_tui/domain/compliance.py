"""Whether a contact from a customer under restriction kept to the restrictions. Each
restriction in force is checked; every breach names the restriction and says why, so that the
review can weigh them. Only the customer's own contacts are checked: what the council sends
is not a breach."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from crm_tui.domain.contact import Channel, listed
from crm_tui.domain.restrictions import WEEKDAYS, RestrictionKind
from crm_tui.domain.screening import SCREENED_KINDS, what_to_do
from crm_tui.domain.typed_dates import in_prose


@dataclass(frozen=True)
class RestrictionInForce:
    id: int
    kind: RestrictionKind
    parameters: dict[str, Any]


@dataclass(frozen=True)
class ContactFacts:
    at: datetime
    channel: Channel
    officer: str  # the officer's name who took it
    matter: str = ""  # the matter it is about, if recorded
    matter_closed_on: date | None = None


@dataclass(frozen=True)
class Breach:
    restriction_id: int
    kind: RestrictionKind
    reason: str
    instruction: str = ""  # what the officer must (not) do, in plain words

    @property
    def screened(self) -> bool:
        """Filed without reply, so queued to be read for anything new or an emergency."""
        return self.kind in SCREENED_KINDS

    def what_to_do(self, *, logged: bool = True) -> str:
        return what_to_do(self.instruction, self.screened, logged=logged)


@dataclass(frozen=True)
class Verdict:
    breaches: list[Breach]
    notes: list[str]  # what a person must judge (e.g. whether a query is significant)

    @property
    def complied(self) -> bool:
        return not self.breaches


def _in_window(moment: time, window: str) -> bool:
    start, end = window.split("-")
    return start <= f"{moment:%H:%M}" < end


def _check(r: RestrictionInForce, c: ContactFacts) -> str | None:
    p = r.parameters
    if r.kind is RestrictionKind.FORM_OF_CONTACT and c.channel.value not in p["channels"]:
        return (f"came by {c.channel.label.lower()}; contact is accepted only by "
                f"{listed(p['channels'])}")
    if r.kind is RestrictionKind.NAMED_OFFICER:
        names = {p["officer"].casefold(), p["deputy"].casefold()}
        if c.officer.strip().casefold() not in names:
            who = c.officer.strip() or "an officer not recorded"
            return (f"made to {who}; contact is only with {p['officer']} "
                    f"(deputy {p['deputy']})")
    if r.kind is RestrictionKind.TELEPHONE_TIMES and c.channel is Channel.TELEPHONE:
        day = WEEKDAYS[c.at.weekday()]
        if day not in p["days"]:
            return (f"a call on a {c.at:%A}; calls only on "
                    f"{', '.join(d.capitalize() for d in p['days'])}")
        if not any(_in_window(c.at.time(), w) for w in p["windows"]):
            return f"a call at {c.at:%H:%M}; calls only {', '.join(p['windows'])}"
    if r.kind is RestrictionKind.NEW_ISSUES_ONLY and c.matter.strip().casefold() in {
            issue.casefold() for issue in p["closed_issues"]}:
        when = f" on {in_prose(c.matter_closed_on)}" if c.matter_closed_on else ""
        return f'about "{c.matter}", already dealt with{when}'
    if r.kind is RestrictionKind.BLOCK_ELECTRONIC and c.channel.electronic:
        return f"came by {c.channel.label.lower()}; telephone and electronic contact is blocked"
    return None


def _by(channel: Channel) -> str:
    """'by email', 'face to face': how a reply would go the way the contact came."""
    return {Channel.FACE_TO_FACE: "face to face", Channel.OTHER: "that way",
            Channel.COUNCILLOR_ENQUIRY: "through the councillor"}.get(
        channel, f"by {channel.label.lower()}")


def _instruction(r: RestrictionInForce, c: ContactFacts) -> str:
    p = r.parameters
    if r.kind is RestrictionKind.FORM_OF_CONTACT:
        return (f"Do not reply {_by(c.channel)}: contact is accepted only by "
                f"{listed(p['channels'])}")
    if r.kind is RestrictionKind.NAMED_OFFICER:
        return (f"Pass it to {p['officer']} (or {p['deputy']} in their absence) and do not "
                "deal with it yourself")
    if r.kind is RestrictionKind.TELEPHONE_TIMES:
        days = ", ".join(d.capitalize() for d in p["days"])
        return (f"Do not deal with the call outside the agreed times: calls are taken only on "
                f"{days}, {', '.join(p['windows'])}")
    if r.kind is RestrictionKind.NEW_ISSUES_ONLY:
        return f'Do not reply about the closed matter "{c.matter.strip()}"'
    return f"Do not reply {_by(c.channel)}: telephone and electronic contact is blocked"


def check_contact(restrictions: list[RestrictionInForce], contact: ContactFacts) -> Verdict:
    """The verdict on one contact from the customer against the restrictions in force."""
    breaches, notes = [], []
    for r in restrictions:
        reason = _check(r, contact)
        if reason is not None:
            breaches.append(Breach(r.id, r.kind, reason, _instruction(r, contact)))
        if r.kind is RestrictionKind.SIGNIFICANT_QUERIES_ONLY:
            notes.append("Only significant and serious queries are addressed "
                         f"({r.parameters['definition']}): judge whether this one is.")
    return Verdict(breaches, notes)
