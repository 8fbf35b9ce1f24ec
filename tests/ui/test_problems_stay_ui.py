"""A problem shown at a field stays until the field is put right, and goes as soon as it is
(issue 15): leaving the field unfixed (Tab) does not wipe it, wherever it came from (the
field's own check, a rule across fields, or the service's refusal at save)."""

from __future__ import annotations

from pathlib import Path

from crm_tui.db.models import Case
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.referral_form import ReferralFormScreen
from tests.ui.keys import settle
from tests.ui.test_grounds_ui import error_at
from tests.ui.test_inbox import choose, fill_referral, type_into

SIZE = (140, 40)


async def test_a_manager_of_another_area_keeps_the_problem_until_the_area_is_right(
        db: Path) -> None:
    app = create_app(str(db), "hannah.okafor")  # manages Housing Services
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        cases = Case.select().count()
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ReferralFormScreen)
        await fill_referral(pilot)
        await choose(pilot, "service-area", "Council Tax and Benefits")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "manages another service area" in error_at(app, "referred-by")
        assert app.screen.focused is app.screen.query_one("#referred-by")
        await pilot.press("tab", "tab", "tab")  # away, the value still wrong
        await pilot.pause()
        assert "manages another service area" in error_at(app, "referred-by")
        await choose(pilot, "service-area", "Housing Services")  # put right
        await pilot.pause()
        assert error_at(app, "referred-by") == ""
        assert Case.select().count() == cases


async def test_a_services_refusal_stays_until_its_field_is_changed(db: Path) -> None:
    """"Rests on no escalation record" is the service's word at save: no check of the form
    can tell when it is put right, so it stays while the field holds what was refused."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await fill_referral(pilot)
        app.screen.query_one("#lr-attempted").focus()
        await pilot.press("space")  # local resolution was not attempted
        await type_into(pilot, "no-lr-reason", "Police called after threats at reception")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "rests on no escalation record" in error_at(app, "no-lr-reason")
        assert app.screen.focused is app.screen.query_one("#no-lr-reason")
        await pilot.press("tab", "tab")
        await pilot.pause()
        assert "rests on no escalation record" in error_at(app, "no-lr-reason")
        await type_into(pilot, "details", " again")  # another field changed: still refused
        await pilot.pause()
        assert "rests on no escalation record" in error_at(app, "no-lr-reason")
        await type_into(pilot, "no-lr-reason", ", see the incident log")  # changed
        await pilot.pause()
        assert error_at(app, "no-lr-reason") == ""
