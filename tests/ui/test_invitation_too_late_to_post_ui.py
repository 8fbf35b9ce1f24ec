"""Issue 15 AO1, AO2 in the app: the demo's UPV-2025-0003, its invitation to comment signed on
23 November 2026 giving 11 December, left unposted. On the suite's day (28 November) it leaves
the customer less than the reply-by period (14 working days: 17 December), so it can no longer
go: P in the case's letters (W) says so and what to do, the Letters area's Post today leaves it
out saying why, and the case file's next action is to sign it again, due that day (issue 15
AS3) (it said "Customer's comments due" by 11 December; P posted it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_tui.db.models import Case, Letter
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.post_today import PostTodayDialog
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from crm_tui.ui.screens.letters_area import LettersScreen
from tests.demo_invitation_waiting import CASE, invitation_unposted
from tests.ui.keys import on_top, press_settled, settle

SIZE = (100, 30)
WHY = "it gives 11 December 2026 as the last day for comments, less than the 14 working days"


@pytest.fixture
def db(db: Path) -> Path:
    invitation_unposted(db)
    return db


def _said(app: object) -> str:
    return " ".join(n.message for n in app._notifications)  # type: ignore[attr-defined]


async def test_the_case_asks_for_it_again_and_p_refuses_to_post_it(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")  # opening works the next actions out again
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        case_file = await on_top(pilot, CaseFileScreen(CASE))
        assert case_file.data is not None
        summary = case_file.data.summary
        assert summary.next_action == "Sign the invitation to comment"
        # Due today (issue 15 AS3: due on the 17th, what the new one gives, it read as if
        # there were until then to sign).
        assert str(summary.next_action_due) == "2026-11-28"
        await press_settled(pilot, "W")
        screen = app.screen
        assert isinstance(screen, CaseLettersScreen)
        await press_settled(pilot, "P")
        assert app.screen is screen  # nothing of the case can go
        assert WHY in _said(app), _said(app)
        [letter] = Letter.select().where((Letter.kind == "invitation") & (
            Letter.case == Case.get(Case.reference == CASE).id))
        assert letter.posted_on is None


async def test_post_today_leaves_it_out_saying_why(db: Path) -> None:
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await on_top(pilot, LettersScreen())
        await press_settled(pilot, "P")
        dialog = app.screen
        assert isinstance(dialog, PostTodayDialog)
        [stale] = [u for u in dialog.going if u.reference == CASE]
        assert stale.id in dialog.left_out and WHY in stale.cannot_go, stale
