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
from crm_tui.ui.dialogs.text_prompt import TextPromptDialog
from crm_tui.ui.screens.inbox import InboxScreen
from crm_tui.ui.screens.letters_area import LettersScreen
from tests.ui.keys import burst, press_settled, settle
from tests.ui.test_inbox import move_to

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
        await choose_in_palette(pilot, "go to letters")
        asked = app.screen
        assert isinstance(asked, AskDialog), type(asked).__name__
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
