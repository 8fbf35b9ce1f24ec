"""The restriction builder's reading of a case, and the steps that belong to building a
decision: the customer's contact needs beside the restrictions (the equality check), a written
justification where a restriction clashes with a need, evidence under each restriction, and
what still stands in the way of a decision."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from crm_tui import clock
from crm_tui.db.models import (
    Breach,
    Case,
    Consultation,
    Customer,
    Decision,
    EvidenceLink,
    Referral,
    Restriction,
    User,
)
from crm_tui.domain.categories import BehaviourCategory, from_mask
from crm_tui.domain.dates import add_months
from crm_tui.domain.equality import Clash, ContactNeed, clashes, parse_needs, store_needs
from crm_tui.domain.errors import RequirementMissing
from crm_tui.domain.in_force import starts_later
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.outcomes import ConsultationMethod, ConsultationSubject, ConsultationView
from crm_tui.domain.permissions import Capability, can, require
from crm_tui.domain.proposal import Proposal
from crm_tui.domain.restrictions import (
    RestrictionKind,
    describe,
    named,
    repeated_places,
    validate_parameters,
)
from crm_tui.domain.roles import Actor
from crm_tui.domain.states import CaseState
from crm_tui.domain.wording import in_one_sentence
from crm_tui.services.core import audit, comments_in, consulted, stale
from crm_tui.services.core.case_steps import load_case, load_case_for_change, summarise, to_json
from crm_tui.services.core.database import atomic
from crm_tui.services.core.inputs import DecisionTerms, RestrictionDraft
from crm_tui.services.core.restriction_status import DRAFT, IN_FORCE
from crm_tui.services.core.results import CaseSummary
from crm_tui.services.core.told import told as told_words
from crm_tui.services.core.validation import bounded_text, grounds_text, required_text
from crm_tui.services.letters.letter_content import open_proposal
from crm_tui.services.restrictions import parameters, safeguards, versions
from crm_tui.services.restrictions.closed_words import refuse_closed_offers
from crm_tui.services.restrictions.parameters import refuse_contradiction

# k's steps live in referral_evidence; named here too, where callers first look.
from crm_tui.services.restrictions.referral_evidence import ReferralEvidence as ReferralEvidence
from crm_tui.services.restrictions.referral_evidence import draft_row
from crm_tui.services.restrictions.referral_evidence import (
    rest_on_referral_evidence as rest_on_referral_evidence,
)
from crm_tui.services.restrictions.since_decision import SinceStep, steps_since


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
    version: int = 1
    behaviours: tuple[BehaviourCategory, ...] = ()  # the policy's behaviours it answers
    customer_reason: str = ""  # why, as the customer is told it

    @property
    def unjustified(self) -> bool:
        return bool(self.clashes) and not self.equality_note.strip()


@dataclass(frozen=True)
class ConsultationInfo:
    view: ConsultationView
    view_text: str
    consultee: str
    consulted_on: date
    subject: ConsultationSubject = ConsultationSubject.REFERRAL
    method: ConsultationMethod | None = None
    recorded_by: str = ""
    # What was put to the Head of Service: restriction ids with the versions they saw.
    about: dict[int, int] = field(default_factory=dict)
    proposed_end: date | None = None
    # How the drafts differ now from those the view was given on, each named by its kind
    # and by what changed ("the evidence under the New issues only restriction changed").
    changed: tuple[str, ...] = ()


@dataclass(frozen=True)
class InvitationInfo:
    """What the customer was invited to comment on at the review, and by when."""

    reason: str
    restrictions: list[str]
    ends_on: date
    reply_by: date  # the last day for comments (comments_in.comments_by)
    proposed_on: date


@dataclass(frozen=True)
class DecidedInfo:
    """The case's latest decision, as the builder shows it once made: what, by whom and
    when, its dates, and the Head of Service's view it rested on."""

    action: Action
    decided_by: str
    decided_on: date
    starts_on: date | None
    ends_on: date | None
    review_due: date | None
    view: ConsultationInfo | None
    against_view_reason: str = ""
    # Reviews and appeals since, which leave it standing (a review may move the review date).
    since: tuple[SinceStep, ...] = ()


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
    invitation: InvitationInfo | None = None
    referral_behaviours: tuple[BehaviourCategory, ...] = ()  # what a new draft answers first
    decided: DecidedInfo | None = None  # the latest decision on the case, if any
    customer_version: int = 0  # the customer's record as read: needs are saved against it
    # A variation's drafts are those in force, unchanged: only sooner dates can be decided.
    same_as_in_force: bool = False

    @property
    def settled(self) -> bool:
        """A decision stands and nothing is being drafted: the builder shows the decision,
        not the drafting keys (r sets what is in force out again to change it)."""
        return not self.drafts and self.summary.state in SETTLED_STATES

    @property
    def under_appeal(self) -> bool:
        """The decision appealed against stands while the appeal is decided (from the case
        file, by the Service Director or their nominee, on no Head of Service's view):
        anything set out here is what an amendment on appeal would put in place."""
        return self.summary.state is CaseState.UNDER_APPEAL

    @property
    def shows_decision(self) -> bool:
        """The builder shows the decision that stands (what, who, when, its dates, the view
        it rested on, the steps since) rather than a consultation to come: once settled, and
        throughout an appeal (t15 F4: under appeal it said "Not yet consulted on the
        restrictions" of a decision taken on the Head of Service's view)."""
        return self.settled or self.under_appeal


