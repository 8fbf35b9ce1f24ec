"""A question that comes up of itself is answered only by keys pressed while it is on screen
(t15c finding 10: `c` and a view typed at once met "…rests on no evidence. Record the Head
of Service's view anyway?" first, and the `y` of "typed" answered it)."""

from __future__ import annotations

from pathlib import Path

from crm_tui.db.models import Case, Consultation
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.choose import ChooseDialog
from crm_tui.ui.dialogs.consultation import ConsultationDialog
from crm_tui.ui.dialogs.question_keys import EARLY
from crm_tui.ui.screens.referral_form import ReferralFormScreen
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from crm_tui.ui.toasts import NOTICE_ID
from tests.ui.keys import burst, on_top, press_settled, settle
from tests.ui.test_builder_decided import CONSIDERING, SIZE, a_bare_draft
from tests.ui.test_inbox import SIZE as REFERRAL_SIZE
from tests.ui.test_inbox import fill_referral


async def test_keys_typed_before_the_question_came_up_do_not_answer_it(db: Path) -> None:
    a_bare_draft(db)
    app = create_app(str(db), "priya.raman")
    async with app.run_test(size=SIZE) as pilot:
        await on_top(pilot, RestrictionBuilderScreen(CONSIDERING))
        views = Consultation.select().count()
        await burst(pilot, "c", *"typed y text")
        question = app.screen
        assert isinstance(question, AskDialog), type(question).__name__
        assert "rests on no linked evidence" in str(question.query_one("#ask-question").render())
        # Said inside the question (a notice in a dialog stands on its notice line).
        notice = " ".join(str(question.query_one(f"#{NOTICE_ID}").render()).split())
        assert EARLY in notice, notice
        assert Consultation.select().count() == views
        # A key pressed once it is on screen answers it.
        await press_settled(pilot, "y")
        assert isinstance(app.screen, ConsultationDialog), type(app.screen).__name__


async def test_enter_typed_with_the_save_does_not_say_which_person(db: Path) -> None:
    """The same for the question that comes up after `ctrl+s` on a referral whose customer is
    likely one on record: an `Enter` sent with the save does not choose "The same person"."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=REFERRAL_SIZE) as pilot:
        await settle(pilot)
        for keys in (("ctrl+s",), ("ctrl+s", "enter")):  # then the first's customer is known
            await press_settled(pilot, "n")
            assert isinstance(app.screen, ReferralFormScreen)
            await fill_referral(pilot)
            cases = Case.select().count()
            await burst(pilot, *keys)
        question = app.screen
        assert isinstance(question, ChooseDialog), type(question).__name__
        assert Case.select().count() == cases
        # Pressed while it is on screen, Enter alone chooses nothing: an arrow first (v15f N0).
        await press_settled(pilot, "enter")
        assert isinstance(app.screen, ChooseDialog) and Case.select().count() == cases
        await press_settled(pilot, "down", "enter")  # it chooses
        assert Case.select().count() == cases + 1
