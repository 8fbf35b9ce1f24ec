"""Gather, from a case, everything a letter of each kind must say."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from crm_tui import clock
from crm_tui.db.models import (
    Appeal,
    AuditEntry,
    Case,
    CaseNote,
    ContactLogEntry,
    Customer,
    Decision,
    EvidenceLink,
    ExtensionProposal,
    LocalResolution,
    PriorWarning,
    Restriction,
    Review,
    User,
)
from crm_tui.domain import severity
from crm_tui.domain.equality import ContactNeed, parse_needs
from crm_tui.domain.errors import RequirementMissing
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.proposal import Proposal
from crm_tui.domain.restrictions import RestrictionKind, describe
from crm_tui.domain.roles import Actor, Role
from crm_tui.letters import content
from crm_tui.letters.content import Letter, Letterhead, Restricting
from crm_tui.services.core import deadlines, independence, settings
from crm_tui.services.core.case_steps import DRAFT, IN_FORCE

DECIDING = {LetterKind.DECISION: (Action.IMPOSE_RESTRICTIONS,),
            LetterKind.EXTENSION_DECISION: (Action.EXTEND_RESTRICTIONS,
                                            Action.VARY_RESTRICTIONS),
            LetterKind.LIFTED: (Action.LIFT_RESTRICTIONS,)}
# Decisions that put drafted restrictions in force.
PUTTING_IN_FORCE = (Action.IMPOSE_RESTRICTIONS, Action.VARY_RESTRICTIONS,
                    Action.EXTEND_RESTRICTIONS, Action.AMEND_ON_APPEAL)
COMMENTS = "customer_comments"  # the case note a customer's comments at a review are kept in
SUBJECTS = {
    LetterKind.LOCAL_RESOLUTION: "Our concerns about your contact with the council, and the "
                                 "way forward",
    LetterKind.DECISION: "Decision to restrict your contact with the council",
    LetterKind.INVITATION: "Proposed restrictions on your contact with the council: your "
                           "comments",
    LetterKind.EXTENSION_DECISION: "Decision on the restrictions on your contact with the "
                                   "council",
    LetterKind.LIFTED: "The restrictions on your contact with the council are lifted",
    LetterKind.APPEAL_OUTCOME: "The result of your appeal",
}


def letterhead() -> Letterhead:
    c = settings.current().council
    return Letterhead(c.name, c.department, c.address, c.telephone, c.email, c.website)


def _latest(case: Case, actions: tuple[Action, ...]) -> Decision | None:
    found: Decision | None = (
        Decision.select().where((Decision.case == case)
                                & Decision.action.in_([a.value for a in actions]))
        .order_by(Decision.decided_at.desc(), Decision.id.desc()).first())
    return found


def _behaviour(restriction_ids: list[int], limit: int = 5) -> list[tuple[date, str]]:
    ids = [link.contact_id for link in EvidenceLink.select().where(
        EvidenceLink.restriction.in_(restriction_ids) & EvidenceLink.contact.is_null(False))]
    examples: dict[str, date] = {}
    for row in (ContactLogEntry.select().where(ContactLogEntry.id.in_(ids)
                                               & (ContactLogEntry.categories != 0))
                .order_by(ContactLogEntry.at.desc())):
        examples.setdefault(row.summary, row.at.date())
        if len(examples) == limit:
            break
    return sorted((d, s) for s, d in examples.items())


def _restricting(rows: list[Restriction], reason: str, starts: date, ends: date,
                 review: date, decided: date | None, changes: list[str] | None = None,
                 reply_by: date | None = None) -> Restricting:
    appeal_days = settings.current().appeal_period_days
    return Restricting(
        restrictions=[(describe(RestrictionKind(r.kind), json.loads(r.parameters)), r.reason)
                      for r in rows],
        behaviour=_behaviour([r.id for r in rows]), reason=reason,
        still_reachable=sorted({r.still_reachable for r in rows if r.still_reachable}),
        starts_on=starts, ends_on=ends, review_due=review,
        # The appeal period runs from the letter: counted from the day it is issued (today).
        appeal_by=deadlines.due("appeal", clock.today(), appeal_days) if decided else None,
        changes=changes or [], reply_by=reply_by)


def _terms(rows: list[Restriction]) -> list[tuple[RestrictionKind, dict[str, Any]]]:
    return [(RestrictionKind(r.kind), json.loads(r.parameters)) for r in rows]


def changes_between(before: list[Restriction], before_end: date | None,
                    before_review: date | None, rows: list[Restriction], ends_on: date,
                    review_due: date) -> severity.Comparison:
    """What a decision changes, compared with the restrictions in force until it."""
    return severity.compare(_terms(before), _terms(rows), ends_now=before_end,
                            ends_proposed=ends_on, review_now=before_review,
                            review_proposed=review_due)


def _changed(found: severity.Comparison) -> list[str]:
    respects = [*found.stricter, *found.lighter]
    if not respects:
        return []
    return ["Compared with the restrictions in force until now, this decision:",
            *[f"- {respect}" for respect in respects]]


def _commented(case: Case, since: datetime, until: datetime | None) -> bool:
    query = CaseNote.select().where((CaseNote.case == case) & (CaseNote.kind == COMMENTS)
                                    & (CaseNote.recorded_at >= since))
    if until is not None:
        query = query.where(CaseNote.recorded_at <= until)
    return bool(query.exists())


def opening(case: Case, action: Action, invited: ExtensionProposal | None,
            eased: bool, until: datetime | None = None) -> str:
    """How a decision letter begins: what happened before the decision, as recorded."""
    if action is Action.IMPOSE_RESTRICTIONS:
        return content.IMPOSED
    if action is Action.VARY_RESTRICTIONS:
        return content.EASED if eased else content.REWORDED
    if invited is None:
        return content.extension_opening(None, None, False)
    return content.extension_opening(invited.proposed_at.date(), invited.reply_by,
                                     _commented(case, invited.proposed_at, until))


def _decision_sections(case: Case, action: Action, rows: list[Restriction], reason: str,
                      starts_on: date, ends_on: date, review_due: date, decided_on: date,
                      before: tuple[list[Restriction], date | None, date | None] | None,
                      invited: ExtensionProposal | None,
                      until: datetime | None = None) -> list[tuple[str, list[str]]]:
    """A decision letter's sections, from the restrictions it puts in force; `before`: those
    it replaces (with their end and review dates), for what has changed."""
    found = changes_between(*before, rows, ends_on, review_due) if before is not None \
        else severity.Comparison()
    r = _restricting(rows, reason, starts_on, ends_on, review_due, decided_on, _changed(found))
    return content.decision_sections(r, letterhead(), case.reference,
                                     opening(case, action, invited, bool(found.lighter),
                                             until))


def _before(decision: Decision) -> tuple[list[Restriction], date | None, date | None] | None:
    """The restrictions a decision replaced: those of the decision before it."""
    previous = (Decision.select().where(
        (Decision.case == decision.case) & (Decision.id != decision.id)
        & (Decision.decided_at <= decision.decided_at)
        & Decision.action.in_([a.value for a in PUTTING_IN_FORCE]))
        .order_by(Decision.decided_at.desc(), Decision.id.desc()).first())
    if previous is None:
        return None
    rows = list(Restriction.select().where(Restriction.decision == previous))
    return rows, previous.ends_on, previous.review_due


def _decided_letter(case: Case, kind: LetterKind) -> list[tuple[str, list[str]]]:
    decision = _latest(case, DECIDING[kind])
    if decision is None:
        raise RequirementMissing(f"no decision of this kind is recorded on {case.reference}")
    rows = list(Restriction.select().where(Restriction.decision == decision))
    decided = decision.decided_at.date()
    action = Action(decision.action)
    invited = ExtensionProposal.get_or_none(ExtensionProposal.decision == decision)
    return _decision_sections(
        case, action, rows, decision.reason, decision.effective_from or decided,
        decision.ends_on or decided, decision.review_due or decided, decided,
        _before(decision) if action is not Action.IMPOSE_RESTRICTIONS else None, invited,
        decision.decided_at)


def proposed_decision(actor: Actor, case: Case, action: Action, reason: str,
                      starts_on: date, ends_on: date, review_due: date,
                      invited: ExtensionProposal | None) -> Letter:
    """The letter a decision on the drafts would produce if it were made now: built (and
    checked) before the decision is stored, from the same content as the letter signed
    afterwards."""
    rows = list(Restriction.select().where((Restriction.case == case)
                                           & (Restriction.status == DRAFT))
                .order_by(Restriction.id))
    before = None
    if action is not Action.IMPOSE_RESTRICTIONS:
        before = (list(Restriction.select().where((Restriction.case == case)
                                                  & (Restriction.status == IN_FORCE))),
                  case.restrictions_end, case.review_due)
    kind = LetterKind.DECISION if action is Action.IMPOSE_RESTRICTIONS \
        else LetterKind.EXTENSION_DECISION
    sections = _decision_sections(case, action, rows, reason, starts_on, ends_on, review_due,
                                 clock.today(), before, invited)
    return _compose(actor, case, kind, sections)


def proposed_amendment(actor: Actor, case: Case, reason: str, starts_on: date, ends_on: date,
                       review_due: date) -> Letter:
    """The appeal outcome letter an amendment to the drafts would produce if decided now."""
    rows = list(Restriction.select().where((Restriction.case == case)
                                           & (Restriction.status == DRAFT))
                .order_by(Restriction.id))
    changes = [f"The restrictions now are: {describe(RestrictionKind(x.kind), json.loads(x.parameters))}."  # noqa: E501
               for x in rows]
    r = _restricting(rows, reason, starts_on, ends_on, review_due, None, changes)
    return _compose(actor, case, LetterKind.APPEAL_OUTCOME, content.appeal_sections(
        "amended", reason, r, letterhead(), case.reference,
        decided_by=_would_decide(actor, case)))


def _would_decide(actor: Actor, case: Case) -> str:
    """As _decided_by, for the appeal the acting person is about to decide."""
    decider = User.get_by_id(actor.user_id)
    title = decider.title or Role(decider.role).label
    who = f"Your appeal was decided by {decider.name}, {title}"
    if actor.role is not Role.SERVICE_DIRECTOR:
        who += ", nominated by the Service Director, Legal & Business Operations to decide it"
    who += "."
    appeal = (Appeal.select().where((Appeal.case == case) & (Appeal.outcome == ""))
              .order_by(Appeal.id.desc()).first())
    if appeal is None or decider.id in independence.participants(case, appeal.decision):
        return who
    return f"{who} {decider.name} took no part in the decision you appealed against."


def open_proposal(case: Case) -> ExtensionProposal | None:
    """The proposal the customer was last invited to comment on at the review still open,
    not yet decided. One made at an earlier review (which ended otherwise) is not open."""
    found: ExtensionProposal | None = (
        ExtensionProposal.select().join(Review, on=(ExtensionProposal.review == Review.id))
        .where((ExtensionProposal.case == case) & ExtensionProposal.decision.is_null()
               & (Review.outcome == ""))
        .order_by(ExtensionProposal.id.desc()).first())
    return found


def _invitation(case: Case, head: Letterhead) -> list[tuple[str, list[str]]]:
    today = clock.today()
    invited = open_proposal(case)
    if invited is not None:
        # What the customer is invited to comment on is the proposal as it was recorded,
        # whatever the drafts say since.
        proposal = Proposal.from_json(invited.proposal)
        stamps = proposal.drafts if proposal is not None else ()
        r = Restricting(
            restrictions=[(describe(d.kind, dict(d.parameters)), d.reason) for d in stamps],
            behaviour=_behaviour([d.id for d in stamps]), reason=invited.reason,
            still_reachable=sorted({d.still_reachable for d in stamps if d.still_reachable}),
            starts_on=today, ends_on=invited.ends_on, review_due=today,
            reply_by=invited.reply_by)
        return content.invitation_sections(r, head, case.reference)
    # Proposed before proposals were recorded: new restrictions set out, or else the ones in
    # force, to run for longer; the reasons are those of the step that proposed it.
    proposed = list(Restriction.select().where((Restriction.case == case)
                                               & (Restriction.status == DRAFT))) or list(
        Restriction.select().where((Restriction.case == case)
                                   & (Restriction.status == IN_FORCE)))
    step = (AuditEntry.select().where((AuditEntry.case_reference == case.reference)
                                      & (AuditEntry.action == "propose_extension"))
            .order_by(AuditEntry.seq.desc()).first())
    return content.invitation_sections(
        _restricting(proposed, step.reason if step else "", today,
                     case.restrictions_end or today, today, None, reply_by=case.reply_by),
        head, case.reference)


def _decided_by(case: Case, appeal: Appeal) -> str:
    """Who decided the appeal, and — only if the record bears it out — that they took no part
    in the decision appealed against."""
    decider = User.get_or_none(User.id == appeal.decided_by_id)
    if decider is None:
        raise RequirementMissing(f"the appeal on {case.reference} does not record who decided it")
    title = decider.title or Role(decider.role).label
    who = f"Your appeal was decided by {decider.name}, {title}"
    if appeal.nomination is not None:
        who += ", nominated by the Service Director, Legal & Business Operations to decide it"
    who += "."
    # What the record showed when the appeal was decided: the decision itself, and the letter
    # the decider signs, are not "taking part" in the decision appealed against.
    earlier = Appeal.select().where((Appeal.case == case) & (Appeal.outcome != "")
                                    & (Appeal.id < appeal.id)).count()
    decided = independence.nth_entry(case.reference, independence.APPEAL_DECISIONS, earlier)
    if decided is None or decider.id in independence.participants(case, appeal.decision,
                                                                  before=decided):
        return who
    return f"{who} {decider.name} took no part in the decision you appealed against."


def sections_for(case: Case, kind: LetterKind) -> list[tuple[str, list[str]]]:
    head = letterhead()
    if kind in (LetterKind.DECISION, LetterKind.EXTENSION_DECISION):
        return _decided_letter(case, kind)
    if kind is LetterKind.INVITATION:
        if case.reply_by is None:
            raise RequirementMissing("no extension or new restriction has been proposed")
        return _invitation(case, head)
    if kind is LetterKind.LIFTED:
        decision = _latest(case, DECIDING[kind])
        if decision is None:
            raise RequirementMissing(f"the restrictions on {case.reference} have not been lifted "
                                     "with a letter")
        return content.lifted_sections(decision.effective_from or decision.decided_at.date(),
                                       decision.reason)
    if kind is LetterKind.APPEAL_OUTCOME:
        appeal = (Appeal.select().where((Appeal.case == case) & (Appeal.outcome != ""))
                  .order_by(Appeal.id.desc()).first())
        if appeal is None:
            raise RequirementMissing(f"no appeal on {case.reference} has been decided")
        rows = list(Restriction.select().where((Restriction.case == case)
                                               & (Restriction.status == IN_FORCE)))
        now: Restricting | None = None
        if rows:
            decided = appeal.decided_at.date() if appeal.decided_at else clock.today()
            changes = ([f"The restrictions now are: {describe(RestrictionKind(x.kind), json.loads(x.parameters))}."  # noqa: E501
                        for x in rows] if appeal.outcome == "amended" else [])
            now = _restricting(rows, appeal.reason, case.restrictions_start or decided,
                               case.restrictions_end or decided, case.review_due or decided,
                               None, changes)
        return content.appeal_sections(appeal.outcome, appeal.reason, now, head,
                                       case.reference, decided_by=_decided_by(case, appeal))
    lr = (LocalResolution.select().where(LocalResolution.case == case)
          .order_by(LocalResolution.id.desc()).first())
    if lr is None:
        raise RequirementMissing(f"no local resolution is recorded on {case.reference}")
    return content.local_resolution_sections(
        lr.written_summary, lr.spoc_name, lr.contact_frequency, lr.communication_style,
        lr.monitoring_start, lr.monitoring_end,
        warned=PriorWarning.select().where(PriorWarning.local_resolution == lr).exists())


def _title(actor: Actor) -> str:
    user = User.get_or_none(User.id == actor.user_id)
    return str(user.title) if user is not None and user.title else actor.role.label


def _compose(actor: Actor, case: Case, kind: LetterKind,
             sections: list[tuple[str, list[str]]], *, demo: bool = False) -> Letter:
    customer = Customer.get_by_id(case.customer_id)
    address = tuple(line for line in customer.address.split("\n") if line.strip())
    if customer.postcode:
        address = (*address, customer.postcode)
    return Letter(kind=kind, reference=case.reference, letterhead=letterhead(),
                  recipient=customer.name, address=address, written_on=clock.today(),
                  subject=SUBJECTS[kind], sections=sections,
                  signer=actor.name, signer_title=_title(actor), demo=demo,
                  large_print=ContactNeed.LARGE_PRINT in parse_needs(customer.contact_needs))


def compose(actor: Actor, case: Case, kind: LetterKind, *, demo: bool = False) -> Letter:
    """The letter of this kind for the case, as it would be signed by `actor` today."""
    return _compose(actor, case, kind, sections_for(case, kind), demo=demo)

