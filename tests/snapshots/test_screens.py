"""Snapshots of every screen at a fixed size on the frozen demo day."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from crm_tui.config import Config
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.error import ErrorDialog
from tests.snapshots.helpers import Size


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _after(*keys: str) -> Callable[[Pilot[Any]], Any]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)
    return run_before


def test_home(snap_compare: Any, size: Size, demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    assert snap_compare(app, terminal_size=size, run_before=_after("h"))


def test_home_as_service_area_manager(snap_compare: Any, size: Size, demo_db: Path) -> None:
    app = create_app(str(demo_db), "hannah.okafor")
    assert snap_compare(app, terminal_size=size, run_before=_after("h"))


def test_audit_trail(snap_compare: Any, size: Size, demo_db: Path) -> None:
    # The demo's letters folder, as `crm-tui demo` gives it (the CLI, not create_app, does).
    app = create_app(str(demo_db), "ceri.hughes",
                     Config(letters_folder=str(demo_db.parent / "demo-letters")), demo=True)
    assert snap_compare(app, terminal_size=size, run_before=_after("a", "v"))


def test_team(snap_compare: Any, size: Size, demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    assert snap_compare(app, terminal_size=size, run_before=_after("t", "down", "down"))


def test_switch_user_dialog(snap_compare: Any, size: Size, demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    assert snap_compare(app, terminal_size=size, run_before=_after("u"))


def test_error_dialog(snap_compare: Any, size: Size, demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes", demo=True)

    async def show_error(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        pilot.app.push_screen(ErrorDialog("Something failed",
                                          "The database is locked [by another program]"))
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=show_error)
