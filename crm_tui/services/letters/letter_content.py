"""Gather, from a case, everything a letter of each kind must say, in the words the customer
is told (never the internal record), with the CRM's edits for the letter where given."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from peewee import fn

from crm_tui import clock
from crm_tui.db.models import (
    Appeal,
    BaseModel,
    Case,
    CaseNote,
    Customer,
    Decision,
    ExtensionProposal,
    LocalResolution,
    PriorWarning,
    Restriction,
    Review,
    User,
)
from crm_tui.db.models import Letter as LetterRow
from crm_tui.domain import severity
from crm_tui.domain.equality import ContactNeed, parse_needs, print_size
from crm_tui.domain.errors import RequirementMissing
from crm_tui.domain.in_force import starts_later
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.proposal import Proposal
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.terms import default_review
from crm_tui.domain.wording import envelope_lines, unpostable
from crm_tui.letters import content
from crm_tui.letters.content import Extras, Letter, Letterhead, Restricting, Sections
from crm_tui.letters.wording import OFFERED, Person, Ways, salutation_name
from crm_tui.services.core import comments_in, deadlines, independence, settings
from crm_tui.services.core.next_step import review_held_now
from crm_tui.services.core.posting_dates import untold_appeal
from crm_tui.services.core.restriction_status import DRAFT, IN_FORCE
from crm_tui.services.letters import letter_changes as changes
from crm_tui.services.letters import letter_facts as facts
from crm_tui.services.letters.letter_facts import Edits, told
from crm_tui.services.letters.sources import latest_decision

DECIDING = {LetterKind.DECISION: (Action.IMPOSE_RESTRICTIONS,),
            LetterKind.EXTENSION_DECISION: (Action.EXTEND_RESTRICTIONS,
                                            Action.VARY_RESTRICTIONS),
            LetterKind.LIFTED: (Action.LIFT_RESTRICTIONS,)}
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


@dataclass
class Drafted:
    """A letter's sections, with what the checker needs to know beside them."""

    sections: Sections
    closed: frozenset[str] = frozenset()
    unmet: list[str] = field(default_factory=list)
    ways: Ways | None = None  # what the restrictions leave open, where the letter says so


def letterhead() -> Letterhead:
    c = settings.current().council
    return Letterhead(c.name, c.department, c.address, c.telephone, c.email, c.website)


def _extras(case: Case) -> Extras:
    customer = Customer.get_by_id(case.customer_id)
    return Extras(language=customer.language.strip(),
                  interpreter=ContactNeed.INTERPRETER in parse_needs(customer.contact_needs))


def _restricting(rows: list[Restriction], reasons: list[str], behaviour: list[str],
                 starts: date, ends: date, review: date, written_on: date, *,
                 appeal: bool = True, changed: list[str] | None = None,
                 reply_by: date | None = None, since: str = "", continuing: bool = False,
                 edits: Edits = None) -> tuple[Restricting, list[str]]:
    rules, ways, unmet = facts.rules(facts.terms_of(rows), letterhead().telephone)
    appeal_days = settings.current().appeal_period_days
    r = Restricting(
        rules=rules, ways=ways, behaviour=behaviour,
        reasons=reasons, rule_reasons=[told(row, "customer_reason", edits) for row in rows],
        starts_on=starts, ends_on=ends, review_due=review, written_on=written_on,
        appeal_by=deadlines.due("appeal", written_on, appeal_days) if appeal else None,
        changes=changed or [], reply_by=reply_by, since=since, continuing=continuing)
    return r, unmet


def _closed(ways: Ways) -> frozenset[str]:
    return frozenset(OFFERED) - ways.channels


def _received(case: Case, since: datetime, until: datetime | None) -> date | None:
    query = CaseNote.select().where((CaseNote.case == case) & (CaseNote.kind == COMMENTS)
                                    & (CaseNote.recorded_at >= since))
    if until is not None:
        query = query.where(CaseNote.recorded_at <= until)
    first = query.order_by(CaseNote.recorded_at).first()
    return first.recorded_at.date() if first is not None else None


def _opening(action: Action, eased: bool) -> str:
    if action is Action.IMPOSE_RESTRICTIONS:
        return content.IMPOSED
    if action is Action.VARY_RESTRICTIONS:
        return content.EASED if eased else content.REWORDED
    return content.EXTENDED


