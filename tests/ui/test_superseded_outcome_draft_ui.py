"""v15n AC3, AC4: the demo's UPV-2025-0005, its appeal outcome letter prepared and not
signed, then the restrictions varied and the variation's letter signed. Home counted the
draft "waiting to be signed", the Letters area listed it under "Waiting to be signed" with
s and A offered, and its detail line said plain "superseded". Now it is in the register,
"superseded by N", and the detail line says why."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.home import HomeScreen
from crm_tui.ui.screens.letters_area import LettersScreen
from tests.ui.keys import on_top, settle, shown_keys
from tests.ui.letters_register import register_detail
from tests.unit.services.test_superseded_outcome_draft import draft_then_variation_signed

SIZE = (200, 50)


@pytest.fixture
def letters(db: Path, tmp_path: Path) -> tuple[int, int]:
    """Outside the test's event loop: signing runs one of its own."""
    return draft_then_variation_signed(tmp_path / "out", db)


async def test_a_superseded_outcome_draft_is_listed_in_the_register_not_waiting(
        db: Path, letters: tuple[int, int]) -> None:
    draft, varied = letters
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = await on_top(pilot, HomeScreen())
        await settle(pilot)
        notice = str(home.query_one("#prepared-notice", Static).render())
        assert "waiting to be signed" not in notice, notice
        screen = await on_top(pilot, LettersScreen())
        assert draft not in {e.id for e in screen.waiting}
        assert "s" not in shown_keys(app) and "A" not in shown_keys(app)
        said = await register_detail(pilot, screen, draft, f"superseded by {varied}")
        assert f"superseded by {varied}" in said, said
        assert f"(letter {varied}) tells the customer" in said, said
