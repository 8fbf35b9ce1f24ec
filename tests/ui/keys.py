"""Steps shared by the Pilot tests."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot


async def settle(pilot: Pilot[Any]) -> None:
    """Let the workers a key started finish, and what they deliver be shown."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
