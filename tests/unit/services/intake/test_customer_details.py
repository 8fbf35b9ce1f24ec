"""How the customer is written to: form of address, language, print size; checked, audited,
and recorded only by those who deal with the customer."""

from __future__ import annotations

import pytest

from crm_tui.db.models import AuditEntry, Customer
from crm_tui.domain.errors import DomainError, PermissionDenied, ValidationError
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.intake import case_file, customer_details
from crm_tui.services.intake.customer_details import CustomerDetails
from tests import builders, dumps


def _dump() -> list[str]:
    return dumps.dump()


def test_the_team_records_how_the_customer_is_written_to(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    done = customer_details.set_details(actors[Role.OFFICER], ref,
                                        CustomerDetails(" Mr Penhaligon ", "polish", 16))
    assert done == CustomerDetails("Mr Penhaligon", "Polish", 16)
    customer = Customer.get()
    assert (customer.form_of_address, customer.language, customer.large_print_pt) == \
        ("Mr Penhaligon", "Polish", 16)
    entry = AuditEntry.select().where(AuditEntry.action == "set_customer_details").get()
    assert '"large_print_pt": 16' in entry.payload and entry.case_reference == ref
    shown = case_file.case_file(actors[Role.CRM], ref).customer
    assert shown is not None
    assert (shown.form_of_address, shown.language, shown.large_print_pt) == \
        ("Mr Penhaligon", "Polish", 16)


@pytest.mark.parametrize(("wanted", "field"), [
    (CustomerDetails("Dear Mr Penhaligon", "", None), "form_of_address"),
    (CustomerDetails("", "Polish 2", None), "language"),
    (CustomerDetails("", "English", None), "language"),  # the letters are in English
    (CustomerDetails("", "", 11), "large_print_pt"),
    (CustomerDetails("", "", 40), "large_print_pt"),
    (CustomerDetails("", "", 28), "large_print_pt"),  # the page breaks up beyond 24 pt
    (CustomerDetails("Mrs Lorimer, TBC<b>Polish</b>36", "", None), "form_of_address"),
    (CustomerDetails("mrs lorimer", "", None), "form_of_address"),
])
def test_bad_details_are_refused_at_their_field(actors: dict[Role, Actor],
                                                wanted: CustomerDetails, field: str) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    before = _dump()
    with pytest.raises(ValidationError) as refused:
        customer_details.set_details(actors[Role.CRM], ref, wanted)
    assert refused.value.field == field
    assert _dump() == before


@pytest.mark.parametrize("role", [Role.HEAD_OF_SERVICE, Role.SERVICE_DIRECTOR])
def test_those_who_do_not_write_to_the_customer_may_not(actors: dict[Role, Actor],
                                                        role: Role) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    before = _dump()
    with pytest.raises(PermissionDenied):
        customer_details.set_details(actors[role], ref, CustomerDetails("Mr X", "", None))
    assert _dump() == before


def test_an_archived_file_does_not_change(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.ARCHIVED)
    with pytest.raises(DomainError):
        customer_details.set_details(actors[Role.CRM], ref, CustomerDetails("Mr X", "", None))
