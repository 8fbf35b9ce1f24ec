""""Post today" in the Letters area: the letters waiting, with recorded delivery chosen and
a number per letter asked for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from crm_tui.ui.app import create_app
from tests.snapshots.helpers import Size, _settle


def test_post_today(snap_compare: Any, size: Size, demo_db: Path) -> None:
    app = create_app(str(demo_db), "tomasz.nowak")

    async def run_before(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        for key in ("l", "P", "right", "right", "space"):
            await pilot.press(key)
            await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
