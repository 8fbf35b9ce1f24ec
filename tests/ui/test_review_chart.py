"""The review session's contacts-per-week chart: weeks without a contact once drew as solid
blocks; a quiet period now says so in words instead of drawing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual.widgets import Sparkline

from crm_tui.services.core.database import session
from crm_tui.services.reviews import review_session
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.review_session import ReviewSessionScreen
from tests.ui.keys import settle


async def test_a_review_without_contacts_says_so_instead_of_drawing(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(ReviewSessionScreen())
        await settle(pilot)
        await pilot.press("ctrl+s")  # reviews due in the next 30 days
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewSessionScreen) and screen.info is not None
        assert screen.info.current is not None
        with session():
            found = review_session.facts(app.actor, screen.info.current)
        quiet = replace(found, per_week=[(week, 0) for week, _ in found.per_week])
        screen.show_facts(quiet)
        await pilot.pause()
        assert not screen.query_one("#weeks", Sparkline).display
        assert screen.query_one("#weeks-none").display
        assert "No contacts were logged since the last decision" in str(
            screen.query_one("#weeks-none").render())
        busy = replace(found, per_week=[*quiet.per_week[:-1], (quiet.per_week[-1][0], 3)])
        screen.show_facts(busy)
        await pilot.pause()
        assert screen.query_one("#weeks", Sparkline).display
        assert not screen.query_one("#weeks-none").display
