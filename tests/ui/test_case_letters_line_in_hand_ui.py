"""v18 AT2 (issue 15): `W` opens with the focus on the letters the case calls for (the appeal
outcome letter not yet issued): the footer offers s/p for it and the preview shows it, but the
line under the register said "Letter 8 · Decision to restrict contact · … posted …", the
register's highlighted letter, out of hand. The line says what is in hand, and follows the
focus to the register (Tab) and back."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from tests.demo_outcome_unposted import APPEALED, outcome_signed_not_posted
from tests.ui.keys import on_top, press_settled, settle


@pytest.fixture
def decided(db: Path, tmp_path: Path) -> Path:
    """The appeal decided, its outcome letter not yet prepared nor signed."""
    outcome_signed_not_posted(tmp_path, db, then="nothing")
    return db


def _line(screen: CaseLettersScreen) -> str:
    return " ".join(str(screen.query_one("#register-row", Static).render()).split())


async def test_the_line_under_the_register_says_the_letter_in_hand(decided: Path) -> None:
    app = create_app(str(decided), "gareth.bell")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = await on_top(pilot, CaseLettersScreen(APPEALED))
        await settle(pilot)
        assert not screen.in_register and screen.highlighted is not None
        assert screen.query_one("#register-row").display
        line = _line(screen)
        assert line == ("Appeal outcome letter · not issued yet, shown as it would be issued "
                        "today"), line
        assert "Letter " not in line and "posted" not in line, line
        await press_settled(pilot, "tab")
        assert screen.in_register and screen.entry is not None
        line = _line(screen)
        assert line.startswith(f"Letter {screen.entry.id} · "), line
        await press_settled(pilot, "shift+tab")
        assert not screen.in_register
        assert _line(screen).startswith("Appeal outcome letter · "), _line(screen)
