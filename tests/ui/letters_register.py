"""The registers of letters, read as a user reads them: the Letters area's (a letter's row and
its detail line) and a case's letters (W: the cursor on a letter, `r` refused on it)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from crm_tui.db.models import AuditEntry
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from crm_tui.ui.screens.letters_area import LettersScreen
from tests.ui.keys import press_settled, settle


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


async def down_the_register_to(pilot: Pilot[Any], screen: CaseLettersScreen,
                               letter: int) -> DataTable[Any]:
    """In a case's letters (W), on top, by keys only: Tab to the register, then down it to
    letter `letter`. The register."""
    register = screen.query_one("#register", DataTable)
    for _ in range(4):  # Tab to the register
        if screen.focused is register:
            break
        await press_settled(pilot, "tab")
    assert screen.focused is register
    for _ in range(len(screen.entries)):  # down the register to the letter
        if screen.entry is not None and screen.entry.id == letter:
            break
        await press_settled(pilot, "down")
    assert screen.entry is not None and screen.entry.id == letter
    return register


async def case_letter_chosen(pilot: Pilot[Any], screen: CaseLettersScreen,
                             letter: int) -> None:
    """In a case's letters (W), on top: the cursor on letter `letter` in the register (tab
    to it first, where the screen opened on the letters to write)."""
    if not screen.in_register:
        await pilot.press("tab")  # to the register
        await settle(pilot)
    row = next(i for i, e in enumerate(screen.entries) if e.id == letter)
    screen.query_one("#register", DataTable).move_cursor(row=row)
    await settle(pilot)
    entry = screen.entry
    assert entry is not None and entry.id == letter, entry


async def r_refused(pilot: Pilot[Any], screen: CaseLettersScreen) -> str:
    """`r` pressed on the letter chosen: it opens nothing (no form, no signing question) and
    writes nothing to the trail, and says why at once. What it said, on one line."""
    entries, before = AuditEntry.select().count(), len(pilot.app._notifications)
    await pilot.press("r")
    await settle(pilot)
    assert pilot.app.screen is screen  # no form, no signing question
    assert len(pilot.app._notifications) > before, "r said nothing"
    assert AuditEntry.select().count() == entries
    return " ".join(str(list(pilot.app._notifications)[-1].message).split())
