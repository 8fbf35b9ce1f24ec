"""Issue 15 (fixAU3 U1, U3) in the app: the demo's UPV-2025-0005 varied, its decision letter
signed on 28 November 2026 and never posted, past its last day to appeal on 2 February 2027.
The case's next action is to sign the decision letter again; the calendar (`d`) had no entry
for it, as it has for an invitation to comment to sign again. Now it shows it, due that day.
U3: the customer appealed against the variation before its letter went; W offers no new one,
and its register says what the post run says of the letter."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from crm_tui.db.models import Case
from crm_tui.domain.letters import LetterKind
from crm_tui.services.reviews.calendar import Obligation
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.calendar import CalendarScreen
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from tests.demo_outcome_unposted import APPEALED, variation_unposted
from tests.ui.keys import on_top, press_settled, settle
from tests.ui.letters_register import down_the_register_to
from tests.unit.services.test_cannot_go_agree_cli import INSTEAD, varied_then_appealed

ON = date(2027, 2, 2)  # past the letter's last day to appeal


@pytest.fixture
def varied(db: Path, tmp_path: Path) -> int:
    """The variation's letter signed on 28 November 2026, not posted: its number."""
    return variation_unposted(tmp_path / "varied", db)


async def test_the_calendar_shows_the_decision_letter_to_sign_again_today(
        db: Path, varied: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRM_TUI_NOW", f"{ON.isoformat()}T10:00:00")
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        case = Case.get(Case.reference == APPEALED)
        assert case.next_action == "Sign the decision letter"
        assert case.next_action_due == ON, case.next_action_due
        await press_settled(pilot, "d", "0")
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        assert screen.selected == ON
        assert screen.view is not None
        assert (APPEALED, Obligation.LETTER_AGAIN) in {
            (i.reference, i.kind) for i in screen.view.by_day.get(ON, [])}
        await press_settled(pilot, "enter")  # the day's items
        agenda = screen.query_one("#agenda", DataTable)
        rows = [" ".join(str(c) for c in agenda.get_row_at(i)) for i in range(agenda.row_count)]
        assert any("Sign the decision letter" in r and APPEALED in r for r in rows), rows
        # Not also overdue: it is due today, the day it is owed again.
        assert not any(i.reference == APPEALED and i.kind is Obligation.LETTER_AGAIN
                       for i in screen.view.overdue)


@pytest.fixture
def appealed_unposted(db: Path, tmp_path: Path) -> int:
    """The variation's letter signed and never posted, the customer appealing against the
    variation the same day (fixAU3 U3): its number."""
    return varied_then_appealed(tmp_path / "out", db)


async def test_w_says_what_the_post_run_says_where_no_new_letter_is_offered(
        db: Path, appealed_unposted: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """U3 by keys: W's register and its offer say what the post run says of the letter."""
    letter = appealed_unposted
    monkeypatch.setenv("CRM_TUI_NOW", f"{ON.isoformat()}T10:00:00")
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        await on_top(pilot, CaseFileScreen(APPEALED))
        await press_settled(pilot, "W")
        screen = app.screen
        assert isinstance(screen, CaseLettersScreen)
        # W's own offer: no new decision letter (the customer has appealed).
        assert LetterKind.EXTENSION_DECISION not in screen.kinds
        assert LetterKind.DECISION not in screen.kinds
        waiting = next(u for u in screen.unposted if u.id == letter)
        assert waiting.write_again == INSTEAD, waiting.write_again
        register = await down_the_register_to(pilot, screen, letter)
        assert str(register.get_row(str(letter))[-1]) == "can no longer go"
        said = " ".join(str(screen.query_one("#letter-text", Static).render()).split())
        assert INSTEAD in said and "signed again" not in said, said
