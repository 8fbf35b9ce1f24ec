"""An open drop-down never covers the keys of the screen it is on (b15e F9: the new referral
form's Service area list, opened at 100x30, hid the footer's esc and ctrl+s)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Select
from textual.widgets._select import SelectOverlay

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.referral_form import ReferralFormScreen
from crm_tui.ui.widgets.keys_footer import KeysFooter
from tests.ui.keys import settle


def footer_y(screen: ReferralFormScreen) -> int:
    return screen.query_one(KeysFooter).region.y


@pytest.mark.parametrize("select_id", ["service-area", "spoc"])
async def test_an_open_list_leaves_the_footer_in_sight(db: Path, select_id: str) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReferralFormScreen)
        select = screen.query_one(f"#{select_id}", Select)
        select.focus()
        await settle(pilot)
        # Where Tab leaves it in the walk: on the form's last lines, just above the footer.
        form = screen.query_one("#form")
        form.scroll_to(y=select.virtual_region.y - form.size.height + 4, animate=False)
        await settle(pilot)
        assert select.region.bottom >= footer_y(screen) - 2, select.region
        await pilot.press("enter")
        await settle(pilot)
        overlay = select.query_one(SelectOverlay)
        assert select.expanded and overlay.region.height > 3
        assert overlay.region.bottom <= footer_y(screen), overlay.region
