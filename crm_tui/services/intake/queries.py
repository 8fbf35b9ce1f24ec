"""Read-only questions the screens and the command line ask."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from crm_tui import clock
from crm_tui.db.models import (
    Breach,
    Case,
    ContactLogEntry,
    Customer,
    Decision,
    Letter,
    Restriction,
    ServiceArea,
    Tombstone,
)
from crm_tui.domain.next_action import INVITATION_LETTER, POST_THE, SIGN_THE
from crm_tui.domain.roles import Actor
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import comments_in, scope
from crm_tui.services.core.case_steps import summarise
from crm_tui.services.core.in_force import cases_in_force_on, cases_starting_after
from crm_tui.services.core.next_step import reviews_due_between, reviews_overdue
from crm_tui.services.core.posting_dates import draft_superseded
from crm_tui.services.core.restriction_status import IN_FORCE
from crm_tui.services.core.results import CaseSummary, DashboardCounts
from crm_tui.services.evidence import screening
from crm_tui.services.intake import inbox, next_shown
from crm_tui.services.retention import archive


def _scoped(actor: Actor) -> Any:
    return scope.cases(actor)


def _count(actor: Actor, *conditions: object) -> int:
    query = _scoped(actor)
    for condition in conditions:
        query = query.where(condition)
    return int(query.count())


def dashboard(actor: Actor) -> DashboardCounts:
    """The live counts on the home screen, scoped to what the actor may see."""
    today = clock.today()
    soon = today + timedelta(days=30)
    post = screening.counts_or_none(actor)
    return DashboardCounts(
        # The inbox's New tab (v20 AW6: "3 Referrals awaiting consideration" counted those
        # under consideration too, while the tab said "New 2").
        awaiting_consideration=_count(actor, Case.state.in_(
            [state.value for state in inbox.Tab.NEW.states])),
        # And its Considering tab, counted apart (fixBB BB3: no longer counted at all).
        under_consideration=_count(actor, Case.state.in_(
            [state.value for state in inbox.Tab.UNDER_CONSIDERATION.states])),
        awaiting_consultation=_count(actor, Case.state == CaseState.AWAITING_CONSULTATION.value),
        # In force today by the one rule (services/core/in_force.py); decided to start on a
        # later day, counted apart.
        restrictions_in_force=_count(actor, cases_in_force_on(today)),
        restrictions_starting=_count(actor, cases_starting_after(today)),
        # By the review calendar's rule: the same cases it shows as "Review due".
        reviews_due_30_days=_count(actor, reviews_due_between(today, soon)),
        reviews_overdue=_count(actor, reviews_overdue(today)),
        appeals_pending=_count(actor, Case.state == CaseState.UNDER_APPEAL.value),
        replies_due=_count(actor, Case.reply_by.is_null(False),
                           comments_in.comments_by_column() >= today,
                           ~comments_in.answered(), ~_owes_letter(),
                           # Nor while its invitation is still to be posted (issue 15 AS3).
                           Case.next_action != f"{POST_THE}{INVITATION_LETTER}"),
        due_for_archive=_count(actor, archive.due_for_archive()),
        due_for_destruction=_count(actor, Case.state == CaseState.ARCHIVED.value,
                                   Case.destroy_after <= today),
        in_local_resolution=_count(actor, Case.state == CaseState.LOCAL_RESOLUTION.value),
        letters_to_sign=_letters_waiting(actor),
        letters_owed=_count(actor, _owes_letter()),
        breaches_last_30_days=_breaches_since(actor, today - timedelta(days=30)),
        post_to_screen=post.unread,
        post_overdue=post.overdue,
    )


def against_view(actor: Actor) -> list[str]:
    """Cases whose restrictions in force were decided against the Head of Service's view
    ("does not agree"), one line each, for the home screen."""
    query = (_scoped(actor).join(Restriction, on=(Restriction.case == Case.id))
             .join(Decision, on=(Restriction.decision == Decision.id))
             .where((Restriction.status == IN_FORCE) & (Decision.against_view_reason != ""))
             .select(Case.reference, Decision.decided_at).distinct()
             .order_by(Case.reference))
    return [f"{reference}: decided against the Head of Service's view on "
            f"{in_prose(decided_at)}" for reference, decided_at in query.tuples()]


def _letters_waiting(actor: Actor) -> int:
    """Letters prepared and waiting to be signed, as the Letters area lists them: not one
    prepared and superseded since (an appeal outcome letter, a decision's), which can no
    longer be signed (posting_dates.draft_superseded; v15n AC3, fixAI AI1: Home counted it
    as waiting)."""
    drafts = Letter.select().where(
        (Letter.status == "draft") & Letter.case.in_(_scoped(actor).select(Case.id)))
    return sum(1 for row in drafts if not draft_superseded(row))


def _breaches_since(actor: Actor, since: date) -> int:
    """Contacts since `since` that did not keep to the restrictions in force."""
    query = (_scoped(actor).join(Breach, on=(Breach.case == Case.id))
             .join(ContactLogEntry, on=(Breach.contact == ContactLogEntry.id))
             .where(ContactLogEntry.at >= datetime.combine(since, time.min)))
    return int(query.count())


def _owes_letter() -> Any:
    """The case's next action is to sign the letter its latest decision (or appeal outcome)
    owes the customer: the one rule (domain.next_action, stored with every change), so that
    Home's count, the inbox's Next action and `crm-tui cases` say the same."""
    return Case.next_action.startswith(SIGN_THE)


def list_cases(actor: Actor, state: CaseState | tuple[CaseState, ...] | None = None,
               limit: int = 10_000, *, letters_owed: bool = False,
               overdue_reviews: bool = False) -> list[CaseSummary]:
    """Cases with their customer and next action, oldest first, for scripts and reports;
    `letters_owed`: only those whose decision owes the customer a letter not yet signed (the
    cases Home counts as letters owed); `overdue_reviews`: only those whose review is
    overdue (Home's "Reviews overdue"); `state`: one state or several (an inbox tab's)."""
    query = (_scoped(actor).join(Customer).switch(Case).join(ServiceArea)
             .order_by(Case.reference).limit(limit))
    if state is not None:
        states = (state,) if isinstance(state, CaseState) else state
        query = query.where(Case.state.in_([s.value for s in states]))
    if letters_owed:
        query = query.where(_owes_letter())
    if overdue_reviews:
        query = query.where(reviews_overdue(clock.today()))
    return [_shown(actor, summarise(case)) for case in query]


def _shown(actor: Actor, summary: CaseSummary) -> CaseSummary:
    """The summary with its next action as the screens show it (next_shown)."""
    if summary.next_action != next_shown.DECIDE:
        return summary
    return replace(summary, next_action=next_shown.shown(actor, summary.reference,
                                                         summary.next_action))


def tombstones(actor: Actor) -> list[tuple[str, str]]:
    """Destroyed files: reference and day, for the service areas the actor sees."""
    return [(t.case_reference, t.destroyed_on.isoformat())
            for t in Tombstone.select().where(scope.visible_tombstones(actor))
            .order_by(Tombstone.case_reference)]
