"""The case file and inbox show their own way forward (issue 15): under consideration the
evidence and the restriction builder lead the footer; a triage key pressed on a case in a
state where it does not apply says why at once, in the user's words."""

from __future__ import annotations

from pathlib import Path

from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.inbox import InboxScreen
from tests.ui.keys import inbox_on, settle, told

SIZE = (100, 30)
CONSIDERING = "UPV-2026-0005"
RESTRICTED = "UPV-2025-0004"
NEW = "UPV-2026-0009"


def footer_order(app: CrmApp) -> list[str]:
    return [key for key, active in app.screen.active_bindings.items()
            if active.binding.show and active.enabled]


async def test_under_consideration_the_way_forward_leads_the_footer(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CaseFileScreen(CONSIDERING))
        await settle(pilot)
        keys = footer_order(app)
        assert "v" in keys and "R" in keys
        assert keys.index("R") < keys.index("x") and keys.index("v") < keys.index("x")


async def test_triage_keys_on_a_restricted_case_say_why(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CaseFileScreen(RESTRICTED))
        await settle(pilot)
        assert not set(footer_order(app)) & set("cxoerb")
        messages = []
        for key in "cxoerb":
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, CaseFileScreen)
            # (A notice replaces the one before it with the same title: read each at once.)
            [why] = [m for m in told(app) if m.startswith(f"{RESTRICTED} is restricted: ")]
            messages.append(why)
        assert len(set(messages)) == 6
        assert any("closed with no action before any decision" in m for m in messages)
        assert any("only a new referral is moved to consideration" in m for m in messages)
        # The inbox says the same.
        await pilot.press("escape")
        await settle(pilot)
        await inbox_on(pilot, RESTRICTED)
        before = len(told(app))
        await pilot.press("x")
        await settle(pilot)
        assert told(app)[before:] and told(app)[-1].startswith(f"{RESTRICTED} is restricted")


async def test_triage_keys_follow_the_role(db: Path) -> None:
    # The Head of Service was offered Consider, Assign and Enquiry on a new referral, and e
    # was refused with "may not assign cases".
    app = create_app(str(db), "priya.raman")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CaseFileScreen(NEW))
        await settle(pilot)
        assert not set(footer_order(app)) & set("cxoerb")
        for key, words in (("e", "may not record a further enquiry"),
                           ("r", "may not record a request to the service area"),
                           ("o", "may not assign cases"),
                           ("c", "may not begin consideration"),
                           ("x", "may not close a referral with no action")):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, CaseFileScreen)
            assert any(m.startswith("Head of Service") and words in m
                       for m in told(app)), (key, told(app))


async def test_new_referral_is_not_offered_to_the_user_administrator(db: Path) -> None:
    # n opened the whole referral form for the user administrator, refused only at save.
    app = create_app(str(db), "morgan.price")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        assert "n" not in footer_order(app) and "I" not in footer_order(app)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)  # no form opened
        assert any("may not record a referral; only the " in m for m in told(app)), told(app)


async def test_the_triage_notes_name_their_save_key(db: Path) -> None:
    # r's dialog saved with "ctrl+s Save".
    from crm_tui.ui.dialogs.text_prompt import TextPromptDialog
    from tests.ui.test_form_keys_ui import footer_keys

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CaseFileScreen(NEW))
        await settle(pilot)
        for key, save in (("r", "Record the request"), ("e", "Record the enquiry"),
                          ("b", "Return the referral")):
            await pilot.press(key)
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, TextPromptDialog), key
            keys = footer_keys(dialog)
            assert save in keys and "Save" not in keys.split(), keys
            await pilot.press("escape")
            await settle(pilot)
