"""The case's letters (`W`) at 80x24: every key the screen offers can be found. The footer
there has no room for `p` (Prepare for signing) beside the signer's `s`, `v` and Esc; `?`
(in the footer) lists it with every other key offered. For an officer, who prepares and does
not sign, `p` is the way forward and is in the footer."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_tui.domain.letters import LetterKind
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.help import HelpScreen
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from tests.demo_decided import CONSIDERING, decided_today
from tests.ui.keys import on_top, press_settled, shown_keys


@pytest.mark.parametrize("login", ["ceri.hughes", "tomasz.nowak"])  # signs; prepares only
async def test_prepare_is_in_the_footer_at_80x24_and_help_lists_every_key(
        db: Path, login: str) -> None:
    decided_today(db)
    app = create_app(str(db), login)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await on_top(pilot, CaseLettersScreen(CONSIDERING))
        assert screen.highlighted is LetterKind.DECISION
        assert screen.check_action("prepare", ())
        signs = bool(screen.check_action("sign", ()))
        assert signs == (login == "ceri.hughes")
        assert ("s" if signs else "p") in shown_keys(app), shown_keys(app)
        assert "question_mark" in shown_keys(app)
        offered = {b.binding.action for b in screen.active_bindings.values()
                   if b.binding.show and b.enabled}
        await press_settled(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        listed = app.screen.text()
        assert "Prepare for signing" in listed and "Read the letter" in listed
        assert offered - {e.action for e in app.screen.entries} == set()
