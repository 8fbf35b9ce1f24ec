"""Issue 15 BA2 (b), (c), with keys. (b) Re-sending a copy of a letter to the customer (`r`,
in a case's letters, W, and in the Letters area) asked only to sign, with no word of their
reasonable adjustments recorded and standard print, while signing their letter said it: it
is said first now, and `n` (Not now) re-sends nothing. (c) The Letters area's caution was
read with its list: adjustments recorded after it was opened went unsaid at `s` until it was
read again; it is read as the letter is signed."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from crm_tui.db.models import Case, Letter
from crm_tui.domain.letters import LetterKind
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import issuing, posting, signing_keys
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.text_prompt import TextPromptDialog
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from crm_tui.ui.screens.letters_area import LettersScreen
from tests.demo_decided import CONSIDERING, decided_today
from tests.ui.keys import on_top, settle
from tests.ui.letters_register import case_letter_chosen
from tests.unit.services.letters.test_caution_every_path import SAID, in_standard_print

SIZE = (200, 50)


@pytest.fixture
def posted(db: Path, tmp_path: Path) -> int:
    """The case's decision letter signed and posted (outside the test's event loop: signing
    runs one of its own); then the customer's adjustments recorded, letters in standard
    print."""
    decided_today(db)
    crm = resolve_actor("ceri.hughes")
    letter = issuing.sign_and_export(crm, CONSIDERING, LetterKind.DECISION, tmp_path / "out",
                                     signing_keys.DEMO_PASSPHRASE).letter_id
    posting.record_posting(crm, [letter], Letter.get_by_id(letter).written_on, "first")
    in_standard_print()
    return letter


def _copies() -> int:
    return Letter.select().join(Case).where((Case.reference == CONSIDERING)
                                            & Letter.duplicate_of.is_null(False)).count()


async def _resend_asks(pilot, screen) -> None:  # type: ignore[no-untyped-def]
    """`r` on the letter chosen, a reason given: the question says the caution first; `n`
    re-sends nothing."""
    app = pilot.app
    await pilot.press("r")
    await settle(pilot)
    assert isinstance(app.screen, TextPromptDialog), type(app.screen).__name__
    await pilot.press(*"It never arrived")
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert isinstance(app.screen, AskDialog), type(app.screen).__name__
    question = " ".join(str(app.screen.query_one("#ask-question").render()).split())
    assert SAID in question, question
    assert question.index(SAID) < question.index("marked copy of letter"), question
    await pilot.press("n")
    await settle(pilot)
    assert app.screen is screen
    assert _copies() == 0


async def test_w_says_the_caution_before_re_sending(db: Path, posted: int) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen(CONSIDERING))
        await case_letter_chosen(pilot, screen, posted)
        await _resend_asks(pilot, screen)


async def test_the_letters_area_says_the_caution_before_re_sending(db: Path,
                                                                  posted: int) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        area = await on_top(pilot, LettersScreen())
        row = next(i for i, e in enumerate(area.issued) if e.id == posted)
        table = area.query_one("#issued", DataTable)
        table.focus()
        await settle(pilot)
        for _ in range(row - table.cursor_row):
            await pilot.press("down")
        await settle(pilot)
        assert area.entry is not None and area.entry.id == posted
        await _resend_asks(pilot, area)


async def test_the_letters_area_says_adjustments_recorded_since_it_was_read(
        db: Path) -> None:
    decided_today(db)
    draft = issuing.prepare(resolve_actor("tomasz.nowak"), CONSIDERING, LetterKind.DECISION)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        area = await on_top(pilot, LettersScreen())
        assert not next(e for e in area.waiting if e.id == draft).caution
        in_standard_print()  # recorded after the area read its list (another copy of the app)
        at = [e.id for e in area.waiting].index(draft)
        area.query_one("#drafts", DataTable).focus()
        await settle(pilot)
        for _ in range(at):
            await pilot.press("down")
        await settle(pilot)
        assert area.highlighted_waiting is not None and area.highlighted_waiting.id == draft
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, AskDialog), type(app.screen).__name__
        question = " ".join(str(app.screen.query_one("#ask-question").render()).split())
        assert SAID in question and "Sign and issue" in question, question
        await pilot.press("n")
        await settle(pilot)
        assert Letter.get_by_id(draft).status == "draft"
