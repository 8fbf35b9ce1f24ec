"""An archived file keeps the customer's details it had when it was archived (found when
tried: a new case for the same customer, its address corrected, rewrote the address the
archived file showed, one its letters were never sent to). The customer's record itself is
shared by their cases: the new case shows the new address."""

from __future__ import annotations

from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit
from crm_tui.services.intake import case_file, customer_details
from crm_tui.services.intake.customer_details import ContactDetails
from tests import builders


def test_a_new_case_for_the_customer_leaves_the_archived_file_as_it_was(
        actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    old = builders.at_state(actors, CaseState.ARCHIVED)
    as_archived = customer_details.contact(crm, old)
    shown = case_file.case_file(crm, old).customer
    assert shown is not None
    new = builders.referred_again(actors, old)
    moved = ContactDetails(("9 New Street", "Eastwick"), "NM2 2AB", "moved@example.org",
                           "07700 900111")
    customer_details.set_contact(crm, new, moved,
                                 opened=customer_details.contact(crm, new))
    # The new case: the record as it is now.
    now = customer_details.contact(crm, new)
    assert (now.address, now.postcode, now.email) == (moved.address, moved.postcode, moved.email)
    # The archived file: as it was archived, wherever it is read.
    kept = customer_details.contact(crm, old)
    assert (kept.address, kept.postcode, kept.email, kept.telephone) == (
        as_archived.address, as_archived.postcode, as_archived.email, as_archived.telephone)
    assert kept.address != moved.address
    again = case_file.case_file(crm, old).customer
    assert again is not None
    assert (again.address, again.postcode, again.name) == (shown.address, shown.postcode,
                                                           shown.name)
    assert audit.verify().ok
