"""Restrictions: drafting, imposing, varying, lifting and expiry. Only the CRM decides;
officers may draft."""

from __future__ import annotations

from datetime import date

from crm_tui import clock
from crm_tui.db.models import Case, Decision, Restriction, Review
from crm_tui.domain.errors import NotFound
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.permissions import Capability, require
from crm_tui.domain.restrictions import validate_parameters
from crm_tui.domain.roles import Actor
from crm_tui.domain.states import CaseState
from crm_tui.domain.terms import settle_review_date
from crm_tui.services.core import audit, confirmation, settings
from crm_tui.services.core.case_steps import (
    DRAFT,
    ENDED,
    IN_FORCE,
    load_case,
    move,
    step,
    summarise,
    to_json,
)
from crm_tui.services.core.database import atomic
from crm_tui.services.core.inputs import DecisionTerms, RestrictionDraft
from crm_tui.services.core.results import CaseSummary
from crm_tui.services.core.validation import bounded_text, required_text
from crm_tui.services.restrictions.builder import check_ready
from crm_tui.services.restrictions.safeguards import behaviours_mask
from crm_tui.services.retention.archive import set_destroy_after


def draft_restriction(actor: Actor, reference: str, draft: RestrictionDraft) -> int:
    """Set out one proposed restriction on a case; returns its id. Nothing is in force until
    the CRM decides."""
    with atomic():
        require(actor, Capability.DRAFT_RESTRICTIONS)
        case = load_case(actor, reference)
        params = validate_parameters(draft.kind, draft.parameters)
        row = Restriction.create(
            case=case, kind=draft.kind.value, parameters=to_json(params),
            reason=required_text("reason", draft.reason),
            proportionality=required_text("proportionality", draft.proportionality),
            evidence_note=bounded_text("evidence_note", draft.evidence_note),
            # The policy's decision must show that less would not do and that the customer can
            # still reach the council for an emergency or a new matter.
            less_restrictive_considered=required_text("less_restrictive_considered",
                                                      draft.less_restrictive_considered),
            still_reachable=required_text("still_reachable", draft.still_reachable),
            behaviours=behaviours_mask(draft.behaviours),
            status=DRAFT, drafted_by=actor.user_id, drafted_at=clock.now())
        audit.record(actor, "draft_restriction", case.reference,
                     payload={"kind": draft.kind.value, "parameters": params})
        return int(row.id)


def discard_draft(actor: Actor, reference: str, restriction_id: int) -> None:
    with atomic():
        require(actor, Capability.DRAFT_RESTRICTIONS)
        case = load_case(actor, reference)
        deleted = Restriction.delete().where(
            (Restriction.id == restriction_id) & (Restriction.case == case)
            & (Restriction.status == DRAFT)).execute()
        if not deleted:
            raise NotFound(f"no draft restriction {restriction_id} on {case.reference}")
        audit.record(actor, "discard_draft", case.reference, payload={"id": restriction_id})


def put_in_force(actor: Actor, case: Case, action: Action, reason: str,
                  terms: DecisionTerms) -> Decision:
    """Replace whatever is in force with the drafts, under a new decision."""
    check_ready(case)
    today = clock.today()
    review_due = settle_review_date(
        decided_on=today, starts_on=terms.starts_on, ends_on=terms.ends_on,
        review_due=terms.review_due, period_months=settings.current().review_period_months,
        reason=terms.review_period_reason, note=terms.review_period_note)
    decision = Decision.create(
        case=case, action=action.value, decided_by=actor.user_id, decided_at=clock.now(),
        reason=reason, effective_from=terms.starts_on, review_due=review_due,
        ends_on=terms.ends_on,
        review_period_reason=terms.review_period_reason.value if terms.review_period_reason
        else "", review_period_note=terms.review_period_note.strip())
    Restriction.update(status=ENDED, ends_on=today).where(
        (Restriction.case == case) & (Restriction.status == IN_FORCE)).execute()
    Restriction.update(status=IN_FORCE, decision=decision, starts_on=terms.starts_on,
                       ends_on=terms.ends_on).where(
        (Restriction.case == case) & (Restriction.status == DRAFT)).execute()
    case.restrictions_start = terms.starts_on
    case.restrictions_end = terms.ends_on
    case.review_due = review_due
    case.reply_by = None
    Review.create(case=case, due_on=review_due)
    return decision


