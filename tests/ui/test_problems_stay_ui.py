"""A problem shown at a field stays until the field is put right, and goes as soon as it is
(issue 15): leaving the field unfixed (Tab) does not wipe it, wherever it came from (the
field's own check, a rule across fields, or the service's refusal at save)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from crm_tui.db.models import Case
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.referral_form import ReferralFormScreen
from tests.ui.keys import press_settled, settle, shown_keys
from tests.ui.test_grounds_ui import error_at
from tests.ui.test_inbox import choose, fill_referral, type_into

SIZE = (140, 40)


async def open_referral(pilot: Pilot[Any]) -> ReferralFormScreen:
    """From the inbox, `n`: the New referral form, on top."""
    await settle(pilot)
    await press_settled(pilot, "n")
    form = pilot.app.screen
    assert isinstance(form, ReferralFormScreen)
    return form


async def chosen(pilot: Pilot[Any], select_id: str, text: str) -> None:
    """`choose`, and what the choice set off (the form's checks, its filling in) settled."""
    await choose(pilot, select_id, text)
    await settle(pilot)


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


async def test_discard_is_asked_at_once(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Escape on a form with typed text asks "Discard…?" without first looking through every
    field of the form (0.1 s on a loaded machine) nor redrawing the keys of the form it
    covers (0.2 s): "Discard?" once took about 2 s to appear."""
    from crm_tui.ui.dialogs.ask import AskDialog
    from crm_tui.ui.dialogs.base import FormBehaviour
    from crm_tui.ui.widgets.keys_footer import FitsKeys

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_referral(pilot)
        await type_into(pilot, "name", "Mr Osric Pellow")
        await settle(pilot)

        def every_field(self: FormBehaviour) -> dict[str, str]:
            raise AssertionError("the whole form was read before asking")

        monkeypatch.setattr(FormBehaviour, "_values", every_field)
        redrawn: list[str] = []
        recompose = FitsKeys.recompose

        async def counted(self: FitsKeys) -> None:
            redrawn.append(type(self.screen).__name__)
            await recompose(self)

        monkeypatch.setattr(FitsKeys, "recompose", counted)
        form_keys = shown_keys(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AskDialog)
        assert "ReferralFormScreen" not in redrawn, redrawn
        assert redrawn.count("AskDialog") <= 2, redrawn
        await pilot.press("n")  # keep editing: the form's keys are shown again
        await settle(pilot)
        assert app.screen is form
        # The same keys as before: shown as they were (the footer is composed again only when
        # the keys it shows change, widgets/keys_footer.py).
        assert shown_keys(app) == form_keys
        assert form.query_one("#name", Input).value == "Mr Osric Pellow"


@pytest.mark.parametrize("fixed", ["start", "end"])
async def test_a_period_across_fields_goes_when_either_field_is_put_right(
        db: Path, fixed: str) -> None:
    """Round 9, item 4 (80x24): "the period would end on 1/1/2026, before it starts on
    31/01/2026" went only when To was changed, never when From was put right."""
    from crm_tui.ui.dialogs.fields import FieldsDialog
    from crm_tui.ui.screens.evidence import EvidenceScreen

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(EvidenceScreen("UPV-2025-0004"))
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, FieldsDialog)
        app.screen.query_one("#start", Input).value = "31/01/2026"
        app.screen.query_one("#end", Input).value = "1/1/2026"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "would end on 1/1/2026, before it starts on 31/01/2026" in " ".join(
            error_at(app, "end").split())
        assert app.focused is app.screen.query_one("#end")  # the cursor at the problem
        if fixed == "start":
            await pilot.press("shift+tab")
        await pilot.press("home", "ctrl+k", *("1/1/2026" if fixed == "start" else "31/1/2026"))
        await pilot.press("tab")
        await settle(pilot)
        assert (app.screen.query_one("#start", Input).value,
                app.screen.query_one("#end", Input).value) == (
            ("1/1/2026", "1/1/2026") if fixed == "start" else ("31/01/2026", "31/1/2026"))
        assert error_at(app, "end") == "" and error_at(app, "start") == ""


async def test_an_invitations_end_before_its_comments_goes_when_either_is_put_right(
        db: Path) -> None:
    """Round 9, item 4: the proposal's end refused against the day comments are due by
    stayed when the comments' day was put right."""
    from crm_tui.db.connection import open_database
    from crm_tui.db.models import database_proxy
    from crm_tui.services.core.users import resolve_actor
    from crm_tui.services.restrictions import builder
    from crm_tui.ui.dialogs.fields import FieldsDialog
    from crm_tui.ui.screens.review_session import ReviewSessionScreen

    # Something set out to propose (round 11: `e` says at once when nothing is).
    open_database(db)
    builder.redraft_in_force(resolve_actor("ceri.hughes"), "UPV-2025-0002")
    database_proxy.close()
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ReviewSessionScreen())
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, FieldsDialog)
        for widget_id, text in (("reason", "Letters continued at three a week"),
                                ("customer_reason", "You kept writing three times a week."),
                                ("reply_by", "20/12/2026"), ("ends_on", "10/12/2026")):
            app.screen.query_one(f"#{widget_id}", Input).value = text
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "after the date for comments" in error_at(app, "ends_on")
        app.screen.query_one("#reply_by", Input).focus()
        await pilot.pause()
        await pilot.press("end", *["backspace"] * 10, *"5/12/2026", "tab")
        await settle(pilot)
        assert app.screen.query_one("#reply_by", Input).value == "5/12/2026"
        assert error_at(app, "ends_on") == ""


