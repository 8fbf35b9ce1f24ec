"""Shared steps for snapshots: let workers finish; push a screen on the demo and press keys."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from crm_tui.ui.dialogs.base import FormBehaviour
from tests.ui.keys import keys_handed_on

# The sizes every snapshot is taken at (the `size` fixture in conftest.py).
Size = tuple[int, int]
SIZES: tuple[Size, ...] = ((100, 30), (200, 50))


def _steady_cursors(app: Any) -> None:
    """A focused field's cursor shown steadily, never caught half-way through a blink: the
    re-send dialog's reason was pictured with its cursor in one run and without in another."""
    for screen in app.screen_stack:
        for field in screen.query("Input, TextArea"):
            field.cursor_blink = False


async def _settle(pilot: Pilot[Any]) -> None:
    # Four rounds: a screen that fits itself to what it drew (the case file's panels) does
    # so a refresh or two after its workers finish; under load two rounds caught it half-way.
    for _ in range(4):
        # The keys held after one whose work runs (crm_tui/ui/keys_wait.py) land first.
        await keys_handed_on(pilot)
        await pilot.app.workers.wait_for_complete()
        _steady_cursors(pilot.app)
        await pilot.pause()
    # What a form does after its first refresh (putting the cursor on its first field:
    # call_after_refresh) waits for a frame, which the rounds above do not, and a loaded
    # machine may draw none for a while: the re-send dialog was pictured with its field
    # unfocused in one run in three (its cursor missing). Wait for the form to have settled.
    for _ in range(100):
        screen = pilot.app.screen
        if not isinstance(screen, FormBehaviour) or screen._pristine is not None:
            break
        await pilot.pause(0.05)
    await pilot.pause()
    _steady_cursors(pilot.app)
    await pilot.pause()


def _pushed(make_screen: Any, *keys: str) -> Any:
    """run_before for a snapshot: push a screen on the demo, let its workers finish, press keys."""
    async def run_before(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        pilot.app.push_screen(make_screen())
        await _settle(pilot)
        await _settle(pilot)
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)
    return run_before
