"""The referral form: the customer's contact needs ticked reach the case (issue 15 AX2); the
referring manager's area filled in (AX3)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Select

from crm_tui.db.models import Case, Customer
from crm_tui.domain.equality import ContactNeed, parse_needs, print_size
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.inbox import InboxScreen
from tests.demo_decided import CONSIDERING, decided_today
from tests.ui.keys import settle
from tests.ui.signing_asked import sign_asked, signed_nothing
from tests.ui.test_inbox import choose, fill_referral, open_referral_form, type_into

SIZE = (140, 40)


async def test_choosing_the_manager_fills_in_their_area_still_changeable(db: Path) -> None:
    """Issue 15 AX3: choosing "Hannah Okafor — Housing Services Manager (Housing Services)"
    left Service area unset."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await open_referral_form(pilot)
        await choose(pilot, "referred-by", "Hannah Okafor")
        await settle(pilot)
        area = app.screen.query_one("#service-area", Select)
        assert area.value == "Housing Services", area.value
        await choose(pilot, "service-area", "Waste and Recycling")
        await settle(pilot)
        assert area.value == "Waste and Recycling"


async def test_large_print_ticked_at_referral_reaches_the_customers_letters(db: Path) -> None:
    """Issue 15 AX2: "Prefers letters in large print" typed in the referral's reasonable
    adjustments had no effect: the case file said standard print, the equality check "none
    recorded". Ticked among the contact needs, it is the customer's, and letters follow it."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await open_referral_form(pilot)
        await fill_referral(pilot)
        await type_into(pilot, "adjustments", "Prefers letters in large print")
        app.screen.query_one("#contact-needs").focus()
        await pilot.press("down", "down", "down", "down", "space")  # Letters in large print
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        customer = Customer.get(Customer.name == "Mr Rufus Quennell [bold]")
        assert parse_needs(customer.contact_needs) == (ContactNeed.LARGE_PRINT,)
        assert customer.reasonable_adjustments == "Prefers letters in large print"
        assert print_size(customer.large_print_pt, customer.contact_needs) is not None


async def test_signing_for_adjustments_in_standard_print_says_so_first(db: Path) -> None:
    """Issue 15 AX2: letters went out in standard print to a customer whose adjustments asked
    for large print, and nothing prompted. `s` asks first, saying so; `n` signs nothing."""
    decided_today(db)
    Customer.update(reasonable_adjustments="Prefers letters in large print", contact_needs="",
                    large_print_pt=None).where(Customer.id == Case.get(
                        Case.reference == CONSIDERING).customer_id).execute()
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        question = await sign_asked(pilot, CONSIDERING)
        assert ('reasonable adjustments are recorded ("Prefers letters in large print"), and '
                "this letter is in standard print") in question, question
        assert "Sign and issue the letter" in question
        await signed_nothing(pilot, CONSIDERING)
