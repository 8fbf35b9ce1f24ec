"""The screening queue: post filed without reply is still read. Each contact queued by contact
compliance (services.restrictions.screening_queue) is read by the Complaints Resolution Team
and given one outcome — nothing new (filed), a new matter (opened as a matter on the case), or
an emergency or safeguarding concern passed to a named person — recorded with who and when.
Listed a page at a time from the database, oldest unread first; counted in SQL for the home
screen and the calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from peewee import JOIN

from crm_tui import clock
from crm_tui.db import dialect
from crm_tui.db.models import (
    Case,
    ContactLogEntry,
    Customer,
    Matter,
    ScreeningItem,
    ServiceArea,
    User,
)
from crm_tui.domain.contact import Channel
from crm_tui.domain.errors import NotFound, PermissionDenied, ValidationError, raise_all
from crm_tui.domain.permissions import Capability, can
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.screening import ScreeningOutcome
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import audit, deadlines, scope, settings
from crm_tui.services.core.database import atomic
from crm_tui.services.core.validation import bounded_text, required_text
from crm_tui.services.evidence import matters

PAGE_SIZE = 100

ONLY_THE_TEAM = ("only the Complaints Resolution Team (the CRM and its officers) screens post "
                 "filed without reply; a service area manager logs the contact, and the team "
                 "reads it")


@dataclass(frozen=True)
class ScreeningDecision:
    """An outcome given to one item: what the reader found, and what follows from it."""

    outcome: ScreeningOutcome
    note: str = ""
    title: str = ""  # the new matter's title
    passed_to: str = ""  # the named person an emergency or safeguarding concern went to
    passed_how: str = ""  # how, and when


@dataclass(frozen=True)
class ScreeningRow:
    id: int
    contact_id: int
    case_reference: str
    customer_name: str
    service_area: str
    arrived_at: datetime
    channel: Channel
    officer: str
    matter: str  # the matter the contact is recorded as being about
    summary: str  # the customer's words as logged: show literally
    reasons: tuple[str, ...]
    advice: tuple[str, ...]
    screen_by: date
    outcome: ScreeningOutcome | None = None
    note: str = ""
    new_matter: str = ""
    passed_to: str = ""
    passed_how: str = ""
    screened_by: str = ""
    screened_at: datetime | None = None

    def overdue(self, today: date) -> bool:
        return self.outcome is None and self.screen_by < today


@dataclass(frozen=True)
class ScreeningPage:
    rows: list[ScreeningRow]
    total: int
    next_after: tuple[datetime, int] | None


@dataclass(frozen=True)
class QueueCounts:
    unread: int
    overdue: int  # unread past their screen-by date
    working_days: int  # the setting they are counted by


def _scoped(actor: Actor | None, query: Any) -> Any:
    """Items on the cases the actor may see (scope.visible: a service area manager's own
    area only; the user administrator none). No actor: the housekeeping that fills the queue."""
    if actor is None:
        return query
    return query.where(scope.visible(actor))


def _base(actor: Actor | None) -> Any:
    return _scoped(actor, ScreeningItem.select().join(Case, on=(ScreeningItem.case == Case.id)))


def _unread() -> Any:
    return ScreeningItem.outcome == ""


def overdue_before(today: date) -> datetime:
    """Unread items that arrived before this moment are past their screen-by date today."""
    return datetime.combine(deadlines.last_arrival_due_by(today - timedelta(days=1))
                            + timedelta(days=1), time.min)


def counts(actor: Actor | None) -> QueueCounts:
    """How many items are unread, and how many of them are overdue (counted in SQL)."""
    unread = _base(actor).where(_unread())
    late = unread.where(ScreeningItem.arrived_at < overdue_before(clock.today()))
    return QueueCounts(unread.count(), late.count(), settings.current().screening_working_days)


def counts_or_none(actor: Actor | None) -> QueueCounts:
    """As `counts`, but nothing at all for whoever reads no case (the user administrator)."""
    if actor is not None and actor.role is Role.USER_ADMIN:
        return QueueCounts(0, 0, settings.current().screening_working_days)
    return counts(actor)


NewMatter = Matter.alias()


def _rows_query(actor: Actor | None) -> Any:
    return _scoped(actor, ScreeningItem.select(
        ScreeningItem.id, ScreeningItem.contact, ScreeningItem.arrived_at,
        ScreeningItem.reasons, ScreeningItem.advice, ScreeningItem.outcome, ScreeningItem.note,
        ScreeningItem.passed_to, ScreeningItem.passed_how, ScreeningItem.screened_at,
        Case.reference.alias("case_reference"), Customer.name.alias("customer_name"),
        ServiceArea.name.alias("area_name"), ContactLogEntry.channel,
        ContactLogEntry.officer_name, ContactLogEntry.summary,
        Matter.title.alias("matter_title"), NewMatter.title.alias("new_matter_title"),
        User.name.alias("screened_by_name"))
        .join(Case, on=(ScreeningItem.case == Case.id))
        .join(Customer, JOIN.LEFT_OUTER, on=(Case.customer == Customer.id))
        .join(ServiceArea, on=(Case.service_area == ServiceArea.id))
        .join(ContactLogEntry, on=(ScreeningItem.contact == ContactLogEntry.id))
        .join(Matter, JOIN.LEFT_OUTER, on=(ContactLogEntry.matter == Matter.id))
        .join(NewMatter, JOIN.LEFT_OUTER, on=(ScreeningItem.matter == NewMatter.id))
        .join(User, JOIN.LEFT_OUTER, on=(ScreeningItem.screened_by == User.id)))


def _row(e: dict[str, Any]) -> ScreeningRow:
    arrived = _moment(e["arrived_at"])
    outcome = ScreeningOutcome(e["outcome"]) if e["outcome"] else None
    return ScreeningRow(
        id=e["id"], contact_id=e["contact"], case_reference=e["case_reference"],
        customer_name=e["customer_name"] or "", service_area=e["area_name"],
        arrived_at=arrived, channel=Channel(e["channel"]), officer=e["officer_name"],
        matter=e["matter_title"] or "", summary=e["summary"],
        reasons=tuple(e["reasons"].splitlines()),
        # Items queued before the advice was kept (schema 14's upgrade) get the general one.
        advice=tuple(e["advice"].splitlines()) or ("Read it for anything new or an "
                                                   "emergency.",),
        screen_by=deadlines.screen_by(arrived.date()), outcome=outcome, note=e["note"],
        new_matter=e["new_matter_title"] or "", passed_to=e["passed_to"],
        passed_how=e["passed_how"], screened_by=e["screened_by_name"] or "",
        screened_at=_moment(e["screened_at"]) if e["screened_at"] else None)


def page(actor: Actor | None, *, screened: bool = False, case_reference: str = "",
         after: tuple[datetime, int] | None = None, size: int = PAGE_SIZE) -> ScreeningPage:
    """One page of the queue: unread items oldest first (the most overdue at the top), or with
    `screened` the items already read, the latest first. `case_reference` keeps one case's."""
    cond = (ScreeningItem.outcome != "") if screened else _unread()
    if case_reference:
        cond &= Case.reference == case_reference.strip().upper()
    total = _base(actor).where(cond).count()
    query = _rows_query(actor).where(cond)
    key = ScreeningItem.screened_at if screened else ScreeningItem.arrived_at
    if after is not None:
        moment, item_id = after
        if screened:
            query = query.where((key < moment) | ((key == moment) & (ScreeningItem.id < item_id)))
        else:
            query = query.where((key > moment) | ((key == moment) & (ScreeningItem.id > item_id)))
    order = ((key.desc(), ScreeningItem.id.desc()) if screened
             else (key.asc(), ScreeningItem.id.asc()))
    entries = cast(list[dict[str, Any]], list(query.order_by(*order).limit(size + 1).dicts()))
    more = len(entries) > size
    rows = [_row(e) for e in entries[:size]]
    next_after = None
    if more and rows:
        last = rows[-1]
        next_after = (last.screened_at or last.arrived_at, last.id) if screened else (
            last.arrived_at, last.id)
    return ScreeningPage(rows, total, next_after)


