"""Who took part in a decision — so that its appeal is decided by someone who did not, and
its appeal letter says so only when it is true. Checked by person, over every role they have
held on the case (the audit trail records the role each step was taken in), not by the role
they hold today."""

from __future__ import annotations

from collections.abc import Iterable

from crm_tui.db.models import AuditEntry, Case, Consultation, Decision, User
from crm_tui.domain.roles import Role

# Whoever acted on the case in these roles took part in its decisions.
DECIDING_ROLES = (Role.CRM.value, Role.HEAD_OF_SERVICE.value)
# Whoever acted on it in these roles before a decision brought it about or prepared it.
PREPARING_ROLES = (Role.OFFICER.value, Role.SERVICE_AREA_MANAGER.value)
APPEAL_DECISIONS = ("confirm_on_appeal", "amend_on_appeal", "remove_on_appeal")


def nth_entry(reference: str, actions: Iterable[str], nth: int) -> int | None:
    """The audit sequence number of the nth (from 0) step of these kinds on the case. Each
    decision writes one entry of its own kind, so the nth decision of a kind is the nth entry
    of that kind: found by order, not by clock time (a frozen or coarse clock gives many steps
    the same second)."""
    entry = (AuditEntry.select(AuditEntry.seq)
             .where((AuditEntry.case_reference == reference)
                    & AuditEntry.action.in_(list(actions)))
             .order_by(AuditEntry.seq).offset(nth).first())
    return int(entry.seq) if entry is not None else None


def decision_entry(decision: Decision) -> int | None:
    """The audit entry that recorded the decision."""
    earlier = Decision.select().where((Decision.case == decision.case)
                                      & (Decision.action == decision.action)
                                      & (Decision.id < decision.id)).count()
    return nth_entry(decision.case.reference, [decision.action], earlier)


def participants(case: Case, decision: Decision | None, *,
                 before: int | None = None) -> frozenset[int]:
    """Everyone who took part in `decision`: who made it, who gave a view on it, whoever acted
    on the case as its CRM or Head of Service, and whoever brought it about as the referring
    service area manager or prepared it as a Complaints Resolution Team officer (acted on the
    case in one of those roles before it was made). `before`: count only what the audit trail
    recorded before that entry (what was known when an appeal was decided)."""
    people: set[int] = set()
    if decision is not None:
        people.add(decision.decided_by_id)
        people.update(c.consultee_id for c in Consultation.select(Consultation.consultee).where(
            (Consultation.case == case) & (Consultation.recorded_at <= decision.decided_at)))
    acted = AuditEntry.actor_role.in_(DECIDING_ROLES)
    made = decision_entry(decision) if decision is not None else None
    if made is not None:
        acted |= AuditEntry.actor_role.in_(PREPARING_ROLES) & (AuditEntry.seq < made)
    where = (AuditEntry.case_reference == case.reference) & acted
    if before is not None:
        where &= AuditEntry.seq < before
    logins = [e.actor_login for e in AuditEntry.select(AuditEntry.actor_login).distinct()
              .where(where)]
    people.update(u.id for u in User.select(User.id).where(User.login.in_(logins)))
    return frozenset(people)
