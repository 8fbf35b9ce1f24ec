"""Items 7 and 8 of issue 13: escalation records (police involvement, legal action, risk to
staff) with the safe-working pointer; the warning before restrictions; and the extreme-case
route — restricting without prior warning, by the CRM only, on an escalation record, with
reasons, confirmed with her passphrase. Each refusal leaves the database as it was."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from crm_tui.config import Config
from crm_tui.db.models import AuditEntry, Case, Escalation, NoPriorWarning
from crm_tui.domain.categories import BehaviourCategory as B
from crm_tui.domain.errors import (
    InvalidTransition,
    NotFound,
    PermissionDenied,
    RequirementMissing,
    ValidationError,
)
from crm_tui.domain.escalations import EscalationKind
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.letters import content
from crm_tui.services.core import confirmation, settings
from crm_tui.services.core.inputs import (
    CustomerInput,
    EscalationInput,
    LocalResolutionInput,
    ReferralInput,
)
from crm_tui.services.core.passphrases import NotConfirmed
from crm_tui.services.intake import case_file, casework, escalations, prior_warnings
from crm_tui.services.letters import letter_content
from crm_tui.services.restrictions import builder, decisions, extreme_case
from crm_tui.services.restrictions.safeguards import NO_WARNING
from tests import builders, dumps
from tests.builders import TOLD

TERMS = builders.TERMS
POLICE = EscalationInput(EscalationKind.POLICE, date(2026, 10, 30),
                         "Threatened the officer at reception; police attended", "NM/26/4411")
REASONS = ("Threats in person to a named officer; a warning and a monitoring period first "
           "would leave her exposed")


def _dump() -> list[str]:
    return dumps.dump()


def _lr(warned: bool) -> LocalResolutionInput:
    return LocalResolutionInput(written_on=date(2026, 9, 1), written_summary="Concerns set out",
                                monitoring_start=date(2026, 9, 1),
                                monitoring_end=date(2026, 10, 31),
                                contact_frequency="weekly", warned=warned, customer_summary=TOLD)


def _ready(actors: dict[Role, Actor], *, warned: bool) -> str:
    """Under consideration, consulted, a restriction on tagged evidence: all but the warning."""
    manager, crm = actors[Role.SERVICE_AREA_MANAGER], actors[Role.CRM]
    ref = casework.open_local_resolution(
        manager, CustomerInput(name="Una Tested", address=("1 Test Row",)), "Housing Services",
        _lr(warned)).reference
    casework.record_referral(manager, ReferralInput(
        "manager", date(2026, 11, 2), "Forty emails a week to six officers",
        (B.EXCESSIVE_DEMANDS,)), case_reference=ref)
    casework.begin_consideration(crm, ref)
    builders.draft(actors, ref)
    builders.consult(actors, ref)  # on the restriction as drafted
    return ref


def _extreme(actors: dict[Role, Actor]) -> str:
    """Referred at once without local resolution, on a police record."""
    crm = actors[Role.CRM]
    ref = casework.record_referral(actors[Role.SERVICE_AREA_MANAGER], ReferralInput(
        "manager", date(2026, 11, 2), "Threats to a housing officer", (B.OFFENSIVE_REMARKS,),
        no_local_resolution_reason="Police called after threats at reception",
        escalation=POLICE), customer=CustomerInput(name="Rex Extreme", address=("1 Test Row",)),
        service_area="Housing Services").reference
    casework.begin_consideration(crm, ref)
    builders.draft(actors, ref)
    builders.consult(actors, ref)  # on the restriction as drafted
    return ref


def test_no_decision_to_restrict_without_a_warning(actors: dict[Role, Actor]) -> None:
    ref = _ready(actors, warned=False)
    crm = actors[Role.CRM]
    assert NO_WARNING in builder.builder_view(crm, ref).problems
    before = _dump()
    with pytest.raises(RequirementMissing, match="has not been warned"):
        decisions.impose_restrictions(crm, ref, "Persistent contact", TERMS,
                                      read=builders.read(ref), customer_reason=TOLD)
    assert _dump() == before
    # A separate warning letter sent during local resolution, before the referral, counts.
    prior_warnings.record_warning(actors[Role.SERVICE_AREA_MANAGER], ref, date(2026, 10, 1),
                                  "Letter: continuing may lead to restrictions")
    assert NO_WARNING not in builder.builder_view(crm, ref).problems
    decisions.impose_restrictions(crm, ref, "Persistent contact", TERMS, read=builders.read(ref),
                                  customer_reason=TOLD)
    assert Case.get(Case.reference == ref).state == "restricted"
    view = extreme_case.scope_view(crm, ref)
    assert view.warning_line == "Warned in a separate warning letter on 1 October 2026"


def test_a_warning_given_after_the_referral_is_not_one_during_local_resolution(
        actors: dict[Role, Actor]) -> None:
    ref = _ready(actors, warned=False)
    prior_warnings.record_warning(actors[Role.OFFICER], ref, date(2026, 11, 20),
                                  "Letter: continuing may lead to restrictions")
    before = _dump()
    with pytest.raises(RequirementMissing,
                       match="given on 20 November 2026, after the referral was received on "
                             "2 November 2026"):
        decisions.impose_restrictions(actors[Role.CRM], ref, "Persistent contact", TERMS,
                                      read=builders.read(ref), customer_reason=TOLD)
    assert _dump() == before


def test_the_local_resolution_letter_is_the_warning(actors: dict[Role, Actor]) -> None:
    ref = _ready(actors, warned=True)
    crm = actors[Role.CRM]
    case = Case.get(Case.reference == ref)
    text = content.text(letter_content.compose(crm, case, LetterKind.LOCAL_RESOLUTION))
    assert content.WARNING in text and "A warning" in text
    assert extreme_case.scope_view(crm, ref).warning_line == \
        "Warned in the local-resolution letter on 1 September 2026"
    decisions.impose_restrictions(crm, ref, "Persistent contact", TERMS, read=builders.read(ref),
                                  customer_reason=TOLD)
    # A letter that was not the warning does not give one.
    other = _ready(actors, warned=False)
    plain = content.text(letter_content.compose(
        crm, Case.get(Case.reference == other), LetterKind.LOCAL_RESOLUTION))
    assert content.WARNING not in plain and "restrict" not in plain


def test_a_warning_is_recorded_before_the_decision_by_those_who_deal_with_the_customer(
        actors: dict[Role, Actor]) -> None:
    ref = _ready(actors, warned=False)
    before = _dump()
    for role in (Role.HEAD_OF_SERVICE, Role.SERVICE_DIRECTOR, Role.USER_ADMIN):
        with pytest.raises(PermissionDenied):
            prior_warnings.record_warning(actors[role], ref, date(2026, 10, 1), "Warned")
    with pytest.raises(ValidationError) as future:
        prior_warnings.record_warning(actors[Role.OFFICER], ref, date(2026, 12, 1), "Warned")
    assert future.value.field == "given_on"
    with pytest.raises(ValidationError, match="cannot be dated before it began, on 1 September "
                                              "2026") as backdated:
        prior_warnings.record_warning(actors[Role.CRM], ref, date(2020, 1, 1), "Warned")
    assert backdated.value.field == "given_on"
    with pytest.raises(ValidationError) as blank:
        prior_warnings.record_warning(actors[Role.OFFICER], ref, date(2026, 10, 1), "  ")
    assert blank.value.field == "summary"
    assert _dump() == before
    restricted = builders.at_state(actors, CaseState.RESTRICTED)
    with pytest.raises(InvalidTransition, match="belongs to local resolution"):
        prior_warnings.record_warning(actors[Role.CRM], restricted, date(2026, 10, 1), "Late")


def test_restricting_without_prior_warning(actors: dict[Role, Actor]) -> None:
    ref = _extreme(actors)
    crm = actors[Role.CRM]
    assert NO_WARNING in builder.builder_view(crm, ref).problems
    with pytest.raises(RequirementMissing, match="has not been warned"):
        decisions.impose_restrictions(crm, ref, "Threats", TERMS, read=builders.read(ref),
                                      customer_reason=TOLD)
    [police] = extreme_case.scope_view(crm, ref).escalations
    before = _dump()
    for role in (Role.OFFICER, Role.HEAD_OF_SERVICE, Role.SERVICE_DIRECTOR,
                 Role.SERVICE_AREA_MANAGER):
        with pytest.raises(PermissionDenied):
            extreme_case.restrict_without_warning(actors[role], ref, police.id, REASONS)
    with pytest.raises(NotFound, match="rests on one"):
        extreme_case.restrict_without_warning(crm, ref, police.id + 99, REASONS)
    with pytest.raises(ValidationError) as short:
        extreme_case.restrict_without_warning(crm, ref, police.id, "Extreme case")
    assert short.value.field == "reasons"
    with confirmation.given("not her passphrase"), pytest.raises(NotConfirmed):
        extreme_case.restrict_without_warning(crm, ref, police.id, REASONS)
    assert _dump() == before
    extreme_case.restrict_without_warning(crm, ref, police.id, REASONS)
    entry = AuditEntry.get(AuditEntry.action == "restrict_without_prior_warning")
    assert entry.reason == REASONS and entry.case_reference == ref
    payload = json.loads(entry.payload)
    assert payload["reference"] == "NM/26/4411" and "confirmed_with_key" in payload
    with pytest.raises(ValidationError, match="already decided by Alex Morgan"):
        extreme_case.restrict_without_warning(crm, ref, police.id, REASONS)
    view = extreme_case.scope_view(crm, ref)
    assert view.without_warning is not None and view.without_warning.reasons == REASONS
    assert view.warning_line.startswith("Restricting without prior warning (decided by Alex "
                                        "Morgan on 28 November 2026, on: Police involvement")
    timeline = case_file.case_file(crm, ref).timeline
    assert any(e.title == "Decision: restrict without prior warning (Alex Morgan)"
               and "NM/26/4411" in e.detail and REASONS in e.detail for e in timeline)
    decisions.impose_restrictions(crm, ref, "Threats to staff", TERMS, read=builders.read(ref),
                                  customer_reason=TOLD)
    assert Case.get(Case.reference == ref).state == "restricted"
    with pytest.raises(InvalidTransition):  # only before the decision
        extreme_case.restrict_without_warning(crm, ref, police.id, REASONS)


def test_escalation_records(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    officer = actors[Role.OFFICER]
    before = _dump()
    with pytest.raises(ValidationError) as no_ref:
        escalations.record_escalation(officer, ref, replace(POLICE, reference=""))
    assert no_ref.value.field == "reference" and "crime or incident reference" in \
        no_ref.value.message
    with pytest.raises(ValidationError) as future:
        escalations.record_escalation(officer, ref, replace(POLICE, occurred_on=date(2026, 12, 1)))
    assert future.value.field == "occurred_on"
    with pytest.raises(ValidationError) as note:
        escalations.record_escalation(officer, ref, replace(POLICE, note=" "))
    assert note.value.field == "note"
    # Round 12: an account of what happened is refused as a placeholder, as a reason is
    with pytest.raises(ValidationError) as thin:
        escalations.record_escalation(officer, ref, replace(POLICE, note="n/a"))
    assert thin.value.field == "note" and "says nothing" in thin.value.message
    with pytest.raises(ValidationError) as warned:
        prior_warnings.record_warning(officer, ref, date(2026, 11, 20), "-")
    assert warned.value.field == "summary"
    for role in (Role.HEAD_OF_SERVICE, Role.SERVICE_DIRECTOR, Role.USER_ADMIN):
        with pytest.raises(PermissionDenied):
            escalations.record_escalation(actors[role], ref, POLICE)
    from crm_tui.services.core import users

    with pytest.raises(PermissionDenied, match="own service area"):
        escalations.record_escalation(users.resolve_actor("manager2"), ref, POLICE)
    assert _dump() == before
    assert extreme_case.scope_view(actors[Role.CRM], ref).safe_working == ""
    escalations.record_escalation(actors[Role.SERVICE_AREA_MANAGER], ref, POLICE)
    assert extreme_case.scope_view(actors[Role.CRM], ref).safe_working == ""  # no risk to staff yet
    risk = EscalationInput(EscalationKind.RISK_TO_STAFF, date(2026, 10, 30),
                           "Officers no longer visit alone")  # no incident number yet: fine
    escalations.record_escalation(officer, ref, risk)
    assert Escalation.select().count() == 2
    assert [e.action for e in AuditEntry.select().where(
        AuditEntry.action == "record_escalation")] == ["record_escalation"] * 2
    view = extreme_case.scope_view(actors[Role.CRM], ref)
    assert view.safe_working.startswith("Safe Working Procedure- Incident List (http://")
    assert [e.kind for e in view.escalations] == [EscalationKind.POLICE,
                                                  EscalationKind.RISK_TO_STAFF]
    settings.configure(Config(safe_working_procedure="Northmere lone working procedure"))
    assert extreme_case.scope_view(actors[Role.CRM], ref).safe_working == \
        "Northmere lone working procedure"
    titles = [e.title for e in case_file.case_file(actors[Role.CRM], ref).timeline]
    assert "Escalation: Police involvement (NM/26/4411)" in titles
    assert "Escalation: Risk to staff" in titles


def test_no_escalation_on_a_closed_file(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.ARCHIVED)
    before = _dump()
    with pytest.raises(InvalidTransition, match="archived"):
        escalations.record_escalation(actors[Role.CRM], ref, POLICE)
    assert _dump() == before
    assert NoPriorWarning.select().count() == 0


# Who may take each step, written out by hand from the policy (not read from the code's
# table): the service area and the team deal with the customer and record what happened;
# "formal restrictions can only be imposed by the CRM", and so is the route without warning.
MAY_RECORD = {Role.CRM: True, Role.OFFICER: True, Role.SERVICE_AREA_MANAGER: True,
              Role.HEAD_OF_SERVICE: False, Role.SERVICE_DIRECTOR: False, Role.USER_ADMIN: False}
MAY_GO_WITHOUT_WARNING = {Role.CRM: True, Role.OFFICER: False, Role.SERVICE_AREA_MANAGER: False,
                          Role.HEAD_OF_SERVICE: False, Role.SERVICE_DIRECTOR: False,
                          Role.USER_ADMIN: False}


@pytest.mark.parametrize("role", list(MAY_RECORD), ids=lambda r: r.value)
def test_who_records_escalations_and_warnings_and_who_goes_without_warning(
        actors: dict[Role, Actor], role: Role) -> None:
    ref = _extreme(actors)
    [police] = extreme_case.scope_view(actors[Role.CRM], ref).escalations
    steps = (
        (MAY_RECORD[role], lambda: escalations.record_escalation(actors[role], ref, POLICE)),
        (MAY_RECORD[role], lambda: prior_warnings.record_warning(
            # After the customer's first logged contact, of 5 Oct 2026 (issue 16).
            actors[role], ref, date(2026, 10, 6), "Letter: continuing may lead to restrictions")),
        (MAY_GO_WITHOUT_WARNING[role],
         lambda: extreme_case.restrict_without_warning(actors[role], ref, police.id, REASONS)))
    for allowed, do in steps:
        if allowed:
            do()
            continue
        before = _dump()
        with pytest.raises(PermissionDenied):
            do()
        assert _dump() == before
