"""The Letters area's register, read as a user reads it: a letter's row and its detail line."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Static

from crm_tui.ui.screens.letters_area import LettersScreen
from tests.ui.keys import settle


async def register_detail(pilot: Pilot[None], area: LettersScreen, letter: int,
                          status: str) -> str:
    """Letter `letter` is in the register with `status`; the cursor put on it, the detail
    line under the register is what this returns."""
    row = next(i for i, e in enumerate(area.issued) if e.id == letter)
    assert area.issued[row].shown_status == status
    table = area.query_one("#issued")
    table.focus()
    table.move_cursor(row=row)  # type: ignore[attr-defined]
    await settle(pilot)
    area.detail()
    await settle(pilot)
    return str(area.query_one("#letters-detail", Static).render())
