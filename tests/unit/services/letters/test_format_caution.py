"""Issue 15 AX2: "Prefers letters in large print" typed in the referral's reasonable
adjustments reached no letter and nothing said so. The signer is told before signing while
adjustments are recorded and the letters are in standard print; large print recorded (a
contact need or a size) is followed by every letter and needs no word."""

from __future__ import annotations

from crm_tui.db.models import Case, Customer
from crm_tui.domain.equality import ContactNeed, store_needs
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.letters import issuing
from tests import builders


def _customer(ref: str) -> Customer:
    return Customer.get_by_id(Case.get(Case.reference == ref).customer_id)


def test_adjustments_in_standard_print_are_said_before_signing(
        actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, drafted=False,
                            consulted=False)
    customer = _customer(ref)
    Customer.update(reasonable_adjustments="", contact_needs="", large_print_pt=None).where(
        Customer.id == customer.id).execute()
    assert issuing.format_caution(crm, ref) == ""
    Customer.update(reasonable_adjustments="Prefers letters in large print").where(
        Customer.id == customer.id).execute()
    said = issuing.format_caution(crm, ref)
    assert '("Prefers letters in large print")' in said, said
    assert "this letter is in standard print" in said
    assert "press n (Not now)" in said and "Letters in large print" in said
    Customer.update(contact_needs=store_needs([ContactNeed.LARGE_PRINT])).where(
        Customer.id == customer.id).execute()
    assert issuing.format_caution(crm, ref) == ""
    Customer.update(contact_needs="", large_print_pt=16).where(
        Customer.id == customer.id).execute()
    assert issuing.format_caution(crm, ref) == ""
    # Adjustments told as contact needs, none about reading: nothing about print to say.
    Customer.update(reasonable_adjustments="Finds it easier to telephone than to write.",
                    contact_needs=store_needs([ContactNeed.TELEPHONE]), large_print_pt=None
                    ).where(Customer.id == customer.id).execute()
    assert issuing.format_caution(crm, ref) == ""
    Customer.update(reasonable_adjustments="Telephone; struggles to read small print.").where(
        Customer.id == customer.id).execute()
    assert "struggles to read small print" in issuing.format_caution(crm, ref)
