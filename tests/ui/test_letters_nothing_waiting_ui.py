"""Letters area with nothing waiting: A (Sign all) says so, as s does (b15a F7: it said "None
of these letters is yours to sign." of letters that were not there); s is not offered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.letters_area import NOTHING_WAITING, LettersScreen
from tests.ui.keys import settle, shown_keys, told


async def nothing_waiting(pilot: Pilot[Any]) -> None:
    """The letters area on top, showing nothing waiting, whatever the demo holds."""
    await settle(pilot)
    screen = LettersScreen()
    await pilot.app.push_screen(screen)
    await settle(pilot)
    screen.show([], screen.issued)
    await settle(pilot)


async def test_sign_all_with_nothing_waiting_says_nothing_is_waiting(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await nothing_waiting(pilot)
        for key in ("A", "s"):
            await pilot.press(key)
            await settle(pilot)
            said = told(app)
            assert said[-1] == NOTHING_WAITING, (key, said)


async def test_the_letters_area_offers_no_sign_key_while_nothing_waits(db: Path) -> None:
    """Letters (l) said "Nothing is waiting to be signed" beside "s Sign this", and s did
    nothing: s is offered only while a letter waits, and pressed anyway says why."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(140, 30)) as pilot:
        await nothing_waiting(pilot)
        assert "s" not in shown_keys(app) and "v" in shown_keys(app)
        await pilot.press("s")
        await settle(pilot)
        assert any("Nothing is waiting to be signed" in said for said in told(app))
