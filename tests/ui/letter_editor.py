"""The decision letter prepared by an officer and opened in the editor (`e`) from the case's
letters, as the Head of Service: the set-up the editor's Pilot tests share."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from textual.pilot import Pilot

from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import issuing
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.letter_edit import LetterEditDialog
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from tests.demo_decided import CONSIDERING, decided_today
from tests.ui.keys import on_top, press_settled, settle
from tests.ui.test_signing_what_was_read_ui import DECISION, SIZE


@dataclass(frozen=True)
class Editing:
    app: CrmApp
    pilot: Pilot[None]
    dialog: LetterEditDialog
    letter_id: int


@asynccontextmanager
async def editing_the_decision_letter(db: Path) -> AsyncIterator[Editing]:
    decided_today(db)
    letter_id = issuing.prepare(resolve_actor("tomasz.nowak"), CONSIDERING, DECISION)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen(CONSIDERING))
        while screen.highlighted is not DECISION:
            await press_settled(pilot, "down")
        await press_settled(pilot, "e")
        dialog = app.screen
        assert isinstance(dialog, LetterEditDialog)
        yield Editing(app, pilot, dialog, letter_id)
