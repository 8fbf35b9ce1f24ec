"""Snapshot of the Retention area (issue 16), opened from Home by `r`, on the frozen demo day:
the demo's files due for archive, each with why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crm_tui.ui.app import create_app
from tests.snapshots.helpers import Size, _settle


def test_retention(snap_compare: Any, size: Size, demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes")

    async def run_before(pilot: Any) -> None:
        await _settle(pilot)
        for key in ("h", "r"):
            await pilot.press(key)
            await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
