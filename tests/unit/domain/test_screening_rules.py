"""Screened post, the pure rules: which breaches queue a contact, what the officer is told to
do, and the read-by date in working days (weekends and bank holidays skipped)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from crm_tui.domain.compliance import ContactFacts, RestrictionInForce, check_contact
from crm_tui.domain.contact import Channel
from crm_tui.domain.restrictions import RestrictionKind as K
from crm_tui.domain.screening import last_arrival_due_by, screen_by

CHRISTMAS = {date(2026, 12, 25), date(2026, 12, 28)}  # Christmas Day; Boxing Day's substitute


@pytest.mark.parametrize(("arrived", "days", "expected"), [
    (date(2026, 11, 25), 2, date(2026, 11, 27)),  # Wednesday: by Friday
    (date(2026, 11, 26), 2, date(2026, 11, 30)),  # Thursday: over the weekend, by Monday
    (date(2026, 11, 28), 2, date(2026, 12, 1)),  # Saturday: two working days from Monday
    (date(2026, 12, 24), 1, date(2026, 12, 29)),  # Christmas Eve: past both bank holidays
    (date(2026, 12, 23), 3, date(2026, 12, 30)),
])
def test_read_by_counts_working_days(arrived: date, days: int, expected: date) -> None:
    assert screen_by(arrived, days, CHRISTMAS) == expected


@pytest.mark.parametrize("days", [1, 2, 3, 5, 10])
def test_last_arrival_due_by_is_the_latest_arrival_read_by_then(days: int) -> None:
    for offset in range(40):  # every day through Christmas
        day = date(2026, 12, 1) + timedelta(days=offset)
        last = last_arrival_due_by(day, days, CHRISTMAS)
        assert screen_by(last, days, CHRISTMAS) <= day
        assert screen_by(last + timedelta(days=1), days, CHRISTMAS) > day


def _breach(kind: K, params: dict[str, object], channel: Channel, matter: str = "") -> str:
    verdict = check_contact([RestrictionInForce(1, kind, params)], ContactFacts(
        at=datetime(2026, 11, 27, 19, 0), channel=channel, officer="Sam Patel", matter=matter,
        matter_closed_on=date(2026, 6, 1) if matter else None))
    [breach] = verdict.breaches
    return f"{'queued' if breach.screened else 'not queued'}: {breach.what_to_do()}"


def test_what_the_officer_is_told_to_do_in_plain_words() -> None:
    # Written out by hand from the policy: a closed channel or a closed matter is filed without
    # reply, and read; a contact to the wrong officer is passed to the named one.
    assert _breach(K.FORM_OF_CONTACT, {"channels": ["letter"]}, Channel.EMAIL) == (
        "queued: Do not reply by email: contact is accepted only by letter; the item is "
        "queued for screening: read it for anything new or an emergency.")
    assert _breach(K.NEW_ISSUES_ONLY, {"closed_issues": ["Gutter repair"]}, Channel.LETTER,
                   "Gutter repair") == (
        'queued: Do not reply about the closed matter "Gutter repair"; the item is queued for '
        "screening: read it for anything new or an emergency.")
    assert _breach(K.BLOCK_ELECTRONIC, {"why_nothing_less": "x"}, Channel.WEB_FORM).startswith(
        "queued: Do not reply by web form: telephone and electronic contact is blocked;")
    assert _breach(K.TELEPHONE_TIMES, {"days": ["tue"], "windows": ["10:00-12:00"]},
                   Channel.TELEPHONE).startswith(
        "queued: Do not deal with the call outside the agreed times: calls are taken only on "
        "Tue, 10:00-12:00;")
    assert _breach(K.NAMED_OFFICER, {"officer": "Ana Lima", "deputy": "Bo Chen"},
                   Channel.EMAIL) == ("not queued: Pass it to Ana Lima (or Bo Chen in their "
                                      "absence) and do not deal with it yourself.")


def test_asked_before_it_is_logged_the_advice_says_so() -> None:
    verdict = check_contact([RestrictionInForce(1, K.FORM_OF_CONTACT, {"channels": ["letter"]})],
                            ContactFacts(at=datetime(2026, 11, 27, 9, 0),
                                         channel=Channel.FACE_TO_FACE, officer=""))
    assert verdict.breaches[0].what_to_do(logged=False) == (
        "Do not reply face to face: contact is accepted only by letter; once it is logged it "
        "is queued for screening: read it for anything new or an emergency.")