def _terms_payload(terms: DecisionTerms, decision: Decision) -> dict[str, object]:
    return {"starts_on": terms.starts_on, "ends_on": terms.ends_on,
            "review_due": decision.review_due, "decision": decision.id,
            "review_period_reason": decision.review_period_reason}


def impose_restrictions(actor: Actor, reference: str, reason: str,
                        terms: DecisionTerms) -> CaseSummary:
    """The CRM's decision to restrict, after consultation with the Head of Service."""
    with atomic():
        case = load_case(actor, reference)
        new_state = step(actor, Action.IMPOSE_RESTRICTIONS, case, reason)
        check_ready(case)  # refused for what it lacks before the maker is asked to confirm
        with confirmation.confirmed(actor):
            decision = put_in_force(actor, case, Action.IMPOSE_RESTRICTIONS, reason.strip(),
                                    terms)
            move(actor, Action.IMPOSE_RESTRICTIONS, case, new_state, reason,
                 _terms_payload(terms, decision))
        return summarise(case)


def vary_restrictions(actor: Actor, reference: str, reason: str,
                      terms: DecisionTerms) -> CaseSummary:
    """Replace the restrictions in force with the drafted ones."""
    with atomic():
        case = load_case(actor, reference)
        new_state = step(actor, Action.VARY_RESTRICTIONS, case, reason)
        check_ready(case)
        with confirmation.confirmed(actor):
            close_open_review(case, "varied", reason, actor)
            decision = put_in_force(actor, case, Action.VARY_RESTRICTIONS, reason.strip(),
                                    terms)
            move(actor, Action.VARY_RESTRICTIONS, case, new_state, reason,
                 _terms_payload(terms, decision))
        return summarise(case)


def close_open_review(case: Case, outcome: str, reason: str, actor: Actor | None) -> None:
    Review.update(outcome=outcome, reason=reason, decided_by=actor.user_id if actor else None,
                  decided_at=clock.now()).where(
        (Review.case == case) & (Review.outcome == "")).execute()


def end_restrictions(case: Case, on: date) -> None:
    Restriction.update(status=ENDED, ends_on=on).where(
        (Restriction.case == case) & (Restriction.status == IN_FORCE)).execute()
    case.restrictions_end = on
    case.ended_on = on
    case.review_due = None
    case.reply_by = None
    set_destroy_after(case)


def lift_restrictions(actor: Actor, reference: str, reason: str, *,
                      without_letter: bool = False) -> CaseSummary:
    """Lift all restrictions. `without_letter`: the CRM, in consultation with the Head of
    Service, decides not to write because writing could incite the behaviour again."""
    action = Action.LIFT_WITHOUT_LETTER if without_letter else Action.LIFT_RESTRICTIONS
    with atomic():
        case = load_case(actor, reference)
        new_state = step(actor, action, case, reason)
        with confirmation.confirmed(actor):
            Decision.create(case=case, action=action.value, decided_by=actor.user_id,
                            decided_at=clock.now(), reason=reason.strip(),
                            effective_from=clock.today())
            close_open_review(case, "lifted_without_letter" if without_letter else "lifted",
                              reason, actor)
            if without_letter:
                from crm_tui.services.letters.issuing import record_not_sent

                record_not_sent(actor, case, reason)
            end_restrictions(case, clock.today())
            move(actor, action, case, new_state, reason, {"without_letter": without_letter})
        return summarise(case)


def expire_due(actor: Actor, job: str = "expiry run by hand") -> list[str]:
    """End, on their end date, restrictions that were not extended. Returns the cases. `job`
    names what ran it (the command, or the app's check at start), for the audit trail."""
    ended: list[str] = []
    with atomic():
        due = Case.select().where((Case.state == CaseState.RESTRICTED.value)
                                  & (Case.restrictions_end <= clock.today()))
        for case in due:
            new_state = step(actor, Action.EXPIRE_RESTRICTIONS, case)
            end_restrictions(case, case.restrictions_end or clock.today())
            close_open_review(case, "expired", "Restrictions reached their end date", actor)
            move(actor, Action.EXPIRE_RESTRICTIONS, case, new_state,
                 "Restrictions reached their end date", {"job": job})
            ended.append(case.reference)
    return ended
