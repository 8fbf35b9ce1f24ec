"""Reviews: at least yearly, aiming to lift restrictions as soon as the behaviour subsides."""

from __future__ import annotations

from datetime import date, timedelta

from crm_tui import clock
from crm_tui.db.models import Case, ExtensionProposal, Review, User
from crm_tui.domain.dates import ReviewPeriodReason
from crm_tui.domain.errors import RequirementMissing, ValidationError, raise_all
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.outcomes import ReviewOutcome
from crm_tui.domain.proposal import invitation_dates_problems
from crm_tui.domain.roles import Actor
from crm_tui.domain.terms import settle_review_date
from crm_tui.domain.wording import in_one_sentence
from crm_tui.services.core import audit, confirmation, deadlines, settings
from crm_tui.services.core.case_steps import load_case, move, step, step_told, summarise
from crm_tui.services.core.database import atomic
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.core.results import CaseSummary
from crm_tui.services.core.told import told as told_words
from crm_tui.services.core.validation import grounds_text
from crm_tui.services.restrictions import parameters, readiness, versions
from crm_tui.services.restrictions.decisions import (
    close_open_review,
    decided_payload,
    put_in_force,
)
from crm_tui.services.restrictions.versions import DraftVersions

CLOSE_PROPOSAL = "close_extension_proposal"


def _open_review(case: Case) -> Review:
    review: Review | None = (Review.select().where((Review.case == case) & (Review.outcome == ""))
                             .order_by(Review.due_on).first())
    if review is None:
        review = Review.create(case=case, due_on=case.review_due or clock.today())
    return review


def start_review(actor: Actor, reference: str) -> CaseSummary:
    """Open the review of a restricted case."""
    with atomic():
        case = load_case(actor, reference)
        new_state = step(actor, Action.START_REVIEW, case)
        review = _open_review(case)
        review.started_at = clock.now()
        review.started_by = User.get_by_id(actor.user_id)
        review.save()
        move(actor, Action.START_REVIEW, case, new_state, payload={"due_on": review.due_on})
        return summarise(case)


def _close_proposal(actor: Actor, case: Case, reason: str, outcome: str) -> None:
    """An extension proposed at this review and not pursued: its comment period is over (the
    lifecycle refuses to continue before), so continuing closes it on the record and the case
    no longer awaits the customer's comments."""
    if case.reply_by is None:
        return
    proposal = (ExtensionProposal.select().where((ExtensionProposal.case == case)
                                                 & ExtensionProposal.decision.is_null())
                .order_by(ExtensionProposal.id.desc()).first())
    audit.record(actor, CLOSE_PROPOSAL, case.reference, reason,
                 {"proposal": proposal.id if proposal is not None else None,
                  "reply_by": case.reply_by, "outcome": outcome})
    case.reply_by = None


def next_review_due(restrictions_end: date | None, next_review: date | None,
                    period_reason: ReviewPeriodReason | None, period_note: str, *,
                    starts_on: date | None = None) -> date:
    """When the restrictions continued at a review are next reviewed: the yearly period, or
    `next_review` with one of the policy's reasons and a note (domain.terms). The rule
    continue_unchanged settles it by; a form asks it as its fields change. `starts_on`:
    the day restrictions decided to start later begin, the period counted from then (a
    review before it would review nothing: v15m-1)."""
    today = clock.today()
    begins = max(today, starts_on) if starts_on is not None else today
    return settle_review_date(
        decided_on=today, starts_on=begins, ends_on=restrictions_end or
        begins + timedelta(days=1), review_due=next_review,
        period_months=settings.current().review_period_months, reason=period_reason,
        note=period_note)


def continue_unchanged(actor: Actor, reference: str, reason: str) -> CaseSummary:
    """Keep the restrictions as they are until the next review, a year on."""
    with atomic():
        case = load_case(actor, reference)
        new_state = step(actor, Action.CONTINUE_UNCHANGED, case, reason)
        due = next_review_due(case.restrictions_end, None, None, "",
                              starts_on=case.restrictions_start)
        _close_proposal(actor, case, reason, "continued unchanged")
        close_open_review(case, ReviewOutcome.CONTINUED, reason, actor)
        case.review_due = due
        Review.create(case=case, due_on=due)
        move(actor, Action.CONTINUE_UNCHANGED, case, new_state, reason, {"next_review": due})
        return summarise(case)