def _decision(case: Case, action: Action, rows: list[Restriction], reasons: list[str],
              starts_on: date, ends_on: date, review_due: date, written_on: date,
              before: changes.Before | None, invited: ExtensionProposal | None,
              until: datetime | None, edits: Edits,
              started: date | None = None, *, told: changes.Told | None = None,
              told_between: bool = False, reviewing: bool = False) -> Drafted:
    """A decision letter, from the restrictions it puts in force; `before`: those it
    replaces (with their end and review dates), for how the decision is opened; `told`: what
    the customer was last sent, for what has changed (AF2: not terms they never received;
    `told_between`: an appeal's result they were never sent comes between). `reviewing`:
    written after the review date decided (a letter owed again: issue 15 AG4), it says the
    review is held now."""
    starts = (until.date() if until is not None else written_on, starts_on)
    found = changes.between(before, rows, ends_on, review_due, starts=starts) \
        if before is not None else severity.Comparison()
    # Written once a later start has come (a letter owed again, v15o AE1): the change is
    # told as it is that day ("They started later"), as the rest of the letter is.
    said = changes.since_told(told, rows, ends_on, review_due, starts=starts,
                              written_on=written_on, told_between=told_between,
                              reviewing=reviewing) \
        if before is not None and told is not None else []
    if action is not Action.EXTEND_RESTRICTIONS:
        # A decision to restrict, or to make them lighter: the contact the restrictions rest
        # on. An extension rests on the contact since they began (or the last review).
        behaviour, since = facts.evidence_examples([r.id for r in rows]), ""
    else:
        start, since = facts.since(case, until, started)
        behaviour = facts.recent_examples(case, start, until)
    r, unmet = _restricting(rows, reasons, behaviour, starts_on, ends_on, review_due,
                            written_on, changed=said, since=since,
                            continuing=action is not Action.IMPOSE_RESTRICTIONS, edits=edits)
    heard = None
    if action is Action.EXTEND_RESTRICTIONS and invited is not None:
        heard = content.comments_heard(invited.proposed_at.date(),
                                       comments_in.given(case, invited),
                                       _received(case, invited.proposed_at, until))
    return Drafted(content.decision_sections(
        r, letterhead(), case.reference, opening=_opening(action, bool(found.lighter)),
        heard=heard, extras=_extras(case), reviewing=reviewing), _closed(r.ways), unmet,
        r.ways)


def _telling_appeal(sections: Sections, decision: Decision) -> Sections:
    """A later decision's letter, sent in place of an appeal outcome letter never posted,
    tells the appeal's result after its opening (posting_dates.untold_appeal, v15m-3); sent
    in place of earlier decisions' letters never posted (or never signed: AF3), it tells
    those decisions and what they set (letter_changes.told_before, fixAB AB2, AF2).
    `decision` may be one still to be recorded (_to_be_recorded): the decision form's
    preview is built here too, so it says what the letter will (AF1)."""
    earlier = changes.told_before(decision.case, decision.id).untold
    if earlier:
        told = content.decision_untold(
            [(e.action, e.decided_at.date(), changes.what_it_set(e)) for e in earlier],
            decision.action != Action.LIFT_RESTRICTIONS.value)
        heading = "Our earlier decision" if len(earlier) == 1 else "Our earlier decisions"
        sections = [sections[0], (heading, told), *sections[1:]]
    appeal = untold_appeal(decision)
    if appeal is None or appeal.decided_at is None:
        return sections
    amended = (Decision.select().where((Decision.case == decision.case)
                                       & (Decision.action == Action.AMEND_ON_APPEAL.value)
                                       & (Decision.id < decision.id))
               .order_by(Decision.id.desc()).first()) if appeal.outcome == "amended" else None
    starts = (amended.effective_from if amended is not None else None)
    # Who decided it and why, as the outcome letter would have said (v15n 6: the letter in
    # its place gave only the result).
    told = content.appeal_untold(appeal.outcome, appeal.decision.decided_at.date(),
                                 appeal.decided_at.date(), starts,
                                 decision.decided_at.date(),
                                 decided_by=_decided_by(decision.case, appeal),
                                 reasons=[appeal.customer_reason or ""],
                                 appealed_action=str(appeal.decision.action),
                                 appealed_untold=any(int(e.id) == int(appeal.decision_id)
                                                     for e in earlier),
                                 what_set=changes.what_it_set(
                                     amended, "The changed restrictions were")
                                 if amended is not None else "")
    rest = sections[1:]
    if not any(content.OMBUDSMAN in p for _, ps in rest for p in ps):
        # The Ombudsman after an appeal: a lifting letter says nothing of appeals otherwise.
        rest = [*rest, ("If you are still unhappy", [content.OMBUDSMAN])]
    return [sections[0], ("Your appeal", told), *rest]


