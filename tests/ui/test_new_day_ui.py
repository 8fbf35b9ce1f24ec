"""An app left open overnight shows the new day's facts: when the day turns it does what a start
does (the letters owed worked out again, the check that ends restrictions due) and every
screen reads itself again (ui/new_day.py). Found when tried (issue 15: "a screen that showed
yesterday's facts"): the next action of a case whose invitation to comment could no longer go
changed only at the next start.

The demo's UPV-2025-0003, its invitation to comment signed on 23 November 2026 giving 11
December, left unposted: on the 23rd it can still go (14 working days to the 11th), on the
24th it can no longer go and is to be signed again (issue 15 AO1, AO2)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from crm_tui import clock
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.screens.case_file import CaseFileScreen
from tests.demo_invitation_waiting import CASE, invitation_unposted
from tests.ui.keys import on_top, settle

SIGN_AGAIN = "Sign the invitation to comment"


@pytest.fixture
def db(db: Path) -> Path:
    invitation_unposted(db)
    return db


async def test_the_case_file_left_open_overnight_shows_the_new_days_next_action(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(CrmApp, "DAY_LOOKED_AT_EVERY", 0.1)
    # The day each check that ends restrictions due was made on: one at start (two seconds
    # in), one when the day turns.
    housekeeping: list[date] = []
    monkeypatch.setattr(CrmApp, "expire_ended", lambda self: housekeeping.append(clock.today()))
    with clock.travel_to(datetime(2026, 11, 23, 16, 0)):
        app = create_app(str(db), "ceri.hughes")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            case_file = await on_top(pilot, CaseFileScreen(CASE))
            assert case_file.data is not None
            assert case_file.data.summary.next_action != SIGN_AGAIN
            await pilot.pause(0.5)
            assert set(housekeeping) <= {date(2026, 11, 23)}, "the day has not turned"
            with clock.travel_to(datetime(2026, 11, 24, 8, 30)):
                for _ in range(100):  # bounded: 10 s
                    await pilot.pause(0.1)
                    data = case_file.data
                    if data is not None and data.summary.next_action == SIGN_AGAIN:
                        break
                assert case_file.data is not None
                summary = case_file.data.summary
                assert summary.next_action == SIGN_AGAIN, summary.next_action
                assert date(2026, 11, 24) in housekeeping, "no check made on the new day"
                shown = " ".join(str(w.render()) for w in case_file.query("Static"))
                assert SIGN_AGAIN in shown
