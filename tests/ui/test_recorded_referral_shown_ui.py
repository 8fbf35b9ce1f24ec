"""A referral just recorded (`n`) or imported (`I`) is shown with the cursor on it, whatever
search, tab or filter the inbox held before: those that would hide it are let go, and the
notice says which (v15d N6: an earlier search hid it until cleared by hand)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, DataTable, Input, Tabs

from crm_tui.db.models import Case, Customer
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.inbox import InboxScreen
from crm_tui.ui.screens.referral_form import ReferralFormScreen
from tests.demo_copies import copy_demo
from tests.ui.keys import press_settled, settle, told
from tests.ui.test_inbox import fill_referral

SIZE = (100, 30)


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    """A private copy of the demo: these tests write."""
    path = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, path)
    return path


def under_cursor(pilot: Pilot[Any]) -> str:
    table = pilot.app.screen.query_one("#cases", DataTable)
    return str(table.ordered_rows[table.cursor_row].key.value)


async def search_for(pilot: Pilot[Any], words: str) -> None:
    await press_settled(pilot, "slash", *words)
    await pilot.pause(0.3)  # the search waits for a pause in typing
    await press_settled(pilot, "enter")


async def test_a_referral_recorded_over_a_search_that_hides_it_clears_the_search(
        db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search_for(pilot, "UPV-2025-0004")
        assert under_cursor(pilot) == "UPV-2025-0004"
        await press_settled(pilot, "n")
        assert isinstance(app.screen, ReferralFormScreen)
        await fill_referral(pilot)
        await press_settled(pilot, "ctrl+s")
        await pilot.pause(0.3)  # past the search's own wait: it must not come back
        await settle(pilot)
        inbox = app.screen
        assert isinstance(inbox, InboxScreen)
        reference = Case.get(Case.customer == Customer.get(
            Customer.name == "Mr Rufus Quennell [bold]")).reference
        assert under_cursor(pilot) == reference
        assert inbox.query_one("#search", Input).value == ""
        assert inbox.spec.search == ""
        assert f"Referral recorded as {reference}: search cleared to show it" in told(app)


async def test_a_search_that_finds_the_new_referral_is_kept(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search_for(pilot, "Quennell")  # no one yet: the referral is not recorded
        await press_settled(pilot, "n")
        assert isinstance(app.screen, ReferralFormScreen)
        await fill_referral(pilot)
        await press_settled(pilot, "ctrl+s")
        await settle(pilot)
        inbox = app.screen
        assert isinstance(inbox, InboxScreen)
        reference = Case.get(Case.customer == Customer.get(
            Customer.name == "Mr Rufus Quennell [bold]")).reference
        assert inbox.query_one("#search", Input).value == "Quennell"
        assert under_cursor(pilot) == reference
        assert f"Referral recorded as {reference}" in told(app)


async def test_an_import_over_a_search_a_tab_and_mine_lets_all_three_go(
        db: Path, tmp_path: Path) -> None:
    from tests.unit.services.intake.test_inbox_services import SAMPLE

    path = tmp_path / "ref.json"
    path.write_text(json.dumps({**SAMPLE, "referred_by": "hannah.okafor", "evidence": []}))
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search_for(pilot, "UPV-2025-0004")
        await press_settled(pilot, "m")  # only the cases assigned to Ceri
        inbox = app.screen
        assert isinstance(inbox, InboxScreen)
        inbox.query_one("#tabs", Tabs).active = "tab-restricted"
        await settle(pilot)
        assert inbox.spec.tab.value == "restricted"
        await press_settled(pilot, "I")
        await pilot.pause()
        await press_settled(pilot, *str(path), "enter")
        await pilot.pause(0.3)
        await settle(pilot)
        inbox = app.screen
        assert isinstance(inbox, InboxScreen)
        reference = Case.get(Case.customer == Customer.get(
            Customer.name == "Mr Ptolemy Gribble")).reference
        assert under_cursor(pilot) == reference
        assert inbox.query_one("#tabs", Tabs).active == "tab-all"
        assert not inbox.query_one("#mine", Checkbox).value
        assert inbox.query_one("#search", Input).value == ""
        assert (f"Referral recorded as {reference}: search cleared, not only yours and All "
                "tab shown to show it") in told(app)
