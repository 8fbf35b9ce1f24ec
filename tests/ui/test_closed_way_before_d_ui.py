"""t15c F1: a restriction's words for the customer offering a way of contact the restrictions
close ("Please ring us" on a letter-only set) read "Ready for the CRM's decision (D)" in the
builder, and D opened the decision form, whose panel then said "Cannot decide yet". Now the
builder's draft panel shows the words the letter prints, its list names the offer with where
to change it, and D is left out of the footer and refused at once, saying why."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, TextArea

from crm_tui.db.models import Restriction, database_proxy
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.restriction_form import RestrictionFormDialog
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests.demo_decided import CONSIDERING, ready_to_decide
from tests.ui.keys import on_top, press_settled, told

# Stored before the set-out form read such words with the letter's rule (it now refuses them).
INVITING = "Please ring us if anything in this letter is unclear to you."


def _words_offering_the_telephone(db: Path) -> None:
    first = ready_to_decide(db) - 1  # the named officer's draft, beside the letter-only one
    Restriction.update(customer_reason=INVITING).where(Restriction.id == first).execute()
    database_proxy.close()


async def test_the_builder_shows_the_words_names_the_offer_and_refuses_d_at_once(
        db: Path) -> None:
    _words_offering_the_telephone(db)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await on_top(pilot, RestrictionBuilderScreen(CONSIDERING))
        detail = " ".join(str(screen.query_one("#draft-detail").render()).split())
        assert f"Why, as the customer is told it (printed in the letter): {INVITING}" \
            in detail, detail
        panel = " ".join(str(screen.query_one("#readiness-panel").render()).split())
        assert "Ready for the CRM's decision" not in panel, panel
        assert "contact by telephone offered, though the restrictions close it (“ring us”)" \
            in panel, panel
        assert "change the words that offer it in the builder" in panel, panel
        shown = [b.binding.description for b in screen.active_bindings.values()
                 if b.enabled and b.binding.show]
        assert "Decide" not in shown, shown
        await press_settled(pilot, "D")
        assert app.screen is screen  # no decision form opened
        said = told(app)[-1]
        assert said.startswith("Cannot decide yet: "), said
        assert "contact by telephone offered" in said, said


async def test_the_set_out_form_refuses_the_offer_at_its_field(db: Path) -> None:
    """Steps B: "Please ring us on 01632 960000" beside the case's letter-only restriction was
    saved ("restriction drafted"); now it is refused at "Why, as the customer is told it"."""
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=(140, 40)) as pilot:
        await on_top(pilot, RestrictionBuilderScreen(CONSIDERING))
        before = Restriction.select().count()
        await press_settled(pilot, "a")
        await press_settled(pilot, "down", "down", "down", "enter")  # 4. significant only
        form = app.screen
        assert isinstance(form, RestrictionFormDialog), form
        for widget_id, text in (
                ("definition", "A new matter about the customer's home."),
                ("reason", "Calls all day to several officers"),
                ("proportionality", "New matters still reach us"),
                ("less_restrictive_considered", "A named officer, tried first"),
                ("still_reachable", "Emergencies: 999"),
                ("customer_reason", "Please ring us on 01632 960000 or call us any time.")):
            widget = form.query_one(f"#{widget_id}")
            if isinstance(widget, TextArea):
                widget.text = text
            else:
                assert isinstance(widget, Input)
                widget.value = text
        await press_settled(pilot, "ctrl+s")
        assert app.screen is form
        said = " ".join(str(form.query_one("#customer_reason-error").render()).split())
        assert "a telephone number offered, though the restrictions close telephone " \
               "(“01632 960000”)" in said, said
        assert Restriction.select().count() == before
