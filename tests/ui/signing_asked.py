"""Signing a case's decision letter from its letters (W): `s` asks first, and `n` signs
nothing. The steps the Pilot tests of that question share."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from crm_tui.db.models import Case, Letter
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from tests.ui.keys import settle


def issued(case: str) -> int:
    """How many of the case's letters are signed and issued."""
    return Letter.select().join(Case).where((Case.reference == case)
                                            & (Letter.status == "issued")).count()


async def sign_asked(pilot: Pilot[Any], case: str) -> str:
    """The case's letters open, the cursor down on the decision letter, `s` pressed: the
    question it asks (in an AskDialog), its lines joined with single spaces."""
    app = pilot.app
    await settle(pilot)
    app.push_screen(CaseLettersScreen(case))
    await settle(pilot)
    await pilot.press("down")  # the decision letter
    await settle(pilot)
    await pilot.press("s")
    await settle(pilot)
    assert isinstance(app.screen, AskDialog)
    return " ".join(str(app.screen.query_one("#ask-question").render()).split())


async def signed_nothing(pilot: Pilot[Any], case: str) -> None:
    """`n` to the question: back on the case's letters, none of its letters issued."""
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CaseLettersScreen)
    assert issued(case) == 0
