"""v20 AW4: the builder's letter preview (`p`, 100x30) showed only "esc Close" in its footer,
though the letter ran on below: the scroll keys are shown while the text is longer than its
room, and not where it all fits."""

from __future__ import annotations

from pathlib import Path

from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.detail import DetailDialog, ReadingScroll
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests.ui.keys import on_top, press_settled, settle, shown_keys, until

CONSIDERED = "UPV-2026-0005"  # under consideration, the Head of Service consulted


async def test_the_builder_preview_shows_its_scroll_keys(demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await on_top(pilot, RestrictionBuilderScreen(CONSIDERED))
        await press_settled(pilot, "p")
        await until(pilot, lambda: isinstance(app.screen, DetailDialog))
        await settle(pilot)
        view = app.screen.query_one(ReadingScroll)
        assert view.max_scroll_y > 0  # the letter runs on below
        await until(pilot, lambda: {"down", "pagedown", "escape"} <= shown_keys(app))
        await press_settled(pilot, "end")
        assert view.scroll_y == view.max_scroll_y
        await press_settled(pilot, "escape")
        # A short entry, all in sight: no scroll keys.
        app.push_screen(DetailDialog("Short", "One line."))
        await settle(pilot)
        assert "escape" in shown_keys(app) and "down" not in shown_keys(app), shown_keys(app)
