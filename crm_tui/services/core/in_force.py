"""The domain's rule for "in force on a day" (domain/in_force.py) as queries: which
restrictions apply on a day, and which cases have restrictions in force then or decided to
start later. Home's counts, the case file, the builder and the breach check read these, so
that none calls a restriction in force the day before it starts."""

from __future__ import annotations

from datetime import date
from typing import Any

from crm_tui.db.models import Case, Restriction
from crm_tui.domain.states import IN_FORCE_STATES
from crm_tui.services.core.restriction_status import ENDED, IN_FORCE

_LIVE = [s.value for s in IN_FORCE_STATES]


def applying_on(day: date) -> Any:
    """Restrictions that applied on `day`: put in force (or in force then and since ended),
    from their first day to their last (domain.in_force.applies_on)."""
    return (Restriction.status.in_([IN_FORCE, ENDED])
            & (Restriction.starts_on.is_null() | (Restriction.starts_on <= day))
            & (Restriction.ends_on.is_null() | (Restriction.ends_on >= day)))


def cases_in_force_on(day: date) -> Any:
    """Cases under restriction (restricted, under review or appeal) whose restrictions apply
    on `day`: those a variation or an amendment replaced stopped the day it was decided
    (decisions.put_in_force), so one decided to start later leaves none in force until then."""
    return Case.state.in_(_LIVE) & Case.id.in_(
        Restriction.select(Restriction.case).where(applying_on(day)))


def cases_starting_after(day: date) -> Any:
    """Cases whose restrictions are decided and start after `day`, none applying then."""
    return (Case.state.in_(_LIVE) & (Case.restrictions_start > day)
            & ~Case.id.in_(Restriction.select(Restriction.case).where(applying_on(day))))


def case_starts_after(case: Case, day: date) -> bool:
    """Whether this case (read already, within the reader's scope) has restrictions decided
    to start after `day` and none applying then: cases_starting_after, for one case."""
    return (case.state in _LIVE and case.restrictions_start is not None
            and case.restrictions_start > day
            and not Restriction.select().where((Restriction.case == case.id)
                                               & applying_on(day)).exists())