def _to_be_recorded(case: Case, action: Action) -> Decision:
    """The decision the form would record now, never saved: numbered after every decision
    there is and decided now, so a preview finds what the customer was and was not sent
    before it by the rules the letter prepared after it is (AF1)."""
    last = Decision.select(fn.MAX(Decision.id)).scalar() or 0
    return Decision(id=int(last) + 1, case=case, action=action.value, decided_at=clock.now())


def _decided_letter(case: Case, kind: LetterKind, written_on: date, edits: Edits) -> Drafted:
    decision = latest_decision(case, DECIDING[kind])
    if decision is None:
        raise RequirementMissing(f"no decision of this kind is recorded on {case.reference}")
    rows = list(Restriction.select().where(Restriction.decision == decision)
                .order_by(Restriction.id))
    decided = decision.decided_at.date()
    action = Action(decision.action)
    invited = ExtensionProposal.get_or_none(ExtensionProposal.decision == decision)
    found = _decision(
        case, action, rows, [told(decision, "customer_reason", edits)],
        decision.effective_from or decided, decision.ends_on or decided,
        decision.review_due or decided, written_on,
        changes.before(decision) if action is not Action.IMPOSE_RESTRICTIONS else None,
        invited, decision.decided_at, edits, changes.started(decision),
        told=changes.told_before(case, decision.id),
        told_between=untold_appeal(decision) is not None,
        reviewing=decision.review_due is not None and decision.review_due < written_on)
    return replace(found, sections=_telling_appeal(found.sections, decision))


def _drafts(case: Case) -> list[Restriction]:
    return list(Restriction.select().where((Restriction.case == case)
                                           & (Restriction.status == DRAFT))
                .order_by(Restriction.id))


def proposed_decision(actor: Actor, case: Case, action: Action, reason: str,
                      starts_on: date, ends_on: date, review_due: date,
                      invited: ExtensionProposal | None, *, customer_reason: str = "") -> Letter:
    """The letter a decision on the drafts would produce if it were made now: built (and
    checked) before the decision is stored, from the same content as the letter signed
    afterwards. `reason` stays on the record; the customer is told `customer_reason`."""
    del reason  # the internal record: never put in the letter
    rows = _drafts(case)
    before = None
    if action is not Action.IMPOSE_RESTRICTIONS:
        before = (list(Restriction.select().where((Restriction.case == case)
                                                  & (Restriction.status == IN_FORCE))),
                  case.restrictions_end, case.review_due)
    kind = LetterKind.DECISION if action is Action.IMPOSE_RESTRICTIONS \
        else LetterKind.EXTENSION_DECISION
    # As the letter prepared once it is recorded will say (AF1: the preview left out "Your
    # appeal" and "Our earlier decision", which the signed letter then carried).
    decision = _to_be_recorded(case, action)
    drafted = _decision(case, action, rows, [customer_reason], starts_on, ends_on, review_due,
                        clock.today(), before, invited, None, None,
                        changes.started(decision) if action is not Action.IMPOSE_RESTRICTIONS
                        else None, told=changes.told_before(case, decision.id),
                        told_between=untold_appeal(decision) is not None)
    drafted = replace(drafted, sections=_telling_appeal(drafted.sections, decision))
    return _compose(actor, case, kind, drafted)


