"""Reviews: at least yearly, aiming to lift restrictions as soon as the behaviour subsides."""

from __future__ import annotations

from datetime import date, timedelta

from crm_tui import clock
from crm_tui.db.models import Case, Review, User
from crm_tui.domain.dates import ReviewPeriodReason
from crm_tui.domain.errors import RequirementMissing, ValidationError
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.roles import Actor
from crm_tui.domain.terms import settle_review_date
from crm_tui.services.core import confirmation, deadlines, settings
from crm_tui.services.core.case_steps import load_case, move, step, summarise
from crm_tui.services.core.database import atomic
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.core.results import CaseSummary
from crm_tui.services.core.validation import required_text
from crm_tui.services.restrictions.builder import check_ready
from crm_tui.services.restrictions.decisions import close_open_review, put_in_force


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


def continue_unchanged(actor: Actor, reference: str, reason: str, *,
                       next_review: date | None = None,
                       period_reason: ReviewPeriodReason | None = None,
                       period_note: str = "") -> CaseSummary:
    """Keep the restrictions as they are until the next review."""
    with atomic():
        case = load_case(actor, reference)
        new_state = step(actor, Action.CONTINUE_UNCHANGED, case, reason)
        today = clock.today()
        due = settle_review_date(
            decided_on=today, starts_on=today, ends_on=case.restrictions_end or
            today + timedelta(days=1), review_due=next_review,
            period_months=settings.current().review_period_months, reason=period_reason,
            note=period_note)
        close_open_review(case, "continued", reason, actor)
        case.review_due = due
        Review.create(case=case, due_on=due)
        move(actor, Action.CONTINUE_UNCHANGED, case, new_state, reason, {"next_review": due})
        return summarise(case)


def propose_extension(actor: Actor, reference: str, reason: str,
                      reply_by: date | None = None) -> CaseSummary:
    """Tell the customer why an extension or new restriction is proposed and invite their
    comments by a date."""
    with atomic():
        case = load_case(actor, reference)
        new_state = step(actor, Action.PROPOSE_EXTENSION, case, reason)
        required_text("reason", reason)
        today = clock.today()
        when = reply_by or deadlines.due("reply_by", today, settings.current().reply_by_days)
        if when <= today:
            raise ValidationError("reply_by", "the reply-by date must be after today")
        case.reply_by = when
        review = _open_review(case)
        review.reply_by = when
        review.save()
        move(actor, Action.PROPOSE_EXTENSION, case, new_state, reason, {"reply_by": when})
        return summarise(case)


def extend_restrictions(actor: Actor, reference: str, reason: str,
                        terms: DecisionTerms) -> CaseSummary:
    """Decide the extension (or new restrictions) after the customer was invited to comment;
    the drafted restrictions replace those in force."""
    with atomic():
        case = load_case(actor, reference)
        new_state = step(actor, Action.EXTEND_RESTRICTIONS, case, reason)
        if case.reply_by is not None and clock.today() <= case.reply_by:
            raise RequirementMissing(
                f"the customer has until {case.reply_by:%d %B %Y} to comment on the proposal: "
                "the extension can be decided after that")
        check_ready(case)
        with confirmation.confirmed(actor):
            close_open_review(case, "extended", reason, actor)
            decision = put_in_force(actor, case, Action.EXTEND_RESTRICTIONS, reason.strip(),
                                    terms)
            move(actor, Action.EXTEND_RESTRICTIONS, case, new_state, reason,
                 {"ends_on": terms.ends_on, "review_due": decision.review_due})
        return summarise(case)
