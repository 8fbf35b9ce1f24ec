"""A review set before restrictions decided to start on a later day is refused at the review
field on every path (v15l X8: amend on appeal refused it, a variation from the builder's D
recorded a review on 1 May for restrictions starting 1 September); and the amend form's panel
says the start as the form shows dates, not "2027-06-18" (X7)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import Input, Static, TextArea

from crm_tui import clock
from crm_tui.db.connection import open_database
from crm_tui.db.models import Case, Decision, database_proxy
from crm_tui.domain.typed_dates import shown
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.restrictions import builder
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.decision import DecisionDialog
from tests.ui.deciding import amend_opened, decision_opened
from tests.ui.keys import press_settled, settle, until

SIZE = (140, 40)
RESTRICTED = "UPV-2025-0004"  # contact by letter and email, in force
UNDER_APPEAL = "UPV-2026-0004"  # under appeal, restrictions in force, none drafted


def _words(dialog: DecisionDialog, selector: str) -> str:
    return " ".join(str(dialog.query_one(selector, Static).render()).split())


def _redrafted(db: Path, ref: str) -> Case:
    open_database(db)
    builder.redraft_in_force(resolve_actor("ceri.hughes"), ref)
    case = Case.get(Case.reference == ref)
    database_proxy.close()
    return case


async def test_a_variation_refuses_a_review_before_its_later_start(db: Path) -> None:
    case = _redrafted(db, RESTRICTED)
    today = clock.today()
    starts = today + (case.restrictions_end - today) // 2
    review = today + timedelta(days=10)
    decided = Decision.select().count()
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await decision_opened(pilot, RESTRICTED)
        dialog.query_one("#reason", TextArea).text = "Start them later, once the repair is done"
        dialog.query_one("#customer_reason", TextArea).text = "We will start them later."
        dialog.query_one("#starts_on", Input).value = shown(starts)
        dialog.query_one("#review_due", Input).value = shown(review)
        await until(pilot, lambda: "review_due" in {
            w.id for w in dialog.query(".-problem")})
        said = _words(dialog, "#review_due-error")
        assert f"must be after the restrictions start ({shown(starts)})" in said, said
        await press_settled(pilot, "ctrl+s")
        assert app.screen is dialog
    assert Decision.select().count() == decided


async def test_the_amend_panel_says_the_start_as_the_form_shows_dates(db: Path) -> None:
    _redrafted(db, UNDER_APPEAL)
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await amend_opened(pilot, UNDER_APPEAL)
        dialog.query_one("#starts_on", Input).value = "18/06/2027"
        dialog.query_one("#review_due", Input).value = "01/05/2027"
        await until(pilot, lambda: "after the restrictions start" in _words(
            dialog, "#letter-status"))
        await settle(pilot)
        said = _words(dialog, "#letter-status")
        assert "start (18/06/2027)" in said and "2027-06-18" not in said, said
