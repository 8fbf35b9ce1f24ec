"""A question that comes up of itself is answered only by keys pressed while it is on screen
(t15c finding 10: `c` and a view typed at once met "…rests on no evidence. Record the Head
of Service's view anyway?" first, and the `y` of "typed" answered it)."""

from __future__ import annotations

from pathlib import Path

from crm_tui.db.models import Consultation
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.consultation import ConsultationDialog
from crm_tui.ui.dialogs.question_keys import EARLY
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from crm_tui.ui.toasts import NOTICE_ID
from tests.ui.keys import burst, on_top, press_settled
from tests.ui.test_builder_decided import CONSIDERING, SIZE, a_bare_draft


async def test_keys_typed_before_the_question_came_up_do_not_answer_it(db: Path) -> None:
    a_bare_draft(db)
    app = create_app(str(db), "priya.raman")
    async with app.run_test(size=SIZE) as pilot:
        await on_top(pilot, RestrictionBuilderScreen(CONSIDERING))
        views = Consultation.select().count()
        await burst(pilot, "c", *"typed y text")
        question = app.screen
        assert isinstance(question, AskDialog), type(question).__name__
        assert "rests on no evidence" in str(question.query_one("#ask-question").render())
        # Said inside the question (a notice in a dialog stands on its notice line).
        notice = " ".join(str(question.query_one(f"#{NOTICE_ID}").render()).split())
        assert EARLY in notice, notice
        assert Consultation.select().count() == views
        # A key pressed once it is on screen answers it.
        await press_settled(pilot, "y")
        assert isinstance(app.screen, ConsultationDialog), type(app.screen).__name__
