"""The `n` form refuses a customer email that is not one at its field, with the form's other
problems in the same save (t15c finding 2: "X" was saved, though H refuses it)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from crm_tui.db.models import Case
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.referral_form import ReferralFormScreen
from tests.ui.keys import press_settled, settle
from tests.ui.test_grounds_ui import error_at
from tests.ui.test_inbox import fill_referral, type_into

SIZE = (140, 40)


async def test_the_email_is_refused_at_its_field_with_the_other_problems(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        cases = Case.select().count()
        await press_settled(pilot, "n")
        assert isinstance(app.screen, ReferralFormScreen)
        await fill_referral(pilot)
        await type_into(pilot, "email", "X")
        app.screen.query_one("#monitoring-end", Input).value = "31/11/2026"
        await settle(pilot)
        await press_settled(pilot, "ctrl+s")
        assert isinstance(app.screen, ReferralFormScreen)
        assert ('"X" is not an email address: an email address must have an @-sign'
                in error_at(app, "email"))
        assert '"31/11/2026" is not a date' in error_at(app, "monitoring-end")
        assert Case.select().count() == cases
        # Put right, it is saved, as written in the normal form.
        app.screen.query_one("#monitoring-end", Input).value = "01/11/2026"
        app.screen.query_one("#email", Input).value = "rufus.quennell@example.org"
        await settle(pilot)
        await press_settled(pilot, "ctrl+s")
        assert not isinstance(app.screen, ReferralFormScreen)
        assert Case.select().count() == cases + 1
