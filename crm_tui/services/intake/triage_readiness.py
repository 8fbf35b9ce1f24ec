"""Whether a triage step can be taken on a case now, by this person: the checks the step's
own service makes, asked before its form opens, so that a key that cannot work says why at
once instead of after the reasons have been typed."""

from __future__ import annotations

from enum import StrEnum

from crm_tui.domain.errors import DomainError, PermissionDenied
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.permissions import Capability, require
from crm_tui.domain.roles import Actor
from crm_tui.domain.states import CaseState
from crm_tui.services.core import step_readiness
from crm_tui.services.core.case_steps import load_case_for_change
from crm_tui.services.intake.triage import OPEN_STATES, NoteKind


class TriageStep(StrEnum):
    ASSIGN = "assign"
    REQUEST = "request"
    ENQUIRY = "enquiry"
    CLOSE = "close"
    RETURN = "return"


# The steps that move the case on, and the lifecycle step each takes (casework.py).
_MOVES = {TriageStep.CLOSE: Action.CLOSE_NO_ACTION,
          TriageStep.RETURN: Action.RETURN_TO_SERVICE_AREA}


# The notes' steps, in words: their refusal must not name assigning (the capability's words).
_DOING = {TriageStep.REQUEST: NoteKind.INFORMATION_REQUESTED.doing,
          TriageStep.ENQUIRY: NoteKind.ENQUIRY.doing}


def refusal(actor: Actor, reference: str, what: TriageStep) -> str:
    """Why `what` cannot be taken on `reference` now by `actor` ("" if it can), whatever
    reasons are then given. The same checks as `casework` and `triage` make when saving."""
    action = _MOVES.get(what)
    if action is not None:
        return step_readiness.refusal(actor, reference, action)
    try:
        require(actor, Capability.ASSIGN_CASES, _DOING.get(what, ""))
        case = load_case_for_change(actor, reference)
        state = CaseState(case.state)
        if what is not TriageStep.ASSIGN and state not in OPEN_STATES:
            raise PermissionDenied(f"this is recorded while a referral is being considered; "
                                   f"{case.reference} {state.in_words}")
    except DomainError as exc:
        return str(exc)
    return ""