def proposed_amendment(actor: Actor, case: Case, reason: str, starts_on: date, ends_on: date,
                       review_due: date, *, customer_reason: str = "") -> Letter:
    """The appeal outcome letter an amendment to the drafts would produce if decided now."""
    del reason  # the internal record
    rows = _drafts(case)
    # As the letter signed after the amendment will say (fixAL AL3): what has changed since
    # the last letter posted, and any decision in between never sent.
    today = clock.today()
    said, earlier, untold = _amendment_told(
        case, _to_be_recorded(case, Action.AMEND_ON_APPEAL), rows, ends_on, review_due, today,
        starts_on, today, review_held_now(case, today))
    r, unmet = _restricting(rows, [], [], starts_on, ends_on, review_due, today,
                            appeal=False, changed=said)
    appeal = _open_appeal(case)
    sections = content.appeal_sections(
        "amended", [customer_reason], r, letterhead(), decided_by=_would_decide(actor, case),
        extras=_extras(case),
        appealed_on=appeal.decision.decided_at.date() if appeal is not None else None,
        received_on=appeal.received_on if appeal is not None else None,
        appealed_action=str(appeal.decision.action) if appeal is not None else "",
        which=_which(appeal.decision, untold) if appeal is not None else content.Which())
    sections = _with_earlier(sections, earlier)
    return _compose(actor, case, LetterKind.APPEAL_OUTCOME,
                    Drafted(sections, _closed(r.ways), unmet, r.ways))


def _amendment_of(appeal: Appeal) -> Decision | None:
    """The decision that put an appeal's amendment in force: the first amendment on appeal
    after the decision appealed against."""
    found: Decision | None = (Decision.select().where(
        (Decision.case == appeal.case) & (Decision.action == Action.AMEND_ON_APPEAL.value)
        & (Decision.id > appeal.decision_id)).order_by(Decision.id).first())
    return found


def _decided_after(appeal: Appeal) -> int | None:
    """The first decision recorded after an appeal was decided (None: none yet, or the
    appeal still open): what the customer was told before the appeal's result is looked for
    before it, a later decision telling of the appeal itself."""
    if appeal.decided_at is None:
        return None
    found = (Decision.select(Decision.id).where(
        (Decision.case == appeal.case) & (Decision.id > appeal.decision_id)
        & (Decision.decided_at > appeal.decided_at)).order_by(Decision.id).first())
    return int(found.id) if found is not None else None


def _appealed_words(action: str) -> str:
    """What a decision did, as the outcome letter names the one appealed against."""
    return content.APPEALED.get(action, content.RESTRICTED)


def _which(decision: Decision, untold: list[Decision]) -> content.Which:
    """The decision appealed against, named apart from the case's other decisions of its day
    said in the same words (content.Which; v18 AT4): by its letter's date, that letter
    posted, or as the last of the decisions `untold` (told under *Our earlier decisions*); by
    its day and what it did alone if no other that day did the same."""
    on, words = decision.decided_at.date(), _appealed_words(str(decision.action))
    if not any(d.decided_at.date() == on and _appealed_words(str(d.action)) == words
               for d in Decision.select().where(
                   (Decision.case == decision.case) & (Decision.id != decision.id)
                   & Decision.action.in_(list(content.DECIDED_WORDS)))):
        return content.Which()
    posted = (LetterRow.select().where(
        LetterRow.source.in_(_letter_sources(decision)) & (LetterRow.status == "issued")
        & LetterRow.posted_on.is_null(False)).order_by(LetterRow.id).first())
    if posted is not None:
        return content.Which(letter_on=posted.written_on or posted.posted_on,
                             about=_letter_about(decision, posted))
    return content.Which(last_told=bool(untold) and int(untold[-1].id) == int(decision.id))


def _letter_sources(decision: Decision) -> list[str]:
    """The keys its letter is filed under: "decision:N", and for an amendment on appeal the
    outcome letter of the appeal it decided, "appeal:M" (issue 15 BA5: looked for under
    "decision:N" alone, an amendment's letter was never found, and the letter naming it lost
    "our letter of … telling you of …"), as letter_changes.told_before finds it."""
    keys = [f"decision:{decision.id}"]
    if decision.action == Action.AMEND_ON_APPEAL.value:
        appeal = changes.amended_by(decision)
        if appeal is not None:
            keys.append(f"appeal:{appeal.id}")
    return keys


