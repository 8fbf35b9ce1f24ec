"""A customer's log sheet as a list: filtered (by a period and by whatever figure of the
analysis was opened) and paged from the database, newest first, with keyset paging so that a
customer with tens of thousands of contacts opens as fast as one with ten."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from peewee import JOIN, fn

from crm_tui.db import dialect
from crm_tui.db.models import (
    Breach,
    ContactLogEntry,
    EvidenceLink,
    Matter,
    Restriction,
    ServiceArea,
)
from crm_tui.domain.categories import BehaviourCategory, from_mask
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.restrictions import named
from crm_tui.domain.roles import Actor
from crm_tui.domain.scope import read_only_why
from crm_tui.domain.states import CaseState
from crm_tui.services.core import scope
from crm_tui.services.core.case_steps import load_case

WORKING_HOURS = (8, 18)  # contacts outside 08:00-18:00 or at weekends count as unusual hours
PAGE_SIZE = 100


@dataclass(frozen=True)
class ContactFilter:
    """Which of a customer's contacts to show: a period, narrowed by at most a few figures."""

    start: date
    end: date
    label: str = ""  # what the narrowing shows, in words, for the screen's heading
    channel: Channel | None = None
    direction: Direction | None = None
    service_area_id: int | None = None
    officer: str | None = None
    category: BehaviourCategory | None = None
    month: str | None = None  # 'YYYY-MM'
    week: date | None = None  # the Monday of the week
    unusual_hours: bool = False
    weekends: bool = False
    repeats: bool = False  # about a matter already closed, after it closed
    matter_id: int | None = None
    breaches: bool = False  # did not keep to a restriction in force

    def narrowed(self, label: str, **changes: Any) -> ContactFilter:
        """This period, narrowed by one figure (any earlier narrowing is dropped)."""
        return replace(ContactFilter(self.start, self.end), label=label, **changes)


@dataclass(frozen=True)
class ContactRow:
    id: int
    at: datetime
    channel: Channel
    direction: Direction
    service_area: str
    officer: str
    duration_minutes: int
    summary: str
    categories: tuple[BehaviourCategory, ...]
    matter: str
    matter_closed_on: date | None
    links: tuple[str, ...]  # e.g. "referral", "restriction 3"
    breaches: tuple[str, ...] = ()  # why it did not keep to the restrictions
    version: int = 0  # as read: a correction is saved against it (core.stale)

    @property
    def repeat(self) -> bool:
        return self.matter_closed_on is not None and self.at.date() > self.matter_closed_on


@dataclass(frozen=True)
class ContactPage:
    rows: list[ContactRow]
    total: int
    next_after: tuple[datetime, int] | None  # the keyset to fetch the following page


def case_service_area(actor: Actor, reference: str) -> str:
    """The case's own service area: a contact logged on it is about that area unless said
    otherwise (the log-contact form starts there)."""
    return str(load_case(actor, reference).service_area.name)


def case_read_only(actor: Actor, reference: str) -> str:
    """Why the case's file takes no change ("" if it does): archived, it is read-only."""
    return read_only_why(reference, CaseState(load_case(actor, reference).state))


def unusual(column: Any) -> Any:
    hour = dialect.hour(column)
    return (hour < WORKING_HOURS[0]) | (hour >= WORKING_HOURS[1])


def weekend(column: Any) -> Any:
    return dialect.weekday(column).in_([0, 6])


def repeat_on_closed_matter() -> Any:
    closed = Matter.select(Matter.id).where(
        (Matter.id == ContactLogEntry.matter) & Matter.closed_on.is_null(False)
        & (dialect.day(ContactLogEntry.at) > Matter.closed_on))
    return fn.EXISTS(closed)


def breached() -> Any:
    return fn.EXISTS(Breach.select(Breach.id).where(Breach.contact == ContactLogEntry.id))


