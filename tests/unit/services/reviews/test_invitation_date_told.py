"""Found when tried (v16h H1): the signed invitation to comment told the customer "by 8 December
2026" (the date typed on the proposal, two days off) while every screen gave them until 20
December; and (v16i V2) those 14 days were counted in calendar days though reply-by deadlines
count working days by default. The letter, composed at signing, now carries the date the rule
gives for an invitation issued that day, counted as the configuration counts reply-by
deadlines, and the screens count to that same date.

The suite's clock: Saturday 28 November 2026. Fourteen working days from then: 17 December;
fourteen calendar days: 12 December. The proposal gives 30 November."""

from __future__ import annotations

from datetime import date

import pytest

from crm_tui.config import Config
from crm_tui.db.models import Case, Letter
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.letters.content import text
from crm_tui.services.core import comments_in, settings
from crm_tui.services.letters import letter_content
from crm_tui.services.reviews import calendar
from crm_tui.services.reviews.calendar import Obligation
from tests import builders

GIVEN = date(2026, 11, 30)  # two days after the proposal: shorter than the period
WORKING = date(2026, 12, 17)  # 14 working days from Sat 28 Nov 2026
CALENDAR = date(2026, 12, 12)  # 14 calendar days from it


def _proposed(actors: dict[Role, Actor]) -> str:
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, ref, reply_by=GIVEN, sign=False)
    return ref


def _calendar_days(actors: dict[Role, Actor], ref: str) -> set[date]:
    return {i.day for i in calendar.items(actors[Role.CRM], date(2026, 11, 1),
                                          date(2027, 1, 31))
            if i.reference == ref and i.kind is Obligation.REPLY_BY}


def test_the_signed_letter_gives_the_date_every_screen_counts_to(
        actors: dict[Role, Actor]) -> None:
    ref = _proposed(actors)
    case = Case.get(Case.reference == ref)
    preview = text(letter_content.compose(actors[Role.CRM], case, LetterKind.INVITATION))
    assert "by 17 December 2026" in preview and "30 November 2026" not in preview
    number = builders.sign_invitation(actors[Role.CRM], ref)
    signed = str(Letter.get_by_id(number).body)
    assert "by 17 December 2026" in signed, signed
    assert "30 November 2026" not in signed
    # Restrictions could begin only after the customer's time is up.
    assert "from 18 December 2026 at the earliest" in " ".join(signed.split())
    case = Case.get(Case.reference == ref)
    assert comments_in.comments_by(case) == WORKING
    assert _calendar_days(actors, ref) == {WORKING}


def test_calendar_days_when_reply_by_is_not_a_working_day_deadline(
        actors: dict[Role, Actor]) -> None:
    settings.configure(Config(working_day_deadlines=("appeal",)))
    ref = _proposed(actors)
    number = builders.sign_invitation(actors[Role.CRM], ref)
    assert "by 12 December 2026" in str(Letter.get_by_id(number).body)
    assert comments_in.comments_by(Case.get(Case.reference == ref)) == CALENDAR
    assert _calendar_days(actors, ref) == {CALENDAR}


@pytest.mark.parametrize(("given", "until"), [(GIVEN, WORKING), (date(2026, 12, 24),
                                                                 date(2026, 12, 24))])
def test_the_rule_is_the_later_of_the_date_given_and_the_period(given: date,
                                                                until: date) -> None:
    assert comments_in.comments_until(given, date(2026, 11, 28)) == until
