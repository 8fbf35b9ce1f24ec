"""The restriction builder's reading of a case, and the steps that belong to building a
decision: the customer's contact needs beside the restrictions (the equality check), a written
justification where a restriction clashes with a need, evidence under each restriction, and
what still stands in the way of a decision."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from crm_tui import clock
from crm_tui.db.models import (
    Breach,
    Case,
    Consultation,
    ContactLogEntry,
    Customer,
    EvidenceLink,
    Referral,
    Restriction,
    User,
)
from crm_tui.domain.categories import BehaviourCategory, from_mask
from crm_tui.domain.dates import add_months
from crm_tui.domain.equality import Clash, ContactNeed, clashes, parse_needs, store_needs
from crm_tui.domain.errors import NotFound, RequirementMissing
from crm_tui.domain.outcomes import ConsultationView
from crm_tui.domain.permissions import Capability, require
from crm_tui.domain.restrictions import RestrictionKind, describe, validate_parameters
from crm_tui.domain.roles import Actor
from crm_tui.letters.decision_text import DecisionLetter, LetterRestriction, decision_text
from crm_tui.services.core import audit, settings
from crm_tui.services.core.case_steps import DRAFT, IN_FORCE, load_case, summarise, to_json
from crm_tui.services.core.database import atomic
from crm_tui.services.core.inputs import DecisionTerms, RestrictionDraft
from crm_tui.services.core.results import CaseSummary
from crm_tui.services.core.validation import bounded_text, required_text
from crm_tui.services.restrictions import safeguards


@dataclass(frozen=True)
class RestrictionView:
    id: int
    kind: RestrictionKind
    parameters: dict[str, Any]
    description: str
    reason: str
    proportionality: str
    less_restrictive_considered: str
    still_reachable: str
    evidence_note: str
    equality_note: str
    evidence: int  # linked contacts and documents
    clashes: list[Clash]
    status: str
    starts_on: date | None
    ends_on: date | None
    behaviours: tuple[BehaviourCategory, ...] = ()  # the policy's behaviours it answers

    @property
    def unjustified(self) -> bool:
        return bool(self.clashes) and not self.equality_note.strip()


@dataclass(frozen=True)
class ConsultationInfo:
    view: ConsultationView
    view_text: str
    consultee: str
    consulted_on: date


@dataclass(frozen=True)
class BuilderView:
    summary: CaseSummary
    personal_circumstances: str
    reasonable_adjustments: str
    needs: tuple[ContactNeed, ...]
    drafts: list[RestrictionView]
    in_force: list[RestrictionView]
    consultation: ConsultationInfo | None
    problems: list[str]  # what stands in the way of a decision, in plain words
    referral_evidence: int  # items linked to the referral, ready to rest restrictions on
    breaches: int = 0  # recorded against the restrictions now in force
    referral_behaviours: tuple[BehaviourCategory, ...] = ()  # what a new draft answers first


def _needs(case: Case) -> tuple[ContactNeed, ...]:
    customer = Customer.get_or_none(Customer.id == case.customer_id)
    return parse_needs(customer.contact_needs) if customer else ()


def _view(row: Restriction, needs: tuple[ContactNeed, ...]) -> RestrictionView:
    kind = RestrictionKind(row.kind)
    params = json.loads(row.parameters)
    evidence = EvidenceLink.select().where(EvidenceLink.restriction == row.id).count()
    return RestrictionView(
        row.id, kind, params, describe(kind, params), row.reason, row.proportionality,
        row.less_restrictive_considered, row.still_reachable, row.evidence_note,
        row.equality_note, evidence, clashes(kind, params, needs), row.status, row.starts_on,
        row.ends_on, behaviours=from_mask(row.behaviours))


def _problems(drafts: list[RestrictionView]) -> list[str]:
    problems = []
    for d in drafts:
        if d.evidence == 0:
            problems.append(f"Restriction {d.id} ({d.kind.label}) rests on no linked evidence")
        if d.unjustified:
            problems.append(f"Restriction {d.id} ({d.kind.label}) clashes with the customer's "
                            f"needs ({'; '.join(c.explanation for c in d.clashes)}): change it "
                            "or justify it in writing")
    return problems


def check_ready(case: Case) -> None:
    """Refuse a decision whose restrictions rest on no evidence or leave an equality clash
    unanswered. Called inside every step that puts drafted restrictions in force."""
    needs = _needs(case)
    drafts = [_view(r, needs) for r in Restriction.select().where(
        (Restriction.case == case) & (Restriction.status == DRAFT))]
    problems = _problems(drafts) + safeguards.problems(case)
    if problems:
        raise RequirementMissing("; ".join(problems))


def builder_view(actor: Actor, reference: str) -> BuilderView:
    case = load_case(actor, reference)
    customer = Customer.get_or_none(Customer.id == case.customer_id)
    needs = _needs(case)
    rows = list(Restriction.select().where(
        (Restriction.case == case) & Restriction.status.in_([DRAFT, IN_FORCE]))
        .order_by(Restriction.id))
    drafts = [_view(r, needs) for r in rows if r.status == DRAFT]
    in_force = [_view(r, needs) for r in rows if r.status == IN_FORCE]
    # objects(): the joined name lands on the consultation itself, where it is read below.
    last = (Consultation.select(Consultation, User.name.alias("consultee_name"))
            .join(User, on=(Consultation.consultee == User.id))
            .where(Consultation.case == case)
            .order_by(Consultation.recorded_at.desc(), Consultation.id.desc())
            .objects().first())
    consultation = ConsultationInfo(
        ConsultationView(last.view), last.view_text, str(getattr(last, "consultee_name", "")),
        last.consulted_on) if last is not None else None
    problems = _problems(drafts) + safeguards.problems(case)
    if not drafts:
        problems.insert(0, "No restriction is set out yet")
    if consultation is None:
        problems.insert(0, "The Head of Service has not been consulted")
    referral_evidence = EvidenceLink.select().where(
        (EvidenceLink.case == case) & EvidenceLink.referral.is_null(False)).count()
    breaches = Breach.select().where(
        Breach.restriction.in_([r.id for r in in_force])).count() if in_force else 0
    referral = Referral.select().where(Referral.case == case).order_by(Referral.id.desc()).first()
    return BuilderView(
        summarise(case), customer.personal_circumstances if customer else "",
        customer.reasonable_adjustments if customer else "", needs, drafts, in_force,
        consultation, problems, referral_evidence, breaches,
        from_mask(referral.categories) if referral else ())


def set_contact_needs(actor: Actor, reference: str, needs: tuple[ContactNeed, ...]) -> None:
    """Record the customer's contact needs (from their reasonable adjustments)."""
    with atomic():
        require(actor, Capability.DRAFT_RESTRICTIONS)
        case = load_case(actor, reference)
        customer = Customer.get_by_id(case.customer_id)
        before = customer.contact_needs
        Customer.update(contact_needs=store_needs(needs)).where(
            Customer.id == customer.id).execute()
        audit.record(actor, "set_contact_needs", case.reference, payload={
            "before": before, "after": store_needs(needs)})