def where(customer_id: int | None, f: ContactFilter, actor: Actor | None = None) -> Any:
    """The SQL condition for a filter over one customer's contacts (with `actor`, those they
    may read: scope.visible_contacts)."""
    at = ContactLogEntry.at
    cond = ((ContactLogEntry.customer == customer_id)
            & (at >= datetime.combine(f.start, time.min))
            & (at < datetime.combine(f.end + timedelta(days=1), time.min)))
    if actor is not None:
        cond &= scope.visible_contacts(actor)
    if f.channel is not None:
        cond &= ContactLogEntry.channel == f.channel.value
    if f.direction is not None:
        cond &= ContactLogEntry.direction == f.direction.value
    if f.service_area_id is not None:
        cond &= ContactLogEntry.service_area == f.service_area_id
    if f.officer is not None:
        cond &= ContactLogEntry.officer_name == f.officer
    if f.category is not None:
        cond &= ContactLogEntry.categories.bin_and(f.category.mask) != 0
    if f.month is not None:
        cond &= dialect.month(at) == f.month
    if f.week is not None:
        cond &= (at >= datetime.combine(f.week, time.min)) & (
            at < datetime.combine(f.week + timedelta(days=7), time.min))
    if f.unusual_hours:
        cond &= unusual(at)
    if f.weekends:
        cond &= weekend(at)
    if f.repeats:
        cond &= repeat_on_closed_matter()
    if f.matter_id is not None:
        cond &= ContactLogEntry.matter == f.matter_id
    if f.breaches:
        cond &= breached()
    return cond


def _links(ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if not ids:
        return found
    found_links = list(EvidenceLink.select().where(EvidenceLink.contact.in_(ids)))
    # Named by kind, never by the row's number (b15e F10: "restriction 11" read as a kind).
    wanted = {link.restriction_id for link in found_links if link.restriction_id is not None}
    kinds = ({r.id: r.kind for r in Restriction.select(Restriction.id, Restriction.kind)
              .where(Restriction.id.in_(wanted))} if wanted else {})
    for link in found_links:
        label = ("referral" if link.referral_id is not None
                 else named(kinds[link.restriction_id], article=False)
                 if link.restriction_id in kinds else "a restriction")
        found.setdefault(int(link.contact_id or 0), []).append(label)
    return found


def page(actor: Actor, reference: str, f: ContactFilter,
         after: tuple[datetime, int] | None = None, size: int = PAGE_SIZE) -> ContactPage:
    """One page of the case customer's contacts matching a filter, newest first."""
    case = load_case(actor, reference)
    cond = where(case.customer_id, f, actor)
    total = ContactLogEntry.select().where(cond).count()
    query = (ContactLogEntry
             .select(ContactLogEntry.id, ContactLogEntry.at, ContactLogEntry.channel,
                     ContactLogEntry.direction, ContactLogEntry.officer_name,
                     ContactLogEntry.duration_minutes, ContactLogEntry.summary,
                     ContactLogEntry.categories, ContactLogEntry.version,
                     ServiceArea.name.alias("area_name"),
                     Matter.title.alias("matter_title"),
                     Matter.closed_on.alias("matter_closed_on"))
             .join(ServiceArea).switch(ContactLogEntry)
             .join(Matter, join_type=JOIN.LEFT_OUTER, on=(ContactLogEntry.matter == Matter.id))
             .where(cond))
    if after is not None:
        at, row_id = after
        query = query.where((ContactLogEntry.at < at)
                            | ((ContactLogEntry.at == at) & (ContactLogEntry.id < row_id)))
    entries = cast(list[dict[str, Any]], list(
        query.order_by(ContactLogEntry.at.desc(), ContactLogEntry.id.desc())
        .limit(size + 1).dicts()))
    more = len(entries) > size
    entries = entries[:size]
    links = _links([e["id"] for e in entries])
    reasons: dict[int, list[str]] = {}
    for b in Breach.select().where(Breach.contact.in_([e["id"] for e in entries])):
        reasons.setdefault(b.contact_id, []).append(b.reason)
    rows = [ContactRow(
        id=e["id"], at=e["at"], channel=Channel(e["channel"]),
        direction=Direction(e["direction"]), service_area=e["area_name"],
        officer=e["officer_name"], duration_minutes=e["duration_minutes"],
        summary=e["summary"], categories=from_mask(e["categories"]),
        matter=e["matter_title"] or "", matter_closed_on=_as_date(e["matter_closed_on"]),
        links=tuple(links.get(e["id"], [])), breaches=tuple(reasons.get(e["id"], [])),
        version=int(e["version"]))
        for e in entries]
    next_after = (rows[-1].at, rows[-1].id) if more and rows else None
    return ContactPage(rows, total, next_after)


def _as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
