"""A review session started from the inbox, and a case in it reached, as a user does."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from crm_tui.ui.dialogs.fields import FieldsDialog
from crm_tui.ui.screens.review_session import ReviewSessionScreen
from tests.ui.keys import press_settled, settle


async def session_until(pilot: Pilot[Any], until: date) -> ReviewSessionScreen:
    """From the inbox: `d`, `s`, the reviews due by `until` typed, and the session started."""
    await settle(pilot)
    await press_settled(pilot, "d", "s")
    dialog = pilot.app.screen
    assert isinstance(dialog, FieldsDialog), dialog
    dialog.query_one("#until", Input).value = ""
    await press_settled(pilot, *f"{until:%d/%m/%Y}", "ctrl+s")
    screen = pilot.app.screen
    assert isinstance(screen, ReviewSessionScreen) and screen.info is not None
    return screen


async def step_to(pilot: Pilot[Any], screen: ReviewSessionScreen, reference: str) -> None:
    """→ until the session shows `reference`, which must be in it."""
    assert screen.info is not None and reference in screen.info.references
    for _ in screen.info.references:
        if screen.info.current == reference:
            break
        await press_settled(pilot, "right")
    assert screen.info.current == reference
