"""Plain dataclasses the services return (with results.py), made when first asked for: a case
summarised, the home screen's counts and a person's role history are not needed on the way to
the painted inbox, and making the three dataclasses there cost some 2.5 ms of processor time
(issue 17). Import them from results.py, as before (its `__getattr__` brings them here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.domain.roles import Role
from crm_tui.domain.states import CaseState


@dataclass(frozen=True)
class RoleHeld:
    """One entry of a person's role history."""

    role: Role
    service_area: str | None
    granted_at: datetime
    granted_by: str | None  # login; None when the history began with the upgrade
    ended_at: datetime | None
    reason: str


@dataclass(frozen=True)
class CaseSummary:
    reference: str
    customer_reference: str
    customer_name: str
    service_area: str
    state: CaseState
    assigned_to: str | None
    opened_on: date
    restriction_kinds: tuple[RestrictionKind, ...]
    review_due: date | None
    restrictions_end: date | None
    next_action: str
    next_action_due: date | None
    # None in force yet, these decided to start on a later day (domain.in_force): the kinds
    # and the day (v15k V1: the review session read "Restrictions: none" of them).
    starting_kinds: tuple[RestrictionKind, ...] = ()
    starts_on: date | None = None


@dataclass(frozen=True)
class DashboardCounts:
    awaiting_consideration: int
    awaiting_consultation: int
    restrictions_in_force: int
    reviews_due_30_days: int
    reviews_overdue: int
    appeals_pending: int
    replies_due: int
    due_for_archive: int
    due_for_destruction: int
    in_local_resolution: int
    letters_to_sign: int = 0  # prepared and waiting to be signed (the Letters area)
    # Customers whose restrictions are decided and start on a later day: not yet in force.
    restrictions_starting: int = 0
    letters_owed: int = 0  # owed by a decision and not yet signed (the inbox's next action)
    breaches_last_30_days: int = 0
    post_to_screen: int = 0  # filed without reply, still to be read
    post_overdue: int = 0  # of which past their screen-by date
    # The inbox's Considering tab (fixBB BB3: Home stopped counting them once its "New
    # referrals awaiting consideration" became the New tab's count).
    under_consideration: int = 0
