"""A decided restriction is reviewed after it starts, never before (v15m-1): amended on appeal
to start on 1 December 2027, with the review left blank, the review fell a year from the
decision, on 28 November 2027, before they started; it was decided and the letter said so.
The default review is counted from the start (a period after they start, capped at their end),
and a review typed on or before the start is refused at its field, in dd/mm/yyyy."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm_tui.domain.dates import ReviewPeriodReason
from crm_tui.domain.errors import DomainError, Problems, ValidationError
from crm_tui.domain.terms import default_review, settle_review_date

DECIDED = date(2026, 11, 28)
LATER = date(2027, 12, 1)


def _settle(due: date | None, *, starts: date = LATER, ends: date = date(2029, 12, 1),
            reason: ReviewPeriodReason | None = None, note: str = "",
            kept: date | None = None) -> date:
    return settle_review_date(decided_on=DECIDED, starts_on=starts, ends_on=ends,
                              review_due=due, period_months=12, reason=reason, note=note,
                              kept=kept)


def test_a_blank_review_of_a_later_start_falls_a_year_after_they_start() -> None:
    assert _settle(None) == date(2028, 12, 1)
    # Shorter than a year from their start: by the day they end.
    assert _settle(None, ends=date(2028, 3, 1)) == date(2028, 3, 1)
    # Starting on the day decided: a year on, as before.
    assert _settle(None, starts=DECIDED) == date(2027, 11, 28)
    assert default_review(starts_on=LATER, ends_on=date(2029, 1, 1),
                          period_months=6) == date(2028, 6, 1)


@pytest.mark.parametrize("typed", [date(2027, 11, 28), LATER])
def test_a_review_typed_on_or_before_the_start_is_refused_at_its_field(typed: date) -> None:
    with pytest.raises(ValidationError) as refused:
        _settle(typed, reason=ReviewPeriodReason.PERSONAL_CIRCUMSTANCES, note="Hospital stay")
    assert refused.value.field == "review_due"
    assert refused.value.message == "the review must be after the restrictions start " \
                                    "(01/12/2027)"


def test_the_kept_review_before_a_later_start_is_refused_too() -> None:
    with pytest.raises(ValidationError) as refused:
        _settle(date(2027, 6, 1), kept=date(2027, 6, 1))
    assert refused.value.field == "review_due"


def test_a_review_later_than_a_period_from_the_start_is_refused_in_the_users_style() -> None:
    with pytest.raises(ValidationError) as refused:
        _settle(date(2028, 12, 2))
    assert refused.value.field == "review_due"
    assert refused.value.message == ("restrictions are reviewed at least every 12 months from "
                                     "their start: review by 01/12/2028")


def test_the_domains_date_messages_are_in_the_users_style() -> None:
    with pytest.raises(ValidationError) as before:
        _settle(None, starts=date(2026, 11, 27))
    assert before.value.message == "restrictions cannot start before the decision (28/11/2026)"
    with pytest.raises(ValidationError) as after:
        _settle(date(2030, 1, 1))
    assert after.value.message == "the review cannot be after the restrictions end (01/12/2029)"


DAYS = st.integers(min_value=0, max_value=3 * 366)


@given(decided=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
       later=DAYS, lasting=st.integers(min_value=1, max_value=5 * 366),
       typed=st.one_of(st.none(), st.integers(min_value=-400, max_value=8 * 366)),
       kept=st.one_of(st.none(), st.integers(min_value=-400, max_value=8 * 366)),
       period=st.integers(min_value=1, max_value=12),
       reason=st.one_of(st.none(), st.sampled_from(list(ReviewPeriodReason))),
       note=st.sampled_from(["", "Hospital stay"]))
def test_any_decided_review_falls_after_the_start_and_by_the_end(
        decided: date, later: int, lasting: int, typed: int | None, kept: int | None,
        period: int, reason: ReviewPeriodReason | None, note: str) -> None:
    """For any restriction decided: starts_on < review_due <= ends_on, whatever is typed."""
    starts = decided + timedelta(days=later)
    ends = starts + timedelta(days=lasting)
    try:
        due = settle_review_date(
            decided_on=decided, starts_on=starts, ends_on=ends,
            review_due=None if typed is None else decided + timedelta(days=typed),
            period_months=period, reason=reason, note=note,
            kept=None if kept is None else decided + timedelta(days=kept))
    except DomainError:
        return
    assert starts < due <= ends


def test_every_date_problem_is_said_at_once_each_at_its_field() -> None:
    """v15m Y2: an end before the start hid a review before it."""
    with pytest.raises(Problems) as refused:
        _settle(date(2027, 5, 1), starts=date(2027, 6, 18), ends=date(2027, 6, 1))
    assert [(p.field, p.message) for p in refused.value.found] == [
        ("ends_on", "the end date must be after the start date"),
        ("review_due", "the review must be after the restrictions start (18/06/2027)")]
