"""v16 4 (rule bypassed), in the app: the amend-on-appeal form (A, "upheld in part") said
"blank: counted from the start", and the letter beside it had the amended restrictions
reviewed a year from their start where the decision appealed against was due for review
sooner. Left blank, an amendment keeps the review in force (the hint, the letter and the
question asked before deciding say that day); a later review typed is refused as stricter, at
the field and in the side panel, and ctrl+s decides nothing."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Label, Static

from crm_tui.db.connection import open_database
from crm_tui.db.models import Case, Decision, database_proxy
from crm_tui.domain.typed_dates import in_prose, shown
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.restrictions import builder
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.decision import DecisionDialog
from tests.ui.deciding import amend_opened
from tests.ui.keys import press_settled, settle, until
from tests.ui.test_forms_ui import retype

SIZE = (140, 40)
UNDER_APPEAL = "UPV-2026-0004"  # under appeal, restrictions in force, none drafted


def _words(dialog: DecisionDialog, selector: str) -> str:
    return " ".join(str(dialog.query_one(selector, Static).render()).split())


def _error(dialog: DecisionDialog, widget_id: str) -> str:
    return " ".join(str(dialog.query_one(f"#{widget_id}-error", Label).render()).split())


def _redrafted(db: Path) -> tuple[date, date, int]:
    """The restrictions in force set out again in the builder; their review and end, and
    how many decisions the case has."""
    open_database(db)
    builder.redraft_in_force(resolve_actor("ceri.hughes"), UNDER_APPEAL)
    case = Case.get(Case.reference == UNDER_APPEAL)
    decided = Decision.select().where(Decision.case == case).count()
    database_proxy.close()
    assert case.review_due is not None and case.restrictions_end is not None
    assert case.review_due < case.restrictions_end - timedelta(days=30), (
        case.review_due, case.restrictions_end)
    return case.review_due, case.restrictions_end, decided


async def _amend_form(pilot: Pilot[Any], app: object) -> DecisionDialog:
    return await amend_opened(pilot, UNDER_APPEAL, "The customer's grounds are fair in part",
                              "You have shown us that the restrictions need not last as long.")


async def test_left_blank_the_amendment_keeps_the_review_in_force(db: Path) -> None:
    review, ends, _ = _redrafted(db)
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _amend_form(pilot, app)
        # Shorter: the same restrictions and dates would decide nothing.
        await retype(pilot, "ends_on", shown(ends - timedelta(days=30)))
        await settle(pilot)
        hint = dialog.query_one("#review_due", Input).placeholder
        assert hint == f"blank: keeps the review due {shown(review)}", hint
        await until(pilot, lambda: _words(dialog, "#letter-status").endswith(
            "The letter passes the checks: ctrl+s decides."))
        letter = _words(dialog, "#preview")
        assert f"We will review them by {in_prose(review, full_month=True)}." in letter, letter
        await press_settled(pilot, "ctrl+s")
        assert isinstance(app.screen, AskDialog), type(app.screen).__name__
        question = " ".join(str(app.screen.query_one("#ask-question").render()).split())
        assert f"reviewed by {in_prose(review, full_month=True)}" in question, question


async def test_a_later_review_typed_is_refused_as_stricter(db: Path) -> None:
    review, _, decided = _redrafted(db)
    later = review + timedelta(days=14)
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _amend_form(pilot, app)
        await retype(pilot, "review_due", shown(later))
        await until(pilot, lambda: "cannot review the restrictions later" in _error(
            dialog, "review_due"))
        assert f"Leave it blank to keep {shown(review)}" in _error(dialog, "review_due")
        status = _words(dialog, "#letter-status")
        assert "Cannot decide yet" in status and (
            f"is reviewed later (by {in_prose(later, full_month=True)} instead of "
            f"{in_prose(review, full_month=True)})") in status, status
        # Said plainly to who decides the appeal (fixAR AR5): no brackets inside brackets,
        # and nothing they cannot do themselves (a review is the CRM's to start).
        for said in (status, _error(dialog, "review_due")):
            assert "((" not in said and "))" not in said, said
            assert "start the review" not in said and "propose the extension" not in said, said
        assert ("Anything stricter is for the Complaints Resolution Manager to propose at a "
                "review once the appeal is decided") in status, status
        await press_settled(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is dialog, type(app.screen).__name__
    open_database(db)
    case = Case.get(Case.reference == UNDER_APPEAL)
    assert Decision.select().where(Decision.case == case).count() == decided
    assert case.review_due == review
    database_proxy.close()
