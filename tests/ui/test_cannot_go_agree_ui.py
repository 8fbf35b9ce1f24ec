"""Issue 15 (fixAU3 U1) in the app: the demo's UPV-2025-0005 varied, its decision letter
signed on 28 November 2026 and never posted, past its last day to appeal on 2 February 2027.
The case's next action is to sign the decision letter again; the calendar (`d`) had no entry
for it, as it has for an invitation to comment to sign again. Now it shows it, due that day."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable

from crm_tui.db.models import Case
from crm_tui.domain.letters import LetterKind
from crm_tui.services.core import confirmation
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import issuing
from crm_tui.services.restrictions import builder, decisions
from crm_tui.services.reviews.calendar import Obligation
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.calendar import CalendarScreen
from tests import builders
from tests.builders import TOLD
from tests.demo_outcome_unposted import APPEALED, STARTS, outcome_signed_not_posted
from tests.ui.keys import press_settled, settle

ON = date(2027, 2, 2)  # past the letter's last day to appeal


@pytest.fixture
def varied(db: Path, tmp_path: Path) -> int:
    """The variation's letter signed on 28 November 2026, not posted: its number."""
    outcome_signed_not_posted(tmp_path / "out", db, then="nothing")
    crm = resolve_actor("ceri.hughes")
    with confirmation.given(DEMO_PASSPHRASE):
        builder.redraft_in_force(crm, APPEALED)
        decisions.vary_restrictions(crm, APPEALED, "Shorter", DecisionTerms(
            starts_on=STARTS, ends_on=date(2027, 10, 1)), read=builders.read(APPEALED),
            customer_reason=TOLD)
    return issuing.sign_and_export(crm, APPEALED, LetterKind.EXTENSION_DECISION,
                                   tmp_path / "varied", DEMO_PASSPHRASE).letter_id


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
