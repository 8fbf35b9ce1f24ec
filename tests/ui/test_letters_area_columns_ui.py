"""fixAL AL2: the Letters area (`l`) at 100 columns cut every letter's status to "posted …" and
its name to "Decision to restrict c…". Its columns are shown whole or not at all, as W's
register: in a narrow terminal the letter is named short, its dates and status short
("posted"), and the line under the list gives the letter in hand in full (its dates and status
with the day it was posted). No cell is cut at 100x30 nor at 200x50."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.letters_area import LettersScreen
from crm_tui.ui.widgets.fitted_table import FittedTable
from tests.ui.keys import press_settled, settle


@pytest.mark.parametrize(("size", "shown", "status", "kind"), [
    ((100, 30), ["id", "case", "kind", "dated", "appeal", "status"], "posted",
     "Decision to restrict"),
    ((200, 50), ["id", "case", "kind", "dated", "appeal", "status", "who"],
     "posted 8 Nov 2026", "Decision to restrict contact")])
async def test_the_letters_area_shows_each_letter_and_its_status_whole(
        db: Path, size: tuple[int, int], shown: list[str], status: str, kind: str) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await press_settled(pilot, "l")
        screen = app.screen
        assert isinstance(screen, LettersScreen)
        register = screen.query_one("#issued", FittedTable)
        assert register.shown_columns == shown, register.shown_columns
        assert not register.cuts(*shown), register._layout  # every column shown is whole
        rows = {str(register.row_cells(i)[0]): [str(c) for c in register.row_cells(i)]
                for i in range(register.row_count)}
        decided = next(e for e in screen.issued if e.kind.value == "decision"
                       and e.posted_on is not None and e.posted_on.day == 8)
        assert rows[str(decided.id)][2] == kind
        assert rows[str(decided.id)][5] == status
        # The letter in hand in full under the list: its day posted, its dates.
        await press_settled(pilot, "tab")
        register.move_cursor(row=screen.issued.index(decided))
        await settle(pilot)
        line = " ".join(str(screen.query_one("#letters-detail", Static).render()).split())
        assert (f"{decided.id}. Decision to restrict contact · {decided.reference}"
                in line), line
        assert "posted 8 Nov 2026" in line, line
        if size[0] < 130:
            assert "dated 08 Nov 2026 · appeal by 16 Dec 2026" in line, line