# States in which the builder shows the decision made, while nothing is drafted.
SETTLED_STATES = frozenset({CaseState.RESTRICTED, CaseState.ENDED, CaseState.CLOSED_NO_ACTION,
                            CaseState.ARCHIVED})


def _info(row: Consultation) -> ConsultationInfo:
    info = consulted.info(row)
    return ConsultationInfo(info.view, info.view_text, info.consultee, info.consulted_on,
                            info.subject, info.method, info.recorded_by,
                            info.proposal.versions if info.proposal else {},
                            info.proposal.ends_on if info.proposal else None)


def _decided(case: Case) -> DecidedInfo | None:
    row = (Decision.select().where(Decision.case == case)
           .order_by(Decision.decided_at.desc(), Decision.id.desc()).first())
    if row is None:
        return None
    view = Consultation.get_or_none(Consultation.id == row.consultation_id) \
        if row.consultation_id is not None else None
    decided_at = row.decided_at
    return DecidedInfo(Action(row.action), consulted.person(User.get_by_id(row.decided_by_id)),
                       decided_at.date() if hasattr(decided_at, "date") else decided_at,
                       row.effective_from, row.ends_on, row.review_due,
                       _info(view) if view is not None else None, row.against_view_reason,
                       steps_since(case, Action(row.action)))


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
        row.ends_on, int(row.version), from_mask(row.behaviours), row.customer_reason)


# How a draft resting on no evidence is put right, by whether the person reading may link
# evidence (k in the builder): the Service Director amending on appeal may not, and was told
# to press k all the same (v15e F14).
LINK_WITH_K = "(k links the referral's and the case's evidence to it)"
LINKED_BY_TEAM = ("(the Complaints Resolution Team links evidence to it: k in the builder, "
                  "under their name)")


def _problems(drafts: list[RestrictionView], *, may_link: bool = True) -> list[str]:
    """`drafts` in the builder's order: two of one kind are told apart by their `#`."""
    problems = []
    places = repeated_places([d.kind for d in drafts])
    for d, place in zip(drafts, places, strict=True):
        name = named(d.kind, capital=True, place=place)
        if d.evidence == 0:
            problems.append(f"{name} rests on no linked evidence "
                            + (LINK_WITH_K if may_link else LINKED_BY_TEAM))
        if not d.customer_reason.strip():
            problems.append(f"{name} has no words for the "
                            "customer: edit it and say why, as the letter tells them")
        if d.unjustified:
            problems.append(f"{name} clashes with the customer's "
                            f"needs ({'; '.join(c.explanation for c in d.clashes)}): change it "
                            "or justify it in writing")
    return problems


def check_ready(case: Case) -> None:
    """Refuse a decision whose restrictions rest on no evidence or leave an equality clash
    unanswered. Called inside every step that puts drafted restrictions in force."""
    problems = ready_problems(case)
    if problems:
        raise RequirementMissing(in_one_sentence(problems, starts=True))


