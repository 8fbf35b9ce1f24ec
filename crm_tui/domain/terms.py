"""The rules on a decision's dates: start, end, and a review at least yearly."""

from __future__ import annotations

from datetime import date

from crm_tui.domain.characters import control_problem
from crm_tui.domain.dates import ReviewPeriodReason, add_months
from crm_tui.domain.errors import ValidationError, raise_all
from crm_tui.domain.typed_dates import shown


def default_review(*, starts_on: date, ends_on: date, period_months: int) -> date:
    """When restrictions are reviewed unless another day is set: `period_months` after they
    start, or the day they end if that is sooner. Counted from the start, not from the
    decision: the policy reviews the restrictions themselves ("any restrictions imposed will
    be reviewed on a yearly basis"), and a review before restrictions decided to start on a
    later day would review nothing (v15m-1: amended on appeal to start on 1 December 2027,
    the review fell on 28 November 2027)."""
    return min(add_months(starts_on, period_months), ends_on)


def settle_review_date(*, decided_on: date, starts_on: date, ends_on: date,
                       review_due: date | None, period_months: int,
                       reason: ReviewPeriodReason | None, note: str,
                       kept: date | None = None) -> date:
    """Return the review date for a decision, or raise ValidationError naming the field.

    The review falls `period_months` after the restrictions start by default (the day they
    end, if sooner: default_review), and always after they start. An earlier date is
    allowed only with one of the policy's reasons and a note; a later one never is,
    because the policy reviews restrictions at least yearly. `kept`: the review date in
    force, which an amendment on appeal may keep as it is without a reason (it is not a
    different period: v15l X9).
    """
    # The note goes into the trail (and the decision's record) whatever the date: the one
    # text check (t16 F0).
    if problem := control_problem(note):
        raise ValidationError("review_period_note", problem)
    raise_all(date_problems(decided_on=decided_on, starts_on=starts_on, ends_on=ends_on,
                            review_due=review_due))
    # Restrictions shorter than the review period are reviewed by the day they end.
    default = default_review(starts_on=starts_on, ends_on=ends_on, period_months=period_months)
    if review_due is None or review_due == default:
        return default
    if review_due > default:
        raise ValidationError("review_due", f"restrictions are reviewed at least every "
                              f"{period_months} months from their start: review by "
                              f"{shown(default)}")
    if review_due == kept:
        return review_due
    # Both at once: the reason and the note are asked for together.
    raise_all([*([ValidationError("review_period_reason", "a different review period needs "
                                  "one of the policy's reasons")] if reason is None else []),
               *([ValidationError("review_period_note", "explain why the review period "
                                  "differs")] if not note.strip() else [])])
    return review_due


def date_problems(*, decided_on: date, starts_on: date, ends_on: date,
                  review_due: date | None) -> list[ValidationError]:
    """Every problem with a decision's dates at once, each at its field: a start before the
    decision, an end not after the start, a review set outside them. An end before the start
    does not hide a review before it (v15m Y2: the review's problem went from the amend form
    when the end's came)."""
    found: list[ValidationError] = []
    if starts_on < decided_on:
        found.append(ValidationError("starts_on", "restrictions cannot start before the "
                                     f"decision ({shown(decided_on)})"))
    if ends_on <= starts_on:
        found.append(ValidationError("ends_on", "the end date must be after the start date"))
    if review_due is not None:
        found += review_problems(review_due, decided_on=decided_on, starts_on=starts_on,
                                 ends_on=ends_on if ends_on > starts_on else None)
    return found


def review_problems(review_due: date, *, decided_on: date, starts_on: date,
                    ends_on: date | None) -> list[ValidationError]:
    """What is wrong with a review date set: on or before the decision, or outside the
    restrictions (check_review_in_period); `ends_on` None: an end not to measure it by."""
    if review_due <= decided_on:
        return [ValidationError("review_due", "the review date must be after the decision")]
    try:
        check_review_in_period(review_due, starts_on=starts_on, ends_on=ends_on)
    except ValidationError as exc:
        return [exc]
    return []


def check_review_in_period(review_due: date, *, starts_on: date, ends_on: date | None) -> None:
    """A review date set falls while the restrictions apply: after they start (a review on
    or before their first day reviews nothing: v15m-1), and not after they end. The one rule
    for every decision that sets one (an imposition, an amendment on appeal, a variation, an
    extension): a variation took a review before a later start (v15l X8)."""
    if review_due <= starts_on:
        raise ValidationError("review_due", "the review must be after the restrictions "
                              f"start ({shown(starts_on)})")
    if ends_on is not None and review_due > ends_on:
        raise ValidationError("review_due", "the review cannot be after the restrictions "
                              f"end ({shown(ends_on)})")
