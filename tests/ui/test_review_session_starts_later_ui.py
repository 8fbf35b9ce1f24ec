"""v15k V1: in a review session, a case whose restrictions were amended on appeal to start on
a later day read "Restrictions: none; review due …; they end …" (the decided restrictions
unmentioned, "they end" of nothing), and `c` asked to "continue … as they are" restrictions
not yet begun. The line names them and from when, not yet in force; `c` says they stand as
decided and start that day."""

from __future__ import annotations

from pathlib import Path

from crm_tui.db.models import Case
from crm_tui.services.reviews import review_session
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.text_prompt import TextPromptDialog
from crm_tui.ui.screens.review_session import ReviewSessionScreen
from tests.ui.keys import burst, press_settled
from tests.ui.review_sessions import session_until, step_to
from tests.ui.test_replaced_to_start_later_ui import UNDER_APPEAL, amended_to_start_later


def _facts(screen: ReviewSessionScreen) -> str:
    return " ".join(str(screen.query_one("#facts").render()).split())


async def test_the_session_names_restrictions_starting_later_and_continues_them_truly(
        db: Path) -> None:
    amended_to_start_later(db)
    case = Case.get(Case.reference == UNDER_APPEAL)
    review_due = case.review_due
    assert review_due is not None
    until = max(review_due, review_session.default_until())
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await session_until(pilot, until)
        await step_to(pilot, screen, UNDER_APPEAL)
        facts = _facts(screen)
        assert "Restrictions: none in force yet; decided: " in facts, facts
        assert "from 18 Jun 2027 (not yet in force)" in facts, facts
        assert "Restrictions: none;" not in facts
        await press_settled(pilot, "c")
        assert isinstance(app.screen, TextPromptDialog), app.screen
        await burst(pilot, *"Still needed when they start.")
        await press_settled(pilot, "ctrl+s")
        assert isinstance(app.screen, AskDialog), app.screen
        asked = " ".join(str(app.screen.query_one("#ask-question").render()).split())
        assert "They stand as decided: none is in force until they start on 18 June 2027, " \
               "then they apply until 18 December 2027" in asked, asked
        assert "continue as they are" not in asked
        await press_settled(pilot, "n")  # not now: nothing recorded