def change_review_period(actor: Actor, reference: str, reason: str, *, next_review: date,
                         period_reason: ReviewPeriodReason | None,
                         period_note: str) -> CaseSummary:
    """Keep the restrictions as they are, reviewed next on `next_review` rather than a year
    on, on one of the policy's reasons with a note. Recorded as its own outcome, with the
    policy's reason and the note in the audit entry (found when tried: it was recorded as
    "continued unchanged", and the reason and note were kept nowhere)."""
    with atomic():
        case = load_case(actor, reference)
        new_state = step(actor, Action.CHANGE_REVIEW_PERIOD, case, reason)
        due = next_review_due(case.restrictions_end, next_review, period_reason, period_note,
                              starts_on=case.restrictions_start)
        _close_proposal(actor, case, reason, "review period changed")
        review = _open_review(case)
        close_open_review(case, ReviewOutcome.PERIOD_CHANGED, reason, actor)
        case.review_due = due
        Review.create(case=case, due_on=due)
        move(actor, Action.CHANGE_REVIEW_PERIOD, case, new_state, reason,
             {"next_review": due, "review": review.id,
              "period_reason": period_reason.value if period_reason else "",
              "period_note": period_note.strip()})
        return summarise(case)


def propose_extension(actor: Actor, reference: str, reason: str,
                      reply_by: date | None = None, *, ends_on: date,
                      customer_reason: str = "") -> CaseSummary:
    """Tell the customer why an extension or new restrictions are proposed and invite their
    comments by a date. What is proposed is recorded as it stands: the drafted restrictions
    (with their versions) and when they would end. The decision may later be lighter than
    this, never stricter or longer. `customer_reason`: why, as the invitation tells the
    customer (required; `reason` is the internal record)."""
    with atomic():
        case = load_case(actor, reference)
        new_state = step(actor, Action.PROPOSE_EXTENSION, case, reason)
        text = grounds_text("reason", reason)
        told = told_words(case, "customer_reason", customer_reason)
        today = clock.today()
        when = reply_by or deadlines.due("reply_by", today, settings.current().reply_by_days)
        raise_all([ValidationError(*problem)
                   for problem in invitation_dates_problems(when, ends_on, today)])
        # The lifecycle (step, above) refused a proposal with nothing set out in the builder.
        # The invitation tells the customer the restrictions: never two of a kind, nor two
        # that contradict (v15e F2).
        clashing = parameters.problems_of_set(case)
        if clashing:
            raise RequirementMissing(in_one_sentence(clashing, starts=True))
        proposal = versions.proposal(case, ends_on)
        case.reply_by = when
        review = _open_review(case)
        review.reply_by = when
        review.save()
        # No second invitation while one is open for comments (the lifecycle refuses it);
        # one made after its date supersedes it (the latest is the one decided on); both stay
        # on record.
        row = ExtensionProposal.create(case=case, review=review, reason=text,
                                       customer_reason=told,
                                       proposal=proposal.to_json(), ends_on=ends_on,
                                       reply_by=when, proposed_by=actor.user_id,
                                       proposed_at=clock.now())
        move(actor, Action.PROPOSE_EXTENSION, case, new_state, reason,
             {"reply_by": when, "ends_on": ends_on, "proposal": row.id,
              "restrictions": {str(k): v for k, v in sorted(proposal.versions.items())}})
        return summarise(case)


def extend_restrictions(actor: Actor, reference: str, reason: str, terms: DecisionTerms, *,
                        read: DraftVersions, against_view_reason: str = "",
                        customer_reason: str = "") -> CaseSummary:
    """Decide the extension (or new restrictions) after the customer was invited to comment
    and the comment period passed, on a Head of Service view given since on the proposal as
    it stands; nothing stricter or longer than the customer was invited to comment on. The
    drafted restrictions replace those in force. `customer_reason`: why, as the letter tells
    the customer (required)."""
    with atomic():
        case = load_case(actor, reference)
        new_state, told = step_told(actor, Action.EXTEND_RESTRICTIONS, case, reason,
                                    customer_reason)
        # Not before the customer's comment period ends (comments_in.comments_by, counted
        # from the invitation's issue): readiness refuses it with every other problem.
        prepared = readiness.require(actor, case, Action.EXTEND_RESTRICTIONS, reason, terms,
                                     read, against_view_reason, told)
        with confirmation.confirmed(actor):
            close_open_review(case, "extended", reason, actor)
            decision = put_in_force(
                actor, case, Action.EXTEND_RESTRICTIONS, reason.strip(), terms, read=read,
                review_due=prepared.review_due,
                consultation=prepared.consultation.id if prepared.consultation else None,
                against_view_reason=prepared.against_view_reason, customer_reason=told)
            if prepared.proposal is not None:
                ExtensionProposal.update(decision=decision).where(
                    ExtensionProposal.id == prepared.proposal.id).execute()
            move(actor, Action.EXTEND_RESTRICTIONS, case, new_state, reason,
                 decided_payload(terms, decision, prepared, read))
        return summarise(case)
