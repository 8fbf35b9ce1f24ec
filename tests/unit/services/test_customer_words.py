"""Every step a letter follows asks for what the customer is told, apart from the internal
record: refused without it (at its field, nothing stored), kept where the letter reads it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from crm_tui.db.models import (
    Appeal,
    Customer,
    Decision,
    ExtensionProposal,
    LocalResolution,
    Restriction,
)
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.outcomes import AppealOutcome, ConsultationSubject
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core.inputs import CustomerInput, LocalResolutionInput, RestrictionDraft
from crm_tui.services.intake import casework
from crm_tui.services.restrictions import builder, decisions
from crm_tui.services.reviews import appeals, review_session, review_steps
from tests import builders, dumps, outside
from tests.builders import TERMS, TOLD

NOTE_FORM = "Continued despite local resolution"


def _dump() -> list[str]:
    return dumps.dump()


def _refused(step: Callable[[], Any], field: str = "customer_reason") -> str:
    before = _dump()
    with pytest.raises(ValidationError) as refused:
        step()
    assert refused.value.field == field
    assert _dump() == before
    return refused.value.message


@pytest.mark.parametrize("told", ["", NOTE_FORM, "The customer rang forty times a week."])
def test_a_decision_to_restrict_needs_words_for_the_customer(
        actors: dict[Role, Actor], told: str) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    _refused(lambda: decisions.impose_restrictions(
        actors[Role.CRM], ref, "Persistent contact", TERMS, read=builders.read(ref),
        customer_reason=told))
    decisions.impose_restrictions(actors[Role.CRM], ref, "Persistent contact", TERMS,
                                  read=builders.read(ref), customer_reason=TOLD)
    decision = Decision.select().order_by(Decision.id.desc()).get()
    assert (decision.reason, decision.customer_reason) == ("Persistent contact", TOLD)


def test_the_role_is_refused_before_the_words(actors: dict[Role, Actor]) -> None:
    from crm_tui.domain.errors import DomainError

    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    with pytest.raises(DomainError) as refused:
        decisions.impose_restrictions(actors[Role.OFFICER], ref, "Persistent contact", TERMS,
                                      read=builders.read(ref), customer_reason="")
    assert not isinstance(refused.value, ValidationError)


def test_lifting_with_a_letter_needs_words_without_one_does_not(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    crm = actors[Role.CRM]
    _refused(lambda: decisions.lift_restrictions(crm, ref, "Behaviour has subsided"))
    _refused(lambda: review_session.lift(crm, ref, "Behaviour has subsided", False))
    decisions.lift_restrictions(crm, ref, "Behaviour has subsided", customer_reason=TOLD)
    assert Decision.select().order_by(Decision.id.desc()).get().customer_reason == TOLD


def test_lifting_without_a_letter_asks_nothing_for_the_customer(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.consult_no_communication(actors, ref)
    decisions.lift_restrictions(actors[Role.CRM], ref, "Writing would restart it",
                                without_letter=True)
    assert Decision.select().order_by(Decision.id.desc()).get().customer_reason == ""


@pytest.mark.parametrize("outcome", [AppealOutcome.CONFIRMED, AppealOutcome.REMOVED])
def test_an_appeal_decision_needs_words_for_the_customer(
        actors: dict[Role, Actor], outcome: AppealOutcome) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    director = actors[Role.SERVICE_DIRECTOR]
    _refused(lambda: appeals.decide_appeal(director, ref, outcome, "Proportionate"))
    # Found when tried: stored here, then refused at signing. Now refused at the field.
    name = Customer.get().name
    for bad in ("She has appealed without any new facts.", "Your appeal was late.The "
                "officer replied.", f"{name} appealed on time and we read it all.",
                "We read your appeal, see the file for details."):
        _refused(lambda bad=bad: appeals.decide_appeal(director, ref, outcome,
                                                       "Proportionate", customer_reason=bad))
    appeals.decide_appeal(director, ref, outcome, "Proportionate", customer_reason=TOLD)
    appeal = Appeal.get()
    assert (appeal.reason, appeal.customer_reason) == ("Proportionate", TOLD)


def test_a_proposal_needs_words_for_the_customer(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    crm = actors[Role.CRM]
    builder.redraft_in_force(crm, ref)
    for step in (lambda: review_steps.propose_extension(crm, ref, "Letters went on",
                                                        date(2026, 12, 12),
                                                        ends_on=date(2028, 11, 28)),
                 lambda: review_session.propose_extension(crm, ref, "Letters went on",
                                                          date(2026, 12, 12),
                                                          date(2028, 11, 28), NOTE_FORM)):
        _refused(step)
    review_steps.propose_extension(crm, ref, "Letters went on", date(2026, 12, 12),
                                   ends_on=date(2028, 11, 28), customer_reason=TOLD)
    assert ExtensionProposal.get().customer_reason == TOLD


def test_an_extension_decision_needs_words_for_the_customer(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, ref)
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-18T10:00:00")  # the comment period is over
    builders.consult(actors, ref, subject=ConsultationSubject.EXTENSION,
                     ends_on=date(2028, 11, 28))
    terms = builder.decision_defaults(actors[Role.CRM], ref)
    _refused(lambda: review_steps.extend_restrictions(
        actors[Role.CRM], ref, "Letters went on", terms, read=builders.read(ref)))
    review_steps.extend_restrictions(actors[Role.CRM], ref, "Letters went on", terms,
                                     read=builders.read(ref), customer_reason=TOLD)
    assert Decision.select().order_by(Decision.id.desc()).get().customer_reason == TOLD


# -- the restriction form ------------------------------------------------------------------
def _draft(kind: RestrictionKind, params: dict[str, Any], told: str = TOLD) -> RestrictionDraft:
    return RestrictionDraft(kind, params, reason="Calls all day", proportionality="Fits",
                            less_restrictive_considered="Letters", still_reachable="999",
                            behaviours=(BehaviourCategory.SCATTERGUN,), customer_reason=told)


def test_a_restriction_needs_words_for_the_customer(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, drafted=False)
    officer = actors[Role.OFFICER]
    letters = {"channels": ["letter"]}
    _refused(lambda: decisions.draft_restriction(
        officer, ref, _draft(RestrictionKind.FORM_OF_CONTACT, letters, "")))
    made = decisions.draft_restriction(officer, ref,
                                       _draft(RestrictionKind.FORM_OF_CONTACT, letters))
    assert Restriction.get_by_id(made).customer_reason == TOLD
    _refused(lambda: builder.update_draft(
        officer, ref, made, _draft(RestrictionKind.FORM_OF_CONTACT, letters, NOTE_FORM)))
    # Redrafted at a review, the words go with it.
    assert Restriction.get_by_id(made).customer_reason == TOLD


def test_a_telephone_window_names_the_number_to_ring(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, drafted=False)
    window = {"days": ["tue"], "windows": ["10:00-12:00"]}
    for number in (None, "12345"):
        params = window if number is None else {**window, "number": number}
        _refused(lambda p=params: decisions.draft_restriction(  # type: ignore[misc]
            actors[Role.OFFICER], ref, _draft(RestrictionKind.TELEPHONE_TIMES, p)), "number")
    made = decisions.draft_restriction(actors[Role.OFFICER], ref, _draft(
        RestrictionKind.TELEPHONE_TIMES, {**window, "number": "+441632960999"}))
    assert '"number": "01632 960999"' in Restriction.get_by_id(made).parameters


def test_a_named_officer_is_a_user_with_direct_details(actors: dict[Role, Actor]) -> None:
    from crm_tui.db.models import User

    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, drafted=False)
    officer = actors[Role.OFFICER]
    sam = User.get(User.login == "officer")
    typed = {"officer": "Sam Patel", "deputy": "Alex Morgan"}
    assert "choose the named officer from the users" in _refused(
        lambda: decisions.draft_restriction(officer, ref, _draft(
            RestrictionKind.NAMED_OFFICER, typed)), "officer")
    chosen = {**typed, "officer_id": sam.id}
    assert "Sam Patel has no direct telephone or email" in _refused(
        lambda: decisions.draft_restriction(officer, ref, _draft(
            RestrictionKind.NAMED_OFFICER, chosen)), "officer")
    builders.reachable(actors, "officer", email="sam.patel@northmere.example.gov.uk")
    made = decisions.draft_restriction(officer, ref, _draft(
        RestrictionKind.NAMED_OFFICER, {**chosen, "officer": "whatever was typed"}))
    view = next(d for d in builder.builder_view(actors[Role.CRM], ref).drafts if d.id == made)
    assert view.parameters == {"officer": "Sam Patel", "officer_id": sam.id,
                               "deputy": "Alex Morgan"}


def test_a_draft_set_out_before_words_for_the_customer_stands_in_the_way(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    Restriction.update(customer_reason="").execute()  # as a draft made before schema 16
    problems = builder.builder_view(actors[Role.CRM], ref).problems
    assert any("has no words for the customer" in p for p in problems)


# -- local resolution ----------------------------------------------------------------------
def _lr(**change: Any) -> LocalResolutionInput:
    values: dict[str, Any] = {
        "written_on": date(2026, 9, 1), "written_summary": "Concerns set out",
        "monitoring_start": date(2026, 9, 1), "monitoring_end": date(2026, 10, 31),
        "customer_summary": TOLD}
    values.update(change)
    return LocalResolutionInput(**values)


def _open(actors: dict[Role, Actor], lr: LocalResolutionInput) -> str:
    return casework.open_local_resolution(actors[Role.SERVICE_AREA_MANAGER],
                                          CustomerInput(name="A Person"), "Housing Services",
                                          lr).reference


@pytest.mark.parametrize(("change", "field"), [
    ({"customer_summary": ""}, "customer_summary"),
    ({"customer_summary": "The customer emails daily."}, "customer_summary"),
    ({"spoc": "nobody"}, "spoc"),
    ({"spoc": "manager"}, "spoc"),  # no direct details yet
    ({"spoc_name": "Someone Typed"}, "spoc"),
    ({"contact_frequency": "daily"}, "contact_frequency"),
    # Found when tried: printed as it stands in "The way forward", never checked.
    ({"communication_style": "Weekly email"}, "communication_style"),
    ({"communication_style": "She prefers email."}, "communication_style"),
    ({"customer_summary": "You were rude to staff:. See Hannah's notes."}, "customer_summary"),
    ({"customer_summary": "A Person rang us forty times in a week."}, "customer_summary"),
])
def test_local_resolution_refuses_what_its_letter_cannot_use(
        actors: dict[Role, Actor], change: dict[str, Any], field: str) -> None:
    _refused(lambda: _open(actors, _lr(**change)), field)


def test_local_resolution_keeps_the_customer_summary_and_the_chosen_contact(
        actors: dict[Role, Actor]) -> None:
    builders.reachable(actors, "manager", telephone="01632 960555")
    _open(actors, _lr(spoc="manager", contact_frequency="monthly",
                      communication_style="You can email your contact at any time."))
    # An older import names the person: exactly one active user's name is accepted.
    _open(actors, _lr(spoc_name="Robin Hale", contact_frequency="as needed"))
    first, second = LocalResolution.select().order_by(LocalResolution.id)
    assert (first.customer_summary, first.spoc.login, first.spoc_name,
            first.contact_frequency) == (TOLD, "manager", "Robin Hale", "monthly")
    assert (second.spoc.login, second.contact_frequency) == ("manager", "as_needed")
    assert first.communication_style == "You can email your contact at any time."
    assert second.communication_style == ""  # none given: the letter says nothing of it


def test_the_command_line_asks_for_the_customers_words_too(
        actors: dict[Role, Actor], db_path: Path, acting_as: Any) -> None:
    from click.testing import CliRunner

    from crm_tui.cli import main

    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    runner = CliRunner()
    acting_as("director")
    base = ["appeals", "decide", ref, "--outcome", "confirmed", "--reason", "Proportionate",
            "--db", outside.target(db_path)]
    before = _dump()
    missing = runner.invoke(main, base)
    assert missing.exit_code == 2 and "--customer-reason" in missing.output
    refused = runner.invoke(main, [*base, "--customer-reason", "The customer was told."])
    assert refused.exit_code == 1, refused.output
    assert ("--customer-reason: would not read as a letter to the customer: the customer "
            "spoken of in the third person") in refused.output
    assert _dump() == before
    decided = runner.invoke(main, [*base, "--customer-reason", TOLD])
    assert decided.exit_code == 0, decided.output
    assert Appeal.get().customer_reason == TOLD
