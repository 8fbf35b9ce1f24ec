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


async def test_the_tab_strip_mounts_nothing_while_the_app_quits(db: Path) -> None:
    """A resize queued as the app quits asked the strip to mount its markers then: Textual
    refuses (MountError, once in a full run: test_app_shell's test_quit_key)."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        tabs = app.screen.query_one("#tabs", FittedTabs)
        assert not tabs.query(".tabs-more")
        for tab in tabs.every_tab:  # no longer fit: the markers would be wanted
            tab.label = "A tab label far too long to fit " * 2
        app.exit()
        tabs.fit()  # raised MountError
        assert not tabs.query(".tabs-more")


async def test_the_area_filter_makes_its_list_when_first_opened_and_filters_by_it(
        db: Path) -> None:
    """The service-area filter's list of choices (Textual's hidden OptionList, every area an
    option) was made at every start: now when it is first opened, by keys as by Textual's,
    with the area shown highlighted; the area chosen filters the list."""
    from textual.widgets import Select
    from textual.widgets._select import SelectOverlay

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        area = app.screen.query_one("#area", Select)
        assert not area.query(SelectOverlay)  # not made at start
        areas = list(app.config.service_areas)
        assert areas and area.value == "__all__"  # All service areas
        shown = area.value
        area.focus()
        await pilot.press("enter")
        await settle(pilot)
        overlay = area.query_one(SelectOverlay)
        assert overlay.display and area.expanded
        assert overlay.option_count == 1 + len(areas)
        assert overlay.highlighted == 0  # the value shown: All service areas
        await pilot.press("down", "enter")
        await settle(pilot)
        assert not area.expanded and area.value == areas[0] != shown
        assert app.screen.spec.service_area == areas[0]  # type: ignore[attr-defined]
        await pilot.press("enter")  # opened again: the same list, the area chosen highlighted
        await settle(pilot)
        assert area.query_one(SelectOverlay) is overlay and overlay.highlighted == 1
        await pilot.press("escape")
        await settle(pilot)
        assert not area.expanded and area.value == areas[0]


async def test_a_click_on_the_area_filter_opens_its_list_the_first_time_too(db: Path) -> None:
    from textual.widgets import Select
    from textual.widgets._select import SelectOverlay

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        area = app.screen.query_one("#area", Select)
        assert not area.query(SelectOverlay)
        await pilot.click("#area")
        await settle(pilot)
        overlay = area.query_one(SelectOverlay)
        assert area.expanded and overlay.display and app.focused is overlay
        assert overlay.option_count == 1 + len(app.config.service_areas)
        await pilot.press("escape")
        await settle(pilot)
        assert not area.expanded and app.focused is area
