"""Appeals: decided by the Service Director or a nominated officer who took no part in the
decision."""

from __future__ import annotations

from datetime import date

from crm_tui import clock
from crm_tui.db.models import Appeal, Decision
from crm_tui.domain.errors import RequirementMissing, ValidationError
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.roles import Actor
from crm_tui.services.core import confirmation, deadlines, settings
from crm_tui.services.core.case_steps import load_case, move, step, summarise
from crm_tui.services.core.database import atomic
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.core.results import CaseSummary
from crm_tui.services.core.validation import not_future, required_text
from crm_tui.services.restrictions.decisions import end_restrictions, put_in_force
from crm_tui.services.restrictions.versions import DraftVersions

_ACTIONS = {AppealOutcome.CONFIRMED: Action.CONFIRM_ON_APPEAL,
            AppealOutcome.AMENDED: Action.AMEND_ON_APPEAL,
            AppealOutcome.REMOVED: Action.REMOVE_ON_APPEAL}


def lodge_appeal(actor: Actor, reference: str, received_on: date, grounds: str) -> CaseSummary:
    """Record an appeal received from the customer against the decision in force."""
    with atomic():
        case = load_case(actor, reference)
        text = required_text("grounds", grounds)
        new_state = step(actor, Action.LODGE_APPEAL, case, text)
        not_future("received_on", received_on)
        decision = (Decision.select().where(Decision.case == case)
                    .order_by(Decision.decided_at.desc(), Decision.id.desc()).first())
        if decision is None:
            raise RequirementMissing("there is no decision to appeal against")
        if received_on < decision.decided_at.date():
            raise ValidationError("received_on", "is before the decision appealed against")
        due = deadlines.due("appeal", received_on, settings.current().appeal_decision_days)
        Appeal.create(case=case, decision=decision, received_on=received_on, grounds=text,
                      due_on=due, recorded_by=actor.user_id)
        case.appeal_due = due
        move(actor, Action.LODGE_APPEAL, case, new_state, text,
             {"received_on": received_on, "decision": decision.id})
        return summarise(case)


def decide_appeal(actor: Actor, reference: str, outcome: AppealOutcome, reason: str,
                  terms: DecisionTerms | None = None,
                  read: DraftVersions | None = None) -> CaseSummary:
    """Confirm, amend (the drafted restrictions replace those in force) or remove. `read`:
    for an amendment, the versions of the drafts the decider read."""
    action = _ACTIONS[outcome]
    with atomic():
        case = load_case(actor, reference)
        new_state = step(actor, action, case, reason)
        appeal = (Appeal.select().where((Appeal.case == case) & (Appeal.outcome == ""))
                  .order_by(Appeal.id.desc()).first())
        if appeal is None:
            raise RequirementMissing("there is no appeal awaiting a decision")
        if outcome is AppealOutcome.AMENDED and terms is None:
            raise ValidationError("terms", "amended restrictions need their dates")
        if outcome is AppealOutcome.AMENDED and read is None:
            raise RequirementMissing("an amendment confirms the restrictions its decider read: "
                                     "preview them first")
        with confirmation.confirmed(actor):
            if outcome is AppealOutcome.AMENDED and terms is not None and read is not None:
                put_in_force(actor, case, action, reason.strip(), terms, read=read)
            elif outcome is AppealOutcome.REMOVED:
                Decision.create(case=case, action=action.value, decided_by=actor.user_id,
                                decided_at=clock.now(), reason=reason.strip(),
                                effective_from=clock.today())
                end_restrictions(case, clock.today())
            appeal.outcome, appeal.reason = outcome.value, reason.strip()
            appeal.decided_by, appeal.decided_at = actor.user_id, clock.now()
            appeal.save()
            case.appeal_due = None
            move(actor, action, case, new_state, reason, {"outcome": outcome.value})
        return summarise(case)
