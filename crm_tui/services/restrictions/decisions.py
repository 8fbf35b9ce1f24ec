"""Restrictions: drafting, imposing, varying, lifting and expiry. Only the CRM decides;
officers may draft."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from crm_tui import clock
from crm_tui.db.models import Case, Decision, EvidenceLink, Restriction, Review
from crm_tui.domain.errors import RequirementMissing
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.outcomes import ConsultationSubject, ConsultationView
from crm_tui.domain.permissions import Capability, require
from crm_tui.domain.roles import Actor
from crm_tui.domain.states import CaseState
from crm_tui.domain.terms import settle_review_date
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import audit, audit_seals, confirmation, consulted, settings
from crm_tui.services.core.case_steps import (
    load_case,
    load_case_for_change,
    move,
    step,
    step_told,
    summarise,
)
from crm_tui.services.core.database import atomic
from crm_tui.services.core.inputs import DecisionTerms, RestrictionDraft
from crm_tui.services.core.restriction_status import DRAFT, ENDED, IN_FORCE
from crm_tui.services.core.results import CaseSummary
from crm_tui.services.core.validation import grounds_text
from crm_tui.services.restrictions import readiness, versions
from crm_tui.services.restrictions.builder import check_ready, checked_draft
from crm_tui.services.restrictions.parameters import refuse_contradiction
from crm_tui.services.restrictions.readiness import Prepared
from crm_tui.services.restrictions.referral_evidence import draft_row
from crm_tui.services.restrictions.versions import DraftVersions
from crm_tui.services.retention.archive import set_destroy_after


def draft_restriction(actor: Actor, reference: str, draft: RestrictionDraft) -> int:
    """Set out one proposed restriction on a case; returns its id. Nothing is in force until
    the CRM decides."""
    with atomic():
        require(actor, Capability.DRAFT_RESTRICTIONS)
        case = load_case_for_change(actor, reference)
        params, columns = checked_draft(case, draft)
        row = Restriction.create(case=case, **columns, status=DRAFT, drafted_by=actor.user_id,
                                 drafted_at=clock.now())
        # After each field is read (their errors come first); refused, nothing is kept.
        refuse_contradiction(case, draft.kind, params, leaving_out=int(row.id))
        carried = carry_evidence(actor, case, row)
        audit.record(actor, "draft_restriction", case.reference,
                     payload={"kind": draft.kind.value, "parameters": params}
                     | ({"evidence_from": carried} if carried else {}))
        return int(row.id)


def carry_evidence(actor: Actor, case: Case, row: Restriction) -> int | None:
    """On appeal, a restriction set out in place of one of its kind in force (lighter: an
    amendment answers the appeal) rests on the evidence that one rests on: the policy's
    appeal amends the decision to restrict, whose evidence the appeal does not change, and
    the decider may not link evidence (v22 C1). Returns the id of the one in force carried
    from (None: nothing carried; another kind rests on evidence the team links)."""
    if case.state != CaseState.UNDER_APPEAL.value:
        return None
    source = Restriction.get_or_none((Restriction.case == case)
                                     & (Restriction.status == IN_FORCE)
                                     & (Restriction.kind == row.kind))
    if source is None:
        return None
    for link in EvidenceLink.select().where(EvidenceLink.restriction == source.id):
        EvidenceLink.create(case=case, contact=link.contact_id, document=link.document_id,
                            restriction=row.id, linked_by=actor.user_id,
                            linked_at=clock.now())
    return int(source.id)


def evidence_carried(actor: Actor, reference: str, restriction_id: int) -> bool:
    """Whether a restriction just set out rests on the evidence of the one in force it
    would replace on appeal (carry_evidence): the builder says so."""
    case = load_case(actor, reference)
    row = Restriction.get_or_none((Restriction.id == restriction_id)
                                  & (Restriction.case == case))
    return (row is not None and case.state == CaseState.UNDER_APPEAL.value
            and Restriction.select().where((Restriction.case == case)
                                           & (Restriction.status == IN_FORCE)
                                           & (Restriction.kind == row.kind)).exists())


def discard_draft(actor: Actor, reference: str, restriction_id: int) -> None:
    with atomic():
        require(actor, Capability.DRAFT_RESTRICTIONS)
        case = load_case_for_change(actor, reference)
        # The set of drafts changes: a preview, a view or an invitation that listed this one
        # no longer matches (versions.changes names it as discarded).
        row = draft_row(case, restriction_id)
        row.delete_instance()
        # The kind is kept so that a view or a preview that listed it names it once it is gone.
        audit.record(actor, "discard_draft", case.reference,
                     payload={"id": restriction_id, "kind": str(row.kind)})


def put_in_force(actor: Actor, case: Case, action: Action, reason: str,
                 terms: DecisionTerms, *, read: DraftVersions, review_due: date | None = None,
                 consultation: int | None = None, against_view_reason: str = "",
                 customer_reason: str = "") -> Decision:
    """Replace whatever is in force with the drafts, under a new decision. `read`: the
    versions of the drafts the decision maker read; any change since refuses it.
    `customer_reason`: why, as the customer is told it (checked by the caller)."""
    check_ready(case)
    versions.require_as_read(case, read)
    today = clock.today()
    if review_due is None:
        review_due = settle_review_date(
            decided_on=today, starts_on=terms.starts_on, ends_on=terms.ends_on,
            review_due=terms.review_due, period_months=settings.current().review_period_months,
            reason=terms.review_period_reason, note=terms.review_period_note)
    decision = Decision.create(
        case=case, action=action.value, decided_by=actor.user_id, decided_at=clock.now(),
        reason=reason, effective_from=terms.starts_on, review_due=review_due,
        ends_on=terms.ends_on,
        review_period_reason=terms.review_period_reason.value if terms.review_period_reason
        else "", review_period_note=terms.review_period_note.strip(),
        consultation=consultation, against_view_reason=against_view_reason.strip(),
        customer_reason=customer_reason.strip())
    # The restrictions replaced stop at once, whenever the new ones start (an amendment on
    # appeal or a variation at review starting on a later day leaves none in force until
    # then): their last day was yesterday, so that by the one rule (domain/in_force.py) the
    # case file, Home's count and the breach check agree with the builder and the register
    # that nothing is in force today (v15i K1: the replaced ones, ended "today", still counted).
    Restriction.update(status=ENDED, ends_on=today - timedelta(days=1)).where(
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


def decided_payload(terms: DecisionTerms, decision: Decision, prepared: Prepared,
                    read: DraftVersions) -> dict[str, object]:
    """What the audit trail keeps of a decision: its dates, the drafts (versions) it
    confirmed, the Head of Service's view it went on, and whether it went against it."""
    view = prepared.consultation
    against = view is not None and view.view == ConsultationView.DISAGREES.value
    return {"starts_on": terms.starts_on, "ends_on": terms.ends_on,
            "review_due": decision.review_due, "decision": decision.id,
            "review_period_reason": decision.review_period_reason,
            "restrictions": {str(k): v for k, v in sorted(read.items())},
            "consultation": view.id if view is not None else None,
            "head_of_service_view": view.view if view is not None else None,
            "against_head_of_service_view": against,
            "against_view_reason": decision.against_view_reason}


