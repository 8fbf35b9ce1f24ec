"""The decision an appeal is against, and until when the customer may still appeal: shared by
the appeals (lodging), the nominations (who took part) and retention (a file is not archived,
read-only, while an appeal may still come)."""

from __future__ import annotations

from datetime import date

from crm_tui import clock
from crm_tui.db.models import Appeal, Case, Decision, Letter
from crm_tui.domain.lifecycle import APPEALABLE
from crm_tui.services.core import deadlines, settings


def appealable_decision(case: Case) -> Decision | None:
    """The latest decision on the case to restrict, extend or vary: what an appeal is against."""
    found: Decision | None = (
        Decision.select().where((Decision.case == case)
                                & Decision.action.in_([a.value for a in APPEALABLE]))
        .order_by(Decision.decided_at.desc(), Decision.id.desc()).first())
    return found


def period_ends(decision: Decision) -> date:
    """The last day for an appeal: the one its letter gave (the period runs from the letter,
    issue 14), else counted from the decision."""
    given: date | None = (Letter.select(Letter.appeal_by).where(
        (Letter.source == f"decision:{decision.id}") & (Letter.status == "issued")
        & Letter.duplicate_of.is_null() & Letter.appeal_by.is_null(False))
        .order_by(Letter.id).scalar())
    return given or deadlines.due("appeal", decision.decided_at.date(),
                                  settings.current().appeal_period_days)


def appeal_may_still_come(case: Case) -> tuple[date, date] | None:
    """(the decision's day, the last day to appeal) while the customer may still appeal
    against the case's latest decision (not yet appealed, its period not over; lifted
    restrictions too may be appealed, for the record); else None."""
    decision = appealable_decision(case)
    if decision is None or Appeal.select().where(Appeal.decision == decision).exists():
        return None
    ends = period_ends(decision)
    if ends < clock.today():
        return None
    return decision.decided_at.date(), ends


def late_after(decision: Decision, received_on: date) -> date | None:
    """The appeal deadline an appeal received on `received_on` missed (None if in time). The
    policy sets no time limit that refuses an appeal while restrictions are in force; one
    received after the date the customer was given is recorded, and said to be late (v15b S8),
    so that whoever decides it sees that."""
    ends = period_ends(decision)
    return ends if received_on > ends else None
