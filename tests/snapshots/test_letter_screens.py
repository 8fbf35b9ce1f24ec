"""Snapshots of a case's letters (with the preview) and the letters area (register)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from tests.snapshots.helpers import Size, _pushed, _settle


def test_case_letters(snap_compare: Any, size: Size, demo_db: Path) -> None:
    """A case whose decision letter was issued: nothing new offered; the register, focused
    from the start on the latest letter (v15e F11; it took Tab before), shows it with its
    date, appeal-by and status, and the preview as it was issued."""
    app = create_app(str(demo_db), "ceri.hughes")
    assert snap_compare(app, terminal_size=size, run_before=_pushed(
        lambda: CaseLettersScreen("UPV-2025-0004")))


def test_case_letters_offered(snap_compare: Any, size: Size, demo_db: Path) -> None:
    """A case whose decision letter is still to be issued: it is offered, and read as it
    would be issued today."""
    app = create_app(str(demo_db), "ceri.hughes")
    assert snap_compare(app, terminal_size=size, run_before=_pushed(
        lambda: CaseLettersScreen("UPV-2025-0006")))


def test_letters_area(snap_compare: Any, size: Size, demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes")

    async def run_before(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("l")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_resend_asks_why(snap_compare: Any, size: Size, demo_db: Path) -> None:
    """`r` on an issued letter: the re-send as a marked duplicate asks for the reason. The
    lifting letter of UPV-2025-0001: a copy of UPV-2025-0004's decision letter, its last day
    to appeal long past, could never be posted and is refused at once (v15i J2)."""
    app = create_app(str(demo_db), "ceri.hughes")
    assert snap_compare(app, terminal_size=size, run_before=_pushed(
        lambda: CaseLettersScreen("UPV-2025-0001"), "r"))
