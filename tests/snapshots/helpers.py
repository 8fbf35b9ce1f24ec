"""Shared steps for snapshots: let workers finish; push a screen on the demo and press keys."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from tests.ui.keys import keys_handed_on

# The sizes every snapshot is taken at (the `size` fixture in conftest.py).
Size = tuple[int, int]
SIZES: tuple[Size, ...] = ((100, 30), (200, 50))


async def _settle(pilot: Pilot[Any]) -> None:
    # Four rounds: a screen that fits itself to what it drew (the case file's panels) does
    # so a refresh or two after its workers finish; under load two rounds caught it half-way.
    for _ in range(4):
        # The keys held after one whose work runs (crm_tui/ui/keys_wait.py) land first.
        await keys_handed_on(pilot)
        await pilot.app.workers.wait_for_complete()
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