async def test_choosing_the_referring_manager_fills_in_their_area_or_says_it_differs(
        db: Path) -> None:
    """b15c F5: choosing Hannah Okafor (Housing Services) left the Service area unchosen, to
    be picked again by hand, and a wrong one was said only at save. Her area is filled in
    while none is chosen; with another chosen, the difference is said at once."""
    from textual.widgets import Select

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        area = (await open_referral(pilot)).query_one("#service-area", Select)
        assert area.value is Select.NULL
        await chosen(pilot, "referred-by", "Hannah Okafor")
        assert area.value == "Housing Services"
        assert error_at(app, "referred-by") == ""
        await chosen(pilot, "service-area", "Council Tax and Benefits")
        await choose(pilot, "referred-by", "Hannah Okafor")  # chosen again: the area stays
        await chosen(pilot, "referred-by", "Liam Doyle")
        assert area.value == "Council Tax and Benefits" and error_at(app, "referred-by") == ""
        await chosen(pilot, "referred-by", "Hannah Okafor")
        assert area.value == "Council Tax and Benefits"  # the user's choice is not undone
        assert "manages another service area (Housing Services)" in error_at(app, "referred-by")
        await chosen(pilot, "service-area", "Housing Services")  # put right
        assert error_at(app, "referred-by") == ""


async def test_the_area_filled_in_follows_the_manager_until_the_user_chooses_one(
        db: Path) -> None:
    """v15c m2: Liam Doyle filled in Council Tax and Benefits; Hannah Okafor chosen next left
    it there and said she "manages another service area", of an area the user never chose."""
    from textual.widgets import Select

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        area = (await open_referral(pilot)).query_one("#service-area", Select)
        await chosen(pilot, "referred-by", "Liam Doyle")
        assert area.value == "Council Tax and Benefits"
        await chosen(pilot, "referred-by", "Hannah Okafor")
        assert area.value == "Housing Services"
        assert error_at(app, "referred-by") == ""
        await chosen(pilot, "referred-by", "Liam Doyle")
        assert area.value == "Council Tax and Benefits"
        # Chosen by hand (the same area as filled in, then another): it stays, and a
        # manager of another area is said.
        await chosen(pilot, "service-area", "Housing Services")
        await chosen(pilot, "referred-by", "Hannah Okafor")
        await chosen(pilot, "referred-by", "Liam Doyle")
        assert area.value == "Housing Services"
        assert "manages another service area (Council Tax and Benefits)" in error_at(
            app, "referred-by")


async def test_a_manager_with_no_area_takes_away_the_area_the_form_filled_in(
        db: Path) -> None:
    """v15d N3: Liam Doyle filled in Council Tax and Benefits; Ceri Hughes (no service area)
    chosen next left it there, an area no one chose for her. One chosen by hand stays."""
    from textual.widgets import Select

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        area = (await open_referral(pilot)).query_one("#service-area", Select)
        await chosen(pilot, "referred-by", "Liam Doyle")
        assert area.value == "Council Tax and Benefits"
        await chosen(pilot, "referred-by", "Ceri Hughes")
        assert area.value is Select.NULL
        await chosen(pilot, "referred-by", "Hannah Okafor")  # filled in again
        assert area.value == "Housing Services"
        await chosen(pilot, "service-area", "Adult Social Care")  # the user's own choice
        await chosen(pilot, "referred-by", "Ceri Hughes")
        assert area.value == "Adult Social Care"