def _decide(actor: Actor, reference: str, action: Action, reason: str, terms: DecisionTerms,
            read: DraftVersions, against_view_reason: str, customer_reason: str) -> CaseSummary:
    with atomic():
        case = load_case(actor, reference)
        # The decision letter tells the customer why, in these words.
        new_state, told = step_told(actor, action, case, reason, customer_reason)
        # Refused for what it lacks (its letter included) before the maker is asked to
        # confirm, and before anything is stored.
        prepared = readiness.require(actor, case, action, reason, terms, read,
                                     against_view_reason, told)
        with confirmation.confirmed(actor):
            if action is Action.VARY_RESTRICTIONS:
                close_open_review(case, "varied", reason, actor)
            decision = put_in_force(
                actor, case, action, reason.strip(), terms, read=read,
                review_due=prepared.review_due,
                consultation=prepared.consultation.id if prepared.consultation else None,
                against_view_reason=prepared.against_view_reason, customer_reason=told)
            move(actor, action, case, new_state, reason,
                 decided_payload(terms, decision, prepared, read))
        return summarise(case)


def impose_restrictions(actor: Actor, reference: str, reason: str, terms: DecisionTerms, *,
                        read: DraftVersions, against_view_reason: str = "",
                        customer_reason: str = "") -> CaseSummary:
    """The CRM's decision to restrict, after consultation with the Head of Service on the
    restrictions as they stand. `read`: the versions of the drafts the CRM read (the
    preview's); `against_view_reason`: why the CRM goes ahead where the Head of Service does
    not agree; `customer_reason`: why, as the decision letter tells the customer (required;
    `reason` is the internal record)."""
    return _decide(actor, reference, Action.IMPOSE_RESTRICTIONS, reason, terms, read,
                   against_view_reason, customer_reason)


