"""The inbox's first screen makes no widget that it does not show (issue 17: start within
1.5 times a bare Textual app; every widget composed, styled and laid out costs the start)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from crm_tui.ui.app import create_app
from crm_tui.ui.widgets.fitted_tabs import FittedTabs


async def settle(pilot: Pilot[Any]) -> None:
    for _ in range(2):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def test_the_tab_strip_makes_its_markers_only_when_tabs_are_left_out(db: Path) -> None:
    """The "…" at either side of the tab strip, hidden wherever every tab fits, were two
    widgets made at every start: now mounted when the terminal is first too narrow for all
    the tabs, and shown then as before."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        tabs = app.screen.query_one("#tabs", FittedTabs)
        assert all(tab.display for tab in tabs.every_tab)
        assert not tabs.query(".tabs-more")  # none made: every tab fits
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert not all(tab.display for tab in tabs.every_tab)
        shown = [m for m in tabs.query(".tabs-more") if m.display]
        assert shown and all(str(m.render()) == "…" for m in shown)
        assert [m.id for m in tabs.children][:2] == ["tabs-before", "tabs-after"]
        await pilot.resize_terminal(160, 50)  # wide again: kept, hidden
        await settle(pilot)
        assert all(tab.display for tab in tabs.every_tab)
        assert not any(m.display for m in tabs.query(".tabs-more"))
