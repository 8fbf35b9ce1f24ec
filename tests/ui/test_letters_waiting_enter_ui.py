"""The Letters area (`l`): Enter on a letter waiting to be signed opens its case, as it does
on the register, and the footer offers it in both lists (v15d: the waiting list, focused on
entry, did nothing on Enter and offered it only after Tab to the register)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_tui.domain.letters import LetterKind
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import issuing
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.letters_area import LettersScreen
from tests.demo_decided import CONSIDERING, decided_today
from tests.ui.keys import press_settled, settle, shown_keys


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
async def test_enter_on_a_waiting_letter_opens_its_case(db: Path,
                                                        size: tuple[int, int]) -> None:
    decided_today(db)
    issuing.prepare(resolve_actor("tomasz.nowak"), CONSIDERING, LetterKind.DECISION)
    app = create_app(str(db), "gareth.bell")  # not the letter's signer: still opens its case
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await press_settled(pilot, "l")
        screen = app.screen
        assert isinstance(screen, LettersScreen)
        assert app.focused is screen.query_one("#drafts")
        assert [e.reference for e in screen.waiting] == [CONSIDERING]
        assert "enter" in shown_keys(app), shown_keys(app)
        await press_settled(pilot, "enter")
        assert isinstance(app.screen, CaseFileScreen), type(app.screen).__name__
        assert app.screen.reference == CONSIDERING
        await press_settled(pilot, "escape")
        assert app.screen is screen
        # The register's Enter as before: the case of the letter highlighted there.
        await press_settled(pilot, "tab")
        assert screen.in_register and screen.entry is not None
        assert "enter" in shown_keys(app), shown_keys(app)
        await press_settled(pilot, "enter")
        assert isinstance(app.screen, CaseFileScreen)
        assert app.screen.reference == screen.entry.reference
