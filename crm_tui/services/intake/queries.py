"""Read-only questions the screens and the command line ask."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from crm_tui import clock
from crm_tui.db.models import (
    Breach,
    Case,
    ContactLogEntry,
    Customer,
    Letter,
    ServiceArea,
    Tombstone,
)
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import IN_FORCE_STATES, CaseState
from crm_tui.services.core.case_steps import summarise
from crm_tui.services.core.results import CaseSummary, DashboardCounts
from crm_tui.services.evidence import screening


def _scoped(actor: Actor | None) -> object:
    query = Case.select()
    if actor is not None and actor.role is Role.SERVICE_AREA_MANAGER:
        query = query.where(Case.service_area == actor.service_area_id)
    if actor is not None and actor.role is Role.USER_ADMIN:
        query = query.where(Case.id.is_null())  # the user administrator reads no case
    return query


def _count(actor: Actor | None, *conditions: object) -> int:
    query = _scoped(actor)
    for condition in conditions:
        query = query.where(condition)  # type: ignore[attr-defined]
    return int(query.count())  # type: ignore[attr-defined]


def dashboard(actor: Actor | None) -> DashboardCounts:
    """The live counts on the home screen, scoped to what the actor may see."""
    today = clock.today()
    soon = today + timedelta(days=30)
    in_force = [s.value for s in IN_FORCE_STATES]
    post = screening.counts_or_none(actor)
    return DashboardCounts(
        awaiting_consideration=_count(actor, Case.state.in_(
            [CaseState.NEW.value, CaseState.UNDER_CONSIDERATION.value])),
        awaiting_consultation=_count(actor, Case.state == CaseState.AWAITING_CONSULTATION.value),
        restrictions_in_force=_count(actor, Case.state.in_(in_force)),
        reviews_due_30_days=_count(actor, Case.state.in_(in_force), Case.review_due >= today,
                                   Case.review_due <= soon),
        reviews_overdue=_count(actor, Case.state.in_(in_force), Case.review_due < today),
        appeals_pending=_count(actor, Case.state == CaseState.UNDER_APPEAL.value),
        replies_due=_count(actor, Case.reply_by.is_null(False), Case.reply_by >= today),
        due_for_archive=_count(actor, Case.state.in_(
            [CaseState.ENDED.value, CaseState.CLOSED_NO_ACTION.value])),
        due_for_destruction=_count(actor, Case.state == CaseState.ARCHIVED.value,
                                   Case.destroy_after <= today),
        in_local_resolution=_count(actor, Case.state == CaseState.LOCAL_RESOLUTION.value),
        letters_to_sign=_joined_count(actor, Letter, Letter.case, Letter.status == "draft"),
        breaches_last_30_days=_breaches_since(actor, today - timedelta(days=30)),
        post_to_screen=post.unread,
        post_overdue=post.overdue,
    )


def _joined_count(actor: Actor | None, model: Any, case_column: Any, *conditions: Any) -> int:
    query = _scoped(actor).join(model, on=(case_column == Case.id))  # type: ignore[attr-defined]
    for condition in conditions:
        query = query.where(condition)
    return int(query.count())


def _breaches_since(actor: Actor | None, since: date) -> int:
    """Contacts since `since` that did not keep to the restrictions in force."""
    query = (_scoped(actor).join(Breach, on=(Breach.case == Case.id))  # type: ignore[attr-defined]
             .join(ContactLogEntry, on=(Breach.contact == ContactLogEntry.id))
             .where(ContactLogEntry.at >= datetime.combine(since, time.min)))
    return int(query.count())


def list_cases(actor: Actor | None, state: CaseState | None = None,
               limit: int = 10_000) -> list[CaseSummary]:
    """Cases with their customer and next action, oldest first, for scripts and reports."""
    query = (_scoped(actor).join(Customer).switch(Case).join(ServiceArea)  # type: ignore[attr-defined]
             .order_by(Case.reference).limit(limit))
    if state is not None:
        query = query.where(Case.state == state.value)
    return [summarise(case) for case in query]


def tombstones() -> list[tuple[str, str]]:
    return [(t.case_reference, t.destroyed_on.isoformat())
            for t in Tombstone.select().order_by(Tombstone.case_reference)]