def vary_restrictions(actor: Actor, reference: str, reason: str, terms: DecisionTerms, *,
                      read: DraftVersions, customer_reason: str = "") -> CaseSummary:
    """Replace the restrictions in force with the drafted ones, only where that makes them
    lighter or shorter in every respect; anything stricter or longer follows a review
    (review_steps.propose_extension, then extend_restrictions). `customer_reason`: why, as
    the letter tells the customer (required)."""
    return _decide(actor, reference, Action.VARY_RESTRICTIONS, reason, terms, read, "",
                   customer_reason)


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


def not_writing_view(actor: Actor, reference: str) -> tuple[str, str] | None:
    """The Head of Service's view on not writing to the customer that lifting without a
    letter would rest on, as (view, their words), or None if none counts yet."""
    with atomic():
        row = consulted.latest(load_case(actor, reference),
                               ConsultationSubject.NO_COMMUNICATION)
        return (row.view, row.view_text) if row is not None else None


def lift_restrictions(actor: Actor, reference: str, reason: str, *,
                      without_letter: bool = False, customer_reason: str = "",
                      against_view_reason: str = "") -> CaseSummary:
    """Lift all restrictions. `without_letter`: the CRM, in consultation with the Head of
    Service, decides not to write because writing could incite the behaviour again; where
    the Head of Service's view on not writing is "does not agree", only with the CRM's
    reasons for deciding otherwise (`against_view_reason`), kept on the decision and in its
    audit entry (v15e F1: the view against went through unmentioned). `customer_reason`:
    why, as the letter tells the customer (required unless no letter is written)."""
    action = Action.LIFT_WITHOUT_LETTER if without_letter else Action.LIFT_RESTRICTIONS
    with atomic():
        case = load_case(actor, reference)
        new_state, told = step_told(actor, action, case, reason, customer_reason,
                                    writes=not without_letter)
        view = (consulted.latest(case, ConsultationSubject.NO_COMMUNICATION)
                if without_letter else None)
        against = ""
        if view is not None and view.view == ConsultationView.DISAGREES.value:
            if not against_view_reason.strip():
                raise RequirementMissing(
                    f"The Head of Service does not agree with not writing (their view on "
                    f"{in_prose(view.consulted_on)}): give your reasons for deciding not to "
                    "write all the same, or untick it to lift with a letter")
            against = grounds_text("against_view_reason", against_view_reason)
        with confirmation.confirmed(actor):
            Decision.create(case=case, action=action.value, decided_by=actor.user_id,
                            decided_at=clock.now(), reason=reason.strip(),
                            effective_from=clock.today(), customer_reason=told,
                            consultation=view.id if view is not None else None,
                            against_view_reason=against)
            close_open_review(case, "lifted_without_letter" if without_letter else "lifted",
                              reason, actor)
            if without_letter:
                from crm_tui.services.letters.issuing import record_not_sent

                record_not_sent(actor, case, reason)
            end_restrictions(case, clock.today())
            move(actor, action, case, new_state, reason,
                 {"without_letter": without_letter,
                  **({"against_view_reason": against} if against else {})})
        return summarise(case)


@dataclass(frozen=True)
class Expiry:
    """What an expiry run did: the cases whose restrictions ended, and why any due case was
    left alone (its records changed outside the app: audit_seals.skipped)."""

    ended: list[str]
    skipped: list[str]


def expire_due(actor: Actor, job: str = "expiry run by hand") -> list[str]:
    """End, on their end date, restrictions that were not extended. Returns the cases. `job`
    names what ran it (the command, or the app's check at start), for the audit trail."""
    return run_expiry(actor, job).ended


def run_expiry(actor: Actor, job: str = "expiry run by hand") -> Expiry:
    """`expire_due`, saying which due cases it skipped. A case whose records were changed
    outside the app since its latest entry is left as it is, and said, so that its end is not
    sealed over the change and the other cases still end (found when tried: one edited case
    would have refused the whole run, and before that the run sealed the edit in)."""
    ended: list[str] = []
    skipped: list[str] = []
    with atomic():
        due = Case.select().where(Case.state.in_([CaseState.RESTRICTED.value,
                                                  CaseState.UNDER_REVIEW.value])
                                  & (Case.restrictions_end <= clock.today()))
        for case in due:
            found = audit_seals.outside_change(case.reference, int(case.id))
            if found:
                skipped.append(audit_seals.skipped(case.reference, found))
                continue
            new_state = step(actor, Action.EXPIRE_RESTRICTIONS, case)
            end_restrictions(case, case.restrictions_end or clock.today())
            close_open_review(case, "expired", "Restrictions reached their end date", actor)
            move(actor, Action.EXPIRE_RESTRICTIONS, case, new_state,
                 "Restrictions reached their end date", {"job": job})
            ended.append(case.reference)
    return Expiry(ended, skipped)
