"""One save shows every problem of a form, each at its field, dates as they were typed: the
checks a service would make on a date (in the future, before the decision appealed against),
on a restriction's ways of contact and on how a view was given are made with the others."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from crm_tui.db.models import Appeal
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.fields import FieldsDialog
from crm_tui.ui.screens.case_file import CaseFileScreen
from tests.ui.keys import settle

SIZE = (140, 40)
UNDER_REVIEW = "UPV-2025-0003"  # restricted, an extension proposed: an appeal can be recorded


def text_of(app: CrmApp, selector: str) -> str:
    return " ".join(str(app.screen.query_one(selector).render()).split())


async def test_the_appeal_form_shows_its_date_and_grounds_problems_together(db: Path) -> None:
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = Appeal.select().count()
        app.push_screen(CaseFileScreen(UNDER_REVIEW))
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, FieldsDialog)
        app.screen.query_one("#received_on", Input).value = "30/11/2026"  # two days ahead
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "30/11/2026 is in the future" in text_of(app, "#received_on-error")
        assert "Give the customer's grounds" in text_of(app, "#grounds-error")
        app.screen.query_one("#received_on", Input).value = "01/01/2020"
        await settle(pilot)
        assert "01/01/2020 is before the decision appealed against" in text_of(
            app, "#received_on-error")
        app.screen.query_one("#received_on", Input).value = "31/02/2026"
        await settle(pilot)
        assert "31/02/2026 is not a date: type it as dd/mm/yyyy" in text_of(
            app, "#received_on-error")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FieldsDialog)
        assert Appeal.select().count() == before
