"""At 80x24 the screen under a toast is laid out above it while it shows and in full once it has
gone, also when it went while a picker was over the screen (t15 2 and 3: the inbox showed its
heading and not one row while "Moved to consideration" showed, once staying so after it went;
after toasts and switches of user the builder kept blank rows where the toast had been, its
"Before a decision can be made" pushed off screen)."""

from __future__ import annotations

from pathlib import Path

from textual.widget import Widget
from textual.widgets import DataTable
from textual.widgets._toast import Toast

from crm_tui.db.models import Case
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.switch_user import SwitchUserDialog
from crm_tui.ui.keys_after_refusal import QUIET
from crm_tui.ui.screens.inbox import InboxScreen
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests.ui.keys import on_top, press_settled, settle, terminal_burst

NEW_REFERRAL = "UPV-2026-0009"
CONSIDERED = "UPV-2026-0007"  # under consideration, nothing set out: D is refused


async def _toasts_run_out(app: CrmApp) -> None:
    """Each toast on view runs out as its own timer has it do (Toast._expire), at once."""
    toasts = list(app.screen.query(Toast))
    assert toasts, "no toast to see go"
    for toast in toasts:
        toast._expire()


async def test_the_inbox_keeps_its_rows_while_and_after_a_triage_toast_shows(
        db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InboxScreen)
        table = screen.query_one("#cases", DataTable)
        table.focus()
        while screen.current_reference() != NEW_REFERRAL:
            assert table.cursor_row < table.row_count - 1, f"{NEW_REFERRAL} is not listed"
            await press_settled(pilot, "down")
        before = table.region
        assert before.height > 10
        await press_settled(pilot, "c")
        assert Case.get(Case.reference == NEW_REFERRAL).state == "under_consideration"
        assert screen.query(Toast), "no toast: nothing to lay out above"
        # Titled with the case, as every other step's toast is (v22 C5).
        toast = list(app._notifications)[-1]
        assert (toast.title, toast.message) == (NEW_REFERRAL, "Moved to consideration")
        # While it shows: the table gives up a line or two, never its rows, and the row just
        # acted on is among those in sight.
        assert before.height - 3 <= table.region.height < before.height
        assert screen.current_reference() == NEW_REFERRAL
        top = int(table.scroll_y)
        shown = table.region.height - 1  # under the heading
        assert top <= table.cursor_row < top + shown
        assert top + shown <= table.row_count  # a row on every line, not blanks
        await _toasts_run_out(app)
        await settle(pilot)
        assert not screen.query(Toast)
        assert table.region == before, (table.region, before)
        top, shown = int(table.scroll_y), table.region.height - 1
        assert top <= table.cursor_row < top + shown
        assert top + shown <= table.row_count


async def test_the_builder_is_laid_out_in_full_after_toasts_and_switches_of_user(
        db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, RestrictionBuilderScreen(CONSIDERED))
        body = [w for w in screen.children if w.display and w.region.height > 5]
        assert body, "no body to measure"
        panels: Widget = body[0]
        full = panels.region
        footer_at = app.screen.size.height - 1
        assert full.bottom == footer_at, (full, "the builder reaches the keys at first")
        for _ in range(10):  # as t15 typed them: D D D, u, Enter (Ceri again), D
            terminal_burst(pilot, "D", "D", "D")
            # The keys typed straight after a refusal are dropped until the typing pauses
            # (keys_after_refusal.py): `u` once it has.
            await pilot.pause(QUIET + 0.4)
            terminal_burst(pilot, "u")
            for _ in range(50):  # the picker, over the builder and its toasts
                if isinstance(app.screen, SwitchUserDialog):
                    break
                await pilot.pause(0.1)
            assert isinstance(app.screen, SwitchUserDialog)
            terminal_burst(pilot, "enter")
            await pilot.pause(0.2)
            terminal_burst(pilot, "D")
            await pilot.pause(0.3)
        await settle(pilot)
        assert app.screen is screen
        await _toasts_run_out(app)
        await settle(pilot)
        assert not screen.query(Toast)
        assert panels.region == full, (panels.region, full)
