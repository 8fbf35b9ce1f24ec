"""Snapshots of the review calendar (the month on the frozen today; a day's agenda) and a
review session's step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from crm_tui.ui.app import create_app
from tests.demo_copies import copy_demo
from tests.snapshots.helpers import Size, _settle


def _calendar(snap_compare: Any, size: Size, demo_db: Path, *keys: str) -> bool:
    app = create_app(str(demo_db), "ceri.hughes")

    async def run_before(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("d")
        await _settle(pilot)
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)
        # A chart drawn before its plot took the app's theme (textual-plotext registers it
        # on mount) came out in other colours one run in two: drawn again once all is in.
        for chart in pilot.app.screen.query("WeekChart"):
            chart.refresh()
        await pilot.pause(0.1)
        await _settle(pilot)

    return bool(snap_compare(app, terminal_size=size, run_before=run_before))


def test_calendar_month(snap_compare: Any, size: Size, demo_db: Path) -> None:
    assert _calendar(snap_compare, size, demo_db)


def test_calendar_agenda_of_a_day(snap_compare: Any, size: Size, demo_db: Path) -> None:
    # Wednesday 25 November: a review overdue
    assert _calendar(snap_compare, size, demo_db, "left", "left", "left", "enter")


def test_review_session_step(snap_compare: Any, size: Size, demo_db: Path, tmp_path: Path) -> None:
    # Starting a session writes (the session, an audit entry): on a copy of the demo.
    copy = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, copy)
    assert _calendar(snap_compare, size, copy, "s", "ctrl+s")
