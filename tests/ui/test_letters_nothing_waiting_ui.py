"""Letters area with nothing waiting: A (Sign all) says so, as s does (b15a F7: it said "None
of these letters is yours to sign." of letters that were not there)."""

from __future__ import annotations

from pathlib import Path

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.letters_area import NOTHING_WAITING, LettersScreen
from tests.ui.keys import settle


async def test_sign_all_with_nothing_waiting_says_nothing_is_waiting(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = LettersScreen()
        await app.push_screen(screen)
        await settle(pilot)
        screen.show([], screen.issued)  # nothing waiting, whatever the demo holds
        await settle(pilot)
        for key in ("A", "s"):
            await pilot.press(key)
            await settle(pilot)
            said = [str(n.message) for n in app._notifications]
            assert said[-1] == NOTHING_WAITING, (key, said)
