"""Plain dataclasses the services return: screens never hold database rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.domain.roles import Role
from crm_tui.domain.states import CaseState


@dataclass(frozen=True)
class UserInfo:
    login: str
    name: str
    title: str
    role: Role
    service_area: str | None
    active: bool
    staff_id: str = ""
    os_account: str | None = None
    telephone: str = ""  # direct line, given in letters naming this person as a contact
    email: str = ""
    user_id: int = 0
    # When an inactive person's access ended (their last role's end): screens say since when.
    left_at: datetime | None = None
    # Their user record not as the team's seal left it (edited in the database): `role` is
    # then what the edited row claims, never shown as theirs; `trail_role` is the role the
    # trail gave them (None if it gave none).
    record_edited: bool = False
    trail_role: Role | None = None
    # With record_edited, the name the trail's seal last recorded for them (None if no seal
    # records names): `name` is then what the edited row reads, never said as theirs alone.
    trail_name: str | None = None


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