def _draft_row(case: Case, restriction_id: int) -> Restriction:
    row = Restriction.get_or_none((Restriction.id == restriction_id)
                                  & (Restriction.case == case) & (Restriction.status == DRAFT))
    if row is None:
        raise NotFound(f"no draft restriction {restriction_id} on {case.reference}")
    return row


def update_draft(actor: Actor, reference: str, restriction_id: int,
                 draft: RestrictionDraft) -> None:
    """Change a drafted restriction (its parameters and reasons) before the decision."""
    with atomic():
        require(actor, Capability.DRAFT_RESTRICTIONS)
        case = load_case(actor, reference)
        row = _draft_row(case, restriction_id)
        params = validate_parameters(draft.kind, draft.parameters)
        Restriction.update(
            kind=draft.kind.value, parameters=to_json(params),
            reason=required_text("reason", draft.reason),
            proportionality=required_text("proportionality", draft.proportionality),
            evidence_note=bounded_text("evidence_note", draft.evidence_note),
            less_restrictive_considered=required_text("less_restrictive_considered",
                                                      draft.less_restrictive_considered),
            still_reachable=required_text("still_reachable", draft.still_reachable),
            behaviours=safeguards.behaviours_mask(draft.behaviours),
        ).where(Restriction.id == row.id).execute()
        audit.record(actor, "update_draft", case.reference, payload={
            "id": row.id, "kind": draft.kind.value, "parameters": params,
            "behaviours": [c.name.lower() for c in draft.behaviours],
            "before": {"kind": row.kind, "parameters": json.loads(row.parameters)}})


