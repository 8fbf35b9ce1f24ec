"""The decision form opened as a person opens it: the builder of a case, then D (the case made
ready first, for example by tests.demo_decided.ready_to_decide); and an appeal's amend form:
the case file, then A, "upheld in part"."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import TextArea

from crm_tui.ui.dialogs.decision import DecisionDialog
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen
from tests.demo_decided import CONSIDERING
from tests.ui.keys import on_top, press_settled, settle


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


async def amend_opened(pilot: Pilot[Any], ref: str, reason: str | None = None,
                       told: str | None = None) -> DecisionDialog:
    """The case file of `ref` (under appeal) on top, A pressed and "upheld in part" chosen:
    the amend form it opened, with `reason` and `told` (the customer's reason) filled in
    where given."""
    await on_top(pilot, CaseFileScreen(ref))
    await press_settled(pilot, "A", "down", "enter")  # upheld in part
    dialog = pilot.app.screen
    assert isinstance(dialog, DecisionDialog), type(dialog).__name__
    if reason is not None:
        dialog.query_one("#reason", TextArea).text = reason
    if told is not None:
        dialog.query_one("#customer_reason", TextArea).text = told
    return dialog
