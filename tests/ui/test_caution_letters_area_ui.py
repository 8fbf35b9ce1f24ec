"""Issue 15 AX2 (fixAX2): the caution before signing (the customer's reasonable adjustments
recorded, their letters in standard print) was said from a case's letters (W, `s`) but not
from the Letters area: `s` (sign one) and `A` (sign all) asked only to sign. Both say it
first now, quoting the adjustments; `n` (Not now) signs nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from crm_tui.db.models import Case, Letter
from crm_tui.domain.letters import LetterKind
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import issuing
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.screens.letters_area import LettersScreen
from tests.demo_decided import CONSIDERING, decided_today
from tests.ui.keys import on_top, settle
from tests.unit.services.letters.test_caution_every_path import SAID, in_standard_print

SIZE = (200, 50)


@pytest.fixture
def draft(db: Path) -> int:
    """The case's decision letter prepared (by another), waiting in the Letters area; the
    customer's adjustments recorded with their letters in standard print."""
    decided_today(db)
    letter_id = issuing.prepare(resolve_actor("tomasz.nowak"), CONSIDERING, LetterKind.DECISION)
    in_standard_print()
    return letter_id


def _issued() -> int:
    return Letter.select().join(Case).where((Case.reference == CONSIDERING)
                                            & (Letter.status == "issued")).count()


@pytest.mark.parametrize("key", ["s", "A"])
async def test_the_letters_area_says_the_caution_before_signing(db: Path, draft: int,
                                                                key: str) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, LettersScreen())
        at = [e.id for e in screen.waiting].index(draft)
        screen.query_one("#drafts", DataTable).focus()
        await settle(pilot)
        for _ in range(at):
            await pilot.press("down")
        await settle(pilot)
        assert screen.highlighted_waiting is not None
        assert screen.highlighted_waiting.id == draft
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, AskDialog), type(app.screen).__name__
        question = " ".join(str(app.screen.query_one("#ask-question").render()).split())
        assert SAID in question, question
        assert "Sign and issue" in question, question
        if key == "A" and len(screen.waiting) > 1:
            assert f"{CONSIDERING} (Mr Cornelius Blythe-Amory): The customer's" in question
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen
        assert _issued() == 0
        assert Letter.get_by_id(draft).status == "draft"


async def test_the_case_files_letters_say_it_too(db: Path, draft: int) -> None:
    """Another path, by keys from the case file: W, then s on the letter prepared."""
    from crm_tui.ui.screens.case_file import CaseFileScreen
    from crm_tui.ui.screens.case_letters import CaseLettersScreen

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await on_top(pilot, CaseFileScreen(CONSIDERING))
        await pilot.press("W")
        await settle(pilot)
        assert isinstance(app.screen, CaseLettersScreen), type(app.screen).__name__
        letters = app.screen
        await pilot.press("down")  # the decision letter
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, AskDialog), type(app.screen).__name__
        question = " ".join(str(app.screen.query_one("#ask-question").render()).split())
        assert SAID in question and "Sign and issue" in question, question
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is letters
        assert _issued() == 0 and Letter.get_by_id(draft).status == "draft"
