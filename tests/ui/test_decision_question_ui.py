"""t15c F8: the question before deciding named who decides and the customer, not what is
decided. It now names the restrictions as the builder does, their start and end, and the
review date the decision carries; "Not yet" keeps the form and records nothing."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, TextArea

from crm_tui.db.models import Decision
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.decision import DecisionDialog
from tests.builders import TOLD
from tests.demo_decided import ready_to_decide
from tests.ui.deciding import decision_opened
from tests.ui.keys import press_settled


async def test_the_question_names_the_restrictions_and_their_dates(db: Path) -> None:
    ready_to_decide(db)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await decision_opened(pilot)
        dialog.query_one("#starts_on", Input).value = "28/11/2026"
        dialog.query_one("#ends_on", Input).value = "28/11/2028"
        dialog.query_one("#review_due", Input).value = "28/11/2027"
        dialog.query_one("#reason", TextArea).text = "Calls all day to many officers"
        dialog.query_one("#customer_reason", TextArea).text = TOLD
        decisions = Decision.select().count()
        await press_settled(pilot, "ctrl+s")
        assert isinstance(app.screen, AskDialog), app.screen
        asked = " ".join(str(app.screen.query_one("#ask-question").render()).split())
        assert asked.startswith("Decide to restrict on "), asked
        assert "(UPV-2026-0005), as Ceri Hughes, Complaints Resolution Manager: the Named " \
               "officer only restriction (“Contact only with Tomasz Nowak" in asked, asked
        assert " and the Contact in a particular form only restriction (“" in asked, asked
        assert "from 28 November 2026 until 28 November 2028, reviewed by 28 November 2027?" \
            in asked, asked
        await press_settled(pilot, "n")
        assert isinstance(app.screen, DecisionDialog)
        assert Decision.select().count() == decisions
