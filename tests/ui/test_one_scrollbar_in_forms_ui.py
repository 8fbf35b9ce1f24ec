"""Issue 15: a long tick list in a scrolling form (the behaviours of a new referral, of a
restriction set out, of a contact logged) had a scrollbar of its own, drawn inside its border
beside the form's ("Insisting on handling outside policy ▅▅ ▎"). The list now shows all its
options and the form alone scrolls; moving down the list with the keys brings the highlighted
option into the form's view."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import SelectionList

from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.log_contact import LogContactDialog
from crm_tui.ui.dialogs.restriction_form import RestrictionFormDialog
from crm_tui.ui.screens.referral_form import ReferralFormScreen
from tests.ui.dialog_host import Host
from tests.ui.keys import press_settled, settle

SIZE = (100, 30)


async def _one_scrollbar_and_keys_follow(pilot: Pilot[Any], list_id: str) -> None:
    screen = pilot.app.screen
    ticks = screen.query_one(list_id, SelectionList)
    form = next(a for a in ticks.ancestors if isinstance(a, VerticalScroll))
    count = ticks.option_count
    assert count == len(BehaviourCategory)
    # Every option shown, no scrollbar of the list's own; the form's is the one there is.
    assert ticks.max_scroll_y == 0 and not ticks.show_vertical_scrollbar
    assert ticks.size.height == count, (ticks.size, count)
    assert form.show_vertical_scrollbar
    ticks.focus()
    await settle(pilot)
    await press_settled(pilot, "home")
    for step in range(count):
        if step:
            await press_settled(pilot, "down")
        assert ticks.highlighted == step
        # The highlighted option's line on screen lies inside the form's view.
        line = ticks.content_region.y + step
        view = form.content_region
        assert view.y <= line < view.bottom, (step, line, view, form.scroll_y)
    assert form.scroll_y > 0  # the form followed the keys down the list
    await press_settled(pilot, "home")
    line = ticks.content_region.y
    assert form.content_region.y <= line < form.content_region.bottom


async def test_a_new_referrals_behaviours_show_whole_in_the_form(demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "n")
        assert isinstance(app.screen, ReferralFormScreen)
        await _one_scrollbar_and_keys_follow(pilot, "#categories")


async def test_a_restrictions_behaviours_show_whole_in_the_form() -> None:
    dialog = RestrictionFormDialog("UPV-2026-0001", RestrictionKind.FORM_OF_CONTACT, [], [],
                                   None, lambda draft: None)
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _one_scrollbar_and_keys_follow(pilot, "#behaviours")


async def test_a_contacts_behaviours_show_whole_in_the_form() -> None:
    dialog = LogContactDialog("UPV-2026-0001", ("Housing Services",))
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _one_scrollbar_and_keys_follow(pilot, "#categories")