def _letter_about(decision: Decision, posted: LetterRow) -> str:
    """What the posted letter of the decision appealed against told, naming it apart from
    the other letters posted to the customer bearing its day (AV1: "our letter of 1 December
    2026" when two went that day): its kind ("telling you of the variation"), and what it
    set where another letter of that kind bears the same day."""
    about = content.LETTER_ABOUT.get(str(decision.action), "")
    on = posted.written_on or posted.posted_on
    same_kind = [row for row in LetterRow.select().where(
        (LetterRow.case == decision.case) & (LetterRow.status == "issued")
        & LetterRow.posted_on.is_null(False) & (LetterRow.kind == posted.kind)
        & (LetterRow.source != posted.source) & LetterRow.source.startswith("decision:"))
        if (row.written_on or row.posted_on) == on]
    if not same_kind:
        return about
    return f"{about}, {changes.what_it_set(decision, 'which set restrictions').rstrip('.')}"


def _amendment_told(case: Case, amendment: Decision | None, rows: list[Restriction],
                    ends_on: date, review_due: date, decided: date, starts_on: date,
                    written_on: date, reviewing: bool
                    ) -> tuple[list[str], list[str], list[Decision]]:
    """An appeal outcome letter's "What has changed" and "Our earlier decision" (fixAL AL3),
    by the rule of every later letter (AF2): what has changed is measured against the last
    letter about the restrictions the customer was actually posted — not the decision
    appealed against, whose letter may never have gone, nor a decision in force since whose
    letter never went — and a decision in between never sent is told in a paragraph of its
    own. `amendment`: the amendment's decision (one still to be recorded, for the preview)."""
    told = changes.told_before(case, amendment.id if amendment is not None else None,
                               appealed_is_told=False)
    said = changes.since_told(told, rows, ends_on, review_due, starts=(decided, starts_on),
                              written_on=written_on, told_between=bool(told.untold),
                              reviewing=reviewing)
    earlier = content.decision_untold(
        [(e.action, e.decided_at.date(), changes.what_it_set(e)) for e in told.untold],
        False, replaced_by="Our decision on your appeal") if told.untold else []
    return said, earlier, told.untold


def _with_earlier(sections: Sections, earlier: list[str]) -> Sections:
    """The outcome letter's sections with the decisions never sent told after its opening."""
    if not earlier:
        return sections
    heading = ("Our earlier decision" if "that decision" in earlier[-1]
               else "Our earlier decisions")
    return [sections[0], (heading, earlier), *sections[1:]]


def _open_appeal(case: Case) -> Appeal | None:
    """The appeal on the case still to be decided (the latest)."""
    found: Appeal | None = (Appeal.select().where((Appeal.case == case) & (Appeal.outcome == ""))
                            .order_by(Appeal.id.desc()).first())
    return found


def _would_decide(actor: Actor, case: Case) -> str:
    """As _decided_by, for the appeal the acting person is about to decide."""
    decider = User.get_by_id(actor.user_id)
    title = decider.title or Role(decider.role).label
    who = f"Your appeal was decided by {decider.name}, {title}"
    if actor.role is not Role.SERVICE_DIRECTOR:
        who += ", nominated by the Service Director, Legal & Business Operations to decide it"
    who += "."
    appeal = _open_appeal(case)
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


def _later(case: Case, written_on: date) -> date | None:
    """The day the restrictions decided start, where that is after the letter's day: none
    apply to the customer until then."""
    start: date | None = case.restrictions_start
    return start if starts_later(start, written_on) else None