def item(actor: Actor | None, item_id: int) -> ScreeningRow:
    """One item, as the queue shows it."""
    found = cast(list[dict[str, Any]], list(
        _rows_query(actor).where(ScreeningItem.id == item_id).dicts()))
    if not found:
        raise NotFound(f"no item {item_id} in the screening queue")
    return _row(found[0])


def record_outcome(actor: Actor, item_id: int, decision: ScreeningDecision) -> ScreeningRow:
    """Give an item its one outcome, with who and when, in the audit trail. A new matter is
    opened on the case; an emergency or safeguarding concern names the person it was passed
    to and how. Refused, with nothing stored, for anyone outside the Complaints Resolution
    Team, for an item already screened, and for an archived file."""
    with atomic():
        if not can(actor, Capability.SCREEN_POST):
            raise PermissionDenied(f"{actor.role.label}: {ONLY_THE_TEAM}")
        row = ScreeningItem.get_or_none(ScreeningItem.id == item_id)
        if row is None:
            raise NotFound(f"no item {item_id} in the screening queue")
        case = Case.get_by_id(row.case_id)
        if row.outcome:
            raise ValidationError("outcome", _already(row))
        if case.state == CaseState.ARCHIVED.value:
            raise ValidationError("outcome", f"{case.reference} is archived and read-only")
        note = bounded_text("note", decision.note, 2_000)
        values: dict[str, Any] = {"outcome": decision.outcome.value, "note": note,
                                  "screened_by": actor.user_id, "screened_at": clock.now()}
        payload: dict[str, Any] = {"item": row.id, "contact": row.contact_id,
                                   "outcome": decision.outcome.value}
        if decision.outcome is ScreeningOutcome.PASSED_ON:
            # Both at once: to whom, and how and when.
            found: list[ValidationError] = []
            for name, value, limit, missing in (
                    ("passed_to", decision.passed_to, 200, "name the person the emergency or "
                     "safeguarding concern was passed to"),
                    ("passed_how", decision.passed_how, 1_000, "say how and when it was passed "
                     "on (telephone, email, in person)")):
                try:
                    values[name] = _given(name, value, limit, missing)
                except ValidationError as exc:
                    found.append(exc)
            raise_all(found)
            payload |= {"passed_to": values["passed_to"], "passed_how": values["passed_how"]}
        elif decision.outcome is ScreeningOutcome.NEW_MATTER:
            title = _given("title", decision.title, 200, "give the new matter a title")
            values["matter"] = matters.open_matter(actor, case.reference, title)
            payload |= {"matter": values["matter"], "title": title}
        # Only an unread item takes an outcome: two people screening at once cannot both.
        updated = ScreeningItem.update(**values).where(
            (ScreeningItem.id == item_id) & _unread()).execute()
        if updated != 1:
            raise ValidationError("outcome", _already(ScreeningItem.get_by_id(item_id)))
        audit.record(actor, "screen_contact", case.reference,
                     "; ".join(part for part in (decision.outcome.label, note) if part), payload)
    return item(actor, item_id)