def justify(actor: Actor, reference: str, restriction_id: int, note: str) -> None:
    """Why a restriction stands although it clashes with a contact need of the customer."""
    with atomic():
        require(actor, Capability.DRAFT_RESTRICTIONS)
        case = load_case(actor, reference)
        row = _draft_row(case, restriction_id)
        text = required_text("equality_note", note, 5_000)
        Restriction.update(equality_note=text).where(Restriction.id == row.id).execute()
        audit.record(actor, "justify_equality_clash", case.reference, text, {"id": row.id})


def rest_on_referral_evidence(actor: Actor, reference: str, restriction_id: int) -> int:
    """Link a drafted restriction to all the evidence linked to the referral; returns how
    many items were newly linked."""
    with atomic():
        require(actor, Capability.WEIGH_EVIDENCE)
        case = load_case(actor, reference)
        row = _draft_row(case, restriction_id)
        behind_referral = EvidenceLink.select().where(
            (EvidenceLink.case == case) & EvidenceLink.referral.is_null(False))
        have = {(link.contact_id, link.document_id) for link in EvidenceLink.select().where(
            EvidenceLink.restriction == row.id)}
        added = 0
        for link in behind_referral:
            key = (link.contact_id, link.document_id)
            if key in have:
                continue
            have.add(key)
            EvidenceLink.create(case=case, contact=link.contact_id, document=link.document_id,
                                restriction=row.id, linked_by=actor.user_id,
                                linked_at=clock.now())
            added += 1
        audit.record(actor, "link_evidence", case.reference,
                     payload={"restriction": row.id, "from_referral": added})
        return added


def default_terms(months: int = 24) -> DecisionTerms:
    """Starting today, for two years, reviewed after the configured period."""
    today = clock.today()
    return DecisionTerms(starts_on=today, ends_on=add_months(today, months),
                         review_due=add_months(today, settings.current().review_period_months))


def behaviour_examples(case: Case, limit: int = 5) -> list[tuple[date, str]]:
    """Dated examples for the letter: tagged contacts linked to the drafted restrictions."""
    ids = [link.contact_id for link in EvidenceLink.select().join(
        Restriction, on=(EvidenceLink.restriction == Restriction.id)).where(
        (Restriction.case == case) & (Restriction.status == DRAFT)
        & EvidenceLink.contact.is_null(False))]
    rows = (ContactLogEntry.select().where(ContactLogEntry.id.in_(ids)
                                           & (ContactLogEntry.categories != 0))
            .order_by(ContactLogEntry.at.desc()))
    examples: dict[str, date] = {}  # one dated example of each thing the customer did
    for row in rows:
        examples.setdefault(row.summary, row.at.date())
        if len(examples) == limit:
            break
    return sorted((day, summary) for summary, day in examples.items())


def preview(actor: Actor, reference: str, terms: DecisionTerms, reason: str,
            council: str, council_contact: str, appeal_days: int) -> str:
    """The plain text the customer would be sent if the drafts were decided now."""
    case = load_case(actor, reference)
    view = builder_view(actor, reference)
    referral = Referral.select().where(Referral.case == case).order_by(Referral.id.desc()).first()
    why = reason.strip() or (referral.behaviour_details if referral else "")
    letter = DecisionLetter(
        council=council, council_contact=council_contact, reference=case.reference,
        customer_name=view.summary.customer_name, written_on=clock.today(),
        restrictions=[LetterRestriction(d.description, d.reason, d.still_reachable)
                      for d in view.drafts],
        behaviour=behaviour_examples(case), decision_reason=why, starts_on=terms.starts_on,
        ends_on=terms.ends_on, review_due=terms.review_due or default_terms().review_due
        or terms.ends_on, appeal_by=clock.today() + timedelta(days=appeal_days),
        signer=actor.name, signer_title=actor.role.label)
    return decision_text(letter)
