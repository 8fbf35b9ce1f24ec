"""Issue 15 (fixBB BB1): the review calendar's overdue list left out the next actions the
inbox marked overdue but for reviews, replies and appeals ("Begin consideration", "Head of
Service view due"…). By keys: the inbox's overdue cases are each on the calendar's agenda,
in the inbox's words, and Enter on one opens its case."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from textual.widgets import DataTable

from crm_tui import clock
from crm_tui.db.models import Case
from crm_tui.services.core.database import session
from crm_tui.services.intake import inbox
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.calendar import CalendarScreen
from crm_tui.ui.screens.case_file import CaseFileScreen
from tests.demo_outcome_unposted import APPEALED, outcome_signed_not_posted
from tests.ui.keys import press_settled, settle

SIZE = (140, 40)
LATER = datetime(2026, 12, 20, 10)  # the demo's new referrals and the view awaited overdue


def _rows(table: DataTable) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(str(table.get_row_at(i)[1]), str(table.get_row_at(i)[2]))
            for i in range(table.row_count)]


async def test_the_inbox_s_overdue_cases_are_on_the_agenda_and_open_by_enter(
        db: Path) -> None:
    with clock.travel_to(LATER):
        app = create_app(str(db), "ceri.hughes", demo=True)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            with session():
                rows = inbox.page(app.actor, inbox.InboxFilter(), size=1000).rows
            late = {(r.next_action, r.reference) for r in rows if r.overdue}
            wanted = {(a, r) for a, r in late
                      if a in ("Begin consideration", "Head of Service view due")}
            assert len(wanted) >= 2, late  # the premise: both kinds overdue in the demo
            await pilot.press("d")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, CalendarScreen)
            shown = set()
            for name in ("#agenda", "#ahead"):
                shown |= set(_rows(screen.query_one(name, DataTable)))
            assert wanted <= shown, (wanted, shown)
            assert {r for _, r in late} <= {r for _, r in shown}
            # Tab reaches the agenda; Enter on the new referral opens its case.
            action, reference = sorted(wanted)[0]
            table = next(t for t in (screen.query_one("#agenda", DataTable),
                                     screen.query_one("#ahead", DataTable))
                         if (action, reference) in _rows(t))
            for _ in range(6):
                if table.has_focus:
                    break
                await pilot.press("tab")
            assert table.has_focus
            table.move_cursor(row=_rows(table).index((action, reference)))
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, CaseFileScreen)
            assert app.screen.reference == reference



OWED_AGAIN = "2027-02-03T10:00:00"  # the outcome letter's start date (1 February) passed


@pytest.fixture
def outcome_signed(db: Path, tmp_path: Path) -> int:
    """The demo's appeal upheld in part, to start on 1 February 2027: its outcome letter
    signed on 28 November 2026 and never posted."""
    return outcome_signed_not_posted(tmp_path / "out", db)


async def test_an_outcome_letter_owed_again_is_on_today_s_agenda(
        db: Path, outcome_signed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """BB2: an appeal outcome letter signed, never posted, that can no longer go (the day
    the restrictions start, which it gives, has passed) is on the calendar the day it is
    owed again, as a decision letter is: "Sign the appeal outcome letter", due today."""
    monkeypatch.setenv("CRM_TUI_NOW", OWED_AGAIN)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        case = Case.get(Case.reference == APPEALED)
        today = clock.today()
        assert (case.next_action, case.next_action_due) == (
            "Sign the appeal outcome letter", today), (case.next_action, case.next_action_due)
        await press_settled(pilot, "d", "0", "enter")  # today's items
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        assert screen.selected == today
        agenda = _rows(screen.query_one("#agenda", DataTable))
        assert ("Sign the appeal outcome letter", APPEALED) in agenda, agenda
