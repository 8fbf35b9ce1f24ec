"""The case's letters (W) of the demo case whose appeal outcome letter was signed and not
posted (tests/demo_outcome_unposted.py), as the CRM reaches them: the case file first, its
next action read, then W; and P refused there, saying why at once."""

from __future__ import annotations

from textual.app import App
from textual.pilot import Pilot

from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from tests.demo_outcome_unposted import APPEALED
from tests.ui.keys import on_top, press_settled, settle, shown_keys


async def letters_from_the_case_file(app: App[object], pilot: Pilot[object],
                                     next_action: str) -> CaseLettersScreen:
    """The case file open, saying `next_action`; then W."""
    await settle(pilot)
    case_file = await on_top(pilot, CaseFileScreen(APPEALED))
    assert case_file.data is not None
    assert case_file.data.summary.next_action == next_action
    await press_settled(pilot, "W")
    screen = app.screen
    assert isinstance(screen, CaseLettersScreen)
    return screen


async def p_refused(app: App[object], pilot: Pilot[object], screen: CaseLettersScreen,
                    said: str) -> None:
    """P not offered in the footer, and pressed, refused at once with `said` in a notice."""
    assert "P" not in shown_keys(app)
    await press_settled(pilot, "P")
    assert app.screen is screen
    told = [n.message for n in app._notifications]
    assert any(said in m for m in told), told
