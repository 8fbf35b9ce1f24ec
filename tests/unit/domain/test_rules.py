"""Restriction parameters, review dates and retention dates."""

from __future__ import annotations

from datetime import date

import pytest

from crm_tui.domain.categories import BehaviourCategory, from_mask, to_mask
from crm_tui.domain.dates import ReviewPeriodReason, add_months, destroy_after
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.restrictions import RestrictionKind as K
from crm_tui.domain.restrictions import describe, validate_parameters
from crm_tui.domain.terms import settle_review_date


def test_policy_has_fourteen_categories_and_other() -> None:
    assert len(BehaviourCategory) == 15
    assert BehaviourCategory.OTHER in BehaviourCategory
    both = (BehaviourCategory.SCATTERGUN, BehaviourCategory.RECORDING_WITHOUT_CONSENT)
    assert from_mask(to_mask(both)) == both


def test_six_restriction_kinds() -> None:
    assert len(K) == 6


@pytest.mark.parametrize(("kind", "params", "field"), [
    (K.FORM_OF_CONTACT, {"channels": []}, "channels"),
    (K.FORM_OF_CONTACT, {"channels": ["pigeon"]}, "channels"),
    (K.FORM_OF_CONTACT, {"channels": ["email"], "email_address": "nope"}, "email_address"),
    (K.NAMED_OFFICER, {"officer": "A", "deputy": ""}, "deputy"),
    (K.NAMED_OFFICER, {"officer": "A", "deputy": "A"}, "deputy"),
    (K.TELEPHONE_TIMES, {"days": ["funday"], "windows": ["10:00-12:00"]}, "days"),
    (K.TELEPHONE_TIMES, {"days": ["mon"], "windows": ["12:00-10:00"]}, "windows"),
    (K.TELEPHONE_TIMES, {"days": ["mon"], "windows": ["25:00-26:00"]}, "windows"),
    (K.TELEPHONE_TIMES, {"days": ["mon"], "windows": ["10:00-12:00"]}, "number"),
    (K.TELEPHONE_TIMES, {"days": ["mon"], "windows": ["10:00-12:00"], "number": "12345"},
     "number"),
    (K.TELEPHONE_TIMES, {"days": ["mon"], "windows": ["10:00-12:00"],
                         "number": "+33 1 42 68 53 00"}, "number"),
    (K.NAMED_OFFICER, {"officer": "A", "deputy": "B", "officer_id": "x"}, "officer"),
    (K.SIGNIFICANT_QUERIES_ONLY, {}, "definition"),
    (K.NEW_ISSUES_ONLY, {"closed_issues": []}, "closed_issues"),
    (K.BLOCK_ELECTRONIC, {"why_nothing_less": "  "}, "why_nothing_less"),
])
def test_bad_parameters_name_the_field(kind: K, params: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_parameters(kind, params)
    assert error.value.field == field


def test_good_parameters_are_normalised_and_described() -> None:
    params = validate_parameters(K.TELEPHONE_TIMES, {"days": ["thu", "TUE"],
                                                     "windows": ["10:00-12:00"],
                                                     "number": "+44 1632960999"})
    assert params == {"days": ["tue", "thu"], "windows": ["10:00-12:00"],
                      "number": "01632 960999"}
    assert describe(K.TELEPHONE_TIMES, params) == \
        "Telephone calls only on Tue, Thu, 10:00-12:00 on 01632 960999"


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2027, 2, 28), 12) == date(2028, 2, 28)
    assert add_months(date(2026, 11, 28), 12) == date(2027, 11, 28)


def test_retention_is_six_years_after_restrictions_end() -> None:
    assert destroy_after(date(2026, 3, 1)) == date(2032, 3, 1)


def _review(due: date | None, reason: ReviewPeriodReason | None = None, note: str = "") -> date:
    return settle_review_date(decided_on=date(2026, 11, 28), starts_on=date(2026, 11, 28),
                              ends_on=date(2028, 11, 28), review_due=due, period_months=12,
                              reason=reason, note=note)


def test_review_defaults_to_twelve_months() -> None:
    assert _review(None) == date(2027, 11, 28)


def test_earlier_review_needs_a_policy_reason_and_note() -> None:
    with pytest.raises(ValidationError) as error:
        _review(date(2027, 5, 28))
    assert error.value.field == "review_period_reason"
    with pytest.raises(ValidationError) as error:
        _review(date(2027, 5, 28), ReviewPeriodReason.RISK_TO_CUSTOMER)
    assert error.value.field == "review_period_note"
    assert _review(date(2027, 5, 28), ReviewPeriodReason.RISK_TO_CUSTOMER, "Health") == \
        date(2027, 5, 28)


def test_a_review_period_note_holding_a_control_character_is_refused() -> None:
    """t16 F0: the note goes into the trail; an ESC or U+202E in it, once stored, is sent to
    whoever reads the trail."""
    for bad in ("Health \x1b[2J", "Health \u202eevil"):
        with pytest.raises(ValidationError, match="control character") as error:
            _review(date(2027, 5, 28), ReviewPeriodReason.RISK_TO_CUSTOMER, bad)
        assert error.value.field == "review_period_note"


def test_review_later_than_yearly_is_refused() -> None:
    with pytest.raises(ValidationError, match="at least every 12 months"):
        _review(date(2028, 1, 1), ReviewPeriodReason.RISK_TO_CUSTOMER, "x")


def test_dates_in_the_wrong_order_are_refused() -> None:
    with pytest.raises(ValidationError) as error:
        settle_review_date(decided_on=date(2026, 11, 28), starts_on=date(2026, 11, 28),
                           ends_on=date(2026, 11, 1), review_due=None, period_months=12,
                           reason=None, note="")
    assert error.value.field == "ends_on"
