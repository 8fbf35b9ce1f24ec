"""Snapshots of the inbox in every tab, the case file and the referral form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from crm_tui.services.intake.inbox import Tab
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.referral_form import ReferralFormScreen
from tests.snapshots.helpers import Size, _pushed, _settle

TABS = list(Tab)


@pytest.mark.parametrize("tab", TABS, ids=lambda t: t.value)
def test_inbox_tab(snap_compare: Any, size: Size, demo_db: Path, tab: Tab) -> None:
    app = create_app(str(demo_db), "ceri.hughes")

    async def run_before(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        # The inbox opens on "All", the last tab; "]" wraps round to the first.
        for _ in range((TABS.index(tab) + 1) % len(TABS)):
            await pilot.press("right_square_bracket")
            await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_case_file(snap_compare: Any, size: Size, demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes")
    assert snap_compare(app, terminal_size=size,
                        run_before=_pushed(lambda: CaseFileScreen("UPV-2025-0004")))


def test_referral_form_with_an_error(snap_compare: Any, size: Size, demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes")

    async def run_before(pilot: Pilot[Any]) -> None:
        await _pushed(ReferralFormScreen)(pilot)
        pilot.app.screen.query_one("#name", Input).value = "Ms Greta [red]Vance[/]"
        await pilot.press("ctrl+s")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
