""""Post today" in the Letters area: the letters waiting (one that cannot go, and why), with
recorded delivery chosen and a number per letter asked for; the dialog bounded by the screen
and sized to its list (fixAR AR1: at 100x30 it ran off the screen)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from crm_tui.ui.app import create_app
from tests.demo_invitation_waiting import letters_waiting
from tests.snapshots.helpers import Size, _settle


def test_post_today(snap_compare: Any, size: Size, demo_db: Path) -> None:
    # Its letters waiting to be posted again, as in tests/ui/test_posting_ui.py (the demo
    # posts every letter it signs: the dialog was never pictured, only "nothing to post").
    letters_waiting(demo_db)  # issue 15 AO1: as signed today, the invitation can go
    app = create_app(str(demo_db), "tomasz.nowak")

    async def run_before(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        # The cursor starts on the list: Tab to the post classes.
        for key in ("l", "P", "tab", "right", "right", "space"):
            await pilot.press(key)
            await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
