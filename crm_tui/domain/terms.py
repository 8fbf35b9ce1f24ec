"""The rules on a decision's dates: start, end, and a review at least yearly."""

from __future__ import annotations

from datetime import date

from crm_tui.domain.characters import control_problem
from crm_tui.domain.dates import ReviewPeriodReason, add_months
from crm_tui.domain.errors import ValidationError, raise_all


def settle_review_date(*, decided_on: date, starts_on: date, ends_on: date,
                       review_due: date | None, period_months: int,
                       reason: ReviewPeriodReason | None, note: str,
                       kept: date | None = None) -> date:
    """Return the review date for a decision, or raise ValidationError naming the field.

    The review falls `period_months` after the decision by default. An earlier date is
    allowed only with one of the policy's reasons and a note; a later one never is,
    because the policy reviews restrictions at least yearly. `kept`: the review date in
    force, which an amendment on appeal may keep as it is without a reason (it is not a
    different period: v15l X9).
    """
    # The note goes into the trail (and the decision's record) whatever the date: the one
    # text check (t16 F0).
    if problem := control_problem(note):
        raise ValidationError("review_period_note", problem)
    if starts_on < decided_on:
        raise ValidationError("starts_on", "restrictions cannot start before the decision "
                              f"({decided_on.isoformat()})")
    if ends_on <= starts_on:
        raise ValidationError("ends_on", "the end date must be after the start date")
    # Restrictions shorter than the review period are reviewed by the day they end.
    default = min(add_months(decided_on, period_months), ends_on)
    if review_due is None or review_due == default:
        return default
    if review_due <= decided_on:
        raise ValidationError("review_due", "the review date must be after the decision")
    check_review_in_period(review_due, starts_on=starts_on, ends_on=ends_on)
    if review_due > default:
        raise ValidationError("review_due", f"restrictions are reviewed at least every "
                              f"{period_months} months: review by {default.isoformat()}")
    if review_due == kept:
        return review_due
    # Both at once: the reason and the note are asked for together.
    raise_all([*([ValidationError("review_period_reason", "a different review period needs "
                                  "one of the policy's reasons")] if reason is None else []),
               *([ValidationError("review_period_note", "explain why the review period "
                                  "differs")] if not note.strip() else [])])
    return review_due


def check_review_in_period(review_due: date, *, starts_on: date, ends_on: date) -> None:
    """A review date set falls while the restrictions apply: not before they start, nor
    after they end. The one rule for every decision that sets one (an imposition, an
    amendment on appeal, a variation, an extension): a variation took a review before a later
    start (v15l X8)."""
    if review_due < starts_on:
        raise ValidationError("review_due", "the review cannot be before the restrictions "
                              f"start ({starts_on.isoformat()})")
    if review_due > ends_on:
        raise ValidationError("review_due", "the review cannot be after the restrictions "
                              f"end ({ends_on.isoformat()})")