def ready_problems(case: Case, *, may_link: bool = True) -> list[str]:
    """Every safeguard on the drafts themselves, one plain sentence each (`may_link`: the
    reader may link evidence in the builder, and is told its key)."""
    needs = _needs(case)
    drafts = [_view(r, needs) for r in Restriction.select().where(
        (Restriction.case == case) & (Restriction.status == DRAFT)).order_by(Restriction.id)]
    # A set holding two of a kind, or two that contradict (older data: drafting refuses
    # both), is read as it is and decided only once one is discarded (v15e F2).
    return (parameters.problems_of_set(case) + _problems(drafts, may_link=may_link)
            + safeguards.problems(case, may_link=may_link))


def builder_view(actor: Actor, reference: str) -> BuilderView:
    case = load_case(actor, reference)
    customer = Customer.get_or_none(Customer.id == case.customer_id)
    needs = _needs(case)
    rows = list(Restriction.select().where(
        (Restriction.case == case) & Restriction.status.in_([DRAFT, IN_FORCE]))
        .order_by(Restriction.id))
    drafts = [_view(r, needs) for r in rows if r.status == DRAFT]
    in_force = [_view(r, needs) for r in rows if r.status == IN_FORCE]
    consultation = _consultation(case)
    # What stands in the way of the decision D makes on this case: the same list the
    # service refuses with. Imported here: readiness builds on this module's checks.
    from crm_tui.services.restrictions import readiness

    problems = readiness.blockers(actor, reference) if readiness.action_for(
        summarise(case).state) is not None else ready_problems(
        case, may_link=can(actor, Capability.WEIGH_EVIDENCE))
    referral_evidence = EvidenceLink.select().where(
        (EvidenceLink.case == case) & EvidenceLink.referral.is_null(False)).count()
    breaches = Breach.select().where(
        Breach.restriction.in_([r.id for r in in_force])).count() if in_force else 0
    referral = Referral.select().where(Referral.case == case).order_by(Referral.id.desc()).first()
    return BuilderView(
        summarise(case), customer.personal_circumstances if customer else "",
        customer.reasonable_adjustments if customer else "", needs, drafts, in_force,
        consultation, problems, referral_evidence, breaches, _invitation(case),
        from_mask(referral.categories) if referral else (), _decided(case),
        int(customer.version) if customer else 0,
        bool(drafts) and case.state == CaseState.RESTRICTED.value
        and readiness.same_as_in_force(case))


def _consultation(case: Case) -> ConsultationInfo | None:
    """The Head of Service's view that matters now: at a review, the latest on the
    extension; otherwise the latest on the referral (views on not writing are shown on the
    case file, not here)."""
    subject = (ConsultationSubject.EXTENSION if case.state == CaseState.UNDER_REVIEW.value
               else ConsultationSubject.REFERRAL)
    row = consulted.latest(case, subject)
    if row is None:
        return None
    info = _info(row)
    proposal = consulted.info(row).proposal
    if proposal is None:
        return info
    return replace(info, changed=tuple(consulted.what_changed(
        case, proposal, versions.current(case), versions.kinds(case))))


def _invitation(case: Case) -> InvitationInfo | None:
    invited = open_proposal(case)
    if invited is None:
        return None
    proposal = Proposal.from_json(invited.proposal)
    return InvitationInfo(invited.reason, [describe(d.kind, dict(d.parameters))
                                           for d in (proposal.drafts if proposal else ())],
                          invited.ends_on,
                          # By when the customer may comment as the rule counts it (from the
                          # invitation's issue day when issued too late for the proposal's
                          # date), as every other screen says it.
                          comments_in.comments_by(case) or invited.reply_by,
                          invited.proposed_at.date())


