"""fixAH AH3 (issue 15): the case's letter register (`W`) at 100 and at 140 columns cut
"superse…" and "Decision to restr…" to keep every column. Its columns are as wide as their
content, whole: the letter and its status first, the columns of least use left out when the
register is narrow, and said in the line under it for the letter in hand. A variation's letter
is named by what it is ("Decision to change"), not "Extend/vary decision"."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from crm_tui.ui.widgets.fitted_table import FittedTable
from tests.demo_outcome_unposted import APPEALED, varied_after_outcome
from tests.ui.keys import on_top, press_settled, settle


@pytest.fixture
def letters(db: Path, tmp_path: Path) -> tuple[Path, int, int]:
    """The outcome letter superseded by the variation's, both signed (outside the test's
    event loop: signing runs one of its own)."""
    return (db, *varied_after_outcome(tmp_path, db))


@pytest.mark.parametrize(("size", "shown"), [
    ((100, 30), ["id", "kind", "status"]),
    ((140, 40), ["id", "kind", "dated", "status"]),
    ((200, 50), ["id", "kind", "dated", "appeal", "status"])])
async def test_the_register_shows_its_letters_and_their_status_whole(
        letters: tuple[Path, int, int], size: tuple[int, int], shown: list[str]) -> None:
    db, outcome, varied = letters
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen(APPEALED))
        await settle(pilot)
        register = screen.query_one("#register", FittedTable)
        assert register.shown_columns == shown, register.shown_columns
        rows = {str(register.row_cells(i)[0]): [str(c) for c in register.row_cells(i)]
                for i in range(register.row_count)}
        assert rows[str(varied)][1] == "Decision to change"
        assert rows[str(outcome)][4] == f"superseded by {varied}"
        assert not register.cuts(*shown), register._layout  # every column shown is whole
        # The letter in hand, whole, in the line under the register while a column is left out.
        await press_settled(pilot, "tab")
        assert screen.in_register and screen.entry is not None
        line = " ".join(str(screen.query_one("#register-row", Static).render()).split())
        if len(shown) < 5:
            assert screen.query_one("#register-row").display
            assert f"Letter {screen.entry.id} · " in line, line
            assert "appeal by" in line or screen.entry.appeal_by is None, line
        else:
            assert not screen.query_one("#register-row").display