def _given(field: str, value: str, limit: int, missing: str) -> str:
    if not value.strip():
        raise ValidationError(field, missing)
    return required_text(field, value, limit)


def _already(row: ScreeningItem) -> str:
    who = User.get_or_none(User.id == row.screened_by_id)
    when = _moment(row.screened_at)
    return (f"this contact was already screened by {who.name if who else 'someone'} on "
            f"{in_prose(when, full_month=True)} at {when:%H:%M} "
            f"({ScreeningOutcome(row.outcome).label}): an "
            "outcome is given once")


def _by_case_and_day(actor: Actor | None) -> Any:
    day = dialect.day(ScreeningItem.arrived_at)
    return (_base(actor).select(day.alias("day"), Case.reference, Customer.name)
            .join(Customer, JOIN.LEFT_OUTER, on=(Case.customer == Customer.id))
            .where(_unread()).group_by(day, Case.reference, Customer.name))


def _dated(rows: list[tuple[object, str, str | None]]) -> list[tuple[date, str, str]]:
    return sorted({(deadlines.screen_by(_moment(arrived).date()), ref, name or "")
                   for arrived, ref, name in rows})


def calendar_days(actor: Actor | None, start: date, end: date) -> list[tuple[date, str, str]]:
    """Unread items by the day they are to be read, from `start` to `end`: one (day, case
    reference, customer name) per case and day."""
    working_days = settings.current().screening_working_days
    # Read in SQL by arrival day, a little more widely than needed (a screen-by date is at
    # least `working_days` after arrival, and never more than twice that plus a fortnight of
    # weekends and bank holidays), then kept exactly.
    first = start - timedelta(days=2 * working_days + 14)
    last = end - timedelta(days=working_days)
    query = _by_case_and_day(actor).where(
        (ScreeningItem.arrived_at >= datetime.combine(first, time.min))
        & (ScreeningItem.arrived_at < datetime.combine(last + timedelta(days=1), time.min)))
    rows = _dated(cast(list[tuple[object, str, str | None]], list(query.tuples())))
    return [row for row in rows if start <= row[0] <= end]


def calendar_overdue(actor: Actor | None, today: date,
                     limit: int) -> tuple[int, list[tuple[date, str, str]]]:
    """How many (case, day) entries of unread post are overdue, and the oldest `limit` of
    them (counted in SQL)."""
    query = _by_case_and_day(actor).where(ScreeningItem.arrived_at < overdue_before(today))
    rows = cast(list[tuple[object, str, str | None]], list(
        query.order_by(dialect.day(ScreeningItem.arrived_at)).limit(limit).tuples()))
    return int(query.count()), _dated(rows)


def _moment(value: object) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time.min)
    return datetime.fromisoformat(str(value))
