"""The command palette opened inside a dialog asks before throwing away what was typed there,
as `esc` does (v15b S3: `r`, a request typed, `ctrl+p` "go to letters": the Letters area, the
request gone, no question)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.command import CommandPalette
from textual.pilot import Pilot

from crm_tui.db.models import AuditEntry
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.switch_user import SwitchUserDialog
from crm_tui.ui.dialogs.text_prompt import TextPromptDialog
from crm_tui.ui.screens.inbox import InboxScreen
from crm_tui.ui.screens.letters_area import LettersScreen
from crm_tui.ui.screens.referral_form import ReferralFormScreen
from tests.ui.keys import burst, press_settled, settle
from tests.ui.test_inbox import move_to
from tests.ui.test_problems_stay_ui import open_referral

SIZE = (100, 30)
REQUEST = "Please send the October log sheets"


async def choose_in_palette(pilot: Pilot[Any], words: str,
                            title: str = "Go to Letters") -> None:
    await pilot.press("ctrl+p", *words)
    await settle(pilot)  # the palette's search, a worker
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    found = [str(o.hit.text) for o in palette.query_one("CommandList")._options]  # type: ignore[attr-defined]
    assert found and found[0] == title, found
    await press_settled(pilot, "enter")


async def asked_on_choosing(pilot: Pilot[Any], words: str,
                            title: str = "Go to Letters") -> AskDialog:
    """`choose_in_palette` over something typed: the question it asks before leaving it."""
    await choose_in_palette(pilot, words, title)
    asked = pilot.app.screen
    assert isinstance(asked, AskDialog), type(asked).__name__
    return asked


async def open_request(pilot: Pilot[Any]) -> TextPromptDialog:
    await settle(pilot)
    await move_to(pilot, "UPV-2026-0009")
    await press_settled(pilot, "r")
    dialog = pilot.app.screen
    assert isinstance(dialog, TextPromptDialog)
    return dialog


async def test_leaving_a_dialog_by_the_palette_asks_before_throwing_away_the_typing(
        db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_request(pilot)
        audited = AuditEntry.select().count()
        await burst(pilot, *REQUEST)
        asked = await asked_on_choosing(pilot, "go to letters")
        assert asked.question == "Discard what you typed?"
        # Keep editing: back in the dialog, the request whole, still in the inbox.
        await press_settled(pilot, "n")
        assert app.screen is dialog
        assert dialog.query_one("#text").text == REQUEST  # type: ignore[attr-defined]
        assert app.current_mode == "inbox"
        # Discard: the dialog goes, the Letters area opens, nothing was recorded.
        await choose_in_palette(pilot, "go to letters")
        assert isinstance(app.screen, AskDialog)
        await press_settled(pilot, "y")
        assert app.current_mode == "letters"
        assert isinstance(app.screen, LettersScreen)
        assert AuditEntry.select().count() == audited
        # Back in the inbox, no dialog is left over it.
        await press_settled(pilot, "i")
        assert [type(s) for s in app.screen_stack] == [InboxScreen]


async def test_a_dialog_with_nothing_typed_is_closed_without_a_question_by_a_switch(
        db: Path) -> None:
    """Closed, not left open over the inbox: the request's dialog was opened as Ceri, and
    must not record as the person switched to."""
    app = create_app(str(db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_request(pilot)
        await choose_in_palette(pilot, "switch user priya", "Switch user: Priya Raman")
        assert [type(s) for s in app.screen_stack] == [InboxScreen]
        assert app.actor.login == "priya.raman"


async def test_switch_user_chosen_in_a_dialog_asks_closes_it_and_opens_the_picker(
        db: Path) -> None:
    """v15c m4 (a): "Discard what you typed?", `y`, and the dialog went with no picker (the
    palette offered no "Switch user (u)" above a dialog; its first "switch user" was the
    person acting, which changed nothing)."""
    app = create_app(str(db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_request(pilot)
        audited = AuditEntry.select().count()
        await burst(pilot, *REQUEST)
        asked = await asked_on_choosing(pilot, "switch user", "Switch user (u)")
        assert asked.question == "Discard what you typed?"
        await press_settled(pilot, "y")
        assert [type(s) for s in app.screen_stack] == [InboxScreen, SwitchUserDialog]
        assert app.actor.login == "ceri.hughes"  # nobody chosen yet
        assert AuditEntry.select().count() == audited


async def test_switch_user_chosen_in_the_referral_form_closes_it_and_opens_the_picker(
        db: Path) -> None:
    """v15c m4 (b): in the New referral form the palette's "Switch user (u)" did nothing at
    all. With nothing typed the form closes unasked; with a name typed, it asks first."""
    app = create_app(str(db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_referral(pilot)
        await choose_in_palette(pilot, "switch user", "Switch user (u)")
        assert [type(s) for s in app.screen_stack] == [InboxScreen, SwitchUserDialog]
        await press_settled(pilot, "escape")
        await press_settled(pilot, "n")
        form = app.screen
        assert isinstance(form, ReferralFormScreen)
        await burst(pilot, *"Mr Ambrose Pettigrew")
        asked = await asked_on_choosing(pilot, "switch user", "Switch user (u)")
        assert asked.question == "Discard the referral you typed?"
        await press_settled(pilot, "n")
        assert app.screen is form
        await choose_in_palette(pilot, "switch user", "Switch user (u)")
        await press_settled(pilot, "y")
        assert [type(s) for s in app.screen_stack] == [InboxScreen, SwitchUserDialog]


async def test_go_to_chosen_in_the_referral_form_closes_it_and_opens_the_area(
        db: Path) -> None:
    """The form's own palette listed the app's keys as they run from the inbox: "Go to
    Letters (l)" reached the form, which holds such keys."""
    app = create_app(str(db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_referral(pilot)
        await choose_in_palette(pilot, "go to letters", "Go to Letters (l)")
        assert app.current_mode == "letters"
        assert isinstance(app.screen, LettersScreen)
        await press_settled(pilot, "i")
        assert [type(s) for s in app.screen_stack] == [InboxScreen]


async def test_help_chosen_in_the_referral_form_leaves_the_form_as_it_was(db: Path) -> None:
    """Help is an app key too, but it leaves nothing: the form stays under it, unasked."""
    from crm_tui.ui.dialogs.help import HelpScreen

    app = create_app(str(db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_referral(pilot)
        await burst(pilot, *"Mr Ambrose Pettigrew")
        await pilot.press("ctrl+p", *"help")
        await settle(pilot)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        found = [str(o.hit.text) for o in palette.query_one("CommandList")._options]  # type: ignore[attr-defined]
        assert found and found[0].startswith("Help ("), found
        await press_settled(pilot, "enter")
        assert isinstance(app.screen, HelpScreen)
        assert app.screen_stack[-2] is form


async def test_quit_chosen_in_a_dialog_asks_then_quits_recording_nothing(db: Path) -> None:
    """v15d N9: inside the `r` dialog the palette found nothing for "quit" ("No matches
    found"), while the inbox and the New referral form offer Quit (q)."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_request(pilot)
        audited = AuditEntry.select().count()
        await burst(pilot, *REQUEST)
        asked = await asked_on_choosing(pilot, "quit", "Quit (q)")
        assert asked.question == "Discard what you typed?"
        await press_settled(pilot, "n")  # keep editing: the request whole, the app open
        assert app.screen is dialog and app.is_running
        assert dialog.query_one("#text").text == REQUEST  # type: ignore[attr-defined]
        await choose_in_palette(pilot, "quit", "Quit (q)")
        assert isinstance(app.screen, AskDialog)
        await pilot.press("y")
        await pilot.pause()
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running
    assert AuditEntry.select().count() == audited


async def test_quit_over_typed_text_is_not_said_to_save_everything(db: Path) -> None:
    """v15e F9: inside a form with typed text, the palette described Quit as "Close
    crm-tui; everything is saved"; what was typed is not saved, and Quit asks first."""
    from crm_tui.ui.commands import palette_commands

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_request(pilot)

        def quit_said() -> str:
            [said] = [str(c.help) for c in palette_commands(app, dialog)
                      if c.title.startswith("Quit")]
            return said

        assert quit_said() == "Close crm-tui; everything is saved"  # nothing typed yet
        await burst(pilot, *REQUEST)
        said = quit_said()
        assert "everything is saved" not in said, said
        assert "what you typed is not saved" in said and "asked first" in said, said
