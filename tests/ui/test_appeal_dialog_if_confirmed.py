"""The appeal decision dialog says where the case returns as what one choice does (issue 15
BF2): above the choices, whichever is highlighted, it said "Confirmed, the case returns to
restricted." as if the appeal were already confirmed, with "Amended" highlighted."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from crm_tui.db.models import Case
from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.appeal import AppealDialog
from tests.ui.keys import settle
from tests.ui.test_appeals_ui import SIZE, UNDER_APPEAL, case_file, text_of


async def test_the_dialog_says_what_confirming_does_whichever_choice_is_highlighted(
        db: Path) -> None:
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=SIZE) as pilot:
        await case_file(pilot, app, UNDER_APPEAL)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, AppealDialog)
        options = app.screen.query_one(OptionList)
        for place in range(options.option_count):
            assert options.highlighted == place
            facts = " ".join(text_of(app, "#appeal-facts").split())
            assert ("If the appeal is not upheld (decision confirmed), the case returns to "
                    "restricted.") in facts
            assert "Confirmed, the case returns" not in facts
            await pilot.press("down")
            await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    assert str(Case.get(Case.reference == UNDER_APPEAL).state) == "under_appeal"
