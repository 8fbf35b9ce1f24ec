"""The state machine in the domain: illegal steps, missing requirements, scoping."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from crm_tui.domain.errors import InvalidTransition, PermissionDenied, RequirementMissing
from crm_tui.domain.lifecycle import (
    TRANSITIONS,
    Action,
    AppealFacts,
    CaseFacts,
    actions_from,
    check,
    may,
)
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState

TODAY = date(2026, 11, 28)
FACTS = CaseFacts(today=TODAY, service_area_id=1, has_local_resolution=True,
                  referral_details="Daily emails", consultation_recorded=True,
                  no_communication_consultation=True, drafted_restrictions=1,
                  extension_proposed=True, restrictions_end=date(2026, 1, 1),
                  destroy_after=date(2026, 1, 1), ended_on=date(2020, 1, 1),
                  appeal=AppealFacts(decision_on=date(2026, 11, 1),
                                     period_ends=date(2026, 12, 9), in_force=True))


def actor_for(action: Action, user_id: int = 99) -> Actor:
    role = sorted(TRANSITIONS[action].roles)[0]
    return Actor(user_id, "someone", "Some One", role, service_area_id=1)


@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.value)
def test_every_state_not_listed_is_refused(action: Action) -> None:
    transition = TRANSITIONS[action]
    for state in [None, *CaseState]:
        if state in transition.moves:
            assert check(action, actor_for(action), state, FACTS, "a reason") == \
                transition.moves[state]
        else:
            with pytest.raises(InvalidTransition):
                check(action, actor_for(action), state, FACTS, "a reason")


@pytest.mark.parametrize("action", [a for a in Action if TRANSITIONS[a].needs_reason],
                         ids=lambda a: a.value)
def test_decisions_need_a_reason(action: Action) -> None:
    state = next(iter(TRANSITIONS[action].moves))
    with pytest.raises(RequirementMissing, match="reason"):
        check(action, actor_for(action), state, FACTS, "   ")


def test_restriction_needs_head_of_service_consultation() -> None:
    facts = replace(FACTS, consultation_recorded=False)
    with pytest.raises(RequirementMissing, match="Head of Service consultation"):
        check(Action.IMPOSE_RESTRICTIONS, actor_for(Action.IMPOSE_RESTRICTIONS),
              CaseState.UNDER_CONSIDERATION, facts, "reason")


def test_restriction_needs_at_least_one_restriction() -> None:
    facts = replace(FACTS, drafted_restrictions=0)
    with pytest.raises(RequirementMissing, match="at least one restriction"):
        check(Action.IMPOSE_RESTRICTIONS, actor_for(Action.IMPOSE_RESTRICTIONS),
              CaseState.UNDER_CONSIDERATION, facts, "reason")


@pytest.mark.parametrize("action", [Action.CONFIRM_ON_APPEAL, Action.AMEND_ON_APPEAL,
                                    Action.REMOVE_ON_APPEAL])
def test_appeal_decided_by_someone_who_took_no_part(action: Action) -> None:
    facts = replace(FACTS, decision_participants=frozenset({7}))
    with pytest.raises(RequirementMissing, match="no part"):
        check(action, actor_for(action, user_id=7), CaseState.UNDER_APPEAL, facts, "r")
    assert check(action, actor_for(action, user_id=8), CaseState.UNDER_APPEAL, facts, "r")


def test_extension_needs_invitation_to_comment() -> None:
    facts = replace(FACTS, extension_proposed=False)
    with pytest.raises(RequirementMissing, match="invited to comment"):
        check(Action.EXTEND_RESTRICTIONS, actor_for(Action.EXTEND_RESTRICTIONS),
              CaseState.UNDER_REVIEW, facts, "r")


def test_no_letter_needs_head_of_service() -> None:
    facts = replace(FACTS, no_communication_consultation=False)
    with pytest.raises(RequirementMissing, match="Head of Service"):
        check(Action.LIFT_WITHOUT_LETTER, actor_for(Action.LIFT_WITHOUT_LETTER),
              CaseState.UNDER_REVIEW, facts, "r")


def test_referral_needs_local_resolution_or_a_reason() -> None:
    facts = replace(FACTS, has_local_resolution=False)
    with pytest.raises(RequirementMissing, match="local resolution"):
        check(Action.RECORD_REFERRAL, actor_for(Action.RECORD_REFERRAL), None, facts)
    facts = replace(facts, no_local_resolution_reason="Police involved; safe working procedure")
    assert check(Action.RECORD_REFERRAL, actor_for(Action.RECORD_REFERRAL), None, facts) is \
        CaseState.NEW


def test_expiry_and_destruction_wait_for_their_dates() -> None:
    early = replace(FACTS, restrictions_end=date(2027, 1, 1), destroy_after=date(2030, 1, 1))
    with pytest.raises(RequirementMissing, match="end date"):
        check(Action.EXPIRE_RESTRICTIONS, actor_for(Action.EXPIRE_RESTRICTIONS),
              CaseState.RESTRICTED, early)
    with pytest.raises(RequirementMissing, match="retention period"):
        check(Action.DESTROY, actor_for(Action.DESTROY), CaseState.ARCHIVED, early)


def test_service_area_manager_acts_only_for_own_area() -> None:
    manager = Actor(5, "m", "M", Role.SERVICE_AREA_MANAGER, service_area_id=2)
    with pytest.raises(PermissionDenied, match="own service area"):
        check(Action.RECORD_REFERRAL, manager, CaseState.LOCAL_RESOLUTION, FACTS)


def test_only_the_crm_imposes_varies_extends_or_lifts() -> None:
    for action in (Action.IMPOSE_RESTRICTIONS, Action.VARY_RESTRICTIONS,
                   Action.EXTEND_RESTRICTIONS, Action.LIFT_RESTRICTIONS):
        assert TRANSITIONS[action].roles == {Role.CRM}


def test_actions_from_lists_what_a_role_can_do() -> None:
    officer = Actor(1, "o", "O", Role.OFFICER)
    assert actions_from(CaseState.NEW, officer) == [Action.BEGIN_CONSIDERATION]
    assert may(officer, Action.LODGE_APPEAL)
    assert not may(officer, Action.IMPOSE_RESTRICTIONS)