def set_contact_needs(actor: Actor, reference: str, needs: tuple[ContactNeed, ...], *,
                      read_version: int | None = None,
                      opened: tuple[ContactNeed, ...] | None = None) -> None:
    """Record the customer's contact needs (from their reasonable adjustments).
    `opened`: the needs as the builder showed them: refused (StaleEdit) only if someone else
    changed the needs meanwhile, not another field of the customer's record (issue 16);
    without it, `read_version`: refused if the record changed at all since."""
    changes = ("set_customer_details", "set_customer_contact", "set_contact_needs")
    with atomic():
        require(actor, Capability.DRAFT_RESTRICTIONS)
        case = load_case_for_change(actor, reference)
        customer = Customer.get_by_id(case.customer_id)
        before = customer.contact_needs
        now = ", ".join(n.label for n in parse_needs(before))
        if opened is not None:
            def said(values: tuple[ContactNeed, ...]) -> str:
                return ", ".join(n.label for n in parse_needs(store_needs(values))) or "(none)"
            stale.merged("customer's record", {"needs": said(opened)}, {"needs": said(needs)},
                         {"needs": now or "(none)"}, {"needs": "the contact needs"},
                         case.reference, ("set_contact_needs",), lambda p: True)
            if said(needs) == said(opened):
                return  # nothing changed here: theirs stands
        else:
            stale.require_current(
                "customer's record", read_version, int(customer.version), case.reference,
                changes, lambda p: True,
                {"the contact needs": now or "(none)"} if before != store_needs(needs)
                else {})
        Customer.update(contact_needs=store_needs(needs)).where(
            Customer.id == customer.id).execute()
        stale.bump(Customer, customer.id)
        audit.record(actor, "set_contact_needs", case.reference, payload={
            "before": before, "after": store_needs(needs)})


def checked_draft(case: Case, draft: RestrictionDraft, *, replacing: int | None = None,
                  ) -> tuple[dict[str, Any], dict[str, Any]]:
    """A draft's parameters, resolved, and the columns it is stored in, each field checked in
    the order the form shows them (the first refused is the one said). Drafting and changing
    a draft (`replacing`: its id) check it alike."""
    params = parameters.resolve(draft.kind, validate_parameters(draft.kind, draft.parameters))
    return params, {
        "kind": draft.kind.value, "parameters": to_json(params),
        "reason": grounds_text("reason", draft.reason),
        "customer_reason": refuse_closed_offers(
            case, draft.kind, params, told_words(case, "customer_reason", draft.customer_reason),
            leaving_out=replacing),
        "proportionality": grounds_text("proportionality", draft.proportionality),
        "evidence_note": bounded_text("evidence_note", draft.evidence_note),
        # The policy's decision must show that less would not do and that the customer can
        # still reach the council for an emergency or a new matter.
        "less_restrictive_considered": grounds_text("less_restrictive_considered",
                                                    draft.less_restrictive_considered),
        "still_reachable": required_text("still_reachable", draft.still_reachable),
        "behaviours": safeguards.behaviours_mask(draft.behaviours),
    }


def update_draft(actor: Actor, reference: str, restriction_id: int,
                 draft: RestrictionDraft, *, read_version: int | None = None) -> None:
    """Change a drafted restriction (its parameters and reasons) before the decision.
    `read_version`: the version the change was made from; refused (StaleEdit, saying what
    changed) if someone else has changed the draft since."""
    with atomic():
        require(actor, Capability.DRAFT_RESTRICTIONS)
        case = load_case_for_change(actor, reference)
        row = draft_row(case, restriction_id)
        versions.require_draft_as_read(case, row, read_version, saving=draft)
        params, columns = checked_draft(case, draft, replacing=int(row.id))
        Restriction.update(**columns).where(Restriction.id == row.id).execute()
        # After each field is read (their errors come first); refused, nothing is kept.
        refuse_contradiction(case, draft.kind, params, leaving_out=int(row.id),
                             kind_kept=draft.kind.value == row.kind)
        versions.bump(row.id)
        audit.record(actor, "update_draft", case.reference, payload={
            "id": row.id, "kind": draft.kind.value, "parameters": params,
            "behaviours": [c.name.lower() for c in draft.behaviours],
            "before": {"kind": row.kind, "parameters": json.loads(row.parameters)}})


