"""The appeal rules in the domain: when an appeal can be lodged, where a decided appeal
leaves the case, who counts as nominated, and what a nomination covers."""

from __future__ import annotations

from datetime import date

import pytest

from crm_tui.domain.errors import PermissionDenied, RequirementMissing
from crm_tui.domain.lifecycle import Action, AppealFacts, CaseFacts, check
from crm_tui.domain.nominations import APPEAL_DECIDERS, Cover, check_period, why_not_nominable
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState as S

TODAY = date(2026, 11, 28)
OFFICER = Actor(1, "o", "O", Role.OFFICER)
DECIDED = AppealFacts(decision_on=date(2026, 11, 1), period_ends=date(2026, 12, 9))


def facts(**appeal: object) -> CaseFacts:
    return CaseFacts(today=TODAY, appeal=AppealFacts(**{**DECIDED.__dict__, **appeal}))


@pytest.mark.parametrize("state", [S.RESTRICTED, S.UNDER_REVIEW])
def test_while_restrictions_are_in_force_an_appeal_is_taken_whenever_it_comes(
        state: S) -> None:
    late = facts(in_force=True, received_on=date(2027, 6, 1))
    assert check(Action.LODGE_APPEAL, OFFICER, state, late, "grounds") is S.UNDER_APPEAL


def test_once_they_have_ended_only_within_the_appeal_period() -> None:
    assert check(Action.LODGE_APPEAL, OFFICER, S.ENDED, facts(received_on=date(2026, 12, 9)),
                 "grounds") is S.UNDER_APPEAL
    with pytest.raises(RequirementMissing, match="ended on 9 December 2026"):
        check(Action.LODGE_APPEAL, OFFICER, S.ENDED, facts(received_on=date(2026, 12, 10)),
              "grounds")


def test_one_appeal_per_decision_and_none_without_a_decision() -> None:
    with pytest.raises(RequirementMissing, match="already appealed"):
        check(Action.LODGE_APPEAL, OFFICER, S.RESTRICTED,
              facts(in_force=True, already_appealed=True), "grounds")
    with pytest.raises(RequirementMissing, match="no decision to restrict"):
        check(Action.LODGE_APPEAL, OFFICER, S.RESTRICTED,
              CaseFacts(today=TODAY, appeal=AppealFacts(in_force=True)), "grounds")


@pytest.mark.parametrize(("lodged_from", "confirmed_to"), [
    (S.RESTRICTED, S.RESTRICTED), (S.UNDER_REVIEW, S.UNDER_REVIEW), (S.ENDED, S.ENDED)])
def test_a_confirmed_appeal_returns_the_case_where_it_was(lodged_from: S,
                                                          confirmed_to: S) -> None:
    director = Actor(2, "d", "D", Role.SERVICE_DIRECTOR)
    decided = facts(lodged_from=lodged_from)
    assert check(Action.CONFIRM_ON_APPEAL, director, S.UNDER_APPEAL, decided, "r") is \
        confirmed_to
    assert check(Action.REMOVE_ON_APPEAL, director, S.UNDER_APPEAL, decided, "r") is S.ENDED


def test_a_nominee_decides_only_when_nominated_and_in_a_role_that_may_be() -> None:
    deputy = Actor(3, "h", "H", Role.HEAD_OF_SERVICE)
    with pytest.raises(PermissionDenied, match="nominated to decide this case's appeal"):
        check(Action.CONFIRM_ON_APPEAL, deputy, S.UNDER_APPEAL, facts(), "r")
    assert check(Action.CONFIRM_ON_APPEAL, deputy, S.UNDER_APPEAL,
                 facts(nominees=frozenset({3})), "r") is S.RESTRICTED
    # A CRM's id among the nominees (a stale nomination) still does not let the CRM decide.
    crm = Actor(4, "c", "C", Role.CRM)
    with pytest.raises(PermissionDenied):
        check(Action.CONFIRM_ON_APPEAL, crm, S.UNDER_APPEAL, facts(nominees=frozenset({4})),
              "r")
    assert {Role.SERVICE_DIRECTOR, Role.HEAD_OF_SERVICE} == APPEAL_DECIDERS
    assert why_not_nominable(Role.HEAD_OF_SERVICE) is None
    assert why_not_nominable(Role.USER_ADMIN)


def test_what_a_nomination_covers() -> None:
    period = Cover(None, date(2026, 12, 1), date(2026, 12, 14))
    assert period.covers(7, date(2026, 12, 1)) and period.covers(9, date(2026, 12, 14))
    assert not period.covers(7, date(2026, 11, 30)) and not period.covers(7, date(2026, 12, 15))
    one_case = Cover(7, None, None)
    assert one_case.covers(7, date(2030, 1, 1)) and not one_case.covers(8, TODAY)
    revoked = Cover(7, None, None, revoked_on=date(2026, 12, 2))
    assert revoked.covers(7, date(2026, 12, 1)) and not revoked.covers(7, date(2026, 12, 2))
    assert check_period(TODAY, date(2027, 11, 29), TODAY) is None
    assert check_period(TODAY, date(2027, 11, 30), TODAY) is not None
