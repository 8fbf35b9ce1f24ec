"""The customer's postal address is known to stand in the way of a decision before the
decision opens, and it is recorded (role-checked, audited) from the case file."""

from __future__ import annotations

import pytest

from crm_tui.db.models import AuditEntry, Case, Customer
from crm_tui.domain.errors import PermissionDenied, ValidationError
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import next_step
from crm_tui.services.intake import customer_details
from crm_tui.services.intake.customer_details import ContactDetails
from crm_tui.services.restrictions import readiness
from tests import builders


def test_no_postal_address_stands_in_the_way_until_it_is_recorded(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    assert readiness.blockers(actors[Role.CRM], ref) == []
    with builders.as_the_app(ref):  # a customer with no address, as the app holds one
        Customer.update(address="", postcode="").execute()
    case = Case.get(Case.reference == ref)
    next_step.refresh(case)
    assert case.next_action == "Record the postal address"
    [problem] = readiness.blockers(actors[Role.CRM], ref)
    assert "the customer's postal address (record it on the case file: H)" in problem
    with pytest.raises(PermissionDenied):
        customer_details.set_contact(actors[Role.HEAD_OF_SERVICE], ref,
                                     ContactDetails(("1 Mill Lane",), "TR1 1AA", "", ""))
    with pytest.raises(ValidationError):
        customer_details.set_contact(actors[Role.OFFICER], ref,
                                     ContactDetails(("1 Mill Lane",), "", "not-an-email", ""))
    done = customer_details.set_contact(
        actors[Role.OFFICER], ref, ContactDetails((" 1 Mill Lane ", "", "Truro"), "tr1 1aa",
                                                  "", "01632 960000"))
    assert done == ContactDetails(("1 Mill Lane", "Truro"), "TR1 1AA", "", "01632 960000")
    assert Customer.get().address == "1 Mill Lane\nTruro"
    assert AuditEntry.select().where(AuditEntry.action == "set_customer_contact").count() == 1
    assert readiness.blockers(actors[Role.CRM], ref) == []
    assert Case.get(Case.reference == ref).next_action == "Decide"  # stored as it changed
