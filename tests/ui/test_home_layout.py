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


async def test_home_counts_the_letters_owed_the_inbox_shows_and_the_prepared_apart(
        demo_db: Path) -> None:
    """Home's letters owed are the cases whose Next action is to sign a letter (the one rule,
    as `crm-tui cases --letters-owed` lists them); the prepared letters are a line apart."""
    from crm_tui.db.models import Letter
    from crm_tui.services.core.database import session
    from crm_tui.services.intake import queries

    app = create_app(str(demo_db), "ceri.hughes")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        with session():
            owed = queries.list_cases(app.actor, letters_owed=True)
            prepared = Letter.select().where(Letter.status == "draft").count()
        assert all(c.next_action.startswith("Sign the ") for c in owed)
        card = screen.query_one("#card-letters_owed", CountCard)
        assert card.count == len(owed)
        assert card.label == "Letters owed, not yet signed"
        notice = screen.query_one("#prepared-notice", Static)
        assert notice.has_class("shown") == bool(prepared)
        if prepared:
            assert drawn(notice).startswith(f"Letters prepared, waiting to be signed: {prepared}.")


async def test_a_count_of_one_is_said_in_the_singular(db: Path) -> None:
    """Round 8: "1 Appeals awaiting a decision"; the demo has one appeal awaiting one."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_area("home")
        await settle(pilot)
        card = app.screen.query_one("#card-appeals_pending", CountCard)
        assert card.count == 1
        assert drawn(card.query_one(".label", Label)) == "Appeal awaiting a decision"
        several = app.screen.query_one("#card-restrictions_in_force", CountCard)
        assert several.count is not None and several.count > 1
        assert several.label == "Customers with restrictions in force"
