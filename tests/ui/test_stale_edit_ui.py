"""A draft changed by someone else while it is open in the restriction builder's form: saving
is refused in the form, which stays open with what was typed, saying who changed it; the
database keeps their change."""

from __future__ import annotations

from pathlib import Path

from crm_tui.db.models import Restriction
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.restrictions import builder
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.restriction_form import RestrictionFormDialog
from tests.ui.keys import settle
from tests.ui.test_builder import REF, SIZE, fill, opened


async def test_a_draft_saved_from_a_stale_form_is_refused_in_the_form(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, app)
        assert screen.view is not None
        draft = screen.view.drafts[0]
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, RestrictionFormDialog)
        # Meanwhile the officer records why the draft stands, from their own workstation.
        builder.justify(resolve_actor("tomasz.nowak"), REF, draft.id, "A weekly call meets it")
        theirs = Restriction.get_by_id(draft.id)
        fill(app, proportionality="Nothing less has worked in six months")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RestrictionFormDialog)  # still open, as typed
        said = " ".join(str(app.screen.query_one("#form-error").render()).split())
        assert f"Tomasz Nowak changed this draft (the {draft.kind.label} restriction)" in said
        assert "Nothing was saved" in said
        assert "Nothing less has worked" in app.screen.query_one("#proportionality").text
        row = Restriction.get_by_id(draft.id)
        assert (row.version, row.proportionality, row.equality_note) == (
            theirs.version, theirs.proportionality, "A weekly call meets it")


async def test_the_customers_address_saved_from_a_stale_form_merges_or_names_the_field(
        db: Path) -> None:
    """Issue 16 (breaker 3, finding 5): another's change to the postcode made the form's
    save of the telephone refused, naming fields the other had not changed. A different field
    is merged; the same field is refused in the form, naming it alone."""
    from dataclasses import replace

    from crm_tui.db.models import Customer
    from crm_tui.services.intake import customer_details
    from crm_tui.ui.dialogs.fields import FieldsDialog
    from tests.ui.test_forms_ui import open_address_dialog, retype

    ref = "UPV-2026-0001"
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await open_address_dialog(pilot, ref)
        # Meanwhile the CRM corrects the postcode, then the email, from her workstation.
        crm = resolve_actor("ceri.hughes")
        customer_details.set_contact(crm, ref, replace(customer_details.contact(crm, ref),
                                                       postcode="TR11 3AA"))
        customer_details.set_contact(crm, ref, replace(customer_details.contact(crm, ref),
                                                       email="thaddeus@example.org"))
        await retype(pilot, "telephone", "01632 960555")
        await retype(pilot, "email", "t.penhaligon@example.org")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FieldsDialog)  # still open, as typed
        said = " ".join(str(app.screen.query_one("#form-error").render()).split())
        assert "Ceri Hughes changed this customer's record" in said
        assert "the email now reads “thaddeus@example.org”" in said
        assert "postcode" not in said and "telephone" not in said
        await retype(pilot, "email", "thaddeus@example.org")  # the email as she made it
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, FieldsDialog)
        customer = Customer.get(Customer.name == "Mr Thaddeus Penhaligon")
        assert (customer.postcode, customer.telephone, customer.email) == (
            "TR11 3AA", "01632 960555", "thaddeus@example.org")



async def test_the_refusal_of_a_stale_draft_is_brought_into_sight_at_100x30(db: Path) -> None:
    """Found when tried (b16d F3): at 100x30 the form stayed scrolled at the field typed in,
    the refusal above, out of sight: ctrl+s seemed to do nothing."""
    from textual.widget import Widget

    from crm_tui.ui.dialogs.keys import DialogKeys
    from tests.ui.keys import press_settled
    from tests.ui.test_problem_in_sight_ui import _in_sight

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot, app)
        assert screen.view is not None
        draft = screen.view.drafts[0]
        await press_settled(pilot, "e")
        dialog = app.screen
        assert isinstance(dialog, RestrictionFormDialog)
        builder.justify(resolve_actor("tomasz.nowak"), REF, draft.id, "A weekly call meets it")
        for _ in range(20):  # on down to the last field, at the bottom: the form follows
            if app.focused is not None and app.focused.id == "evidence_note":
                break
            await press_settled(pilot, "tab")
        assert app.focused is not None and app.focused.id == "evidence_note"
        await pilot.press(*" See the log sheet")
        await press_settled(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RestrictionFormDialog)
        words = dialog.query_one("#form-error")
        assert "Nothing was saved" in str(words.render())
        form = next(a for a in words.ancestors if isinstance(a, Widget) and a.is_scrollable
                    and a.allow_vertical_scroll)
        footers = list(dialog.query(DialogKeys))
        assert _in_sight(words, form, footers[0] if footers else None), (
            words.region, form.content_region)
