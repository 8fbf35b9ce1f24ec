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
        assert "enter" not in shown_keys(app)  # no letter waiting to open the case of
        await pilot.press("s")
        await settle(pilot)
        assert any("Nothing is waiting to be signed" in said for said in told(app))


async def test_s_is_not_offered_over_a_letter_the_person_may_not_sign(db: Path) -> None:
    """v15c F2: the Letters area offered `s Sign this` over a letter waiting that only
    another person signs, and `s` then said "None of the letters waiting is yours to sign".
    Here the appeal outcome letter, prepared by Ceri Hughes, is the only one waiting: only
    Gareth Bell, who decided the appeal, signs it. For Ceri `s` is not offered, and pressed
    it says who signs it; for Gareth it is offered."""
    from crm_tui.db.connection import open_database
    from crm_tui.domain.letters import LetterKind
    from crm_tui.domain.outcomes import AppealOutcome
    from crm_tui.services.core import confirmation, users
    from crm_tui.services.core.database import session
    from crm_tui.services.letters import issuing, signing_keys
    from crm_tui.services.reviews import appeals

    open_database(db)
    with confirmation.given(signing_keys.DEMO_PASSPHRASE):
        appeals.decide_appeal(users.resolve_actor("gareth.bell"), "UPV-2026-0004",
                              AppealOutcome.CONFIRMED, "The restrictions stand",
                              customer_reason="We looked again. The restrictions stay.")
    issuing.prepare(users.resolve_actor("ceri.hughes"), "UPV-2026-0004",
                    LetterKind.APPEAL_OUTCOME)
    for login, offered in (("ceri.hughes", False), ("gareth.bell", True)):
        app = create_app(str(db), login)
        async with app.run_test(size=(140, 30)) as pilot:
            await settle(pilot)
            screen = LettersScreen()
            await pilot.app.push_screen(screen)
            await settle(pilot)
            with session():
                waiting = [e for e in issuing.drafts(app.actor)
                           if e.kind is LetterKind.APPEAL_OUTCOME]
            screen.show(waiting, screen.issued)  # the appeal outcome letter alone waits
            await settle(pilot)
            assert ("s" in shown_keys(app)) is offered, (login, shown_keys(app))
            if not offered:
                await pilot.press("s")
                await settle(pilot)
                said = told(app)[-1]
                assert said.startswith("UPV-2026-0004: Ceri Hughes may not sign"), said
                assert "Gareth Bell" in said and said.endswith(
                    "None of the letters waiting is yours to sign."), said


async def test_an_empty_register_offers_no_enter(db: Path) -> None:
    """The letter register (Tab in the Letters area) offered "⏎ Open case" with no letter in
    it: Enter is offered only on a row, there as in the list of those waiting."""
    from textual.widgets import DataTable

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(140, 30)) as pilot:
        await nothing_waiting(pilot)
        screen = app.screen
        assert isinstance(screen, LettersScreen)
        await pilot.press("tab")
        await settle(pilot)
        assert app.focused is screen.query_one("#issued", DataTable)
        assert screen.entry is not None and "enter" in shown_keys(app)  # the demo's letters
        screen.show([], [])
        await settle(pilot)
        assert screen.entry is None and "enter" not in shown_keys(app)
