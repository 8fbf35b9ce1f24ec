"""Lighter or stricter: each kind's parameters, a kind added or removed, the end and review
dates, and a change that is not clearly lighter counting as stricter."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from crm_tui.domain.proposal import changes
from crm_tui.domain.restrictions import RestrictionKind as K
from crm_tui.domain.severity import compare, span

LETTER_EMAIL = (K.FORM_OF_CONTACT, {"channels": ["email", "letter"]})
LETTER = (K.FORM_OF_CONTACT, {"channels": ["letter"]})
PHONE_TUE_THU = (K.TELEPHONE_TIMES, {"days": ["tue", "thu"], "windows": ["10:00-12:00"]})
NAMED = (K.NAMED_OFFICER, {"officer": "Tomasz Nowak", "deputy": "Ceri Hughes"})
BLOCK = (K.BLOCK_ELECTRONIC, {"why_nothing_less": "Threats"})


def _both(before: list[Any], after: list[Any], **dates: date) -> tuple[tuple[str, ...],
                                                                           tuple[str, ...]]:
    found = compare(before, after, **dates)
    return found.stricter, found.lighter


def test_the_same_restrictions_are_neither_lighter_nor_stricter() -> None:
    found = compare([LETTER, NAMED], [NAMED, LETTER])
    assert found.lighter_or_equal and not found.lighter


def test_a_new_kind_is_stricter_and_a_removed_one_lighter() -> None:
    stricter, lighter = _both([LETTER, NAMED], [LETTER, BLOCK])
    assert stricter == ("adds the restriction “Telephone and electronic contact blocked”",)
    assert lighter == ("removes the restriction “Named officer only”",)
    assert not compare([LETTER, NAMED], [LETTER]).stricter


def test_fewer_channels_open_is_stricter() -> None:
    stricter, lighter = _both([LETTER_EMAIL], [LETTER])
    assert stricter == ("closes the channel email",) and not lighter
    stricter, lighter = _both([LETTER], [LETTER_EMAIL])
    assert lighter == ("opens the channel email",) and not stricter


def test_email_to_one_address_only_is_stricter_than_email_to_any() -> None:
    to_one = (K.FORM_OF_CONTACT, {"channels": ["email", "letter"],
                                  "email_address": "team@example.gov.uk"})
    assert compare([LETTER_EMAIL], [to_one]).stricter == (
        "changes the email address contact is accepted at",)
    assert compare([to_one], [LETTER_EMAIL]).lighter_or_equal


@pytest.mark.parametrize(("after", "stricter", "lighter"), [
    ({"days": ["tue"], "windows": ["10:00-12:00"]},
     ("has fewer telephone days (no calls on Thursday)",), ()),
    ({"days": ["tue", "thu", "fri"], "windows": ["10:00-12:00"]}, (),
     ("has more telephone days (calls also on Friday)",)),
    ({"days": ["tue", "thu"], "windows": ["10:00-11:00"]},
     ("has shorter telephone hours on Tuesday", "has shorter telephone hours on Thursday"), ()),
    ({"days": ["tue", "thu"], "windows": ["09:00-12:00", "14:00-15:00"]}, (),
     ("has longer telephone hours on Tuesday", "has longer telephone hours on Thursday")),
    # the same length of time, moved: not clearly lighter, so stricter
    ({"days": ["tue", "thu"], "windows": ["11:00-13:00"]},
     ("has shorter telephone hours on Tuesday", "has shorter telephone hours on Thursday"),
     ("has longer telephone hours on Tuesday", "has longer telephone hours on Thursday")),
])
def test_telephone_days_and_hours(after: dict[str, Any], stricter: tuple[str, ...],
                                  lighter: tuple[str, ...]) -> None:
    assert _both([PHONE_TUE_THU], [(K.TELEPHONE_TIMES, after)]) == (stricter, lighter)


def test_another_named_officer_or_definition_is_not_clearly_lighter() -> None:
    other = (K.NAMED_OFFICER, {"officer": "Ceri Hughes", "deputy": "Tomasz Nowak"})
    assert compare([NAMED], [other]).stricter == ("changes the named officer or their deputy",)
    old = (K.SIGNIFICANT_QUERIES_ONLY, {"definition": "New bills"})
    new = (K.SIGNIFICANT_QUERIES_ONLY, {"definition": "New bills only, in writing"})
    assert compare([old], [new]).stricter == (
        "changes what counts as a significant and serious query",)
    # the same words, differently spaced, are the same definition
    assert compare([old], [(K.SIGNIFICANT_QUERIES_ONLY, {"definition": " new  bills"})]
                   ).lighter_or_equal


def test_matters_not_acknowledged() -> None:
    one = (K.NEW_ISSUES_ONLY, {"closed_issues": ["Parking 2024"]})
    two = (K.NEW_ISSUES_ONLY, {"closed_issues": ["Parking 2024", "Bin collection"]})
    assert compare([one], [two]).stricter == ("has more matters not acknowledged: Bin collection",)
    assert compare([two], [one]).lighter == (
        "has fewer matters not acknowledged: Bin collection will be dealt with again",)


def test_a_blocking_restriction_reworded_is_the_same_restriction() -> None:
    assert compare([BLOCK], [(K.BLOCK_ELECTRONIC, {"why_nothing_less": "Threats, again"})]
                   ) == compare([], [])


def test_end_and_review_dates() -> None:
    later = compare([LETTER], [LETTER], ends_now=date(2027, 11, 28),
                    ends_proposed=date(2029, 11, 28))
    assert later.stricter == ("ends 2 years later (28 November 2029 instead of "
                              "28 November 2027)",)
    sooner = compare([LETTER], [LETTER], ends_now=date(2027, 11, 28),
                     ends_proposed=date(2027, 5, 28), review_now=date(2027, 5, 1),
                     review_proposed=date(2027, 3, 1))
    assert sooner.lighter_or_equal and sooner.lighter == (
        "ends 6 months sooner (28 May 2027 instead of 28 November 2027)",
        "is reviewed sooner (by 1 March 2027 instead of 1 May 2027)")
    assert compare([LETTER], [LETTER], review_now=date(2027, 5, 1),
                   review_proposed=date(2027, 6, 1)).stricter == (
        "is reviewed later (by 1 June 2027 instead of 1 May 2027)",)
    assert span(date(2026, 11, 28), date(2026, 12, 8)) == "10 days"
    assert span(date(2026, 11, 28), date(2028, 5, 28)) == "18 months"


def test_changes_to_drafts_since_they_were_read_are_named_by_kind() -> None:
    """Never by the row's number (b15e F10: "restriction 5 changed" read as the policy's fifth
    kind); a draft whose kind is not known is "a restriction"."""
    kinds = {15: K.NAMED_OFFICER, 16: K.NEW_ISSUES_ONLY, 17: K.FORM_OF_CONTACT}
    assert changes({15: 2, 16: 1}, {15: 2, 16: 1}, kinds) == []
    assert changes({15: 2, 16: 1}, {15: 3, 17: 1}, kinds) == [
        "the Named officer only restriction changed",
        "the New issues only restriction was discarded",
        "the Contact in a particular form only restriction was set out"]
    assert changes({9: 1}, {}, kinds) == ["a restriction was discarded"]


def test_telephone_at_set_times_in_place_of_the_block_is_lighter() -> None:
    """v15j minor: the block shuts telephone and electronic contact altogether; calls at set
    times in its place limit the telephone alone, so what the customer may do only grows.
    Beside a block kept, or in place of another kind, a new kind still counts as stricter."""
    stricter, lighter = _both([BLOCK, LETTER], [PHONE_TUE_THU, LETTER])
    assert not stricter, stricter
    assert lighter == ("allows telephone calls at set times, and electronic contact, where both "
                       "were blocked",
                       "removes the restriction “Telephone and electronic contact blocked”")
    assert compare([BLOCK], [BLOCK, PHONE_TUE_THU]).stricter == (
        "adds the restriction “Telephone on specified days and times”",)
    assert compare([NAMED], [PHONE_TUE_THU]).stricter == (
        "adds the restriction “Telephone on specified days and times”",)


def test_a_later_start_is_lighter_and_a_sooner_one_stricter() -> None:
    """v15k U1: the start was left out; those in force stop when the change is decided."""
    now, later = date(2026, 11, 28), date(2027, 6, 18)
    assert _both([LETTER], [LETTER], starts_now=now, starts_proposed=later) == (
        (), ("starts later (on 18 June 2027 instead of 28 November 2026)",))
    assert _both([LETTER], [LETTER], starts_now=later, starts_proposed=now) == (
        ("starts sooner (on 28 November 2026 instead of 18 June 2027)",), ())
