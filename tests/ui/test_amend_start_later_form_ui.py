"""The amend-on-appeal form with a later start (v15k): the same restrictions set out again
(r), the end in force kept, the start moved later. U2: after a refused ctrl+s the banner "The
letter beside the form does not pass the checks yet…" stayed once the letter passed. U3: the
confirmation said only "the restrictions amended as set out": it names the dates now, as the
impose confirmation does, and that none are in force until the later start."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from crm_tui.db.connection import open_database
from crm_tui.db.models import Case, database_proxy
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.restrictions import builder
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.decision import NOT_PASSING, DecisionDialog
from tests.ui.deciding import amend_opened
from tests.ui.keys import press_settled, settle, until

UNDER_APPEAL = "UPV-2026-0004"  # under appeal, restrictions in force, none drafted


def _words(dialog: DecisionDialog, selector: str) -> str:
    return " ".join(str(dialog.query_one(selector, Static).render()).split())


async def test_a_later_start_passes_clears_the_banner_and_is_named_when_confirming(
        db: Path) -> None:
    open_database(db)
    builder.redraft_in_force(resolve_actor("ceri.hughes"), UNDER_APPEAL)
    ends = Case.get(Case.reference == UNDER_APPEAL).restrictions_end
    database_proxy.close()
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=(140, 40)) as pilot:
        dialog = await amend_opened(
            pilot, UNDER_APPEAL, "The customer's grounds are fair in part",
            "You have shown us that you need more time before the restrictions start.")
        # Today to the end in force: nothing differs, and ctrl+s is refused with the banner.
        await until(pilot, lambda: "Nothing differs" in _words(dialog, "#letter-status"))
        await press_settled(pilot, "ctrl+s")
        assert _words(dialog, "#form-error") == NOT_PASSING
        dialog.query_one("#starts_on", Input).value = "18/06/2027"
        await until(pilot, lambda: _words(dialog, "#letter-status").endswith(
            "The letter passes the checks: ctrl+s decides."))
        await settle(pilot)
        assert _words(dialog, "#form-error") == "", _words(dialog, "#form-error")
        await press_settled(pilot, "ctrl+s")
        assert isinstance(app.screen, AskDialog), type(app.screen).__name__
        question = " ".join(str(app.screen.query_one("#ask-question").render()).split())
        # Each restriction named with its terms, as the decision's confirmation does (v22 C2).
        assert ("the restrictions amended to the Telephone on specified days and times "
                "restriction (\u201c") in question, question
        assert (f"\u201d), from 18 June 2027 (none in force until "
                f"then) until {in_prose(ends, full_month=True)}, reviewed by ") in question, \
            question
        assert question.startswith("Decide the appeal of ") and \
            "as Gareth Bell, Service Director, Legal & Business Operations?" in question, \
            question


def test_the_amend_form_opens_on_a_later_start_decided() -> None:
    """An appeal on restrictions decided to start later: the form opens on that start (today
    would be a sooner start: stricter), and on today once they have started."""
    from datetime import date, timedelta

    from crm_tui import clock
    from crm_tui.domain.states import CaseState
    from crm_tui.services.reviews.appeals import AppealView
    from crm_tui.ui.appeals import _amended_terms

    today = clock.today()
    later, ends = today + timedelta(days=200), today + timedelta(days=500)

    def view(start: date) -> AppealView:
        return AppealView(UNDER_APPEAL, CaseState.UNDER_APPEAL, None, None, "", "", [], [],
                          restrictions_end=ends, restrictions_start=start)

    assert _amended_terms(view(later)).starts_on == later
    assert _amended_terms(view(today - timedelta(days=30))).starts_on == today
    assert _amended_terms(view(later)).ends_on == ends
