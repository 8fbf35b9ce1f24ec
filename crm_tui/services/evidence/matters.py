"""The matters a customer has raised, and when each was dealt with. Contacts about a matter
after it was closed are repeats: the policy's "repeat complaints about the same issue after the
complaint procedure has been completed", and what restriction 5 lets the council set aside."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import cast

from peewee import fn

from crm_tui import clock
from crm_tui.db.models import Case, ContactLogEntry, Matter
from crm_tui.domain.errors import NotFound, ValidationError, raise_all
from crm_tui.domain.grounds import name_problem
from crm_tui.domain.permissions import Capability, require
from crm_tui.domain.roles import Actor
from crm_tui.domain.typed_dates import in_prose
from crm_tui.letters.wording import matter_title_problem
from crm_tui.services.core import audit
from crm_tui.services.core.case_steps import load_case, load_case_for_change
from crm_tui.services.core.database import atomic
from crm_tui.services.core.validation import account_text, grounds_text
from crm_tui.services.restrictions import compliance


@dataclass(frozen=True)
class MatterInfo:
    id: int
    title: str
    closed_on: date | None
    outcome: str
    contacts: int

    @property
    def label(self) -> str:
        state = f"closed {in_prose(self.closed_on)}" if self.closed_on else "open"
        return f"{self.title} ({state})"


def _recheck_matter(actor: Actor, case: Case, matter_id: int) -> None:
    """Contacts about the matter may now be (or no longer be) about an issue dealt with."""
    if compliance.restrictions_ever(case.customer_id):
        compliance.recheck_many(actor, case, [entry.id for entry in ContactLogEntry.select(
            ContactLogEntry.id).where(ContactLogEntry.matter == matter_id)])


def list_matters(actor: Actor, reference: str) -> list[MatterInfo]:
    """The case's matters, open ones first, with how many contacts each has."""
    case = load_case(actor, reference)
    matters = list(Matter.select().where(Matter.case == case).order_by(Matter.id))
    rows = cast(list[tuple[int, int]], list(
        ContactLogEntry.select(ContactLogEntry.matter, fn.COUNT(ContactLogEntry.id))
        .where(ContactLogEntry.matter.in_([m.id for m in matters]))
        .group_by(ContactLogEntry.matter).tuples())) if matters else []
    counts = dict(rows)
    found = [MatterInfo(m.id, m.title, m.closed_on, m.outcome, int(counts.get(m.id, 0)))
             for m in matters]
    return sorted(found, key=lambda m: (m.closed_on is not None, m.id))


def open_matter(actor: Actor, reference: str, title: str) -> int:
    """Record a matter the customer has raised; returns its id."""
    with atomic():
        require(actor, Capability.WEIGH_EVIDENCE)
        case = load_case_for_change(actor, reference)
        text = account_text("title", title, 200, rule=name_problem)
        problem = matter_title_problem(text)
        if problem:
            raise ValidationError("title", problem)
        if Matter.select().where((Matter.case == case) & (Matter.title == text)).exists():
            raise ValidationError("title", f'"{text}" is already a matter on this case')
        matter = Matter.create(case=case, title=text, recorded_by=actor.user_id,
                               recorded_at=clock.now())
        audit.record(actor, "open_matter", case.reference, payload={"id": matter.id,
                                                                     "title": text})
        return int(matter.id)


def close_matter(actor: Actor, reference: str, matter_id: int, closed_on: date,
                 outcome: str) -> None:
    """Record that a matter was dealt with: the date and how it ended (e.g. complaint stage 2
    answered, Ombudsman decision)."""
    with atomic():
        require(actor, Capability.WEIGH_EVIDENCE)
        case = load_case_for_change(actor, reference)
        matter = Matter.get_or_none((Matter.id == matter_id) & (Matter.case == case))
        if matter is None:
            raise NotFound(f"no matter {matter_id} on {case.reference}")
        if matter.closed_on is not None:
            raise ValidationError("closed_on", f'"{matter.title}" is already closed')
        # Both at once: the day and how it was dealt with.
        found: list[ValidationError] = []
        if closed_on > clock.today():
            found.append(ValidationError("closed_on", f"{closed_on:%d/%m/%Y} is in the future: "
                                                      "a matter cannot be closed on a future "
                                                      "date"))
        how = ""
        try:
            how = account_text("outcome", outcome, 2_000)
        except ValidationError as exc:
            found.append(exc)
        raise_all(found)
        Matter.update(closed_on=closed_on, outcome=how).where(Matter.id == matter_id).execute()
        audit.record(actor, "close_matter", case.reference, how,
                     {"id": matter_id, "closed_on": closed_on.isoformat()})
        _recheck_matter(actor, case, matter_id)


def reopen_matter(actor: Actor, reference: str, matter_id: int, reason: str) -> None:
    """Undo a closure recorded in error, with the reason (repeats stop counting)."""
    with atomic():
        require(actor, Capability.WEIGH_EVIDENCE)
        case = load_case_for_change(actor, reference)
        why = grounds_text("reason", reason, 2_000)
        updated = (Matter.update(closed_on=None, outcome="")
                   .where((Matter.id == matter_id) & (Matter.case == case)).execute())
        if not updated:
            raise NotFound(f"no matter {matter_id} on {case.reference}")
        audit.record(actor, "reopen_matter", case.reference, why, {"id": matter_id})
        _recheck_matter(actor, case, matter_id)
