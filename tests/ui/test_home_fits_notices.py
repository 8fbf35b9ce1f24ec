"""Home at 100x30 with every notice under the counts shown (v15n AD1): the restrictions
decided, not yet in force, and the scope line were drawn below the screen, past the prepared
letters' line, and no key scrolled to them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static

from crm_tui.domain.letters import LetterKind
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import issuing
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.home import HomeScreen
from crm_tui.ui.widgets.count_card import CountCard
from tests.demo_decided import CONSIDERING
from tests.ui.keys import settle
from tests.ui.test_home_layout import drawn
from tests.ui.test_starts_tomorrow_ui import decided_to_start_tomorrow

NOTICES = ("#screening-notice", "#prepared-notice", "#starting-notice")


@asynccontextmanager
async def home_with_every_notice(
        db: Path, size: tuple[int, int]) -> AsyncIterator[tuple[Pilot[None], HomeScreen]]:
    """Home (`h`) as the Head of Service with restrictions decided to start tomorrow and
    their letter prepared: every notice under the counts is shown."""
    decided_to_start_tomorrow(db)
    issuing.prepare(resolve_actor("tomasz.nowak"), CONSIDERING, LetterKind.DECISION)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        yield pilot, screen


async def test_every_count_and_notice_is_on_screen_at_100x30(db: Path) -> None:
    async with home_with_every_notice(db, (100, 30)) as (pilot, screen):
        await pilot.pause()
        body = screen.query_one("#body").region
        for card in screen.query(CountCard):
            assert body.contains_region(card.region), card.label
        status = screen.query_one("#status", Static)
        for name in NOTICES:
            notice = screen.query_one(name, Static)
            assert notice.has_class("shown"), name
            assert body.contains_region(notice.region), name
        assert body.contains_region(status.region)
        assert drawn(screen.query_one("#starting-notice", Static)).startswith(
            "Restrictions decided, not yet in force: 1 customer ")
        assert drawn(status).startswith("Counts cover all cases.")


async def test_where_the_notices_do_not_fit_end_and_page_keys_reach_them(db: Path) -> None:
    """At 80x24 the three notices and the scope line are more than the screen holds: End
    and PgDn scroll Home to them, Home and PgUp back to the counts."""
    async with home_with_every_notice(db, (80, 24)) as (pilot, screen):
        await pilot.press("tab")  # onto the counts, as a person would
        await settle(pilot)
        body = screen.query_one("#body")
        status = screen.query_one("#status", Static)
        starting = screen.query_one("#starting-notice", Static)
        first = screen.query_one("#card-awaiting_consideration", CountCard)
        assert not body.region.contains_region(status.region)
        await pilot.press("end")
        await settle(pilot)
        assert body.region.contains_region(status.region)
        assert body.region.contains_region(starting.region)
        await pilot.press("home")
        await settle(pilot)
        assert body.region.contains_region(first.region)
        assert not body.region.contains_region(status.region)
        await pilot.press("pagedown", "pagedown")
        await settle(pilot)
        assert body.region.contains_region(status.region)
