"""The decision form opened as a person opens it: the builder of a case, then D (the case made
ready first, for example by tests.demo_decided.ready_to_decide)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from crm_tui.ui.dialogs.decision import DecisionDialog
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests.demo_decided import CONSIDERING
from tests.ui.keys import settle


async def decision_opened(pilot: Pilot[Any], ref: str = CONSIDERING) -> DecisionDialog:
    """The builder of `ref` on top, D pressed: the decision form it opened."""
    await settle(pilot)
    pilot.app.push_screen(RestrictionBuilderScreen(ref))
    await settle(pilot)
    await pilot.press("D")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, DecisionDialog), type(dialog).__name__
    return dialog
