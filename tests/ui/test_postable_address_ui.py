"""v15m-4 by keys: the referral form and the case file's H refuse an address a letter cannot
be posted to ("No fixed abode", "12 Mill Lane, Truro?") and a postcode without the UK shape
("AAAA AAA", "NK") at their fields, storing nothing; a postcode typed "nm41ls" is kept as
"NM4 1LS"."""

from __future__ import annotations

from pathlib import Path

from crm_tui.db.models import Customer
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.fields import FieldsDialog
from crm_tui.ui.screens.case_file import CaseFileScreen
from tests.ui.keys import settle
from tests.ui.test_forms_ui import SIZE, open_address_dialog, save_address, text_of


async def test_the_referral_form_refuses_no_fixed_abode_and_a_postcode_of_no_shape(
        db: Path) -> None:
    from crm_tui.ui.screens.inbox import InboxScreen
    from crm_tui.ui.screens.referral_form import ReferralFormScreen
    from tests.ui.test_inbox import fill_referral, open_referral_form

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await open_referral_form(pilot)
        await fill_referral(pilot)
        await save_address(pilot, "No fixed abode", "AAAA AAA")
        assert isinstance(app.screen, ReferralFormScreen)
        said = " ".join(text_of(app, "#address-error").split())
        assert "is not an address a letter can be posted to" in said, said
        assert "no fixed abode" in said and "leave it empty" in said, said
        said = " ".join(text_of(app, "#postcode-error").split())
        assert "is not a UK postcode" in said, said
        assert not Customer.select().where(Customer.name == "Mr Rufus Quennell [bold]").exists()
        await save_address(pilot, "7 Mill Row", "nm24ab")
        assert isinstance(app.screen, InboxScreen)
        customer = Customer.get(Customer.name == "Mr Rufus Quennell [bold]")
        assert (customer.address, customer.postcode) == ("7 Mill Row", "NM2 4AB")


async def test_the_case_file_refuses_a_question_mark_and_keeps_the_postcode_in_one_form(
        db: Path) -> None:
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await open_address_dialog(pilot, "UPV-2026-0001")
        await save_address(pilot, "12 Mill Lane, Truro?", "NK")
        assert isinstance(app.screen, FieldsDialog)
        assert "has a question mark" in " ".join(text_of(app, "#address-error").split())
        assert "is not a UK postcode" in " ".join(text_of(app, "#postcode-error").split())
        customer = Customer.get(Customer.name == "Mr Thaddeus Penhaligon")
        assert "Truro?" not in customer.address and customer.postcode != "NK"
        await save_address(pilot, "12 Mill Lane, Truro", "nm41ls")
        assert isinstance(app.screen, CaseFileScreen)
        customer = Customer.get(Customer.name == "Mr Thaddeus Penhaligon")
        assert (customer.address, customer.postcode) == ("12 Mill Lane\nTruro", "NM4 1LS")


async def test_p_refuses_to_prepare_a_letter_to_an_address_stored_before_the_rule(
        db: Path) -> None:
    """A customer whose address an older version stored as "NFA": `p` in the case's letters
    says why the letter cannot be prepared, and no draft is made."""
    from crm_tui.db.connection import open_database
    from crm_tui.db.models import Case, Letter
    from crm_tui.ui.screens.case_letters import CaseLettersScreen
    from tests.ui.test_forms_ui import IN_LOCAL_RESOLUTION

    open_database(db)
    case = Case.get(Case.reference == IN_LOCAL_RESOLUTION)
    Customer.update(address="NFA", postcode="").where(Customer.id == case.customer_id).execute()
    drafts = Letter.select().where(Letter.case == case).count()
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CaseLettersScreen(IN_LOCAL_RESOLUTION))
        await settle(pilot)
        await pilot.press("p")
        for _ in range(200):
            said = " ".join(str(n.message) for n in app._notifications)
            if "cannot be prepared" in said:
                break
            await pilot.pause(0.02)
        assert "cannot be prepared: it cannot be posted: the address line 1" in said, said
        assert "no fixed abode" in said and "(H on the case file)" in said, said
        assert Letter.select().where(Letter.case == case).count() == drafts


async def test_the_referral_form_refuses_a_line_ending_with_a_postcode_with_none_given(
        db: Path) -> None:
    """Issue 15 AG2: with the postcode left empty, "Truro NM4 1LS" was kept as a line."""
    from crm_tui.ui.screens.referral_form import ReferralFormScreen
    from tests.ui.test_inbox import fill_referral, open_referral_form

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await open_referral_form(pilot)
        await fill_referral(pilot)
        await save_address(pilot, "7 Mill Row, Truro NM4 1LS", "")
        assert isinstance(app.screen, ReferralFormScreen)
        said = " ".join(text_of(app, "#address-error").split())
        assert ('ine 1 ("7 Mill Row, Truro NM4 1LS") ends with a postcode: give it in the '
                'postcode field' in said), said
        assert not Customer.select().where(Customer.name == "Mr Rufus Quennell [bold]").exists()
