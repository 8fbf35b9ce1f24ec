"""fixAI AI1: the demo's UPV-2025-0005, its restrictions varied and the variation's letter
prepared, not signed; then the restrictions lifted and the lifting letter signed. The draft
tells of terms no longer in force. It was listed "waiting to be signed" in the Letters area
(s and A offered) and a plain "draft" in the case's letters (W). Now W lists it "superseded by
N" and says why above its words, and the Letters area has it in the register, not waiting: s
and A sign nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from crm_tui.db.models import Letter
from crm_tui.domain.letters import LetterKind
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from crm_tui.ui.screens.letters_area import LettersScreen
from crm_tui.ui.widgets.fitted_table import FittedTable
from tests.ui.keys import on_top, press_settled, settle, shown_keys
from tests.ui.letters_register import register_detail
from tests.unit.services.test_superseded_decision_draft import CASE, draft_then_later

SIZE = (200, 50)


@pytest.fixture
def letters(db: Path, tmp_path: Path) -> tuple[int, int]:
    """Outside the test's event loop: signing runs one of its own."""
    return draft_then_later(tmp_path / "out", "lift", db)


async def test_a_decision_draft_the_lift_superseded_is_in_w_superseded_and_never_signed(
        db: Path, letters: tuple[int, int]) -> None:
    draft, lifted = letters
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen(CASE))
        assert LetterKind.EXTENSION_DECISION not in screen.kinds
        assert screen.kinds == [] and screen.in_register
        register = screen.query_one("#register", FittedTable)
        rows = [[str(cell) for cell in register.row_cells(i)] for i in range(register.row_count)]
        ours = next(i for i, row in enumerate(rows) if row[0] == str(draft))
        assert rows[ours][-1] == f"superseded by {lifted}", rows[ours]
        for _ in range(ours - register.cursor_row):
            await press_settled(pilot, "down")
        assert screen.entry is not None and screen.entry.id == draft
        shown = " ".join(str(screen.query_one("#letter-text", Static).render()).split())
        assert shown.startswith("Superseded: the restrictions were lifted on"), shown[:300]
        assert f"(letter {lifted}) tells the customer" in shown, shown[:300]
        # The Letters area: not waiting; s and A sign nothing.
        area = await on_top(pilot, LettersScreen())
        assert draft not in {e.id for e in area.waiting}
        assert "s" not in shown_keys(app) and "A" not in shown_keys(app)
        await press_settled(pilot, "s")
        await press_settled(pilot, "A")
        assert app.screen is area  # no question, no passphrase
        said = await register_detail(pilot, area, draft, f"superseded by {lifted}")
        assert f"(letter {lifted}) tells the customer" in said, said
    assert Letter.get(Letter.id == draft).status == "draft"
