"""A question that comes up of itself is answered only by keys pressed while it is on screen
(t15c finding 10: `c` and a view typed at once met "…rests on no evidence. Record the Head
of Service's view anyway?" first, and the `y` of "typed" answered it)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from crm_tui.db.models import Case, Consultation
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs import question_keys
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
from tests.ui.test_problems_stay_ui import open_referral


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


# At typing speed (v15f N1): keys typed on, one every 0.08 s, after the key that brought the
# question up. The question's clock is driven here (question_keys.now), not waited for.
TYPING = 0.08


class Clock:
    """The clock the question reads, moved on by the test as a person's keys come."""

    def __init__(self) -> None:
        self.at = 1000.0

    def __call__(self) -> float:
        return self.at


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The real reading time (not the suite's 0), on a clock the test moves."""
    moved = Clock()
    monkeypatch.setattr(question_keys, "now", moved)
    monkeypatch.setattr(question_keys, "QUESTION_GRACE", 0.4)
    return moved


async def typed_on(pilot: Pilot[Any], clock: Clock, keys: Iterable[str],
                   every: float = TYPING) -> None:
    """Each key `every` seconds after the last, as a person types without looking up."""
    for key in keys:
        clock.at += every
        await pilot.press(key)
    await settle(pilot)


def bells(app: App[Any]) -> list[None]:
    rung: list[None] = []
    app.bell = lambda: rung.append(None)  # type: ignore[method-assign]
    return rung


def said(app: App[Any]) -> list[str]:
    """Every message the app is told to give from now on (in a dialog it stands on the
    dialog's notice line, not among the toasts)."""
    messages: list[str] = []
    notify = app.notify

    def noted(message: str, **kwargs: Any) -> None:
        messages.append(message)
        notify(message, **kwargs)

    app.notify = noted  # type: ignore[method-assign]
    return messages


async def test_a_view_typed_on_at_typing_speed_does_not_answer_the_question(
        db: Path, clock: Clock) -> None:
    """`c`, Tab, then the view a key every 0.08 s: the `y` of "typed" came after the question
    and answered it, and the view was lost (v15f N1)."""
    a_bare_draft(db)
    app = create_app(str(db), "priya.raman")
    async with app.run_test(size=SIZE) as pilot:
        await on_top(pilot, RestrictionBuilderScreen(CONSIDERING))
        rung, messages = bells(app), said(app)
        views = Consultation.select().count()
        keys = ["tab", *"Some view typed here"]
        await typed_on(pilot, clock, ["c", *keys])
        question = app.screen
        assert isinstance(question, AskDialog), type(question).__name__
        assert "rests on no linked evidence" in str(question.query_one("#ask-question").render())
        assert Consultation.select().count() == views
        # Every key typed on rang the bell; the reason was said once, not a toast a key.
        assert len(rung) == len(keys), len(rung)
        assert messages.count(EARLY) == 1, messages
        # After a pause to read it, `y` answers it.
        clock.at += 0.5
        await press_settled(pilot, "y")
        assert isinstance(app.screen, ConsultationDialog), type(app.screen).__name__


async def test_typing_on_after_esc_does_not_discard_the_referral(
        db: Path, clock: Clock) -> None:
    """The referral form: a name typed, Esc, and the typing goes on (" is ready"): its `y`
    answered "Discard the referral you typed?" and the form was lost (v15f N1)."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=REFERRAL_SIZE) as pilot:
        form = await open_referral(pilot)
        messages = said(app)
        await typed_on(pilot, clock, "Mrs Ann Ex")
        assert form.query_one("#name", Input).value == "Mrs Ann Ex"
        await typed_on(pilot, clock, ["escape"])
        question = app.screen
        assert isinstance(question, AskDialog) and question.question == (
            "Discard the referral you typed?"), type(question).__name__
        await typed_on(pilot, clock, " is ready", every=0.15)
        assert app.screen is question
        assert messages.count(EARLY) == 1, messages
        # The name is kept, in the form still open under the question; `n` after a pause
        # goes back to it.
        assert form.query_one("#name", Input).value == "Mrs Ann Ex"
        clock.at += 0.5
        await press_settled(pilot, "n")
        assert app.screen is form
        assert form.query_one("#name", Input).value == "Mrs Ann Ex"


async def test_a_key_pressed_after_reading_the_question_answers_it(
        db: Path, clock: Clock) -> None:
    """No typing before it: a `y` 0.5 s after the question came up answers it; one 0.3 s
    after is too soon (and rings the bell), and the next, after a pause, answers."""
    a_bare_draft(db)
    app = create_app(str(db), "priya.raman")
    async with app.run_test(size=SIZE) as pilot:
        await on_top(pilot, RestrictionBuilderScreen(CONSIDERING))
        await press_settled(pilot, "c")
        question = app.screen
        assert isinstance(question, AskDialog), type(question).__name__
        clock.at += 0.3
        await press_settled(pilot, "y")
        assert app.screen is question
        clock.at += 0.5
        await press_settled(pilot, "y")
        assert isinstance(app.screen, ConsultationDialog), type(app.screen).__name__
        await press_settled(pilot, "escape")  # nothing typed in it: it closes unasked
        assert isinstance(app.screen, RestrictionBuilderScreen), type(app.screen).__name__
        clock.at += 1.0
        await press_settled(pilot, "c")
        assert isinstance(app.screen, AskDialog), type(app.screen).__name__
        clock.at += 0.5
        await press_settled(pilot, "y")
        assert isinstance(app.screen, ConsultationDialog), type(app.screen).__name__


async def test_keys_typed_with_x_do_not_discard_a_draft(db: Path) -> None:
    """"Discard … restriction?" is a question too: `Down Enter` typed with the `x` that asks
    it (meant for the list below, or typed on) does not choose "Yes, discard this draft"."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_top(pilot, RestrictionBuilderScreen(CONSIDERING))
        assert screen.view is not None
        drafts = len(screen.view.drafts)
        await burst(pilot, "x", "down", "enter")
        question = app.screen
        assert isinstance(question, ChooseDialog), type(question).__name__
        assert question._title.startswith("Discard "), question._title
        await press_settled(pilot, "escape")
        assert app.screen is screen and len(screen.view.drafts) == drafts
