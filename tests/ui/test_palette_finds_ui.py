"""The palette finds, from any screen, what a person looks for by its words (b15b F5: "sign"
found no *Sign all* when nothing waited, "review" no way to start a review session outside
the calendar, "backup" nothing at all), and ranks the real matches above fuzzy ones."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from textual.command import CommandPalette
from textual.pilot import Pilot

from crm_tui.db.models import AuditEntry
from crm_tui.services.core.database import session
from crm_tui.services.letters import issuing
from crm_tui.services.reviews import review_session
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.fields import FieldsDialog
from crm_tui.ui.screens.inbox import InboxScreen
from crm_tui.ui.screens.review_session import ReviewSessionScreen
from tests.ui.keys import settle

SIZE = (100, 30)


async def listed(pilot: Pilot[Any], query: str, wanted: str) -> list[tuple[str, str]]:
    """Open the palette, type `query`, and return what it lists, in its order (title,
    description), once `wanted` is among it; the palette is left open."""
    await pilot.press("ctrl+p", *query)
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    found: list[tuple[str, str]] = []
    for _ in range(200):  # the search runs in a worker, after a short debounce
        await pilot.pause(0.02)
        options = palette.query_one("CommandList")._options  # type: ignore[attr-defined]
        # ("No matches found" is an option with no command behind it.)
        found = [(str(o.hit.text), str(o.hit.help)) for o in options if hasattr(o, "hit")]
        if any(title == wanted for title, _ in found):
            break
    assert any(title == wanted for title, _ in found), (query, found)
    return found


def starts_a_word(query: str, title: str) -> bool:
    words = re.findall(r"\w+", title.casefold())
    return all(any(w.startswith(q) for w in words) for q in re.findall(r"\w+", query.casefold()))


async def test_sign_finds_sign_all_saying_why_not_now_and_ranks_real_matches_first(
        demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        with session():
            assert not issuing.drafts(app.actor)  # the demo: nothing waits to be signed
        found = await listed(pilot, "sign", "Sign all")
        helps = dict(found)
        assert helps["Sign all"].endswith("(A in the Letters area). Not now: Nothing is "
                                          "waiting to be signed.")
        # Whatever names "sign" in a word comes before a fuzzy match ("Assign", "Switch
        # user: Morgan Price"), which may follow.
        real = [starts_a_word("sign", title) for title, _ in found]
        assert real == sorted(real, reverse=True), found
        await pilot.press("escape")
        await settle(pilot)
        # Chosen, it says why, at once, and does nothing else.
        audited = AuditEntry.select().count()
        found = await listed(pilot, "sign all", "Sign all")
        assert found[0][0] == "Sign all", found
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        assert any(str(n.message) == "Not now: Nothing is waiting to be signed."
                   for n in app._notifications)
        assert AuditEntry.select().count() == audited


async def test_review_session_starts_from_the_inbox(demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not review_session.refused(app.actor)
        found = await listed(pilot, "review session", "Review session")
        assert found[0][0] == "Review session", found
        assert dict(found)["Review session"].endswith("(s in the Review calendar)")
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "calendar"
        # The session's screen, asking first up to which day the reviews due are taken.
        stack = app.screen_stack
        assert isinstance(stack[-2], ReviewSessionScreen), [type(s).__name__ for s in stack]
        assert isinstance(app.screen, FieldsDialog)
        assert "Start a review session" in str(app.screen.query_one("#fields-title").render())


async def test_no_review_session_for_a_role_that_holds_none(demo_db: Path) -> None:
    app = create_app(str(demo_db), "tomasz.nowak", demo=True)  # an officer
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert review_session.refused(app.actor)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert "Review session" not in titles


async def test_backup_says_how_it_is_taken(demo_db: Path) -> None:
    app = create_app(str(demo_db), "ceri.hughes", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        found = await listed(pilot, "backup", "Backup (on the command line)")
        assert found[0][0] == "Backup (on the command line)", found
        assert "crm-tui backup DEST" in found[0][1]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        assert any("crm-tui backup DEST" in str(n.message) for n in app._notifications)