def _invitation(case: Case, written_on: date, edits: Edits) -> Drafted:
    invited = open_proposal(case)
    in_force = list(Restriction.select().where((Restriction.case == case)
                                               & (Restriction.status == IN_FORCE)))
    _, now, _ = facts.rules(facts.terms_of(in_force), letterhead().telephone)
    reasons: list[str] = []
    if invited is not None:
        # What the customer is invited to comment on is the proposal as it was recorded,
        # whatever the drafts say since.
        proposal = Proposal.from_json(invited.proposal)
        stamps = proposal.drafts if proposal is not None else ()
        terms: facts.Terms = [(d.kind, dict(d.parameters)) for d in stamps]
        # In the proposal's order, as its terms are: each restriction's words beside it.
        found = {r.id: r for r in Restriction.select().where(
            Restriction.id.in_([d.id for d in stamps]))}
        said = [told(found[d.id], "customer_reason", edits) if d.id in found else ""
                for d in stamps]
        reasons = [told(invited, "customer_reason", edits)]
        # The day the customer is given is the one every screen counts to for an invitation
        # issued on the day the letter bears: never less than the reply-by period from then.
        ends_on = invited.ends_on
        reply_by = comments_in.comments_until(invited.reply_by, written_on)
        until = datetime.combine(invited.proposed_at.date(), datetime.max.time())
    else:
        # Proposed before proposals were recorded: new restrictions set out, or else the
        # ones in force, to run for longer. No words for the customer were recorded.
        rows = _drafts(case) or in_force
        terms = facts.terms_of(rows)
        said = [told(row, "customer_reason", edits) for row in rows]
        ends_on = case.restrictions_end or written_on
        reply_by = comments_in.comments_until(case.reply_by or written_on, written_on)
        until = None
    rules, proposed, unmet = facts.rules(terms, letterhead().telephone)
    start, since = facts.since(case, until)
    # Counted from the day they would start, as the decision's own review is (domain/terms).
    review = default_review(starts_on=reply_by + timedelta(days=1), ends_on=ends_on,
                            period_months=settings.current().review_period_months)
    r = Restricting(rules=rules, ways=proposed, reasons=reasons,
                    rule_reasons=said,
                    behaviour=facts.recent_examples(case, start, until),
                    starts_on=reply_by + timedelta(days=1), ends_on=ends_on,
                    review_due=review, written_on=written_on, reply_by=reply_by, since=since)
    return Drafted(content.invitation_sections(r, now, letterhead(), case.reference,
                                               current_end=case.restrictions_end,
                                               extras=_extras(case),
                                               current_start=_later(case, written_on)),
                   _closed(now), unmet,
                   now)


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


def _appeal_outcome(case: Case, written_on: date, edits: Edits) -> Drafted:
    appeal = (Appeal.select().where((Appeal.case == case) & (Appeal.outcome != ""))
              .order_by(Appeal.id.desc()).first())
    if appeal is None:
        raise RequirementMissing(f"no appeal on {case.reference} has been decided")
    rows = list(Restriction.select().where((Restriction.case == case)
                                           & (Restriction.status == IN_FORCE)))
    now: Restricting | None = None
    unmet: list[str] = []
    reviewing = review_held_now(case, written_on)
    earlier: list[str] = []
    # Confirmed or removed: the decisions the customer was never sent, up to the appeal's
    # result, told as an amendment's are (fixAQ AQ1: "the restrictions should stay as they
    # are … They end on 1 May 2027", the letter last posted having said 1 August 2027).
    told_was = changes.told_before(case, _decided_after(appeal), appealed_is_told=False) \
        if appeal.outcome != "amended" else changes.Told()
    untold = told_was.untold
    if told_was.untold:
        earlier = content.decision_untold(
            [(e.action, e.decided_at.date(), changes.what_it_set(e)) for e in told_was.untold],
            False, replaced_by="Our decision on your appeal", done=appeal.outcome)
    if rows and appeal.outcome != "removed":
        decided = appeal.decided_at.date() if appeal.decided_at else written_on
        said: list[str] = []
        if appeal.outcome == "amended":
            said, earlier, untold = _amendment_told(case, _amendment_of(appeal), rows,
                                            case.restrictions_end or decided,
                                            case.review_due or decided, decided,
                                            case.restrictions_start or decided, written_on,
                                            reviewing)
        elif told_was.untold:
            # Measured against the letter posted, from the decision in force never sent.
            last = told_was.untold[-1]
            said = changes.since_told(told_was, rows, case.restrictions_end or decided,
                                      case.review_due or decided,
                                      starts=(last.decided_at.date(),
                                              last.effective_from or last.decided_at.date()),
                                      written_on=written_on, told_between=True,
                                      reviewing=reviewing)
        now, unmet = _restricting(rows, [], [], case.restrictions_start or decided,
                                  case.restrictions_end or decided,
                                  case.review_due or decided, written_on, appeal=False,
                                  changed=said, edits=edits)
    sections = content.appeal_sections(appeal.outcome, [told(appeal, "customer_reason", edits)],
                                       now, letterhead(), decided_by=_decided_by(case, appeal),
                                       extras=_extras(case),
                                       appealed_on=appeal.decision.decided_at.date(),
                                       received_on=appeal.received_on,
                                       reviewing=reviewing,
                                       decided_on=(appeal.decided_at.date()
                                                   if appeal.decided_at else None),
                                       appealed_action=str(appeal.decision.action),
                                       untold=bool(told_was.untold),
                                       which=_which(appeal.decision, untold))
    sections = _with_earlier(sections, earlier)
    return Drafted(sections, _closed(now.ways) if now is not None else frozenset(), unmet,
                   now.ways if now is not None else None)


