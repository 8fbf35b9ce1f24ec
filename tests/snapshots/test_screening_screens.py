"""Snapshots of the screening queue (from the home screen's key) and of the outcome dialog
with "passed to a named person" chosen, on the demo's frozen today."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from crm_tui.ui.app import create_app
from tests.snapshots.helpers import Size, _settle


def _queue(snap_compare: Any, size: Size, demo_db: Path, login: str, *keys: str) -> bool:
    app = create_app(str(demo_db), login)

    async def run_before(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        for key in ("h", "s", *keys):
            await pilot.press(key)
            await _settle(pilot)

    return bool(snap_compare(app, terminal_size=size, run_before=run_before))


def test_screening_queue(snap_compare: Any, size: Size, demo_db: Path) -> None:
    assert _queue(snap_compare, size, demo_db, "ceri.hughes")


def test_screening_outcome_dialog_passed_on(snap_compare: Any, size: Size, demo_db: Path) -> None:
    assert _queue(snap_compare, size, demo_db, "tomasz.nowak", "o", "down", "down", "space")


def test_screening_queue_as_service_area_manager(snap_compare: Any, size: Size,
                                                 demo_db: Path) -> None:
    assert _queue(snap_compare, size, demo_db, "hannah.okafor")
