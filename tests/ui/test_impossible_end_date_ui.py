"""v16 10: on the variation form, an end typed before the review in force ("3 months" in the
tester's case) and then as 31/02/2027 (no such day) left the review field's hint saying
"blank: the review moves to the end, 03/03/2027", worked out from the end typed before; and
the side panel then showed only the date's problem, dropping the reasons' problems it had
listed. The hint no longer names a day it cannot know,
and every problem stays listed under the date's."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from textual.widgets import Input, Static

from crm_tui.db.connection import open_database
from crm_tui.db.models import database_proxy
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.restrictions import builder
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.decision import DecisionDialog
from tests.ui.deciding import decision_opened
from tests.ui.keys import settle, until
from tests.ui.test_forms_ui import retype

SIZE = (140, 40)
RESTRICTED = "UPV-2025-0004"  # contact by letter and email, in force
REASONS = "Give the decision's reasons"
TOLD = "\u201cWhy, as the customer is told it\u201d"


def _status(dialog: DecisionDialog) -> str:
    return " ".join(str(dialog.query_one("#letter-status", Static).render()).split())


async def test_an_impossible_end_leaves_no_stale_hint_and_every_problem_listed(
        db: Path) -> None:
    open_database(db)
    builder.redraft_in_force(resolve_actor("ceri.hughes"), RESTRICTED)
    database_proxy.close()
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await decision_opened(pilot, RESTRICTED)
        starts = datetime.strptime(dialog.query_one("#starts_on", Input).value,
                                   "%d/%m/%Y").date()
        # An end before the review in force (04/12/2026 in the demo): the review moves to it.
        end = starts + timedelta(days=3)
        await retype(pilot, "ends_on", f"{end:%d/%m/%Y}")
        await settle(pilot)
        hint = dialog.query_one("#review_due", Input).placeholder
        assert hint == f"blank: the review moves to the end, {end:%d/%m/%Y}", hint
        await until(pilot, lambda: REASONS in _status(dialog))
        assert TOLD in _status(dialog), _status(dialog)
        await retype(pilot, "ends_on", "31/02/2027")
        await settle(pilot)
        hint = dialog.query_one("#review_due", Input).placeholder
        assert hint == "blank: set once the start and end are dates", hint
        assert f"{end:%d/%m/%Y}" not in hint
        await until(pilot, lambda: "31/02/2027" in _status(dialog)
                    and REASONS in _status(dialog))
        status = _status(dialog)
        assert TOLD in status and "Cannot decide yet" in status, status
        assert "Nothing differs" not in status, status  # turns on the dates: not said
        # Put right, the hint names the day again.
        await retype(pilot, "ends_on", f"{end:%d/%m/%Y}")
        await settle(pilot)
        hint = dialog.query_one("#review_due", Input).placeholder
        assert hint == f"blank: the review moves to the end, {end:%d/%m/%Y}", hint

