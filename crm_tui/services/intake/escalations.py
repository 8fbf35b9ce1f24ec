"""Escalation records: the policy's extreme cases — police involvement, legal action, a risk
to staff — with their dates and references. They are what skipping local resolution, or
restricting without a prior warning, may rest on; where a risk to staff is recorded, the
council's safe-working procedure applies and the screens point to it."""

from __future__ import annotations

from crm_tui import clock
from crm_tui.db.models import Case, Escalation
from crm_tui.domain.errors import InvalidTransition, ValidationError
from crm_tui.domain.escalations import EscalationKind
from crm_tui.domain.permissions import Capability, require
from crm_tui.domain.roles import Actor
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit
from crm_tui.services.core.case_steps import load_case_for_change
from crm_tui.services.core.database import atomic
from crm_tui.services.core.inputs import EscalationInput
from crm_tui.services.core.validation import account_text, bounded_text, not_future

# A closed, ended or archived file takes no new record; a new referral opens a new case.
OPEN_STATES = frozenset({
    CaseState.LOCAL_RESOLUTION, CaseState.NEW, CaseState.UNDER_CONSIDERATION,
    CaseState.AWAITING_CONSULTATION, CaseState.RESTRICTED, CaseState.UNDER_REVIEW,
    CaseState.UNDER_APPEAL})


def create(actor: Actor, case: Case, data: EscalationInput) -> int:
    """Record an escalation on a case, inside the caller's transaction (the referral's, or
    `record_escalation`'s); returns its id."""
    require(actor, Capability.RECORD_ESCALATIONS)
    if not isinstance(data.kind, EscalationKind):
        raise ValidationError("kind", "choose police involvement, legal action or risk to staff")
    not_future("occurred_on", data.occurred_on)
    reference = bounded_text("reference", data.reference, 100)
    if data.kind.needs_reference and not reference:
        raise ValidationError("reference", f"{data.kind.label.lower()} needs its "
                                           f"{data.kind.reference_label}")
    note = account_text("note", data.note, 5_000)
    row = Escalation.create(case=case, kind=data.kind.value, occurred_on=data.occurred_on,
                            reference=reference, note=note, recorded_by=actor.user_id,
                            recorded_at=clock.now())
    audit.record(actor, "record_escalation", case.reference, note, {
        "id": row.id, "kind": data.kind.value, "occurred_on": data.occurred_on,
        "reference": reference})
    return int(row.id)


def record_escalation(actor: Actor, reference: str, data: EscalationInput) -> int:
    """Record police involvement, legal action or a risk to staff on a case; returns its id."""
    with atomic():
        require(actor, Capability.RECORD_ESCALATIONS)
        case = load_case_for_change(actor, reference)
        state = CaseState(case.state)
        if state not in OPEN_STATES:
            raise InvalidTransition(f"cannot record an escalation: {case.reference} "
                                    f"{state.in_words}")
        return create(actor, case, data)
