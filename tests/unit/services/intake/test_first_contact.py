"""Issue 16: "dates are plausible (not before the customer's first contact with the council,
not in the future)". The first contact is the customer's earliest logged contact or the start
of their local resolution (domain.first_contact); a warning, a referral and the customer's
comments cannot be dated before it, through the service, the import file and the command
line, each refusal naming the date as typed and the first contact, the database unchanged."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import Case, ExtensionProposal
from crm_tui.domain.categories import BehaviourCategory as B
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import first_contact
from crm_tui.services.core.inputs import CustomerInput, ReferralInput
from crm_tui.services.evidence import contacts
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.intake import casework, prior_warnings
from crm_tui.services.intake.referral_import import ImportProblem, import_referral
from crm_tui.services.reviews import review_session
from tests import builders, dumps, outside
from tests.unit.services.intake.test_inbox_services import SAMPLE
from tests.unit.services.intake.test_referral_grounds import FULL

FIRST = "the customer's first contact with the council, on 20 Aug 2026"


def _dump() -> list[str]:
    return dumps.dump()


def _contact(actors: dict[Role, Actor], ref: str, on: date) -> None:
    contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
        at=datetime.combine(on, datetime.min.time()).replace(hour=9), channel=Channel.EMAIL,
        direction=Direction.INBOUND, service_area="Housing Services", officer_name="Sam Patel",
        summary="Asked again about the repair of the gutter",
        categories=(B.EXCESSIVE_DEMANDS,)))


def _known_customer(actors: dict[Role, Actor]) -> str:
    """A customer in local resolution since 1 Sep 2026 whose earliest logged contact is of
    20 Aug 2026: their first contact. Returns their reference."""
    ref = builders.local_resolution(actors)
    _contact(actors, ref, date(2026, 8, 20))
    return str(Case.get(Case.reference == ref).customer.reference)


def _refer(actors: dict[Role, Actor], customer: str, received_on: date) -> str:
    return casework.record_referral(
        actors[Role.SERVICE_AREA_MANAGER],
        ReferralInput(referred_by="manager", received_on=received_on,
                      behaviour_details="Forty emails a week to six officers",
                      categories=(B.SCATTERGUN,), no_local_resolution_reason=FULL),
        customer=CustomerInput(name="", reference=customer),
        service_area="Housing Services").reference


def test_a_referral_is_not_received_before_the_customers_first_contact(
        actors: dict[Role, Actor]) -> None:
    customer = _known_customer(actors)
    before = _dump()
    with pytest.raises(ValidationError) as refused:
        _refer(actors, customer, date(2026, 8, 3))
    assert refused.value.field == "received_on"
    assert f"2026-08-03 is before {FIRST}" in str(refused.value)
    assert _dump() == before
    # On the day itself it is taken: the first contact bounds it, not the day after.
    assert _refer(actors, customer, date(2026, 8, 20))


def _file(tmp_path: Path, customer: str, received_on: str) -> Path:
    data: dict[str, Any] = {**SAMPLE, "evidence": [], "received_on": received_on,
                            "customer": {"reference": customer},
                            "no_local_resolution_reason": FULL}
    del data["local_resolution"]
    folder = tmp_path / "referral"
    folder.mkdir()
    path = folder / "referral.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def test_an_imported_referral_dated_before_the_first_contact_is_refused_alike(
        actors: dict[Role, Actor], db_path: Path, tmp_path: Path,
        acting_as: Callable[[str], None]) -> None:
    customer = _known_customer(actors)
    path = _file(tmp_path, customer, "3/8/2026")
    before = _dump()
    with pytest.raises(ImportProblem) as problem:  # the app's I
        import_referral(actors[Role.CRM], path)
    said = f'"3/8/2026" is before {FIRST}'  # as typed
    assert said in str(problem.value), str(problem.value)
    assert _dump() == before
    acting_as("crm")
    result = CliRunner().invoke(main, ["import", "referral", str(path),
                                       "--db", outside.target(db_path)])
    assert result.exit_code == 1, result.output
    assert said in result.output, result.output
    assert _dump() == before


def test_a_warning_is_not_dated_before_the_customers_first_contact(
        actors: dict[Role, Actor]) -> None:
    """With no local resolution, a warning may be dated up to a year before the referral;
    not before the customer's earliest logged contact."""
    ref = casework.record_referral(
        actors[Role.SERVICE_AREA_MANAGER],
        ReferralInput(referred_by="manager", received_on=date(2026, 11, 2),
                      behaviour_details="Forty emails a week to six officers",
                      categories=(B.SCATTERGUN,), no_local_resolution_reason=FULL),
        customer=CustomerInput(name="Ria Referred", address=("2 Test Row",)),
        service_area="Housing Services").reference
    _contact(actors, ref, date(2026, 8, 20))
    before = _dump()
    with pytest.raises(ValidationError) as refused:
        prior_warnings.record_warning(actors[Role.SERVICE_AREA_MANAGER], ref,
                                      date(2026, 6, 1), "Told that continuing may lead to "
                                      "restrictions on how they contact us")
    assert refused.value.field == "given_on"
    assert f"2026-06-01 is before {FIRST}" in str(refused.value)
    assert _dump() == before
    assert prior_warnings.record_warning(actors[Role.SERVICE_AREA_MANAGER], ref,
                                         date(2026, 8, 21), "Told that continuing may lead "
                                         "to restrictions on how they contact us")


def test_the_customers_comments_are_not_received_before_their_first_contact(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)  # local resolution from 1 Sep 2026
    builders.draft(actors, ref)
    review_session.propose_extension(actors[Role.CRM], ref, "Letters continued",
                                     date(2026, 12, 18), date(2028, 11, 28),
                                     customer_reason=builders.TOLD)
    # The invitation made before the first contact (as if the logged contacts came late), so
    # that the first contact is the rule a day before it meets.
    ExtensionProposal.update(proposed_at=datetime(2026, 8, 1, 10, 0)).execute()
    before = _dump()
    with pytest.raises(ValidationError) as refused:
        review_session.record_comments(actors[Role.OFFICER], ref, "I will write less often",
                                       date(2026, 8, 31))
    assert refused.value.field == "received_on"
    assert "2026-08-31 is before the customer's first contact with the council, on 1 Sep " \
        "2026" in str(refused.value)
    assert _dump() == before
    review_session.record_comments(actors[Role.OFFICER], ref, "I will write less often",
                                   date(2026, 9, 1))


def test_contacts_define_the_first_contact_and_may_predate_everything(
        actors: dict[Role, Actor]) -> None:
    """A contact is bounded by 01/01/1990 and today only: it is what the first contact is."""
    ref = builders.referred(actors)  # local resolution from 1 Sep 2026, referred 2 Nov
    _contact(actors, ref, date(2019, 10, 6))
    customer = Case.get(Case.reference == ref).customer_id
    assert first_contact.of_customer(customer) == date(2019, 10, 6)