def _spoc(lr: LocalResolution) -> Person | None:
    if lr.spoc is not None:
        return facts.person(lr.spoc)
    name = lr.spoc_name.strip()
    if not name:
        return None
    user = User.get_or_none((User.name == name) & User.active)
    return facts.person(user) if user is not None else Person(name)


def _local_resolution(case: Case, written_on: date, edits: Edits) -> Drafted:
    lr = (LocalResolution.select().where(LocalResolution.case == case)
          .order_by(LocalResolution.id.desc()).first())
    if lr is None:
        raise RequirementMissing(f"no local resolution is recorded on {case.reference}")
    spoc = _spoc(lr)
    unmet = []
    if spoc is not None and not (spoc.telephone or spoc.email):
        unmet.append(f"{spoc.name}'s direct telephone number or email address (the single "
                     "point of contact)")
    sections = content.local_resolution_sections(
        told(lr, "customer_summary", edits), spoc, lr.contact_frequency,
        told(lr, "communication_style", edits), lr.monitoring_start, lr.monitoring_end,
        written_on, letterhead(),
        warned=PriorWarning.select().where(PriorWarning.local_resolution == lr).exists(),
        extras=_extras(case))
    return Drafted(sections, frozenset(), unmet)


def _lifted(case: Case, written_on: date, edits: Edits) -> Drafted:
    decision = latest_decision(case, DECIDING[LetterKind.LIFTED])
    if decision is None:
        raise RequirementMissing(f"the restrictions on {case.reference} have not been lifted "
                                 "with a letter")
    lifted_on = decision.effective_from or decision.decided_at.date()
    # Decided to start on a later day and lifted before it (domain.in_force, the one rule):
    # they never applied, and the letter says they will not (v15k T2: "They end today").
    later = case.restrictions_start if starts_later(case.restrictions_start, lifted_on) \
        else None
    return Drafted(_telling_appeal(content.lifted_sections(
        lifted_on, written_on, [told(decision, "customer_reason", edits)], letterhead(),
        extras=_extras(case), were_to_start=later), decision))


def drafted(case: Case, kind: LetterKind, written_on: date | None = None,
            edits: Edits = None) -> Drafted:
    """The letter of this kind for the case, as its sections and what the checker needs."""
    on = written_on or clock.today()
    if kind in (LetterKind.DECISION, LetterKind.EXTENSION_DECISION):
        return _decided_letter(case, kind, on, edits)
    if kind is LetterKind.INVITATION:
        if case.reply_by is None and open_proposal(case) is None:
            raise RequirementMissing("no extension or new restriction has been proposed")
        return _invitation(case, on, edits)
    if kind is LetterKind.LIFTED:
        return _lifted(case, on, edits)
    if kind is LetterKind.APPEAL_OUTCOME:
        return _appeal_outcome(case, on, edits)
    return _local_resolution(case, on, edits)


def sections_for(case: Case, kind: LetterKind, edits: Edits = None) -> Sections:
    return drafted(case, kind, edits=edits).sections


def _title(actor: Actor) -> str:
    user = User.get_or_none(User.id == actor.user_id)
    return str(user.title) if user is not None and user.title else actor.role.label


def _print_pt(customer: Customer) -> int | None:
    return print_size(customer.large_print_pt, customer.contact_needs)


def customer_print_pt(case: Case) -> int | None:
    """The print size the case's customer's record gives now (None: standard print)."""
    customer = Customer.get_or_none(Customer.id == case.customer_id)
    return _print_pt(customer) if customer is not None else None


