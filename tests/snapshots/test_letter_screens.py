"""Snapshots of a case's letters (with the preview) and the letters area (register)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from tests.snapshots.helpers import _pushed, _settle

SIZE = (140, 40)


def test_case_letters(snap_compare: Any, demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes")
    assert snap_compare(app, terminal_size=SIZE, run_before=_pushed(
        lambda: CaseLettersScreen("UPV-2025-0004"), "down"))


def test_letters_area(snap_compare: Any, demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes")

    async def run_before(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("l")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
