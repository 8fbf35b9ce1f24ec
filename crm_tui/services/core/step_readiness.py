"""Whether a step of the policy's lifecycle can be taken on a case now, by this person: the
check the step's own service makes first (`case_steps.step`: role, state, and the facts the
rules need), asked before its form opens, so that a key that cannot work says why at once
instead of after the reasons have been typed. Nothing is saved."""

from __future__ import annotations

from crm_tui.domain.errors import DomainError
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.roles import Actor
from crm_tui.domain.states import CaseState
from crm_tui.services.core.case_steps import load_case, step

# The reason a step is checked with before any is typed: whatever reason is then given, what
# else stands in the way. Words of a reason, not a deferral ("reasons to follow" became one).
ANY_REASON = "The reasons the decision will record"


def refusal(actor: Actor, reference: str, action: Action, *,
            opening_review: bool = False) -> str:
    """Why `action` cannot be taken on `reference` by `actor` now ("" if it can), whatever
    reasons are then given. `opening_review`: the step first starts the review of a case
    under restriction (as a review session's outcomes do), so both steps are checked."""
    try:
        case = load_case(actor, reference)
        if opening_review and case.state == CaseState.RESTRICTED.value:
            step(actor, Action.START_REVIEW, case)
            # As the review would leave it; this copy of the row is never saved.
            case.state = CaseState.UNDER_REVIEW.value
        step(actor, action, case, ANY_REASON)
    except DomainError as exc:
        return str(exc)
    return ""