def justify(actor: Actor, reference: str, restriction_id: int, note: str, *,
            read_version: int | None = None) -> None:
    """Why a restriction stands although it clashes with a contact need of the customer.
    `read_version`: as for update_draft."""
    with atomic():
        require(actor, Capability.DRAFT_RESTRICTIONS)
        case = load_case_for_change(actor, reference)
        row = draft_row(case, restriction_id)
        versions.require_draft_as_read(case, row, read_version, equality_note=note)
        text = grounds_text("equality_note", note, 5_000)
        Restriction.update(equality_note=text).where(Restriction.id == row.id).execute()
        versions.bump(row.id)
        audit.record(actor, "justify_equality_clash", case.reference, text, {"id": row.id})


def default_terms(months: int = 24) -> DecisionTerms:
    """Starting today, for two years, the review left blank: the decision settles it, the
    configured period after they start (domain.terms.default_review). Filled in with a year
    from today, it stayed when the start was moved later: a review before they started, or
    a sooner one asking for a reason (v15m-1)."""
    today = clock.today()
    return DecisionTerms(starts_on=today, ends_on=add_months(today, months))


def decision_defaults(actor: Actor, reference: str) -> DecisionTerms:
    """The dates the decision opens with: for a first decision, from today to the end the Head
    of Service was consulted on (two years by default); for a variation, the end and review
    in force (a later one would be stricter); for an extension, the end the customer was
    invited to comment on."""
    case = load_case(actor, reference)
    terms = default_terms()
    today = clock.today()
    if case.state == CaseState.RESTRICTED.value and case.restrictions_end:
        # A later start decided is kept: a sooner one would be stricter.
        start = case.restrictions_start
        return DecisionTerms(starts_on=start if start is not None and starts_later(start, today)
                             else today, ends_on=case.restrictions_end,
                             review_due=case.review_due)
    invited = open_proposal(case) if case.state == CaseState.UNDER_REVIEW.value else None
    if invited is not None:
        return DecisionTerms(starts_on=today, ends_on=invited.ends_on)
    view = _consultation(case)
    if view is not None and view.proposed_end is not None and view.proposed_end > today:
        return DecisionTerms(starts_on=today, ends_on=view.proposed_end)
    return terms


def redraft_in_force(actor: Actor, reference: str) -> list[RestrictionKind]:
    """Set the restrictions in force out again as drafts, with the evidence they rest on, so
    that a review can propose them for longer (or change them) without retyping them. Returns
    the kind of each draft made, in the order set out: how the user is told of them (by kind,
    never by row number: b15e F10)."""
    with atomic():
        require(actor, Capability.DRAFT_RESTRICTIONS)
        case = load_case_for_change(actor, reference)
        rows = list(Restriction.select().where((Restriction.case == case)
                                               & (Restriction.status == IN_FORCE))
                    .order_by(Restriction.id))
        if not rows:
            raise RequirementMissing(f"no restriction is in force on {case.reference}")
        # Beside a draft of a kind in force, a copy would be a second of that kind (v15e F2).
        drafted = dict(parameters.drafted_terms(case))
        for row in rows:
            kind = RestrictionKind(row.kind)
            if kind in drafted:
                raise RequirementMissing(
                    f"a {kind.label} restriction is already set out on {case.reference} "
                    f"(\u201c{describe(kind, drafted[kind])}\u201d): setting out those in "
                    "force again would add a second; change it (e), or discard it (x) first")
        made = []
        for row in rows:
            copy = Restriction.create(
                case=case, kind=row.kind, parameters=row.parameters, reason=row.reason,
                customer_reason=row.customer_reason,
                proportionality=row.proportionality, evidence_note=row.evidence_note,
                less_restrictive_considered=row.less_restrictive_considered,
                still_reachable=row.still_reachable, equality_note=row.equality_note,
                behaviours=row.behaviours,
                status=DRAFT, drafted_by=actor.user_id, drafted_at=clock.now())
            for link in EvidenceLink.select().where(EvidenceLink.restriction == row.id):
                EvidenceLink.create(case=case, contact=link.contact_id,
                                    document=link.document_id, restriction=copy.id,
                                    linked_by=actor.user_id, linked_at=clock.now())
            made.append(int(copy.id))
        audit.record(actor, "redraft_in_force", case.reference,
                     payload={"from": [r.id for r in rows], "drafts": made})
        return [RestrictionKind(r.kind) for r in rows]
