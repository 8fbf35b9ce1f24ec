"""What happened to a decision's restrictions after it was made, read from the audit trail:
a review that kept them (perhaps moving the review date), an appeal lodged and confirmed.
The builder showed only the decision's own dates, so after a review moved the review date it
gave two review dates for the same restrictions and said nothing of the review or appeal."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from crm_tui.db.models import AuditEntry, Case, User
from crm_tui.domain.lifecycle import Action
from crm_tui.services.core import consulted

# The steps that leave the decision standing; each in the words the builder says it.
_STEPS = {Action.CONTINUE_UNCHANGED.value: "Reviewed: the restrictions continue",
          Action.CHANGE_REVIEW_PERIOD.value: "Reviewed: the restrictions continue, the "
                                             "review period changed",
          Action.PROPOSE_EXTENSION.value: "Reviewed: longer restrictions proposed, the "
                                          "customer invited to comment",
          Action.LODGE_APPEAL.value: "Appeal lodged",
          Action.CONFIRM_ON_APPEAL.value: "Appeal not upheld: the decision confirmed"}


@dataclass(frozen=True)
class SinceStep:
    """One step taken on the restrictions after the decision: what, by whom, when, and the
    next review date it set (if it set one)."""

    what: str
    by: str
    on: date
    next_review: date | None = None


def _person(login: str) -> str:
    user = User.get_or_none(User.login == login)
    return consulted.person(user) if user is not None else login


def _next_review(payload: str) -> date | None:
    try:
        value = json.loads(payload or "{}").get("next_review")
        return date.fromisoformat(str(value)[:10]) if value else None
    except (ValueError, AttributeError):
        return None


def steps_since(case: Case, decided: Action) -> tuple[SinceStep, ...]:
    """The steps after the case's latest `decided` decision, oldest first. Ordered by the
    audit trail's numbers, not by time: a step in the same second as the decision still
    comes after it."""
    made = (AuditEntry.select(AuditEntry.seq)
            .where((AuditEntry.case_reference == case.reference)
                   & (AuditEntry.action == decided.value))
            .order_by(AuditEntry.seq.desc()).first())
    if made is None:
        return ()
    rows = (AuditEntry.select().where((AuditEntry.case_reference == case.reference)
                                      & (AuditEntry.seq > made.seq)
                                      & AuditEntry.action.in_(list(_STEPS)))
            .order_by(AuditEntry.seq))
    return tuple(SinceStep(_STEPS[r.action], _person(r.actor_login),
                           datetime.fromisoformat(r.at).date(), _next_review(r.payload))
                 for r in rows)