def _compose(actor: Actor, case: Case, kind: LetterKind, drafted: Drafted, *,
             demo: bool = False, written_on: date | None = None) -> Letter:
    customer = Customer.get_by_id(case.customer_id)
    lines = tuple(customer.address.split("\n"))
    address = envelope_lines(lines, customer.postcode)
    pt = _print_pt(customer)
    return Letter(kind=kind, reference=case.reference, letterhead=letterhead(),
                  recipient=customer.name, address=address,
                  written_on=written_on or clock.today(), subject=SUBJECTS[kind],
                  sections=drafted.sections, signer=actor.name, signer_title=_title(actor),
                  demo=demo, large_print=pt is not None, print_pt=pt,
                  language=customer.language.strip(),
                  form_of_address=salutation_name(customer.name, customer.form_of_address),
                  closed_channels=tuple(sorted(drafted.closed)),
                  letterhead_closed=_letterhead_closed(drafted.ways),
                  unmet=tuple(drafted.unmet),
                  unpostable=tuple(unpostable(lines, customer.postcode)))


def _letterhead_closed(ways: Ways | None) -> tuple[str, ...]:
    """The council's general telephone and email, where the restrictions send the customer
    elsewhere (only through a named officer, a number at set times, one email address): the
    letterhead leaves them off, so the page offers nothing the letter's body withholds."""
    if ways is None:
        return ()
    head = letterhead()
    closed = []
    if ways.officer is not None or ways.telephone_times or not ways.open("telephone") or (
            ways.telephone and ways.telephone != head.telephone):
        closed.append("telephone")
    if ways.officer is not None or not ways.open("email") or (
            ways.email_address and ways.email_address != head.email):
        closed.append("email")
    return tuple(closed)


def compose(actor: Actor, case: Case, kind: LetterKind, *, demo: bool = False,
            edits: Edits = None, written_on: date | None = None) -> Letter:
    """The letter of this kind for the case, as it would be signed by `actor` on
    `written_on` (today unless given), with the CRM's `edits` (keyed
    "{table}:{id}:{field}") in place of the recorded words."""
    return _compose(actor, case, kind, drafted(case, kind, written_on, edits), demo=demo,
                    written_on=written_on)


def editable(case: Case, kind: LetterKind) -> list[tuple[str, str, str]]:
    """The free-text paragraphs of this letter the CRM may edit before signing: (key, label,
    the text as recorded). The key is the one `compose(edits=…)` takes."""
    found: list[tuple[str, str, str]] = []

    def add(row: BaseModel, field_name: str, label: str) -> None:
        found.append((facts.key(row, field_name), label, str(getattr(row, field_name) or "")))

    def restrictions(rows: list[Restriction]) -> None:
        for row in rows:
            # In the words the screens use: the restriction as the builder names it, beside
            # "Why we decided this" ("Why: <the kind>" read as a developer's key, note15o).
            add(row, "customer_reason", f"Why this restriction: {RestrictionKind(row.kind).label}")

    if kind is LetterKind.LOCAL_RESOLUTION:
        lr = (LocalResolution.select().where(LocalResolution.case == case)
              .order_by(LocalResolution.id.desc()).first())
        if lr is not None:
            add(lr, "customer_summary", "Our concerns")
            add(lr, "communication_style", "How we will keep in touch")
    elif kind in DECIDING:
        decision = latest_decision(case, DECIDING[kind])
        if decision is not None:
            add(decision, "customer_reason", "Why we decided this")
            if kind is not LetterKind.LIFTED:
                restrictions(list(Restriction.select().where(Restriction.decision == decision)
                                  .order_by(Restriction.id)))
    elif kind is LetterKind.INVITATION:
        invited = open_proposal(case)
        if invited is not None:
            add(invited, "customer_reason", "Why we propose this")
            proposal = Proposal.from_json(invited.proposal)
            ids = [d.id for d in proposal.drafts] if proposal is not None else []
            restrictions(list(Restriction.select().where(Restriction.id.in_(ids))
                              .order_by(Restriction.id)))
    elif kind is LetterKind.APPEAL_OUTCOME:
        appeal = (Appeal.select().where((Appeal.case == case) & (Appeal.outcome != ""))
                  .order_by(Appeal.id.desc()).first())
        if appeal is not None:
            add(appeal, "customer_reason", "Why we decided your appeal this way")
            if appeal.outcome == "amended":
                # The amended restrictions are printed each with its own why (BF1).
                restrictions(list(Restriction.select().where(
                    (Restriction.case == case) & (Restriction.status == IN_FORCE))
                    .order_by(Restriction.id)))
    return found

