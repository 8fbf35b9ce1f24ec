"""Services: refusals change nothing; the steps record what the policy asks for."""

from __future__ import annotations

from datetime import date

import pytest

from crm_tui.db.models import (
    Case,
    Decision,
    Restriction,
)
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.errors import (
    DomainError,
    InvalidTransition,
    PermissionDenied,
    ValidationError,
)
from crm_tui.domain.escalations import EscalationKind
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import users
from crm_tui.services.core.inputs import (
    CustomerInput,
    EscalationInput,
    LocalResolutionInput,
    ReferralInput,
)
from crm_tui.services.core.passphrases import NoPersonalKey
from crm_tui.services.intake import casework, queries
from crm_tui.services.letters import signing_keys
from crm_tui.services.restrictions import decisions
from crm_tui.services.reviews import appeals, review_steps
from tests import builders, dumps
from tests.builders import TOLD


def _dump() -> list[str]:
    return dumps.dump()


def test_illegal_transition_changes_nothing(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    before = _dump()
    with pytest.raises(InvalidTransition):
        decisions.impose_restrictions(actors[Role.CRM], ref, "Too soon", builders.TERMS,
                                      read={}, customer_reason=TOLD)
    with pytest.raises(InvalidTransition):
        review_steps.start_review(actors[Role.CRM], ref)
    assert _dump() == before


def test_impose_without_consultation_changes_nothing(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, consulted=False)
    before = _dump()
    with pytest.raises(DomainError, match="Head of Service consultation"):
        decisions.impose_restrictions(actors[Role.CRM], ref, "Evidence", builders.TERMS,
                                      read=builders.read(ref), customer_reason=TOLD)
    assert _dump() == before


@pytest.mark.parametrize(("change", "field"), [
    ({"written_summary": "  "}, "written_summary"),
    ({"written_on": date(2027, 1, 1)}, "written_on"),
    ({"monitoring_end": date(2026, 8, 1)}, "monitoring_end"),
    ({"contact_frequency": "daily"}, "contact_frequency"),
])
def test_bad_local_resolution_names_field_and_writes_nothing(
        actors: dict[Role, Actor], change: dict[str, object], field: str) -> None:
    values: dict[str, object] = {"written_on": date(2026, 9, 1), "written_summary": "Letter",
                                 "monitoring_start": date(2026, 9, 1),
                                 "monitoring_end": date(2026, 10, 1)}
    values.update(change)
    before = _dump()
    with pytest.raises(ValidationError) as error:
        casework.open_local_resolution(actors[Role.CRM], CustomerInput(name="A Person"),
                                     "Housing Services", LocalResolutionInput(**values))
    assert error.value.field == field
    assert _dump() == before


def test_unknown_service_area_is_refused(actors: dict[Role, Actor]) -> None:
    with pytest.raises(ValidationError, match="unknown service area"):
        casework.open_local_resolution(
            actors[Role.CRM], CustomerInput(name="A"), "Ministry of Magic",
            LocalResolutionInput(date(2026, 9, 1), "x", date(2026, 9, 1), date(2026, 10, 1),
                                 customer_summary=TOLD))


def test_manager_cannot_see_or_refer_for_another_area(actors: dict[Role, Actor]) -> None:
    ref = builders.local_resolution(actors)
    other = users.resolve_actor("manager2")
    with pytest.raises(PermissionDenied):
        casework.record_referral(other, ReferralInput("manager2", date(2026, 11, 1),
                                                      "Shouted at the reception staff"),
                                 case_reference=ref)
    assert queries.list_cases(other) == []
    assert len(queries.list_cases(actors[Role.SERVICE_AREA_MANAGER])) == 1


def test_referral_without_local_resolution_needs_reason(actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    referral = ReferralInput("manager", date(2026, 11, 1), "Threats to staff")
    with pytest.raises(DomainError, match="local resolution"):
        casework.record_referral(crm, referral, customer=CustomerInput(name="B"),
                               service_area="Housing Services")
    assert Case.select().count() == 0
    with_reason = ReferralInput(
        "manager", date(2026, 11, 1), "Threats to staff", (BehaviourCategory.OFFENSIVE_REMARKS,),
        no_local_resolution_reason="Police action under way after threats",
        escalation=EscalationInput(EscalationKind.POLICE, date(2026, 10, 30),
                                   "Threats at reception", "NM/26/4411"))
    summary = casework.record_referral(crm, with_reason, customer=CustomerInput(name="B"),
                                     service_area="Housing Services")
    assert summary.state is CaseState.NEW


def test_decision_records_terms_and_review(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    case = Case.get(Case.reference == ref)
    assert case.review_due == date(2027, 11, 28)
    decision = Decision.get(Decision.case == case)
    assert decision.decided_by_id == actors[Role.CRM].user_id
    assert Restriction.get(Restriction.case == case).status == "in_force"
    summary = queries.list_cases(actors[Role.CRM])[0]
    # Decided, its letter not yet signed: that comes before the review (issue 15).
    assert summary.next_action == "Sign the decision letter"
    assert [k.value for k in summary.restriction_kinds] == ["form_of_contact"]


def test_appeal_cannot_be_decided_by_the_consultee_turned_director(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    # The CRM took the decision; a Service Director who did not may decide the appeal.
    summary = appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.REMOVED,
                                    "Not proportionate", customer_reason=TOLD)
    assert summary.state is CaseState.ENDED
    assert summary.restriction_kinds == ()


def test_extension_after_invitation(actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    with pytest.raises(DomainError, match="invited to comment"):
        review_steps.extend_restrictions(crm, ref, "More emails", builders.TERMS, read={},
                                         customer_reason=TOLD)
    builders.draft(actors, ref)
    summary = review_steps.propose_extension(crm, ref, "Three letters a week continued",
                                             ends_on=date(2028, 11, 28), customer_reason=TOLD)
    # v15e F13: the customer is asked only once the invitation is signed.
    assert summary.next_action == "Sign the invitation to comment"
    builders.sign_invitation(crm, ref)
    [summary] = [s for s in queries.list_cases(crm) if s.reference == ref]
    assert summary.next_action == "Customer's comments due"
    # fourteen working days from Saturday 28 November 2026
    assert summary.next_action_due == date(2026, 12, 17)
    with pytest.raises(DomainError, match="until 17 December 2026 to comment"):
        review_steps.extend_restrictions(crm, ref, "More emails", builders.TERMS,
                                         read=builders.read(ref), customer_reason=TOLD)


def test_first_user_is_the_administrator_then_only_they_add_users(db: object) -> None:
    with pytest.raises(ValidationError, match="user_admin"):
        users.add_user(None, "boss", "B Oss", Role.CRM, staff_id="E1", os_account="boss-os")
    with pytest.raises(ValidationError, match="account"):
        users.add_user(None, "pat", "Pat Min", Role.USER_ADMIN, staff_id="E0")
    first = users.add_user(None, "pat", "Pat Min", Role.USER_ADMIN, staff_id="E0",
                           os_account="pat-os")
    assert first.role is Role.USER_ADMIN
    with pytest.raises(PermissionDenied):
        users.add_user(None, "x", "X", Role.USER_ADMIN, staff_id="E9", os_account="x-os")
    admin = users.resolve_actor("pat")
    with pytest.raises(NoPersonalKey):  # every later change is confirmed with their own key
        users.add_user(admin, "boss", "B Oss", Role.CRM, staff_id="E1", os_account="boss-os")
    signing_keys.create_key(admin, "pat", "pat's passphrase", council="Test")
    users.add_user(admin, "boss", "B Oss", Role.CRM, staff_id="E1", os_account="boss-os")
    officer = users.add_user(admin, "off", "Off Icer", Role.OFFICER, staff_id="E2")
    for who in ("boss", officer.login):
        with pytest.raises(PermissionDenied):
            users.add_user(users.resolve_actor(who), "y", "Y", Role.CRM, staff_id="E3")
    with pytest.raises(ValidationError, match="already"):
        users.add_user(admin, "off", "Again", Role.OFFICER, staff_id="E4")


def test_unknown_user_message_says_how_to_add(db: object) -> None:
    with pytest.raises(users.UnknownUser, match="crm-tui users add nobody"):
        users.resolve_actor("nobody")
