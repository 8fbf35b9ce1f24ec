"""Gather, from a case, everything a letter of each kind must say."""

from __future__ import annotations

import json
from datetime import date

from crm_tui import clock
from crm_tui.db.models import (
    Appeal,
    AuditEntry,
    Case,
    ContactLogEntry,
    Customer,
    Decision,
    EvidenceLink,
    LocalResolution,
    Restriction,
    User,
)
from crm_tui.domain.equality import ContactNeed, parse_needs
from crm_tui.domain.errors import RequirementMissing
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.lifecycle import Action
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
        appeal_by=deadlines.due("appeal", decided, appeal_days) if decided else None,
        changes=changes or [], reply_by=reply_by)


def _decided_letter(case: Case, kind: LetterKind) -> list[tuple[str, list[str]]]:
    decision = _latest(case, DECIDING[kind])
    if decision is None:
        raise RequirementMissing(f"no decision of this kind is recorded on {case.reference}")
    rows = list(Restriction.select().where(Restriction.decision == decision))
    head = letterhead()
    decided = decision.decided_at.date()
    r = _restricting(rows, decision.reason, decision.effective_from or decided,
                     decision.ends_on or decided, decision.review_due or decided, decided)
    return content.decision_sections(r, head, case.reference,
                                     extension=kind is LetterKind.EXTENSION_DECISION)


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
        # New restrictions set out, or else the ones in force, to run for longer.
        proposed = list(Restriction.select().where((Restriction.case == case)
                                                   & (Restriction.status == DRAFT))) or list(
            Restriction.select().where((Restriction.case == case)
                                       & (Restriction.status == IN_FORCE)))
        # The proposal's reasons are recorded with the step that proposed it.
        step = (AuditEntry.select().where((AuditEntry.case_reference == case.reference)
                                          & (AuditEntry.action == "propose_extension"))
                .order_by(AuditEntry.seq.desc()).first())
        today = clock.today()
        r = _restricting(proposed, step.reason if step else "", today, today, today, None,
                         reply_by=case.reply_by)
        return content.invitation_sections(r, head, case.reference)
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
        lr.monitoring_start, lr.monitoring_end)


def _title(actor: Actor) -> str:
    user = User.get_or_none(User.id == actor.user_id)
    return str(user.title) if user is not None and user.title else actor.role.label


def compose(actor: Actor, case: Case, kind: LetterKind, *, demo: bool = False) -> Letter:
    """The letter of this kind for the case, as it would be signed by `actor` today."""
    customer = Customer.get_by_id(case.customer_id)
    address = tuple(line for line in customer.address.split("\n") if line.strip())
    if customer.postcode:
        address = (*address, customer.postcode)
    return Letter(kind=kind, reference=case.reference, letterhead=letterhead(),
                  recipient=customer.name, address=address, written_on=clock.today(),
                  subject=SUBJECTS[kind], sections=sections_for(case, kind),
                  signer=actor.name, signer_title=_title(actor), demo=demo,
                  large_print=ContactNeed.LARGE_PRINT in parse_needs(customer.contact_needs))


def available(case: Case) -> list[LetterKind]:
    """The letters this case's record can produce now."""
    kinds = []
    if LocalResolution.select().where(LocalResolution.case == case).exists():
        kinds.append(LetterKind.LOCAL_RESOLUTION)
    for kind in (LetterKind.DECISION, LetterKind.EXTENSION_DECISION, LetterKind.LIFTED):
        if _latest(case, DECIDING[kind]) is not None:
            kinds.append(kind)
    if case.reply_by is not None:
        kinds.append(LetterKind.INVITATION)
    if Appeal.select().where((Appeal.case == case) & (Appeal.outcome != "")).exists():
        kinds.append(LetterKind.APPEAL_OUTCOME)
    return sorted(kinds, key=list(LetterKind).index)
