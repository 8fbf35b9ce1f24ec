"""Contact compliance: each contact from a customer under restriction is checked against the
restrictions in force on its date, and every breach is recorded for the review. The same check
answers `crm-tui check-contact` without recording anything."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from peewee import fn

from crm_tui import clock
from crm_tui.db.models import (
    Breach,
    Case,
    ContactLogEntry,
    Matter,
    Restriction,
    ScreeningItem,
    User,
)
from crm_tui.domain.compliance import Breach as DomainBreach
from crm_tui.domain.compliance import ContactFacts, RestrictionInForce, Verdict, check_contact
from crm_tui.domain.contact import Channel
from crm_tui.domain.errors import NotKnown, ValidationError
from crm_tui.domain.in_force import applies_on
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.domain.roles import Actor
from crm_tui.domain.typed_dates import quoted, quoted_cut
from crm_tui.services.core import audit, scope
from crm_tui.services.core.case_steps import load_case
from crm_tui.services.core.in_force import applying_on
from crm_tui.services.core.restriction_status import ENDED, IN_FORCE
from crm_tui.services.restrictions import screening_queue

CHANNEL_ALIASES = {"phone": Channel.TELEPHONE, "call": Channel.TELEPHONE,
                   "web": Channel.WEB_FORM, "visit": Channel.FACE_TO_FACE}


def parse_channel(text: str) -> Channel:
    name = text.strip().lower().replace("-", "_").replace(" ", "_")
    if name in CHANNEL_ALIASES:
        return CHANNEL_ALIASES[name]
    try:
        return Channel(name)
    except ValueError:
        # The screens' names, as they may be typed ("Web form"), not the codes.
        known = "; ".join(c.label for c in Channel)
        raise ValidationError("channel", f"{quoted(text)} is not a channel: {known} (or Phone)") \
            from None


def restrictions_on(customer_id: int, day: date) -> list[RestrictionInForce]:
    """The restrictions that applied to a customer on a day (in force then, even if since
    ended)."""
    rows = (Restriction.select(Restriction).join(Case)
            .where((Case.customer == customer_id) & applying_on(day))
            .order_by(Restriction.id))
    return [RestrictionInForce(r.id, RestrictionKind(r.kind), json.loads(r.parameters))
            for r in rows]


def restrictions_ever(customer_id: int | None) -> bool:
    """Whether the customer has ever been under restriction (else nothing to check)."""
    return bool(Restriction.select().join(Case).where(
        (Case.customer == customer_id) & Restriction.status.in_([IN_FORCE, ENDED])).exists())


def _facts(row: ContactLogEntry, matter: Matter | None = None) -> ContactFacts:
    if matter is None and row.matter_id:
        matter = Matter.get_or_none(Matter.id == row.matter_id)
    return ContactFacts(at=row.at, channel=Channel(row.channel), officer=row.officer_name,
                        matter=matter.title if matter else "",
                        matter_closed_on=matter.closed_on if matter else None)


def recheck(actor: Actor, case: Case, contact_id: int, *, audited: bool = True) -> Verdict:
    """Check one logged contact (again), record its breaches and keep its place in the
    screening queue; call inside the service's transaction. Contacts the council made are
    never breaches. `audited=False` leaves the audit entry to the caller (see
    `recheck_many`)."""
    Breach.delete().where(Breach.contact == contact_id).execute()
    row = ContactLogEntry.get_by_id(contact_id)
    verdict = Verdict([], [])
    if row.direction == "inbound":
        verdict = check_contact(restrictions_on(row.customer_id, row.at.date()), _facts(row))
    queue = _record(case, row, verdict,
                    ScreeningItem.get_or_none(ScreeningItem.contact == contact_id))
    if audited and verdict.breaches:
        audit.record(actor, "record_breach", case.reference, payload={
            "contact": contact_id,
            "breaches": [{"restriction": b.restriction_id, "reason": b.reason}
                         for b in verdict.breaches],
            **({"screening": queue} if queue else {})})
    elif audited and queue == screening_queue.WITHDRAWN:
        audit.record(actor, "withdraw_from_screening", case.reference,
                     "the contact as it now stands kept to the restrictions",
                     {"contact": contact_id})
    return verdict


def _record(case: Case, row: ContactLogEntry, verdict: Verdict,
            item: ScreeningItem | None) -> str | None:
    if verdict.breaches:
        now = clock.now()
        Breach.insert_many([{"contact": row.id, "restriction": b.restriction_id,
                             "case": case.id, "reason": b.reason, "recorded_at": now}
                            for b in verdict.breaches]).execute()
    return screening_queue.sync(case, row, verdict, item)


@dataclass(frozen=True)
class Found:
    """A breach found among many contacts checked at once (an imported log sheet)."""

    contact_id: int
    at: datetime
    channel: Channel
    breach: DomainBreach


@dataclass(frozen=True)
class _Span:
    restriction: RestrictionInForce
    starts_on: date
    ends_on: date | None

    def covers(self, day: date) -> bool:
        return applies_on(self.starts_on, self.ends_on, day)


def _spans(customer_id: int | None) -> list[_Span]:
    """Every restriction the customer has been under, with its dates: read once for many
    contacts rather than once for each."""
    rows = (Restriction.select(Restriction).join(Case)
            .where((Case.customer == customer_id) & Restriction.status.in_([IN_FORCE, ENDED])
                   & Restriction.starts_on.is_null(False))
            .order_by(Restriction.id))
    return [_Span(RestrictionInForce(r.id, RestrictionKind(r.kind), json.loads(r.parameters)),
                  cast(date, r.starts_on), r.ends_on) for r in rows]


CHUNK = 500  # contacts checked per round of queries


def recheck_many(actor: Actor, case: Case, contact_ids: list[int]) -> list[Found]:
    """Check many contacts (an imported log sheet, a matter's contacts) with one audit entry
    listing the breaches found, and those queued for (or withdrawn from) screening; returns
    the breaches. The restrictions and matters are read once, the contacts a chunk at a
    time."""
    found: list[Found] = []
    queued: dict[str, list[int]] = {}
    spans = _spans(case.customer_id)
    matters = {m.id: m for m in Matter.select().join(Case).where(
        Case.customer == case.customer_id)}
    for start in range(0, len(contact_ids), CHUNK):
        chunk = contact_ids[start:start + CHUNK]
        rows = {r.id: r for r in ContactLogEntry.select().where(ContactLogEntry.id.in_(chunk))}
        items = {i.contact_id: i for i in ScreeningItem.select().where(
            ScreeningItem.contact.in_(chunk))}
        Breach.delete().where(Breach.contact.in_(chunk)).execute()
        for contact_id in chunk:
            row = rows[contact_id]
            verdict = Verdict([], [])
            if row.direction == "inbound":
                day = row.at.date()
                verdict = check_contact([s.restriction for s in spans if s.covers(day)],
                                        _facts(row, matters.get(row.matter_id or 0)))
            queue = _record(case, row, verdict, items.get(contact_id))
            if queue:
                queued.setdefault(queue, []).append(contact_id)
            found += [Found(contact_id, row.at, Channel(row.channel), b)
                      for b in verdict.breaches]
    _record_found(actor, case, len(contact_ids), found, queued)
    return found


@dataclass(frozen=True)
class NewContact:
    """A contact just stored by an import, as it was stored: checked without reading it back
    (a large log sheet's contacts are checked while the import holds the write lock)."""

    id: int
    at: datetime
    channel: str
    direction: str
    officer_name: str


def check_new(actor: Actor, case: Case, contacts: list[NewContact]) -> list[Found]:
    """`recheck_many` for contacts just stored, which have no breaches or screening item yet
    to replace and no matter: each is checked as given, and only one that breaches is
    written about (found when tried: a 90,000-line sheet's import read every contact back
    and held the write lock seconds longer for it)."""
    found: list[Found] = []
    queued: dict[str, list[int]] = {}
    spans = _spans(case.customer_id)
    for contact in contacts:
        if contact.direction != "inbound":
            continue
        day = contact.at.date()
        verdict = check_contact([s.restriction for s in spans if s.covers(day)],
                                ContactFacts(at=contact.at, channel=Channel(contact.channel),
                                             officer=contact.officer_name, matter="",
                                             matter_closed_on=None))
        if not verdict.breaches:
            continue  # nothing to record, nothing to queue: no item to withdraw either
        row = ContactLogEntry(id=contact.id, at=contact.at, channel=contact.channel,
                              direction=contact.direction, officer_name=contact.officer_name)
        queue = _record(case, row, verdict, None)
        if queue:
            queued.setdefault(queue, []).append(contact.id)
        found += [Found(contact.id, contact.at, Channel(contact.channel), b)
                  for b in verdict.breaches]
    _record_found(actor, case, len(contacts), found, queued)
    return found


def _record_found(actor: Actor, case: Case, checked: int, found: list[Found],
                  queued: dict[str, list[int]]) -> None:
    if found or queued:
        audit.record(actor, "record_breaches", case.reference, payload={
            "checked": checked,
            "breaches": [{"contact": f.contact_id, "restriction": f.breach.restriction_id,
                          "reason": f.breach.reason} for f in found],
            **{f"screening_{key}": ids for key, ids in queued.items()}})


def verdict_for(actor: Actor, reference: str, contact_id: int) -> Verdict:
    """What was found when a contact was logged, for telling the user at once."""
    case = load_case(actor, reference)
    row = scope.case_contact(actor, case, contact_id)
    if row.direction != "inbound":
        return Verdict([], [])
    return check_contact(restrictions_on(row.customer_id, row.at.date()), _facts(row))


@dataclass(frozen=True)
class ContactQuestion:
    customer_reference: str
    channel: Channel
    at: datetime
    officer_login: str = ""
    matter: str = ""


def would_comply(actor: Actor, question: ContactQuestion) -> Verdict:
    """Would this contact from the customer keep to their restrictions? Records nothing.
    Asked only about a customer with a case the actor may see (a service area manager: a
    case in their area); a restriction binds the customer whichever case imposed it, so the
    answer weighs every restriction on them."""
    # By their reference or one of their cases', as `sar` takes them (found when tried).
    customer = scope.find_customer(actor, question.customer_reference)
    if not Case.select().where((Case.customer == customer.id) & scope.visible(actor)).exists():
        raise NotKnown("customer",
                       f"no customer or case {quoted_cut(question.customer_reference.strip())}")
    officer = _officer(question.officer_login)
    closed_on = None
    if question.matter:
        matter = (Matter.select().join(Case).where(
            (Case.customer == customer.id) & (Matter.title == question.matter.strip())).first())
        if matter is None:
            raise ValidationError("matter", f'no matter "{question.matter}" for this customer')
        closed_on = matter.closed_on
    facts = ContactFacts(at=question.at, channel=question.channel, officer=officer,
                         matter=question.matter.strip(), matter_closed_on=closed_on)
    in_force = restrictions_on(customer.id, question.at.date())
    named = [r for r in in_force if r.kind is RestrictionKind.NAMED_OFFICER]
    if named and not officer:
        # Who would take it decides the answer: without them it is not a breach, it is a
        # question not yet answerable (it was answered "BREACH … an officer not recorded").
        p = named[0].parameters
        raise ValidationError("officer", "give who would take it: contact is only with "
                              f"{p['officer']} (deputy {p['deputy']})")
    return check_contact(in_force, facts)


def _officer(typed: str) -> str:
    """The officer who would take the contact, by login or by name as the log sheet gives
    them; "" when not given."""
    text = " ".join(typed.split())
    if not text:
        return ""
    user = User.get_or_none(User.login == text.casefold())
    if user is None:
        found = list(User.select().where(fn.LOWER(User.name) == text.casefold()))
        if len(found) != 1:
            raise NotKnown("officer", f"no user with the login or name {quoted_cut(text)}")
        user = found[0]
    return str(user.name)


def breaches_since(case: Case, since: date) -> int:
    return Breach.select().join(ContactLogEntry).where(
        (Breach.case == case) & (ContactLogEntry.at >= datetime.combine(since, datetime.min.time()))
    ).count()
