"""The amend-on-appeal form (A, upheld in part) with a later start and the review left blank
(v15m-1): the review fell a year from the decision, before the restrictions started (start
01/12/2027: "reviewed by 28 November 2027"), and the letter said so. It is a year after they
start now, in the letter beside the form and in the question asked before deciding. And every
problem stays at its field until that field is put right (v15m Y2: the review's went when the
end's came)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Label, Static

from crm_tui.db.connection import open_database
from crm_tui.db.models import Case, database_proxy
from crm_tui.domain.dates import add_months
from crm_tui.domain.typed_dates import in_prose, shown
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.restrictions import builder
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.decision import DecisionDialog
from tests.ui.deciding import amend_opened
from tests.ui.keys import press_settled, settle, until

SIZE = (140, 40)
UNDER_APPEAL = "UPV-2026-0004"  # under appeal, restrictions in force, none drafted
A_YEAR_FROM_TODAY = date(2027, 11, 28)  # the frozen today, 28 November 2026, a year on


def _words(dialog: DecisionDialog, selector: str) -> str:
    return " ".join(str(dialog.query_one(selector, Static).render()).split())


def _error(dialog: DecisionDialog, widget_id: str) -> str:
    return " ".join(str(dialog.query_one(f"#{widget_id}-error", Label).render()).split())


def _redrafted(db: Path) -> date:
    open_database(db)
    builder.redraft_in_force(resolve_actor("ceri.hughes"), UNDER_APPEAL)
    ends = Case.get(Case.reference == UNDER_APPEAL).restrictions_end
    database_proxy.close()
    assert ends is not None
    return ends


async def _amend_form(pilot: Pilot[Any], app: object) -> DecisionDialog:
    return await amend_opened(
        pilot, UNDER_APPEAL, "The customer's grounds are fair in part",
        "You have shown us that you need more time before the restrictions start.")


async def test_a_later_start_with_the_review_blank_is_reviewed_a_year_after_it_starts(
        db: Path) -> None:
    ends = _redrafted(db)
    starts = min(date(2027, 12, 1), date.fromordinal(ends.toordinal() - 40))
    assert starts > A_YEAR_FROM_TODAY, f"the demo's end ({ends}) leaves no later start to try"
    review = min(add_months(starts, 12), ends)
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _amend_form(pilot, app)
        dialog.query_one("#starts_on", Input).value = shown(starts)
        assert dialog.query_one("#review_due", Input).value == ""
        await until(pilot, lambda: _words(dialog, "#letter-status").endswith(
            "The letter passes the checks: ctrl+s decides."))
        letter = _words(dialog, "#preview")
        assert f"We will review them by {in_prose(review, full_month=True)}." in letter, letter
        assert f"review them by {in_prose(A_YEAR_FROM_TODAY, full_month=True)}" not in letter
        await press_settled(pilot, "ctrl+s")
        assert isinstance(app.screen, AskDialog), type(app.screen).__name__
        question = " ".join(str(app.screen.query_one("#ask-question").render()).split())
        assert f"reviewed by {in_prose(review, full_month=True)}" in question, question


async def test_the_review_problem_stays_at_its_field_when_another_appears(db: Path) -> None:
    _redrafted(db)
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _amend_form(pilot, app)
        dialog.query_one("#starts_on", Input).value = "18/06/2027"
        dialog.query_one("#review_due", Input).value = "01/05/2027"
        before_start = "must be after the restrictions start (18/06/2027)"
        await until(pilot, lambda: before_start in _error(dialog, "review_due"))
        # A second problem: the end before the start. Both are said, each at its field.
        dialog.query_one("#ends_on", Input).value = "01/06/2027"
        await until(pilot, lambda: "after the start date" in _error(dialog, "ends_on"))
        await settle(pilot)
        assert before_start in _error(dialog, "review_due"), _error(dialog, "review_due")
        status = _words(dialog, "#letter-status")
        assert "after the start date" in status and before_start in status, status
        # ctrl+s says them all again, at their fields.
        await press_settled(pilot, "ctrl+s")
        assert before_start in _error(dialog, "review_due"), _error(dialog, "review_due")
        assert "after the start date" in _error(dialog, "ends_on")
        # The end put right: the review's problem stays until the review is.
        dialog.query_one("#ends_on", Input).value = ""
        dialog.query_one("#ends_on", Input).value = "01/06/2028"
        await until(pilot, lambda: _error(dialog, "ends_on") == "")
        await settle(pilot)
        assert before_start in _error(dialog, "review_due"), _error(dialog, "review_due")
        dialog.query_one("#review_due", Input).value = ""
        await until(pilot, lambda: _error(dialog, "review_due") == "")
