"""Home at 100x30 and 80x24 (issue 15): every count's label whole (wrapped at words, never cut
mid-phrase), and the notices under the counts on screen."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Label, Static

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.home import HomeScreen
from crm_tui.ui.widgets.count_card import CountCard
from tests.ui.keys import settle


def drawn(widget: Label | Static) -> str:
    lines = ["".join(s.text for s in widget.render_line(y)) for y in range(widget.size.height)]
    return " ".join(" ".join(lines).split())


async def test_the_counts_and_the_post_notice_fit_at_100x30_and_80x24(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_area("home")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        for width, height in ((100, 30), (80, 24)):
            await pilot.resize_terminal(width, height)
            await settle(pilot)
            await pilot.pause()
            body = screen.query_one("#body").region
            for card in screen.query(CountCard):
                assert drawn(card.query_one(".label", Label)) == card.label, (width, card.label)
                assert body.contains_region(card.region)
            notice = screen.query_one("#screening-notice", Static)
            assert notice.has_class("shown") and body.contains_region(notice.region)
            assert "s opens the screening queue." in drawn(notice)
