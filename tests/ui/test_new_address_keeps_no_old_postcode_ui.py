"""Tester v15p AK2 in the app: in H a new street address saved with the postcode field not
touched kept the old postcode (of the address the customer left) under it, and a letter
would go to that mix. Now it is refused at the postcode field until a postcode is given
(the same one again if it has not changed)."""

from __future__ import annotations

from pathlib import Path

from crm_tui.db.models import Customer
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.fields import FieldsDialog
from crm_tui.ui.screens.case_file import CaseFileScreen
from tests.ui.keys import settle
from tests.ui.test_forms_ui import SIZE, open_address_dialog, retype, text_of

NAME = "Mr Thaddeus Penhaligon"


async def test_a_new_address_with_the_postcode_untouched_is_refused_at_the_postcode(
        db: Path) -> None:
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await open_address_dialog(pilot, "UPV-2026-0001")
        before = Customer.get(Customer.name == NAME)
        assert before.postcode
        await retype(pilot, "address", "7 Ferry Lane, Northmere")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FieldsDialog)
        said = " ".join(text_of(app, "#postcode-error").split())
        assert "address has changed: give the postcode of the new address" in said, said
        assert before.postcode in said, said
        assert Customer.get(Customer.name == NAME).address == before.address
        # The same postcode typed again: the person says it has not changed.
        await retype(pilot, "postcode", before.postcode)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)
        after = Customer.get(Customer.name == NAME)
        assert (after.address, after.postcode) == ("7 Ferry Lane\nNorthmere", before.postcode)


async def test_a_correction_of_capitals_needs_no_postcode_again(db: Path) -> None:
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await open_address_dialog(pilot, "UPV-2026-0001")
        before = Customer.get(Customer.name == NAME)
        await retype(pilot, "address", ", ".join(before.address.upper().splitlines()))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)
        assert Customer.get(Customer.name == NAME).postcode == before.postcode
